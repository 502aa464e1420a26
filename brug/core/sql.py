"""Raw SQL: fragments that take their place in a Django query, whatever alias it
gives a table (``TableSQL``), and statements PostgreSQL prepares once per
connection (``prepared_cursor``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F
from django.db.models.expressions import RawSQL


class TableSQL(RawSQL):
    """Raw SQL over a table of the query, whatever alias the query gives it.

    ``{column}`` in ``sql`` becomes the compiled ``column`` (``"U0"."id"``
    inside a subquery) and ``{table}`` the alias of its table. With a
    ``BooleanField`` as ``output_field`` it is a condition for ``filter()``,
    which every backend takes as it is (as ``RawSQL``; another expression
    becomes ``(…) = 1`` on SQLite, which hides its structure from the planner).
    """

    def __init__(self, sql: str, params, *, column: str = "id", output_field=None) -> None:
        super().__init__(sql, list(params), output_field)
        self.column = F(column)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        clone = self.copy()
        clone.is_summary = summarize
        clone.column = self.column.resolve_expression(
            query, allow_joins, reuse, summarize, for_save
        )
        return clone

    def as_sql(self, compiler, connection, **extra):
        column_sql, column_params = compiler.compile(self.column)
        table = column_sql.rsplit(".", 1)[0]
        sql = self.sql.replace("{column}", column_sql).replace("{table}", table)
        return f"({sql})", [*column_params, *self.params]


@contextmanager
def prepared_cursor(using: str = DEFAULT_DB_ALIAS) -> Iterator:
    """A cursor whose statements PostgreSQL prepares, planned once per connection.

    For SQL that is the same text every time it runs for a person, with the
    values that shape its plan written in (the compiled permission SQL writes
    its integer ids in; only enumerations such as kinds stay parameters): the
    next page of that person skips parsing and planning. The notification
    badge of every page cost ~3 ms to plan and ~0.1 ms to run. Never for SQL
    whose parameters change what the best plan is (search terms): a kept
    generic plan for a common word can be a thousand times slower.

    psycopg prepares a statement on its second run on a connection
    (``prepare_threshold`` in ``settings.DATABASES``), so a statement run
    once costs nothing extra; each connection keeps its 100 most recent ones
    (``prepared_max``). With many people per pooled connection the oldest are
    dropped again: the gain shrinks, the cost stays a round trip now and then.

    Elsewhere (SQLite, or ``BRUG_DATABASE_PREPARED=0``) it is the plain
    cursor. Either way it goes through Django's cursor wrapper: its queries
    are counted and logged like every other.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    with connection.wrap_database_errors:
        # Binds on the server (Django's own cursors bind on the client and never prepare).
        cursor = psycopg.Cursor(raw)
        _use_timezone(connection, cursor)
    wrapped = (
        connection.make_debug_cursor(cursor)
        if connection.queries_logged
        else connection.make_cursor(cursor)
    )
    with wrapped:
        yield wrapped


def as_bigint(value: int, using: str = DEFAULT_DB_ALIAS):
    """``value`` as a parameter of one fixed type for ``prepared_cursor``.

    psycopg types a plain ``int`` by its size (int2, int4, int8) and prepares
    one statement per set of types: ids below and above 32,767 would be two
    statements per connection. Unchanged elsewhere.
    """
    if connections[using].vendor != "postgresql":
        return value
    from psycopg.types.numeric import Int8

    return Int8(value)


def _use_timezone(connection, cursor) -> None:
    """Load timestamps in the connection's time zone, as Django's own cursors do."""
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    if connection.timezone != loader.timezone:
        register_tzloader(connection.timezone, cursor)


def on_vendor(vendor: str, forward: str, backward: str):
    """A migration operation running ``forward`` (and ``backward`` to undo it) on one
    database vendor only, and nothing on the others."""
    from django.db import migrations

    def run(statement: str):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == vendor:
                schema_editor.execute(statement)

        return operation

    return migrations.RunPython(run(forward), run(backward))
