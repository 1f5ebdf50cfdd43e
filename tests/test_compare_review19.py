"""A comparison never crashes on one replication, never gives an interval a difference cannot
reach, keeps every note a metric needs, and pairs runs that share a name as the chart labels them.

Review of trial 11's compare: ``capsim compare one-team X.yaml -r 1`` crashed after writing its
files (``signed`` on a NaN bound of a difference of 100 h or more); one-team against headcount 8
gave "2027 +70.0 points (95% CI +15.3 to +124.8 points)"; base against base-nohash dropped the
removed-items note of ``cost_per_assessed`` (it had the unpriced-tool note), wrote "it counts
490,000 items that hash matching cleared" beside "Items assessed +53,161", and put that note on
``ai_generated``, whose items hash matching cannot clear; two later runs named alike collapsed
into one in the team lines; "436,000 more items waiting (39,000% more)"; an 8-day stub of a
year made a service level "turn".
"""

from __future__ import annotations

from math import nan
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from capsim import bundled
from capsim.charts.compare import paired_differences, year_difference_lines
from capsim.cli import app
from capsim.compare import COMPARISON_BY_YEAR_COLUMNS, compare, team_changes, team_lines
from capsim.scenario import load_scenario
from capsim.words import signed
from tests.conftest import mmc, staffed_files
from tests.test_compare_by_year import new_year

runner = CliRunner()


def _run(scenario, **columns: list[float]) -> SimpleNamespace:
    """A run as :func:`capsim.compare.compare` reads it: its scenario, one row per replication
    (three, seed 1) and a summary naming its metrics."""
    return SimpleNamespace(scenario=scenario, per_replication=pd.DataFrame(columns), seed=1, replications=3,
                           summary=pd.DataFrame({"metric": list(columns)}))


def test_a_difference_not_measured_reads_n_a_whatever_its_size():
    assert signed(nan) == "n/a"
    assert signed(nan, ref=150.0) == "n/a"  # beside a difference of 100 or more, where int() of NaN raised
    assert signed(nan, share=True) == "n/a"


def test_one_replication_compares_without_crashing(tmp_path):
    """Three analysts at twice their capacity against twelve, one replication: the mean wait differs
    by far more than 100 h, with no interval."""
    paths = staffed_files(tmp_path, (3, 12))
    done = runner.invoke(app, ["compare", *paths, "-r", "1", "-w", "1", "--out", str(tmp_path / "cmp")],
                         terminal_width=300)
    assert done.exit_code == 0, done.output
    table = pd.read_csv(tmp_path / "cmp" / "comparison.csv").set_index(["scenario", "metric"])
    assert table.loc[("staff-12", "wait_mean"), "difference"] < -100  # hours
    row = next(line for line in done.output.splitlines() if "Mean wait before" in line and "staff-12" in line)
    assert row.rstrip(" │").endswith("one replication: no interval")  # the difference's interval


def _years(scenario, **metrics: list[tuple[float, float, float]]) -> tuple[list[SimpleNamespace], pd.DataFrame]:
    """Runs a and b of ``scenario`` and a compare_by_year table of them over its calendar years, each
    metric's paired difference and interval in b year by year (a's are 0); a's mean each year 0.5
    more than b's largest fall (no level below 0), b's that plus its difference."""
    from capsim.periods import calendar_periods

    periods = [p.label for p in calendar_periods(scenario)]
    before = {metric: 0.5 + max([0.0] + [-y[0] for y in years if y[0] < 0]) for metric, years in metrics.items()}
    rows = [[name, period, metric, before[metric] + (years[i][0] if name == "b" else 0.0), 0.4, 0.6,
             *(years[i] if name == "b" else (0.0, 0.0, 0.0)), ""]
            for i, period in enumerate(periods) for name in ("a", "b") for metric, years in metrics.items()]
    return [SimpleNamespace(scenario=scenario)] * 2, pd.DataFrame(rows, columns=COMPARISON_BY_YEAR_COLUMNS)


def long_run(days: int) -> object:
    """A scenario from 1 Jan 2025 over ``days`` days (no warm-up), with a service level."""
    raw = {**mmc(5, 120, 0.2, days=days, warmup_days=0), "sla": [{"priority": "normal", "within": "10min",
                                                                    "target": 0.9}]}
    raw["clock"]["start"] = "2025-01-01"
    return load_scenario(raw)


def test_year_lines_say_one_replication_and_a_year_not_measured():
    """Mean waits of 100 days and more, one replication (no interval): the line says so instead of
    crashing; a year with nothing measured says so instead of "one replication"."""
    runs, table = _years(long_run(3 * 365), wait_mean=[(nan, nan, nan), (2400.0, nan, nan), (-3600.0, nan, nan)])
    assert year_difference_lines(runs, table)["b"] == [
        "Mean wait before assessment, by calendar year: 2025 n/a (not measured); 2026 +100 days (from 150 days to 250 "
        "days; one replication: no interval); 2027 −150 days (from 150 days to under 1 day; one replication: no "
        "interval)"]


