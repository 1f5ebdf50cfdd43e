"""The compiled passes give exactly the numbers of the numpy expressions they replace."""

import numpy as np
import pytest

from capsim.passes import (_widen, group_values, grouped_waits, most_waiting, quantiles, queue_seconds,
                           reachable_in_time, series_counts, shift_totals, sla_tallies, waits_of, window_tallies,
                           worked_values)
from tests.step_reference import step_counts, step_sums

ALL = np.zeros(0, dtype=np.int64)  # an empty key: one group


def reference_counts_up_to(values, first, step, samples, strict, last):
    """Per sample (``first + j × step``, the last at ``last``), how many ``values`` are ≤ it
    (``strict``: <), and ≤ the last either way: plain comparisons."""
    at = np.append(first + np.arange(samples - 1) * step, last)
    counted = values[:, None] < at if strict else values[:, None] <= at
    counted[:, -1] = values <= last
    return counted.sum(axis=0)


def last_samples(first, step, samples):
    """The last sample of a grid with every step whole, then with a shorter last step (half a step)."""
    return first + (samples - 1) * step, first + (samples - 1.5) * step


def times(rng, n):
    """Sorted times with many ties (whole and half hours) and some +inf."""
    t = np.round(rng.uniform(0, 100 * 3600, n) / 1800) * 1800
    t[rng.random(n) < 0.05] = np.inf
    return np.sort(t, kind="stable")


def waiting_columns(rng, n, load, tied):
    """Arrival, start and deadline columns, with ``tied`` on whole and half hours (many ties at one
    moment), else to the second: items arrive over 100 hours and are started at ``load`` times the
    rate they arrive (under 1: the backlog climbs), in arrival order, some never; half have a
    deadline, some passing after the horizon."""
    grain = 1800.0 if tied else 1.0
    arrival = np.sort(np.round(rng.uniform(0, 100 * 3600, n) / grain) * grain)
    start = np.maximum(arrival, np.round(np.sort(rng.uniform(0, 100 * 3600 / load, n)) / grain) * grain)
    start[(rng.random(n) < 0.1) | (start >= 100 * 3600)] = np.inf  # never started by the horizon
    deadline = np.where(rng.random(n) < 0.5, arrival + np.round(rng.exponential(20 * 3600, n) / grain) * grain, np.inf)
    order = rng.permutation(n) if load > 1 else np.arange(n)  # rows in any order
    return arrival[order], start[order], deadline[order]


@pytest.mark.parametrize("n, tied", [(3000, True), (20000, False)])
@pytest.mark.parametrize("load", [0.6, 1.5])
@pytest.mark.parametrize("seed", range(4))
def test_most_waiting_matches_the_searchsorted_form(seed, load, n, tied):
    """Per window, the items waiting at its start and the most at its start or an arrival in it, as
    binary searches of the sorted event times give them: a climbing backlog (only the buckets near
    its peak gathered) and one that rises and falls (most of them), rows in and out of time order."""
    rng = np.random.default_rng(seed)
    horizon = 100 * 3600.0
    arrival, start, deadline = waiting_columns(rng, n, load, tied)
    started = np.isfinite(start)
    arrived = np.sort(arrival)
    left = np.sort(np.concatenate([start[started], deadline[~started & (deadline <= horizon)]]))

    def alone(since, until):  # one window [since, until): its arrivals before until only
        kept = arrived[:np.searchsorted(arrived, until)]
        moments = np.concatenate([[since], kept[np.searchsorted(kept, since):]])
        levels = np.searchsorted(kept, moments, side="right") - np.searchsorted(left, moments, side="right")
        return np.searchsorted(kept, since) - np.searchsorted(left, since), levels.max()

    for since in (0.0, 1800.0, 50 * 3600.0, 200 * 3600.0):
        for bounds in ([], [since, 30 * 3600.0, 60 * 3600.0, 90 * 3600.0], [1800.0, 3600.0, 5400.0, 99 * 3600.0]):
            bounds = np.sort(np.array(bounds, dtype=np.float64))
            for until in (np.inf, 70 * 3600.0):
                if until <= since:
                    continue
                windows = [(since, until)] + list(zip(bounds[:-1], bounds[1:]))
                lo, hi = (np.array(ends) for ends in zip(*windows))
                start_counts, most = most_waiting(arrival, start, deadline, horizon, lo, hi)  # every window in one pass
                assert [(a, b) for a, b in zip(start_counts, most)] == [alone(*w) for w in windows]


