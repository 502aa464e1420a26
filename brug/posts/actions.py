"""Writes on the content spine: posts, comments, reactions, follows, attachments.

Every action is keyword-only, checks permissions itself (``brug.permissions``),
validates, and writes in one transaction together with its side effects: the
activity row, the realtime event row, and the jobs for notifications and
search (the job queue is a database table, so they commit or roll back with
the write). Actions raise ``Http404`` / ``PermissionDenied`` /
``ValidationError`` / ``Conflict`` / ``RateLimited`` / ``PayloadTooLarge`` and
never build HTTP responses.

The ``rate_limit`` keyword exists for the demo loader and imports (which write
hundreds of posts for the same people in a minute); web and API never pass it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brug.analytics.enums import LADDER_OF_VERB, Verb
from brug.analytics.models import Activity
from brug.analytics.recording import record_activity
from brug.core import ratelimit
from brug.core.exceptions import Conflict, PayloadTooLarge
from brug.core.markdown import MENTION_ALL, parse_mentions, render_markdown
from brug.notifications import hooks
from brug.people.models import User
from brug.permissions import Viewer, as_viewer
from brug.permissions.attachments import check_can_attach
from brug.permissions.mentions import (
    MAX_MENTIONS,
    MENTION_ALL_MAX_MEMBERS,
    can_mention_all,
    filter_readers,
)
from brug.permissions.people import check_can_see_person, filter_visible_people
from brug.permissions.posts import (
    can_read_comment,
    check_can_comment,
    check_can_delete_comment,
    check_can_delete_post,
    check_can_edit_comment,
    check_can_edit_post,
    check_can_pin_post,
    check_can_post,
    check_can_post_on_profile,
    check_can_react,
)
from brug.posts import attachments as files
from brug.posts.enums import PostKind, ReactionKind
from brug.posts.models import Attachment, Comment, Follow, Mention, Post, PostRevision, Reaction
from brug.realtime.events import publish
from brug.search.indexing import schedule_index, unindex_now
from brug.spaces.models import Space

MAX_TITLE_LENGTH = 200
MAX_BODY_LENGTH = 20_000
MAX_ATTACHMENTS = 10
MAX_PINNED = 5

__all__ = [
    "MAX_ATTACHMENTS",
    "MAX_BODY_LENGTH",
    "MAX_PINNED",
    "add_attachment",
    "add_reaction",
    "create_comment",
    "create_post",
    "delete_comment",
    "delete_post",
    "discard_attachment",
    "edit_comment",
    "edit_post",
    "follow_person",
    "pin_post",
    "remove_reaction",
    "unfollow_person",
    "unpin_post",
]


# Helpers -----------------------------------------------------------------------


def _user(viewer: Viewer) -> User:
    if not viewer.is_authenticated:
        raise PermissionDenied
    return viewer.user


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")}, code="required")
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationError(
            {"body": _("A text may be at most %(max)d characters.") % {"max": MAX_BODY_LENGTH}},
            code="max_length",
        )
    if "\x00" in body:
        raise ValidationError({"body": _("The text contains a NUL character.")}, code="invalid")
    return body


def _clean_title(title: str | None) -> str:
    title = " ".join((title or "").split())
    if len(title) > MAX_TITLE_LENGTH:
        raise ValidationError(
            {"title": _("A title may be at most %(max)d characters.") % {"max": MAX_TITLE_LENGTH}},
            code="max_length",
        )
    if "\x00" in title:
        raise ValidationError({"title": _("The title contains a NUL character.")})
    return title


_DUTCH = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "ik",
        "je",
        "jij",
        "we",
        "wij",
        "niet",
        "is",
        "zijn",
        "op",
        "met",
        "voor",
        "dat",
        "die",
        "dit",
        "maar",
        "ook",
        "wat",
        "aan",
        "bij",
        "nog",
        "naar",
        "om",
        "er",
        "als",
        "wordt",
        "heb",
        "hebben",
        "kan",
        "kunnen",
        "mijn",
        "onze",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "of",
        "i",
        "you",
        "we",
        "not",
        "is",
        "are",
        "on",
        "with",
        "for",
        "that",
        "this",
        "but",
        "also",
        "what",
        "at",
        "to",
        "still",
        "as",
        "be",
        "have",
        "has",
        "can",
        "my",
        "our",
        "it",
    ]
)


def guess_language(text: str) -> str:
    """Return ``"nl"``, ``"en"`` or ``""`` from the common words of a text (cheap)."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())[:400]
    dutch = sum(word in _DUTCH for word in words)
    english = sum(word in _ENGLISH for word in words)
    if dutch == english:
        return ""
    return "nl" if dutch > english else "en"


