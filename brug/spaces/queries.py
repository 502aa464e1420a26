"""Reads on spaces, already narrowed by ``brug.permissions.spaces``.

Every list loads what its template shows in a fixed number of queries,
whether the page holds 5 spaces or 25 and whether the viewer is in 10 spaces
or 200: the viewer's memberships come from the ``Viewer`` (one query per
request), member counts are a denormalised counter, the activity indicator is
one correlated subquery in the page's own query, and per-page extras (the
viewer's pending requests, the organisations a space is shared with) are one
query each.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brug.api.pagination import paginate_queryset
from brug.people.models import Organisation, User
from brug.permissions import Viewer, as_viewer
from brug.permissions.people import filter_visible_people
from brug.permissions.spaces import (
    can_administer_space,
    can_invite_to_space,
    can_join_space,
    can_manage_members,
    can_moderate_space,
    can_post_in_space,
    can_read_space,
    can_request_to_join,
    check_can_manage_members,
    check_can_read_space,
    filter_visible_spaces,
    with_viewer_sharing,
)
from brug.spaces.enums import RequestStatus, SpaceKind, SpaceRole
from brug.spaces.models import JoinRequest, Membership, Space, SpaceInvitation

ACTIVITY_WINDOW_DAYS = 30
DIRECTORY_KEY = ("name", "id")
MEMBERS_KEY = ("role_rank", "person__name", "id")


def _recent_posts() -> Coalesce:
    """Posts of the last 30 days in the outer space (one subquery, using the feed index)."""
    from brug.posts.models import Post

    since = timezone.now() - timedelta(days=ACTIVITY_WINDOW_DAYS)
    counted = (
        Post.objects.filter(space=OuterRef("pk"), is_deleted=False, created_at__gte=since)
        .order_by()
        .values("space")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def activity_level(recent_posts: int) -> tuple[str, Any]:
    """Turn a 30-day post count into a label a newcomer reads at a glance."""
    if recent_posts >= 20:
        return "busy", _("Very active")
    if recent_posts >= 5:
        return "active", _("Active")
    if recent_posts >= 1:
        return "quiet", _("Quiet")
    return "silent", _("No posts this month")


def _with_organisations(qs: QuerySet[Space]) -> QuerySet[Space]:
    """Load the owning and sharing organisations with the spaces (for API answers)."""
    return qs.select_related("organisation").prefetch_related(
        Prefetch("shared_with", queryset=Organisation.objects.order_by("name"))
    )


def _for_viewer(viewer: Viewer, qs: QuerySet[Space]) -> QuerySet[Space]:
    """Annotate, in the spaces' own query, what a space card shows about the viewer.

    The 30-day post count, whether the viewer has asked to join or was
    invited, and whether the space is shared with the viewer's organisation
    (so the permission rules need no query per space).
    """
    pending_request = JoinRequest.objects.filter(
        space_id=OuterRef("pk"), person_id=viewer.id, status=RequestStatus.PENDING
    )
    pending_invitation = SpaceInvitation.objects.filter(
        space_id=OuterRef("pk"), person_id=viewer.id, accepted_at__isnull=True
    )
    qs = with_viewer_sharing(viewer, qs.select_related("organisation"))
    return qs.annotate(
        recent_posts=_recent_posts(),
        viewer_has_asked=Exists(pending_request),
        viewer_is_invited=Exists(pending_invitation),
    )


def decorate_spaces(*, viewer: Viewer, spaces: list[Space]) -> list[Space]:
    """Attach the viewer's relation to each space (role, may join or ask); no queries.

    Expects spaces loaded through ``_for_viewer``.
    """
    for space in spaces:
        space.viewer_role = viewer.space_roles.get(space.pk)
        space.viewer_may_join = can_join_space(viewer, space) and not space.is_archived
        space.viewer_may_request = can_request_to_join(viewer, space) and not space.is_archived
        space.viewer_may_read = can_read_space(viewer, space)
        recent = getattr(space, "recent_posts", 0) or 0
        space.activity_code, space.activity_label = activity_level(recent)
    return spaces


def directory_queryset(
    *, viewer: Viewer | Any, q: str | None = None, kind: str | None = None, mine: bool = False
) -> QuerySet[Space]:
    """The spaces of the directory: visible, optionally filtered, annotated for their cards."""
    viewer = as_viewer(viewer)
    qs = filter_visible_spaces(viewer)
    if mine:
        qs = qs.filter(pk__in=viewer.member_space_ids)
    else:
        # Archived spaces stay listed for their members only.
        qs = qs.filter(Q(is_archived=False) | Q(pk__in=viewer.member_space_ids))
    if kind and kind in SpaceKind.values:
        qs = qs.filter(kind=kind)
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    return _for_viewer(viewer, qs)


def list_spaces_for_directory(
    *,
    viewer: Viewer | Any,
    q: str | None = None,
    kind: str | None = None,
    mine: bool = False,
    cursor: str | None = None,
    limit: int = 24,
) -> dict:
    """Return ``{"items", "next_cursor"}``: one page of the space directory.

    Each space carries ``recent_posts``, ``activity_code``/``activity_label``
    and the viewer's relation to it (``viewer_role``, ``viewer_may_join`` …).
    A bad cursor raises ``InvalidCursor`` (a 400).
    """
    viewer = as_viewer(viewer)
    qs = directory_queryset(viewer=viewer, q=q, kind=kind, mine=mine)
    return paginate_queryset(
        qs,
        cursor=cursor,
        limit=limit,
        key=DIRECTORY_KEY,
        prefetch=lambda rows: decorate_spaces(viewer=viewer, spaces=rows),
    )


def _lookup(slug_or_id: str | int) -> Q:
    """A space is addressed by id (the API) or slug (pages); absurd ids are simply missing."""
    text = str(slug_or_id)
    if text.isascii() and text.isdigit():
        pk = int(text)
        if not 0 < pk < 2**63:
            raise Http404
        return Q(pk=pk)
    return Q(slug=text)


def get_space(*, viewer: Viewer | Any, slug_or_id: str | int) -> Space:
    """Return a space the viewer may see, decorated for its header; 404 when invisible or missing.

    One query besides the viewer's memberships, whatever the space's size.
    """
    viewer = as_viewer(viewer)
    qs = _for_viewer(viewer, filter_visible_spaces(viewer).filter(_lookup(slug_or_id)))
    space = qs.annotate(
        viewer_muted=Exists(
            Membership.objects.filter(space_id=OuterRef("pk"), person_id=viewer.id, muted=True)
        ),
        pending_request_count=Coalesce(
            Subquery(
                JoinRequest.objects.filter(space_id=OuterRef("pk"), status=RequestStatus.PENDING)
                .order_by()
                .values("space_id")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    ).first()
    if space is None:
        raise Http404
    decorate_spaces(viewer=viewer, spaces=[space])
    space.viewer_may_post = can_post_in_space(viewer, space)
    space.viewer_may_moderate = can_moderate_space(viewer, space)
    space.viewer_may_administer = can_administer_space(viewer, space)
    space.viewer_may_manage_members = can_manage_members(viewer, space)
    space.viewer_may_invite = can_invite_to_space(viewer, space)
    if not space.viewer_may_manage_members:
        space.pending_request_count = 0
    return space


def find_space(*, viewer: Viewer | Any, slug_or_id: str | int) -> Space:
    """Return a visible space with its organisations, without the header extras; 404 otherwise.

    For writes, the cover and the API: one query plus one for its organisations.
    """
    viewer = as_viewer(viewer)
    qs = with_viewer_sharing(viewer, filter_visible_spaces(viewer).filter(_lookup(slug_or_id)))
    space = _with_organisations(qs).first()
    if space is None:
        raise Http404
    return space


def members_queryset(*, viewer: Viewer | Any, space: Space) -> QuerySet[Membership]:
    """The memberships of a space the viewer may read (404 invisible, 403 unreadable)."""
    check_can_read_space(viewer, space)
    return (
        Membership.objects.filter(space=space, person__is_active=True)
        .select_related("person", "person__team", "person__organisation")
        .annotate(
            role_rank=Case(
                When(role=SpaceRole.OWNER, then=Value(0)),
                When(role=SpaceRole.MODERATOR, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
    )


def list_members(
    *, viewer: Viewer | Any, space: Space, cursor: str | None = None, limit: int = 50
) -> dict:
    """Return ``{"items", "next_cursor"}`` of memberships: owners, moderators, then members by name."""
    return paginate_queryset(
        members_queryset(viewer=viewer, space=space), cursor=cursor, limit=limit, key=MEMBERS_KEY
    )


def list_join_requests(*, viewer: Viewer | Any, space: Space) -> QuerySet[JoinRequest]:
    """Pending requests to join, for those who decide on them (404 invisible, 403 others)."""
    check_can_manage_members(viewer, space)
    return (
        JoinRequest.objects.filter(space=space, status=RequestStatus.PENDING)
        .select_related("person", "person__team", "person__organisation")
        .order_by("created_at", "pk")
    )


def get_join_request(*, viewer: Viewer | Any, space: Space, request_id: int) -> JoinRequest:
    """Return a pending request of this space for someone who decides on it; 404 otherwise."""
    if not 0 < request_id < 2**63:
        raise Http404
    request = list_join_requests(viewer=viewer, space=space).filter(pk=request_id).first()
    if request is None:
        raise Http404
    return request


def list_invitations(*, viewer: Viewer | Any) -> QuerySet[SpaceInvitation]:
    """The viewer's own pending invitations (they show the invited space's name)."""
    viewer = as_viewer(viewer)
    if not viewer.is_authenticated:
        return SpaceInvitation.objects.none()
    return (
        SpaceInvitation.objects.filter(person_id=viewer.id, accepted_at__isnull=True)
        .select_related("space", "invited_by")
        .order_by("-created_at", "-pk")
    )


def get_invitation(*, viewer: Viewer | Any, invitation_id: int) -> SpaceInvitation:
    if not 0 < invitation_id < 2**63:
        raise Http404
    invitation = list_invitations(viewer=viewer).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


def list_invitable_people(
    *, viewer: Viewer | Any, space: Space, q: str = "", limit: int = 20
) -> list[User]:
    """People the viewer may invite into the space, matching ``q`` (the invite picker).

    Only people the viewer can see, not already in the space, of an
    organisation the space belongs to (guests only for those who may invite
    them). Found in the people index of search, as the mention autocomplete
    is; an exact e-mail address finds its person too.
    """
    from brug.search.queries import search_people

    viewer = as_viewer(viewer)
    if not can_invite_to_space(viewer, space):
        return []
    q = (q or "").strip()[:100]
    qs = filter_visible_people(viewer).exclude(memberships__space=space)
    members_only = Q(organisation_id=space.organisation_id) | Q(
        organisation__in=space.shared_with.all()
    )
    if can_invite_to_space(viewer, space, guest=True):
        qs = qs.filter(members_only | Q(role="guest"))
    else:
        qs = qs.filter(members_only).exclude(role="guest")
    if "@" in q.strip("@"):
        by_address = list(qs.filter(email__iexact=q).select_related("team"))
        if by_address:
            return by_address
    return search_people(viewer=viewer, q=q, among=qs, limit=limit)


def list_team_space_candidates(*, viewer: Viewer | Any) -> list:
    """The team tree of the viewer's organisation (all for admins), each with its space if any."""
    from brug.people.models import Team

    viewer = as_viewer(viewer)
    teams = Team.objects.select_related("organisation", "parent").annotate(
        people_count=Count("people", filter=Q(people__is_active=True), distinct=True)
    )
    if not viewer.is_admin:
        teams = teams.filter(organisation_id=viewer.organisation_id)
    teams = list(teams.order_by("organisation__name", "name", "pk"))
    spaces = {
        s.team_id: s for s in Space.objects.filter(team_id__in=[t.pk for t in teams]).order_by("pk")
    }
    visible = set(
        filter_visible_spaces(viewer)
        .filter(pk__in=[s.pk for s in spaces.values()])
        .values_list("pk", flat=True)
    )
    children: dict[int | None, list] = {}
    for team in teams:
        space = spaces.get(team.pk)
        team.space = space if space is not None and space.pk in visible else None
        team.has_space = space is not None
        children.setdefault(team.parent_id, []).append(team)
    ordered: list = []

    def walk(parent_id: int | None, depth: int) -> None:
        for team in children.get(parent_id, []):
            team.depth = depth
            ordered.append(team)
            walk(team.pk, depth + 1)

    known = {t.pk for t in teams}
    roots = [t for t in teams if t.parent_id is None or t.parent_id not in known]
    for root in roots:
        root.depth = 0
        ordered.append(root)
        walk(root.pk, 1)
    return ordered
