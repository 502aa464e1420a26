"""``unread_notifications`` for the navigation badge, counted only when a template uses it."""

from django.utils.functional import SimpleLazyObject


def unread_notifications(request):
    """Expose the viewer's unread count (one query, and only if the page shows it)."""
    viewer = getattr(request, "viewer", None)
    if viewer is None or not viewer.is_authenticated:
        return {"unread_notifications": 0}

    def count() -> int:
        from brug.notifications.queries import count_unread

        return count_unread(viewer=viewer)

    return {"unread_notifications": SimpleLazyObject(count)}
