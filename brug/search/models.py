"""The search index: one ``SearchDocument`` per searchable thing.

A document holds the text to search (its title and plain text, and their
Dutch and English stems) and the typed foreign keys that the permission
conditions of ``brug.permissions.search`` join on at query time. Nothing
about who may read a document is copied into it: memberships, visibility and
roles are read live, so a membership or visibility change needs no reindex.

The full-text index itself is per database, created by migration 0002:

* SQLite: the FTS5 table ``search_fts`` over ``title_stems``, ``stems`` and
  ``kind`` (an external-content table on this one, kept in step by
  triggers; words match the first two only, the kind narrows by type
  inside FTS5: migration 0005).
  ``SearchIndexEntry`` maps it so the ORM can join it.
* PostgreSQL: a ``search_vector tsvector`` column on this table with a GIN
  index, written by ``brug.search.backends`` (not a model field: it exists
  on PostgreSQL only).
"""

from django.conf import settings
from django.db import models
from django.db.models import Lookup
from django.utils import timezone

from brug.search.enums import DocumentKind


class SearchDocument(models.Model):
    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    object_id = models.PositiveBigIntegerField()
    # The space a post, comment or file is in; the space itself for a space.
    space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "posts.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    attachment = models.ForeignKey(
        "posts.Attachment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The person a person document is about.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Whose members may read a profile post; the owning organisation otherwise.
    organisation = models.ForeignKey(
        "people.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # NULL for anonymous posts (never the asker) and for spaces and people.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    indexed_at = models.DateTimeField(default=timezone.now)
    # Set by other apps through ``brug.search.indexing.register_boost``; a
    # higher boost always ranks first (questions with an accepted answer).
    boost = models.FloatField(default=0.0)
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    title_stems = models.TextField(blank=True)
    stems = models.TextField(blank=True)

    class Meta:
        # Deliberately no index that starts with kind or created_at (the unique
        # constraint starts with object_id): SQLite's planner, without
        # statistics, would drive a search from such an index and probe FTS5
        # once per row (seconds); the full-text index must drive.
        constraints = [
            models.UniqueConstraint(fields=["object_id", "kind"], name="unique_search_doc")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class FtsMatch(Lookup):
    """``<fts table column> MATCH <FTS5 query>`` (SQLite FTS5)."""

    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class FtsColumn(models.TextField):
    """FTS5's hidden column named like its table: the left side of ``MATCH``."""


FtsColumn.register_lookup(FtsMatch)


class SearchIndexEntry(models.Model):
    """The SQLite FTS5 table ``search_fts`` (rowid = the document's id), for joins.

    Unmanaged: migration 0002 creates it on SQLite only. ``search_fts`` is
    FTS5's hidden column named like the table, the left side of ``MATCH``.
    """

    document = models.OneToOneField(
        SearchDocument,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="fts",
    )
    search_fts = FtsColumn(db_column="search_fts")

    class Meta:
        managed = False
        db_table = "search_fts"
