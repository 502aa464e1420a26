"""Space pages: the directory, a space's page, its settings, members and requests.

Views are thin: load through ``queries``, call one action, render. htmx
requests get a partial of the same template. Hidden spaces answer 404 (the
queries raise it); a private space one may see but not read is a 200 page
showing its header and a card to ask to join, never its posts.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from brug.analytics.enums import Verb
from brug.analytics.recording import record_view
from brug.api.pagination import InvalidCursor
from brug.core.exceptions import RateLimited
from brug.core.forms import apply_errors
from brug.core.serving import file_response
from brug.people.models import Team, User
from brug.permissions.people import filter_visible_people
from brug.permissions.spaces import can_manage_members, check_can_administer_space
from brug.spaces import actions, queries
from brug.spaces.enums import SpaceKind, SpaceRole
from brug.spaces.forms import (
    JoinRequestForm,
    PersonForm,
    RoleForm,
    SpaceForm,
    SpaceSettingsForm,
)

DIRECTORY_PAGE_SIZE = 24
MEMBERS_PAGE_SIZE = 50


def _back(request, fallback: str) -> HttpResponse:
    """Redirect to ``next`` when it is a page of this site, else to ``fallback``."""
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)


def _error(request, error: ValidationError | PermissionDenied | RateLimited) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    elif isinstance(error, RateLimited):
        messages.error(request, str(error))
    else:
        messages.error(request, str(error) or _("You are not allowed to do that."))


# Directory --------------------------------------------------------------------------


@login_required
@require_GET
def space_list(request):
    """The space directory: the spaces one may see, to find and join (newcomers choose here)."""
    mine = request.GET.get("show") == "mine"
    kind = request.GET.get("kind") or ""
    filters = {"q": (request.GET.get("q") or "")[:100], "kind": kind, "mine": mine}
    try:
        page = queries.list_spaces_for_directory(
            viewer=request.viewer,
            q=filters["q"],
            kind=kind,
            mine=mine,
            cursor=request.GET.get("cursor"),
            limit=DIRECTORY_PAGE_SIZE,
        )
    except InvalidCursor:
        return HttpResponseBadRequest(_("The cursor is invalid; start again without one."))
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "page": page,
        "filters": filters,
        "kinds": SpaceKind.choices,
        "query": query.urlencode(),
        "invitations": []
        if request.htmx
        else list(queries.list_invitations(viewer=request.viewer)),
    }
    template = "spaces/space_list.html"
    if request.htmx:
        template += "#page" if request.GET.get("cursor") else "#results"
    return render(request, template, context)


@login_required
def space_create(request):
    """Create a space (members, unless the installation restricts it; never guests)."""
    if not request.viewer.is_member:
        raise PermissionDenied
    form = SpaceForm(request.POST or None, request.FILES or None, viewer=request.viewer)
    if request.method == "POST" and form.is_valid():
        try:
            space = actions.create_space(creator=request.viewer, **form.action_arguments())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your space is ready. Invite the first members."))
            return redirect("spaces:detail", slug=space.slug)
    status = 422 if form.errors else 200
    return render(request, "spaces/space_form.html", {"form": form}, status=status)


# A space ----------------------------------------------------------------------------------


def _feed_context(request, space) -> dict:
    """The posts app's space feed and composer (``posts/space_feed.html``); 400 on a bad cursor."""
    from brug.posts import queries as post_queries
    from brug.posts.views import space_feed_context

    try:
        before = post_queries.parse_feed_cursor(request.GET.get("before"))
    except ValidationError:
        raise BadRequest(_("The cursor is invalid; start again without one.")) from None
    context = space_feed_context(viewer=request.viewer, space=space, before=before)
    context["page_url"] = reverse("spaces:detail", kwargs={"slug": space.slug})
    context["feed_before"] = before
    return context


@login_required
@require_GET
def space_detail(request, slug):
    """A space's page: its header, and its feed and composer for those who may read it.

    Someone who may see a private space but not read it gets the header and
    a card to ask to join (a 200 page without posts); a hidden space is a 404.
    """
    space = queries.get_space(viewer=request.viewer, slug_or_id=slug)
    if slug != space.slug:  # /spaces/<id>/ links (the API, the posts app) land on the slug
        return redirect("spaces:detail", slug=space.slug, permanent=False)
    context = {"space": space, "page": None, "request_form": JoinRequestForm()}
    if space.viewer_may_read:
        context.update(_feed_context(request, space))
        context["space"] = space
        if context["feed_before"] is None and not request.htmx:
            record_view(person=request.user, verb=Verb.OPEN_SPACE, space=space)
    if request.htmx and request.GET.get("before"):
        return render(request, "posts/space_feed.html#feed", context)
    if request.htmx:
        return render(request, "spaces/space_detail.html#space-body", context)
    return render(request, "spaces/space_detail.html", context)


