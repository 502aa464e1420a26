"""``brug bench``: the benchmark suite of BENCHMARKS.md, as ratios against floors.

Each app that has a ``brug/<app>/bench.py`` offers ``operations(setup)``: a
list of ``Operation``s, each an operation and its floor measured in the same
run (10 interleaved blocks: floor, operation, floor, operation …; the median
of the per-block ratios is the result). Absolute times are printed for
information only. An operation may instead be measured against another
operation (the home feed against the space feed).

Floors are built from the real page: ``capture`` makes one request and keeps
the template it rendered with its context, and the SQL it ran, so that

* **F1** renders that same template from those in-memory objects (checked to
  run no query), and
* **Q** runs the page's main SQL, as captured, on a raw cursor.

This module also holds the pieces the apps' bench modules share: the signed-in
client (``Setup``), ``capture``, ``render_floor`` and ``raw_sql``.

**Growth** (the last column of BENCHMARKS.md's targets): ``brug bench
--against FILE`` compares this run with an earlier one on a smaller tier
(its JSON). Two runs are minutes or days apart on a shared host, whose speed
can differ by half between them, so each run also times a request whose
cost does not depend on the data (``calibrate``: R, ``/healthz`` asked by the
signed-in client: middleware, session, one ``SELECT 1``), and growth is the
operation's time in units of that request: ``(op / R) on the larger tier /
(op / R) on the smaller``. The
plain quotient of the times is printed beside it, for information.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.template import Context
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brug.core.modules import app_modules

APPS = ("posts", "search")

# Targets of BENCHMARKS.md whose feature or harness is not built yet: printed
# as SKIP, so the output says what is not measured.
NOT_MEASURED = (
    ("create post mentioning a 1,000-member space", 1.2, "plain create", "not measured yet"),
    ("realtime: commit to last of 1,000 SSE listeners", 2.0, "T", "not measured yet"),
    ("expert finder, top 10", 2.0, "S + one GROUP BY", "the expert finder is not built"),
    ("analytics dashboard", 2.0, "A", "the dashboard is not built"),
)
BLOCKS = 10
BLOCK_SECONDS = 0.15


@dataclass
class Operation:
    name: str
    target: float  # the ratio must be at most this
    floor_label: str  # "F1 + Q", "S + F1", …
    run: Callable[[], object]
    floor: Callable[[], object] | None = None
    relative_to: str | None = None  # measured against this operation instead of a floor
    note: str = ""
    growth: float | None = None  # at most this, larger tier against smaller (``--against``)
    key: str = ""  # the same on every tier (the name may hold tier-dependent numbers)

    def __post_init__(self) -> None:
        self.key = self.key or self.name


@dataclass
class Result:
    name: str
    tier: str
    backend: str
    ratio: float | None
    target: float
    floor_label: str
    passed: bool | None
    operation_ms: float | None = None
    floor_ms: float | None = None
    queries: int | None = None
    note: str = ""
    key: str = ""
    growth_target: float | None = None
    request_ms: float | None = None  # the run's calibration request (``calibrate``)

    def line(self) -> str:
        if self.passed is None:
            return f"{self.name:<44} {self.tier:<7} {self.backend:<10} {'-':>8}  SKIP  {self.note}"
        verdict = "PASS" if self.passed else "FAIL"
        info = f"({self.operation_ms:.1f} ms against {self.floor_ms:.1f} ms"
        if self.queries is not None:
            info += f", {self.queries} queries"
        info += ")"
        return (
            f"{self.name:<44} {self.tier:<7} {self.backend:<10} {self.ratio:>7.2f}x"
            f"  <= {self.target:g} x ({self.floor_label})  {verdict}  {info}"
        )


@dataclass
class Setup:
    """What the operations work with: the tier's name and a signed-in client."""

    tier: str
    person: object
    client: Client = field(init=False)
    cleanups: list[Callable[[], object]] = field(default_factory=list)

    def __post_init__(self) -> None:
        host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h), "localhost")
        self.client = Client(SERVER_NAME=host.lstrip("."))
        self.client.force_login(self.person)


@dataclass
class Captured:
    template: object
    context: dict
    queries: list[str]
    status: int


@contextmanager
def _instrumented_templates():
    """Send ``template_rendered`` while inside (as Django's test runner does)."""
    from django.template.base import Template
    from django.test.utils import instrumented_test_render

    original = Template._render
    Template._render = instrumented_test_render
    try:
        yield
    finally:
        Template._render = original


