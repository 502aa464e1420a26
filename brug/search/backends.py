"""The full-text part of search, per database.

Both backends offer the same things and nothing else differs between them
(permissions, filters and ordering live in ``queries`` and ``statements``):

* ``filter_match(qs, terms, kind=None)`` and ``score(terms)``: for the ORM
  (the people picker, similar questions), narrow a ``SearchDocument``
  queryset to the documents matching every term (a term matches its Dutch
  or its English stem; the last term of a query may be a prefix), and an
  expression ranking them, higher is better;
* ``match_sql``, ``window_sql`` and ``score_sql``: the same as SQL parts for
  the search's own statements (``brug.search.statements``); the window is
  the newest ``window`` matches, each database's cheapest way;
* ``newest`` and ``rank_window``: the order of a window taken as a CTE, and
  how the page is ranked from that CTE (``statements._window_counted``);
* ``expand(terms)``: long prefixes as the terms they stand for (SQLite);
* ``write_vectors(documents)``: store what the database indexes (nothing to
  do on SQLite, whose triggers feed FTS5 from the stems columns).

SQLite matches the pre-stemmed text in FTS5 and ranks by ``relevance_sql``
(BM25 without document frequency, the title weighted 4:1, read from the
document's own stems); PostgreSQL matches ``to_tsvector('dutch', text) ||
to_tsvector('english', text)`` (title weight A, body B) with
``to_tsquery('dutch', t) || to_tsquery('english', t)`` per term, AND between
terms (``ts_rank``). Both return the same set of documents for a query (see
``brug.search.text`` for the one known stemming difference).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from django.db import connection
from django.db.models import BooleanField, FloatField, Func, QuerySet

from brug.core.sql import TableSQL
from brug.search.text import Term, fts5_query, normalized


class SQLiteBackend:
    vendor = "sqlite"
    json_array = "json_array"
    # The page is ranked from the window's own rows, then read (``rank_window``).
    rank_in_place = False
    # Narrowed to one of these kinds, a statement holds only that kind's
    # permission rule (shorter SQL to hand over and plan; SQLite's plan stays
    # the same).
    permission_per_kind = frozenset({"post", "comment", "file", "space", "person"})
    # Kinds whose capped count is planned for all of its matches (PostgreSQL only).
    counted_whole = frozenset()
    # Kinds whose part of the window is taken apart (PostgreSQL only): FTS5's
    # doclists hold only matches, so its walk never passes over other rows.
    window_apart = frozenset()

    # FTS5 has prefix indexes for 3 and 4 characters (migration 0004).
    prefix_indexed = 4
    # A longer prefix standing for more terms than this stays a prefix query.
    expansion_limit = 64

    def expand(self, terms: list[Term]) -> list[Term]:
        """Turn a prefix longer than FTS5's prefix indexes into the terms it stands for.

        FTS5 answers "project*" by merging the doclists of every term with
        that prefix in memory, once per full-text pass of a search (~35 ms
        each at a million documents); the exact terms ("project",
        "projectleider") it answers at once. The terms come from
        ``search_vocabulary`` (migration 0007), one query; the documents found
        are the same.
        """
        long = [
            term
            for term in terms
            if term.prefix and all(len(stem) > self.prefix_indexed for stem in term.stems)
        ]
        if not long:
            return terms
        stems = sorted({stem for term in long for stem in term.stems})
        ranges = " OR ".join(["(term >= %s AND term < %s)"] * len(stems))
        params = [value for stem in stems for value in (stem, stem + "\U0010ffff")]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term FROM search_vocabulary WHERE {ranges} LIMIT %s",  # noqa: S608
                [*params, self.expansion_limit * len(stems) + 1],
            )
            found = [row[0] for row in cursor.fetchall()]
        expanded = []
        for term in terms:
            if term not in long:
                expanded.append(term)
                continue
            own = sorted({t for t in found for stem in term.stems if t.startswith(stem)})
            if not own or len(own) > self.expansion_limit:
                expanded.append(term)  # nothing to expand (no match), or too many terms
            else:
                expanded.append(
                    replace(term, stems=tuple(own), prefix=False, expanded_from=term.stems)
                )
        return expanded

    def filter_match(self, qs: QuerySet, terms: list[Term], kind: str | None = None) -> QuerySet:
        return qs.filter(fts__search_fts__match=fts5_query(terms, kind))

    def match_sql(self, alias: str, terms: list[Term], kind: str | None = None):
        """Joins, condition and parameters matching every term, for documents as ``alias``.

        With ``kind``, the kind goes inside FTS5's MATCH expression, so only
        that kind's part of the doclists is walked.
        """
        fts = f"{alias}_fts"
        return (
            f" INNER JOIN search_fts {fts} ON {fts}.rowid = {alias}.id",
            f"{fts}.search_fts MATCH %s",
            [fts5_query(terms, kind)],
        )

    def window_sql(self, alias: str, terms: list[Term], window: int, source: Callable):
        """Tables, condition and parameters of the newest ``window`` matches, to be scored.

        ``source(alias)`` gives the matching documents (tables, condition,
        parameters). Cut by an id floor on the FTS5 rowid: the oldest id of
        the window (0 when there are fewer matches), so the ranking walks
        only that part of FTS5's doclists; FTS5 hands out matches by rowid,
        so it stops after the window. Re-matching ``id IN (window)`` instead
        would walk every match of a common word (on 100k posts: ~47 against
        ~19 ms per search).
        """
        tables, where, params = source(alias)
        w_tables, w_where, w_params = source("w")
        floor = (
            f"{alias}_fts.rowid >= COALESCE((SELECT w.id FROM {w_tables} WHERE {w_where}"  # noqa: S608
            " ORDER BY w_fts.rowid DESC LIMIT 1 OFFSET %s), 0)"
        )
        return tables, f"{where} AND {floor}", [*params, *w_params, window - 1]

    def score_sql(self, alias: str, terms: list[Term]):
        """The relevance of documents named ``alias`` (higher is better): ``relevance_sql``."""
        title, body = f"{alias}.title_stems", f"{alias}.stems"
        return relevance_sql(spaced_sql(title), spaced_sql(body), tokens_sql(title, body), terms)

    def window_columns(self, alias: str) -> str:
        """What a window (CTE) keeps of each of its documents, besides id and kind: what
        ranking it needs, computed once per row."""
        title, body = f"{alias}.title_stems", f"{alias}.stems"
        return (
            f", {alias}.boost, {alias}.created_at, {spaced_sql(title)} AS title_spaced,"
            f" {spaced_sql(body)} AS body_spaced, {tokens_sql(title, body)} AS tokens"
        )

    def window_score_sql(self, alias: str, terms: list[Term]):
        """``score_sql`` for the rows of a window (CTE) named ``alias``."""
        return relevance_sql(
            f"{alias}.title_spaced", f"{alias}.body_spaced", f"{alias}.tokens", terms
        )

    def newest(self, alias: str) -> str:
        """The order of a window: newest first, in the order FTS5 hands matches out."""
        return f"{alias}_fts.rowid DESC"

    def rank_window(self, alias: str, terms: list[Term], window: str):
        """Tables, condition and parameters of the documents of CTE ``window``, to be scored.

        The window's rows matched already and hold what the score reads
        (``window_columns``): no second full-text pass, no other table.
        """
        return f"{window} {alias}", "1 = 1", []

    def score(self, terms: list[Term]) -> Func:
        title, body = '{table}."title_stems"', '{table}."stems"'
        sql, params = relevance_sql(
            spaced_sql(title), spaced_sql(body), tokens_sql(title, body), terms
        )
        return TableSQL(sql, params, output_field=FloatField())

    def write_vectors(self, documents: Iterable) -> None:
        return None

    def optimize(self) -> None:
        """Merge the FTS5 index's segments (after a reindex)."""
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


