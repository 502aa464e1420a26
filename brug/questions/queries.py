"""Reads on questions, already narrowed by ``brug.permissions.questions``.

Every list costs a fixed number of queries, whatever its length and however
many spaces the viewer is in (after the viewer's memberships, loaded once per
request):

* a list page (all, unanswered, knowledge): the questions with their post,
  author, team, organisation and space (1), their tags (1);
* a question page: the question with the viewer's follow (1), its tags (1),
  its answers with authors and the viewer's votes (1), reactions and files of
  the question and its answers (2), and for an anonymous question whether
  the viewer asked it (1);
* similar questions while someone types: one query;
* a person's answers on their profile: the latest answers (1), the accepted count (1).

``AnonymousAsker`` is never read here: who asked an anonymous question is not
something a read can return.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils.safestring import SafeString

from brug.api.pagination import DEFAULT_LIMIT, paginate_queryset
from brug.people.models import User
from brug.permissions import Viewer, as_viewer
from brug.permissions.posts import can_moderate_post
from brug.permissions.questions import (
    can_accept_answer,
    can_answer_question,
    can_edit_question,
    can_unmask,
    filter_visible_questions,
)
from brug.permissions.spaces import filter_readable_spaces
from brug.posts import queries as post_queries
from brug.posts.models import Comment
from brug.questions.enums import QuestionStatus
from brug.questions.models import AnswerVote, Question, QuestionFollow, Tag
from brug.spaces.enums import SpaceKind
from brug.spaces.models import Space

LIST_KEY = ("-created_at", "-pk")
QUEUE_KEY = ("created_at", "pk")
KNOWLEDGE_KEY = ("-accepted_at", "-pk")
MAX_ANSWERS = 500
SIMILAR_LIMIT = 5
SIMILAR_MAX_TERMS = 8


def _int_or_none(value: Any) -> int | None:
    """A filter id from a query string; absurd or malformed ones filter nothing out… but 404."""
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number


def _with_relations(qs: QuerySet[Question]) -> QuerySet[Question]:
    return qs.select_related(
        "post",
        "post__author",
        "post__author__team",
        "post__author__organisation",
        "space",
        "accepted_answer",
    )


def questions_queryset(
    *,
    viewer: Viewer | Any,
    status: str | None = None,
    space_id: Any = None,
    tag: str | None = None,
) -> QuerySet[Question]:
    """Questions the viewer may read, filtered (not ordered, not sliced).

    ``status``: ``open`` (no accepted answer yet), ``answered`` (an answer was
    accepted) or ``unanswered`` (no answer at all); anything else is a 422 in
    the API and ignored by the pages. ``tag`` is a tag's slug.
    """
    viewer = as_viewer(viewer)
    qs = filter_visible_questions(viewer, Question.objects.all())
    if status == QuestionStatus.OPEN:
        qs = qs.filter(accepted_answer__isnull=True)
    elif status == QuestionStatus.ANSWERED:
        qs = qs.filter(accepted_answer__isnull=False)
    elif status == QuestionStatus.UNANSWERED:
        qs = qs.filter(answer_count=0)
    space = _int_or_none(space_id)
    if space is not None:
        qs = qs.filter(space_id=space)
    if tag:
        qs = qs.filter(tags__slug=str(tag)[:60])
    return qs


def load_question_extras(*, questions: Sequence[Question]) -> None:
    """Attach ``tag_list`` to each question (one query for the whole page)."""
    questions = list(questions)
    if not questions:
        return
    by_question: dict[int, list[Tag]] = defaultdict(list)
    through = Question.tags.through.objects.filter(
        question_id__in=[q.pk for q in questions]
    ).select_related("tag")
    for row in through.order_by("tag__name"):
        by_question[row.question_id].append(row.tag)
    for question in questions:
        question.tag_list = by_question.get(question.pk, [])


def _page(qs: QuerySet[Question], *, cursor: str | None, limit: Any, key) -> dict:
    return paginate_queryset(
        _with_relations(qs),
        cursor=cursor,
        limit=limit,
        key=key,
        prefetch=lambda rows: load_question_extras(questions=rows),
    )


def list_questions(
    *,
    viewer: Viewer | Any,
    status: str | None = None,
    space_id: Any = None,
    tag: str | None = None,
    cursor: str | None = None,
    limit: Any = DEFAULT_LIMIT,
) -> dict:
    """One page ``{items, next_cursor}`` of questions, newest first."""
    qs = questions_queryset(viewer=viewer, status=status, space_id=space_id, tag=tag)
    return _page(qs, cursor=cursor, limit=limit, key=LIST_KEY)


def list_unanswered(
    *,
    viewer: Viewer | Any,
    space_id: Any = None,
    tag: str | None = None,
    cursor: str | None = None,
    limit: Any = DEFAULT_LIMIT,
) -> dict:
    """The queue of questions without any answer, the longest waiting first."""
    qs = questions_queryset(
        viewer=viewer, status=QuestionStatus.UNANSWERED, space_id=space_id, tag=tag
    )
    return _page(qs, cursor=cursor, limit=limit, key=QUEUE_KEY)


def list_knowledge(
    *,
    viewer: Viewer | Any,
    tag: str | None = None,
    cursor: str | None = None,
    limit: Any = DEFAULT_LIMIT,
) -> dict:
    """Questions with an accepted answer (the knowledge that stays findable), newest solved first."""
    qs = questions_queryset(viewer=viewer, status=QuestionStatus.ANSWERED, tag=tag).filter(
        accepted_answer__is_deleted=False, accepted_at__isnull=False
    )
    return _page(qs, cursor=cursor, limit=limit, key=KNOWLEDGE_KEY)


def knowledge_tags(*, viewer: Viewer | Any, limit: int = 40) -> list[Tag]:
    """The tags of the knowledge the viewer may read, with ``count``, most used first (one query)."""
    visible = questions_queryset(viewer=viewer, status=QuestionStatus.ANSWERED).filter(
        accepted_answer__is_deleted=False
    )
    return list(
        Tag.objects.filter(questions__in=visible.values("pk"))
        .annotate(count=Count("questions", distinct=True))
        .order_by("-count", "name")[:limit]
    )


def popular_tags(*, viewer: Viewer | Any, limit: int = 30) -> list[Tag]:
    """The tags of questions the viewer may read, most used first (one query)."""
    visible = questions_queryset(viewer=viewer)
    return list(
        Tag.objects.filter(questions__in=visible.values("pk"))
        .annotate(count=Count("questions", distinct=True))
        .order_by("-count", "name")[:limit]
    )


def get_tag(*, slug: str | None) -> Tag | None:
    if not slug:
        return None
    return Tag.objects.filter(slug=str(slug)[:60]).first()


# One question ------------------------------------------------------------------------


def get_question(*, viewer: Viewer | Any, question_id: Any) -> Question:
    """A question the viewer may read, with post, author, space, tags and follow state; else 404."""
    viewer = as_viewer(viewer)
    pk = _int_or_none(question_id)
    if pk is None:
        raise Http404
    question = (
        _with_relations(filter_visible_questions(viewer, Question.objects.filter(pk=pk)))
        .annotate(
            viewer_follows=Exists(
                QuestionFollow.objects.filter(question_id=OuterRef("pk"), person_id=viewer.id or 0)
            )
        )
        .first()
    )
    if question is None:
        raise Http404
    load_question_extras(questions=[question])
    return question


def decorate_question(*, viewer: Viewer | Any, question: Question) -> Question:
    """What the viewer may do with the question (``can_*`` attributes); 0 or 1 query."""
    viewer = as_viewer(viewer)
    question.can_edit = can_edit_question(viewer, question)
    question.can_accept = can_accept_answer(viewer, question)
    question.can_answer = can_answer_question(viewer, question)
    question.can_moderate = can_moderate_post(viewer, question.post)
    question.can_delete = question.can_accept
    question.can_unmask = can_unmask(viewer, question)
    return question


def _answers(viewer: Viewer, question: Question) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(post_id=question.pk, parent__isnull=True, is_deleted=False)
        .select_related("author", "author__team", "author__organisation")
        .annotate(
            viewer_voted=Exists(
                AnswerVote.objects.filter(answer_id=OuterRef("pk"), person_id=viewer.id or 0)
            ),
            is_accepted=Case(
                When(pk=question.accepted_answer_id or 0, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )


def _origin(question: Question, answer: Comment) -> None:
    """Say whether an answer came from another team or organisation.

    Compared with the asker for a named question; for an anonymous one only
    the organisation is compared, with the space's (comparing teams would
    tell the asker's team).
    """
    author = answer.author
    answer.from_other_team = False
    answer.from_other_organisation = False
    if author is None:
        return
    asker = question.post.author
    if asker is not None:
        answer.from_other_organisation = author.organisation_id != asker.organisation_id
        answer.from_other_team = (
            not answer.from_other_organisation
            and author.team_id is not None
            and asker.team_id is not None
            and author.team_id != asker.team_id
        )
    else:
        answer.from_other_organisation = author.organisation_id != question.space.organisation_id


def list_answers(*, viewer: Viewer | Any, question: Question) -> list[Comment]:
    """The answers to a question: the accepted one first, then by votes, then oldest first.

    Each answer carries ``viewer_voted``, ``is_accepted``, ``from_other_team``,
    ``from_other_organisation``, ``reaction_summary`` and ``attachment_list``;
    the question's post gets its own ``reaction_summary`` and ``attachment_list``.
    Three queries.
    """
    viewer = as_viewer(viewer)
    answers = list(
        _answers(viewer, question).order_by(
            Case(
                When(pk=question.accepted_answer_id or 0, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "-vote_count",
            "created_at",
            "pk",
        )[:MAX_ANSWERS]
    )
    for answer in answers:
        _origin(question, answer)
    post_queries.load_thread_extras(viewer=viewer, post=question.post, comments=answers)
    return answers


def get_answer(*, viewer: Viewer | Any, question: Question, answer_id: Any) -> Comment:
    """One answer of a question the viewer may read (the caller loaded it with ``get_question``)."""
    viewer = as_viewer(viewer)
    pk = _int_or_none(answer_id)
    if pk is None:
        raise Http404
    answer = _answers(viewer, question).filter(pk=pk).first()
    if answer is None:
        raise Http404
    _origin(question, answer)
    answer.attachment_list = list(answer.attachments.order_by("created_at", "pk"))
    return answer


def get_question_and_answer(
    *, viewer: Viewer | Any, question_id: Any, answer_id: Any
) -> tuple[Question, Comment]:
    question = get_question(viewer=viewer, question_id=question_id)
    return question, get_answer(viewer=viewer, question=question, answer_id=answer_id)


def count_answers(*, question: Question) -> int:
    return question.answer_count


# A person's answers (their profile) -----------------------------------------------------


def list_person_answers(*, viewer: Viewer | Any, person: User, limit: int = 3) -> list[Comment]:
    """The person's latest answers on questions the viewer may read, newest first (one query).

    Each answer has its question's post and space loaded and ``is_accepted``.
    Only answers: the questions a person asked are not listed here (an
    anonymous one must never be tied to them).
    """
    viewer = as_viewer(viewer)
    visible = filter_visible_questions(viewer, Question.objects.all())
    answers = list(
        Comment.objects.filter(
            author=person,
            parent__isnull=True,
            is_deleted=False,
            post_id__in=visible.values("pk"),
        )
        .select_related("post", "post__space", "post__question")
        .order_by("-created_at", "-pk")[: max(0, limit)]
    )
    for answer in answers:
        answer.is_accepted = answer.post.question.accepted_answer_id == answer.pk
    return answers


def count_accepted_answers(*, viewer: Viewer | Any, person: User) -> int:
    """How many of the person's answers were accepted, on questions the viewer may read (one query)."""
    viewer = as_viewer(viewer)
    return filter_visible_questions(
        viewer,
        Question.objects.filter(accepted_answer__author=person, accepted_answer__is_deleted=False),
    ).count()