def test_most_waiting_finds_a_peak_inside_a_bucket_below_its_bound():
    """640 rows over 20 hours: 20 buckets of an hour. Five items wait from the start; each hour one
    item arrives and starts a little later, except from 10:00 to 11:00, where two arrive before either
    starts: the most waiting is 7 there, 6 in every other hour, 5 at every hour's end. That hour's
    bound (5 waiting at its start, 2 arrivals) beats the 5 known from the ends by 2, so its events are
    gathered; the padding rows arrive and start at one moment (waiting no time)."""
    hour = 3600.0
    arrival, start = [0.2 * hour] * 5, [np.inf] * 5
    for k in range(1, 20):
        times = [k + 0.1, k + 0.2] if k == 10 else [k + 0.1]
        arrival += [t * hour for t in times]
        start += [(k + 0.3 + 0.1 * j) * hour for j in range(len(times))]
    arrival += [0.5 * hour] * (640 - len(arrival))
    start += [0.5 * hour] * (640 - len(start))
    arrival, start = np.array(arrival), np.array(start)
    deadline = np.full(640, np.inf)
    lo, hi = np.array([0.0, 0.0, 10 * hour]), np.array([np.inf, 10 * hour, 20 * hour])
    starts, most = most_waiting(arrival, start, deadline, 20 * hour, lo, hi)
    assert starts.tolist() == [0, 0, 5] and most.tolist() == [7, 6, 7]


def test_most_waiting_refuses_a_window_that_ends_before_it_starts():
    arrival = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match="must end after it starts"):
        most_waiting(arrival, arrival, arrival, 10.0, np.array([5.0]), np.array([5.0]))


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("seed", range(3))
def test_step_counts_match_the_histogram_form(seed, strict):
    """Values on the samples (whole and half hours), before the first and after the last, and
    +inf; every step whole, then a shorter last step, ending on a value."""
    rng = np.random.default_rng(seed)
    values = rng.permutation(times(rng, 3000))
    for first, step, samples in ((3600.0, 3600.0, 90), (0.0, 7200.0, 60), (-3600.0, 1800.0, 10)):
        for last in last_samples(first, step, samples):
            assert np.array_equal(step_counts(values, ALL, 1, first, step, samples, strict, last)[0],
                                  reference_counts_up_to(values, first, step, samples, strict, last))
            key = rng.integers(-1, 3, len(values))
            by_key = step_counts(values, key, 3, first, step, samples, strict, last)
            for g in range(3):
                assert np.array_equal(by_key[g],
                                      reference_counts_up_to(values[key == g], first, step, samples, strict, last))


@pytest.mark.parametrize("seed", range(3))
def test_waits_of_matches_the_masked_form(seed):
    rng = np.random.default_rng(seed)
    n, stopped = 5000, 500 * 3600.0
    arrival = rng.uniform(0, 100 * 3600, n)
    start = arrival + rng.exponential(3600, n)
    start[rng.random(n) < 0.1] = np.inf
    end = start + rng.exponential(600, n)
    end[rng.random(n) < 0.1] = np.inf
    censored = ~np.isfinite(start) & (rng.random(n) < 0.5)
    rows = rng.random(n) < 0.7
    s = np.where(censored[rows], stopped, start[rows])
    keep = np.isfinite(s)
    e = end[rows][keep]
    e = np.where(np.isfinite(e), e, stopped)
    wait, total = np.full(n, np.nan), np.full(n, np.nan)
    kept = waits_of(rows, censored, start, end, arrival, stopped, 3600.0, wait, total)
    wait, total = wait[:kept], total[:kept]
    assert np.array_equal(wait, (s[keep] - arrival[rows][keep]) / 3600)
    assert np.array_equal(total, (e - arrival[rows][keep]) / 3600)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("in_order", [False, True])
