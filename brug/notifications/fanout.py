"""The fan-out: turn one effect into notifications for many people (in a job).

``notify(effect, recipients)`` is the one machine every kind goes through
(mentions, replies, reactions, join requests, invitations, new posts,
answers): it drops the actor, people who may not see the target, people who
switched the kind off and, where asked, people who muted the space; then it
creates or bumps one grouped row per person in batches (``bulk_create`` with
``ignore_conflicts`` on the thread's unique key, then one ``bulk_update``),
writes a realtime ``notification`` event for each person who gets it in Brug,
and marks the rows that are to be e-mailed for the next bundle.

All of it happens in one transaction that also claims ``effect.key``
(``brug.core.jobs.claim_effect``): a job killed half-way leaves nothing, and
its retry carries the effect out exactly once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import batched
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation

from brug.core import jobs
from brug.notifications.enums import DEFAULTS, NotificationKind
from brug.notifications.models import MAX_ACTORS, Notification, NotificationPreference
from brug.notifications.rendering import describe, language_of, open_path, render_item
from brug.people.enums import Role
from brug.people.models import User
from brug.permissions.notifications import (
    MODERATOR_ROLES,
    filter_people_who_may_read_post,
    filter_people_who_may_read_space,
    filter_people_who_may_see_space,
    recipient_may_see_condition,
)
from brug.spaces.models import Membership, SpaceInvitation

logger = logging.getLogger("brug.notifications")

CHUNK_SIZE = 500
#: Above this many recipients of one effect (an @all in an organisation-wide
#: space) no per-person realtime event is written: thousands of event rows
#: for one post would cost more than they give. Badges catch up on the next
#: page; the feed's "new posts" banner is live anyway (``post_created``).
LIVE_FANOUT_LIMIT = 2000

BUMP_FIELDS = [
    "space",
    "post",
    "comment",
    "last_actor",
    "actor_ids",
    "actor_count",
    "event_count",
    "data",
    "last_effect",
    "read_at",
    "email_pending",
    "email_due_at",
    "updated_at",
]


@dataclass
class Effect:
    """Something that happened, to be told to people.

    ``key`` is unique per cause ("mention:post:12"); ``group_key`` names the
    thread the notification is grouped into ("post:12").
    """

    kind: str
    key: str
    group_key: str
    actor: Any = None
    post: Any = None
    comment: Any = None
    space: Any = None
    data: dict = field(default_factory=dict)

    @property
    def target_space(self):
        if self.space is not None:
            return self.space
        return self.post.space if self.post is not None else None


# Who ---------------------------------------------------------------------------------


def _audience(effect: Effect, people: QuerySet[User]) -> QuerySet[User]:
    """Keep the people who may see what the effect is about."""
    if effect.post is not None:
        if effect.comment is not None and effect.comment.is_deleted:
            return people.none()
        return filter_people_who_may_read_post(effect.post, people)
    space = effect.space
    if space is None:
        return people.none()
    if effect.kind == NotificationKind.SPACE_POST:
        return filter_people_who_may_read_space(space, people)
    if effect.kind == NotificationKind.JOIN_REQUEST:
        moderator = Exists(
            Membership.objects.filter(
                space_id=space.pk, person_id=OuterRef("pk"), role__in=MODERATOR_ROLES
            )
        )
        managers = filter_people_who_may_read_space(space).filter(
            role__in=[Role.COMMUNITY_MANAGER, Role.ADMIN]
        )
        return people.filter(Q(moderator) | Q(pk__in=managers.values("pk")), is_active=True)
    if effect.kind == NotificationKind.INVITATION:
        invited = Exists(
            SpaceInvitation.objects.filter(
                space_id=space.pk, person_id=OuterRef("pk"), accepted_at__isnull=True
            )
        )
        seeing = filter_people_who_may_see_space(space).values("pk")
        return people.filter(Q(invited) | Q(pk__in=seeing), is_active=True)
    return filter_people_who_may_see_space(space, people)


def _as_people(recipients: QuerySet[User] | Iterable[int]) -> QuerySet[User]:
    if isinstance(recipients, QuerySet):
        return recipients
    return User.objects.filter(pk__in=sorted({int(pk) for pk in recipients}))


# Preferences ---------------------------------------------------------------------------


def channels_for(kind: str, person_ids: list[int]) -> dict[int, dict[str, bool]]:
    """Each person's channels for one kind: their choices over ``enums.DEFAULTS`` (one query)."""
    default = DEFAULTS.get(kind, {"web": True, "email": False, "digest": False})
    result = {pk: dict(default) for pk in person_ids}
    rows = NotificationPreference.objects.filter(kind=kind, person_id__in=person_ids).values_list(
        "person_id", "channel", "enabled"
    )
    for person_id, channel, enabled in rows:
        result[person_id][channel] = enabled
    return result


