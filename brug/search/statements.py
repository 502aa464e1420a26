"""The SQL of a search and of its type counts, assembled from parts instead of by the ORM.

Letting Django build and compile the ranked query (the permission condition,
the window subquery, four related tables, the ordering) took 3-4 ms of
Python per search and its counts another 1-2 ms, while the database answers
a rare word in about 1 ms. So a search's one statement (the ranked page
with its type counts) is assembled here from:

* the permission condition, compiled once per viewer key
  (``brug.permissions.search.visible_documents_sql``);
* the backend's match, window and score (``brug.search.backends``);
* the filters, each a fixed condition with parameters.

Every value is a parameter; only constants, aliases and the integer ids of
the compiled permission condition are written into the SQL. Rows become model instances through ``Model.from_db`` with the
database's own converters, holding only the fields the results show.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.utils import timezone

from brug.people.models import User
from brug.permissions.search import visible_documents_sql
from brug.permissions.viewer import Viewer
from brug.posts.models import Post
from brug.search.backends import get_backend
from brug.search.enums import DocumentKind
from brug.search.models import SearchDocument
from brug.search.text import Term
from brug.spaces.models import Space

DOCUMENTS = SearchDocument._meta.db_table
USERS = User._meta.db_table

EARLIEST = date(1970, 1, 1)
LATEST = date(9000, 1, 1)


@dataclass
class Where:
    """Conditions joined by AND, with their parameters in order."""

    parts: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)

    def add(self, sql: str, *params) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def sql(self) -> str:
        return " AND ".join(f"({part})" for part in self.parts) or "1 = 1"


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _datetime(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def filters_where(alias: str, filters, where: Where) -> None:
    """The search filters (``queries.SearchFilters``) but the type, as conditions on ``alias``.

    The type is ``matching``'s: it goes into the match and the permission rule.
    """
    if filters.space_id is not None:
        where.add(f"{alias}.space_id = %s", filters.space_id)
    if filters.person_id is not None:
        where.add(f"{alias}.author_id = %s", filters.person_id)
    if filters.team_id is not None:
        members = f"SELECT id FROM {USERS} WHERE team_id = %s"  # noqa: S608 (constants)
        where.add(
            f"{alias}.author_id IN ({members})"
            f" OR ({alias}.kind = %s AND {alias}.person_id IN ({members}))",
            filters.team_id,
            DocumentKind.PERSON,
            filters.team_id,
        )
    # Days outside these bounds mean "no bound" (and would overflow as datetimes).
    if filters.after is not None and filters.after > EARLIEST:
        where.add(f"{alias}.created_at >= %s", _datetime(_day_start(filters.after)))
    if filters.before is not None and filters.before < LATEST:
        end = _day_start(filters.before + timedelta(days=1))
        where.add(f"{alias}.created_at < %s", _datetime(end))


def matching(
    viewer: Viewer,
    terms: list[Term],
    filters,
    alias: str,
    kind: str | None = None,
    kinds: Sequence[str] = (),
) -> tuple[str, str, list]:
    """Tables, condition and parameters of the documents matching every term that the
    viewer may find, named ``alias``. ``kind`` narrows to one kind inside the match;
    ``kinds`` (PostgreSQL) to several, with only their permission rules.
    """
    backend = get_backend()
    kind = kind or filters.type or None
    joins, match, match_params = backend.match_sql(alias, terms, kind)
    where = Where()
    where.add(match, *match_params)
    if kinds:
        permission, permission_params = visible_documents_sql(viewer, alias, kind=tuple(kinds))
        where.add(permission, *permission_params)
        # Beside the rules, where a partial index's condition can be read off.
        where.add(f"{alias}.kind IN ({', '.join(['%s'] * len(kinds))})", *kinds)
    elif kind in backend.permission_per_kind:
        # Only that kind's rule (it holds the kind): a shorter statement.
        permission, permission_params = visible_documents_sql(viewer, alias, kind=kind)
        where.add(permission, *permission_params)
    else:
        permission, permission_params = visible_documents_sql(viewer, alias)
        where.add(permission, *permission_params)
        if kind:
            where.add(f"{alias}.kind = %s", kind)
    filters_where(alias, filters, where)
    return f"{DOCUMENTS} {alias}{joins}", where.sql(), where.params


# The fields a result shows (``queries.Hit``, the results page and the API).
DOCUMENT_FIELDS = (
    "id",
    "kind",
    "object_id",
    "space_id",
    "post_id",
    "comment_id",
    "attachment_id",
    "person_id",
    "organisation_id",
    "author_id",
    "created_at",
    "boost",
    "title",
    "text",
)


def _in_model_order(model, names: Sequence[str]) -> tuple[str, ...]:
    """``names`` in the order of the model's fields: ``Model.from_db`` assigns values so."""
    wanted = set(names)
    ordered = tuple(f.attname for f in model._meta.concrete_fields if f.attname in wanted)
    if len(ordered) != len(wanted):
        raise ValueError(f"Not fields of {model.__name__}: {sorted(wanted - set(ordered))}")
    return ordered


