"""The spaces part of the API: spaces, members, join requests, invitations, team spaces.

Every operation calls ``brug.spaces.queries`` and ``brug.spaces.actions``,
which apply ``brug.permissions.spaces``: a space the caller may not see is a
404 (exactly like a missing one), a visible space where the act is not
allowed is a 403, and guests creating spaces get a 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, UploadedFile

from brug.api.base import (
    Http404,
    Input,
    Output,
    Page,
    Query,
    Router,
    Status,
    ValidationError,
    paginate_queryset,
)
from brug.core.serving import file_response
from brug.people.models import Organisation, Team, User
from brug.permissions.people import filter_visible_people
from brug.spaces import actions, queries
from brug.spaces.models import Membership, Space

router = Router(tags=["spaces"])

VisibilityIn = Literal["open", "private", "secret"]
KindIn = Literal["community", "announcement", "questions"]
JoinPolicyIn = Literal["open", "request", "invitation"]
RoleIn = Literal["member", "moderator", "owner"]


# Schemas -----------------------------------------------------------------------------


class SpaceOut(Output):
    id: int
    slug: str
    name: str
    description: str
    visibility: str
    kind: str
    join_policy: str
    allow_anonymous: bool
    organisation_id: int
    shared_with: list[int]
    team_id: int | None
    member_count: int
    posts_last_30_days: int
    activity: str
    is_archived: bool
    created_at: datetime
    last_activity_at: datetime | None
    cover_url: str | None
    url: str
    my_role: str | None
    can_read: bool
    can_join: bool
    can_request: bool
    has_requested: bool
    is_invited: bool

    @staticmethod
    def resolve_shared_with(obj) -> list[int]:
        return sorted(org.pk for org in obj.shared_with.all())

    @staticmethod
    def resolve_posts_last_30_days(obj) -> int:
        return getattr(obj, "recent_posts", 0) or 0

    @staticmethod
    def resolve_activity(obj) -> str:
        return queries.activity_level(getattr(obj, "recent_posts", 0) or 0)[0]

    @staticmethod
    def resolve_cover_url(obj) -> str | None:
        if not obj.cover:
            return None
        return reverse("api:space-cover", kwargs={"space_id": obj.pk})

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("spaces:detail", kwargs={"slug": obj.slug})

    @staticmethod
    def resolve_my_role(obj) -> str | None:
        return getattr(obj, "viewer_role", None)

    @staticmethod
    def resolve_can_read(obj) -> bool:
        return bool(getattr(obj, "viewer_may_read", False))

    @staticmethod
    def resolve_can_join(obj) -> bool:
        return bool(getattr(obj, "viewer_may_join", False))

    @staticmethod
    def resolve_can_request(obj) -> bool:
        return bool(getattr(obj, "viewer_may_request", False))

    @staticmethod
    def resolve_has_requested(obj) -> bool:
        return bool(getattr(obj, "viewer_has_asked", False))

    @staticmethod
    def resolve_is_invited(obj) -> bool:
        return bool(getattr(obj, "viewer_is_invited", False))


class SpaceIn(Input):
    name: str
    description: str = ""
    visibility: VisibilityIn = "open"
    kind: KindIn = "community"
    join_policy: JoinPolicyIn | None = None
    organisation_id: int | None = None
    shared_with: list[int] | None = None


class SpacePatch(Input):
    """Fields of a space; those left out are not changed."""

    name: str | None = None
    description: str | None = None
    visibility: VisibilityIn | None = None
    kind: KindIn | None = None
    join_policy: JoinPolicyIn | None = None
    allow_anonymous: bool | None = None
    shared_with: list[int] | None = None
    is_archived: bool | None = None


class SpacesQuery(Input):
    q: str = ""
    kind: KindIn | None = None
    mine: bool = False
    cursor: str | None = None
    limit: int = 24


class PersonRef(Output):
    id: int
    handle: str
    name: str
    role: str
    organisation_id: int
    team_id: int | None


class MemberOut(Output):
    person: PersonRef
    role: str
    joined_at: datetime


class MemberIn(Input):
    person_id: int
    role: RoleIn = "member"


class RoleChange(Input):
    role: RoleIn


class PersonIdIn(Input):
    person_id: int


class JoinRequestIn(Input):
    message: str = ""


class JoinRequestOut(Output):
    id: int
    space_id: int
    person: PersonRef
    message: str
    status: str
    created_at: datetime
    decided_at: datetime | None


class InvitationOut(Output):
    id: int
    space_id: int
    space_name: str
    invited_by: PersonRef | None
    created_at: datetime
    accepted_at: datetime | None

    @staticmethod
    def resolve_space_name(obj) -> str:
        return obj.space.name


class MuteIn(Input):
    muted: bool


class MuteOut(Output):
    space_id: int
    muted: bool


class PageQuery(Input):
    cursor: str | None = None
    limit: int = 50


# Helpers ---------------------------------------------------------------------------------


def _space(request, space_id: int) -> Space:
    """A space the caller may see, with the caller's relation to it; 404 otherwise."""
    return queries.get_space(viewer=request.viewer, slug_or_id=space_id)


