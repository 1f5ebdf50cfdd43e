"""The compiled kernel's orderings are exact: its heap of analysts pops by (free time, index),
ties included, and the order of finished items is a stable sort by end, whether it is found by
insertion (keys near their place) or by merge sort (keys far from it)."""

from __future__ import annotations

import numpy as np
import pytest

from capsim.kernel import INSERTION_MOVES, _heap_pop, _heap_push, _sift_down, _stable_order


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
