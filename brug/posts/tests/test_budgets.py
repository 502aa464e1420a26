"""Query budgets of BENCHMARKS.md for the posts pages, fragments and API lists.

How queries are counted ("after authentication"): the client signs in with
``force_login`` and sessions are signed cookies in these tests
(``SESSION_ENGINE`` = signed_cookies), so loading the session costs no query.
What remains of authentication is exactly one query: the signed-in user's
row (``AuthenticationMiddleware``; for the API, ``SessionAuth``). Each budget
below is therefore written as ``AUTH + n`` with ``AUTH = 1`` and ``n`` the
page's own queries, which must fit the budget of BENCHMARKS.md.

``django_assert_num_queries`` asserts an exact count, and the same count is
asserted at 5 and at 25 posts and at 10 and at 200 memberships, so a list
that grows with its data fails here.
"""

import pytest
from django.test import Client

from brug.posts import actions, queries
from brug.posts.enums import ReactionKind
from brug.posts.models import Mention
from brug.posts.tests.conftest import Upload, make_comment, make_post, png_bytes
from tests.factories import UserFactory, give_memberships

AUTH = 1  # the signed-in user's row; sessions are signed cookies here

# (posts, memberships of the viewer)
SIZES = [(5, 10), (25, 200)]

SPACE_FRAGMENT = 5  # budget: htmx fragment <= 5
SPACE_FIRST_PAGE_FEED = 6  # the space page's feed part (page budget 8, spaces adds its own)
HOME_FEED = 6  # budget: home feed <= 10
POST_WITH_COMMENTS = 6  # budget: post with 50 comments <= 8
CREATE_POST_OWN = 8  # budget: create post (request) <= 15, with JOB_QUERIES
JOB_QUERIES = (
    5  # two jobs.enqueue calls: notifications (keyed: savepoint, task, key, release) and search (1)
)
API_SPACE_POSTS = 5  # budget: its HTML page's count +-1 (fragment: 5, first page: 6)
HOME_FRAGMENT = 4  # the home feed's "load more" fragment
API_FEED = 4  # its HTML list's count +-1


@pytest.fixture
def signed_cookie_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"


@pytest.fixture
def budget_client(signed_cookie_sessions):
    def make(person):
        client = Client()
        client.force_login(person)
        return client

    return make


def _posts(space, author, others, count, *, uploads_dir):
    posts = []
    for n in range(count):
        post = make_post(author, space, f"Post {n} over **wondzorg** met @{others[0].handle}")
        actions.add_reaction(person=others[0], kind=ReactionKind.THANKS, post=post)
        actions.add_reaction(person=author, kind=ReactionKind.HELPFUL, post=post)
        posts.append(post)
    image = actions.add_attachment(
        uploader=author, upload=Upload(png_bytes(), "foto.png"), rate_limit=False
    )
    posts.append(make_post(author, space, "Met een foto", attachments=[image]))
    return posts


