"""PostgreSQL: an index of the posts', comments' and files' documents by id, newest first.

A search's window is the newest matches, found by walking the documents
backwards by id. ``brug search reindex`` (and the tiers of BENCHMARKS.md,
which index people and spaces last) gives every person and space a new,
higher id, so the walk passed over all of them before the first post: at
the large tier 105,000 rows for a common word, ~100 ms. The window now walks
posts, comments and files by this index and takes people and spaces from
their own GIN index (0006; ``brug.search.statements._window``).
SQLite walks FTS5's doclists with the kind inside the match (0005).
"""

from django.db import migrations

from brug.core.sql import on_vendor

FORWARD = (
    "CREATE INDEX search_doc_newest_content ON search_searchdocument (id)"
    " WHERE kind IN ('post', 'comment', 'file')"
)
BACKWARD = "DROP INDEX IF EXISTS search_doc_newest_content"


class Migration(migrations.Migration):
    dependencies = [("search", "0008_pg_gin_without_pending_list")]

    operations = [on_vendor("postgresql", FORWARD, BACKWARD)]
