"""Brug's job layer: transactions, idempotency, retries, the reaper, periodic jobs."""

import logging
import signal
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from brug.core import jobs
from brug.core.models import EffectKey, JobKey, WorkerHeartbeat
from brug.core.tests import jobtasks
from brug.core.tests.helpers import BRUG, subprocess_env, wait_for


class Boom(Exception):
    pass


def _ran(name: str) -> int:
    return EffectKey.objects.filter(key=name).count()


# Enqueueing in the caller's transaction --------------------------------------


@pytest.mark.django_db
def test_enqueued_job_runs_when_pending_jobs_are_run():
    jobs.enqueue(jobtasks.write_key, name="ran")
    assert _ran("ran") == 0

    assert jobs.run_pending() == 1

    assert _ran("ran") == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert jobs.run_pending() == 0


@pytest.mark.django_db
def test_job_enqueued_in_a_rolled_back_transaction_never_runs():
    with pytest.raises(Boom), transaction.atomic():
        jobs.enqueue(jobtasks.write_key, key="effect:rolled-back", name="rolled-back")
        assert DBTaskResult.objects.count() == 1
        raise Boom

    assert DBTaskResult.objects.count() == 0
    assert not JobKey.objects.exists()
    assert jobs.run_pending() == 0
    assert _ran("rolled-back") == 0


@pytest.mark.django_db
def test_key_of_a_rolled_back_enqueue_can_be_used_again():
    with pytest.raises(Boom), transaction.atomic():
        jobs.enqueue(jobtasks.write_key, key="effect:again", name="again")
        raise Boom

    assert jobs.enqueue(jobtasks.write_key, key="effect:again", name="again") is not None
    jobs.run_pending()
    assert _ran("again") == 1


@pytest.mark.django_db
def test_second_enqueue_with_the_same_key_is_a_no_op():
    first = jobs.enqueue(jobtasks.write_key, key="notify:post:1", name="once")
    second = jobs.enqueue(jobtasks.write_key, key="notify:post:1", name="once")

    assert first is not None
    assert second is None
    assert DBTaskResult.objects.count() == 1
    assert str(JobKey.objects.get(key="notify:post:1").task_id) == first.id
    jobs.run_pending()
    assert _ran("once") == 1
    # Even after the first run finished, the key still holds.
    assert jobs.enqueue(jobtasks.write_key, key="notify:post:1", name="once") is None


@pytest.mark.django_db
def test_very_long_keys_stay_distinct():
    base = "x" * 300
    assert jobs.enqueue(jobtasks.write_key, key=base + "a", name="long-a") is not None
    assert jobs.enqueue(jobtasks.write_key, key=base + "b", name="long-b") is not None
    assert jobs.enqueue(jobtasks.write_key, key=base + "a", name="long-a") is None


@pytest.mark.django_db
def test_enqueue_refuses_a_plain_function():
    with pytest.raises(TypeError):
        jobs.enqueue(jobtasks.write_key.func, name="nope")


@pytest.mark.django_db
def test_deferred_job_waits_for_its_time():
    jobs.enqueue(jobtasks.write_key, run_after=timedelta(hours=1), name="later")
    assert jobs.run_pending() == 0

    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    assert jobs.run_pending() == 1
    assert _ran("later") == 1


# Effects -----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_effect_is_claimed_only_once():
    assert jobs.claim_effect("mail:notification:7") is True
    assert jobs.claim_effect("mail:notification:7") is False


@pytest.mark.django_db
def test_a_released_effect_can_be_claimed_again():
    assert jobs.claim_effect("mail:digest:1:2026-10")
    assert jobs.release_effect("mail:digest:1:2026-10") is True
    assert jobs.release_effect("mail:digest:1:2026-10") is False
    assert jobs.claim_effect("mail:digest:1:2026-10")


@pytest.mark.django_db
def test_a_failed_effect_releases_its_claim_so_a_retry_carries_it_out():
    sent = []
    with pytest.raises(Boom), jobs.once("mail:notification:8") as first:
        assert first
        raise Boom  # the SMTP server is down

    with jobs.once("mail:notification:8") as first:
        if first:
            sent.append("mail")
    with jobs.once("mail:notification:8") as first:
        if first:
            sent.append("mail")
    assert sent == ["mail"]


# Attempts with back-off -------------------------------------------------------------