def _fresh(request, space: Space) -> Space:
    request.viewer.forget_memberships()
    return _space(request, space.pk)


def _person(request, person_id: int) -> User:
    """A person the caller can see; 404 otherwise (as if they did not exist)."""
    if not 0 < person_id < 2**63:
        raise Http404
    person = filter_visible_people(request.viewer).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def _organisation(pk: int | None) -> Organisation | None:
    if pk is None:
        return None
    found = Organisation.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if found is None:
        raise ValidationError({"organisation_id": _("There is no such organisation.")})
    return found


def _membership(space: Space, person: User) -> Membership:
    return Membership.objects.select_related("person").get(space=space, person=person)


# Spaces ------------------------------------------------------------------------------------


@router.get("/spaces", response=Page[SpaceOut], url_name="space-list")
def list_spaces(request, filters: Query[SpacesQuery]):
    """The spaces the caller may see (the directory): ``q`` searches names, ``mine`` only theirs."""
    qs = queries.directory_queryset(
        viewer=request.viewer, q=filters.q, kind=filters.kind, mine=filters.mine
    ).prefetch_related("shared_with")
    return paginate_queryset(
        qs,
        cursor=filters.cursor,
        limit=filters.limit,
        key=queries.DIRECTORY_KEY,
        prefetch=lambda rows: queries.decorate_spaces(viewer=request.viewer, spaces=rows),
    )


@router.post("/spaces", response={201: SpaceOut}, url_name="space-create")
def create_space(request, payload: SpaceIn):
    """Create a space; the caller becomes its owner. Guests get a 403."""
    space = actions.create_space(
        creator=request.viewer,
        name=payload.name,
        description=payload.description,
        visibility=payload.visibility,
        kind=payload.kind,
        join_policy=payload.join_policy,
        organisation=_organisation(payload.organisation_id),
        shared_with=payload.shared_with or [],
    )
    return Status(201, _fresh(request, space))


@router.get("/spaces/{space_id}", response=SpaceOut, url_name="space-detail")
def get_space(request, space_id: int):
    """One space the caller may see (a private one shows its name, not its content)."""
    return _space(request, space_id)


@router.patch("/spaces/{space_id}", response=SpaceOut, url_name="space-update")
def update_space(request, space_id: int, payload: SpacePatch):
    """Change a space (owners and admins); other members get a 403."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    actions.update_space(by=request.viewer, space=space, **payload.dict(exclude_unset=True))
    return _space(request, space_id)


@router.get("/spaces/{space_id}/cover", url_name="space-cover", response={200: None})
def get_cover(request, space_id: int):
    """The space's cover image, for whoever may see the space (as an attachment)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    if not space.cover:
        raise Http404
    return file_response(space.cover, content_type=space.cover_content_type, cache=False)


@router.post("/spaces/{space_id}/cover", response=SpaceOut, url_name="space-cover-upload")
def upload_cover(request, space_id: int, file: File[UploadedFile]):
    """Set the cover image (owners and admins); it is re-encoded, metadata dropped."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    actions.update_space(by=request.viewer, space=space, cover=file)
    return _space(request, space_id)


@router.delete("/spaces/{space_id}/cover", response={204: None}, url_name="space-cover-delete")
def delete_cover(request, space_id: int):
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    actions.update_space(by=request.viewer, space=space, remove_cover=True)
    return Status(204, None)


# Membership ----------------------------------------------------------------------------------


@router.post("/spaces/{space_id}/join", response=MemberOut, url_name="space-join")
def join_space(request, space_id: int):
    """Join an open space; a private one answers 403 (ask with ``join-requests``)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    membership = actions.join_space(person=request.viewer, space=space)
    return _membership(space, membership.person)


@router.post("/spaces/{space_id}/leave", response={204: None}, url_name="space-leave")
def leave_space(request, space_id: int):
    """Leave a space (the last owner gets a 422 until they hand it over)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    actions.leave_space(person=request.viewer, space=space)
    return Status(204, None)


@router.post("/spaces/{space_id}/mute", response=MuteOut, url_name="space-mute")
def mute_space(request, space_id: int, payload: MuteIn):
    """Mute (or unmute) a space one is in: no notifications from it."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    membership = actions.set_muted(person=request.viewer, space=space, muted=payload.muted)
    return {"space_id": space.pk, "muted": membership.muted}


