from django.conf import settings


def brug(request):
    """Expose the few settings templates need."""
    return {"BRUG_PUBLIC_URL": settings.PUBLIC_URL}