def test_shift_totals_match_the_bincount_form(seed, in_order):
    """Three blocks in one pass: team 0's analysts 0-2 and 3-9 (two shift patterns), team 1's
    analysts 0-4; rows of other teams (2) and not counted (-1) among them; pieces of each block.
    Rows in time order (``in_order``) mostly fall in their team's last block and shift (the quick
    path); out of order, mostly not."""
    rng = np.random.default_rng(seed)
    n, pieces = 6000, 50
    blocks = [(0, 0, 3, np.arange(30) * 86400.0 + 20 * 3600), (0, 3, 7, np.arange(40) * 86400.0 + 8 * 3600),
              (1, 0, 5, np.arange(35) * 86400.0 + 9 * 3600)]  # (team, first, headcount, shift starts)
    start = rng.uniform(8 * 3600, 41 * 86400, n)
    if in_order:
        start.sort()
    team = rng.integers(-1, 3, n).astype(np.int16)
    analyst = rng.integers(0, 10, n).astype(np.int32)
    seconds = rng.exponential(30, n)
    piece_block = np.sort(rng.integers(0, 3, pieces))
    piece_shift = np.array([rng.integers(0, len(blocks[b][3])) for b in piece_block])
    piece_analyst = np.array([rng.integers(0, blocks[b][2]) for b in piece_block])
    piece_seconds = rng.exponential(3600, pieces)
    sums, at = shift_totals(team, start, analyst, seconds, np.array([0, 2, 3, 3]),
                            np.array([b[1] for b in blocks]), np.array([b[2] for b in blocks]),
                            np.concatenate([[0], np.cumsum([len(b[3]) for b in blocks])]),
                            np.concatenate([b[3] for b in blocks]), piece_block, piece_shift, piece_analyst,
                            piece_seconds)
    for k, (t, first, headcount, shift_start) in enumerate(blocks):
        ours = (team == t) & (analyst >= first) & (analyst < first + headcount)
        shift = np.searchsorted(shift_start, start[ours], side="right") - 1
        index = shift * headcount + analyst[ours] - first
        index = np.where(index < 0, index + len(shift_start) * headcount, index)  # before the first shift: from the end
        mine = piece_block == k
        expected = np.bincount(np.concatenate([index, piece_shift[mine] * headcount + piece_analyst[mine]]),
                               weights=np.concatenate([seconds[ours], piece_seconds[mine]]),
                               minlength=len(shift_start) * headcount)
        assert np.array_equal(sums[at[k]:at[k + 1]], expected)


@pytest.mark.parametrize("seed", range(3))
def test_step_sums_match_the_bincount_form(seed):
    rng = np.random.default_rng(seed)
    values = rng.permutation(times(rng, 3000)) - 7200.0  # some before the first sample
    for first, step, samples in ((0.0, 3600.0, 50), (1800.0, 86400.0, 3), (-3600.0, 900.0, 400)):
        for last in last_samples(first, step, samples):  # every step whole, then a shorter last one
            x = values[np.isfinite(values)] - first
            x = x[x <= last - first]
            cell = np.maximum(np.ceil(x / step), 0).astype(np.int64)
            count, total = step_sums(values, ALL, 1, first, step, samples, last)
            assert np.array_equal(count[0], np.bincount(cell, minlength=samples))
            assert np.array_equal(total[0], np.bincount(cell, weights=x, minlength=samples))  # bit for bit
            key = np.arange(len(values)) % 2  # two groups, each its own sums in row order
            count, total = step_sums(values, key, 2, first, step, samples, last)
            assert np.array_equal(total[0], step_sums(values[key == 0], ALL, 1, first, step, samples, last)[1][0])
            assert np.array_equal(count[1], step_sums(values[key == 1], ALL, 1, first, step, samples, last)[0][0])


def series_columns(rng, n, teams, edges):
    """Arrival, start, deadline and team columns of ``n`` items over 100 hours, some never started,
    half with a deadline; then, in each team, an item arriving, one started and one expiring
    (never started) exactly on each of ``edges``."""
    arrival = rng.uniform(0, 100 * 3600, n)
    start = arrival + rng.exponential(3600, n)
    start[rng.random(n) < 0.2] = np.inf
    deadline = np.where(rng.random(n) < 0.5, arrival + 2 * 3600, np.inf)
    team = rng.integers(0, teams, n).astype(np.int16)
    on = np.repeat(np.asarray(edges, dtype=float), teams)
    of = np.tile(np.arange(teams, dtype=np.int16), len(edges))
    return (np.concatenate([arrival, on, on - 60, on - 60]), np.concatenate([start, on + 60, on, on * np.inf]),
            np.concatenate([deadline, on * np.inf, on * np.inf, on]), np.concatenate([team, of, of, of]))


@pytest.mark.parametrize("shorter", [False, True])
@pytest.mark.parametrize("seed", range(3))
def test_series_counts_are_the_time_series_passes_at_once(seed, shorter):
    """The time series' one pass gives, bit for bit, what its separate step_counts and
    step_sums passes give (rows never started, with and without a deadline; times before the
    first sample and after the last; items arriving, started and expiring exactly at the last
    sample and at the one before it), every step whole or the last one shorter."""
    rng = np.random.default_rng(seed)
    teams, first, step, samples = 3, 7200.0, 3600.0, 90
    last = last_samples(first, step, samples)[shorter]
    arrival, start, deadline, team = series_columns(rng, 5000, teams, [last - step / 2, last - step, last])
    gone = ~np.isfinite(start) & np.isfinite(deadline)
    waiting, arrived, left, assessed, expired = series_counts(arrival, start, deadline, team, teams, first, step,
                                                              samples, last)
    expected = (step_counts(arrival, team, teams, first, step, samples, False, last)
                - step_counts(start, team, teams, first, step, samples, False, last)
                - step_counts(deadline, np.where(gone, team, -1), teams, first, step, samples, False, last))
    assert np.array_equal(waiting, expected)
    before = first - step
    for got, times in ((arrived, arrival), (left, np.where(np.isfinite(start), start, deadline))):
        want = step_sums(times, team, teams, before, step, samples + 1, last)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    for got, values in ((assessed, start), (expired, deadline[gone])):
        assert np.array_equal(got, np.diff(step_counts(values, ALL, 1, before, step, samples + 1, True, last)[0]))


