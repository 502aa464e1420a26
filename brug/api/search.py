"""The search part of the API: ``GET /search`` (see brug/search/queries.py)."""

from datetime import date, datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field
from ninja.errors import HttpError

from brug.api.base import DEFAULT_LIMIT, Input, Output, Query, Router, paginate_offset, viewer_of
from brug.search import queries
from brug.search.queries import SearchFilters

router = Router(tags=["search"])


class SearchParams(Input):
    q: str = Field("", max_length=200, description="Words, Dutch or English; all must match.")
    type: Literal["post", "comment", "space", "person", "file"] | None = None
    space: int | None = Field(None, description="Only in this space (id).")
    person: int | None = Field(None, description="Only what this person wrote (id).")
    team: int | None = Field(None, description="Only this team's people and what they wrote.")
    after: date | None = Field(None, description="Created on or after this day.")
    before: date | None = Field(None, description="Created on or before this day.")
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class SpaceRef(Output):
    id: int
    name: str


class PersonRef(Output):
    id: int
    handle: str
    name: str


class SearchItem(Output):
    type: str
    id: int
    title: str = Field(description="Plain text.")
    title_html: str = Field(description="The title, HTML-escaped, matches in <mark>.")
    snippet: str = Field(description="An extract, HTML-escaped, matches in <mark>.")
    url: str
    created_at: datetime
    space: SpaceRef | None = None
    author: PersonRef | None = Field(None, description="None for anonymous posts.")
    person: PersonRef | None = Field(None, description="The person a person result is.")


class SearchPageOut(Output):
    items: list[SearchItem]
    next_cursor: str | None
    counts: dict[str, int] = Field(
        description="Matches per type (the first page's filters, without type), "
        "each counted up to the search window."
    )


def _item(hit) -> dict:
    def ref(person):
        return {"id": person.pk, "handle": person.handle, "name": person.name} if person else None

    return {
        "type": hit.type,
        "id": hit.id,
        "title": hit.plain_title,
        "title_html": str(hit.title),
        "snippet": str(hit.snippet),
        "url": hit.url,
        "created_at": hit.created_at,
        "space": {"id": hit.space.pk, "name": hit.space.name} if hit.space else None,
        "author": ref(hit.author) if hit.type not in ("space", "person") else None,
        "person": ref(hit.person) if hit.type == "person" else None,
    }


@router.get("/search", response=SearchPageOut, summary="Search everything you may read")
def search(request, params: Query[SearchParams]):
    """Search posts, comments, spaces, people and file names, in Dutch and English.

    Results come only from what you may read, ranked (answered questions
    first, then relevance). Every word must match, in any of its Dutch or
    English forms; the last word also matches as a prefix. ``counts`` gives
    the number of matches per type.
    """
    viewer = viewer_of(request)
    if params.after and params.before and params.after > params.before:
        raise HttpError(422, _("The end date comes before the start date."))
    filters = SearchFilters(
        type=params.type,
        space_id=params.space,
        person_id=params.person,
        team_id=params.team,
        after=params.after,
        before=params.before,
    )

    pages = []

    def fetch(offset: int, count: int) -> list[dict]:
        page = queries.search(
            viewer=viewer, q=params.q, filters=filters, offset=offset, limit=count, with_counts=True
        )
        pages.append(page)
        return [_item(hit) for hit in page.hits]

    page = paginate_offset(
        fetch,
        cursor=params.cursor,
        limit=params.limit,
        scope="search",
        max_offset=queries.window_size(),
    )
    counts = (
        pages[0].counts
        if pages
        else queries.count_by_type(viewer=viewer, q=params.q, filters=filters)
    )
    return {**page, "counts": counts.counts}