def capture(request: Callable[[], object]) -> Captured:
    """Make ``request`` once; keep the outermost template, its context and the SQL."""
    rendered: list[tuple] = []

    def keep(sender, template, context, **kwargs):
        rendered.append((template, context.flatten()))

    template_rendered.connect(keep, dispatch_uid="brug-bench-capture")
    try:
        with _instrumented_templates(), CaptureQueriesContext(connection) as queries:
            response = request()
    finally:
        template_rendered.disconnect(dispatch_uid="brug-bench-capture")
    template, context = rendered[0] if rendered else (None, {})
    return Captured(
        template,
        context,
        [query["sql"] for query in queries.captured_queries],
        response.status_code,
    )


def render_floor(captured: Captured, template: str | None = None) -> Callable[[], str]:
    """F1: render the captured template from the captured, in-memory context.

    A view that renders a partial (``"posts/space_feed.html#feed"``) names it
    in ``template``: a partial sends no signal of its own, so the first
    template captured is one it includes (whose context holds the partial's).
    """
    if template is not None:
        from django.template.loader import get_template

        captured = replace(captured, template=get_template(template).template)
    if captured.template is None:
        raise RuntimeError("The page rendered no template.")

    def render() -> str:
        context = Context(captured.context, autoescape=True)
        context.request = captured.context.get("request")  # as a RequestContext has it
        return captured.template.render(context)

    with CaptureQueriesContext(connection) as queries:
        render()
    if queries.captured_queries:
        raise RuntimeError(
            f"F1 for {getattr(captured.template, 'name', None) or 'the page'} ran "
            f"{len(queries.captured_queries)} queries: the context is not in memory."
        )
    return render


def main_query(captured: Captured, *needles: str) -> str:
    """The first captured query that holds every one of ``needles``."""
    for sql in captured.queries:
        if all(needle in sql for needle in needles):
            return sql
    raise RuntimeError(f"No query with {needles} among {len(captured.queries)}.")


def raw_sql(sql: str, params=None) -> Callable[[], list]:
    """Q or S: run ``sql`` on a raw cursor and fetch every row."""

    def run() -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def in_sequence(*functions: Callable[[], object]) -> Callable[[], None]:
    """A floor made of parts (S + F1, F1 + Q): run them one after the other."""

    def run() -> None:
        for function in functions:
            function()

    return run


def _time(function: Callable[[], object], repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - started) / repeat


def _repeat_for(function: Callable[[], object], seconds: float) -> int:
    once = max(_time(function, 1), 1e-6)
    return max(1, min(200, int(seconds / once)))


def measure(
    first: Callable, second: Callable, *, blocks: int = BLOCKS, block_seconds: float = BLOCK_SECONDS
) -> tuple[float, float, float]:
    """Median over interleaved blocks of time(first) / time(second), and both medians."""
    for function in (first, second, first, second):  # warm caches and connections
        function()
    repeat_first = _repeat_for(first, block_seconds)
    repeat_second = _repeat_for(second, block_seconds)
    ratios, first_times, second_times = [], [], []
    for _ in range(blocks):
        second_time = _time(second, repeat_second)
        first_time = _time(first, repeat_first)
        ratios.append(first_time / second_time)
        first_times.append(first_time)
        second_times.append(second_time)
    return (
        statistics.median(ratios),
        statistics.median(first_times),
        statistics.median(second_times),
    )


def count_queries(function: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries.captured_queries)


def bench_modules() -> list:
    return app_modules(APPS, "bench")


def run(
    setup: Setup,
    *,
    only: str | None = None,
    blocks: int = BLOCKS,
    block_seconds: float = BLOCK_SECONDS,
    out=None,
) -> list[Result]:
    """Measure every operation (or those whose name contains ``only``); print as they finish."""
    backend = connection.vendor
    results: list[Result] = []
    by_name: dict[str, Callable] = {}
    request_times = [calibrate(setup, blocks, block_seconds)]
    try:
        for module in bench_modules():
            for operation in module.operations(setup):
                by_name[operation.name] = operation.run
                if only and only not in operation.name:
                    continue
                result = _measure_one(operation, setup, backend, by_name, blocks, block_seconds)
                results.append(result)
                if out is not None:
                    out(result.line())
    finally:
        for cleanup in setup.cleanups:
            cleanup()
    request_times.append(calibrate(setup, blocks, block_seconds))
    for result in results:
        result.request_ms = statistics.mean(request_times) * 1000
    for name, target, floor_label, note in NOT_MEASURED:
        if only and only not in name:
            continue
        result = Result(name, setup.tier, backend, None, target, floor_label, None, note=note)
        results.append(result)
        if out is not None:
            out(result.line())
    return results


