"""The notifications part of the API: the list, marking read, preferences.

The realtime stream (``GET /api/v1/stream``) is not here: it is a plain async
view (``brug.realtime.views.api_stream``) kept out of the OpenAPI schema.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Field

from brug.api.base import (
    Input,
    Output,
    Page,
    PageParams,
    Query,
    Router,
    ValidationError,
    paginate_queryset,
)
from brug.notifications import actions, queries
from brug.notifications.enums import Channel, NotificationKind
from brug.notifications.rendering import describe, open_path, target_path

router = Router(tags=["notifications"])


class ActorOut(Output):
    id: int
    handle: str
    name: str


class NotificationOut(Output):
    id: int
    kind: str
    text: str = Field(description="One line in the caller's language.")
    url: str = Field(description="Opens the notification (marks it read) and leads to its target.")
    target_url: str = Field(description="The page the notification is about.")
    read: bool
    read_at: datetime | None
    created_at: datetime
    updated_at: datetime
    actor: ActorOut | None = Field(description="The latest actor; null when anonymous.")
    actor_count: int = Field(description="Distinct people in this round (Sanne and 4 others: 5).")
    event_count: int
    space_id: int | None
    post_id: int | None
    comment_id: int | None
    data: dict


def _out(notification) -> dict:
    actor = notification.last_actor
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "text": describe(notification),
        "url": open_path(notification),
        "target_url": target_path(notification),
        "read": notification.read_at is not None,
        "read_at": notification.read_at,
        "created_at": notification.created_at,
        "updated_at": notification.updated_at,
        "actor": (
            {"id": actor.pk, "handle": actor.handle, "name": actor.name}
            if actor is not None
            else None
        ),
        "actor_count": notification.actor_count,
        "event_count": notification.event_count,
        "space_id": notification.space_id,
        "post_id": notification.post_id,
        "comment_id": notification.comment_id,
        "data": notification.data or {},
    }


@router.get("/notifications", response=Page[NotificationOut])
def list_notifications(request, page: Query[PageParams], unread: bool = False):
    """The caller's notifications, newest activity first (one per conversation)."""
    qs = queries.visible_notifications(viewer=request.viewer)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    result = paginate_queryset(qs, cursor=page.cursor, limit=page.limit, key=("-updated_at", "-id"))
    return {"items": [_out(n) for n in result["items"]], "next_cursor": result["next_cursor"]}


class ReadIn(Input):
    ids: list[int] | None = Field(default=None, max_length=500)
    all: bool = False


class UnreadOut(Output):
    unread: int


@router.post("/notifications/read", response=UnreadOut)
def mark_read(request, payload: ReadIn):
    """Mark some (``ids``) or all (``all: true``) of the caller's notifications read."""
    if payload.all:
        unread = actions.mark_all_read(viewer=request.viewer)
    elif payload.ids is not None:
        unread = actions.mark_read(viewer=request.viewer, ids=payload.ids)
    else:
        raise ValidationError({"ids": "Give ids, or all: true."})
    return {"unread": unread}


class ChannelsOut(Output):
    kind: str
    label: str
    web: bool
    email: bool
    digest: bool


class PreferencesOut(Output):
    items: list[ChannelsOut]


class ChannelsIn(Input):
    web: bool | None = None
    email: bool | None = None
    digest: bool | None = None


class PreferencesIn(Input):
    preferences: dict[str, ChannelsIn] = Field(
        description="Per kind, the channels to change; kinds and channels left out stay as they are."
    )


def _preferences(person) -> dict:
    current = queries.get_preferences(person=person)
    return {
        "items": [
            {"kind": kind.value, "label": str(kind.label), **current[kind.value]}
            for kind in NotificationKind
        ]
    }


@router.get("/notifications/preferences", response=PreferencesOut)
def get_preferences(request):
    """Per kind of notification: told in Brug (web), by e-mail, in the weekly digest."""
    return _preferences(request.user)


@router.put("/notifications/preferences", response=PreferencesOut)
def put_preferences(request, payload: PreferencesIn):
    """Change some channels of some kinds; returns all preferences."""
    changes = {
        kind: {
            channel: value
            for channel, value in channels.dict().items()
            if value is not None and channel in Channel.values
        }
        for kind, channels in payload.preferences.items()
    }
    actions.set_preferences(person=request.user, preferences=changes)
    return _preferences(request.user)