def profile_url(handle: str) -> str:
    """The page a mention links to: the person's profile (their posts if none)."""
    try:
        return reverse("people:profile", kwargs={"handle": handle})
    except NoReverseMatch:
        return reverse("posts:person", kwargs={"handle": handle})


@dataclass
class _Mentions:
    people: list[User] = field(default_factory=list)
    everyone: bool = False

    @property
    def ids(self) -> list[int]:
        return [person.pk for person in self.people]

    def urls(self) -> dict[str, str]:
        return {person.handle.lower(): profile_url(person.handle) for person in self.people}


def _resolve_mentions(
    viewer: Viewer, body: str, *, space: Space | None, organisation_id: int
) -> _Mentions:
    """Find the people a text mentions who may read it (and whom the author may see).

    Refuses more than ``MAX_MENTIONS`` distinct handles and an ``@all`` the
    author may not use. Handles of people who may not read the space are
    quietly left as text: refusing would tell the author who reads it.
    """
    handles = parse_mentions(body)
    everyone = MENTION_ALL in handles
    handles = [handle for handle in handles if handle != MENTION_ALL]
    if len(handles) > MAX_MENTIONS:
        raise ValidationError(
            {
                "body": _("You can mention at most %(max)d people in one text (this has %(n)d).")
                % {"max": MAX_MENTIONS, "n": len(handles)}
            },
            code="too_many_mentions",
        )
    if everyone and not can_mention_all(viewer, space):
        if space is None:
            message = _("@all only works in a space.")
        else:
            message = _(
                "Only owners and moderators may use @all in a space of more than %(count)d members."
            ) % {"count": MENTION_ALL_MAX_MEMBERS}
        raise ValidationError({"body": message}, code="mention_all")
    if not handles:
        return _Mentions(everyone=everyone)
    readers = filter_readers(
        space=space, organisation_id=organisation_id, qs=User.objects.filter(handle__in=handles)
    )
    people = list(filter_visible_people(viewer, readers).exclude(pk=viewer.id).order_by("pk"))
    return _Mentions(people=people, everyone=everyone)


def _attachments_to_attach(viewer: Viewer, attachments: Iterable) -> list[Attachment]:
    items = list(attachments or ())
    if not items:
        return []
    if len(items) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("At most %(max)d files per post.") % {"max": MAX_ATTACHMENTS}}
        )
    ids = [item.pk if isinstance(item, Attachment) else int(item) for item in items]
    found = Attachment.objects.in_bulk(ids)
    if len(found) != len(set(ids)):
        raise ValidationError({"attachments": _("This file cannot be attached here.")})
    for attachment in found.values():
        check_can_attach(viewer, attachment)
    return [found[pk] for pk in dict.fromkeys(ids)]


def _attach(attachments: Sequence[Attachment], *, post: Post, comment: Comment | None) -> None:
    if not attachments:
        return
    updated = Attachment.objects.filter(
        pk__in=[a.pk for a in attachments], post__isnull=True, comment__isnull=True
    ).update(post=post, comment=comment)
    if updated != len(attachments):
        # Attached elsewhere meanwhile (a double submit): roll the whole write back.
        raise ValidationError({"attachments": _("This file cannot be attached here.")})
    for attachment in attachments:
        attachment.post, attachment.comment = post, comment


def _record_mentions(actor: User, mentions: _Mentions, *, space, post, comment=None) -> None:
    if not mentions.people:
        return
    Mention.objects.bulk_create(
        [Mention(post=post, comment=comment, person=person) for person in mentions.people]
    )
    if len(mentions.people) == 1:
        record_activity(
            actor=actor,
            verb=Verb.MENTION,
            space=space,
            post=post,
            comment=comment,
            person=mentions.people[0],
            owner=mentions.people[0],
        )
        return
    # Up to 50 mentions: one INSERT instead of one per person. The rows are
    # exactly what ``record_activity`` writes (actor's team and organisation
    # now, the mentioned person as owner).
    Activity.objects.bulk_create(
        [
            Activity(
                actor=actor,
                verb=Verb.MENTION,
                ladder=LADDER_OF_VERB.get(Verb.MENTION, ""),
                actor_team_id=actor.team_id,
                actor_organisation_id=actor.organisation_id,
                owner_team_id=person.team_id,
                space=space,
                post=post,
                comment=comment,
                person=person,
            )
            for person in mentions.people
        ]
    )


