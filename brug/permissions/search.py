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

from django.db.models import BooleanField, Q

from brug.core.sql import TableSQL
from brug.permissions.compiled import compiled_where
from brug.permissions.people import filter_visible_people
from brug.permissions.spaces import filter_readable_spaces, filter_visible_spaces
from brug.permissions.viewer import Viewer, as_viewer

CONTENT_KINDS = ("post", "comment", "file")
KINDS = (*CONTENT_KINDS, "space", "person")


def visible_documents_condition(
    who: Viewer | Any, using: str = "default", kind: str | tuple[str, ...] | None = None
) -> Q | TableSQL:
    """Return a condition over ``SearchDocument`` matching what the viewer may find.

    For ``filter()``, combinable with ``Q``; compiled once per viewer key.
    With ``kind`` (one kind or a tuple of kinds), only documents of those
    kinds, and only their rules: a shorter statement for the type counts, the
    type filters and a search's window of posts, comments and files.
    """
    viewer = as_viewer(who)
    if not viewer.is_authenticated:
        return Q(pk__in=[])
    sql, params = _compiled(viewer, kind, using)
    return TableSQL(sql, params, output_field=BooleanField())


def visible_documents_sql(
    who: Viewer | Any, alias: str, kind: str | tuple[str, ...] | None = None
) -> tuple[str, list]:
    """The same condition as SQL over documents named ``alias``, and its parameters."""
    viewer = as_viewer(who)
    if not viewer.is_authenticated:
        return "1 = 0", []
    sql, params = _compiled(viewer, kind, "default")
    return sql.replace("{table}", alias), list(params)


def _compiled(viewer: Viewer, kind: str | tuple[str, ...] | None, using: str) -> tuple[str, tuple]:
    from brug.search.models import SearchDocument

    kinds = KINDS if kind is None else (kind,) if isinstance(kind, str) else tuple(kind)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise ValueError(f"not kinds of document: {kind!r}")
    kinds = tuple(k for k in KINDS if k in kinds)  # one order, one compiled statement
    name = f"search-documents:{'+'.join(kinds)}"
    return viewer.memo(
        (name, using),
        lambda: compiled_where(
            name, viewer, SearchDocument, lambda v: _condition(v, kinds), using=using
        ),
    )


def _condition(viewer: Viewer, kinds: tuple[str, ...]) -> Q:
    """The rules of ``kinds`` joined by OR; posts, comments and files share theirs."""
    rules = []
    content = [kind for kind in kinds if kind in CONTENT_KINDS]
    if content:
        kind = Q(kind=content[0]) if len(content) == 1 else Q(kind__in=content)
        rules.append(kind & _readable(viewer))
    if "space" in kinds:
        rules.append(_spaces(viewer))
    if "person" in kinds:
        rules.append(_people(viewer))
    condition = rules[0]
    for rule in rules[1:]:
        condition |= rule
    return condition


def _readable(viewer: Viewer) -> Q:
    readable = Q(space_id__in=filter_readable_spaces(viewer).values("pk"))
    if viewer.is_member:
        # Profile posts (no space): the members of the author's organisation.
        readable |= Q(space__isnull=True, organisation_id=viewer.organisation_id)
    # Deleted posts and comments have no documents: deleting removes them in
    # its own transaction (``brug.search.indexing.unindex_now``), and the
    # indexer never writes one back (it reads under a row lock).
    return readable


def _spaces(viewer: Viewer) -> Q:
    return Q(kind="space", space_id__in=filter_visible_spaces(viewer).values("pk"))


def _people(viewer: Viewer) -> Q:
    return Q(kind="person", person_id__in=filter_visible_people(viewer).values("pk"))