def test_a_shorter_last_step_counts_what_happened_in_it_and_at_its_end():
    """Steps [0, 1 h), [1 h, 2 h) and the last, shorter, [2 h, 2.5 h] (closed: what happened at the
    horizon counts in it). One item of each kind on either side of the last whole sample (2 h)
    and at the horizon: each in the step it happened in, none dropped, none counted twice; items
    after the horizon in none."""
    hour, last = 3600.0, 2.5 * 3600.0
    arrival = np.array([2 * hour - 1, 2 * hour, last, 1.0, 1.0, 1.0, 1.0, last + 1])
    start = np.array([np.inf, np.inf, np.inf, 2 * hour - 1, 2 * hour, last - 1, np.inf, np.inf])
    deadline = np.array([np.inf, np.inf, np.inf, np.inf, np.inf, np.inf, last, np.inf])
    team = np.zeros(len(arrival), dtype=np.int16)
    waiting, arrived, left, assessed, expired = series_counts(arrival, start, deadline, team, 1, hour, hour, 3, last)
    assert assessed.tolist() == [0, 1, 2] and expired.tolist() == [0, 0, 1]
    assert waiting[0].tolist() == [4, 4, 3]  # at 2.5 h: the three arrivals from 2 h − 1 s on, waiting
    assert arrived[0][0].tolist() == [0, 4, 2, 1]  # per step (sample before, sample], from 0 (first − step)
    assert left[0][0].tolist() == [0, 0, 2, 2]


def item_columns(rng, n):
    """Item columns with started, expired, waiting, referred and censored rows."""
    arrival = rng.uniform(0, 100 * 3600, n)
    start = arrival + rng.exponential(3600, n)
    start[rng.random(n) < 0.2] = np.inf
    deadline = np.where(rng.random(n) < 0.5, arrival + 2 * 3600, np.inf)
    end = np.where(np.isfinite(start), start + rng.exponential(600, n), np.inf)
    end[rng.random(n) < 0.05] = np.inf
    censored = ~np.isfinite(start) & (rng.random(n) < 0.3)
    parent = np.where(rng.random(n) < 0.2, 7, -1).astype(np.int64)
    team = rng.integers(0, 3, n).astype(np.int16)
    priority = rng.integers(0, 4, n).astype(np.int8)
    flags = rng.integers(0, 8, n).astype(np.uint8)
    stream = rng.integers(0, 3, n).astype(np.int16)
    return arrival, start, deadline, end, censored, parent, team, priority, flags, stream


# window_tallies counts three things in one pass; each is tested below on its own, the columns
# the others read set to values that change nothing in it. A window ending at ``until`` (finite)
# is the one period [warm-up, until) of window_tallies' periods, else the whole run.


def one_window(arrival, start, deadline, parent, team, priority, stream, flags, censored, eventual_start,
               eventual_end, warmup, horizon, until, *rest):
    """window_tallies of the whole run (``until`` +inf) or of the period [``warmup``, ``until``)."""
    bounds = np.array([warmup, until]) if np.isfinite(until) else np.zeros(0)
    tallies = window_tallies(arrival, start, deadline, parent, team, priority, stream, flags, censored,
                             eventual_start, eventual_end, warmup, horizon, bounds, *rest)
    return tuple(part[-1] for part in tallies[:6])


def item_counts(arrival, start, deadline, parent, team, flags, censored, warmup, horizon, until, teams, ai, criminal,
                realistic, harmful):
    """window_tallies' item counts: ``(counts, per_team)``."""
    n = len(arrival)
    return one_window(arrival, start, deadline, parent, team, np.zeros(n, np.int8), np.zeros(n, np.int16), flags,
                      censored, start, start, warmup, horizon, until, np.inf, teams, ai, criminal, realistic, harmful,
                      np.array([-1]), np.array([np.nan]))[:2]


