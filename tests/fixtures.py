"""The fixture matrix of SECURITY.md: roles x (open, private, secret) spaces."""

import time

import pytest

from brug.people.enums import Role
from brug.people.models import Organisation
from brug.spaces.actions import _add_membership, create_space
from brug.spaces.enums import SpaceRole, Visibility
from tests.factories import OrganisationFactory, TeamFactory, UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def organisation(db):
    return Organisation.objects.get(is_default=True)


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Partner BV", slug="partner")


@pytest.fixture
def team(organisation):
    return TeamFactory(organisation=organisation, name="Zorgteam Noord")


@pytest.fixture
def other_team(organisation):
    return TeamFactory(organisation=organisation, name="ICT")


@pytest.fixture
def owner(organisation, team):
    return UserFactory(name="Olga Owner", handle="olga.owner", team=team)


@pytest.fixture
def member(organisation, team):
    return UserFactory(name="Sanne de Wit", handle="sanne.dewit", team=team)


@pytest.fixture
def moderator(organisation, team):
    return UserFactory(name="Mo Derator", handle="mo.derator", team=team)


@pytest.fixture
def outsider(organisation, other_team):
    """Same organisation, not in the space."""
    return UserFactory(name="Otto Outsider", handle="otto.outsider", team=other_team)


@pytest.fixture
def stranger(other_organisation):
    """Another organisation: sees nothing of ours."""
    return UserFactory(
        name="Stan Stranger", handle="stan.stranger", organisation=other_organisation
    )


@pytest.fixture
def guest(organisation):
    return UserFactory(name="Gina Guest", handle="gina.guest", role=Role.GUEST)


@pytest.fixture
def community_manager(organisation, team):
    return UserFactory(
        name="Cora Manager", handle="cora.manager", role=Role.COMMUNITY_MANAGER, team=team
    )


@pytest.fixture
def admin_user(organisation):
    return UserFactory(
        name="Ada Admin", handle="ada.admin", role=Role.ADMIN, is_staff=True, is_superuser=True
    )


def _space(owner, member, moderator, visibility, name):
    space = create_space(creator=owner, name=name, visibility=visibility)
    _add_membership(space=space, person=member, role=SpaceRole.MEMBER)
    _add_membership(space=space, person=moderator, role=SpaceRole.MODERATOR)
    return space


@pytest.fixture
def space(owner, member, moderator):
    """An open space with owner, moderator and member."""
    return _space(owner, member, moderator, Visibility.OPEN, "Informatiebeveiliging")


@pytest.fixture
def private_space(owner, member, moderator):
    return _space(owner, member, moderator, Visibility.PRIVATE, "Teamleiders")


@pytest.fixture
def secret_space(owner, member, moderator):
    return _space(owner, member, moderator, Visibility.SECRET, "Reorganisatie 2027")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def rate_window():
    """Start a rate-limit test well inside a limiter window, not at its turn.

    The limiter counts per fixed window (``brug.core.ratelimit``); a test
    that straddles the turn of a window sees its count start again. Windows
    of 600, 900 and 3600 seconds all turn on multiples of 300 seconds: within
    the last 10 seconds before one, wait for it (at most 10 s, in about one
    test run in thirty).
    """
    left = 300 - time.time() % 300
    if left < 10:
        time.sleep(left + 0.05)
