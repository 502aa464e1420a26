"""PostgreSQL: a second GIN index over the vectors of people, spaces and files only.

The type counts ask "matches of kind person" next to "matches of kind post".
With one GIN index over a million posts and comments, the planner walked the
table for the small kinds (a LIMIT that never fills: ~60 ms each at the
medium tier of BENCHMARKS.md); this partial index answers them from a few
thousand entries. SQLite narrows by kind inside FTS5 already (0005).
"""

from django.db import migrations

from brug.core.sql import on_vendor

FORWARD = (
    "CREATE INDEX search_doc_vector_small_kinds ON search_searchdocument"
    " USING gin (search_vector) WHERE kind IN ('person', 'space', 'file')"
)
BACKWARD = "DROP INDEX IF EXISTS search_doc_vector_small_kinds"


class Migration(migrations.Migration):
    dependencies = [("search", "0005_fts_kind_column")]

    operations = [on_vendor("postgresql", FORWARD, BACKWARD)]
