"""How a notification reads ("Sanne and 4 others reacted to your post") and where it leads.

The text is built in the active language: callers that render for someone
else (jobs, e-mails) wrap the call in ``translation.override(language_of(person))``.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brug.notifications.enums import NotificationKind
from brug.notifications.models import Notification

# Where a post, a comment's post and a space are shown; the first name that
# resolves wins (the posts and spaces apps own these URLs).
POST_URL_NAMES = ("posts:detail", "posts:post-detail", "questions:detail")
SPACE_URL_NAMES = ("spaces:detail", "spaces:space-detail")


def language_of(person) -> str:
    """The language to write to a person in: theirs, else the installation's."""
    chosen = getattr(person, "language", "") or ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _reverse_first(names: tuple[str, ...], args: list) -> str | None:
    for name in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


def target_path(notification: Notification) -> str:
    """The page a notification is about (its post, its space), as a path."""
    path = None
    if notification.post_id is not None:
        path = _reverse_first(POST_URL_NAMES, [notification.post_id])
        if path and notification.comment_id is not None:
            path = f"{path}#comment-{notification.comment_id}"
    elif notification.space_id is not None and notification.space is not None:
        path = _reverse_first(SPACE_URL_NAMES, [notification.space.slug])
        if path is None:
            path = _reverse_first(SPACE_URL_NAMES, [notification.space_id])
    return path or reverse("notifications:list")


def open_path(notification: Notification) -> str:
    """The link shown for a notification: marks it read, then goes to its target."""
    return reverse("notifications:open", args=[notification.pk])


def absolute(path: str) -> str:
    """A link for outside Brug (e-mail), built on ``BRUG_PUBLIC_URL``."""
    return f"{settings.PUBLIC_URL.rstrip('/')}{path}"


def _title(notification: Notification) -> str:
    post = notification.post
    if post is None:
        return ""
    text = post.title or post.body or ""
    return Truncator(" ".join(text.split())).chars(60)


def _actor(notification: Notification) -> str:
    actor = notification.last_actor
    if actor is None:
        return _("Someone")
    return actor.name or actor.handle


def describe(notification: Notification) -> str:
    """One line of plain text in the active language."""
    kind = notification.kind
    actor = _actor(notification)
    others = max(notification.actor_count - 1, 0)
    count = notification.event_count
    title = _title(notification)
    space = notification.space.name if notification.space is not None else ""
    on_comment = notification.comment_id is not None
    data = notification.data or {}
    if kind == NotificationKind.MENTION:
        if on_comment:
            return _("%(actor)s mentioned you in a comment on “%(title)s”") % {
                "actor": actor,
                "title": title,
            }
        return _("%(actor)s mentioned you in “%(title)s”") % {"actor": actor, "title": title}
    if kind == NotificationKind.REPLY:
        if others:
            return ngettext(
                "%(actor)s and %(others)d other replied to “%(title)s”",
                "%(actor)s and %(others)d others replied to “%(title)s”",
                others,
            ) % {"actor": actor, "others": others, "title": title}
        return _("%(actor)s replied to “%(title)s”") % {"actor": actor, "title": title}
    if kind == NotificationKind.REACTION:
        if on_comment:
            if others:
                return ngettext(
                    "%(actor)s and %(others)d other reacted to your comment on “%(title)s”",
                    "%(actor)s and %(others)d others reacted to your comment on “%(title)s”",
                    others,
                ) % {"actor": actor, "others": others, "title": title}
            return _("%(actor)s reacted to your comment on “%(title)s”") % {
                "actor": actor,
                "title": title,
            }
        if others:
            return ngettext(
                "%(actor)s and %(others)d other reacted to your post “%(title)s”",
                "%(actor)s and %(others)d others reacted to your post “%(title)s”",
                others,
            ) % {"actor": actor, "others": others, "title": title}
        return _("%(actor)s reacted to your post “%(title)s”") % {"actor": actor, "title": title}
    if kind == NotificationKind.JOIN_REQUEST:
        if others:
            return ngettext(
                "%(actor)s and %(others)d other ask to join %(space)s",
                "%(actor)s and %(others)d others ask to join %(space)s",
                others,
            ) % {"actor": actor, "others": others, "space": space}
        return _("%(actor)s asks to join %(space)s") % {"actor": actor, "space": space}
    if kind == NotificationKind.JOIN_DECISION:
        if data.get("status") == "approved":
            return _("Your request to join %(space)s was approved") % {"space": space}
        return _("Your request to join %(space)s was declined") % {"space": space}
    if kind == NotificationKind.INVITATION:
        return _("%(actor)s invited you to %(space)s") % {"actor": actor, "space": space}
    if kind == NotificationKind.SPACE_POST:
        if count > 1:
            return ngettext(
                "%(count)d new post in %(space)s",
                "%(count)d new posts in %(space)s",
                count,
            ) % {"count": count, "space": space}
        return _("%(actor)s posted in %(space)s") % {"actor": actor, "space": space}
    if kind == NotificationKind.ANSWER:
        if others:
            return ngettext(
                "%(actor)s and %(others)d other answered “%(title)s”",
                "%(actor)s and %(others)d others answered “%(title)s”",
                others,
            ) % {"actor": actor, "others": others, "title": title}
        return _("%(actor)s answered “%(title)s”") % {"actor": actor, "title": title}
    if kind == NotificationKind.ACCEPTED_ANSWER:
        return _("%(actor)s accepted your answer to “%(title)s”") % {
            "actor": actor,
            "title": title,
        }
    if kind == NotificationKind.UNANSWERED_QUESTION:
        hours = int(data.get("hours") or 0)
        if hours >= 48:
            days = hours // 24
            return ngettext(
                "Nobody has answered “%(title)s” for %(days)d day",
                "Nobody has answered “%(title)s” for %(days)d days",
                days,
            ) % {"title": title, "days": days}
        return ngettext(
            "Nobody has answered “%(title)s” for %(hours)d hour",
            "Nobody has answered “%(title)s” for %(hours)d hours",
            hours,
        ) % {"title": title, "hours": hours}
    return _("Something happened in Brug")


def render_item(notification: Notification) -> str:
    """The HTML of one notification as the dropdown and the centre show it."""
    return render_to_string(
        "notifications/notification_item.html",
        {"notification": notification, "text": describe(notification)},
    )
