import math

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from brug.core.exceptions import RateLimited


@login_required
def home(request):
    """Send a signed-in person to their home feed."""
    return redirect("posts:home")


def healthz(request):
    """Answer 200 when the database answers (for load balancers and monitors)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def rate_limited_response(request, error: RateLimited, template: str | None = None, context=None):
    """Render a 429 page (or the form's own template) with ``Retry-After``."""
    context = dict(context or {})
    context["retry_minutes"] = max(1, math.ceil(error.retry_after / 60))
    context["rate_limited"] = str(error)
    response = render(request, template or "429.html", context, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response
