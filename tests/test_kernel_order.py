"""The compiled kernel's orderings are exact: its heap of analysts pops by (free time, index),
ties included (as does its scan of a small team's seats), and the order of finished items is a
stable sort by end, whether it is found by insertion (keys near their place) or by merge sort
(keys far from it)."""

from __future__ import annotations

import numpy as np
import pytest

from capsim.kernel import (INSERTION_MOVES, SCAN_SEATS, _heap_pop, _heap_push, _sift_down, _stable_order, assign,
                           seat_heap)


def test_the_heap_pops_the_least_free_time_ties_to_the_lower_index_after_any_re_keying():
    rng = np.random.default_rng(5)
    n = 40
    free = np.floor(rng.random(n) * 8)  # whole numbers: many ties
    keys, ids = np.empty(n), np.empty(n, dtype=np.int64)
    size = 0
    for a in rng.permutation(n):
        size = _heap_push(keys, ids, size, free[a], a)
    popped = []
    while size:
        a = int(ids[0])
        if free[a] < 20 and rng.random() < 0.7:  # the top works on: its new free time re-sorts the top only
            free[a] += np.floor(rng.random() * 8)
            keys[0] = free[a]
            _sift_down(keys, ids, size)
            continue
        popped.append((keys[0], a))
        size = _heap_pop(keys, ids, size)
    assert popped == sorted(popped)
    assert sorted(a for _, a in popped) == list(range(n))


@pytest.mark.parametrize("case", ["near", "ties", "reversed", "empty", "one"])
def test_stable_order_is_a_stable_sort_by_insertion_or_past_its_budget_by_merge_sort(case):
    rng = np.random.default_rng(11)
    n = 3000
    keys = {
        "near": np.arange(n) + rng.random(n) * 30,  # each key within ~30 places of its own: insertion
        "ties": np.floor(np.arange(n) / 7 + rng.random(n) * 3),  # near, with many equal keys
        "reversed": np.arange(n, 0, -1) * 1.0,  # ~n/2 moves per key: past the budget, merge sort
        "empty": np.zeros(0),
        "one": np.ones(1),
    }[case]
    if case == "reversed":
        assert n / 2 > INSERTION_MOVES
    order = _stable_order(keys)
    assert np.array_equal(order, np.argsort(keys, kind="stable"))


@pytest.mark.parametrize("carry_over", [False, True])
def test_a_team_past_scan_seats_keeps_a_heap_that_chooses_as_the_scan_does(carry_over):
    # A team of at most SCAN_SEATS seats finds the analyst free earliest by scanning its seats, a
    # larger one by a heap. Padding a team with seats never on duty takes it past SCAN_SEATS without
    # changing what it should decide: every start, end and analyst must be the same. Whole seconds
    # make many ties in free times (broken to the lower seat either way); caps, paces and windows
    # make analysts leave and re-enter the choice.
    rng = np.random.default_rng(8)
    n, seats = 4000, 9
    arrival = np.sort(np.floor(rng.random(n) * 40_000))
    service = np.floor(rng.exponential(60, n)) + 1
    deadline = arrival + np.where(rng.random(n) < 0.3, 900.0, np.inf)
    free_at = np.floor(rng.random(seats) * 100)
    cap = np.where(rng.random(seats) < 0.5, 8_000.0, np.inf)
    pace = np.where(rng.random(seats) < 0.3, 1.5, 1.0)

    def run(extra: int) -> tuple[np.ndarray, ...]:
        pad = np.zeros(extra)
        team = {"free_at": np.concatenate([free_at, pad]),
                "shift_end": np.concatenate([np.full(seats, 30_000.0), pad - np.inf]),  # the padding never on duty
                "exposure": np.zeros(seats + extra), "cap": np.concatenate([cap, pad + np.inf]),
                "pace": np.concatenate([pace, pad + 1.0])}
        start, end, analyst = np.full(n, np.inf), np.full(n, np.inf), np.full(n, -1, dtype=np.int32)
        taken, qhead = service.copy(), np.zeros(1, dtype=np.int64)
        remaining, in_hand = np.zeros(seats + extra), np.full(seats + extra, -1, dtype=np.int64)
        for t in (5_000.0, 12_345.0, 40_000.0):  # decision points: the queue moves window by window
            assign(t, arrival, taken, deadline, start, end, analyst, np.arange(n, dtype=np.int64),
                   np.zeros(1, dtype=np.int64), qhead, np.array([n]), np.zeros(1, dtype=np.int64), team["free_at"],
                   team["shift_end"], team["exposure"], team["cap"], team["pace"], carry_over, remaining, in_hand,
                   np.full(seats + extra, -1, dtype=np.int64), False, np.array([np.inf]), seat_heap(seats + extra))
        return start, end, analyst, taken, remaining[:seats], in_hand[:seats]

    assert seats <= SCAN_SEATS < seats + SCAN_SEATS
    scanned, heaped = run(0), run(SCAN_SEATS)
    assert np.isfinite(scanned[0]).sum() > 2000 and len(np.unique(scanned[2][scanned[2] >= 0])) == seats
    for a, b in zip(scanned, heaped):
        assert np.array_equal(a, b)
