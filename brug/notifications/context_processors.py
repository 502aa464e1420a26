"""``unread_notifications`` for the navigation badge, counted only when a template uses it."""

from __future__ import annotations

from collections.abc import Callable
from functools import total_ordering


@total_ordering
class LazyCount:
    """A number computed on first use (``int()``, ``str()``, truth, comparisons)."""

    def __init__(self, compute: Callable[[], int]) -> None:
        self._compute = compute
        self._value: int | None = None

    @property
    def value(self) -> int:
        if self._value is None:
            self._value = int(self._compute())
        return self._value

    def __int__(self) -> int:
        return self.value

    __index__ = __int__

    def __bool__(self) -> bool:
        return self.value > 0

    def __str__(self) -> str:
        return str(self.value)

    def __eq__(self, other) -> bool:
        return self.value == int(other)

    def __lt__(self, other) -> bool:
        return self.value < int(other)

    def __hash__(self) -> int:
        return hash(self.value)


def unread_notifications(request):
    """Expose the viewer's unread count (one query, and only if the page shows it)."""
    viewer = getattr(request, "viewer", None)
    if viewer is None or not viewer.is_authenticated:
        return {"unread_notifications": 0}

    def count() -> int:
        from brug.notifications.queries import count_unread

        return count_unread(viewer=viewer)

    return {"unread_notifications": LazyCount(count)}
