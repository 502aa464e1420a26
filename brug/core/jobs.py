"""Brug's job layer on top of ``django.tasks`` and ``django-tasks-db``.

The queue is a database table (``django_tasks_db.DBTaskResult``), so a task
enqueued inside a write's transaction commits or rolls back with the write.
The library runs tasks; Brug adds what it lacks:

* **Attempts with back-off.** A job declared with ``@job(max_attempts=5,
  backoff=10)`` that raises is put back in the queue with ``run_after = now +
  backoff * 2 ** (attempt - 1)`` (capped at an hour), until ``max_attempts``
  runs have failed; then it is left FAILED and logged at ERROR. Tasks declared
  with plain ``@django.tasks.task`` get the default policy (5 attempts, 10 s).
  The attempt count is ``len(worker_ids)`` of the task row (one entry per
  claim), so ``TaskContext.attempt`` tells a job which attempt it is on.
* **Idempotency.** ``enqueue(task, key="notify:post:12", ...)`` stores the key
  in a unique table row in the same transaction: a second enqueue with the
  same key is a no-op (returns ``None``). Inside a job, ``once(key)`` /
  ``claim_effect(key)`` make one effect happen once even when the job is
  retried::

      with jobs.once(f"mail:notification:{notification.pk}") as first:
          if first:
              send_mail(...)   # raises -> the claim rolls back, a retry sends

  (An effect outside the database, like SMTP, is at-least-once: a process
  killed between the send and the commit sends again on the retry.)
* **A reaper.** Every worker writes a heartbeat row every
  ``BRUG_JOB_HEARTBEAT_SECONDS``. A task still RUNNING whose worker has not
  been heard of for ``BRUG_JOB_STALE_SECONDS`` (the worker was killed) is put
  back to READY, or FAILED once it has used its attempts. A slow task of a
  live worker is never taken away from it.
* **Periodic jobs.** ``@periodic(every=timedelta(hours=1))`` registers a job
  that the scheduler (run by ``brug run`` and ``brug worker``) enqueues once
  per period, under the key ``periodic:<name>:<period number>``: however many
  schedulers run, one wins each period. Periods are aligned to the Unix epoch
  plus an ``offset`` (a daily job without one runs just after midnight UTC). Modules named ``tasks`` of every
  installed app are imported by the scheduler, so declare periodic jobs there.
* **Running jobs inline.** ``run_pending()`` runs every ready task in the
  current process until the queue is empty. Tests use it to run the side
  effects of an action (``create_post(...); jobs.run_pending()``) and
  ``brug demo`` uses it to run the demo's side effects without a worker.

A job does not get a transaction of its own: it opens ``transaction.atomic()``
around the writes that belong together (holding one open for a whole job would
hold SQLite's write lock for as long).

Do not run django-tasks-db's own ``db_worker`` command next to ``brug worker``:
it writes no heartbeat, so the reaper would take its tasks away.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from traceback import format_exception
from typing import Any

from django.conf import settings
from django.db import (
    DatabaseError,
    IntegrityError,
    close_old_connections,
    connection,
    connections,
    transaction,
)
from django.tasks import Task, TaskContext
from django.tasks import task as django_task
from django.tasks.base import TaskResultStatus
from django.tasks.signals import task_finished, task_started
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import autodiscover_modules, import_string

logger = logging.getLogger("brug.jobs")

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BACKOFF_SECONDS = 10.0
MAX_BACKOFF_SECONDS = 3600.0
KEY_LENGTH = 255

__all__ = [
    "Policy",
    "Scheduler",
    "Worker",
    "claim_effect",
    "enqueue",
    "job",
    "once",
    "periodic",
    "reap",
    "release_effect",
    "run_pending",
]


class WorkerLost(Exception):  # noqa: N818 - recorded as the failure's class path
    """The worker running a task stopped without finishing it (killed, crashed)."""


# Attempts and back-off -------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """How often a job is tried and how long to wait between attempts."""

    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    backoff: float | Callable[[int], float] = DEFAULT_BACKOFF_SECONDS

    def delay(self, attempt: int) -> timedelta:
        """Return the wait after failed attempt number ``attempt`` (1-based)."""
        if callable(self.backoff):
            seconds = float(self.backoff(attempt))
        else:
            seconds = float(self.backoff) * 2 ** max(attempt - 1, 0)
        return timedelta(seconds=min(seconds, MAX_BACKOFF_SECONDS))


DEFAULT_POLICY = Policy()
_policies: dict[str, Policy] = {}


def job(
    function: Callable | None = None,
    *,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    backoff: float | Callable[[int], float] = DEFAULT_BACKOFF_SECONDS,
    **task_options: Any,
):
    """Declare a job: a ``django.tasks`` task with an attempt policy.

    ``backoff`` is either a number of seconds (doubled after each failed
    attempt) or a function of the attempt number returning seconds.
    ``task_options`` go to ``django.tasks.task`` (``priority``,
    ``queue_name``, ``takes_context``).
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")

    def wrap(func: Callable) -> Task:
        task = django_task(**task_options)(func)
        _policies[task.module_path] = Policy(max_attempts=max_attempts, backoff=backoff)
        return task

    return wrap(function) if function is not None else wrap