DOCUMENT_FIELDS = _in_model_order(SearchDocument, DOCUMENT_FIELDS)
RELATED = tuple(
    # (attribute on the document, model, alias, fields in the model's order)
    (attribute, model, alias, _in_model_order(model, names))
    for attribute, model, alias, names in (
        ("space", Space, "s", ("id", "name", "slug", "visibility", "member_count")),
        ("author", User, "a", ("id", "name", "handle", "function", "email")),
        ("person", User, "p", ("id", "name", "handle", "function", "email")),
        ("post", Post, "o", ("id", "kind", "title")),
    )
)
# More values of a related row, each set as an attribute of its own beside the
# fields (never a field: a saved instance must not take a shortened value).
# A comment's hit shows its post's title, or else the start of its body
# (``queries._plain_title``: 80 characters, whitespace collapsed); a long
# body costs more to read and hand over than the rest of a rare word's statement.
BODY_START = 1000
EXTRAS = {"post": (("body_start", f"SUBSTR(o.{{body}}, 1, {BODY_START})"),)}


@lru_cache(maxsize=8)
def _selection(vendor: str) -> tuple[str, tuple]:
    """Select list and per-field converters (as the ORM applies them), per database.

    The document's own columns, then each related row as one JSON array
    from a correlated subquery: PostgreSQL plans four such lookups in about
    a third of the time it takes to plan four outer joins (~1 against
    ~2.5 ms), and on SQLite the two cost the same.
    """
    json_array = get_backend().json_array
    columns, converters = [], []
    for name in DOCUMENT_FIELDS:
        columns.append(f"d.{_column(SearchDocument, name)}")
        converters.append(_converters(SearchDocument, "d", name))
    for attribute, model, alias, names in RELATED:
        values = [f"{alias}.{_column(model, name)}" for name in names]
        for _name, sql in EXTRAS.get(attribute, ()):
            values.append(
                sql.format(**{f.name: _column(model, f.name) for f in model._meta.fields})
            )
        columns.append(
            f"(SELECT {json_array}({', '.join(values)}) FROM {model._meta.db_table} {alias}"  # noqa: S608
            f" WHERE {alias}.id = d.{attribute}_id)"
        )
        converters.extend(_converters(model, alias, name) for name in names)
    return ", ".join(columns), tuple(converters)


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _converters(model, alias: str, name: str) -> tuple:
    column = model._meta.get_field(name).get_col(alias)
    return column, tuple(
        connection.ops.get_db_converters(column) + column.get_db_converters(connection)
    )


def ranked_documents(
    viewer: Viewer,
    terms: list[Term],
    filters,
    *,
    window: int,
    offset: int,
    limit: int,
    counts: tuple[Sequence[str], int] | None = None,
) -> tuple[list[SearchDocument], dict[str, int] | None]:
    """The ranked page: boost, then relevance, then newest; with its related rows. One query.

    With ``counts`` (kinds and cap), the same statement also counts the
    matches per kind as ``counts_by_kind`` does (without the type filter),
    in columns of every row; ``None`` for them when the page is empty.
    With no type chosen, the counts come from the window itself
    (``_window_counted``).
    """
    backend = get_backend()
    if counts is not None and not filters.type:
        return _window_counted(viewer, terms, filters, window, offset, limit, *counts)
    ctes = With()
    if filters.type in backend.counted_whole:
        # A small kind's window comes from the small kinds' matches (``kind_matches``).
        small = ctes.add(*kind_matches(viewer, terms, filters, backend.counted_whole))
        joins, match, match_params = backend.match_sql("d", terms)
        tables = f"{DOCUMENTS} d{joins}"
        where = (
            f"d.id IN (SELECT id FROM {small} WHERE kind = %s ORDER BY id DESC LIMIT %s)"  # noqa: S608
            f" AND {match}"
        )
        params = [filters.type, window, *match_params]
    else:
        tables, where, params = backend.window_sql(
            "d", terms, window, lambda alias: matching(viewer, terms, filters, alias)
        )
    score, score_params = backend.score_sql("d", terms)
    columns, converters = _selection(connection.vendor)
    count_columns, count_params = "", []
    if counts is not None:
        selects, count_params = _count_selects(viewer, terms, filters, *counts, ctes)
        count_columns = ", " + ", ".join(selects)
    # The page is ranked on narrow rows first; only its rows are then read in
    # full, with their related rows (not every row of the window).
    sql = (
        f"{ctes.sql()}SELECT {columns}, r.score{count_columns} FROM ("  # noqa: S608 (constants, aliases)
        f"SELECT d.id, d.boost, d.created_at, {score} AS score FROM {tables} WHERE {where}"
        f" {RANKING} LIMIT %s OFFSET %s"
        f") r INNER JOIN {DOCUMENTS} d ON d.id = r.id {PAGE_ORDER}"
    )
    rows = _fetch(sql, [*ctes.params, *count_params, *score_params, *params, limit, offset])
    found = None
    if counts is not None and rows:
        kinds = counts[0]
        found = {kind: int(n) for kind, n in zip(kinds, rows[0][-len(kinds) :], strict=True)}
        rows = [row[: -len(kinds)] for row in rows]
    return _documents(rows, converters), found


