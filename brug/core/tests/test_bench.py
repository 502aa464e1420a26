"""``brug bench`` on a tiny tier: every operation measured, floors free of queries, JSON written.

No assertion here is about speed (BENCHMARKS.md: speed is a benchmark, not a
timed test); these tests check that the suite runs, says what it measured and
leaves the data as it found it.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from brug.core import bench
from brug.core.tests.test_tiers import TINY
from brug.core.tiers import load_tier
from brug.posts.models import Post


@pytest.fixture
def tiny(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return load_tier(TINY, seed=11)


def _run_bench(*args):
    out = StringIO()
    try:
        call_command("bench", "--blocks", "1", "--block-seconds", "0.005", *args, stdout=out)
        failed = False
    except CommandError as error:
        assert error.returncode == 1, error
        failed = True
    return out.getvalue(), failed


def test_bench_measures_every_operation_and_writes_json(tiny, settings):
    posts = Post.objects.count()
    output, failed = _run_bench()
    lines = [
        line for line in output.splitlines() if line.split() and "x (" in line or "SKIP" in line
    ]
    names = [
        "space feed page",
        "space feed fragment",
        "home feed",
        "create post",
        "search page, rare term",
        "search page, common term",
        "search as you type, rare term",
        "search as you type, common term",
        "expert finder",
        "analytics dashboard",
    ]
    for name in names:
        assert any(line.startswith(name) for line in lines), (name, output)
    written = sorted((settings.DATA_DIR / "bench").glob("*.json"))
    assert len(written) == 1
    results = json.loads(written[0].read_text())
    measured = [result for result in results if result["passed"] is not None]
    assert len(measured) == 8
    for result in measured:
        assert result["ratio"] > 0
        assert result["backend"] in ("sqlite", "postgresql")
        assert result["queries"] >= 1
        assert ("PASS" if result["passed"] else "FAIL") in next(
            line for line in lines if line.startswith(result["name"])
        )
    assert failed == any(result["passed"] is False for result in results)
    # The posts written by "create post" are gone again.
    assert Post.objects.count() == posts


def test_bench_runs_only_the_operations_asked_for(tiny):
    output, _ = _run_bench("--only", "search")
    measured = [line for line in output.splitlines() if " x (" in line]
    assert len(measured) == 4
    assert all(line.startswith(("search page", "search as you type")) for line in measured)


def test_render_floor_refuses_a_context_that_queries(tiny):
    from brug.people.models import User

    captured = bench.Captured(
        template=_template("{{ people.count }}"),
        context={"people": User.objects.all()},
        queries=[],
        status=200,
    )
    with pytest.raises(RuntimeError, match="ran 1 queries"):
        bench.render_floor(captured)


def test_bench_refuses_a_tier_without_the_planted_rare_word(tiny, monkeypatch):
    monkeypatch.setattr("brug.search.bench.RARE_TERM", "onbekendwoord")
    with pytest.raises(CommandError, match="finds 0 documents with 'onbekendwoord'"):
        call_command("bench", "--only", "search", "--blocks", "1", stdout=StringIO())


def test_bench_says_so_without_people(db):
    with pytest.raises(CommandError, match="load a tier first"):
        call_command("bench", stdout=StringIO())


def _template(source):
    from django.template import engines

    return engines["django"].from_string(source).template


def test_bench_against_an_earlier_run_prints_growth_in_units_of_its_request(
    tiny, settings, tmp_path, monkeypatch
):
    _run_bench("--only", "search page")
    (first,) = sorted((settings.DATA_DIR / "bench").glob("*.json"))
    earlier = bench.read_json(first)
    assert all(row["request_ms"] > 0 for row in earlier)
    # The same run, as if it had been on a smaller tier with twice as fast a request.
    for row in earlier:
        row["tier"] = "medium"
        row["request_ms"] = row["request_ms"] / 2
    against = tmp_path / "earlier.json"
    against.write_text(json.dumps(earlier))
    # This run stands for the larger tier.
    monkeypatch.setattr("brug.core.management.commands.bench.tier_name", lambda: "large")

    output, failed = _run_bench("--only", "search page", "--against", str(against))

    growth_lines = [line for line in output.splitlines() if line.startswith("growth:")]
    assert len(growth_lines) == 2, output
    assert all("large/medium" in line for line in growth_lines)
    (written,) = set((settings.DATA_DIR / "bench").glob("*.json")) - {first}
    data = json.loads(written.read_text())
    by_key = {row["key"]: row for row in earlier}
    assert {g["key"] for g in data["growth"]} == {
        "search page, rare term",
        "search page, common term",
    }
    for found in data["growth"]:
        now = next(r for r in data["results"] if r["key"] == found["key"])
        before = by_key[found["key"]]
        plain = now["operation_ms"] / before["operation_ms"]
        assert found["plain"] == pytest.approx(plain, rel=1e-2)
        assert found["growth"] == pytest.approx(
            plain * before["request_ms"] / now["request_ms"], rel=1e-2
        )
        assert found["target"] == (1.5 if "rare" in found["key"] else 2.0)
        assert found["passed"] == (found["growth"] <= found["target"])
    assert failed == (
        any(not g["passed"] for g in data["growth"])
        or any(r["passed"] is False for r in data["results"])
    )


def _bench_against(path):
    """The rare search page measured against the run in ``path`` (raises ``CommandError``)."""
    call_command(
        "bench",
        *("--blocks", "1", "--block-seconds", "0.005", "--only", "search page, rare"),
        *("--against", str(path)),
        stdout=StringIO(),
    )


def test_bench_against_refuses_the_same_tier_and_unreadable_files(tiny, settings, tmp_path):
    _run_bench("--only", "search page, rare")
    (first,) = sorted((settings.DATA_DIR / "bench").glob("*.json"))
    with pytest.raises(CommandError, match="same tier"):
        _bench_against(first)
    # An earlier run on a larger tier is no growth.
    earlier = bench.read_json(first)
    for row in earlier:
        row["tier"] = "large"
    larger = tmp_path / "larger.json"
    larger.write_text(json.dumps(earlier))
    with pytest.raises(CommandError, match="not the smaller one"):
        _bench_against(larger)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("bench", "--against", str(broken), stdout=StringIO())


def test_two_runs_within_a_second_keep_both_results(tmp_path):
    result = bench.Result("create post", "medium", "sqlite", 1.0, 3.0, "F1", True)
    paths = {bench.write_json([result], tmp_path) for _ in range(3)}
    assert len(paths) == 3 and all(path.exists() for path in paths)
    assert all(bench.read_json(path)[0]["name"] == "create post" for path in paths)
