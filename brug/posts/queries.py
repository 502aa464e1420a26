"""Reads on the content spine, already narrowed by ``brug.permissions``.

Feeds are keyset-paginated by ``(created_at, id)``, newest first, so page N
costs what page 1 costs. Every list loads its related data in a fixed number
of queries, whatever its length and however many spaces the viewer is in:

* a feed page: the posts with author, team and space (1), then
  ``load_feed_extras``: reactions counted per kind with the viewer's own (1)
  and attachments (1); pinned posts on the first page of a space feed (1);
* a post page: the post (1), its comments (1), and ``load_thread_extras``:
  reactions on the post and all its comments (1), attachments of both (1).

Mentions are not loaded separately: the rendered ``body_html`` already links
them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from brug.people.models import User
from brug.permissions import Viewer, as_viewer
from brug.permissions.mentions import can_mention_all, filter_mention_candidates
from brug.permissions.posts import filter_visible_posts
from brug.posts.enums import PostKind, ReactionKind
from brug.posts.models import Attachment, Comment, Follow, Post, PostRevision, Reaction
from brug.spaces.enums import SpaceKind
from brug.spaces.models import Membership, Space

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_PINNED = 5
MAX_COMMENTS = 1000
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

REACTION_EMOJI = {
    ReactionKind.LIKE: "👍",
    ReactionKind.THANKS: "🙏",
    ReactionKind.HELPFUL: "💡",
    ReactionKind.CELEBRATE: "🎉",
    ReactionKind.INSIGHTFUL: "🧠",
    ReactionKind.GOOD_QUESTION: "🙋",
}


# Cursors -------------------------------------------------------------------------


class InvalidFeedCursor(ValidationError):
    """A feed cursor that does not parse (a 400 for the web, a 400 for the API)."""


def feed_cursor(post: Post) -> str:
    """The cursor of the page that starts after ``post``: ``<microseconds>_<id>``."""
    micros = (post.created_at - _EPOCH) // datetime.timedelta(microseconds=1)
    return f"{micros}_{post.pk}"


def parse_feed_cursor(cursor: str | None) -> tuple[datetime.datetime, int] | None:
    """Return ``(created_at, id)`` of a cursor, None for no cursor; ``InvalidFeedCursor`` else."""
    if not cursor:
        return None
    try:
        micros, _sep, pk = cursor.partition("_")
        moment = _EPOCH + datetime.timedelta(microseconds=int(micros))
        return moment, int(pk)
    except (ValueError, OverflowError, TypeError):
        raise InvalidFeedCursor(_("The cursor is invalid; start again without one.")) from None


def _before(qs: QuerySet[Post], before: tuple[datetime.datetime, int] | None) -> QuerySet[Post]:
    if before is None:
        return qs
    moment, pk = before
    return qs.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))


def _clamp(limit: int | None) -> int:
    try:
        return max(1, min(int(limit or DEFAULT_LIMIT), MAX_LIMIT))
    except (TypeError, ValueError):
        return DEFAULT_LIMIT


@dataclass
class FeedPage:
    posts: list[Post]
    next_cursor: str | None
    pinned: list[Post] = field(default_factory=list)

    @property
    def all_posts(self) -> list[Post]:
        return [*self.pinned, *self.posts]


def _with_relations(qs: QuerySet[Post]) -> QuerySet[Post]:
    return qs.select_related("author", "author__team", "space")


def _page(qs: QuerySet[Post], *, before, limit: int | None) -> FeedPage:
    size = _clamp(limit)
    rows = list(_with_relations(_before(qs, before)).order_by("-created_at", "-id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return FeedPage(posts=rows, next_cursor=feed_cursor(rows[-1]) if more and rows else None)


# Feeds ---------------------------------------------------------------------------------


def get_space_feed(
    *, viewer: Viewer, space: Space, before=None, limit: int | None = DEFAULT_LIMIT
) -> FeedPage:
    """Posts of a space, newest first; the first page starts with its pinned posts.

    ``before`` is a parsed cursor (``parse_feed_cursor``). The caller has
    checked that the viewer may read the space; the posts are filtered again.
    """
    viewer = as_viewer(viewer)
    qs = filter_visible_posts(viewer, Post.objects.filter(space=space))
    page = _page(qs.filter(is_pinned=False), before=before, limit=limit)
    if before is None:
        page.pinned = list(
            _with_relations(qs.filter(is_pinned=True)).order_by("-created_at", "-id")[:MAX_PINNED]
        )
    return page


def home_feed_queryset(viewer: Viewer) -> QuerySet[Post]:
    """The posts of a person's home feed, unordered and unpaginated.

    The spaces they belong to (unless muted), the people they follow, their
    own posts, and the announcement spaces of their organisation — always
    narrowed to what they may read.
    """
    viewer = as_viewer(viewer)
    if not viewer.is_authenticated:
        return Post.objects.none()
    joined = Membership.objects.filter(person_id=viewer.id, muted=False).values("space_id")
    followed = Follow.objects.filter(follower_id=viewer.id).values("followee_id")
    condition = (
        Q(space_id__in=joined)
        | Q(author_id__in=followed)
        | Q(author_id=viewer.id)
        | Q(space__kind=SpaceKind.ANNOUNCEMENT, space__organisation_id=viewer.organisation_id)
    )
    return filter_visible_posts(viewer, Post.objects.filter(condition))


def get_home_feed(*, viewer: Viewer, before=None, limit: int | None = DEFAULT_LIMIT) -> FeedPage:
    """The viewer's home feed, newest first (see ``home_feed_queryset``)."""
    return _page(home_feed_queryset(viewer), before=before, limit=limit)


