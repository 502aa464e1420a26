"""Raw SQL fragments that take their place in a Django query, whatever alias it gives a table."""

from __future__ import annotations

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
