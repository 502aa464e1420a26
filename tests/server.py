"""Real servers for tests: uvicorn in a subprocess on the test's own database.

``live_server_url`` starts ``uvicorn brug.asgi:application`` (debug off,
static files collected once per test worker and served by whitenoise) and
answers its base URL; ``start_uvicorn(workers=..., env=...)`` starts more
(two servers for realtime fan-out tests). Both need ``transactional_db``
(requested here), because the server is another process: it sees only what
the test has committed. On SQLite each test worker has its own database file
(root ``conftest.py``), which the server opens by name; on PostgreSQL the
server connects to the test database.

Every server runs in its own process group and is stopped at teardown.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
READY_TIMEOUT = 60.0

__all__ = ["Server", "live_server_url", "start_uvicorn", "collected_static_root"]


@dataclass
class Server:
    """A running uvicorn: its base URL, process and log file."""

    url: str
    port: int
    process: subprocess.Popen
    log_path: Path
    env: dict = field(repr=False, default_factory=dict)

    def log(self) -> str:
        """Return what the server printed so far (for assertion messages)."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the whole process group: SIGTERM, then SIGKILL after 10 s."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    """Return a ``BRUG_DATABASE_URL`` naming the database this test runs on."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        if not name or str(name).startswith(":memory:") or "mode=memory" in str(name):
            raise RuntimeError(
                "A live server needs a file test database; the root conftest gives one."
            )
        return f"sqlite:///{Path(name).resolve()}"
    base = os.environ.get("BRUG_DATABASE_URL", "")
    if not base:
        raise RuntimeError("PostgreSQL tests need BRUG_DATABASE_URL for the live server.")
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _redis_url() -> str:
    """Return the Redis URL this test worker's cache uses (its own database), if any."""
    from django.conf import settings

    cache = settings.CACHES["default"]
    return cache["LOCATION"] if "Redis" in cache["BACKEND"] else ""


@pytest.fixture(scope="session")
def collected_static_root(tmp_path_factory) -> Path:
    """Collect static files once per test worker, as a real installation does.

    Serving the collected, hashed files (not the finders) means a template
    that names a missing static file fails here as it would in production.
    """
    root = tmp_path_factory.mktemp("static")
    env = {
        **os.environ,
        "BRUG_STATIC_ROOT": str(root),
        "DJANGO_SETTINGS_MODULE": "brug.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--no-input", "-v", "0"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"collectstatic failed:\n{result.stdout}\n{result.stderr}")
    return root


@pytest.fixture
def start_uvicorn(transactional_db, collected_static_root, tmp_path):
    """Return ``start(workers=1, env=None) -> Server``; every server stops at teardown.

    ``env`` adds or overrides environment variables of that server only.
    The test database is flushed after each test; the flush re-runs the
    post-migrate hook that recreates the default organisation and its spaces.
    """
    servers: list[Server] = []
    database_url = _database_url()

    def start(*, workers: int = 1, env: dict | None = None) -> Server:
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log_path = tmp_path / f"uvicorn-{port}.log"
        server_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "brug.settings",
            "BRUG_DATABASE_URL": database_url,
            "BRUG_STATIC_ROOT": str(collected_static_root),
            "BRUG_DEBUG": "0",
            "BRUG_PUBLIC_URL": url,
            "BRUG_CACHE_PREFIX": f"brug-test-{_worker()}",  # as the root conftest
            "BRUG_EMAIL_URL": "locmem",
            # English like the in-process tests (see the root conftest);
            # a test about Dutch passes env={"BRUG_LANGUAGE": "nl"}.
            "BRUG_LANGUAGE": "en",
            "PYTHONUNBUFFERED": "1",
        }
        server_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        redis_url = _redis_url()
        if redis_url:
            server_env["BRUG_REDIS_URL"] = redis_url  # the same Redis database as the test
        server_env.update(env or {})
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "brug.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--lifespan",
            "off",
            "--no-access-log",
        ]
        log = log_path.open("wb")
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
        )
        log.close()
        server = Server(url=url, port=port, process=process, log_path=log_path, env=server_env)
        servers.append(server)
        _wait_until_ready(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def live_server_url(start_uvicorn) -> str:
    """Base URL (``http://127.0.0.1:PORT``, no trailing slash) of a real uvicorn."""
    return start_uvicorn().url


def _wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    last_error = ""
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {server.process.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
            last_error = str(exc)
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(
        f"uvicorn was not ready in {READY_TIMEOUT:.0f}s ({last_error}):\n{server.log()}"
    )