def get_person_posts(
    *, viewer: Viewer, person: User, before=None, limit: int | None = DEFAULT_LIMIT
) -> FeedPage:
    """A person's posts that the viewer may read (their profile posts included).

    The caller checks that the viewer may see the person (404 otherwise).
    """
    qs = filter_visible_posts(as_viewer(viewer), Post.objects.filter(author=person))
    return _page(qs, before=before, limit=limit)


def get_person_working_on(*, viewer: Viewer, person: User) -> Post | None:
    """The person's latest work-out-loud post that the viewer may read, or None (one query).

    The caller checks that the viewer may see the person (404 otherwise).
    """
    qs = filter_visible_posts(
        as_viewer(viewer), Post.objects.filter(author=person, kind=PostKind.WORK_OUT_LOUD)
    )
    return _with_relations(qs).order_by("-created_at", "-id").first()


def get_post(*, viewer: Viewer, post_id: int) -> Post:
    """Return a post the viewer may read, or raise ``Http404`` (missing or hidden alike)."""
    post = _with_relations(
        filter_visible_posts(as_viewer(viewer), Post.objects.filter(pk=post_id))
    ).first()
    if post is None:
        raise Http404
    return post


def get_comment(*, viewer: Viewer, comment_id: int) -> Comment:
    """Return a comment on a post the viewer may read, or raise ``Http404``."""
    viewer = as_viewer(viewer)
    comment = (
        Comment.objects.filter(
            pk=comment_id,
            is_deleted=False,
            post__in=filter_visible_posts(viewer).values("pk"),
        )
        .select_related("author", "post", "post__space", "post__author")
        .first()
    )
    if comment is None:
        raise Http404
    return comment


def list_comments(*, viewer: Viewer, post: Post) -> list[Comment]:
    """The comments on a post as threads: top-level comments, each with ``.thread``.

    One query. A deleted comment that has replies stays as an empty
    placeholder (``is_deleted``; its text is blanked here) so the replies keep
    their place; other deleted comments are left out.
    """
    viewer = as_viewer(viewer)
    rows = list(
        Comment.objects.filter(post_id=post.pk, post__in=filter_visible_posts(viewer).values("pk"))
        .select_related("author", "author__team")
        .order_by("created_at", "id")[:MAX_COMMENTS]
    )
    replies: dict[int, list[Comment]] = defaultdict(list)
    for comment in rows:
        if comment.parent_id is not None and not comment.is_deleted:
            replies[comment.parent_id].append(comment)
    threads = []
    for comment in rows:
        if comment.parent_id is not None:
            continue
        comment.thread = replies.get(comment.pk, [])
        if comment.is_deleted:
            if not comment.thread:
                continue
            comment.body = comment.body_html = ""
            comment.author = None
        threads.append(comment)
    return threads


def flatten(threads: Sequence[Comment]) -> list[Comment]:
    return [c for top in threads for c in (top, *getattr(top, "thread", ()))]


def list_revisions(*, viewer: Viewer, post: Post) -> list[PostRevision]:
    """Earlier versions of a post, newest first (the caller has ``get_post``-ed it)."""
    if not filter_visible_posts(as_viewer(viewer), Post.objects.filter(pk=post.pk)).exists():
        raise Http404
    return list(PostRevision.objects.filter(post=post).order_by("-version"))


# Extras for a page -------------------------------------------------------------------


@dataclass
class ReactionCount:
    kind: str
    label: str
    emoji: str
    count: int = 0
    mine: bool = False


def _empty_reactions() -> list[ReactionCount]:
    return [
        ReactionCount(kind=kind.value, label=str(kind.label), emoji=REACTION_EMOJI[kind])
        for kind in ReactionKind
    ]


def _apply_reactions(objects, rows, key: str) -> None:
    by_object: dict[int, dict[str, ReactionCount]] = {}
    for obj in objects:
        counts = _empty_reactions()
        obj.reaction_summary = counts
        by_object[obj.pk] = {c.kind: c for c in counts}
    for row in rows:
        counts = by_object.get(row[key])
        if counts is None or row["kind"] not in counts:
            continue
        counts[row["kind"]].count = row["n"]
        counts[row["kind"]].mine = row["mine"] > 0


