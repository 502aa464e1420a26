"""The posts app's sections of a profile page (see ``brug.people.sections``).

Registered by ``PostsConfig.ready()``. Everything shown is read through
``brug.posts.queries``, so it is already narrowed to what the viewer may
read; anonymous posts have no author and never appear. Three queries for the
whole lot (the follow state, the latest work-out-loud post, the recent posts),
plus the viewer's memberships, which the request's ``Viewer`` loads once.
"""

from __future__ import annotations

from django.urls import reverse

from brug.people.sections import ProfileSection, register_profile_section
from brug.posts import queries

TEMPLATE = "posts/profile_sections.html"
RECENT_POSTS = 3


@register_profile_section(order=10)
def follow_and_all_posts(*, viewer, person, own: bool) -> ProfileSection:
    """Next to the edit button: Follow / Following (not on one's own page) and "All posts"."""
    context = {
        "person": person,
        "own": own,
        # Without htmx the follow form posts and comes back to the profile.
        "next": reverse("people:profile", args=[person.handle]),
        "following": False if own else queries.is_following(viewer=viewer, person=person),
    }
    return ProfileSection(f"{TEMPLATE}#actions", context, "actions")


@register_profile_section(order=20)
def working_on_and_recent_posts(*, viewer, person, own: bool) -> list[ProfileSection]:
    """What the person is working on (their latest work-out-loud post the viewer may
    read), then their newest other posts the viewer may read, with a link to all."""
    sections = []
    working_on = queries.get_person_working_on(viewer=viewer, person=person)
    if working_on is not None:
        context = {"post": working_on, "person": person}
        sections.append(ProfileSection(f"{TEMPLATE}#working-on", context, "main"))
    page = queries.get_person_posts(viewer=viewer, person=person, limit=RECENT_POSTS + 1)
    recent = [post for post in page.posts if post != working_on][:RECENT_POSTS]
    context = {"posts": recent, "person": person, "own": own}
    sections.append(ProfileSection(f"{TEMPLATE}#recent-posts", context, "main"))
    return sections
