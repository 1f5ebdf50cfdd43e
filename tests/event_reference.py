"""An independent event-by-event model of one team, written from the documented rules
(docs/model.md, "Queues and analysts") and not from the engine's code, for the validity tests.

Rules: analysts work the given shift windows (all of them, every shift: no shrinkage). An
analyst starts an item only while on shift and below the exposure cap (hours reviewed this
shift, counted in full as each item starts); an item in hand is always finished. When an
analyst is free, the waiting item of the highest priority (0 first) that arrived first is
taken; of several free analysts, the one free earliest (then the lowest index) takes it. An
item whose deadline passes before anyone takes it expires and is never reviewed.

Arrivals are drawn here too, by other methods than the engine's: exponential gaps for a
constant rate, and thinning for a changing one. Times are in seconds.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable

import numpy as np

DAY = 86400.0


def poisson_arrivals(rate: float, horizon: float, rng: np.random.Generator) -> np.ndarray:
    """Arrival times (seconds) of a Poisson process of ``rate`` per second on [0, horizon), by exponential gaps."""
    times = np.cumsum(rng.exponential(1 / rate, int(rate * horizon + 10 * math.sqrt(rate * horizon) + 100)))
    assert times[-1] >= horizon
    return times[times < horizon]


def thinned_arrivals(rate: Callable[[np.ndarray], np.ndarray], top: float, horizon: float,
                     rng: np.random.Generator) -> np.ndarray:
    """Arrival times of a non-homogeneous Poisson process of ``rate(t)`` ≤ ``top`` per second, by thinning."""
    candidates = poisson_arrivals(top, horizon, rng)
    return candidates[rng.random(len(candidates)) * top < rate(candidates)]


def weekday_shifts(days: int, begin_hour: float, hours: float, weekdays: set[int]) -> list[tuple[float, float]]:
    """Shift windows (start, end) on the given weekdays (0 = the first day), one a day."""
    return [(d * DAY + begin_hour * 3600, d * DAY + (begin_hour + hours) * 3600)
            for d in range(days) if d % 7 in weekdays]


def simulate_team(arrival: np.ndarray, service: np.ndarray, priority: np.ndarray, deadline: np.ndarray,
                  shifts: list[tuple[float, float]], headcount: int, horizon: float,
                  cap: float = math.inf) -> np.ndarray:
    """Start time of each item (+inf if not started before ``horizon``), event by event.

    ``arrival`` must be sorted; ``shifts`` are (start, end) windows, in order, not overlapping.
    """
    ARRIVE, FREE, SHIFT = 2, 1, 0  # at equal times: a shift starts, then analysts free up, then arrivals
    events: list[tuple[float, int, int]] = [(s, SHIFT, k) for k, (s, _) in enumerate(shifts)]
    events += [(float(t), ARRIVE, i) for i, t in enumerate(arrival)]
    heapq.heapify(events)
    start = np.full(len(arrival), math.inf)
    free_at = [0.0] * headcount
    exposure = [0.0] * headcount
    busy = [False] * headcount
    queues = [deque() for _ in range(int(priority.max()) + 1 if len(priority) else 1)]
    shift_end = -math.inf

    def next_item(t: float) -> int:
        for queue in queues:
            while queue and deadline[queue[0]] <= t:
                queue.popleft()  # expired while waiting
            if queue:
                return queue.popleft()
        return -1

    while events:
        t, kind, what = heapq.heappop(events)
        if t >= horizon:
            break
        if kind == SHIFT:
            shift_end = shifts[what][1]
            for a in range(headcount):
                exposure[a] = 0.0
                if not busy[a]:
                    free_at[a] = max(free_at[a], t)
        elif kind == FREE:
            busy[what] = False
        else:
            queues[priority[what]].append(what)
        if t >= shift_end:
            continue
        while True:
            ready = [a for a in range(headcount) if not busy[a] and exposure[a] < cap]
            if not ready:
                break
            item = next_item(t)
            if item < 0:
                break
            a = min(ready, key=lambda b: (free_at[b], b))
            start[item] = t
            busy[a] = True
            exposure[a] += service[item]
            free_at[a] = t + service[item]
            heapq.heappush(events, (free_at[a], FREE, a))
    return start


def simulate_rostered_team(arrival: np.ndarray, service: np.ndarray, priority: np.ndarray,
                           analyst_shifts: list[list[tuple[float, float]]], horizon: float, cap: float = math.inf,
                           due: list[float] | None = None, serves: list[set[int]] | None = None) -> np.ndarray:
    """Start time of each item (+inf if not started before ``horizon``), event by event, for a
    team whose analysts each work their own shift windows (several shift patterns, which may
    overlap), sharing one set of queues. No expiry.

    ``analyst_shifts[a]`` lists analyst ``a``'s (start, end) windows in order; ``serves[a]``
    the priorities they take (default all). Order: strict priority (0 first, then first come
    first served) or, with ``due`` (seconds per priority; +inf for none), the waiting item with
    the smallest arrival + due[priority], ties to the earlier arrival. Of several analysts who
    can start something, the one free earliest (then the lowest index) goes first; an analyst
    starts an item only on shift and below the exposure cap for the shift (counted in full as
    each item starts).
    """
    SHIFT, FREE, ARRIVE = 0, 1, 2
    n_analysts = len(analyst_shifts)
    events: list[tuple[float, int, int, int]] = [(s, SHIFT, a, k) for a, windows in enumerate(analyst_shifts)
                                                 for k, (s, _) in enumerate(windows)]
    events += [(float(t), ARRIVE, i, 0) for i, t in enumerate(arrival)]
    heapq.heapify(events)
    levels = int(priority.max()) + 1 if len(priority) else 1
    queues = [deque() for _ in range(levels)]
    start = np.full(len(arrival), math.inf)
    free_at, exposure = [0.0] * n_analysts, [0.0] * n_analysts
    shift_end, busy = [-math.inf] * n_analysts, [False] * n_analysts
    allowed = serves or [set(range(levels))] * n_analysts

    def pick(a: int) -> int:
        heads = [(p, queues[p][0]) for p in range(levels) if queues[p] and p in allowed[a]]
        if not heads:
            return -1
        if due is None:
            p, _ = heads[0]
        else:
            p, _ = min(heads, key=lambda h: (arrival[h[1]] + due[h[0]], arrival[h[1]], h[0]))
        return queues[p].popleft()

    while events:
        t, kind, what, k = heapq.heappop(events)
        if t >= horizon:
            break
        if kind == SHIFT:
            shift_end[what] = analyst_shifts[what][k][1]
            exposure[what] = 0.0
            free_at[what] = max(free_at[what], t)
        elif kind == FREE:
            busy[what] = False
        else:
            queues[priority[what]].append(what)
        while True:
            ready = sorted((free_at[a], a) for a in range(n_analysts)
                           if not busy[a] and t < shift_end[a] and exposure[a] < cap)
            for _, a in ready:
                item = pick(a)
                if item >= 0:
                    break
            else:
                break
            start[item] = t
            busy[a] = True
            exposure[a] += service[item]
            free_at[a] = t + service[item]
            heapq.heappush(events, (free_at[a], FREE, a, 0))
    return start
