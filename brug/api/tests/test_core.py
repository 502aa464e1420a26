"""``GET /me``, ``GET /teams`` and ``GET /organisations`` for member, guest and stranger."""

import pytest

from brug.spaces.actions import _add_membership
from brug.spaces.enums import SpaceRole
from tests.factories import OrganisationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_me_describes_the_caller(member, team, organisation, api_as):
    body = api_as(member).get("/me").json()
    assert body["id"] == member.pk
    assert body["handle"] == "sanne.dewit"
    assert body["email"] == member.email
    assert body["name"] == "Sanne de Wit"
    assert body["role"] == "member"
    assert body["organisation"] == {"id": organisation.pk, "name": organisation.name}
    assert body["team"] == {"id": team.pk, "name": team.name}
    assert body["is_guest"] is False


def test_me_of_a_guest_without_a_team(guest, api_as):
    body = api_as(guest).get("/me").json()
    assert body["role"] == "guest" and body["is_guest"] is True
    assert body["team"] is None


def test_me_answers_in_one_query_after_the_token_lookup(
    member, api_as, django_assert_max_num_queries
):
    api = api_as(member)
    with django_assert_max_num_queries(2):  # token lookup (+ at most the last-used write)
        assert api.get("/me").status_code == 200


# Teams -------------------------------------------------------------------------
@pytest.fixture
def partner_team(other_organisation):
    return TeamFactory(organisation=other_organisation, name="Partner team")


def test_a_member_sees_the_whole_tree_of_their_organisation(
    member, team, other_team, partner_team, api_as
):
    department = TeamFactory(organisation=member.organisation, name="Zorg", kind="department")
    names = {t["name"] for t in api_as(member).get("/teams").json()}
    assert {team.name, other_team.name, department.name} <= names
    assert partner_team.name not in names


def test_a_member_sees_the_team_of_a_partner_they_share_a_space_with(
    member, stranger, partner_team, space, api_as
):
    stranger.team = partner_team
    stranger.save(update_fields=["team"])
    assert partner_team.name not in {t["name"] for t in api_as(member).get("/teams").json()}
    _add_membership(space=space, person=stranger, role=SpaceRole.MEMBER)
    assert partner_team.name in {t["name"] for t in api_as(member).get("/teams").json()}


def test_a_guest_sees_only_teams_of_people_they_can_see(
    guest, member, team, other_team, space, api_as
):
    assert api_as(guest).get("/teams").json() == []
    _add_membership(space=space, person=guest, role=SpaceRole.MEMBER)
    names = {t["name"] for t in api_as(guest).get("/teams").json()}
    assert team.name in names  # the space's members are in it
    assert other_team.name not in names


def test_a_stranger_sees_none_of_our_teams(stranger, team, other_team, partner_team, api_as):
    names = {t["name"] for t in api_as(stranger).get("/teams").json()}
    assert partner_team.name in names
    assert not names & {team.name, other_team.name}


@pytest.mark.parametrize("count", [5, 25])
def test_teams_cost_the_same_queries_for_few_and_many(
    member, api_as, count, django_assert_num_queries
):
    for i in range(count):
        TeamFactory(organisation=member.organisation, name=f"Team {i}")
    api = api_as(member)
    api.get("/me")  # write last_used_at now, so it is not written during the count
    with django_assert_num_queries(3):  # token lookup + memberships + teams
        assert len(api.get("/teams").json()) == count + 1  # and the member's own team


@pytest.mark.parametrize("memberships", [10, 200])
def test_teams_cost_the_same_queries_at_10_and_200_memberships(
    member, owner, api_as, memberships, django_assert_num_queries
):
    from brug.spaces.actions import create_space

    for i in range(memberships):
        space = create_space(creator=owner, name=f"S{i}", visibility="private")
        _add_membership(space=space, person=member, role=SpaceRole.MEMBER)
    api = api_as(member)
    api.get("/me")
    with django_assert_num_queries(3):
        api.get("/teams")


# Organisations -----------------------------------------------------------------
def test_a_member_sees_their_own_organisation_only_when_nothing_is_shared(
    member, organisation, other_organisation, api_as
):
    body = api_as(member).get("/organisations").json()
    assert body == [
        {
            "id": organisation.pk,
            "name": organisation.name,
            "slug": organisation.slug,
            "is_own": True,
        }
    ]


def test_a_member_sees_a_partner_that_shares_a_visible_space(
    member, owner, other_organisation, api_as
):
    from brug.spaces.actions import create_space

    shared = create_space(creator=owner, name="Ketenoverleg", visibility="open")
    shared.shared_with.add(other_organisation)
    names = {o["name"] for o in api_as(member).get("/organisations").json()}
    assert other_organisation.name in names


def test_a_partner_sharing_only_a_secret_space_stays_hidden(
    member, owner, other_organisation, api_as
):
    from brug.spaces.actions import create_space

    secret = create_space(creator=owner, name="Geheim", visibility="secret")
    secret.shared_with.add(other_organisation)
    names = {o["name"] for o in api_as(member).get("/organisations").json()}
    assert other_organisation.name not in names


def test_a_guest_sees_their_own_organisation_and_those_met_in_their_spaces(
    guest, stranger, space, other_organisation, organisation, api_as
):
    third = OrganisationFactory(name="Nobody's BV", slug="nobody")
    UserFactory(organisation=third)
    assert {o["id"] for o in api_as(guest).get("/organisations").json()} == {organisation.pk}
    _add_membership(space=space, person=guest, role=SpaceRole.MEMBER)
    _add_membership(space=space, person=stranger, role=SpaceRole.MEMBER)
    ids = {o["id"] for o in api_as(guest).get("/organisations").json()}
    assert ids == {organisation.pk, other_organisation.pk}


def test_a_stranger_does_not_see_our_organisation(
    stranger, organisation, other_organisation, api_as
):
    body = api_as(stranger).get("/organisations").json()
    assert [o["id"] for o in body] == [other_organisation.pk]
    assert body[0]["is_own"] is True


@pytest.mark.parametrize("count", [5, 25])
def test_organisations_cost_the_same_queries_for_few_and_many(
    member, owner, api_as, count, django_assert_num_queries
):
    from brug.spaces.actions import create_space

    shared = create_space(creator=owner, name="Keten", visibility="open")
    shared.shared_with.add(*[OrganisationFactory() for _ in range(count)])
    api = api_as(member)
    api.get("/me")
    with django_assert_num_queries(3):  # token lookup + memberships + organisations
        assert len(api.get("/organisations").json()) == count + 1


@pytest.mark.parametrize("memberships", [10, 200])
def test_organisations_cost_the_same_queries_at_10_and_200_memberships(
    member, owner, api_as, memberships, django_assert_num_queries
):
    from brug.spaces.actions import create_space

    for i in range(memberships):
        space = create_space(creator=owner, name=f"S{i}", visibility="private")
        _add_membership(space=space, person=member, role=SpaceRole.MEMBER)
    api = api_as(member)
    api.get("/me")
    with django_assert_num_queries(3):
        api.get("/organisations")
