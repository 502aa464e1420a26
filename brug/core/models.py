"""Bookkeeping tables of Brug's job layer (``brug.core.jobs``).

The queue itself is ``django_tasks_db.DBTaskResult``; these tables add what
the library lacks: idempotency keys for enqueueing, claimed effect keys (so a
retried job does not send an e-mail twice) and worker heartbeats (so the
reaper can tell a dead worker's task from a slow one).
"""

from django.db import models
from django.utils import timezone


class JobKey(models.Model):
    """One enqueue per key: a second ``enqueue(..., key=k)`` is a no-op.

    Written in the same transaction as the task row, so a rolled-back write
    leaves neither. ``expires_at`` is set for keys that only need to live a
    while (a periodic job's period); other keys are kept.
    """

    key = models.CharField(max_length=255, unique=True)
    task_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "job key"

    def __str__(self) -> str:
        return self.key


class EffectKey(models.Model):
    """An effect (an e-mail, a notification) that a job has already carried out."""

    key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "effect key"

    def __str__(self) -> str:
        return self.key


class WorkerHeartbeat(models.Model):
    """A running ``brug worker`` (or ``brug run``) announces itself every few seconds."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.IntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "worker heartbeat"

    def __str__(self) -> str:
        return self.worker_id
