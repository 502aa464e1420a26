"""The content spine: posts, comments, reactions, mentions, attachments, follows.

Everything in a feed is a ``Post`` with a ``kind``; kind-specific data lives in
a 1:1 table whose primary key is the post's id (``questions.Question``).
A post without a space is a profile post, read by the members of the author's
home organisation. An anonymous post has ``author = NULL``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from brug.posts.enums import PostKind, ReactionKind


class Post(models.Model):
    kind = models.CharField(max_length=20, choices=PostKind.choices, default=PostKind.UPDATE)
    space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="posts"
    )
    # The organisation whose members may read a profile post (space is NULL);
    # for posts in spaces it repeats the space's organisation.
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(max_length=20000)
    body_html = models.TextField(blank=True)
    language = models.CharField(max_length=5, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_pinned = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    comment_count = models.PositiveIntegerField(default=0)
    reaction_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["space", "-created_at", "-id"], name="post_space_feed"),
            models.Index(fields=["author", "-created_at"], name="post_author_feed"),
            models.Index(fields=["kind", "-created_at"], name="post_kind_feed"),
        ]

    def __str__(self) -> str:
        return self.title or self.body[:60]


class PostRevision(models.Model):
    """The text a post or comment had before an edit."""

    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    comment = models.ForeignKey(
        "Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]


class Comment(models.Model):
    """A reply to a post (an answer, when the post is a question)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    body = models.TextField(max_length=20000)
    body_html = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    is_deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    reaction_count = models.PositiveIntegerField(default=0)
    vote_count = models.IntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"], name="comment_post_order")]

    def __str__(self) -> str:
        return self.body[:60]


class Reaction(models.Model):
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    # No index of its own: ``unique_comment_reaction`` (comment, person, kind)
    # serves lookups by comment. A plain one made SQLite's planner (which has
    # no statistics) answer "comment IS NULL AND post IN (…)" of every feed
    # from it, walking all post reactions (~200 ms at 1M; BENCHMARKS.md).
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reactions",
        db_index=False,
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=20, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "person", "kind"],
                condition=models.Q(comment__isnull=True),
                name="unique_post_reaction",
            ),
            models.UniqueConstraint(
                fields=["comment", "person", "kind"],
                condition=models.Q(comment__isnull=False),
                name="unique_comment_reaction",
            ),
        ]


class Mention(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    # No index of its own, as for reactions: ``unique_comment_mention`` serves it.
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mentions",
        db_index=False,
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "person"],
                condition=models.Q(comment__isnull=True),
                name="unique_post_mention",
            ),
            models.UniqueConstraint(
                fields=["comment", "person"],
                condition=models.Q(comment__isnull=False),
                name="unique_comment_mention",
            ),
        ]


class Attachment(models.Model):
    """A file or image on a post or comment; served only through a checked view."""

    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="attachments/%Y/%m/")
    thumbnail = models.FileField(upload_to="thumbnails/%Y/%m/", blank=True)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Follow(models.Model):
    """A person following another person's posts."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following"
    )
    followee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="unique_follow")
        ]
