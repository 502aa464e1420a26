"""The posts part of the API: posts, comments, reactions, the feed, mentions, uploads.

Calls ``brug.posts.actions`` and ``brug.posts.queries`` only; every list loads
its extras in a fixed number of queries (``load_feed_extras``), like the pages.
"""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Schema
from ninja.files import UploadedFile

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
    paginate_queryset,
    viewer_of,
)
from brug.people.models import User
from brug.permissions.people import check_can_see_person
from brug.permissions.posts import filter_visible_posts
from brug.permissions.spaces import check_can_read_space
from brug.posts import actions, queries
from brug.posts.enums import PostKind
from brug.posts.models import Comment, Post
from brug.spaces.models import Space

router = Router(tags=["posts"])

API_KINDS = {PostKind.UPDATE.value, PostKind.WORK_OUT_LOUD.value}


# Schemas -------------------------------------------------------------------------


class PersonBrief(Output):
    id: int
    handle: str
    name: str


class ReactionOut(Output):
    kind: str
    count: int
    mine: bool


class AttachmentOut(Output):
    id: int
    name: str
    content_type: str
    size: int
    width: int | None = None
    height: int | None = None
    url: str
    thumbnail_url: str | None = None

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("posts:attachment", args=[obj.pk, obj.name])

    @staticmethod
    def resolve_thumbnail_url(obj) -> str | None:
        if not obj.thumbnail:
            return None
        return reverse("posts:thumbnail", args=[obj.pk, obj.name])


