"""Cursor pagination: ``?cursor=…&limit=…`` → ``{"items": [...], "next_cursor": ...}``.

Keyset pagination (``paginate_queryset``): the cursor holds the sort key of
the last item of the page, so page N costs the same as page 1 and items
written while someone pages through are neither skipped nor repeated.
Cursors are signed (``django.core.signing``): a client cannot forge one, and a
garbage or tampered cursor is a 400, never a 500.

Usage in a router::

    from brug.api.base import Page, paginate_queryset

    @router.get("/spaces/{space_id}/posts", response=Page[PostOut])
    def space_posts(request, space_id: int, cursor: str | None = None, limit: int = 25):
        qs = queries.posts_in_space(request.viewer, space_id)   # filtered, not sliced
        return paginate_queryset(qs, cursor=cursor, limit=limit)  # key ("-created_at", "-id")

The key fields must be non-null and the last one unique (``id``). Related
data is loaded by the query *after* slicing if needed: pass ``prefetch`` (a
callable receiving the list of the page's objects) to load it in a fixed
number of queries.

For lists that cannot be keyset-paginated (search results ranked by score)
``paginate_offset`` gives signed offset cursors with the same shape.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from ninja.errors import HttpError

DEFAULT_LIMIT = 25
MAX_CURSOR_LENGTH = 1000
_SALT = "brug.api.cursor"


class InvalidCursor(HttpError):
    def __init__(self) -> None:
        super().__init__(400, _("The cursor is invalid; start again without one."))


def clamp_limit(limit: Any) -> int:
    """Clamp a requested page size into 1..``BRUG_API_PAGE_LIMIT`` (default 25)."""
    maximum = getattr(settings, "BRUG_API_PAGE_LIMIT", 100)
    if limit is None or limit == "":
        return min(DEFAULT_LIMIT, maximum)
    try:
        value = int(limit)
    except (TypeError, ValueError, OverflowError):
        return min(DEFAULT_LIMIT, maximum)
    return max(1, min(value, maximum))


# Cursor values ---------------------------------------------------------------
def _dump(value: Any) -> list:
    if isinstance(value, datetime.datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["d", value.isoformat()]
    if isinstance(value, decimal.Decimal):
        return ["dec", str(value)]
    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        return ["v", value]
    return ["v", str(value)]


def _load(item: Any) -> Any:
    kind, raw = item
    if kind == "dt":
        return datetime.datetime.fromisoformat(raw)
    if kind == "d":
        return datetime.date.fromisoformat(raw)
    if kind == "dec":
        return decimal.Decimal(raw)
    if kind == "v":
        return raw
    raise ValueError(kind)


def encode_cursor(values: Sequence[Any], *, scope: str = "") -> str:
    """Sign ``values`` (datetimes, dates, numbers, strings) into an opaque cursor."""
    return signing.dumps({"s": scope, "v": [_dump(v) for v in values]}, salt=_SALT, compress=True)


def decode_cursor(cursor: str, *, scope: str = "") -> list[Any]:
    """Return the values of a cursor made by ``encode_cursor``; ``InvalidCursor`` (400) else."""
    if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR_LENGTH or not cursor.isascii():
        raise InvalidCursor
    try:
        data = signing.loads(cursor, salt=_SALT)
        if not isinstance(data, dict) or data.get("s") != scope:
            raise ValueError("scope")
        return [_load(item) for item in data["v"]]
    except Exception as exc:  # BadSignature, ValueError, TypeError, KeyError…
        raise InvalidCursor from exc


# Keyset pagination ------------------------------------------------------------
def _attr(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    if hasattr(obj, "pk") and not isinstance(obj, (int, str)):
        obj = obj.pk
    return obj


def _after(key: Sequence[str], values: Sequence[Any]) -> Q:
    """The rows strictly after ``values`` in the order ``key`` (lexicographic)."""
    condition = Q()
    equal = Q()
    for field, value in zip(key, values, strict=True):
        name = field.lstrip("-")
        lookup = "lt" if field.startswith("-") else "gt"
        condition |= equal & Q(**{f"{name}__{lookup}": value})
        equal &= Q(**{name: value})
    return condition


def paginate_queryset(
    qs: QuerySet,
    *,
    cursor: str | None,
    limit: Any = DEFAULT_LIMIT,
    key: Sequence[str] = ("-created_at", "-id"),
    prefetch: Callable[[list], Any] | None = None,
) -> dict:
    """Return ``{"items": [...], "next_cursor": ...}`` for one page of ``qs``.

    ``qs`` is ordered by ``key`` here (its own ordering is replaced). The
    cursor is tied to ``key``: a cursor of another list's order is a 400.
    Costs one query (plus whatever ``prefetch`` does).
    """
    size = clamp_limit(limit)
    key = tuple(key)
    scope = "k:" + ",".join(key)
    qs = qs.order_by(*key)
    if cursor:
        values = decode_cursor(cursor, scope=scope)
        if len(values) != len(key):
            raise InvalidCursor
        try:
            qs = qs.filter(_after(key, values))
        except (ValueError, TypeError) as exc:
            raise InvalidCursor from exc
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if prefetch is not None and rows:
        prefetch(rows)
    next_cursor = None
    if more and rows:
        next_cursor = encode_cursor([_attr(rows[-1], f.lstrip("-")) for f in key], scope=scope)
    return {"items": rows, "next_cursor": next_cursor}


# Offset pagination ------------------------------------------------------------
def paginate_offset(
    items: QuerySet | Sequence[Any] | Callable[[int, int], Sequence[Any]],
    *,
    cursor: str | None,
    limit: Any = DEFAULT_LIMIT,
    scope: str = "offset",
    max_offset: int = 10_000,
) -> dict:
    """Signed offset cursors for lists without a stable key (ranked search results).

    ``items`` is a sliceable sequence/queryset, or a callable ``fetch(offset, count)``.
    """
    size = clamp_limit(limit)
    offset = 0
    if cursor:
        values = decode_cursor(cursor, scope=f"o:{scope}")
        if len(values) != 1 or not isinstance(values[0], int) or not 0 <= values[0] <= max_offset:
            raise InvalidCursor
        offset = values[0]
    if callable(items) and not isinstance(items, (QuerySet, Sequence)):
        rows = list(items(offset, size + 1))
    else:
        rows = list(items[offset : offset + size + 1])
    more = len(rows) > size and offset + size <= max_offset
    rows = rows[:size]
    next_cursor = encode_cursor([offset + size], scope=f"o:{scope}") if more else None
    return {"items": rows, "next_cursor": next_cursor}