def policy_for(task_or_path: Task | str) -> Policy:
    """Return the attempt policy of a task (importing its module if needed)."""
    path = task_or_path if isinstance(task_or_path, str) else task_or_path.module_path
    if path not in _policies:
        with contextlib.suppress(ImportError):
            import_string(path)  # declaring the job registers its policy
    return _policies.get(path, DEFAULT_POLICY)


# Enqueueing and idempotency --------------------------------------------------


def _normal_key(key: str) -> str:
    """Keep keys within the column; long ones end in a digest so they stay unique."""
    if len(key) <= KEY_LENGTH:
        return key
    return f"{key[:180]}#{hashlib.sha256(key.encode()).hexdigest()}"


def enqueue(
    task: Task,
    *,
    key: str | None = None,
    run_after: datetime | timedelta | None = None,
    **kwargs: Any,
):
    """Enqueue ``task`` with keyword arguments inside the current transaction.

    Call it inside the write's ``transaction.atomic()``: the task row commits
    or rolls back with the write. With ``key``, a second enqueue with the same
    key (ever, in any process) is a no-op and returns ``None``; otherwise the
    ``TaskResult`` is returned. ``run_after`` (a datetime, or a delay) defers
    the task.
    """
    return _enqueue(task, key=key, run_after=run_after, expires_at=None, kwargs=kwargs)


def _enqueue(task, *, key, run_after, expires_at, kwargs):
    if not isinstance(task, Task):
        raise TypeError(f"{task!r} is not a task: declare it with @brug.core.jobs.job")
    if isinstance(run_after, timedelta):
        run_after = timezone.now() + run_after
    if run_after is not None:
        task = task.using(run_after=run_after)
    from brug.core.models import JobKey

    # Inside the caller's transaction no extra savepoint is needed around a
    # plain enqueue; outside one, the task and its key still commit together.
    outer = contextlib.nullcontext() if connection.in_atomic_block else transaction.atomic()
    with outer:
        if key is None:
            return task.enqueue(**kwargs)
        key = _normal_key(key)
        try:
            # Task first, then its key, in one savepoint: a used key rolls
            # both back (3-4 queries instead of 7 on a hot write path).
            with transaction.atomic():
                result = task.enqueue(**kwargs)
                JobKey.objects.create(key=key, expires_at=expires_at, task_id=result.id)
        except IntegrityError:
            logger.debug("job key %s already used: not enqueued again", key)
            return None
    return result


def claim_effect(key: str) -> bool:
    """Claim an effect for the caller; ``False`` when it was claimed before.

    The claim is a row in the current transaction: put it in the same
    ``transaction.atomic()`` as the effect (or use ``once``), so a failure
    rolls the claim back and the retry carries the effect out.
    """
    from brug.core.models import EffectKey

    try:
        with transaction.atomic():
            EffectKey.objects.create(key=_normal_key(key))
    except IntegrityError:
        return False
    return True


def release_effect(key: str) -> bool:
    """Forget a claimed effect (it failed outside the database); return whether it was claimed."""
    from brug.core.models import EffectKey

    deleted, _ = EffectKey.objects.filter(key=_normal_key(key)).delete()
    return bool(deleted)


@contextmanager
def once(key: str) -> Iterator[bool]:
    """Open a transaction and claim an effect in it; yield whether to carry it out."""
    with transaction.atomic():
        yield claim_effect(key)


# Running tasks -----------------------------------------------------------------


def _task_model():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult


def _date_max() -> datetime:
    from django_tasks_db.models import get_date_max

    return get_date_max()


def _ready_tasks(queues: list[str] | None):
    qs = _task_model().objects.ready()
    if queues:
        qs = qs.filter(queue_name__in=queues)
    return qs