def _sync_mentions(
    actor: User, mentions: _Mentions, *, space, post, comment=None, version: int
) -> None:
    """After an edit: keep the mentions that stay, drop the removed, add and notify the new.

    People the edit mentions for the first time hear of it as of a new
    mention (grouped with the thread's notifications). ``@all`` added in an
    edit notifies nobody: repeated edits must not page a whole space.
    """
    existing = Mention.objects.filter(post=post, comment=comment)
    wanted = {person.pk for person in mentions.people}
    existing.exclude(person_id__in=wanted).delete()
    have = set(existing.values_list("person_id", flat=True))
    new = _Mentions(people=[p for p in mentions.people if p.pk not in have])
    _record_mentions(actor, new, space=space, post=post, comment=comment)
    if new.people:
        hooks.mentions_added(
            post=post, comment=comment, actor=actor, mentioned_ids=new.ids, version=version
        )


def _touch_space(space: Space | None, now) -> None:
    if space is not None:
        Space.objects.filter(pk=space.pk).update(last_activity_at=now)


# Posts ---------------------------------------------------------------------------


def create_post(
    *,
    author: User | Viewer,
    space: Space | None,
    body: str,
    kind: str = PostKind.UPDATE,
    title: str = "",
    attachments: Iterable[Attachment | int] = (),
    rate_limit: bool = True,
) -> Post:
    """Publish a post in a space, or on the author's profile when ``space`` is None.

    Checks ``check_can_post`` (404 when the space is invisible, 403 when the
    author may not post there; guests may not post on a profile), renders the
    Markdown, stores the mentions of people who may read the post, attaches
    the author's uploads, and in the same transaction records the activity,
    publishes the ``post_created`` event, asks for notifications and indexing,
    and marks the space active.
    """
    viewer = as_viewer(author)
    user = _user(viewer)
    if space is None:
        check_can_post_on_profile(viewer)
        organisation_id = viewer.organisation_id
    else:
        check_can_post(viewer, space)
        organisation_id = space.organisation_id
    if kind not in PostKind.values:
        raise ValidationError({"kind": _("Unknown kind of post.")})
    body = _clean_body(body)
    title = _clean_title(title)
    to_attach = _attachments_to_attach(viewer, attachments)
    mentions = _resolve_mentions(viewer, body, space=space, organisation_id=organisation_id)
    if rate_limit:
        ratelimit.hit(scope="post", key=user.pk)
    body_html = render_markdown(body, mention_urls=mentions.urls())
    now = timezone.now()
    with transaction.atomic():
        post = Post.objects.create(
            kind=kind,
            space=space,
            organisation_id=organisation_id,
            author=user,
            title=title,
            body=body,
            body_html=body_html,
            language=guess_language(f"{title} {body}"),
            created_at=now,
            last_activity_at=now,
        )
        _attach(to_attach, post=post, comment=None)
        verb = {
            PostKind.WORK_OUT_LOUD: Verb.WORK_OUT_LOUD,
            PostKind.QUESTION: Verb.ASK,
        }.get(kind, Verb.POST)
        record_activity(actor=user, verb=verb, space=space, post=post)
        _record_mentions(user, mentions, space=space, post=post)
        _touch_space(space, now)
        publish(
            kind="post_created",
            space=space,
            post=post,
            payload={"post_id": post.pk, "space_id": space.pk if space else None},
        )
        hooks.post_created(post=post, mentioned_ids=mentions.ids, mention_all=mentions.everyone)
        schedule_index(kind="post", pk=post.pk)
    return post


