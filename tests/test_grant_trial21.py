"""The twenty-first user trial's grant defects: "FTE needed" that counted teams no target sizes; "hires
late by N weeks" written beside every team's service level; a flat queue called growing; a share's
interval rounded to 100.0% in the terminal while the report gave 99.95%."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from capsim import charts
from capsim.charts.grant import _share_ci
from capsim.grant import grant
from capsim.grant_notes import unplanned_notes
from capsim.scenario import load_scenario
from tests.test_grant import hotline
from tests.test_grant_trial11 import page, terminal, with_victim_id

GRANT_START = dt.date(2027, 4, 1)


@pytest.fixture(scope="module")
def kept():
    """The small hotline (planned) referring half its reports to one victim-ID analyst with no SLA
    (kept as written), no growth, over two grant years."""
    return grant([load_scenario(with_victim_id(None))], GRANT_START, 2, replications=2)


# ----------------------------------------------------------------------------- 1. what "FTE needed" counts


def test_fte_needed_counts_the_planned_teams_and_the_seats_as_written_are_said_apart(kept):
    """growth-central's "53.0 analyst FTE are needed" held 16 FTE of graders and victim_id kept as
    written, which no target sizes. Here victim_id's one analyst is its own figure, in every output."""
    rows = kept.table.set_index("year")
    plan = kept.plans["small"][0]
    for k, year in enumerate(kept.years):
        assert rows.loc[year.label, "fte_needed"] == plan.periods[k].needed  # analysts' need alone (full time)
        assert rows.loc[year.label, "fte_as_written"] == 1.0
    last = rows.loc["2028/29"]
    said = (f"In 2028/29: {last.fte_needed:.1f} analyst FTE needed for the SLAs of team analysts, plus 1.0 FTE as "
            f"written for team victim_id, which no target sizes ({last.fte:.1f} in post on average, all teams")
    assert said in page(kept)
    text = terminal(kept)
    assert "FTE needed for SLAs" in text and "FTE as written (no SLA)" in text and "FTE in post (all teams)" in text
    title = " ".join(charts.grant_per_year(kept.table, kept.scenarios, kept.seed, kept.replications)
                     ._suptitle.get_text().split())
    assert (f"{last.fte_needed:.0f} FTE needed for the SLAs of team analysts, plus 1 FTE as written for team "
            f"victim_id, which no target sizes; {last.fte:.3g} in post (all teams)") in title


# ----------------------------------------------------------------------------- 2. whose hires are late


def two_planned_teams() -> dict:
    """The small hotline with one analyst, far too few, recruited with a 90-day lead time (its hires come
    late), and a team of graders for an image stream under the same 72 h SLA, well staffed, that hires
    no one."""
    raw = hotline()
    raw["workforce"][0].update(headcount=1, hiring={"lead_time": "90d"}, ramp={"weeks": 4, "start": 0.5})
    raw["demand"].append({"stream": "images", "unit": "image", "rate": "2000/year", "priority": "normal",
                          "team": "graders"})
    raw["review"]["image"] = {"dist": "lognormal", "mean": "60s", "cv": 1.0}
    raw["workforce"].append({"team": "graders", "headcount": 3, "roster": {"hours_per_day": 7.5},
                             "exposure_cap": "4h/day", "shrinkage": 0.15})
    raw["costs"]["teams"]["graders"] = raw["costs"]["teams"]["analysts"]
    return raw


def test_hires_late_are_said_beside_the_late_team_only():
    """The triage cell read "100.0% (100.0–100.0%), hires late by 18 weeks" though only the investigators
    hired late: one lateness per scenario-year was written beside every team's service level."""
    result = grant([load_scenario(two_planned_teams())], GRANT_START, 1, replications=2)
    analysts, graders = sorted(result.plans["small"], key=lambda plan: plan.team)
    assert analysts.periods[0].late_weeks == 17 and graders.periods[0].late_weeks == 0
    row = result.table.set_index("year").loc["2027/28"]
    assert row.hires_late_weeks_analysts == 17 and row.hires_late_weeks_graders == 0
    text = terminal(result)
    assert text.count("hires late by 17 weeks") == 1  # the analysts' cell, not the graders'
    assert "the hires of team analysts are late by 17 weeks" in page(result)
    assert "team graders are late" not in page(result)
    fig = charts.grant_per_year(result.table, result.scenarios, result.seed, result.replications)
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert any("analysts: hires\nlate by 17 weeks" in label for label in labels)
    assert not any("graders: hires" in label for label in labels)


# ----------------------------------------------------------------------------- 3. a queue called growing