def _claim_next(worker_id: str, queues: list[str] | None):
    """Take the next ready task for this worker, or ``None``."""
    from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

    tasks = _ready_tasks(queues)
    # A plain read first: an idle worker must not take SQLite's write lock
    # every poll.
    if not tasks.exists():
        return None
    try:
        with exclusive_transaction(tasks.db):
            row = tasks.get_locked()
            if row is not None:
                row.claim(worker_id)
            return row
    except DatabaseError as exc:
        if is_locked_database_exception(exc):
            return None
        raise


def _put_back(row, *, run_after: datetime | None, exc: BaseException | None) -> None:
    """Return a claimed task to the queue (a retry, or an interrupted run)."""
    fields = {"status": TaskResultStatus.READY, "run_after": run_after or _date_max()}
    if exc is not None:
        fields["exception_class_path"] = f"{type(exc).__module__}.{type(exc).__qualname__}"
        fields["traceback"] = "".join(format_exception(exc))
    _task_model().objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(**fields)


def _run_claimed(row, *, raise_errors: bool = False) -> bool:
    """Run one claimed task; return whether it succeeded.

    A failure is retried after the back-off until the job's attempts are
    used up. ``KeyboardInterrupt``/``SystemExit`` put the task back at once
    (the worker is being stopped) and propagate.
    """
    try:
        task = row.task
        task_result = row.task_result
    except (ImportError, AttributeError, Exception) as exc:  # noqa: BLE001
        logger.error("job %s (%s) cannot be loaded: %s", row.pk, row.task_path, exc)
        row.set_failed(exc)
        return False
    sender = type(task.get_backend())
    task_started.send(sender=sender, task_result=task_result)
    try:
        if task.takes_context:
            value = task.call(
                TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
            )
        else:
            value = task.call(*task_result.args, **task_result.kwargs)
        row.set_successful(value)
    except (KeyboardInterrupt, SystemExit):
        _put_back(row, run_after=None, exc=None)
        raise
    except Exception as exc:
        attempt = len(row.worker_ids)
        policy = policy_for(row.task_path)
        if attempt < policy.max_attempts:
            delay = policy.delay(attempt)
            _put_back(row, run_after=timezone.now() + delay, exc=exc)
            logger.warning(
                "job %s (%s) failed on attempt %d of %d, retrying in %ds: %r",
                row.pk,
                row.task_path,
                attempt,
                policy.max_attempts,
                delay.total_seconds(),
                exc,
            )
        else:
            row.set_failed(exc)
            logger.error(
                "job %s (%s) failed on its last attempt (%d of %d); left failed",
                row.pk,
                row.task_path,
                attempt,
                policy.max_attempts,
                exc_info=exc,
            )
            task_finished.send(sender=sender, task_result=row.task_result)
        if raise_errors:
            raise
        return False
    task_finished.send(sender=sender, task_result=row.task_result)
    return True


def run_pending(
    *, queues: list[str] | None = None, max_tasks: int = 10_000, raise_errors: bool = True
) -> int:
    """Run every ready task in this process until none is left; return how many ran.

    Tests call it after an action to carry out its side effects; ``brug
    demo`` calls it to run the demo's side effects without a worker. Tasks
    deferred into the future (``run_after``, a retry's back-off) are not
    ready and are left alone. With ``raise_errors`` (the default) a failing
    task is recorded as the worker would record it and then its exception is
    raised to the caller; without, failures are only logged.
    """
    worker_id = f"inline-{socket.gethostname()[:30]}-{os.getpid()}"
    beat(worker_id)
    count = 0
    while count < max_tasks:
        row = _claim_next(worker_id, queues)
        if row is None:
            break
        count += 1
        _run_claimed(row, raise_errors=raise_errors)
    return count


# Heartbeats and the reaper -----------------------------------------------------


def beat(worker_id: str, *, now: datetime | None = None) -> None:
    """Record that ``worker_id`` is alive."""
    from brug.core.models import WorkerHeartbeat

    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        try:
            with transaction.atomic():
                WorkerHeartbeat.objects.create(
                    worker_id=worker_id,
                    hostname=socket.gethostname()[:255],
                    pid=os.getpid(),
                    started_at=now,
                    seen_at=now,
                )
        except IntegrityError:
            WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)