def test_a_stub_of_a_year_makes_nothing_turn():
    """Two whole years and 1–8 Jan 2027: a service level clearly higher in both whole years and lower
    in the stub gets no line (comparison_by_year.csv keeps the stub); one that turns between the whole
    years is said without the stub."""
    runs, table = _years(long_run(2 * 365 + 8), sla_normal=[(0.01, 0.005, 0.015), (0.01, 0.005, 0.015),
                                                            (-0.05, -0.06, -0.04)],
                         wait_mean=[(2.0, 1.0, 3.0), (-48.0, -60.0, -36.0), (5.0, 4.0, 6.0)])
    assert year_difference_lines(runs, table)["b"] == [
        "Mean wait before assessment, by calendar year: 2025 +0.083 days (from 2.021 days to 2.104 days; 95% CI +0.042 "
        "to +0.125 days); 2026 −2.000 days (from 2.021 days to 0.021 days; 95% CI −2.500 to −1.500 days)"]  # one precision; the stub's +5 h is not in it, nor sets its unit


def test_a_shares_difference_stays_within_what_it_can_reach():
    """First run's share 30% (10%, 30%, 50%), the other's 100%: the difference is +70 points at most,
    and a wait can fall by its first mean at most, in the table the terminal, chart and CSV read."""
    scenario = load_scenario(mmc(5, 120, 0.2))
    other = load_scenario({**mmc(5, 120, 0.2), "name": "more"})
    runs = [_run(scenario, sla_normal=[0.1, 0.3, 0.5], wait_mean=[10.0, 100.0, 190.0]),
            _run(other, sla_normal=[1.0, 1.0, 1.0], wait_mean=[0.0, 0.0, 0.0])]
    row = compare(runs).set_index(["scenario", "metric"])
    share, wait = row.loc[("more", "sla_normal")], row.loc[("more", "wait_mean")]
    assert share.difference == pytest.approx(0.7) and share.difference_ci_high == pytest.approx(0.7)
    assert 0 < share.difference_ci_low < 0.7  # the t interval's lower end, 0.7 − 4.30 × 0.2/√3 ≈ 0.20, unclipped
    assert wait.difference_ci_low == pytest.approx(-100.0)  # −100 − 4.30 × 90/√3 ≈ −323: no wait below 0
    assert wait.difference_ci_high == pytest.approx(-100.0 + 4.303 * 90.0 / 3 ** 0.5, rel=1e-3)  # unclipped
    chart = paired_differences(runs, ["sla_normal"]).set_index("scenario").loc["more"]
    assert chart.diff_ci_high == pytest.approx(0.7)


@pytest.fixture(scope="module")
def hashing() -> list[SimpleNamespace]:
    """base (hash matching on, no price) against base without it: 53,000 more items assessed,
    490,000 fewer cleared; AI-generated items (a stream with no known items) the same."""
    base = load_scenario(bundled.path("base"))
    off = load_scenario(bundled.path("base"), ["name=base-nohash", "tooling.hash_matching.enabled=false"])
    same = dict(ai_generated=[70.0, 72.0, 74.0], assessed_realistic=[58.0, 59.0, 60.0])
    return [_run(base, auto_cleared=[489000.0, 490000.0, 491000.0], assessed=[410000.0, 411000.0, 412000.0],
                 cost_per_assessed=[1.19, 1.20, 1.21], ai_generated_share=[1.7e-4, 1.75e-4, 1.8e-4], **same),
            _run(off, auto_cleared=[0.0] * 3, assessed=[463000.0, 464000.0, 466000.0],
                 cost_per_assessed=[0.95, 0.953, 0.956], ai_generated_share=[0.79e-4, 0.8e-4, 0.81e-4], **same)]


REMOVED = ("counts different items: up to 490,000 items that hash matching cleared in base reach analysts in "
           "base-nohash (auto_cleared)")
"""The note of a metric over the items that reach analysts, base against base-nohash."""


def test_a_cost_keeps_the_removed_items_note_beside_the_unpriced_tool(hashing):
    cost = compare(hashing).set_index(["scenario", "metric"]).note["base-nohash", "cost_per_assessed"]
    assert cost.startswith("counts a tool with no price at 0") and "; counts different items: " in cost


def test_the_removed_items_note_cannot_be_read_as_the_difference(hashing):
    notes = compare(hashing).set_index(["scenario", "metric"]).note
    assert notes["base-nohash", "assessed"] == REMOVED  # "up to": never to be read as the 53,000 more assessed
    assert notes["base-nohash", "cost_per_assessed"].endswith(REMOVED)


