"""``brug worker``: run queued jobs, the scheduler of periodic jobs and the reaper."""

import logging

from django.core.management.base import BaseCommand

from brug.core import jobs


class Command(BaseCommand):
    help = "Run queued jobs, the scheduler of periodic jobs and the reaper (until stopped)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            help="Only run jobs of this queue (repeatable; default: every queue).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds an idle worker waits before looking again (BRUG_JOB_POLL_SECONDS).",
        )
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Do not enqueue periodic jobs (another worker does).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the jobs that are ready, then exit.",
        )

    def handle(self, *, queues, interval, schedule, batch, verbosity, **options):
        if verbosity > 1:
            logging.getLogger("brug").setLevel(logging.DEBUG)
        worker = jobs.Worker(queues=queues, interval=interval, schedule=schedule, batch=batch)
        worker.install_signals()
        worker.run()
