"""The notification jobs: fan-out per cause, e-mail bundles and the weekly digest.

Every fan-out job looks its objects up again (a post deleted meanwhile
notifies nobody) and calls ``fanout.notify`` once per effect, each under its
own effect key, so a retried job carries out only what did not commit.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from brug.core.jobs import enqueue, job, periodic
from brug.notifications.enums import NotificationKind
from brug.notifications.fanout import Effect, notify
from brug.people.models import User
from brug.permissions.mentions import can_mention_all
from brug.permissions.viewer import Viewer
from brug.posts.enums import PostKind
from brug.posts.models import Comment, Post, Reaction
from brug.spaces.enums import RequestStatus, SpaceRole
from brug.spaces.models import JoinRequest, Membership, Space, SpaceInvitation

logger = logging.getLogger("brug.notifications")


def _space_members(space_id: int):
    return User.objects.filter(
        Exists(Membership.objects.filter(space_id=space_id, person_id=OuterRef("pk")))
    )


def _may_mention_all(author: User | None, space: Space | None) -> bool:
    """``@all`` is checked again here: the posts app enforces it, the job does not trust it."""
    if author is None or space is None:
        return False
    return can_mention_all(Viewer(author), space)


@job(max_attempts=5, backoff=10)
def notify_post_created(*, post_id: int, mentioned_ids: list[int], mention_all: bool) -> int:
    """Notify the people a new post mentions, then the space's members of a new post."""
    post = Post.objects.select_related("space", "author").filter(pk=post_id).first()
    if post is None or post.is_deleted:
        return 0
    author, space = post.author, post.space
    mentioned = set(mentioned_ids) - {post.author_id}
    total = notify(
        Effect(
            kind=NotificationKind.MENTION,
            key=f"mention:post:{post.pk}",
            group_key=f"post:{post.pk}",
            actor=author,
            post=post,
        ),
        sorted(mentioned),
    )
    everyone = mention_all and _may_mention_all(author, space)
    if everyone:
        total += notify(
            Effect(
                kind=NotificationKind.MENTION,
                key=f"mention-all:post:{post.pk}",
                group_key=f"post:{post.pk}",
                actor=author,
                post=post,
            ),
            _space_members(space.pk).exclude(pk__in=mentioned),
            respect_mute=True,
        )
    if space is not None and not everyone:
        total += notify(
            Effect(
                kind=NotificationKind.SPACE_POST,
                key=f"space-post:post:{post.pk}",
                group_key=f"space:{space.pk}",
                actor=author,
                space=space,
                data={"post_id": post.pk},
            ),
            _space_members(space.pk).exclude(pk__in=mentioned),
            respect_mute=True,
        )
    return total


