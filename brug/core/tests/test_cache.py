"""The cache fails open: Redis down empties the cache, it never breaks a request."""

import logging
import os
import shutil
import subprocess
import time

import pytest
import redis

from brug.core.cache import FailOpenLocMemCache, FailOpenRedisCache
from brug.core.tests.helpers import free_port, wait_for

if shutil.which("redis-server") is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true and redis-server is not installed")
    pytestmark = pytest.mark.skip(reason="redis-server is not installed (apt-get install redis)")


class OwnRedis:
    """A redis-server of this test alone (never the shared one on 6379)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        wait_for(lambda: _pings(client), timeout=20, what="redis-server to answer")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.RedisError:
        return False


@pytest.fixture
def own_redis():
    server = OwnRedis(free_port())
    server.start()
    yield server
    server.stop()


def _cache(port: int, retry_after: float = 5) -> FailOpenRedisCache:
    return FailOpenRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {
            "KEY_PREFIX": "failopen-test",
            "RETRY_AFTER": retry_after,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    )


def test_redis_cache_works_while_redis_runs(own_redis):
    cache = _cache(own_redis.port)
    cache.set("colour", "blue")
    assert cache.get("colour") == "blue"
    assert cache.get_or_set("size", lambda: 3) == 3
    assert cache.get_or_set("size", lambda: 4) == 3
    cache.delete("colour")
    assert cache.get("colour") is None


def test_redis_cache_fails_open_when_redis_stops(own_redis, caplog):
    cache = _cache(own_redis.port)
    cache.set("colour", "blue")
    own_redis.stop()

    with caplog.at_level(logging.WARNING, logger="brug.cache"):
        assert cache.get("colour") is None
        assert cache.get("colour", "grey") == "grey"
        assert cache.get("colour", default="grey") == "grey"
        assert cache.set("colour", "red") is False
        assert cache.add("colour", "red") is False
        assert cache.delete("colour") is False
        assert cache.get_or_set("size", lambda: 3) == 3
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.has_key("colour") is False
        assert cache.touch("colour") is False
        cache.delete_many(["a", "b"])
        cache.clear()
        with pytest.raises(ValueError):
            cache.incr("counter")
    assert caplog.text.count("unreachable, failing open") == 1


def test_redis_cache_does_not_wait_on_a_dead_redis_for_every_call(own_redis, monkeypatch):
    cache = _cache(own_redis.port, retry_after=60)
    calls = []
    original = redis.Redis.execute_command

    def spy(self, *args, **kwargs):
        calls.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", spy)
    own_redis.stop()
    assert cache.get("first") is None  # tries, finds Redis down
    assert calls == ["GET"]
    for n in range(20):
        assert cache.get(f"key-{n}") is None
    assert calls == ["GET"]  # the other twenty did not try


def test_redis_cache_recovers_when_redis_comes_back(own_redis):
    cache = _cache(own_redis.port, retry_after=0.2)
    own_redis.stop()
    assert cache.set("colour", "blue") is False
    own_redis.start()
    time.sleep(0.3)  # let the retry pause pass (not a timing assertion)
    wait_for(lambda: cache.set("colour", "blue") is not False, timeout=10, what="recovery")
    assert cache.get("colour") == "blue"


def test_a_programming_error_is_not_swallowed(own_redis):
    cache = _cache(own_redis.port)
    with pytest.raises(Exception):  # noqa: B017 - pickle's error type varies
        cache.set("lock", __import__("threading").Lock())


def test_local_memory_cache_has_the_same_interface():
    cache = FailOpenLocMemCache("failopen-locmem", {})
    cache.set("colour", "blue")
    assert cache.get("colour") == "blue"
    assert cache.get_or_set("size", lambda: 3) == 3
    assert cache.get("missing", default="grey") == "grey"
