"""Compiled single passes over item columns, for the metrics.

Each function here gives exactly the numbers of a plain numpy expression (named in its
docstring) — the same float operations in the same order, integer counts exact — but in one
linear pass instead of several passes, temporary arrays or binary searches. Times are in
seconds, as in the item table.

Why it is one module (over 400 lines): each pass is small and stands alone; they are kept
together because together they are the compiled counterpart of the metrics' numpy
expressions, tested against them one by one in tests/test_passes.py.
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
def times_left(start: np.ndarray, deadline: np.ndarray, horizon: float) -> np.ndarray:
    """When items left the queue by the horizon: the ``start`` of every started item (finite),
    and the ``deadline`` of every other item whose deadline passed by ``horizon``, in row order.

    The same numbers as ``concatenate([start[isfinite(start)], deadline[~isfinite(start) & (deadline <= horizon)]])``,
    in another order (for sorting).
    """
    out = np.empty(start.shape[0])
    k = 0
    for i in range(start.shape[0]):
        if np.isfinite(start[i]):
            out[k] = start[i]
            k += 1
        elif deadline[i] <= horizon:
            out[k] = deadline[i]
            k += 1
    return out[:k]


@njit(cache=True)
def step_counts(values: np.ndarray, key: np.ndarray, groups: int, first: float, step: float, samples: int,
                strict: bool) -> np.ndarray:
    """Per group, how many of ``values`` are ≤ (``strict``: <) each sample time ``first + j × step``
    (``groups`` × ``samples``): a value counts in group ``key[i]`` (left out if negative; every
    value in group 0 if ``key`` is empty).

    Equals, per group, the histogram on the sampling grid and running sum of
    :func:`capsim.metrics.counts_up_to` over that group's values, in one pass and without
    temporary arrays.
    """
    hist = np.zeros((groups, samples + 1), dtype=np.int64)
    keyed = key.shape[0] > 0
    for i in range(values.shape[0]):
        g = key[i] if keyed else 0
        if g < 0:
            continue
        position = (values[i] - first) / step
        index = np.floor(position) + 1 if strict else np.ceil(position)
        if index < 0:
            index = 0.0
        elif not index < samples:  # after the last sample (or NaN): dropped
            index = float(samples)
        hist[g, int(index)] += 1
    out = np.empty((groups, samples), dtype=np.int64)
    for g in range(groups):
        total = 0
        for j in range(samples):
            total += hist[g, j]
            out[g, j] = total
    return out


@njit(cache=True)
def _eventual_wait(i: int, censored: np.ndarray, start: np.ndarray, end: np.ndarray, arrival: np.ndarray,
                   stopped: float, unit: float) -> tuple[bool, float, float]:
    """Whether row ``i`` has a known wait, and its wait and time to the end of assessment in
    ``unit`` seconds (see :func:`waits_of`)."""
    s = stopped if censored[i] else start[i]
    if not np.isfinite(s):
        return False, 0.0, 0.0
    e = end[i] if np.isfinite(end[i]) else stopped
    return True, (s - arrival[i]) / unit, (e - arrival[i]) / unit


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
        known, w, t = _eventual_wait(i, censored, start, end, arrival, stopped, unit)
        if known:
            wait[k] = w
            total[k] = t
            k += 1
    return k


@njit(cache=True)
def wait_group_counts(arrival: np.ndarray, since: float, until: float, parent: np.ndarray, team: np.ndarray,
                      priority: np.ndarray, censored: np.ndarray, start: np.ndarray, stopped: float, teams: int,
                      priorities: int) -> tuple[np.ndarray, np.ndarray]:
    """How many rows arriving in [``since``, ``until``) have a known wait (:func:`waits_of`): of the
    streams' own (``parent < 0``) per priority, and of all per ``team × priorities + priority``."""
    direct = np.zeros(priorities, dtype=np.int64)
    by_team = np.zeros(teams * priorities, dtype=np.int64)
    for i in range(arrival.shape[0]):
        if arrival[i] >= since and arrival[i] < until and np.isfinite(stopped if censored[i] else start[i]):
            by_team[team[i] * priorities + priority[i]] += 1
            if parent[i] < 0:
                direct[priority[i]] += 1
    return direct, by_team


