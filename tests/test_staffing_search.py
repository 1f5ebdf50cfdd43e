"""How ``capsim staff`` searches (issue 14, item 3: fast by search structure) and what its plan says
FTE is measured against (issue 14, item 5).

* a replication that a smaller team met a period in is known met for a larger one, and one a
  larger team missed is known missed for a smaller one (common random numbers: the same items
  and the same absences for the seats both have), so it is not run again;
* the replications still unknown run hardest first, so a failing candidate fails early;
* a plan replayed that clearly misses a period is dropped after a few replications;
* the plan says how many replications decided each need and how sure the replay is;
* "8 in post, 10 FTE" comes with what a seat and an FTE are.

Outcomes are injected into the runner's cache where the test is about the bookkeeping, so those
tests run no simulation.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from capsim.scenario import load_scenario
from capsim.staff_notes import fte_basis
from capsim.staffing import _Runner, met_chance_low, plan_periods, planned_team, solve_staffing

DOCS = Path(__file__).resolve().parents[1] / "docs" / "examples"
HOTLINE = DOCS / "hotline-growing.yaml"
SHORT = ["clock.horizon=120d", "experiment.replications=5"]


def outcome(attained: float) -> dict:
    """One replication's outcome in one period, as :func:`capsim.staffing._replication_outcomes` gives it."""
    return {"sla": {"normal": attained}, "bound": {"normal": 1.0}, "wait_mean": 1.0, "work_hours": 1.0,
            "review_hours": 1.0, "rostered_hours": 1.0}


@pytest.fixture
def runner():
    scenario = load_scenario(HOTLINE, SHORT)
    reduced, index = planned_team(scenario, "analysts")
    return _Runner(reduced, index, plan_periods(reduced, "quarter"), scenario.experiment.seed, 5, 0.8, 1, None, None)


def constant(runner: _Runner, heads: int) -> tuple:
    return ((runner.scenario.clock.start, heads),)


def test_replications_met_by_fewer_analysts_or_missed_by_more_are_known_without_a_run(runner):
    horizon = runner.scenario.clock.horizon
    # 6 analysts met period 0 in replications 0 and 2 and missed it in 1; 9 missed it in 3
    runner.cache[(constant(runner, 6), horizon)] = {0: [outcome(0.95)], 1: [outcome(0.5)], 2: [outcome(0.93)]}
    runner.cache[(constant(runner, 9), horizon)] = {3: [outcome(0.7)]}
    known, inferred = runner.known(constant(runner, 7), 0, horizon)
    assert known == {0: True, 2: True, 3: False} and inferred == 3  # 1 is unknown: 6 missed it, 7 may not
    assert runner.known(constant(runner, 5), 0, horizon) == ({1: False, 3: False}, 2)
    # a replication where a smaller team met and a larger one missed (not monotone): unknown, to be run
    runner.cache[(constant(runner, 8), horizon)] = {0: [outcome(0.6)]}
    assert 0 not in runner.known(constant(runner, 7), 0, horizon)[0]
    # 4 of 5 must meet (0.8 × 5): two known misses for 5 analysts settle it without a run
    assert runner.verdict(runner.known(constant(runner, 5), 0, horizon)[0]) is False
    assert runner.verdict({0: True, 2: True, 3: False}) is None  # 2 met, 1 missed, 2 unknown: run more


def test_the_replications_still_unknown_run_hardest_first(runner):
    horizon = runner.scenario.clock.horizon
    runner.cache[(constant(runner, 6), horizon)] = {0: [outcome(0.95)], 1: [outcome(0.5)], 2: [outcome(0.99)]}
    # the likeliest miss first (1), then the ones never run (3, 4), then the easy ones, easiest last
    assert runner.hardest_first([0], [0, 1, 2, 3, 4]) == [1, 3, 4, 0, 2]


def test_a_candidate_runs_only_the_replications_a_smaller_team_did_not_settle(runner):
    nine = constant(runner, 9)
    assert runner.passes(nine, 0)  # 9 analysts are ample for the first 120 days
    ran = len(runner.cache[(nine, runner.horizon(nine, 0))])
    assert ran == 4  # stops once 4 of 5 met: the verdict cannot change
    runs = runner.runs
    assert runner.passes(constant(runner, 10), 0)  # known from 9: no run at all
    assert runner.runs == runs and (constant(runner, 10), runner.horizon(nine, 0)) not in runner.cache
    assert runner.decided[(10, 0)] == (0, 4)  # decided on 4 replications, all inferred


def test_a_replayed_plan_that_clearly_misses_is_dropped_after_a_few_replications():
    scenario = load_scenario(HOTLINE, ["clock.horizon=120d", "experiment.replications=10"])
    reduced, index = planned_team(scenario, "analysts")
    runner = _Runner(reduced, index, plan_periods(reduced, "quarter"), 1, 10, 0.8, 1, None, None)
    plan = ((reduced.clock.start, 3),)  # 3 analysts for a load of about 7
    assert runner.replay(plan, [0]) == [0]
    # 8 of 10 must meet: the third miss settles it, 7 replications sooner than running them all
    assert len(runner.cache[(plan, reduced.clock.horizon)]) == 3


