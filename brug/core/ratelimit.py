"""A fixed-window rate limiter on the cache (SECURITY.md promise 7).

``hit(scope="post", key=person.pk)`` counts one attempt in the current window
and raises ``RateLimited(retry_after=...)`` once the limit for ``scope`` is
passed. Limits come from ``settings.BRUG_RATE_LIMITS`` (``{"post": "30/600"}``:
30 per 600 seconds), read at call time so tests can override them.

The cache is shared by every process (Redis at scale; local memory on one
machine, where there is one process). It fails open: with the cache down
nobody is limited, which is better than nobody being able to post.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache

from brug.core.exceptions import RateLimited

# Used when ``BRUG_RATE_LIMITS`` does not name a scope.
DEFAULT_LIMITS: dict[str, str] = {
    "post": "30/600",
    "comment": "60/600",
    "reaction": "300/600",
    "upload": "60/600",
    "follow": "100/600",
}


def parse_rate(rate: str | tuple[int, int]) -> tuple[int, int]:
    """Turn ``"30/600"`` (or ``(30, 600)``) into ``(limit, window_seconds)``."""
    if isinstance(rate, tuple):
        return int(rate[0]), int(rate[1])
    limit, _, window = str(rate).partition("/")
    return int(limit), int(window or 60)


def limit_for(scope: str) -> tuple[int, int] | None:
    """Return ``(limit, window)`` for a scope, or None when it is not limited."""
    configured = getattr(settings, "BRUG_RATE_LIMITS", None) or {}
    rate = configured.get(scope, DEFAULT_LIMITS.get(scope))
    if not rate:
        return None
    return parse_rate(rate)


def hit(*, scope: str, key: str | int, now: float | None = None) -> int:
    """Count one attempt for ``key`` in ``scope``; raise ``RateLimited`` past the limit.

    Returns the number of attempts in the current window (0 when unlimited or
    when the cache is unavailable).
    """
    rate = limit_for(scope)
    if rate is None:
        return 0
    limit, window = rate
    now = time.time() if now is None else now
    bucket = int(now // window)
    cache_key = f"ratelimit:{scope}:{key}:{bucket}"
    # ``add`` only sets a missing key, so the first attempt opens the window
    # and concurrent ones all count through ``incr`` (atomic in Redis).
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The key expired between add and incr, or the cache is down: fail open.
        return 0
    if count > limit:
        retry_after = math.ceil((bucket + 1) * window - now)
        raise RateLimited(retry_after=max(1, retry_after))
    return count
