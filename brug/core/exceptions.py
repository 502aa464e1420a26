"""Exceptions that actions and queries raise to mean a specific HTTP answer.

They carry no HTTP machinery: the API maps them onto status codes
(``brug.api.errors``) and web views may catch them. Besides these, actions
raise Django's ``PermissionDenied`` (403), ``Http404`` (404) and
``ValidationError`` (422 in the API).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class Conflict(Exception):
    """The write is based on a stale version, or clashes with existing data (409)."""

    default_message = _("The object was changed by someone else; reload and try again.")

    def __init__(self, message: str | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class RateLimited(Exception):
    """Too many attempts; try again after ``retry_after`` seconds (429)."""

    default_message = _("Too many requests; try again later.")

    def __init__(self, message: str | None = None, *, retry_after: int = 60) -> None:
        self.message = message if message is not None else self.default_message
        self.retry_after = max(1, int(retry_after))
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class PayloadTooLarge(Exception):
    """The request body (or an upload inside it) is too large (413)."""

    default_message = _("The request is too large.")

    def __init__(self, message: str | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)
