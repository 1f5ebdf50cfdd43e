"""Demand: growth curves, non-homogeneous Poisson arrivals, weekly pattern, bursts, attributes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from capsim.demand import (
    FLAG_AI,
    FLAG_CRIMINAL,
    FLAG_KNOWN,
    FLAG_REALISTIC,
    SKIP_COST,
    Stockpile,
    cell_means,
    draw_review_times,
    expected_count,
    first_of_blocks,
    rate_at,
    review_times_in_turn,
)
from capsim.kernel import sort_cells
from capsim.scenario import ReviewTime, load_scenario
from tests.conftest import replicate

DAY = 86400.0
YEAR = 365.25 * DAY


def scenario(stream: dict, horizon: str = "28d", hashing: bool = False, **clock) -> dict:
    base = {"stream": "s", "unit": "image", "rate": "1000/day"}
    base.update(stream)
    return {
        "name": "demand",
        "clock": {"horizon": horizon, "start": "2024-01-01", "step": "1h", **clock},
        "demand": [base],
        "review": {"image": {"dist": "deterministic", "mean": "1s"}},
        "workforce": [{"team": "a", "headcount": 0}],
        "tooling": {"hash_matching": {"enabled": hashing}},
    }


def poisson_ok(count: float, mean: float) -> bool:
    """``count`` within 4.5 standard deviations of a Poisson ``mean`` (false alarm ~7e-6)."""
    return abs(count - mean) <= 4.5 * math.sqrt(mean)


@pytest.mark.parametrize(
    "growth, at_one_year",
    [
        ({"model": "none"}, 1.0),
        ({"model": "linear", "increase_per_year": 0.5}, 1.5),
        ({"model": "exponential", "doubling_time": "1y"}, 2.0),
        ({"model": "table", "points": [{"date": "2024-01-01", "rate": "1000/day"},
                                       {"date": "2024-12-31", "rate": "3000/day"}]}, 3.0),
    ],
)
def test_growth_curves_reach_their_stated_rate(growth, at_one_year):
    stream = {"growth": growth}
    if growth["model"] == "table":
        stream["rate"] = None
        t = 365 * DAY
    else:
        t = YEAR
    s = load_scenario(scenario(stream, horizon="2y"))
    rate = rate_at(s.demand[0], s.clock, np.array([0.0, t]))
    assert rate[0] * DAY == pytest.approx(1000)
    assert rate[1] * DAY == pytest.approx(1000 * at_one_year)


def test_logistic_starts_at_rate_is_halfway_at_midpoint_and_tends_to_ceiling():
    s = load_scenario(scenario({"growth": {"model": "logistic", "ceiling": "5000/day", "midpoint": "2025-01-01",
                                           "steepness": "3/year"}}, horizon="6y"))
    mid = 366 * DAY
    r = rate_at(s.demand[0], s.clock, np.array([0.0, mid, 40 * YEAR])) * DAY
    assert r[0] == pytest.approx(1000)
    sigmoid0 = 1 / (1 + math.exp(3 * mid / YEAR))
    assert r[1] == pytest.approx(1000 + 4000 * (0.5 - sigmoid0) / (1 - sigmoid0))
    assert r[2] == pytest.approx(5000)


def test_exponential_arrivals_follow_the_curve_not_the_starting_rate():
    # Doubling every 30 days over 90 days: the last month should see ~4× the first.
    raw = scenario({"growth": {"model": "exponential", "doubling_time": "30d"}}, horizon="90d")
    (rep,) = replicate(raw, 1)
    s = load_scenario(raw)
    per_month = rep.arrived_per_cell[0].reshape(3, -1).sum(axis=1)
    expected = cell_means(s.demand[0], s.clock).reshape(3, -1).sum(axis=1)
    exact = [1000 * 30 / math.log(2) * (2 ** (k + 1) - 2**k) for k in range(3)]  # ∫ of 1000·2^(t/30) per day
    assert np.allclose(expected, exact, rtol=1e-4)  # midpoint rule within cells
    assert all(poisson_ok(c, m) for c, m in zip(per_month, exact))


def test_weekly_pattern_shapes_days_and_keeps_the_weekly_total():
    weekly = {"mon": 2, "tue": 1, "wed": 1, "thu": 1, "fri": 1, "sat": 0, "sun": 1}
    raw = scenario({"weekly": weekly}, horizon="70d")
    (rep,) = replicate(raw, 1)
    per_day = rep.arrived_per_cell[0].reshape(70, 24).sum(axis=1)
    by_weekday = per_day.reshape(10, 7).sum(axis=0)  # start is a Monday
    expected = [1000 * 10 * f for f in (2, 1, 1, 1, 1, 0, 1)]  # the factors already average 1
    assert by_weekday[5] == 0
    assert all(poisson_ok(c, m) for c, m in zip(by_weekday, expected) if m)
    assert expected_count(load_scenario(raw).demand[0], load_scenario(raw).clock) == pytest.approx(70_000)


def test_bursts_and_backlog_arrive_together_at_their_moment():
    raw = scenario({"rate": "0/day", "initial_backlog": 500, "bursts": [{"at": "2024-01-03", "items": 300},
                                                                        {"at": "36h", "items": 7}]}, horizon="5d")
    (rep,) = replicate(raw, 1)
    times, counts = np.unique(rep.items.arrival, return_counts=True)
    assert times.tolist() == [0.0, 36 * 3600.0, 2 * DAY]
    assert counts.tolist() == [500, 7, 300]


def test_hash_matching_clears_known_items_binomially_and_keeps_the_rest():
    raw = scenario({"rate": "100000/day", "mix": {"known": 0.95}}, horizon="10d", hashing=True)
    (rep,) = replicate(raw, 1)
    arrived = rep.arrived_per_cell.sum()
    cleared = rep.cleared_per_cell.sum()
    sd = math.sqrt(arrived * 0.95 * 0.05)
    assert abs(cleared - 0.95 * arrived) <= 4.5 * sd
    assert len(rep.items) == arrived - cleared
    assert not (rep.items.flags & FLAG_KNOWN).any()  # a perfect matcher leaves no known item for humans


def test_without_hash_matching_known_items_reach_humans_with_their_flag():
    raw = scenario({"rate": "20000/day", "mix": {"known": 0.4}}, horizon="5d")
    (rep,) = replicate(raw, 1)
    assert rep.cleared_per_cell.sum() == 0
    share = (rep.items.flags & FLAG_KNOWN > 0).mean()
    assert abs(share - 0.4) <= 4.5 * math.sqrt(0.24 / len(rep.items))


def test_attribute_shares_and_realistic_only_among_ai_criminal():
    mix = {"ai_generated": 0.6, "criminal": 0.3, "realistic": 0.8}
    (rep,) = replicate(scenario({"rate": "50000/day", "mix": mix}, horizon="4d"), 1)
    f = rep.items.flags
    n = len(f)
    for flag, p in ((FLAG_AI, 0.6), (FLAG_CRIMINAL, 0.3), (FLAG_REALISTIC, 0.6 * 0.3 * 0.8)):
        assert abs((f & flag > 0).mean() - p) <= 4.5 * math.sqrt(p * (1 - p) / n)
    realistic = f & FLAG_REALISTIC > 0
    assert np.all(f[realistic] & FLAG_AI) and np.all(f[realistic] & FLAG_CRIMINAL)


@pytest.mark.parametrize("dist, extra", [("exponential", {}), ("lognormal", {"cv": 0.5}), ("gamma", {"cv": 2.0}),
                                         ("deterministic", {})])
def test_review_time_distributions_have_their_mean_and_cv(dist, extra):
    raw = scenario({"rate": "200000/day"}, horizon="1d")
    raw["review"]["image"] = {"dist": dist, "mean": "30s", **extra}
    (rep,) = replicate(raw, 1)
    service = rep.items.service
    cv = {"exponential": 1.0, "deterministic": 0.0}.get(dist, extra.get("cv"))
    se = 30 * cv / math.sqrt(len(service))
    assert abs(service.mean() - 30) <= 4.5 * se + 1e-9
    assert service.std() / service.mean() == pytest.approx(cv, abs=0.05)


def test_empirical_review_times_draw_only_the_given_values():
    raw = scenario({"rate": "10000/day"}, horizon="1d")
    raw["review"]["image"] = {"dist": "empirical", "values": ["10s", "20s", "1min"]}
    (rep,) = replicate(raw, 1)
    assert set(np.unique(rep.items.service)) == {10.0, 20.0, 60.0}


def test_fixed_and_exponential_ttl():
    (fixed,) = replicate(scenario({"rate": "5000/day", "ttl": "2d"}, horizon="1d"), 1)
    assert np.allclose(fixed.items.deadline - fixed.items.arrival, 2 * DAY)
    (expo,) = replicate(scenario({"rate": "50000/day", "ttl": {"dist": "exponential", "mean": "2h"}},
                                 horizon="1d"), 1)
    ttl = expo.items.deadline - expo.items.arrival
    assert abs(ttl.mean() - 7200) <= 4.5 * 7200 / math.sqrt(len(ttl))


@pytest.mark.parametrize("skipped", ["few", "many"])
def test_arrival_offsets_are_the_first_draws_of_each_cells_block(skipped):
    # Each cell draws a block of uniforms, one per arrival; the items that reach a human take the
    # first of them. Few cleared items: the whole blocks are drawn and the rest dropped (a compiled
    # copy, kernel.first_of_each); many: the generator skips them. Either way, block by block.
    rng = np.random.default_rng(4)
    counts = rng.poisson(40 if skipped == "few" else 4 * SKIP_COST, 50).astype(np.int64)
    kept = (counts - rng.binomial(counts, 0.5)).astype(np.int64)
    kept[::7] = counts[::7]  # some cells lose nothing, some keep nothing
    kept[3::7] = 0
    dropped = counts - kept
    assert (dropped.sum() <= SKIP_COST * np.count_nonzero(dropped)) == (skipped == "few")  # the path meant
    uniforms = np.random.Generator(np.random.PCG64(9)).random(int(counts.sum()))
    blocks = np.split(uniforms, np.cumsum(counts)[:-1])
    expected = np.concatenate([block[:k] for block, k in zip(blocks, kept)])
    assert np.array_equal(first_of_blocks(counts, kept, np.random.Generator(np.random.PCG64(9))), expected)


@pytest.mark.parametrize("case", ["uniform in their cells", "bunched", "tied over half of each cell", "half outside their cells"])
def test_arrival_times_sorted_cell_by_cell_are_numpys_sort(case):
    # kernel.sort_cells orders each cell's values by buckets spread over the cell; its result must be
    # numpy's sort of the whole array whatever the values' spread (buckets only decide the speed):
    # values bunched at one end of a cell, or outside it, fall in the end buckets and still come out sorted.
    rng = np.random.default_rng(11)
    sizes = rng.poisson(60, 40).astype(np.int64)
    sizes[[0, 5, 6, 17]] = [0, 1, 0, 300]
    lows = np.arange(len(sizes)) * 3600.0
    offsets = {"uniform in their cells": rng.random(sizes.sum()),
               "bunched": rng.random(sizes.sum()) ** 12,
               "tied over half of each cell": np.round(rng.random(sizes.sum()), 1) * 0.5,
               "half outside their cells": rng.random(sizes.sum())}[case]
    values = offsets * 3600.0 + np.repeat(lows, sizes)
    expected = np.sort(values)
    sort_cells(values, sizes, lows + (1800.0 if case == "half outside their cells" else 0.0), 3600.0)
    assert np.array_equal(values, expected)
    empty = np.zeros(0)
    sort_cells(empty, np.zeros(3, dtype=np.int64), lows[:3], 3600.0)


def test_a_burst_in_mid_window_takes_its_place_among_the_flow():
    # Bursts join the flow at their instant: every batch of arrivals comes out in time order.
    raw = scenario({"rate": "2000/day", "initial_backlog": 40, "bursts": [{"at": "2024-01-03", "items": 300},
                                                                         {"at": "36h", "items": 7}]}, horizon="5d")
    (rep,) = replicate(raw, 1)
    arrival = rep.items.arrival[rep.items.parent < 0]
    assert np.all(np.diff(arrival) >= 0)
    times, counts = np.unique(arrival, return_counts=True)
    assert counts[times == 36 * 3600.0].item() == 7 and counts[times == 0.0].item() == 40


@pytest.mark.parametrize("dist", ["lognormal", "exponential", "gamma", "deterministic", "empirical"])
def test_review_times_in_turn_are_one_draw_per_request_whatever_the_chunks(dist):
    # Requests of 0 to 5,000 (past the 4,096 drawn at once) against one draw_review_times call
    # per request from a twin generator, times the factor: the same numbers, bit for bit.
    review = ReviewTime(dist=dist, **({"values": ["30s", "60s", "90s"]} if dist == "empirical" else
                                      {"mean": "90s", **({"cv": 0.8} if dist in ("lognormal", "gamma") else {})}))
    take = review_times_in_turn(review, np.random.default_rng(7), 1.25)
    twin = np.random.default_rng(7)
    sizes = np.random.default_rng(8).integers(0, 60, 300).tolist() + [0, 5000, 3, 4096, 1]
    for n in sizes:
        got = take(n)
        assert np.array_equal(got, draw_review_times(review, n, twin) * 1.25)


def test_a_stockpile_hands_out_a_generators_uniforms_in_turn_read_only():
    take = Stockpile(np.random.default_rng(3).random, 100).take
    twin = np.random.default_rng(3)
    for n in (0, 7, 93, 1, 250, 100, 0, 42):
        got = take(n)
        assert np.array_equal(got, twin.random(n))
        assert not got.flags.writeable or n == 0  # nobody can change the numbers still to come
