"""Event rows: written in the caller's transaction, one wake-up per commit, pruned after a day."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from brug.core import jobs
from brug.realtime import events
from brug.realtime.models import Event
from brug.realtime.poller import encode, replay
from brug.realtime.tasks import prune_events

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def test_an_event_of_a_rolled_back_write_never_exists(space):
    before = Event.objects.count()
    with pytest.raises(Rollback), transaction.atomic():
        events.publish(kind="post_created", space=space, payload={"x": 1})
        raise Rollback
    assert Event.objects.count() == before


def test_many_events_in_one_transaction_wake_the_pollers_once(space, member, monkeypatch):
    woken = []
    monkeypatch.setattr(events, "_wake", lambda: woken.append(1))
    before = Event.objects.count()
    with transaction.atomic():
        for _ in range(5):
            events.publish(kind="notification", recipient=member, payload={})
        events.publish_many([Event(kind="notification", recipient=member) for _ in range(3)])
        callbacks = [f for _s, f, _r in connection.run_on_commit]
        assert callbacks.count(events._wake) == 1
    # (the test transaction never commits, so nothing ran; one callback was queued)
    assert Event.objects.count() == before + 8


def test_a_post_in_a_space_implies_its_space(space, owner):
    from brug.notifications.tests.conftest import make_post

    post = make_post(owner, space, "Hallo")
    event = events.publish(kind="answer_created", post=post)
    assert event.space_id == space.pk


def test_events_older_than_a_day_are_pruned_in_batches(member):
    Event.objects.all().delete()
    old = timezone.now() - timedelta(hours=25)
    Event.objects.bulk_create(
        [Event(kind="notification", recipient=member, created_at=old) for _ in range(7)]
    )
    fresh = Event.objects.create(kind="notification", recipient=member)
    assert prune_events(batch=3) == 7
    assert list(Event.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_pruning_is_registered_with_the_scheduler():
    jobs.autodiscover()
    assert "realtime.prune-events" in jobs.periodic_jobs()
    assert "notifications.weekly-digest" in jobs.periodic_jobs()


def test_frames_carry_the_id_the_kind_and_one_line_of_json(member):
    event = Event.objects.create(
        kind="notification", recipient=member, payload={"text": "twee\nregels", "n": 1}
    )
    frame = encode(event)
    assert (
        frame == f'id: {event.pk}\nevent: notification\ndata: {{"text":"twee\\nregels","n":1}}\n\n'
    )


def test_replay_gives_only_what_the_person_may_receive(space, private_space, member, outsider):
    first = events.publish(kind="post_created", space=space, payload={})
    hidden = events.publish(kind="post_created", space=private_space, payload={})
    mine = events.publish(kind="notification", recipient=outsider, payload={})
    theirs = events.publish(kind="notification", recipient=member, payload={})
    ids = [pk for pk, _frame in replay(outsider.pk, 0, theirs.pk)]
    assert ids == [first.pk, mine.pk]
    assert hidden.pk not in ids


def test_stream_without_the_accept_header_is_406_and_anonymous_is_401(client, member):
    assert client.get("/events/stream").status_code == 406
    assert client.get("/api/v1/stream", headers={"Accept": "application/json"}).status_code == 406
    assert client.get("/api/v1/stream", headers={"Accept": "text/event-stream"}).status_code == 401
    assert client.get("/events/stream", headers={"Accept": "text/event-stream"}).status_code == 401
