"""Who may see, read, join, post in and moderate a space (DESIGN.md "Who sees what").

Seeing a space (name, description, member count) is separate from reading it
(posts, comments, members, files).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Value
from django.http import Http404

from brug.people.enums import Role
from brug.permissions.viewer import Viewer, as_viewer
from brug.spaces.enums import JoinPolicy, SpaceKind, SpaceRole, Visibility
from brug.spaces.models import Space


def _organisation_ids(space: Space) -> set[int]:
    """Return the owning and sharing organisations of a space (cached on it)."""
    cached = getattr(space, "_brug_org_ids", None)
    if cached is None:
        cache = getattr(space, "_prefetched_objects_cache", {})
        if "shared_with" in cache:
            shared = {org.pk for org in cache["shared_with"]}
        else:
            shared = set(space.shared_with.values_list("id", flat=True))
        cached = {space.organisation_id, *shared}
        space._brug_org_ids = cached
    return cached


def _in_organisations(viewer: Viewer, space: Space) -> bool:
    if not viewer.is_member:
        return False
    if space.organisation_id == viewer.organisation_id:
        return True
    # Spaces loaded through ``with_viewer_sharing`` know the answer for this
    # viewer's organisation without another query.
    if getattr(space, "_brug_sharing_org", None) == viewer.organisation_id:
        return bool(space._brug_shared_with_viewer)
    return viewer.organisation_id in _organisation_ids(space)


def with_viewer_sharing(who: Viewer | Any, qs: QuerySet[Space]) -> QuerySet[Space]:
    """Annotate whether each space is shared with the viewer's organisation.

    The rules above then decide about a whole list of spaces without one
    query per space for its ``shared_with`` organisations.
    """
    viewer = as_viewer(who)
    org = viewer.organisation_id
    if org is None:
        return qs
    through = Space.shared_with.through.objects.filter(space_id=OuterRef("pk"), organisation_id=org)
    return qs.annotate(
        _brug_sharing_org=Value(org, output_field=IntegerField()),
        _brug_shared_with_viewer=Exists(through),
    )


def space_role(who: Viewer | Any, space: Space) -> str | None:
    """Return the viewer's role in the space, or None when not a member."""
    return as_viewer(who).space_roles.get(space.pk)


def can_see_space(who: Viewer | Any, space: Space) -> bool:
    """May the viewer know that the space exists (name, description, size)?"""
    viewer = as_viewer(who)
    if not viewer.is_authenticated:
        return False
    if space.pk in viewer.space_roles:
        return True
    if space.visibility == Visibility.SECRET:
        return False
    return _in_organisations(viewer, space)


def can_read_space(who: Viewer | Any, space: Space) -> bool:
    """May the viewer read the space's posts, comments, members and files?"""
    viewer = as_viewer(who)
    if not viewer.is_authenticated:
        return False
    if space.pk in viewer.space_roles:
        return True
    return space.visibility == Visibility.OPEN and _in_organisations(viewer, space)


def can_join_space(who: Viewer | Any, space: Space) -> bool:
    """May the viewer join at once (open space, open join policy, not yet in)?"""
    viewer = as_viewer(who)
    return (
        viewer.is_member
        and space.pk not in viewer.space_roles
        and space.visibility == Visibility.OPEN
        and space.join_policy == JoinPolicy.OPEN
        and can_read_space(viewer, space)
    )


def can_request_to_join(who: Viewer | Any, space: Space) -> bool:
    """May the viewer ask the moderators to let them in?"""
    viewer = as_viewer(who)
    return (
        viewer.is_member
        and space.pk not in viewer.space_roles
        and space.visibility != Visibility.SECRET
        and space.join_policy != JoinPolicy.INVITATION
        and not can_join_space(viewer, space)
        and can_see_space(viewer, space)
    )


def can_moderate_space(who: Viewer | Any, space: Space) -> bool:
    """Owners and moderators of the space; community managers who can read it."""
    viewer = as_viewer(who)
    role = viewer.space_roles.get(space.pk)
    if role in {SpaceRole.OWNER, SpaceRole.MODERATOR}:
        return True
    return viewer.is_community_manager and can_read_space(viewer, space)


def can_administer_space(who: Viewer | Any, space: Space) -> bool:
    """Owners; admins for spaces they can see (settings, roles, never content)."""
    viewer = as_viewer(who)
    if viewer.space_roles.get(space.pk) == SpaceRole.OWNER:
        return True
    return viewer.is_admin and can_see_space(viewer, space)


def can_post_in_space(who: Viewer | Any, space: Space) -> bool:
    """May the viewer start a post in the space?

    Members post in community spaces; anyone who can read a questions space
    may ask there (the "Durf te vragen" promise); only owners and moderators
    post in announcement spaces.
    """
    viewer = as_viewer(who)
    if not can_read_space(viewer, space) or space.is_archived:
        return False
    role = viewer.space_roles.get(space.pk)
    if space.kind == SpaceKind.ANNOUNCEMENT:
        return role in {SpaceRole.OWNER, SpaceRole.MODERATOR}
    if space.kind == SpaceKind.QUESTIONS:
        return True
    return role is not None


