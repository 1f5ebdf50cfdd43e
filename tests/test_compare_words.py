"""A comparison line gives a difference and its bounds in one rounding, names a team one way, and a
run-out metric names the teams whose items it counts.

Review of the report's "Differences" (base against base-nohash, growth-central against
gc-classifier): the whole-run lines rounded a difference and each bound alone ("Synthetic items
referred on: +26.3 (95% CI −2.78 to +55.4)") where the year lines share their decimals; the year
lines named "Mean wait before assessment (victim id)" beside team lines of "team victim_id"; and
"Days after the end to clear those still waiting: +245" stood beside 341,000 fewer items waiting
with nothing to say that the run-out also waits for the referrals at team victim_id.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from capsim import bundled, cli
from capsim.charts.compare import difference_words, panel_label, team_label, year_difference_lines
from capsim.compare import (COUNT_DIGITS, POINT_DIGITS, UNIT_DIGITS, compare, metric_team, real_work_notes,
                            team_changes)
from capsim.metric_names import PER_TEAM
from capsim.report.findings import comparison_lines
from capsim.scenario import load_scenario
from capsim.units import SHARE_DECIMALS, UNIT_HOURS
from capsim.words import metric_label, metric_words
from tests.conftest import mmc, staffed_files
from tests.test_compare_review19 import _run
from tests.test_compare_trial12 import _years

NUMBER = re.compile(r"[+\u2212]?\d[\d,]*(?:\.(\d+))?")


def decimals(text: str) -> list[int]:
    """The decimals of each number in ``text``, in order."""
    return [len(m.group(1) or "") for m in NUMBER.finditer(text)]


def table(rows: dict[str, tuple[float, float, float]]) -> pd.DataFrame:
    """A paired_differences table of runs a and b: each metric's difference and interval in b (a's 0)."""
    return pd.DataFrame([{"scenario": name, "metric": metric, "diff": d if name == "b" else 0.0,
                          "diff_ci_low": low if name == "b" else 0.0, "diff_ci_high": high if name == "b" else 0.0,
                          "note": ""}
                         for name in ("a", "b") for metric, (d, low, high) in rows.items()])


def test_a_whole_run_line_gives_the_difference_and_its_bounds_in_the_same_decimals():
    lines = comparison_lines(table({
        "synthetic_referred": (26.333, -2.778, 55.44),  # the trial's "+26.3 (95% CI −2.78 to +55.4)"
        "sla_normal": (0.0312, 0.00004, 0.0624),  # a bound that is not 0 never reads 0 (nor "0.0")
        "wait_mean": (-3.2, -5.0, -1.0),  # hours, as the year lines give them: three figures
        "expired": (0.01, -20.0, 20.02),  # near 0 beside a wide interval: the interval's decimals, not 0
        "utilisation_usable": (-0.100087, -0.102737, -0.097438),  # a narrow interval's ends kept apart
    }))["b"]
    assert lines == [
        "Synthetic items referred on: +26.3 (95% CI \u22122.8 to +55.4): no clear difference",
        "Share assessed within the deadline (normal): +3.1 points (95% CI +<0.1 to +6.2 points)",
        "Mean wait before assessment: \u22123.20 h (95% CI \u22125.00 to \u22121.00 h)",
        "Items expired unassessed: +<0.1 (95% CI \u221220.0 to +20.0): no clear difference",
        "Utilisation of usable hours (on shift, up to any exposure cap): \u221210.0 points (95% CI \u221210.3 to "
        "\u22129.7 points)"]


@pytest.mark.parametrize("metric", ["assessed", "sla_normal", "wait_mean", "cost_total", "utilisation"])
@pytest.mark.parametrize("d, half", [(0.7, 0.05), (0.02, 31.0), (-95.0, 260.0), (-0.37 * 24, 5.5 * 24),
                                     (25.0, 0.0001)])
def test_every_difference_shares_its_bounds_decimals(metric, d, half):
    """Shares in points, waits in their unit, counts and money: one number of decimals a line, and
    as many as the interval's half-width needs: at least one significant figure of it, at most as
    many as the line gives the difference (a wait's :data:`UNIT_DIGITS`, points' :data:`POINT_DIGITS`,
    counts' :data:`COUNT_DIGITS`), and a share's points never beyond the shares' own
    :data:`SHARE_DECIMALS` (a half-width of 0.0001 points: "+25.00", not "+25.0000")."""
    share = metric.startswith(("sla_", "utilisation"))
    scale = 0.01 if share else 1.0
    line, = comparison_lines(table({metric: (d * scale, (d - half) * scale, (d + half) * scale)}))["b"]
    body = line.split(": ", 1)[1]
    numbers = decimals(body)
    assert len(numbers) == 4 and len(set(numbers[:1] + numbers[2:])) == 1, line  # 95 (of "95% CI") aside
    unit = re.search(r"\d (points|min|h|days)\b", body)
    digits = (POINT_DIGITS if share else UNIT_DIGITS[unit.group(1)] if metric.startswith("wait") else COUNT_DIGITS)
    size = math.floor(math.log10(half / (UNIT_HOURS[unit.group(1)] if metric.startswith("wait") else 1.0)))
    most = max(0, digits - 1 - size)
    most = min(most, SHARE_DECIMALS) if share else most
    assert min(most, max(0, -size)) <= numbers[0] <= most, line


def test_a_difference_not_measured_reads_n_a():
    assert difference_words("assessed", float("nan"), float("nan"), float("nan"))[0] == ["n/a"] * 3


def test_the_terminal_table_gives_a_difference_and_its_interval_in_the_same_decimals(tmp_path, monkeypatch):
    """Two small runs compared by ``capsim compare``: each row's difference and its interval's cells
    share their decimals (the trial's table read "+9.91 | −21.1 to +51.1")."""
    monkeypatch.setattr(cli, "out_console", Console(width=400))
    paths = staffed_files(tmp_path, (3, 4))
    done = CliRunner().invoke(cli.app, ["compare", *paths, "-r", "3", "-w", "1", "--out", str(tmp_path / "cmp")],
                              terminal_width=400)
    assert done.exit_code == 0, done.output
    rows = [[c.strip() for c in line.split("│")] for line in done.output.splitlines() if line.startswith("│ staff-4")]
    paired = [(r[5], r[6]) for r in rows if " to " in r[6]]
    assert len(paired) >= 5
    for difference, ci in paired:
        assert len(set(decimals(difference) + decimals(ci))) == 1, (difference, ci)


# --------------------------------------------------------------------------- one name a team


@pytest.fixture(scope="module")
def growth() -> object:
    return load_scenario(bundled.path("growth-central"))


def test_the_year_lines_name_a_team_as_the_team_lines_do(growth):
    runs, years = _years(growth, wait_mean_victim_id=[(-8.9, -142.0, 124.0), (398.0, 77.0, 719.0),
                                                      (2707.0, 2166.0, 3248.0), (5186.0, 5003.0, 5368.0)],
                         sla_normal_analysts=[(0.01, -0.01, 0.03), (0.05, 0.03, 0.07), (0.05, 0.03, 0.07),
                                              (0.05, 0.03, 0.07)])
    lines = year_difference_lines(runs, years)["b"]
    assert [line.split(", by calendar year")[0] for line in lines] == [
        "Mean wait before assessment at team victim_id", "Share of reports assessed within 72 h at team analysts"]


def test_the_whole_run_lines_and_the_chart_name_a_team_as_the_team_lines_do(growth):
    lines = comparison_lines(table({"wait_mean_victim_id": (1981.5, 1706.9, 2256.2),
                                    "sla_normal_analysts": (0.25, 0.17, 0.34),
                                    "victim_id_hours": (-10.0, -20.0, -1.0)}), growth)["b"]
    assert [line.split(":")[0] for line in lines] == [
        "Mean wait before assessment at team victim_id", "Share of reports assessed within 72 h at team analysts",
        "Victim-identification hours"]  # a metric's own label stays
    assert panel_label("sla_normal_analysts", growth, []) == "Share of reports assessed within 72 h at team analysts"
    assert panel_label("wait_mean_victim_id", growth, []) == "Mean wait before assessment at team victim_id (h)"


# --------------------------------------------------------------------------- the run-out's teams


def test_the_run_out_metrics_name_the_teams_whose_items_they_count(growth):
    """growth-central against gc-classifier as in the trial: 341,000 fewer of the streams' items
    waiting, a run-out 245 days longer (victim_id's queue clears last)."""
    other = load_scenario(bundled.path("growth-central"), ["name=gc-classifier"])
    runs = [_run(growth, waiting=[480000.0, 485000.0, 490000.0], runout_days=[380.0, 383.0, 386.0],
                 censored=[0.0] * 3),
            _run(other, waiting=[140000.0, 144000.0, 148000.0], runout_days=[625.0, 628.0, 631.0],
                 censored=[0.0] * 3)]
    notes = compare(runs).set_index(["scenario", "metric"]).note
    assert notes["gc-classifier", "runout_days"] == (
        "counts the referrals waiting at team victim_id too: the run-out lasts until the last item at any team is "
        "assessed or expires, so it can rise while fewer of the streams' items are still waiting (waiting)")
    assert notes["gc-classifier", "waiting"] == (
        "counts the streams' items only (at team analysts, team graders), not the referrals waiting at team victim_id")
    assert notes["gc-classifier", "censored"] == "counts the referrals waiting at team victim_id too, as the streams' own items"


def test_the_run_out_notes_name_the_runs_that_refer_and_none_without_referrals():
    one = load_scenario(mmc(3, 3600, 0.5, days=14))
    runs = [_run(one, runout_days=[1.0, 2.0, 3.0]), _run(one.model_copy(update={"name": "more"}), runout_days=[0.5] * 3)]
    assert compare(runs).note.eq("").all()
    police = load_scenario(bundled.path("police-unit"))
    mixed = [_run(police.model_copy(update={"routing": []}), runout_days=[1.0, 2.0, 3.0]),
             _run(police, runout_days=[4.0, 5.0, 6.0])]
    note = compare(mixed).set_index(["scenario", "metric"]).note["police-unit", "runout_days"]
    assert note.startswith("counts the referrals waiting at team investigation (in police-unit) too: ")


# --------------------------------------------------------------------------- no figure that is not 0 reads 0


def test_a_bound_that_is_not_zero_never_reads_zero():
    """A bound of +0.004 points beside a difference of +3.1 read "0.0", an interval touching 0:
    closer to 0 than the shared decimals show, it says how close and which way, as :func:`signed`
    does; a share's points are never given beyond :data:`SHARE_DECIMALS` ("+25.0000" was)."""
    assert difference_words("sla_normal", 0.0312, 0.00004, 0.0624) == (["+3.1", "+<0.1", "+6.2"], "points")
    assert difference_words("expired", -0.01, -20.02, 20.0) == (["\u2212<0.1", "\u221220.0", "+20.0"], "")
    assert difference_words("sla_normal", 0.25, 0.249999, 0.250001) == (["+25.00"] * 3, "points")
    assert difference_words("sla_normal", 0.00003, 0.00001, 0.00005)[0][:2] == ["+<0.01", "+<0.01"]
    assert difference_words("assessed", 0.0, -3.0, 3.0)[0] == ["0.00", "\u22123.00", "+3.00"]  # 0 itself reads 0


@pytest.mark.parametrize("metric", ["sla_normal", "assessed", "wait_mean"])
def test_no_figure_that_is_not_zero_reads_zero(metric):
    """Any difference and bounds, from a millionth to thousands, in any unit the line picks."""
    sizes = np.geomspace(1e-6, 5e3, 23) * (0.01 if metric == "sla_normal" else 1.0)
    for d in sizes:
        for low, high in ((-sizes[-1], d * 2), (d / 1000, d * 2), (-d, -d / 1000)):
            for x, text in zip((d, low, high), difference_words(metric, d, low, high)[0]):
                assert not re.fullmatch(r"[+\u2212]?0(\.0*)?", text), (metric, d, low, high, text)
                assert text.startswith("+" if x > 0 else "\u2212"), (metric, d, low, high, text)


# --------------------------------------------------------------------------- the team lines and notes


def test_a_teams_line_gives_each_figure_as_the_comparison_table_does(growth):
    """Team lines rounded each figure alone: "10 points lower (95% CI 10 to 10 points)", "mean wait
    42 days longer (95% CI 42 to 42 days)", "2,900 more items waiting (... 95% CI 2,770 to 3,040)"
    beside the table's −10.0 (−10.3 to −9.7), +41.7 (+41.6 to +41.8), +2,903 (+2,772 to +3,035)."""
    other = growth.model_copy(update={"name": "b"})
    half = 0.001066  # three replications: a 95% interval of about ±0.0026 (t of 2 degrees of freedom, 4.30)
    runs = [_run(growth, sla_normal_analysts=[0.6] * 3, wait_mean_victim_id=[100.0] * 3,
                 backlog_end_graders=[1000.0] * 3),
            _run(other, sla_normal_analysts=[0.6 - 0.100087 + k * half for k in (-1, 0, 1)],
                 wait_mean_victim_id=[1100.0 + k for k in (-1.07, 0, 1.07)],
                 backlog_end_graders=[3903.4 + k * 53.0 for k in (-1, 0, 1)])]
    words = {c.team: c.words for c in team_changes(runs)["b"]}
    rows = compare(runs).set_index(["scenario", "metric"])

    def table_says(metric: str, unit: str | None = None) -> list[str]:
        row = rows.loc["b", metric]
        said, _ = difference_words(metric, row.difference, row.difference_ci_low, row.difference_ci_high, unit)
        return [text.lstrip("+\u2212") for text in said]

    d, low, high = table_says("sla_normal_analysts")
    assert words["analysts"] == (f"reports within 72 h {d} points lower (from 60.0% to 50.0%; 95% CI {high} to {low} "
                                 "points)") == (
        "reports within 72 h 10.0 points lower (from 60.0% to 50.0%; 95% CI 9.7 to 10.3 points)")
    d, low, high = table_says("wait_mean_victim_id", "days")
    assert words["victim_id"] == f"mean wait {d} days longer (from 4.2 days to 45.9 days; 95% CI {low} to {high} days)"
    d, low, high = table_says("backlog_end_graders")
    assert words["graders"] == f"{d} more items waiting at the end (290% more; 95% CI {low} to {high})"


def test_the_real_work_note_gives_the_hours_as_the_table_does():
    """``capsim compare base tooling-detector``: the table's −69.8 (−99.0 to −40.6) beside the note's
    "69.8 h (95% CI 40.6 to 99 h)". Here 69.8 h fewer, all on real items, 95% CI 20.6 to 119.0 h."""
    base, detector = load_scenario(bundled.path("base")), load_scenario(bundled.path("tooling-detector"))
    runs = [_run(base, victim_id_hours=[200.0] * 3, victim_id_hours_on_synthetic=[0.0] * 3,
                 referrals_lost_real=[0.0] * 3),
            _run(detector, victim_id_hours=[150.0, 130.2, 110.4], victim_id_hours_on_synthetic=[0.0] * 3,
                 referrals_lost_real=[2.0] * 3)]
    row = compare(runs).set_index(["scenario", "metric"]).loc["tooling-detector", "victim_id_hours"]
    (d, low, high), _ = difference_words("victim_id_hours", row.difference, row.difference_ci_low,
                                         row.difference_ci_high)
    assert (d, low, high) == ("\u221269.8", "\u2212119.0", "\u221220.6")
    note = real_work_notes(runs)["tooling-detector", "victim_id_hours"]
    assert f": {d[1:]} h (95% CI {high[1:]} to {low[1:]} h) fewer on real" in note, note


# --------------------------------------------------------------------------- a team's own figure


def named(scenario, *teams: str):
    """``scenario`` with its teams renamed ``teams``, in order (their names alone, as the labels read them)."""
    return scenario.model_copy(update={"workforce": [t.model_copy(update={"team": name})
                                                     for t, name in zip(scenario.workforce, teams)]})


def test_a_metric_is_a_teams_only_where_the_run_writes_it_per_team(growth):
    """Teams named like the end of a whole run's metric: the metric stays the run's."""
    teams = named(growth, "urgent", "usable", "harmful")
    for metric in ("sla_urgent", "utilisation_usable", "wait_mean_missed_harmful", "assessed_criminal"):
        assert metric_team(metric, teams) is None, metric
        assert team_label(metric, teams) == metric_label(metric, teams), metric
    assert team_label("utilisation_usable", teams) == "Utilisation of usable hours (on shift, up to any exposure cap)"
    assert metric_team("utilisation_usable_usable", teams) == "usable"
    assert metric_team("wait_mean_urgent_harmful", teams) == "harmful"
    assert metric_team("sla_normal_urgent", teams) == "urgent"


def test_a_teams_own_figure_names_its_team_once_and_no_other_teams(growth):
    for team in (t.team for t in growth.workforce):
        for metric in [f"{m}_{team}" for m in PER_TEAM] + [f"sla_{p}_{team}" for p in growth.priorities]:
            for label in (metric_label, metric_words):
                text = team_label(metric, growth, label)
                rest = text.replace(f" at team {team}", "", 1)
                assert team not in rest and team.replace("_", " ") not in rest and "all teams" not in rest, text
    assert team_label("backlog_end_graders", growth) == "Items waiting at the end of the run at team graders"
    assert team_label("sla_high_analysts", growth) == "Share assessed within the deadline (high) at team analysts"
    assert team_label("wait_mean_victim_id", growth) == "Mean wait before assessment at team victim_id (h)"
    assert team_label("wait_mean_victim_id", growth, metric_words) == "Mean wait before assessment at team victim_id"