@job(max_attempts=5, backoff=10)
def notify_comment_created(*, comment_id: int, mentioned_ids: list[int], mention_all: bool) -> int:
    """Notify the people a comment mentions, the post's author and the author replied to."""
    comment = (
        Comment.objects.select_related("post__space", "post__author", "author", "parent")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or comment.is_deleted or comment.post.is_deleted:
        return 0
    post, author = comment.post, comment.author
    mentioned = set(mentioned_ids) - {comment.author_id}
    total = notify(
        Effect(
            kind=NotificationKind.MENTION,
            key=f"mention:comment:{comment.pk}",
            group_key=f"comment:{comment.pk}",
            actor=author,
            post=post,
            comment=comment,
        ),
        sorted(mentioned),
    )
    if mention_all and _may_mention_all(author, post.space):
        total += notify(
            Effect(
                kind=NotificationKind.MENTION,
                key=f"mention-all:comment:{comment.pk}",
                group_key=f"comment:{comment.pk}",
                actor=author,
                post=post,
                comment=comment,
            ),
            _space_members(post.space_id).exclude(pk__in=mentioned),
            respect_mute=True,
        )
    answering = post.kind == PostKind.QUESTION and comment.parent_id is None
    repliers = {post.author_id}
    if comment.parent_id is not None:
        repliers.add(comment.parent.author_id)
    repliers -= {None, comment.author_id, *mentioned}
    total += notify(
        Effect(
            kind=NotificationKind.ANSWER if answering else NotificationKind.REPLY,
            key=f"reply:comment:{comment.pk}",
            group_key=f"post:{post.pk}",
            actor=author,
            post=post,
            comment=comment,
        ),
        sorted(repliers),
    )
    return total


@job(max_attempts=5, backoff=10)
def notify_reaction(*, reaction_id: int) -> int:
    """Tell the author of a post or comment that someone reacted (grouped per target)."""
    reaction = (
        Reaction.objects.select_related(
            "post__space", "comment__post__space", "comment__author", "person"
        )
        .filter(pk=reaction_id)
        .first()
    )
    if reaction is None:
        return 0
    comment = reaction.comment
    post = comment.post if comment is not None else reaction.post
    if post is None:
        return 0
    owner_id = comment.author_id if comment is not None else post.author_id
    if owner_id is None or owner_id == reaction.person_id:
        return 0
    target = f"comment:{comment.pk}" if comment is not None else f"post:{post.pk}"
    return notify(
        Effect(
            kind=NotificationKind.REACTION,
            key=f"reaction:{reaction.pk}",
            group_key=target,
            actor=reaction.person,
            post=post,
            comment=comment,
            data={"reaction": reaction.kind},
        ),
        [owner_id],
    )


@job(max_attempts=5, backoff=10)
def notify_join_requested(*, join_request_id: int) -> int:
    """Tell a space's owners and moderators that someone asks to join."""
    request = (
        JoinRequest.objects.select_related("space", "person").filter(pk=join_request_id).first()
    )
    if request is None or request.status != RequestStatus.PENDING:
        return 0
    moderators = User.objects.filter(
        Exists(
            Membership.objects.filter(
                space_id=request.space_id,
                person_id=OuterRef("pk"),
                role__in=[SpaceRole.OWNER, SpaceRole.MODERATOR],
            )
        )
    )
    return notify(
        Effect(
            kind=NotificationKind.JOIN_REQUEST,
            key=f"join-request:{request.pk}",
            group_key=f"space:{request.space_id}",
            actor=request.person,
            space=request.space,
        ),
        moderators,
    )


@job(max_attempts=5, backoff=10)
def notify_join_decided(*, join_request_id: int) -> int:
    """Tell the person who asked to join what was decided."""
    request = (
        JoinRequest.objects.select_related("space", "person", "decided_by")
        .filter(pk=join_request_id)
        .first()
    )
    if request is None or request.status == RequestStatus.PENDING:
        return 0
    return notify(
        Effect(
            kind=NotificationKind.JOIN_DECISION,
            key=f"join-decision:{request.pk}:{request.status}",
            group_key=f"request:{request.pk}",
            actor=request.decided_by,
            space=request.space,
            data={"status": request.status},
        ),
        [request.person_id],
    )


@job(max_attempts=5, backoff=10)
def notify_invited(*, invitation_id: int) -> int:
    """Tell someone they were invited into a space."""
    invitation = (
        SpaceInvitation.objects.select_related("space", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.accepted_at is not None:
        return 0
    return notify(
        Effect(
            kind=NotificationKind.INVITATION,
            key=f"invitation:{invitation.pk}",
            group_key=f"space:{invitation.space_id}",
            actor=invitation.invited_by,
            space=invitation.space,
        ),
        [invitation.person_id],
    )


@job(max_attempts=5, backoff=10)
def notify_generic(
    *,
    kind: str,
    effect_key: str,
    recipient_ids: list[int],
    actor_id: int | None,
    post_id: int | None,
    comment_id: int | None,
    space_id: int | None,
    group_key: str,
    data: dict,
) -> int:
    """The job behind ``hooks.notify`` (answers, accepted answers, later kinds)."""
    if kind not in NotificationKind.values:
        logger.error("unknown notification kind %r (%s): nothing sent", kind, effect_key)
        return 0
    comment = None
    post = None
    if comment_id is not None:
        comment = Comment.objects.select_related("post__space").filter(pk=comment_id).first()
        if comment is None or comment.is_deleted:
            return 0
        post = comment.post
    elif post_id is not None:
        post = Post.objects.select_related("space").filter(pk=post_id).first()
        if post is None:
            return 0
    if post is not None and post.is_deleted:
        return 0
    space = Space.objects.filter(pk=space_id).first() if space_id is not None else None
    if post is None and space is None:
        return 0
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    return notify(
        Effect(
            kind=kind,
            key=effect_key,
            group_key=group_key,
            actor=actor,
            post=post,
            comment=comment,
            space=space if post is None else None,
            data=data,
        ),
        recipient_ids,
    )


# E-mail ---------------------------------------------------------------------------------


@job(max_attempts=8, backoff=30)
def send_email_bundles() -> int:
    """Send each person whose e-mail notifications are due one mail with all of them."""
    from brug.notifications.emails import due_recipients, send_bundle

    sent = 0
    for person_id in due_recipients(now=timezone.now()):
        sent += send_bundle(person_id=person_id)
    return sent


@periodic(every=timedelta(minutes=15), name="notifications.email-bundle-sweep")
def sweep_email_bundles() -> None:
    """A safety net: queue a bundle run when mail is overdue (its own job was lost or failed)."""
    from brug.notifications.emails import due_recipients

    if due_recipients(now=timezone.now() - timedelta(minutes=10), limit=1):
        enqueue(send_email_bundles)


# Monday just after 06:00 UTC (periods count from Thursday 1 January 1970);
# a server started later in the week waits for the next Monday.
@periodic(
    every=timedelta(days=7),
    offset=timedelta(days=4, hours=6),
    catch_up=False,
    name="notifications.weekly-digest",
)
def send_weekly_digests() -> int:
    """Queue this week's digest for everyone who wants one (one job per person)."""
    from brug.notifications.emails import digest_candidates, week_number

    week = week_number(timezone.now())
    queued = 0
    for person_id in digest_candidates():
        if enqueue(send_digest, key=f"digest:{person_id}:{week}", person_id=person_id, week=week):
            queued += 1
    return queued


@job(max_attempts=5, backoff=60)
def send_digest(*, person_id: int, week: int) -> bool:
    """Send one person their weekly digest (top posts in their spaces, what they missed)."""
    from brug.notifications.emails import send_digest_to

    return send_digest_to(person_id=person_id, week=week)