# E-mail bundles ---------------------------------------------------------------------------


def email_due_at(now: datetime) -> datetime:
    """When mail about something happening ``now`` goes out: the end of its bundle window."""
    seconds = settings.BRUG_EMAIL_BUNDLE_SECONDS
    if seconds <= 0:
        return now
    window = int(now.timestamp() // seconds)
    return datetime.fromtimestamp((window + 1) * seconds, tz=UTC)


def schedule_email_bundle(due: datetime) -> None:
    """Make sure one bundle job runs at ``due`` (one job per window, however many people)."""
    from brug.notifications import tasks

    jobs.enqueue(
        tasks.send_email_bundles,
        key=f"notifications:email-bundle:{due.timestamp():.0f}",
        run_after=due,
    )


# The machine ---------------------------------------------------------------------------


def _bump(row: Notification, effect: Effect, *, web: bool, email: bool, now, due) -> None:
    actor_id = effect.actor.pk if effect.actor is not None else None
    if row.read_at is not None and web:
        # Read since the last time: start a fresh round, so the line tells what is new.
        row.actor_ids, row.actor_count, row.event_count = [], 0, 0
    ids = list(row.actor_ids or [])
    if actor_id is not None:
        if actor_id in ids:
            ids.remove(actor_id)
        else:
            row.actor_count += 1
        ids.insert(0, actor_id)
    row.actor_ids = ids[:MAX_ACTORS]
    row.event_count += 1
    row.last_actor = effect.actor
    row.space, row.post, row.comment = effect.space, effect.post, effect.comment
    row.data = {**(row.data or {}), **effect.data}
    row.last_effect = effect.key
    row.updated_at = now
    if web:
        row.read_at = None
    if email:
        row.email_pending = True
        row.email_due_at = row.email_due_at or due


def _upsert_chunk(
    effect: Effect, people: list[tuple[int, str]], now: datetime, due: datetime
) -> tuple[int, list[Notification], bool]:
    """Create or bump the rows of one batch of people.

    Return how many people were notified, the rows shown in Brug, and
    whether any of them is to be e-mailed.
    """
    ids = [pk for pk, _language in people]
    channels = channels_for(effect.kind, ids)
    wanted = [pk for pk in ids if channels[pk]["web"] or channels[pk]["email"]]
    if not wanted:
        return 0, [], False
    actor_id = effect.actor.pk if effect.actor is not None else None
    fresh = [
        Notification(
            recipient_id=pk,
            kind=effect.kind,
            group_key=effect.group_key,
            space=effect.space,
            post=effect.post,
            comment=effect.comment,
            last_actor=effect.actor,
            actor_ids=[actor_id] if actor_id is not None else [],
            actor_count=1 if actor_id is not None else 0,
            event_count=1,
            data=dict(effect.data),
            last_effect=effect.key,
            # Someone who only wants e-mail for this kind gets no unread line.
            read_at=None if channels[pk]["web"] else now,
            email_pending=channels[pk]["email"],
            email_due_at=due if channels[pk]["email"] else None,
            created_at=now,
            updated_at=now,
        )
        for pk in wanted
    ]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    rows = list(
        Notification.objects.select_for_update().filter(
            kind=effect.kind, group_key=effect.group_key, recipient_id__in=wanted
        )
    )
    bumped = []
    for row in rows:
        if row.last_effect != effect.key:
            web, email = channels[row.recipient_id]["web"], channels[row.recipient_id]["email"]
            _bump(row, effect, web=web, email=email, now=now, due=due)
            bumped.append(row)
        # The relations are the effect's objects: no query to render them.
        row.last_actor, row.space, row.post, row.comment = (
            effect.actor,
            effect.space,
            effect.post,
            effect.comment,
        )
    if bumped:
        Notification.objects.bulk_update(bumped, BUMP_FIELDS)
    emailed = any(channels[row.recipient_id]["email"] for row in rows)
    shown = [row for row in rows if channels[row.recipient_id]["web"]]
    return len(rows), shown, emailed


def unread_counts(person_ids: list[int]) -> dict[int, int]:
    """The unread count each person sees on their badge (one query for all of them)."""
    rows = (
        Notification.objects.filter(recipient_id__in=person_ids, read_at__isnull=True)
        .filter(recipient_may_see_condition())
        .values("recipient_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(person_ids, 0)
    counts.update({row["recipient_id"]: row["n"] for row in rows})
    return counts


def notification_payload(notification: Notification, *, unread: int) -> dict:
    """What a ``notification`` realtime event carries (in the active language)."""
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "unread": unread,
        "text": describe(notification),
        "html": render_item(notification),
        "url": open_path(notification),
    }


def _publish(effect: Effect, rows: list[Notification], languages: dict[int, str]) -> None:
    from brug.realtime.events import publish_many
    from brug.realtime.models import Event

    if not rows or not settings.BRUG_LIVE_NOTIFICATIONS:
        return
    counts = unread_counts([row.recipient_id for row in rows])
    # A post-kind event is delivered only while its post is readable; a space
    # notification for new posts only while the space is; requests,
    # decisions and invitations go to their one recipient.
    post = effect.post
    space = effect.target_space if (post is not None or effect.kind == "space_post") else None
    events = []
    for row in rows:
        with translation.override(languages.get(row.recipient_id) or settings.LANGUAGE_CODE):
            payload = notification_payload(row, unread=counts.get(row.recipient_id, 0))
        events.append(
            Event(
                kind="notification",
                recipient_id=row.recipient_id,
                post=post,
                space=space,
                payload=payload,
            )
        )
    publish_many(events)


def notify(
    effect: Effect,
    recipients: QuerySet[User] | Iterable[int],
    *,
    respect_mute: bool = False,
) -> int:
    """Tell the recipients about the effect; return how many people got it.

    Run it in a job, never in a request. Filters out the actor, inactive
    people, people who may not see the target (``brug.permissions.notifications``),
    people who switched the kind off and, with ``respect_mute``, members who
    muted the space. Idempotent on ``effect.key``.
    """
    people = _as_people(recipients).filter(is_active=True)
    if effect.actor is not None:
        people = people.exclude(pk=effect.actor.pk)
    people = _audience(effect, people)
    space = effect.target_space
    if respect_mute and space is not None:
        muted = Membership.objects.filter(space_id=space.pk, person_id=OuterRef("pk"), muted=True)
        people = people.exclude(Exists(muted))
    now = timezone.now()
    due = email_due_at(now)
    total = 0
    any_email = False
    with transaction.atomic():
        if not jobs.claim_effect(effect.key):
            logger.info("effect %s was carried out before: not notifying again", effect.key)
            return 0
        audience = list(people.order_by("pk").values_list("pk", "language").distinct())
        for chunk in batched(audience, CHUNK_SIZE):
            notified, shown, emailed = _upsert_chunk(effect, list(chunk), now, due)
            any_email = any_email or emailed
            if len(audience) <= LIVE_FANOUT_LIMIT:
                _publish(effect, shown, {pk: language_of_code(lang) for pk, lang in chunk})
            total += notified
            fault_checkpoint("notifications.fanout")
        if any_email:
            schedule_email_bundle(due)
    return total


def fault_checkpoint(name: str) -> None:
    """A point where the fault tests kill a worker mid-job (SECURITY.md "fault tests").

    Does nothing unless ``BRUG_FAULT_PAUSE=<name>:<directory>`` is set in the
    environment of the process: then it creates ``<directory>/<name>`` and
    waits (at most a minute) for the test to kill the process right here,
    with this job's transaction open.
    """
    spec = os.environ.get("BRUG_FAULT_PAUSE", "")
    point, _sep, directory = spec.partition(":")
    if point != name or not directory:
        return
    marker = Path(directory) / name
    marker.touch()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.05)


def language_of_code(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def effect_digest(parts: Iterable[Any]) -> str:
    """A short stable digest of some values (for effect keys built from sets)."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:24]


__all__ = [
    "Effect",
    "channels_for",
    "effect_digest",
    "email_due_at",
    "language_of",
    "notification_payload",
    "notify",
    "unread_counts",
]
