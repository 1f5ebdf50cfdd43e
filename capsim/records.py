"""Per-item records in numpy columns, and what is measured from them.

Only items that reach a human become rows; items cleared automatically are counted per
arrival cell. Times are seconds from the scenario's start. An item's outcome is not stored
but follows from its times, at the horizon ``T``:

* **assessed** — its assessment started before ``T`` (``start < inf``; an item in hand at
  ``T`` counts as assessed; its ``end`` is when it eventually ended, possibly after ``T``);
* **expired** — never started and its deadline passed by ``T``;
* **waiting** — neither: still in the queue at ``T``.

The columns describe the system **at the horizon**. After it the engine runs out the work
already arrived (no new arrivals, the same rosters) so that every item's eventual wait is
known; what happened then is kept apart, in :class:`Runout`, and read through
:attr:`Replication.eventual_start` and :attr:`Replication.eventual_end`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

COLUMNS: dict[str, np.dtype] = {
    "arrival": np.dtype(np.float64),
    "service": np.dtype(np.float64),
    "deadline": np.dtype(np.float64),
    "start": np.dtype(np.float64),
    "end": np.dtype(np.float64),
    "analyst": np.dtype(np.int32),
    "team": np.dtype(np.int16),
    "stream": np.dtype(np.int16),
    "priority": np.dtype(np.int8),
    "flags": np.dtype(np.uint8),
    "parent": np.dtype(np.int64),
}
"""The item table's columns and types: seconds for times, indices for the rest."""

BYTES_PER_ITEM = sum(d.itemsize for d in COLUMNS.values()) + 8 + 16
"""Memory per reviewed item: its row, its place in a queue and its eventual start and end (bytes)."""

DEFAULTS: dict[str, float] = {"start": np.inf, "end": np.inf, "analyst": -1, "parent": -1}
"""What a new row holds in a column not given (:meth:`ItemTable.append`): not started, not
ended, no analyst, and no parent (it arrived from a stream, not referred by another team)."""

REQUIRED = frozenset(COLUMNS).difference(DEFAULTS)
"""The columns every new row must be given."""


def _column(capacity: int, name: str) -> np.ndarray:
    """An empty item column of ``capacity`` rows, holding its default if it has one."""
    if name in DEFAULTS:
        return np.full(capacity, DEFAULTS[name], dtype=COLUMNS[name])
    return np.empty(capacity, dtype=COLUMNS[name])