@login_required
@require_GET
def space_cover(request, slug):
    """Serve a space's cover to whoever may see the space (never from a public folder)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=slug)
    if not space.cover:
        raise Http404
    return file_response(
        space.cover,
        content_type=space.cover_content_type,
        filename=f"{space.slug}-cover.{space.cover.name.rsplit('.', 1)[-1]}",
    )


def _is_card(request) -> bool:
    """Did an htmx button on a directory card ask (it gets the card back)?"""
    return bool(request.htmx and request.POST.get("card"))


def _space_card_or_back(request, slug):
    """After a join or leave: the refreshed card for htmx, else back to the page."""
    if _is_card(request):
        space = queries.get_space(viewer=request.viewer, slug_or_id=slug)
        return render(request, "spaces/space_list.html#card", {"space": space})
    return _back(request, reverse("spaces:detail", kwargs={"slug": slug}))


@login_required
@require_POST
def space_join(request, slug):
    """Join an open space."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=slug)
    try:
        actions.join_space(person=request.viewer, space=space)
    except PermissionDenied as error:
        _error(request, error)
    else:
        if not _is_card(request):  # the swapped card says it already
            messages.success(request, _("You joined %(space)s.") % {"space": space.name})
    return _space_card_or_back(request, space.slug)


@login_required
@require_POST
def space_leave(request, slug):
    """Leave a space (the last owner first hands it over)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=slug)
    try:
        actions.leave_space(person=request.viewer, space=space)
    except ValidationError as error:
        _error(request, error)
        return redirect("spaces:detail", slug=space.slug)
    if _is_card(request):
        return _space_card_or_back(request, space.slug)
    messages.success(request, _("You left %(space)s.") % {"space": space.name})
    try:
        queries.find_space(viewer=request.viewer, slug_or_id=space.slug)
    except Http404:  # a secret space is gone from sight once one leaves it
        return redirect("spaces:list")
    return redirect("spaces:detail", slug=space.slug)


@login_required
@require_POST
def space_request(request, slug):
    """Ask to join a private space (or an open one that takes requests)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=slug)
    form = JoinRequestForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        actions.request_to_join(person=request.viewer, space=space, message=message)
    except (PermissionDenied, ValidationError) as error:
        _error(request, error)
    else:
        if not _is_card(request):
            messages.success(request, _("Your request was sent to the moderators."))
    return _space_card_or_back(request, space.slug)


@login_required
@require_POST
def space_request_cancel(request, slug):
    space = queries.find_space(viewer=request.viewer, slug_or_id=slug)
    actions.cancel_join_request(person=request.viewer, space=space)
    if not _is_card(request):
        messages.success(request, _("Your request was withdrawn."))
    return _space_card_or_back(request, space.slug)


