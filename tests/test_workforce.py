"""The workforce over time: seats, attrition, hiring lead time, ramp, overtime, shrinkage."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import numpy as np
import pytest

from capsim.engine import process_rng, simulate_replication
from capsim.metrics import timeseries
from capsim.scenario import Clock, ScenarioError, Team, load_scenario
from capsim.units import SECONDS_PER_DAY, SECONDS_PER_YEAR
from capsim.workforce import ramp_pace, shift_plan

START = dt.date(2024, 1, 1)  # a Monday
DAY = SECONDS_PER_DAY


def clock(days: float) -> Clock:
    return Clock(horizon=f"{days}d", start=START)


def team(**fields) -> Team:
    return Team(**{"team": "a", "headcount": 10, **fields})


def rng(replication: int = 0):
    return process_rng(123, replication, "shrinkage:a")


# --------------------------------------------------------------------------- defaults


def test_defaults_keep_every_seat_filled_at_full_pace():
    plan = shift_plan(team(), clock(14), rng())
    assert len(plan.start) == 10  # two working weeks, mon-fri
    assert plan.present.shape == (10, 10) and plan.present.all()
    assert (plan.pace == 1).all()
    assert (plan.end - plan.start == 7.5 * 3600).all()
    assert plan.start[0] == 9 * 3600 and plan.start[5] == 7 * DAY + 9 * 3600  # Monday 09:00, next Monday
    assert plan.headcount_at(np.array([0.0, 13 * DAY])).tolist() == [10, 10]
    assert plan.hires_between(0, 14 * DAY) == 0 and plan.leavers_between(0, 14 * DAY) == 0


def test_holidays_and_weekends_have_no_shift():
    t = team(roster={"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "holidays": [dt.date(2024, 1, 3)]})
    plan = shift_plan(t, clock(7), rng())
    days = (plan.start // DAY).astype(int).tolist()
    assert days == [0, 1, 3, 4, 5]  # Wednesday the 3rd is a holiday, Sunday not rostered


def test_new_fields_and_their_defaults():
    t = team()
    assert t.attrition == 0 and t.hiring.lead_time == 0 and t.hiring.replace_leavers
    assert t.ramp.weeks == 0 and t.ramp.start == 1 and t.changes == [] and t.overtime is None
    t = team(attrition=0.2, hiring={"lead_time": "90d", "replace_leavers": False}, ramp={"weeks": 12, "start": 0.5},
             changes=[{"date": "2025-01-01", "headcount": 16}], overtime="1h/day")
    assert t.hiring.lead_time == 90 * DAY and t.overtime == 3600 and t.changes[0].headcount == 16


# --------------------------------------------------------------------------- attrition


def test_without_hiring_headcount_decays_exponentially_at_the_attrition_rate():
    # each analyst leaves after an exponential time with hazard `attrition` per year, so a
    # cohort of N keeps Binomial(N, exp(-rate * t)) in post after t years
    n, rate = 2000, 0.3
    t = team(headcount=n, attrition=rate, roster="24/7", hiring={"replace_leavers": False})
    plan = shift_plan(t, clock(2 * 365.25), rng())
    for years in (0.5, 1.0, 1.9):
        p = math.exp(-rate * years)
        kept = plan.headcount_at(np.array([years * SECONDS_PER_YEAR]))[0]
        assert abs(kept - n * p) <= 4 * math.sqrt(n * p * (1 - p)), (years, kept, n * p)
    # the shift-by-shift in-post matrix says the same as the tenures
    k = int(365 * 1.0)
    assert plan.in_post[k].sum() == plan.headcount_at(np.array([plan.start[k]]))[0]
    assert plan.hires_between(0, math.inf) == 0


def test_with_immediate_refills_leavers_per_year_are_rate_times_headcount():
    n, rate, years = 500, 0.2, 2
    t = team(headcount=n, attrition=rate, roster="24/7")
    plan = shift_plan(t, clock(years * 365.25), rng())
    leavers = plan.leavers_between(0, years * SECONDS_PER_YEAR)
    mean = rate * n * years  # Poisson process of leavers at rate `rate` per seat-year
    assert abs(leavers - mean) <= 4 * math.sqrt(mean)
    assert (plan.headcount_at(np.linspace(0, years * SECONDS_PER_YEAR * 0.999, 50)) == n).all()
    assert plan.hires_between(0, math.inf) == leavers


def test_a_leavers_seat_stays_empty_for_exactly_the_lead_time():
    lead = 90 * DAY
    t = team(headcount=60, attrition=1.0, roster="24/7", hiring={"lead_time": "90d"})
    plan = shift_plan(t, clock(3 * 365), rng())
    tenure = plan.tenures
    gaps = 0
    for seat in range(60):
        mine = np.flatnonzero(tenure.seat == seat)
        for a, b in itertools.pairwise(mine):
            assert tenure.left[a]
            assert tenure.start[b] - tenure.end[a] == pytest.approx(lead, abs=1e-6)
            gaps += 1
            # on the shifts: not in post from the leaving day to the day before the refill starts
            empty = (plan.start >= tenure.end[a]) & (plan.start < tenure.start[b])
            assert not plan.in_post[empty, seat].any()
            first = np.searchsorted(plan.start, tenure.start[b])  # the refill's first shift
            if first < len(plan.start) and plan.start[first] < tenure.end[b]:
                assert plan.in_post[first, seat]
        last = mine[-1]  # a last leaver whose refill would start after the horizon
        if tenure.left[last]:
            assert tenure.end[last] + lead >= 3 * 365 * DAY
    assert gaps > 60  # the test saw many refills


def test_no_refill_when_leavers_are_not_replaced():
    t = team(headcount=50, attrition=0.8, roster="24/7", hiring={"replace_leavers": False})
    plan = shift_plan(t, clock(365), rng())
    assert len(plan.tenures) == 50 and plan.hires_between(0, math.inf) == 0


# --------------------------------------------------------------------------- ramp and planned changes


def test_a_new_analysts_pace_follows_the_ramp_exactly():
    t = team(headcount=2, roster="24/7", ramp={"weeks": 12, "start": 0.5},
             changes=[{"date": "2024-02-01", "headcount": 4}])
    plan = shift_plan(t, clock(200), rng())
    begin = (dt.date(2024, 2, 1) - START).days * DAY
    assert (plan.pace[:, :2] == 1).all()  # in post at the start: no ramp
    before = plan.start < begin
    assert not plan.in_post[before, 2:].any() and plan.in_post[~before, 2:].all()
    elapsed = plan.start[~before] - begin
    expected = 1.0 / (0.5 + 0.5 * np.minimum(elapsed / (12 * 7 * DAY), 1.0))
    for seat in (2, 3):
        np.testing.assert_allclose(plan.pace[~before, seat], expected, rtol=1e-15, atol=0)
    assert plan.pace[np.searchsorted(plan.start, begin), 2] == 2.0  # first day: half productivity
    assert (plan.pace[plan.start >= begin + 12 * 7 * DAY, 2:] == 1).all()
    np.testing.assert_allclose(ramp_pace(t, 6 * 7 * DAY), 1 / 0.75)


def test_refills_ramp_from_their_own_first_day():
    t = team(headcount=30, attrition=1.0, roster="24/7", hiring={"lead_time": "30d"}, ramp={"weeks": 4, "start": 0.25})
    plan = shift_plan(t, clock(365), rng())
    tenure = plan.tenures
    new = np.flatnonzero(tenure.new)
    assert len(new) > 5
    for i in new:
        shifts = np.flatnonzero((plan.start >= tenure.start[i]) & (plan.start < tenure.end[i]))
        expected = ramp_pace(t, plan.start[shifts] - tenure.start[i])
        np.testing.assert_allclose(plan.pace[shifts, tenure.seat[i]], expected, rtol=1e-15)


def test_planned_changes_open_and_close_seats_on_their_dates():
    t = team(headcount=3, roster="24/7", changes=[{"date": "2024-01-11", "headcount": 5},
                                                   {"date": "2024-01-21", "headcount": 2}])
    plan = shift_plan(t, clock(30), rng())
    assert plan.present.shape[1] == 5  # as many columns as the most seats
    on_duty = plan.on_duty
    assert on_duty[:10].tolist() == [3] * 10 and on_duty[10:20].tolist() == [5] * 10 and on_duty[20:].tolist() == [2] * 10
    assert plan.hires_between(0, 30 * DAY) == 2
    assert not plan.present[20:, 2:].any()  # the highest-numbered seats close


def test_a_change_dated_before_the_start_is_in_force_at_time_zero():
    t = team(headcount=3, changes=[{"date": "2023-06-01", "headcount": 7}])
    plan = shift_plan(t, clock(7), rng())
    assert plan.on_duty.tolist() == [7] * 5 and plan.hires_between(0, 7 * DAY) == 0


def test_overtime_lengthens_every_shift():
    t = team(roster={"hours_per_day": 8}, overtime="1.5h/day")
    plan = shift_plan(t, clock(7), rng())
    assert (plan.end - plan.start == 9.5 * 3600).all()
    assert plan.available_seconds(0, 7 * DAY) == 10 * 5 * 9.5 * 3600


# --------------------------------------------------------------------------- shrinkage and random streams


def test_shrinkage_removes_that_share_of_analyst_shifts():
    t = team(headcount=100, shrinkage=0.2)
    plan = shift_plan(t, clock(70), rng())
    n = plan.present.size
    absent = n - plan.present.sum()
    assert abs(absent - 0.2 * n) <= 4 * math.sqrt(n * 0.2 * 0.8)


def test_each_seat_keeps_its_draws_whatever_the_headcount_and_horizon():
    small = shift_plan(team(headcount=5, shrinkage=0.3, attrition=0.5), clock(200), rng())
    large = shift_plan(team(headcount=9, shrinkage=0.3, attrition=0.5), clock(400), rng())
    shifts = len(small.start)
    assert (small.present == large.present[:shifts, :5]).all()
    for seat in range(5):
        a, b = small.tenures, large.tenures
        ends_small = a.end[a.seat == seat]
        ends_large = b.end[b.seat == seat]
        left = a.left[a.seat == seat]
        np.testing.assert_array_equal(ends_small[left], ends_large[: left.sum()])
    other = shift_plan(team(headcount=5, shrinkage=0.3, attrition=0.5), clock(200), rng(replication=1))
    assert (other.present != small.present).any()


def test_hundreds_of_analysts_over_years():
    # how long it takes is for the benchmarks (benchmarks/), never a test: timings fail under load
    t = team(headcount=400, shrinkage=0.15, attrition=0.2, hiring={"lead_time": "90d"}, ramp={"weeks": 12, "start": 0.5},
             changes=[{"date": "2025-01-01", "headcount": 500}, {"date": "2026-01-01", "headcount": 450}])
    plan = shift_plan(t, clock(3 * 365), rng())
    assert plan.present.shape == (783, 500)


# --------------------------------------------------------------------------- scenario validation and the engine


def test_bad_workforce_input_is_explained():
    with pytest.raises(ValueError, match="attrition rate .* between 0 and 1 .* got 1.5"):
        team(attrition=1.5)
    with pytest.raises(ValueError, match="distinct dates in increasing order"):
        team(changes=[{"date": "2025-01-01", "headcount": 3}, {"date": "2024-01-01", "headcount": 4}])
    with pytest.raises(ValueError, match="more than 24 hours"):
        team(roster="24/7", overtime="1h/day")
    with pytest.raises(ValueError, match="start"):
        team(ramp={"weeks": 4, "start": 0})


def scenario(**workforce) -> dict:
    return {
        "name": "w", "clock": {"horizon": "28d", "step": "1d", "start": "2024-01-01"},
        "demand": [{"stream": "s", "rate": "2000/day"}],
        "review": {"image": {"dist": "exponential", "mean": "60s"}},
        "workforce": [{"team": "a", "headcount": 4, "roster": "24/7", **workforce}],
    }


def test_on_duty_in_the_time_series_follows_the_planned_headcount():
    s = load_scenario(scenario(changes=[{"date": "2024-01-15", "headcount": 8}]))
    rep = simulate_replication(s, 1)
    series = timeseries(s, rep)
    before = series[series.date <= "2024-01-14"].on_duty
    after = series[series.date > "2024-01-15"].on_duty
    assert (before.iloc[1:] == 4).all() and (after == 8).all()
    # the added analysts do work
    assert set(np.unique(rep.items.analyst[rep.items.started])) >= set(range(8))


def test_ramping_analysts_review_more_slowly_in_the_engine():
    raw = scenario(headcount=0, changes=[{"date": "2024-01-01", "headcount": 3}], ramp={"weeks": 2, "start": 0.5})
    raw["review"]["image"] = {"dist": "deterministic", "mean": "60s"}  # so the pace shows exactly
    s = load_scenario(raw)
    rep = simulate_replication(s, 1)
    items = rep.items
    plan = rep.shifts[0]
    early = items.started & (items.start < DAY)
    late = items.started & (items.start > 15 * DAY)
    # day 0 of a 2-week ramp from half productivity: reviews take twice as long; after it, the standard 60 s
    assert np.allclose(items.service[early], 120.0) and np.allclose(items.service[late], 60.0)
    assert plan.hires_between(0, DAY) == 3


def test_an_attrition_rate_above_one_is_refused_with_the_file_and_key(tmp_path):
    import yaml

    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(scenario(attrition=1.5)))
    with pytest.raises(ScenarioError, match=r"workforce\.a\.attrition: .*between 0 and 1"):
        load_scenario(path)
