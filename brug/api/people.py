"""People: ``POST /people`` (admins), ``GET /people``, ``GET /people/{id}`` (and its
photo), ``PATCH /me``, ``POST``/``DELETE /me/photo``, and invitations
(``GET``/``POST /invitations``, ``POST /invitations/{id}/revoke``) for admins and
community managers.

Every answer goes through ``brug.people.queries`` (filtered by
``brug.permissions.people``): a person the caller may not see is a 404, and a
guest lists only themselves and the people of their spaces.
"""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, UploadedFile

from brug.api.base import (
    Http404,
    Input,
    Output,
    Page,
    PageParams,
    PermissionDenied,
    Query,
    Router,
    Status,
    ValidationError,
    paginate_queryset,
)
from brug.api.core import router as me_router
from brug.people import actions, queries
from brug.people.enums import SPOKEN_LANGUAGES, InvitationRole
from brug.people.models import Organisation, Team, User
from brug.people.photos import photo_response
from brug.permissions.people import (
    can_invite_people,
    check_can_manage_people,
    filter_visible_invitations,
)

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
        missing = {
            "organisation_id": _("There is no such organisation."),
            "team_id": _("There is no such team."),
        }
        raise ValidationError({field: missing[field]})
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
    """People the caller may see, filtered; ``expertise`` matches part of a tag.

    ``q``: every word starts a word of the name, handle, function, team,
    organisation, expertise or languages (Dutch and English forms alike).
    """
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


def _set_active(request, person_id: int, active: bool):
    check_can_manage_people(request.viewer)  # before the lookup: ids stay unknowable
    person = User.objects.select_related("organisation", "team").filter(pk=person_id).first()
    if person is None:
        raise Http404
    actions.set_active(by=request.viewer, person=person, active=active)
    return person


@router.post("/people/{person_id}/deactivate", response=PersonOut, url_name="person-deactivate")
def deactivate_person(request, person_id: int):
    """Deactivate a person (admins): no sign-in, sessions and tokens stop, out of search and
    counts; what they wrote and their memberships stay. Yourself: 422."""
    return _set_active(request, person_id, False)


@router.post("/people/{person_id}/activate", response=PersonOut, url_name="person-activate")
def activate_person(request, person_id: int):
    """Let a deactivated person back in (admins), with their memberships as they were."""
    return _set_active(request, person_id, True)


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


@router.get("/people/{person_id}/photo", response={200: None}, url_name="person-photo")
def get_photo(request, person_id: int):
    """The person's photo (JPEG or PNG), or an SVG initials avatar; 404 when invisible."""
    return photo_response(queries.get_person(viewer=request.viewer, pk=person_id))


@router.post("/me/photo", response=PersonOut, url_name="me-photo")
def upload_photo(request, file: File[UploadedFile]):
    """Set the caller's photo (multipart ``file``): checked by content, cropped square,
    re-encoded without EXIF. A text file, a bomb or more than the upload limit is a 422."""
    person = queries.get_person(viewer=request.viewer, pk=request.user.pk)
    actions.set_photo(person=person, by=request.viewer, upload=file)
    return queries.get_person(viewer=request.viewer, pk=person.pk)


@router.delete("/me/photo", response={204: None}, url_name="me-photo-delete")
def delete_photo(request):
    """Remove the caller's photo (the initials avatar shows again)."""
    actions.remove_photo(person=request.user, by=request.viewer)
    return Status(204, None)


# Invitations ---------------------------------------------------------------------


class InvitationIn(Input):
    email: str | None = None
    role: str = InvitationRole.MEMBER
    organisation_id: int | None = None
    team_id: int | None = None
    days: int = actions.INVITATION_DAYS
    send_email: bool = True
    language: str | None = None
    message: str = ""


class InvitationOut(Output):
    id: int
    organisation: OrganisationRef
    team_id: int | None
    email: str
    role: str
    created_by_id: int | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    used_by_id: int | None
    emailed_at: datetime | None
    status: str

    @staticmethod
    def resolve_status(obj) -> str:
        if obj.used_at is not None:
            return "used"
        return "expired" if obj.is_expired else "open"


class NewInvitationOut(InvitationOut):
    url: str
    token: str
    emailed: bool


def _check_may_invite(request) -> None:
    if not can_invite_people(request.viewer):
        raise PermissionDenied


@router.get("/invitations", response=Page[InvitationOut], url_name="invitations")
def list_invitations(request, page: Query[PageParams]):
    """Invitations the caller manages: admins all, community managers their organisation's."""
    _check_may_invite(request)
    qs = filter_visible_invitations(request.viewer).select_related("organisation")
    return paginate_queryset(qs, cursor=page.cursor, limit=page.limit)


@router.post("/invitations", response={201: NewInvitationOut}, url_name="invitations-create")
def create_invitation(request, payload: InvitationIn):
    """Make a single-use invitation link (default: the caller's organisation, 14 days).

    The answer holds the link once (``url`` and ``token``); only its digest is stored.
    With an ``email`` (and ``send_email``, on by default) the link is also e-mailed to
    that address in ``language`` (``nl`` or ``en``; default the language of this
    answer: ``Accept-Language``, else the caller's own), with the caller's personal
    ``message`` (at most 1000 characters) and Reply-To the caller's address.
    ``emailed`` says whether the mail went out; when the mail server fails the
    invitation is made all the same (``emailed`` false): pass the link on yourself.
    Another language, or a longer message, is a 422 and makes nothing.
    """
    _check_may_invite(request)
    organisation = _get_or_422(Organisation, payload.organisation_id, "organisation_id")
    invitation = actions.create_invitation(
        by=request.viewer,
        organisation=organisation or request.user.organisation,
        email=payload.email or None,
        role=payload.role,
        team=_get_or_422(Team, payload.team_id, "team_id"),
        days=payload.days,
        send_email=payload.send_email,
        language=payload.language,
        message=payload.message,
    )
    invitation.url = request.build_absolute_uri(
        reverse("people:invitation-accept", args=[invitation.token])
    )
    return Status(201, invitation)


@router.post(
    "/invitations/{invitation_id}/revoke", response=InvitationOut, url_name="invitation-revoke"
)
def revoke_invitation(request, invitation_id: int):
    """End an unused invitation now; others' organisations' invitations are a 404."""
    _check_may_invite(request)
    invitation = (
        filter_visible_invitations(request.viewer)
        .select_related("organisation")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404
    return actions.revoke_invitation(by=request.viewer, invitation=invitation)
