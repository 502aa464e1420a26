"""Who may read, write, edit and moderate posts and comments."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from brug.permissions.spaces import (
    can_comment_in_space,
    can_moderate_space,
    can_read_space,
    check_can_post,
    readable_space_condition,
)
from brug.permissions.viewer import Viewer, as_viewer
from brug.posts.models import Comment, Post

__all__ = [
    "can_read_post",
    "check_can_read_post",
    "check_can_post",
    "can_comment_on_post",
    "check_can_comment",
    "can_edit_post",
    "check_can_edit_post",
    "can_moderate_post",
    "filter_visible_posts",
    "filter_visible_comments",
    "can_read_comment",
    "check_can_edit_comment",
    "check_can_delete_comment",
    "can_delete_post",
    "check_can_delete_post",
    "can_post_on_profile",
    "check_can_post_on_profile",
    "can_pin_post",
    "check_can_pin_post",
    "check_can_react",
    "check_can_moderate_post",
]


def can_read_post(who: Viewer | Any, post: Post) -> bool:
    """May the viewer read the post? (Deleted posts read as missing.)"""
    viewer = as_viewer(who)
    if not viewer.is_authenticated or post.is_deleted:
        return False
    if post.space_id is None:
        # A profile post: the members of the author's home organisation.
        return viewer.is_member and viewer.organisation_id == post.organisation_id
    return can_read_space(viewer, post.space)


def check_can_read_post(who: Viewer | Any, post: Post) -> None:
    if not can_read_post(who, post):
        raise Http404


def can_moderate_post(who: Viewer | Any, post: Post) -> bool:
    viewer = as_viewer(who)
    if post.space_id is None:
        return viewer.is_community_manager and can_read_post(viewer, post)
    return can_read_post(viewer, post) and can_moderate_space(viewer, post.space)


def can_comment_on_post(who: Viewer | Any, post: Post) -> bool:
    viewer = as_viewer(who)
    if not can_read_post(viewer, post):
        return False
    if post.space_id is None:
        return True
    return can_comment_in_space(viewer, post.space)


def check_can_comment(who: Viewer | Any, post: Post) -> None:
    check_can_read_post(who, post)
    if not can_comment_on_post(who, post):
        raise PermissionDenied


def can_edit_post(who: Viewer | Any, post: Post) -> bool:
    """Only the author edits a post's text (anonymous posts: see questions)."""
    viewer = as_viewer(who)
    return (
        can_read_post(viewer, post) and post.author_id is not None and post.author_id == viewer.id
    )


def check_can_edit_post(who: Viewer | Any, post: Post) -> None:
    check_can_read_post(who, post)
    if not can_edit_post(who, post):
        raise PermissionDenied


def can_delete_post(who: Viewer | Any, post: Post) -> bool:
    return can_edit_post(who, post) or can_moderate_post(who, post)


def check_can_delete_post(who: Viewer | Any, post: Post) -> None:
    check_can_read_post(who, post)
    if not can_delete_post(who, post):
        raise PermissionDenied


def can_post_on_profile(who: Viewer | Any) -> bool:
    """Members (not guests) work out loud on their own profile."""
    return as_viewer(who).is_member


def check_can_post_on_profile(who: Viewer | Any) -> None:
    if not can_post_on_profile(who):
        raise PermissionDenied(_("Guests cannot post on their profile."))


def check_can_moderate_post(who: Viewer | Any, post: Post) -> None:
    check_can_read_post(who, post)
    if not can_moderate_post(who, post):
        raise PermissionDenied


def can_pin_post(who: Viewer | Any, post: Post) -> bool:
    """Moderators of the space pin its posts (profile posts are never pinned)."""
    return post.space_id is not None and can_moderate_post(who, post)


def check_can_pin_post(who: Viewer | Any, post: Post) -> None:
    check_can_read_post(who, post)
    if not can_pin_post(who, post):
        raise PermissionDenied


def check_can_react(who: Viewer | Any, post: Post) -> None:
    """Whoever may comment on a post may react to it and its comments."""
    check_can_comment(who, post)


def filter_visible_posts(who: Viewer | Any, qs: QuerySet[Post] | None = None) -> QuerySet[Post]:
    """Narrow posts to those the viewer may read (agrees with ``can_read_post``)."""
    viewer = as_viewer(who)
    qs = Post.objects.all() if qs is None else qs
    if not viewer.is_authenticated:
        return qs.none()
    condition = Q(space__isnull=False) & readable_space_condition(viewer, prefix="space__")
    if viewer.is_member:
        condition |= Q(space__isnull=True, organisation_id=viewer.organisation_id)
    return qs.filter(condition, is_deleted=False)


def can_read_comment(who: Viewer | Any, comment: Comment) -> bool:
    return not comment.is_deleted and can_read_post(who, comment.post)


def filter_visible_comments(
    who: Viewer | Any, qs: QuerySet[Comment] | None = None
) -> QuerySet[Comment]:
    """Narrow comments to those on posts the viewer may read."""
    viewer = as_viewer(who)
    qs = Comment.objects.all() if qs is None else qs
    return qs.filter(post__in=filter_visible_posts(viewer).values("pk"), is_deleted=False)


def check_can_edit_comment(who: Viewer | Any, comment: Comment) -> None:
    viewer = as_viewer(who)
    if not can_read_comment(viewer, comment):
        raise Http404
    if comment.author_id is None or comment.author_id != viewer.id:
        raise PermissionDenied


def check_can_delete_comment(who: Viewer | Any, comment: Comment) -> None:
    viewer = as_viewer(who)
    if not can_read_comment(viewer, comment):
        raise Http404
    if comment.author_id == viewer.id and viewer.id is not None:
        return
    if not can_moderate_post(viewer, comment.post):
        raise PermissionDenied
