"""Write realtime events inside the caller's transaction.

(The realtime helper owns this module: wake-ups after commit, pruning, the
poller. Callers only use ``publish``.)
"""

from brug.realtime.models import Event


def publish(*, kind: str, space=None, post=None, recipient=None, payload=None) -> Event:
    """Record an event for the SSE streams; call it inside the write's transaction."""
    return Event.objects.create(
        kind=kind, space=space, post=post, recipient=recipient, payload=payload or {}
    )
