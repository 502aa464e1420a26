"""Cache backends that fail open.

Django's RedisCache raises when Redis is down; Brug must keep serving reads
and writes, only slower. Every cache call that fails because the broker is
unreachable is answered as a miss (reads) or ignored (writes), and logged
once per outage. After a failure the backend does not try Redis again for
``RETRY_AFTER`` seconds (default 5; a top-level key of the ``CACHES`` entry),
so a page with twenty cache calls does not wait twenty connect timeouts.

Only broker errors are swallowed: a programming error (an unpicklable value)
still raises, in production as in the tests. The local-memory backend cannot
be "down"; it carries the same class shape so that settings can swap them.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("brug.cache")

_MISS = object()
# Answers while the broker is down, per method (``_MISS``: computed below).
_FALLBACKS = {
    "get": _MISS,
    "get_many": {},
    "has_key": False,
    "incr": _MISS,
    "decr": _MISS,
    "set": False,
    "add": False,
    "set_many": _MISS,
    "delete": False,
    "delete_many": None,
    "touch": False,
    "clear": None,
}

_outages: dict[str, float] = {}  # location -> monotonic time to try again
_outages_lock = threading.Lock()


def _answer_while_down(name: str, args: tuple, kwargs: dict):
    if name == "get":
        return args[1] if len(args) > 1 else kwargs.get("default")
    if name in {"incr", "decr"}:
        # What Django raises for a missing key: callers already handle it.
        raise ValueError("cache unavailable")
    if name == "set_many":
        data = args[0] if args else kwargs.get("data", {})
        return list(data)  # every key failed
    return _FALLBACKS[name]


def _fail_open(name: str, method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if not self.broker_errors:
            return method(self, *args, **kwargs)
        location = self._fail_open_location
        if _outages.get(location, 0.0) > time.monotonic():
            return _answer_while_down(name, args, kwargs)
        try:
            result = method(self, *args, **kwargs)
        except self.broker_errors as exc:
            with _outages_lock:
                first = location not in _outages
                _outages[location] = time.monotonic() + self.retry_after
            if first:
                logger.warning("cache %s unreachable, failing open: %s", location, exc)
            return _answer_while_down(name, args, kwargs)
        if location in _outages:
            with _outages_lock:
                if _outages.pop(location, None) is not None:
                    logger.warning("cache %s reachable again", location)
        return result

    return wrapper


class FailOpenMixin:
    """Answer a miss instead of raising while the cache's broker is unreachable."""

    broker_errors: tuple[type[BaseException], ...] = ()

    def __init__(self, location, params):
        self.retry_after = float(params.get("RETRY_AFTER", 5))
        self._fail_open_location = str(location)
        super().__init__(location, params)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in _FALLBACKS:
            setattr(cls, name, _fail_open(name, getattr(super(), name)))


def _redis_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - the redis extra is not installed
        return (ConnectionError, TimeoutError)
    return (RedisError, ConnectionError, TimeoutError)


class FailOpenRedisCache(FailOpenMixin, RedisCache):
    """Redis cache that answers a miss instead of raising when Redis is down."""

    broker_errors = _redis_errors()


class FailOpenLocMemCache(FailOpenMixin, LocMemCache):
    """The default local-memory cache (it cannot be down: nothing is swallowed)."""