def reap(*, now: datetime | None = None, stale_after: float | None = None) -> int:
    """Put back tasks left RUNNING by a worker that stopped; return how many.

    A task is taken back when it started more than ``stale_after`` seconds
    ago and its worker's last heartbeat is older than that. It becomes READY
    (run again at once) or, when it has used all its attempts, FAILED.
    """
    from brug.core.models import WorkerHeartbeat

    now = now or timezone.now()
    stale = timedelta(
        seconds=stale_after if stale_after is not None else settings.BRUG_JOB_STALE_SECONDS
    )
    model = _task_model()
    suspects = list(
        model.objects.running()
        .filter(started_at__lt=now - stale)
        .only("id", "worker_ids", "started_at", "task_path")
    )
    if not suspects:
        return 0
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - stale).values_list("worker_id", flat=True)
    )
    reaped = 0
    for row in suspects:
        owner = row.worker_ids[-1] if row.worker_ids else None
        if owner in alive:
            continue
        policy = policy_for(row.task_path)
        attempt = len(row.worker_ids)
        # The conditions on status and started_at make this safe against a
        # second reaper or a worker that finished meanwhile.
        same_run = model.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if attempt >= policy.max_attempts:
            done = same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{__name__}.WorkerLost",
                traceback=f"WorkerLost: worker {owner} stopped during attempt {attempt}\n",
            )
            if done:
                logger.error(
                    "job %s (%s): worker %s stopped during its last attempt (%d); left failed",
                    row.pk,
                    row.task_path,
                    owner,
                    attempt,
                )
        else:
            done = same_run.update(
                status=TaskResultStatus.READY,
                run_after=_date_max(),
                exception_class_path=f"{__name__}.WorkerLost",
                traceback=f"WorkerLost: worker {owner} stopped during attempt {attempt}\n",
            )
            if done:
                logger.warning(
                    "job %s (%s): worker %s stopped during attempt %d; queued again",
                    row.pk,
                    row.task_path,
                    owner,
                    attempt,
                )
        reaped += done
    return reaped


