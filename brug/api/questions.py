"""The questions part of the API: questions, answers, accepting, votes, follows, knowledge.

Calls ``brug.questions.actions`` and ``brug.questions.queries`` only. An
anonymous question has ``author: null`` and ``anonymous: true`` everywhere;
nothing in any answer tells who asked it (the asker learns it is theirs from
``can_edit``, which only they get).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.urls import reverse

from brug.api.base import (
    Http404,
    Input,
    Output,
    Page,
    PageParams,
    Query,
    Router,
    Status,
    ValidationError,
    viewer_of,
)
from brug.questions import actions, queries
from brug.spaces.models import Space

router = Router(tags=["questions"])


# Schemas -------------------------------------------------------------------------------


class AuthorOut(Output):
    id: int
    handle: str
    name: str
    team: str | None = None
    organisation: str | None = None
    highlight: str = ""

    @staticmethod
    def resolve_team(obj) -> str | None:
        return obj.team.name if obj.team_id else None

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        return obj.organisation.name if obj.organisation_id else None


class AttachmentBrief(Output):
    id: int
    name: str
    content_type: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("posts:attachment", args=[obj.pk, obj.name])


class QuestionOut(Output):
    id: int
    space_id: int
    title: str
    body: str
    body_html: str
    tags: list[str]
    anonymous: bool
    author: AuthorOut | None
    status: Literal["open", "answered", "unanswered"]
    answer_count: int
    accepted_answer_id: int | None
    created_at: datetime
    edited_at: datetime | None
    version: int
    url: str

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.post.title

    @staticmethod
    def resolve_body(obj) -> str:
        return obj.post.body

    @staticmethod
    def resolve_body_html(obj) -> str:
        return obj.post.body_html

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [tag.name for tag in getattr(obj, "tag_list", [])]

    @staticmethod
    def resolve_anonymous(obj) -> bool:
        return obj.is_anonymous

    @staticmethod
    def resolve_author(obj):
        return obj.post.author if obj.post.author_id else None

    @staticmethod
    def resolve_status(obj) -> str:
        if obj.accepted_answer_id:
            return "answered"
        return "open" if obj.answer_count else "unanswered"

    @staticmethod
    def resolve_edited_at(obj) -> datetime | None:
        return obj.post.edited_at

    @staticmethod
    def resolve_version(obj) -> int:
        return obj.post.version

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("questions:detail", args=[obj.pk])


class AnswerOut(Output):
    id: int
    question_id: int
    author: AuthorOut | None
    body: str
    body_html: str
    vote_count: int
    voted: bool
    accepted: bool
    from_other_team: bool
    from_other_organisation: bool
    created_at: datetime
    edited_at: datetime | None
    version: int
    attachments: list[AttachmentBrief]

    @staticmethod
    def resolve_question_id(obj) -> int:
        return obj.post_id

    @staticmethod
    def resolve_voted(obj) -> bool:
        return bool(getattr(obj, "viewer_voted", False))

    @staticmethod
    def resolve_accepted(obj) -> bool:
        return bool(getattr(obj, "is_accepted", False))

    @staticmethod
    def resolve_from_other_team(obj) -> bool:
        return bool(getattr(obj, "from_other_team", False))

    @staticmethod
    def resolve_from_other_organisation(obj) -> bool:
        return bool(getattr(obj, "from_other_organisation", False))

    @staticmethod
    def resolve_attachments(obj) -> list:
        return getattr(obj, "attachment_list", [])


class QuestionDetailOut(QuestionOut):
    following: bool
    good_question_count: int
    can_edit: bool
    can_accept: bool
    can_answer: bool
    answers: list[AnswerOut]

    @staticmethod
    def resolve_following(obj) -> bool:
        return bool(getattr(obj, "viewer_follows", False))

    @staticmethod
    def resolve_good_question_count(obj) -> int:
        for reaction in getattr(obj.post, "reaction_summary", ()):
            if reaction.kind == "good_question":
                return reaction.count
        return 0


class QuestionIn(Input):
    title: str
    body: str = ""
    space_id: int | None = None
    tags: list[str] = []
    anonymous: bool = False
    attachment_ids: list[int] = []


class QuestionPatch(Input):
    version: int
    title: str | None = None
    body: str | None = None
    tags: list[str] | None = None


class QuestionFilters(PageParams):
    status: Literal["open", "answered", "unanswered"] | None = None
    space_id: int | None = None
    tag: str | None = None


class KnowledgeFilters(PageParams):
    tag: str | None = None


class SimilarParams(Input):
    q: str = ""


class SimilarOut(Output):
    id: int
    title: str
    answer_count: int
    accepted: bool
    url: str

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.question_id


class AnswerIn(Input):
    body: str
    attachment_ids: list[int] = []


class AcceptIn(Input):
    answer_id: int


class FollowOut(Output):
    following: bool


class UnmaskIn(Input):
    reason: str


class UnmaskOut(Output):
    asker: AuthorOut | None


# Helpers -----------------------------------------------------------------------------------


def _question(request, question_id: int):
    return queries.get_question(viewer=viewer_of(request), question_id=question_id)


def _detail(request, question_id: int):
    viewer = viewer_of(request)
    question = _question(request, question_id)
    queries.decorate_question(viewer=viewer, question=question)
    question.answers = queries.list_answers(viewer=viewer, question=question)
    return question


def _space(space_id: int | None) -> Space | None:
    if space_id is None:
        return None
    space = Space.objects.filter(pk=space_id).first()
    if space is None:
        raise Http404
    return space


# Questions ----------------------------------------------------------------------------------


@router.get("/questions", response=Page[QuestionOut], summary="Questions")
def list_questions(request, filters: Query[QuestionFilters]):
    """Questions you may read, newest first.

    ``status``: ``open`` (no accepted answer yet), ``answered`` (an answer was
    accepted) or ``unanswered`` (no answer at all). ``tag`` is a tag's slug.
    """
    return queries.list_questions(
        viewer=viewer_of(request),
        status=filters.status,
        space_id=filters.space_id,
        tag=filters.tag,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.post("/questions", response={201: QuestionDetailOut}, summary="Ask a question")
def ask_question(request, payload: QuestionIn):
    """Ask in a questions space (default: your organisation's "Durf te vragen").

    ``anonymous: true`` (only where the space allows it) stores no author: the
    question shows as anonymous to everyone, you still get the answers.
    """
    question = actions.ask_question(
        asker=viewer_of(request),
        title=payload.title,
        body=payload.body,
        space=_space(payload.space_id),
        tags=payload.tags,
        anonymous=payload.anonymous,
        attachments=payload.attachment_ids,
    )
    return Status(201, _detail(request, question.pk))


@router.get("/questions/similar", response=list[SimilarOut], summary="Similar answered questions")
def similar_questions(request, params: Query[SimilarParams]):
    """Questions with answers that look like ``q`` (what the ask form shows while typing)."""
    return queries.similar_answered_questions(viewer=viewer_of(request), text=params.q[:500])


@router.get("/questions/{question_id}", response=QuestionDetailOut, summary="A question")
def get_question(request, question_id: int):
    """A question with its answers (the accepted one first, then by votes)."""
    return _detail(request, question_id)


@router.patch("/questions/{question_id}", response=QuestionDetailOut, summary="Edit a question")
def edit_question(request, question_id: int, payload: QuestionPatch):
    """The asker changes title, text or tags; send the ``version`` you edited (stale: 409)."""
    actions.edit_question(
        editor=viewer_of(request),
        question=_question(request, question_id),
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
        version=payload.version,
    )
    return _detail(request, question_id)


@router.delete("/questions/{question_id}", response={204: None}, summary="Delete a question")
def delete_question(request, question_id: int):
    """The asker (also when anonymous) or a moderator removes a question."""
    actions.delete_question(actor=viewer_of(request), question=_question(request, question_id))
    return Status(204, None)


# Answers -----------------------------------------------------------------------------------


@router.get(
    "/questions/{question_id}/answers", response=list[AnswerOut], summary="Answers to a question"
)
def list_answers(request, question_id: int):
    viewer = viewer_of(request)
    return queries.list_answers(viewer=viewer, question=_question(request, question_id))


@router.post(
    "/questions/{question_id}/answers", response={201: AnswerOut}, summary="Answer a question"
)
def answer_question(request, question_id: int, payload: AnswerIn):
    viewer = viewer_of(request)
    question = _question(request, question_id)
    answer = actions.answer_question(
        author=viewer, question=question, body=payload.body, attachments=payload.attachment_ids
    )
    return Status(201, queries.get_answer(viewer=viewer, question=question, answer_id=answer.pk))


@router.post("/questions/{question_id}/accept", response=QuestionDetailOut, summary="Accept")
def accept_answer(request, question_id: int, payload: AcceptIn):
    """The asker or a moderator accepts one answer (404 if you cannot read it, 403 otherwise)."""
    viewer = viewer_of(request)
    question = _question(request, question_id)
    answer = queries.get_answer(viewer=viewer, question=question, answer_id=payload.answer_id)
    actions.accept_answer(by=viewer, question=question, answer=answer)
    return _detail(request, question_id)


@router.post(
    "/questions/{question_id}/answers/{answer_id}/vote",
    response=AnswerOut,
    summary="Vote for an answer",
)
def vote(request, question_id: int, answer_id: int):
    """One vote per person: voting again changes nothing. Not for your own answers (422)."""
    viewer = viewer_of(request)
    question, answer = queries.get_question_and_answer(
        viewer=viewer, question_id=question_id, answer_id=answer_id
    )
    actions.vote_answer(person=viewer, question=question, answer=answer)
    return queries.get_answer(viewer=viewer, question=question, answer_id=answer.pk)


@router.delete(
    "/questions/{question_id}/answers/{answer_id}/vote",
    response=AnswerOut,
    summary="Take your vote back",
)
def unvote(request, question_id: int, answer_id: int):
    viewer = viewer_of(request)
    question, answer = queries.get_question_and_answer(
        viewer=viewer, question_id=question_id, answer_id=answer_id
    )
    actions.unvote_answer(person=viewer, question=question, answer=answer)
    return queries.get_answer(viewer=viewer, question=question, answer_id=answer.pk)


# Following, knowledge, unmasking --------------------------------------------------------------


@router.post("/questions/{question_id}/follow", response=FollowOut, summary="Follow a question")
def follow(request, question_id: int):
    """Hear of new answers (you follow your own questions already)."""
    actions.follow_question(person=viewer_of(request), question=_question(request, question_id))
    return {"following": True}


@router.delete("/questions/{question_id}/follow", response=FollowOut, summary="Stop following")
def unfollow(request, question_id: int):
    actions.unfollow_question(person=viewer_of(request), question=_question(request, question_id))
    return {"following": False}


@router.get("/knowledge", response=Page[QuestionOut], summary="Knowledge")
def knowledge(request, filters: Query[KnowledgeFilters]):
    """Questions with an accepted answer, newest solved first; ``tag`` narrows to a topic."""
    return queries.list_knowledge(
        viewer=viewer_of(request), tag=filters.tag, cursor=filters.cursor, limit=filters.limit
    )


@router.post(
    "/questions/{question_id}/unmask", response=UnmaskOut, summary="Unmask an anonymous asker"
)
def unmask(request, question_id: int, payload: UnmaskIn):
    """Admins only, and only where the installation sets ``BRUG_ALLOW_UNMASK`` (404 otherwise).

    Every use writes an audit entry (who, when, why).
    """
    person = actions.unmask_asker(
        admin=viewer_of(request), question=_question(request, question_id), reason=payload.reason
    )
    if person is None:
        raise ValidationError({"question": "The asker's account no longer exists."})
    return {"asker": person}
