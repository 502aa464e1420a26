"""SQLite: a table of every term in the full-text index, to expand long prefixes.

Search as you type matches the last word as a prefix. FTS5 answers prefixes
of 3 and 4 characters from its prefix indexes (0004); a longer one ("project*",
"wondzorg*") makes it merge the doclists of every term with that prefix in
memory, for each of the search's full-text passes: ~35 ms each at a million
documents. ``search_vocabulary`` lists the terms, kept by triggers next to
those of FTS5, so a long prefix becomes the handful of terms it stands for
(``brug.search.backends.SQLiteBackend.expand``), which FTS5 answers at once.
Terms are never removed (a term without documents only costs a lookup).
"""

from django.db import migrations

# The stems columns hold space-separated folded words (letters and digits
# only), so they form a JSON array once quoted. An upsert, not INSERT OR
# IGNORE: inside a trigger SQLite lets the outer statement's conflict policy
# override an OR clause (the indexer writes documents with ON CONFLICT).
_TERMS = (
    "SELECT value FROM json_each('[\"' || replace(trim(new.title_stems || ' ' || new.stems),"
    " ' ', '\",\"') || '\"]') WHERE value <> ''"
)
FORWARD = [
    "CREATE TABLE search_vocabulary (term TEXT PRIMARY KEY) WITHOUT ROWID",
    f"""
    CREATE TRIGGER search_vocabulary_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_vocabulary(term) {_TERMS} ON CONFLICT(term) DO NOTHING;
    END
    """,
    f"""
    CREATE TRIGGER search_vocabulary_update AFTER UPDATE OF title_stems, stems
    ON search_searchdocument BEGIN
        INSERT INTO search_vocabulary(term) {_TERMS} ON CONFLICT(term) DO NOTHING;
    END
    """,
    "CREATE VIRTUAL TABLE temp.search_fts_terms USING fts5vocab(main, search_fts, 'row')",
    "INSERT OR IGNORE INTO search_vocabulary(term) SELECT term FROM temp.search_fts_terms",
    "DROP TABLE temp.search_fts_terms",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS search_vocabulary_update",
    "DROP TRIGGER IF EXISTS search_vocabulary_insert",
    "DROP TABLE IF EXISTS search_vocabulary",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0006_pg_vector_index_of_small_kinds")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
