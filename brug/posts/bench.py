"""Feeds and writing in ``brug bench``.

* The space feed (the space page, and its htmx fragment): at most
  1.5 x (F1 + Q), F1 rendering the captured template from the in-memory
  page, Q the feed's own posts query (captured from the page) on a raw cursor.
* The home feed of a member in many spaces: at most 2 x the space feed page.
* Creating a post (the composer's POST, answered by a redirect): at most
  3 x (F1 + one INSERT), F1 rendering the composer page's template from
  memory and the INSERT writing one post row, committed. The posts written
  while measuring are deleted afterwards (``Setup.cleanups``).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from brug.core.bench import (
    Operation,
    Setup,
    capture,
    in_sequence,
    main_query,
    raw_sql,
    render_floor,
)
from brug.core.tiers.writer import TableWriter, next_id
from brug.posts.models import Post
from brug.spaces.models import Space

HTMX = {"HTTP_HX_REQUEST": "true"}
# Growth, large / medium (BENCHMARKS.md): feeds and posting at most 1.25.
GROWTH = 1.25


def busiest_space(person) -> Space:
    """The community space of ``person`` with the most posts (one GROUP BY)."""
    space = (
        Space.objects.filter(memberships__person=person, kind="community")
        .annotate(posts_count=Count("posts", filter=Q(posts__is_deleted=False)))
        .order_by("-posts_count", "pk")
        .first()
    )
    if space is None:
        raise RuntimeError(f"{person} is in no community space.")
    return space


def operations(setup: Setup) -> list[Operation]:
    client = setup.client
    space = busiest_space(setup.person)
    found = []

    page_url = reverse("spaces:detail", kwargs={"slug": space.slug})
    fragment_url = reverse("posts:space-feed", args=[space.pk])

    def space_page():
        return client.get(page_url)

    def space_fragment():
        return client.get(fragment_url, **HTMX)

    pages = (
        ("space feed page", space_page, None),
        ("space feed fragment", space_fragment, "posts/space_feed.html#feed"),
    )
    for name, request, template in pages:
        captured = capture(request)
        render = render_floor(captured, template)
        feed_sql = raw_sql(main_query(captured, 'FROM "posts_post"', "LIMIT 26"))
        found.append(
            Operation(
                name=f"{name}, 25 items",
                target=1.5,
                floor_label="F1 + Q",
                growth=GROWTH,
                run=request,
                floor=in_sequence(render, feed_sql),
            )
        )

    home_url = reverse("posts:home")
    spaces = setup.person.memberships.count()
    found.append(
        Operation(
            name=f"home feed, person in {spaces} spaces",
            key="home feed",
            target=2.0,
            growth=GROWTH,
            floor_label="space feed page",
            run=lambda: client.get(home_url),
            relative_to="space feed page, 25 items",
        )
    )

    found.append(_create_post(setup, space))
    return found


def _create_post(setup: Setup, space: Space) -> Operation:
    client = setup.client
    create_url = reverse("posts:create")
    first_new = next_id(Post)
    setup.cleanups.append(lambda: Post.objects.filter(pk__gte=first_new).delete())
    composer = capture(lambda: client.get(create_url, {"space": space.pk}))
    render = render_floor(composer)
    row = TableWriter(
        Post,
        ["kind", "space_id", "organisation_id", "author_id", "body", "body_html", "language"],
    )
    body = "Benchmark: een bericht over het project. A post about the project."

    def floor():
        render()
        row.insert_one(
            [
                "update",
                space.pk,
                space.organisation_id,
                setup.person.pk,
                body,
                f"<p>{body}</p>",
                "nl",
            ]
        )

    def create():
        response = client.post(
            create_url, {"space": space.pk, "kind": "update", "title": "", "body": body}
        )
        if response.status_code != 302:
            raise RuntimeError(f"Creating a post answered {response.status_code}.")
        return response

    return Operation(
        name="create post",
        target=3.0,
        growth=GROWTH,
        floor_label="F1 + one INSERT",
        run=create,
        floor=floor,
    )