def with_victim_queue(result, first: tuple[float, float, float], last: float):
    """``result`` with victim_id's items waiting on average in the first grant year set to ``first``
    (mean, 95% CI low, high) and in the last to ``last``; its mean wait the same in both years."""
    table = result.table.copy()
    rows = {year: table.index[(table.scenario == "small") & (table.year == year)][0] for year in ("2027/28", "2028/29")}
    column = "backlog_mean_victim_id"
    table.loc[rows["2027/28"], [column, f"{column}_ci_low", f"{column}_ci_high"]] = first
    table.loc[rows["2028/29"], column] = last
    for c in ("wait_mean_victim_id", "wait_mean_victim_id_ci_low", "wait_mean_victim_id_ci_high"):
        table.loc[rows["2028/29"], c] = table.loc[rows["2027/28"], c]
    return dataclasses.replace(result, table=table)


def test_a_queue_is_called_growing_only_for_a_material_rise_and_its_figures_show_it(kept):
    """graders' queue, "2,700 in 2027/28 to 2,700 in 2029/30", was said to grow: its last year's mean was
    just above the first year's narrow interval. A rise is called one at 10% or more beyond that interval,
    its figures whole, with how much."""
    slight = unplanned_notes(with_victim_queue(kept, (2712.0, 2705.0, 2719.0), 2745.0))[0]
    assert "grows" not in slight and "rise" not in slight
    assert "items waiting there on average go from 2,712 in 2027/28 to 2,745 in 2028/29" in slight
    steep = unplanned_notes(with_victim_queue(kept, (2712.0, 2705.0, 2719.0), 3419.0))[0]
    assert ("its queue grows over the grant: items waiting there on average rise from 2,712 in 2027/28 to 3,419 in "
            "2028/29 (up 26%, beyond the first year's 95% interval), and the mean wait to start there goes from") in steep
    wide = unplanned_notes(with_victim_queue(kept, (2712.0, 2000.0, 3500.0), 3419.0))[0]  # within the spread
    assert "grows" not in wide


# ----------------------------------------------------------------------------- 4. one share, one rounding


def shares_shown(result, mean: float, low: float, high: float) -> tuple[str, str, list[str]]:
    """The terminal's text, the report's and the grant chart's labels over its bars for ``result`` with
    the analysts' share in 72 h set to ``mean`` (95% CI ``low`` to ``high``) in every row."""
    table = result.table.copy()
    table[["sla_normal_analysts", "sla_normal_analysts_ci_low", "sla_normal_analysts_ci_high"]] = mean, low, high
    shown = dataclasses.replace(result, table=table)
    fig = charts.grant_per_year(table, result.scenarios, result.seed, result.replications)
    return terminal(shown), page(shown), [t.get_text() for t in fig.axes[0].texts]


def test_a_share_below_100_percent_reads_below_it_and_alike_in_terminal_report_and_chart(kept):
    """The terminal gave "98.6% (97.3–100.0%)", the report "(95% CI 97.3% to 99.95%)"; the chart wrote
    the same share "99%" over its bar."""
    text, report, labels = shares_shown(kept, 0.986, 0.973, 0.9995)
    assert "98.6% (97.3% to 99.95%)" in text and "100.0%" not in text
    assert "98.6% (95% CI 97.3% to 99.95%; target 90%)" in report
    assert _share_ci("sla_normal_analysts", 0.973, 0.9995) == "\n(97.3–99.95)"
    assert labels and all(label.startswith("98.6%\n(97.3–99.95)") for label in labels)
    text, report, labels = shares_shown(kept, 0.9962, 0.973, 0.9995)  # never 100% below it
    assert "99.6% (97.3% to 99.95%)" in text and "99.6% (95% CI 97.3% to 99.95%; target 90%)" in report
    assert labels and all(label.startswith("99.6%\n(97.3–99.95)") for label in labels)


def test_a_share_below_its_target_never_reads_as_the_target_in_terminal_report_or_chart(kept):
    """0.8996 against a 90% target read "90.0% (…) < 90%" in the terminal, "90.0% (…; target 90%)" in
    the report and "90%" over the chart's bar: a missed target written as met."""
    text, report, labels = shares_shown(kept, 0.8996, 0.85, 0.95)
    assert "89.96% (85.0% to 95.0%) < 90%" in text and "90.0%" not in text
    assert "89.96% (95% CI 85.0% to 95.0%; target 90%)" in report and "90.0%" not in report
    assert labels and all(label.startswith("89.96%\n(85.0–95.0)") for label in labels)