def edit_post(
    *, editor: User | Viewer, post: Post, body: str, title: str | None = None, version: int
) -> Post:
    """Change a post's text; the old text is kept as a ``PostRevision``.

    ``version`` is the version the editor started from: when someone saved in
    between, ``Conflict`` is raised (409) and nothing is written. Newly
    mentioned people are stored; mentions that were removed are dropped.
    """
    viewer = as_viewer(editor)
    check_can_edit_post(viewer, post)
    body = _clean_body(body)
    title = post.title if title is None else _clean_title(title)
    mentions = _resolve_mentions(
        viewer, body, space=post.space, organisation_id=post.organisation_id
    )
    body_html = render_markdown(body, mention_urls=mentions.urls())
    now = timezone.now()
    with transaction.atomic():
        current = Post.objects.filter(pk=post.pk, is_deleted=False).values(
            "version", "title", "body"
        )
        row = current.first()
        if row is None or row["version"] != version:
            raise Conflict
        updated = Post.objects.filter(pk=post.pk, version=version).update(
            body=body,
            body_html=body_html,
            title=title,
            language=guess_language(f"{title} {body}"),
            version=F("version") + 1,
            edited_at=now,
        )
        if not updated:
            raise Conflict
        PostRevision.objects.create(
            post=post, version=version, title=row["title"], body=row["body"], created_at=now
        )
        _sync_mentions(viewer.user, mentions, space=post.space, post=post, version=version + 1)
        publish(kind="post_updated", space=post.space, post=post, payload={"post_id": post.pk})
        schedule_index(kind="post", pk=post.pk)
    post.body, post.body_html, post.title = body, body_html, title
    post.version, post.edited_at = version + 1, now
    return post


def delete_post(*, actor: User | Viewer, post: Post) -> None:
    """Hide a post (soft delete) by its author or a moderator; revisions stay for audits."""
    viewer = as_viewer(actor)
    check_can_delete_post(viewer, post)
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(is_deleted=True, is_pinned=False)
        publish(kind="post_deleted", space=post.space, post=post, payload={"post_id": post.pk})
        unindex_now(kind="post", pk=post.pk)
        schedule_index(kind="post", pk=post.pk)
    post.is_deleted, post.is_pinned = True, False


def pin_post(*, moderator: User | Viewer, post: Post) -> Post:
    """Pin a post on top of its space's feed (moderators; at most five per space)."""
    viewer = as_viewer(moderator)
    check_can_pin_post(viewer, post)
    with transaction.atomic():
        if post.is_pinned:
            return post
        pinned = Post.objects.filter(space_id=post.space_id, is_pinned=True, is_deleted=False)
        if pinned.count() >= MAX_PINNED:
            raise ValidationError(
                _("At most %(max)d posts can be pinned in a space; unpin one first.")
                % {"max": MAX_PINNED}
            )
        Post.objects.filter(pk=post.pk).update(is_pinned=True)
    post.is_pinned = True
    return post


def unpin_post(*, moderator: User | Viewer, post: Post) -> Post:
    viewer = as_viewer(moderator)
    check_can_pin_post(viewer, post)
    Post.objects.filter(pk=post.pk).update(is_pinned=False)
    post.is_pinned = False
    return post


# Comments ------------------------------------------------------------------------


def create_comment(
    *,
    author: User | Viewer,
    post: Post,
    body: str,
    parent: Comment | None = None,
    attachments: Iterable[Attachment | int] = (),
    rate_limit: bool = True,
) -> Comment:
    """Reply to a post, or to a comment (one level: a reply to a reply joins the thread).

    Whoever may read the post may comment, except in archived spaces.
    """
    viewer = as_viewer(author)
    user = _user(viewer)
    check_can_comment(viewer, post)
    if parent is not None:
        if parent.post_id != post.pk or parent.is_deleted:
            raise ValidationError({"parent": _("You can only reply to a comment on this post.")})
        if parent.parent_id is not None:
            parent = Comment.objects.get(pk=parent.parent_id)
    body = _clean_body(body)
    to_attach = _attachments_to_attach(viewer, attachments)
    mentions = _resolve_mentions(
        viewer, body, space=post.space, organisation_id=post.organisation_id
    )
    if rate_limit:
        ratelimit.hit(scope="comment", key=user.pk)
    body_html = render_markdown(body, mention_urls=mentions.urls())
    now = timezone.now()
    with transaction.atomic():
        comment = Comment.objects.create(
            post=post, parent=parent, author=user, body=body, body_html=body_html, created_at=now
        )
        Post.objects.filter(pk=post.pk).update(
            comment_count=F("comment_count") + 1, last_activity_at=now
        )
        _attach(to_attach, post=post, comment=comment)
        verb = Verb.ANSWER if post.kind == PostKind.QUESTION else Verb.COMMENT
        record_activity(
            actor=user, verb=verb, space=post.space, post=post, comment=comment, owner=post.author
        )
        _record_mentions(user, mentions, space=post.space, post=post, comment=comment)
        _touch_space(post.space, now)
        publish(
            kind="comment_created",
            space=post.space,
            post=post,
            payload={"post_id": post.pk, "comment_id": comment.pk},
        )
        hooks.comment_created(
            comment=comment, mentioned_ids=mentions.ids, mention_all=mentions.everyone
        )
        schedule_index(kind="comment", pk=comment.pk)
    post.comment_count += 1
    return comment


