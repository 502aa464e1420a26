"""``brug demo [--size small|medium|large] [--seed N] [--if-empty]``: load the demo network.

Each app that has a ``brug/<app>/demo.py`` gets ``load(rng=random.Random(seed),
out=stdout)`` called, in the order people, spaces, posts, questions; they write
through their actions. Then the jobs those writes enqueued (notifications,
indexing …) run inline with e-mail switched off, and the demo logins are
printed (and saved in the data directory, for ``make run`` to show again).
"""

from __future__ import annotations

import logging
import os
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from brug.core import demo, jobs
from brug.core.modules import app_modules

APPS = ("people", "spaces", "posts", "questions")
SILENT_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


def demo_modules() -> list:
    """Return the ``brug.<app>.demo`` modules that exist, in loading order."""
    return app_modules(APPS, "demo")


def ensure_demo_admin() -> None:
    """Create ``admin@brug.example`` with the demo password unless it exists."""
    from brug.core.management.commands.admin import create_admin
    from brug.people.models import User

    if not User.objects.filter(email__iexact=demo.DEMO_ADMIN_EMAIL).exists():
        create_admin(email=demo.DEMO_ADMIN_EMAIL, password=demo.DEMO_PASSWORD, name="Demo Admin")
    demo.add_login("Admin", demo.DEMO_ADMIN_EMAIL, demo.DEMO_PASSWORD)


def tier_logins() -> list[tuple[str, str, str]]:
    """The demo logins of a bulk-loaded tier: the admin, and members by how many spaces they are in."""
    from django.db.models import Count

    from brug.people.models import User

    members = (
        User.objects.filter(role="member", is_active=True)
        .annotate(spaces=Count("memberships"))
        .order_by("-spaces", "pk")
    )
    rows = [("Admin", demo.DEMO_ADMIN_EMAIL, demo.DEMO_PASSWORD)]
    busiest = members.first()
    if busiest is not None:
        rows.append((f"Member ({busiest.spaces} spaces)", busiest.email, demo.DEMO_PASSWORD))
    guest = User.objects.filter(role="guest").order_by("pk").first()
    if guest is not None:
        rows.append(("Guest", guest.email, demo.DEMO_PASSWORD))
    return rows


class Command(BaseCommand):
    help = "Load the deterministic demo network and print its logins."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["small", "medium", "large"], default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the saved logins) when people other than admins exist.",
        )

    def handle(self, *, size, seed, if_empty, **options):
        from brug.people.enums import Role
        from brug.people.models import User

        saved = demo.logins_file()
        if size != "small":
            if if_empty and User.objects.exclude(role=Role.ADMIN).exists():
                self.stdout.write("There are people already: the tier is not loaded again.")
                self.stdout.write(demo.format_logins(tier_logins()))
                return
            self._load_tier(size, seed)
            return
        if if_empty and User.objects.exclude(role=Role.ADMIN).exists():
            self.stdout.write("There are people already: the demo network is not loaded again.")
            if saved.exists():
                self.stdout.write("Demo logins (as loaded before):")
                self.stdout.write(saved.read_text().rstrip())
            return

        demo.reset()
        # Nobody is connected while the demo loads: live notification events
        # (each with its recipient's unread count) would only be pruned later.
        quiet = {"MAILERS": SILENT_MAIL, "BRUG_LIVE_NOTIFICATIONS": False}
        with override_settings(**quiet), transaction.atomic():
            for module in demo_modules():
                self.stdout.write(f"Loading {module.__name__} …")
                returned = module.load(rng=random.Random(seed), out=self.stdout)  # noqa: S311
                for row in returned or ():
                    demo.add_login(*row)
            if not any(row[0].lower() == "admin" for row in demo.logins()):
                ensure_demo_admin()
            tasks_log = logging.getLogger("django.tasks")
            level = tasks_log.level
            tasks_log.setLevel(logging.WARNING)  # not a line per job
            try:
                ran = jobs.run_pending(raise_errors=False)
            finally:
                tasks_log.setLevel(level)
        self.stdout.write(f"Ran {ran} side-effect jobs inline (e-mail switched off).")

        table = demo.format_logins(demo.logins())
        fd = os.open(saved, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(table + "\n")
        self.stdout.write(self.style.SUCCESS("Demo logins:"))
        self.stdout.write(table)

    def _load_tier(self, size: str, seed: int) -> None:
        """Bulk-load a benchmark tier (``brug.core.tiers``) with a progress bar."""
        from tqdm import tqdm

        from brug.core.tiers import TIERS, load_tier

        tier = TIERS[size]
        bar = tqdm(total=tier.chunks, desc=f"{size} tier", unit="chunk", file=self.stderr)

        def progress(step: str, done: int) -> None:
            if step == "content":
                bar.update(1)
            else:
                bar.write(f"{step}: {done}")

        started = time.monotonic()
        try:
            with override_settings(MAILERS=SILENT_MAIL):
                summary = load_tier(tier, seed=seed, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        ensure_demo_admin()
        elapsed = time.monotonic() - started
        self.stdout.write(
            ", ".join(f"{value:,} {name}" for name, value in summary.items())
            + f" in {elapsed:.0f} s."
        )
        self.stdout.write(self.style.SUCCESS("Demo logins:"))
        self.stdout.write(demo.format_logins(tier_logins()))
