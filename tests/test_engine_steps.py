"""The compiled bookkeeping between decision points (capsim.kernel) gives exactly what the
numpy forms it replaced gave: the same order, ties included, so that every seed's results
stay the same bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from capsim.kernel import finished_by, merge_windows, refer_rows, referred_count, screen_windows, still_pending


def test_merging_streams_drawn_ahead_is_a_stable_sort_by_window_then_arrival():
    rng = np.random.default_rng(3)
    sizes = rng.integers(0, 6, size=(3, 5))
    streams = []
    for s in range(3):  # each stream's arrivals sorted, window w within [w, w + 1); whole numbers make ties
        streams.append(np.concatenate([np.sort(w + np.floor(rng.random(n) * 4) / 4) for w, n in enumerate(sizes[s])]))
    arrival = np.concatenate(streams)
    starts = np.concatenate([[0], np.cumsum([len(x) for x in streams])[:-1]]).astype(np.int64)
    window = np.concatenate([np.repeat(np.arange(5), sizes[s]) for s in range(3)])
    assert len(np.unique(arrival)) < len(arrival)  # ties across streams are tested
    assert np.array_equal(merge_windows(arrival, starts, sizes.astype(np.int64)), np.lexsort((arrival, window)))


def test_finished_items_come_in_end_order_ties_in_the_order_looked_at():
    start = np.zeros(12)
    start[5] = np.inf  # expired in the queue: never started
    end = np.array([3.0, 1.0, 2.0, 2.0, 9.0, np.inf, 1.0, 2.0, 0.5, 7.0, 2.0, 1.0])
    unfinished = np.array([10, 4], dtype=np.int64)
    queue, qbase = np.array([0, 1, 2, 3, 5, 99, 6, 7, 8, 9, 11, 99], dtype=np.int64), np.array([0, 6])  # rooms of 6
    heads, qhead = np.array([0, 1]), np.array([5, 5])
    finished, pending = finished_by(2.0, unfinished, queue, qbase, heads, qhead, start, end)
    looked_at = np.array([10, 4, 0, 1, 2, 3, 7, 8, 9, 11])  # the unfinished, then each queue's taken, less 5
    done = looked_at[end[looked_at] <= 2.0]
    assert np.array_equal(finished, done[np.argsort(end[done], kind="stable")])
    assert list(finished) == [8, 1, 11, 10, 2, 3, 7]
    assert list(pending) == [4, 0, 9]


def refer_into_table(finished, flags, priority, bits, wanted, shares, draws, own, to=3):
    """Run :func:`refer_rows` on a table of ``len(flags)`` items (ends 1000 + id, streams id % 3)
    with room for every finished item; return (rows written as a dict of columns, their one priority)."""
    n, room = len(flags), len(finished)
    columns = {"arrival": np.full(n + room, -1.0), "deadline": np.zeros(n + room),
               "end": np.concatenate([1000.0 + np.arange(n), np.full(room, np.inf)]),
               "flags": np.concatenate([flags, np.zeros(room, np.uint8)]),
               "stream": np.concatenate([np.arange(n) % 3, np.zeros(room)]).astype(np.int16),
               "team": np.zeros(n + room, np.int16), "priority": np.concatenate([priority, np.zeros(room, np.int8)]),
               "parent": np.full(n + room, -1, np.int64)}
    count, level = refer_rows(finished, bits, wanted, shares, draws, own, to, n, columns["arrival"], columns["deadline"],
                              columns["end"], columns["flags"], columns["stream"], columns["team"],
                              columns["priority"], columns["parent"])
    assert (columns["arrival"][n + count:] == -1.0).all()  # nothing written past the rows referred
    return {name: values[n:n + count] for name, values in columns.items()}, level


def test_each_finished_item_is_referred_by_its_first_matching_rule_and_its_draw():
    rng = np.random.default_rng(8)
    flags = rng.integers(0, 64, 200).astype(np.uint8)
    priority = rng.integers(0, 4, 200).astype(np.int8)
    finished = rng.permutation(200)[:150].astype(np.int64)
    bits, wanted = np.array([4 | 1, 4, 8]), np.array([4, 4, 8])
    shares, own = np.array([0.5, 0.2, 1.0]), np.array([-1, 0, 2])
    draws = rng.random(len(finished))
    rows, level = refer_into_table(finished, flags, priority, bits, wanted, shares, draws, own)
    rule = np.full(len(finished), -1)  # the numpy form it replaced
    for k in range(len(bits) - 1, -1, -1):
        rule[(flags[finished] & bits[k]) == wanted[k]] = k
    keep = (rule >= 0) & (draws < shares[rule])
    sent = finished[keep]
    expected_level = np.where(own[rule] >= 0, own[rule], priority[finished])[keep]
    assert np.array_equal(rows["parent"], sent) and np.array_equal(rows["priority"], expected_level.astype(np.int8))
    assert np.array_equal(rows["arrival"], 1000.0 + sent) and (rows["deadline"] == np.inf).all()
    assert np.array_equal(rows["flags"], flags[sent]) and np.array_equal(rows["stream"], sent % 3)
    assert (rows["team"] == 3).all() and level == -1  # several priorities
    everything, _ = refer_into_table(finished, flags, priority, bits, wanted, np.ones(3), np.zeros(0), own)
    assert np.array_equal(everything["parent"], finished[rule >= 0])  # no draws: every share is 1
    # counted without writing, as the engine does before making room when the table is nearly full
    assert referred_count(finished, bits, wanted, shares, draws, flags) == len(sent)
    assert referred_count(finished, bits, wanted, np.ones(3), np.zeros(0), flags) == len(everything["parent"])


def test_referrals_of_one_priority_say_which():
    flags = np.full(10, 4, np.uint8)
    priority = np.arange(10).astype(np.int8) % 2
    rows, level = refer_into_table(np.arange(10), flags, priority, np.array([4]), np.array([4]), np.ones(1),
                                   np.zeros(0), np.array([1]))
    assert len(rows["parent"]) == 10 and level == 1  # the rule's own priority for all
    rows, level = refer_into_table(np.arange(0, 10, 2), flags, priority, np.array([4]), np.array([4]), np.ones(1),
                                   np.zeros(0), np.array([-1]))
    assert level == 0  # the items' own, all 0


def test_items_still_pending_are_those_neither_ended_nor_expired_unstarted():
    rng = np.random.default_rng(5)
    n = 500
    start = np.where(rng.random(n) < 0.5, rng.uniform(0, 10, n), np.inf)
    end = np.where(np.isfinite(start) & (rng.random(n) < 0.5), start + 1.0, np.inf)
    deadline = np.where(rng.random(n) < 0.5, rng.uniform(0, 20, n), np.inf)
    pending = rng.permutation(n)[:300].astype(np.int64)
    unstarted = ~np.isfinite(start[pending])  # the numpy form it replaced
    expected = pending[~(end[pending] < np.inf) & ~(unstarted & (deadline[pending] <= 10.0))]
    assert np.array_equal(still_pending(pending, start, end, deadline, 10.0), expected)
    assert 0 < len(expected) < len(pending)


def numpy_screening(rng, counts, bounds, known_share, match_rate, recirculation, listed_share, spot_check):
    """Hash matching as it was drawn before :func:`screen_windows`: numpy's vectorized binomials,
    one call per window and stage (a stage whose share is 0 not drawn)."""
    reviewed, known_reviewed = [], []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        part = counts[lo:hi]
        known = rng.binomial(part, known_share)
        matched = rng.binomial(known, match_rate)
        copies = rng.binomial(part - known, recirculation) if recirculation else 0 * part
        copies_matched = rng.binomial(copies, min(listed_share, 1.0)) if listed_share > 0 else 0 * part
        cleared = matched + copies_matched
        spot = rng.binomial(cleared, spot_check) if spot_check else 0 * part
        reviewed.append(part - cleared + spot)
        known_reviewed.append(int((known - matched + spot).sum()))
    return np.concatenate(reviewed), np.array(known_reviewed)


@pytest.mark.parametrize("shares", [
    (0.63, 1.0, 0.0, 0.0, 0.0),  # the bundled scenarios: known images, every one matched
    (0.3, 0.97, 0.2, 0.4, 0.02),  # every stage drawn (a learning list, spot checks)
    (0.05, 0.5, 0.1, 1.7, 0.5),  # a listed share above 1 counts as 1
    (0.0, 1.0, 0.3, 0.0, 0.0),  # only copies, none listed yet
    (1.0, 0.0, 0.0, 0.0, 1.0),
])
def test_hash_matching_draws_are_numpys_binomials_window_by_window(shares):
    # Counts small and large (numpy's inversion and BTPE algorithms), zeros (no draw), and empty
    # windows; the generator must be left where numpy leaves it (the next draw is the same).
    counts = np.random.default_rng(8).poisson(np.tile([0.0, 3.0, 40.0, 2000.0], 40)).astype(np.int64)
    bounds = np.array([0, 7, 7, 30, 95, 96, 160], dtype=np.int64)
    ours, theirs = np.random.default_rng(21), np.random.default_rng(21)
    reviewed, known = screen_windows(ours, counts, bounds, *shares)
    expected_reviewed, expected_known = numpy_screening(theirs, counts, bounds, *shares)
    assert np.array_equal(reviewed, expected_reviewed) and np.array_equal(known, expected_known)
    assert ours.random() == theirs.random()