class PostOut(Output):
    id: int
    kind: str
    space_id: int | None
    organisation_id: int
    author: PersonBrief | None
    title: str
    body: str
    body_html: str
    language: str
    version: int
    is_pinned: bool
    created_at: datetime
    edited_at: datetime | None
    comment_count: int
    reaction_count: int
    reactions: list[ReactionOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_reactions(obj) -> list:
        return [r for r in getattr(obj, "reaction_summary", ()) if r.count]

    @staticmethod
    def resolve_attachments(obj) -> list:
        return getattr(obj, "attachment_list", [])


class CommentOut(Output):
    id: int
    post_id: int
    parent_id: int | None
    author: PersonBrief | None
    body: str
    body_html: str
    version: int
    created_at: datetime
    edited_at: datetime | None
    reaction_count: int
    reactions: list[ReactionOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_reactions(obj) -> list:
        return [r for r in getattr(obj, "reaction_summary", ()) if r.count]

    @staticmethod
    def resolve_attachments(obj) -> list:
        return getattr(obj, "attachment_list", [])


class RevisionOut(Output):
    version: int
    title: str
    body: str
    created_at: datetime


class PostIn(Input):
    body: str
    kind: str = PostKind.UPDATE.value
    title: str = ""
    attachment_ids: list[int] = []


class PostPatch(Input):
    body: str
    version: int
    title: str | None = None


class CommentIn(Input):
    body: str
    parent_id: int | None = None
    attachment_ids: list[int] = []


class CommentPatch(Input):
    body: str
    version: int


class ReactionIn(Input):
    kind: str


class MentionParams(Input):
    q: str = ""
    space_id: int | None = None


class MentionPage(Schema):
    items: list[PersonBrief]
    next_cursor: str | None = None
    may_mention_all: bool = False


# Helpers ---------------------------------------------------------------------------


def _kind(kind: str) -> str:
    if kind not in API_KINDS:
        raise ValidationError(
            {"kind": _("Use update or work_out_loud (questions have their own calls).")}
        )
    return kind


def _space(space_id: int) -> Space:
    space = Space.objects.filter(pk=space_id).first()
    if space is None:
        raise Http404
    return space


def _post(request, post_id: int) -> Post:
    return queries.get_post(viewer=viewer_of(request), post_id=post_id)


def _with_extras(request, post: Post) -> Post:
    queries.load_feed_extras(viewer=viewer_of(request), posts=[post])
    return post


def _feed(request, qs, page: PageParams) -> dict:
    viewer = viewer_of(request)
    qs = qs.select_related("author", "author__team", "space")
    return paginate_queryset(
        qs,
        cursor=page.cursor,
        limit=page.limit,
        prefetch=lambda rows: queries.load_feed_extras(viewer=viewer, posts=rows),
    )


# Posts and feeds ------------------------------------------------------------------------


@router.get("/spaces/{space_id}/posts", response=Page[PostOut], summary="Posts of a space")
def space_posts(request, space_id: int, page: Query[PageParams]):
    """Posts of a space, newest first (pinned posts carry ``is_pinned``)."""
    viewer = viewer_of(request)
    space = _space(space_id)
    check_can_read_space(viewer, space)
    return _feed(request, filter_visible_posts(viewer, Post.objects.filter(space=space)), page)


@router.post("/spaces/{space_id}/posts", response={201: PostOut}, summary="Post in a space")
def create_space_post(request, space_id: int, payload: PostIn):
    """Publish a post; ``@handle`` mentions notify people who may read the space."""
    post = actions.create_post(
        author=viewer_of(request),
        space=_space(space_id),
        body=payload.body,
        kind=_kind(payload.kind),
        title=payload.title,
        attachments=payload.attachment_ids,
    )
    return Status(201, _with_extras(request, post))


@router.post("/posts", response={201: PostOut}, summary="Post on your profile")
def create_profile_post(request, payload: PostIn):
    """Work out loud on your own profile (read by your organisation; not for guests)."""
    post = actions.create_post(
        author=viewer_of(request),
        space=None,
        body=payload.body,
        kind=_kind(payload.kind),
        title=payload.title,
        attachments=payload.attachment_ids,
    )
    return Status(201, _with_extras(request, post))


@router.get("/feed", response=Page[PostOut], summary="Your home feed")
def home_feed(request, page: Query[PageParams]):
    """Your spaces, the people you follow, your own posts and your organisation's announcements."""
    return _feed(request, queries.home_feed_queryset(viewer_of(request)), page)


@router.get("/people/{person_id}/posts", response=Page[PostOut], summary="A person's posts")
def person_posts(request, person_id: int, page: Query[PageParams]):
    viewer = viewer_of(request)
    person = get_object_or_404(User, pk=person_id)
    check_can_see_person(viewer, person)
    return _feed(request, filter_visible_posts(viewer, Post.objects.filter(author=person)), page)


@router.get("/posts/{post_id}", response=PostOut, summary="A post")
def get_post(request, post_id: int):
    return _with_extras(request, _post(request, post_id))


@router.patch("/posts/{post_id}", response=PostOut, summary="Edit a post")
def edit_post(request, post_id: int, payload: PostPatch):
    """Change the text; send the ``version`` you edited. A stale version answers 409."""
    post = actions.edit_post(
        editor=viewer_of(request),
        post=_post(request, post_id),
        body=payload.body,
        title=payload.title,
        version=payload.version,
    )
    return _with_extras(request, post)


@router.delete("/posts/{post_id}", response={204: None}, summary="Delete a post")
def delete_post(request, post_id: int):
    actions.delete_post(actor=viewer_of(request), post=_post(request, post_id))
    return Status(204, None)


@router.get("/posts/{post_id}/revisions", response=list[RevisionOut], summary="Edit history")
def post_revisions(request, post_id: int):
    """Earlier versions of a post, newest first (for whoever may read the post)."""
    post = _post(request, post_id)
    return queries.list_revisions(viewer=viewer_of(request), post=post)


@router.post("/posts/{post_id}/pin", response=PostOut, summary="Pin a post")
def pin_post(request, post_id: int):
    post = actions.pin_post(moderator=viewer_of(request), post=_post(request, post_id))
    return _with_extras(request, post)


@router.delete("/posts/{post_id}/pin", response=PostOut, summary="Unpin a post")
def unpin_post(request, post_id: int):
    post = actions.unpin_post(moderator=viewer_of(request), post=_post(request, post_id))
    return _with_extras(request, post)


# Comments ----------------------------------------------------------------------------------


@router.get("/posts/{post_id}/comments", response=Page[CommentOut], summary="Comments")
def list_comments(request, post_id: int, page: Query[PageParams]):
    """Comments on a post, oldest first; replies carry ``parent_id``."""
    viewer = viewer_of(request)
    post = _post(request, post_id)
    qs = Comment.objects.filter(
        post=post, is_deleted=False, post__in=filter_visible_posts(viewer).values("pk")
    ).select_related("author")

    def extras(rows):
        queries.load_thread_extras(viewer=viewer, post=post, comments=rows)

    return paginate_queryset(
        qs, cursor=page.cursor, limit=page.limit, key=("created_at", "id"), prefetch=extras
    )


@router.post("/posts/{post_id}/comments", response={201: CommentOut}, summary="Comment")
def create_comment(request, post_id: int, payload: CommentIn):
    """Comment on a post, or reply to a comment with ``parent_id`` (one level of replies)."""
    viewer = viewer_of(request)
    post = _post(request, post_id)
    parent = None
    if payload.parent_id is not None:
        parent = Comment.objects.filter(pk=payload.parent_id, post=post).first()
        if parent is None:
            raise ValidationError({"parent_id": _("No such comment on this post.")})
    if post.kind == PostKind.QUESTION and parent is None:
        # An answer: the questions app counts it, tells the asker and followers
        # (also an anonymous asker) and shows it live on the question's page.
        from brug.questions import actions as question_actions
        from brug.questions import queries as question_queries

        comment = question_actions.answer_question(
            author=viewer,
            question=question_queries.get_question(viewer=viewer, question_id=post.pk),
            body=payload.body,
            attachments=payload.attachment_ids,
        )
    else:
        comment = actions.create_comment(
            author=viewer,
            post=post,
            body=payload.body,
            parent=parent,
            attachments=payload.attachment_ids,
        )
    queries.load_thread_extras(viewer=viewer, post=post, comments=[comment])
    return Status(201, comment)


@router.patch("/comments/{comment_id}", response=CommentOut, summary="Edit a comment")
def edit_comment(request, comment_id: int, payload: CommentPatch):
    viewer = viewer_of(request)
    comment = queries.get_comment(viewer=viewer, comment_id=comment_id)
    comment = actions.edit_comment(
        editor=viewer, comment=comment, body=payload.body, version=payload.version
    )
    queries.load_thread_extras(viewer=viewer, post=comment.post, comments=[comment])
    return comment


@router.delete("/comments/{comment_id}", response={204: None}, summary="Delete a comment")
def delete_comment(request, comment_id: int):
    viewer = viewer_of(request)
    comment = queries.get_comment(viewer=viewer, comment_id=comment_id)
    if comment.post.kind == PostKind.QUESTION and comment.parent_id is None:
        # An answer: the questions app recounts and drops its "accepted" mark.
        from brug.questions import actions as question_actions
        from brug.questions import queries as question_queries

        question = question_queries.get_question(viewer=viewer, question_id=comment.post_id)
        question_actions.delete_answer(actor=viewer, question=question, answer=comment)
    else:
        actions.delete_comment(actor=viewer, comment=comment)
    return Status(204, None)


# Reactions ------------------------------------------------------------------------------------


@router.post("/posts/{post_id}/reactions", response={201: list[ReactionOut]}, summary="React")
def react_to_post(request, post_id: int, payload: ReactionIn):
    """Add a reaction (``like``, ``thanks``, ``helpful``…); doing it twice changes nothing."""
    viewer = viewer_of(request)
    post = _post(request, post_id)
    actions.add_reaction(person=viewer, kind=payload.kind, post=post)
    summary = queries.reactions_of(viewer=viewer, post=post)
    return Status(201, [r for r in summary if r.count])


@router.delete(
    "/posts/{post_id}/reactions/{kind}", response=list[ReactionOut], summary="Take a reaction back"
)
def unreact_to_post(request, post_id: int, kind: str):
    viewer = viewer_of(request)
    post = _post(request, post_id)
    actions.remove_reaction(person=viewer, kind=kind, post=post)
    return [r for r in queries.reactions_of(viewer=viewer, post=post) if r.count]


@router.post(
    "/comments/{comment_id}/reactions",
    response={201: list[ReactionOut]},
    summary="React to a comment",
)
def react_to_comment(request, comment_id: int, payload: ReactionIn):
    viewer = viewer_of(request)
    comment = queries.get_comment(viewer=viewer, comment_id=comment_id)
    actions.add_reaction(person=viewer, kind=payload.kind, comment=comment)
    summary = queries.reactions_of(viewer=viewer, post=comment.post, comment=comment)
    return Status(201, [r for r in summary if r.count])


@router.delete(
    "/comments/{comment_id}/reactions/{kind}",
    response=list[ReactionOut],
    summary="Take a reaction to a comment back",
)
def unreact_to_comment(request, comment_id: int, kind: str):
    viewer = viewer_of(request)
    comment = queries.get_comment(viewer=viewer, comment_id=comment_id)
    actions.remove_reaction(person=viewer, kind=kind, comment=comment)
    summary = queries.reactions_of(viewer=viewer, post=comment.post, comment=comment)
    return [r for r in summary if r.count]


# Mentions, following, uploads --------------------------------------------------------------------


@router.get("/mentions", response=MentionPage, summary="Whom you may mention")
def mentions(request, params: Query[MentionParams]):
    """People you may mention in a space (the autocomplete): readers of the space you can see.

    Without ``space_id``: for a post on your profile (your organisation).
    """
    viewer = viewer_of(request)
    space = _space(params.space_id) if params.space_id is not None else None
    people = queries.list_mention_candidates(viewer=viewer, space=space, q=params.q)
    return {
        "items": people,
        "next_cursor": None,
        "may_mention_all": queries.may_mention_all(viewer=viewer, space=space),
    }


@router.post("/people/{person_id}/follow", response={204: None}, summary="Follow a person")
def follow(request, person_id: int):
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    actions.follow_person(follower=viewer_of(request), person=person)
    return Status(204, None)


@router.delete("/people/{person_id}/follow", response={204: None}, summary="Unfollow a person")
def unfollow(request, person_id: int):
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    actions.unfollow_person(follower=viewer_of(request), person=person)
    return Status(204, None)


@router.post("/attachments", response={201: AttachmentOut}, summary="Upload a file")
def upload(request, file: File[UploadedFile]):
    """Upload an image or file (multipart, field ``file``); pass its ``id`` in
    ``attachment_ids`` when posting. Type is detected from the content."""
    attachment = actions.add_attachment(uploader=viewer_of(request), upload=file)
    return Status(201, attachment)
