"""Jobs used by the tests of ``brug.core.jobs`` (importable by a real worker process)."""

import time
from datetime import timedelta
from pathlib import Path

from django.db import transaction

from brug.core import jobs
from brug.core.models import EffectKey


@jobs.job
def write_key(name: str) -> str:
    """Record that the job ran by writing an effect row under ``name``."""
    EffectKey.objects.create(key=name)
    return name


@jobs.job(max_attempts=3, backoff=30, takes_context=True)
def flaky(context, name: str, fail_times: int) -> int:
    """Fail on the first ``fail_times`` attempts, then write ``name``."""
    if context.attempt <= fail_times:
        raise RuntimeError(f"attempt {context.attempt} fails on purpose")
    EffectKey.objects.create(key=name)
    return context.attempt


@jobs.job(max_attempts=2, backoff=5)
def always_fails() -> None:
    raise ValueError("this job always fails")


@jobs.job(max_attempts=3, backoff=1)
def slow_write(name: str, directory: str) -> None:
    """Note the start, wait until the test says go, then note the end once.

    A worker killed while waiting leaves a ``start`` line without a ``done``.
    """
    folder = Path(directory)
    with (folder / "start").open("a") as handle:
        handle.write("start\n")
    deadline = time.monotonic() + 120
    while not (folder / "go").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the test never said go")
        time.sleep(0.05)
    with transaction.atomic():
        EffectKey.objects.create(key=name)
        with (folder / "done").open("a") as handle:
            handle.write("done\n")


@jobs.periodic(every=timedelta(minutes=10), name="tests.tick")
def tick() -> None:
    EffectKey.objects.create(key=f"tick:{time.time_ns()}")
