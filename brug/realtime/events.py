"""Write realtime events inside the caller's transaction, and wake the pollers on commit.

An event is a row (``brug.realtime.models.Event``) written in the same
transaction as the change it announces: it exists exactly when the change
does, and its id is the SSE event id (``Last-Event-ID`` replays what a client
missed). Every server process runs one poller (``brug.realtime.poller``) that
reads new rows and hands them to that process's connections. After the commit
the pollers are woken early: in this process directly, in other processes
through Redis pub/sub (``BRUG_REDIS_URL``) or PostgreSQL ``NOTIFY``; without
either they notice within ``BRUG_REALTIME_POLL_SECONDS``. A lost wake-up only
delays an event, it never loses one.

Event kinds: ``notification`` (to one recipient: unread count and the
rendered line), ``post_created`` (to everyone who may read the space: the
feed's "3 new posts"), ``answer_created`` (the same for a question's page),
``membership_changed`` (to one person). Callers pass the post and/or space an
event is about; delivery checks, per listener, that they may read it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from brug.realtime.models import Event

logger = logging.getLogger("brug.realtime")

#: PostgreSQL LISTEN/NOTIFY channel (an identifier, not user input).
PG_CHANNEL = "brug_realtime"


def publish(*, kind: str, space=None, post=None, recipient=None, payload=None) -> Event:
    """Record an event for the SSE streams; call it inside the write's transaction.

    ``space`` and ``post`` say what the event is about (only people who may
    read it receive it); ``recipient`` narrows it to one person. A post in a
    space implies that space.
    """
    space_id = getattr(space, "pk", space)
    if space_id is None and post is not None:
        space_id = post.space_id
    event = Event.objects.create(
        kind=kind,
        space_id=space_id,
        post=post,
        recipient_id=getattr(recipient, "pk", recipient),
        payload=payload or {},
    )
    wake_after_commit()
    return event


def publish_many(events: Iterable[Event], *, batch_size: int = 500) -> list[Event]:
    """Write many events at once (a fan-out job); same rules as ``publish``."""
    events = list(events)
    if not events:
        return []
    created = Event.objects.bulk_create(events, batch_size=batch_size)
    wake_after_commit()
    return created


# Wake-ups ----------------------------------------------------------------------------


def redis_channel() -> str:
    return f"{settings.BRUG_REALTIME_CHANNEL}:wake"


def wake_after_commit(using: str = DEFAULT_DB_ALIAS) -> None:
    """Wake the pollers once the current transaction commits (once per transaction)."""
    connection = connections[using]
    if connection.in_atomic_block and any(
        func is _wake for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_wake, using=using, robust=True)


_redis_clients: dict[str, object] = {}


def _redis():
    url = settings.REDIS_URL
    client = _redis_clients.get(url)
    if client is None:
        import redis

        client = _redis_clients[url] = redis.Redis.from_url(
            url, socket_connect_timeout=0.5, socket_timeout=0.5
        )
    return client


def _wake() -> None:
    """Tell every poller that there are new rows (best effort: never raises)."""
    from brug.realtime import poller

    poller.wake_local()
    if getattr(settings, "REDIS_URL", ""):
        try:
            _redis().publish(redis_channel(), b"1")
        except Exception as exc:  # noqa: BLE001 - Redis down only slows delivery
            logger.warning("realtime wake-up through Redis failed: %s", exc)
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, '')", [PG_CHANNEL])
        except Exception as exc:  # noqa: BLE001
            logger.warning("realtime wake-up through NOTIFY failed: %s", exc)
