"""``brug run``: migrate, collect static files, then serve and run the job worker.

The web server (uvicorn serving ``brug.asgi:application`` with ``--workers N``
processes) and one job worker with the scheduler run as child processes in
one process group of their own. Ctrl-C or SIGTERM to ``brug run`` stops them
all (the worker finishes its running job first); when one of them dies, the
others are stopped too and ``brug run`` exits with an error, so a supervisor
(systemd) restarts the whole set.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from brug import env
from brug.core import demo

STOP_TIMEOUT = 30.0


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Ask Linux to SIGTERM this child when ``brug run`` itself dies (even by SIGKILL)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def static_fingerprint() -> str:
    """Return a digest of every static source file's path, size and modification time."""
    import hashlib

    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static() -> bool:
    """Run ``collectstatic`` unless the sources are unchanged since the last run.

    Compressing every file takes seconds; a restart should not pay for it.
    """
    marker = settings.STATIC_ROOT / ".brug-collected"
    fingerprint = static_fingerprint()
    if marker.exists() and marker.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    marker.write_text(fingerprint)
    return True


class Command(BaseCommand):
    help = "Migrate, collect static files, then serve Brug and run its job worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=env.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=env.get_int("PORT", 8000))
        parser.add_argument(
            "--workers",
            type=int,
            default=env.get_int("WEB_WORKERS", 1),
            help="Number of web server processes (default 1).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_false",
            dest="job_worker",
            help="Serve only; run `brug worker` elsewhere.",
        )
        parser.add_argument(
            "--skip-migrate",
            action="store_true",
            help="Do not migrate or collect static files first.",
        )

    def handle(self, *, host, port, workers, job_worker, skip_migrate, verbosity, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        if not skip_migrate:
            try:
                call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
                collect_static()
            except KeyboardInterrupt:
                raise CommandError("interrupted before serving") from None

        commands = {
            "web": [
                sys.executable,
                "-m",
                "uvicorn",
                "brug.asgi:application",
                "--host",
                host,
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--timeout-graceful-shutdown",
                "5",
                "--no-server-header",
                "--log-level",
                "info" if verbosity > 1 else "warning",
            ],
        }
        if job_worker:
            commands["worker"] = [
                sys.executable,
                "-c",
                "import sys; from brug.cli import main; sys.exit(main(sys.argv[1:]))",
                "worker",
            ]
        environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "brug.settings"}
        self.stdout.write(
            f"Brug serves on http://{host}:{port}/ ({workers} web process"
            f"{'es' if workers > 1 else ''}{', one job worker' if job_worker else ''}); "
            f"the public address is {settings.PUBLIC_URL}. Press Ctrl-C to stop."
        )
        logins = demo.logins_file()
        if logins.exists():
            self.stdout.write("Demo logins:\n" + logins.read_text().rstrip())
        if settings.HTTPS and not settings.EMAIL_URL_SET:
            self.stderr.write(
                "Warning: BRUG_EMAIL_URL is not set, so e-mail (password resets, "
                "notifications) is only written to this console. Set "
                "BRUG_EMAIL_URL=smtp://user:password@host:587."
            )
        self.stdout.flush()

        stopping = {"signal": None}

        def on_signal(signum, frame):
            stopping["signal"] = signum

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)

        children: dict[str, subprocess.Popen] = {}
        group = 0
        for name, command in commands.items():
            # All children share one new process group: Ctrl-C in a terminal
            # reaches only this process, which stops them in order.
            children[name] = subprocess.Popen(
                command, env=environ, process_group=group, preexec_fn=_die_with_parent
            )
            group = group or children[name].pid

        failed = None
        while stopping["signal"] is None and failed is None:
            for name, child in children.items():
                if child.poll() is not None:
                    failed = (name, child.returncode)
                    break
            time.sleep(0.2)

        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in children.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)  # anything left over (uvicorn's workers)

        if failed is not None:
            raise CommandError(f"the {failed[0]} process stopped (exit code {failed[1]})")
        self.stdout.write("Brug stopped.")
