"""The reference for measuring a calendar period: a copy of a replication's rows as if the run
had been measured over [t0, t1) alone, written with plain numpy masks from the documented rules,
not with the compiled passes that :mod:`capsim.measured` uses to read the same period in place.

Rules: the rows are those that arrived before ``t1`` and were still in a queue at ``t0`` or
arrived after it (rows that had left every queue before ``t0`` change no measure of the
period; a row leaves its queue at its start, or at its deadline if it never started). Each
row's state is as at ``t1`` — started if it started before ``t1``, expired if its deadline
passed by then — and what happened after ``t1`` is its run-out: every row's eventual start
and end are the replication's. Work in hand at ``t1`` counts up to ``t1``: the rest of its
review time (up to its eventual end) is the run-out's ``left``. Cells and shifts are kept
whole (the metrics cut them by time). With ``t1`` the horizon, the run-out's rows in hand and
their ``left`` are the replication's own. Times are seconds from the scenario's start.
"""

from __future__ import annotations

import numpy as np

from capsim.records import Items, Replication, Runout


def copied_window(rep: Replication, t0: float, t1: float) -> Replication:
    """``rep`` as if it had been measured over [``t0``, ``t1``) (seconds, within the warm-up's
    end and the horizon), its rows copied: the warm-up ending at ``t0`` and the horizon at ``t1``."""
    items, after = rep.items, rep.after
    left_queue = np.where(np.isfinite(items.start), items.start, items.deadline)
    rows = np.flatnonzero((items.arrival < t1) & (left_queue >= t0))
    start, end = items.start[rows], rep.eventual_end[rows]
    by_t1 = start < t1
    eventual_start = rep.eventual_start[rows]
    view = Items(
        arrival=items.arrival[rows], service=items.service[rows], deadline=items.deadline[rows],
        start=np.where(by_t1, start, np.inf), end=np.where(by_t1, end, np.inf),
        analyst=np.where(by_t1, items.analyst[rows], -1).astype(items.analyst.dtype),
        team=items.team[rows], stream=items.stream[rows], priority=items.priority[rows], flags=items.flags[rows],
        parent=items.parent[rows])

    def position(of: np.ndarray) -> np.ndarray:  # rows of the full table → rows of the copy (-1: not in it)
        if len(rows) == 0:
            return np.full(len(of), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(rows, of), len(rows) - 1)  # ``rows`` ascend
        return np.where(rows[at] == of, at, -1)

    ids = np.flatnonzero(~by_t1)
    if t1 >= rep.horizon:  # the replication's own run-out
        in_hand = position(after.in_hand)
        left = after.left[in_hand >= 0]
        in_hand = in_hand[in_hand >= 0]
    else:
        in_hand = np.flatnonzero(by_t1 & ~(end <= t1))
        left = np.minimum(end[in_hand] - t1, view.service[in_hand])
    finished = np.concatenate([end[np.isfinite(end)], view.deadline[~np.isfinite(eventual_start)
                                                                     & (view.deadline <= after.stopped)]])
    last = float(finished.max()) if len(finished) else t1
    runout = Runout(ids=ids, start=eventual_start[ids], end=end[ids], in_hand=in_hand, left=left,
                    stopped=after.stopped, complete=after.complete,
                    seconds=max(last - t1, 0.0) if after.complete else after.stopped - t1)
    carried = []
    for pieces in rep.carried:
        moved = position(pieces["item"])
        pieces = pieces[moved >= 0].copy()
        pieces["item"] = moved[moved >= 0]
        carried.append(pieces)
    cells = int(np.ceil(t1 / rep.cell_seconds))
    return Replication(items=view, horizon=t1, warmup=t0, cell_seconds=rep.cell_seconds,
                       arrived_per_cell=rep.arrived_per_cell[:, :cells],
                       cleared_per_cell=rep.cleared_per_cell[:, :cells], stream_team=rep.stream_team,
                       shifts=rep.shifts, runout=runout, carried=carried)


def work_seconds(rep: Replication, rows: np.ndarray) -> float:
    """Seconds of assessment done by the horizon on the started ``rows`` (a boolean mask): their
    review times, less the work still to do at the horizon on the items in hand."""
    after = rep.after
    return float(rep.items.service[rows].sum() - after.left[rows[after.in_hand]].sum())
