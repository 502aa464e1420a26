from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    POST = "post", _("Posts")
    COMMENT = "comment", _("Comments")
    SPACE = "space", _("Spaces")
    PERSON = "person", _("People")
    FILE = "file", _("Files")