@login_required
@require_POST
def space_mute(request, slug):
    """Mute (``muted=1``) or unmute a space for oneself."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=slug)
    muted = request.POST.get("muted") == "1"
    actions.set_muted(person=request.viewer, space=space, muted=muted)
    messages.success(
        request,
        _("You will not be notified about this space.") if muted else _("Notifications are on."),
    )
    return _back(request, reverse("spaces:detail", kwargs={"slug": space.slug}))


@login_required
def space_settings(request, slug):
    """Change a space's name, description, cover, visibility, kind, sharing (owners, admins)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=slug)
    check_can_administer_space(request.viewer, space)
    form = SpaceSettingsForm(
        request.POST or None, request.FILES or None, space=space, viewer=request.viewer
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_space(by=request.viewer, space=space, **form.action_arguments())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The space is saved."))
            return redirect("spaces:detail", slug=space.slug)
    status = 422 if form.errors else 200
    return render(
        request, "spaces/space_settings.html", {"form": form, "space": space}, status=status
    )


# Members ------------------------------------------------------------------------------------


@login_required
@require_GET
def member_list(request, slug):
    """The members of a space one may read, with role and removal controls for moderators."""
    space = queries.get_space(viewer=request.viewer, slug_or_id=slug)
    try:
        page = queries.list_members(
            viewer=request.viewer,
            space=space,
            cursor=request.GET.get("cursor"),
            limit=MEMBERS_PAGE_SIZE,
        )
    except InvalidCursor:
        return HttpResponseBadRequest(_("The cursor is invalid; start again without one."))
    context = {"space": space, "page": page, "roles": SpaceRole.choices}
    if request.htmx and request.GET.get("cursor"):
        return render(request, "spaces/member_list.html#page", context)
    return render(request, "spaces/member_list.html", context)


def _person(request, person_id) -> User:
    """A person the viewer can see (404 otherwise, as if they did not exist)."""
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise Http404 from None
    person = filter_visible_people(request.viewer).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


@login_required
@require_POST
def member_role(request, slug, person_id):
    space = queries.find_space(viewer=request.viewer, slug_or_id=slug)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown role."))
    try:
        actions.change_role(
            by=request.viewer,
            space=space,
            person=_person(request, person_id),
            role=form.cleaned_data["role"],
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The role is changed."))
    return redirect("spaces:members", slug=space.slug)


@login_required
@require_POST
def member_remove(request, slug, person_id):
    space = queries.find_space(viewer=request.viewer, slug_or_id=slug)
    person = _person(request, person_id)
    try:
        actions.remove_member(by=request.viewer, space=space, person=person)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("%(name)s is no longer in this space.") % {"name": person.name})
    return _back(request, reverse("spaces:members", kwargs={"slug": space.slug}))


@login_required
@require_GET
def invite_candidates(request, slug):
    """The invite picker: people the viewer may invite, matching ``q`` (an htmx fragment)."""
    space = queries.get_space(viewer=request.viewer, slug_or_id=slug)
    if not space.viewer_may_invite:
        raise PermissionDenied
    people = queries.list_invitable_people(
        viewer=request.viewer, space=space, q=request.GET.get("q", "")
    )
    context = {"space": space, "candidates": people, "q": request.GET.get("q", "")}
    return render(request, "spaces/member_list.html#candidates", context)


@login_required
@require_POST
def member_add(request, slug):
    """Invite a person (members, per the space's policy) or add them at once (moderators)."""
    space = queries.find_space(viewer=request.viewer, slug_or_id=slug)
    form = PersonForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a person."))
    person = _person(request, form.cleaned_data["person"])
    directly = request.POST.get("mode") == "add" and can_manage_members(request.viewer, space)
    try:
        if directly:
            actions.add_member(
                by=request.viewer,
                space=space,
                person=person,
                role=form.cleaned_data.get("role") or SpaceRole.MEMBER,
            )
            messages.success(request, _("%(name)s is now in this space.") % {"name": person.name})
        else:
            actions.invite_to_space(by=request.viewer, space=space, person=person)
            messages.success(request, _("%(name)s is invited.") % {"name": person.name})
    except (ValidationError, RateLimited) as error:
        _error(request, error)
    return _back(request, reverse("spaces:members", kwargs={"slug": space.slug}))


# Join requests and invitations --------------------------------------------------------------


@login_required
@require_GET
def joinrequest_list(request, slug):
    """Pending requests to join, for moderators, owners and admins."""
    space = queries.get_space(viewer=request.viewer, slug_or_id=slug)
    join_requests = list(queries.list_join_requests(viewer=request.viewer, space=space))
    return render(
        request,
        "spaces/joinrequest_list.html",
        {"space": space, "join_requests": join_requests},
    )


@login_required
@require_POST
def joinrequest_decide(request, slug, request_id, decision):
    if decision not in {"approve", "decline"}:
        raise Http404
    space = queries.find_space(viewer=request.viewer, slug_or_id=slug)
    join_request = queries.get_join_request(
        viewer=request.viewer, space=space, request_id=request_id
    )
    try:
        if decision == "approve":
            actions.approve_request(by=request.viewer, join_request=join_request)
            messages.success(request, _("%(name)s is in.") % {"name": join_request.person.name})
        else:
            actions.decline_request(by=request.viewer, join_request=join_request)
            messages.success(request, _("The request is declined."))
    except ValidationError as error:
        _error(request, error)
    return redirect("spaces:requests", slug=space.slug)


@login_required
@require_GET
def invitation_list(request):
    """The viewer's pending invitations to spaces."""
    invitations = list(queries.list_invitations(viewer=request.viewer))
    return render(request, "spaces/invitation_list.html", {"invitations": invitations})


@login_required
@require_POST
def invitation_decide(request, invitation_id, decision):
    if decision not in {"accept", "decline"}:
        raise Http404
    invitation = queries.get_invitation(viewer=request.viewer, invitation_id=invitation_id)
    space = invitation.space
    if decision == "accept":
        try:
            actions.accept_invitation(person=request.viewer, invitation=invitation)
        except PermissionDenied as error:
            _error(request, error)
            return redirect("spaces:invitations")
        messages.success(request, _("Welcome to %(space)s.") % {"space": space.name})
        return redirect("spaces:detail", slug=space.slug)
    actions.decline_invitation(person=request.viewer, invitation=invitation)
    messages.success(request, _("The invitation is declined."))
    return redirect("spaces:invitations")


# Team spaces ----------------------------------------------------------------------------------


@login_required
def team_space_list(request):
    """The team tree with a button per team to create its space (community managers, admins)."""
    if not request.viewer.is_community_manager:
        raise PermissionDenied
    if request.method == "POST":
        try:
            team_id = int(request.POST.get("team", ""))
        except ValueError:
            return HttpResponseBadRequest(_("Choose a team."))
        team = Team.objects.filter(pk=team_id).first()
        if team is None:
            raise Http404
        space = actions.create_team_space(by=request.viewer, team=team)
        messages.success(
            request,
            ngettext(
                "%(space)s has %(count)s member.",
                "%(space)s has %(count)s members.",
                space.member_count,
            )
            % {"space": space.name, "count": space.member_count},
        )
        return redirect("spaces:team-spaces")
    teams = queries.list_team_space_candidates(viewer=request.viewer)
    return render(request, "spaces/teamspace_list.html", {"teams": teams})
