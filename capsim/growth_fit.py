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

``known_series()`` names the published yearly series in the figures table that can be
fitted; every value comes from the table by figure id.

    >>> fit = fit_exponential([2020, 2021, 2022, 2023], [100, 200, 400, 800])
    >>> fit.to_fragment()
    {'model': 'exponential', 'doubling_time': '365d'}
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from scipy import optimize, stats

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
    return float(stats.t.ppf((1.0 + level) / 2.0, dof))


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


@dataclass(frozen=True)
class ExponentialFit:
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

    @property
    def n(self) -> int:
        """Number of points fitted."""
        return len(self.years)

    @property
    def annual_growth(self) -> float:
        """Growth per year as a share: ``exp(rate) − 1`` (0.5 means +50% a year)."""
        return math.expm1(self.rate)

    @property
    def doubling_time_days(self) -> float:
        """Doubling time in days (``math.inf`` if not growing)."""
        return self.doubling_time * DAYS_PER_YEAR

    @property
    def unbounded(self) -> bool:
        """True when the rate's interval includes zero, so the doubling time has no upper bound."""
        return self.rate_ci[0] <= 0.0

    def fitted(self, year: float) -> float:
        """The fitted yearly value at ``year`` (same unit as the series)."""
        return self.value_at_reference * math.exp(self.rate * (year - self.reference_year))

    def rate_string(self, year: float | None = None) -> str:
        """The fitted value at ``year`` (default: the reference year) as a scenario rate, ``"424047/year"``."""
        value = self.fitted(self.reference_year if year is None else year)
        return f"{value:.6g}/year"

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
            f"Exponential fit to {self.n} points, {first:g}-{last:g} (log-linear least squares).",
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
    doubling = LN2 / rate if rate > 0 else math.inf
    dt_ci = (
        LN2 / rate_ci[1] if rate_ci[1] > 0 else math.inf,
        LN2 / rate_ci[0] if rate_ci[0] > 0 else math.inf,
    )
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
            f"Logistic fit to {self.n} points, {self.years[0]:g}-{self.years[-1]:g} (nonlinear least squares).",
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
    x, y = _clean(years, values, 4, "logistic")
    if np.any(y < 0) or not np.any(y > 0):
        raise ValueError("a logistic fit needs values at or above zero, not all zero")
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

    Two-point series cannot be fitted with an interval (:class:`SeriesTooShortError`); use
    :func:`two_point_doubling_time` for them and say so. NCMEC's "generative AI" report
    counts are left out on purpose: most were known material found by hash matching.
    """
    from capsim.figures import series  # late import keeps this module free of package data at import

    return {name: series(*prefixes) for name, prefixes in KNOWN_SERIES.items()}
