"""Writes on questions: ask, edit, answer, accept, vote, follow, unmask, flag.

A question is a ``Post`` of kind ``question`` with its ``Question`` row; an
answer is a top-level ``Comment`` written by ``brug.posts.actions.create_comment``.
Every action checks ``brug.permissions.questions`` itself and writes in one
transaction together with its side effects (activity row, realtime event,
notification and indexing jobs).

Anonymity by construction (DESIGN.md): an anonymous question's post has no
author; the asker is stored only in ``AnonymousAsker``. Its activity rows
(asking, mentioning, accepting) carry no actor and no team, its attachments
lose their uploader, and the asker is notified by a job that reads
``AnonymousAsker`` when it runs (``tasks.notify_answer``), so no job argument,
event payload or e-mail to anyone else holds the asker's id. This module,
``tasks`` and the "is it me?" check of ``permissions.questions`` are the only
readers of ``AnonymousAsker``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from brug.analytics.enums import Verb
from brug.analytics.recording import record_activity
from brug.core import ratelimit
from brug.core.exceptions import Conflict
from brug.core.jobs import enqueue
from brug.core.markdown import MENTION_ALL, parse_mentions, render_markdown
from brug.notifications import hooks
from brug.people.enums import Role
from brug.people.models import User
from brug.permissions import Viewer, as_viewer
from brug.permissions.questions import (
    can_delete_question,
    check_can_accept_answer,
    check_can_answer_question,
    check_can_ask,
    check_can_edit_question,
    check_can_read_question,
    check_can_unmask,
    check_can_vote_on_answer,
    is_asker,
)
from brug.posts import actions as post_actions
from brug.posts.enums import PostKind
from brug.posts.models import Attachment, Comment, Mention, Post, PostRevision
from brug.questions.models import (
    AnonymousAsker,
    AnswerVote,
    Question,
    QuestionFollow,
    Tag,
    UnmaskAudit,
)
from brug.realtime.events import publish
from brug.search.indexing import schedule_index, unindex_now
from brug.spaces.enums import SpaceKind
from brug.spaces.models import Space

MAX_TAGS = 5
MAX_TAG_LENGTH = 40
MAX_TITLE_LENGTH = post_actions.MAX_TITLE_LENGTH
MAX_REASON_LENGTH = 2000
# Files whose content carries no author: re-encoded images (EXIF dropped) and
# plain text. PDF and Office files keep their "author" metadata, so they are
# refused on anonymous questions.
ANONYMOUS_SAFE_TYPES = ("image/", "text/plain", "text/csv", "text/markdown")

__all__ = [
    "accept_answer",
    "answer_question",
    "ask_question",
    "default_question_space",
    "delete_answer",
    "delete_question",
    "edit_question",
    "flag_unanswered_questions",
    "follow_question",
    "unfollow_question",
    "unmask_asker",
    "unvote_answer",
    "vote_answer",
]


# Helpers -----------------------------------------------------------------------


def _user(viewer: Viewer) -> User:
    if not viewer.is_authenticated:
        raise PermissionDenied
    return viewer.user


def _clean_title(title: str | None) -> str:
    title = post_actions._clean_title(title)
    if not title:
        raise ValidationError({"title": _("A question needs a title.")}, code="required")
    return title


def _clean_body(body: str | None) -> str:
    """A question's text is optional (a clear title is a question too)."""
    if not (body or "").strip():
        return ""
    return post_actions._clean_body(body)


_TAG_SPLIT = re.compile(r"[,;#\n]+")


