from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect


@login_required
def home(request):
    """Send a signed-in person to their home feed."""
    return redirect("posts:home")


def healthz(request):
    """Answer 200 when the database answers (for load balancers and monitors)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
