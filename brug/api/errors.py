"""The one error shape of the API: ``{"detail": "...", "errors": [...]?}``.

``install_error_handlers(api)`` maps every exception that may escape an
operation onto a status code:

========================================  ======
``ninja.errors.HttpError`` (incl. auth)   its own (400 malformed JSON, 401, 403 CSRF)
``ninja.errors.ValidationError``          422 (``errors`` lists each field)
``django.core.exceptions.ValidationError`` 422 (``errors`` lists each field)
``django.http.Http404``                   404
``django.core.exceptions.PermissionDenied`` 403
``brug.core.exceptions.Conflict``         409
``brug.core.exceptions.PayloadTooLarge``  413
``brug.core.exceptions.RateLimited``      429 with ``Retry-After``
``OverflowError``, ``django.db.DataError``  422 (a number the database cannot hold)
anything else                             500 ``{"detail": ...}``, logged
========================================  ======
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.core import signals
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from brug.core.exceptions import Conflict, PayloadTooLarge, RateLimited

logger = logging.getLogger("brug.api")

# Messages for the statuses; looked up at answer time so they are translated.
STATUS_MESSAGES = {
    400: lambda: _("The request is malformed."),
    401: lambda: _("Authentication required: send a Bearer token or sign in."),
    403: lambda: _("You may not do this."),
    404: lambda: _("Not found."),
    405: lambda: _("Method not allowed."),
    409: lambda: _("Conflict."),
    413: lambda: _("The request is too large."),
    422: lambda: _("The request is invalid."),
    429: lambda: _("Too many requests; try again later."),
    500: lambda: _("Something went wrong on our side; it has been logged."),
}


def error_body(status: int, detail: str | None = None, errors: list | None = None) -> dict:
    body: dict[str, Any] = {"detail": str(detail) if detail else STATUS_MESSAGES[status]()}
    if errors:
        body["errors"] = errors
    return body


def error_response(
    status: int, detail: str | None = None, errors: list | None = None
) -> JsonResponse:
    """A JSON error response outside ninja (middleware, URL fallbacks)."""
    response = JsonResponse(error_body(status, detail, errors), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="brug"'
    return response


def _loc(parts: Any) -> list[str | int]:
    return [part if isinstance(part, int) else str(part) for part in (parts or [])]


def ninja_errors(exc: NinjaValidationError) -> list[dict]:
    """Normalise ninja's error dicts to ``{loc, msg, type}``."""
    return [
        {"loc": _loc(e.get("loc")), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in exc.errors
    ]


def django_errors(exc: DjangoValidationError) -> list[dict]:
    """Flatten a Django ``ValidationError`` to ``{loc, msg, type}`` (one per message)."""
    if hasattr(exc, "error_dict"):
        return [
            {"loc": [field], "msg": message, "type": error.code or "invalid"}
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [
        {"loc": [], "msg": message, "type": error.code or "invalid"}
        for error in exc.error_list
        for message in error.messages
    ]


def readable(errors: list[dict]) -> str:
    """One sentence from a list of field errors ("body.name: Field required; ...")."""
    parts = []
    for error in errors[:5]:
        where = ".".join(str(p) for p in error["loc"] if p not in {"__all__"})
        parts.append(f"{where}: {error['msg']}" if where else error["msg"])
    if len(errors) > 5:
        parts.append(_("and %(count)d more") % {"count": len(errors) - 5})
    return "; ".join(parts) or STATUS_MESSAGES[422]()


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail=None, errors=None) -> HttpResponse:
        response = api.create_response(request, error_body(status, detail, errors), status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="brug"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        detail = exc.message
        if isinstance(exc, AuthenticationError) and exc.message == "Unauthorized":
            detail = None  # ninja's untranslated default
        response = respond(request, exc.status_code, detail)
        wait = getattr(exc, "wait", None)
        if exc.status_code == 429 and wait:
            response["Retry-After"] = str(int(wait))
        return response

    @api.exception_handler(NinjaValidationError)
    def ninja_validation_error(request, exc: NinjaValidationError):
        errors = ninja_errors(exc)
        return respond(request, 422, readable(errors), errors)

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request, exc: DjangoValidationError):
        errors = django_errors(exc)
        return respond(request, 422, readable(errors), errors)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc: PermissionDenied):
        message = str(exc)
        return respond(request, 403, message or None)

    @api.exception_handler(Conflict)
    def conflict(request, exc: Conflict):
        return respond(request, 409, str(exc))

    @api.exception_handler(PayloadTooLarge)
    def too_large(request, exc: PayloadTooLarge):
        return respond(request, 413, str(exc))

    @api.exception_handler(RequestDataTooBig)
    def data_too_big(request, exc):
        return respond(request, 413)

    @api.exception_handler(RateLimited)
    def rate_limited(request, exc: RateLimited):
        response = respond(request, 429, str(exc))
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    def out_of_range(request, exc: Exception):
        # A value the database cannot hold (an integer beyond 64 bits in a query
        # parameter, say): bad input, not a server error.
        logger.warning("Out-of-range value on %s %s: %s", request.method, request.path, exc)
        return respond(request, 422, _("A value is out of range."))

    @api.exception_handler(Exception)
    def unexpected(request, exc: Exception):
        # Log with the traceback and tell Django's machinery (the test client
        # re-raises it, error reporters see it), but answer in the API's shape.
        logger.error(
            "Unhandled API error on %s %s",
            request.method,
            request.path,
            exc_info=sys.exc_info() if sys.exc_info()[0] else (type(exc), exc, exc.__traceback__),
        )
        signals.got_request_exception.send(sender=None, request=request)
        return respond(request, 500)