def test_ai_generated_items_count_other_items_only_where_hash_matching_can_clear_them(hashing):
    notes = compare(hashing).set_index(["scenario", "metric"]).note
    for metric in ("ai_generated", "assessed_realistic"):  # no AI-generated item has a known hash in base
        assert not notes["base-nohash", metric]
    assert notes["base-nohash", "ai_generated_share"] == REMOVED  # its denominator counts the cleared items
    with_ai = load_scenario(bundled.path("base"), ["demand.2.mix.ai_generated=0.1"])
    without = load_scenario(bundled.path("base"), ["demand.2.mix.ai_generated=0.1", "name=base-nohash",
                                                   "tooling.hash_matching.enabled=false"])
    ai = compare([_run(with_ai, **hashing[0].per_replication.to_dict("list")),
                  _run(without, **hashing[1].per_replication.to_dict("list"))]).set_index(["scenario", "metric"]).note
    assert ai["base-nohash", "ai_generated"] == REMOVED  # where AI-generated items can be on the list


@pytest.fixture(scope="module")
def three_runs() -> list[SimpleNamespace]:
    """growth-central; a run named "flooding" whose victim_id queue grows 62%; another run also
    named "flooding" that changes nothing."""
    first = load_scenario(bundled.path("growth-central"))
    other = load_scenario(bundled.path("growth-central"), ["name=flooding"])
    same = dict(victim_id_hours=[13060.0] * 3, analyst_hours_victim_id=[13060.0] * 3)
    base = dict(wait_mean_victim_id=[4400.0, 4430.0, 4470.0], backlog_end_victim_id=[4600.0, 4654.0, 4708.0],
                backlog_end=[489000.0, 489300.0, 489600.0], **same)
    flood = dict(wait_mean_victim_id=[6350.0, 6430.0, 6466.0], backlog_end_victim_id=[7480.0, 7553.0, 7626.0],
                 backlog_end=[491000.0, 491100.0, 491200.0], **same)
    return [_run(first, **base), _run(other, **flood), _run(other, **base)]


def test_runs_that_share_a_name_keep_their_own_teams(three_runs):
    lines = team_lines(three_runs)
    assert list(lines) == ["flooding", "flooding (2)"]  # as the chart labels them
    assert lines["flooding"][0].startswith("team victim_id: mean wait 83 days longer") and lines["flooding (2)"] == []
    table = compare(three_runs)
    assert list(dict.fromkeys(table.scenario)) == ["growth-central", "flooding", "flooding (2)"]
    notes = table.set_index(["scenario", "metric"]).note
    assert notes["flooding", "victim_id_hours"].startswith("shows no difference, but team victim_id is worse off")
    assert not notes["flooding (2)", "victim_id_hours"]


def test_compare_finds_each_teams_changes_once(three_runs, monkeypatch):
    """The notes and the lines read one :func:`team_changes`, given to :func:`compare`."""
    import capsim.compare

    calls = []
    monkeypatch.setattr(capsim.compare, "team_changes", lambda *a, **k: calls.append(a) or team_changes(*a, **k))
    changes = team_changes(three_runs)
    notes = compare(three_runs, changes).set_index(["scenario", "metric"]).note
    assert calls == [] and notes["flooding", "victim_id_hours"].startswith("shows no difference")
    assert team_lines(three_runs, changes)["flooding"][0].startswith("team victim_id:") and calls == []


@pytest.mark.parametrize(("before", "after", "said"), [
    (100.0, 1100.0, "(1,000% more; the same in every replication)"),  # +1,000%: still a percentage
    (100.0, 1200.0, "(from 100 to 1,200; the same in every replication)"),  # beyond: the two figures
    (1100.0, 437000.0, "(from 1,100 to 437,000; the same in every replication)"),  # (each run moved alike)
    (0.0, 50.0, "(from 0.0 to 50.0; 95% CI "),  # as "50.0 more" beside them
])
def test_a_rise_from_almost_nothing_gives_the_two_figures_not_a_percentage(before, after, said):
    first = load_scenario(bundled.path("growth-central"))
    other = load_scenario(bundled.path("growth-central"), ["name=grown"])
    spread = np.array([-1.0, 0.0, 1.0])
    runs = [_run(first, backlog_end_victim_id=list(before + spread * min(before, 1.0))),
            _run(other, backlog_end_victim_id=list(after + spread))]
    words = team_changes(runs)["grown"][0].words
    assert said in words and "% more" not in words.replace("1,000% more", "")


def test_compare_names_the_years_it_could_not_pair(tmp_path):
    """Another warm-up and horizon: neither 2025 nor 2026 pairs, and the message says so of both."""
    paths = []
    for servers, days, warmup in ((5, 14, 1), (6, 13, 2)):
        raw = {**new_year(servers, days), "experiment": {"replications": 2, "seed": 8}}
        raw["clock"]["warmup"] = f"{warmup}d"
        paths.append(tmp_path / f"{servers}.yaml")
        paths[-1].write_text(yaml.safe_dump(raw), encoding="utf-8")
    done = runner.invoke(app, ["compare", *map(str, paths), "--out", str(tmp_path / "cmp"), "-w", "1"])
    assert done.exit_code == 0, done.output
    assert ("comparison_by_year.csv leaves out 2025, 2026: the runs do not measure the same part of them (another "
            "warm-up, start or horizon), so they do not pair.") in " ".join(done.output.split())
