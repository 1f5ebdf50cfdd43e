"""The engine's rules, on cases small enough to work out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from capsim import kernel
from capsim.engine import simulate_replication
from capsim.experiment import simulate
from capsim.scenario import load_scenario
from tests.conftest import mmc, replicate

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def one_analyst(cap=None, review="30s", days="14d", shrinkage=0.0, backlog=100_000):
    return {
        "name": "one-analyst",
        "clock": {"horizon": days, "start": "2024-01-01", "step": "1h"},  # 2024-01-01 is a Monday
        "demand": [{"stream": "s", "rate": "0/day", "initial_backlog": backlog}],
        "review": {"image": {"dist": "deterministic", "mean": review}},
        "workforce": [{"team": "a", "headcount": 1, "exposure_cap": cap, "shrinkage": shrinkage,
                       "roster": {"hours_per_day": 7.5, "days": WEEKDAYS, "start": "09:00"}}],
    }


def per_day(rep) -> np.ndarray:
    items = rep.items
    return np.bincount((items.start[items.started] // 86400).astype(int), minlength=14)


def test_weekday_shifts_assess_exactly_900_a_day_and_none_at_weekends():
    (rep,) = replicate(one_analyst(), 1)
    assert per_day(rep).tolist() == [900] * 5 + [0, 0] + [900] * 5 + [0, 0]


def test_four_hour_exposure_cap_allows_exactly_480():
    (rep,) = replicate(one_analyst(cap="4h/day"), 1)
    assert per_day(rep).tolist() == [480] * 5 + [0, 0] + [480] * 5 + [0, 0]


def test_item_in_hand_is_finished_after_the_shift_ends():
    # 7.5 h = 27000 s; 40 s reviews: 675 fit exactly, so try 41 s: the 659th starts at
    # 658 × 41 = 26978 s (< 27000) and ends at 27019 s, after the shift.
    (rep,) = replicate(one_analyst(review="41s", days="1d"), 1)
    items = rep.items
    assert items.started.sum() == 659
    last = items.start[items.started].max()
    assert last == 9 * 3600 + 658 * 41
    assert last + 41 > 9 * 3600 + 27000


def test_work_carried_over_resumes_at_the_next_shift():
    # one analyst, 7.5 h weekday shifts from 09:00, three 10-hour tasks waiting on Monday
    raw = one_analyst(review="10h", days="7d", backlog=3)
    raw["workforce"][0]["carry_over"] = True
    (rep,) = replicate(raw, 1)
    items = rep.items
    hour = 3600.0
    # task 1: Mon 09:00 (7.5 h) + Tue 09:00-11:30; task 2 starts Tue 11:30, 5 h that day,
    # 5 h on Wednesday, ending 14:00; task 3 starts Wed 14:00 (2.5 h), then 7.5 h on Thursday.
    assert items.start.tolist() == [9 * hour, 24 * hour + 11.5 * hour, 48 * hour + 14 * hour]
    assert items.end.tolist() == [24 * hour + 11.5 * hour, 48 * hour + 14 * hour, 72 * hour + 16.5 * hour]


def test_without_carry_over_an_item_in_hand_is_finished_in_one_sitting():
    (rep,) = replicate(one_analyst(review="10h", days="7d", backlog=3), 1)
    hour = 3600.0
    assert rep.items.start.tolist() == [9 * hour, 33 * hour, 57 * hour]  # one a day, each overrunning
    assert np.array_equal(rep.items.end, rep.items.start + 10 * hour)


def test_shrinkage_removes_that_share_of_shifts():
    (rep,) = replicate(one_analyst(shrinkage=0.3, days="700d", backlog=10**7), 1)
    worked = per_day(rep) > 0
    shifts = 500  # 100 weeks × 5 weekdays
    absent = shifts - worked.sum()
    # Binomial(500, 0.3): mean 150, sd 10.2; ±4 sd
    assert abs(absent - 150) <= 41


def test_priorities_are_served_in_order_first_come_first_served_within_one():
    raw = one_analyst(days="1d", backlog=0)
    raw["priorities"] = ["urgent", "normal"]
    raw["demand"] = [
        {"stream": "n", "rate": "0/day", "priority": "normal", "bursts": [{"at": "1h", "items": 3}]},
        {"stream": "u", "rate": "0/day", "priority": "urgent", "bursts": [{"at": "2h", "items": 2}]},
    ]
    (rep,) = replicate(raw, 1)
    items = rep.items
    order = np.argsort(items.start, kind="stable")
    # At 09:00 all five wait: the two urgent ones go first, then the normal ones in arrival order.
    assert items.priority[order].tolist() == [0, 0, 1, 1, 1]
    assert np.all(np.diff(items.start[order]) == 30)


def test_expired_items_are_skipped_and_cost_no_time():
    raw = one_analyst(days="1d", backlog=0)
    raw["demand"][0].update(bursts=[{"at": "0s", "items": 5}], ttl="9h")  # expire at 09:00 sharp
    raw["demand"].append({"stream": "late", "rate": "0/day", "bursts": [{"at": "1h", "items": 2}], "ttl": "1d"})
    (rep,) = replicate(raw, 1)
    items = rep.items
    assert items.expired_by(rep.horizon).sum() == 5
    assert items.started.sum() == 2
    assert sorted(items.start[items.started]) == [9 * 3600, 9 * 3600 + 30]


def test_a_busy_analyst_takes_the_next_arrival_when_free_and_waits_are_exact():
    # 24/7, one analyst, 100 s reviews; arrivals at 0, 10 and 250 s: starts at 0, 100 and 250.
    raw = mmc(1, 100, 0.5, days=1, warmup_days=0)
    raw["demand"][0].update(rate="0/s", bursts=[{"at": "0s", "items": 1}, {"at": "10s", "items": 1},
                                                {"at": "250s", "items": 1}])
    raw["review"]["image"]["dist"] = "deterministic"
    (rep,) = replicate(raw, 1)
    assert rep.items.start.tolist() == [0, 100, 250]
    assert rep.items.wait.tolist() == [0, 90, 0]


@pytest.mark.parametrize("earliest_deadline", [False, True])
@pytest.mark.parametrize("heap", [False, True])
def test_compiled_and_pure_python_kernels_agree_exactly(earliest_deadline, heap):
    # three priorities, two sources each (queues 0-5, ranks 0,0,1,1,2,2), expiry, caps, slow analysts
    rng = np.random.default_rng(3)
    n, analysts, queues = 4000, 5, 6
    arrival = np.sort(rng.uniform(0, 20000, n))
    deadline = arrival + rng.exponential(300, n)
    which = rng.integers(0, queues, n)
    outputs = []
    for fn in (kernel.assign, kernel.assign.py_func):
        service = rng.exponential(20, n) if not outputs else outputs[0][-1].copy()
        drawn = service.copy()
        queue, qbase = np.zeros(queues * n, dtype=np.int64), np.arange(queues, dtype=np.int64) * n  # a room of n each
        qtail = np.zeros(queues, dtype=np.int64)
        for i in range(n):
            queue[qbase[which[i]] + qtail[which[i]]] = i
            qtail[which[i]] += 1
        start, taken = np.full(n, np.inf), np.full(n, -1, dtype=np.int32)
        free_at, exposure = np.zeros(analysts), np.zeros(analysts)
        shift_end, cap = np.full(analysts, 15000.0), np.full(analysts, 2500.0)
        pace = np.array([1.0, 1.0, 1.5, 2.0, 1.0])
        end = np.full(n, np.inf)
        count = fn(10000.0, arrival, service, deadline, start, end, taken, queue, qbase, np.zeros(queues, dtype=np.int64),
                   qtail, np.array([0, 0, 1, 1, 2, 2]), free_at, shift_end, exposure, cap, pace,
                   False, np.zeros(analysts), np.full(analysts, -1), np.array([-1, -1, -1, 0b011, 0b101]),
                   earliest_deadline, np.array([600.0, 600.0, 60.0, 60.0, np.inf, np.inf]),
                   np.empty(analysts, dtype=np.int64) if heap else None)  # a heap of seats, or a scan of them
        outputs.append((count, start, end, taken, free_at, exposure, service, drawn))
    (c1, *a1), (c2, *a2) = outputs
    assert c1 == c2 > 0
    for x, y in zip(a1, a2):
        assert np.array_equal(x, y)
    count, start, end, taken, *_, service, drawn = outputs[0]
    took = np.isfinite(start)
    assert np.allclose(service[took], drawn[took] * pace[taken[took]])  # slow analysts take longer
    assert np.array_equal(end[took], start[took] + service[took])


def test_within_one_priority_the_earliest_arrival_goes_first_whatever_its_source():
    # one analyst; queue 0 and 1 share rank 0: items interleave by arrival time
    arrival = np.array([0.0, 1.0, 2.0, 3.0])
    queue, qbase = np.array([0, 2, 0, 0, 1, 3, 0, 0], dtype=np.int64), np.array([0, 4])  # rooms of 4
    start = np.full(4, np.inf)
    kernel.assign(1000.0, arrival, np.full(4, 10.0), np.full(4, np.inf), start, np.full(4, np.inf),
                  np.full(4, -1, dtype=np.int32), queue, qbase, np.zeros(2, dtype=np.int64), np.array([2, 2]),
                  np.array([0, 0]), np.zeros(1), np.full(1, np.inf), np.zeros(1), np.full(1, np.inf), np.ones(1),
                  False, np.zeros(1), np.full(1, -1), np.full(1, -1, dtype=np.int64), False, np.full(2, np.inf),
                  kernel.seat_heap(1))
    assert start.tolist() == [0.0, 10.0, 20.0, 30.0]


def test_same_seed_same_numbers_different_seed_different_numbers():
    scenario = load_scenario(mmc(4, 60, 0.8, days=2))
    a = simulate(scenario, replications=2, seed=5)
    b = simulate(scenario, replications=2, seed=5)
    c = simulate(scenario, replications=2, seed=6)
    assert a.summary.equals(b.summary) and a.timeseries.equals(b.timeseries)
    assert not a.summary.equals(c.summary)


def test_one_worker_and_two_workers_give_identical_results():
    scenario = load_scenario(mmc(4, 60, 0.8, days=2))
    one = simulate(scenario, replications=3, seed=9, workers=1)
    two = simulate(scenario, replications=3, seed=9, workers=2)
    assert one.summary.equals(two.summary)
    assert one.timeseries.equals(two.timeseries)


@pytest.mark.parametrize("seed", [1, 2])
def test_more_analysts_never_lengthen_mean_waits(seed):
    means = []
    for servers in range(9, 15):
        scenario = load_scenario(mmc(servers, 28.4, 0.95 * 9 / servers, days=4))
        # the same arrivals and reviews for every headcount: the rate is fixed, only staff change
        rep = simulate_replication(scenario, seed)
        means.append(rep.items.wait[rep.items.started].mean())
    assert all(later <= earlier for earlier, later in zip(means, means[1:])), means


@pytest.mark.parametrize("seed", [1, 2])
def test_more_demand_never_shortens_mean_waits(seed):
    means = []
    for rho in (0.6, 0.7, 0.8, 0.9, 0.95):
        rep = simulate_replication(load_scenario(mmc(12, 28.4, rho, days=4)), seed)
        means.append(rep.items.wait[rep.items.started].mean())
    assert all(later >= earlier for earlier, later in zip(means, means[1:])), means


def test_headcount_zero_leaves_everything_waiting():
    raw = one_analyst(days="3d", backlog=50)
    raw["workforce"][0]["headcount"] = 0
    result = simulate(load_scenario(raw), replications=1, seed=1)
    assert result.metric("assessed") == 0
    assert result.metric("waiting") == 50 == result.metric("backlog_end")


def test_time_series_agrees_with_the_headline_metrics():
    raw = mmc(3, 600, 0.9, days=5, warmup_days=0, stream={"ttl": "2h", "initial_backlog": 40})
    result = simulate(load_scenario(raw), replications=2, seed=4)
    for r, series in result.timeseries.groupby("replication"):
        metrics = result.per_replication.set_index("replication").loc[r]
        assert series.backlog.iloc[-1] == metrics.backlog_end
        assert series.backlog.max() <= metrics.backlog_max  # the series is sampled; the metric is exact
        assert series.time.iloc[0] == 1 and series.time.iloc[-1] == 120  # hourly steps, each row a whole step
        assert series.assessments.sum() == metrics.assessed
        assert series.expired.sum() == metrics.expired
        assert series.arrivals.sum() == metrics.arrivals
        assert (series.on_duty == 3).all()
