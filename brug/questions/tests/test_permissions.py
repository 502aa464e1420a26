"""The question rules agree with themselves: ``can_read_question`` and
``filter_visible_questions`` give the same answer for every viewer and space,
and accepting is 404 / 403 / allowed exactly as DESIGN.md says."""

from __future__ import annotations

import pytest

from brug.permissions import Viewer
from brug.permissions.questions import (
    can_accept_answer,
    can_edit_question,
    can_read_question,
    filter_visible_questions,
    is_asker,
)
from brug.questions import queries
from brug.questions.models import Question
from brug.questions.tests.conftest import ask
from brug.spaces.actions import _add_membership, create_space
from brug.spaces.enums import SpaceKind, SpaceRole, Visibility

VIEWERS = [
    "owner",
    "member",
    "moderator",
    "outsider",
    "stranger",
    "guest",
    "community_manager",
    "admin_user",
]


@pytest.fixture
def question_spaces(owner, member, moderator, guest):
    spaces = {}
    for visibility in (Visibility.OPEN, Visibility.PRIVATE, Visibility.SECRET):
        space = create_space(
            creator=owner,
            name=f"Vragen {visibility}",
            kind=SpaceKind.QUESTIONS,
            visibility=visibility,
        )
        _add_membership(space=space, person=member)
        _add_membership(space=space, person=moderator, role=SpaceRole.MODERATOR)
        spaces[visibility] = space
    _add_membership(space=spaces[Visibility.PRIVATE], person=guest)
    return spaces


@pytest.mark.parametrize("who", VIEWERS)
def test_can_read_question_and_filter_visible_questions_agree(request, who, owner, question_spaces):
    questions = [
        ask(owner, space=space, title=f"Vraag in {name}?", anonymous=True)
        for name, space in question_spaces.items()
    ]
    viewer = Viewer(request.getfixturevalue(who))
    visible = set(filter_visible_questions(viewer).values_list("pk", flat=True))
    for question in Question.objects.select_related("post__space").filter(
        pk__in=[q.pk for q in questions]
    ):
        assert can_read_question(viewer, question) == (question.pk in visible), (who, question)


def test_readers_of_each_space_are_exactly_who_the_design_says(
    owner, member, outsider, stranger, guest, question_spaces
):
    readable = {
        name: {
            person.handle
            for person in (member, outsider, stranger, guest)
            if can_read_question(
                person, ask(owner, space=space, title=f"Wie leest {name} {person.handle}?")
            )
        }
        for name, space in question_spaces.items()
    }
    assert readable[Visibility.OPEN] == {member.handle, outsider.handle}
    assert readable[Visibility.PRIVATE] == {member.handle, guest.handle}
    assert readable[Visibility.SECRET] == {member.handle}


def test_only_the_asker_and_moderators_may_accept(
    owner, member, moderator, outsider, stranger, community_manager, question_spaces
):
    question = ask(member, space=question_spaces[Visibility.OPEN], anonymous=True)
    question = queries.get_question(viewer=member, question_id=question.pk)
    assert is_asker(member, question) and can_edit_question(member, question)
    assert can_accept_answer(member, question)
    assert can_accept_answer(moderator, question)
    assert can_accept_answer(owner, question)
    assert can_accept_answer(community_manager, question)
    assert not can_accept_answer(outsider, question) and can_read_question(outsider, question)
    assert not can_accept_answer(stranger, question) and not can_read_question(stranger, question)
    assert not is_asker(outsider, question) and not can_edit_question(outsider, question)
    assert not is_asker(moderator, question)