@pytest.mark.parametrize(("count", "memberships"), SIZES)
def test_space_feed_fragment_fits_its_budget(
    budget_client,
    django_assert_num_queries,
    member,
    moderator,
    organisation,
    space,
    uploads_dir,
    count,
    memberships,
):
    posts = _posts(space, member, [moderator], count, uploads_dir=uploads_dir)
    actions.pin_post(moderator=moderator, post=posts[0])
    give_memberships(member, organisation, memberships)
    client = budget_client(member)
    cursor = queries.feed_cursor(posts[-1])
    url = f"/posts/space/{space.pk}/feed"
    with django_assert_num_queries(AUTH + SPACE_FRAGMENT):
        response = client.get(f"{url}?before={cursor}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert SPACE_FRAGMENT <= 5
    with django_assert_num_queries(AUTH + SPACE_FIRST_PAGE_FEED):
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.count(b'class="card brug-post') == min(count, 25) + 1


@pytest.mark.parametrize(("count", "memberships"), SIZES)
def test_space_feed_fragment_costs_an_outsider_no_more(
    budget_client,
    django_assert_num_queries,
    member,
    moderator,
    outsider,
    organisation,
    space,
    uploads_dir,
    count,
    memberships,
):
    posts = _posts(space, member, [moderator], count, uploads_dir=uploads_dir)
    give_memberships(outsider, organisation, memberships)
    client = budget_client(outsider)
    cursor = queries.feed_cursor(posts[-1])
    with django_assert_num_queries(AUTH + SPACE_FRAGMENT):
        response = client.get(
            f"/posts/space/{space.pk}/feed?before={cursor}", headers={"HX-Request": "true"}
        )
    assert response.status_code == 200


@pytest.mark.parametrize(("count", "memberships"), SIZES)
def test_home_feed_fits_its_budget(
    budget_client,
    django_assert_num_queries,
    member,
    moderator,
    organisation,
    space,
    uploads_dir,
    count,
    memberships,
):
    _posts(space, moderator, [member], count, uploads_dir=uploads_dir)
    actions.follow_person(follower=member, person=moderator)
    give_memberships(member, organisation, memberships)
    client = budget_client(member)
    with django_assert_num_queries(AUTH + HOME_FEED):
        response = client.get("/posts/")
    assert response.status_code == 200
    assert response.content.count(b'class="card brug-post') == min(count + 1, 25)
    assert HOME_FEED <= 10


@pytest.mark.parametrize(("comments", "memberships"), [(5, 10), (50, 200)])
def test_post_with_fifty_comments_fits_its_budget(
    budget_client,
    django_assert_num_queries,
    member,
    moderator,
    organisation,
    space,
    uploads_dir,
    comments,
    memberships,
):
    post = make_post(member, space, "Wie heeft ervaring met het nieuwe ECD?")
    actions.add_reaction(person=moderator, kind=ReactionKind.THANKS, post=post)
    top = None
    for n in range(comments):
        comment = make_comment(
            moderator if n % 2 else member, post, f"Reactie {n}", parent=top if n % 3 == 2 else None
        )
        top = top or comment
        actions.add_reaction(person=member, kind=ReactionKind.HELPFUL, comment=comment)
    give_memberships(member, organisation, memberships)
    client = budget_client(member)
    with django_assert_num_queries(AUTH + POST_WITH_COMMENTS):
        response = client.get(f"/posts/{post.pk}/")
    assert response.status_code == 200
    assert response.content.count(b'<article class="brug-comment') == comments
    assert POST_WITH_COMMENTS <= 8


@pytest.mark.parametrize("memberships", [10, 200])
def test_create_post_request_fits_its_budget(
    budget_client, django_assert_num_queries, member, organisation, space, memberships
):
    """A plain post through the composer.

    Of the count, ``JOB_QUERIES`` are the two jobs the write enqueues in its
    transaction (notifications, search) through ``brug.core.jobs.enqueue``:
    a keyed enqueue costs 7 queries (two savepoints around a JobKey insert,
    the task insert, a JobKey update) and a plain one 3. The posts part is
    the rest: the space, the memberships, a savepoint pair (the outermost
    BEGIN in production), the post, its activity row, the space's
    last-activity update and the realtime event.
    """
    give_memberships(member, organisation, memberships)
    client = budget_client(member)
    with django_assert_num_queries(AUTH + CREATE_POST_OWN + JOB_QUERIES):
        response = client.post(
            "/posts/new", {"space": space.pk, "body": "Ik werk aan het rooster", "kind": "update"}
        )
    assert response.status_code == 302
    assert CREATE_POST_OWN + JOB_QUERIES <= 15, (
        f"create post costs {CREATE_POST_OWN + JOB_QUERIES} queries after sign-in, "
        f"{JOB_QUERIES} of them enqueueing two jobs (brug.core.jobs.enqueue)"
    )


@pytest.mark.parametrize("mentioned", [1, 20])
def test_mentions_cost_the_same_whether_one_or_twenty_people_are_mentioned(
    budget_client, django_assert_num_queries, member, space, mentioned
):
    people = [UserFactory(handle=f"collega{n}") for n in range(mentioned)]
    client = budget_client(member)
    body = "Kijk mee: " + " ".join(f"@{p.handle}" for p in people)
    # One query resolves the handles, one stores the mentions, one their activity.
    with django_assert_num_queries(AUTH + CREATE_POST_OWN + 3 + JOB_QUERIES):
        response = client.post("/posts/new", {"space": space.pk, "body": body})
    assert response.status_code == 302
    assert Mention.objects.count() == mentioned


@pytest.mark.parametrize(("count", "memberships"), SIZES)
def test_api_lists_cost_what_their_html_lists_cost(
    budget_client,
    django_assert_num_queries,
    member,
    moderator,
    organisation,
    space,
    uploads_dir,
    count,
    memberships,
):
    """The API list against the same list as an htmx fragment (the page adds only chrome:
    the composer's spaces and the notification badge)."""
    posts = _posts(space, member, [moderator], count, uploads_dir=uploads_dir)
    actions.follow_person(follower=member, person=moderator)
    give_memberships(member, organisation, memberships)
    client = budget_client(member)
    cursor = queries.feed_cursor(posts[-1])
    with django_assert_num_queries(AUTH + API_SPACE_POSTS):
        response = client.get(f"/api/v1/spaces/{space.pk}/posts")
    assert response.status_code == 200
    assert len(response.json()["items"]) == min(count + 1, 25)
    assert abs(API_SPACE_POSTS - SPACE_FRAGMENT) <= 1
    with django_assert_num_queries(AUTH + HOME_FRAGMENT):
        response = client.get(f"/posts/?before={cursor}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    with django_assert_num_queries(AUTH + API_FEED):
        response = client.get("/api/v1/feed")
    assert response.status_code == 200
    assert len(response.json()["items"]) == min(count + 1, 25)
    assert abs(API_FEED - HOME_FRAGMENT) <= 1
