"""Fixtures of the spaces tests: a removed member, a post in each space, API clients."""

import pytest

from brug.api.tests.conftest import ApiClient
from brug.people.tokens import create_token
from brug.spaces.actions import add_member, remove_member
from tests.factories import UserFactory

SPACES = ("space", "private_space", "secret_space")


@pytest.fixture
def removed(organisation, team, owner, space, private_space, secret_space):
    """A colleague who was in all three spaces and was taken out of them."""
    person = UserFactory(name="Rik Removed", handle="rik.removed", team=team)
    for target in (space, private_space, secret_space):
        add_member(by=owner, space=target, person=person)
        remove_member(by=owner, space=target, person=person)
    return person


@pytest.fixture
def marked_posts(space, private_space, secret_space, owner):
    """One post per space whose text only a reader may ever see."""
    from brug.posts.actions import create_post

    return {
        name: create_post(
            author=owner, space=target, body=f"geheime-inhoud-{name}", rate_limit=False
        )
        for name, target in zip(SPACES, (space, private_space, secret_space), strict=True)
    }


@pytest.fixture
def api_as():
    """``api_as(person)`` → an API client holding a fresh token of ``person``."""

    def make(person):
        return ApiClient(create_token(user=person, name="test"))

    return make
