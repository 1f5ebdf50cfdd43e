"""Compiled single passes over item columns, for the metrics.

Each function here gives exactly the numbers of a plain numpy expression (named in its
docstring) — the same float operations in the same order, integer counts exact — but in one
linear pass instead of several passes, temporary arrays or binary searches. Times are in
seconds, as in the item table.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def most_waiting(arrived: np.ndarray, left: np.ndarray, since: float) -> tuple[int, int]:
    """Items waiting at ``since`` and the most waiting at ``since`` or at any arrival after it.

    ``arrived`` (arrival times) and ``left`` (times items left the queue: started or expired)
    are sorted ascending; the number waiting at a moment counts every event of that moment.
    Equals, with ``moments`` = ``since`` and the arrivals at or after it,
    ``(n(since), max(searchsorted(arrived, moments, "right") - searchsorted(left, moments, "right")))``
    where ``n(t) = searchsorted(arrived, t) - searchsorted(left, t)`` (left side).
    """
    n_arrived, n_left = arrived.shape[0], left.shape[0]
    a = 0
    while a < n_arrived and arrived[a] < since:
        a += 1
    b = 0
    while b < n_left and left[b] < since:
        b += 1
    at_start = a - b
    first = a  # the first arrival at or after ``since``
    while a < n_arrived and arrived[a] <= since:
        a += 1
    while b < n_left and left[b] <= since:
        b += 1
    most = a - b
    for i in range(first, n_arrived):
        t = arrived[i]
        while a < n_arrived and arrived[a] <= t:
            a += 1
        while b < n_left and left[b] <= t:
            b += 1
        if a - b > most:
            most = a - b
    return at_start, most


@njit(cache=True)
def step_counts(values: np.ndarray, first: float, step: float, samples: int, strict: bool) -> np.ndarray:
    """How many of ``values`` are ≤ (``strict``: <) each sample time ``first + j × step``.

    Equals the histogram on the sampling grid and running sum of
    :func:`capsim.metrics.counts_up_to`, in one pass and without temporary arrays.
    """
    hist = np.zeros(samples + 1, dtype=np.int64)
    for i in range(values.shape[0]):
        position = (values[i] - first) / step
        index = np.floor(position) + 1 if strict else np.ceil(position)
        if index < 0:
            index = 0.0
        elif not index < samples:  # after the last sample (or NaN): dropped
            index = float(samples)
        hist[int(index)] += 1
    out = np.empty(samples, dtype=np.int64)
    total = 0
    for j in range(samples):
        total += hist[j]
        out[j] = total
    return out


@njit(cache=True)
def waits_of(rows: np.ndarray, censored: np.ndarray, start: np.ndarray, end: np.ndarray, arrival: np.ndarray,
             stopped: float, unit: float, wait: np.ndarray, total: np.ndarray) -> int:
    """From arrival to start, and to end, of the ``rows`` (a mask) that started, in ``unit``
    seconds, written to the front of ``wait`` and ``total`` (at least as long as the rows);
    returns how many.

    A ``censored`` row starts at ``stopped``; a row with no finite start is left out; a missing
    end is ``stopped``. Equals :func:`capsim.metrics.eventual_waits`'s masked numpy form:
    ``s = where(censored[rows], stopped, start[rows])``, kept where ``s`` is finite, then
    ``(s - arrival) / unit`` and ``(where(isfinite(end), end, stopped) - arrival) / unit``.
    The caller allocates the outputs: numpy's large arrays get huge pages, which make their
    first touch far cheaper than that of arrays allocated here.
    """
    k = 0
    for i in range(rows.shape[0]):
        if not rows[i]:
            continue
        s = stopped if censored[i] else start[i]
        if not np.isfinite(s):
            continue
        e = end[i] if np.isfinite(end[i]) else stopped
        wait[k] = (s - arrival[i]) / unit
        total[k] = (e - arrival[i]) / unit
        k += 1
    return k


@njit(cache=True)
def shift_totals(rows: np.ndarray, start: np.ndarray, analyst: np.ndarray, seconds: np.ndarray,
                 shift_start: np.ndarray, headcount: int, piece_shift: np.ndarray, piece_analyst: np.ndarray,
                 piece_seconds: np.ndarray) -> np.ndarray:
    """Seconds per (shift, analyst), at ``shift × headcount + analyst``: each of the ``rows`` (a
    mask) on the last shift starting at or before its ``start``, then each piece on its shift.

    Equals ``np.bincount(key, weights)`` over the rows then the pieces, keys as above and the
    row's shift ``np.searchsorted(shift_start, start, side="right") - 1``: the same additions
    in the same order (padded with zeros to every shift and analyst).
    """
    sums = np.zeros(shift_start.shape[0] * headcount)
    for i in range(rows.shape[0]):
        if rows[i]:
            shift = np.searchsorted(shift_start, start[i], side="right") - 1
            sums[shift * headcount + analyst[i]] += seconds[i]
    for k in range(piece_shift.shape[0]):
        sums[piece_shift[k] * headcount + piece_analyst[k]] += piece_seconds[k]
    return sums


@njit(cache=True)
def step_sums(times: np.ndarray, first: float, step: float, samples: int) -> tuple[np.ndarray, np.ndarray]:
    """Per sample ``j`` (time ``first + j × step``), how many of the finite ``times`` fall in
    (sample ``j − 1``, sample ``j``] and the sum of their ``time − first`` (those at or before
    ``first`` count at sample 0; those after the last sample, and infinite ones, are dropped).

    Equals, with ``x`` = the finite times less ``first``, kept where ``x ≤ (samples − 1) × step``
    and ``cell = maximum(ceil(x / step), 0)``, ``np.bincount(cell, minlength=samples)`` and
    ``np.bincount(cell, weights=x, minlength=samples)``: the same additions in the same order.
    """
    count = np.zeros(samples, dtype=np.int64)
    total = np.zeros(samples)
    last = (samples - 1) * step
    for i in range(times.shape[0]):
        t = times[i]
        if not np.isfinite(t):
            continue
        x = t - first
        if not x <= last:
            continue
        cell = np.ceil(x / step)
        k = int(cell) if cell > 0 else 0
        count[k] += 1
        total[k] += x
    return count, total
