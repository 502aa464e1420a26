"""Who may be mentioned where, and who may use ``@all`` (DESIGN.md API contract).

A mention only reaches people who may read what it is in: the readers of the
space, or for a profile post the members of the author's organisation. The
autocomplete offers the intersection of those readers with the people the
viewer may see, so it never reveals a person or a membership the viewer could
not find otherwise.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from brug.people.enums import Role
from brug.people.models import User
from brug.permissions.people import filter_visible_people
from brug.permissions.spaces import can_moderate_space, check_can_read_space
from brug.permissions.viewer import Viewer, as_viewer
from brug.spaces.enums import Visibility
from brug.spaces.models import Membership, Space

# Up to this many members anyone may write @all; above it, only moderators.
MENTION_ALL_MAX_MEMBERS = 50
# At most this many distinct people may be mentioned in one post or comment.
MAX_MENTIONS = 50


def filter_space_readers(space: Space, qs: QuerySet[User] | None = None) -> QuerySet[User]:
    """Narrow people to those who may read the space (agrees with ``can_read_space``).

    Members of the space (any role, guests included) read it; an open space is
    also read by every member (not guest) of its owning and sharing organisations.
    """
    qs = User.objects.all() if qs is None else qs
    condition = Q(pk__in=Membership.objects.filter(space_id=space.pk).values("person_id"))
    if space.visibility == Visibility.OPEN:
        shared = Space.shared_with.through.objects.filter(space_id=space.pk).values(
            "organisation_id"
        )
        condition |= ~Q(role=Role.GUEST) & (
            Q(organisation_id=space.organisation_id) | Q(organisation_id__in=shared)
        )
    return qs.filter(condition, is_active=True)


def filter_profile_readers(organisation_id: int, qs: QuerySet[User] | None = None) -> QuerySet:
    """People who may read a profile post of that organisation: its members, no guests."""
    qs = User.objects.all() if qs is None else qs
    return qs.filter(organisation_id=organisation_id, is_active=True).exclude(role=Role.GUEST)


def filter_readers(
    *, space: Space | None, organisation_id: int | None, qs: QuerySet[User] | None = None
) -> QuerySet[User]:
    """Readers of a space, or of a profile post of ``organisation_id`` when there is no space."""
    if space is not None:
        return filter_space_readers(space, qs)
    return filter_profile_readers(organisation_id, qs)


def can_mention_all(who: Viewer | Any, space: Space | None) -> bool:
    """May the viewer notify the whole space with ``@all``?

    Anyone in spaces of up to 50 members; above that only those who moderate
    the space (owners, moderators, and community managers who can read it).
    Never on profile posts.
    """
    if space is None:
        return False
    if space.member_count <= MENTION_ALL_MAX_MEMBERS:
        return True
    return can_moderate_space(who, space)


def check_can_mention_all(who: Viewer | Any, space: Space | None) -> None:
    if space is None:
        raise PermissionDenied(_("@all only works in a space."))
    if not can_mention_all(who, space):
        raise PermissionDenied(
            _("Only owners and moderators may use @all in a space of more than %(count)d members.")
            % {"count": MENTION_ALL_MAX_MEMBERS}
        )


def filter_mention_candidates(
    who: Viewer | Any, *, space: Space | None, qs: QuerySet[User] | None = None
) -> QuerySet[User]:
    """People the viewer may mention in the space (or on their profile when ``space`` is None).

    Raises ``Http404`` when the viewer may not see the space and
    ``PermissionDenied`` when they may see but not read it. Only readers of
    the space whom the viewer may see; never the viewer.
    """
    viewer = as_viewer(who)
    if space is not None:
        check_can_read_space(viewer, space)
        readers = filter_space_readers(space, qs)
    elif viewer.is_member:
        readers = filter_profile_readers(viewer.organisation_id, qs)
    else:
        raise PermissionDenied
    return filter_visible_people(viewer, readers).exclude(pk=viewer.id)
