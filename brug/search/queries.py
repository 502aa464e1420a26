"""Searching: one query over posts, comments, files, spaces and people.

Every read here is narrowed *inside its SQL* by
``brug.permissions.search.visible_documents_condition`` before anything is
ranked, counted or cut into snippets, so hits, counts and snippets only ever
come from what the viewer may read.

Bounded cost. A common word can match a large part of the index; ranking
all of those matches would grow with the data. So a search takes the window
of the ``BRUG_SEARCH_WINDOW`` (default 2,000) newest matching documents the
viewer may read and ranks only those; counts per type stop at
``BRUG_SEARCH_COUNT_CAP`` (default 500: "500+"), each walking at most that
many matches. For a rare word the window holds every match, so nothing
changes. "Newest" is the order of indexing (the document id): documents are
indexed when they are written, so it follows creation, and it is the order
in which both full-text indexes hand out matches (FTS5 walks its doclists by
rowid, PostgreSQL can walk the primary key backwards), so the database stops
after the window instead of visiting every match. (After ``brug search
reindex --clear`` the kinds are indexed one after the other, so for a while
the window of a very common word favours the kinds indexed last.)

Queries per search (after the viewer's memberships, loaded once per
request, and on SQLite the vocabulary of a long last word): one, for the
ranked page with its spaces, authors and posts and, with ``with_counts``,
the counts per type; for a common word whose window is full, one more for
the types the window may undercount (on PostgreSQL only posts, comments and
files: people and spaces are counted whole in the first). The SQL is
assembled in ``brug.search.statements``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from brug.core.sql import prepared_cursor
from brug.permissions import Viewer, as_viewer
from brug.permissions.compiled import compiled_query
from brug.permissions.search import visible_documents_condition
from brug.search import statements
from brug.search.backends import get_backend
from brug.search.enums import DocumentKind
from brug.search.models import SearchDocument
from brug.search.text import Term, highlight, parse_query, snippet

DEFAULT_WINDOW = 2000
DEFAULT_COUNT_CAP = 500


def window_size() -> int:
    return max(1, int(getattr(settings, "BRUG_SEARCH_WINDOW", DEFAULT_WINDOW)))


def count_cap() -> int:
    """How far the type tabs count (never past the window): each count walks that many."""
    cap = int(getattr(settings, "BRUG_SEARCH_COUNT_CAP", DEFAULT_COUNT_CAP))
    return max(1, min(cap, window_size()))


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing of a search; every field optional."""

    type: str | None = None
    space_id: int | None = None
    person_id: int | None = None  # items written by this person
    team_id: int | None = None  # items by members of the team, and its people
    after: date | None = None  # created on or after
    before: date | None = None  # created on or before

    def without_type(self) -> SearchFilters:
        return SearchFilters(
            space_id=self.space_id,
            person_id=self.person_id,
            team_id=self.team_id,
            after=self.after,
            before=self.before,
        )


@dataclass
class Hit:
    """One search result, ready to show (``title`` and ``snippet`` are escaped HTML)."""

    type: str
    id: int
    title: SafeString  # escaped, matches in <mark>
    plain_title: str
    snippet: SafeString
    url: str
    created_at: datetime
    document: SearchDocument
    space: Any = None
    author: Any = None
    person: Any = None
    post: Any = None

    @property
    def anonymous(self) -> bool:
        return (
            self.type != DocumentKind.SPACE
            and self.type != DocumentKind.PERSON
            and (self.document.author_id is None)
        )


@dataclass
class SearchPage:
    hits: list[Hit]
    next_offset: int | None
    terms: list[Term] = field(default_factory=list)
    counts: TypeCounts | None = None  # with ``search(with_counts=True)``


