"""``brug search reindex``: rebuild the search index, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from brug.search import indexing
from brug.search.enums import DocumentKind


class Command(BaseCommand):
    help = "Search index maintenance. `brug search reindex` rebuilds every document."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="reindex")
        reindex = commands.add_parser(
            "reindex",
            help="Rebuild the documents of every post, comment, file, space and person.",
        )
        reindex.add_argument(
            "--kind",
            action="append",
            choices=DocumentKind.values,
            help="Only this kind (repeatable). Default: every kind.",
        )
        reindex.add_argument("--batch-size", type=int, default=500)
        reindex.add_argument(
            "--clear",
            action="store_true",
            help="Empty the index first (searches find less until the rebuild is done).",
        )
        reindex.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, subcommand, **options):
        if subcommand != "reindex":  # pragma: no cover - argparse allows only reindex
            raise CommandError(f"Unknown subcommand {subcommand}")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        kinds = options["kind"]
        total = indexing.count_sources(kinds=kinds)
        with tqdm(
            total=total,
            unit="objects",
            desc="Indexing",
            disable=options["no_progress"],
            file=self.stderr._out,
        ) as bar:
            written = indexing.reindex(
                kinds=kinds,
                batch_size=options["batch_size"],
                clear=options["clear"],
                progress=bar.update,
            )
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {written} documents ({total} objects read).")
        )