@pytest.mark.django_db
def test_failing_job_is_retried_after_a_growing_back_off_until_it_succeeds():
    jobs.enqueue(jobtasks.flaky, name="flaky", fail_times=2)

    before = timezone.now()
    assert jobs.run_pending(raise_errors=False) == 1
    row = DBTaskResult.objects.get()
    assert row.status == TaskResultStatus.READY
    assert len(row.worker_ids) == 1
    assert before + timedelta(seconds=30) <= row.run_after <= timezone.now() + timedelta(seconds=30)
    assert "attempt 1 fails on purpose" in row.traceback
    # Not yet due: nothing runs.
    assert jobs.run_pending(raise_errors=False) == 0

    DBTaskResult.objects.update(run_after=timezone.now())
    before = timezone.now()
    jobs.run_pending(raise_errors=False)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert before + timedelta(seconds=60) <= row.run_after <= timezone.now() + timedelta(seconds=60)

    DBTaskResult.objects.update(run_after=timezone.now())
    jobs.run_pending(raise_errors=False)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 3
    assert len(row.worker_ids) == 3
    assert _ran("flaky") == 1


@pytest.mark.django_db
def test_job_that_keeps_failing_is_left_failed_after_its_last_attempt_and_logged(caplog):
    jobs.enqueue(jobtasks.always_fails)
    jobs.run_pending(raise_errors=False)
    DBTaskResult.objects.update(run_after=timezone.now())

    with caplog.at_level(logging.ERROR, logger="brug.jobs"):
        jobs.run_pending(raise_errors=False)

    row = DBTaskResult.objects.get()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.ValueError"
    assert len(row.worker_ids) == 2
    assert "failed on its last attempt (2 of 2)" in caplog.text
    assert jobs.run_pending() == 0


@pytest.mark.django_db
def test_run_pending_raises_a_failure_to_the_caller_by_default():
    jobs.enqueue(jobtasks.always_fails)
    with pytest.raises(ValueError, match="always fails"):
        jobs.run_pending()
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY


def test_back_off_doubles_and_is_capped():
    policy = jobs.Policy(max_attempts=20, backoff=10)
    assert [policy.delay(n).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]
    assert policy.delay(19).total_seconds() == jobs.MAX_BACKOFF_SECONDS
    assert jobs.Policy(backoff=lambda n: n * 7).delay(3).total_seconds() == 21


# The reaper --------------------------------------------------------------------------


def _running(worker_id: str, *, attempts: int = 1, started: timedelta = timedelta(minutes=5)):
    result = jobs.enqueue(jobtasks.write_key, name=f"reaped-{worker_id}")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - started,
        worker_ids=[f"{worker_id}-{n}" for n in range(attempts - 1)] + [worker_id],
    )
    return result.id


@pytest.mark.django_db
def test_reaper_requeues_the_task_of_a_worker_that_stopped_beating():
    dead = _running("dead-worker")
    WorkerHeartbeat.objects.create(
        worker_id="dead-worker", seen_at=timezone.now() - timedelta(minutes=4)
    )

    assert jobs.reap(stale_after=60) == 1

    row = DBTaskResult.objects.get(pk=dead)
    assert row.status == TaskResultStatus.READY
    assert row.exception_class_path == "brug.core.jobs.WorkerLost"
    jobs.run_pending()
    assert _ran("reaped-dead-worker") == 1


