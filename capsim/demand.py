"""Arriving work: volume over time, and the items drawn from it, vectorized.

Time is in **seconds** from the scenario's start (midnight of ``clock.start``); rates are
**items per second**.

How arrivals are sampled (a non-homogeneous Poisson process, done right): time is cut into
cells of ``cell_seconds`` (at most an hour, and dividing both the hour and the time-series
step). In each cell the rate is held at its value at the cell's midpoint (growth curves
change over months, so the error is of order (cell / doubling time)²; the weekly pattern
is constant within a day, so it is exact); the count is Poisson with that mean, and the
arrival times are uniform within the cell. Items cleared by hash matching never become
rows: only their count is drawn, binomially, per cell.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from capsim.scenario import (
    Clock,
    GrowthExponential,
    GrowthLinear,
    GrowthLogistic,
    GrowthNone,
    GrowthTable,
    Scenario,
    Stream,
)
from capsim.units import SECONDS_PER_DAY, SECONDS_PER_YEAR

FLAG_AI = 1
"""Bit in an item's flags: AI-generated."""
FLAG_KNOWN = 2
"""Bit: already on a hash list (but reached a human, because matching is off or missed it)."""
FLAG_CRIMINAL = 4
"""Bit: criminal."""
FLAG_REALISTIC = 8
"""Bit: AI-generated, criminal and realistic enough to be treated as real imagery."""


def cell_seconds(clock: Clock) -> int:
    """Width of the arrival-sampling cell in seconds: the largest divisor of both 1 h and the step."""
    return math.gcd(3600, int(clock.step))


def seconds_after_start(when: dt.date | float, clock: Clock) -> float:
    """A date or a duration (seconds) as seconds after the clock's start."""
    if isinstance(when, dt.date):
        return (when - clock.start).days * SECONDS_PER_DAY
    return float(when)


def growth_factor(stream: Stream, clock: Clock, t: np.ndarray) -> np.ndarray:
    """Rate at times ``t`` (seconds) in items per second, before the weekly pattern."""
    g = stream.growth
    t = np.asarray(t, dtype=float)
    if isinstance(g, GrowthNone):
        return np.full_like(t, stream.rate)
    if isinstance(g, GrowthLinear):
        return stream.rate * np.maximum(0.0, 1.0 + g.increase_per_year * t / SECONDS_PER_YEAR)
    if isinstance(g, GrowthExponential):
        return stream.rate * np.exp2(t / g.doubling_time)
    if isinstance(g, GrowthLogistic):
        mid = seconds_after_start(g.midpoint, clock)
        s0 = 1.0 / (1.0 + math.exp(g.steepness * mid))
        st = 1.0 / (1.0 + np.exp(-g.steepness * (t - mid)))
        return stream.rate + (g.ceiling - stream.rate) * (st - s0) / (1.0 - s0)
    if isinstance(g, GrowthTable):
        xs = np.array([seconds_after_start(p.date, clock) for p in g.points])
        ys = np.array([p.rate for p in g.points])
        return np.interp(t, xs, ys)
    raise TypeError(f"unknown growth model {g!r}")


def weekday_factor(stream: Stream, clock: Clock, t: np.ndarray) -> np.ndarray:
    """The weekly pattern's multiplier at times ``t`` (seconds)."""
    factors = np.asarray(stream.weekly_factors())
    day = np.floor(np.asarray(t, dtype=float) / SECONDS_PER_DAY).astype(np.int64)
    return factors[(day + clock.start.weekday()) % 7]


def rate_at(stream: Stream, clock: Clock, t: np.ndarray) -> np.ndarray:
    """Arrival rate of ``stream`` at times ``t``, items per second."""
    return growth_factor(stream, clock, t) * weekday_factor(stream, clock, t)


def cell_means(stream: Stream, clock: Clock) -> np.ndarray:
    """Expected arrivals (excluding backlog and bursts) in each cell over the horizon."""
    width = cell_seconds(clock)
    n = int(math.ceil(clock.horizon / width))
    starts = np.arange(n, dtype=float) * width
    ends = np.minimum(starts + width, clock.horizon)
    return rate_at(stream, clock, (starts + ends) / 2) * (ends - starts)


