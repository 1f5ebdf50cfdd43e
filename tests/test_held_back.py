"""A team fed by referrals from a team that is behind is said to be starved of work, not safe.

In police-unit with triage short of staff (12 analysts, not 18), triage meets none of its 72 h
level and ends 120 days with thousands of reports waiting, while investigation, which receives
only what triage has assessed and referred, meets its 14-day level: a user trial read that as
investigation being well staffed. The note says why it is not.
"""

from __future__ import annotations

import math

import pytest

from capsim import bundled
from capsim.experiment import simulate
from capsim.held_back import behind, behind_when, held_back_notes
from capsim.report.findings import headline_findings
from capsim.scenario import load_scenario


def _means(values: dict[str, float]):
    return lambda name: values.get(name, math.nan)


@pytest.fixture(scope="module")
def police():
    return load_scenario(bundled.path("police-unit"), ["clock.horizon=120d"])


def test_a_team_missing_a_level_is_behind(police):
    assert behind(police, "triage", _means({"sla_normal_triage": 0.61})) == [
        "normal-priority reports within 72 h: 61% against a target of 90%"]
    assert behind(police, "triage", _means({"sla_normal_triage": 0.9})) == []  # at the target: met
    assert behind(police, "triage", _means({})) == []  # not measured: nothing said
    assert behind(police, "triage", _means({"sla_normal_triage": 0.899})) == [  # trial 12: it read "90% against 90%"
        "normal-priority reports within 72 h: 89.9% against a target of 90%"]


def test_the_note_names_both_teams_and_the_backlog(police):
    notes = held_back_notes(police, _means({"sla_normal_triage": 0.2, "backlog_end_triage": 2940.5,
                                            "sla_high_investigation": 0.95}))
    assert notes == ["The figures of team investigation hold only for the work team triage has passed on: triage is "
                     "behind (normal-priority reports within 72 h: 20% against a target of 90%; 2,940 items waiting "
                     "there at the end), and what it has not yet assessed has not yet been referred. If triage catches "
                     "up (more analysts there, or a plan for it), investigation receives more work than in this run."]
    # investigation behind as well says nothing of triage, which refers to it but receives nothing from it
    assert len(held_back_notes(police, _means({"sla_normal_triage": 0.2, "sla_high_investigation": 0.5}))) == 1


def test_a_team_upstream_behind_in_one_year_alone_is_said_to_be_with_the_year(police):
    # Growth can leave triage short in its last year while it meets its level over the whole run:
    # the run's note said nothing, as `capsim staff` said nothing before it looked at the years.
    years = {"2024 (29 Jan–31 Dec)": _means({"sla_normal_triage": 0.97}), "2025": _means({"sla_normal_triage": 0.84})}
    whole = _means({"sla_normal_triage": 0.92, "backlog_end_triage": 812.0})
    assert held_back_notes(police, whole) == []  # the whole run alone hides it
    assert held_back_notes(police, whole, years) == [
        "The figures of team investigation hold only for the work team triage has passed on: triage is behind in 2025, "
        "though not over the whole run (normal-priority reports within 72 h: 84% against a target of 90%; 812 items "
        "waiting there at the end of the run), and what it has not yet assessed has not yet been referred. If triage "
        "catches up (more analysts there, or a plan for it), investigation receives more work than in this run."]


def test_no_note_when_the_team_upstream_keeps_up(police):
    assert held_back_notes(police, _means({"sla_normal_triage": 0.99, "backlog_end_triage": 3.0})) == []


def test_one_team_has_no_team_upstream():
    base = load_scenario(bundled.path("base"))
    assert held_back_notes(base, _means({"sla_normal": 0.1})) == []


def test_the_report_says_so_for_an_understaffed_triage(police):
    scenario = load_scenario(bundled.path("police-unit"), ["clock.horizon=120d", "workforce.triage.headcount=12"])
    result = simulate(scenario, replications=2, seed=3, periods=None)
    assert result.metric("sla_normal_triage") < 0.9 <= result.metric("sla_high_investigation")  # the premise
    found = [f for f in headline_findings(result) if f.startswith("The figures of team investigation hold only")]
    assert len(found) == 1 and "triage is behind (normal-priority reports within 72 h: 0% against" in found[0]


def test_capsim_run_shows_each_team_and_the_note(tmp_path):
    """The terminal shows each team's figures (they were only in summary.csv) and the note."""
    from typer.testing import CliRunner

    from capsim.cli import app

    result = CliRunner().invoke(app, ["run", "police-unit", "-r", "2", "--no-report", "--out", str(tmp_path / "out"),
                                      "--set", "clock.horizon=120d", "--set", "workforce.triage.headcount=12"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    heading = next(line for line in lines if "mean wait (h)" in line)
    assert all(word in heading for word in ("team", "assessed", "waiting at the end", "busy (usable hours)"))
    assert any(line.startswith("│ triage ") for line in lines) and any(line.startswith("│ investigation ") for line in lines)
    assert sum(line.startswith("The figures of team investigation hold only for the work team triage has passed on")
               for line in lines) == 1


def test_a_few_days_at_the_runs_end_are_too_short_to_judge_a_team_by():
    # A run ending on 10 Jan 2026 has a 9-day "2026": a team missing its level there alone is not "behind".
    from types import SimpleNamespace

    import pandas as pd

    from capsim.charts.by_year import SHORTEST_PERIOD_DAYS, year_means
    from capsim.periods import calendar_periods

    scenario = load_scenario(bundled.path("police-unit"), ["clock.horizon=740d"])
    periods = calendar_periods(scenario)
    assert [p.label for p in periods] == ["2024", "2025", "2026"]
    assert (periods[-1].end - periods[-1].start) / 86400 < SHORTEST_PERIOD_DAYS
    rows = pd.DataFrame([{"period": p.label, "metric": "sla_normal_triage", "mean": 0.95 if p.label != "2026" else 0.5}
                         for p in periods])
    years = year_means(SimpleNamespace(scenario=scenario, period_summary=rows))
    assert [label[:4] for label in years] == ["2024", "2025"]
    whole = _means({"sla_normal_triage": 0.95})
    assert held_back_notes(scenario, whole, years) == []


def test_behind_over_the_run_and_worst_in_one_year_names_that_year(police):
    # Trial 12: at 20% growth triage met its level in 2024 (100%) and missed it in 2025 (78%); the warning
    # gave only the whole run's 88%, so a manager could not tell that the last year is the problem.
    years = {"2024 (29 Jan–31 Dec)": _means({"sla_normal_triage": 1.0}), "2025": _means({"sla_normal_triage": 0.78})}
    whole = _means({"sla_normal_triage": 0.88})
    late = behind_when(police, "triage", whole, years)
    assert late.said() == ("triage is behind (normal-priority reports within 72 h: 88% against a target of 90%; by "
                           "calendar year, in 2025, normal-priority reports within 72 h: 78% against a target of 90%)")
    every = {**years, "2024 (29 Jan–31 Dec)": _means({"sla_normal_triage": 0.8})}
    assert behind_when(police, "triage", whole, every).years == {}  # every year: the whole run says it
