"""Pruning the event table: events are kept a day, long enough for ``Last-Event-ID`` replays."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from brug.core.jobs import periodic
from brug.realtime.models import Event

PRUNE_BATCH = 5000


def prune_events(*, now=None, batch: int = PRUNE_BATCH) -> int:
    """Delete events older than ``BRUG_EVENT_RETENTION_HOURS``; return how many.

    Deletes in batches, each its own short transaction, so a large backlog
    never holds SQLite's write lock for long.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.BRUG_EVENT_RETENTION_HOURS)
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                Event.objects.filter(created_at__lt=cutoff)
                .order_by("id")
                .values_list("id", flat=True)[:batch]
            )
            if not ids:
                return total
            total += Event.objects.filter(id__in=ids).delete()[0]


@periodic(every=timedelta(hours=1), name="realtime.prune-events")
def prune_old_events() -> int:
    """Hourly: drop realtime events older than the retention period."""
    return prune_events()
