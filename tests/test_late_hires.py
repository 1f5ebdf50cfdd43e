"""Hires that cannot arrive in time: one story in every output of ``grant`` and ``staff``.

Recruiting starts with the plan (its first measured day: the grant start, or the first period
after the warm-up), so a seat needed earlier starts the hiring lead time after that. The plan
file, the table, the solver's note, the chart footer and the exit status all tell that plan as
it can happen, with the same dates and the same service level.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from capsim import engine
from capsim.cli import app
from capsim.grant import grant
from capsim.scenario import load_scenario
from capsim.staffing import period_attainment, plan_periods, solve_staffing
from tests.test_grant import hotline

GRANT_START = dt.date(2027, 4, 1)
LEAD = dt.timedelta(days=90)


def one_analyst() -> dict:
    """The small hotline with one analyst, far too few: the first grant year needs hires that,
    recruited from the grant start, start 90 days into it and train for 4 weeks."""
    raw = hotline()
    raw["workforce"][0].update(headcount=1, hiring={"lead_time": "90d"}, ramp={"weeks": 4, "start": 0.5})
    return raw


@pytest.fixture(scope="module")
def sized():
    return grant([load_scenario(one_analyst())], GRANT_START, 1, replications=2)


def test_the_grant_plan_its_note_and_its_table_tell_the_same_dates_and_service_level(sized):
    (plan,) = sized.plans["small"]
    year = plan.periods[0]
    arrive = GRANT_START + LEAD
    assert year.late_weeks == 17  # ceil((90 + 28) / 7)
    # the plan, as written to plans/ and costed: one analyst until the hires can start
    assert plan.staffing[0][1] == 1 and plan.staffing[1][0] == arrive
    assert plan.fragment()["workforce"][0]["headcount"] == 1
    assert plan.fragment()["workforce"][0]["changes"][0]["date"] == arrive
    assert [(c.date, c.headcount) for c in sized.scenarios[0].workforce[0].changes] == list(plan.staffing[1:])
    # the note measures from the grant start, not the warm-up's start, and names the same day
    assert f"before the plan starts ({GRANT_START})" in year.note and f"they start on {arrive}" in year.note
    footer = " ".join(sized.scenarios[0].overrides)
    assert f"from {arrive}" in footer
    # one service level: the table's is the plan's as it can happen, which is the note's
    row = sized.table.set_index("year").loc["2027/28"]
    assert row.sla_normal == pytest.approx(float(np.nanmean(year.evaluation.sla["normal"])), abs=1e-12)
    assert f"{np.nanmean(year.evaluation.sla['normal']):.0%} of reports within 72 h (" in year.note
    assert row.sla_normal < 0.9 and not year.met and not sized.attainable


def test_grant_exits_3_naming_the_year_its_late_hires_miss(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(one_analyst()))
    result = CliRunner().invoke(app, ["grant", str(path), "--from", str(GRANT_START), "--years", "1", "-r", "2",
                                      "--workers", "1", "--out", str(tmp_path / "out")])
    assert result.exit_code == 3, result.output
    assert "small, team analysts, 2027/28: exit status 3" in " ".join(result.output.split())
    written = yaml.safe_load((tmp_path / "out" / "plans" / "small.yaml").read_text())
    assert written["workforce"][0]["headcount"] == 1
    assert written["workforce"][0]["changes"][0]["date"] == GRANT_START + LEAD
    help_text = " ".join(CliRunner().invoke(app, ["grant", "--help"], terminal_width=200).output.split())
    assert "because no headcount meets its SLAs or its hires are late" in help_text


def test_the_staff_plan_file_replays_what_the_table_says_when_hires_are_late():
    raw = one_analyst()
    raw["clock"].update(start="2027-01-04", horizon="196d")
    scenario = load_scenario(raw)
    plan = solve_staffing(scenario, period="quarter", replications=2)
    begins = plan_periods(scenario, "quarter")[0].first  # after the warm-up
    first = plan.periods[0]
    # the day recruiting had to start (before the plan's), and the day the hires start as replayed
    assert first.late_weeks > 0 and first.hire_by == begins - LEAD - dt.timedelta(weeks=4)
    assert first.starts == begins + LEAD
    assert plan.staffing[0][1] == plan.baseline == 1 and plan.staffing[1][0] == begins + LEAD
    assert f"before the plan starts ({begins})" in first.note
    # plan.yaml (the scenario with the plan) reproduces every period of the table
    replayed = plan.scenario_with_plan()
    table = plan.table()
    for r in range(plan.replications):
        rep = engine.simulate_replication(replayed, plan.seed, r)
        for p in plan.periods:
            got = period_attainment(replayed, rep, p.period.t0, p.period.t1)["normal"]
            assert got == pytest.approx(p.evaluation.sla["normal"][r], abs=1e-12)
    # a late period is not said to be met at a level that cannot happen
    assert not first.met and table.met.iloc[0] == False  # noqa: E712 (a numpy bool)
    assert not plan.attainable


def test_a_period_the_replay_misses_for_the_backlog_of_late_hires_gets_more_analysts_and_says_why():
    """Two analysts where the first month needs 8 (a 30-day lead time): the first month's hires are
    late; the months after are planned above their own need, as the plan replayed as it can happen
    missed them with fewer, and each says so; the month whose own hires are late is not raised."""
    from tests.test_charts_plans import SMALL

    plan = solve_staffing(load_scenario(SMALL), "analysts", period="month", replications=3, seed=7)
    first, *later = plan.periods
    assert first.late_weeks > 0 and first.headcount == first.needed  # more hired late would not help it
    # the table says the seats planned and those in post until the late hires start (1 October + the 30-day lead)
    assert first.short == (2, dt.date(2024, 10, 31)) and first.short_words == "2 until 31 Oct"
    table = plan.table()
    assert (table.in_post_at_start[0], table.all_in_post_from[0]) == (2, "2024-10-31")
    assert all(p.short is None for p in later) and (table.in_post_at_start[1:] == table.headcount[1:]).all()
    raised = [p for p in later if p.headcount > p.needed]
    assert raised and all("above its own need: with fewer, the plan replayed as it can happen missed this period "
                          "(work left from earlier periods, where hires were late)" in p.note for p in raised)
    assert all("above its own need" not in p.note for p in plan.periods if p.headcount <= p.needed)


def test_seats_above_a_period_s_need_that_the_plan_keeps_say_so():
    """Twelve analysts where the first month needs 8 and the second 11: the plan never cuts, so
    both months keep 12, each saying why (the seats in post today; kept from the month before)."""
    from tests.test_charts_plans import SMALL

    plan = solve_staffing(load_scenario(SMALL, ["workforce.analysts.headcount=12"]), "analysts", period="month",
                          replications=3, seed=7)
    first, second = plan.periods[:2]
    assert (first.needed, first.headcount, second.needed, second.headcount) == (8, 12, 11, 12)
    assert first.note == "4 analysts above its own need: the seats in post today, which the plan never cuts"
    assert second.note == ("1 analyst above its own need: kept from the period before (the plan never cuts seats "
                           "for a smaller need)")


def test_a_plan_says_which_periods_it_promises():
    """Two analysts where the first month needs 8 (a 30-day lead time): the first month's hires cannot
    be in post on its first day, so the plan does not promise it (its note says why where missed); the
    later months it does, each met. The notebooks' checks rest on this instead of reading note text."""
    from tests.test_charts_plans import SMALL

    plan = solve_staffing(load_scenario(SMALL), "analysts", period="month", replications=3, seed=7)
    assert not plan.promised(0) and plan.periods[0].late_weeks > 0
    assert all(plan.promised(k) for k in range(1, len(plan.periods)))
    assert all(p.met or (not plan.promised(k) and p.note) for k, p in enumerate(plan.periods))
    assert all(p.cover_stopped is None for p in plan.periods)


@pytest.mark.parametrize("change, promised", [
    ({}, True), ({"needed": None}, False), ({"left_out": ("urgent",)}, False),
    ({"short": (2, dt.date(2024, 10, 31))}, False), ({"cover_stopped": 9}, False),
    ({"hires": 0, "short": (2, None)}, False),  # seats hired for an earlier period, still not in post
    ({"needed": 9, "headcount": 8}, False),  # held below its need by a limit on hires, budget or headcount
])
def test_a_period_is_promised_only_with_a_need_its_seats_in_post_and_cover_not_stopped(change, promised):
    from dataclasses import replace

    from tests.test_charts_plans import SMALL

    plan = solve_staffing(load_scenario(SMALL), "analysts", period="month", replications=3, seed=7)
    k = len(plan.periods) - 1
    assert plan.promised(k)
    plan.periods[k] = replace(plan.periods[k], **change)
    assert plan.promised(k) is promised
