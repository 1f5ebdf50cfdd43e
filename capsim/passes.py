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


EVENTS_PER_BUCKET = 32
"""Events per time bucket, on average, in :func:`most_waiting` (its histograms' resolution)."""


@njit(cache=True)
def _bucket(t: float, first: float, scale: float, buckets: int) -> int:
    """The time bucket of ``t`` in :func:`most_waiting`: 0 before ``first``, else
    ``1 + floor((t - first) × scale)``, at most ``buckets`` (the last holds every later time).
    Never decreasing in ``t``: an earlier time is never in a later bucket."""
    if t < first:
        return 0
    b = (t - first) * scale
    if not b < buckets - 1:  # also +inf × 0 (no span to cut: one bucket)
        return buckets
    return 1 + int(b)


@njit(cache=True)
def most_waiting(arrival: np.ndarray, start: np.ndarray, deadline: np.ndarray, horizon: float, lo: np.ndarray,
                 hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per window [``lo[w]``, ``hi[w]``) (``lo[w] < hi[w]``; ``hi`` may be +inf): the items waiting at
    its start and the most waiting at its start or at any arrival in it, from the rows' own columns.

    An item arrives at ``arrival`` and leaves its queue at ``start`` if started (finite), else at
    ``deadline`` if that passed by ``horizon``; the number waiting at a moment counts every event
    of that moment. Equals, with ``arrived`` and ``left`` those event times sorted and, for a window
    [s, u), ``moments`` = ``s`` and the arrivals in [s, u): ``searchsorted(arrived, s) -
    searchsorted(left, s)`` and ``max(searchsorted(arrived, moments, "right") - searchsorted(left,
    moments, "right"))``.

    Nothing is sorted whole. The events are counted into short time buckets (about
    :data:`EVENTS_PER_BUCKET` each); the counts before each bucket give the number waiting at its
    start and bound the most within it: at most that plus its arrivals, at least the number at its
    end if it has an arrival (the last arrival in it comes no later). Only the buckets at a
    window's ends and those whose bound could beat the best number known have their own events
    gathered, sorted and merged — in an overloaded run, whose backlog climbs, a few near its peak.
    Their events are gathered from the rows between the first and the last with an event in them
    (rows come nearly in time order: a short range each), not from every row again.
    """
    n, windows = arrival.shape[0], lo.shape[0]
    first, last = lo.min(), horizon
    for w in range(windows):
        if not lo[w] < hi[w]:
            raise ValueError("most_waiting: a window must end after it starts")
        if np.isfinite(hi[w]) and hi[w] > last:
            last = hi[w]
    buckets = max(1, n // EVENTS_PER_BUCKET)
    scale = buckets / (last - first) if last > first else 0.0
    arrived = np.zeros(buckets + 1, dtype=np.int64)  # per bucket (0: before the first window)
    left = np.zeros(buckets + 1, dtype=np.int64)
    first_row = np.full(buckets + 1, n, dtype=np.int64)  # per bucket, the first and last rows with an event in it
    last_row = np.full(buckets + 1, -1, dtype=np.int64)
    for i in range(n):
        came = _bucket(arrival[i], first, scale, buckets)
        arrived[came] += 1
        went = -1  # the bucket it left its queue in, if it did
        if np.isfinite(start[i]):
            went = _bucket(start[i], first, scale, buckets)
        elif deadline[i] <= horizon:
            went = _bucket(deadline[i], first, scale, buckets)
        if went >= 0:
            left[went] += 1
        for j in (came, went):
            if j >= 0:
                first_row[j] = min(first_row[j], i)
                last_row[j] = i
    arrived_before = np.zeros(buckets + 2, dtype=np.int64)  # events in the buckets before each one
    left_before = np.zeros(buckets + 2, dtype=np.int64)
    for j in range(buckets + 1):
        arrived_before[j + 1] = arrived_before[j] + arrived[j]
        left_before[j + 1] = left_before[j] + left[j]
    # the buckets whose own events are needed: each window's end buckets, and those inside it
    # whose most could beat the most known there (the number waiting at the end of a bucket with an arrival)
    wanted = np.zeros(buckets + 1, dtype=np.bool_)
    known = np.full(windows, -1, dtype=np.int64)
    for w in range(windows):
        a, b = _bucket(lo[w], first, scale, buckets), _bucket(hi[w], first, scale, buckets)
        wanted[a] = wanted[b] = True
        for j in range(a + 1, b):
            if arrived[j] > 0:
                known[w] = max(known[w], arrived_before[j + 1] - left_before[j + 1])
        for j in range(a + 1, b):
            if arrived_before[j] - left_before[j] + arrived[j] > known[w]:
                wanted[j] = True
    arrived_at = np.zeros(buckets + 2, dtype=np.int64)  # where each wanted bucket's events go
    left_at = np.zeros(buckets + 2, dtype=np.int64)
    for j in range(buckets + 1):
        arrived_at[j + 1] = arrived_at[j] + (arrived[j] if wanted[j] else 0)
        left_at[j + 1] = left_at[j] + (left[j] if wanted[j] else 0)
    times_arrived, times_left = np.empty(arrived_at[-1]), np.empty(left_at[-1])
    next_arrived, next_left = arrived_at[:-1].copy(), left_at[:-1].copy()
    # only the rows from the first to the last with an event in a wanted bucket are read again (each once,
    # in order): the wanted buckets' row ranges, sorted and joined where they overlap
    held = np.flatnonzero(wanted & (first_row < n))
    read = 0  # the rows before this one are read already
    for b in held[np.argsort(first_row[held], kind="mergesort")]:
        begin, read = max(read, first_row[b]), max(read, last_row[b] + 1)
        for i in range(begin, read):
            j = _bucket(arrival[i], first, scale, buckets)
            if wanted[j]:
                times_arrived[next_arrived[j]] = arrival[i]
                next_arrived[j] += 1
            t = start[i] if np.isfinite(start[i]) else deadline[i] if deadline[i] <= horizon else np.nan
            if not np.isnan(t):
                j = _bucket(t, first, scale, buckets)
                if wanted[j]:
                    times_left[next_left[j]] = t
                    next_left[j] += 1
    for j in range(buckets + 1):
        if wanted[j]:
            times_arrived[arrived_at[j]:arrived_at[j + 1]].sort()
            times_left[left_at[j]:left_at[j + 1]].sort()
    starts = np.empty(windows, dtype=np.int64)
    most = np.empty(windows, dtype=np.int64)
    for w in range(windows):
        a, b = _bucket(lo[w], first, scale, buckets), _bucket(hi[w], first, scale, buckets)
        ins = times_arrived[arrived_at[a]:arrived_at[a + 1]]
        outs = times_left[left_at[a]:left_at[a + 1]]
        base = arrived_before[a] - left_before[a]
        starts[w] = base + np.searchsorted(ins, lo[w]) - np.searchsorted(outs, lo[w])
        most[w] = max(known[w], base + np.searchsorted(ins, lo[w], side="right")
                      - np.searchsorted(outs, lo[w], side="right"))
        for j in range(a, b + 1):
            if not wanted[j]:
                continue
            ins = times_arrived[arrived_at[j]:arrived_at[j + 1]]
            outs = times_left[left_at[j]:left_at[j + 1]]
            base, p, q = arrived_before[j] - left_before[j], 0, 0
            for t in ins:
                if t >= hi[w]:
                    break
                while p < ins.shape[0] and ins[p] <= t:
                    p += 1
                while q < outs.shape[0] and outs[q] <= t:
                    q += 1
                if t >= lo[w] and base + p - q > most[w]:
                    most[w] = base + p - q
    return starts, most


@njit(cache=True)
def _count_cell(value: float, first: float, step: float, samples: int, strict: bool, end: float) -> int:
    """The cell of the running counts' histogram ``value`` falls in: the first sample it counts
    at (``samples``: after the last, or NaN, dropped). Sample ``j`` is at time ``first + j × step``
    except the last, at position ``end`` (its time less ``first``, in steps: ``samples − 1`` when
    the steps are whole, less for a shorter last step; NaN for no samples). A value counts from
    sample ``j`` on if it is ≤ (``strict``: <) that sample's time, and at the last if it is ≤ it
    either way (the last step is closed: what happened at the horizon counts in it)."""
    position = (value - first) / step
    if not position <= end:  # after the last sample (or NaN): dropped
        return samples
    index = np.floor(position) + 1 if strict else np.ceil(position)
    return int(min(max(index, 0.0), samples - 1.0))


@njit(cache=True)
def _running(hist: np.ndarray, samples: int) -> np.ndarray:
    """Per group (row of ``hist``), the running sums of its first ``samples`` cells."""
    out = np.empty((hist.shape[0], samples), dtype=np.int64)
    for g in range(hist.shape[0]):
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
def grouped_waits(arrival: np.ndarray, since: float, until: float, parent: np.ndarray, team: np.ndarray, priority: np.ndarray,
                  censored: np.ndarray, start: np.ndarray, end: np.ndarray, stopped: float, unit: float,
                  priorities: int, wait: np.ndarray, total: np.ndarray, by_priority: np.ndarray,
                  priority_at: np.ndarray, by_team: np.ndarray, team_at: np.ndarray, by_team_priority: np.ndarray,
                  team_priority_at: np.ndarray) -> tuple[float, float, float, float, int]:
    """The waits (:func:`waits_of`, in ``unit`` seconds) of the rows arriving in [``since``,
    ``until``), written in row order to the caller's arrays: the streams' own (``parent < 0``)
    waits and times to the end of assessment to ``wait`` and ``total``; their waits again per
    priority to ``by_priority``; every row's per team to ``by_team`` and per
    ``team × priorities + priority`` to ``by_team_priority``. Group ``g`` of a grouped array
    starts at ``..._at[g]`` (the running sums of :func:`window_tallies`' group sizes); an empty grouped
    array is not written. So each group holds exactly :func:`waits_of` of its mask, in order.

    Returns what the metrics would otherwise read ``wait`` and ``total`` again for: the least and
    the greatest of each (``wait.min()``, ``wait.max()``, ``total.min()``, ``total.max()``; NaN if
    any is NaN, +inf and -inf if there are none) and how many waits are above zero
    (``np.count_nonzero(wait > 0)``).
    """
    k = waiting = 0
    wait_low, wait_high, total_low, total_high = np.inf, -np.inf, np.inf, -np.inf
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
            wait_low, wait_high = _widen(wait_low, wait_high, w)
            total_low, total_high = _widen(total_low, total_high, t)
            waiting += w > 0
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
    return wait_low, wait_high, total_low, total_high, waiting


@njit(cache=True)
def _widen(low: float, high: float, value: float) -> tuple[float, float]:
    """The least and the greatest of the values so far, ``low`` and ``high``, with ``value`` taken
    in: NaN once any value is NaN, as numpy's ``min`` and ``max`` give it."""
    if low != low or value != value:
        return np.nan, np.nan
    return min(low, value), max(high, value)


@njit(cache=True)
def shift_totals(key: np.ndarray, start: np.ndarray, analyst: np.ndarray, seconds: np.ndarray,
                 team_blocks: np.ndarray, first: np.ndarray, headcount: np.ndarray, shift_at: np.ndarray,
                 shift_start: np.ndarray, piece_block: np.ndarray, piece_shift: np.ndarray,
                 piece_analyst: np.ndarray, piece_seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Seconds per (shift, analyst) of every block of analysts, in one pass over the rows:
    ``(sums, at)``, block ``b``'s at ``sums[at[b] + shift × headcount[b] + analyst]``.

    Block ``b`` is the analysts ``first[b]`` to ``first[b] + headcount[b] − 1`` (numbered from 0
    in it) of one team, with the shifts ``shift_start[shift_at[b]:shift_at[b + 1]]`` (sorted);
    team ``t``'s blocks are ``team_blocks[t]`` to ``team_blocks[t + 1] − 1``. Each row whose
    ``key`` is a team counts in the block of its analyst, on the last shift starting at or
    before its ``start``; then each piece counts in its block (``piece_block``), on its shift,
    for its analyst (numbered from 0 in the block already).

    Equals, per block, ``np.bincount(index, weights)`` over its rows then its pieces, with
    ``index = shift × headcount + analyst − first`` and the row's shift
    ``np.searchsorted(shifts, start, side="right") - 1``: the same additions in the same order
    (padded with zeros to every shift and analyst; an index below 0 counts from the block's end,
    as numpy's indexing would).
    """
    blocks = first.shape[0]
    at = np.zeros(blocks + 1, dtype=np.int64)
    for b in range(blocks):
        at[b + 1] = at[b] + (shift_at[b + 1] - shift_at[b]) * headcount[b]
    sums = np.zeros(at[blocks])
    current = np.full(blocks, -1, dtype=np.int64)  # each block's last shift (rows come nearly in time order)
    # per team, the block and shift of its last row, as local arrays: the seats [seat_lo, seat_hi), the
    # shift's [shift_lo, shift_hi) and where its sums start; a row that falls in them (most rows) is
    # added there at once (a team's blocks have disjoint seats, so the block is the one searched)
    teams = team_blocks.shape[0] - 1
    seat_lo, seat_hi = np.zeros(teams, dtype=np.int64), np.zeros(teams, dtype=np.int64)
    shift_lo, shift_hi = np.full(teams, np.inf), np.full(teams, -np.inf)
    base = np.zeros(teams, dtype=np.int64)
    for i in range(key.shape[0]):
        t = key[i]
        if t < 0:
            continue
        a, x = analyst[i], start[i]
        if seat_lo[t] <= a and a < seat_hi[t] and shift_lo[t] <= x and x < shift_hi[t]:
            sums[base[t] + a] += seconds[i]
            continue
        for b in range(team_blocks[t], team_blocks[t + 1]):
            if not first[b] <= a < first[b] + headcount[b]:
                continue
            lo, shifts, shift = shift_at[b], shift_at[b + 1] - shift_at[b], current[b]
            if not (shift >= 0 and shift_start[lo + shift] <= x
                    and (shift + 1 == shifts or x < shift_start[lo + shift + 1])):
                shift = np.searchsorted(shift_start[lo:lo + shifts], x, side="right") - 1
                current[b] = shift
            j = shift * headcount[b] + a - first[b]
            sums[at[b] + (j if j >= 0 else j + at[b + 1] - at[b])] += seconds[i]
            if shift >= 0:
                seat_lo[t], seat_hi[t] = first[b], first[b] + headcount[b]
                base[t] = at[b] + shift * headcount[b] - first[b]
                shift_lo[t] = shift_start[lo + shift]
                shift_hi[t] = shift_start[lo + shift + 1] if shift + 1 < shifts else np.inf
            break
    for k in range(piece_block.shape[0]):
        b = piece_block[k]
        sums[at[b] + piece_shift[k] * headcount[b] + piece_analyst[k]] += piece_seconds[k]
    return sums, at


@njit(cache=True)
def worked_values(start: np.ndarray, team: np.ndarray, values: np.ndarray, t0: float, until: float,
                  offsets: np.ndarray, key: np.ndarray, every: np.ndarray, grouped: np.ndarray) -> None:
    """In one pass: per row, its ``team`` if its assessment started in [``t0``, ``until``), else -1,
    written to ``key`` (``np.where((start >= t0) & (start < until), team, -1)``); the ``values`` of
    those rows, in row order, to ``every`` (``values[key >= 0]``) and, unless ``grouped`` is empty,
    each team's to ``grouped[offsets[g]:offsets[g + 1]]`` in row order (:func:`group_values`):
    ``offsets`` are the running sums of the teams' counts of such rows, already counted
    (:func:`window_tallies`' assessments per team). The caller allocates the outputs (see :func:`waits_of`)."""
    k = 0
    fill = offsets[:-1].copy()
    for i in range(start.shape[0]):
        if not (start[i] >= t0 and start[i] < until):
            key[i] = -1
            continue
        g = team[i]
        key[i] = g
        every[k] = values[i]
        k += 1
        if grouped.shape[0]:
            grouped[fill[g]] = values[i]
            fill[g] += 1


@njit(cache=True)
def _sum_cell(t: float, first: float, step: float, span: float) -> tuple[int, float]:
    """The step (sample ``j − 1``, sample ``j``] of the grid ``first + j × step`` that ``t`` counts
    in (at or before ``first``: 0; infinite or more than ``span`` seconds after ``first``, the last
    sample, which may end a shorter last step: -1, none) and what it adds there, ``t − first``."""
    x = t - first
    if not (np.isfinite(t) and x <= span):
        return -1, 0.0
    cell = np.ceil(x / step)
    return (int(cell) if cell > 0 else 0), x


@njit(cache=True)
def series_counts(arrival: np.ndarray, start: np.ndarray, deadline: np.ndarray, team: np.ndarray, teams: int,
                  first: float, step: float, samples: int, last: float
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What :func:`capsim.metrics.timeseries` counts, in one pass over the items, each the same
    numbers as the one-column pass named (tests/step_reference.py holds those definitions):
    ``(waiting, arrived, left, assessed, expired)``. Times in seconds.

    The samples are at ``first + j × step``, but the last at ``last`` (seconds: at most
    ``first + (samples − 1) × step`` and after the sample before it: the end of a shorter last
    step, the horizon; NaN for no samples). ``waiting`` (``teams`` × ``samples``): per team,
    :func:`step_counts` (from ``first``) of the arrivals, less those of the starts, less those of
    the deadlines of rows never started; ``arrived`` and ``left``: per team, :func:`step_sums`
    (from ``first − step``, ``samples + 1``) of the arrivals and of the times rows left the queue
    (their start, else their deadline), each a ``(count, total)`` pair; ``assessed`` and
    ``expired`` (``samples``): how many starts, and deadlines of rows never started, fall in each
    step [sample before, sample) (the last step closed: [sample before, ``last``]) — ``np.diff`` of
    :func:`step_counts` (strict, from ``first − step``, ``samples + 1``) of them.
    """
    before = first - step
    end, end_before, span = (last - first) / step, (last - before) / step, last - before  # the last sample
    came = np.zeros((teams, samples + 1), dtype=np.int64)
    went = np.zeros((teams, samples + 1), dtype=np.int64)
    lapsed = np.zeros((teams, samples + 1), dtype=np.int64)
    arrived_count, arrived_total = np.zeros((teams, samples + 1), dtype=np.int64), np.zeros((teams, samples + 1))
    left_count, left_total = np.zeros((teams, samples + 1), dtype=np.int64), np.zeros((teams, samples + 1))
    assessed = np.zeros(samples + 2, dtype=np.int64)
    expired = np.zeros(samples + 2, dtype=np.int64)
    for i in range(arrival.shape[0]):
        g, s, d = team[i], start[i], deadline[i]
        came[g, _count_cell(arrival[i], first, step, samples, False, end)] += 1
        went[g, _count_cell(s, first, step, samples, False, end)] += 1
        assessed[_count_cell(s, before, step, samples + 1, True, end_before)] += 1
        k, x = _sum_cell(arrival[i], before, step, span)
        if k >= 0:
            arrived_count[g, k] += 1
            arrived_total[g, k] += x
        if not np.isfinite(s):
            if not np.isfinite(d):
                continue
            lapsed[g, _count_cell(d, first, step, samples, False, end)] += 1  # never started: left at its deadline
            expired[_count_cell(d, before, step, samples + 1, True, end_before)] += 1
        k, x = _sum_cell(s if np.isfinite(s) else d, before, step, span)
        if k >= 0:
            left_count[g, k] += 1
            left_total[g, k] += x
    waiting = _running(came, samples) - _running(went, samples) - _running(lapsed, samples)
    return (waiting, (arrived_count, arrived_total), (left_count, left_total), assessed[1:samples + 1],
            expired[1:samples + 1])


ITEM_COUNTS = ("scope", "assessed", "expired", "waiting", "censored", "referred", "assessments", "expirations",
               "backlog_end", "ai_generated", "assessed_criminal", "assessed_realistic", "synthetic_referred",
               "harmful_missed", "queued", "own_assessments")
"""What :func:`window_tallies` counts, in the order of its first result (see there)."""


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
def window_tallies(arrival: np.ndarray, start: np.ndarray, deadline: np.ndarray, parent: np.ndarray,
                   team: np.ndarray, priority: np.ndarray, stream: np.ndarray, flags: np.ndarray,
                   censored: np.ndarray, eventual_start: np.ndarray, eventual_end: np.ndarray, warmup: float,
                   horizon: float, bounds: np.ndarray, stopped: float, teams: int, ai: int, criminal: int,
                   realistic: int, harmful: int, stream_priority: np.ndarray, within: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                              np.ndarray]:
    """The counts of the whole run and of each calendar period in one pass, each row read once:
    ``(counts, per_team, direct, by_team, met, known, rows, last)``, the first six with a leading
    axis of windows: 0 the whole run (from ``warmup`` to ``horizon``, ``until`` +inf), ``1 + k`` the period
    [``bounds[k]``, ``bounds[k + 1]``) (``bounds``: the periods' boundaries in time order, empty for
    none), measured as the copied window of tests/window_reference.py gives it: its start as the
    ``warmup``, its end as the ``horizon`` and as ``until``.

    Rows arriving at or after ``until`` are left out, and a row started (``start``: the rows'
    own column, as at the horizon) at or after it counts as not started. A period's counts need
    only the rows arrived before its end that left their queue (``start``, else ``deadline``) at
    or after its start (the others, which left before they arrived, count in none of them; no row
    leaves before it arrives): each row is tallied for the whole run and for those periods only,
    its known wait and SLA outcomes worked out once.

    *Item counts.* With ``started = start < until``, ``expired = ~started & (deadline <= horizon)``,
    ``waiting = ~started & ~expired``, ``measured = arrival >= warmup`` and
    ``scope = measured & (parent < 0)`` (the streams' own items), ``counts`` holds, in the order
    of :data:`ITEM_COUNTS`: ``scope``, ``assessed`` (scope & started), ``expired`` (scope &
    expired), ``waiting`` (scope & waiting), ``censored`` (measured & censored: the streams' own items
    and the referrals at every team, whose waits :func:`grouped_waits` counts per team), ``referred``
    (measured & ~direct), ``assessments`` (started & (start >= warmup)), ``expirations``
    (expired & (deadline >= warmup)), ``backlog_end`` (waiting, every row), ``ai_generated``,
    ``assessed_criminal`` and ``assessed_realistic`` (scope, started for the last two, with that
    flag bit set), ``synthetic_referred`` (measured & ~direct, with the ``ai`` bit),
    ``harmful_missed`` (scope, with the ``criminal`` bit and not the ``harmful`` one: flagged
    harmful), ``queued`` (the rows :func:`queue_seconds` sums for the window: every row; for a
    period, those arrived before its end that left their queue at or after its start) and
    ``own_assessments`` (started & (start >= warmup) & (parent < 0): the streams' own items whose
    assessment started in the window, whenever they arrived);
    ``per_team`` (``teams`` × 3) the items arrived at each team after the warm-up and started,
    the items waiting there at the horizon, and its ``assessments``.

    *Known waits* (:func:`waits_of`: ``stopped`` if ``censored``, else ``eventual_start``, is
    finite), of the rows arriving in [``warmup``, ``until``): ``direct``, of the streams' own
    (``parent < 0``) per priority; ``by_team``, of all per ``team × priorities + priority``
    (the sizes of :func:`grouped_waits`' groups).

    *SLA tallies* (:func:`sla_tallies`, with the eventual ends and starts) of the rows arriving
    in [``warmup``, ``until``), each per priority (``within[p]`` seconds for priority ``p``):
    row 0, the streams' own items by priority; row 1, the streams' own items by their
    stream's one priority (``stream_priority``; -1: a stream with a priority mix, left out);
    row ``2 + t``, the items of team ``t`` by priority. ``met`` and ``known``, each
    ``(teams + 2) × priorities``.

    *The periods' rows* (where :func:`capsim.measured.periods` finds them): ``rows[k]`` is
    ``(lo, hi)``, every row of period ``k`` lying in ``lo:hi`` — ``lo`` the first row that had not
    left its queue before the period's start, ``hi`` one past the last row arrived before its end
    (at least ``lo``), as scanning from each end finds them; ``last[k]`` the last eventual end
    (finite) or expiry (by ``stopped``, of a row never started) of the period's rows, -inf for
    none: the maximum of the copied window of tests/window_reference.py's ``finished``.
    """
    priorities = within.shape[0]
    periods = max(bounds.shape[0] - 1, 0)
    windows = 1 + periods
    # Each row's outcomes that depend only on the row itself (its kind, flags, SLA outcomes, the
    # state it was in at its window's end) are tallied once, in small histograms keyed by the row's
    # cell: the period it arrived in (``periods``: none) and whether it arrived after the warm-up;
    # the windows' counts are the sums of their cells' (exact: integers), added up at the end. Only
    # the counts of what happened within a window (assessments, expirations, the backlog at its end)
    # are tallied per window, for each period the row was in.
    cells = 2 * windows
    kinds = np.zeros(cells * teams * 64 * 9, dtype=np.int64)  # cell, team, kind bits, state whole, state period
    outcomes = np.zeros(cells * teams * priorities * 16, dtype=np.int64)  # cell, team, priority, outcome bits
    by_stream = np.zeros(cells * priorities * 4, dtype=np.int64)  # cell, stream's priority, its outcome bits
    counts = np.zeros((windows, 16), dtype=np.int64)
    per_team = np.zeros((windows, teams, 3), dtype=np.int64)
    direct = np.zeros((windows, priorities), dtype=np.int64)
    by_team = np.zeros((windows, teams * priorities), dtype=np.int64)
    met = np.zeros((windows, teams + 2, priorities), dtype=np.int64)
    known = np.zeros((windows, teams + 2, priorities), dtype=np.int64)
    expirations, backlog = 0, 0  # the whole run's
    rows = np.zeros((periods, 2), dtype=np.int64)
    rows[:, 0] = arrival.shape[0]
    last = np.full(periods, -np.inf)
    unset = 0  # the first period whose ``lo`` is not found yet (lo rises with the period)
    first = 0  # the first period ending after the row's arrival (rows come nearly in arrival order)
    for i in range(arrival.shape[0]):
        a, s, d = arrival[i], start[i], deadline[i]
        t, p = team[i], priority[i]
        own = parent[i] < 0
        started = s < np.inf  # the whole run: until +inf
        expired = not started and d <= horizon
        if started and s >= warmup:
            per_team[0, t, 2] += 1
            counts[0, 15] += own
        if expired and d >= warmup:
            expirations += 1
        if not started and not expired:
            backlog += 1
            per_team[0, t, 1] += 1
        gone = s if np.isfinite(s) else d  # when it left its queue
        arrived = periods  # the period the row arrived in and is measured in (periods: none)
        if periods:
            while first > 0 and a < bounds[first]:
                first -= 1
            while first < periods and a >= bounds[first + 1]:
                first += 1
            while unset < periods and not gone < bounds[unset]:
                rows[unset, 0] = i
                unset += 1
            if first < periods and a < bounds[first + 1]:
                rows[first, 1] = i + 1  # the last row yet arrived before the end of this period and every later one
            ended = eventual_end[i] if np.isfinite(eventual_end[i]) else -np.inf
            if not np.isfinite(eventual_start[i]) and d <= stopped:
                ended = max(ended, d)
            for k in range(first, periods):  # the periods the row is in: it left its queue at or after their start
                t0 = bounds[k]
                if gone < t0:
                    break
                t1 = bounds[k + 1]
                if a < t1 and gone >= t0:
                    last[k] = max(last[k], ended)
                    counts[1 + k, 14] += 1
                started_k = s < t1
                expired_k = not started_k and d <= t1
                if started_k and s >= t0:
                    per_team[1 + k, t, 2] += 1
                    counts[1 + k, 15] += own
                if expired_k and d >= t0:
                    counts[1 + k, 7] += 1
                if not started_k and not expired_k:
                    counts[1 + k, 8] += 1
                    per_team[1 + k, t, 1] += 1
                if k == first and a >= t0:  # measured only in the period it arrived in
                    arrived = k
        measured = a >= warmup
        if not measured and arrived == periods:
            continue
        cell = 2 * arrived + measured
        f = flags[i]
        state = 0 if started else 1 if expired else 2
        state_k = 0
        if arrived < periods:
            t1 = bounds[arrived + 1]
            state_k = 0 if s < t1 else 1 if d <= t1 else 2
        kind = (own + 2 * (f & ai != 0) + 4 * (f & criminal != 0) + 8 * (f & realistic != 0) + 16 * censored[i]
                + 32 * (f & harmful != 0))
        kinds[((cell * teams + t) * 64 + kind) * 9 + 3 * state + state_k] += 1
        waited = np.isfinite(stopped if censored[i] else eventual_start[i])
        hit, sure = _sla_outcome(a, eventual_end[i], eventual_start[i], censored[i], within[p], stopped)
        outcomes[((cell * teams + t) * priorities + p) * 16 + own + 2 * waited + 4 * hit + 8 * sure] += 1
        if own:
            q = stream_priority[stream[i]]
            if q == p:  # its queue is its stream's priority: the same outcome
                by_stream[(cell * priorities + q) * 4 + hit + 2 * sure] += 1
            elif q >= 0:
                hit_q, sure_q = _sla_outcome(a, eventual_end[i], eventual_start[i], censored[i], within[q], stopped)
                by_stream[(cell * priorities + q) * 4 + hit_q + 2 * sure_q] += 1
    counts[0, 7], counts[0, 8] = expirations, backlog
    counts[0, 14] = arrival.shape[0]  # the whole run queues every row: each arrived (finite) and left at or after -inf
    for x in range(windows):
        counts[x, 6] = per_team[x, :, 2].sum()
    for cell in range(cells):  # each cell's tallies into its windows: the whole run if measured, its period
        for w in range(2):
            if w == 0 and cell % 2 == 0:
                continue
            x = 0 if w == 0 else 1 + cell // 2
            if x == windows:  # arrived in no period
                continue
            for u in range(teams):
                for kind in range(64):
                    for states in range(9):
                        n = kinds[((cell * teams + u) * 64 + kind) * 9 + states]
                        if n == 0:
                            continue
                        now = states // 3 if x == 0 else states % 3  # its state at the window's end
                        if now == 0:
                            per_team[x, u, 0] += n
                        counts[x, 4] += n * (kind >> 4 & 1)  # censored: the streams' own and the referrals
                        if kind & 1 == 0:
                            counts[x, 5] += n  # referred
                            counts[x, 12] += n * (kind >> 1 & 1)
                            continue
                        counts[x, 0] += n
                        counts[x, 13] += n * (kind >> 2 & 1) * (1 - (kind >> 5 & 1))
                        counts[x, 1 + now] += n  # assessed, expired, waiting
                        counts[x, 9] += n * (kind >> 1 & 1)
                        if now == 0:
                            counts[x, 10] += n * (kind >> 2 & 1)
                            counts[x, 11] += n * (kind >> 3 & 1)
                for r in range(priorities):
                    for outcome in range(16):
                        n = outcomes[((cell * teams + u) * priorities + r) * 16 + outcome]
                        mine, seen, good, sure_n = outcome & 1, outcome >> 1 & 1, outcome >> 2 & 1, outcome >> 3 & 1
                        by_team[x, u * priorities + r] += n * seen
                        direct[x, r] += n * seen * mine
                        met[x, 2 + u, r] += n * good
                        known[x, 2 + u, r] += n * sure_n
                        met[x, 0, r] += n * good * mine
                        known[x, 0, r] += n * sure_n * mine
            for q in range(priorities):
                for outcome in range(4):
                    n = by_stream[(cell * priorities + q) * 4 + outcome]
                    met[x, 1, q] += n * (outcome & 1)
                    known[x, 1, q] += n * (outcome >> 1)
    for k in range(periods):  # lo rises with k: hi is at least every earlier period's, and at least lo
        rows[k, 1] = max(rows[k, 1], rows[k - 1, 1] if k else 0, rows[k, 0])
    return counts, per_team, direct, by_team, met, known, rows, last


@njit(cache=True)
def queue_seconds(arrival: np.ndarray, start: np.ndarray, deadline: np.ndarray, horizon: float, t0: float,
                  t1: float, until: float, since: float, n: int = -1) -> float:
    """The items' seconds in a queue within [``t0``, ``t1``], summed: each item's from its arrival
    to its start (if it started before ``until``), else to its deadline or the horizon,
    whichever first; over the rows that arrived before ``until`` and left the queue (at their
    start, or their deadline if they never started) at or after ``since``, added in row order
    as np.sum adds them. (+inf and -inf: every row, as
    ``(clip(where(isfinite(start), start, minimum(deadline, horizon)), t0, t1) - clip(arrival, t0, t1)).sum()``;
    a calendar period's end and start: its rows of the copied window of tests/window_reference.py.)
    ``n``: how many rows those are, if already counted (:func:`window_tallies`' ``queued``), else -1.
    """
    if n < 0:
        n = 0
        for i in range(arrival.shape[0]):
            if arrival[i] < until and (start[i] if np.isfinite(start[i]) else deadline[i]) >= since:
                n += 1
    sizes, sums, block = _sum_plan(n)
    i = 0
    for k in range(sums.shape[0] if n else 0):  # fill each of numpy's blocks in a tight loop, then sum it
        fill = 0
        while fill < sizes[k]:
            a, s, d = arrival[i], start[i], deadline[i]
            i += 1
            if not (a < until and (s if np.isfinite(s) else d) >= since):
                continue
            left = s if s < until else min(d, horizon)
            block[fill] = min(max(left, t0), t1) - min(max(a, t0), t1)
            fill += 1
        sums[k] = _block_sum(block, fill)
    return _total(n, sums)


@njit(cache=True)
def reachable_in_time(arrival: np.ndarray, group: np.ndarray, priority: np.ndarray, wanted: int,
                      starts: np.ndarray, ends: np.ndarray, within: float, groups: int,
                      service: np.ndarray | None = None, carry_over: bool = False
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group: the items of priority ``wanted`` (``group`` ≥ 0), how many of them could start
    within ``within`` seconds of arriving, given when someone is on shift (at arrival if it falls
    in a staffed shift [``starts``, ``ends``), sorted by start, else at the next start), and how
    many could be assessed in time: ``(count, started, assessed)``.

    ``assessed`` is ``started`` without ``service``; with it (seconds of review per item), how many
    could *finish* within ``within``: from that start, the review runs on past the shift's end, or
    with ``carry_over`` stops there and goes on at the next shift's start (so a case longer than
    the window, or than the time on shift the window holds, cannot).

    The same counts as, over those items, ``k = searchsorted(starts, arrival, "right") - 1``,
    ``first = where((k >= 0) & (arrival < ends[k]), arrival, append(starts, inf)[k + 1])`` and
    ``bincount(group, weights=first - arrival < within)`` (as floats, with the item counts).
    """
    count = np.zeros(groups)
    started = np.zeros(groups)
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
            first, j = t, k
        elif k + 1 < n_starts:
            first, j = starts[k + 1], k + 1
        else:
            first, j = np.inf, n_starts
        if first - t < within:
            started[g] += 1.0
        if service is not None:
            left = service[i]
            while carry_over and j < n_starts and first + left > ends[j] and first - t < within:
                left -= ends[j] - first  # the rest waits for the next shift
                j += 1
                first = starts[j] if j < n_starts else np.inf
            first += left
            if first - t < within:
                hits[g] += 1.0
    return count, started, hits if service is not None else started


QUANTILE_BUCKETS = 1 << 16
"""Most buckets of the histogram :func:`quantiles` selects order statistics from (fewer for
fewer values: about 64 values a bucket, so that the histogram stays in cache)."""


@njit(cache=True)
def value_buckets(values: np.ndarray, low: float, scale: float, buckets: int) -> np.ndarray:
    """How many of ``values`` fall in each bucket ``min(int((v - low) × scale), buckets − 1)``.
    The bucket is a non-decreasing function of the value, so bucket ``b`` holds the order
    statistics from ``counts[:b].sum()`` on."""
    counts = np.zeros(buckets, dtype=np.int64)
    for i in range(values.shape[0]):
        counts[min(int((values[i] - low) * scale), buckets - 1)] += 1
    return counts


@njit(cache=True)
def bucket_members(values: np.ndarray, low: float, scale: float, buckets: int, slot: np.ndarray,
                   at: np.ndarray) -> np.ndarray:
    """The ``values`` of the buckets wanted (as :func:`value_buckets` numbers them; ``slot[b]``
    ≥ 0 for a wanted bucket ``b``, -1 for the others), in one pass: slot ``k``'s values, in
    their original order, are ``out[at[k]:at[k + 1]]``."""
    out = np.empty(at[-1])
    fill = at[:-1].copy()
    for i in range(values.shape[0]):
        k = slot[min(int((values[i] - low) * scale), buckets - 1)]
        if k >= 0:
            out[fill[k]] = values[i]
            fill[k] += 1
    return out


def quantiles(values: np.ndarray, q: tuple[float, ...], bounds: tuple[float, float] | None = None) -> list[float]:
    """``np.quantile(values, q)`` (the default, linear method) bit for bit, without reordering
    or copying ``values`` (finite floats; anything else goes to numpy itself). ``bounds``: the
    values' least and greatest (``values.min()``, ``values.max()``), if already known.

    The order statistics numpy's formula needs are found in a histogram of the values
    (:func:`value_buckets`, up to :data:`QUANTILE_BUCKETS` buckets between the least and the
    greatest); the values of the buckets holding them (:func:`bucket_members`, one pass) are
    partitioned. Then numpy's own interpolation, the same float operations in the same order:
    exact, not an approximation.
    """
    n = len(values)
    if n == 0:
        return [float("nan")] * len(q)
    low, high = (float(values.min()), float(values.max())) if bounds is None else bounds
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
        counts = value_buckets(values, low, scale, buckets)
        before = np.concatenate([[0], np.cumsum(counts)])
        holding = np.searchsorted(before, ranks, side="right") - 1  # the bucket holding each rank
        wanted = np.unique(holding)
        slot = np.full(buckets, -1, dtype=np.int64)
        slot[wanted] = np.arange(len(wanted))
        at = np.concatenate([[0], np.cumsum(counts[wanted])])
        members = bucket_members(values, low, scale, buckets, slot, at)
        value = {}
        for r, b in zip(ranks.tolist(), holding.tolist()):
            k = int(slot[b])
            value[r] = float(np.partition(members[at[k]:at[k + 1]], r - before[b])[r - before[b]])
    a = np.array([value[int(r)] for r in previous])
    b = np.array([value[int(r)] for r in following])
    difference = b - a  # numpy's _lerp
    result = np.add(a, difference * gamma)
    np.subtract(b, difference * (1 - gamma), out=result, where=gamma >= 0.5)
    return [float(v) for v in result]


# numpy (2.0 on) sums a float64 array pairwise: blocks of at most 128 values, each summed with
# eight accumulators, joined by halving the count (rounded down to a multiple of eight). The passes
# below add a row selection's values in that same order, so their sums are np.sum's bit for
# bit without first gathering the values into a new array. (numpy 1.x adds in another order: there
# they differ from its np.sum in the last bits, and are the same from run to run all the same.)

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
    """What a sum of ``n`` values taken in order needs: the sizes of numpy's blocks
    (then 0), one entry per block for its sum, and room for the block being filled: the
    caller fills block ``k`` with the next ``sizes[k]`` values, puts :func:`_block_sum` of it
    in ``sums[k]``, and joins them with :func:`_total`."""
    sizes = np.zeros(n // 32 + 3, dtype=np.int64)
    leaves = _pairwise_leaves(n, sizes) if n else 0
    return sizes, np.empty(max(leaves, 1)), np.empty(128)


@njit(cache=True)
def _total(n: int, sums: np.ndarray) -> float:
    """The sum of the ``n`` values taken (np.sum's, bit for bit; 0.0 for none)."""
    return _pairwise_join(n, sums) if n else 0.0
