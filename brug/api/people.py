"""``POST /people`` (admins), ``GET /people``, ``GET /people/{id}`` and ``PATCH /me``.

Every answer goes through ``brug.people.queries`` (filtered by
``brug.permissions.people``): a person the caller may not see is a 404, and a
guest lists only themselves and the people of their spaces.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from brug.api.base import (
    Input,
    Output,
    Page,
    Query,
    Router,
    Status,
    ValidationError,
    paginate_queryset,
)
from brug.api.core import router as me_router
from brug.people import actions, queries
from brug.people.enums import SPOKEN_LANGUAGES
from brug.people.models import Organisation, Team

router = Router(tags=["people"])


class OrganisationRef(Output):
    id: int
    name: str


class TeamRef(Output):
    id: int
    name: str


class PersonOut(Output):
    id: int
    handle: str
    name: str
    email: str
    role: str
    organisation: OrganisationRef
    team: TeamRef | None
    function: str
    location: str
    bio: str
    languages: list[str]
    working_days: list[str]
    ask_me_about: str
    highlight: str
    expertise: list[str]
    photo_url: str

    @staticmethod
    def resolve_expertise(obj) -> list[str]:
        return [tag.name for tag in obj.expertise.all()]


class PersonIn(Input):
    email: str
    name: str
    password: str | None = None
    role: str = "member"
    organisation_id: int | None = None
    team_id: int | None = None


class PeopleQuery(Input):
    q: str = ""
    team: int | None = None
    organisation: int | None = None
    function: str = ""
    expertise: str = ""
    language: str = ""
    location: str = ""
    cursor: str | None = None
    limit: int = 25


class ProfilePatch(Input):
    """Fields of one's own profile; those left out are not changed."""

    name: str | None = None
    handle: str | None = None
    function: str | None = None
    location: str | None = None
    bio: str | None = None
    languages: list[str] | None = None
    working_days: list[str] | None = None
    ask_me_about: str | None = None
    expertise: list[str] | None = None
    team_id: int | None = None
    language: str | None = None


def _get_or_422(model, pk: int | None, field: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("There is no such %(thing)s.") % {"thing": field[:-3]}})
    return found


@router.post("/people", response={201: PersonOut}, url_name="people-create")
def create_person(request, payload: PersonIn):
    """Create a person (admins). A duplicate e-mail address is a 409, an invalid one a 422."""
    person = actions.create_person(
        by=request.viewer,
        email=payload.email,
        name=payload.name,
        role=payload.role,
        organisation=_get_or_422(Organisation, payload.organisation_id, "organisation_id"),
        team=_get_or_422(Team, payload.team_id, "team_id"),
        password=payload.password,
    )
    return Status(201, person)


@router.get("/people", response=Page[PersonOut], url_name="people")
def list_people(request, filters: Query[PeopleQuery]):
    """People the caller may see, filtered; ``expertise`` matches part of a tag."""
    if filters.language and filters.language.lower() not in SPOKEN_LANGUAGES:
        raise ValidationError({"language": _("Use an ISO 639-1 language code, like nl or en.")})
    people = queries.list_people(
        viewer=request.viewer, filters=queries.parse_filters(filters.dict())
    )
    return paginate_queryset(
        people,
        cursor=filters.cursor,
        limit=filters.limit,
        key=queries.DIRECTORY_KEY,
        prefetch=queries.load_people_extras,
    )


@router.get("/people/{person_id}", response=PersonOut, url_name="person")
def get_person(request, person_id: int):
    """One person's profile, or 404 when the caller may not see them."""
    return queries.get_person(viewer=request.viewer, pk=person_id)


# ``PATCH /me`` shares its path with ``GET /me`` (brug/api/core.py). Ninja makes
# one URL pattern per path and router, and Django takes the first pattern that
# matches, so the operation must join the router that holds ``GET /me``.
@me_router.patch("/me", response=PersonOut, url_name="me-update")
def update_me(request, payload: ProfilePatch):
    """Change the caller's own profile (only the fields sent)."""
    fields = payload.dict(exclude_unset=True)
    if "team_id" in fields:
        fields["team"] = fields.pop("team_id")
    for name, value in list(fields.items()):
        if value is None and name not in {"team"}:
            fields[name] = "" if name not in {"languages", "working_days", "expertise"} else []
    person = queries.get_person(viewer=request.viewer, pk=request.user.pk)
    actions.update_profile(person=person, by=request.viewer, **fields)
    return queries.get_person(viewer=request.viewer, pk=person.pk)