@pytest.mark.django_db
def test_reaper_leaves_a_slow_task_of_a_live_worker_alone():
    slow = _running("live-worker")
    jobs.beat("live-worker")

    assert jobs.reap(stale_after=60) == 0
    assert DBTaskResult.objects.get(pk=slow).status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_reaper_leaves_a_task_that_just_started_alone():
    fresh = _running("no-heartbeat-yet", started=timedelta(seconds=5))
    assert jobs.reap(stale_after=60) == 0
    assert DBTaskResult.objects.get(pk=fresh).status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_reaper_fails_a_task_whose_last_attempt_was_lost(caplog):
    # write_key has the default policy of five attempts.
    lost = _running("gone", attempts=jobs.DEFAULT_MAX_ATTEMPTS)
    with caplog.at_level(logging.ERROR, logger="brug.jobs"):
        assert jobs.reap(stale_after=60) == 1
    assert DBTaskResult.objects.get(pk=lost).status == TaskResultStatus.FAILED
    assert "stopped during its last attempt" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_task_of_a_killed_worker_runs_to_completion_exactly_once(tmp_path):
    result = jobs.enqueue(
        jobtasks.slow_write, key="probe:killed", name="probe:killed", directory=str(tmp_path)
    )
    env = subprocess_env(
        BRUG_JOB_HEARTBEAT_SECONDS="0.3", BRUG_JOB_STALE_SECONDS="2", BRUG_JOB_POLL_SECONDS="0.2"
    )
    log = (tmp_path / "worker.log").open("w")
    command = [BRUG, "worker", "--no-schedule"]
    first = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: (tmp_path / "start").exists(), what="the first worker to start the task")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.RUNNING  # left behind by the dead worker
    assert not (tmp_path / "done").exists()

    (tmp_path / "go").touch()
    second = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(
            lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL,
            what="the second worker to finish the reaped task",
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
        log.close()

    assert (tmp_path / "start").read_text() == "start\nstart\n"
    assert (tmp_path / "done").read_text() == "done\n"
    assert _ran("probe:killed") == 1
    row = DBTaskResult.objects.get(pk=result.id)
    assert len(row.worker_ids) == 2
    assert row.worker_ids[0] != row.worker_ids[1]
    assert second.returncode == 0
    # The stopped worker said goodbye; the killed one did not.
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == [row.worker_ids[0]]


# Periodic jobs -----------------------------------------------------------------------


@pytest.mark.django_db
def test_periodic_job_runs_once_per_period_however_many_schedulers_run():
    assert "tests.tick" in jobs.periodic_jobs()
    period_start = timezone.now().replace(minute=0, second=0, microsecond=0)
    first, second = jobs.Scheduler(), jobs.Scheduler()

    assert "tests.tick" in first.tick(now=period_start + timedelta(seconds=1))
    assert "tests.tick" not in second.tick(now=period_start + timedelta(seconds=2))
    assert "tests.tick" not in first.tick(now=period_start + timedelta(minutes=9))
    assert _ticks() == 1

    assert "tests.tick" in second.tick(now=period_start + timedelta(minutes=10, seconds=1))
    assert "tests.tick" not in first.tick(now=period_start + timedelta(minutes=10, seconds=2))
    assert _ticks() == 2

    jobs.run_pending()
    assert EffectKey.objects.filter(key__startswith="tick:").count() == 2


def _ticks() -> int:
    return DBTaskResult.objects.filter(task_path="brug.core.tests.jobtasks.tick").count()


@pytest.mark.django_db
def test_periodic_keys_expire_after_their_period():
    now = timezone.now()
    jobs.Scheduler().tick(now=now)
    key = JobKey.objects.get(key__startswith="periodic:tests.tick:")
    assert now < key.expires_at <= now + timedelta(minutes=10, days=1)


@pytest.mark.django_db
def test_a_job_without_catch_up_waits_for_the_next_period_when_started_late():
    late = jobs.PeriodicJob(
        name="tests.late",
        task=jobs.periodic_jobs()["tests.tick"].task,
        every=timedelta(days=7),
        offset=timedelta(days=4, hours=6),
        catch_up=False,
    )
    monday = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    jobs._periodic["tests.late"] = late
    try:
        scheduler = jobs.Scheduler()
        assert "tests.late" not in scheduler.tick(now=monday - timedelta(days=3))  # Friday
        assert "tests.late" in scheduler.tick(now=monday + timedelta(minutes=1))
        fresh = jobs.Scheduler()
        assert "tests.late" not in fresh.tick(now=monday + timedelta(days=1))  # already sent
    finally:
        del jobs._periodic["tests.late"]


def test_the_weekly_digest_goes_out_on_monday_morning_only():
    jobs.autodiscover()
    digest = jobs.periodic_jobs()["notifications.weekly-digest"]
    start = digest.period_end(digest.period(datetime(2026, 11, 27, 12, tzinfo=UTC)))
    assert start == datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    assert digest.catch_up is False


def test_housekeeping_jobs_are_scheduled():
    jobs.autodiscover()
    assert {"core.prune_login_logs", "core.prune_jobs"} <= set(jobs.periodic_jobs())


def test_offset_moves_the_start_of_each_period():
    weekly = jobs.PeriodicJob(
        name="weekly",
        task=jobtasks.tick,
        every=timedelta(days=7),
        offset=timedelta(days=4, hours=6),
    )
    monday_morning = datetime(2026, 3, 2, 6, 0, 1, tzinfo=UTC)
    assert monday_morning.weekday() == 0
    before = weekly.period(monday_morning - timedelta(seconds=2))
    assert weekly.period(monday_morning) == before + 1
    assert weekly.period_end(before) == monday_morning - timedelta(seconds=1)
