"""Writes on notifications: marking read, preferences, muting a space, unsubscribing.

Creating notifications is not here: other apps call ``brug.notifications.hooks``
inside their writes, which enqueue the fan-out jobs (``tasks``/``fanout``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from brug.notifications.enums import DEFAULTS, DIGEST_TYPE, Channel, NotificationKind
from brug.notifications.models import Notification, NotificationPreference
from brug.notifications.queries import count_unread
from brug.people.models import User
from brug.permissions.notifications import filter_visible_notifications
from brug.permissions.viewer import Viewer, as_viewer
from brug.spaces.models import Membership, Space

MAX_IDS = 500
UNSUBSCRIBE_SALT = "brug.notifications.unsubscribe"


def _announce_read(viewer: Viewer, read: list[int] | str) -> int:
    from brug.realtime.events import publish

    unread = count_unread(viewer=viewer)
    publish(
        kind="notifications_read",
        recipient=viewer.id,
        payload={"unread": unread, "read": read},
    )
    return unread


def mark_read(*, viewer: Viewer | Any, ids: Iterable[int]) -> int:
    """Mark some of the viewer's notifications read; return the unread count left.

    Ids that are not the viewer's, or no longer visible to them, are ignored
    (marking cannot reveal anything). Other open tabs get the new count live.
    """
    viewer = as_viewer(viewer)
    if not viewer.is_authenticated:
        raise Http404
    try:
        wanted = sorted({int(pk) for pk in ids})
    except (TypeError, ValueError) as exc:
        raise ValidationError({"ids": _("Give notification ids as numbers.")}) from exc
    if len(wanted) > MAX_IDS:
        raise ValidationError({"ids": _("Mark at most 500 notifications at once.")})
    with transaction.atomic():
        filter_visible_notifications(viewer).filter(pk__in=wanted, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        return _announce_read(viewer, wanted)


def mark_all_read(*, viewer: Viewer | Any) -> int:
    """Mark all of the viewer's notifications read; return the unread count left (0)."""
    viewer = as_viewer(viewer)
    if not viewer.is_authenticated:
        raise Http404
    with transaction.atomic():
        Notification.objects.filter(recipient_id=viewer.id, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        return _announce_read(viewer, "all")


def set_preferences(
    *, person: User | Viewer, preferences: Mapping[str, Mapping[str, bool]]
) -> None:
    """Store a person's channels per kind; choices equal to the default are not stored.

    ``preferences`` maps kind → {channel: bool}; kinds and channels not named
    are left as they were. Unknown kinds or channels are a ``ValidationError``.
    """
    user = person.user if isinstance(person, Viewer) else person
    if user is None:
        raise Http404
    for kind, channels in preferences.items():
        if kind not in NotificationKind.values:
            raise ValidationError({"kind": _("Unknown kind of notification.")})
        for channel, enabled in channels.items():
            if channel not in Channel.values:
                raise ValidationError({"channel": _("Unknown channel.")})
            if not isinstance(enabled, bool):
                raise ValidationError({"enabled": _("Choose on or off.")})
    now = timezone.now()
    with transaction.atomic():
        for kind, channels in preferences.items():
            for channel, enabled in channels.items():
                if DEFAULTS[kind][channel] == enabled:
                    NotificationPreference.objects.filter(
                        person=user, kind=kind, channel=channel
                    ).delete()
                else:
                    NotificationPreference.objects.update_or_create(
                        person=user,
                        kind=kind,
                        channel=channel,
                        defaults={"enabled": enabled, "updated_at": now},
                    )


def set_space_muted(*, viewer: Viewer | Any, space: Space, muted: bool) -> Membership:
    """Mute (or unmute) a space the viewer belongs to: no notifications of new posts or @all.

    Direct mentions and replies still come through. The membership is the
    spaces app's: this calls ``brug.spaces.actions.set_muted`` (404 when the
    space is hidden, 403 when the viewer is not a member).
    """
    from brug.spaces.actions import set_muted

    return set_muted(person=viewer, space=space, muted=muted)


# One-click unsubscribe ------------------------------------------------------------------


def unsubscribe_token(*, person: User, kind: str | list[str]) -> str:
    """A signed token switching off e-mail of some kinds (or the weekly digest) for one person."""
    kinds = kind if isinstance(kind, str) else sorted(set(kind))
    return signing.dumps({"p": person.pk, "k": kinds}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[User, str | list[str]]:
    """Return (person, kinds or "digest"); ``signing.BadSignature`` when forged or garbled."""
    if not isinstance(token, str) or len(token) > 1000:
        raise signing.BadSignature("too long")
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict):
        raise signing.BadSignature("shape")
    kinds = data.get("k")
    if kinds != DIGEST_TYPE and not (
        isinstance(kinds, list) and kinds and all(k in NotificationKind.values for k in kinds)
    ):
        raise signing.BadSignature("kind")
    person = User.objects.filter(pk=data.get("p"), is_active=True).first()
    if person is None:
        raise signing.BadSignature("person")
    return person, kinds


def unsubscribe(*, token: str) -> tuple[User, str | list[str]]:
    """Switch off what a token names: e-mail for some kinds, or the whole weekly digest."""
    person, kinds = read_unsubscribe_token(token)
    if kinds == DIGEST_TYPE:
        set_preferences(
            person=person, preferences={k: {Channel.DIGEST: False} for k in NotificationKind.values}
        )
    else:
        set_preferences(person=person, preferences={k: {Channel.EMAIL: False} for k in kinds})
    return person, kinds
