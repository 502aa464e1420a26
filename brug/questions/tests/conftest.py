"""Fixtures of the questions tests: the "Durf te vragen" space, questions through the actions."""

from __future__ import annotations

import pytest

from brug.api.tests.conftest import ApiClient
from brug.core import jobs
from brug.people.tokens import create_token
from brug.questions import actions
from brug.spaces.actions import ensure_questions_space
from tests.factories import TeamFactory, UserFactory


def ask(asker, title="Hoe vraag ik verlof aan in AFAS?", **kwargs):
    """Ask through the action (rate limit off: tests ask a lot)."""
    kwargs.setdefault("rate_limit", False)
    return actions.ask_question(asker=asker, title=title, **kwargs)


def answer(author, question, body="Via Mijn AFAS, tegel Verlof.", **kwargs):
    kwargs.setdefault("rate_limit", False)
    return actions.answer_question(author=author, question=question, body=body, **kwargs)


def run_jobs() -> int:
    """Carry out the side effects (notifications, indexing) the actions enqueued."""
    return jobs.run_pending()


@pytest.fixture
def durf(organisation):
    """The organisation's "Durf te vragen" space: open to all members, anonymous allowed."""
    return ensure_questions_space(organisation=organisation)


@pytest.fixture
def colleague(organisation):
    """A member of the same organisation in another team than ``member``."""
    team = TeamFactory(organisation=organisation, name="Wijkteam Zuid")
    return UserFactory(name="Kees Collega", handle="kees.collega", team=team)


@pytest.fixture
def api_as():
    def make(person) -> ApiClient:
        return ApiClient(create_token(user=person, name="test"))

    return make