RANKING = "ORDER BY d.boost DESC, score DESC, d.created_at DESC, d.id DESC"
PAGE_ORDER = "ORDER BY r.boost DESC, r.score DESC, r.created_at DESC, r.id DESC"


def _fetch(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _window_counted(
    viewer: Viewer,
    terms: list[Term],
    filters,
    window: int,
    offset: int,
    limit: int,
    kinds: Sequence[str],
    cap: int,
) -> tuple[list[SearchDocument], dict[str, int] | None]:
    """The ranked page and the counts per kind, both from one window of matches.

    The window (the newest ``window`` matches the viewer may find) is
    computed once, as a CTE, and the page is ranked from it
    (``backend.rank_window``). With no type chosen, the window holds every
    kind, so it also gives the counts:

    * a window that is not full holds *every* match: its count per kind is
      exact (shown up to ``cap``, as ``counts_by_kind`` counts);
    * in a full window, a kind with at least ``cap`` matches has at least
      ``cap`` matches; the others (fewer than ``cap`` in the window) may have
      more matches outside it, so they are counted by ``counts_by_kind``, one
      more query, only for common words;
    * the backend's ``window_apart`` kinds (PostgreSQL: people and spaces)
      are counted exactly in any case, from the matches the window is merged
      from (``_window``).

    One permission condition to parse, plan and run instead of six or seven:
    at the medium tier a rare word's statement went from ~6 to ~2 ms on
    PostgreSQL, and from ~1.4 to ~0.9 ms on SQLite.
    """
    backend = get_backend()
    r_tables, r_where, r_params = backend.rank_window("d", terms, "win")
    score, score_params = backend.window_score_sql("d", terms)
    columns, converters = _selection(connection.vendor)
    ctes = With()
    window_sql, window_params = _window(viewer, terms, filters, window, ctes)
    ctes.add(f"win AS MATERIALIZED ({window_sql})", window_params)
    # Every match of the kinds apart is in their CTE (``_window``): they are
    # counted exactly, up to the cap, whether the window is full or not.
    apart = _matches_name(backend.window_apart)  # added by ``_window``
    per_kind, count_params = [], []
    for kind in kinds:
        if kind in backend.window_apart:
            per_kind.append(_capped_count(f"{apart} WHERE kind = %s", kind))  # noqa: S608
            count_params += [kind, cap]
        else:
            per_kind.append("COUNT(*) FILTER (WHERE win.kind = %s)")
            count_params.append(kind)
    counted = f"(SELECT {backend.json_array}({', '.join(per_kind)}, COUNT(*)) FROM win)"  # noqa: S608
    if backend.rank_in_place:
        # The page's rows are ranked and read in one pass over the documents (the
        # related rows' subqueries run after the LIMIT): ~0.15 ms less than ranking
        # narrow rows first on PostgreSQL, for a rare word and a common one alike.
        sql = (
            f"{ctes.sql()}SELECT {columns}, {score} AS score, {counted}"  # noqa: S608
            f" FROM {r_tables} WHERE {r_where} {RANKING} LIMIT %s OFFSET %s"
        )
        params = [*ctes.params, *score_params, *count_params, *r_params, limit, offset]
    else:
        sql = (
            f"{ctes.sql()}SELECT {columns}, r.score, {counted} FROM ("  # noqa: S608
            f"SELECT d.id, d.boost, d.created_at, {score} AS score FROM {r_tables}"
            f" WHERE {r_where} {RANKING} LIMIT %s OFFSET %s"
            f") r INNER JOIN {DOCUMENTS} d ON d.id = r.id {PAGE_ORDER}"
        )
        params = [*ctes.params, *count_params, *score_params, *r_params, limit, offset]
    rows = _fetch(sql, params)
    if not rows:
        return [], None
    counted = rows[0][-1]
    if isinstance(counted, str):  # SQLite hands JSON out as text
        counted = json.loads(counted)
    *numbers, total = (int(n) for n in counted)
    found = {kind: min(n, cap) for kind, n in zip(kinds, numbers, strict=True)}
    if total >= window:
        uncertain = [
            kind for kind in kinds if found[kind] < cap and kind not in backend.window_apart
        ]
        if uncertain:
            found.update(counts_by_kind(viewer, terms, filters.without_type(), uncertain, cap))
    return _documents([row[:-1] for row in rows], converters), found


def _window(
    viewer: Viewer, terms: list[Term], filters, window: int, ctes: With
) -> tuple[str, list]:
    """The newest ``window`` matches of every kind that the viewer may find: id, kind
    and the backend's ``window_columns``, newest first.

    Where the backend has ``window_apart`` kinds (PostgreSQL: people and
    spaces), the window is merged from two parts, each from its own index: the
    other kinds' newest matches, walked backwards by id (search migration
    0009), and the matches of the kinds apart (``kind_matches``, added to
    ``ctes``). One walk over all documents passed over every person and space
    first whenever they had the newest ids, as after ``brug search reindex``:
    at the large tier of BENCHMARKS.md, 105,000 rows for a common word.
    """
    backend = get_backend()
    columns = f"w.id, w.kind{backend.window_columns('w')}"
    newest = backend.newest("w")
    if not backend.window_apart:
        w_tables, w_where, w_params = matching(viewer, terms, filters, "w")
        return (
            f"SELECT {columns} FROM {w_tables} WHERE {w_where} ORDER BY {newest} LIMIT %s",  # noqa: S608
            [*w_params, window],
        )
    apart = ctes.add(*kind_matches(viewer, terms, filters, backend.window_apart))
    walked = sorted(set(DocumentKind.values) - backend.window_apart)
    l_tables, l_where, l_params = matching(viewer, terms, filters, "w", kinds=walked)
    return (
        f"SELECT * FROM ((SELECT {columns} FROM {l_tables} WHERE {l_where}"  # noqa: S608
        f" ORDER BY {newest} LIMIT %s)"
        f" UNION ALL (SELECT * FROM {apart} ORDER BY id DESC LIMIT %s)) AS u"
        " ORDER BY id DESC LIMIT %s",
        [*l_params, window, window, window],
    )


def _convert(values, converters, db) -> list:
    converted = []
    for value, (column, functions) in zip(values, converters, strict=True):
        for function in functions:
            value = function(value, column, db)
        converted.append(value)
    return converted


def _documents(rows, converters) -> list[SearchDocument]:
    """Rows of a search statement as documents with their related rows and score."""
    # The connection itself, not the proxy ``connection``: a page's rows ask for it
    # hundreds of times.
    db = connections[DEFAULT_DB_ALIAS]
    # Models with an ``__init__`` of their own or ``pre_init`` or ``post_init``
    # receivers (none of these have any) are made by ``from_db``, so that they run.
    plain = {
        model: model.__init__ is Model.__init__
        and not (signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model))
        for model in (SearchDocument, *(model for _a, model, _al, _n in RELATED))
    }
    return [_document(row, converters, db, plain) for row in rows]


