"""The one-column definitions of the time series' counts, which the compiled one pass
:func:`capsim.passes.series_counts` is checked against (tests/test_passes.py): per group, the
running counts of one column's values on the sampling grid (:func:`step_counts`), and the
counts and sums of one column's times per step (:func:`step_sums`). They use the same cell
rules (:func:`capsim.passes._count_cell`, :func:`capsim.passes._sum_cell`) as the pass, and are
themselves checked against plain numpy histograms there. Times are in seconds.

The grid's samples are at ``first + j × step``, but the last at ``last``: a shorter last step
ends at ``last`` (the horizon), which is after the sample before it and at most
``first + (samples − 1) × step`` (exactly that when every step is whole).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from capsim.passes import _count_cell, _running, _sum_cell


@njit(cache=True)
def step_counts(values: np.ndarray, key: np.ndarray, groups: int, first: float, step: float, samples: int,
                strict: bool, last: float) -> np.ndarray:
    """Per group, how many of ``values`` are ≤ (``strict``: <) each sample time ``first + j × step``,
    and ≤ the last, ``last``, either way (``groups`` × ``samples``): a value counts in group
    ``key[i]`` (left out if negative; every value in group 0 if ``key`` is empty).

    Equals, per group, a histogram of that group's values on the sampling grid and its running
    sum, in one pass and without temporary arrays.
    """
    hist = np.zeros((groups, samples + 1), dtype=np.int64)
    keyed = key.shape[0] > 0
    end = (last - first) / step
    for i in range(values.shape[0]):
        g = key[i] if keyed else 0
        if g >= 0:
            hist[g, _count_cell(values[i], first, step, samples, strict, end)] += 1
    return _running(hist, samples)


@njit(cache=True)
def step_sums(times: np.ndarray, key: np.ndarray, groups: int, first: float, step: float,
              samples: int, last: float) -> tuple[np.ndarray, np.ndarray]:
    """Per group and sample ``j`` (time ``first + j × step``; the last, ``last``), how many of the
    finite ``times`` fall in (sample ``j − 1``, sample ``j``] and the sum of their ``time − first``
    (those at or before ``first`` count at sample 0; those after the last sample, and infinite
    ones, are dropped): ``groups`` × ``samples`` each. A time counts in group ``key[i]`` (left out
    if negative; every time in group 0 if ``key`` is empty).

    Equals, per group, with ``x`` = its finite times less ``first``, kept where
    ``x ≤ last − first`` and ``cell = maximum(ceil(x / step), 0)``,
    ``np.bincount(cell, minlength=samples)`` and ``np.bincount(cell, weights=x, minlength=samples)``:
    the same additions in the same order.
    """
    count = np.zeros((groups, samples), dtype=np.int64)
    total = np.zeros((groups, samples))
    keyed = key.shape[0] > 0
    for i in range(times.shape[0]):
        g = key[i] if keyed else 0
        if g >= 0:
            k, x = _sum_cell(times[i], first, step, last - first)
            if k >= 0:
                count[g, k] += 1
                total[g, k] += x
    return count, total
