"""Helpers for the notification tests: content through the posts actions, jobs run inline."""

from __future__ import annotations

import pytest

from brug.core import jobs
from brug.posts import actions as post_actions
from brug.spaces.actions import _add_membership
from brug.spaces.enums import SpaceRole
from tests.factories import UserFactory


def make_post(author, space, body="Hallo allemaal", **kwargs):
    """Create a post through the action (rate limit off: tests post a lot)."""
    kwargs.setdefault("rate_limit", False)
    return post_actions.create_post(author=author, space=space, body=body, **kwargs)


def make_comment(author, post, body="Goed idee!", **kwargs):
    kwargs.setdefault("rate_limit", False)
    return post_actions.create_comment(author=author, post=post, body=body, **kwargs)


def react(person, post=None, comment=None, kind="like"):
    return post_actions.add_reaction(
        person=person, post=post, comment=comment, kind=kind, rate_limit=False
    )


def run_jobs() -> int:
    """Carry out every queued side effect (the fan-out, then any e-mail due now)."""
    return jobs.run_pending()


def add_members(space, count: int, *, prefix: str = "lid", **fields):
    people = [
        UserFactory(name=f"{prefix.title()} {i}", handle=f"{prefix}.{i}", **fields)
        for i in range(count)
    ]
    for person in people:
        _add_membership(space=space, person=person, role=SpaceRole.MEMBER)
    return people


@pytest.fixture
def now_bundles(settings):
    """Mail bundles go out at once (no five-minute window) so jobs run inline."""
    settings.BRUG_EMAIL_BUNDLE_SECONDS = 0
    return settings