def _document(row, converters, db, plain) -> SearchDocument:
    own = len(DOCUMENT_FIELDS)
    document = _instance(
        SearchDocument, DOCUMENT_FIELDS, _convert(row[:own], converters[:own], db), db, plain
    )
    cache = document._state.fields_cache
    position = own
    for (attribute, model, _alias, names), related in zip(RELATED, row[own:-1], strict=True):
        found = None
        if related is not None:
            if isinstance(related, str):  # SQLite hands JSON out as text
                related = json.loads(related)
            found = _instance(
                model,
                names,
                _convert(related[: len(names)], converters[position : position + len(names)], db),
                db,
                plain,
            )
            for (name, _sql), value in zip(
                EXTRAS.get(attribute, ()), related[len(names) :], strict=True
            ):
                setattr(found, name, value)
        position += len(names)
        # As ``document.<attribute> = found`` caches it (its id is already the document's).
        cache[attribute] = found
        if found is None:
            document.__dict__[f"{attribute}_id"] = None
    document.score = row[-1]
    return document


def _instance(model, names: tuple[str, ...], values: list, db, plain: dict):
    """A model instance loaded from the database with only ``names`` (the others deferred).

    What ``Model.from_db`` makes, without running ``__init__`` over every
    field: a search page builds four instances per hit, and ``from_db`` was a
    third of a rare word's Python. A model that is not ``plain`` (it has
    ``pre_init`` or ``post_init`` receivers) goes through ``from_db``.
    """
    if not plain[model]:
        return model.from_db(db.alias, names, values)
    instance = model.__new__(model)
    state = instance._state = ModelState()
    state.adding = False
    state.db = db.alias
    instance.__dict__.update(zip(names, values, strict=True))
    return instance