def _reaction_rows(viewer: Viewer, qs: QuerySet[Reaction], key: str):
    return (
        qs.order_by()
        .values(key, "kind")
        .annotate(n=Count("id"), mine=Count("id", filter=Q(person_id=viewer.id or 0)))
    )


def load_feed_extras(*, viewer: Viewer, posts: Sequence[Post]) -> None:
    """Attach ``reaction_summary`` and ``attachment_list`` to each post (two queries).

    ``reaction_summary`` lists every reaction kind with its count and whether
    the viewer gave it; ``attachment_list`` the post's own files (not those of
    its comments).
    """
    viewer = as_viewer(viewer)
    posts = list(posts)
    if not posts:
        return
    ids = [post.pk for post in posts]
    rows = _reaction_rows(
        viewer, Reaction.objects.filter(post_id__in=ids, comment__isnull=True), "post_id"
    )
    _apply_reactions(posts, rows, "post_id")
    by_post: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in Attachment.objects.filter(post_id__in=ids, comment__isnull=True).order_by(
        "created_at", "id"
    ):
        by_post[attachment.post_id].append(attachment)
    for post in posts:
        post.attachment_list = by_post.get(post.pk, [])


def load_thread_extras(*, viewer: Viewer, post: Post, comments: Sequence[Comment]) -> None:
    """Reactions and attachments of a post and all its comments in two queries."""
    viewer = as_viewer(viewer)
    comments = list(comments)
    rows = list(_reaction_rows(viewer, Reaction.objects.filter(post_id=post.pk), "comment_id"))
    _apply_reactions(
        [post], [dict(r, post_id=post.pk) for r in rows if r["comment_id"] is None], "post_id"
    )
    _apply_reactions(comments, [r for r in rows if r["comment_id"] is not None], "comment_id")
    post.attachment_list = []
    by_comment: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in Attachment.objects.filter(post_id=post.pk).order_by("created_at", "id"):
        if attachment.comment_id is None:
            post.attachment_list.append(attachment)
        else:
            by_comment[attachment.comment_id].append(attachment)
    for comment in comments:
        comment.attachment_list = by_comment.get(comment.pk, [])


def reactions_of(*, viewer: Viewer, post: Post, comment: Comment | None = None) -> list:
    """The reaction summary of one post or comment (one query; for the htmx toggle)."""
    viewer = as_viewer(viewer)
    target = comment if comment is not None else post
    qs = Reaction.objects.filter(post_id=post.pk)
    qs = (
        qs.filter(comment_id=comment.pk) if comment is not None else qs.filter(comment__isnull=True)
    )
    key = "comment_id" if comment is not None else "post_id"
    _apply_reactions([target], _reaction_rows(viewer, qs, key), key)
    return target.reaction_summary


# Attachments -------------------------------------------------------------------------------


def get_attachment(*, viewer: Viewer, attachment_id: int) -> Attachment:
    """Return an attachment the viewer may download, or raise ``Http404``."""
    from brug.permissions.attachments import check_can_read_attachment

    attachment = (
        Attachment.objects.select_related("post", "post__space", "comment", "comment__post__space")
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None:
        raise Http404
    check_can_read_attachment(viewer, attachment)
    return attachment


# People ------------------------------------------------------------------------------------


def list_mention_candidates(
    *, viewer: Viewer, space: Space | None, q: str, limit: int = 10
) -> list[User]:
    """People the viewer may mention in ``space`` who match ``q``, best first.

    Only readers of the space whom the viewer may see (``space=None``: the
    viewer's profile, read by their organisation), found in the people index
    of search (``brug.search.queries.search_people``): every word is the start
    of a name, handle, function, team or expertise. Raises ``Http404`` when
    the viewer may not see the space, ``PermissionDenied`` when they may not
    read it.
    """
    from brug.search.queries import search_people

    viewer = as_viewer(viewer)
    candidates = filter_mention_candidates(viewer, space=space)
    return search_people(viewer=viewer, q=(q or "")[:100], among=candidates, limit=limit)


def may_mention_all(*, viewer: Viewer, space: Space | None) -> bool:
    return can_mention_all(viewer, space)


def is_following(*, viewer: Viewer, person: User) -> bool:
    viewer = as_viewer(viewer)
    return Follow.objects.filter(follower_id=viewer.id, followee=person).exists()


def list_postable_spaces(*, viewer: Viewer) -> list[Space]:
    """Spaces the viewer may post in, for the composer's space picker (one query)."""
    from brug.permissions.spaces import can_post_in_space

    viewer = as_viewer(viewer)
    # Questions spaces ("Durf te vragen") are asked in through the questions pages.
    spaces = (
        Space.objects.filter(pk__in=viewer.member_space_ids, is_archived=False)
        .exclude(kind=SpaceKind.QUESTIONS)
        .order_by("name")
    )
    # Members of the spaces: ``can_post_in_space`` answers from the cached roles.
    return [space for space in spaces if can_post_in_space(viewer, space)]
