"""The compiled loop that moves a team's queue between two decision points.

Between two decision points (an arrival batch, a shift start) nothing about the system
changes except what this loop decides, so it runs as one compiled function over numpy
arrays instead of one simpy event per item.

Rules it applies (times in seconds):

* An analyst is *eligible* at time ``f`` (when they are next free) while ``f`` is before the
  end of their shift and before the window's end, and their exposure today is below their cap.
* The eligible analyst free earliest decides next (ties: lower index first). They take the
  waiting item of the highest priority that has arrived by then, first come first served
  within a priority (non-preemptive) — or, in earliest-deadline order, the waiting item whose
  due time (arrival + its priority's SLA window) comes first. If nothing is waiting they take
  the next item to arrive, if it arrives before their shift ends and within the window.
* An analyst takes only the priorities their shift pattern serves (on-call cover that takes
  urgent items only); the others wait for someone who serves them.
* An item whose deadline has passed when it would be taken has expired: it is skipped,
  and never costs analyst time (expiry at the deadline, whether or not anyone looked).
* A started item is finished, even past the end of the shift or the exposure cap: shift
  end and cap only stop an analyst from *starting* another item. For a team that carries
  work over (tasks measured in hours), the part of an item that does not fit in the shift
  waits for the analyst's next shift instead (:meth:`capsim.engine.TeamQueue.start_shift`).

Set the environment variable ``NUMBA_DISABLE_JIT=1`` to run the same code as plain Python.

Why it is one module (about 500 lines): the loop and the bookkeeping around it read and
write the same queue rooms and item columns, in a layout described once, here.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _heap_push(keys: np.ndarray, ids: np.ndarray, size: int, key: float, ident: int) -> int:
    """Add (key, ident) to a binary min-heap ordered by key, then ident; return the new size."""
    pos = size
    keys[pos] = key
    ids[pos] = ident
    while pos > 0:
        parent = (pos - 1) >> 1
        if keys[parent] < keys[pos] or (keys[parent] == keys[pos] and ids[parent] < ids[pos]):
            break
        keys[parent], keys[pos] = keys[pos], keys[parent]
        ids[parent], ids[pos] = ids[pos], ids[parent]
        pos = parent
    return size + 1


@njit(cache=True)
def _sift_down(keys: np.ndarray, ids: np.ndarray, size: int) -> None:
    """Restore the heap order after the top entry (keys[0], ids[0]) was replaced."""
    key = keys[0]
    ident = ids[0]
    pos = 0
    while True:
        left = 2 * pos + 1
        if left >= size:
            break
        child = left
        if left + 1 < size:  # the smaller child, chosen without a branch (which would be a coin toss)
            kr = keys[left + 1]
            kl = keys[left]
            child = left + np.int64((kr < kl) | ((kr == kl) & (ids[left + 1] < ids[left])))
        kc = keys[child]
        if key < kc or (key == kc and ident < ids[child]):
            break
        keys[pos] = kc  # the child moves up; the entry is written once, where it stops
        ids[pos] = ids[child]
        pos = child
    keys[pos] = key
    ids[pos] = ident


@njit(cache=True)
def _heap_pop(keys: np.ndarray, ids: np.ndarray, size: int) -> int:
    """Remove the heap's top entry; return the new size."""
    size -= 1
    keys[0] = keys[size]
    ids[0] = ids[size]
    _sift_down(keys, ids, size)
    return size


SCAN_SEATS = 64
"""A team of at most this many seats finds its next analyst to decide by scanning every seat's
free time (seconds; +inf for a seat not deciding, :func:`_earliest`), which takes fewer steps
than a heap for a few dozen seats; a larger team keeps a binary heap of (free time, seat)
(:func:`_heap_push`). Both give the analyst free earliest, ties to the lower seat: the same
choices, so the same results. Measured on whole replications of an M/M/c queue at utilisation
0.85 (2 M items, 2026-11-26): with the scan 17-20% faster at 25-50 seats, 5% at 100, 44% slower at 200."""


@njit(cache=True, inline="always")
def _earliest(keys: np.ndarray) -> int:
    """The seat with the least of ``keys``, ties to the lower seat."""
    best = 0
    least = keys[0]
    for a in range(1, len(keys)):
        if keys[a] < least:
            least = keys[a]
            best = a
    return best


