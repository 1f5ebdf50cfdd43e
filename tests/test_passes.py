"""The compiled passes give exactly the numbers of the numpy expressions they replace."""

import numpy as np
import pytest

from capsim.passes import most_waiting, shift_totals, step_counts, step_sums, waits_of


def reference_counts_up_to(values, first, step, samples, strict):
    position = (values - first) / step
    index = np.floor(position) + 1 if strict else np.ceil(position)
    index = np.clip(index, 0, samples).astype(np.int64)
    return np.cumsum(np.bincount(index, minlength=samples + 1)[:samples])


def times(rng, n):
    """Sorted times with many ties (whole and half hours) and some +inf."""
    t = np.round(rng.uniform(0, 100 * 3600, n) / 1800) * 1800
    t[rng.random(n) < 0.05] = np.inf
    return np.sort(t, kind="stable")


@pytest.mark.parametrize("seed", range(5))
def test_most_waiting_matches_the_searchsorted_form(seed):
    rng = np.random.default_rng(seed)
    arrived = times(rng, 2000)
    arrived = arrived[np.isfinite(arrived)]
    left = np.sort(rng.choice(arrived, 1500, replace=False) + rng.exponential(3600, 1500), kind="stable")
    for since in (0.0, 1800.0, 50 * 3600.0, 200 * 3600.0):
        moments = np.concatenate([[since], arrived[np.searchsorted(arrived, since):]])
        levels = np.searchsorted(arrived, moments, side="right") - np.searchsorted(left, moments, side="right")
        start = np.searchsorted(arrived, since) - np.searchsorted(left, since)
        assert most_waiting(arrived, left, since) == (start, levels.max())


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("seed", range(3))
def test_step_counts_match_the_histogram_form(seed, strict):
    rng = np.random.default_rng(seed)
    values = rng.permutation(times(rng, 3000))
    for first, step, samples in ((3600.0, 3600.0, 90), (0.0, 7200.0, 60), (-3600.0, 1800.0, 10)):
        assert np.array_equal(step_counts(values, first, step, samples, strict),
                              reference_counts_up_to(values, first, step, samples, strict))


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
def test_shift_totals_match_the_bincount_form(seed):
    rng = np.random.default_rng(seed)
    n, headcount = 4000, 7
    shift_start = np.arange(40) * 86400.0 + 8 * 3600
    start = rng.uniform(shift_start[0], shift_start[-1] + 86400, n)
    analyst = rng.integers(0, headcount, n).astype(np.int32)
    seconds = rng.exponential(30, n)
    rows = rng.random(n) < 0.6
    piece_shift = rng.integers(0, 40, 50)
    piece_analyst = rng.integers(0, headcount, 50).astype(np.int32)
    piece_seconds = rng.exponential(3600, 50)
    shift = np.searchsorted(shift_start, start[rows], side="right") - 1
    key = np.concatenate([shift * headcount + analyst[rows], piece_shift * headcount + piece_analyst])
    expected = np.bincount(key, weights=np.concatenate([seconds[rows], piece_seconds]))
    sums = shift_totals(rows, start, analyst, seconds, shift_start, headcount, piece_shift, piece_analyst,
                        piece_seconds)
    assert np.array_equal(sums[sums > 0], expected[expected > 0])


@pytest.mark.parametrize("seed", range(3))
def test_step_sums_match_the_bincount_form(seed):
    rng = np.random.default_rng(seed)
    values = rng.permutation(times(rng, 3000)) - 7200.0  # some before the first sample
    for first, step, samples in ((0.0, 3600.0, 50), (1800.0, 86400.0, 3), (-3600.0, 900.0, 400)):
        x = values[np.isfinite(values)] - first
        x = x[x <= (np.arange(samples) * step)[-1]]
        cell = np.maximum(np.ceil(x / step), 0).astype(np.int64)
        count, total = step_sums(values, first, step, samples)
        assert np.array_equal(count, np.bincount(cell, minlength=samples))
        assert np.array_equal(total, np.bincount(cell, weights=x, minlength=samples))  # bit for bit