def wait_group_counts(arrival, since, until, parent, team, priority, censored, start, stopped, teams, priorities):
    """window_tallies' known waits per group: ``(direct, by_team)``."""
    n = len(arrival)
    return one_window(arrival, start, np.full(n, np.inf), parent, team, priority, np.zeros(n, np.int16),
                      np.zeros(n, np.uint8), censored, start, start, since, np.inf, until, stopped, teams, 1, 2, 4, 8,
                      np.array([-1]), np.full(priorities, np.nan))[2:4]


def sla_tallies_by_kind(since, until, parent, team, priority, stream, own, teams, within, arrival, end, start, censored,
                        stopped):
    """window_tallies' SLA tallies: ``(met, known)``."""
    n = len(arrival)
    return one_window(arrival, start, np.full(n, np.inf), parent, team, priority, stream, np.zeros(n, np.uint8),
                      censored, start, end, since, np.inf, until, stopped, teams, 1, 2, 4, 8, own, within)[4:]


@pytest.mark.parametrize("seed", range(3))
def test_group_values_are_the_masked_selections_in_order(seed):
    rng = np.random.default_rng(seed)
    values, key = rng.exponential(1.0, 5000), rng.integers(-1, 4, 5000)
    grouped, offsets = group_values(key, 4, values)
    for g in range(4):
        assert np.array_equal(grouped[offsets[g]:offsets[g + 1]], values[key == g])
        assert grouped[offsets[g]:offsets[g + 1]].mean() == values[key == g].mean()  # bit for bit


@pytest.mark.parametrize("seed", range(3))
def test_worked_values_are_the_masked_selections_in_order(seed):
    """The team of each row started in a window, and the review times of those rows: all in row order,
    and per team, in one pass."""
    rng = np.random.default_rng(seed)
    values = rng.exponential(1.0, 5000)
    start, team = rng.uniform(0, 100, 5000), rng.integers(0, 4, 5000).astype(np.int16)
    start[rng.random(5000) < 0.1] = np.inf
    for t0, until in ((20.0, 60.0), (20.0, np.inf)):
        expected = np.where((start >= t0) & (start < until), team, -1)
        offsets = np.concatenate([[0], np.cumsum(np.bincount(expected[expected >= 0], minlength=4))]).astype(np.int64)
        for grouped in (np.empty(offsets[-1]), np.empty(0)):  # grouped, or not
            key, every = np.empty(5000, dtype=np.int16), np.empty(offsets[-1])
            worked_values(start, team, values, t0, until, offsets, key, every, grouped)
            assert np.array_equal(key, expected)
            assert np.array_equal(every, values[key >= 0]) and every.sum() == values[key >= 0].sum()  # bit for bit
            for g in range(4 if len(grouped) else 0):
                assert np.array_equal(grouped[offsets[g]:offsets[g + 1]], values[key == g])


@pytest.mark.parametrize("until", [np.inf, 60 * 3600.0])  # the whole run; a period ending at 60 h
@pytest.mark.parametrize("seed", range(3))
def test_sla_tallies_match_the_masked_form(seed, until):
    rng = np.random.default_rng(seed)
    arrival, start, deadline, end, censored, parent, team, priority, flags, stream = item_columns(rng, 4000)
    stopped, within = 120 * 3600.0, np.array([3600.0, 4 * 3600, np.nan, 24 * 3600])
    since, own = 10 * 3600.0, np.array([1, -1, 3])

    def masked(mine, w):
        e, a = end[mine], arrival[mine]
        unknown = ~np.isfinite(e) & (censored[mine] | np.isfinite(start[mine]))
        return (e - a <= w).sum(), (~unknown | (a + w <= stopped)).sum()

    met, known = sla_tallies(np.where(arrival >= since, priority, -1), 4, within, arrival, end, start, censored,
                             stopped)
    by_kind = sla_tallies_by_kind(since, until, parent, team, priority, stream, own, 3, within, arrival, end, start,
                                  censored, stopped)
    measured, direct = (arrival >= since) & (arrival < until), parent < 0
    for p in range(4):
        if until == np.inf:
            assert (met[p], known[p]) == masked(measured & (priority == p), within[p])
        assert (by_kind[0][0, p], by_kind[1][0, p]) == masked(measured & direct & (priority == p), within[p])
        assert (by_kind[0][1, p], by_kind[1][1, p]) == masked(measured & direct & (own[stream] == p), within[p])
        for t in range(3):
            mine = measured & (team == t) & (priority == p)
            assert (by_kind[0][2 + t, p], by_kind[1][2 + t, p]) == masked(mine, within[p])


