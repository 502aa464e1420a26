"""Housekeeping jobs prune what is old and keep what is recent."""

from datetime import timedelta

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from brug.core import jobs, tasks
from brug.core.models import EffectKey, JobKey, WorkerHeartbeat
from brug.core.tests import jobtasks

pytestmark = pytest.mark.django_db


def _finished(status, days_ago):
    result = jobs.enqueue(jobtasks.write_key, name=f"{status}-{days_ago}")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=status, finished_at=timezone.now() - timedelta(days=days_ago)
    )
    return result.id


def test_prune_jobs_deletes_old_finished_tasks_and_keeps_recent_and_waiting_ones(settings):
    settings.BRUG_JOB_RESULT_DAYS = 7
    old_done = _finished(TaskResultStatus.SUCCESSFUL, 8)
    recent_done = _finished(TaskResultStatus.SUCCESSFUL, 6)
    failed_a_while_ago = _finished(TaskResultStatus.FAILED, 8)  # kept 4 x as long
    old_failed = _finished(TaskResultStatus.FAILED, 29)
    waiting = jobs.enqueue(jobtasks.write_key, name="waiting").id

    tasks.prune_jobs.call()

    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {
        *map(_uuid, (recent_done, failed_a_while_ago, waiting))
    }
    assert old_done and old_failed


def _uuid(value):
    import uuid

    return uuid.UUID(str(value))


def test_prune_jobs_deletes_expired_keys_old_effects_and_gone_workers():
    now = timezone.now()
    JobKey.objects.create(key="periodic:x:1", expires_at=now - timedelta(seconds=1))
    JobKey.objects.create(key="periodic:x:2", expires_at=now + timedelta(days=1))
    JobKey.objects.create(key="notify:post:1")  # never expires
    EffectKey.objects.create(key="old", created_at=now - timedelta(days=91))
    EffectKey.objects.create(key="recent", created_at=now - timedelta(days=1))
    WorkerHeartbeat.objects.create(worker_id="gone", seen_at=now - timedelta(days=2))
    WorkerHeartbeat.objects.create(worker_id="here", seen_at=now)

    tasks.prune_jobs.call()

    assert set(JobKey.objects.values_list("key", flat=True)) == {"periodic:x:2", "notify:post:1"}
    assert set(EffectKey.objects.values_list("key", flat=True)) == {"recent"}
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {"here"}


def test_prune_login_logs_forgets_addresses_after_the_retention_period(settings):
    settings.AXES_LOG_RETENTION_DAYS = 30
    for model in (AccessLog, AccessFailureLog):
        old = model.objects.create(username="a@example.org", ip_address="10.0.0.1", user_agent="x")
        recent = model.objects.create(
            username="b@example.org", ip_address="10.0.0.2", user_agent="x"
        )
        # attempt_time is auto_now_add: age the old row afterwards.
        model.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=31))

    tasks.prune_login_logs.call()

    for model in (AccessLog, AccessFailureLog):
        assert list(model.objects.values_list("username", flat=True)) == ["b@example.org"]
    assert recent


def test_delete_in_batches_deletes_everything_across_several_batches():
    for n in range(7):
        EffectKey.objects.create(key=f"batch-{n}")
    EffectKey.objects.create(key="other")
    assert tasks.delete_in_batches(EffectKey.objects.filter(key__startswith="batch-"), batch=3) == 7
    assert list(EffectKey.objects.values_list("key", flat=True)) == ["other"]
