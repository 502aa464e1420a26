"""Which search documents a viewer may find (hits, counts, facets and snippets).

One condition over ``SearchDocument`` that the search query applies *inside*
its SQL, before ranking and counting, built from the same rules as the pages:

* posts, comments and files: in a space the viewer may read
  (``filter_readable_spaces``), or a profile post of the viewer's own
  organisation for members (``filter_visible_posts``); deleted posts and
  comments never: their documents leave the index in the deleting
  transaction itself;
* spaces: those whose existence the viewer may know (``filter_visible_spaces``:
  private names for the organisation, secret ones for members only);
* people: ``filter_visible_people`` (guests: only co-members).

Memberships, visibility and roles are read live at query time, so joining,
leaving or changing a space's visibility needs no reindex.

Compiled once per viewer key (``brug.permissions.compiled``): building and
compiling this condition cost more Python than a rare word's whole search
costs the database.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from brug.core.sql import TableSQL
from brug.permissions.compiled import compiled_condition
from brug.permissions.people import filter_visible_people
from brug.permissions.spaces import filter_readable_spaces, filter_visible_spaces
from brug.permissions.viewer import Viewer, as_viewer

CONTENT_KINDS = ("post", "comment", "file")


def visible_documents_condition(who: Viewer | Any, using: str = "default") -> Q | TableSQL:
    """Return a condition over ``SearchDocument`` matching what the viewer may find.

    For ``filter()``, combinable with ``Q``; compiled once per viewer key.
    """
    from brug.search.models import SearchDocument

    viewer = as_viewer(who)
    if not viewer.is_authenticated:
        return Q(pk__in=[])
    return compiled_condition("search-documents", viewer, SearchDocument, _condition, using=using)


def visible_documents_sql(who: Viewer | Any, alias: str) -> tuple[str, list]:
    """The same condition as SQL over documents named ``alias``, and its parameters."""
    condition = visible_documents_condition(who)
    if isinstance(condition, Q):  # nobody signed in
        return "1 = 0", []
    return condition.sql.replace("{table}", alias), list(condition.params)


def _condition(viewer: Viewer) -> Q:
    readable = Q(space_id__in=filter_readable_spaces(viewer).values("pk"))
    if viewer.is_member:
        # Profile posts (no space): the members of the author's organisation.
        readable |= Q(space__isnull=True, organisation_id=viewer.organisation_id)
    # Deleted posts and comments have no documents: deleting removes them in
    # its own transaction (``brug.search.indexing.unindex_now``), and the
    # indexer never writes one back (it reads under a row lock).
    content = Q(kind__in=CONTENT_KINDS) & readable
    spaces = Q(kind="space", space_id__in=filter_visible_spaces(viewer).values("pk"))
    people = Q(kind="person", person_id__in=filter_visible_people(viewer).values("pk"))
    return content | spaces | people