def clean_tags(raw: Iterable[str] | str | None) -> list[str]:
    """Normalise tags: split "a, b", trim, drop duplicates (case-insensitive), at most five."""
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = _TAG_SPLIT.split(raw)
    names: dict[str, str] = {}
    for item in raw:
        if not isinstance(item, str):
            raise ValidationError({"tags": _("Tags are words.")}, code="invalid")
        name = " ".join(item.split()).strip().lstrip("#")
        if not name:
            continue
        if "\x00" in name or len(name) > MAX_TAG_LENGTH:
            raise ValidationError(
                {"tags": _("A tag may be at most %(max)d characters.") % {"max": MAX_TAG_LENGTH}},
                code="max_length",
            )
        slug = slugify(name)
        if not slug:
            raise ValidationError({"tags": _("A tag needs letters or digits.")}, code="invalid")
        names.setdefault(slug, name.lower())
    if len(names) > MAX_TAGS:
        raise ValidationError(
            {"tags": _("At most %(max)d tags per question.") % {"max": MAX_TAGS}},
            code="too_many",
        )
    return list(names.values())


def _tags(names: Sequence[str]) -> list[Tag]:
    """The Tag rows for cleaned names (created when new)."""
    tags = []
    for name in names:
        slug = slugify(name)[:60]
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(name=name, slug=slug)
            except IntegrityError:
                tag = Tag.objects.get(slug=slug)
        tags.append(tag)
    return tags


def default_question_space(*, viewer: Viewer | User) -> Space:
    """The "Durf te vragen" space of the viewer's organisation (created when missing)."""
    from brug.spaces.actions import ensure_questions_space

    viewer = as_viewer(viewer)
    user = _user(viewer)
    return ensure_questions_space(organisation=user.organisation)


def _check_anonymous_files(attachments: Sequence[Attachment]) -> None:
    for attachment in attachments:
        if not attachment.content_type.startswith(ANONYMOUS_SAFE_TYPES):
            raise ValidationError(
                {
                    "attachments": _(
                        "An anonymous question can carry images and plain text files only: "
                        "documents such as PDF or Word files keep their author's name inside."
                    )
                },
                code="anonymous_file",
            )


def _record_anonymous_mentions(mentions, *, space, post) -> None:
    """Store the mentions of an anonymous text; their activity rows carry no actor."""
    if not mentions.people:
        return
    Mention.objects.bulk_create(
        [Mention(post=post, comment=None, person=person) for person in mentions.people],
        ignore_conflicts=True,
    )
    for person in mentions.people:
        record_activity(
            actor=None,
            verb=Verb.MENTION,
            space=space,
            post=post,
            person=person,
            owner=person,
            anonymous=True,
        )


def _reindex(question: Question) -> None:
    schedule_index(kind="post", pk=question.pk)


# Asking --------------------------------------------------------------------------


