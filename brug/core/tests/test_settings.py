"""Settings come from BRUG_* variables, with defaults that run on one machine."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

import brug
from brug import env
from brug.core.tests.helpers import BRUG

SETTINGS = Path(brug.__file__).with_name("settings.py")


@pytest.fixture
def load_settings(tmp_path, monkeypatch):
    """Evaluate settings.py afresh with only the given BRUG_* variables set."""

    def load(**variables: str) -> dict:
        for name in list(os.environ):
            if name.startswith("BRUG_"):
                monkeypatch.delenv(name)
        monkeypatch.setenv("BRUG_DATA_DIR", str(tmp_path / "data"))
        for name, value in variables.items():
            monkeypatch.setenv(f"BRUG_{name}", value)
        return runpy.run_path(str(SETTINGS))

    return load


def test_default_database_is_sqlite_in_the_data_directory_tuned_for_concurrent_writers(
    load_settings, tmp_path
):
    db = load_settings()["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(db["NAME"]) == (tmp_path / "data" / "brug.sqlite3").resolve()
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert "busy_timeout" in db["OPTIONS"]["init_command"]


def test_postgres_url_switches_the_database(load_settings):
    db = load_settings(DATABASE_URL="postgres://brug:s%40cret@db.example.org:5433/intranet")[
        "DATABASES"
    ]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("intranet", "brug", "s@cret")
    assert (db["HOST"], db["PORT"]) == ("db.example.org", 5433)
    assert db["CONN_HEALTH_CHECKS"] is True
    assert db["OPTIONS"]["options"] == "-c max_parallel_workers_per_gather=0 -c jit=off"


def test_postgres_parallel_workers_can_be_raised(load_settings):
    db = load_settings(
        DATABASE_URL="postgres://brug@db.example.org/intranet", DATABASE_PARALLEL_WORKERS="2"
    )["DATABASES"]["default"]
    assert db["OPTIONS"]["options"] == "-c max_parallel_workers_per_gather=2 -c jit=off"


def test_postgres_connections_come_from_a_pool_with_prepared_statements_by_default(load_settings):
    url = "postgres://brug@db.example.org/intranet"
    db = load_settings(DATABASE_URL=url)["DATABASES"]["default"]
    assert db["CONN_MAX_AGE"] == 0
    assert db["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 10, "timeout": 10}
    assert db["OPTIONS"]["prepare_threshold"] == 1

    db = load_settings(DATABASE_URL=url, DATABASE_POOL_SIZE="25", DATABASE_POOL_TIMEOUT="3")[
        "DATABASES"
    ]["default"]
    assert db["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 25, "timeout": 3}

    # No pool: asked for, or connections kept per thread instead (the two exclude each other).
    db = load_settings(DATABASE_URL=url, DATABASE_POOL_SIZE="0")["DATABASES"]["default"]
    assert "pool" not in db["OPTIONS"]
    db = load_settings(DATABASE_URL=url, DATABASE_CONN_MAX_AGE="60")["DATABASES"]["default"]
    assert "pool" not in db["OPTIONS"] and db["CONN_MAX_AGE"] == 60

    # For a pooler that cannot keep prepared statements.
    db = load_settings(DATABASE_URL=url, DATABASE_PREPARED="0")["DATABASES"]["default"]
    assert db["OPTIONS"]["prepare_threshold"] is None


def test_sqlite_url_names_another_file_with_the_same_tuning(load_settings, tmp_path):
    path = tmp_path / "other.sqlite3"
    db = load_settings(DATABASE_URL=f"sqlite:///{path}")["DATABASES"]["default"]
    assert db["NAME"] == str(path)
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_email_goes_to_the_console_by_default(load_settings):
    mailer = load_settings()["MAILERS"]["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_smtp_url_becomes_the_default_mailer_with_starttls(load_settings):
    mailer = load_settings(EMAIL_URL="smtp://intranet%40example.org:p%40ss@mail.example.org:587")[
        "MAILERS"
    ]["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    options = mailer["OPTIONS"]
    assert (options["host"], options["port"]) == ("mail.example.org", 587)
    assert (options["username"], options["password"]) == ("intranet@example.org", "p@ss")
    assert options["use_tls"] is True
    assert options["use_ssl"] is False


def test_smtps_url_uses_implicit_tls_on_port_465(load_settings):
    options = load_settings(EMAIL_URL="smtps://user:pw@mail.example.org")["MAILERS"]["default"][
        "OPTIONS"
    ]
    assert options["port"] == 465
    assert options["use_ssl"] is True
    assert options["use_tls"] is False


def test_cache_is_local_memory_unless_redis_is_configured(load_settings):
    assert load_settings()["CACHES"]["default"]["BACKEND"] == "brug.core.cache.FailOpenLocMemCache"
    cache = load_settings(REDIS_URL="redis://127.0.0.1:6379/3")["CACHES"]["default"]
    assert cache["BACKEND"] == "brug.core.cache.FailOpenRedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/3"


def test_https_public_url_turns_on_secure_cookies_hsts_and_trusted_origins(load_settings):
    s = load_settings(PUBLIC_URL="https://intranet.example.org/")
    assert "intranet.example.org" in s["ALLOWED_HOSTS"]
    assert "https://intranet.example.org" in s["CSRF_TRUSTED_ORIGINS"]
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] > 0
    assert s["PUBLIC_URL"] == "https://intranet.example.org"


def test_plain_http_public_url_keeps_cookies_usable_without_tls(load_settings):
    s = load_settings()
    assert "SESSION_COOKIE_SECURE" not in s
    assert s["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1"]


def test_language_defaults_to_dutch_and_accepts_english_only_as_alternative(load_settings):
    assert load_settings()["LANGUAGE_CODE"] == "nl"
    assert load_settings(LANGUAGE="en")["LANGUAGE_CODE"] == "en"
    assert load_settings(LANGUAGE="fr")["LANGUAGE_CODE"] == "nl"


def test_trusted_proxies_make_axes_read_the_forwarded_address(load_settings):
    assert load_settings()["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["REMOTE_ADDR"]
    s = load_settings(TRUSTED_PROXIES="1")
    assert s["AXES_IPWARE_PROXY_COUNT"] == 1
    assert s["AXES_IPWARE_META_PRECEDENCE_ORDER"][0] == "HTTP_X_FORWARDED_FOR"


# The secret key -------------------------------------------------------------


def test_secret_key_is_generated_once_and_reused(tmp_path, monkeypatch):
    monkeypatch.delenv("BRUG_SECRET_KEY", raising=False)
    first = env.secret_key(tmp_path)
    assert len(first) >= 50
    assert env.secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_explicit_secret_key_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("BRUG_SECRET_KEY", "x" * 60)
    assert env.secret_key(tmp_path) == "x" * 60
    assert not (tmp_path / "secret_key").exists()


RACER = """
import os, sys, time
from pathlib import Path
folder = Path(sys.argv[1])
while not (folder / "go").exists():
    time.sleep(0.001)
