"""What other apps call to have people notified.

Each function is called inside the write's transaction and only enqueues a
job (``brug.core.jobs.enqueue``, with a key so the same cause is never queued
twice); the fan-out happens in the job, never in the request. A write that
rolls back takes its job with it, so nobody hears of it.

Jobs receive ids, not objects, and look the objects up again when they run:
a post deleted in the meantime notifies nobody.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from brug.core.jobs import enqueue


def _ids(values: Iterable[Any] | None) -> list[int]:
    return sorted({int(getattr(v, "pk", v)) for v in (values or [])})


def post_created(*, post, mentioned_ids: list[int], mention_all: bool) -> None:
    """A post was published; ``mentioned_ids`` are the people it mentions.

    Notifies the mentioned people (``@all``: the whole space, by the rules of
    ``brug.permissions.mentions.can_mention_all``, checked again in the job)
    and the space's members of a new post.
    """
    from brug.notifications import tasks

    enqueue(
        tasks.notify_post_created,
        key=f"notify:post:{post.pk}",
        post_id=post.pk,
        mentioned_ids=_ids(mentioned_ids),
        mention_all=bool(mention_all),
    )


def comment_created(*, comment, mentioned_ids: list[int], mention_all: bool) -> None:
    """A comment (or answer) was published.

    Notifies the mentioned people, the post's author (a reply, or an answer
    when the post is a question) and the author of the comment replied to.
    """
    from brug.notifications import tasks

    enqueue(
        tasks.notify_comment_created,
        key=f"notify:comment:{comment.pk}",
        comment_id=comment.pk,
        mentioned_ids=_ids(mentioned_ids),
        mention_all=bool(mention_all),
    )


def mentions_added(*, post, comment, actor, mentioned_ids: list[int], version: int) -> None:
    """An edit (to ``version``) mentions people the text did not mention before."""
    target = f"comment:{comment.pk}" if comment is not None else f"post:{post.pk}"
    notify(
        kind="mention",
        key=f"mention:{target}:v{version}",
        recipient_ids=mentioned_ids,
        actor=actor,
        post=post,
        comment=comment,
        group_key=target,
    )


def reaction_added(*, reaction) -> None:
    """Someone reacted to a post or comment (grouped: "Sanne and 4 others reacted")."""
    from brug.notifications import tasks

    enqueue(tasks.notify_reaction, key=f"notify:reaction:{reaction.pk}", reaction_id=reaction.pk)


def join_requested(*, join_request) -> None:
    """Someone asked to join a private space: its owners and moderators hear of it."""
    from brug.notifications import tasks

    enqueue(
        tasks.notify_join_requested,
        key=f"notify:join-request:{join_request.pk}",
        join_request_id=join_request.pk,
    )


def join_decided(*, join_request) -> None:
    """A join request was approved or declined: the person who asked hears of it."""
    from brug.notifications import tasks

    enqueue(
        tasks.notify_join_decided,
        key=f"notify:join-decision:{join_request.pk}:{join_request.status}",
        join_request_id=join_request.pk,
    )


def invited_to_space(*, invitation) -> None:
    """Someone was invited into a space."""
    from brug.notifications import tasks

    enqueue(
        tasks.notify_invited, key=f"notify:invitation:{invitation.pk}", invitation_id=invitation.pk
    )


def answer_created(*, answer, recipient_ids: Iterable[int]) -> None:
    """An answer (a comment on a question post) was given.

    ``recipient_ids`` are the asker (also when anonymous: the questions app
    knows who asked) and the question's followers; the answerer is left out.
    """
    notify(
        kind="answer",
        key=f"answer:{answer.pk}",
        recipient_ids=recipient_ids,
        actor=answer.author_id,
        post=answer.post_id,
        comment=answer.pk,
        group_key=f"post:{answer.post_id}",
    )


def answer_accepted(*, answer, accepted_by=None) -> None:
    """An answer was accepted: its author hears of it.

    ``accepted_by`` is the person to name (``None`` for an anonymous asker).
    """
    if answer.author_id is None:
        return
    notify(
        kind="accepted_answer",
        key=f"accepted:{answer.pk}",
        recipient_ids=[answer.author_id],
        actor=getattr(accepted_by, "pk", accepted_by),
        post=answer.post_id,
        comment=answer.pk,
        group_key=f"comment:{answer.pk}",
    )


def notify(
    *,
    kind: str,
    key: str,
    recipient_ids: Iterable[int],
    actor=None,
    post=None,
    comment=None,
    space=None,
    group_key: str | None = None,
    data: dict | None = None,
) -> None:
    """Notify some people of anything (the generic machine behind every hook).

    ``key`` names the cause, unique per effect ("answer:12"): queued once,
    carried out once. ``actor``, ``post``, ``comment`` and ``space`` are
    objects or ids; ``group_key`` names the thread rows are grouped into
    (default: the comment, else the post, else the space).
    """
    from brug.notifications import tasks

    post_id = getattr(post, "pk", post)
    comment_id = getattr(comment, "pk", comment)
    space_id = getattr(space, "pk", space)
    if group_key is None:
        if comment_id is not None:
            group_key = f"comment:{comment_id}"
        elif post_id is not None:
            group_key = f"post:{post_id}"
        else:
            group_key = f"space:{space_id}"
    enqueue(
        tasks.notify_generic,
        key=f"notify:{key}",
        kind=kind,
        effect_key=key,
        recipient_ids=_ids(recipient_ids),
        actor_id=getattr(actor, "pk", actor),
        post_id=post_id,
        comment_id=comment_id,
        space_id=space_id,
        group_key=group_key,
        data=data or {},
    )
