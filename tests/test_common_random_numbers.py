"""Common random numbers across tools: the same arrivals whatever hash matching clears, so that
a paired comparison (with and without a tool, under one seed) compares the same items."""

from __future__ import annotations

import numpy as np
import pytest

from capsim.engine import simulate_replication
from capsim.scenario import load_scenario


def stream_scenario(rate: str, known: float, hashing: dict | None, days: int = 2) -> dict:
    return {
        "name": "crn",
        "clock": {"horizon": f"{days}d", "step": "1h"},
        "demand": [{"stream": "images", "unit": "image", "rate": rate, "initial_backlog": 50, "recirculation": 0.2,
                    "mix": {"known": known, "criminal": 0.3}}],
        "review": {"image": {"dist": "exponential", "mean": "30s"}},
        "workforce": [{"team": "analysts", "headcount": 20, "roster": "24/7"}],
        "tooling": {"hash_matching": {"enabled": True, **hashing}} if hashing else {},
    }


@pytest.mark.parametrize("rate, known", [
    ("20000/day", 0.6),    # few cleared per hour: drawn and dropped
    ("1000000/day", 0.95),  # tens of thousands cleared per hour: skipped without a draw
])
@pytest.mark.parametrize("hashing", [{"match_rate": 0.9}, {"match_rate": 1.0, "spot_check": 0.1}])
def test_items_reviewed_with_hash_matching_are_a_subset_of_those_without(rate, known, hashing):
    off = simulate_replication(load_scenario(stream_scenario(rate, known, None)), 5, 2)
    on = simulate_replication(load_scenario(stream_scenario(rate, known, hashing)), 5, 2)
    assert np.array_equal(on.arrived_per_cell, off.arrived_per_cell)  # the same arrivals per cell
    reviewed_on, reviewed_off = on.items.arrival[on.items.direct], off.items.arrival[off.items.direct]
    assert 0 < len(reviewed_on) < len(reviewed_off)
    assert np.isin(reviewed_on, reviewed_off).all()  # the same arrival times, a subset
    assert len(np.unique(reviewed_off)) > len(reviewed_off) - 50  # times are distinct, but the backlog's
