"""Helpers for tests that start real ``brug`` processes against the test database."""

from __future__ import annotations

import os
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.db import connection

BRUG = str(Path(sys.executable).with_name("brug"))


def database_url() -> str:
    """Return a ``BRUG_DATABASE_URL`` naming the database the tests are using."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = db["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def subprocess_env(**extra: str) -> dict[str, str]:
    """Return the environment for a ``brug`` subprocess using the test database."""
    env = dict(os.environ)
    env.pop("PYTEST_XDIST_WORKER", None)
    env["BRUG_DATABASE_URL"] = database_url()
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def wait_for(condition: Callable[[], object], *, timeout: float = 60, what: str = "") -> object:
    """Poll ``condition`` until it is truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what or condition}")
        time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
