"""How the API knows who is calling.

Two ways, tried in this order:

1. ``Authorization: Bearer <token>`` — a personal token (``brug token create``);
   looked up by its SHA-256 digest. A Bearer header with an unknown or revoked
   token, or one of an inactive person, is a 401 straight away: the session
   cookie is then not consulted, so a broken script never silently acts as
   the browser's user.
2. The Django session cookie. Unsafe methods (POST, PUT, PATCH, DELETE) need
   the CSRF token (``X-CSRFToken`` header), exactly as Django forms do; a
   missing or wrong one is a 403 ``{"detail": ...}``.

Either way the operation then has ``request.user`` (the person),
``request.auth`` (the same person) and ``request.viewer`` (a
``brug.permissions.Viewer``), and the answer speaks the person's language.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import (
    get_supported_language_variant,
    parse_accept_lang_header,
)
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer

from brug.people.tokens import verify_token
from brug.permissions.viewer import Viewer

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
logger = logging.getLogger("brug.api")


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF check, answering with the reason instead of rendering a page."""

    def _reject(self, request, reason):
        return reason


def csrf_failure(request: HttpRequest) -> str | None:
    """Return why the request fails Django's CSRF check, or ``None`` when it passes."""
    check = _CsrfCheck(lambda request: None)
    request.csrf_processing_done = False
    check.process_request(request)
    return check.process_view(request, csrf_failure, (), {})


def _from_header(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            return None
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def activate_language(request: HttpRequest, user: Any, *, header_first: bool) -> None:
    """Answer in the language the caller wants.

    Token clients (scripts, apps) choose per request with ``Accept-Language``;
    without one, the person's chosen language is used. Browser sessions use the
    person's chosen language (the one picked in the web app's language switch),
    since a browser sends its own ``Accept-Language`` on every request. Failing
    both, the language ``LocaleMiddleware`` picked (cookie, header, default) stays.
    """
    chosen = getattr(user, "language", "") or ""
    personal = chosen if chosen in dict(settings.LANGUAGES) else None
    language = ((_from_header(request) or personal) if header_first else personal) or None
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language


def _signed_in(request: HttpRequest, user: Any, *, header_first: bool) -> Any:
    request.user = user
    request.viewer = Viewer(user)
    activate_language(request, user, header_first=header_first)
    return user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal token."""

    def __call__(self, request: HttpRequest) -> Any:
        value = request.headers.get("Authorization", "")
        scheme, _space, token = value.partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = verify_token(token)
        if user is None:
            raise AuthenticationError(
                message=_("The token is unknown, revoked or of an inactive account.")
            )
        return _signed_in(request, user, header_first=True)


class SessionAuth(APIKeyCookie):
    """The browser session, with Django's CSRF check on unsafe methods."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check happens in ``authenticate``, only for signed-in people,
        # so an anonymous POST is a 401 (not a confusing CSRF 403).
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        unsafe = request.method not in SAFE_METHODS
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if unsafe and not exempt and (reason := csrf_failure(request)) is not None:
            logger.warning("Forbidden (%s): %s", reason, request.path)
            raise HttpError(
                403,
                _(
                    "CSRF check failed: send the X-CSRFToken header with the csrftoken "
                    "cookie's value."
                ),
            )
        return _signed_in(request, user, header_first=False)


token_auth = TokenAuth()
session_auth = SessionAuth()

#: The default of every operation: token first, then the session.
AUTHENTICATED = [token_auth, session_auth]