@dataclass
class TypeCounts:
    counts: dict[str, int]
    capped: set[str]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def parsed_query(viewer: Viewer, q: str) -> tuple[list[Term], list[Term]]:
    """The words of ``q`` (for marking hits) and the terms to match, once per request.

    The terms to match are the backend's ``expand`` of the words (long
    prefixes become the terms they stand for, on SQLite). Nothing for someone
    signed out.
    """
    if not viewer.is_authenticated:
        return [], []

    def build() -> tuple[list[Term], list[Term]]:
        terms = parse_query(q)
        return terms, (get_backend().expand(terms) if terms else terms)

    return viewer.memo(("search-terms", q), build)


def search(
    *,
    viewer: Viewer | Any,
    q: str,
    filters: SearchFilters | None = None,
    offset: int = 0,
    limit: int = 25,
    with_counts: bool = False,
) -> SearchPage:
    """Return one page of ranked results for ``q`` (empty when ``q`` has no words).

    Order: ``boost`` first (e.g. answered questions), then relevance, then
    newest. One query. ``with_counts``: the page's ``counts`` are those of
    ``count_by_type``, from the same query (a second one when the page is
    empty).
    """
    viewer = as_viewer(viewer)
    filters = filters or SearchFilters()
    window = window_size()
    offset = max(0, offset)
    terms, matched = parsed_query(viewer, q)
    if not matched or offset >= window:
        counts = count_by_type(viewer=viewer, q=q, filters=filters) if with_counts else None
        return SearchPage(hits=[], next_offset=None, terms=terms, counts=counts)
    limit = max(1, min(limit, window - offset))
    cap = count_cap()
    documents, found = statements.ranked_documents(
        viewer,
        matched,
        filters,
        window=window,
        offset=offset,
        limit=limit + 1,
        counts=(list(DocumentKind.values), cap) if with_counts else None,
    )
    counts = None
    if with_counts:
        counts = (
            _type_counts(found, cap)
            if found is not None
            else count_by_type(viewer=viewer, q=q, filters=filters)
        )
    more = len(documents) > limit
    hits = [_hit(document, terms) for document in documents[:limit]]
    return SearchPage(
        hits=hits,
        next_offset=offset + limit if more else None,
        terms=terms,
        counts=counts,
    )


def _type_counts(counts: dict[str, int], cap: int) -> TypeCounts:
    return TypeCounts(counts=counts, capped={k for k, n in counts.items() if n >= cap})


def count_by_type(
    *, viewer: Viewer | Any, q: str, filters: SearchFilters | None = None
) -> TypeCounts:
    """Count the viewer's matches per type (one query), each capped at ``count_cap()``.

    The type filter is ignored: these are the counts of the type tabs.
    """
    viewer = as_viewer(viewer)
    filters = (filters or SearchFilters()).without_type()
    terms = parsed_query(viewer, q)[1]
    kinds = list(DocumentKind.values)
    if not terms:
        return TypeCounts(counts=dict.fromkeys(kinds, 0), capped=set())
    cap = count_cap()
    return _type_counts(statements.counts_by_kind(viewer, terms, filters, kinds, cap), cap)


def search_people(
    *,
    viewer: Viewer | Any,
    q: str,
    space: Any = None,
    among: QuerySet | None = None,
    limit: int = 10,
) -> list:
    """People matching ``q`` whom the viewer may see: the people picker and mention autocomplete.

    Every word matches as a prefix, from the first letter, of a name, handle,
    function, team, organisation, expertise or language, in Dutch and
    English. With ``space``: only people who may read it (``Http404`` when
    the viewer may not see the space, ``PermissionDenied`` when they may not
    read it). ``among`` narrows further to a queryset of people, e.g.
    ``brug.permissions.mentions.filter_mention_candidates(viewer, space=...)``
    for the autocomplete. An empty ``q`` gives the first people by name.
    One query (plus the viewer's memberships).
    """
    from brug.people.models import User
    from brug.permissions.mentions import filter_space_readers
    from brug.permissions.people import filter_visible_people
    from brug.permissions.spaces import check_can_read_space

    viewer = as_viewer(viewer)
    limit = max(1, min(limit, 50))
    if not viewer.is_authenticated:
        return []
    restrict = among
    if space is not None:
        check_can_read_space(viewer, space)
        readers = filter_space_readers(space)
        restrict = readers if restrict is None else restrict.filter(pk__in=readers.values("pk"))
    terms = parse_query(q, prefix_all=True, prefix_min_length=1)
    if not terms:
        people = filter_visible_people(viewer, User.objects.select_related("team", "organisation"))
        if restrict is not None:
            people = people.filter(pk__in=restrict.values("pk"))
        return list(people.order_by("name", "pk")[:limit])
    qs = SearchDocument.objects.filter(
        visible_documents_condition(viewer), kind=DocumentKind.PERSON
    )
    backend = get_backend()
    qs = backend.filter_match(qs, terms, kind=DocumentKind.PERSON)
    if restrict is not None:
        qs = qs.filter(person_id__in=restrict.values("pk"))
    documents = (
        backend.filter_match(SearchDocument.objects.filter(id__in=qs.values("id")), terms)
        .annotate(score=backend.score(terms))
        .select_related("person__team", "person__organisation")
        .order_by("-score", "title", "id")[:limit]
    )
    return [document.person for document in documents]