from brug import env
print(env.secret_key(folder / "data"))
"""


def test_processes_starting_at_the_same_moment_agree_on_one_secret_key(tmp_path):
    (tmp_path / "data").mkdir()
    environ = {k: v for k, v in os.environ.items() if k != "BRUG_SECRET_KEY"}
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(tmp_path)],
            env=environ,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    (tmp_path / "go").touch()
    keys = {racer.communicate(timeout=60)[0].strip() for racer in racers}
    assert all(racer.returncode == 0 for racer in racers)
    assert len(keys) == 1
    assert keys == {(tmp_path / "data" / "secret_key").read_text()}
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["secret_key"]


# Production check -------------------------------------------------------------


def test_deploy_check_is_clean_with_https_and_debug_off(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BRUG_")}
    environ.update(
        BRUG_DATA_DIR=str(tmp_path),
        BRUG_PUBLIC_URL="https://intranet.example.org",
        BRUG_DEBUG="0",
        BRUG_SECRET_KEY=secrets.token_urlsafe(64),
    )
    result = subprocess.run(
        [BRUG, "check", "--deploy", "--fail-level", "WARNING"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_public_url_defaults_to_where_brug_run_listens(load_settings):
    assert load_settings()["PUBLIC_URL"] == "http://127.0.0.1:8000"
    assert load_settings(PORT="8793")["PUBLIC_URL"] == "http://127.0.0.1:8793"
    everywhere = "0.0.0.0"  # noqa: S104
    assert load_settings(HOST=everywhere, PORT="80")["PUBLIC_URL"] == "http://127.0.0.1:80"


def test_brugs_own_connections_plan_without_jit_or_parallel_workers(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # nothing to set there
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('jit'), current_setting('max_parallel_workers_per_gather')"
        )
        assert cursor.fetchone() == ("off", "0")