@pytest.mark.parametrize("period", [False, True])
@pytest.mark.parametrize("seed", range(3))
def test_item_counts_match_the_masked_form(seed, period):
    """The whole run (started: a finite start), or a period ending at the horizon (started: before it;
    rows arriving after it left out), as the copied window of tests/window_reference.py gives it."""
    rng = np.random.default_rng(seed)
    arrival, start, deadline, end, censored, parent, team, priority, flags, stream = item_columns(rng, 4000)
    flags = rng.integers(0, 16, 4000).astype(np.uint8)  # the harmful bit (8) too
    warmup, horizon = 10 * 3600.0, 90 * 3600.0
    if not period:
        start[start > horizon] = np.inf
    until = horizon if period else np.inf
    counts, per_team = item_counts(arrival, start, deadline, parent, team, flags, censored, warmup, horizon, until,
                                   3, 1, 2, 4, 8)
    inside = arrival < until
    started = inside & (start < until)
    expired = inside & ~started & (deadline <= horizon)
    waiting = inside & ~started & ~expired
    measured = inside & (arrival >= warmup)
    scope = measured & (parent < 0)
    expected = [scope, scope & started, scope & expired, scope & waiting, measured & censored, measured & (parent >= 0),
                started & (start >= warmup), expired & (deadline >= warmup), waiting, scope & (flags & 1 > 0),
                scope & started & (flags & 2 > 0), scope & started & (flags & 4 > 0),
                measured & (parent >= 0) & (flags & 1 > 0), scope & (flags & 2 > 0) & (flags & 8 == 0),
                inside & (np.where(np.isfinite(start), start, deadline) >= (warmup if period else -np.inf)),
                started & (start >= warmup) & (parent < 0)]
    assert counts.tolist() == [int(m.sum()) for m in expected]
    assert per_team.tolist() == [[int((measured & started & (team == t)).sum()), int((waiting & (team == t)).sum()),
                                  int((started & (start >= warmup) & (team == t)).sum())] for t in range(3)]


@pytest.mark.parametrize("seed", range(3))
def test_every_period_counted_in_the_whole_runs_pass_as_alone(seed):
    """Counted in one pass with the whole run, each period has the counts it has measured alone:
    rows waiting across several periods, deadlines exactly at a boundary (expired in the period
    ending then and in the one starting then), rows a little out of arrival order."""
    rng = np.random.default_rng(seed)
    arrival, start, deadline, end, censored, parent, team, priority, flags, stream = item_columns(rng, 4000)
    bounds = np.array([10.0, 25, 40, 70, 90]) * 3600
    on_bound = rng.random(4000) < 0.1
    deadline[on_bound] = rng.choice(bounds, on_bound.sum())
    order = np.argsort(arrival + rng.normal(0, 1800, 4000))
    columns = [c[order] for c in (arrival, start, deadline, parent, team, priority, stream, flags, censored, start,
                                  end)]
    columns[2] = np.maximum(columns[2], columns[0])  # no row leaves before it arrives
    rest = (150 * 3600.0, 3, 1, 2, 4, 8, np.array([1, -1, 3]), np.array([3600.0, 4 * 3600, np.nan, 24 * 3600]))
    together = window_tallies(*columns, bounds[0], 100 * 3600.0, bounds, *rest)
    alone = window_tallies(*columns, bounds[0], 100 * 3600.0, np.zeros(0), *rest)
    for part, whole in zip(together[:6], alone[:6]):
        assert np.array_equal(part[0], whole[0])
    for k in range(len(bounds) - 1):
        period = one_window(*columns, bounds[k], bounds[k + 1], bounds[k + 1], *rest)
        for part, alone in zip(together[:6], period):
            assert np.array_equal(part[1 + k], alone)


@pytest.mark.parametrize("seed", range(3))
def test_each_periods_rows_are_found_in_the_whole_runs_pass(seed):
    """Where window_tallies finds each period's rows: ``lo:hi`` as scanning from each end finds
    them, and the last eventual end or expiry of its rows."""
    rng = np.random.default_rng(seed)
    arrival, start, deadline, end, censored, parent, team, priority, flags, stream = item_columns(rng, 4000)
    order = np.argsort(arrival + rng.normal(0, 1800, 4000))  # a little out of arrival order
    arrival, start, deadline, end, censored, parent, team, priority, flags, stream = (
        c[order] for c in (arrival, start, deadline, end, censored, parent, team, priority, flags, stream))
    deadline = np.maximum(deadline, arrival)  # no row leaves before it arrives
    eventual_start = np.where(rng.random(4000) < 0.5, start, np.inf)
    stopped, bounds = 80 * 3600.0, np.array([10.0, 25, 40, 70, 90, 100, 200]) * 3600  # the last: no row arrived in it
    *_, rows, last = window_tallies(arrival, start, deadline, parent, team, priority, stream, flags, censored,
                                    eventual_start, end, bounds[0], 100 * 3600.0, bounds, stopped, 3, 1, 2, 4, 8,
                                    np.array([1, -1, 3]), np.full(4, np.nan))
    gone = np.where(np.isfinite(start), start, deadline)
    for k, (t0, t1) in enumerate(zip(bounds[:-1], bounds[1:])):
        lo = int(np.argmax(~(gone < t0))) if (~(gone < t0)).any() else len(arrival)  # scanning from the start
        before_end = np.flatnonzero(arrival < t1)
        hi = max(lo, int(before_end.max()) + 1 if len(before_end) else 0)  # scanning from the end, down to lo
        assert rows[k].tolist() == [lo, hi]
        mine = np.flatnonzero((arrival < t1) & (gone >= t0))
        finished = np.concatenate([end[mine][np.isfinite(end[mine])],
                                   deadline[mine][~np.isfinite(eventual_start[mine]) & (deadline[mine] <= stopped)]])
        assert last[k] == (finished.max() if len(finished) else -np.inf)




