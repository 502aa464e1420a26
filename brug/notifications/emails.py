"""E-mail: bundles of what happened to a person, and the weekly digest.

Mail is written in the recipient's language (``translation.override``), as
plain text and HTML, with links built on ``BRUG_PUBLIC_URL`` and a signed
one-click unsubscribe (``List-Unsubscribe`` and ``List-Unsubscribe-Post``
headers, RFC 8058) for the kinds it is about.

Each mail is sent at most once: its effect key is claimed and committed
before the mail leaves; if sending fails the claim is released (and the
notifications are pending again) so the job's retry sends it. Only a process
killed between the commit and the send loses that one mail.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brug.core.jobs import claim_effect
from brug.notifications.actions import unsubscribe_token
from brug.notifications.enums import DIGEST_TYPE, Channel, NotificationKind
from brug.notifications.fanout import effect_digest
from brug.notifications.models import Notification
from brug.notifications.queries import digest_enabled, get_preferences, visible_notifications
from brug.notifications.rendering import (
    POST_URL_NAMES,
    _reverse_first,
    absolute,
    describe,
    language_of,
    open_path,
)
from brug.people.models import User
from brug.permissions.posts import filter_visible_posts
from brug.permissions.viewer import Viewer
from brug.posts.models import Post
from brug.spaces.models import Membership

logger = logging.getLogger("brug.notifications")

WEEK = timedelta(days=7)
DIGEST_POSTS = 5
DIGEST_NOTIFICATIONS = 10


def week_number(now: datetime) -> int:
    return int(now.timestamp() // WEEK.total_seconds())


def unsubscribe_url(*, person: User, kinds: list[str] | str) -> str:
    token = unsubscribe_token(person=person, kind=kinds)
    return absolute(reverse("notifications:unsubscribe", args=[token]))


def _release(key: str) -> None:
    from brug.core.models import EffectKey

    EffectKey.objects.filter(key=key).delete()


def _send(*, person: User, subject: str, text: str, html: str, unsubscribe: str) -> None:
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()


# Bundles -----------------------------------------------------------------------------------


def due_recipients(*, now: datetime, limit: int | None = None) -> list[int]:
    """People with e-mail notifications due by ``now``."""
    qs = (
        Notification.objects.filter(email_pending=True, email_due_at__lte=now)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return list(qs[:limit] if limit else qs)


def send_bundle(*, person_id: int, now: datetime | None = None) -> int:
    """Send a person one mail with every notification of theirs that is due; return 0 or 1."""
    now = now or timezone.now()
    person = User.objects.filter(pk=person_id).first()
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update()
            .filter(recipient_id=person_id, email_pending=True, email_due_at__lte=now)
            .order_by("pk")
            .values_list("pk", "last_effect")
        )
        if not pending:
            return 0
        ids = [pk for pk, _effect in pending]
        Notification.objects.filter(pk__in=ids).update(email_pending=False, email_due_at=None)
        if person is None or not person.is_active or not person.email:
            return 0
        items = list(
            visible_notifications(viewer=Viewer(person)).filter(pk__in=ids).order_by("-updated_at")
        )
        if not items:
            return 0
        key = f"email:bundle:{person.pk}:{effect_digest(pending)}"
        if not claim_effect(key):
            return 0
    try:
        _send_bundle(person, items)
    except Exception:
        with transaction.atomic():
            _release(key)
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                email_pending=True, email_due_at=now
            )
        raise
    return 1


def _send_bundle(person: User, items: list[Notification]) -> None:
    kinds = sorted({n.kind for n in items})
    with translation.override(language_of(person)):
        lines = [{"text": describe(n), "url": absolute(open_path(n))} for n in items]
        if len(items) == 1:
            subject = lines[0]["text"]
        else:
            subject = ngettext(
                "%(count)d new notification in Brug",
                "%(count)d new notifications in Brug",
                len(items),
            ) % {"count": len(items)}
        unsubscribe = unsubscribe_url(person=person, kinds=kinds)
        context = {
            "person": person,
            "lines": lines,
            "subject": subject,
            "kinds": [
                {
                    "label": NotificationKind(kind).label,
                    "url": unsubscribe_url(person=person, kinds=[kind]),
                }
                for kind in kinds
            ],
            "unsubscribe_url": unsubscribe,
            "preferences_url": absolute(reverse("notifications:preferences")),
            "site_url": absolute("/"),
        }
        text = render_to_string("notifications/email/bundle.txt", context)
        html = render_to_string("notifications/email/bundle.html", context)
    _send(person=person, subject=subject, text=text, html=html, unsubscribe=unsubscribe)


# The weekly digest -----------------------------------------------------------------------


def digest_candidates() -> list[int]:
    """Active people in at least one space (each person's job checks their preferences)."""
    return list(
        User.objects.filter(is_active=True)
        .filter(Exists(Membership.objects.filter(person_id=OuterRef("pk"))))
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def top_posts(*, person: User, since: datetime, limit: int = DIGEST_POSTS) -> list[Post]:
    """The week's most answered and appreciated posts in the person's (unmuted) spaces."""
    spaces = Membership.objects.filter(person=person, muted=False).values("space_id")
    qs = (
        filter_visible_posts(Viewer(person))
        .filter(space_id__in=spaces, created_at__gte=since)
        .exclude(author=person)
        .annotate(score=F("reaction_count") + F("comment_count") * 2)
        .select_related("space", "author")
        .order_by("-score", "-created_at", "-id")
    )
    return list(qs[:limit])


def send_digest_to(*, person_id: int, week: int, now: datetime | None = None) -> bool:
    """Send one person this week's digest unless there is nothing to tell; return whether sent."""
    now = now or timezone.now()
    person = User.objects.filter(pk=person_id, is_active=True).exclude(email="").first()
    if person is None:
        return False
    preferences = get_preferences(person=person)
    if not digest_enabled(preferences):
        return False
    since = now - WEEK
    posts = []
    if preferences[NotificationKind.SPACE_POST][Channel.DIGEST]:
        posts = top_posts(person=person, since=since)
    kinds = [kind for kind, channels in preferences.items() if channels[Channel.DIGEST]]
    missed = list(
        visible_notifications(viewer=Viewer(person))
        .filter(read_at__isnull=True, kind__in=kinds, updated_at__gte=since)
        .order_by("-updated_at", "-id")[:DIGEST_NOTIFICATIONS]
    )
    if not posts and not missed:
        return False
    key = f"email:digest:{person.pk}:{week}"
    with transaction.atomic():
        if not claim_effect(key):
            return False
    try:
        _send_digest(person, posts, missed)
    except Exception:
        with transaction.atomic():
            _release(key)
        raise
    return True


def _send_digest(person: User, posts: list[Post], missed: list[Notification]) -> None:
    with translation.override(language_of(person)):
        unsubscribe = unsubscribe_url(person=person, kinds=DIGEST_TYPE)
        context = {
            "person": person,
            "subject": _("Your week in Brug"),
            "posts": [
                {
                    "title": post.title or post.body[:80],
                    "space": post.space.name if post.space else "",
                    "author": post.author.name if post.author else _("Someone"),
                    "comments": post.comment_count,
                    "reactions": post.reaction_count,
                    "url": absolute(
                        _reverse_first(POST_URL_NAMES, [post.pk]) or reverse("notifications:list")
                    ),
                }
                for post in posts
            ],
            "lines": [{"text": describe(n), "url": absolute(open_path(n))} for n in missed],
            "unsubscribe_url": unsubscribe,
            "preferences_url": absolute(reverse("notifications:preferences")),
            "site_url": absolute("/"),
        }
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
        subject = context["subject"]
    _send(person=person, subject=subject, text=text, html=html, unsubscribe=unsubscribe)