def expected_count(stream: Stream, clock: Clock) -> float:
    """Expected number of items of ``stream`` arriving over the horizon, backlog and bursts included."""
    bursts = sum(b.items for b in stream.bursts if seconds_after_start(b.at, clock) < clock.horizon)
    return float(cell_means(stream, clock).sum()) + stream.initial_backlog + bursts


def expected_reviewed(scenario: Scenario) -> int:
    """How many items of a replication reach a human: the expected number plus six
    standard deviations, so that the item table can be sized once."""
    hashing = scenario.tooling.hash_matching
    total = 0.0
    for stream in scenario.demand:
        cleared = stream.mix.known * hashing.match_rate if hashing.enabled else 0.0
        mean = expected_count(stream, scenario.clock) * (1 - cleared)
        total += mean + 6 * mean**0.5
    return int(total) + 1024


@dataclass
class ArrivalBatch:
    """Items that reach a human queue in one batch window, sorted by arrival time (seconds)."""

    arrival: np.ndarray
    flags: np.ndarray
    service: np.ndarray
    deadline: np.ndarray
    stream: np.ndarray

    def __len__(self) -> int:
        return len(self.arrival)


class StreamSource:
    """Draws the arrivals of one stream, batch by batch, from its own random streams.

    ``rngs`` maps each name in :data:`STAGES` to a generator, so that changing one stage
    leaves the draws of the others unchanged.
    """

    def __init__(self, scenario: Scenario, index: int, rngs: dict[str, np.random.Generator]):
        self.stream = scenario.demand[index]
        self.index = index
        self.clock = scenario.clock
        self.width = cell_seconds(self.clock)
        self.means = cell_means(self.stream, self.clock)
        self.review = scenario.review[self.stream.unit]
        hashing = scenario.tooling.hash_matching
        self.match_rate = hashing.match_rate if hashing.enabled else 0.0
        self.rngs = rngs
        self.cleared_per_cell = np.zeros(len(self.means), dtype=np.int64)
        self.arrived_per_cell = np.zeros(len(self.means), dtype=np.int64)
        self._lumps = self._lump_arrivals()

    def _lump_arrivals(self) -> list[tuple[float, int]]:
        """Initial backlog (at time zero) and bursts, as (time, count), in time order."""
        lumps = [(0.0, self.stream.initial_backlog)] if self.stream.initial_backlog else []
        for burst in self.stream.bursts:
            at = seconds_after_start(burst.at, self.clock)
            if 0 <= at < self.clock.horizon and burst.items:
                lumps.append((at, burst.items))
        return sorted(lumps)

    def draw(self, t0: float, t1: float) -> ArrivalBatch:
        """Items of this stream arriving in [t0, t1) that reach a human, with their attributes.

        ``t0`` and ``t1`` must fall on cell boundaries (the engine's batches are whole days).
        """
        first, last = int(t0 // self.width), min(int(math.ceil(t1 / self.width)), len(self.means))
        counts = self.rngs["arrivals"].poisson(self.means[first:last])
        reviewed = counts - self._clear(counts)
        self.arrived_per_cell[first:last] += counts
        self.cleared_per_cell[first:last] += counts - reviewed
        cell_starts = np.arange(first, last, dtype=float) * self.width
        offsets = sorted_uniforms(reviewed, self.rngs["arrivals"]) * self.width
        arrival = np.minimum(np.repeat(cell_starts, reviewed) + offsets, self.clock.horizon)
        lumps = []
        for at, n in self._lumps:
            if t0 <= at < t1:
                kept = n - int(self._clear(np.array([n]))[0])
                cell = int(at // self.width)
                self.arrived_per_cell[cell] += n
                self.cleared_per_cell[cell] += n - kept
                lumps.append(np.full(kept, at))
        if lumps:
            arrival = np.sort(np.concatenate([arrival, *lumps]))
        n = len(arrival)
        return ArrivalBatch(
            arrival=arrival,
            flags=self._flags(n),
            service=draw_review_times(self.review, n, self.rngs["review"]),
            deadline=self._deadlines(arrival),
            stream=np.full(n, self.index, dtype=np.int16),
        )

    def _clear(self, counts: np.ndarray) -> np.ndarray:
        """How many of ``counts`` arrivals hash matching clears: binomial, never item by item."""
        if self.match_rate == 0.0 or self.stream.mix.known == 0.0:
            return np.zeros_like(counts)
        return self.rngs["clearing"].binomial(counts, self.stream.mix.known * self.match_rate)

    def _flags(self, n: int) -> np.ndarray:
        """Attribute bits for ``n`` reviewed items (known is conditional on not being cleared).

        Each attribute has its own random stream, so changing one share leaves the draws of
        the others unchanged (common random numbers across scenarios).
        """
        mix = self.stream.mix
        # P(known | not cleared) = k (1 - m) / (1 - k m), for known share k and match rate m.
        k, m = mix.known, self.match_rate
        p_known = k * (1 - m) / (1 - k * m) if k * m < 1 else 0.0
        ai = bernoulli(mix.ai_generated, n, self.rngs["ai"])
        criminal = bernoulli(mix.criminal, n, self.rngs["criminal"])
        flags = ai * np.uint8(FLAG_AI)
        flags |= bernoulli(p_known, n, self.rngs["known"]) * np.uint8(FLAG_KNOWN)
        flags |= criminal * np.uint8(FLAG_CRIMINAL)
        flags |= (ai & criminal & bernoulli(mix.realistic, n, self.rngs["realistic"])) * np.uint8(FLAG_REALISTIC)
        return flags

    def _deadlines(self, arrival: np.ndarray) -> np.ndarray:
        """Time (seconds) at which each item expires if not yet taken; +inf without a ttl."""
        ttl = self.stream.ttl
        if ttl is None:
            return np.full(len(arrival), np.inf)
        if ttl.dist == "fixed":
            return arrival + ttl.mean
        return arrival + self.rngs["ttl"].exponential(ttl.mean, len(arrival))


STAGES = ("arrivals", "clearing", "ai", "known", "criminal", "realistic", "review", "ttl")
"""The stochastic stages of a stream; each draws from its own random stream."""


def bernoulli(p: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` yes/no draws with probability ``p``, as booleans (no draw at all if p is 0 or 1)."""
    if p <= 0.0:
        return np.zeros(n, dtype=bool)
    if p >= 1.0:
        return np.ones(n, dtype=bool)
    return rng.random(n) < p


def sorted_uniforms(counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each cell ``k``, ``counts[k]`` uniform draws on [0, 1) in increasing order, cells in turn.

    Uses the exponential-spacings identity: the order statistics of c uniforms are
    distributed as the partial sums of c + 1 standard exponentials divided by their total.
    That costs linear time, where sorting would cost c log c.
    """
    counts = np.asarray(counts, dtype=np.int64)
    if counts.sum() == 0:
        return np.zeros(0)
    spacings = rng.standard_exponential(int(counts.sum()) + len(counts))
    running = np.cumsum(spacings)
    last = np.cumsum(counts + 1) - 1  # index of each cell's closing spacing
    total = running[last]
    before = np.concatenate([[0.0], total[:-1]])
    cell = np.repeat(np.arange(len(counts)), counts + 1)
    fraction = (running - before[cell]) / (total - before)[cell]
    keep = np.ones(len(fraction), dtype=bool)
    keep[last] = False
    return fraction[keep]


def draw_review_times(review, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` review durations in seconds from a :class:`~capsim.scenario.ReviewTime`."""
    if review.dist == "deterministic":
        return np.full(n, review.mean)
    if review.dist == "exponential":
        return rng.exponential(review.mean, n)
    if review.dist == "lognormal":
        sigma2 = math.log1p(review.cv**2)
        return rng.lognormal(math.log(review.mean) - sigma2 / 2, math.sqrt(sigma2), n)
    if review.dist == "gamma":
        shape = 1.0 / review.cv**2
        return rng.gamma(shape, review.mean / shape, n)
    if review.dist == "empirical":
        return rng.choice(np.asarray(review.values, dtype=float), n)
    raise ValueError(f"unknown review distribution {review.dist!r}")
