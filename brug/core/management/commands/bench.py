"""``brug bench [--only TEXT] [--blocks N]``: the benchmark suite of BENCHMARKS.md.

Run it against a database holding a tier (``brug demo --size medium`` into an
empty data directory; ``make bench`` does both). It prints one line per
operation (name, tier, backend, median ratio, its target, PASS/FAIL, and the
absolute times for information), writes the same as JSON under
``<data dir>/bench/``, and exits with 1 when an operation fails its target.

``--against FILE`` (a JSON written by an earlier run on a smaller tier) adds
the growth lines of BENCHMARKS.md: each operation's time on this tier against
that run's, in units of each run's calibration request (``brug.core.bench``).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from brug.core import bench
from brug.core.tiers import TIERS, bench_person


def tier_name() -> str:
    """The tier in the database, told by its number of people."""
    from brug.people.models import User

    people = User.objects.exclude(role="admin").count()
    for name, tier in TIERS.items():
        if abs(people - tier.people) <= tier.people // 100:
            return name
    return "small" if people < 1000 else f"{people}p"


class Command(BaseCommand):
    help = "Run the benchmark suite of BENCHMARKS.md against the loaded tier; print ratios."

    def add_arguments(self, parser):
        parser.add_argument("--only", help="Only the operations whose name contains this.")
        parser.add_argument("--blocks", type=int, default=bench.BLOCKS, help="Interleaved blocks.")
        parser.add_argument(
            "--block-seconds",
            type=float,
            default=bench.BLOCK_SECONDS,
            help="About how long each side of a block runs.",
        )
        parser.add_argument(
            "--against",
            type=Path,
            help="A JSON of an earlier run on a smaller tier: also print the growth.",
        )

    def handle(self, *, only, blocks, block_seconds, against=None, **options):
        if blocks < 1 or block_seconds <= 0:
            raise CommandError("--blocks must be at least 1 and --block-seconds above 0.")
        earlier = None
        if against is not None:
            try:
                earlier = bench.read_json(against)
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise CommandError(f"Cannot read {against}: {error}") from error
        person = bench_person()
        if person is None:
            raise CommandError("There are no members: load a tier first (brug demo --size medium).")
        setup = bench.Setup(tier=tier_name(), person=person)
        self.stdout.write(
            f"Tier {setup.tier}, {setup.person.email} in "
            f"{setup.person.memberships.count()} spaces; {blocks} blocks per operation."
        )
        # The bench posts hundreds of times a minute as one person: the limiter
        # still counts (its cost is measured), but never refuses.
        unlimited = {**settings.BRUG_RATE_LIMITS, "post": "1000000000/600"}
        with override_settings(BRUG_RATE_LIMITS=unlimited):
            try:
                results = bench.run(
                    setup,
                    only=only,
                    blocks=blocks,
                    block_seconds=block_seconds,
                    out=self.stdout.write,
                )
            except ValueError as error:  # an operation cannot be measured on this tier
                raise CommandError(str(error)) from error
        growths = None
        if earlier is not None:
            try:
                growths = bench.growth(results, earlier)
            except ValueError as error:
                raise CommandError(str(error)) from error
            if not growths:
                self.stdout.write(f"{against} has none of these operations on this database.")
            for found in growths:
                self.stdout.write(found.line())
        path = bench.write_json(results, settings.DATA_DIR / "bench", growths)
        self.stdout.write(f"Written to {path}")
        failed = [r.passed is False for r in results] + [not g.passed for g in growths or ()]
        if any(failed):
            raise CommandError("Some operations missed their target.", returncode=1)
