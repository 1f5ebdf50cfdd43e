"""A comparison pairs each calendar year as it pairs the whole run, and says where a tool's
effect turns between years; the comparison chart's share axes stop at 100%.

Trial 11: ``capsim compare growth-central gc-classifier.yaml`` gave paired differences for the
whole run only (summary.csv has each year's levels, not their differences), so a manager could
not say in which year a tool helps: the classifier lowers the share of reports within 72 h by
their own priority in 2027 (−1.8 points) and raises it by 66 points in 2028. The comparison
chart's share axis ran past 100% ("100.02%").
"""

from __future__ import annotations

import re
from math import nan

from types import SimpleNamespace

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from capsim import charts
from capsim.charts.compare import year_difference_lines
from capsim.cli import app
from capsim.compare import COMPARISON_BY_YEAR_COLUMNS, compare, compare_by_year, turning_metrics
from capsim.experiment import simulate
from capsim.results import mean_ci
from capsim.scenario import load_scenario
from tests.conftest import mmc

runner = CliRunner()


def new_year(servers: int, days: int = 14) -> dict:
    """Five or six analysts at a light load (20% with five) from Monday 22 Dec 2025 for ``days``
    days after a day's warm-up, and a burst of 3,000 images on 2 Jan 2026: the sixth analyst makes
    no clear difference to the share within 10 min in 2025 (23–31 Dec) and raises it clearly in
    2026 (1–4 Jan), when the burst waits."""
    raw = mmc(5, 120, 0.2, days=days, warmup_days=1, stream={"bursts": [{"at": "2026-01-02", "items": 3000}]})
    raw["name"] = f"staff-{servers}" + ("" if days == 14 else f"-{days}d")
    raw["workforce"][0]["headcount"] = servers
    raw["clock"]["start"] = "2025-12-22"
    raw["sla"] = [{"priority": "normal", "within": "10min", "target": 0.9}]
    return raw


@pytest.fixture(scope="module")
def pair():
    """The two staffings, three replications under one seed (common random numbers)."""
    return [simulate(load_scenario(new_year(n)), replications=3, seed=8) for n in (5, 6)]


def test_each_year_is_paired_replication_by_replication_as_the_whole_run_is(pair):
    table = compare_by_year(pair)
    assert list(table.columns) == COMPARISON_BY_YEAR_COLUMNS
    assert list(dict.fromkeys(table.period)) == ["2025", "2026"]  # as summary.csv's period column names them
    assert list(dict.fromkeys(table.period)) == list(dict.fromkeys(pair[0].period_summary.period))
    for period in ("2025", "2026"):
        a, b = (r.per_period[r.per_period.period == period].sort_values("replication") for r in pair)
        row = table[(table.scenario == "staff-6") & (table.period == period)].set_index("metric").loc["sla_normal"]
        expected = mean_ci(b.sla_normal.to_numpy() - a.sla_normal.to_numpy())
        assert (row.difference, row.difference_ci_low, row.difference_ci_high) == pytest.approx(expected, rel=1e-12)
        assert row["mean"] == pytest.approx(b.sla_normal.mean(), rel=1e-12)
    first = table[table.scenario == "staff-5"]
    assert (first.difference.dropna() == 0).all()  # the first run against itself, year by year


def test_a_year_keeps_the_notes_the_whole_run_gives():
    # hash matching on in one run only: the whole run's items assessed count other items, and so do each year's
    raw = new_year(5)
    raw["demand"][0]["mix"] = {"known": 0.5}
    cleared = load_scenario({**raw, "name": "hashed", "tooling": {"hash_matching": {"enabled": True}}})
    runs = [simulate(load_scenario(raw), replications=2, seed=3), simulate(cleared, replications=2, seed=3)]
    whole = compare(runs).set_index(["scenario", "metric"]).note
    by_year = compare_by_year(runs)
    assessed = by_year[(by_year.scenario == "hashed") & (by_year.metric == "assessed")]
    assert whole["hashed", "assessed"].startswith("counts different items: up to ")
    assert whole["hashed", "assessed"].endswith(" items that hash matching cleared in hashed reach analysts in staff-5 "
                                                "(auto_cleared)")
    assert len(assessed) == 2 and all(n.startswith("counts different items: up to ") for n in assessed.note)


def test_a_year_the_runs_measure_differently_is_not_paired():
    shorter = [simulate(load_scenario(new_year(5)), replications=2, seed=8),
               simulate(load_scenario(new_year(6, days=13)), replications=2, seed=8)]
    assert list(dict.fromkeys(compare_by_year(shorter).period)) == ["2025"]  # 2026: 1–4 Jan against 1–3 Jan


def test_a_service_level_whose_difference_turns_between_years_gets_one_line(pair):
    lines = year_difference_lines(pair)["staff-6"]
    sla = next(line for line in lines if line.startswith("Share of images assessed within 10 min, by calendar year: "))
    first, second = re.split(r"(?<=\)); (?=\d{4})", sla.split(": ", 1)[1])  # "; " parts the years, and within
    assert first.startswith("2025 (23–31 Dec) ") and first.endswith(" points: no clear difference)")
    assert second.startswith("2026 (1–4 Jan) +2.") and "; 95% CI +2." in second and second.endswith(" points)")
    numbers = re.findall(r"[+−]?<?\d+(?:\.\d+)?(?= points| to)", sla)
    assert len({len(x.partition(".")[2]) for x in numbers}) == 1, sla  # one precision a line