class ItemTable:
    """Growable columns of item records; ``self.arrival[:len(self)]`` and so on are live.

    The rows past the live ones already hold :data:`DEFAULTS` (filled when the table is
    sized), so adding a row writes only the columns given."""

    def __init__(self, capacity: int = 1024):
        self.size = 0
        for name, dtype in COLUMNS.items():
            setattr(self, name, _column(capacity, name))

    def __len__(self) -> int:
        return self.size

    @property
    def capacity(self) -> int:
        """Rows the columns have room for without growing."""
        return len(self.arrival)

    def append(self, take: np.ndarray | None = None, **columns: np.ndarray | float) -> np.ndarray:
        """Add rows and return their ids. Every column of :data:`COLUMNS` but those of
        :data:`DEFAULTS` must be given; a column given as a scalar holds that value on every
        new row, and one not given keeps its default.

        With ``take`` (row indices), the rows added are ``columns[name][take]``, gathered
        straight into the table (the columns must then have the table's types).
        """
        missing = REQUIRED.difference(columns)
        if missing:
            raise ValueError(f"ItemTable.append: no values for {sorted(missing)}")
        n = len(columns["arrival"] if take is None else take)
        start = self.room(n)
        for name, values in columns.items():
            target = getattr(self, name)[start:start + n]
            if take is None or np.ndim(values) == 0:
                target[...] = values
            else:
                values.take(take, out=target, mode="clip")  # "clip": no buffered copy
        return self.add(n)

    def room(self, n: int) -> int:
        """Make room for ``n`` more rows and return the id of the first: a caller may write
        them in place (their default columns already hold :data:`DEFAULTS`), then :meth:`add` them."""
        self._reserve(self.size + n)
        return self.size

    def add(self, n: int) -> np.ndarray:
        """Count the next ``n`` rows, written in place after :meth:`room`, as live; return their ids."""
        ids = np.arange(self.size, self.size + n, dtype=np.int64)
        self.size += n
        return ids

    def _reserve(self, needed: int) -> None:
        capacity = self.capacity
        if needed <= capacity:
            return
        capacity = max(needed, 2 * capacity)
        for name in COLUMNS:
            new = _column(capacity, name)
            new[: self.size] = getattr(self, name)[: self.size]
            setattr(self, name, new)

    def waiting_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Rows not started (still queued, or expired) now, and their review times at standard pace."""
        ids = np.flatnonzero(~np.isfinite(self.start[: self.size]))
        return ids, self.service[ids].copy()

    def close_at_horizon(self, rows: int, waiting: tuple[np.ndarray, np.ndarray], in_hand: np.ndarray,
                         left: np.ndarray, horizon: float, stopped: float, complete: bool) -> "Runout":
        """After the run-out: keep what happened to the ``waiting`` rows (from :meth:`waiting_rows`
        at the horizon) in a :class:`Runout`, put the table back as it was at the horizon, and
        drop the rows added after it (referrals made during the run-out)."""
        ids, service = waiting
        start, end = self.start[ids].copy(), self.end[ids].copy()
        self.start[ids] = np.inf
        self.end[ids] = np.inf
        self.analyst[ids] = -1
        self.service[ids] = service
        for name, default in DEFAULTS.items():  # the rows dropped are free again
            getattr(self, name)[rows:self.size] = default
        self.size = rows
        expired = ~np.isfinite(start) & (self.deadline[ids] <= stopped)
        done = np.concatenate([end[np.isfinite(end)], self.deadline[ids][expired], self.end[in_hand]])
        last = float(done.max()) if len(done) else horizon
        seconds = max(last - horizon, 0.0) if complete else stopped - horizon
        return Runout(ids=ids, start=start, end=end, in_hand=in_hand, left=left, stopped=stopped,
                      complete=complete, seconds=seconds)

    def frozen(self) -> "Items":
        """The live rows as a record set (views of the columns, not copies)."""
        return Items(**{name: getattr(self, name)[: self.size] for name in COLUMNS})


@dataclass
class Items:
    """Item records of one replication (see module docstring for outcomes)."""

    arrival: np.ndarray
    service: np.ndarray
    deadline: np.ndarray
    start: np.ndarray
    end: np.ndarray
    analyst: np.ndarray
    team: np.ndarray
    stream: np.ndarray
    priority: np.ndarray
    flags: np.ndarray
    parent: np.ndarray

    def __len__(self) -> int:
        return len(self.arrival)

    @property
    def direct(self) -> np.ndarray:
        """Items that arrived from a stream (not referred on by another team)."""
        return self.parent < 0

    @cached_property
    def started(self) -> np.ndarray:
        """Items whose assessment started before the horizon."""
        return np.isfinite(self.start)

    @property
    def wait(self) -> np.ndarray:
        """Arrival to start of assessment, seconds (inf if never started)."""
        return self.start - self.arrival

    def expired_by(self, t: float) -> np.ndarray:
        """Items that had expired unassessed by time ``t``."""
        return ~self.started & (self.deadline <= t)

    def outcome(self, horizon: float) -> np.ndarray:
        """Per item: "assessed", "expired" or "waiting" at the horizon."""
        out = np.full(len(self), "waiting", dtype=object)
        out[self.expired_by(horizon)] = "expired"
        out[self.started] = "assessed"
        return out


@dataclass(frozen=True)
class Runout:
    """The run-out after the horizon: the work already arrived, finished with no new arrivals
    and the same rosters, so that every item's eventual wait is known.

    ``ids`` are the rows still waiting at the horizon (expired ones included); ``start`` and
    ``end`` their eventual start and end of assessment (seconds; +inf if never started:
    expired, or still waiting when the run-out stopped). ``in_hand`` are the rows in
    assessment at the horizon and ``left`` the seconds of their work still to do then.
    ``stopped`` is when the run-out stopped; ``complete`` says whether by then every item had
    finished or expired (False: it stopped at its limit, and the waits of the items still
    waiting are censored there); ``seconds`` is how long after the horizon the last of them
    finished or expired (the limit, if not complete).
    """

    ids: np.ndarray
    start: np.ndarray
    end: np.ndarray
    in_hand: np.ndarray
    left: np.ndarray
    stopped: float
    complete: bool
    seconds: float

    @classmethod
    def none(cls, horizon: float) -> "Runout":
        """No run-out: every row's outcome is final at the horizon (records built by hand)."""
        empty = np.zeros(0)
        return cls(ids=empty.astype(np.int64), start=empty, end=empty, in_hand=empty.astype(np.int64), left=empty,
                   stopped=horizon, complete=True, seconds=0.0)


CARRIED_PIECE = np.dtype([("item", np.int64), ("shift", np.int64), ("seconds", np.float64)])
"""A piece of a carried-over item's work (``carry_over`` teams): the item, the index of the
team's shift it was done on, and its seconds; an item carried over has one piece per shift."""


@dataclass
class Replication:
    """Everything one replication produced: item rows, cleared counts and shifts."""

    items: Items
    horizon: float
    warmup: float
    cell_seconds: int
    arrived_per_cell: np.ndarray  # (streams × cells), all arrivals incl. cleared
    cleared_per_cell: np.ndarray  # (streams × cells)
    stream_team: np.ndarray  # team index of each stream
    shifts: list = field(default_factory=list)  # ShiftPlan per team
    runout: Runout | None = None  # None: records built without a run-out
    carried: list = field(default_factory=list)  # per team: CARRIED_PIECE rows of work carried over shifts

    @property
    def after(self) -> Runout:
        """The run-out (an empty one if there was none)."""
        return self.runout if self.runout is not None else Runout.none(self.horizon)

    def _eventual(self, column: np.ndarray, values: np.ndarray) -> np.ndarray:
        """``column`` with the run-out's ``values`` on its rows; read-only, and not a copy when
        nothing was waiting at the horizon (no full-length copy to write for nothing)."""
        if len(self.after.ids):
            full = column.copy()
            full[self.after.ids] = values
        else:
            full = column.view()
        full.flags.writeable = False
        return full

    @cached_property
    def eventual_start(self) -> np.ndarray:
        """Per row: when its assessment started, by the horizon or in the run-out (+inf: never)."""
        return self._eventual(self.items.start, self.after.start)

    @cached_property
    def eventual_end(self) -> np.ndarray:
        """Per row: when its assessment ended, by the horizon or in the run-out (+inf: never)."""
        return self._eventual(self.items.end, self.after.end)

    @cached_property
    def censored(self) -> np.ndarray:
        """Rows whose wait is unknown: still waiting, unexpired, when the run-out stopped at its limit."""
        after = self.after
        return ~np.isfinite(self.eventual_start) & (self.items.deadline > after.stopped)

