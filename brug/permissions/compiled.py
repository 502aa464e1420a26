"""Permission-filtered SQL, compiled once per viewer key instead of once per request.

Building a permission condition and letting Django compile it often costs
more Python than the database spends answering it: the notification badge
on every page took ~8 ms to compile and 0.02 ms to run; a rare word's
search condition ~5 ms against ~1 ms. The conditions of this package read
only what ``Viewer.permission_key()`` holds (the person, role, organisation
and memberships; everything else, such as a space's visibility, sharing or
other people's memberships, is read live inside the SQL). So their SQL is a
pure function of that key: it is compiled once per key, database and use,
from ``Viewer.from_key(key)`` (a viewer that knows nothing beyond the key,
so a rule that reads anything else fails loudly instead of being cached
wrongly), and kept in a bounded cache shared by the process's threads.

Joining or leaving a space, or a change of role or organisation, changes
the key: the next request compiles anew.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import Q, QuerySet

from brug.permissions.viewer import Viewer

CACHE_SIZE = 4096

_cache: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()


_MISSING = object()


def _cached(key: tuple, compile_: Callable[[], Any]) -> Any:
    with _lock:
        found = _cache.get(key, _MISSING)
        if found is not _MISSING:
            _cache.move_to_end(key)
            return found
    found = compile_()  # outside the lock: two threads may both compile, with the same result
    with _lock:
        _cache[key] = found
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def clear() -> None:
    """Forget every compiled statement (tests; nothing else needs to)."""
    with _lock:
        _cache.clear()


def compiled_query(
    name: str, viewer: Viewer, build: Callable[[Viewer], QuerySet], *, using: str = "default"
) -> tuple[str, tuple] | None:
    """The SQL and parameters of ``build(viewer)``, compiled once per ``name`` and key.

    ``None`` when the query can match nothing (Django compiles no SQL for
    that, e.g. ``pk__in=[]``). ``build`` must depend on nothing but its
    viewer (and constants).
    """
    key = (name, using, connections[using].vendor, viewer.permission_key())

    def compile_() -> tuple[str, tuple] | None:
        try:
            sql, params = build(Viewer.from_key(key[3])).query.sql_with_params()
        except EmptyResultSet:
            return None
        sql, params = _inline_integers(sql, params, connections[using].vendor)
        return sql, tuple(params)

    return _cached(key, compile_)


def compiled_where(
    name: str,
    viewer: Viewer,
    model: Any,
    build: Callable[[Viewer], Q],
    *,
    using: str = "default",
) -> tuple[str, tuple]:
    """``build(viewer)``, a condition over ``model``'s own columns, as compiled SQL.

    ``{table}`` stands for the table: the caller names it (``str.replace``),
    or ``brug.core.sql.TableSQL`` does, for ``filter()`` on any query over
    ``model`` whatever alias it gives the table. The condition must not join
    other tables (subqueries are fine): a join would name a table outside
    the fragment.
    """
    key = (name, using, connections[using].vendor, viewer.permission_key())

    def compile_() -> tuple[str, tuple]:
        query = model.objects.filter(build(Viewer.from_key(key[3]))).query
        compiler = query.get_compiler(using=using)
        try:
            sql, params = compiler.compile(query.where)
        except EmptyResultSet:
            return "1 = 0", ()
        except FullResultSet:
            return "1 = 1", ()
        table = model._meta.db_table
        if any(count and alias != table for alias, count in query.alias_refcount.items()):
            raise ValueError(f"The condition {name!r} joins other tables.")
        sql, params = _inline_integers(sql, params, connections[using].vendor)
        return sql.replace(f"{compiler.quote_name(table)}.", "{table}."), tuple(params)

    return _cached(key, compile_)


_PLACEHOLDER = re.compile(r"%%|%s")
_INTEGER_LIST = re.compile(r"(?<![A-Za-z_])(?<!NOT )IN \((\d+(?:, \d+)+)\)")


def _inline_integers(sql: str, params, vendor: str = "") -> tuple[str, list]:
    """Write integer parameters (ids of memberships, organisations) into the SQL.

    A viewer in 65 spaces gives a search's statements about a thousand
    parameters; the drivers parse every placeholder of a long statement on
    every execution (psycopg: ~3 ms for the type counts). An ``int`` is
    written as its decimal digits, so nothing but a number can enter the
    SQL; every other value stays a parameter.
    """
    values = iter(params)
    kept: list = []

    def replace(match: re.Match) -> str:
        if match.group() == "%%":
            return "%%"
        value = next(values)
        if type(value) is int:
            return str(value)
        kept.append(value)
        return "%s"

    sql = _PLACEHOLDER.sub(replace, sql)
    if next(values, _MISSING) is not _MISSING:
        raise ValueError("More parameters than placeholders.")
    if vendor == "postgresql":
        # PostgreSQL turns ``IN (1, 2, ...)`` into ``= ANY(array)`` itself (the same
        # plan) but parses each number as an expression first: for the membership
        # lists of a search's statement, ~0.2 ms of every execution.
        sql = _INTEGER_LIST.sub(
            lambda m: f"= ANY('{{{m.group(1).replace(' ', '')}}}'::bigint[])", sql
        )
    return sql, kept
