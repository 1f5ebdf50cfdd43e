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

from capsim.passes import worked_values
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


def periods(rep: Replication, bounds: np.ndarray, rows: np.ndarray, lasts: np.ndarray) -> list[Measured]:
    """Each calendar period [``bounds[k]``, ``bounds[k + 1]``) of ``rep`` (seconds, consecutive, within
    the warm-up's end and the horizon), measured as the copied window of tests/window_reference.py
    gives it: ``rows[k]`` the range ``(lo, hi)`` holding its rows and ``lasts[k]`` the last eventual
    end or expiry of its rows, as :func:`capsim.passes.window_tallies` finds them."""
    items, after = rep.items, rep.after
    out = []
    for t0, t1, (lo, hi), last in zip(bounds[:-1].tolist(), bounds[1:].tolist(), rows.tolist(), lasts.tolist()):
        view = Items(**{name: getattr(items, name)[lo:hi] for name in Items.__dataclass_fields__})
        eventual_start, eventual_end = rep.eventual_start[lo:hi], rep.eventual_end[lo:hi]
        if t1 >= rep.horizon:  # the replication's own run-out: its rows in hand at the horizon
            keep = (after.in_hand >= lo) & (after.in_hand < hi)
            in_hand, left = after.in_hand[keep] - lo, after.left[keep]
        else:
            in_hand = np.flatnonzero((view.start < t1) & ~(eventual_end <= t1))
            left = np.minimum(eventual_end[in_hand] - t1, view.service[in_hand])
        last = last if np.isfinite(last) else t1
        seconds = max(last - t1, 0.0) if after.complete else after.stopped - t1
        out.append(Measured(items=view, lo=int(lo), t0=float(t0), t1=float(t1), until=float(t1), since=float(t0),
                            eventual_start=eventual_start, eventual_end=eventual_end, censored=rep.censored[lo:hi],
                            in_hand=in_hand, left=left, runout_seconds=float(seconds)))
    return out
