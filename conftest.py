"""Shared fixtures: the people and spaces of the permission matrix.

``outsider`` is of the same organisation but not in the space (sees a private
space's name, reads nothing); ``stranger`` is of another organisation (sees
nothing); ``guest`` is an external person who sees only their own spaces.
"""

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    max_examples=40,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
hypothesis_settings.register_profile(
    "dev", deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """Give each test worker its own file database (SQLite) or suffixed database."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(settings.DATA_DIR / f"test-{_worker()}.sqlite3")
    else:
        # Named after the configured database, so two checkouts testing against
        # the same server (brug, brugci, …) never drop each other's databases.
        db.setdefault("TEST", {})["NAME"] = f"test_{db['NAME']}_{_worker()}"


@pytest.fixture(autouse=True, scope="session")
def _redis_database_per_worker():
    """Give each test worker its own Redis database number (base + worker index).

    A key prefix alone is not enough: ``cache.clear()`` on Redis is FLUSHDB,
    which would empty the other worker's cache in the middle of its test.
    """
    from urllib.parse import urlsplit, urlunsplit

    from django.conf import settings

    cache = settings.CACHES["default"]
    if "Redis" in cache["BACKEND"]:
        parts = urlsplit(cache["LOCATION"])
        base = int(parts.path.strip("/") or 0)
        worker = _worker().removeprefix("gw")
        index = int(worker) if worker.isdigit() else 0
        cache["LOCATION"] = urlunsplit(parts._replace(path=f"/{base + index}"))
        # The shared Redis of a busy CI machine may answer later than production's
        # 0.5 s; the cache would then fail open for a few seconds and a rate-limit
        # test would see nobody limited (seen once in CI). Fault tests build their
        # own cache entries with short timeouts.
        cache["OPTIONS"] = {**cache.get("OPTIONS", {}), "socket_timeout": 5}


@pytest.fixture(autouse=True)
def _isolated_cache(settings, _redis_database_per_worker):
    """Give each test worker its own cache key prefix and start with an empty cache."""
    from django.core.cache import cache

    from brug.analytics.recording import discard_pending_views

    discard_pending_views()  # views buffered by an earlier test name rows now gone
    settings.CACHES["default"]["KEY_PREFIX"] = f"brug-test-{_worker()}"
    cache.clear()
    yield


@pytest.fixture(autouse=True, scope="session")
def _static_without_manifest(django_test_environment):
    """Let templates use ``{% static %}`` without a collected manifest.

    Production serves hashed, collected files; unit tests have none. The live
    servers of ``tests/server.py`` do collect them, so a missing file still
    fails a test there.
    """
    from django.conf import settings
    from django.test import override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Run tests in English unless a test asks for Dutch.

    Brug's default language is Dutch; tests assert English messages and set
    ``settings.LANGUAGE_CODE = "nl"`` (or start a server with
    ``BRUG_LANGUAGE=nl``) where Dutch is the point.
    """
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Hash passwords with a fast hasher in tests (argon2 is slow by design).

    Not where a real server runs in another process (browser journeys, SSE
    tests): that server has the real hashers and must check the passwords.
    """
    real_server = request.node.get_closest_marker("browser") is not None or any(
        name in request.fixturenames for name in ("start_uvicorn", "live_server_url")
    )
    if not real_server:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


from tests.browser import *  # noqa: E402, F403
from tests.fixtures import *  # noqa: E402, F403
from tests.server import *  # noqa: E402, F403
