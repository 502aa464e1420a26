"""Pages about people: profiles, the directory, invitations, photos.

Sign-in, sign-out and password pages live in ``views_auth.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from brug.analytics.enums import Verb
from brug.analytics.recording import record_view
from brug.api.pagination import InvalidCursor, paginate_queryset
from brug.core.exceptions import Conflict, RateLimited
from brug.core.forms import apply_errors
from brug.people import actions, queries
from brug.people.forms import (
    InvitationAcceptForm,
    InvitationCreateForm,
    ProfileForm,
    WelcomeForm,
)
from brug.people.models import Invitation
from brug.people.photos import photo_response
from brug.people.sections import profile_sections
from brug.permissions.people import can_edit_profile, can_invite_people

DIRECTORY_PAGE_SIZE = 24


@login_required
def profile(request, handle):
    """A person's page: their profile; on one's own page also completeness and people like you.

    Other apps add their sections (posts, answers, a follow button) through
    ``brug.people.sections``.
    """
    person = queries.get_person(viewer=request.viewer, handle=handle)
    own = person.pk == request.user.pk
    context = {
        "person": person,
        "own": own,
        "can_edit": can_edit_profile(request.viewer, person),
        "working_days": queries.working_day_labels(person),
        "languages": queries.language_labels(person),
        "sections": profile_sections(viewer=request.viewer, person=person, own=own),
    }
    if own:
        context["percent"], context["missing"] = queries.get_profile_completeness(person)
        context["people_like"] = queries.list_people_like(viewer=request.viewer, person=person)
    else:
        record_view(person=request.user, verb=Verb.VIEW_PROFILE, profile=person)
    return render(request, "people/person_detail.html", context)


def _save_profile_form(request, form_class, template, *, onboarded=False):
    person = queries.get_person(viewer=request.viewer, pk=request.user.pk)
    form = form_class(request.POST or None, request.FILES or None, person=person)
    if request.method == "GET":
        form = form_class(initial=ProfileForm.initial_for(person), person=person)
    elif form.is_valid():
        try:
            fields = form.profile_fields()
            actions.save_profile(person=person, by=request.viewer, onboarded=onboarded, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("people:profile", handle=person.handle)
    percent, missing = queries.get_profile_completeness(person)
    context = {"form": form, "person": person, "percent": percent, "missing": missing}
    return render(request, template, context, status=422 if form.errors else 200)


@login_required
def profile_edit(request):
    """Edit one's own profile, photo included."""
    return _save_profile_form(request, ProfileForm, "people/profile_edit.html")


@login_required
def welcome(request):
    """The first-run page after accepting an invitation: the profile essentials."""
    return _save_profile_form(request, WelcomeForm, "people/profile_welcome.html", onboarded=True)


@login_required
def directory(request):
    """Everyone the viewer may see, searchable by name and filterable by profile fields.

    htmx: typing in the filters swaps ``#directory-results`` (partial
    ``results``); "more" appends the next page (partial ``page``).
    """
    filters = queries.parse_filters(request.GET)
    people = queries.list_people(viewer=request.viewer, filters=filters)
    cursor = request.GET.get("cursor") or None
    try:
        page = paginate_queryset(
            people,
            cursor=cursor,
            limit=DIRECTORY_PAGE_SIZE,
            key=queries.DIRECTORY_KEY,
            prefetch=queries.load_people_extras,
        )
    except InvalidCursor:
        return redirect(f"{reverse('people:directory')}?{_query_without_cursor(request)}")
    context = {"page": page, "filters": filters, "query": _query_without_cursor(request)}
    template = "people/person_list.html"
    if request.htmx:
        return render(request, f"{template}#{'page' if cursor else 'results'}", context)
    context["options"] = queries.get_directory_options(viewer=request.viewer)
    return render(request, template, context)


def _query_without_cursor(request) -> str:
    query = request.GET.copy()
    query.pop("cursor", None)
    return query.urlencode()


@login_required
def photo(request, handle):
    """A person's photo (or initials avatar) for those who may see the person."""
    person = queries.get_person_for_photo(viewer=request.viewer, handle=handle)
    return photo_response(person)


def invitation_accept(request, token):
    """Accept an invitation: make an account in the invitation's organisation, then welcome."""
    try:
        invitation = actions.find_invitation(token)
    except ValidationError as error:
        status = 404 if error.code == "unknown" else 410
        context = {"problem": error.messages[0]}
        return render(request, "people/invitation_problem.html", context, status=status)
    if request.user.is_authenticated:
        return render(request, "people/invitation_accept.html", {"invitation": invitation})
    form = InvitationAcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = actions.accept_invitation(
                token=token,
                email=invitation.email or data["email"],
                name=data["name"],
                password=data["password"],
            )
        except Conflict as error:
            form.add_error("email", str(error))
        except ValidationError as error:
            if not hasattr(error, "error_dict") and error.code in {"used", "expired", "unknown"}:
                context = {"problem": error.messages[0]}
                return render(request, "people/invitation_problem.html", context, status=410)
            apply_errors(form, error)
        else:
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("people:welcome")
    context = {"invitation": invitation, "form": form}
    return render(
        request,
        "people/invitation_accept.html",
        context,
        status=422 if form.errors else 200,
    )


@login_required
def invitations(request):
    """Make and list invitation links (admins: any organisation; community managers: their own)."""
    if not can_invite_people(request.viewer):
        raise PermissionDenied
    form = InvitationCreateForm(request.POST or None, viewer=request.viewer)
    new_link = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = actions.create_invitation(
                by=request.viewer,
                organisation=data["organisation"],
                email=data["email"] or None,
                role=data["role"],
                team=data["team"],
                send_email=data["send_email"],
                language=data["language"] or None,
                message=data["message"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        except (PermissionDenied, RateLimited) as error:
            form.add_error(None, str(error) or _("You may not invite people there."))
        else:
            path = reverse("people:invitation-accept", args=[invitation.token])
            new_link = request.build_absolute_uri(path)
            form = InvitationCreateForm(viewer=request.viewer)
            if invitation.emailed:
                messages.success(
                    request,
                    _("The invitation link was e-mailed to %(address)s.")
                    % {"address": invitation.email},
                )
            elif invitation.email and data["send_email"]:
                messages.warning(
                    request,
                    _("The e-mail could not be sent. Copy the link below and pass it on yourself."),
                )
    context = {
        "form": form,
        "new_link": new_link,
        "invitations": queries.list_invitations(viewer=request.viewer),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "people/invitation_list.html", context, status=status)


@login_required
@require_POST
def invitation_revoke(request, pk):
    """End an unused invitation link now."""
    invitation = get_object_or_404(Invitation, pk=pk)
    if not can_invite_people(request.viewer, invitation.organisation_id):
        raise Http404
    actions.revoke_invitation(by=request.viewer, invitation=invitation)
    messages.success(request, _("The invitation link no longer works."))
    return redirect("people:invitations")