@pytest.mark.parametrize("seed", range(3))
def test_row_passes_match_their_numpy_forms(seed):
    rng = np.random.default_rng(seed)
    arrival, start, deadline, end, censored, parent, team, priority, flags, stream = item_columns(rng, 4000)
    horizon, t0, t1 = 90 * 3600.0, 20 * 3600.0, 60 * 3600.0
    started = np.isfinite(start)
    inside = (np.clip(np.where(started, start, np.minimum(deadline, horizon)), t0, t1) - np.clip(arrival, t0, t1))
    assert queue_seconds(arrival, start, deadline, horizon, t0, t1, np.inf, -np.inf) == inside.sum()  # bit for bit
    # a period [t0, t1) measured alone: its rows, their starts after t1 unknown, t1 its horizon
    rows = np.flatnonzero((arrival < t1) & (np.where(started, start, deadline) >= t0))
    seen = np.where(start[rows] < t1, start[rows], np.inf)
    inside = (np.clip(np.where(np.isfinite(seen), seen, np.minimum(deadline[rows], t1)), t0, t1)
              - np.clip(arrival[rows], t0, t1))
    assert queue_seconds(arrival, start, deadline, t1, t0, t1, t1, t0) == inside.sum()
    assert queue_seconds(arrival, start, deadline, t1, t0, t1, t1, t0, len(rows)) == inside.sum()  # rows counted


@pytest.mark.skipif(int(np.__version__.split(".")[0]) < 2,
                    reason="numpy 1.x sums a float64 array in another order; the passes follow numpy 2's")
@pytest.mark.parametrize("seed", range(4))
def test_sums_of_many_values_are_numpys(seed):
    """queue_seconds adds its values in numpy 2's pairwise order: the same sum bit for bit at
    sizes around numpy's blocks (8, 128) and their halvings, not only close."""
    rng = np.random.default_rng(seed)
    for n in [0, 1, 7, 8, 9, 127, 128, 129, 136, 1000, 4099, 70001]:
        arrival = rng.lognormal(10, 3, n)  # spans many magnitudes: any other order rounds differently
        start = arrival + rng.lognormal(5, 3, n)
        values = np.clip(start, 0, np.inf) - np.clip(arrival, 0, np.inf)
        assert queue_seconds(arrival, start, start, np.inf, 0.0, np.inf, np.inf, -np.inf) == values.sum(), n


@pytest.mark.parametrize("seed", range(4))
def test_quantiles_are_numpys_bit_for_bit(seed):
    """Exact, not approximate: ties, a mass of zeros, one value, tiny and huge magnitudes; the
    input is left as it was."""
    rng = np.random.default_rng(seed)
    cases = [rng.lognormal(0, 3, 5000), np.round(rng.exponential(1, 3000), 1),
             np.where(rng.random(4000) < 0.8, 0.0, rng.random(4000) * 1e6), rng.normal(0, 1, 2000) * 1e-200,
             rng.normal(0, 1, 2000) * 1e200, np.full(50, 3.5), np.array([2.0]), rng.random(9)]
    for values in cases:
        for q in [(0.9,), (0.5, 0.9, 0.95), (0.0, 0.25, 1.0), tuple(rng.random(3))]:
            before = values.copy()
            expected = [float(v) for v in np.quantile(values, q)]
            assert quantiles(values, q) == expected, (len(values), q)
            assert quantiles(values, q, (float(values.min()), float(values.max()))) == expected  # bounds known
            assert np.array_equal(values, before)
    assert all(np.isnan(quantiles(np.zeros(0), (0.5, 0.9))))


