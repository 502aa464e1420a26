"""Cache backends that fail open.

Django's RedisCache raises when Redis is down; Brug must keep serving reads
and writes, only slower. Every cache call that fails is logged and answered as
a miss (reads) or ignored (writes).
"""

import functools
import logging

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("brug.cache")

_READS = {"get": None, "get_many": {}, "has_key": False, "incr": None, "decr": None}
_WRITES = {
    "set": False,
    "add": False,
    "set_many": [],
    "delete": False,
    "delete_many": None,
    "touch": False,
    "clear": None,
    "get_or_set": None,
}


def _fail_open(method, fallback):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - any broker failure is a miss
            logger.warning("cache %s failed open: %s", method.__name__, exc)
            if method.__name__ == "get_or_set":
                default = args[1] if len(args) > 1 else kwargs.get("default")
                return default() if callable(default) else default
            if method.__name__ == "get" and len(args) > 1:
                return args[1]
            if method.__name__ in {"incr", "decr"}:
                raise ValueError("cache unavailable") from exc
            return fallback

    return wrapper


def _wrap(cls):
    for name, fallback in {**_READS, **_WRITES}.items():
        setattr(cls, name, _fail_open(getattr(cls.__mro__[1], name), fallback))
    return cls


@_wrap
class FailOpenRedisCache(RedisCache):
    """Redis cache that answers a miss instead of raising when Redis is down."""


@_wrap
class FailOpenLocMemCache(LocMemCache):
    """Local-memory cache with the same fail-open contract (the default)."""
