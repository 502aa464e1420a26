"""What the pages that publish with files share (the composer, asking a question)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from brug.core.exceptions import PayloadTooLarge, RateLimited
from brug.core.forms import apply_errors
from brug.core.views import rate_limited_response
from brug.posts import actions


def save_with_uploads(
    request,
    form: forms.Form,
    write: Callable[[list], Any],
    *,
    template: str,
    context: dict,
) -> tuple[Any, HttpResponse | None, int]:
    """Store the request's ``files`` as attachments, then ``write(attachments)``.

    Returns ``(result, None, 200)`` when it worked. When a file or the write
    is refused, the files stored so far are discarded and the reason lands
    on the form: ``(None, None, 413 or 422)``, or ``(None, response, 429)``
    with the rate-limit page to return as it is.
    """
    viewer = request.viewer
    uploads: list = []
    try:
        for upload in request.FILES.getlist("files"):
            uploads.append(actions.add_attachment(uploader=viewer, upload=upload))
        return write(uploads), None, 200
    except (ValidationError, PayloadTooLarge, RateLimited) as error:
        for upload in uploads:
            actions.discard_attachment(uploader=viewer, attachment=upload)
        if isinstance(error, RateLimited):
            return None, rate_limited_response(request, error, template, context), 429
        if isinstance(error, PayloadTooLarge):
            form.add_error(None, str(error))
            return None, None, 413
        apply_errors(form, error)
        return None, None, 422
