"""The command line contract: brug admin, token, demo, run and worker."""

import hashlib
import io
import signal
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.tasks.base import TaskResultStatus
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from brug.core import demo, jobs
from brug.core.management.commands.demo import ensure_demo_admin
from brug.core.models import EffectKey
from brug.core.tests import jobtasks
from brug.core.tests.helpers import BRUG, free_port, subprocess_env, wait_for
from brug.people.enums import Role
from brug.people.models import ApiToken, User
from brug.people.tokens import verify_token


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# brug admin ------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_create_with_a_password_creates_an_admin_who_can_sign_in(organisation):
    out, _ = _run("admin", "create", "Beheer@Example.org", "--password", "lange-zin-als-wachtwoord")

    person = User.objects.get(email="beheer@example.org")
    assert person.role == Role.ADMIN
    assert person.is_staff and person.is_superuser
    assert person.organisation == organisation
    assert person.check_password("lange-zin-als-wachtwoord")
    assert "lange-zin-als-wachtwoord" not in out


@pytest.mark.django_db
def test_admin_create_without_a_password_prints_a_generated_one():
    out, _ = _run("admin", "create", "ops@example.org")

    password = out.split("Password: ")[1].strip()
    assert len(password) >= 12
    assert User.objects.get(email="ops@example.org").check_password(password)


@pytest.mark.django_db
def test_admin_create_refuses_an_address_that_exists(member):
    with pytest.raises(CommandError, match="already exists"):
        _run("admin", "create", member.email.upper())
    assert User.objects.filter(email=member.email).get().role == Role.MEMBER


@pytest.mark.django_db
def test_admin_create_refuses_a_weak_password_and_writes_nothing():
    with pytest.raises(CommandError, match="too short"):
        _run("admin", "create", "ops@example.org", "--password", "123")
    assert not User.objects.filter(email="ops@example.org").exists()


# brug token --------------------------------------------------------------------------


@pytest.mark.django_db
def test_token_create_prints_a_token_that_is_stored_only_as_its_digest(member):
    out, err = _run("token", "create", member.email, "--name", "rapportage")

    token = out.strip()
    assert token.startswith("brug_")
    stored = ApiToken.objects.get(user=member)
    assert stored.name == "rapportage"
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (stored.digest, stored.prefix)
    assert verify_token(token) == member
    assert "not shown again" in err


@pytest.mark.django_db
def test_token_create_for_an_unknown_address_fails():
    with pytest.raises(CommandError, match="No person"):
        _run("token", "create", "nobody@example.org")
    assert not ApiToken.objects.exists()


# brug demo ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_if_empty_leaves_an_installation_with_people_alone(member, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    out, _ = _run("demo", "--if-empty")
    assert "not loaded again" in out
    assert not User.objects.filter(email=demo.DEMO_ADMIN_EMAIL).exists()


@pytest.mark.django_db
def test_demo_if_empty_prints_the_saved_logins_again(member, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (tmp_path / "demo-logins.txt").write_text("  Admin  admin@brug.example  pw\n")
    out, _ = _run("demo", "--if-empty")
    assert "admin@brug.example" in out


@pytest.mark.django_db
def test_demo_admin_login_exists_and_works_once_ensured():
    demo.reset()
    ensure_demo_admin()
    ensure_demo_admin()  # a second demo run does not fail on the existing admin

    person = User.objects.get(email=demo.DEMO_ADMIN_EMAIL)
    assert person.role == Role.ADMIN
    assert person.check_password(demo.DEMO_PASSWORD)
    assert demo.logins() == [("Admin", demo.DEMO_ADMIN_EMAIL, demo.DEMO_PASSWORD)]
    assert demo.DEMO_ADMIN_EMAIL in demo.format_logins(demo.logins())


# brug worker --batch ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_worker_batch_runs_the_ready_jobs_and_exits():
    jobs.enqueue(jobtasks.write_key, name="batch-1")
    jobs.enqueue(jobtasks.write_key, name="batch-2")

    result = subprocess.run(
        [BRUG, "worker", "--batch", "--no-schedule"],
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert EffectKey.objects.filter(key__startswith="batch-").count() == 2
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }


# brug run -----------------------------------------------------------------------------------


@pytest.mark.server
@pytest.mark.django_db(transaction=True)
def test_brug_run_serves_runs_jobs_and_stops_everything_on_sigterm(tmp_path, collected_static_root):
    import urllib.error
    import urllib.request

    port = free_port()
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        # The test database is migrated and the static files are collected
        # (once per test worker, by tests/server.py).
        [BRUG, "run", "--port", str(port), "--skip-migrate"],
        env=subprocess_env(
            BRUG_JOB_POLL_SECONDS="0.2", BRUG_STATIC_ROOT=str(collected_static_root)
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}{reverse('people:login')}"

        def status():
            try:
                with urllib.request.urlopen(url) as answer:
                    return answer.status
            except urllib.error.HTTPError as error:
                return error.code
            except OSError:
                return None

        assert wait_for(status, timeout=90, what="brug run to serve") == 200
        jobs.enqueue(jobtasks.write_key, name="served")
        wait_for(lambda: EffectKey.objects.filter(key="served").exists(), what="the job worker")
        children = _children(process.pid)
        assert len(children) >= 2  # uvicorn and the job worker
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
        log.close()
    assert code == 0, (tmp_path / "run.log").read_text()
    assert "Brug stopped." in (tmp_path / "run.log").read_text()
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists() and _alive(pid)]


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
