"""Fault tests: a worker killed in the middle of a notification job."""

from __future__ import annotations

import signal
import subprocess

import pytest
from django.tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from brug.core.models import EffectKey
from brug.core.tests.helpers import BRUG, subprocess_env, wait_for
from brug.notifications.models import Notification
from brug.realtime.models import Event

from .conftest import make_post

pytestmark = pytest.mark.django_db(transaction=True)


def _worker(env: dict, log):
    return subprocess.Popen(
        [BRUG, "worker", "--no-schedule"], env=env, stdout=log, stderr=subprocess.STDOUT
    )


def test_worker_killed_mid_fan_out_gives_exactly_one_notification_and_one_mail(
    tmp_path, space, owner, member
):
    mailbox = tmp_path / "mail"
    mailbox.mkdir()
    post = make_post(owner, space, "Kun jij hiernaar kijken, @sanne.dewit?")
    task = DBTaskResult.objects.get(task_path__endswith="notify_post_created")
    common = {
        "BRUG_JOB_HEARTBEAT_SECONDS": "0.3",
        "BRUG_JOB_STALE_SECONDS": "2",
        "BRUG_JOB_POLL_SECONDS": "0.2",
        "BRUG_EMAIL_BUNDLE_SECONDS": "0",
        "BRUG_EMAIL_URL": f"file://{mailbox}",
    }
    log = (tmp_path / "worker.log").open("w")
    first = _worker(
        subprocess_env(**common, BRUG_FAULT_PAUSE=f"notifications.fanout:{tmp_path}"), log
    )
    try:
        # The job has written its first batch of rows and its event, inside its transaction.
        wait_for(lambda: (tmp_path / "notifications.fanout").exists(), what="the fan-out to pause")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.RUNNING
    assert not Notification.objects.exists()  # the killed transaction left nothing
    assert not Event.objects.filter(kind="notification").exists()

    second = _worker(subprocess_env(**common), log)
    try:
        wait_for(
            lambda: DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.SUCCESSFUL,
            what="the retry to finish the fan-out",
        )
        wait_for(lambda: list(mailbox.iterdir()), what="the mail")
        wait_for(
            lambda: (
                not DBTaskResult.objects.exclude(
                    status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
                ).exists()
            ),
            what="every job to settle",
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
        log.close()

    (notification,) = Notification.objects.filter(recipient=member)
    assert notification.kind == "mention"
    assert notification.post_id == post.pk
    assert notification.event_count == 1
    assert Event.objects.filter(kind="notification", recipient=member).count() == 1
    mails = [p.read_text() for p in mailbox.iterdir()]
    assert sum(text.count("Subject:") for text in mails) == 1
    assert member.email in mails[0]
    assert EffectKey.objects.filter(key__startswith=f"email:bundle:{member.pk}:").count() == 1
