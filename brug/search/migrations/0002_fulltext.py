"""Create the full-text index of the database in use.

SQLite: an FTS5 table over the stems, with the documents table as its
external content, and triggers that keep it in step with every insert,
update and delete. PostgreSQL: a ``tsvector`` column with a GIN index
(written by ``brug.search.backends``). Other databases get neither and
cannot search.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title_stems, stems,
        content='search_searchdocument', content_rowid='id',
        tokenize='ascii'
    )
    """,
    """
    CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title_stems, stems)
        VALUES (new.id, new.title_stems, new.stems);
    END
    """,
    """
    CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_stems, stems)
        VALUES ('delete', old.id, old.title_stems, old.stems);
    END
    """,
    """
    CREATE TRIGGER search_fts_update AFTER UPDATE OF title_stems, stems ON search_searchdocument
    BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_stems, stems)
        VALUES ('delete', old.id, old.title_stems, old.stems);
        INSERT INTO search_fts(rowid, title_stems, stems)
        VALUES (new.id, new.title_stems, new.stems);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector",
    "CREATE INDEX search_doc_vector ON search_searchdocument USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_doc_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
