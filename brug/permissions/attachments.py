"""Who may download an attachment, and attach an upload to a post or comment.

An attachment is read by whoever may read the post or comment it hangs on;
until it is attached, only by the person who uploaded it. Hidden and missing
are the same 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from brug.permissions.posts import can_read_comment, can_read_post
from brug.permissions.viewer import Viewer, as_viewer
from brug.posts.models import Attachment


def can_read_attachment(who: Viewer | Any, attachment: Attachment) -> bool:
    """May the viewer download the file? (Load ``post__space`` and ``comment__post__space``.)"""
    viewer = as_viewer(who)
    if not viewer.is_authenticated:
        return False
    if attachment.comment_id is not None:
        return can_read_comment(viewer, attachment.comment)
    if attachment.post_id is not None:
        return can_read_post(viewer, attachment.post)
    return attachment.uploaded_by_id == viewer.id


def check_can_read_attachment(who: Viewer | Any, attachment: Attachment) -> None:
    if not can_read_attachment(who, attachment):
        raise Http404


def check_can_attach(who: Viewer | Any, attachment: Attachment) -> None:
    """Only the uploader attaches an upload, and only once."""
    viewer = as_viewer(who)
    if (
        attachment.uploaded_by_id != viewer.id
        or attachment.post_id is not None
        or attachment.comment_id is not None
    ):
        raise ValidationError(_("This file cannot be attached here."))
