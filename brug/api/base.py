"""What every router of the API imports. Stable names; import from here.

A router module (``brug/api/<app>.py``)::

    from brug.api.base import Input, Output, Page, Router, Status, paginate_queryset

    router = Router(tags=["posts"])

    class PostIn(Input):          # every input schema inherits Input (refuses NUL → 422)
        body: str

    class PostOut(Output):
        id: int
        body: str

    @router.post("/spaces/{space_id}/posts", response={201: PostOut})
    def create_post(request, space_id: int, payload: PostIn):
        post = actions.create_post(viewer=request.viewer, space_id=space_id, body=payload.body)
        return Status(201, post)

Every operation requires a signed-in caller (Bearer token or session + CSRF)
unless it says ``auth=None``; ``request.viewer`` is the caller's ``Viewer``.
Raise ``Http404``, ``PermissionDenied``, Django's ``ValidationError``,
``Conflict`` or ``RateLimited`` (from actions) and the API answers
404/403/422/409/429 in the one error shape ``{"detail": ...}``; you do not need
to declare those responses: every operation documents them in OpenAPI.

Every new operation must be added to ``brug/api/tests/url_inventory.py``
with its permission rule (the inventory test fails otherwise).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Query, Router, Status

from brug.api.auth import AUTHENTICATED, SessionAuth, TokenAuth
from brug.api.pagination import (
    DEFAULT_LIMIT,
    InvalidCursor,
    clamp_limit,
    decode_cursor,
    encode_cursor,
    paginate_offset,
    paginate_queryset,
)
from brug.api.schemas import ErrorOut, Input, Output, Page
from brug.core.exceptions import Conflict, PayloadTooLarge, RateLimited
from brug.permissions.viewer import Viewer


class PageParams(Input):
    """``?cursor=&limit=`` as one query schema: ``page: Query[PageParams]``."""

    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def viewer_of(request) -> Viewer:
    """The caller of an API operation as a ``Viewer``."""
    return request.viewer


__all__ = [
    "AUTHENTICATED",
    "DEFAULT_LIMIT",
    "Conflict",
    "ErrorOut",
    "Http404",
    "Input",
    "InvalidCursor",
    "Output",
    "Page",
    "PageParams",
    "PayloadTooLarge",
    "PermissionDenied",
    "Query",
    "RateLimited",
    "Router",
    "SessionAuth",
    "Status",
    "TokenAuth",
    "ValidationError",
    "Viewer",
    "clamp_limit",
    "decode_cursor",
    "encode_cursor",
    "paginate_offset",
    "paginate_queryset",
    "viewer_of",
]
