"""Reads on people: profile pages, the directory, completeness, "people like you".

Everything here goes through ``brug.permissions.people`` first, and loads the
related data a page shows (organisation, team, expertise) in a fixed number of
queries, however many people or memberships there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from brug.people.enums import SPOKEN_LANGUAGES, WorkingDay
from brug.people.models import Expertise, Invitation, User
from brug.permissions import Viewer, as_viewer
from brug.permissions.people import (
    check_can_see_person,
    filter_visible_invitations,
    filter_visible_organisations,
    filter_visible_people,
    filter_visible_teams,
)

# The key the directory and ``GET /people`` page on: case-insensitive name, then id.
DIRECTORY_KEY = ("sort_name", "id")
MAX_QUERY_WORDS = 5
MAX_FILTER_LENGTH = 100
MIN_EXPERTISE = 3


def _with_profile(qs: QuerySet[User]) -> QuerySet[User]:
    return qs.select_related("organisation", "team", "team__parent").prefetch_related(
        Prefetch("expertise", queryset=Expertise.objects.order_by("name"))
    )


def get_person(*, viewer: Viewer | Any, handle: str | None = None, pk: int | None = None) -> User:
    """Return the person with ``handle`` (or ``pk``) with their profile loaded; 404 if invisible."""
    qs = _with_profile(User.objects.all())
    try:
        person = qs.get(handle=handle) if handle is not None else qs.get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        from django.http import Http404

        raise Http404 from None
    check_can_see_person(viewer, person)
    return person


def get_person_for_photo(*, viewer: Viewer | Any, handle: str) -> User:
    """Return the person whose photo is asked for (only the fields the photo needs); 404 if invisible."""
    from django.http import Http404

    person = (
        User.objects.only("pk", "handle", "name", "email", "photo", "is_active", "organisation_id")
        .filter(handle=handle)
        .first()
    )
    if person is None:
        raise Http404
    check_can_see_person(viewer, person)
    return person


@dataclass(frozen=True)
class DirectoryFilters:
    """What the directory and ``GET /people`` filter on (empty means: not filtered)."""

    q: str = ""
    team: int | None = None
    organisation: int | None = None
    function: str = ""
    expertise: str = ""
    language: str = ""
    location: str = ""

    @property
    def is_empty(self) -> bool:
        return self == DirectoryFilters()


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())[:MAX_FILTER_LENGTH]


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number < 2**62 else None


def parse_filters(data: Any) -> DirectoryFilters:
    """Read directory filters from a QueryDict or dict, dropping what cannot be a filter."""
    language = _text(data.get("language")).lower()
    return DirectoryFilters(
        q=_text(data.get("q")),
        team=_int(data.get("team")),
        organisation=_int(data.get("organisation")),
        function=_text(data.get("function")),
        expertise=_text(data.get("expertise")).lstrip("#"),
        language=language if language in SPOKEN_LANGUAGES else "",
        location=_text(data.get("location")),
    )


def list_people(*, viewer: Viewer | Any, filters: DirectoryFilters | None = None) -> QuerySet[User]:
    """Return the people the viewer may see that match ``filters``, in directory order.

    Not sliced: page it with ``paginate_queryset(..., key=DIRECTORY_KEY,
    prefetch=load_people_extras)``. A guest gets only themselves and the
    people of their spaces, whatever they filter on.
    """
    viewer = as_viewer(viewer)
    filters = filters or DirectoryFilters()
    qs = filter_visible_people(viewer).select_related("organisation", "team")
    if filters.q:
        # The people index of search: every word starts a word of the name,
        # handle, function, team, organisation, expertise or languages.
        from brug.search.queries import people_matching

        matching = people_matching(" ".join(filters.q.split()[:MAX_QUERY_WORDS]))
        if matching is not None:
            qs = qs.filter(pk__in=matching)
    if filters.team:
        qs = qs.filter(
            Q(team_id=filters.team)
            | Q(team__parent_id=filters.team)
            | Q(team__parent__parent_id=filters.team)
        )
    if filters.organisation:
        qs = qs.filter(organisation_id=filters.organisation)
    if filters.function:
        qs = qs.filter(function__icontains=filters.function)
    if filters.location:
        qs = qs.filter(location__icontains=filters.location)
    if filters.language:
        if filters.language not in SPOKEN_LANGUAGES:
            return qs.none()
        # Languages are a JSON list of codes from a fixed list; matching the
        # quoted code in the JSON text works on SQLite and PostgreSQL alike.
        qs = qs.filter(languages__icontains=f'"{filters.language}"')
    if filters.expertise:
        slug = slugify(filters.expertise)
        # "wond" finds "Wondzorg"; "data-analyse" finds "Data analyse".
        condition = Q(name__icontains=filters.expertise)
        if slug:
            condition |= Q(slug__contains=slug)
        tags = Expertise.objects.filter(condition)
        qs = qs.filter(
            pk__in=User.expertise.through.objects.filter(expertise__in=tags).values("user_id")
        )
    return qs.annotate(sort_name=Lower("name")).order_by(*DIRECTORY_KEY)


def load_people_extras(people: list[User]) -> None:
    """Load the expertise of a page of people in one query (the page's ``prefetch``)."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        people, Prefetch("expertise", queryset=Expertise.objects.order_by("name"))
    )


