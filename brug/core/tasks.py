"""Housekeeping jobs, run by the scheduler of ``brug run`` / ``brug worker``.

Each prunes in batches so that a large backlog (the first run after months)
never holds the database's write lock for long. (Realtime events are pruned by
``brug.realtime.tasks``, which owns that table.)

The view buffer of ``brug.analytics.recording`` is *not* flushed here: views
are counted in the memory of each web process, so a job in the worker process
would find nothing to flush. ``brug.core.background`` flushes them from a
small thread inside every web process instead.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from brug.core.jobs import periodic

BATCH = 1000


def delete_in_batches(queryset, *, batch: int = BATCH) -> int:
    """Delete the rows of ``queryset`` a batch per transaction; return how many."""
    total = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.values_list("pk", flat=True)[:batch])
            if not ids:
                return total
            queryset.model.objects.filter(pk__in=ids).delete()
        total += len(ids)


@periodic(every=timedelta(hours=1), name="core.prune_login_logs", max_attempts=2)
def prune_login_logs() -> int:
    """Delete django-axes logs (they hold IP addresses) after ``AXES_LOG_RETENTION_DAYS``."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = timezone.now() - timedelta(days=settings.AXES_LOG_RETENTION_DAYS)
    return sum(
        delete_in_batches(model.objects.filter(attempt_time__lt=cutoff).order_by("pk"))
        for model in (AccessLog, AccessFailureLog, AccessAttempt)
    )


@periodic(every=timedelta(hours=1), name="core.prune_jobs", max_attempts=2)
def prune_jobs() -> int:
    """Delete finished task rows after ``BRUG_JOB_RESULT_DAYS`` (failed ones after four
    times as long, to leave time to look at them), expired job keys, effect keys
    older than 90 days and heartbeats of workers gone for a day."""
    from django.tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from brug.core.models import EffectKey, JobKey, WorkerHeartbeat

    now = timezone.now()
    days = settings.BRUG_JOB_RESULT_DAYS
    done = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - timedelta(days=days)
    )
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=now - timedelta(days=4 * days)
    )
    total = delete_in_batches(done.order_by("pk")) + delete_in_batches(failed.order_by("pk"))
    total += delete_in_batches(JobKey.objects.filter(expires_at__lt=now).order_by("pk"))
    total += delete_in_batches(
        EffectKey.objects.filter(created_at__lt=now - timedelta(days=90)).order_by("pk")
    )
    total += delete_in_batches(
        WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).order_by("pk")
    )
    return total