# Periodic jobs -------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Task
    every: timedelta
    offset: timedelta = timedelta(0)
    catch_up: bool = True

    def period(self, now: datetime) -> int:
        """Return the number of the period ``now`` falls in."""
        return int((now.timestamp() - self.offset.total_seconds()) // self.every.total_seconds())

    def period_end(self, period: int) -> datetime:
        seconds = (period + 1) * self.every.total_seconds() + self.offset.total_seconds()
        return datetime.fromtimestamp(seconds, tz=UTC)


_periodic: dict[str, PeriodicJob] = {}
CATCH_UP_GRACE = timedelta(hours=1)


def periodic(
    *,
    every: timedelta,
    name: str | None = None,
    offset: timedelta = timedelta(0),
    catch_up: bool = True,
    **job_options: Any,
):
    """Run a job once every ``every`` (decorate a function, or a declared task).

    The scheduler of ``brug run`` / ``brug worker`` enqueues it once per
    period however many schedulers run. Periods are counted from the Unix
    epoch (Thursday 1 January 1970, 00:00 UTC) plus ``offset``: a daily job
    with ``offset=timedelta(hours=5)`` runs just after 05:00 UTC, a weekly
    one with ``offset=timedelta(days=4, hours=6)`` on Monday after 06:00 UTC.
    ``name`` defaults to the task's dotted path; ``job_options`` go to
    ``job`` when a plain function is decorated. With ``catch_up=False`` a
    period is skipped when no scheduler ran within ``CATCH_UP_GRACE`` of its
    start: a weekly digest goes out on Monday morning, not whenever a new
    installation happens to start mid-week.
    """
    if every.total_seconds() < 1:
        raise ValueError("a periodic job runs at most once a second")

    def wrap(obj: Callable | Task) -> Task:
        task = obj if isinstance(obj, Task) else job(**job_options)(obj)
        job_name = name or task.module_path
        _periodic[job_name] = PeriodicJob(
            name=job_name, task=task, every=every, offset=offset, catch_up=catch_up
        )
        return task

    return wrap


def periodic_jobs() -> dict[str, PeriodicJob]:
    """Return the registered periodic jobs by name."""
    return dict(_periodic)


def autodiscover() -> None:
    """Import the ``tasks`` module of every installed app (registers periodic jobs)."""
    autodiscover_modules("tasks")


class Scheduler:
    """Enqueue each periodic job once per period (one key per job and period)."""

    def __init__(self) -> None:
        self._done: dict[str, int] = {}

    def tick(self, *, now: datetime | None = None) -> list[str]:
        """Enqueue the periodic jobs whose period began; return the names this call enqueued."""
        now = now or timezone.now()
        enqueued = []
        for item in list(_periodic.values()):
            period = item.period(now)
            if self._done.get(item.name) == period:
                continue
            period_end = item.period_end(period)
            if not item.catch_up and now - (period_end - item.every) > CATCH_UP_GRACE:
                self._done[item.name] = period  # started too late in this period
                continue
            try:
                result = _enqueue(
                    item.task,
                    key=f"periodic:{item.name}:{period}",
                    run_after=None,
                    expires_at=period_end + timedelta(days=1),
                    kwargs={},
                )
            except DatabaseError as exc:
                logger.warning("scheduler could not enqueue %s: %s", item.name, exc)
                continue
            self._done[item.name] = period
            if result is not None:
                enqueued.append(item.name)
        return enqueued


# The worker ------------------------------------------------------------------------


def new_worker_id() -> str:
    host = socket.gethostname().split(".")[0][:30]
    return f"{host}-{os.getpid()}-{get_random_string(8)}"[:64]


class _Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, every: float) -> None:
        super().__init__(name="brug-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                try:
                    beat(self.worker_id)
                except DatabaseError as exc:
                    logger.warning("heartbeat failed: %s", exc)
                    connection.close()
        finally:
            connection.close()


class Worker:
    """Run tasks from the queue, plus the scheduler and the reaper.

    The first SIGINT/SIGTERM lets the running task finish and then stops; a
    second one interrupts the task, which is put back in the queue.
    """

    def __init__(
        self,
        *,
        queues: list[str] | None = None,
        interval: float | None = None,
        schedule: bool = True,
        worker_id: str | None = None,
        batch: bool = False,
    ) -> None:
        self.queues = queues
        self.interval = interval if interval is not None else settings.BRUG_JOB_POLL_SECONDS
        self.schedule = schedule
        self.batch = batch
        self.worker_id = worker_id or new_worker_id()
        self.scheduler = Scheduler()
        self.running = True
        self.busy = False
        self._wake = threading.Event()
        self._next_maintenance = 0.0

    def stop(self, signum: int | None = None, frame: Any = None) -> None:
        if not self.running and self.busy:
            logger.warning("second stop signal: interrupting the running task")
            raise SystemExit(1)
        if signum is not None:
            logger.info("worker %s stopping (%s)", self.worker_id, signal.strsignal(signum))
        self.running = False
        self._wake.set()

    def install_signals(self) -> None:
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)

    def maintain(self) -> None:
        """Run the scheduler and the reaper (at most every second)."""
        import time

        now = time.monotonic()
        if now < self._next_maintenance:
            return
        self._next_maintenance = now + max(1.0, min(self.interval, 5.0))
        if self.schedule:
            self.scheduler.tick()
        reap()

    def run(self) -> None:
        # A worker polls every second: keep its database connection (checked
        # before reuse) instead of reconnecting each poll, as requests do; with
        # a pool (PostgreSQL) the pool keeps it.
        for conn in connections.all(initialized_only=False):
            if conn.settings_dict.get("OPTIONS", {}).get("pool"):
                continue
            if not conn.settings_dict.get("CONN_MAX_AGE"):
                conn.settings_dict["CONN_MAX_AGE"] = 600
                conn.settings_dict["CONN_HEALTH_CHECKS"] = True
        if self.schedule:
            autodiscover()
        beat(self.worker_id)
        heartbeat = _Heartbeat(self.worker_id, settings.BRUG_JOB_HEARTBEAT_SECONDS)
        heartbeat.start()
        logger.info("worker %s started (pid %s)", self.worker_id, os.getpid())
        try:
            while self.running:
                try:
                    close_old_connections()
                    self.maintain()
                    row = _claim_next(self.worker_id, self.queues)
                except DatabaseError as exc:
                    logger.warning("worker cannot reach the database: %s", exc)
                    connection.close()
                    self._wake.wait(max(self.interval, 1.0))
                    continue
                if row is not None:
                    self.busy = True
                    try:
                        _run_claimed(row)
                    finally:
                        self.busy = False
                    continue
                if self.batch:
                    break
                self._wake.wait(self.interval)
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
            try:
                from brug.core.models import WorkerHeartbeat

                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
            except DatabaseError:
                pass
            logger.info("worker %s stopped", self.worker_id)
