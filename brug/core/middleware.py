"""Request-wide middleware: the per-request Viewer, the person's language and the
body size limit."""

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from brug.permissions.viewer import Viewer


class ViewerMiddleware:
    """Attach ``request.viewer`` (memberships loaded on first use)."""

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


class PersonLanguageMiddleware:
    """Activate the interface language for this request.

    The person's own choice (``User.language``) wins; then the ``brug_language``
    cookie (set by the language switch, so it also holds on the sign-in page);
    then the installation's language (``BRUG_LANGUAGE``). The browser's
    Accept-Language is deliberately not consulted: an installation in the
    Netherlands should speak Dutch even to a browser set to English until
    the person says otherwise. Runs after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        language = ""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = getattr(user, "language", "") or ""
        if language not in supported:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return self.get_response(request)
