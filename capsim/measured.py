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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from capsim.passes import last_finished, team_of_started, window_bounds, worked_values
from capsim.records import Items, Replication


@dataclass(frozen=True)
class Measured:
    """The rows ``lo:hi`` of a replication and the rules of one measured window (see the module docstring).

    ``t0`` and ``t1`` are the window's start and end (the warm-up's end and the horizon for the
    whole run); ``eventual_start``, ``eventual_end`` and ``censored`` are the replication's, for
    these rows; ``in_hand`` (rows counted from ``lo``) were in assessment at ``t1`` with
    ``left`` seconds of it still to do; ``runout_seconds`` is how long after ``t1`` the last of
    the window's items finished or expired (:attr:`capsim.records.Runout.seconds`).
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

    @property
    def is_period(self) -> bool:
        """Whether this is a calendar period rather than the whole run."""
        return bool(np.isfinite(self.until))

    def worked(self, teams: int) -> tuple[np.ndarray, np.ndarray]:
        """Per row, its team if its assessment started in [``t0``, ``until``), else -1; and how many
        such rows each of the ``teams`` has (:func:`capsim.passes.team_of_started`)."""
        return team_of_started(self.items.start, self.items.team, self.t0, self.until, teams)

    def served(self, key: np.ndarray, counts: np.ndarray, by_team: bool
               ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """The review times of the rows started in the window (``key`` ≥ 0, ``counts`` of them per
        team: :meth:`worked`), in row order, and, with ``by_team``, grouped by team: ``(grouped,
        offsets)``, team ``t``'s in row order at ``grouped[offsets[t]:offsets[t + 1]]`` (else
        ``grouped`` is empty): one pass (:func:`capsim.passes.worked_values`)."""
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        every, grouped = np.empty(int(offsets[-1])), np.empty(int(offsets[-1]) if by_team else 0)
        worked_values(key, self.items.service, offsets, every, grouped)
        return every, (grouped, offsets)

    def work_seconds(self, rows: np.ndarray, served: np.ndarray | None = None) -> float:
        """Seconds of assessment done by ``t1`` on the started ``rows`` (a mask): their review
        times, less the work still to do at ``t1`` on items in hand (as
        the tests' reference). ``served``, if given, is
        ``service[rows]`` already gathered."""
        served = self.items.service[rows] if served is None else served
        return self._less_left(served, rows[self.in_hand])

    def team_work_seconds(self, key: np.ndarray, team: int | None, served: np.ndarray) -> float:
        """:meth:`work_seconds` of the rows whose ``key`` (:meth:`worked`) is ``team`` (None: any
        team, every row started in the window), ``served`` their review times already gathered
        (in row order, :meth:`served`)."""
        hand = key[self.in_hand]
        return self._less_left(served, hand >= 0 if team is None else hand == team)

    def _less_left(self, served: np.ndarray, in_hand: np.ndarray) -> float:
        """Seconds ``served`` less the work still to do at ``t1`` on the items in hand selected by
        ``in_hand`` (a mask over :attr:`in_hand`)."""
        return float(served.sum() - self.left[in_hand].sum())


def whole_run(rep: Replication) -> Measured:
    """The whole measured window of ``rep``: every row, from the warm-up's end to the horizon."""
    after = rep.after
    return Measured(items=rep.items, lo=0, t0=float(rep.warmup), t1=float(rep.horizon), until=np.inf, since=-np.inf,
                    eventual_start=rep.eventual_start, eventual_end=rep.eventual_end, censored=rep.censored,
                    in_hand=after.in_hand, left=after.left, runout_seconds=after.seconds)


def period(rep: Replication, t0: float, t1: float) -> Measured:
    """The calendar period [``t0``, ``t1``) of ``rep`` (seconds, within the warm-up's end and the
    horizon), measured as the copied window of tests/window_reference.py gives it."""
    items, after = rep.items, rep.after
    lo, hi = window_bounds(items.arrival, items.start, items.deadline, float(t0), float(t1))  # one compiled pass
    view = Items(**{name: getattr(items, name)[lo:hi] for name in Items.__dataclass_fields__})
    eventual_start, eventual_end = rep.eventual_start[lo:hi], rep.eventual_end[lo:hi]
    if t1 >= rep.horizon:  # the replication's own run-out: its rows in hand at the horizon
        keep = (after.in_hand >= lo) & (after.in_hand < hi)
        in_hand, left = after.in_hand[keep] - lo, after.left[keep]
    else:
        in_hand = np.flatnonzero((view.start < t1) & ~(eventual_end <= t1))
        left = np.minimum(eventual_end[in_hand] - t1, view.service[in_hand])
    last = last_finished(view.arrival, view.start, view.deadline, eventual_start, eventual_end, float(after.stopped),
                         float(t0), float(t1))
    last = last if np.isfinite(last) else t1
    seconds = max(last - t1, 0.0) if after.complete else after.stopped - t1
    return Measured(items=view, lo=int(lo), t0=float(t0), t1=float(t1), until=float(t1), since=float(t0),
                    eventual_start=eventual_start, eventual_end=eventual_end, censored=rep.censored[lo:hi],
                    in_hand=in_hand, left=left, runout_seconds=float(seconds))
