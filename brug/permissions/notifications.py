"""Who may receive, and keep seeing, a notification.

A notification is only as visible as what it is about: a post (or a comment
on it) while the recipient may read that post; a space-kind notification
while the recipient may see the space (read it, for new posts; moderate it,
for join requests; or hold a pending invitation to it). The rules are checked
twice: when people are notified (``filter_people_who_may_read_*`` in the
fan-out) and again whenever notifications are shown or counted
(``filter_visible_notifications``, ``recipient_may_see_condition``), so a
person removed from a space stops seeing its notifications at once.

Three shapes of the same rule, kept in agreement by tests:

* ``can_see_notification(viewer, notification)`` — one object, in Python;
* ``filter_visible_notifications(viewer, qs)`` — the viewer's own list;
* ``recipient_may_see_condition()`` — a condition on each row's recipient,
  for counting many people's notifications in one query (the fan-out job).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from brug.notifications.enums import NotificationKind
from brug.notifications.models import Notification
from brug.people.enums import Role
from brug.people.models import User
from brug.permissions.posts import can_read_post
from brug.permissions.spaces import (
    _organisation_ids,
    can_moderate_space,
    can_read_space,
    can_see_space,
    readable_space_condition,
)
from brug.permissions.viewer import Viewer, as_viewer
from brug.posts.models import Post
from brug.spaces.enums import SpaceRole, Visibility
from brug.spaces.models import Membership, Space, SpaceInvitation

__all__ = [
    "can_see_notification",
    "filter_people_who_may_read_post",
    "filter_people_who_may_read_space",
    "filter_people_who_may_see_space",
    "filter_visible_notifications",
    "recipient_may_see_condition",
]

MODERATOR_ROLES = (SpaceRole.OWNER, SpaceRole.MODERATOR)


# One notification --------------------------------------------------------------------


def _has_pending_invitation(viewer: Viewer, space: Space) -> bool:
    return SpaceInvitation.objects.filter(
        space=space, person_id=viewer.id, accepted_at__isnull=True
    ).exists()


def can_see_notification(who: Viewer | Any, notification: Notification) -> bool:
    """May the viewer see this notification (their own, about something they may see)?"""
    viewer = as_viewer(who)
    if not viewer.is_authenticated or notification.recipient_id != viewer.id:
        return False
    if notification.post_id is not None:
        if notification.comment_id is not None and notification.comment.is_deleted:
            return False
        return can_read_post(viewer, notification.post)
    space = notification.space
    if space is None:
        return False
    kind = notification.kind
    if kind == NotificationKind.SPACE_POST:
        return can_read_space(viewer, space)
    if kind == NotificationKind.JOIN_REQUEST:
        return can_moderate_space(viewer, space)
    if kind == NotificationKind.INVITATION:
        return can_see_space(viewer, space) or _has_pending_invitation(viewer, space)
    return can_see_space(viewer, space)


# The viewer's own list ------------------------------------------------------------------


def _visible_space_condition(viewer: Viewer, prefix: str) -> Q:
    """Spaces the viewer may see (the prefixed form of ``filter_visible_spaces``)."""
    condition = Q(**{f"{prefix}pk__in": viewer.member_space_ids})
    if viewer.is_member:
        org = viewer.organisation_id
        shared = Space.shared_with.through.objects.filter(organisation_id=org).values("space_id")
        condition |= Q(**{f"{prefix}visibility__in": [Visibility.OPEN, Visibility.PRIVATE]}) & (
            Q(**{f"{prefix}organisation_id": org}) | Q(**{f"{prefix}pk__in": shared})
        )
    return condition


def filter_visible_notifications(
    who: Viewer | Any, qs: QuerySet[Notification] | None = None
) -> QuerySet[Notification]:
    """Narrow to the viewer's notifications they may still see (agrees with ``can_see_notification``).

    Costs no query of its own beyond the viewer's memberships (cached per request).
    """
    viewer = as_viewer(who)
    qs = Notification.objects.all() if qs is None else qs
    if not viewer.is_authenticated:
        return qs.none()
    post_readable = Q(post__space__isnull=False) & readable_space_condition(
        viewer, prefix="post__space__"
    )
    if viewer.is_member:
        post_readable |= Q(post__space__isnull=True, post__organisation_id=viewer.organisation_id)
    about_post = (
        Q(post__isnull=False, post__is_deleted=False)
        & post_readable
        & (Q(comment__isnull=True) | Q(comment__is_deleted=False))
    )
    moderated = [pk for pk, role in viewer.space_roles.items() if role in MODERATOR_ROLES]
    moderates = Q(space_id__in=moderated)
    if viewer.is_community_manager:
        moderates |= readable_space_condition(viewer, prefix="space__")
    invited = Exists(
        SpaceInvitation.objects.filter(
            space_id=OuterRef("space_id"), person_id=viewer.id, accepted_at__isnull=True
        )
    )
    about_space = Q(post__isnull=True, space__isnull=False) & (
        (Q(kind=NotificationKind.SPACE_POST) & readable_space_condition(viewer, prefix="space__"))
        | (Q(kind=NotificationKind.JOIN_REQUEST) & moderates)
        | (
            Q(kind=NotificationKind.INVITATION)
            & (_visible_space_condition(viewer, "space__") | Q(invited))
        )
        | (
            ~Q(
                kind__in=[
                    NotificationKind.SPACE_POST,
                    NotificationKind.JOIN_REQUEST,
                    NotificationKind.INVITATION,
                ]
            )
            & _visible_space_condition(viewer, "space__")
        )
    )
    return qs.filter(about_post | about_space, recipient_id=viewer.id)


# Many recipients at once ---------------------------------------------------------------


def _recipient_is_member(space_ref: str, roles: tuple[str, ...] | None = None) -> Exists:
    memberships = Membership.objects.filter(
        person_id=OuterRef("recipient_id"), space_id=OuterRef(space_ref)
    )
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return Exists(memberships)


def _recipient_in_space_organisations(prefix: str) -> Q:
    shared = Exists(
        Space.shared_with.through.objects.filter(
            space_id=OuterRef(f"{prefix}id"), organisation_id=OuterRef("recipient__organisation_id")
        )
    )
    return ~Q(recipient__role=Role.GUEST) & (
        Q(**{f"{prefix}organisation_id": F("recipient__organisation_id")}) | Q(shared)
    )


def _recipient_reads_space(prefix: str) -> Q:
    return Q(_recipient_is_member(f"{prefix}id")) | (
        Q(**{f"{prefix}visibility": Visibility.OPEN}) & _recipient_in_space_organisations(prefix)
    )


def recipient_may_see_condition() -> Q:
    """A condition on ``Notification`` rows: may each row's own recipient see it?

    The same rule as ``filter_visible_notifications``, phrased against the
    recipient column, so that one query can count the unread notifications
    of many people (each under their own rights).
    """
    post_readable = (Q(post__space__isnull=False) & _recipient_reads_space("post__space__")) | (
        Q(post__space__isnull=True, post__organisation_id=F("recipient__organisation_id"))
        & ~Q(recipient__role=Role.GUEST)
    )
    about_post = (
        Q(post__isnull=False, post__is_deleted=False)
        & post_readable
        & (Q(comment__isnull=True) | Q(comment__is_deleted=False))
    )
    sees_space = Q(_recipient_is_member("space__id")) | (
        Q(space__visibility__in=[Visibility.OPEN, Visibility.PRIVATE])
        & _recipient_in_space_organisations("space__")
    )
    moderates = Q(_recipient_is_member("space__id", MODERATOR_ROLES)) | (
        Q(recipient__role__in=[Role.COMMUNITY_MANAGER, Role.ADMIN])
        & _recipient_reads_space("space__")
    )
    invited = Exists(
        SpaceInvitation.objects.filter(
            space_id=OuterRef("space_id"),
            person_id=OuterRef("recipient_id"),
            accepted_at__isnull=True,
        )
    )
    about_space = Q(post__isnull=True, space__isnull=False) & (
        (Q(kind=NotificationKind.SPACE_POST) & _recipient_reads_space("space__"))
        | (Q(kind=NotificationKind.JOIN_REQUEST) & moderates)
        | (Q(kind=NotificationKind.INVITATION) & (sees_space | Q(invited)))
        | (
            ~Q(
                kind__in=[
                    NotificationKind.SPACE_POST,
                    NotificationKind.JOIN_REQUEST,
                    NotificationKind.INVITATION,
                ]
            )
            & sees_space
        )
    )
    return Q(recipient__is_active=True) & (about_post | about_space)


# The fan-out: who may be notified at all -------------------------------------------------


def _people(qs: QuerySet[User] | None) -> QuerySet[User]:
    return (User.objects.all() if qs is None else qs).filter(is_active=True)


def filter_people_who_may_read_space(
    space: Space, qs: QuerySet[User] | None = None
) -> QuerySet[User]:
    """Narrow people to those who may read the space (agrees with ``can_read_space``)."""
    member = Exists(Membership.objects.filter(space_id=space.pk, person_id=OuterRef("pk")))
    condition = Q(member)
    if space.visibility == Visibility.OPEN:
        condition |= ~Q(role=Role.GUEST) & Q(organisation_id__in=_organisation_ids(space))
    return _people(qs).filter(condition)


def filter_people_who_may_see_space(
    space: Space, qs: QuerySet[User] | None = None
) -> QuerySet[User]:
    """Narrow people to those who may see that the space exists (``can_see_space``)."""
    member = Exists(Membership.objects.filter(space_id=space.pk, person_id=OuterRef("pk")))
    condition = Q(member)
    if space.visibility != Visibility.SECRET:
        condition |= ~Q(role=Role.GUEST) & Q(organisation_id__in=_organisation_ids(space))
    return _people(qs).filter(condition)


def filter_people_who_may_read_post(post: Post, qs: QuerySet[User] | None = None) -> QuerySet[User]:
    """Narrow people to those who may read the post (agrees with ``can_read_post``)."""
    if post.is_deleted:
        return _people(qs).none()
    if post.space_id is None:
        return _people(qs).filter(organisation_id=post.organisation_id).exclude(role=Role.GUEST)
    return filter_people_who_may_read_space(post.space, qs)
