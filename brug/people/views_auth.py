"""Sign in, sign out, password reset and the language switch.

Sign-in throttling is django-axes (database handler, locking an account from
one address at a time: ``AXES_LOCKOUT_PARAMETERS``); ``axes_username`` and
``lockout_response`` below are its two hooks, named in settings.
"""

import hashlib
import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from brug.analytics.enums import Verb
from brug.analytics.recording import record_activity
from brug.core import ratelimit
from brug.core.exceptions import RateLimited
from brug.core.jobs import enqueue
from brug.people.actions import update_profile
from brug.people.forms_auth import (
    NewPasswordForm,
    PasswordResetRequestForm,
    SignInForm,
    normalise_email,
)
from brug.people.tasks_auth import send_password_reset


# django-axes hooks ------------------------------------------------------------
def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """Return the address a sign-in attempt is for, the way accounts store it,
    so ``Sanne@X.nl`` and ``sanne@x.nl`` count as one account."""
    if credentials and credentials.get("username"):
        return normalise_email(credentials["username"])
    data = getattr(request, "POST", None) or {}
    return normalise_email(data.get("username", ""))


def lockout_response(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Render the lockout page with 429 and ``Retry-After``.

    django-axes calls this with ``(request, original_response, credentials)``
    from sync code and ``(request, credentials)`` from async code; neither is
    needed here.
    """
    seconds = int(settings.AXES_COOLOFF_TIME * 3600)
    response = render(
        request,
        "people/login_locked.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": max(1, math.ceil(seconds / 60)),
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


# Helpers ----------------------------------------------------------------------
def _too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(
        request, "429.html", {"retry_minutes": max(1, math.ceil(retry_after / 60))}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response


def _client_ip(request: HttpRequest) -> str:
    from axes.helpers import get_client_ip_address

    # The same address django-axes uses, so BRUG_TRUSTED_PROXIES applies here too.
    return get_client_ip_address(request) or ""


def _next_url(request: HttpRequest, default: str) -> str:
    """Return the ``next`` parameter when it points into Brug, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


# Views ------------------------------------------------------------------------
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """Sign in with e-mail and password; record the sign-in in the activity log."""
    if request.user.is_authenticated:
        return redirect(_next_url(request, settings.LOGIN_REDIRECT_URL))
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.get_user()
        auth_login(request, user)
        record_activity(actor=user, verb=Verb.SIGN_IN)
        return redirect(_next_url(request, settings.LOGIN_REDIRECT_URL))
    return render(
        request,
        "people/login.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@require_http_methods(["GET", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    """Sign out on POST; a GET (an old link) asks first, so no page can sign you out."""
    if request.method == "GET":
        if not request.user.is_authenticated:
            return redirect(settings.LOGOUT_REDIRECT_URL)
        return render(request, "people/login_signout.html")
    auth_logout(request)
    messages.success(request, _("You are signed out. See you soon."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@csrf_protect
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link: always the same answer, whether the address exists or not.

    Limited per address and per client address (429 with ``Retry-After``).
    """
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        digest = hashlib.sha256(email.encode()).hexdigest()[:32]  # no addresses in the cache
        try:
            ratelimit.hit(scope="password_reset_ip", key=_client_ip(request))
            ratelimit.hit(scope="password_reset_address", key=digest)
        except RateLimited as limited:
            return _too_many(request, limited.retry_after)
        enqueue(send_password_reset, email=email)
        return redirect("people:password-reset-done")
    return render(request, "people/password_reset_form.html", {"form": form})


def password_reset_done(request: HttpRequest) -> HttpResponse:
    """Say that a link was sent if the address has an account (never whether it has)."""
    return render(request, "people/password_reset_done.html")


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Choose a new password from the mailed link; clears sign-in lockouts of the account."""

    form_class = NewPasswordForm
    template_name = "people/password_reset_confirm.html"
    success_url = reverse_lazy("people:password-reset-complete")

    def form_valid(self, form):
        from axes.utils import reset as axes_reset

        response = super().form_valid(form)
        # Whoever can read the mailbox owns the account: let them in at once.
        axes_reset(username=form.user.email)
        return response


password_reset_confirm = PasswordResetConfirm.as_view()


def password_reset_complete(request: HttpRequest) -> HttpResponse:
    """Confirm the new password and offer to sign in."""
    return render(request, "people/password_reset_complete.html")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language: stored on the person, and in a cookie.

    The cookie keeps the choice on the sign-in page after signing out, and is
    all there is for someone not signed in.
    """
    language = request.POST.get("language", "")
    response: HttpResponse = HttpResponseRedirect(_next_url(request, "home"))
    if language not in {code for code, _name in settings.LANGUAGES}:
        return response
    if request.user.is_authenticated and request.user.language != language:
        update_profile(person=request.user, by=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain an expired or missing form token in the design (``CSRF_FAILURE_VIEW``).

    Rendered with the request, unlike Django's own page, so the layout knows
    who is signed in and its forms get a fresh token.
    """
    return render(request, "403_csrf.html", status=403)
