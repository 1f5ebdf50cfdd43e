"""Growth curves fitted to yearly published series, ready for a scenario's ``growth:`` section.

Two models, both in the form :mod:`capsim.scenario` uses:

- **exponential**: ``v(t) = v_ref · exp(r (t − t_ref))``, fitted by least squares on
  ``log v``; the doubling time ``ln 2 / r`` gets a confidence interval from the t-interval
  of the slope ``r``. If that interval reaches zero or below, the data cannot rule out no
  growth at all, and the upper end of the doubling time is unbounded (``math.inf``).
- **logistic**: ``v(t) = K / (1 + exp(−s (t − t_mid)))`` with a ceiling ``K`` (same unit as
  the series), a midpoint year ``t_mid`` (steepest growth) and a steepness ``s`` per year,
  fitted with :func:`scipy.optimize.curve_fit`; intervals come from its covariance.

Years are numbers (``2024``, or ``2024.5``); values are yearly totals (reports a year,
say). When a fitted year is written as a date, a figure for year ``Y`` is taken to describe
the middle of calendar year ``Y``: year coordinate ``Y`` ↔ 2 July of ``Y``.

A third method serves series of only two yearly **counts**, where a regression has no
degrees of freedom left:

- **count ratio** (:func:`fit_count_ratio`): the two counts are taken as independent
  Poisson counts; given their total, the later one is binomial, so an exact
  (Clopper–Pearson) interval for its share gives an interval for the ratio of the two
  yearly rates, hence for the annual growth factor and the doubling time. The curve is
  still exponential; only the interval is built differently. Real report counts vary
  more than Poisson counts do, so this interval is a lower bound on the uncertainty.

Two more uses of the same fits:

- **pooled** (:func:`fit_pooled`): several short series of one kind (the IWF's 2023-2024 AI
  reports and 2024-2025 realistic AI reports, :data:`AI_REPORT_SERIES`) give one growth rate by
  a random-effects (DerSimonian-Laird) meta-analysis of their log growth rates;
- **back-tests** (:func:`backtest`): fit without the last year(s) and predict them with a
  prediction interval (:func:`prediction_interval`), saying whether each held-out value falls inside.

Every exponential model shares one skeleton (:func:`doubling_years`, :func:`doubling_interval`,
``_DoublingTime``, ``_SeriesGrowth``): a model only says how it gets its rate and interval. The
module is long because the fits, their published series and their checks are one idea, read
together; each part is a section below.

``known_series()`` names the published yearly series in the figures table that can be
fitted; every value comes from the table by figure id. :func:`fit_series` fits one of them
by name with the method its length allows (two points: count ratio; three: exponential;
four or more: exponential, or logistic on request).

    >>> fit = fit_exponential([2020, 2021, 2022, 2023], [100, 200, 400, 800])
    >>> fit.to_fragment()
    {'model': 'exponential', 'doubling_time': '365d'}
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import math
import warnings
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from scipy.special import betaincinv, ndtri, stdtrit  # quantiles as scipy.stats computes them, without its second of import

DAYS_PER_YEAR = 365.25
"""Days in a year, as in :mod:`capsim.units`."""
LN2 = math.log(2.0)


class SeriesTooShortError(ValueError):
    """A series with too few usable points for the model.

    Raised for fewer than 3 points (exponential) or 4 points (logistic), for fewer than two
    distinct years, and, for the exponential (log) fit, for any value ≤ 0, which has no logarithm.
    """


class FitDidNotConvergeError(RuntimeError):
    """The logistic fit found no finite solution with a usable covariance."""


def _clean(years: Sequence[float], values: Sequence[float], minimum: int, model: str) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(years, dtype=float).ravel()
    y = np.asarray(values, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"years and values differ in length ({x.size} and {y.size})")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("years and values must be finite numbers")
    if x.size < minimum:
        raise SeriesTooShortError(
            f"an {model} fit needs at least {minimum} points; got {x.size}"
            + (f" ({', '.join(f'{a:g}' for a in x)})" if x.size else "")
        )
    if np.unique(x).size < 2:
        raise SeriesTooShortError(f"an {model} fit needs at least two distinct years; all points are in {x[0]:g}")
    order = np.argsort(x, kind="stable")
    return x[order], y[order]


def _t_quantile(level: float, dof: int) -> float:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be strictly between 0 and 1, got {level!r}")
    return float(stdtrit(dof, (1.0 + level) / 2.0))


def format_days(years: float) -> str:
    """A duration given in years, written in days for a scenario: ``"412d"``.

    Whole days from 10 days up, one decimal below; ``"inf"`` for an unbounded duration.
    """
    if math.isinf(years):
        return "inf"
    days = years * DAYS_PER_YEAR
    return f"{days:.0f}d" if abs(days) >= 10 else f"{days:.1f}d"


def year_to_date(year: float) -> dt.date:
    """The date a fitted year coordinate stands for: year ``Y`` (a yearly total) is 2 July of ``Y``."""
    shifted = year + 0.5
    whole = math.floor(shifted)
    start = dt.date(whole, 1, 1)
    length = (dt.date(whole + 1, 1, 1) - start).days
    return start + dt.timedelta(days=min(round((shifted - whole) * length), length - 1))


def _fmt(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else "inf"


def _prefix(series: str) -> str:
    return f"{series}: " if series else ""


def _note_lines(notes: Sequence[str]) -> list[str]:
    return [f"  note: {note}" for note in notes]


# --- the skeleton every exponential model shares -----------------------------------------------
#
# Every exponential fit (log-linear regression, two-count ratio, pooled series) comes down to a
# continuous growth rate per year with an interval; doubling times, scenario growth levels and
# rate strings follow from those the same way. The models differ only in how they get the rate
# and its interval, and in how they describe themselves.


def doubling_years(rate: float) -> float:
    """Doubling time in years of a continuous growth ``rate`` per year (``math.inf`` if not growing)."""
    return LN2 / rate if rate > 0 else math.inf


def doubling_interval(rate_ci: tuple[float, float]) -> tuple[float, float]:
    """Doubling-time interval in years from a rate interval: ``(shortest, longest)``, the longest
    ``math.inf`` when the interval reaches no growth."""
    low, high = rate_ci
    return doubling_years(high), doubling_years(low)


class _DoublingTime:
    """Doubling-time views of a fit that has ``rate_ci``, ``doubling_time`` and ``doubling_time_ci`` (years)."""

    @property
    def doubling_time_days(self) -> float:
        """Doubling time in days (``math.inf`` if not growing)."""
        return self.doubling_time * DAYS_PER_YEAR

    @property
    def unbounded(self) -> bool:
        """True when the rate's interval includes zero, so the doubling time has no upper bound."""
        return self.rate_ci[0] <= 0.0

    def doubling_time_for(self, growth: str = "central") -> float:
        """Doubling time in years for a growth scenario: ``"low"``, ``"central"`` or ``"high"``.

        *Low* growth is the slowest growth the interval allows (the longest doubling time,
        the upper end of ``doubling_time_ci``); *central* the point estimate; *high* the
        fastest (the shortest doubling time).
        """
        if growth == "central":
            return self.doubling_time
        if growth == "low":
            return self.doubling_time_ci[1]
        if growth == "high":
            return self.doubling_time_ci[0]
        raise ValueError(f"growth must be 'low', 'central' or 'high', got {growth!r}")


