"""The day a plan's hires start (:attr:`PeriodPlan.starts`: ``capsim staff``'s table, the report and the
plan chart) is the day its replay (:attr:`StaffingPlan.staffing`, what ``plan.yaml`` gives and the
simulation runs) has them start, with ``--allow-reduce`` too; and a cut keeps the seats needed again
before a hire recruited on the cut's day could start.

Two defects, found together: the replay (``_realistic``) let a seat cut on the plan's first day come
back before a hire recruited from that day could start (only seats above those in post *today* waited
for the hiring lead time): a plan cutting in its first month and needing 3 of the seats again in its
third, with an 80-day lead time, said the 3 start on 18 Apr 2024 (late) while the simulation had them
from 29 Mar. And that cut was judged (``_cut_reach``) as if made on the run's first day, not on the
plan's first day, when it is made, so it let go seats it could not rehire in time.
"""

from __future__ import annotations

import datetime as dt

import pytest

from capsim.scenario import load_scenario
from capsim.staffing import Limits, StaffingPlan, solve_staffing
from tests.conftest import mmc

NOW, ARRIVE = dt.date(2024, 1, 29), dt.date(2024, 4, 18)
"""The plans' first day (the 28-day warm-up's end) and the first day a hire recruited then can start (80 days later)."""


def monthly_plan(baseline: int, points: list[tuple[str, str]]) -> StaffingPlan:
    """A month-by-month plan, cuts allowed, for one 24/7 team of ``baseline`` seats reviewing 10-minute items
    against 90% within 2 h, its stream's rate stepping as ``points`` (date, rate) give, from 1 Jan 2024 with a
    28-day warm-up, four months planned and an 80-day hiring lead time (3 replications, seed 5)."""
    raw = mmc(baseline, 600, 0.8, days=28 + 122, warmup_days=28, sla=[{"priority": "normal", "within": "2h",
                                                                        "target": 0.9}])
    raw["clock"]["start"] = "2024-01-01"
    del raw["demand"][0]["rate"]
    raw["demand"][0]["growth"] = {"model": "table", "points": [{"date": d, "rate": r} for d, r in points]}
    raw["workforce"][0]["hiring"] = {"lead_time": "80d"}
    return solve_staffing(load_scenario(raw), period="month", replications=3, seed=5,
                          limits=Limits(never_reduce=False))


def rises(plan: StaffingPlan) -> list[dt.date]:
    """The days the replayed staffing rises (new seats start)."""
    return [d for (_, before), (d, h) in zip(plan.staffing, plan.staffing[1:]) if h > before]


def assert_starts_are_replayed(plan: StaffingPlan) -> None:
    """Every period's hires start on a day the replay adds seats, and the replay adds seats on no other day."""
    starts = [p.starts for p in plan.periods if p.hires]
    assert all(p.starts is None for p in plan.periods if not p.hires)
    assert sorted(set(starts)) == rises(plan), (starts, plan.staffing)


@pytest.fixture(scope="module")
def needed_again() -> StaffingPlan:
    """10 seats; 460 items a day to 27 Mar 2024, 920 from 28 Mar: the first month needs 4, the third 7,
    whose hires would be due by 9 Jan (29 Mar less 80 days), before the plan's first day."""
    return monthly_plan(10, [("2024-01-01", "460/day"), ("2024-03-27", "460/day"), ("2024-03-28", "920/day")])


def test_a_first_month_cut_keeps_the_seats_needed_again_before_a_hire_could_start(needed_again):
    """The cut is made on the plan's first day, 29 Jan: it keeps the 7 seats the third month needs, as a hire
    recruited then would start only on 18 Apr. (Judged from the run's first day, 1 Jan, the plan cut to 4
    and needed 3 hires late for the third month.)"""
    plan = needed_again
    first, _, third, *_ = plan.periods
    assert first.cut == 3 and first.headcount == 7 and third.headcount == 7 and third.hires == 0
    assert (NOW, 7) in plan.staffing and not any(h < 7 for d, h in plan.staffing if NOW <= d <= third.period.last)
    assert_starts_are_replayed(plan)


def test_seats_cut_and_needed_again_start_when_a_hire_can():
    """The replay (``_realistic``) of a staffing that cuts 10 to 4 on the plan's first day and has 7 again
    from 29 Mar: the 3 seats come back when a hire recruited on 29 Jan can start, 18 Apr, not on 29 Mar
    (before, only seats above those in post today waited for the lead time)."""
    from capsim.staffing import _realistic

    team = needed_again_team()
    replayed = _realistic([(dt.date(2024, 1, 1), 10), (NOW, 4), (dt.date(2024, 3, 29), 7)], 10, team, NOW)
    assert (NOW, 4) in replayed and (ARRIVE, 7) in replayed
    assert not any(NOW <= d < ARRIVE and h > 4 for d, h in replayed)


def needed_again_team():
    """The team of :func:`monthly_plan`'s scenario: 80 days' hiring lead time."""
    raw = mmc(10, 600, 0.8, days=150, warmup_days=28)
    raw["workforce"][0]["hiring"] = {"lead_time": "80d"}
    return load_scenario(raw).workforce[0]


def test_hires_for_a_month_alone_are_kept_and_start_when_replayed():
    """4 seats; 920 items a day to 27 Feb, 400 from 28 Feb: the first month hires (late, from 18 Apr). A
    later month cut one seat before they arrived; now the hire serves a hiring lead time (80 days from
    the first month's first day) before its seat can be cut (:func:`capsim.staffing._cut_served`)."""
    plan = monthly_plan(4, [("2024-01-01", "920/day"), ("2024-02-27", "920/day"), ("2024-02-28", "400/day")])
    first = plan.periods[0]
    assert first.hires and first.late_weeks and first.starts == ARRIVE
    assert not any(p.cut and p.period.first < NOW + dt.timedelta(days=80) for p in plan.periods)
    assert_starts_are_replayed(plan)