def ask_question(
    *,
    asker: User | Viewer,
    title: str,
    body: str = "",
    space: Space | None = None,
    tags: Iterable[str] | str | None = None,
    anonymous: bool = False,
    attachments: Iterable[Attachment | int] = (),
    rate_limit: bool = True,
) -> Question:
    """Ask a question in a questions space (default: the organisation's "Durf te vragen").

    404 when the space is invisible, 403 when the asker may not post there,
    422 when the space is not a questions space or does not take anonymous
    questions. The asker follows their question. Anonymous: the post has no
    author, the asker is kept in ``AnonymousAsker`` only, ``@all`` is refused
    and files are limited to those that carry no author metadata.
    """
    viewer = as_viewer(asker)
    user = _user(viewer)
    if space is None:
        space = default_question_space(viewer=viewer)
    check_can_ask(viewer, space)
    if space.kind != SpaceKind.QUESTIONS:
        raise ValidationError(
            {"space_id": _("Questions are asked in a questions space such as “Durf te vragen”.")},
            code="not_questions_space",
        )
    anonymous = bool(anonymous)
    if anonymous and not space.allow_anonymous:
        raise ValidationError(
            {"anonymous": _("This space does not take anonymous questions.")},
            code="anonymous_not_allowed",
        )
    title = _clean_title(title)
    body = _clean_body(body)
    tag_names = clean_tags(tags)
    to_attach = post_actions._attachments_to_attach(viewer, attachments)
    if anonymous:
        _check_anonymous_files(to_attach)
        if MENTION_ALL in parse_mentions(body):
            raise ValidationError(
                {"body": _("@all cannot be used in an anonymous question.")}, code="mention_all"
            )
    mentions = post_actions._resolve_mentions(
        viewer, body, space=space, organisation_id=space.organisation_id
    )
    if rate_limit:
        ratelimit.hit(scope="post", key=user.pk)
    body_html = render_markdown(body, mention_urls=mentions.urls()) if body else ""
    now = timezone.now()
    with transaction.atomic():
        post = Post.objects.create(
            kind=PostKind.QUESTION,
            space=space,
            organisation_id=space.organisation_id,
            author=None if anonymous else user,
            title=title,
            body=body,
            body_html=body_html,
            language=post_actions.guess_language(f"{title} {body}"),
            created_at=now,
            last_activity_at=now,
        )
        question = Question.objects.create(
            post=post, space=space, created_at=now, is_anonymous=anonymous
        )
        if tag_names:
            question.tags.set(_tags(tag_names))
        if anonymous:
            AnonymousAsker.objects.create(question=question, person=user)
        QuestionFollow.objects.create(question=question, person=user, created_at=now)
        post_actions._attach(to_attach, post=post, comment=None)
        if anonymous and to_attach:
            # The file belongs to the question now; its uploader must not name the asker.
            Attachment.objects.filter(pk__in=[a.pk for a in to_attach]).update(uploaded_by=None)
        record_activity(actor=user, verb=Verb.ASK, space=space, post=post, anonymous=anonymous)
        if anonymous:
            _record_anonymous_mentions(mentions, space=space, post=post)
        else:
            post_actions._record_mentions(user, mentions, space=space, post=post)
        post_actions._touch_space(space, now)
        publish(
            kind="post_created",
            space=space,
            post=post,
            payload={"post_id": post.pk, "space_id": space.pk, "kind": PostKind.QUESTION},
        )
        hooks.post_created(
            post=post,
            mentioned_ids=mentions.ids,
            mention_all=mentions.everyone and not anonymous,
        )
        schedule_index(kind="post", pk=post.pk)
    question.post = post
    question._brug_asker = {user.pk: True}
    return question


def edit_question(
    *,
    editor: User | Viewer,
    question: Question,
    title: str | None = None,
    body: str | None = None,
    tags: Iterable[str] | str | None = None,
    version: int,
) -> Question:
    """Change a question's title, text and tags (its asker only, named or anonymous).

    ``version`` is the post's version the editor started from; a stale one
    raises ``Conflict``. The old text is kept as a ``PostRevision`` (which
    has no author). An anonymous edit records no activity and names nobody.
    """
    viewer = as_viewer(editor)
    check_can_edit_question(viewer, question)
    post = question.post
    title = post.title if title is None else _clean_title(title)
    body = post.body if body is None else _clean_body(body)
    tag_names = None if tags is None else clean_tags(tags)
    with transaction.atomic():
        _edit_text(viewer, question, title=title, body=body, version=version)
        if tag_names is not None:
            question.tags.set(_tags(tag_names))
            _reindex(question)
    return question