def calibrate(setup: Setup, blocks: int, block_seconds: float) -> float:
    """R: the median time of a request whose cost does not grow with the data (seconds)."""
    url = reverse("healthz")

    def request():
        response = setup.client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}.")

    request()
    repeat = _repeat_for(request, block_seconds)
    return statistics.median(_time(request, repeat) for _ in range(blocks))


@dataclass
class Growth:
    """One operation on a larger tier against the same operation on a smaller one."""

    key: str
    backend: str
    smaller: str
    larger: str
    growth: float  # in units of each run's calibration request
    plain: float  # the plain quotient of the two times (for information)
    target: float
    passed: bool

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return (
            f"growth: {self.key:<36} {self.larger}/{self.smaller:<7} {self.backend:<10}"
            f" {self.growth:>6.2f}x  <= {self.target:g}  {verdict}"
            f"  (plain {self.plain:.2f}x)"
        )


def growth(results: list[Result], earlier: list[dict]) -> list[Growth]:
    """Compare ``results`` with an ``earlier`` run's (its JSON) operation by operation.

    Only operations with a growth target, measured in both runs on the same
    database, are compared; the earlier run must be on another tier.
    """
    before = {
        (row.get("key") or row["name"], row["backend"]): row
        for row in earlier
        if row.get("operation_ms") and row.get("request_ms")
    }
    found = []
    for result in results:
        row = before.get((result.key, result.backend))
        if row is None or result.growth_target is None or not result.operation_ms:
            continue
        if row["tier"] == result.tier:
            raise ValueError(f"The earlier run is on the same tier ({result.tier}).")
        if _tier_size(row["tier"]) >= _tier_size(result.tier):
            raise ValueError(f"The earlier run's tier ({row['tier']}) is not the smaller one.")
        plain = result.operation_ms / row["operation_ms"]
        value = plain * row["request_ms"] / result.request_ms
        found.append(
            Growth(
                key=result.key,
                backend=result.backend,
                smaller=row["tier"],
                larger=result.tier,
                growth=round(value, 3),
                plain=round(plain, 3),
                target=result.growth_target,
                passed=value <= result.growth_target,
            )
        )
    return found


def _tier_size(name: str) -> int:
    """People in a tier, by the name ``brug bench`` gives it ("small", "medium", "12000p")."""
    from brug.core.tiers import TIERS

    if name in TIERS:
        return TIERS[name].people
    if name.endswith("p") and name[:-1].isdigit():
        return int(name[:-1])
    return 0  # "small": the demo network


def _measure_one(operation, setup, backend, by_name, blocks, block_seconds) -> Result:
    base = {
        "name": operation.name,
        "key": operation.key,
        "growth_target": operation.growth,
        "tier": setup.tier,
        "backend": backend,
        "target": operation.target,
        "floor_label": operation.floor_label,
        "note": operation.note,
    }
    if operation.floor is None and operation.relative_to is None:
        return Result(ratio=None, passed=None, **base)
    floor = operation.floor or by_name[operation.relative_to]
    ratio, operation_time, floor_time = measure(
        operation.run, floor, blocks=blocks, block_seconds=block_seconds
    )
    return Result(
        ratio=round(ratio, 3),
        passed=ratio <= operation.target,
        operation_ms=operation_time * 1000,
        floor_ms=floor_time * 1000,
        queries=count_queries(operation.run),
        **base,
    )


def write_json(results: list[Result], directory: Path, growths: list[Growth] | None = None) -> Path:
    """Write the results under ``directory`` (``var/bench/``); return the file.

    A list of results; with ``growths`` (``--against``), an object holding
    ``results`` and ``growth``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    backend = results[0].backend if results else connection.vendor
    tier = results[0].tier if results else ""
    path = directory / f"{stamp}-{tier}-{backend}.json"
    number = 1
    while path.exists():  # two runs within a second: keep both
        number += 1
        path = directory / f"{stamp}-{tier}-{backend}-{number}.json"
    rows = [asdict(result) for result in results]
    data = rows if growths is None else {"results": rows, "growth": [asdict(g) for g in growths]}
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def read_json(path: Path) -> list[dict]:
    """The results of a run written by ``write_json`` (either shape)."""
    data = json.loads(Path(path).read_text())
    return data["results"] if isinstance(data, dict) else data