def can_comment_in_space(who: Viewer | Any, space: Space) -> bool:
    """Anyone who can read a space may comment on its posts (not in archives)."""
    viewer = as_viewer(who)
    return can_read_space(viewer, space) and not space.is_archived


def can_manage_members(who: Viewer | Any, space: Space) -> bool:
    """May the viewer add, remove and re-role members (moderators, owners, admins)?"""
    return can_moderate_space(who, space) or can_administer_space(who, space)


def can_grant_ownership(who: Viewer | Any, space: Space) -> bool:
    """Only owners (and admins administering the space) make or unmake owners."""
    return can_administer_space(who, space)


def can_invite_to_space(who: Viewer | Any, space: Space, *, guest: bool = False) -> bool:
    """May the viewer invite someone into the space?

    Any (non-guest) member of an open space may invite colleagues; private
    and secret spaces take invitations from their moderators and owners only,
    and so do guests, whatever the space. Archived spaces take nobody new.
    """
    viewer = as_viewer(who)
    if not viewer.is_authenticated or space.is_archived:
        return False
    if can_manage_members(viewer, space):
        return True
    if guest or not viewer.is_member:
        return False
    return space.visibility == Visibility.OPEN and space.pk in viewer.space_roles


def may_become_member(person: Any, space: Space) -> bool:
    """May this person be placed in the space at all?

    Guests may be added to any space (by moderators: see ``can_invite_to_space``);
    other people only to spaces of their own organisation or shared with it,
    so a space never leaks to an organisation it was not shared with.
    """
    if not person.is_active:
        return False
    if person.role == Role.GUEST:
        return True
    return person.organisation_id in _organisation_ids(space)


def check_can_see_space(who: Viewer | Any, space: Space) -> None:
    if not can_see_space(who, space):
        raise Http404


def check_can_read_space(who: Viewer | Any, space: Space) -> None:
    """Raise 404 when the space is invisible, 403 when visible but not readable."""
    check_can_see_space(who, space)
    if not can_read_space(who, space):
        raise PermissionDenied


def check_can_post(who: Viewer | Any, space: Space) -> None:
    """Raise 404 when the viewer may not see the space, 403 when they may not post."""
    check_can_see_space(who, space)
    if not can_post_in_space(who, space):
        raise PermissionDenied


def check_can_moderate_space(who: Viewer | Any, space: Space) -> None:
    check_can_see_space(who, space)
    if not can_moderate_space(who, space):
        raise PermissionDenied


def check_can_administer_space(who: Viewer | Any, space: Space) -> None:
    check_can_see_space(who, space)
    if not can_administer_space(who, space):
        raise PermissionDenied


def check_can_manage_members(who: Viewer | Any, space: Space) -> None:
    check_can_see_space(who, space)
    if not can_manage_members(who, space):
        raise PermissionDenied


def _shared_with_org(organisation_id: int) -> QuerySet:
    return Space.shared_with.through.objects.filter(organisation_id=organisation_id).values(
        "space_id"
    )


def filter_visible_spaces(who: Viewer | Any, qs: QuerySet[Space] | None = None) -> QuerySet[Space]:
    """Narrow spaces to those the viewer may see (agrees with ``can_see_space``)."""
    viewer = as_viewer(who)
    qs = Space.objects.all() if qs is None else qs
    if not viewer.is_authenticated:
        return qs.none()
    condition = Q(pk__in=viewer.member_space_ids)
    if viewer.is_member:
        org = viewer.organisation_id
        condition |= Q(visibility__in=[Visibility.OPEN, Visibility.PRIVATE]) & (
            Q(organisation_id=org) | Q(pk__in=_shared_with_org(org))
        )
    return qs.filter(condition)


def readable_space_condition(viewer: Viewer, prefix: str = "") -> Q:
    """Return a Q over ``<prefix>`` space fields matching spaces the viewer may read."""
    condition = Q(**{f"{prefix}pk__in": viewer.member_space_ids})
    if viewer.is_member:
        org = viewer.organisation_id
        condition |= Q(**{f"{prefix}visibility": Visibility.OPEN}) & (
            Q(**{f"{prefix}organisation_id": org}) | Q(**{f"{prefix}pk__in": _shared_with_org(org)})
        )
    return condition


def filter_readable_spaces(who: Viewer | Any, qs: QuerySet[Space] | None = None) -> QuerySet[Space]:
    """Narrow spaces to those the viewer may read (agrees with ``can_read_space``)."""
    viewer = as_viewer(who)
    qs = Space.objects.all() if qs is None else qs
    if not viewer.is_authenticated:
        return qs.none()
    return qs.filter(readable_space_condition(viewer))
