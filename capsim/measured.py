"""What one measurement covers: the whole measured window of a replication, or one calendar
period of it, as views of the replication's own columns (no copies).

A calendar period [t0, t1) is measured as if the run had been measured over it alone — the
warm-up ending at t0 and the horizon at t1 (the copied window of tests/window_reference.py, the tests' reference) — but
without copying its rows: the metrics' compiled passes read the rows ``lo:hi`` that hold the
window's rows, and apply the window's rules themselves: a row arriving at or after ``until``
is left out, a start at or after ``until`` counts as not started, and a row that left the
queue before ``since`` (at its start, or its deadline if it never started) is outside the
window. For the whole run ``until`` is +inf and ``since`` -inf: every row, as recorded.
Times are seconds from the scenario's start.

**Hours are the work done in the window**, not as if measured alone: the review time of the
assessments started in it, less the work still to do at t1 on those in hand then, plus the
work done in it on the assessments started after the run's warm-up but before t0 and still in
hand at t0 (:attr:`Measured.earlier`). An assessment's work is done from its start to its end;
one carried over shifts (``carry_over``) is done piece by piece, each piece from its shift's
start (the first from the assessment's start). So a review running past t1 counts up to t1
in its period and the rest in the next, and the periods' hours add up to the whole run's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from capsim.passes import worked_values
from capsim.records import Items, Replication


@dataclass(frozen=True)
class Measured:
    """The rows ``lo:hi`` of a replication and the rules of one measured window (see the module docstring).

    ``t0`` and ``t1`` are the window's start and end (the warm-up's end and the horizon for the
    whole run); ``eventual_start``, ``eventual_end`` and ``censored`` are the replication's, for
    these rows; ``in_hand`` (rows counted from ``lo``) were in assessment at ``t1`` with
    ``left`` seconds of it still to do; ``runout_seconds`` is how long after ``t1`` the last of
    the window's items finished or expired (:attr:`capsim.records.Runout.seconds`); ``earlier``
    are the rows (copied) whose assessment started after the run's warm-up but before ``t0``
    and was still in hand at ``t0``, and ``earlier_done`` the seconds of their work done in
    [``t0``, ``t1``) (none for the whole run, or for the first period).
    """

    items: Items
    lo: int
    t0: float
    t1: float
    until: float
    since: float
    eventual_start: np.ndarray
    eventual_end: np.ndarray
    censored: np.ndarray
    in_hand: np.ndarray
    left: np.ndarray
    runout_seconds: float
    earlier: Items
    earlier_done: np.ndarray

    @property
    def is_period(self) -> bool:
        """Whether this is a calendar period rather than the whole run."""
        return bool(np.isfinite(self.until))

    def worked(self, counts: np.ndarray, by_team: bool) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """In one pass (:func:`capsim.passes.worked_values`): per row, its team if its assessment
        started in [``t0``, ``until``), else -1 (``key``); the review times of those rows, in row
        order; and, with ``by_team``, the same grouped by team: ``(grouped, offsets)``, team ``t``'s
        in row order at ``grouped[offsets[t]:offsets[t + 1]]`` (else ``grouped`` is empty).
        ``counts``: how many such rows each team has (the window's assessments per team,
        :func:`capsim.passes.window_tallies`)."""
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        key = np.empty(len(self.items), dtype=np.int16)
        every, grouped = np.empty(int(offsets[-1])), np.empty(int(offsets[-1]) if by_team else 0)
        worked_values(self.items.start, self.items.team, self.items.service, self.t0, self.until, offsets, key, every,
                      grouped)
        return key, every, (grouped, offsets)

    def work_seconds(self, rows: np.ndarray, earlier: np.ndarray) -> float:
        """Seconds of assessment done in the window on the ``rows`` started in it (a mask) and
        on the :attr:`earlier` rows selected by ``earlier`` (a mask over them): the review times
        of ``rows``, less the work still to do at ``t1`` on those in hand, plus the
        :attr:`earlier_done` of ``earlier``."""
        return self._work(self.items.service[rows], rows[self.in_hand], earlier)

    def team_work_seconds(self, key: np.ndarray, team: int | None, served: np.ndarray) -> float:
        """:meth:`work_seconds` of the rows whose ``key`` (:meth:`worked`) is ``team`` (None: any
        team, every row started in the window) and of the :attr:`earlier` rows of that team,
        ``served`` the review times of the first already gathered (in row order, :meth:`worked`)."""
        hand = key[self.in_hand]
        if team is None:
            return self._work(served, hand >= 0, np.ones(len(self.earlier), dtype=bool))
        return self._work(served, hand == team, self.earlier.team == team)

    def _work(self, served: np.ndarray, in_hand: np.ndarray, earlier: np.ndarray) -> float:
        """Seconds ``served`` less the work still to do at ``t1`` on the items in hand selected by
        ``in_hand`` (a mask over :attr:`in_hand`), plus the :attr:`earlier_done` selected by
        ``earlier`` (a mask over :attr:`earlier`)."""
        return float(served.sum() - self.left[in_hand].sum()) + float(self.earlier_done[earlier].sum())


def work_left(rep: Replication, rows: np.ndarray, t: float) -> np.ndarray:
    """Seconds of the assessments of ``rows`` (row numbers, each started before ``t``) still to do
    at ``t`` (seconds): 0 for those ended by then. At or after the horizon, the run-out's ``left``
    (:class:`capsim.records.Runout`). Before it, a review done in one sitting has its end − ``t``
    left; one carried over shifts (``rep.carried``) the parts after ``t`` of its pieces, each
    done from its shift's start (the first from the review's start), those on the run-out's
    shifts after the horizon whole. A review carried over whose analyst never came back on duty
    to carry it on (no pieces, no end) counts as all still to do."""
    items, after = rep.items, rep.after
    if t >= rep.horizon:
        if not len(after.in_hand):
            return np.zeros(len(rows))
        at = np.minimum(np.searchsorted(after.in_hand, rows), len(after.in_hand) - 1)  # ``in_hand`` ascends
        return np.where(after.in_hand[at] == rows, after.left[at], 0.0)
    left = np.clip(items.end[rows] - t, 0.0, items.service[rows])
    order = np.argsort(rows)
    for plan, pieces in zip(rep.shifts, rep.carried):
        pieces = pieces[np.isin(pieces["item"], rows)]
        if not len(pieces):
            continue
        shift = pieces["shift"]
        begun = np.where(shift < len(plan.start), plan.start[np.minimum(shift, len(plan.start) - 1)], np.inf)
        begun = np.maximum(begun, items.start[pieces["item"]])
        row = order[np.searchsorted(rows[order], pieces["item"])]
        left[row] = 0.0
        np.add.at(left, row, np.clip(begun + pieces["seconds"] - t, 0.0, pieces["seconds"]))
    return left


def whole_run(rep: Replication) -> Measured:
    """The whole measured window of ``rep``: every row, from the warm-up's end to the horizon."""
    after = rep.after
    return Measured(items=rep.items, lo=0, t0=float(rep.warmup), t1=float(rep.horizon), until=np.inf, since=-np.inf,
                    eventual_start=rep.eventual_start, eventual_end=rep.eventual_end, censored=rep.censored,
                    in_hand=after.in_hand, left=after.left, runout_seconds=after.seconds,
                    earlier=_rows(rep.items, np.zeros(0, dtype=np.int64)), earlier_done=np.zeros(0))