def test_widen_gives_numpys_least_and_greatest_and_keeps_a_nan():
    """The running least and greatest of grouped_waits: numpy's ``min`` and ``max``, NaN once any value is NaN."""
    for values in ([2.0, -1.0, 5.0], [np.nan, 1.0], [1.0, np.nan, 3.0], [3.0, np.inf, -np.inf]):
        low, high = np.inf, -np.inf
        for value in values:
            low, high = _widen(low, high, value)
        assert np.array_equal([low, high], [np.min(values), np.max(values)], equal_nan=True), values


@pytest.mark.parametrize("seed", range(3))
def test_grouped_waits_are_the_waits_of_each_groups_mask(seed):
    """Each group holds the waits of its mask, in row order; the least and greatest waits and times
    to assessment and the number that waited come with them."""
    rng = np.random.default_rng(seed)
    arrival, start, deadline, end, censored, parent, team, priority, flags, stream = item_columns(rng, 4000)
    start[::7] = np.where(np.isfinite(start[::7]), arrival[::7], start[::7])  # some started on arrival: no wait
    since, until, stopped = 10 * 3600.0, 60 * 3600.0 if seed == 2 else np.inf, 150 * 3600.0  # seed 2: a period
    columns = (arrival, since, until, parent, team, priority, censored)
    direct_counts, counts = wait_group_counts(*columns, start, stopped, 3, 4)

    def waits(mine):
        wait, total = np.empty(len(mine)), np.empty(len(mine))
        kept = waits_of(mine, censored, start, end, arrival, stopped, 3600.0, wait, total)
        return wait[:kept], total[:kept]

    def at(c):
        return np.concatenate([[0], np.cumsum(c)]).astype(np.int64)

    n = int(direct_counts.sum())
    out = [np.empty(n), np.empty(n), np.empty(n), np.empty(int(counts.sum())), np.empty(int(counts.sum()))]
    spread = grouped_waits(*columns, start, end, stopped, 3600.0, 4, out[0], out[1], out[2], at(direct_counts),
                           out[3], at(counts.reshape(3, 4).sum(axis=1)), out[4], at(counts))
    measured = (arrival >= since) & (arrival < until)
    direct = measured & (parent < 0)
    wait, total = waits(direct)
    assert np.array_equal(out[0], wait) and np.array_equal(out[1], total)
    assert spread == (wait.min(), wait.max(), total.min(), total.max(), np.count_nonzero(wait > 0))
    assert 0 < spread[4] < len(wait)  # some waited, some did not
    for p in range(4):
        lo, hi = at(direct_counts)[p:p + 2]
        assert np.array_equal(out[2][lo:hi], waits(direct & (priority == p))[0])
    for t in range(3):
        lo, hi = at(counts.reshape(3, 4).sum(axis=1))[t:t + 2]
        assert np.array_equal(out[3][lo:hi], waits(measured & (team == t))[0])
        for p in range(4):
            lo, hi = at(counts)[4 * t + p:4 * t + p + 2]
            assert np.array_equal(out[4][lo:hi], waits(measured & (team == t) & (priority == p))[0])


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("shifts", [0, 1, 40])
def test_reachable_in_time_matches_the_numpy_roster_bound(seed, shifts):
    """Arrivals before the first shift, inside shifts, between them and after the last; no shift at all."""
    rng = np.random.default_rng(seed)
    n, groups, within = 3000, 5, 6 * 3600.0
    starts = np.sort(rng.uniform(0, 100 * 3600, shifts))
    ends = starts + rng.uniform(1, 8 * 3600, shifts)
    arrival = rng.uniform(-10 * 3600, 110 * 3600, n)
    arrival[::7] = starts[rng.integers(0, shifts, len(arrival[::7]))] if shifts else 0.0  # ties at shift starts
    group = rng.integers(-1, groups, n)
    priority = rng.integers(0, 2, n).astype(np.int8)
    count, hits, assessed = reachable_in_time(arrival, group, priority, 1, starts, ends, within, groups)
    assert np.array_equal(assessed, hits)  # without review times, assessed in time is started in time
    rows = (group >= 0) & (priority == 1)
    a, g = arrival[rows], group[rows]
    assert np.array_equal(count, np.bincount(g, minlength=groups).astype(float))
    if shifts:
        k = np.searchsorted(starts, a, side="right") - 1
        inside = (k >= 0) & (a < ends[np.clip(k, 0, None)])
        first = np.where(inside, a, np.append(starts, np.inf)[k + 1])
        expected = np.bincount(g, weights=first - a < within, minlength=groups)
    else:
        expected = np.zeros(groups)
    assert np.array_equal(hits, expected)


