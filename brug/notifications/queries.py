"""Reads of notifications and preferences, already filtered by ``brug.permissions``.

A list costs one query whatever its length (the post, comment, space and last
actor come in the same query); counting the unread ones costs one more. The
viewer's memberships, which the visibility filter needs, are the request's
cached ``Viewer.space_roles`` (one query per request).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from brug.core.sql import prepared_cursor
from brug.notifications.enums import DEFAULTS, Channel, NotificationKind
from brug.notifications.models import Notification, NotificationPreference
from brug.permissions.compiled import compiled_query
from brug.permissions.notifications import filter_visible_notifications
from brug.permissions.viewer import Viewer, as_viewer
from brug.spaces.models import Membership

MENU_SIZE = 8
PAGE_SIZE = 25


def visible_notifications(*, viewer: Viewer | Any) -> QuerySet[Notification]:
    """The viewer's notifications they may still see, newest activity first, relations joined."""
    return filter_visible_notifications(viewer).select_related(
        "last_actor", "post", "comment", "space"
    )


def list_notifications(
    *,
    viewer: Viewer | Any,
    before: tuple[datetime, int] | None = None,
    limit: int = PAGE_SIZE,
    unread_only: bool = False,
) -> list[Notification]:
    """One page of the viewer's notifications (``before`` = (updated_at, id) of the last one seen)."""
    qs = visible_notifications(viewer=viewer).order_by("-updated_at", "-id")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if before is not None:
        from django.db.models import Q

        updated_at, pk = before
        qs = qs.filter(Q(updated_at__lt=updated_at) | Q(updated_at=updated_at, id__lt=pk))
    return list(qs[:limit])


def count_unread(*, viewer: Viewer | Any) -> int:
    """How many of the viewer's notifications are unread (one query)."""
    viewer = as_viewer(viewer)
    if not viewer.is_authenticated:
        return 0
    # The badge of every page: compiled once per viewer key (``brug.permissions.compiled``).
    compiled = compiled_query("unread-notifications", viewer, _unread)
    if compiled is None:
        return 0
    sql, params = compiled
    # The same text on every page of the viewer: PostgreSQL plans it once per connection.
    with prepared_cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS unread", params)  # noqa: S608
        return cursor.fetchone()[0]


def _unread(viewer: Viewer) -> QuerySet:
    return filter_visible_notifications(viewer).filter(read_at__isnull=True).values("pk")


def get_menu(*, viewer: Viewer | Any, size: int = MENU_SIZE) -> dict:
    """The dropdown: the latest notifications and the unread count (two queries)."""
    return {
        "notifications": list_notifications(viewer=viewer, limit=size),
        "unread": count_unread(viewer=viewer),
    }


def get_notification(*, viewer: Viewer | Any, pk: int) -> Notification | None:
    """One of the viewer's notifications, or ``None`` when missing or no longer visible."""
    return visible_notifications(viewer=viewer).filter(pk=pk).first()


def get_preferences(*, person) -> dict[str, dict[str, bool]]:
    """Every kind's channels for a person: their choices over the defaults."""
    result = {kind: dict(DEFAULTS[kind]) for kind in NotificationKind.values}
    rows = NotificationPreference.objects.filter(person=person).values_list(
        "kind", "channel", "enabled"
    )
    for kind, channel, enabled in rows:
        if kind in result and channel in Channel.values:
            result[kind][channel] = enabled
    return result


def digest_enabled(preferences: dict[str, dict[str, bool]]) -> bool:
    """Does the person want the weekly digest at all?"""
    return any(channels.get(Channel.DIGEST) for channels in preferences.values())


def list_space_mutes(*, person) -> list[Membership]:
    """The person's memberships (with their spaces), for the mute switches."""
    return list(
        Membership.objects.filter(person=person)
        .select_related("space")
        .order_by("space__name", "space_id")
    )