# Asking ----------------------------------------------------------------------------------


def list_question_spaces(*, viewer: Viewer | Any) -> list[Space]:
    """The questions spaces the viewer may ask in, their own organisation's first (one query)."""
    viewer = as_viewer(viewer)
    spaces = filter_readable_spaces(
        viewer, Space.objects.filter(kind=SpaceKind.QUESTIONS, is_archived=False)
    ).order_by(
        Case(
            When(organisation_id=viewer.organisation_id or 0, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "pk",
    )
    return list(spaces[:200])


@dataclass
class SimilarQuestion:
    question_id: int
    title: SafeString  # escaped, matches in <mark>
    snippet: SafeString
    url: str
    answer_count: int
    accepted: bool


def similar_answered_questions(
    *, viewer: Viewer | Any, text: str, limit: int = SIMILAR_LIMIT, exclude_id: int | None = None
) -> list[SimilarQuestion]:
    """Questions with answers that look like ``text`` (a title being typed), best first.

    Uses the search index (only what the viewer may read, decided inside the
    SQL by ``brug.permissions.search``): a question qualifies when it matches
    at least a third of the words (at least one), and ranks by how many it
    matches, accepted answers first, then newest. One query. A later matching
    capability (embeddings) can replace this function.
    """
    from brug.permissions.search import visible_documents_condition
    from brug.search.backends import get_backend
    from brug.search.enums import DocumentKind
    from brug.search.models import SearchDocument
    from brug.search.text import highlight, parse_query, snippet

    viewer = as_viewer(viewer)
    terms = parse_query(text or "")[:SIMILAR_MAX_TERMS]
    if not terms or not viewer.is_authenticated:
        return []
    backend = get_backend()
    base = SearchDocument.objects.filter(
        visible_documents_condition(viewer),
        kind=DocumentKind.POST,
        post__kind="question",
        post__question__answer_count__gt=0,
    )
    if exclude_id is not None:
        base = base.exclude(object_id=exclude_id)
    matched = sum(
        (
            Case(
                When(
                    Q(
                        pk__in=backend.filter_match(SearchDocument.objects.all(), [term]).values(
                            "pk"
                        )
                    ),
                    then=Value(1),
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
            for term in terms
        ),
        start=Value(0, output_field=IntegerField()),
    )
    needed = max(1, math.ceil(len(terms) / 3))
    documents = list(
        base.annotate(matched=matched)
        .filter(matched__gte=needed)
        .select_related("post__question")
        .order_by("-matched", "-boost", "-created_at", "-id")[: max(1, min(limit, 10))]
    )
    results = []
    for document in documents:
        question = document.post.question
        results.append(
            SimilarQuestion(
                question_id=document.object_id,
                title=highlight(document.title, terms),
                snippet=snippet(document.text, terms, length=160),
                url=_question_url(document.object_id),
                answer_count=question.answer_count,
                accepted=question.accepted_answer_id is not None,
            )
        )
    return results


def _question_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("questions:detail", args=[pk])