@njit(cache=True)
def grouped_waits(arrival: np.ndarray, since: float, until: float, parent: np.ndarray, team: np.ndarray, priority: np.ndarray,
                  censored: np.ndarray, start: np.ndarray, end: np.ndarray, stopped: float, unit: float,
                  priorities: int, wait: np.ndarray, total: np.ndarray, by_priority: np.ndarray,
                  priority_at: np.ndarray, by_team: np.ndarray, team_at: np.ndarray, by_team_priority: np.ndarray,
                  team_priority_at: np.ndarray) -> None:
    """The waits (:func:`waits_of`, in ``unit`` seconds) of the rows arriving in [``since``,
    ``until``), written in row order to the caller's arrays: the streams' own (``parent < 0``)
    waits and times to the end of assessment to ``wait`` and ``total``; their waits again per
    priority to ``by_priority``; every row's per team to ``by_team`` and per
    ``team × priorities + priority`` to ``by_team_priority``. Group ``g`` of a grouped array
    starts at ``..._at[g]`` (the running sums of :func:`wait_group_counts`); an empty grouped
    array is not written. So each group holds exactly :func:`waits_of` of its mask, in order.
    """
    k = 0
    at_priority, at_team, at_team_priority = priority_at.copy(), team_at.copy(), team_priority_at.copy()
    for i in range(arrival.shape[0]):
        if not (arrival[i] >= since and arrival[i] < until):
            continue
        known, w, t = _eventual_wait(i, censored, start, end, arrival, stopped, unit)
        if not known:
            continue
        p = priority[i]
        if parent[i] < 0:
            wait[k] = w
            total[k] = t
            k += 1
            if by_priority.shape[0]:
                by_priority[at_priority[p]] = w
                at_priority[p] += 1
        if by_team.shape[0]:
            by_team[at_team[team[i]]] = w
            at_team[team[i]] += 1
        if by_team_priority.shape[0]:
            g = team[i] * priorities + p
            by_team_priority[at_team_priority[g]] = w
            at_team_priority[g] += 1


@njit(cache=True)
def shift_totals(rows: np.ndarray, start: np.ndarray, analyst: np.ndarray, first: int, seconds: np.ndarray,
                 shift_start: np.ndarray, headcount: int, piece_shift: np.ndarray, piece_analyst: np.ndarray,
                 piece_seconds: np.ndarray) -> np.ndarray:
    """Seconds per (shift, analyst), at ``shift × headcount + analyst``, over the analysts
    ``first`` to ``first + headcount − 1`` (numbered from 0 here): each of the ``rows`` (a mask)
    of those analysts on the last shift starting at or before its ``start``, then each piece
    on its shift (``piece_analyst`` numbered from 0 already).

    Equals ``np.bincount(key, weights)`` over those rows then the pieces, keys as above and the
    row's shift ``np.searchsorted(shift_start, start, side="right") - 1``: the same additions
    in the same order (padded with zeros to every shift and analyst).
    """
    shifts = shift_start.shape[0]
    sums = np.zeros(shifts * headcount)
    shift = -1
    for i in range(rows.shape[0]):
        if rows[i] and first <= analyst[i] < first + headcount:
            t = start[i]
            # the previous row's shift, if it is this one's too (rows come nearly in time order)
            if not (shift >= 0 and shift_start[shift] <= t and (shift + 1 == shifts or t < shift_start[shift + 1])):
                shift = np.searchsorted(shift_start, t, side="right") - 1
            sums[shift * headcount + analyst[i] - first] += seconds[i]
    for k in range(piece_shift.shape[0]):
        sums[piece_shift[k] * headcount + piece_analyst[k]] += piece_seconds[k]
    return sums


