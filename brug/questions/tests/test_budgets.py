"""Query budgets (BENCHMARKS.md): the question lists, the question page and the API lists
cost the same at 5 and 25 items, and at 10 and 200 memberships."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from brug.api.tests.conftest import ApiClient
from brug.people.tokens import create_token
from brug.questions import actions
from brug.questions.tests.conftest import answer, ask, run_jobs
from brug.spaces.actions import _add_membership, create_space
from brug.spaces.enums import SpaceKind
from tests.factories import UserFactory

# Budgets after authentication (the session and the person: 2 queries).
AUTH = 2
LIST_PAGE_BUDGET = 8
QUESTION_PAGE_BUDGET = 10
HTMX = {"HX-Request": "true"}


def _count(call) -> int:
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


@pytest.fixture
def viewer(organisation, team):
    return UserFactory(name="Vera Viewer", handle="vera.viewer", team=team)


@pytest.fixture
def people(organisation):
    return [UserFactory(name=f"Antwoorder {n}") for n in range(3)]


def _questions(asker, answerers, n, *, start=0, solve=True):
    """n questions, some anonymous, some answered and solved, all tagged."""
    made = []
    for i in range(start, start + n):
        question = ask(
            asker,
            title=f"Vraag nummer {i} over roosters?",
            tags=[f"tag{i % 4}", "rooster"],
            anonymous=i % 3 == 0,
        )
        if i % 2 == 0:
            reply = answer(answerers[i % len(answerers)], question, body=f"Antwoord {i}")
            if solve:
                actions.accept_answer(by=asker, question=question, answer=reply)
        made.append(question)
    return made


def _join(person, owner, n, prefix):
    for i in range(n):
        space = create_space(creator=owner, name=f"{prefix} {i:03d}", kind=SpaceKind.QUESTIONS)
        _add_membership(space=space, person=person)


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


LISTS = [
    ("/questions/", LIST_PAGE_BUDGET),
    ("/questions/?status=answered&tag=rooster", LIST_PAGE_BUDGET),
    ("/questions/unanswered", LIST_PAGE_BUDGET),
    ("/questions/knowledge", LIST_PAGE_BUDGET),
    ("/questions/knowledge?tag=rooster", LIST_PAGE_BUDGET),
]


@pytest.mark.parametrize(("url", "budget"), LISTS)
def test_question_lists_cost_the_same_at_5_and_25_questions(
    url, budget, viewer, member, people, durf, django_assert_num_queries
):
    client = _client(viewer)
    _questions(member, people, 5)
    small = _count(lambda: client.get(url))
    assert small <= AUTH + budget, small
    _questions(member, people, 20, start=5)
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200
    assert response.text.count('data-testid="question-card"') >= 3


@pytest.mark.parametrize(("url", "budget"), LISTS)
def test_question_lists_cost_the_same_at_10_and_200_memberships(
    url, budget, viewer, owner, member, people, durf, django_assert_num_queries
):
    client = _client(viewer)
    _questions(member, people, 6)
    _join(viewer, owner, 10, "Tien")
    small = _count(lambda: client.get(url))
    _join(viewer, owner, 190, "Veel")
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_the_more_fragment_costs_the_same_as_the_first_page(
    viewer, member, people, durf, django_assert_num_queries
):
    client = _client(viewer)
    _questions(member, people, 30, solve=False)
    first = client.get("/questions/")
    cursor = first.text.split("?cursor=")[1].split('"')[0].replace("&amp;", "&")
    url = f"/questions/?cursor={cursor}"
    count = _count(lambda: client.get(url, headers=HTMX))
    assert count <= AUTH + LIST_PAGE_BUDGET
    with django_assert_num_queries(count):
        assert client.get(url, headers=HTMX).status_code == 200


def test_the_question_page_costs_the_same_with_5_and_25_answers(
    viewer, member, durf, django_assert_num_queries
):
    question = ask(member, title="Wie heeft er ervaring met het nieuwe rooster?")
    answerers = [UserFactory(name=f"Collega {n}") for n in range(25)]
    for person in answerers[:5]:
        answer(person, question, body=f"Ervaring van {person.name}")
    client = _client(viewer)
    url = f"/questions/{question.pk}/"
    small = _count(lambda: client.get(url))
    assert small <= AUTH + QUESTION_PAGE_BUDGET, small
    for person in answerers[5:]:
        answer(person, question, body=f"Ervaring van {person.name}")
    actions.accept_answer(by=member, question=question, answer=question.post.comments.last())
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.text.count("data-answer-id=") == 25


def test_the_anonymous_question_page_costs_the_same_at_10_and_200_memberships(
    viewer, owner, member, people, durf, django_assert_num_queries
):
    (question,) = _questions(member, people, 1)  # number 0: anonymous and answered
    client = _client(viewer)
    url = f"/questions/{question.pk}/"
    _join(viewer, owner, 10, "Tien")
    small = _count(lambda: client.get(url))
    _join(viewer, owner, 190, "Veel")
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_the_api_lists_cost_about_what_their_pages_cost(
    viewer, member, people, durf, django_assert_num_queries
):
    api = ApiClient(create_token(user=viewer, name="budget"))
    _questions(member, people, 5)
    api.get("/questions")  # the token's first use of the day writes its last use
    counts = {
        path: _count(lambda p=path: api.get(p))
        for path in ("/questions", "/knowledge", "/questions?status=unanswered")
    }
    page = _count(lambda: _client(viewer).get("/questions/"))
    _questions(member, people, 20, start=5)
    for path, count in counts.items():
        assert count <= page + 1, (path, count, page)
        with django_assert_num_queries(count):
            assert api.get(path).status_code == 200


def test_similar_questions_are_one_query(viewer, member, people, durf, django_assert_num_queries):
    from brug.permissions import Viewer
    from brug.questions import queries

    _questions(member, people, 10, solve=False)
    run_jobs()
    fresh = Viewer(viewer)
    fresh.space_roles  # noqa: B018 - the memberships are loaded once per request
    with django_assert_num_queries(1):
        found = queries.similar_answered_questions(viewer=fresh, text="vraag over roosters")
    assert found