def edit_comment(*, editor: User | Viewer, comment: Comment, body: str, version: int) -> Comment:
    """Change a comment's text (its author only); a stale ``version`` raises ``Conflict``."""
    viewer = as_viewer(editor)
    check_can_edit_comment(viewer, comment)
    body = _clean_body(body)
    post = comment.post
    mentions = _resolve_mentions(
        viewer, body, space=post.space, organisation_id=post.organisation_id
    )
    body_html = render_markdown(body, mention_urls=mentions.urls())
    now = timezone.now()
    with transaction.atomic():
        row = (
            Comment.objects.filter(pk=comment.pk, is_deleted=False)
            .values("version", "body")
            .first()
        )
        if row is None or row["version"] != version:
            raise Conflict
        updated = Comment.objects.filter(pk=comment.pk, version=version).update(
            body=body, body_html=body_html, version=F("version") + 1, edited_at=now
        )
        if not updated:
            raise Conflict
        PostRevision.objects.create(
            comment=comment, version=version, body=row["body"], created_at=now
        )
        _sync_mentions(
            viewer.user,
            mentions,
            space=post.space,
            post=post,
            comment=comment,
            version=version + 1,
        )
        publish(
            kind="comment_updated",
            space=post.space,
            post=post,
            payload={"post_id": post.pk, "comment_id": comment.pk},
        )
        schedule_index(kind="comment", pk=comment.pk)
    comment.body, comment.body_html, comment.version, comment.edited_at = (
        body,
        body_html,
        version + 1,
        now,
    )
    return comment


def delete_comment(*, actor: User | Viewer, comment: Comment) -> None:
    """Hide a comment (soft delete): its author or a moderator of the post."""
    viewer = as_viewer(actor)
    check_can_delete_comment(viewer, comment)
    with transaction.atomic():
        hidden = Comment.objects.filter(pk=comment.pk, is_deleted=False).update(is_deleted=True)
        if hidden:
            Post.objects.filter(pk=comment.post_id, comment_count__gt=0).update(
                comment_count=F("comment_count") - 1
            )
            unindex_now(kind="comment", pk=comment.pk)
            schedule_index(kind="comment", pk=comment.pk)
    comment.is_deleted = True


# Reactions -------------------------------------------------------------------------


def _reaction_target(viewer: Viewer, post: Post | None, comment: Comment | None) -> Post:
    if (post is None) == (comment is None):
        raise ValueError("react to a post or to a comment")
    target = post if post is not None else comment.post
    check_can_react(viewer, target)
    if comment is not None and not can_read_comment(viewer, comment):
        from django.http import Http404

        raise Http404
    return target


def add_reaction(
    *,
    person: User | Viewer,
    kind: str,
    post: Post | None = None,
    comment: Comment | None = None,
    rate_limit: bool = True,
) -> Reaction:
    """React to a post or comment; reacting twice with the same kind changes nothing."""
    viewer = as_viewer(person)
    user = _user(viewer)
    target = _reaction_target(viewer, post, comment)
    if kind not in ReactionKind.values:
        raise ValidationError({"kind": _("Unknown reaction.")}, code="invalid_choice")
    lookup = {"post": target, "comment": comment, "person": user, "kind": kind}
    existing = Reaction.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    if rate_limit:
        ratelimit.hit(scope="reaction", key=user.pk)
    with transaction.atomic():
        try:
            with transaction.atomic():
                reaction = Reaction.objects.create(**lookup)
        except IntegrityError:
            # The same person reacted at the same moment from another tab.
            return Reaction.objects.get(**lookup)
        owner = comment.author if comment is not None else target.author
        if comment is not None:
            Comment.objects.filter(pk=comment.pk).update(reaction_count=F("reaction_count") + 1)
        else:
            Post.objects.filter(pk=target.pk).update(reaction_count=F("reaction_count") + 1)
        record_activity(
            actor=user,
            verb=Verb.REACT,
            space=target.space,
            post=target,
            comment=comment,
            owner=owner,
        )
        hooks.reaction_added(reaction=reaction)
    return reaction


