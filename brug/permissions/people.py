"""Who may see whom (DESIGN.md "Who sees what", people)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from brug.people.enums import Role
from brug.people.models import User
from brug.permissions.viewer import Viewer, as_viewer


def _co_member_ids(viewer: Viewer) -> QuerySet:
    from brug.spaces.models import Membership

    return Membership.objects.filter(space_id__in=viewer.member_space_ids).values("person_id")


def can_see_person(who: Viewer | Any, person: User) -> bool:
    """Members see their whole organisation; everyone sees co-members of their spaces."""
    viewer = as_viewer(who)
    if not viewer.is_authenticated or not person.is_active:
        return person.pk == viewer.id and viewer.is_authenticated
    if person.pk == viewer.id:
        return True
    if viewer.is_member and person.organisation_id == viewer.organisation_id:
        return True
    return _co_member_ids(viewer).filter(person_id=person.pk).exists()


def check_can_see_person(who: Viewer | Any, person: User) -> None:
    if not can_see_person(who, person):
        raise Http404


def filter_visible_people(who: Viewer | Any, qs: QuerySet[User] | None = None) -> QuerySet[User]:
    """Narrow people to those the viewer may see (agrees with ``can_see_person``)."""
    viewer = as_viewer(who)
    qs = User.objects.all() if qs is None else qs
    if not viewer.is_authenticated:
        return qs.none()
    condition = Q(pk=viewer.id) | Q(pk__in=_co_member_ids(viewer))
    if viewer.is_member:
        condition |= Q(organisation_id=viewer.organisation_id)
    return qs.filter(condition, is_active=True)


def can_edit_profile(who: Viewer | Any, person: User) -> bool:
    """A person edits their own profile; admins edit anyone's (they administer people
    of every organisation, as in the Django admin)."""
    viewer = as_viewer(who)
    if not viewer.is_authenticated:
        return False
    return person.pk == viewer.id or viewer.is_admin


def check_can_edit_profile(who: Viewer | Any, person: User) -> None:
    """Raise 404 when the person is invisible, 403 when visible but not editable."""
    if as_viewer(who).is_admin:
        return
    check_can_see_person(who, person)
    if not can_edit_profile(who, person):
        raise PermissionDenied


def can_set_highlight(who: Viewer | Any) -> bool:
    """Leadership and ambassador flags are given by community managers and admins."""
    return as_viewer(who).is_community_manager


def can_manage_people(who: Viewer | Any) -> bool:
    """Admins create people, organisations and teams."""
    return as_viewer(who).is_admin


def check_can_manage_people(who: Viewer | Any) -> None:
    if not can_manage_people(who):
        raise PermissionDenied


def can_invite_people(who: Viewer | Any, organisation_id: int | None = None) -> bool:
    """Admins invite into any organisation; community managers into their own.

    Without ``organisation_id``: may the viewer invite anyone at all?
    """
    viewer = as_viewer(who)
    if viewer.is_admin:
        return True
    if viewer.role != Role.COMMUNITY_MANAGER:
        return False
    return organisation_id is None or organisation_id == viewer.organisation_id


def check_can_invite_people(who: Viewer | Any, organisation_id: int | None = None) -> None:
    if not can_invite_people(who, organisation_id):
        raise PermissionDenied


def filter_visible_invitations(who: Viewer | Any, qs: QuerySet | None = None) -> QuerySet:
    """Invitations an admin (all) or community manager (their organisation's) may list."""
    from brug.people.models import Invitation

    viewer = as_viewer(who)
    qs = Invitation.objects.all() if qs is None else qs
    if viewer.is_admin:
        return qs
    if viewer.role == Role.COMMUNITY_MANAGER:
        return qs.filter(organisation_id=viewer.organisation_id)
    return qs.none()


def filter_visible_teams(who: Viewer | Any, qs: QuerySet | None = None) -> QuerySet:
    """Teams the viewer may see.

    Members see their own organisation's whole tree; everyone (guests too)
    sees the teams of the people they can see (``filter_visible_people``).
    """
    from brug.people.models import Team

    viewer = as_viewer(who)
    qs = Team.objects.all() if qs is None else qs
    if not viewer.is_authenticated:
        return qs.none()
    condition = Q(pk__in=filter_visible_people(viewer).filter(team__isnull=False).values("team_id"))
    if viewer.is_member:
        condition |= Q(organisation_id=viewer.organisation_id)
    return qs.filter(condition)


def filter_visible_organisations(who: Viewer | Any, qs: QuerySet | None = None) -> QuerySet:
    """Organisations the viewer may see.

    Their own; those owning or sharing a space the viewer can see; those of
    the people the viewer can see. A guest therefore sees their own
    organisation and those they meet in their spaces, nothing more.
    """
    from brug.people.models import Organisation
    from brug.permissions.spaces import filter_visible_spaces
    from brug.spaces.models import Space

    viewer = as_viewer(who)
    qs = Organisation.objects.all() if qs is None else qs
    if not viewer.is_authenticated:
        return qs.none()
    spaces = filter_visible_spaces(viewer)
    condition = (
        Q(pk=viewer.organisation_id)
        | Q(pk__in=spaces.values("organisation_id"))
        | Q(
            pk__in=Space.shared_with.through.objects.filter(space__in=spaces).values(
                "organisation_id"
            )
        )
        | Q(pk__in=filter_visible_people(viewer).values("organisation_id"))
    )
    return qs.filter(condition)
