"""The REST API under ``/api/v1/``: one router per app, all calling actions and queries.

- OpenAPI 3.1 at ``/api/v1/openapi.json``, interactive docs at ``/api/v1/docs``
  (Swagger UI from ninja's bundled static files; no CDN, no inline script, so
  it works under the site's ``script-src 'self'`` CSP).
- Every operation needs a Bearer token or a session (+ CSRF for writes), see
  ``brug.api.auth``; errors have one shape, see ``brug.api.errors``.
"""

from __future__ import annotations

import json
import math
from importlib import import_module
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from brug.api.auth import AUTHENTICATED
from brug.api.errors import install_error_handlers
from brug.api.schemas import ErrorOut, find_unstorable_text

# JSON bodies nested deeper than this are refused (400) before validation.
MAX_JSON_DEPTH = 64

ROUTER_MODULES = (
    "core",
    "people",
    "spaces",
    "posts",
    "questions",
    "notifications",
    "search",
    "analytics",
)

# Documented for every operation (an operation may document more itself).
ERROR_STATUSES = {
    "400": "Malformed request (invalid JSON, bad cursor).",
    "401": "Not signed in: no valid Bearer token or session.",
    "403": "Visible but not allowed, or a missing CSRF token.",
    "404": "Not found, or not visible to you.",
    "409": "Conflict (a stale version).",
    "413": "The request body is too large.",
    "422": "Invalid input; ``errors`` lists each field.",
    "429": "Too many requests; see ``Retry-After``.",
}
PUBLIC_ERROR_STATUSES = {"400", "404", "413", "422", "429"}


def _depth(data: Any, limit: int) -> bool:
    """Return whether ``data`` nests deeper than ``limit`` (iteratively, no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            if depth > limit:
                return True
            stack.extend((item, depth + 1) for item in value)
    return False


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(text)
    return value


class BrugParser(Parser):
    """Strict JSON: UTF-8, no NaN/Infinity, bounded depth; NUL refused in query strings."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise HttpError(400, _("The body is not valid UTF-8.")) from exc
        # Count brackets before parsing: the C parser recurses per level and a
        # deep document would otherwise cost a RecursionError.
        if (
            text.count("[") + text.count("{") > MAX_JSON_DEPTH
            and _bracket_depth(text) > MAX_JSON_DEPTH
        ):
            raise HttpError(400, _("The JSON document is nested too deeply."))
        try:
            data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
        except (ValueError, RecursionError) as exc:
            raise HttpError(400, _("The body is not valid JSON.")) from exc
        if _depth(data, MAX_JSON_DEPTH):
            raise HttpError(400, _("The JSON document is nested too deeply."))
        return data

    def parse_querydict(self, data, list_fields, request: HttpRequest):
        result = super().parse_querydict(data, list_fields, request)
        found = find_unstorable_text(result)
        if found is not None:
            where = ".".join(str(part) for part in found)
            raise NinjaValidationError(
                [
                    {
                        "loc": ["query", *found],
                        "msg": _(
                            "%(where)s: text may not contain NUL characters or invalid Unicode."
                        )
                        % {"where": where},
                        "type": "unstorable_text",
                    }
                ]
            )
        return result


def _bracket_depth(text: str) -> int:
    """The maximum nesting of ``[``/``{`` outside strings (a cheap scan)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


class BrugAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in error_schema.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components.setdefault("ErrorOut", error_schema)
        ref = {"$ref": "#/components/schemas/ErrorOut"}
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                public = "security" not in operation
                for status, description in ERROR_STATUSES.items():
                    if public and status not in PUBLIC_ERROR_STATUSES:
                        continue
                    operation["responses"].setdefault(
                        int(status) if _int_keys(operation["responses"]) else status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": ref}},
                        },
                    )
        return schema


def _int_keys(responses: dict) -> bool:
    return any(isinstance(key, int) for key in responses)


api = BrugAPI(
    title="Brug API",
    version="1",
    description=(
        "The REST API of Brug. Authenticate with `Authorization: Bearer <token>` "
        "(create one with `brug token create EMAIL`) or the browser session (send "
        "`X-CSRFToken` on writes). Lists are cursor-paginated: `?cursor=&limit=` "
        "(1–100, default 25) returning `{items, next_cursor}`. Errors are "
        '`{"detail": "..."}`.'
    ),
    urls_namespace="api",
    auth=AUTHENTICATED,
    parser=BrugParser(),
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

for _name in ROUTER_MODULES:
    try:
        _module = import_module(f"brug.api.{_name}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"brug.api.{_name}":
            raise
        continue
    api.add_router("", _module.router)
