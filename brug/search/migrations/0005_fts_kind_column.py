"""SQLite: the FTS5 table also holds each document's kind, for type filters and counts.

FTS5 cannot use an index of the documents table while it walks a doclist, so
"the comments matching a common word" meant walking every match of that
word. With the kind as a column of its own, ``kind : comment`` joins the
word's doclist inside FTS5, so a rare type costs as little as its own
matches. Words are matched in ``title_stems`` and ``stems`` only (a column
filter), so searching for "post" does not find every post. The table is
recreated and rebuilt from its content table, and its triggers with it.
"""

from django.db import migrations

COLUMNS = {
    "with_kind": ("title_stems, stems, kind", "new.title_stems, new.stems, new.kind"),
    "without_kind": ("title_stems, stems", "new.title_stems, new.stems"),
}


def _statements(variant: str) -> list[str]:
    columns, new_values = COLUMNS[variant]
    old_values = new_values.replace("new.", "old.")
    update_of = "title_stems, stems, kind" if variant == "with_kind" else "title_stems, stems"
    return [
        "DROP TRIGGER IF EXISTS search_fts_update",
        "DROP TRIGGER IF EXISTS search_fts_delete",
        "DROP TRIGGER IF EXISTS search_fts_insert",
        "DROP TABLE IF EXISTS search_fts",
        f"CREATE VIRTUAL TABLE search_fts USING fts5({columns},"
        " content='search_searchdocument', content_rowid='id', tokenize='ascii',"
        " prefix='3 4')",
        f"""
        CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
            INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new_values});
        END
        """,
        f"""
        CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
            INSERT INTO search_fts(search_fts, rowid, {columns})
            VALUES ('delete', old.id, {old_values});
        END
        """,
        f"""
        CREATE TRIGGER search_fts_update AFTER UPDATE OF {update_of} ON search_searchdocument
        BEGIN
            INSERT INTO search_fts(search_fts, rowid, {columns})
            VALUES ('delete', old.id, {old_values});
            INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new_values});
        END
        """,
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    ]


def _recreate(variant: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in _statements(variant):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_fts_prefix_index")]

    operations = [migrations.RunPython(_recreate("with_kind"), _recreate("without_kind"))]
