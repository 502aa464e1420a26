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
def working_on(*, viewer, person, own: bool) -> ProfileSection | None:
    """The person's latest work-out-loud post the viewer may read."""
    post = queries.get_person_working_on(viewer=viewer, person=person)
    if post is None:
        return None
    return ProfileSection(f"{TEMPLATE}#working-on", {"post": post, "person": person}, "main")


@register_profile_section(order=30)
def recent_posts(*, viewer, person, own: bool) -> ProfileSection:
    """The person's newest posts the viewer may read, with a link to all of them."""
    page = queries.get_person_posts(viewer=viewer, person=person, limit=RECENT_POSTS)
    context = {"posts": page.posts, "person": person, "own": own}
    return ProfileSection(f"{TEMPLATE}#recent-posts", context, "main")
