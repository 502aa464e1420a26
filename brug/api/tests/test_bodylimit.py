"""Oversized bodies are refused with 413, also when sent chunked without Content-Length."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

from django.core.asgi import get_asgi_application

from brug.core.bodylimit import BodySizeLimit


def _run(app, *, chunks, headers=()):
    """Send a POST with ``chunks`` through ``app``; return (status, body, chunks read)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/me/tokens",
        "raw_path": b"/api/v1/me/tokens",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), (b"content-type", b"application/json"), *headers],
        "client": ("127.0.0.1", 1234),
        "server": ("localhost", 80),
    }
    pending = list(chunks)
    read = 0
    sent = []
    finished = asyncio.Event()

    async def receive():
        nonlocal read
        if pending:
            read += 1
            body = pending.pop(0)
            return {"type": "http.request", "body": body, "more_body": bool(pending)}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            finished.set()

    async def main():
        await app(scope, receive, send)
        finished.set()

    # In a thread of its own: a test run that also drives the browser (Playwright's
    # sync API) leaves a running event loop in this one, and asyncio.run() refuses that.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, main()).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body, read


def test_a_chunked_body_over_the_limit_is_a_413_and_is_not_read_to_the_end():
    app = BodySizeLimit(get_asgi_application(), limit=100)
    status, body, read = _run(app, chunks=[b"x" * 40] * 50)
    assert status == 413
    assert json.loads(body)["detail"]
    assert read <= 4  # stopped right after passing the limit, not after 50 chunks


def test_a_declared_length_over_the_limit_is_refused_before_reading():
    app = BodySizeLimit(get_asgi_application(), limit=100)
    status, _body, read = _run(app, chunks=[b"x" * 40] * 5, headers=[(b"content-length", b"200")])
    assert status == 413
    assert read == 0


def test_a_small_chunked_body_reaches_the_application():
    app = BodySizeLimit(get_asgi_application(), limit=100)
    status, body, _read = _run(app, chunks=[b'{"name":', b' "x"}'])
    assert status == 401  # the API itself answered (no credentials were sent)
    assert json.loads(body)["detail"]


def test_the_served_asgi_application_has_the_limit():
    from brug.asgi import application

    assert isinstance(application, BodySizeLimit)
