"""Kinds of notification, delivery channels and their defaults."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Mentions of me")
    REPLY = "reply", _("Replies to my posts and comments")
    REACTION = "reaction", _("Reactions to my posts and comments")
    JOIN_REQUEST = "join_request", _("Requests to join a space I moderate")
    JOIN_DECISION = "join_decision", _("Decisions on my requests to join")
    INVITATION = "invitation", _("Invitations to spaces")
    SPACE_POST = "space_post", _("New posts in my spaces")
    ANSWER = "answer", _("Answers to my questions")
    ACCEPTED_ANSWER = "accepted_answer", _("My answer was accepted")
    UNANSWERED_QUESTION = "unanswered_question", _("Questions nobody answered (community managers)")


class Channel(models.TextChoices):
    WEB = "web", _("In Brug")
    EMAIL = "email", _("E-mail")
    DIGEST = "digest", _("Weekly digest")


#: What a person gets when they never changed their preferences: everything in
#: Brug itself (grouped, so a busy space is one line, not fifty), e-mail only for
#: what is addressed to them personally, and the weekly digest.
DEFAULTS: dict[str, dict[str, bool]] = {
    NotificationKind.MENTION: {"web": True, "email": True, "digest": True},
    NotificationKind.REPLY: {"web": True, "email": True, "digest": True},
    NotificationKind.REACTION: {"web": True, "email": False, "digest": False},
    NotificationKind.JOIN_REQUEST: {"web": True, "email": True, "digest": False},
    NotificationKind.JOIN_DECISION: {"web": True, "email": False, "digest": False},
    NotificationKind.INVITATION: {"web": True, "email": True, "digest": False},
    NotificationKind.SPACE_POST: {"web": True, "email": False, "digest": True},
    NotificationKind.ANSWER: {"web": True, "email": True, "digest": True},
    NotificationKind.ACCEPTED_ANSWER: {"web": True, "email": True, "digest": False},
    NotificationKind.UNANSWERED_QUESTION: {"web": True, "email": False, "digest": True},
}

#: Kinds whose notification is about a post (or a comment on it): readable
#: only while the post is. The others are about a space.
SPACE_KINDS = frozenset(
    {
        NotificationKind.JOIN_REQUEST,
        NotificationKind.JOIN_DECISION,
        NotificationKind.INVITATION,
        NotificationKind.SPACE_POST,
    }
)

#: The unsubscribe "type" of the weekly digest as a whole.
DIGEST_TYPE = "digest"
