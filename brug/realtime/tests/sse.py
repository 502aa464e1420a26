"""A small streaming SSE client for tests: reads a live response line by line as it arrives.

It uses ``http.client`` on a raw socket, so nothing buffers the response: a
frame is seen when the server has sent it, not when the response ends (it
never ends).
"""

from __future__ import annotations

import http.client
import json
import queue
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Frame:
    id: int | None = None
    event: str = "message"
    data: str = ""
    comments: list[str] = field(default_factory=list)
    retry: int | None = None

    @property
    def json(self) -> dict:
        return json.loads(self.data or "{}")


class SSEClient:
    """Open ``path`` on ``base_url`` as an event stream; frames arrive on a queue."""

    def __init__(self, base_url: str, path: str, *, headers: dict | None = None) -> None:
        parts = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.connection.request(
            "GET", path, headers={"Accept": "text/event-stream", **(headers or {})}
        )
        self.response = self.connection.getresponse()
        self.status = self.response.status
        self.headers = dict(self.response.getheaders())
        self.frames: queue.Queue[Frame] = queue.Queue()
        self.closed = threading.Event()
        if self.status == 200:
            self.thread = threading.Thread(target=self._read, daemon=True)
            self.thread.start()

    def _read(self) -> None:
        frame = Frame()
        data: list[str] = []
        try:
            while True:
                raw = self.response.readline()
                if not raw:
                    break
                line = raw.decode("utf-8").rstrip("\r\n")
                if line == "":
                    if data or frame.comments or frame.retry is not None or frame.id is not None:
                        frame.data = "\n".join(data)
                        self.frames.put(frame)
                    frame, data = Frame(), []
                elif line.startswith(":"):
                    frame.comments.append(line[1:].strip())
                else:
                    name, _sep, value = line.partition(":")
                    value = value[1:] if value.startswith(" ") else value
                    if name == "id":
                        frame.id = int(value)
                    elif name == "event":
                        frame.event = value
                    elif name == "data":
                        data.append(value)
                    elif name == "retry":
                        frame.retry = int(value)
        except (OSError, ValueError, AttributeError, http.client.HTTPException):
            pass
        finally:
            self.closed.set()

    def next(self, *, timeout: float = 30.0) -> Frame:
        """The next frame (comments and retry-only frames included)."""
        try:
            return self.frames.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no frame within {timeout:.0f}s") from None

    def next_event(self, kind: str | None = None, *, timeout: float = 30.0) -> Frame:
        """The next real event (of ``kind``, when given), skipping comments and others."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {kind or 'event'} within {timeout:.0f}s")
            frame = self.next(timeout=left)
            if frame.id is None:
                continue
            if kind is None or frame.event == kind:
                return frame

    def close(self) -> None:
        try:
            self.response.close()
        finally:
            self.connection.close()
