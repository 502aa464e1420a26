"""PostgreSQL: the search's GIN indexes keep no pending list (``fastupdate = off``).

With ``fastupdate`` on (PostgreSQL's default), new entries wait in a pending
list of up to 4 MB (``gin_pending_list_limit``) until a vacuum merges them,
and every search reads that whole list: at the medium tier of BENCHMARKS.md,
~3 ms per full-text condition, so ~15 ms for a rare word's page and counts,
whose own index lookups take ~0.05 ms. Documents are written by the
background indexer, one at a time, so the slower write per document does
not reach a request. The lists built up so far are merged now.
``brug.core.tiers`` drops these indexes while it bulk-loads and builds them
again at the end, with the same options.
"""

from django.db import migrations

INDEXES = ("search_doc_vector", "search_doc_vector_small_kinds")


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def _backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_sqlite_vocabulary")]

    operations = [migrations.RunPython(_forward, _backward)]
