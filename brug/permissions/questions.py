"""Who may read, ask, answer, accept, vote on, follow and unmask questions.

A question is read by whoever may read its post (``permissions.posts``), and
answered by whoever may comment on it. The asker edits it and — with the
moderators of its space — accepts an answer. For an anonymous question the
asker is only known to ``questions.AnonymousAsker``; ``is_asker`` looks that
table up for the viewer's OWN id and answers a yes/no, so no rule here can
tell anyone who else asked.

Unmasking is off unless ``settings.BRUG_ALLOW_UNMASK``; then it is a separate
right of admins who may read the question, and every use is audited by the
action.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from brug.permissions.posts import (
    can_comment_on_post,
    can_moderate_post,
    can_read_post,
)
from brug.permissions.spaces import can_post_in_space, check_can_post, readable_space_condition
from brug.permissions.viewer import Viewer, as_viewer
from brug.questions.models import AnonymousAsker, Question
from brug.spaces.enums import SpaceKind
from brug.spaces.models import Space

__all__ = [
    "can_accept_answer",
    "can_answer_question",
    "can_ask_in_space",
    "can_delete_question",
    "can_edit_question",
    "can_follow_question",
    "can_read_question",
    "can_unmask",
    "can_vote_on_answer",
    "check_can_accept_answer",
    "check_can_answer_question",
    "check_can_ask",
    "check_can_edit_question",
    "check_can_read_question",
    "check_can_unmask",
    "check_can_vote_on_answer",
    "filter_visible_questions",
    "is_asker",
]


def can_read_question(who: Viewer | Any, question: Question) -> bool:
    """May the viewer read the question (and its answers)? As its post."""
    return can_read_post(who, question.post)


def check_can_read_question(who: Viewer | Any, question: Question) -> None:
    if not can_read_question(who, question):
        raise Http404


def filter_visible_questions(
    who: Viewer | Any, qs: QuerySet[Question] | None = None
) -> QuerySet[Question]:
    """Narrow questions to those the viewer may read (agrees with ``can_read_question``)."""
    viewer = as_viewer(who)
    qs = Question.objects.all() if qs is None else qs
    if not viewer.is_authenticated:
        return qs.none()
    # A question always lives in a space, so the profile-post branch of
    # ``filter_visible_posts`` never applies.
    return qs.filter(
        readable_space_condition(viewer, prefix="space__"),
        post__space__isnull=False,
        post__is_deleted=False,
    )


def can_ask_in_space(who: Viewer | Any, space: Space) -> bool:
    """Questions are asked in spaces of kind questions, by whoever may post there."""
    return space.kind == SpaceKind.QUESTIONS and can_post_in_space(who, space)


def check_can_ask(who: Viewer | Any, space: Space) -> None:
    """404 when the space is invisible, 403 when the viewer may not post there."""
    check_can_post(who, space)


def is_asker(who: Viewer | Any, question: Question) -> bool:
    """Did the viewer ask this question (named or anonymously)?

    Compares with the viewer's own id only; the answer is cached on the
    question object per viewer.
    """
    viewer = as_viewer(who)
    if viewer.id is None:
        return False
    cache = question.__dict__.setdefault("_brug_asker", {})
    if viewer.id not in cache:
        if question.post.author_id is not None:
            cache[viewer.id] = question.post.author_id == viewer.id
        elif question.is_anonymous:
            cache[viewer.id] = AnonymousAsker.objects.filter(
                question_id=question.pk, person_id=viewer.id
            ).exists()
        else:
            cache[viewer.id] = False
    return cache[viewer.id]


def can_edit_question(who: Viewer | Any, question: Question) -> bool:
    """The asker edits the question (title, text, tags), anonymous or not."""
    return can_read_question(who, question) and is_asker(who, question)


def check_can_edit_question(who: Viewer | Any, question: Question) -> None:
    check_can_read_question(who, question)
    if not is_asker(who, question):
        raise PermissionDenied


def can_accept_answer(who: Viewer | Any, question: Question) -> bool:
    """The asker and the moderators of the question's space accept an answer."""
    if not can_read_question(who, question):
        return False
    return is_asker(who, question) or can_moderate_post(who, question.post)


def check_can_accept_answer(who: Viewer | Any, question: Question) -> None:
    """404 when the viewer cannot read the question, 403 when they may not accept."""
    check_can_read_question(who, question)
    if not can_accept_answer(who, question):
        raise PermissionDenied


def can_delete_question(who: Viewer | Any, question: Question) -> bool:
    """The asker (named or anonymous) and the moderators of its space remove a question."""
    return can_accept_answer(who, question)


def can_answer_question(who: Viewer | Any, question: Question) -> bool:
    return can_comment_on_post(who, question.post)


def check_can_answer_question(who: Viewer | Any, question: Question) -> None:
    check_can_read_question(who, question)
    if not can_answer_question(who, question):
        raise PermissionDenied


def can_vote_on_answer(who: Viewer | Any, question: Question) -> bool:
    """Whoever may answer may vote (the rule for one's own answer is the action's)."""
    return can_answer_question(who, question)


def check_can_vote_on_answer(who: Viewer | Any, question: Question) -> None:
    check_can_answer_question(who, question)


def can_follow_question(who: Viewer | Any, question: Question) -> bool:
    return can_read_question(who, question)


def can_unmask(who: Viewer | Any, question: Question | None = None) -> bool:
    """Only if the installation allows it (``BRUG_ALLOW_UNMASK``): admins who may read it."""
    viewer = as_viewer(who)
    if not getattr(settings, "BRUG_ALLOW_UNMASK", False) or not viewer.is_admin:
        return False
    if question is None:
        return True
    return question.is_anonymous and can_read_question(viewer, question)


def check_can_unmask(who: Viewer | Any, question: Question) -> None:
    """404 while unmasking is switched off or the question is unreadable; 403 for non-admins."""
    viewer = as_viewer(who)
    if not getattr(settings, "BRUG_ALLOW_UNMASK", False):
        raise Http404
    check_can_read_question(viewer, question)
    if not question.is_anonymous:
        raise Http404
    if not can_unmask(viewer, question):
        raise PermissionDenied