@njit(cache=True)
def step_sums(times: np.ndarray, key: np.ndarray, groups: int, first: float, step: float,
              samples: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group and sample ``j`` (time ``first + j × step``), how many of the finite ``times``
    fall in (sample ``j − 1``, sample ``j``] and the sum of their ``time − first`` (those at or
    before ``first`` count at sample 0; those after the last sample, and infinite ones, are
    dropped): ``groups`` × ``samples`` each. A time counts in group ``key[i]`` (left out if
    negative; every time in group 0 if ``key`` is empty).

    Equals, per group, with ``x`` = its finite times less ``first``, kept where
    ``x ≤ (samples − 1) × step`` and ``cell = maximum(ceil(x / step), 0)``,
    ``np.bincount(cell, minlength=samples)`` and ``np.bincount(cell, weights=x, minlength=samples)``:
    the same additions in the same order.
    """
    count = np.zeros((groups, samples), dtype=np.int64)
    total = np.zeros((groups, samples))
    last = (samples - 1) * step
    keyed = key.shape[0] > 0
    for i in range(times.shape[0]):
        g = key[i] if keyed else 0
        if g < 0:
            continue
        t = times[i]
        if not np.isfinite(t):
            continue
        x = t - first
        if not x <= last:
            continue
        cell = np.ceil(x / step)
        k = int(cell) if cell > 0 else 0
        count[g, k] += 1
        total[g, k] += x
    return count, total


ITEM_COUNTS = ("scope", "assessed", "expired", "waiting", "censored", "referred", "assessments", "expirations",
               "backlog_end", "ai_generated", "assessed_criminal", "assessed_realistic")
"""What :func:`item_counts` counts, in the order of its first result (see there)."""


@njit(cache=True)
def item_counts(arrival: np.ndarray, start: np.ndarray, deadline: np.ndarray, parent: np.ndarray, team: np.ndarray,
                flags: np.ndarray, censored: np.ndarray, warmup: float, horizon: float, until: float, teams: int,
                ai: int, criminal: int, realistic: int) -> tuple[np.ndarray, np.ndarray]:
    """The item counts of :func:`capsim.metrics.replication_metrics` in one pass: the counts of
    :data:`ITEM_COUNTS`, and per team (``teams`` × 2) the items arrived at it after the warm-up
    and started by the horizon, and the items waiting there at the horizon.

    Rows arriving at or after ``until`` are left out, and a row started at or after it counts
    as not started (+inf: every row; a calendar period: its end, as in
    the copied window of tests/window_reference.py). With ``started = start < until``,
    ``expired = ~started & (deadline <= horizon)``,
    ``waiting = ~started & ~expired``, ``measured = arrival >= warmup`` and
    ``scope = measured & (parent < 0)`` (the streams' own items): ``scope``, ``assessed``
    (scope & started), ``expired`` (scope & expired), ``waiting`` (scope & waiting),
    ``censored`` (scope & censored), ``referred`` (measured & ~direct), ``assessments``
    (started & (start >= warmup)), ``expirations`` (expired & (deadline >= warmup)),
    ``backlog_end`` (waiting, every row), ``ai_generated``, ``assessed_criminal`` and
    ``assessed_realistic`` (scope, started for the last two, with that flag bit set).
    """
    counts = np.zeros(12, dtype=np.int64)
    per_team = np.zeros((teams, 2), dtype=np.int64)
    for i in range(arrival.shape[0]):
        if not arrival[i] < until:
            continue
        started = start[i] < until
        expired = not started and deadline[i] <= horizon
        waiting = not started and not expired
        measured = arrival[i] >= warmup
        if measured and parent[i] < 0:
            counts[0] += 1
            if started:
                counts[1] += 1
                if flags[i] & criminal:
                    counts[10] += 1
                if flags[i] & realistic:
                    counts[11] += 1
            counts[2] += expired
            counts[3] += waiting
            counts[4] += censored[i]
            if flags[i] & ai:
                counts[9] += 1
        elif measured:
            counts[5] += 1
        if started and start[i] >= warmup:
            counts[6] += 1
        if expired and deadline[i] >= warmup:
            counts[7] += 1
        if waiting:
            counts[8] += 1
            per_team[team[i], 1] += 1
        if measured and started:
            per_team[team[i], 0] += 1
    return counts, per_team


@njit(cache=True)
def group_values(key: np.ndarray, groups: int, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ``values`` grouped by ``key`` (0 ≤ key < ``groups``; negative: left out), each group's
    in their original order: ``(grouped, offsets)``, group ``g`` being
    ``grouped[offsets[g]:offsets[g + 1]]``.

    Equals ``values[key == g]`` for each ``g`` (a stable counting sort), in two passes: so a
    group's sum or mean is bit for bit that of the masked form.
    """
    offsets = np.zeros(groups + 1, dtype=np.int64)
    for i in range(key.shape[0]):
        if key[i] >= 0:
            offsets[key[i] + 1] += 1
    for g in range(groups):
        offsets[g + 1] += offsets[g]
    grouped = np.empty(offsets[groups])
    fill = offsets[:groups].copy()
    for i in range(key.shape[0]):
        g = key[i]
        if g >= 0:
            grouped[fill[g]] = values[i]
            fill[g] += 1
    return grouped, offsets


@njit(cache=True)
def _sla_outcome(arrival: float, end: float, start: float, censored: bool, within: float,
                 stopped: float) -> tuple[bool, bool]:
    """Whether one item met its deadline of ``within`` seconds, and whether its outcome is known
    (see :func:`sla_tallies`)."""
    met = end - arrival <= within
    unknown = not np.isfinite(end) and (censored or np.isfinite(start))
    return met, not unknown or arrival + within <= stopped


@njit(cache=True)
def sla_tallies(key: np.ndarray, groups: int, within: np.ndarray, arrival: np.ndarray, end: np.ndarray,
                start: np.ndarray, censored: np.ndarray, stopped: float) -> tuple[np.ndarray, np.ndarray]:
    """Per group (``key`` as in :func:`group_values`), how many items met their deadline of
    ``within[group]`` seconds from arrival and how many have a known outcome: ``(met, known)``.

    ``end`` and ``start`` are the eventual ends and starts (+inf: never), ``censored`` the rows
    still waiting when the run-out stopped at ``stopped``. Equals, over a group's rows,
    ``met = end - arrival <= within``, ``unknown = ~isfinite(end) & (censored | isfinite(start))``,
    ``known = ~unknown | (arrival + within <= stopped)`` summed (:func:`capsim.metrics.sla_attainment`).
    """
    met = np.zeros(groups, dtype=np.int64)
    known = np.zeros(groups, dtype=np.int64)
    for i in range(key.shape[0]):
        g = key[i]
        if g < 0:
            continue
        hit, sure = _sla_outcome(arrival[i], end[i], start[i], censored[i], within[g], stopped)
        met[g] += hit
        known[g] += sure
    return met, known


@njit(cache=True)
def sla_tallies_by_kind(since: float, until: float, parent: np.ndarray, team: np.ndarray, priority: np.ndarray,
                        stream: np.ndarray, stream_priority: np.ndarray, teams: int, within: np.ndarray,
                        arrival: np.ndarray, end: np.ndarray, start: np.ndarray, censored: np.ndarray,
                        stopped: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`sla_tallies` of the items arriving in [``since``, ``until``), in three kinds of group at
    once, each per priority (``within[p]`` seconds for priority ``p``): row 0, the streams' own
    items (``parent < 0``) by priority; row 1, the streams' own items by their stream's one
    priority (``stream_priority``; -1: a stream with a priority mix, left out); row ``2 + t``,
    the items of team ``t`` by priority. ``(met, known)``, each ``(teams + 2) × priorities``.
    """
    priorities = within.shape[0]
    met = np.zeros((teams + 2, priorities), dtype=np.int64)
    known = np.zeros((teams + 2, priorities), dtype=np.int64)
    for i in range(arrival.shape[0]):
        if not (arrival[i] >= since and arrival[i] < until):
            continue
        p = priority[i]
        hit, sure = _sla_outcome(arrival[i], end[i], start[i], censored[i], within[p], stopped)
        met[2 + team[i], p] += hit
        known[2 + team[i], p] += sure
        if parent[i] < 0:
            met[0, p] += hit
            known[0, p] += sure
            q = stream_priority[stream[i]]
            if q >= 0:
                hit, sure = _sla_outcome(arrival[i], end[i], start[i], censored[i], within[q], stopped)
                met[1, q] += hit
                known[1, q] += sure
    return met, known


@njit(cache=True)
def queue_seconds(arrival: np.ndarray, start: np.ndarray, deadline: np.ndarray, horizon: float, t0: float,
                  t1: float, until: float, since: float) -> float:
    """The items' seconds in a queue within [``t0``, ``t1``], summed: each item's from its arrival
    to its start (if it started before ``until``), else to its deadline or the horizon,
    whichever first; over the rows that arrived before ``until`` and left the queue (at their
    start, or their deadline if they never started) at or after ``since``, added in row order
    as np.sum adds them. (+inf and -inf: every row, as
    ``(clip(where(isfinite(start), start, minimum(deadline, horizon)), t0, t1) - clip(arrival, t0, t1)).sum()``;
    a calendar period's end and start: its rows of the copied window of tests/window_reference.py.)
    """
    n = 0
    for i in range(arrival.shape[0]):
        if arrival[i] < until and (start[i] if np.isfinite(start[i]) else deadline[i]) >= since:
            n += 1
    sizes, sums, block = _sum_plan(n)
    fill, k = 0, 0
    for i in range(arrival.shape[0]):
        if not (arrival[i] < until and (start[i] if np.isfinite(start[i]) else deadline[i]) >= since):
            continue
        left = start[i] if start[i] < until else min(deadline[i], horizon)
        left = min(max(left, t0), t1)
        fill, k = _take(left - min(max(arrival[i], t0), t1), block, fill, k, sizes, sums)
    return _total(n, sums)


@njit(cache=True)
def window_bounds(arrival: np.ndarray, start: np.ndarray, deadline: np.ndarray, t0: float,
                  t1: float) -> tuple[int, int]:
    """``(lo, hi)``: every row of a period (arrived before ``t1``, left the queue at or
    after ``t0``) lies in ``lo:hi``, found by scanning from each end (rows come nearly in
    arrival order, so the range is hardly wider than the window)."""
    n = arrival.shape[0]
    lo = 0
    while lo < n and (start[lo] if np.isfinite(start[lo]) else deadline[lo]) < t0:
        lo += 1
    hi = n
    while hi > lo and not arrival[hi - 1] < t1:
        hi -= 1
    return lo, hi


@njit(cache=True)
def last_finished(arrival: np.ndarray, start: np.ndarray, deadline: np.ndarray, eventual_start: np.ndarray,
                  eventual_end: np.ndarray, stopped: float, t0: float, t1: float) -> float:
    """The last eventual end (finite) or expiry (by ``stopped``, of a row never started) of the
    rows of the period (``start``, ``deadline``: the rows' own columns), -inf for none:
    the maximum of the copied window of tests/window_reference.py's ``finished``."""
    last = -np.inf
    for i in range(arrival.shape[0]):
        if not (arrival[i] < t1 and (start[i] if np.isfinite(start[i]) else deadline[i]) >= t0):
            continue
        if np.isfinite(eventual_end[i]):
            last = max(last, eventual_end[i])
        if not np.isfinite(eventual_start[i]) and deadline[i] <= stopped:
            last = max(last, deadline[i])
    return last


@njit(cache=True)
def reachable_in_time(arrival: np.ndarray, group: np.ndarray, priority: np.ndarray, wanted: int,
                      starts: np.ndarray, ends: np.ndarray, within: float, groups: int
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Per group: the items of priority ``wanted`` (``group`` ≥ 0) and how many of them could start
    within ``within`` seconds of arriving, given when someone is on shift: at arrival if it falls
    in a staffed shift [``starts``, ``ends``) (sorted by start), else at the next start.

    The same counts as, over those items, ``k = searchsorted(starts, arrival, "right") - 1``,
    ``first = where((k >= 0) & (arrival < ends[k]), arrival, append(starts, inf)[k + 1])`` and
    ``bincount(group, weights=first - arrival < within)`` (as floats, with the item counts).
    """
    count = np.zeros(groups)
    hits = np.zeros(groups)
    n_starts = starts.shape[0]
    k, last = -1, -np.inf  # the last item's shift: arrivals in time order walk on from it (linear time)
    for i in range(arrival.shape[0]):
        g = group[i]
        if g < 0 or priority[i] != wanted:
            continue
        count[g] += 1.0
        if n_starts == 0:  # nobody ever on shift
            continue
        t = arrival[i]
        if t >= last:
            while k + 1 < n_starts and starts[k + 1] <= t:
                k += 1
        else:
            k = np.searchsorted(starts, t, side="right") - 1
        last = t
        if k >= 0 and t < ends[k]:
            first = t
        elif k + 1 < n_starts:
            first = starts[k + 1]
        else:
            first = np.inf
        if first - t < within:
            hits[g] += 1.0
    return count, hits


QUANTILE_BUCKETS = 1 << 16
"""Most buckets of the histogram :func:`quantiles` selects order statistics from (fewer for
fewer values: about 64 values a bucket, so that the histogram stays in cache)."""


@njit(cache=True)
def value_buckets(values: np.ndarray, low: float, scale: float, buckets: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How many of ``values`` fall in each bucket ``min(int((v - low) × scale), buckets − 1)``,
    and each bucket's smallest and largest value: ``(counts, smallest, largest)``. The bucket is
    a non-decreasing function of the value, so bucket ``b`` holds the order statistics from
    ``counts[:b].sum()`` on."""
    counts = np.zeros(buckets, dtype=np.int64)
    smallest = np.full(buckets, np.inf)
    largest = np.full(buckets, -np.inf)
    for i in range(values.shape[0]):
        v = values[i]
        b = min(int((v - low) * scale), buckets - 1)
        counts[b] += 1
        if v < smallest[b]:
            smallest[b] = v
        if v > largest[b]:
            largest[b] = v
    return counts, smallest, largest


@njit(cache=True)
def bucket_members(values: np.ndarray, low: float, scale: float, buckets: int, bucket: int,
                   out: np.ndarray) -> int:
    """The ``values`` in ``bucket`` (as :func:`value_buckets` numbers them), written to the front
    of ``out``; returns how many."""
    k = 0
    for i in range(values.shape[0]):
        if min(int((values[i] - low) * scale), buckets - 1) == bucket:
            out[k] = values[i]
            k += 1
    return k


def quantiles(values: np.ndarray, q: tuple[float, ...]) -> list[float]:
    """``np.quantile(values, q)`` (the default, linear method) bit for bit, without reordering
    or copying ``values`` (finite floats; anything else goes to numpy itself).

    The order statistics numpy's formula needs are found in a histogram of the values
    (:func:`value_buckets`, up to :data:`QUANTILE_BUCKETS` buckets between the least and the
    greatest): a statistic in a bucket whose values are all equal is that value; otherwise that
    bucket's values (:func:`bucket_members`) are partitioned. Then numpy's own interpolation,
    the same float operations in the same order: exact, not an approximation.
    """
    n = len(values)
    if n == 0:
        return [float("nan")] * len(q)
    low, high = float(values.min()), float(values.max())
    if not (np.isfinite(low) and np.isfinite(high)) or values.dtype != np.float64:
        return [float(v) for v in np.quantile(values, q)]
    qs = np.asarray(q, dtype=np.float64)
    virtual = (n - 1) * qs  # numpy's linear method: the virtual index, its neighbours and weight
    previous = np.floor(virtual)
    following = previous + 1
    above = virtual >= n - 1
    previous[above], following[above] = n - 1, n - 1
    previous[virtual < 0], following[virtual < 0] = 0, 0
    gamma = virtual - previous
    ranks = np.unique(np.concatenate([previous, following]).astype(np.int64))
    buckets = min(QUANTILE_BUCKETS, max(64, n // 64))
    scale = buckets / (high - low) if high > low else 0.0
    if high > low and not (np.isfinite(high - low) and np.isfinite(scale)):  # a span beyond floats: numpy's
        return [float(v) for v in np.quantile(values, q)]
    if high == low:
        value = dict.fromkeys(ranks.tolist(), low)
    else:
        counts, smallest, largest = value_buckets(values, low, scale, buckets)
        before = np.concatenate([[0], np.cumsum(counts)])
        value = {}
        members: dict[int, np.ndarray] = {}
        for r in ranks.tolist():
            b = int(np.searchsorted(before, r, side="right")) - 1  # the bucket holding rank r
            if smallest[b] == largest[b]:
                value[r] = float(smallest[b])
                continue
            if b not in members:
                out = np.empty(counts[b])
                bucket_members(values, low, scale, buckets, b, out)
                members[b] = out
            value[r] = float(np.partition(members[b], r - before[b])[r - before[b]])
    a = np.array([value[int(r)] for r in previous])
    b = np.array([value[int(r)] for r in following])
    difference = b - a  # numpy's _lerp
    result = np.add(a, difference * gamma)
    np.subtract(b, difference * (1 - gamma), out=result, where=gamma >= 0.5)
    return [float(v) for v in result]


# numpy sums a float64 array pairwise: blocks of at most 128 values, each summed with eight
# accumulators, joined by halving the count (rounded down to a multiple of eight). The passes
# below add a row selection's values in that same order, so their sums are np.sum's bit for
# bit without first gathering the values into a new array.

@njit(cache=True)
def _halve(n: int) -> int:
    """How many of ``n`` values numpy's pairwise sum puts in the first half (a multiple of eight)."""
    half = n // 2
    return half - half % 8


@njit(cache=True)
def _pairwise_leaves(n: int, sizes: np.ndarray) -> int:
    """Write the sizes of numpy's pairwise blocks of ``n`` values, in order, to ``sizes``; return
    how many (a depth-first walk with a stack: numba's cache cannot load recursive functions)."""
    stack = np.empty(128, dtype=np.int64)
    stack[0], top, k = n, 1, 0
    while top:
        top -= 1
        m = stack[top]
        if m <= 128:
            sizes[k] = m
            k += 1
        else:
            stack[top], stack[top + 1] = m - _halve(m), _halve(m)  # the first half on top: walked first
            top += 2
    return k


@njit(cache=True)
def _pairwise_join(n: int, sums: np.ndarray) -> float:
    """Join the block sums ``sums`` of ``n`` values as numpy does: each node's sum is its first
    half's plus its second's (a walk with a stack, as :func:`_pairwise_leaves`)."""
    size = np.empty(128, dtype=np.int64)  # per open node: its count, whether its first half is done, that half's sum
    second = np.zeros(128, dtype=np.bool_)
    first = np.empty(128)
    size[0], second[0], top, k = n, False, 0, 0
    while True:
        m = size[top]
        if m > 128:  # open its first half
            top += 1
            size[top], second[top] = _halve(m), False
            continue
        v = sums[k]
        k += 1
        while True:  # hand v up to the open nodes
            top -= 1
            if top < 0:
                return v
            if not second[top]:  # v is its first half: open its second
                first[top], second[top] = v, True
                top += 1
                size[top], second[top] = size[top - 1] - _halve(size[top - 1]), False
                break
            v = first[top] + v


@njit(cache=True)
def _block_sum(block: np.ndarray, m: int) -> float:
    """numpy's sum of one block of ``m`` (at most 128) values."""
    if m < 8:
        res = 0.0
        for i in range(m):
            res += block[i]
        return res
    r0, r1, r2, r3, r4, r5, r6, r7 = block[0], block[1], block[2], block[3], block[4], block[5], block[6], block[7]
    i = 8
    while i < m - m % 8:
        r0 += block[i]
        r1 += block[i + 1]
        r2 += block[i + 2]
        r3 += block[i + 3]
        r4 += block[i + 4]
        r5 += block[i + 5]
        r6 += block[i + 6]
        r7 += block[i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < m:
        res += block[i]
        i += 1
    return res


@njit(cache=True)
def _sum_plan(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What a sum of ``n`` values taken one by one (:func:`_take`) needs: the blocks' sizes
    (then 0), their sums, and room for the block being filled."""
    sizes = np.zeros(n // 32 + 3, dtype=np.int64)
    leaves = _pairwise_leaves(n, sizes) if n else 0
    return sizes, np.empty(max(leaves, 1)), np.empty(128)


@njit(cache=True, inline="always")
def _take(v: float, block: np.ndarray, fill: int, k: int, sizes: np.ndarray, sums: np.ndarray) -> tuple[int, int]:
    """Add the next value to a sum planned by :func:`_sum_plan`, ``fill`` values into block
    ``k``: the next ``(fill, k)``."""
    block[fill] = v
    fill += 1
    if fill == sizes[k]:
        sums[k] = _block_sum(block, fill)
        return 0, k + 1
    return fill, k


@njit(cache=True)
def _total(n: int, sums: np.ndarray) -> float:
    """The sum of the ``n`` values taken (np.sum's, bit for bit; 0.0 for none)."""
    return _pairwise_join(n, sums) if n else 0.0