def remove_reaction(
    *, person: User | Viewer, kind: str, post: Post | None = None, comment: Comment | None = None
) -> bool:
    """Take a reaction back; return whether there was one."""
    viewer = as_viewer(person)
    user = _user(viewer)
    target = _reaction_target(viewer, post, comment)
    with transaction.atomic():
        deleted, _rows = Reaction.objects.filter(
            post=target, comment=comment, person=user, kind=kind
        ).delete()
        if deleted:
            if comment is not None:
                Comment.objects.filter(pk=comment.pk, reaction_count__gt=0).update(
                    reaction_count=F("reaction_count") - 1
                )
            else:
                Post.objects.filter(pk=target.pk, reaction_count__gt=0).update(
                    reaction_count=F("reaction_count") - 1
                )
    return bool(deleted)


# Following people --------------------------------------------------------------------


def follow_person(*, follower: User | Viewer, person: User) -> Follow:
    """Follow someone's posts in the home feed (only people the follower may see)."""
    viewer = as_viewer(follower)
    user = _user(viewer)
    check_can_see_person(viewer, person)
    if person.pk == user.pk:
        raise ValidationError(_("You cannot follow yourself."))
    ratelimit.hit(scope="follow", key=user.pk)
    with transaction.atomic():
        follow, _created = Follow.objects.get_or_create(follower=user, followee=person)
    return follow


def unfollow_person(*, follower: User | Viewer, person: User) -> None:
    """Stop following someone. A follow one has can always be dropped; otherwise a person
    the follower may not see is a 404, so unfollowing never tells who exists."""
    viewer = as_viewer(follower)
    user = _user(viewer)
    deleted, _rows = Follow.objects.filter(follower=user, followee=person).delete()
    if not deleted:
        check_can_see_person(viewer, person)


# Attachments ---------------------------------------------------------------------------


def _read_upload(upload) -> tuple[bytes, str]:
    limit = settings.BRUG_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    message = _("A file may be at most %(mb)d MB.") % {"mb": max(1, limit // 2**20)}
    if size is not None and size > limit:
        raise PayloadTooLarge(message)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(message)
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    return data, getattr(upload, "name", "") or ""


def add_attachment(*, uploader: User | Viewer, upload, rate_limit: bool = True) -> Attachment:
    """Store an uploaded file, recognised by its content, ready to attach to a post.

    Images are re-encoded (EXIF and GPS dropped) and get a thumbnail; PDF,
    Office, OpenDocument and plain text are kept as they are; anything else is
    refused (``ValidationError``), as is a file over ``BRUG_MAX_UPLOAD_BYTES``
    (``PayloadTooLarge``). Until attached, only the uploader can fetch it.
    """
    viewer = as_viewer(uploader)
    user = _user(viewer)
    data, original_name = _read_upload(upload)
    detected = files.detect(data, original_name)
    if rate_limit:
        ratelimit.hit(scope="upload", key=user.pk)
    now = timezone.now()
    token = secrets.token_hex(16)
    folder = now.strftime("%Y/%m")
    stored = default_storage.save(
        f"attachments/{folder}/{token}.{detected.extension}", ContentFile(detected.content)
    )
    thumbnail = ""
    if detected.thumbnail is not None:
        thumbnail = default_storage.save(
            f"thumbnails/{folder}/{token}.{detected.thumbnail_extension}",
            ContentFile(detected.thumbnail),
        )
    try:
        return Attachment.objects.create(
            uploaded_by=user,
            file=stored,
            thumbnail=thumbnail,
            name=files.clean_name(original_name, detected.extension),
            content_type=detected.content_type,
            size=len(detected.content),
            width=detected.width,
            height=detected.height,
            created_at=now,
        )
    except Exception:
        _delete_files(stored, thumbnail)
        raise


def _delete_files(*names: str) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def discard_attachment(*, uploader: User | Viewer, attachment: Attachment) -> None:
    """Remove an upload that was never attached (a post that failed, a cancelled form)."""
    viewer = as_viewer(uploader)
    if attachment.post_id is not None or attachment.comment_id is not None:
        raise ValidationError(_("This file is attached and stays."))
    if attachment.uploaded_by_id != viewer.id:
        raise PermissionDenied
    names = (attachment.file.name, attachment.thumbnail.name)
    attachment.delete()
    _delete_files(*names)


def prune_unattached_attachments(*, older_than) -> int:
    """Delete uploads never attached to anything since ``older_than`` (a job runs this)."""
    stale = Attachment.objects.filter(
        Q(post__isnull=True) & Q(comment__isnull=True), created_at__lt=older_than
    )
    count = 0
    for attachment in stale.iterator():
        names = (attachment.file.name, attachment.thumbnail.name)
        attachment.delete()
        _delete_files(*names)
        count += 1
    return count
