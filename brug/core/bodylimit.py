"""An ASGI wrapper that refuses request bodies over ``BRUG_MAX_REQUEST_BYTES``.

``RequestSizeMiddleware`` (Django middleware) refuses a body by its declared
``Content-Length``. A body sent with ``Transfer-Encoding: chunked`` declares no
length, and Django's ``ASGIHandler`` reads the whole body (spooling to disk)
*before* any middleware runs, so without this wrapper a client could fill the
disk. This wrapper counts the bytes as they arrive and, past the limit, stops
reading (Django sees a client disconnect) and answers 413 itself.

Under WSGI, Django reads at most ``Content-Length`` bytes and treats a body
without one as empty, so a chunked body is never read there.
"""

from __future__ import annotations

import json

from django.conf import settings


class BodySizeLimit:
    def __init__(self, app, limit: int | None = None) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit if self.limit is not None else settings.BRUG_MAX_REQUEST_BYTES
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    continue
                if declared > limit:
                    return await self._refuse(send)

        received = 0
        exceeded = False
        started = False

        async def limited_receive():
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, tracking_send)
        if exceeded and not started:
            await self._refuse(send)

    @staticmethod
    async def _refuse(send) -> None:
        from django.utils.translation import gettext

        body = json.dumps({"detail": gettext("The request is too large.")}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
