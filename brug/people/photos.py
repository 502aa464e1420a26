"""Serving profile photos: the stored, re-encoded file or the initials avatar.

Used by the page route (``people:photo``) and the API (``GET
/people/{id}/photo``); both check ``can_see_person`` first.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse

from brug.core.serving import file_response
from brug.people.avatars import initials_svg
from brug.people.models import User

PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


def photo_response(person: User) -> HttpResponse:
    """Return the person's photo, or an SVG initials avatar when there is none.

    ``nosniff``, privately cacheable (the URL carries a version), and served
    ``inline`` only because it is an image we re-encoded ourselves; the SVG
    gets a CSP that forbids everything, should someone open it on its own.
    """
    extension = person.photo.name.rsplit(".", 1)[-1].lower() if person.photo else ""
    response: HttpResponse | None = None
    if extension in PHOTO_TYPES:
        try:
            response = file_response(
                person.photo.name, content_type=PHOTO_TYPES[extension], as_attachment=False
            )
        except Http404:
            response = None  # the file is gone: the initials stand in
    if response is None:
        response = HttpResponse(
            initials_svg(name=person.name, key=person.handle), content_type="image/svg+xml"
        )
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["Content-Disposition"] = "inline; filename=photo"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Vary"] = "Cookie, Authorization"
    return response