def people_matching(q: str) -> QuerySet | None:
    """The ids of people whose profile matches every word of ``q`` (as the people picker).

    A subquery for narrowing a people queryset that already applies who may
    see whom (the directory); ``None`` when ``q`` holds no words to match.
    """
    terms = parse_query(q, prefix_all=True, prefix_min_length=1)
    if not terms:
        return None
    documents = SearchDocument.objects.filter(kind=DocumentKind.PERSON)
    return get_backend().filter_match(documents, terms).values("person_id")


UNKNOWN_PERSON = _("Nobody with that name or handle was found.")


def find_person(*, viewer: Viewer | Any, ref: str):
    """The person a "written by" filter names (handle, or id), if the viewer may see them."""
    from brug.permissions.people import filter_visible_people

    ref = (ref or "").strip().lstrip("@")
    if not ref:
        return None
    people = filter_visible_people(as_viewer(viewer))
    lookup = Q(handle__iexact=ref)
    if ref.isdigit():
        lookup |= Q(pk=int(ref))
    return people.filter(lookup).first()


@dataclass(frozen=True)
class Choice:
    pk: int
    name: str


def filter_choices(*, viewer: Viewer | Any, team_id: int | None = None) -> dict:
    """The viewer's spaces for the space menu, and the chosen team (if any) for the team
    menu, whose other teams load when the filters are opened (``team_choices``).

    A member's organisation may have a thousand teams: rendering them all made
    every search page grow with the organisation (31 against 13 ms at 1,071
    against 112 teams). The spaces are the viewer's own (one query, compiled
    once per viewer key and prepared per connection); a chosen team is looked
    up among the visible ones (one more query, only then).
    """
    viewer = as_viewer(viewer)
    compiled = compiled_query("search-space-menu", viewer, _space_menu)
    rows = []
    if compiled is not None:
        # The same text on every search page of the viewer: planned once per connection.
        with prepared_cursor() as cursor:
            cursor.execute(*compiled)
            rows = cursor.fetchall()
    teams = []
    if team_id is not None:
        from brug.permissions.people import filter_visible_teams

        teams = [
            Choice(pk, name)
            for pk, name in filter_visible_teams(viewer)
            .filter(pk=team_id)
            .values_list("pk", "name")
        ]
    return {"space_choices": [Choice(pk, name) for pk, name in rows], "team_choices": teams}


def team_choices(*, viewer: Viewer | Any) -> list[Choice]:
    """The teams of the team menu (one query, compiled once per viewer key).

    Members get their own organisation's teams, guests the teams of the people
    they meet (both within ``filter_visible_teams``). Listing every team a
    member may see would walk the memberships of all their spaces, which for
    organisation-wide spaces means everybody (~9 ms at 10,000 people); the team
    filter still takes any visible team.
    """
    compiled = compiled_query("search-team-menu", as_viewer(viewer), _team_menu)
    if compiled is None:
        return []
    with prepared_cursor() as cursor:
        cursor.execute(*compiled)
        return [Choice(pk, name) for pk, name in cursor.fetchall()]


