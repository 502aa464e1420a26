"""Query budgets (BENCHMARKS.md): spaces lists cost the same at 5 and 25 items and
at 10 and 200 memberships; the space page and its feed fragment stay within budget."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from brug.posts.actions import create_post
from brug.spaces import actions, queries
from brug.spaces.tests.conftest import ApiClient
from tests.factories import UserFactory

# Every signed-in request first reads the session and the person.
AUTH = 2
SPACE_PAGE_BUDGET = 8
FEED_FRAGMENT_BUDGET = 5


def _count(callable_) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


def _spaces(owner, n, *, prefix="Ruimte"):
    """n visible spaces of several kinds, half with a few members and posts."""
    created = []
    for i in range(n):
        visibility = ("open", "private", "open")[i % 3]
        space = actions.create_space(creator=owner, name=f"{prefix} {i:03d}", visibility=visibility)
        if i % 2 == 0 and visibility == "open":
            create_post(author=owner, space=space, body=f"Bericht {i}", rate_limit=False)
        created.append(space)
    return created


@pytest.fixture
def viewer(organisation, team):
    return UserFactory(name="Vera Viewer", handle="vera.viewer", team=team)


def _in_spaces(person, n, owner):
    """Put ``person`` in n spaces (of which they are not the creator)."""
    for space in _spaces(owner, n, prefix=f"Lid {person.handle}"):
        actions.add_member(by=owner, space=space, person=person)


def _directory_queries(viewer) -> int:
    from brug.permissions import Viewer

    fresh = Viewer(viewer)
    return _count(lambda: queries.list_spaces_for_directory(viewer=fresh))


def test_directory_query_is_two_queries_at_5_and_25_spaces(
    viewer, owner, django_assert_num_queries
):
    from brug.permissions import Viewer

    _spaces(owner, 5)
    with django_assert_num_queries(2):  # the viewer's memberships, then the page of spaces
        page = queries.list_spaces_for_directory(viewer=Viewer(viewer))
        assert len(page["items"]) == 6  # five, plus the organisation's "Durf te vragen"
    _spaces(owner, 20, prefix="Meer")
    with django_assert_num_queries(2):
        page = queries.list_spaces_for_directory(viewer=Viewer(viewer))
        assert len(page["items"]) == 24 and page["next_cursor"]


def test_directory_page_costs_the_same_at_5_and_25_spaces(viewer, owner, django_assert_num_queries):
    client = Client()
    client.force_login(viewer)
    _spaces(owner, 5)
    small = _count(lambda: client.get("/spaces/"))
    assert small <= AUTH + 5
    _spaces(owner, 20, prefix="Meer")
    with django_assert_num_queries(small):
        response = client.get("/spaces/")
    assert response.text.count('class="card brug-space-card') == 24
    fragment = _count(lambda: client.get("/spaces/", headers={"HX-Request": "true"}))
    assert fragment <= AUTH + 2


def test_directory_page_costs_the_same_at_10_and_200_memberships(
    viewer, owner, django_assert_num_queries
):
    client = Client()
    client.force_login(viewer)
    _in_spaces(viewer, 10, owner)
    small = _count(lambda: client.get("/spaces/", {"show": "mine"}))
    assert _directory_queries(viewer) == 2
    _in_spaces(viewer, 190, owner)
    with django_assert_num_queries(small):
        response = client.get("/spaces/", {"show": "mine"})
    assert response.text.count('class="card brug-space-card') == 24
    assert _directory_queries(viewer) == 2


def test_api_space_list_costs_the_same_at_5_and_25_spaces_and_matches_the_page(
    viewer, owner, django_assert_num_queries
):
    from brug.people.tokens import create_token

    api = ApiClient(create_token(user=viewer, name="t"))
    api.get("/me")  # the token's first use is stamped once; count the steady state
    client = Client()
    client.force_login(viewer)
    _spaces(owner, 5)
    small = _count(lambda: api.get("/spaces"))
    page = _count(lambda: client.get("/spaces/", headers={"HX-Request": "true"}))
    # The token lookup instead of session + user; then within one query of the page.
    assert abs((small - 1) - (page - AUTH)) <= 1
    _spaces(owner, 20, prefix="Meer")
    with django_assert_num_queries(small):
        response = api.get("/spaces", {"limit": 25})
    assert len(response.json()["items"]) == 25


def test_api_space_list_costs_the_same_at_10_and_200_memberships(
    viewer, owner, django_assert_num_queries
):
    from brug.people.tokens import create_token

    api = ApiClient(create_token(user=viewer, name="t"))
    api.get("/me")  # the token's first use is stamped once; count the steady state
    _in_spaces(viewer, 10, owner)
    small = _count(lambda: api.get("/spaces", {"mine": "true"}))
    _in_spaces(viewer, 190, owner)
    with django_assert_num_queries(small):
        response = api.get("/spaces", {"mine": "true", "limit": 100})
    assert len(response.json()["items"]) == 100


def test_members_page_and_api_cost_the_same_at_5_and_25_members(
    space, owner, member, django_assert_num_queries
):
    from brug.people.tokens import create_token

    client = Client()
    client.force_login(member)
    api = ApiClient(create_token(user=member, name="t"))
    api.get("/me")  # the token's first use is stamped once; count the steady state
    for i in range(2):
        actions.add_member(
            by=owner, space=space, person=UserFactory(handle=f"extra{i}", password=None)
        )
    assert space.member_count == 5
    page = _count(lambda: client.get(f"/spaces/{space.slug}/members/"))
    listed = _count(lambda: api.get(f"/spaces/{space.pk}/members"))
    for i in range(20):
        actions.add_member(
            by=owner, space=space, person=UserFactory(handle=f"more{i}", password=None)
        )
    with django_assert_num_queries(page):
        response = client.get(f"/spaces/{space.slug}/members/")
    assert len(re.findall(r'id="member-\d+"', response.text)) == 25
    with django_assert_num_queries(listed):
        response = api.get(f"/spaces/{space.pk}/members")
    assert len(response.json()["items"]) == 25


def test_space_page_and_feed_fragment_stay_within_budget_at_10_and_200_memberships(
    viewer, owner, space, django_assert_num_queries
):
    client = Client()
    client.force_login(viewer)
    actions.join_space(person=viewer, space=space)
    for i in range(30):
        create_post(author=owner, space=space, body=f"Nieuws {i}", rate_limit=False)
    _in_spaces(viewer, 9, owner)
    page = _count(lambda: client.get(f"/spaces/{space.slug}/"))
    assert page <= AUTH + SPACE_PAGE_BUDGET + 1  # + the header's unread notifications badge
    first = client.get(f"/spaces/{space.slug}/")
    cursor = first.text.split("?before=")[1].split('"')[0]
    fragment = _count(
        lambda: client.get(
            f"/spaces/{space.slug}/", {"before": cursor}, headers={"HX-Request": "true"}
        )
    )
    assert fragment <= AUTH + FEED_FRAGMENT_BUDGET
    _in_spaces(viewer, 191, owner)
    with django_assert_num_queries(page):
        client.get(f"/spaces/{space.slug}/")
    with django_assert_num_queries(fragment):
        response = client.get(
            f"/spaces/{space.slug}/", {"before": cursor}, headers={"HX-Request": "true"}
        )
    assert "Nieuws 4" in response.text
