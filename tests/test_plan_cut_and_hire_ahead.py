"""A plan that may cut (``--allow-reduce``) and hires ahead (``--max-hires``) never cuts a seat and
hires it back within the cut's reach, and its dated seats never fall below a period's plan inside it.

A review of the cut rule found, on quarters from 2027-01-01 with a 56-day hiring lead time and one
hire a quarter:

1. Needs 10, 5, 5, 5, 12, ... with 10 in post: seats 10, 9, 10, 11, ...: one let go on 1 April and
   one starting a week later, recruited before the cut (the cut held for the next quarters' needs
   alone, the hiring ahead for quarter 5 applied after it). With 16 weeks' training plan.yaml never
   made the cut the table and notes gave.
2. Needs 12, 5, 5, 5, 5, 13, ... with 12 in post and 16 weeks' training: the seats fell on 11 March,
   inside quarter 1, which needs 12 (a quarter keeping the seats of the one before was dated as a
   hire, before the earlier quarter's cut).
3. The period's note and the chart's title said short temporary cover in two different wordings.
"""

from __future__ import annotations

import bisect
import datetime as dt

import numpy as np
import pytest
import yaml

from capsim.charts.plan import _cover_words as title_cover_words
from capsim.scenario import load_scenario
from capsim.staffing import (Limits, Period, _above_need, _cover_words, _cut_reach, _cut_served, _held_levels,
                             _held_words, _levels, _staffing, add_months)
from tests.test_staff_plan_follows import HOTLINE, plan_table

START = dt.date(2026, 10, 1)  # the run's first day: a warm-up before the plan's first quarter
ONE_HIRE = Limits(never_reduce=False, max_hires=1)


def quarters(training_weeks: float, lead_days: int = 56, count: int = 8) -> tuple[list[Period], object]:
    """``count`` quarters from 2027-01-01 and the trial's triage team with ``lead_days`` to hire and
    ``training_weeks`` of training (no ramp)."""
    team = load_scenario(yaml.safe_load(HOTLINE)).workforce[0]
    team = team.model_copy(update={"hiring": team.hiring.model_copy(update={"lead_time": lead_days * 86400.0}),
                                   "ramp": team.ramp.model_copy(update={"weeks": 0, "training_weeks": training_weeks})})
    firsts = [add_months(dt.date(2027, 1, 1), 3 * k) for k in range(count + 1)]
    return [Period(k, firsts[k], firsts[k + 1] - dt.timedelta(days=1), 0.0, 0.0) for k in range(count)], team


def planned(needs: list[int | None], in_post: int, periods: list[Period], team, limits: Limits) -> list[int]:
    """The need-based seats per period, with the plan's holds on a cut."""
    return _levels(needs, in_post, 1, 40, limits, _cut_reach(periods, team), _cut_served(periods, team))


def falls_then_rises_within_reach(levels: list[int], reach: list[int]) -> list[tuple[int, int]]:
    """(cut period, rising period) pairs: a period after a cut, up to the cut's reach, with more seats than
    the period before it."""
    return [(k, j) for k in range(1, len(levels)) if levels[k] < levels[k - 1]
            for j in range(k + 1, reach[k] + 1) if levels[j] > levels[j - 1]]


def days_short(staffing: tuple, levels: list[int], periods: list[Period]) -> list[tuple[dt.date, int, int]]:
    """Every day of every period on which the dated seats (walked day by day) are fewer than the
    period's planned seats: (day, seats, planned)."""
    days = [d for d, _ in staffing]
    short = []
    for period, level in zip(periods, levels):
        day = period.first
        while day <= period.last:
            seats = staffing[bisect.bisect_right(days, day) - 1][1]
            if seats < level:
                short.append((day, seats, level))
            day += dt.timedelta(days=1)
    return short


CASES = [([10, 5, 5, 5, 12, 12, 12, 12], 10, 12, ONE_HIRE), ([10, 5, 5, 5, 12, 12, 12, 12], 10, 16, ONE_HIRE),
         ([12, 5, 5, 5, 5, 13, 13, 13], 12, 12, ONE_HIRE), ([12, 5, 5, 5, 5, 13, 13, 13], 12, 16, ONE_HIRE),
         ([12, 5, 5, 5, 5, 13, 13, 13], 12, 16, Limits(never_reduce=False))]