def _edit_text(viewer: Viewer, question: Question, *, title: str, body: str, version: int) -> None:
    """Write a new version of the question's text without naming the editor anywhere."""
    post = question.post
    if question.is_anonymous and MENTION_ALL in parse_mentions(body):
        raise ValidationError(
            {"body": _("@all cannot be used in an anonymous question.")}, code="mention_all"
        )
    mentions = post_actions._resolve_mentions(
        viewer, body, space=post.space, organisation_id=post.organisation_id
    )
    body_html = render_markdown(body, mention_urls=mentions.urls()) if body else ""
    now = timezone.now()
    row = (
        Post.objects.filter(pk=post.pk, is_deleted=False).values("version", "title", "body").first()
    )
    if row is None or row["version"] != version:
        raise Conflict
    updated = Post.objects.filter(pk=post.pk, version=version).update(
        body=body,
        body_html=body_html,
        title=title,
        language=post_actions.guess_language(f"{title} {body}"),
        version=F("version") + 1,
        edited_at=now,
    )
    if not updated:
        raise Conflict
    PostRevision.objects.create(
        post=post, version=version, title=row["title"], body=row["body"], created_at=now
    )
    existing = Mention.objects.filter(post=post, comment__isnull=True)
    wanted = {person.pk for person in mentions.people}
    existing.exclude(person_id__in=wanted).delete()
    have = set(existing.values_list("person_id", flat=True))
    new = post_actions._Mentions(people=[p for p in mentions.people if p.pk not in have])
    if question.is_anonymous:
        _record_anonymous_mentions(new, space=post.space, post=post)
    else:
        post_actions._record_mentions(viewer.user, new, space=post.space, post=post)
    publish(kind="post_updated", space=post.space, post=post, payload={"post_id": post.pk})
    schedule_index(kind="post", pk=post.pk)
    post.body, post.body_html, post.title = body, body_html, title
    post.version, post.edited_at = version + 1, now


def delete_question(*, actor: User | Viewer, question: Question) -> None:
    """Hide a question (soft delete): its asker, named or anonymous, or a moderator.

    404 when the viewer cannot read it, 403 when they may read but not delete.
    Its answers and files leave the search index with it.
    """
    viewer = as_viewer(actor)
    check_can_read_question(viewer, question)
    if not can_delete_question(viewer, question):
        raise PermissionDenied
    post = question.post
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(is_deleted=True, is_pinned=False)
        publish(kind="post_deleted", space=post.space, post=post, payload={"post_id": post.pk})
        unindex_now(kind="post", pk=post.pk)
        schedule_index(kind="post", pk=post.pk)
    post.is_deleted = True


# Answers ----------------------------------------------------------------------------


