"""``/api/v1/``: the ninja API, with JSON answers for unknown paths and methods."""

import inspect
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.urls import URLPattern, URLResolver, path, re_path

from brug.api.errors import error_response
from brug.api.main import api

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _guard(view):
    """Wrap a ninja view: 413 for oversized JSON bodies, 404 for NUL in the
    path, and the error shape on ninja's bare 405."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if "\x00" in request.path_info or any(_huge(value) for value in kwargs.values()):
            # An id beyond 64 bits cannot exist (and would crash the database driver).
            return error_response(404)
        if request.method in BODY_METHODS and not request.content_type.startswith("multipart/"):
            # Read the body here, where a too-large one can still be a 413: ninja's
            # body parser would turn Django's RequestDataTooBig into a 400.
            try:
                request.body  # noqa: B018
            except RequestDataTooBig:
                return error_response(413)
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            response = error_response(405)
            if allowed:
                response["Allow"] = allowed
        return response

    return wrapper


def _huge(value) -> bool:
    text = str(value).removeprefix("-")
    return text.isdigit() and len(text) > 18 and not -(2**63) <= int(value) <= 2**63 - 1


def _patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and not _is_async(pattern.callback):
            pattern.callback = _guard(pattern.callback)
        elif isinstance(pattern, URLResolver):
            _patterns(pattern.url_patterns)
    return patterns


def _is_async(view) -> bool:
    return inspect.iscoroutinefunction(view)


def not_found(request, rest=""):
    """Any other path under ``/api/v1/``: a JSON 404."""
    return error_response(404)


not_found.csrf_exempt = True

_api_patterns, _app_name, _namespace = api.urls
urlpatterns = [
    path("", (_patterns(_api_patterns), _app_name, _namespace)),
    re_path(r"^(?P<rest>.*)$", not_found, name="api-not-found"),
]
