"""The "Answers" section of a profile page: accepted answers and the latest answers, nothing else."""

import pytest
from django.test import Client
from django.urls import reverse

from brug.questions import actions
from brug.questions.tests.conftest import answer, ask
from brug.spaces.actions import create_space
from brug.spaces.enums import SpaceKind, Visibility

pytestmark = pytest.mark.django_db


def _profile(viewer, person) -> str:
    client = Client()
    client.force_login(viewer)
    response = client.get(reverse("people:profile", args=[person.handle]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_profile_shows_accepted_answers_and_the_latest_three(durf, member, colleague, owner):
    questions = [ask(member, title=f"Vraag nummer {n} over verlof?") for n in range(4)]
    answers = [answer(colleague, question) for question in questions]
    for question, given in list(zip(questions, answers, strict=True))[:2]:
        actions.accept_answer(by=member, question=question, answer=given)
    html = _profile(owner, colleague)
    assert 'id="answers-title"' in html
    assert "2 answers accepted" in html
    assert "Vraag nummer 0 over verlof?" not in html  # the oldest of four
    for question, given in list(zip(questions, answers, strict=True))[1:]:
        assert question.post.title in html
        url = reverse("questions:detail", args=[question.pk])
        assert f'href="{url}#answer-{given.pk}"' in html
    assert html.count(">Accepted</span>") == 1  # question 1; question 0 is not listed


def test_an_anonymous_question_by_the_person_never_appears_on_their_profile(
    durf, member, colleague, owner
):
    secret = ask(member, title="Hoe meld ik me ziek zonder dat mijn team het weet?", anonymous=True)
    answer(colleague, secret)
    named = ask(member, title="Wie kent de nieuwe roosterplanner?")
    answer(member, named, body="Ik zoek het zelf ook nog uit.")
    for viewer in (owner, colleague, member):
        html = _profile(viewer, member)
        assert "Hoe meld ik me ziek" not in html
        assert reverse("questions:detail", args=[secret.pk]) not in html
    # Their own answer is listed (it is theirs by name on the question page too).
    assert 'id="answers-title"' in _profile(owner, member)


def test_answers_on_questions_the_viewer_may_not_read_are_left_out(
    member, owner, moderator, outsider
):
    secret_space = create_space(
        creator=owner,
        name="Vraag het bestuur",
        kind=SpaceKind.QUESTIONS,
        visibility=Visibility.SECRET,
    )
    question = ask(owner, title="Wanneer wordt de fusie bekend?", space=secret_space)
    given = answer(owner, question, body="Volgende maand.")
    actions.accept_answer(by=owner, question=question, answer=given)
    outsider_html = _profile(outsider, owner)
    assert "Wanneer wordt de fusie bekend?" not in outsider_html
    assert "Vraag het bestuur" not in outsider_html
    assert 'id="answers-title"' not in outsider_html
    assert "answer accepted" not in outsider_html
    # The other side: the owner, who is in the space, sees it on their own profile.
    own_html = _profile(owner, owner)
    assert "Wanneer wordt de fusie bekend?" in own_html
    assert "1 answer accepted" in own_html


def test_a_person_without_answers_has_no_answers_section(durf, member, owner):
    ask(member, title="Waar vind ik de declaratieregeling?")
    assert 'id="answers-title"' not in _profile(owner, member)


def test_the_answers_section_speaks_dutch(durf, member, colleague, owner, settings):
    settings.LANGUAGE_CODE = "nl"
    question = ask(member, title="Hoe vraag ik verlof aan?")
    given = answer(colleague, question)
    actions.accept_answer(by=member, question=question, answer=given)
    html = _profile(owner, colleague)
    assert ">Antwoorden</h2>" in html
    assert "1 antwoord geaccepteerd" in html
