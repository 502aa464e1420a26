"""Sections that other apps add to a person's profile page.

The people app cannot import the apps built on it (posts, questions,
matching, analytics …), yet their profile page should show what a person
writes, answers and can help with. Those apps register a *provider* in their
``AppConfig.ready()``, the way Django's contrib apps connect their signals::

    @register_profile_section(order=20)
    def recent_posts(*, viewer, person, own):
        posts = queries.get_person_posts(viewer=viewer, person=person, limit=3).posts
        return ProfileSection("posts/profile_recent_posts.html", {"posts": posts}, "main")

A provider is called for every profile page with the ``Viewer`` looking, the
person shown and whether it is the viewer's own page. It returns a section,
a list of sections or None, and reads only through its app's ``queries``
(so what it shows is already narrowed by ``brug.permissions``). It must cost
a fixed number of queries, whatever the person and the viewer have.

The page renders each section with ``{% include section.template with
section=section %}``; the template reads its data from ``section.context``
and is autoescaped like any other template.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Where a section goes: next to the edit button in the header ("actions"),
#: as a card below the profile card ("main"), or in the sidebar.
PLACES = ("actions", "main", "sidebar")

Provider = Callable[..., "ProfileSection | list[ProfileSection] | None"]

# (order, registration number, key, provider); kept sorted.
_providers: list[tuple[int, int, str, Provider]] = []
_numbers = itertools.count()


@dataclass(frozen=True)
class ProfileSection:
    """One piece of a profile page: the template to include and what it needs."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    place: str = "main"

    def __post_init__(self) -> None:
        if self.place not in PLACES:
            raise ValueError(f"Unknown profile section place: {self.place!r}")


def _key(provider: Provider) -> str:
    return f"{provider.__module__}.{provider.__qualname__}"


def register_profile_section(order: int) -> Callable[[Provider], Provider]:
    """Register a profile section provider; lower ``order`` comes first.

    Registering the same function twice (a module imported again) keeps one.
    """

    def decorator(provider: Provider) -> Provider:
        key = _key(provider)
        _providers[:] = [entry for entry in _providers if entry[2] != key]
        _providers.append((order, next(_numbers), key, provider))
        _providers.sort(key=lambda entry: (entry[0], entry[1]))
        return provider

    return decorator


def profile_sections(*, viewer: Any, person: Any, own: bool) -> dict[str, list[ProfileSection]]:
    """Ask every provider for its sections; return them per place, in order."""
    placed: dict[str, list[ProfileSection]] = {place: [] for place in PLACES}
    for *_, provider in list(_providers):
        result = provider(viewer=viewer, person=person, own=own)
        if result is None:
            continue
        for section in result if isinstance(result, list | tuple) else [result]:
            placed[section.place].append(section)
    return placed
