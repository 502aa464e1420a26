"""The directory: name search, filters, htmx fragments, paging and query budgets."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brug.people import actions
from brug.people.models import Expertise, User
from brug.spaces.models import Membership, Space
from tests.factories import OrganisationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleagues(organisation, team, other_team):
    ilse = UserFactory(name="Ilse Jansen", team=team)
    actions.update_profile(
        person=ilse,
        by=ilse,
        function="Wijkverpleegkundige",
        location="Utrecht",
        languages=["nl", "ar"],
        expertise=["Wondzorg", "Diabetes"],
    )
    mark = UserFactory(name="Mark de Boer", team=other_team)
    actions.update_profile(
        person=mark,
        by=mark,
        function="Data analyst",
        location="Amersfoort",
        languages=["nl", "en"],
        expertise=["Power BI", "Python"],
    )
    return ilse, mark


CARD_NAME = re.compile(r'class="brug-person-card-name[^"]*" href="[^"]*">([^<]+)</a>')


def card_names(html: str) -> list[str]:
    """The names on the person cards of a directory page or fragment."""
    return CARD_NAME.findall(html)


def _names(client, **params):
    response = client.get("/people/", params)
    assert response.status_code == 200
    return set(card_names(response.content.decode())) - {"Sanne de Wit"}


def test_the_directory_searches_names_by_each_word(member_client, colleagues):
    assert _names(member_client, q="ilse") == {"Ilse Jansen"}
    assert _names(member_client, q="de boer") == {"Mark de Boer"}
    assert _names(member_client, q="mark ilse") == set()


def test_the_search_box_finds_function_expertise_and_team_in_either_language(
    member_client, colleagues, guest
):
    from brug.core import jobs

    jobs.run_pending()  # the profile updates re-index their people
    assert _names(member_client, q="wondzorg") == {"Ilse Jansen"}
    assert _names(member_client, q="wijkverpleegkundigen") == {"Ilse Jansen"}  # plural, Dutch
    assert _names(member_client, q="analysts") == {"Mark de Boer"}  # plural, English
    assert _names(member_client, q="power") == {"Mark de Boer"}
    assert _names(member_client, q="de") >= {"Mark de Boer"}  # a stop word starts a name
    assert _names(member_client, q="ilse python") == set()
    # The API is the same search, and a guest finds nobody they may not see.
    api = member_client.get("/api/v1/people", {"q": "wondzorg"}).json()
    assert [item["name"] for item in api["items"]] == ["Ilse Jansen"]
    member_client.force_login(guest)
    assert _names(member_client, q="wondzorg") == set()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"expertise": "wond"}, {"Ilse Jansen"}),
        ({"expertise": "power-bi"}, {"Mark de Boer"}),
        ({"function": "analyst"}, {"Mark de Boer"}),
        ({"language": "ar"}, {"Ilse Jansen"}),
        ({"language": "en"}, {"Mark de Boer"}),
        ({"location": "amersf"}, {"Mark de Boer"}),
    ],
)
def test_the_directory_filters_on_profile_fields(member_client, colleagues, params, expected):
    assert _names(member_client, **params) == expected


def test_the_team_filter_includes_the_teams_of_a_department(member_client, organisation, member):
    department = TeamFactory(organisation=organisation, name="Wijkzorg")
    child = TeamFactory(organisation=organisation, name="Wijkteam Zuid", parent=department)
    UserFactory(name="Ilse Jansen", team=child)
    assert _names(member_client, team=department.pk) == {"Ilse Jansen"}
    assert _names(member_client, team=child.pk) == {"Ilse Jansen"}


def test_the_organisation_filter(member_client, member, colleagues, other_organisation, space):
    from brug.spaces.actions import _add_membership

    partner = UserFactory(name="Mark de Boer", organisation=other_organisation)
    _add_membership(space=space, person=partner)
    response = member_client.get("/people/", {"organisation": other_organisation.pk})
    assert card_names(response.content.decode()) == ["Mark de Boer"]


def test_nonsense_filters_are_ignored_rather_than_failing(member_client, colleagues):
    response = member_client.get(
        "/people/", {"team": "abc", "organisation": "99999999999999999999999", "language": "xx"}
    )
    assert response.status_code == 200


def test_a_forged_cursor_starts_again_instead_of_failing(member_client):
    response = member_client.get("/people/", {"cursor": "forged", "q": "x"})
    assert response.status_code == 302
    assert "cursor" not in response["Location"]


def test_typing_in_a_filter_returns_only_the_results_fragment(member_client, colleagues):
    response = member_client.get("/people/", {"q": "ilse"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="directory-results"')
    assert "<html" not in body
    assert "Ilse Jansen" in body


def test_the_directory_pages_through_everyone_without_repeats(member_client, organisation):
    for n in range(30):
        UserFactory(name=f"Collega {n:02d}")
    body = member_client.get("/people/").content.decode()
    first = card_names(body)
    assert len(first) == 24
    assert "Show more people" in body
    more = re.search(r'hx-get="(/people/\?cursor=[^"]+)"', body).group(1).replace("&amp;", "&")
    second_body = member_client.get(more, headers={"HX-Request": "true"}).content.decode()
    assert "<section" not in second_body  # cards to append, not a new list
    second = card_names(second_body)
    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(
        [f"Collega {n:02d}" for n in range(30)] + ["Sanne de Wit"]
    )
    assert "Show more people" not in second_body


def test_the_filters_offer_only_teams_and_expertise_the_viewer_may_see(
    client, guest, other_organisation
):
    secret_team = TeamFactory(organisation=other_organisation, name="Geheim Team")
    hidden = UserFactory(organisation=other_organisation, team=secret_team)
    actions.update_profile(person=hidden, by=hidden, expertise=["Verborgen kennis"])
    client.force_login(guest)
    body = client.get("/people/").content.decode()
    assert "Geheim Team" not in body
    assert "Verborgen kennis" not in body


# Query budgets ----------------------------------------------------------------------------


def _people(n, organisation):
    tags = [Expertise.objects.get_or_create(slug=f"tag-{i}", name=f"Tag {i}")[0] for i in range(3)]
    teams = [TeamFactory(organisation=organisation) for _ in range(3)]
    people = [
        UserFactory(name=f"Persoon {i:03d}", team=teams[i % 3], function="Planner")
        for i in range(n)
    ]
    User.expertise.through.objects.bulk_create(
        [User.expertise.through(user_id=p.pk, expertise_id=t.pk) for p in people for t in tags]
    )


def _memberships(person, n):
    """Put ``person`` in ``n`` spaces with a partner organisation's people (bulk, for speed)."""
    partner = OrganisationFactory()
    spaces = Space.objects.bulk_create(
        [
            Space(organisation=person.organisation, name=f"S{i}", slug=f"budget-{partner.pk}-{i}")
            for i in range(n)
        ]
    )
    other = UserFactory(organisation=partner, team=TeamFactory(organisation=partner))
    Membership.objects.bulk_create(
        [Membership(space=s, person=person, joined_at=timezone.now()) for s in spaces]
        + [Membership(space=s, person=other) for s in spaces]
    )


def _count(client, url, headers=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/people/?expertise=tag", None),
        ("/people/", None),
        ("/people/?q=persoon", {"HX-Request": "true"}),
    ],
)
def test_the_directory_costs_the_same_queries_at_5_and_25_people(
    client, member, organisation, django_assert_num_queries, url, headers
):
    client.force_login(member)
    _people(5, organisation)
    expected = _count(client, url, headers)
    _people(20, organisation)
    with django_assert_num_queries(expected):
        client.get(url, headers=headers or {})
    assert expected <= 9


def test_the_directory_costs_the_same_queries_at_10_and_200_memberships(
    client, member, organisation, django_assert_num_queries
):
    client.force_login(member)
    _people(5, organisation)
    _memberships(member, 10)
    expected = _count(client, "/people/")
    _memberships(member, 190)
    with django_assert_num_queries(expected):
        client.get("/people/")