def counts_by_kind(
    viewer: Viewer, terms: list[Term], filters, kinds: Sequence[str], cap: int
) -> dict[str, int]:
    """Matches per kind, each counted up to ``cap``. One query."""
    ctes = With()
    selects, params = _count_selects(viewer, terms, filters, kinds, cap, ctes)
    with connection.cursor() as cursor:
        cursor.execute(f"{ctes.sql()}SELECT " + ", ".join(selects), [*ctes.params, *params])
        row = cursor.fetchone()
    return {kind: int(n) for kind, n in zip(kinds, row, strict=True)}


@dataclass
class With:
    """The common table expressions of a statement (its ``WITH``), each added once."""

    parts: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)

    def add(self, sql: str, params: list) -> str:
        """Add ``name AS (...)`` unless a CTE of that name is there; return the name."""
        name = sql.split(" ", 1)[0]
        if name not in self.names:
            self.parts.append(sql)
            self.params.extend(params)
        return name

    @property
    def names(self) -> set[str]:
        return {part.split(" ", 1)[0] for part in self.parts}

    def sql(self) -> str:
        return f"WITH {', '.join(self.parts)} " if self.parts else ""


def kind_matches(
    viewer: Viewer, terms: list[Term], filters, kinds: Iterable[str]
) -> tuple[str, list]:
    """A CTE (named after ``kinds``) of the id and kind of every match of ``kinds``,
    whatever the type filter.

    Planned for all their matches, so that an index of those kinds alone
    answers (PostgreSQL: people, spaces and files have their own GIN index,
    ``counted_whole``): the capped counts of those kinds and a window of one
    of them are read from it (``ctes.add`` returns the name to read).
    """
    kinds = sorted(kinds)
    tables, where, params = matching(viewer, terms, filters.without_type(), "m", kinds=kinds)
    return (
        f"{_matches_name(kinds)} AS MATERIALIZED"  # noqa: S608 (kinds are DocumentKind values)
        f" (SELECT m.id, m.kind{get_backend().window_columns('m')} FROM {tables} WHERE {where})",
        params,
    )


def _matches_name(kinds: Iterable[str]) -> str:
    """The name of ``kind_matches``'s CTE for ``kinds``."""
    return "matches_" + "_".join(sorted(kinds))


def _capped_count(source: str, kind: str) -> str:
    """A scalar subquery counting the rows of ``source`` up to a cap (a parameter after
    those of ``source``)."""
    return f"(SELECT COUNT(*) FROM (SELECT 1 FROM {source} LIMIT %s) AS c_{kind})"  # noqa: S608


def _count_selects(
    viewer: Viewer, terms: list[Term], filters, kinds: Sequence[str], cap: int, ctes: With
) -> tuple[list[str], list]:
    """One scalar subquery per kind counting its matches up to ``cap`` (documents as ``c``).

    Without the type filter. A kind of the backend's ``counted_whole`` counts
    from ``kind_matches``, added to ``ctes``.
    """
    filters = filters.without_type()
    selects, params = [], []
    whole = get_backend().counted_whole
    for kind in kinds:
        # ``kind`` is one of ``DocumentKind``'s values (an alias suffix, never user input).
        if kind in whole:
            small = ctes.add(*kind_matches(viewer, terms, filters, whole))
            source, source_params = f"{small} WHERE kind = %s", [kind]  # noqa: S608
        else:
            tables, where, source_params = matching(viewer, terms, filters, "c", kind=kind)
            source = f"{tables} WHERE {where}"
        selects.append(_capped_count(source, kind))
        params.extend([*source_params, cap])
    return selects, params
