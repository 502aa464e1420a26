from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    GUEST = "guest", _("Guest")
    COMMUNITY_MANAGER = "community_manager", _("Community manager")
    ADMIN = "admin", _("Admin")


class TeamKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    TEAM = "team", _("Team")


class Highlight(models.TextChoices):
    NONE = "", _("None")
    LEADERSHIP = "leadership", _("Leadership")
    AMBASSADOR = "ambassador", _("Ambassador")
