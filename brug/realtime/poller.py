"""One poller per server process: reads new event rows and fans them out to its connections.

The poller is an asyncio task on the server's event loop, started by the
first SSE connection. Every ``BRUG_REALTIME_POLL_SECONDS`` (or at once, when
woken by a commit in this process, a Redis message or a PostgreSQL
``NOTIFY``) it reads the rows written since the last one it saw, asks
``brug.permissions.events.deliverable_events`` — one query for all events
and all connected people — who may receive each, and puts the encoded
frames on the listeners' queues. It does nothing while nobody is connected.

Database work runs on one dedicated thread, and the connection is handed
back after every poll (``close_old_connections``): an SSE connection holds
no database connection while it waits, and neither does the idle poller.

On PostgreSQL, transactions may commit out of id order, so an id that is
skipped is remembered as a gap and looked for again for ``GAP_SECONDS``
(a rolled-back transaction leaves a gap that never fills). On SQLite
writers are serialised (``BEGIN IMMEDIATE``), so ids commit in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Max, Q

from brug.permissions.events import deliverable_events
from brug.realtime.models import Event

logger = logging.getLogger("brug.realtime")

QUEUE_SIZE = 1000
BATCH_SIZE = 2000
REPLAY_LIMIT = 1000
GAP_SECONDS = 30.0


def encode(event: Event) -> str:
    """One SSE frame: ``id``, ``event`` (the kind) and the JSON payload as ``data``."""
    data = json.dumps(event.payload or {}, separators=(",", ":"), ensure_ascii=False)
    return f"id: {event.id}\nevent: {event.kind}\ndata: {data}\n\n"


@dataclass(eq=False)
class Listener:
    """One open SSE connection."""

    user_id: int
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(maxsize=QUEUE_SIZE))
    closed: bool = False

    def offer(self, item: tuple[int, str]) -> None:
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            # A client too slow to read: end its stream; it reconnects with
            # Last-Event-ID and replays from the table.
            self.closed = True


# Database work (runs on the poller's thread) ------------------------------------------


def _db(function, *args):
    try:
        return function(*args)
    finally:
        close_old_connections()


def max_event_id() -> int:
    return Event.objects.aggregate(m=Max("id"))["m"] or 0


def _tracks_gaps() -> bool:
    return connection.vendor != "sqlite"


def fetch(last_id: int, gaps: list[int], people: list[int]) -> tuple[list[int], dict]:
    """Read the rows after ``last_id`` (and the gaps) for these people.

    Return the ids seen (all rows, for gap tracking) and, per person, the
    events they may receive.
    """
    people_set = set(people)
    window = Q(id__gt=last_id)
    if gaps:
        window |= Q(id__in=gaps)
    if _tracks_gaps():
        heads = list(
            Event.objects.filter(window)
            .order_by("id")
            .values_list("id", "recipient_id")[:BATCH_SIZE]
        )
        seen = [pk for pk, _recipient in heads]
        wanted = [pk for pk, recipient in heads if recipient is None or recipient in people_set]
        events = list(Event.objects.filter(id__in=wanted).order_by("id")) if wanted else []
    else:
        # Writers are serialised: every row up to ``newest`` has committed.
        newest = Event.objects.filter(id__gt=last_id).aggregate(m=Max("id"))["m"]
        if not newest:
            return [], {}
        events = list(
            Event.objects.filter(id__gt=last_id, id__lte=newest)
            .filter(Q(recipient__isnull=True) | Q(recipient_id__in=people))
            .order_by("id")[:BATCH_SIZE]
        )
        if len(events) == BATCH_SIZE:
            newest = events[-1].id
        seen = [newest]
    return seen, deliverable_events(events, people)


def replay(user_id: int, after: int, upto: int) -> list[tuple[int, str]]:
    """The frames a reconnecting person missed: ids in (after, upto], at most ``REPLAY_LIMIT``."""
    events = list(
        Event.objects.filter(id__gt=after, id__lte=upto)
        .filter(Q(recipient__isnull=True) | Q(recipient_id=user_id))
        .order_by("id")[:REPLAY_LIMIT]
    )
    allowed = deliverable_events(events, [user_id]).get(user_id, [])
    return [(e.id, encode(e)) for e in allowed]


# The hub ---------------------------------------------------------------------------------


class Hub:
    """The per-process poller and its listeners (lives on one event loop)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.listeners: dict[int, set[Listener]] = defaultdict(set)
        self.last_id: int | None = None
        self.gaps: dict[int, float] = {}
        self.wake = asyncio.Event()
        self.lock = asyncio.Lock()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="brug-realtime")
        self.polls = 0
        self.task = loop.create_task(self._run(), name="brug-realtime-poller")
        self.wakers = [loop.create_task(coro, name=name) for name, coro in self._waker_coroutines()]

    async def db(self, function, *args):
        return await self.loop.run_in_executor(self.executor, partial(_db, function, *args))

    # Listeners ---------------------------------------------------------------------------

    async def register(self, user_id: int) -> tuple[Listener, int]:
        """Add a listener; return it and the id up to which replays must come from the table."""
        async with self.lock:
            if self.last_id is None:
                self.last_id = await self.db(max_event_id)
                self.gaps.clear()
            listener = Listener(user_id=user_id)
            self.listeners[user_id].add(listener)
            return listener, self.last_id

    def unregister(self, listener: Listener) -> None:
        listener.closed = True
        group = self.listeners.get(listener.user_id)
        if group is not None:
            group.discard(listener)
            if not group:
                del self.listeners[listener.user_id]

    @property
    def connection_count(self) -> int:
        return sum(len(group) for group in self.listeners.values())

    # Polling -----------------------------------------------------------------------------

    async def _run(self) -> None:
        interval = settings.BRUG_REALTIME_POLL_SECONDS
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=interval)
            self.wake.clear()
            if not self.listeners:
                # Nobody to tell: no queries. The next listener starts at the newest row.
                self.last_id = None
                continue
            try:
                async with self.lock:
                    await self._poll()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("realtime poll failed; trying again")
                await asyncio.sleep(min(interval * 2, 5.0))

    async def _poll(self) -> None:
        if self.last_id is None:
            self.last_id = await self.db(max_event_id)
            return
        now = time.monotonic()
        self.gaps = {pk: t for pk, t in self.gaps.items() if now - t < GAP_SECONDS}
        people = list(self.listeners)
        seen, deliver = await self.db(fetch, self.last_id, sorted(self.gaps), people)
        self.polls += 1
        self._advance(seen, now)
        frames: dict[int, str] = {}
        for user_id, events in deliver.items():
            group = self.listeners.get(user_id)
            if not group:
                continue
            for event in events:
                frame = frames.get(event.id)
                if frame is None:
                    frame = frames[event.id] = encode(event)
                for listener in list(group):
                    listener.offer((event.id, frame))

    def _advance(self, seen: list[int], now: float) -> None:
        if not seen:
            return
        for pk in seen:
            self.gaps.pop(pk, None)
        newest = max(seen)
        if newest > self.last_id and _tracks_gaps():
            known = set(seen)
            for pk in range(self.last_id + 1, newest):
                if pk not in known:
                    self.gaps[pk] = now
        self.last_id = max(self.last_id, newest)

    # Early wake-ups ------------------------------------------------------------------------

    def _waker_coroutines(self):
        if getattr(settings, "REDIS_URL", ""):
            yield "brug-realtime-redis", self._redis_waker()
        if connection.vendor == "postgresql":
            yield "brug-realtime-notify", self._postgres_waker()

    async def _redis_waker(self) -> None:
        import redis.asyncio as aioredis

        from brug.realtime.events import redis_channel

        while True:
            client = None
            try:
                client = aioredis.from_url(settings.REDIS_URL, socket_connect_timeout=2)
                pubsub = client.pubsub()
                await pubsub.subscribe(redis_channel())
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self.wake.set()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - Redis down: poll on the timer
                logger.warning("realtime: Redis wake-ups unavailable (%s); polling", exc)
                await asyncio.sleep(5)
            finally:
                if client is not None:
                    with contextlib.suppress(Exception):
                        await client.aclose()

    async def _postgres_waker(self) -> None:
        import psycopg

        from brug.realtime.events import PG_CHANNEL

        db = settings.DATABASES["default"]
        params = {
            "dbname": db.get("NAME"),
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "autocommit": True,
        }
        params = {k: v for k, v in params.items() if v is not None}
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(**params)
                async with conn:
                    await conn.execute(f"LISTEN {PG_CHANNEL}")
                    async for _notice in conn.notifies():
                        self.wake.set()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                logger.warning("realtime: NOTIFY wake-ups unavailable (%s); polling", exc)
                await asyncio.sleep(5)


_hub: Hub | None = None
_hub_guard = threading.Lock()


def get_hub() -> Hub:
    """The hub of this process, on the running event loop (started on first use)."""
    global _hub
    loop = asyncio.get_running_loop()
    with _hub_guard:
        if _hub is None or _hub.loop is not loop or _hub.loop.is_closed():
            _hub = Hub(loop)
        return _hub


def wake_local() -> None:
    """Wake this process's poller (thread-safe; a no-op when there is none)."""
    hub = _hub
    if hub is None or hub.loop.is_closed():
        return
    with contextlib.suppress(RuntimeError):
        hub.loop.call_soon_threadsafe(hub.wake.set)
