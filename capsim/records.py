"""Per-item records in numpy columns, and what is measured from them.

Only items that reach a human become rows; items cleared automatically are counted per
arrival cell. Times are seconds from the scenario's start. An item's outcome is not stored
but follows from its times, at the horizon ``T``:

* **assessed** — its assessment started before ``T`` (``start < inf``; an item in hand at
  ``T`` counts as assessed; its ``end`` is known unless its work carries over past ``T``);
* **expired** — never started and its deadline passed by ``T``;
* **waiting** — neither: still in the queue at ``T``.
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

BYTES_PER_ITEM = sum(d.itemsize for d in COLUMNS.values()) + 8
"""Memory per reviewed item: its row plus its place in a queue (bytes)."""


class ItemTable:
    """Growable columns of item records; ``self.arrival[:len(self)]`` and so on are live."""

    def __init__(self, capacity: int = 1024):
        self.size = 0
        for name, dtype in COLUMNS.items():
            setattr(self, name, np.empty(capacity, dtype=dtype))

    def __len__(self) -> int:
        return self.size

    def append(self, **columns: np.ndarray) -> np.ndarray:
        """Add rows (missing columns get ``start`` and ``end`` +inf, -1 for ``analyst`` and ``parent``); return their ids."""
        n = len(columns["arrival"])
        self._reserve(self.size + n)
        rows = slice(self.size, self.size + n)
        for name in COLUMNS:
            target = getattr(self, name)
            if name in columns:
                target[rows] = columns[name]
            else:
                target[rows] = np.inf if name in ("start", "end") else -1
        ids = np.arange(self.size, self.size + n, dtype=np.int64)
        self.size += n
        return ids

    def _reserve(self, needed: int) -> None:
        capacity = len(self.arrival)
        if needed <= capacity:
            return
        capacity = max(needed, 2 * capacity)
        for name in COLUMNS:
            old = getattr(self, name)
            new = np.empty(capacity, dtype=old.dtype)
            new[: self.size] = old[: self.size]
            setattr(self, name, new)

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
