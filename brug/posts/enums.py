from django.db import models
from django.utils.translation import gettext_lazy as _


class PostKind(models.TextChoices):
    UPDATE = "update", _("Update")
    QUESTION = "question", _("Question")
    WORK_OUT_LOUD = "work_out_loud", _("Working on")
    NEWS = "news", _("News")
    PRAISE = "praise", _("Praise")
    EVENT = "event", _("Event")
    POLL = "poll", _("Poll")


class ReactionKind(models.TextChoices):
    LIKE = "like", _("Like")
    THANKS = "thanks", _("Thanks")
    HELPFUL = "helpful", _("Helpful")
    CELEBRATE = "celebrate", _("Celebrate")
    INSIGHTFUL = "insightful", _("Insightful")
    GOOD_QUESTION = "good_question", _("Good that you ask")
