"""Bulk writing for the benchmark tiers: rows straight into tables.

This is the one place that writes around the actions (STYLE.md allows it for
benchmark bulk loaders): a million posts through ``create_post`` would take
hours. Rows are tuples in a column order given per table; columns not given
get the model field's default. PostgreSQL takes them by ``COPY``, SQLite by
``executemany``. Ids are assigned here (``next_id``), so rows can point at
each other before anything is written; ``reset_sequences`` moves the
PostgreSQL identity sequences past them afterwards.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED


class TableWriter:
    """Writes tuples for ``columns`` (attnames) of ``model``, defaults for the rest."""

    def __init__(
        self, model: type[models.Model], columns: Sequence[str], *, table: str = ""
    ) -> None:
        """``table``: write into this table (of the same columns) instead of the model's."""
        self.model = model
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = [name for name in columns if name not in fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {unknown}")
        self.columns = list(columns)
        self.defaults: list = []
        self.default_columns: list[str] = []
        for name, field in fields.items():
            if name in self.columns or (field.primary_key and name == "id"):
                continue
            if field.default is NOT_PROVIDED:
                if field.null:
                    continue
                default = "" if isinstance(field, (models.CharField, models.TextField)) else None
                if default is None:
                    raise ValueError(f"{model.__name__}.{name} needs a value")
            else:
                default = field.get_default()
            self.default_columns.append(name)
            self.defaults.append(default)
        all_columns = self.columns + self.default_columns
        column_names = [fields[name].column for name in all_columns]
        self.names = column_names
        self.sqlite = connection.vendor == "sqlite"
        self.kinds = [_kind(fields[name]) for name in all_columns]
        table = connection.ops.quote_name(table or model._meta.db_table)
        quoted = ", ".join(connection.ops.quote_name(name) for name in column_names)
        marks = ", ".join(["%s"] * len(column_names))
        self.insert_sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608
        self.sql = self.insert_sql if self.sqlite else f"COPY {table} ({quoted}) FROM STDIN"
        self.defaults = [
            self._adapt(kind, value)
            for kind, value in zip(self.kinds[len(self.columns) :], self.defaults, strict=True)
        ]

    def _adapt(self, kind: str, value):
        if value is None:
            return None
        if kind == "json":
            return json.dumps(value)
        if self.sqlite and kind == "datetime":
            if value.tzinfo is UTC:  # the loader's own moments: skip Django's conversions
                return str(value.replace(tzinfo=None))
            return connection.ops.adapt_datetimefield_value(value)
        if self.sqlite and kind == "date":
            return connection.ops.adapt_datefield_value(value)
        return value

    def insert_one(self, row: Sequence) -> None:
        """One plain ``INSERT`` of one row (the floor of "create post" in ``brug bench``)."""
        given = self.kinds[: len(self.columns)]
        values = [self._adapt(kind, value) for kind, value in zip(given, row, strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(self.insert_sql, [*values, *self.defaults])

    def write(self, rows: Iterable[Sequence]) -> int:
        """Insert ``rows``; return how many."""
        given = len(self.columns)
        kinds = self.kinds[:given]
        adapt = [index for index, kind in enumerate(kinds) if kind != "plain"]
        tail = tuple(self.defaults)

        def prepared():
            for row in rows:
                if adapt:
                    row = list(row)
                    for index in adapt:
                        row[index] = self._adapt(kinds[index], row[index])
                yield (*row, *tail)

        count = 0
        with connection.cursor() as cursor:
            if self.sqlite:
                batch: list = []
                for row in prepared():
                    batch.append(row)
                    if len(batch) >= 5000:
                        cursor.executemany(self.sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(self.sql, batch)
                    count += len(batch)
            else:
                with cursor.cursor.copy(self.sql) as copy:
                    for row in prepared():
                        copy.write_row(row)
                        count += 1
        return count


def _kind(field: models.Field) -> str:
    if isinstance(field, models.JSONField):
        return "json"
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    return "plain"


@contextmanager
def bulk_session():
    """Make the connection fit for loading millions of rows, then put it back.

    SQLite: a large page cache (index pages of big tables stay in memory: a
    quarter of the machine's or container's memory, at most 8 GB; the large tier's indexes
    outgrow a fixed 400 MB and the load then waits on the disk), and
    the full-text triggers of search are lifted: FTS5 (with its prefix
    indexes) and the vocabulary are rebuilt from the documents table in one
    pass at the end,
    which is far faster than a trigger per row. The triggers come back exactly
    as they were (their SQL is read from the schema), also on failure.

    PostgreSQL: the search's GIN indexes are dropped for the load and built
    again at the end (from their definitions, read from the catalogue; also on
    failure), with a large ``maintenance_work_mem``: one sorted build is many
    times faster than merging a pending list chunk by chunk. Where the role may
    (a superuser, as ``pg_restore --disable-triggers`` asks), the foreign keys
    are not checked row by row: the loader writes ids it assigned itself
    (``test_tiers`` checks the result against what the actions write), and the
    deferred checks cost about a third of the load.
    """
    if connection.vendor == "postgresql":
        with _gin_built_at_end(), _foreign_keys_trusted():
            yield
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache_size = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{_bulk_cache_kib()}")
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            " AND tbl_name = 'search_searchdocument'"
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)
            if triggers:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
                # The vocabulary of long prefixes (search migration 0007), from the index.
                cursor.execute(
                    "CREATE VIRTUAL TABLE temp.bulk_terms USING fts5vocab(main, search_fts, 'row')"
                )
                cursor.execute(
                    "INSERT OR IGNORE INTO search_vocabulary(term) SELECT term FROM temp.bulk_terms"
                )
                cursor.execute("DROP TABLE temp.bulk_terms")
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _bulk_cache_kib() -> int:
    """A quarter of the memory (the container's limit, if lower), in KiB, 400 MB to 8 GB."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        memory = 0
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            limit = int(Path(limit_file).read_text().strip())
        except (OSError, ValueError):  # absent, or "max": no limit
            continue
        memory = min(memory, limit) if memory else limit
    return max(400_000, min(8_000_000, memory // 4 // 1024))


GIN_INDEXES = ("search_doc_vector", "search_doc_vector_small_kinds")


def missing_gin_indexes() -> list[str]:
    """PostgreSQL: the search's GIN indexes that are not there (a load was killed)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = 'search_searchdocument' AND indexname = ANY(%s)",
            [list(GIN_INDEXES)],
        )
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in GIN_INDEXES if name not in present]


@contextmanager
def _gin_built_at_end():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = 'search_searchdocument' AND indexname = ANY(%s)",
            [list(GIN_INDEXES)],
        )
        definitions = cursor.fetchall()
        for name, _definition in definitions:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        if not _rolled_back():  # else the drop goes with the transaction
            _build(definitions)