@njit(cache=True, inline="always")
def _retire(keys: np.ndarray, ids: np.ndarray | None, size: int, a: int) -> int:
    """Seat ``a``, the one deciding (the heap's top), decides no more in this window; return how
    many still do. ``ids`` None: ``keys`` holds one free time per seat (:data:`SCAN_SEATS`), else a heap."""
    if ids is None:
        keys[a] = np.inf
        return size - 1
    return _heap_pop(keys, ids, size)


@njit(cache=True, inline="always")
def _decide_again(keys: np.ndarray, ids: np.ndarray | None, size: int, a: int, at: float) -> None:
    """Seat ``a``, the one deciding (the heap's top), decides again when free at ``at`` (seconds)."""
    if ids is None:
        keys[a] = at
    else:
        keys[0] = at  # re-sort the top only
        _sift_down(keys, ids, size)


def seat_heap(seats: int) -> np.ndarray | None:
    """:func:`assign`'s ``ids`` for a team of ``seats``: None (it scans its seats) for at most
    :data:`SCAN_SEATS`, else room for its heap of the seats deciding."""
    return None if seats <= SCAN_SEATS else np.empty(seats, dtype=np.int64)


@njit(cache=True)
def assign(
    t_end: float,
    arrival: np.ndarray,
    service: np.ndarray,
    deadline: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    taken_by: np.ndarray,
    queue: np.ndarray,
    qbase: np.ndarray,
    qhead: np.ndarray,
    qtail: np.ndarray,
    qrank: np.ndarray,
    free_at: np.ndarray,
    shift_end: np.ndarray,
    exposure: np.ndarray,
    cap: np.ndarray,
    pace: np.ndarray,
    carry_over: bool,
    remaining: np.ndarray,
    in_hand: np.ndarray,
    serves: np.ndarray,
    earliest_deadline: bool,
    qdue: np.ndarray,
    ids: np.ndarray | None,
) -> int:
    """Assign queued items to analysts for every decision before ``t_end``; return how many started.

    ``queue[qbase[q] + qhead[q]:qbase[q] + qtail[q]]`` holds the ids of the items waiting in
    queue ``q``, in arrival order (each queue has its own room in ``queue``, from ``qbase[q]``); ``qrank[q]`` is the queue's priority (0 first; queues are in rank order,
    and several queues — items from different sources — may share a rank, in which case the
    earliest arrival among them goes first). Per item: ``arrival`` and ``deadline`` are
    read, ``start``, ``end`` and ``taken_by`` written, and ``service`` (the review time at
    standard pace) is replaced by the time the review actually took. Per analyst: ``free_at``
    (when they finish their item in hand), ``shift_end``, ``exposure`` (seconds reviewed this
    shift), ``cap`` (exposure cap, seconds; +inf for none) and ``pace`` (review time
    multiplier: 1 at full productivity, more while new) are read, and updated in place.
    With ``carry_over``, an item that would run past the shift's end stops there: its end
    stays +inf, and the analyst's ``remaining`` work (seconds) and ``in_hand`` item are set
    for their next shift.

    ``serves[a]`` is a bit mask of the priority ranks analyst ``a`` takes (-1: all). With
    ``earliest_deadline`` the analyst takes the waiting item with the smallest arrival +
    ``qdue[q]`` (its queue's SLA window, seconds; +inf after all others), ties to the earlier
    arrival, then the lower queue; otherwise strict priority order.

    ``ids``: room for a heap of the analysts deciding (:func:`seat_heap`), or None for a team of
    at most :data:`SCAN_SEATS`, which scans its seats instead: compiled once for each, so that
    neither loop tests which.
    """
    n_analysts = free_at.shape[0]
    n_queues = len(qhead)
    keys = np.empty(n_analysts, dtype=np.float64)
    size = 0
    for a in range(n_analysts):
        deciding = free_at[a] < t_end and free_at[a] < shift_end[a] and exposure[a] < cap[a]
        if ids is None:
            keys[a] = free_at[a] if deciding else np.inf
            size += deciding
        elif deciding:
            size = _heap_push(keys, ids, size, free_at[a], a)
    live = np.empty(n_queues, dtype=np.int64)  # the queues holding items: an empty one stays empty in this call
    n_live = 0
    for q in range(n_queues):
        if qhead[q] < qtail[q]:
            live[n_live] = q
            n_live += 1
    started = 0
    while size > 0:
        if ids is None:
            a = _earliest(keys)
            f = keys[a]
        else:
            a = ids[0]
            f = keys[0]
        limit = min(shift_end[a], t_end)
        chosen = -1
        while True:
            next_arrival = np.inf
            best_due = np.inf
            best_arrival = np.inf
            for k in range(n_live):
                q = live[k]
                if chosen >= 0 and not earliest_deadline and qrank[q] > qrank[chosen]:
                    break  # a higher-priority item is already waiting
                if not (serves[a] >> qrank[q]) & 1:
                    continue  # a priority this analyst does not take
                h = qhead[q]
                while h < qtail[q]:
                    item = queue[qbase[q] + h]
                    if arrival[item] > f:
                        if arrival[item] < next_arrival:
                            next_arrival = arrival[item]
                        break
                    if deadline[item] <= f:
                        h += 1  # expired while waiting
                        continue
                    due = arrival[item] + qdue[q] if earliest_deadline else arrival[item]
                    if chosen < 0 or due < best_due or (due == best_due and arrival[item] < best_arrival):
                        chosen = q
                        best_due = due
                        best_arrival = arrival[item]
                    break
                qhead[q] = h
            if chosen >= 0 or next_arrival >= limit:
                break
            f = next_arrival  # idle until the next item arrives
        if chosen < 0:
            size = _retire(keys, ids, size, a)  # nothing this analyst can start in this window
            continue
        item = queue[qbase[chosen] + qhead[chosen]]
        qhead[chosen] += 1
        took = service[item] * pace[a]
        service[item] = took
        start[item] = f
        taken_by[item] = a
        done = f + took
        started += 1
        if carry_over and done > shift_end[a]:
            remaining[a] = done - shift_end[a]  # the rest waits for the next shift
            in_hand[a] = item
            exposure[a] += shift_end[a] - f
            free_at[a] = shift_end[a]
            size = _retire(keys, ids, size, a)
            continue
        end[item] = done
        free_at[a] = done
        exposure[a] += took
        if done < limit and exposure[a] < cap[a]:
            _decide_again(keys, ids, size, a, done)  # the same analyst decides again when free
        else:
            size = _retire(keys, ids, size, a)
    return started


