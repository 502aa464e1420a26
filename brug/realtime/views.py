"""Server-Sent Events: ``/events/stream`` for Brug's pages, ``/api/v1/stream`` for clients.

Both are async views (serve them under uvicorn: WSGI and ``runserver`` buffer
streams). A request must accept ``text/event-stream`` (406 otherwise) and be
signed in (401): the web stream through the session, the API stream through
``Authorization: Bearer <token>`` or the session. ``Last-Event-ID`` (header,
or ``?last_event_id=`` for clients that cannot set headers) replays what the
client missed, as long as it is younger than ``BRUG_EVENT_RETENTION_HOURS``.
A comment line goes out every ``BRUG_SSE_HEARTBEAT_SECONDS`` so proxies keep
the connection open. The response is never compressed or buffered by Brug
(``X-Accel-Buffering: no`` asks nginx not to either).

No database connection is held while the stream waits: the few queries at
the start run in the request's thread, whose connections are closed before
the first byte is sent; the process's poller does the rest.
"""

from __future__ import annotations

import asyncio
import time

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from brug.realtime.poller import Hub, Listener, get_hub, replay

#: A stream is closed after this long (the client reconnects at once, with
#: Last-Event-ID): sign-outs and revoked tokens take effect, load rebalances.
MAX_STREAM_SECONDS = 30 * 60
RETRY_MILLISECONDS = 3000


def _close_connections() -> None:
    connections.close_all()


def _accepts_event_stream(request) -> bool:
    return "text/event-stream" in request.headers.get("Accept", "")


def _last_event_id(request) -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id") or ""
    raw = raw.strip()
    if not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)


def _token_user(header: str):
    from brug.people.tokens import verify_token

    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return verify_token(token.strip())


async def _user(request, *, allow_token: bool):
    """The signed-in person, ``None`` when nobody, ``False`` for a bad token."""
    header = request.headers.get("Authorization", "")
    if allow_token and header:
        user = await sync_to_async(_token_user)(header)
        if user is not False:
            return user or False
    user = await request.auser()
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user


def _error(status: int, message: str, *, api: bool) -> HttpResponse:
    if api:
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


async def _frames(hub: Hub, listener: Listener, missed: list[tuple[int, str]]):
    heartbeat = settings.BRUG_SSE_HEARTBEAT_SECONDS
    ends_at = time.monotonic() + MAX_STREAM_SECONDS
    last = 0
    try:
        # Whatever the middleware opened after the view returned: close it
        # before waiting (this runs in the request's thread).
        await sync_to_async(_close_connections)()
        yield f"retry: {RETRY_MILLISECONDS}\n: stream open\n\n"
        for event_id, frame in missed:
            last = event_id
            yield frame
        while not listener.closed and time.monotonic() < ends_at:
            try:
                event_id, frame = await asyncio.wait_for(listener.queue.get(), timeout=heartbeat)
            except TimeoutError:
                yield ": heartbeat\n\n"
                continue
            if event_id <= last:
                continue
            last = event_id
            yield frame
    finally:
        hub.unregister(listener)


async def _stream(request, *, api: bool):
    if request.method != "GET":
        return _error(405, _("Use GET."), api=api)
    if not _accepts_event_stream(request):
        return _error(406, _("This is an event stream: send Accept: text/event-stream."), api=api)
    user = await _user(request, allow_token=api)
    if user is False:
        return _error(401, _("The token is unknown, revoked or of an inactive account."), api=api)
    if user is None:
        await sync_to_async(_close_connections)()
        return _error(401, _("Sign in to receive events."), api=api)
    hub = get_hub()
    listener, upto = await hub.register(user.pk)
    try:
        after = _last_event_id(request)
        missed = []
        if after is not None and after < upto:
            missed = await sync_to_async(replay)(user.pk, after, upto)
        await sync_to_async(_close_connections)()
    except BaseException:
        hub.unregister(listener)
        raise
    response = StreamingHttpResponse(
        _frames(hub, listener, missed), content_type="text/event-stream; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"
    return response


async def stream(request):
    """The event stream of Brug's own pages (session)."""
    return await _stream(request, api=False)


async def api_stream(request):
    """``GET /api/v1/stream``: the same stream for API clients (token or session)."""
    return await _stream(request, api=True)
