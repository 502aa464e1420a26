"""Who may see whom (DESIGN.md "Who sees what", people)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from brug.people.models import User
from brug.permissions.viewer import Viewer, as_viewer


def _co_member_ids(viewer: Viewer) -> QuerySet:
    from brug.spaces.models import Membership

    return Membership.objects.filter(space_id__in=viewer.member_space_ids).values("person_id")


def can_see_person(who: Viewer | Any, person: User) -> bool:
    """Members see their whole organisation; everyone sees co-members of their spaces."""
    viewer = as_viewer(who)
    if not viewer.is_authenticated or not person.is_active:
        return person.pk == viewer.id and viewer.is_authenticated
    if person.pk == viewer.id:
        return True
    if viewer.is_member and person.organisation_id == viewer.organisation_id:
        return True
    return _co_member_ids(viewer).filter(person_id=person.pk).exists()


def check_can_see_person(who: Viewer | Any, person: User) -> None:
    if not can_see_person(who, person):
        raise Http404


def filter_visible_people(who: Viewer | Any, qs: QuerySet[User] | None = None) -> QuerySet[User]:
    """Narrow people to those the viewer may see (agrees with ``can_see_person``)."""
    viewer = as_viewer(who)
    qs = User.objects.all() if qs is None else qs
    if not viewer.is_authenticated:
        return qs.none()
    condition = Q(pk=viewer.id) | Q(pk__in=_co_member_ids(viewer))
    if viewer.is_member:
        condition |= Q(organisation_id=viewer.organisation_id)
    return qs.filter(condition, is_active=True)