@router.get("/spaces/{space_id}/members", response=Page[MemberOut], url_name="space-members")
def list_members(request, space_id: int, page: Query[PageQuery]):
    """The members of a space the caller may read (403 when visible but unreadable)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    return paginate_queryset(
        queries.members_queryset(viewer=request.viewer, space=space),
        cursor=page.cursor,
        limit=page.limit,
        key=queries.MEMBERS_KEY,
    )


@router.post("/spaces/{space_id}/members", response={201: MemberOut}, url_name="member-add")
def add_member(request, space_id: int, payload: MemberIn):
    """Add a person at once (moderators, owners, admins; only owners add owners)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    person = _person(request, payload.person_id)
    actions.add_member(by=request.viewer, space=space, person=person, role=payload.role)
    return Status(201, _membership(space, person))


@router.patch(
    "/spaces/{space_id}/members/{person_id}", response=MemberOut, url_name="member-update"
)
def change_role(request, space_id: int, person_id: int, payload: RoleChange):
    """Give a member another role (only owners and admins make or unmake owners)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    person = _person(request, person_id)
    actions.change_role(by=request.viewer, space=space, person=person, role=payload.role)
    return _membership(space, person)


@router.delete(
    "/spaces/{space_id}/members/{person_id}", response={204: None}, url_name="member-remove"
)
def remove_member(request, space_id: int, person_id: int):
    """Take a person out of a space; they lose access at once."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    person = _person(request, person_id)
    actions.remove_member(by=request.viewer, space=space, person=person)
    return Status(204, None)


# Join requests -------------------------------------------------------------------------------


@router.get(
    "/spaces/{space_id}/join-requests",
    response=list[JoinRequestOut],
    url_name="join-request-list",
)
def list_join_requests(request, space_id: int):
    """Pending requests to join (moderators, owners, admins)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    return list(queries.list_join_requests(viewer=request.viewer, space=space)[:500])


@router.post(
    "/spaces/{space_id}/join-requests",
    response={201: JoinRequestOut},
    url_name="join-request-create",
)
def request_to_join(request, space_id: int, payload: JoinRequestIn):
    """Ask the moderators to let one in (private spaces, and open spaces that take requests)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    join_request = actions.request_to_join(
        person=request.viewer, space=space, message=payload.message
    )
    return Status(201, join_request)


@router.delete(
    "/spaces/{space_id}/join-requests/mine",
    response={204: None},
    url_name="join-request-cancel",
)
def cancel_join_request(request, space_id: int):
    """Withdraw one's own pending request."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    actions.cancel_join_request(person=request.viewer, space=space)
    return Status(204, None)


@router.post(
    "/spaces/{space_id}/join-requests/{request_id}/{decision}",
    response=JoinRequestOut,
    url_name="join-request-decide",
)
def decide_join_request(
    request, space_id: int, request_id: int, decision: Literal["approve", "decline"]
):
    """Approve or decline a pending request (moderators, owners, admins)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    join_request = queries.get_join_request(
        viewer=request.viewer, space=space, request_id=request_id
    )
    decide = actions.approve_request if decision == "approve" else actions.decline_request
    return decide(by=request.viewer, join_request=join_request)


# Invitations ---------------------------------------------------------------------------------


@router.post(
    "/spaces/{space_id}/invitations",
    response={201: InvitationOut},
    url_name="space-invite",
)
def invite(request, space_id: int, payload: PersonIdIn):
    """Invite a person (members of open spaces; moderators and owners elsewhere and for guests)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=space_id)
    person = _person(request, payload.person_id)
    invitation = actions.invite_to_space(by=request.viewer, space=space, person=person)
    return Status(201, invitation)


@router.get("/space-invitations", response=list[InvitationOut], url_name="space-invitation-list")
def list_invitations(request):
    """The caller's pending invitations to spaces."""
    return list(queries.list_invitations(viewer=request.viewer)[:500])


@router.post(
    "/space-invitations/{invitation_id}/accept",
    response=MemberOut,
    url_name="space-invitation-accept",
)
def accept_invitation(request, invitation_id: int):
    invitation = queries.get_invitation(viewer=request.viewer, invitation_id=invitation_id)
    membership = actions.accept_invitation(person=request.viewer, invitation=invitation)
    return _membership(invitation.space, membership.person)


@router.post(
    "/space-invitations/{invitation_id}/decline",
    response={204: None},
    url_name="space-invitation-decline",
)
def decline_invitation(request, invitation_id: int):
    invitation = queries.get_invitation(viewer=request.viewer, invitation_id=invitation_id)
    actions.decline_invitation(person=request.viewer, invitation=invitation)
    return Status(204, None)


# Team spaces ----------------------------------------------------------------------------------


@router.post("/teams/{team_id}/space", response=SpaceOut, url_name="team-space")
def team_space(request, team_id: int):
    """Create (or bring up to date) the space of a team (community managers and admins)."""
    team = Team.objects.filter(pk=team_id).first() if 0 < team_id < 2**63 else None
    if team is None:
        raise Http404
    space = actions.create_team_space(by=request.viewer, team=team)
    return _fresh(request, space)