def get_directory_options(*, viewer: Viewer | Any) -> dict[str, Any]:
    """Return the choices of the directory's filters, as the viewer may see them.

    Three queries: teams, organisations and the most used expertise tags
    among the people the viewer may see.
    """
    viewer = as_viewer(viewer)
    teams = list(
        filter_visible_teams(viewer)
        .select_related("organisation", "parent")
        .order_by("organisation__name", "parent__name", "name", "id")
    )
    organisations = list(filter_visible_organisations(viewer).order_by("name", "id"))
    expertise = list(
        Expertise.objects.filter(people__in=filter_visible_people(viewer).values("pk"))
        .annotate(n=Count("people"))
        .order_by("-n", "name")
        .values_list("name", flat=True)[:100]
    )
    languages = list(SPOKEN_LANGUAGES.items())  # the most spoken at work first
    return {
        "teams": teams,
        "organisations": organisations,
        "expertise": expertise,
        "languages": languages,
        "several_organisations": len(organisations) > 1,
    }


# Completeness ------------------------------------------------------------------

COMPLETENESS_ITEMS: list[tuple[str, Any]] = [
    ("photo", _("Add a photo")),
    ("function", _("Say what your function is")),
    ("team", _("Choose your team")),
    ("location", _("Add your location")),
    ("languages", _("Add the languages you speak")),
    ("bio", _("Write a few lines about yourself")),
    ("expertise", _("Name at least three areas of expertise")),
    ("ask_me_about", _("Say what people may ask you about")),
    ("working_days", _("Tick your working days")),
]


def _expertise_count(person: User) -> int:
    cache = getattr(person, "_prefetched_objects_cache", {})
    if "expertise" in cache:
        return len(cache["expertise"])
    return person.expertise.count()


def get_profile_completeness(person: User) -> tuple[int, list[dict[str, str]]]:
    """Return how complete the profile is (0-100) and what is missing.

    Each missing item is ``{"key", "label", "anchor", "url"}``: ``url`` points at
    the field on the edit page (``anchor`` is its fragment).
    """
    done = {
        "photo": bool(person.photo),
        "function": bool(person.function.strip()),
        "team": person.team_id is not None,
        "location": bool(person.location.strip()),
        "languages": bool(person.languages),
        "bio": bool(person.bio.strip()),
        "expertise": _expertise_count(person) >= MIN_EXPERTISE,
        "ask_me_about": bool(person.ask_me_about.strip()),
        "working_days": bool(person.working_days),
    }
    edit_url = reverse("people:profile-edit")
    missing = [
        {
            "key": key,
            "label": str(label),
            "anchor": f"#field-{key}",
            "url": f"{edit_url}#field-{key}",
        }
        for key, label in COMPLETENESS_ITEMS
        if not done[key]
    ]
    percent = round(100 * (len(COMPLETENESS_ITEMS) - len(missing)) / len(COMPLETENESS_ITEMS))
    return percent, missing


def list_people_like(*, viewer: Viewer | Any, person: User, limit: int = 6) -> list[User]:
    """Return people with the same function or team name elsewhere, as the viewer may see them.

    "Elsewhere" is another team for the same function, and another
    organisation for a team of the same name. People of other organisations
    come first: they are who one would not meet otherwise.
    """
    function = person.function.strip()
    team_name = person.team.name if person.team_id else ""
    condition = Q()
    if function:
        condition |= Q(function__iexact=function) & ~Q(
            team_id=person.team_id, organisation_id=person.organisation_id
        )
    if team_name:
        condition |= Q(team__name__iexact=team_name) & ~Q(organisation_id=person.organisation_id)
    if not condition:
        return []
    qs = (
        filter_visible_people(viewer)
        .filter(condition)
        .exclude(pk=person.pk)
        .select_related("organisation", "team")
    )
    # Other organisations first, then by name (one query, no per-person lookups).
    from django.db.models import Case, IntegerField, Value, When

    qs = qs.annotate(
        elsewhere=Case(
            When(organisation_id=person.organisation_id, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("elsewhere", Lower("name"), "id")
    return list(qs[:limit])


def working_day_labels(person: User) -> list[str]:
    labels = dict(WorkingDay.choices)
    return [str(labels[d]) for d in person.working_days if d in labels]


def language_labels(person: User) -> list[str]:
    return [str(SPOKEN_LANGUAGES[c]) for c in person.languages if c in SPOKEN_LANGUAGES]


# Invitations -------------------------------------------------------------------


def list_invitations(*, viewer: Viewer | Any, limit: int = 100) -> list[Invitation]:
    """Return the latest invitations the viewer manages (admins: all; managers: their organisation's)."""
    return list(
        filter_visible_invitations(viewer)
        .select_related("organisation", "team", "created_by", "used_by")
        .order_by("-created_at", "-pk")[:limit]
    )