def _rows(items: Items, rows: np.ndarray) -> Items:
    """Copies of the ``rows`` of ``items`` (row numbers)."""
    return Items(**{name: getattr(items, name)[rows] for name in Items.__dataclass_fields__})


def periods(rep: Replication, bounds: np.ndarray, rows: np.ndarray, lasts: np.ndarray) -> list[Measured]:
    """Each calendar period [``bounds[k]``, ``bounds[k + 1]``) of ``rep`` (seconds, consecutive, from
    the warm-up's end, within the horizon), measured as the copied window of tests/window_reference.py
    gives it but for its hours (the work done in it: see the module docstring): ``rows[k]`` the
    range ``(lo, hi)`` holding its rows and ``lasts[k]`` the last eventual end or expiry of its
    rows, as :func:`capsim.passes.window_tallies` finds them."""
    items, after = rep.items, rep.after
    out = []
    # the rows in hand at t0 whose assessment started after the warm-up, and the work they had left then
    earlier, before = np.zeros(0, dtype=np.int64), np.zeros(0)
    for t0, t1, (lo, hi), last in zip(bounds[:-1].tolist(), bounds[1:].tolist(), rows.tolist(), lasts.tolist()):
        view = Items(**{name: getattr(items, name)[lo:hi] for name in Items.__dataclass_fields__})
        eventual_start, eventual_end = rep.eventual_start[lo:hi], rep.eventual_end[lo:hi]
        if t1 >= rep.horizon:  # the replication's own run-out: its rows in hand at the horizon
            keep = (after.in_hand >= lo) & (after.in_hand < hi)
            in_hand, left = after.in_hand[keep] - lo, after.left[keep]
        else:
            in_hand = np.flatnonzero((view.start < t1) & ~(eventual_end <= t1))
            left = work_left(rep, in_hand + lo, t1)
        still = work_left(rep, earlier, t1)
        last = last if np.isfinite(last) else t1
        seconds = max(last - t1, 0.0) if after.complete else after.stopped - t1
        out.append(Measured(items=view, lo=int(lo), t0=float(t0), t1=float(t1), until=float(t1), since=float(t0),
                            eventual_start=eventual_start, eventual_end=eventual_end, censored=rep.censored[lo:hi],
                            in_hand=in_hand, left=left, runout_seconds=float(seconds),
                            earlier=_rows(items, earlier), earlier_done=before - still))
        # the next period's earlier rows: those still in hand at t1, and this period's own in hand then
        kept, own = ~(items.end[earlier] <= t1), view.start[in_hand] >= t0
        earlier = np.concatenate([earlier[kept], in_hand[own] + lo])
        before = np.concatenate([still[kept], left[own]])
    return out
