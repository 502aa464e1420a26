"""SQLite: give the FTS5 table prefix indexes for 3 and 4 characters.

Search as you type matches the last word as a prefix; without a prefix index
FTS5 merges the doclists of every term with that prefix ("ver" has
thousands in Dutch). The table is recreated and rebuilt from its content
table (the documents), and the triggers of 0002 recreated with it.
"""

from django.db import migrations

TRIGGERS = [
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
DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def _table(prefix: str) -> str:
    return (
        "CREATE VIRTUAL TABLE search_fts USING fts5(title_stems, stems,"
        " content='search_searchdocument', content_rowid='id', tokenize='ascii'"
        f"{prefix})"
    )


def _recreate(prefix: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in [*DROP, _table(prefix), *TRIGGERS]:
            schema_editor.execute(statement)
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_index_by_object_first")]

    operations = [migrations.RunPython(_recreate(", prefix='3 4'"), _recreate(""))]
