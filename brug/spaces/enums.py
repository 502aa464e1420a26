from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    OPEN = "open", _("Open")
    PRIVATE = "private", _("Private")
    SECRET = "secret", _("Secret")


class SpaceKind(models.TextChoices):
    COMMUNITY = "community", _("Community")
    ANNOUNCEMENT = "announcement", _("Announcement")
    QUESTIONS = "questions", _("Questions")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Anyone may join")
    REQUEST = "request", _("On request")
    INVITATION = "invitation", _("Invitation only")


class SpaceRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MODERATOR = "moderator", _("Moderator")
    MEMBER = "member", _("Member")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
