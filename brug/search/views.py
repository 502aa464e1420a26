"""The search page: results with type tabs and counts, filters, search-as-you-type."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from brug.analytics.enums import Verb
from brug.analytics.recording import record_view
from brug.search import queries
from brug.search.enums import DocumentKind
from brug.search.forms import SearchForm

PAGE_SIZE = 20
TEMPLATE = "search/search_results.html"


@login_required
@require_GET
def search_results(request):
    """Search everything the viewer may read; htmx requests get the results fragment."""
    viewer = request.viewer
    form = SearchForm(request.GET)
    fragment = request.htmx and not request.htmx.history_restore_request
    context = {
        "form": form,
        "q": "",
        "page": None,
        "counts": None,
        "fragment": fragment,
        "search_url": reverse("search:results"),
    }
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        person = queries.find_person(viewer=viewer, ref=data["person"]) if data["person"] else None
        if data["person"] and person is None:
            form.add_error("person", queries.UNKNOWN_PERSON)
            status = 400
        else:
            filters = form.filters(person_id=person.pk if person else None)
            offset = data["offset"] or 0
            context.update(
                q=data["q"],
                person=person,
                filters=filters,
                # The type tabs' counts come with the results, from the same query
                # (not for the "more results" rows, which show no tabs).
                page=queries.search(
                    viewer=viewer,
                    q=data["q"],
                    filters=filters,
                    offset=offset,
                    limit=PAGE_SIZE,
                    with_counts=not (fragment and offset),
                ),
            )
            if fragment and offset:
                return _vary(render(request, f"{TEMPLATE}#more", context))
            context["counts"] = context["page"].counts
            if context["page"].terms and not offset:
                # A consume act; buffered in memory, so the GET takes no write lock.
                record_view(person=request.user, verb=Verb.SEARCH)
    else:
        status = 400
    context["tabs"] = _tabs(form, context["counts"])
    if fragment:
        return _vary(render(request, f"{TEMPLATE}#results", context, status=status))
    team_id = form.cleaned_data.get("team") if form.is_valid() else None
    context.update(queries.filter_choices(viewer=viewer, team_id=team_id))
    context["selected_team"] = str(team_id) if team_id else ""
    context["filters_open"] = any(
        request.GET.get(name) for name in ("space", "person", "team", "after", "before")
    )
    return _vary(render(request, TEMPLATE, context, status=status))


@login_required
@require_GET
def team_options(request):
    """The team menu's options, loaded when the filters are opened (htmx)."""
    team = request.GET.get("team", "")
    context = {
        "team_choices": queries.team_choices(viewer=request.viewer),
        "selected_team": team if team.isdigit() else "",
    }
    return render(request, f"{TEMPLATE}#team-options", context)


def _tabs(form, counts) -> list[dict]:
    """The type tabs with their counts (``None`` before anything was searched)."""
    selected = form.cleaned_data.get("type", "") if form.is_bound and form.is_valid() else ""
    tabs = [
        {
            "value": "",
            "label": _("Everything"),
            "count": counts.total if counts else None,
            "capped": bool(counts and counts.capped),
            "selected": not selected,
        }
    ]
    for value, label in DocumentKind.choices:
        tabs.append(
            {
                "value": value,
                "label": label,
                "count": counts.counts[value] if counts else None,
                "capped": bool(counts and value in counts.capped),
                "selected": selected == value,
            }
        )
    return tabs


def _vary(response):
    patch_vary_headers(response, ["HX-Request"])
    return response