def years_table(before: float = 0.5, **metrics: list[tuple[float, float, float]]) -> pd.DataFrame:
    """A compare_by_year table of runs a and b over 2025 and 2026: each metric's paired difference
    and its interval in b, year by year (a's are 0); a's mean ``before``, b's that plus its difference."""
    rows = []
    for i, period in enumerate(("2025", "2026")):
        for scenario in ("a", "b"):
            for metric, years in metrics.items():
                d, low, high = years[i] if scenario == "b" else (0.0, 0.0, 0.0)
                rows.append([scenario, period, metric, before + d, 0.4, 0.6, d, low, high, ""])
    return pd.DataFrame(rows, columns=COMPARISON_BY_YEAR_COLUMNS)


def test_only_metrics_that_change_sign_or_significance_between_years_get_a_line(pair):
    table = years_table(
        wait_mean=[(-2.0, -3.0, -1.0), (-5.0, -6.0, -4.0)],  # shorter in both years: agrees, no line
        sla_normal=[(0.001, -0.002, 0.004), (0.03, 0.01, 0.05)],  # no clear difference, then higher
        sla_normal_analysts=[(0.001, -0.002, 0.004), (0.03, 0.01, 0.05)],  # the same figures again: not repeated
        backlog_end=[(5.0, 1.0, 9.0), (-5.0, -9.0, -1.0)],  # turns, but neither a service level nor the mean wait
        sla_high=[(nan, nan, nan), (0.03, 0.01, 0.05)],  # no item with a known outcome in the first year: nothing turns
    )
    scenarios = [r.scenario for r in pair]
    assert turning_metrics(table, scenarios) == {"b": ["sla_normal"]}
    turned = years_table(50.0, wait_mean=[(2.0, 1.0, 3.0), (-48.0, -60.0, -36.0)])
    line = year_difference_lines([SimpleNamespace(scenario=s) for s in scenarios], turned)["b"][0]
    assert line == ("Mean wait before assessment, by calendar year: 2025 (23–31 Dec) +0.083 days (from 2.083 days to "
                    "2.166 days; 95% CI +0.042 to +0.125 days); 2026 (1–4 Jan) −2.000 days (from 2.083 days to 0.083 "
                    "days; 95% CI −2.500 to −1.500 days)")  # one unit a line, the levels each year moves between,
    # and one precision: each year's difference and its bounds in the same decimals (trial 12 read "+16.6 days (95% CI
    # +3.22 to +30 days)"), and every year in those of the most precise (a user trial read "+66 points ... +65.13")


def test_a_relabelled_share_is_left_to_its_own_priority_row(pair):
    classified = load_scenario({**new_year(6), "tooling": {"classifier": {"enabled": True, "recall": 0.9, "fpr": 0.1}}})
    table = years_table(sla_normal=[(0.01, 0.005, 0.015), (-0.01, -0.015, -0.005)],
                        sla_normal_original=[(0.01, 0.005, 0.015), (-0.02, -0.03, -0.01)])
    assert turning_metrics(table, [pair[0].scenario, classified]) == {"b": ["sla_normal_original"]}


@pytest.fixture
def files(tmp_path):
    paths = []
    for servers, days in ((5, 14), (6, 14), (6, 13)):
        path = tmp_path / f"staff-{servers}-{days}.yaml"
        path.write_text(yaml.safe_dump({**new_year(servers, days), "experiment": {"replications": 3, "seed": 8}}),
                        encoding="utf-8")
        paths.append(path)
    return paths


def test_compare_writes_each_years_differences_and_says_where_they_turn(files, tmp_path):
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", str(files[0]), str(files[1]), "--out", str(out), "-w", "1"])
    assert result.exit_code == 0, result.output
    by_year = pd.read_csv(out / "comparison_by_year.csv", dtype={"period": str})
    assert list(by_year.columns) == COMPARISON_BY_YEAR_COLUMNS
    assert set(by_year.period) == {"2025", "2026"}
    text = " ".join(result.output.split())
    assert ("staff-6 against staff-5, by calendar year where the paired difference changes sign or significance "
            "between years (comparison_by_year.csv): ") in text
    assert "Share of images assessed within 10 min, by calendar year: 2025 (23–31 Dec) " in text
    assert "comparison.csv, comparison_by_year.csv, summary.csv, manifest.json" in text
    assert "leaves out" not in text


def test_compare_says_which_years_it_could_not_pair(files, tmp_path):
    result = runner.invoke(app, ["compare", str(files[0]), str(files[2]), "--out", str(tmp_path / "cmp"), "-w", "1"])
    assert result.exit_code == 0, result.output
    assert ("comparison_by_year.csv leaves out 2026: the runs do not measure the same part of it (another warm-up, "
            "start or horizon), so it does not pair.") in " ".join(result.output.split())


def test_a_share_axis_stops_at_100_percent():
    """Every replication meets the deadline (100%): the axis ends at 100%, not a sliver beyond
    with a tick at 100.02%, and the marker at its edge is drawn whole."""
    raw = mmc(5, 120, 0.2, days=3, sla=[{"priority": "normal", "within": "1h", "target": 0.9}])
    runs = [simulate(load_scenario({**raw, "name": name, "workforce": [{**raw["workforce"][0], "headcount": n}]}),
                     replications=3, seed=4) for name, n in (("five", 5), ("six", 6))]
    assert all(r.metric("sla_normal") == 1.0 for r in runs)
    fig = charts.comparison(runs, ["sla_normal"])
    levels, differences = fig.axes[0], fig.axes[1]
    low, high = levels.get_xlim()
    assert high == 1.0 and low >= 0.0
    assert all(t <= 1.0 for t in levels.get_xticks() if low <= t <= high)
    assert not any(c.get_clip_on() for c in levels.collections)  # the diamonds at 100% are whole
    assert differences.get_xlim()[0] < 0 < differences.get_xlim()[1]  # points either way