@pytest.mark.parametrize("needs, in_post, training, limits", CASES)
def test_no_cut_is_hired_back_within_its_reach(needs, in_post, training, limits):
    periods, team = quarters(training)
    levels = planned(needs, in_post, periods, team, limits)
    assert not falls_then_rises_within_reach(levels, _cut_reach(periods, team)), levels


def test_the_reviewed_needs_keep_their_seats_rather_than_cut_and_rehire():
    periods, team = quarters(12)
    assert planned([10, 5, 5, 5, 12, 12, 12, 12], 10, periods, team, ONE_HIRE) == [10, 10, 10, 11, 12, 12, 12, 12]
    # quarter 6's 13 needs 11 in post by quarter 4 at one hire a quarter: quarter 2 cuts only to that
    assert planned([12, 5, 5, 5, 5, 13, 13, 13], 12, periods, team, ONE_HIRE) == [12, 11, 11, 11, 12, 13, 13, 13]


@pytest.mark.parametrize("needs, in_post, training, limits", CASES)
def test_the_dated_seats_never_fall_below_a_period_s_plan_inside_it(needs, in_post, training, limits):
    periods, team = quarters(training)
    levels = planned(needs, in_post, periods, team, limits)
    staffing = _staffing(levels, levels, periods, team, START, 40)
    assert not days_short(staffing, levels, periods), staffing


def test_any_needs_are_planned_without_a_cut_rehired_in_reach_or_a_short_day():
    rng = np.random.default_rng(21)
    for _ in range(150):
        training, lead = int(rng.choice([0, 8, 12, 16, 30])), int(rng.choice([0, 56, 91, 200]))
        periods, team = quarters(training, lead)
        needs = [int(n) for n in rng.integers(3, 16, len(periods))]
        limits = Limits(never_reduce=False, max_hires=[None, 1, 2][int(rng.integers(3))])
        levels = planned(needs, int(rng.integers(3, 16)), periods, team, limits)
        assert not falls_then_rises_within_reach(levels, _cut_reach(periods, team)), (needs, training, lead, levels)
        staffing = _staffing(levels, levels, periods, team, START, 40)
        assert not days_short(staffing, levels, periods), (needs, training, lead, staffing)


def test_a_hold_for_hiring_ahead_names_the_need_it_reaches():
    periods, team = quarters(12)
    needs = [12, 5, 5, 5, 5, 13, 13, 13]
    labels = [f"period {k + 1}" for k in range(len(periods))]
    levels, holds = _held_levels(needs, 12, 1, 40, ONE_HIRE, _cut_reach(periods, team), _cut_served(periods, team))
    assert _above_need(levels[1] - needs[1], False, False, ONE_HIRE,
                       _held_words(holds[1], needs, periods, labels, team, 1)) == (
        "6 analysts above its own need: held for period 4, which needs 11 in post to reach the need of 13 in "
        "period 6 at 1 hire a period (the plan does not cut a seat that the next period needs back, or a later one "
        "whose hires would have to be recruited within the hiring lead time of 56 days after the cut)")
    # quarter 4 keeps quarter 3's seats for quarter 6: kept, not hired, and not the minimum headcount
    assert 3 not in holds and _above_need(levels[3] - needs[3], True, False, ONE_HIRE) == (
        "6 analysts above its own need: kept ahead of a later period's need (at most 1 hire a period)")


def test_short_cover_is_said_in_the_same_words_in_the_note_and_the_title():
    firsts, lasts = ["2027-07-01", "2027-08-01", "2027-09-01"], ["2027-07-31", "2027-08-31", "2027-09-30"]
    periods = [Period(k, dt.date.fromisoformat(f), dt.date.fromisoformat(t), 0.0, 0.0)
               for k, (f, t) in enumerate(zip(firsts, lasts))]
    table = plan_table([3, 5, 3], [0, 2, 0], firsts, lasts)
    table.loc[1, "hire_by"] = "2027-04-03"
    words = ("31 days of cover, recruited over a hiring lead time of 120 days; overtime or agency staff may meet "
             "it better")
    assert f"(hire by 2027-04-03: {words})" in title_cover_words(table, 120)
    assert _cover_words([0, 2, 0], 1, periods, ": period 1 was not met", (3, 3, 3), lead_days=120).endswith(
        f"until 2027-08-31 ({words})")
