"""Real Server-Sent Events under uvicorn: streamed, replayed, filtered, across processes.

Every test here starts real servers (``tests/server.py``) on the test
database, so data is committed (``transactional_db``) and events travel the
way they do in production: a row in the event table, the server's poller,
the connection. Waiting has generous timeouts; nothing asserts durations.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from brug.core import jobs
from brug.core.tests.helpers import BRUG, subprocess_env
from brug.people.tokens import create_token
from brug.posts.actions import create_post
from brug.realtime.tests.sse import SSEClient
from brug.spaces.models import Membership

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

FAST = {"BRUG_REALTIME_POLL_SECONDS": "0.2"}


def _post(author, space, body):
    return create_post(author=author, space=space, body=body, rate_limit=False)


def _session_cookie(person) -> dict:
    client = Client()
    client.force_login(person)
    return {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}


def _web_stream(server, person, **headers) -> SSEClient:
    stream = SSEClient(server.url, "/events/stream", headers={**_session_cookie(person), **headers})
    assert stream.status == 200, server.log()
    first = stream.next()
    assert first.retry is not None  # the preamble arrives at once: nothing buffers the stream
    return stream


def _api_stream(server, person, **headers) -> SSEClient:
    token = create_token(user=person, name="sse")
    stream = SSEClient(
        server.url, "/api/v1/stream", headers={"Authorization": f"Bearer {token}", **headers}
    )
    assert stream.status == 200, server.log()
    assert stream.next().retry is not None
    return stream


def test_events_arrive_on_the_open_stream_as_they_happen(start_uvicorn, space, owner, member):
    server = start_uvicorn(env=FAST)
    stream = _web_stream(server, member)
    try:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        assert "Content-Encoding" not in stream.headers
        assert stream.headers["X-Accel-Buffering"] == "no"

        post = _post(owner, space, "Kijk even @sanne.dewit")
        created = stream.next_event("post_created")
        assert created.json["post_id"] == post.pk
        assert created.id > 0

        jobs.run_pending()  # the fan-out writes the notification event
        note = stream.next_event("notification")
        assert note.json["unread"] == 1
        assert "Olga Owner" in note.json["html"]
        assert note.id > created.id
    finally:
        stream.close()


def test_last_event_id_replays_what_was_missed(start_uvicorn, space, owner, member):
    server = start_uvicorn(env=FAST)
    stream = _web_stream(server, member)
    first = _post(owner, space, "Eén")
    seen = stream.next_event("post_created")
    assert seen.json["post_id"] == first.pk
    stream.close()

    second = _post(owner, space, "Twee")
    third = _post(owner, space, "Drie")

    again = _web_stream(server, member, **{"Last-Event-ID": str(seen.id)})
    try:
        replayed = [again.next_event("post_created").json["post_id"] for _ in range(2)]
        assert replayed == [second.pk, third.pk]
    finally:
        again.close()


def test_heartbeats_keep_a_quiet_stream_open(start_uvicorn, member):
    server = start_uvicorn(env={"BRUG_SSE_HEARTBEAT_SECONDS": "0.3"})
    stream = _web_stream(server, member)
    try:
        frame = stream.next(timeout=20)
        assert frame.comments == ["heartbeat"]
        assert frame.id is None
    finally:
        stream.close()


def test_a_removed_member_gets_no_further_events_of_the_space(
    start_uvicorn, space, private_space, owner, member
):
    server = start_uvicorn(env=FAST)
    stream = _web_stream(server, member)
    try:
        _post(owner, private_space, "Voor de teamleiders")
        assert stream.next_event("post_created").json["space_id"] == private_space.pk

        Membership.objects.filter(space=private_space, person=member).delete()
        _post(owner, private_space, "Na het vertrek")
        after = _post(owner, space, "In de open ruimte")
        # The next event is the open space's: the private one was held back.
        assert stream.next_event("post_created").json["post_id"] == after.pk
    finally:
        stream.close()


def test_an_event_about_a_private_post_never_reaches_an_outsider_or_a_stranger(
    start_uvicorn, space, private_space, owner, outsider, stranger
):
    server = start_uvicorn(env=FAST)
    inside_org = _api_stream(server, outsider)
    other_org = _api_stream(server, stranger)
    try:
        _post(owner, private_space, "Geheim plan")
        visible = _post(owner, space, "Voor iedereen in de organisatie")
        assert inside_org.next_event("post_created").json["post_id"] == visible.pk
        last = _post(stranger, None, "Op mijn eigen profiel")  # the stranger's own organisation
        assert other_org.next_event("post_created").json["post_id"] == last.pk
    finally:
        inside_org.close()
        other_org.close()


def test_stream_refuses_without_the_event_stream_accept_header_or_signing_in(start_uvicorn, member):
    server = start_uvicorn()
    plain = SSEClient(server.url, "/api/v1/stream", headers={"Accept": "application/json"})
    assert plain.status == 406
    assert plain.response.read().startswith(b'{"detail"')
    plain.close()
    web = SSEClient(server.url, "/events/stream", headers={"Accept": "text/html"})
    assert web.status == 406
    web.close()
    anonymous = SSEClient(server.url, "/api/v1/stream")
    assert anonymous.status == 401
    anonymous.close()
    bad_token = SSEClient(server.url, "/api/v1/stream", headers={"Authorization": "Bearer nope"})
    assert bad_token.status == 401
    bad_token.close()


def test_the_stream_is_not_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/stream" not in schema["paths"]


SERVER_APP = "brug-stream-test"


def _db_handles(pid: int) -> tuple[int, int]:
    """Database connections the server process holds now, and how many of them are in use.

    SQLite: the open handles of the database file (each one in use). PostgreSQL:
    the server's client connections (pooled ones included; told by their
    application name), and those not idle.
    """
    if connection.vendor == "sqlite":
        name = str(Path(connection.settings_dict["NAME"]).resolve())
        count = 0
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == name:
                    count += 1
            except OSError:
                continue
        return count, count
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE state <> 'idle')"
            " FROM pg_stat_activity WHERE datname = current_database()"
            " AND application_name = %s AND backend_type = 'client backend'",
            [SERVER_APP],
        )
        return cursor.fetchone()


def test_open_streams_hold_no_database_connection_while_they_wait(
    start_uvicorn, space, owner, member, moderator
):
    # On PostgreSQL the server's pool holds 2 connections for 6 streams: a
    # stream that kept one would leave the next waiting for the pool.
    server = start_uvicorn(
        env={
            "BRUG_REALTIME_POLL_SECONDS": "0.5",
            "BRUG_DATABASE_POOL_SIZE": "2",
            "BRUG_DATABASE_POOL_TIMEOUT": "2",  # a held connection fails a stream fast
            "PGAPPNAME": SERVER_APP,  # its connections, told from the test's own pool
        }
    )
    streams = [_web_stream(server, person) for person in (member, moderator) for _ in range(3)]
    try:
        _post(owner, space, "Iets om te bezorgen")
        for stream in streams:
            stream.next_event("post_created")
        samples = []
        for _ in range(15):
            samples.append(_db_handles(server.process.pid))
            time.sleep(0.1)
        held = [total for total, _busy in samples]
        busy = [n for _total, n in samples]
        if connection.vendor == "sqlite":
            # Six waiting streams; at most the poller's own connection.
            assert max(held) <= 2 and min(held) <= 1, samples
        else:
            # The pool's two and the poller's LISTEN connection, idle between polls.
            assert max(held) <= 3, samples
            assert min(busy) == 0, samples
    finally:
        for stream in streams:
            stream.close()


def test_an_event_written_by_a_worker_reaches_listeners_on_two_servers(
    start_uvicorn, space, owner, member, tmp_path
):
    first = start_uvicorn(env=FAST)
    second = start_uvicorn(env=FAST)
    on_first = _web_stream(first, member)
    on_second = _api_stream(second, member)
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [BRUG, "worker", "--no-schedule"],
        env=subprocess_env(BRUG_JOB_POLL_SECONDS="0.2", BRUG_EMAIL_URL="locmem"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        post = _post(owner, space, "Weet jij dit, @sanne.dewit?")
        # post_created was written by the request itself; the notification by the worker's job.
        for stream in (on_first, on_second):
            assert stream.next_event("post_created").json["post_id"] == post.pk
            note = stream.next_event("notification", timeout=60)
            assert note.json["unread"] == 1
            assert note.json["kind"] == "mention"
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        log.close()
        on_first.close()
        on_second.close()


def test_a_commit_wakes_the_pollers_at_once_through_redis_or_notify(
    start_uvicorn, settings, space, owner, member
):
    channel = f"brug-test-{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}-{time.time_ns()}"
    redis_url = os.environ.get("BRUG_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    # The poller would look only once a minute: the event can only come through a wake-up.
    server = start_uvicorn(
        env={
            "BRUG_REALTIME_POLL_SECONDS": "60",
            "BRUG_REDIS_URL": redis_url,
            "BRUG_REALTIME_CHANNEL": channel,
        }
    )
    settings.REDIS_URL = redis_url
    settings.BRUG_REALTIME_CHANNEL = channel
    stream = _web_stream(server, member)
    try:
        time.sleep(1)  # let the server subscribe before the commit
        post = _post(owner, space, "Direct bezorgd")
        assert stream.next_event("post_created", timeout=20).json["post_id"] == post.pk
    finally:
        stream.close()
