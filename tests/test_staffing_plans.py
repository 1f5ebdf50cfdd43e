"""Staffing plans a manager can act on (issue 14): headcount never falls while demand grows,
hire-by dates allow for the lead time and the training and are never before the run starts
(a late hire says by how much and what it costs), an impossible target is an answer (exit 3,
"—"), and plan.yaml replays the plan, every period meeting its target.

The hotline is the worked example of docs/writing-scenarios.md (docs/examples/hotline-growing.yaml),
cut to one year so that the tests stay quick.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from capsim.cli import app
from capsim.engine import simulate_replication
from capsim.scenario import load_scenario
from capsim.staffing import Limits, _levels, period_attainment, plan_periods, solve_staffing

HOTLINE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "hotline-growing.yaml"
ONE_YEAR = ["clock.horizon=1y", "experiment.replications=5"]


@pytest.fixture(scope="module")
def hotline():
    return load_scenario(HOTLINE, ONE_YEAR)


@pytest.fixture(scope="module")
def plan(hotline):
    return solve_staffing(hotline, period="quarter", confidence=0.8)


def test_the_hotline_plan_never_cuts_while_demand_grows_and_meets_every_period(plan):
    heads = [p.headcount for p in plan.periods]
    assert heads == sorted(heads), heads  # a sequence of hires: never "cut 16"
    assert heads[-1] > heads[0]  # 40% a year more reports need more analysts within the year
    assert all(p.met for p in plan.periods) and plan.attainable
    # the 8 in post are kept even where fewer would do (7 meet the first quarter's target)
    assert heads[0] == 8 and plan.periods[0].needed <= 8
    for p in plan.periods:
        assert p.headcount >= p.needed
        assert p.evaluation.replications == plan.replications  # the plan replayed on every replication
        assert p.evaluation.share_met >= 0.8


def test_hire_by_dates_allow_for_lead_time_and_training_even_before_the_start(plan, hotline):
    team = hotline.workforce[0]
    lead, training = math.ceil(team.hiring.lead_time / 86400), math.ceil(team.ramp.weeks * 7)
    hires = [p for p in plan.periods if p.change > 0]
    assert hires
    begins = plan.periods[0].period.first  # recruiting starts with the plan, after the warm-up
    for p in hires:  # the day recruiting must start, late or not; the hires start when recruiting from then lets them
        assert p.hire_by == p.period.first - dt.timedelta(days=lead + training)
        assert p.late_weeks == max(0, math.ceil((begins - p.hire_by).days / 7))
        assert p.starts == max(p.hire_by, begins) + dt.timedelta(days=lead)


def test_a_hire_already_late_says_by_how_much_and_what_it_costs():
    scenario = load_scenario(HOTLINE, ONE_YEAR + ["workforce.analysts.headcount=5", "clock.horizon=183d"])
    plan = solve_staffing(scenario, period="quarter", confidence=0.8)
    first = plan.periods[0]
    assert first.change > 0  # 5 are too few from the start
    # in post and trained at the start would have needed recruiting 91 days + 61 days earlier
    assert first.late_weeks == math.ceil((91 + 61) / 7)
    assert first.hire_by == first.period.first - dt.timedelta(days=91 + 61)  # the day recruiting had to start
    assert first.starts == first.period.first + dt.timedelta(days=91)  # recruited from the plan's start
    assert f"late by {first.late_weeks} weeks" in first.note and f"recruited by {first.hire_by}" in first.note
    assert "mean wait" in first.note and "on time)" in first.note
    table = plan.table()
    assert table.hire_by.iloc[0] == first.hire_by.isoformat() and table.hires_start.iloc[0] == first.starts.isoformat()


def test_plan_yaml_replays_the_plan_and_every_period_meets_its_target(tmp_path):
    out = tmp_path / "o"
    result = CliRunner().invoke(app, ["staff", str(HOTLINE), "--confidence", "0.8", "--out", str(out),
                                      *[a for s in ONE_YEAR for a in ("--set", s)]])
    assert result.exit_code == 0, result.output
    fragment = yaml.safe_load((out / "plan.yaml").read_text())
    # what "in post" and "FTE" count: seats of 50 h a week, FTE of a 40 h contracted week (1.25 a seat)
    text = " ".join(result.output.split())
    assert "(seats)" in result.output  # the "in post" column's header (it may wrap)
    assert "FTE: full-time equivalents of a 40 h contracted week" in text and "1.25 FTE, so 8 seats are 10 FTE" in text
    assert "# headcount: seats on the roster;" in (out / "plan.yaml").read_text()
    assert (pd.read_csv(out / "staffing_plan.csv").fte_weekly_hours == 40).all()
    printed = re.search(r"As planned changes \(plan\.yaml\):\n(.*?)\n\d+ staffings simulated", result.output, re.S)
    assert yaml.safe_load(printed.group(1)) == fragment  # the printed plan is valid YAML, the same as plan.yaml
    replay = tmp_path / "replay.yaml"
    replay.write_text(yaml.safe_dump({"extends": str(HOTLINE), "name": "hotline-replayed", **fragment}))
    scenario = load_scenario(replay, ONE_YEAR)
    heads = [fragment["workforce"][0]["headcount"], *(c["headcount"] for c in fragment["workforce"][0]["changes"])]
    assert heads == sorted(heads)
    reps = [simulate_replication(scenario, scenario.experiment.seed, r) for r in range(5)]
    for period in plan_periods(scenario, "quarter"):
        attained = np.array([period_attainment(scenario, rep, period.t0, period.t1)["normal"] for rep in reps])
        assert (attained >= 0.9).mean() >= 0.8, (period.first, attained)


@pytest.mark.parametrize("needs, limits, expected", [
    ([7, 8, 9, 8, 10], Limits(), [8, 8, 9, 9, 10]),  # never below today's 8, never falling
    ([7, 8, 9, 8, 10], Limits(never_reduce=False), [8, 8, 9, 9, 10]),  # no cut the next period needs back (dips held)
    ([8, 8, 12, 12], Limits(max_hires=2), [8, 10, 12, 12]),  # hires ahead where the cap binds
    ([8, 8, 13, 13], Limits(max_hires=2), [9, 11, 13, 13]),  # from the first period if need be
    ([8, 14, 14], Limits(max_hires=2), [10, 12, 14]),  # and falls short where it cannot keep up
    ([8, None, 9], Limits(), [8, 8, 9]),  # a period no headcount meets asks for nothing
    ([3, 20], Limits(min_headcount=9), [9, 15]),  # the largest allowed is 15 here
])
def test_plan_levels_respect_the_limits(needs, limits, expected):
    hold = [min(k + 1, len(needs) - 1) for k in range(len(needs))]  # a cut held for the next period's need
    assert _levels(needs, 8, limits.min_headcount, 15, limits, hold) == expected


def test_a_budget_caps_the_team(hotline):
    # a 50-hour weekday seat takes 1.25 analysts on 40-hour contracts (capsim.workforce.people_per_seat),
    # so GBP 540,000 a year at GBP 48,000 an analyst pays for 9 seats
    plan = solve_staffing(hotline, period="quarter", confidence=0.8, limits=Limits(budget=540_000))
    assert plan.max_headcount == 9
    assert max(p.headcount for p in plan.periods) <= 9


TWO_TEAMS = {
    "name": "two-teams", "clock": {"horizon": "60d", "warmup": "7d", "step": "1d", "start": "2024-01-01"},
    "priorities": ["normal", "low"],
    "demand": [{"stream": "reports", "unit": "report", "rate": "300/day", "mix": {"criminal": 0.5}},
               {"stream": "images", "unit": "image", "rate": "2000/day", "team": "graders", "priority": "low"}],
    "review": {"report": {"dist": "exponential", "mean": "10min"}, "image": {"dist": "exponential", "mean": "30s"}},
    "workforce": [{"team": "analysts", "headcount": 6, "roster": "24/7", "attrition": 0.3},
                  {"team": "graders", "headcount": 3, "roster": "24/7"},
                  {"team": "police", "headcount": 4, "roster": "24/7", "task_time": {"dist": "exponential", "mean": "2h"}}],
    "routing": [{"from": "analysts", "to": "police", "when": {"criminal": True}, "share": 0.1}],
    "sla": [{"priority": "normal", "within": "4h", "target": 0.9}],
    "experiment": {"replications": 2, "seed": 3},
}


@pytest.mark.parametrize("team", ["analysts", "police"])
def test_the_runs_leave_out_only_teams_that_change_nothing_in_the_planned_teams_queue(team):
    # common random numbers: every random stream is drawn by name, so the cut-down scenario gives
    # the planned team exactly the items, review times and absences of the whole one
    from capsim.staffing import planned_team

    whole = load_scenario(TWO_TEAMS)
    reduced, index = planned_team(whole, team)
    kept = {"analysts": ["analysts"], "police": ["analysts", "police"]}[team]
    assert [t.team for t in reduced.workforce] == kept
    full_index = [t.team for t in whole.workforce].index(team)
    for r in range(2):
        a, b = simulate_replication(whole, 3, r), simulate_replication(reduced, 3, r)
        assert period_attainment(whole, a, 0, 60 * 86400, full_index) == period_attainment(reduced, b, 0, 60 * 86400, index)
        mine_a, mine_b = a.items.team == full_index, b.items.team == index
        np.testing.assert_array_equal(a.items.start[mine_a], b.items.start[mine_b])


def test_progress_reports_runs_done_against_runs_expected():
    seen = []
    solve_staffing(load_scenario(HOTLINE, ONE_YEAR + ["clock.horizon=120d"]), period="quarter", confidence=0.8,
                   progress=lambda done, total, what: seen.append((done, total)))
    assert seen and all(0 <= done <= total for done, total in seen)
    dones = [d for d, _ in seen]
    assert dones == sorted(dones) and dones[-1] == seen[-1][1]  # ends full


def test_the_chart_marks_an_impossible_period_with_a_dash_and_a_late_hire_as_late():
    from capsim import charts
    from tests.test_staffing import WEEKDAYS

    scenario = load_scenario(WEEKDAYS)
    plan = solve_staffing(scenario, period="quarter", confidence=0.9, max_headcount=4)
    fig = charts.staffing_plan(plan.table(), scenario, plan.seed, plan.replications)
    assert "at any headcount tried (—)" in fig._suptitle.get_text().replace("\n", " ")
    assert "—" in [t.get_text() for t in fig.axes[0].texts]

    late = load_scenario(HOTLINE, ONE_YEAR + ["workforce.analysts.headcount=5", "clock.horizon=120d"])
    plan = solve_staffing(late, period="quarter", confidence=0.8)
    assert plan.periods[0].late_weeks > 0
    title = charts.staffing_plan(plan.table(), late, plan.seed, plan.replications)._suptitle.get_text()
    assert f", already {plan.periods[0].late_weeks} weeks late" in title.replace("\n", " ")
    assert ") (" not in title  # one aside at a time: "…, already N weeks late (the first of K hiring dates)"


def test_at_most_max_hires_a_period_even_after_the_replay_asks_for_more(hotline):
    plan = solve_staffing(hotline, period="quarter", confidence=0.8, limits=Limits(max_hires=1))
    assert all(p.change <= 1 for p in plan.periods), [p.change for p in plan.periods]
    assert [p.headcount for p in plan.periods] == sorted(p.headcount for p in plan.periods)


def test_help_documents_the_exit_status_and_the_limits():
    text = " ".join(CliRunner().invoke(app, ["staff", "--help"], terminal_width=200).output.split())
    assert "Exit status: 0 when every period meets its targets; 3 when some period cannot" in text
    assert "2 for bad input" in text
    for option in ("--never-reduce / --allow-reduce", "--max-hires", "--budget", "--min", "--max"):
        assert option in text


def test_the_plan_shows_fte_beside_heads_and_workload_against_usable_and_rostered_hours(plan, hotline):
    from capsim.workforce import people_per_seat

    table = plan.table()
    # a 50-hour weekday seat is 1.25 FTE on 40-hour contracts (capsim.workforce.people_per_seat)
    assert np.allclose(table.fte, table.headcount * people_per_seat(hotline.workforce[0]))
    # 10-hour shifts under a 4-hour exposure cap: analysts may review 4 of every 10 rostered hours,
    # so the same work is 2.5 times the share of usable hours that it is of rostered ones
    assert np.allclose(table.workload_usable, 2.5 * table.workload_rostered)
    assert (table.workload_usable > 0).all()


def test_the_plan_is_the_same_on_one_worker_and_on_two(plan, hotline):
    """Every figure of the plan, down to the replications that settled each need, whatever the
    workers: they run the same replications (capsim.staffing.BATCH), only in parallel."""
    two = solve_staffing(hotline, period="quarter", confidence=0.8, workers=2)
    assert plan.workers == 1 and two.workers == 2
    assert two.staffing == plan.staffing
    pd.testing.assert_frame_equal(two.table(), plan.table(), check_exact=True)
    assert (two.runs, two.evaluations) == (plan.runs, plan.evaluations)


def test_by_default_a_plan_uses_the_usable_cores_within_memory(hotline, monkeypatch):
    import capsim.memory as memory

    monkeypatch.setattr(memory.os, "sched_getaffinity", lambda _: {0, 1, 2, 3})
    assert memory.default_workers(hotline, 10) == 4
    assert memory.default_workers(hotline, 3) == 3  # at most one per replication
    two, three = (memory.run_estimate(hotline, 10, w).total for w in (2, 3))
    monkeypatch.setattr(memory, "budget", lambda: (two + three) / 2)  # room for two workers, not three
    assert memory.default_workers(hotline, 10) == 2
    monkeypatch.setattr(memory, "budget", lambda: 1.0)  # nothing fits: one (check_run then says why)
    assert memory.default_workers(hotline, 10) == 1


def test_hire_by_names_the_lead_time_it_allows_for_or_says_that_none_is_set(hotline):
    from capsim.staff_notes import hire_by_words

    team = hotline.workforce[0]  # 91 days to recruit, 8.7 weeks of training
    assert hire_by_words(team) == (
        "hire by: the day the new analysts start (8.7 weeks of training, workforce.analysts.ramp.weeks, before their "
        "period), less the hiring lead time of 91d (workforce.analysts.hiring.lead_time).")
    none = team.model_copy(update={"hiring": team.hiring.model_copy(update={"lead_time": 0.0}),
                                   "ramp": team.ramp.model_copy(update={"weeks": 0.0})})
    assert hire_by_words(none) == (
        "hire by: no hiring lead time set (workforce.analysts.hiring.lead_time, default 0d), so hire-by = the day the "
        "new analysts start (their period's first day); set it to the time recruiting and vetting take (e.g. 91d) to "
        "get the date to recruit by.")


def test_analysts_review_past_their_usable_hours_so_busy_usable_can_pass_100_percent():
    """Why "busy (usable)" can exceed 100% (capsim.staff_notes.busy_over_100): a started item is
    always finished, past the exposure cap or the shift's end. Overloaded (6 analysts where the
    plan needs 7-9), the team reviews more than its usable hours: 1.8% more at this seed; the
    assertion asks only for more than 100%, which an engine that stopped at the cap could not give."""
    from capsim.metrics import replication_metrics

    scenario = load_scenario(HOTLINE, ["clock.horizon=180d", "workforce.analysts.headcount=6"])
    assert replication_metrics(scenario, simulate_replication(scenario, 1, 0))["utilisation_usable"] > 1.0


def test_hire_by_allows_for_zero_output_training_as_well_as_the_ramp(hotline):
    """Training of zero output (ramp.training_weeks) comes before the ramp: a new seat must start
    both before its period, and be recruited the lead time before that."""
    from capsim.staff_notes import hire_by_words
    from capsim.staffing import Period, _change_date, _ideal_hire_by

    team = hotline.workforce[0]
    trained = team.model_copy(update={"ramp": team.ramp.model_copy(update={"training_weeks": 4.0, "weeks": 4.3})})
    first = dt.date(2026, 1, 1)
    period = Period(index=1, first=first, last=dt.date(2026, 3, 31), t0=0.0, t1=1.0)
    start = dt.date(2024, 1, 1)
    training = dt.timedelta(days=math.ceil(8.3 * 7))  # whole days, rounded up: trained by the period's first day
    assert _change_date(period, trained, start) == first - training
    assert _ideal_hire_by(period, trained) == first - training - dt.timedelta(days=91)
    assert hire_by_words(trained) == (
        "hire by: the day the new analysts start (8.3 weeks before their period: 4 weeks of training, "
        "workforce.analysts.ramp.training_weeks, and 4.3 weeks of ramp-up, workforce.analysts.ramp.weeks), less the "
        "hiring lead time of 91d (workforce.analysts.hiring.lead_time).")