# --------------------------------------------------------------------------- bookkeeping between decision points
# Compiled for the same reason as the loop above: they run at every decision point, on a few
# thousand items, where a dozen numpy calls would cost more in overhead than in work.


@njit(cache=True)
def finished_by(
    t: float,
    unfinished: np.ndarray,
    queue: np.ndarray,
    qbase: np.ndarray,
    heads: np.ndarray,
    qhead: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The items of one team that finished by ``t``, in order of ``end`` (ties in the order
    below), and those started but not finished by then.

    The items looked at are ``unfinished`` (started, not known to have finished), then those
    taken from each queue ``q`` since the last decision point, ``heads[q]:qhead[q]`` of its room
    in ``queue`` (from ``qbase[q]``, as :func:`assign` reads it)
    (queues in turn), less those that expired unstarted (``start`` +inf); an item has
    finished when its ``end`` (seconds) is at or before ``t``.
    """
    n = len(unfinished)
    for q in range(len(qhead)):
        n += qhead[q] - heads[q]
    seen = np.empty(n, dtype=np.int64)
    seen[:len(unfinished)] = unfinished
    m = len(unfinished)
    for q in range(len(qhead)):
        for h in range(heads[q], qhead[q]):
            seen[m] = queue[qbase[q] + h]
            m += 1
    finished = np.empty(n, dtype=np.int64)
    pending = np.empty(n, dtype=np.int64)
    done = 0
    waiting = 0
    for item in seen:
        if not np.isfinite(start[item]):
            continue  # expired while waiting
        if end[item] <= t:
            finished[done] = item
            done += 1
        else:
            pending[waiting] = item
            waiting += 1
    finished = finished[:done]
    return finished[_stable_order(end[finished])], pending[:waiting].copy()


INSERTION_MOVES = 64
""":func:`_stable_order` sorts by insertion while it has moved at most this many entries per
entry on average, then by merge sort."""


@njit(cache=True)
def _stable_order(keys: np.ndarray) -> np.ndarray:
    """The indices that sort ``keys``, ties in their order: by insertion, which is fast when
    few keys are far from their place (a team's finished items, taken in order of start, end
    near that order), or, past :data:`INSERTION_MOVES` moves per key, by a stable merge sort."""
    n = len(keys)
    ranked = keys.copy()  # sorted along with the order: no indirect loads
    order = np.arange(n)
    budget = INSERTION_MOVES * n
    for i in range(1, n):
        key = ranked[i]
        o = order[i]
        j = i - 1
        while j >= 0 and ranked[j] > key:
            ranked[j + 1] = ranked[j]
            order[j + 1] = order[j]
            j -= 1
        ranked[j + 1] = key
        order[j + 1] = o
        budget -= i - 1 - j
        if budget < 0:
            return np.argsort(keys, kind="mergesort")
    return order


@njit(cache=True)
def refer_rows(
    finished: np.ndarray,
    bits: np.ndarray,
    wanted: np.ndarray,
    shares: np.ndarray,
    draws: np.ndarray,
    own: np.ndarray,
    to: int,
    first: int,
    arrival: np.ndarray,
    deadline: np.ndarray,
    end: np.ndarray,
    flags: np.ndarray,
    stream: np.ndarray,
    team: np.ndarray,
    priority: np.ndarray,
    parent: np.ndarray,
) -> tuple[int, int]:
    """Refer on the ``finished`` items that a list of rules sends to team ``to``, as new rows
    of the item table from row ``first`` on (written in place; the table must have room for
    every finished item), in the order of ``finished``.

    Each item is decided by the first rule ``k`` it matches (``flags & bits[k] == wanted[k]``),
    and referred if there are no ``draws`` (every share is 1) or its draw (uniform on [0, 1),
    one per finished item, in turn) is below ``shares[k]``. Its new row arrives at the item's
    ``end`` (seconds), never expires (``deadline`` +inf), keeps its ``flags`` and ``stream``,
    has ``parent`` the item and the item's ``priority`` unless the rule sets its own
    (``own[k]``, -1 for none); ``start``, ``end`` and ``analyst`` keep the table's defaults,
    and ``service`` is left to the caller. Returns how many rows were written and their one
    priority (-1 if they have several).
    """
    row = first
    level = -2
    for i in range(len(finished)):
        item = finished[i]
        k = _referring_rule(flags[item], i, bits, wanted, shares, draws)
        if k < 0:
            continue
        p = own[k] if own[k] >= 0 else priority[item]
        arrival[row] = end[item]
        deadline[row] = np.inf
        flags[row] = flags[item]
        stream[row] = stream[item]
        team[row] = to
        priority[row] = p
        parent[row] = item
        level = p if level == -2 or level == p else -1
        row += 1
    return row - first, level


@njit(cache=True, inline="always")
def _referring_rule(item_flags: int, i: int, bits: np.ndarray, wanted: np.ndarray, shares: np.ndarray,
                    draws: np.ndarray) -> int:
    """The rule that refers the ``i``-th finished item, of flags ``item_flags``, as :func:`refer_rows`
    decides it: the first it matches, if its draw is below the rule's share; -1 for none."""
    for k in range(len(bits)):
        if item_flags & bits[k] == wanted[k]:
            return k if len(draws) == 0 or draws[i] < shares[k] else -1
    return -1


@njit(cache=True)
def referred_count(finished: np.ndarray, bits: np.ndarray, wanted: np.ndarray, shares: np.ndarray,
                   draws: np.ndarray, flags: np.ndarray) -> int:
    """How many of the ``finished`` items :func:`refer_rows` would refer (writing nothing)."""
    n = 0
    for i in range(len(finished)):
        n += _referring_rule(flags[finished[i]], i, bits, wanted, shares, draws) >= 0
    return n


@njit(cache=True)
def still_pending(pending: np.ndarray, start: np.ndarray, end: np.ndarray, deadline: np.ndarray, t: float) -> np.ndarray:
    """The items of ``pending`` (in their order) that by time ``t`` (seconds) have neither ended
    (``end`` < +inf) nor expired unstarted (``start`` not finite and ``deadline`` at or before ``t``)."""
    kept = np.empty(len(pending), dtype=np.int64)
    m = 0
    for item in pending:
        if end[item] < np.inf or (not np.isfinite(start[item]) and deadline[item] <= t):
            continue
        kept[m] = item
        m += 1
    return kept[:m].copy()


@njit(cache=True)
def first_of_each(values: np.ndarray, counts: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """The first ``kept[k]`` of each block of ``counts[k]`` ``values`` (blocks in turn), one after
    another: the arrival offsets of the items that reach a human (:func:`capsim.demand.first_of_blocks`)."""
    out = np.empty(kept.sum())
    at = 0
    taken = 0
    for k in range(len(counts)):
        out[taken:taken + kept[k]] = values[at:at + kept[k]]
        taken += kept[k]
        at += counts[k]
    return out


@njit(cache=True)
def sort_cells(values: np.ndarray, sizes: np.ndarray, lows: np.ndarray, width: float) -> None:
    """Sort ``values`` in place, cell by cell: cell ``k`` is the next ``sizes[k]`` values, each cell's
    values no lower than the cell before's, so that the whole array comes out sorted
    (:meth:`capsim.demand.StreamSource.draw`'s arrival times).

    Any values come out sorted; the work is linear, on average, when each cell's values spread
    evenly over [``lows[k]``, ``lows[k] + width``) (seconds), as arrival times drawn uniformly
    within their cell do: a counting pass puts them in as many buckets as there are values,
    and an insertion pass orders each bucket's few. About 7 ns a value against numpy's sort's
    40 on 77-value cells.
    """
    if values.shape[0] == 0:
        return
    room = np.empty(sizes.max())
    bucket = np.empty(sizes.max(), dtype=np.int64)
    starts = np.empty(sizes.max() + 1, dtype=np.int64)
    at = 0
    for k in range(sizes.shape[0]):
        n = sizes[k]
        if n > 1:
            scale = n / width
            starts[:n + 1] = 0
            for j in range(n):
                bucket[j] = min(max(int((values[at + j] - lows[k]) * scale), 0), n - 1)
                starts[bucket[j] + 1] += 1
            for b in range(n):
                starts[b + 1] += starts[b]
            for j in range(n):
                room[starts[bucket[j]]] = values[at + j]
                starts[bucket[j]] += 1
            for j in range(1, n):  # the buckets in turn, each bucket's values ordered
                v = room[j]
                m = j - 1
                while m >= 0 and room[m] > v:
                    room[m + 1] = room[m]
                    m -= 1
                room[m + 1] = v
            values[at:at + n] = room[:n]
        at += n


@njit(cache=True)
def screen_windows(
    rng: np.random.Generator,
    counts: np.ndarray,
    bounds: np.ndarray,
    known_share: float,
    match_rate: float,
    recirculation: float,
    listed_share: float,
    spot_check: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Hash matching's binomial draws on item counts, window by window (window ``w``'s counts are
    ``counts[bounds[w]:bounds[w + 1]]``): of each count, ``known_share`` are known, of which
    ``match_rate`` are matched; of the rest, ``recirculation`` are copies, of which ``listed_share``
    (at most 1) are matched; ``spot_check`` of everything matched is still sent to a human.

    The draws are those of numpy's ``rng.binomial`` called on a window's counts for each stage in
    turn (a stage whose share is 0 draws nothing), then on the next window's: numba's binomial is
    numpy's algorithm, drawing the same numbers, so the counts are bit for bit those of that loop
    (:meth:`capsim.demand.StreamSource._screen`), without a numpy call per window and stage.
    Returns how many of each count reach a human, and per window how many of those are known."""
    n = len(counts)
    known = np.empty(n, dtype=np.int64)
    matched = np.empty(n, dtype=np.int64)
    copies = np.zeros(n, dtype=np.int64)
    copies_matched = np.zeros(n, dtype=np.int64)
    spot = np.zeros(n, dtype=np.int64)
    reviewed = np.empty(n, dtype=np.int64)
    known_reviewed = np.zeros(len(bounds) - 1, dtype=np.int64)
    listed = min(listed_share, 1.0)
    for w in range(len(bounds) - 1):
        lo = bounds[w]
        hi = bounds[w + 1]
        for i in range(lo, hi):
            known[i] = rng.binomial(counts[i], known_share)
        for i in range(lo, hi):
            matched[i] = rng.binomial(known[i], match_rate)
        if recirculation != 0.0:
            for i in range(lo, hi):
                copies[i] = rng.binomial(counts[i] - known[i], recirculation)
        if listed_share > 0.0:
            for i in range(lo, hi):
                copies_matched[i] = rng.binomial(copies[i], listed)
        if spot_check != 0.0:
            for i in range(lo, hi):
                spot[i] = rng.binomial(matched[i] + copies_matched[i], spot_check)
        for i in range(lo, hi):
            reviewed[i] = counts[i] - (matched[i] + copies_matched[i]) + spot[i]
            known_reviewed[w] += known[i] - matched[i] + spot[i]
    return reviewed, known_reviewed


@njit(cache=True)
def merge_windows(arrival: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The order in which to admit several streams' arrivals drawn over consecutive windows.

    ``arrival`` holds the streams' items one stream after another, stream ``s``'s from
    ``starts[s]``, each stream's in time order and window by window (``sizes[s, w]`` items in
    window ``w``). Returns indices into ``arrival``: window by window, and within a window by
    arrival time, ties to the lower stream — a stable sort by (window, arrival).
    """
    streams, windows = sizes.shape
    order = np.empty(len(arrival), dtype=np.int64)
    at = starts.copy()
    stop = starts.copy()
    out = 0
    for w in range(windows):
        for s in range(streams):
            stop[s] = at[s] + sizes[s, w]
        while True:
            best = -1
            for s in range(streams):
                if at[s] < stop[s] and (best < 0 or arrival[at[s]] < arrival[at[best]]):
                    best = s
            if best < 0:
                break
            order[out] = at[best]
            at[best] += 1
            out += 1
    return order


@njit(cache=True)
def come_on_duty(
    lo: int,
    hi: int,
    present: np.ndarray,
    busy: np.ndarray,
    shift_pace: np.ndarray,
    begin: float,
    end: float,
    free_at: np.ndarray,
    shift_end: np.ndarray,
    exposure: np.ndarray,
    pace: np.ndarray,
) -> tuple[np.ndarray, float]:
    """Start a shift on seats ``lo:hi`` (its pattern's): each analyst ``present`` comes on duty
    until ``end``, free once their item in hand and ``busy`` (seconds mentoring from ``begin``)
    allow, exposure counter at zero, at the shift's ``shift_pace``; the absent are off duty
    (``shift_end`` -inf). Returns the seats present, in order, and the latest ``shift_end`` of
    every seat (-inf if none is on duty)."""
    seats = np.empty(hi - lo, dtype=np.int64)
    m = 0
    for a in range(lo, hi):
        if present[a]:
            free_at[a] = max(free_at[a], begin + busy[a])
            shift_end[a] = end
            exposure[a] = 0.0
            pace[a] = shift_pace[a]
            seats[m] = a
            m += 1
        else:
            shift_end[a] = -np.inf
    latest = -np.inf
    for a in range(len(shift_end)):
        latest = max(latest, shift_end[a])
    return seats[:m], latest


TEAM_FREE_AT, TEAM_SHIFT_END, TEAM_EXPOSURE, TEAM_PACE = 11, 12, 13, 15
"""Where :func:`assign_through_shifts` finds the analysts' columns that :func:`come_on_duty` sets
among its ``team`` (:func:`assign`'s arguments after ``t_end``)."""


@njit(cache=True)
def assign_through_shifts(t_end: float, shift_start: np.ndarray, shift_stop: np.ndarray, present: np.ndarray,
                          busy: np.ndarray, shift_pace: np.ndarray, seat_lo: np.ndarray, seat_hi: np.ndarray,
                          shift: int, duty_end: float, *team) -> tuple[int, float]:
    """:func:`assign` up to ``t_end`` (``team``: its arguments after ``t_end``, ``carry_over``
    False) for a team whose work never carries over a shift's end, its shifts ``shift``,
    ``shift + 1``, … that start before ``t_end`` coming on duty on the way, each as its roster
    would bring it: every decision before the shift's start first, then :func:`come_on_duty`
    (the shift's ``shift_start`` and ``shift_stop``, seconds; its row of ``present``, ``busy``
    and ``shift_pace``; its seats ``seat_lo[k]:seat_hi[k]``). So one call does what a decision
    point at each of those starts would. ``duty_end``: the latest end of a shift on duty so far.
    Returns the first shift not yet on duty and the latest end of a shift on duty."""
    while shift < shift_start.shape[0] and shift_start[shift] < t_end:
        begin = shift_start[shift]
        assign(begin, *team)
        _, duty_end = come_on_duty(seat_lo[shift], seat_hi[shift], present[shift], busy[shift], shift_pace[shift],
                                   begin, shift_stop[shift], team[TEAM_FREE_AT], team[TEAM_SHIFT_END],
                                   team[TEAM_EXPOSURE], team[TEAM_PACE])
        shift += 1
    assign(t_end, *team)
    return shift, duty_end