# Relevance on SQLite, as BM25 weighs a term's occurrences (k1, b) but without its
# inverse document frequency: FTS5's ``bm25`` finds that by walking every match of
# every term once per query, ~35 ms for a word in 60 % of a million documents and
# ten times that at ten million (the ranked page itself reads only the window).
# PostgreSQL's ``ts_rank`` has none either; within a search every hit holds every
# term, so the frequency only weighed the terms against each other.
K1 = 1.2
B = 0.75
AVERAGE_TOKENS = 40  # the length (title and body stems) that BM25's b is pivoted on
TITLE_WEIGHT = 4


def spaced_sql(column: str) -> str:
    """A stems column with every space doubled and one at each end ('' when empty):
    each token then stands between two spaces of its own, so ``replace`` finds every
    occurrence of " token ", even of two equal tokens in a row."""
    return f"(CASE WHEN {column} = '' THEN '' ELSE ' ' || replace({column}, ' ', '  ') || ' ' END)"


def tokens_sql(*columns: str) -> str:
    """The number of tokens in these stems columns."""
    return " + ".join(
        f"(CASE WHEN {c} = '' THEN 0 ELSE length({c}) - length(replace({c}, ' ', '')) + 1 END)"
        for c in columns
    )


def relevance_sql(title: str, body: str, tokens: str, terms: list[Term]) -> tuple[str, list]:
    """SQL for a document's relevance from its spaced stems (``spaced_sql``) and tokens.

    For each term, its occurrences (those in the title count ``TITLE_WEIGHT``
    times; a token matches one of the term's stems, or starts with one for a
    prefix) saturate as in BM25, ``tf (k1 + 1) / (tf + k1 (1 - b + b n /
    AVERAGE_TOKENS))``, written with ``tf`` once; the terms' parts are added.
    """
    norm = f"{K1} * ({1 - B} + {B} * ({tokens}) / {float(AVERAGE_TOKENS)})"
    parts, params = [], []
    for term in terms:
        prefix = term.prefix or bool(term.expanded_from)
        # Occurrences of " stem " (or " stem" for a prefix) in a spaced column.
        needle, ends = ("' ' || %s", 1) if prefix else ("' ' || %s || ' '", 2)
        stems = term.expanded_from or term.stems
        if prefix:
            # Only the shortest of nested prefixes ("plan" of "planning"): a token
            # counts once, as ``Term.matches`` finds it.
            stems = tuple(s for s in stems if not any(o != s and s.startswith(o) for o in stems))
        sums = {}
        for column in (title, body):
            sums[column] = " + ".join(
                f"(length({column}) - length(replace({column}, {needle}, ''))) / (length(%s) + {ends})"
                for _ in stems
            )
            params += [value for stem in stems for value in (stem, stem)]
        tf = f"({TITLE_WEIGHT} * (CASE WHEN {title} = '' THEN 0 ELSE {sums[title]} END) + {sums[body]})"
        # No occurrence (no part of this term): NULL from the division, so 0.
        parts.append(f"coalesce({K1 + 1} / (1 + {norm} / NULLIF({tf}, 0)), 0)")
    return " + ".join(parts) or "0", params


