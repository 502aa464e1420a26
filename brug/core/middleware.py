"""Request-wide middleware: the per-request Viewer and the body size limit."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from brug.permissions.viewer import Viewer


class ViewerMiddleware:
    """Attach ``request.viewer`` (memberships loaded on first use) and apply the
    person's chosen language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer = SimpleLazyObject(lambda: Viewer(getattr(request, "user", None)))
        return self.get_response(request)


class RequestSizeMiddleware:
    """Refuse bodies over ``BRUG_MAX_REQUEST_BYTES`` with 413 before anything reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.BRUG_MAX_REQUEST_BYTES:
            response = JsonResponse({"detail": _("The request is too large.")}, status=413)
            return response
        return self.get_response(request)
