"""Notification centre, dropdown, marking read, preferences and unsubscribing."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brug.notifications import actions, queries
from brug.notifications.enums import DIGEST_TYPE, NotificationKind
from brug.notifications.forms import PreferencesForm
from brug.notifications.rendering import describe, target_path
from brug.spaces.models import Space

PAGE_SIZE = queries.PAGE_SIZE


def _with_text(notifications):
    for notification in notifications:
        notification.text = describe(notification)
    return notifications


def _parse_before(value: str | None) -> tuple[datetime, int] | None:
    if not value:
        return None
    stamp, _sep, pk = value.rpartition("_")
    when = parse_datetime(stamp) if stamp else None
    if when is None or not pk.isdigit():
        raise ValueError(value)
    return when, int(pk)


def _list_context(request, before=None) -> dict:
    unread_only = request.GET.get("unread") == "1"
    items = queries.list_notifications(
        viewer=request.viewer, before=before, limit=PAGE_SIZE + 1, unread_only=unread_only
    )
    more = len(items) > PAGE_SIZE
    items = _with_text(items[:PAGE_SIZE])
    last = items[-1] if more and items else None
    return {
        "notifications": items,
        "next_before": f"{last.updated_at.isoformat()}_{last.pk}" if last else None,
        "unread_only": unread_only,
    }


@login_required
@require_GET
def notification_list(request):
    """The notification centre: everything, newest activity first, paged."""
    try:
        before = _parse_before(request.GET.get("before"))
    except (ValueError, OverflowError):
        return HttpResponseBadRequest(_("That page link is broken; start again from the top."))
    template = "notifications/notification_list.html"
    if request.htmx and before is not None:
        template += "#notification-page"
    return render(request, template, _list_context(request, before))


@login_required
@require_GET
def notification_menu(request):
    """The dropdown (an htmx fragment): the latest few and the unread count."""
    menu = queries.get_menu(viewer=request.viewer)
    _with_text(menu["notifications"])
    return render(request, "notifications/notification_menu.html", menu)


@login_required
@require_GET
def notification_open(request, pk: int):
    """Follow a notification: mark it read and go to what it is about."""
    notification = queries.get_notification(viewer=request.viewer, pk=pk)
    if notification is None:
        raise Http404
    if notification.read_at is None:
        actions.mark_read(viewer=request.viewer, ids=[notification.pk])
    return redirect(target_path(notification))


@login_required
@require_POST
def notification_read(request, pk: int):
    """Mark one notification read."""
    notification = queries.get_notification(viewer=request.viewer, pk=pk)
    if notification is None:
        raise Http404
    unread = actions.mark_read(viewer=request.viewer, ids=[pk])
    if request.htmx:
        notification.read_at = notification.read_at or timezone.now()
        notification.text = describe(notification)
        response = render(
            request,
            "notifications/notification_list.html#notification-item",
            {"notification": notification},
        )
        response["HX-Trigger"] = f'{{"brug:unread": {unread}}}'
        return response
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    """Mark every notification read."""
    actions.mark_all_read(viewer=request.viewer)
    if request.htmx:
        response = render(
            request,
            "notifications/notification_list.html#notification-page",
            _list_context(request),
        )
        response["HX-Trigger"] = '{"brug:unread": 0}'
        return response
    messages.success(request, _("All notifications are marked as read."))
    return redirect(request.POST.get("next") or "notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    """Choose per kind where to be told (Brug, e-mail, weekly digest) and mute spaces."""
    current = queries.get_preferences(person=request.user)
    memberships = queries.list_space_mutes(person=request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, initial_preferences=current, memberships=memberships)
        if form.is_valid():
            actions.set_preferences(person=request.user, preferences=form.preferences())
            muted = form.muted_space_ids()
            for membership in memberships:
                if membership.muted != (membership.space_id in muted):
                    actions.set_space_muted(
                        viewer=request.viewer,
                        space=membership.space,
                        muted=membership.space_id in muted,
                    )
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    else:
        form = PreferencesForm(initial_preferences=current, memberships=memberships)
    return render(request, "notifications/preferences_edit.html", {"form": form})


@login_required
@require_POST
def space_mute(request, pk: int):
    """Mute or unmute one space (from the space's page)."""
    space = get_object_or_404(Space, pk=pk)
    muted = request.POST.get("muted") == "1"
    actions.set_space_muted(viewer=request.viewer, space=space, muted=muted)
    if muted:
        messages.success(request, _("You will not be told about new posts in this space."))
    else:
        messages.success(request, _("You will be told about new posts in this space again."))
    return redirect(request.POST.get("next") or "notifications:preferences")


@csrf_exempt  # the signed token is the authority; mail clients POST without a session (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """One-click unsubscribe from e-mails of some kinds, or from the weekly digest."""
    try:
        person, kinds = actions.read_unsubscribe_token(token)
    except (signing.BadSignature, ValidationError):
        return HttpResponseBadRequest(
            render_to_string("notifications/unsubscribe_invalid.html", request=request)
        )
    labels = (
        [_("the weekly digest")]
        if kinds == DIGEST_TYPE
        else [str(NotificationKind(kind).label) for kind in kinds]
    )
    done = False
    if request.method == "POST":
        actions.unsubscribe(token=token)
        done = True
    return render(
        request,
        "notifications/unsubscribe_confirm.html",
        {"person": person, "labels": labels, "done": done, "is_digest": kinds == DIGEST_TYPE},
    )