def _build(definitions) -> None:
    if connection.in_atomic_block:
        # Inside a transaction (the tests): PostgreSQL builds no index on a
        # table with deferred foreign-key checks pending, so run them now.
        connection.check_constraints()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setting::bigint, current_setting('maintenance_work_mem')"
            " FROM pg_settings WHERE name = 'maintenance_work_mem'"
        )
        current_kib, memory = cursor.fetchone()
        # More memory for one sorted build, never less than the server gives, and at
        # most 1 GB: the server may have less memory than this machine.
        cursor.execute(f"SET maintenance_work_mem = '{max(int(current_kib), BUILD_KIB)}kB'")
        try:
            for _name, definition in definitions:
                cursor.execute(definition)
        finally:
            if not _rolled_back():
                cursor.execute("SET maintenance_work_mem = %s", [memory])


BUILD_KIB = 1024 * 1024


def _rolled_back() -> bool:
    """Whether a failure inside a transaction (the tests') will roll everything back."""
    if not connection.in_atomic_block:
        return False
    if connection.needs_rollback:
        return True
    from psycopg.pq import TransactionStatus

    return connection.connection.info.transaction_status == TransactionStatus.INERROR


@contextmanager
def _foreign_keys_trusted():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
        if superuser:
            cursor.execute("SHOW session_replication_role")
            role = cursor.fetchone()[0]
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        if superuser and not _rolled_back():
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = %s", [role])


def write(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    return TableWriter(model, columns).write(rows)


def next_id(model: type[models.Model]) -> int:
    """The first free id of ``model``'s table."""
    latest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (latest or 0) + 1


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past the ids written here (nothing on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if not statements:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
