from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionStatus(models.TextChoices):
    """The ``status`` filter of the questions list (``GET /questions?status=``)."""

    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Solved")
    UNANSWERED = "unanswered", _("Unanswered")