class _SeriesGrowth(_DoublingTime):
    """A fit to one series' ``years`` with a ``fitted(year)`` curve and a ``reference_year``."""

    @property
    def n(self) -> int:
        """Number of points fitted."""
        return len(self.years)

    def rate_string(self, year: float | None = None) -> str:
        """The fitted value at ``year`` (default: the reference year) as a scenario rate, ``"424047/year"``."""
        value = self.fitted(self.reference_year if year is None else year)
        return f"{value:.6g}/year"


@dataclass(frozen=True)
class ExponentialFit(_SeriesGrowth):
    """A log-linear fit ``v(t) = value_at_reference · exp(rate · (t − reference_year))``.

    ``rate`` is the continuous growth rate per year (``rate_ci`` its ``level`` t-interval);
    ``doubling_time`` is in **years** (``math.inf`` when the series is not growing) with
    ``doubling_time_ci`` in years, whose upper end is ``math.inf`` when ``rate_ci`` includes
    zero. ``value_at_reference`` is the fitted yearly value at ``reference_year`` (same
    unit as the series).
    """

    years: tuple[float, ...]
    values: tuple[float, ...]
    level: float
    rate: float
    rate_se: float
    rate_ci: tuple[float, float]
    reference_year: float
    value_at_reference: float
    doubling_time: float
    doubling_time_ci: tuple[float, float]
    r_squared: float
    model: str = field(default="exponential", init=False)
    method: str = field(default="log-linear least squares", init=False)
    series: str = ""
    """Name of the published series fitted (set by :func:`fit_series`), or empty."""
    notes: tuple[str, ...] = ()
    """Caveats about the series itself, printed at the end of :meth:`summary`."""

    @property
    def annual_growth(self) -> float:
        """Growth per year as a share: ``exp(rate) − 1`` (0.5 means +50% a year)."""
        return math.expm1(self.rate)

    def fitted(self, year: float) -> float:
        """The fitted yearly value at ``year`` (same unit as the series)."""
        return self.value_at_reference * math.exp(self.rate * (year - self.reference_year))

    def to_fragment(self) -> dict[str, str]:
        """A scenario ``growth:`` section: ``{"model": "exponential", "doubling_time": "412d"}``.

        Raises ``ValueError`` when the fitted series is not growing (no doubling time).
        """
        if not self.rate > 0.0:
            raise ValueError(
                f"the fitted series is not growing (rate {self.rate:.4g}/year): no doubling time to write"
            )
        return {"model": "exponential", "doubling_time": format_days(self.doubling_time)}

    def summary(self) -> str:
        """Several lines of text describing the fit, its interval and its caveats."""
        lo, hi = self.doubling_time_ci
        first, last = self.years[0], self.years[-1]
        lines = [
            f"{_prefix(self.series)}Exponential fit to {self.n} points, {first:g}-{last:g} (log-linear least squares).",
            f"  growth rate: {self.rate:.4g}/year ({self.annual_growth:+.1%} a year), "
            f"{self.level:.0%} CI {self.rate_ci[0]:.4g} to {self.rate_ci[1]:.4g}/year",
        ]
        if self.rate > 0:
            lines.append(
                f"  doubling time: {self.doubling_time:.3g} years ({format_days(self.doubling_time)}), "
                f"{self.level:.0%} CI {_fmt(lo)} to {_fmt(hi)} years"
            )
        else:
            lines.append(f"  not growing: halving time {-LN2 / self.rate if self.rate < 0 else math.inf:.3g} years")
        if self.unbounded:
            lines.append(
                "  the rate's interval includes zero: the data cannot rule out no growth, "
                "so the doubling time is unbounded above (inf)"
            )
        lines.append(
            f"  fitted value at {self.reference_year:g}: {self.value_at_reference:.6g} a year; "
            f"R² of log values {self.r_squared:.3f}"
        )
        gap = self.values[-1] / self.fitted(self.years[-1]) - 1.0
        if abs(gap) > 0.2:
            trend = "slowed" if gap < 0 else "sped up"
            lines.append(
                f"  the last point ({self.years[-1]:g}) lies {abs(gap):.0%} {'below' if gap < 0 else 'above'} "
                f"the fitted curve: growth has {trend} recently"
            )
        if self.n < 5:
            lines.append(f"  only {self.n} points: read the interval as a rough guide")
        lines.extend(_note_lines(self.notes))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def fit_exponential(
    years: Sequence[float],
    values: Sequence[float],
    level: float = 0.95,
    reference_year: float | None = None,
) -> ExponentialFit:
    """Fit exponential growth to a yearly series by least squares on the log of the values.

    ``level`` sets the confidence level of the intervals (t-distribution with ``n − 2``
    degrees of freedom); ``reference_year`` (default: the last year) is where
    ``value_at_reference`` is given. Needs at least 3 points, in at least 2 distinct years,
    all above zero; otherwise :class:`SeriesTooShortError`.
    """
    x, y = _clean(years, values, 3, "exponential")
    if np.any(y <= 0):
        bad = ", ".join(f"{a:g}: {b:g}" for a, b in zip(x, y) if b <= 0)
        raise SeriesTooShortError(f"an exponential (log) fit needs values above zero; got {bad}")
    t = _t_quantile(level, x.size - 2)
    logy = np.log(y)
    xbar, lbar = float(x.mean()), float(logy.mean())
    dx = x - xbar
    sxx = float(dx @ dx)
    rate = float(dx @ (logy - lbar)) / sxx
    resid = logy - (lbar + rate * dx)
    sse = float(resid @ resid)
    sst = float((logy - lbar) @ (logy - lbar))
    se = math.sqrt(sse / (x.size - 2) / sxx)
    rate_ci = (rate - t * se, rate + t * se)
    ref = float(x[-1]) if reference_year is None else float(reference_year)
    doubling = doubling_years(rate)
    dt_ci = doubling_interval(rate_ci)
    return ExponentialFit(
        years=tuple(float(a) for a in x),
        values=tuple(float(b) for b in y),
        level=level,
        rate=rate,
        rate_se=se,
        rate_ci=rate_ci,
        reference_year=ref,
        value_at_reference=math.exp(lbar + rate * (ref - xbar)),
        doubling_time=doubling,
        doubling_time_ci=dt_ci,
        r_squared=1.0 - sse / sst if sst > 0 else 1.0,
    )


