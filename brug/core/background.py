"""A small background thread in every web process that flushes the view buffer.

Views (``brug.analytics.recording.record_view``) are counted in the memory of
the web process that served the page, so only that process can write them:
a job in the worker process would find its own, empty, buffer. Each web
process therefore runs one daemon thread that calls ``flush_views`` every
``BRUG_VIEW_FLUSH_SECONDS``.

Why a thread and not a flush in request middleware: a process that stops
getting requests would keep its last views forever (until it dies), and the
request that happens to flush would pay for everyone's batch. The thread is
started when ``brug.asgi`` / ``brug.wsgi`` is imported, which every server
(``brug run``'s uvicorn workers, gunicorn, a plain ``uvicorn brug.asgi:…``)
does in each worker process after forking or spawning; the pid check makes a
forked child start its own. A process that is killed loses at most the last
few seconds of views (they are statistics; DESIGN.md accepts that), and one
that exits normally flushes at exit.

Test processes do not start it (a second connection writing behind a test's
back makes tests flaky); tests call ``flush_views()`` themselves.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
import threading

from django.conf import settings
from django.db import connection

logger = logging.getLogger("brug.background")

_lock = threading.Lock()
_state: dict[str, object] = {"pid": None, "stop": None, "thread": None}


def flush_once() -> int:
    """Flush the view buffer of this process; never raise (log instead)."""
    try:
        from brug.analytics.recording import flush_views

        return flush_views()
    except Exception:
        logger.exception("flushing the view buffer failed; the views are kept for the next try")
        return 0
    finally:
        connection.close()


def _loop(stop: threading.Event, seconds: float) -> None:
    while not stop.wait(seconds):
        flush_once()


def start_view_flusher(*, every: float | None = None, force: bool = False) -> bool:
    """Start this process's flusher thread unless it runs; return whether it started."""
    seconds = float(every if every is not None else settings.BRUG_VIEW_FLUSH_SECONDS)
    if seconds <= 0:
        return False
    if not force and "pytest" in sys.modules:
        return False
    with _lock:
        if _state["pid"] == os.getpid():
            return False
        stop = threading.Event()
        thread = threading.Thread(
            target=_loop, args=(stop, seconds), name="brug-view-flusher", daemon=True
        )
        _state.update(pid=os.getpid(), stop=stop, thread=thread)
    thread.start()
    atexit.register(_at_exit, os.getpid())
    return True


def stop_view_flusher() -> None:
    """Stop this process's flusher thread (tests; a clean shutdown flushes at exit)."""
    with _lock:
        stop, thread = _state["stop"], _state["thread"]
        _state.update(pid=None, stop=None, thread=None)
    if stop is not None:
        stop.set()
        thread.join(timeout=10)


def _at_exit(pid: int) -> None:
    if os.getpid() == pid and _state["pid"] == pid:
        flush_once()