class PostgresBackend:
    vendor = "postgresql"
    json_array = "json_build_array"
    # The page is ranked and read from the documents in one pass (``rank_window``).
    rank_in_place = True
    # Posts, comments and files alone get their own rule (a third of the SQL to
    # plan); spaces and people keep the whole condition with the kind beside
    # it: alone, their rule ("space_id IN (visible spaces)") is planned as a
    # join that probes the index once per visible space or person (~120 ms
    # for a common word's count at the medium tier), where the whole
    # condition's OR keeps it a hashed filter (~1 ms).
    permission_per_kind = frozenset({"post", "comment", "file"})
    # The kinds of the small GIN index (search migration 0006). Counted up to a
    # cap, their count is planned for a LIMIT: a common word's estimate (tens of
    # thousands of people match "project", the statistics say; none do) made the
    # planner walk the whole table by another index, expecting to stop early:
    # ~460 ms for people and ~320 ms for files at the large tier. Counted from
    # a materialized CTE of the small kinds' matches (planned for all of its
    # rows, so from the small index; ~12 ms at the large tier), read only up to
    # the cap (``brug.search.statements.kind_matches``); a window of one of
    # these kinds is read from it too (a LIMIT-planned walk of the table, newest
    # first, took 7 s at the large tier for a word no person's profile holds).
    counted_whole = frozenset({"person", "space", "file"})
    # Kinds whose part of a search's window comes from their own matches, merged
    # with the other kinds' newest (``brug.search.statements._window``): people
    # and spaces, reindexed after the posts, may hold the newest ids by the
    # hundred thousand.
    window_apart = frozenset({"person", "space"})

    @staticmethod
    def _tsquery(terms: list[Term]) -> tuple[str, list[str]]:
        parts, params = [], []
        for term in terms:
            alternatives = []
            for language in term.languages:  # constants of brug.search.text, never user input
                alternatives.append(f"to_tsquery('{language}'::regconfig, %s)")
                params.append(term.token + (":*" if term.prefix else ""))
            parts.append("(" + " || ".join(alternatives) + ")")
        return " && ".join(parts), params

    def match_sql(self, alias: str, terms: list[Term], kind: str | None = None):
        """Joins (none), condition and parameters matching every term, for ``alias``.

        ``kind`` is the caller's condition on the table's own (indexed) column here.
        """
        sql, params = self._tsquery(terms)
        return "", f"{alias}.search_vector @@ ({sql})", params

    def window_sql(self, alias: str, terms: list[Term], window: int, source: Callable):
        """Tables, condition and parameters of the newest ``window`` matches, to be scored.

        ``id IN (the window)`` and the match again, for ``ts_rank``; an id
        floor (as on SQLite) was slower here (the planner cannot estimate it).
        """
        w_tables, w_where, w_params = source("w")
        joins, match, match_params = self.match_sql(alias, terms)
        return (
            f"search_searchdocument {alias}{joins}",
            f"{alias}.id IN (SELECT w.id FROM {w_tables} WHERE {w_where}"  # noqa: S608
            f" ORDER BY w.id DESC LIMIT %s) AND {match}",
            [*w_params, window, *match_params],
        )

    def score_sql(self, alias: str, terms: list[Term]):
        sql, params = self._tsquery(terms)
        return f"ts_rank({alias}.search_vector, ({sql}))", params

    def newest(self, alias: str) -> str:
        """The order of a window: newest first (the primary key, walked backwards)."""
        return f"{alias}.id DESC"

    def window_columns(self, alias: str) -> str:
        """Nothing besides id and kind: the page is ranked from the documents themselves."""
        return ""

    def window_score_sql(self, alias: str, terms: list[Term]):
        return self.score_sql(alias, terms)

    def rank_window(self, alias: str, terms: list[Term], window: str):
        """Tables, condition and parameters of the documents of CTE ``window``, to be scored.

        The window's rows matched already: no second full-text test per row.
        """
        return (
            f"search_searchdocument {alias}",
            f"{alias}.id IN (SELECT {window}.id FROM {window})",  # noqa: S608
            [],
        )

    def expand(self, terms: list[Term]) -> list[Term]:
        """Unchanged: the GIN index answers prefixes (``word:*``) itself."""
        return terms

    def filter_match(self, qs: QuerySet, terms: list[Term], kind: str | None = None) -> QuerySet:
        """``kind`` is the caller's filter on the table's own (indexed) column here."""
        sql, params = self._tsquery(terms)
        return qs.filter(
            TableSQL(
                '{table}."search_vector" @@ (' + sql + ")", params, output_field=BooleanField()
            )
        )

    def score(self, terms: list[Term]) -> Func:
        sql, params = self._tsquery(terms)
        return TableSQL(
            'ts_rank({table}."search_vector", (' + sql + "))", params, output_field=FloatField()
        )

    def write_vectors(self, documents: Iterable) -> None:
        """Store the tsvector of each document (found by kind and object id)."""
        rows = [(d.kind, d.object_id, normalized(d.title), normalized(d.text)) for d in documents]
        if not rows:
            return
        # Only placeholders are joined into the statement; every value is a parameter.
        values = ", ".join(["(%s, %s::bigint, %s, %s)"] * len(rows))
        params = [value for row in rows for value in row]
        sql = (
            "UPDATE search_searchdocument AS d SET search_vector ="  # noqa: S608
            " setweight(to_tsvector('dutch'::regconfig, v.title), 'A')"
            " || setweight(to_tsvector('english'::regconfig, v.title), 'A')"
            " || setweight(to_tsvector('dutch'::regconfig, v.body), 'B')"
            " || setweight(to_tsvector('english'::regconfig, v.body), 'B')"
            f" FROM (VALUES {values}) AS v(kind, object_id, title, body)"
            " WHERE d.kind = v.kind AND d.object_id = v.object_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    def optimize(self) -> None:
        """Refresh the planner's statistics of the documents table (after a reindex)."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")


_BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgresBackend}


def get_backend() -> SQLiteBackend | PostgresBackend:
    """Return the backend of the default database."""
    try:
        return _BACKENDS[connection.vendor]()
    except KeyError:
        raise NotImplementedError(f"Search does not support {connection.vendor}") from None