def _space_menu(viewer: Viewer) -> QuerySet:
    from brug.spaces.models import Space

    return (
        Space.objects.filter(pk__in=viewer.member_space_ids)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def _team_menu(viewer: Viewer) -> QuerySet:
    from brug.people.models import Team
    from brug.permissions.people import filter_visible_teams

    teams = (
        Team.objects.filter(organisation_id=viewer.organisation_id)
        if viewer.is_member
        else filter_visible_teams(viewer)
    )
    return teams.order_by("name", "pk").values_list("pk", "name")


# Presenting ------------------------------------------------------------------------


def _reverse(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


_MARKER = 918273645546372819
_url_templates: dict[tuple, tuple[str, str]] = {}


def _post_url(pk: int) -> str:
    """``reverse("posts:detail", args=[pk])``, reversed once per URL configuration and prefix."""
    key = (get_urlconf(), get_script_prefix())
    template = _url_templates.get(key)
    if template is None:
        before, after = reverse("posts:detail", args=[_MARKER]).split(str(_MARKER))
        template = _url_templates[key] = (before, after)
    return f"{template[0]}{int(pk)}{template[1]}"


def document_url(document: SearchDocument) -> str:
    """The page a result opens."""
    kind = document.kind
    if kind == DocumentKind.POST:
        return _post_url(document.object_id)
    if kind == DocumentKind.COMMENT:
        return _post_url(document.post_id) + f"#comment-{document.object_id}"
    if kind == DocumentKind.FILE:
        # The file itself (permission-checked download); its post if the name cannot be a URL.
        return _reverse("posts:attachment", document.object_id, document.title) or reverse(
            "posts:detail", args=[document.post_id]
        )
    if kind == DocumentKind.SPACE:
        return reverse("spaces:detail", args=[document.space.slug])
    if kind == DocumentKind.PERSON:
        return reverse("people:profile", args=[document.person.handle])
    return ""


def _plain_title(document: SearchDocument) -> str:
    if document.title:
        return document.title
    if document.kind == DocumentKind.COMMENT and document.post is not None:
        post = document.post
        # ``body_start``: the start of the body, read with the hit (``statements.EXTRAS``).
        body = getattr(post, "body_start", None)
        if body is None:
            body = post.body
        return post.title or _shortened(" ".join(body.split()))
    return _shortened(document.text)


TITLE_LENGTH = 80


def _shortened(text: str) -> str:
    """The first ``TITLE_LENGTH`` characters, exactly as ``Truncator.chars`` cuts them.

    ``Truncator`` weighs every character of the text (combining marks count
    for nothing) and looks its ellipsis up twice in the catalogue, ~50 µs
    for a 300-character reply; four times the length it keeps is enough to
    find where it cuts. A short text (after normalising, which may split a
    character into two) is only normalised, and an ASCII one
    (no combining marks) is cut by position, with the same ellipsis.
    """
    head = text[: 4 * TITLE_LENGTH]
    normal = unicodedata.normalize("NFC", head)
    if len(normal) <= TITLE_LENGTH:
        return normal  # no more characters to count than there are
    if head.isascii():
        ellipsis = pgettext("String to return when truncating text", "%(truncated_text)s…")
        keep = calculate_truncate_chars_length(TITLE_LENGTH, ellipsis)
        return add_truncation_text(head[:keep], ellipsis)
    return Truncator(head).chars(TITLE_LENGTH)


def _hit(document: SearchDocument, terms: list[Term]) -> Hit:
    title = _plain_title(document)
    return Hit(
        type=document.kind,
        id=document.object_id,
        title=highlight(title, terms),
        plain_title=title,
        snippet=snippet(document.text, terms),
        url=document_url(document),
        created_at=document.created_at,
        document=document,
        space=document.space,
        author=document.author,
        person=document.person,
        post=document.post,
    )