def two_point_doubling_time(points: Sequence[tuple[float, float]]) -> float:
    """Doubling time in **years** between the first and last of ``(year, value)`` points.

    For series too short to fit (two published years): ``(y1 − y0) · ln 2 / ln(v1 / v0)``.
    No interval is possible; ``math.inf`` if the values do not grow.
    """
    pts = sorted(points)
    if len(pts) < 2 or pts[0][0] == pts[-1][0]:
        raise SeriesTooShortError("a two-point doubling time needs two points in different years")
    (y0, v0), (y1, v1) = pts[0], pts[-1]
    if v0 <= 0 or v1 <= 0:
        raise SeriesTooShortError("a doubling time needs values above zero")
    growth = math.log(v1 / v0)
    return (y1 - y0) * LN2 / growth if growth > 0 else math.inf


# --- two yearly counts: the exact Poisson count ratio ----------------------------------------

def count_ratio_interval(earlier_count: float, later_count: float, level: float = 0.95) -> tuple[float, float]:
    """Exact interval for the ratio ``λ2 / λ1`` of two independent Poisson rates.

    Given the counts ``c1`` (earlier) and ``c2`` (later), ``c2`` conditional on
    ``n = c1 + c2`` is Binomial(n, p) with ``p = λ2 / (λ1 + λ2)``. The Clopper–Pearson
    interval for ``p``, ``Beta((1−level)/2; c2, c1 + 1)`` to ``Beta((1+level)/2; c2 + 1, c1)``,
    maps to the ratio through ``p / (1 − p)``. Its coverage is at least ``level`` for every
    pair of rates (it is conservative). Both counts must be above zero.
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be strictly between 0 and 1, got {level!r}")
    c1, c2 = float(earlier_count), float(later_count)
    if not (c1 > 0 and c2 > 0):
        raise SeriesTooShortError(f"a count ratio needs both counts above zero; got {c1:g} and {c2:g}")
    alpha = 1.0 - level
    p_low = float(betaincinv(c2, c1 + 1.0, alpha / 2.0))  # the Beta quantiles (scipy.stats.beta.ppf's bits)
    p_high = float(betaincinv(c2 + 1.0, c1, 1.0 - alpha / 2.0))
    return p_low / (1.0 - p_low), p_high / (1.0 - p_high)


def _count(value: float, which: str) -> float:
    """A Poisson count: finite, a whole number, above zero."""
    if isinstance(value, bool):
        raise ValueError(f"the {which} count must be a number, got {value!r}")
    try:
        c = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"the {which} count must be a number, got {value!r}") from None
    if not math.isfinite(c):
        raise ValueError(f"the {which} count must be finite, got {value!r}")
    if c <= 0:
        raise SeriesTooShortError(
            f"a count-ratio fit needs counts above zero (a ratio to or from zero has no doubling time); "
            f"the {which} count is {c:g}"
        )
    if c != math.floor(c):
        raise ValueError(
            f"a count-ratio fit treats values as Poisson counts, which are whole numbers; the {which} count is {c:g}"
        )
    return c


def _point(point: tuple[float, float], which: str) -> tuple[float, float]:
    try:
        year, count = point
    except (TypeError, ValueError):
        raise ValueError(f"the {which} point must be a (year, count) pair, got {point!r}") from None
    try:
        y = float(year)
    except (TypeError, ValueError):
        raise ValueError(f"the {which} year must be a number, got {year!r}") from None
    if not math.isfinite(y):
        raise ValueError(f"the {which} year must be finite, got {year!r}")
    return y, _count(count, which)


@dataclass(frozen=True)
class CountRatioFit(_SeriesGrowth):
    """Exponential growth between two yearly counts, with an exact Poisson interval.

    The curve is ``v(t) = earlier_count · ratio^((t − earlier_year) / years_apart)``: it
    passes through both counts. ``ratio`` is ``later_count / earlier_count`` (the maximum-
    likelihood estimate of ``λ2 / λ1``) and ``ratio_ci`` its exact ``level`` interval
    (:func:`count_ratio_interval`). From it, per year: ``growth_factor`` (× per year) with
    ``growth_factor_ci``, the continuous ``rate`` with ``rate_ci``, and the
    ``doubling_time`` in **years** with ``doubling_time_ci`` in years as
    ``(shortest, longest)``: the shortest goes with the fastest growth, and the longest is
    ``math.inf`` when the interval includes no growth.

    The interval assumes Poisson counts. Yearly report counts are overdispersed (they vary
    more than Poisson counts because the rate itself moves: campaigns, platform changes,
    changes in how reports are counted), so the true uncertainty is wider: read the
    interval as a lower bound on it.
    """

    earlier_year: float
    earlier_count: float
    later_year: float
    later_count: float
    level: float
    ratio: float
    ratio_ci: tuple[float, float]
    model: str = field(default="exponential", init=False)
    method: str = field(default="exact Poisson count ratio (Clopper-Pearson)", init=False)
    series: str = ""
    """Name of the published series fitted (set by :func:`fit_series`), or empty."""
    notes: tuple[str, ...] = ()
    """Caveats about the series itself, printed at the end of :meth:`summary`."""

    # -- the shape shared with ExponentialFit --------------------------------------------------

    @property
    def years(self) -> tuple[float, float]:
        """The two years, earlier first."""
        return (self.earlier_year, self.later_year)

    @property
    def values(self) -> tuple[float, float]:
        """The two counts, earlier first."""
        return (self.earlier_count, self.later_count)

    @property
    def years_apart(self) -> float:
        """Years between the two counts."""
        return self.later_year - self.earlier_year

    @property
    def total(self) -> float:
        """The two counts together: the binomial ``n`` the interval is conditioned on."""
        return self.earlier_count + self.later_count

    @property
    def share_later(self) -> float:
        """The later count's share of the total, ``p̂ = c2 / (c1 + c2)``."""
        return self.later_count / self.total

    @property
    def share_later_ci(self) -> tuple[float, float]:
        """Clopper–Pearson ``level`` interval for ``p = λ2 / (λ1 + λ2)``."""
        lo, hi = self.ratio_ci
        return lo / (1.0 + lo), hi / (1.0 + hi)

    @property
    def growth_factor(self) -> float:
        """Growth per year as a factor, ``ratio^(1 / years_apart)`` (4.8 means ×4.8 a year)."""
        return self.ratio ** (1.0 / self.years_apart)

    @property
    def growth_factor_ci(self) -> tuple[float, float]:
        """``level`` interval of the annual growth factor."""
        lo, hi = self.ratio_ci
        return lo ** (1.0 / self.years_apart), hi ** (1.0 / self.years_apart)

    @property
    def annual_growth(self) -> float:
        """Growth per year as a share: ``growth_factor − 1`` (3.8 means +380% a year)."""
        return self.growth_factor - 1.0

    @property
    def rate(self) -> float:
        """Continuous growth rate per year, ``ln(ratio) / years_apart``."""
        return math.log(self.ratio) / self.years_apart

    @property
    def rate_ci(self) -> tuple[float, float]:
        """``level`` interval of the continuous growth rate per year."""
        lo, hi = self.ratio_ci
        return math.log(lo) / self.years_apart, math.log(hi) / self.years_apart

    @property
    def reference_year(self) -> float:
        """The year :attr:`value_at_reference` describes: the later year."""
        return self.later_year

    @property
    def value_at_reference(self) -> float:
        """The fitted yearly value at the later year: the later count itself."""
        return self.later_count

    @property
    def doubling_time(self) -> float:
        """Doubling time in **years** at the point estimate (``math.inf`` if not growing)."""
        return doubling_years(self.rate)

    @property
    def doubling_time_ci(self) -> tuple[float, float]:
        """``level`` interval of the doubling time in years, ``(shortest, longest)``: the longest is
        ``math.inf`` when the ratio's interval reaches 1 (no growth cannot be ruled out)."""
        return doubling_interval(self.rate_ci)

    def fitted(self, year: float) -> float:
        """The fitted yearly value at ``year`` (same unit as the counts), on the curve through both."""
        return self.earlier_count * self.ratio ** ((year - self.earlier_year) / self.years_apart)

    def to_fragment(self, growth: str = "central") -> dict[str, str]:
        """A scenario ``growth:`` section, ``{"model": "exponential", "doubling_time": "161d"}``.

        ``growth`` picks the point estimate (``"central"``) or an end of the interval
        (``"low"``: slowest growth, ``"high"``: fastest; see :meth:`doubling_time_for`).
        Raises ``ValueError`` when that doubling time is infinite (no growth).
        """
        doubling = self.doubling_time_for(growth)
        if not math.isfinite(doubling):
            what = "the point estimate is not growing" if growth == "central" else (
                f"the {self.level:.0%} interval includes no growth"
            )
            raise ValueError(f"{what} (ratio {self.ratio:.4g}, CI {self.ratio_ci[0]:.4g} to "
                             f"{self.ratio_ci[1]:.4g}): no '{growth}' doubling time to write")
        return {"model": "exponential", "doubling_time": format_days(doubling)}

    def summary(self) -> str:
        """Several lines of text: the fit, its interval, the method and its caveats."""
        pct = f"{self.level:.0%}"
        y1, y2 = self.earlier_year, self.later_year
        c1, c2 = self.earlier_count, self.later_count
        r_lo, r_hi = self.ratio_ci
        g_lo, g_hi = self.growth_factor_ci
        lines = [
            f"{_prefix(self.series)}Exponential growth from two yearly counts, {y1:g}-{y2:g} "
            f"(exact Poisson count ratio).",
            f"  counts: {c1:g} in {y1:g}, {c2:g} in {y2:g}: ratio {self.ratio:.4g}, "
            f"{pct} CI {r_lo:.4g} to {r_hi:.4g}",
        ]
        if self.years_apart != 1.0:
            lines.append(f"  {self.years_apart:g} years apart")
        lines.append(
            f"  annual growth: x{self.growth_factor:.4g} a year ({self.annual_growth:+.0%}), "
            f"{pct} CI x{g_lo:.4g} to x{g_hi:.4g}"
        )
        if self.rate > 0:
            d_lo, d_hi = self.doubling_time_ci
            lines.append(
                f"  doubling time: {self.doubling_time:.3g} years ({format_days(self.doubling_time)}), "
                f"{pct} CI {_fmt(d_lo)} to {_fmt(d_hi)} years ({format_days(d_lo)} to {format_days(d_hi)})"
            )
            ends = [f"{name} {format_days(self.doubling_time_for(name))}" for name in ("low", "central", "high")]
            lines.append(f"  as growth scenarios (doubling time): {', '.join(ends)}")
        else:
            lines.append("  not growing at the point estimate: no doubling time")
        if self.unbounded:
            lines.append(
                "  the ratio's interval includes 1: the counts cannot rule out no growth, "
                "so the doubling time is unbounded above (inf)"
            )
        lines += [
            f"  method: the two counts are read as independent Poisson counts; given their total "
            f"({self.total:g}), the {y2:g} count is Binomial({self.total:g}, p) with p = λ2/(λ1+λ2); "
            f"the exact Clopper-Pearson interval for p (p̂ = {self.share_later:.4f}) gives the ratio "
            "λ2/λ1 = p/(1-p), hence the growth factor and doubling time.",
            "  caveat: real yearly report counts are overdispersed (they vary more than Poisson counts: "
            "the rate itself moves with campaigns, platforms and counting rules), so this interval is "
            "a lower bound on the uncertainty, not the whole of it.",
            "  caveat: two points cannot show whether growth is exponential, speeding up or levelling "
            "off; read a fragment as a scenario, not a forecast.",
        ]
        lines.extend(_note_lines(self.notes))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def fit_count_ratio(
    earlier: tuple[float, float],
    later: tuple[float, float],
    level: float = 0.95,
) -> CountRatioFit:
    """Fit exponential growth to two yearly counts, ``(year, count)`` each, with an exact interval.

    The counts are treated as independent Poisson counts with yearly rates ``λ1`` and
    ``λ2``: conditional on their total, the later count is Binomial(total, p) with
    ``p = λ2 / (λ1 + λ2)``, and the Clopper–Pearson interval for ``p`` gives an interval
    for the ratio ``λ2 / λ1 = p / (1 − p)`` (:func:`count_ratio_interval`), for the annual
    growth factor ``ratio^(1 / Δyears)`` and for the doubling time.

    Raises ``ValueError`` unless the later year comes after the earlier one, the counts
    are whole numbers and ``level`` lies strictly between 0 and 1, and
    :class:`SeriesTooShortError` (a ``ValueError``) for a count of zero or below.

        >>> fit = fit_count_ratio((2023, 100), (2024, 200))
        >>> fit.to_fragment()
        {'model': 'exponential', 'doubling_time': '365d'}
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be strictly between 0 and 1, got {level!r}")
    y1, c1 = _point(earlier, "earlier")
    y2, c2 = _point(later, "later")
    if not y2 > y1:
        raise ValueError(
            f"the later year must come after the earlier one; got {y1:g} then {y2:g} "
            "(give the points as earlier=(year, count), later=(year, count))"
        )
    return CountRatioFit(
        earlier_year=y1,
        earlier_count=c1,
        later_year=y2,
        later_count=c2,
        level=level,
        ratio=c2 / c1,
        ratio_ci=count_ratio_interval(c1, c2, level),
    )


def _logistic(t: np.ndarray, ceiling: float, midpoint: float, steepness: float) -> np.ndarray:
    z = np.clip(-steepness * (t - midpoint), -700.0, 700.0)
    return ceiling / (1.0 + np.exp(z))


@dataclass(frozen=True)
class LogisticFit:
    """A fit ``v(t) = ceiling / (1 + exp(−steepness · (t − midpoint)))``.

    ``ceiling`` is the long-run yearly value (same unit as the series), ``midpoint`` the
    year of steepest growth, ``steepness`` the growth rate per year; each has a standard
    error and a ``level`` t-interval (``n − 3`` degrees of freedom) from the covariance.
    """

    years: tuple[float, ...]
    values: tuple[float, ...]
    level: float
    ceiling: float
    ceiling_se: float
    ceiling_ci: tuple[float, float]
    midpoint: float
    midpoint_se: float
    midpoint_ci: tuple[float, float]
    steepness: float
    steepness_se: float
    steepness_ci: tuple[float, float]
    rmse: float
    model: str = field(default="logistic", init=False)
    method: str = field(default="nonlinear least squares", init=False)
    series: str = ""
    """Name of the published series fitted (set by :func:`fit_series`), or empty."""
    notes: tuple[str, ...] = ()
    """Caveats about the series itself, printed at the end of :meth:`summary`."""

    @property
    def n(self) -> int:
        """Number of points fitted."""
        return len(self.years)

    def fitted(self, year: float) -> float:
        """The fitted yearly value at ``year`` (same unit as the series)."""
        return float(_logistic(np.asarray(year, dtype=float), self.ceiling, self.midpoint, self.steepness))

    def to_fragment(self) -> dict[str, str]:
        """A scenario ``growth:`` section, e.g.
        ``{"model": "logistic", "ceiling": "450000/year", "midpoint": "2019-07-02", "steepness": "0.62/year"}``.

        The midpoint year is written as a date (year ``Y`` ↔ 2 July ``Y``).
        """
        return {
            "model": "logistic",
            "ceiling": f"{self.ceiling:.6g}/year",
            "midpoint": year_to_date(self.midpoint).isoformat(),
            "steepness": f"{self.steepness:.4g}/year",
        }

    def summary(self) -> str:
        """Several lines of text describing the fit and its intervals."""
        pct = f"{self.level:.0%}"
        lines = [
            f"{_prefix(self.series)}Logistic fit to {self.n} points, {self.years[0]:g}-{self.years[-1]:g} (nonlinear least squares).",
            f"  ceiling: {self.ceiling:.6g} a year (se {self.ceiling_se:.3g}), {pct} CI "
            f"{self.ceiling_ci[0]:.6g} to {self.ceiling_ci[1]:.6g}",
            f"  midpoint: {self.midpoint:.2f} ({year_to_date(self.midpoint).isoformat()}; se {self.midpoint_se:.3g} "
            f"years), {pct} CI {self.midpoint_ci[0]:.2f} to {self.midpoint_ci[1]:.2f}",
            f"  steepness: {self.steepness:.4g}/year (se {self.steepness_se:.3g}), {pct} CI "
            f"{self.steepness_ci[0]:.4g} to {self.steepness_ci[1]:.4g}/year",
            f"  root-mean-square residual: {self.rmse:.4g}",
        ]
        if self.ceiling > 2.0 * max(self.values):
            lines.append("  the ceiling lies far beyond the data: the series shows little sign of levelling off")
        if self.n < 6:
            lines.append(f"  only {self.n} points for 3 parameters: read the intervals as a rough guide")
        lines.extend(_note_lines(self.notes))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def fit_logistic(years: Sequence[float], values: Sequence[float], level: float = 0.95) -> LogisticFit:
    """Fit a logistic curve (ceiling, midpoint year, steepness per year) to a yearly series.

    Needs at least 4 points in at least 2 distinct years (:class:`SeriesTooShortError`),
    values ≥ 0 and not all zero (``ValueError``). Raises :class:`FitDidNotConvergeError`
    when no start point converges to finite parameters with a finite covariance, which is
    what happens when the data show no sign of levelling off or of an S shape.
    """
    from scipy import optimize

    x, y = _clean(years, values, 4, "logistic")
    if np.any(y < 0) or not np.any(y > 0):
        raise ValueError("a logistic fit needs values at or above zero, not all zero")
    if y[-1] <= y[0]:
        raise ValueError(f"the series is not growing ({y[0]:g} in {x[0]:g}, {y[-1]:g} in {x[-1]:g}): a logistic curve "
                         "describes growth that levels off; use --model exponential to see its trend")
    t = _t_quantile(level, x.size - 3)
    # work in scaled units: years centred, values relative to the largest
    xc, scale = float(x.mean()), float(y.max())
    xs, ys = x - xc, y / scale
    span = float(x[-1] - x[0])
    positive = ys > 0
    slope = np.polyfit(xs[positive], np.log(ys[positive]), 1)[0] if positive.sum() >= 2 else 1.0
    s0 = max(float(slope), 4.0 / span, 1e-3)
    best = None
    for k0 in (1.05, 1.5, 3.0, 10.0):
        for m0 in (0.0, xs[-1], xs[-1] + span / 2):
            p0 = (k0, m0 + (math.log(k0 - 1.0) / s0 if k0 > 1.0 else 0.0), s0)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    params, cov = optimize.curve_fit(
                        _logistic, xs, ys, p0=p0,
                        bounds=([1e-12, -np.inf, 1e-9], [np.inf, np.inf, np.inf]),
                        method="trf", max_nfev=20000,
                    )
            except (RuntimeError, ValueError, optimize.OptimizeWarning):
                continue
            if not (np.all(np.isfinite(params)) and np.all(np.isfinite(cov))):
                continue
            sse = float(np.sum((_logistic(xs, *params) - ys) ** 2))
            if best is None or sse < best[0] - 1e-15:
                best = (sse, params, cov)
    if best is None:
        raise FitDidNotConvergeError(
            f"the logistic fit did not converge for years {x[0]:g}-{x[-1]:g}: no start point gave finite "
            "parameters with a finite covariance; the series may show no sign of levelling off "
            "(try fit_exponential, or wait for more years)"
        )
    sse, (k, m, s), cov = best
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    ceiling, ceiling_se = k * scale, se[0] * scale
    midpoint, midpoint_se = m + xc, se[1]
    steepness, steepness_se = s, se[2]
    return LogisticFit(
        years=tuple(float(a) for a in x),
        values=tuple(float(b) for b in y),
        level=level,
        ceiling=float(ceiling),
        ceiling_se=float(ceiling_se),
        ceiling_ci=(float(ceiling - t * ceiling_se), float(ceiling + t * ceiling_se)),
        midpoint=float(midpoint),
        midpoint_se=float(midpoint_se),
        midpoint_ci=(float(midpoint - t * midpoint_se), float(midpoint + t * midpoint_se)),
        steepness=float(steepness),
        steepness_se=float(steepness_se),
        steepness_ci=(float(steepness - t * steepness_se), float(steepness + t * steepness_se)),
        rmse=math.sqrt(sse / x.size) * scale,
    )


# --- published series -------------------------------------------------------------------------

KNOWN_SERIES: dict[str, tuple[str, ...]] = {
    "iwf-reports-assessed": ("iwf_reports_assessed_", "iwf_reports_processed_"),
    "iwf-reports-actioned": ("iwf_reports_confirmed_", "iwf_2018_urls_actioned"),
    "iwf-ai-reports": ("iwf_ai_reports_actioned_",),
    "iwf-realistic-ai-reports": ("iwf_ai_realistic_reports_",),
    "iwf-ai-videos": ("iwf_ai_videos_",),
}
"""Series name → figure-id prefixes (see :func:`capsim.figures.series`) it is built from."""

SERIES_NOTES: dict[str, tuple[str, ...]] = {
    "iwf-reports-assessed": (
        "IWF reports assessed a year; the figure id changed over the years and some years are missing.",
    ),
    "iwf-reports-actioned": (
        "proactive searching began in April 2014: a fit across 2013-14 mixes two regimes.",
    ),
    "iwf-ai-reports": (
        "IWF actionable reports containing AI-generated CSAM: real synthetic material, but a short series.",
        "a different count from the realistic-AI reports: never join the two series.",
    ),
    "iwf-realistic-ai-reports": (
        "IWF reports of realistic AI-generated CSAM, from press coverage of the 2025 data; counted "
        "differently from the actionable AI reports: never join the two series.",
    ),
    "iwf-ai-videos": (
        "the year of the first count is disputed (a fact-checker places the 13 videos in 2023): "
        "if so the two counts are two years apart and the growth per year is far lower.",
    ),
}
"""Caveats about each series, added to the summary of its fit by :func:`fit_series`."""

EXCLUDED_SERIES_NOTE = (
    "NCMEC's 'generative AI' report counts are deliberately not a growth series: most of the "
    "2025 surge was known material found by hash matching in one company's training data, "
    "not new synthetic material (see DESIGN.md, 'What the figures say')."
)

FIT_MODELS = ("auto", "count-ratio", "exponential", "logistic")
"""Models :func:`fit_series` accepts; ``"auto"`` picks by the number of points."""


class UnknownSeriesError(KeyError):
    """A series name that is not in :data:`KNOWN_SERIES`; the message names the known ones."""

    def __init__(self, name: str) -> None:
        self.name = name
        known = sorted(KNOWN_SERIES)
        close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
        message = f"unknown growth series {name!r}"
        if close:
            message += f"; did you mean {close[0]!r}?"
        message += f" Known series: {', '.join(known)}."
        if "ncmec" in str(name).lower():
            message += " " + EXCLUDED_SERIES_NOTE
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would quote the whole message
        return self.message


def known_series() -> dict[str, list[tuple[int, float]]]:
    """The published yearly series in the figures table that growth can be fitted to.

    Each is ``[(year, value), ...]`` read from the table by figure id (:data:`KNOWN_SERIES`):

    - ``iwf-reports-assessed``: IWF reports assessed a year, 2012-2024 (no 2016-17);
    - ``iwf-reports-actioned``: IWF reports confirmed as CSAM, 2013-2024 (no 2016). Proactive
      searching began in April 2014: fits across 2013-14 mix two regimes;
    - ``iwf-ai-reports``: actionable AI-CSAM reports, 2023-2024 (two points);
    - ``iwf-realistic-ai-reports``: realistic AI-CSAM reports, 2024-2025 (two points; a
      different series from the previous one, never join them);
    - ``iwf-ai-videos``: AI CSAM videos, 2024-2025 (two points; the year of the first is disputed).

    :func:`fit_series` fits one by name: two-point series by the exact Poisson count ratio
    (:func:`fit_count_ratio`), longer ones by :func:`fit_exponential` (or
    :func:`fit_logistic` from four points); :func:`models_for` says which apply. NCMEC's
    "generative AI" report counts are left out on purpose: most were known material found
    by hash matching.
    """
    from capsim.figures import series  # late import keeps this module free of package data at import

    return {name: series(*prefixes) for name, prefixes in KNOWN_SERIES.items()}


def series_points(name: str) -> list[tuple[int, float]]:
    """One known series, ``[(year, value), ...]`` from the table; :class:`UnknownSeriesError` if unknown."""
    from capsim.figures import series

    if name not in KNOWN_SERIES:
        raise UnknownSeriesError(name)
    return series(*KNOWN_SERIES[name])


def models_for(n_points: int) -> tuple[str, ...]:
    """The fit models a series of ``n_points`` yearly points supports, the default first.

    ``()`` below 2 points; ``("count-ratio",)`` for 2; ``("exponential",)`` for 3;
    ``("exponential", "logistic")`` from 4.
    """
    if n_points < 2:
        return ()
    if n_points == 2:
        return ("count-ratio",)
    if n_points == 3:
        return ("exponential",)
    return ("exponential", "logistic")


def fit_series(
    name: str, model: str = "auto", level: float = 0.95
) -> CountRatioFit | ExponentialFit | LogisticFit:
    """Fit growth to a known published series by name, with the method its length allows.

    ``model="auto"`` (the default) fits two points by the exact Poisson count ratio
    (:func:`fit_count_ratio`) and three or more by log-linear least squares
    (:func:`fit_exponential`); ``"logistic"`` asks for :func:`fit_logistic` (four points or
    more), and ``"count-ratio"`` or ``"exponential"`` name a method outright. The fit
    carries the series name and its caveats (:data:`SERIES_NOTES`), which its
    ``summary()`` prints; ``to_fragment()`` gives the scenario ``growth:`` section.

    Raises :class:`UnknownSeriesError` (a ``KeyError`` naming the known series) for an
    unknown name, :class:`SeriesTooShortError` for a series with fewer than 2 points or
    too few for the model asked for, and ``ValueError`` for an unknown model.

        >>> fit_series("iwf-ai-reports").to_fragment()
        {'model': 'exponential', 'doubling_time': '161d'}
    """
    return fit_points(series_points(name), model, level, name=name, notes=SERIES_NOTES.get(name, ()))


FIRST_YEAR, LAST_YEAR = 1900, 2200
"""Calendar years a yearly point may have (those a scenario's clock can start in)."""
MAX_VALUE = 1e15
"""Largest yearly value of a point (far above any published count)."""


def parse_points(text: str) -> list[tuple[int, float]]:
    """Yearly points written ``2022=100,2023=180,2024=260`` (a series of one's own)."""
    points = []
    for part in text.split(","):
        year, sep, value = part.partition("=")
        try:
            points.append((int(year), float(value)))
        except ValueError:
            raise ValueError(f"{part.strip()!r} is not a yearly point: write YEAR=VALUE, e.g. 2024=245") from None
        if not sep:
            raise ValueError(f"{part.strip()!r} is not a yearly point: write YEAR=VALUE, e.g. 2024=245")
        if not FIRST_YEAR <= points[-1][0] <= LAST_YEAR:
            raise ValueError(f"{part.strip()!r}: {points[-1][0]} is not a year this tool models; "
                             f"give calendar years from {FIRST_YEAR} to {LAST_YEAR}")
        if not (math.isfinite(points[-1][1]) and 0 <= points[-1][1] <= MAX_VALUE):
            raise ValueError(f"{part.strip()!r}: a yearly value is a count from 0 to {MAX_VALUE:g}")
    return sorted(points)


def fit_points(
    points: Sequence[tuple[int, float]], model: str = "auto", level: float = 0.95,
    name: str = "series", notes: Sequence[str] = (),
) -> CountRatioFit | ExponentialFit | LogisticFit:
    """Fit growth to yearly ``points`` with the method their number allows (see :func:`fit_series`)."""
    if model not in FIT_MODELS:
        raise ValueError(f"unknown model {model!r}: use one of {', '.join(FIT_MODELS)}")
    n = len(points)
    allowed = models_for(n)
    if not allowed:
        raise SeriesTooShortError(
            f"series {name!r} has {n} point{'s' if n != 1 else ''}: growth needs at least 2 yearly points"
        )
    chosen = allowed[0] if model == "auto" else model
    if chosen not in allowed:
        years = f"{points[0][0]}-{points[-1][0]}"
        if chosen == "count-ratio":
            raise ValueError(
                f"series {name!r} has {n} points ({years}); a count-ratio fit takes exactly 2: "
                f"use {' or '.join(allowed)}"
            )
        need = {"exponential": 3, "logistic": 4}[chosen]
        raise SeriesTooShortError(
            f"series {name!r} has {n} points ({years}); a {chosen} fit needs at least {need}: "
            f"use {' or '.join(allowed)}"
        )
    if chosen == "count-ratio":
        fit: CountRatioFit | ExponentialFit | LogisticFit = fit_count_ratio(points[0], points[1], level)
    else:
        years, values = zip(*points)
        fit = (fit_exponential if chosen == "exponential" else fit_logistic)(years, values, level=level)
    return dataclasses.replace(fit, series=name, notes=notes)


# --- back-tests: fit without the last year(s), predict them ------------------------------------


def prediction_interval(fit: ExponentialFit, year: float, level: float | None = None) -> tuple[float, float, float]:
    """``(predicted, low, high)`` yearly value at ``year`` from a log-linear fit, with the ``level``
    (default: the fit's) prediction interval of one new yearly value:
    ``exp(ŷ ± t(n−2) · s · √(1 + 1/n + (x − x̄)² / Sxx))`` on the log scale, ``s`` the residual
    standard deviation of the log values."""
    x = np.asarray(fit.years)
    logy = np.log(np.asarray(fit.values))
    fitted = np.log([fit.fitted(a) for a in fit.years])
    s = math.sqrt(float(((logy - fitted) ** 2).sum()) / (x.size - 2))
    dx = x - x.mean()
    spread = s * math.sqrt(1 + 1 / x.size + (year - x.mean()) ** 2 / float(dx @ dx))
    t = _t_quantile(fit.level if level is None else level, x.size - 2)
    centre = fit.fitted(year)
    return centre, centre * math.exp(-t * spread), centre * math.exp(t * spread)


@dataclass(frozen=True)
class Backtest:
    """A fit on a series without its last ``len(rows)`` year(s), and how it predicted them.

    ``rows`` holds, per held-out year: ``(year, published, predicted, low, high, inside)``
    with the fit's ``level`` prediction interval (:func:`prediction_interval`).
    """

    series: str
    fit: ExponentialFit
    rows: tuple[tuple[float, float, float, float, float, bool], ...]

    @property
    def hits(self) -> int:
        """Held-out years whose published value fell inside the prediction interval."""
        return sum(row[5] for row in self.rows)

    def summary(self) -> str:
        """Several lines: the fit on the earlier years, then each held-out year's prediction and verdict."""
        fit = self.fit
        lines = [f"{self.series}: fitted on {fit.n} points, {fit.years[0]:g}-{fit.years[-1]:g} (log-linear least "
                 f"squares): {fit.annual_growth:+.1%} a year.",
                 f"  held out {len(self.rows)} year(s); {fit.level:.0%} prediction interval of each yearly value:"]
        for year, value, predicted, low, high, inside in self.rows:
            gap = value / predicted - 1
            lines.append(f"  {year:g}: published {value:,.0f}, predicted {predicted:,.0f} ({low:,.0f} to {high:,.0f}): "
                         f"{'inside' if inside else 'OUTSIDE'} the interval (published {abs(gap):.0%} "
                         f"{'above' if gap > 0 else 'below'} the prediction)")
        lines.append(f"  {self.hits} of {len(self.rows)} held-out value(s) inside; a {fit.level:.0%} interval should "
                     "miss about one in twenty, and more often when growth changes pace.")
        lines.extend(_note_lines(fit.notes))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def backtest(points: Sequence[tuple[float, float]], hold_out: int = 1, level: float = 0.95,
             name: str = "series", notes: Sequence[str] = ()) -> Backtest:
    """Fit exponential growth to ``points`` without the last ``hold_out`` years and predict those.

    Needs at least 3 points left to fit (a prediction interval needs a residual variance):
    :class:`SeriesTooShortError` otherwise, naming how many the series has.
    """
    points = sorted(points)
    if hold_out < 1:
        raise ValueError(f"hold out at least one year (got {hold_out})")
    if len(points) - hold_out < 3:
        raise SeriesTooShortError(
            f"series {name!r} has {len(points)} point{'s' if len(points) != 1 else ''}: a back-test holding out "
            f"{hold_out} year(s) needs at least {hold_out + 3} (3 to fit, with a residual variance for the "
            "prediction interval)")
    train, test = points[:-hold_out], points[-hold_out:]
    years, values = zip(*train)
    fit = dataclasses.replace(fit_exponential(years, values, level=level), series=name, notes=tuple(notes))
    rows = []
    for year, value in test:
        predicted, low, high = prediction_interval(fit, year)
        rows.append((float(year), float(value), predicted, low, high, bool(low <= value <= high)))
    return Backtest(name, fit, tuple(rows))


def backtest_series(name: str, hold_out: int = 1, level: float = 0.95) -> Backtest:
    """:func:`backtest` of a known published series by name (:func:`series_points`)."""
    return backtest(series_points(name), hold_out, level, name=name, notes=SERIES_NOTES.get(name, ()))


# --- several short series of one kind: a random-effects pooled growth rate ---------------------

AI_REPORT_SERIES = ("iwf-ai-reports", "iwf-realistic-ai-reports")
"""The published series of AI-generated **reports**: actionable AI reports 2023-2024 and realistic
AI reports 2024-2025. Each is counted its own way (never join them into one series), but both
measure how fast reports of synthetic material grow, so :func:`fit_pooled` combines their rates."""


def rate_and_se(fit: CountRatioFit | ExponentialFit) -> tuple[float, float]:
    """A fit's continuous growth rate per year and its standard error: the regression's for a
    log-linear fit; for two Poisson counts ``c1``, ``c2`` the delta method, ``√(1/c1 + 1/c2) / years apart``."""
    if isinstance(fit, CountRatioFit):
        return fit.rate, math.sqrt(1 / fit.earlier_count + 1 / fit.later_count) / fit.years_apart
    return fit.rate, fit.rate_se


@dataclass(frozen=True)
class PooledFit(_DoublingTime):
    """Growth common to several series, by a random-effects meta-analysis of their log growth rates.

    Each series ``i`` gives a rate ``r_i`` per year with standard error ``se_i``
    (:func:`rate_and_se`); on the log scale ``y_i = ln r_i`` with variance ``(se_i / r_i)²``.
    The series may truly differ (each counts its own way), so between-series variance ``tau2``
    is estimated by DerSimonian–Laird from Cochran's ``q``, and the pooled ``log_rate`` is the
    weighted mean with weights ``1 / (v_i + tau2)``; its ``level`` interval uses the normal
    quantile. The log scale keeps growth positive and makes the doubling time ``ln 2 / r``
    lognormal: its median is the pooled estimate and its interval ends are the interval's.
    With two series, ``tau2`` rests on one degree of freedom: read the interval as a rough
    guide, wider in truth.
    """

    series: tuple[str, ...]
    rates: tuple[float, ...]
    rate_ses: tuple[float, ...]
    q: float
    tau2: float
    log_rate: float
    log_rate_se: float
    level: float
    method: str = field(default="random-effects (DerSimonian-Laird) pooling of log growth rates", init=False)

    @property
    def rate(self) -> float:
        """Pooled continuous growth rate per year."""
        return math.exp(self.log_rate)

    @property
    def rate_ci(self) -> tuple[float, float]:
        """``level`` interval of the pooled rate per year."""
        z = float(ndtri((1 + self.level) / 2))
        return math.exp(self.log_rate - z * self.log_rate_se), math.exp(self.log_rate + z * self.log_rate_se)

    @property
    def annual_growth(self) -> float:
        """Growth per year as a share, ``exp(rate) − 1``."""
        return math.expm1(self.rate)

    @property
    def doubling_time(self) -> float:
        """Doubling time in **years** at the pooled rate."""
        return doubling_years(self.rate)

    @property
    def doubling_time_ci(self) -> tuple[float, float]:
        """``level`` interval of the doubling time in years, ``(shortest, longest)``."""
        return doubling_interval(self.rate_ci)

    def summary(self) -> str:
        """Several lines: each series' rate, the heterogeneity, the pooled rate and doubling time."""
        pct = f"{self.level:.0%}"
        lines = [f"Pooled growth of {len(self.series)} series ({self.method})."]
        for name, rate, se in zip(self.series, self.rates, self.rate_ses):
            lines.append(f"  {name}: {rate:.4g}/year (se {se:.2g}), doubling time {format_days(LN2 / rate)}")
        lines.append(f"  heterogeneity: Cochran's Q {self.q:.3g} on {len(self.series) - 1} df, between-series "
                     f"variance of log rates {self.tau2:.3g}")
        short, long = self.doubling_time_ci
        lines.append(f"  pooled: {self.rate:.4g}/year ({self.annual_growth:+.0%} a year), doubling time "
                     f"{format_days(self.doubling_time)}, {pct} CI {format_days(short)} to {format_days(long)}")
        if len(self.series) < 3:
            lines.append(f"  only {len(self.series)} series: the between-series variance rests on "
                         f"{len(self.series) - 1} degree(s) of freedom; read the interval as a rough guide")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def fit_pooled(names: Sequence[str] = AI_REPORT_SERIES, level: float = 0.95) -> PooledFit:
    """Pool the growth rates of the known series ``names`` (:class:`PooledFit`); every series must be growing."""
    rates, ses = [], []
    for name in names:
        rate, se = rate_and_se(fit_series(name, level=level))
        if rate <= 0:
            raise ValueError(f"series {name!r} is not growing (rate {rate:.3g}/year): a log growth rate needs growth")
        rates.append(rate)
        ses.append(se)
    y = np.log(rates)
    v = (np.asarray(ses) / np.asarray(rates)) ** 2
    w = 1 / v
    fixed = float(w @ y / w.sum())
    q = float(w @ (y - fixed) ** 2)
    tau2 = max(0.0, (q - (len(y) - 1)) / float(w.sum() - (w @ w) / w.sum())) if len(y) > 1 else 0.0
    w_star = 1 / (v + tau2)
    return PooledFit(series=tuple(names), rates=tuple(rates), rate_ses=tuple(ses), q=q, tau2=tau2,
                     log_rate=float(w_star @ y / w_star.sum()), log_rate_se=float(1 / math.sqrt(w_star.sum())),
                     level=level)