def _answer_count() -> Coalesce:
    """The number of live top-level comments of a question's post (a subquery)."""
    return Coalesce(
        Subquery(
            Comment.objects.filter(post_id=OuterRef("pk"), parent__isnull=True, is_deleted=False)
            .order_by()
            .values("post_id")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        Value(0),
    )


def recount_answers(*, question_ids: Iterable[int]) -> None:
    """Set ``answer_count`` from the comments (self-healing: answers written elsewhere count)."""
    ids = list(question_ids)
    if ids:
        Question.objects.filter(pk__in=ids).update(answer_count=_answer_count())


def _answer_of(question: Question, answer: Comment) -> Comment:
    if answer.post_id != question.pk or answer.parent_id is not None or answer.is_deleted:
        raise Http404
    return answer


def answer_question(
    *,
    author: User | Viewer,
    question: Question,
    body: str,
    attachments: Iterable[Attachment | int] = (),
    rate_limit: bool = True,
) -> Comment:
    """Answer a question: a top-level comment on its post, announced live on its page.

    Whoever may comment on the question may answer (404 when they cannot
    read it). Besides what every comment does (the post's named author is
    told by the posts app), the job ``tasks.notify_answer`` tells the
    anonymous asker and the followers.
    """
    viewer = as_viewer(author)
    _user(viewer)
    check_can_answer_question(viewer, question)
    post = question.post
    with transaction.atomic():
        answer = post_actions.create_comment(
            author=viewer, post=post, body=body, attachments=attachments, rate_limit=rate_limit
        )
        recount_answers(question_ids=[question.pk])
        Question.objects.filter(pk=question.pk).update(last_answer_at=answer.created_at)
        publish(
            kind="answer_created",
            space=post.space,
            post=post,
            payload={"question_id": question.pk, "answer_id": answer.pk},
        )
        from brug.questions import tasks

        enqueue(tasks.notify_answer, key=f"questions:answer:{answer.pk}", answer_id=answer.pk)
    question.answer_count = Question.objects.filter(pk=question.pk).values_list(
        "answer_count", flat=True
    )[0]
    return answer


def delete_answer(*, actor: User | Viewer, question: Question, answer: Comment) -> None:
    """Remove an answer (its author or a moderator); an accepted answer stops being accepted."""
    viewer = as_viewer(actor)
    check_can_read_question(viewer, question)
    answer = _answer_of(question, answer)
    with transaction.atomic():
        post_actions.delete_comment(actor=viewer, comment=answer)
        recount_answers(question_ids=[question.pk])
        if question.accepted_answer_id == answer.pk:
            Question.objects.filter(pk=question.pk, accepted_answer_id=answer.pk).update(
                accepted_answer=None, accepted_at=None
            )
            question.accepted_answer_id, question.accepted_at = None, None
            _reindex(question)
            schedule_index(kind="comment", pk=answer.pk)


def accept_answer(*, by: User | Viewer, question: Question, answer: Comment) -> Question:
    """Mark an answer as the accepted one (the asker, or a moderator of the space).

    404 when the viewer cannot read the question (or the answer is not one
    of its answers), 403 when they can read it but may not accept. Accepting
    another answer moves the mark. The answer's author is told; when the
    anonymous asker accepts, the notification and the activity row name
    nobody. The question is re-indexed so that it ranks first in search.
    """
    viewer = as_viewer(by)
    user = _user(viewer)
    check_can_accept_answer(viewer, question)
    answer = _answer_of(question, answer)
    if question.accepted_answer_id == answer.pk:
        return question
    as_anonymous_asker = question.is_anonymous and is_asker(viewer, question)
    previous = question.accepted_answer_id
    now = timezone.now()
    with transaction.atomic():
        Question.objects.filter(pk=question.pk).update(accepted_answer=answer, accepted_at=now)
        record_activity(
            actor=user,
            verb=Verb.ACCEPT,
            space=question.post.space,
            post=question.post,
            comment=answer,
            owner=answer.author,
            anonymous=as_anonymous_asker,
        )
        hooks.answer_accepted(answer=answer, accepted_by=None if as_anonymous_asker else user)
        _reindex(question)
        schedule_index(kind="comment", pk=answer.pk)
        if previous:
            schedule_index(kind="comment", pk=previous)
    question.accepted_answer, question.accepted_at = answer, now
    return question


# Votes and follows -------------------------------------------------------------------


def vote_answer(
    *, person: User | Viewer, question: Question, answer: Comment, rate_limit: bool = True
) -> bool:
    """Vote for an answer; a second vote by the same person changes nothing.

    Return whether a vote was added. Nobody votes for their own answer.
    """
    viewer = as_viewer(person)
    user = _user(viewer)
    check_can_vote_on_answer(viewer, question)
    answer = _answer_of(question, answer)
    if answer.author_id == user.pk:
        raise ValidationError(_("You cannot vote for your own answer."), code="own_answer")
    if AnswerVote.objects.filter(answer=answer, person=user).exists():
        return False
    if rate_limit:
        ratelimit.hit(scope="reaction", key=user.pk)
    with transaction.atomic():
        try:
            with transaction.atomic():
                AnswerVote.objects.create(answer=answer, person=user)
        except IntegrityError:
            return False  # the same person voted at the same moment in another tab
        Comment.objects.filter(pk=answer.pk).update(vote_count=F("vote_count") + 1)
        record_activity(
            actor=user,
            verb=Verb.VOTE,
            space=question.post.space,
            post=question.post,
            comment=answer,
            owner=answer.author,
        )
    answer.vote_count += 1
    return True


def unvote_answer(*, person: User | Viewer, question: Question, answer: Comment) -> bool:
    """Take one's vote back; return whether there was one."""
    viewer = as_viewer(person)
    user = _user(viewer)
    check_can_read_question(viewer, question)
    answer = _answer_of(question, answer)
    with transaction.atomic():
        deleted, _rows = AnswerVote.objects.filter(answer=answer, person=user).delete()
        if deleted:
            Comment.objects.filter(pk=answer.pk, vote_count__gt=0).update(
                vote_count=F("vote_count") - 1
            )
    if deleted:
        answer.vote_count = max(0, answer.vote_count - 1)
    return bool(deleted)


def follow_question(*, person: User | Viewer, question: Question) -> QuestionFollow:
    """Hear of new answers to a question (idempotent)."""
    viewer = as_viewer(person)
    user = _user(viewer)
    check_can_read_question(viewer, question)
    with transaction.atomic():
        follow, _created = QuestionFollow.objects.get_or_create(question=question, person=user)
    return follow


def unfollow_question(*, person: User | Viewer, question: Question) -> None:
    viewer = as_viewer(person)
    user = _user(viewer)
    check_can_read_question(viewer, question)
    QuestionFollow.objects.filter(question=question, person=user).delete()


# Unmasking -----------------------------------------------------------------------------


def unmask_asker(*, admin: User | Viewer, question: Question, reason: str) -> User | None:
    """Reveal who asked an anonymous question, writing an ``UnmaskAudit`` entry first.

    Only when ``settings.BRUG_ALLOW_UNMASK`` is on (404 otherwise), only for
    admins who may read the question (403 for others), and only with a reason.
    """
    viewer = as_viewer(admin)
    user = _user(viewer)
    check_can_unmask(viewer, question)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why you unmask the asker.")}, code="required")
    if len(reason) > MAX_REASON_LENGTH or "\x00" in reason:
        raise ValidationError({"reason": _("The reason is too long.")}, code="max_length")
    with transaction.atomic():
        UnmaskAudit.objects.create(
            question=question, question_ref=question.pk, unmasked_by=user, reason=reason
        )
        row = AnonymousAsker.objects.select_related("person").filter(question=question).first()
    return row.person if row is not None else None


# Unanswered questions ----------------------------------------------------------------------


def unanswered_cutoff(now: datetime | None = None) -> datetime:
    hours = max(1, int(getattr(settings, "BRUG_UNANSWERED_AFTER_HOURS", 24)))
    return (now or timezone.now()) - timedelta(hours=hours)


def flag_unanswered_questions(*, now: datetime | None = None, batch: int = 500) -> int:
    """Flag questions unanswered for ``BRUG_UNANSWERED_AFTER_HOURS`` and tell community managers.

    Run by the periodic job ``tasks.flag_unanswered``. Each question is
    flagged once; its organisation's community managers who may read it get
    an ``unanswered_question`` notification. Answer counts are recounted
    first, so an answer written through the posts API is not missed.
    """
    now = now or timezone.now()
    cutoff = unanswered_cutoff(now)
    candidates = Question.objects.filter(
        answer_count=0,
        flagged_unanswered_at__isnull=True,
        created_at__lte=cutoff,
        post__is_deleted=False,
    )
    recount_answers(question_ids=list(candidates.values_list("pk", flat=True)[:batch]))
    flagged = 0
    rows = list(
        candidates.filter(answer_count=0).select_related("space").order_by("created_at")[:batch]
    )
    managers_by_org: dict[int, list[int]] = {}
    for question in rows:
        org = question.space.organisation_id
        if org not in managers_by_org:
            managers_by_org[org] = list(
                User.objects.filter(
                    organisation_id=org, role=Role.COMMUNITY_MANAGER, is_active=True
                ).values_list("pk", flat=True)
            )
        with transaction.atomic():
            marked = Question.objects.filter(
                pk=question.pk, flagged_unanswered_at__isnull=True
            ).update(flagged_unanswered_at=now)
            if not marked:
                continue
            flagged += 1
            hours = int((now - question.created_at).total_seconds() // 3600)
            hooks.notify(
                kind="unanswered_question",
                key=f"unanswered:{question.pk}",
                recipient_ids=managers_by_org[org],
                post=question.pk,
                group_key=f"unanswered:{question.pk}",
                data={"hours": hours},
            )
    return flagged