def test_the_plan_says_how_many_replications_decided_each_need_and_how_sure_it_is():
    scenario = load_scenario(HOTLINE, SHORT)
    table = solve_staffing(scenario, period="quarter", confidence=0.8).table()
    required = math.ceil(0.8 * 5)
    assert (table.needed_replications >= required).all() and (table.needed_replications <= 5).all()
    assert (table.needed_inferred <= table.needed_replications).all()
    # 5 of 5 met: at least 0.05 ** (1 / 5) = 55% likely to be met, at 95% confidence (Clopper–Pearson)
    assert met_chance_low(5, 5) == pytest.approx(0.05 ** (1 / 5))
    assert met_chance_low(10, 10) == pytest.approx(0.741, abs=0.001) and met_chance_low(0, 10) == 0.0
    assert set(table.met_chance_low) <= {met_chance_low(m, 5) for m in range(6)}


def test_fte_is_explained_against_the_contracted_week_for_a_50_hour_roster():
    team = load_scenario(HOTLINE).workforce[0]  # 8 seats of 10 h × Mon–Fri, contracted_hours by default
    text = fte_basis(team)
    assert "in post: seats on the roster" in text and "50 h a week a seat" in text
    assert "full-time equivalents of a 40 h contracted week" in text
    assert "50 / 40 = 1.25 FTE, so 8 seats are 10 FTE" in text
    assert "contracted_hours: 50" in text  # how to say the seats' analysts work 50 h contracts
    fifty = load_scenario(HOTLINE, ["workforce.analysts.contracted_hours=50"]).workforce[0]
    assert "a seat is 1 FTE, so 8 seats are 8 FTE" in fte_basis(fifty)
    assert "12 seats are 15 FTE" in fte_basis(team, 12)


def test_fte_is_given_per_shift_pattern_for_a_rota():
    team = load_scenario(DOCS / "hotline-rota.yaml").workforce[0]
    text = fte_basis(team, 13)  # two hires join the first pattern, early
    assert "in post: analysts (heads)" in text and "hires join the first pattern (early)" in text
    # early 40 h a week: 1 FTE; late: its fte 0.5; weekend 2 × 10 h = 20 h: 0.5; on-call: its fte 0.2
    assert "early 7 × 1 (40 h a week); late 3 × 0.5 (its fte); weekend 2 × 0.5 (20 h a week); on-call 1 × 0.2" in text
    assert "so 13 analysts are 9.7 FTE" in text


def test_every_periods_outcomes_in_one_pass_are_those_of_each_period_alone():
    from capsim.engine import simulate_replication
    from capsim.metrics import eventual_waits
    from capsim.staffing import _replication_outcomes, period_attainment

    scenario = load_scenario(DOCS / "hotline-rota.yaml", ["clock.horizon=200d"])  # two priorities, four patterns
    windows = [(p.t0, p.t1) for p in plan_periods(scenario, "quarter")]
    outcomes = _replication_outcomes(scenario, 7, 0, 0, windows)
    rep = simulate_replication(scenario, 7, 0)
    for (t0, t1), got in zip(windows, outcomes):
        assert got["sla"] == pytest.approx(period_attainment(scenario, rep, t0, t1), nan_ok=True)
        assert all(0 <= b <= 1 for b in got["bound"].values())
        # the waits and the work of the period's items alone, bit for bit (the same values in the same order)
        mine = (rep.items.team == 0) & (rep.items.arrival >= t0) & (rep.items.arrival < t1)
        assert got["wait_mean"] == float(eventual_waits(rep, mine)[0].mean())
        assert got["work_hours"] == float(rep.items.service[mine].sum()) / 3600


def test_periods_and_roster_bounds_are_the_same_for_arrivals_in_time_order_or_not():
    """window_of and passes.reachable_in_time walk arrivals in time order in linear time; out of
    order they search: the same answer either way."""
    import numpy as np

    from capsim.passes import reachable_in_time
    from capsim.staffing import window_of

    rng = np.random.default_rng(3)
    arrival = np.sort(rng.uniform(0, 100, 500))
    windows = [(10.0, 40.0), (40.0, 70.0), (80.0, 95.0)]
    shuffled = rng.permutation(len(arrival))
    which = window_of(arrival, windows)
    assert np.array_equal(window_of(arrival[shuffled], windows), which[shuffled])
    assert np.array_equal(which, [next((k for k, (a, b) in enumerate(windows) if a <= t < b), -1) for t in arrival])
    starts = np.arange(0.0, 100.0, 8.0)
    ends = starts + 3.0
    priority = rng.integers(0, 2, len(arrival))
    ordered = reachable_in_time(arrival, which, priority, 1, starts, ends, 2.5, 3)
    unordered = reachable_in_time(arrival[shuffled], which[shuffled], priority[shuffled], 1, starts, ends, 2.5, 3)
    k = np.searchsorted(starts, arrival, "right") - 1  # the numpy form of its docstring
    first = np.where((k >= 0) & (arrival < ends[k]), arrival, np.append(starts, np.inf)[k + 1])
    kept = (which >= 0) & (priority == 1)
    expected = np.bincount(which[kept], weights=(first - arrival < 2.5)[kept], minlength=3)
    assert np.array_equal(ordered[1], expected) and np.array_equal(unordered[1], expected)
    assert np.array_equal(ordered[0], unordered[0])
