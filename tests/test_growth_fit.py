"""Growth fits: recovery of known curves, honest intervals, clear errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from capsim import figures, growth_fit
from capsim.growth_fit import (
    FitDidNotConvergeError,
    SeriesTooShortError,
    fit_exponential,
    fit_logistic,
    format_days,
    known_series,
    two_point_doubling_time,
    year_to_date,
)
from capsim.units import parse_duration, parse_rate

YEARS = np.arange(2012, 2025, dtype=float)


def exponential(years, v0, doubling_years, y0=2012.0):
    return v0 * 2.0 ** ((np.asarray(years) - y0) / doubling_years)


def logistic(years, ceiling, midpoint, steepness):
    return ceiling / (1.0 + np.exp(-steepness * (np.asarray(years) - midpoint)))


def test_exact_exponential_recovers_doubling_time():
    fit = fit_exponential(YEARS, exponential(YEARS, 40000.0, 1.7))
    assert abs(fit.doubling_time - 1.7) < 1e-9
    assert fit.doubling_time_ci[0] == pytest.approx(1.7, abs=1e-9)
    assert fit.doubling_time_ci[1] == pytest.approx(1.7, abs=1e-9)
    assert fit.value_at_reference == pytest.approx(exponential(2024, 40000.0, 1.7), rel=1e-9)
    assert fit.reference_year == 2024
    assert fit.r_squared == pytest.approx(1.0)


def test_three_points_are_enough():
    fit = fit_exponential([2021, 2022, 2023], [100, 200, 400])
    assert fit.doubling_time == pytest.approx(1.0, abs=1e-12)
    assert fit.to_fragment() == {"model": "exponential", "doubling_time": "365d"}


def test_fragment_writes_days_readable_by_the_scenario_units():
    fit = fit_exponential(YEARS, exponential(YEARS, 1000.0, 412 / 365.25))
    fragment = fit.to_fragment()
    assert fragment == {"model": "exponential", "doubling_time": "412d"}
    assert parse_duration(fragment["doubling_time"]) == 412 * 86400
    assert parse_rate(fit.rate_string()) > 0


def test_noisy_exponential_interval_covers_truth():
    rng = np.random.default_rng(20231025)
    truth = 1.5
    values = exponential(YEARS, 50000.0, truth) * np.exp(rng.normal(0.0, 0.1, YEARS.size))
    fit = fit_exponential(YEARS, values, level=0.95)
    lo, hi = fit.doubling_time_ci
    assert lo < truth < hi
    assert fit.rate_ci[0] < math.log(2) / truth < fit.rate_ci[1]
    assert math.isfinite(hi)


def test_exponential_interval_coverage_is_close_to_nominal():
    rng = np.random.default_rng(7)
    truth_rate = math.log(2) / 2.0
    hits = 0
    runs = 400
    for _ in range(runs):
        values = exponential(YEARS[:6], 100.0, 2.0) * np.exp(rng.normal(0.0, 0.2, 6))
        fit = fit_exponential(YEARS[:6], values, level=0.9)
        hits += fit.rate_ci[0] <= truth_rate <= fit.rate_ci[1]
    assert abs(hits / runs - 0.9) < 0.05


def test_flat_noisy_series_has_unbounded_doubling_time():
    rng = np.random.default_rng(3)
    values = 1000.0 * np.exp(rng.normal(0.0, 0.3, 6))
    fit = fit_exponential(YEARS[:6], values)
    assert fit.rate_ci[0] < 0 < fit.rate_ci[1]
    assert fit.unbounded and math.isinf(fit.doubling_time_ci[1])
    assert "unbounded" in str(fit)


def test_declining_series_has_no_fragment():
    fit = fit_exponential([2020, 2021, 2022, 2023], [800, 400, 200, 100])
    assert math.isinf(fit.doubling_time)
    with pytest.raises(ValueError, match="not growing"):
        fit.to_fragment()
    assert "halving" in fit.summary()


@pytest.mark.parametrize("n", [0, 1, 2])
def test_exponential_needs_three_points(n):
    with pytest.raises(SeriesTooShortError, match="at least 3 points"):
        fit_exponential(YEARS[:n], exponential(YEARS[:n], 10.0, 1.0))


def test_exponential_needs_positive_values():
    with pytest.raises(SeriesTooShortError, match="above zero"):
        fit_exponential([2020, 2021, 2022], [10, 0, 30])
    assert issubclass(SeriesTooShortError, ValueError)


def test_exponential_needs_two_distinct_years():
    with pytest.raises(SeriesTooShortError, match="distinct years"):
        fit_exponential([2020, 2020, 2020], [1, 2, 3])


def test_mismatched_lengths_are_an_error():
    with pytest.raises(ValueError, match="differ in length"):
        fit_exponential([2020, 2021, 2022], [1, 2])


def test_exact_logistic_recovers_parameters():
    years = np.arange(2008, 2031, dtype=float)
    fit = fit_logistic(years, logistic(years, 450000.0, 2019.3, 0.6))
    assert fit.ceiling == pytest.approx(450000.0, rel=1e-6)
    assert fit.midpoint == pytest.approx(2019.3, abs=1e-6)
    assert fit.steepness == pytest.approx(0.6, rel=1e-6)
    assert fit.ceiling_ci[0] <= 450000.0 + 1e-3 and fit.ceiling_ci[1] >= 450000.0 - 1e-3


def test_noisy_logistic_intervals_cover_truth():
    rng = np.random.default_rng(11)
    years = np.arange(2010, 2026, dtype=float)
    values = logistic(years, 300000.0, 2018.0, 0.7) * (1 + rng.normal(0.0, 0.03, years.size))
    fit = fit_logistic(years, values)
    assert fit.ceiling_ci[0] < 300000.0 < fit.ceiling_ci[1]
    assert fit.midpoint_ci[0] < 2018.0 < fit.midpoint_ci[1]
    assert fit.steepness_ci[0] < 0.7 < fit.steepness_ci[1]


def test_logistic_fragment_is_readable_by_the_scenario_units():
    years = np.arange(2010, 2026, dtype=float)
    fit = fit_logistic(years, logistic(years, 1000.0, 2018.0, 0.8))
    fragment = fit.to_fragment()
    assert fragment["model"] == "logistic"
    assert fragment["midpoint"] == "2018-07-02"
    assert parse_rate(fragment["ceiling"]) * 365.25 * 86400 == pytest.approx(1000.0, rel=1e-5)
    assert parse_rate(fragment["steepness"]) * 365.25 * 86400 == pytest.approx(0.8, rel=1e-3)
    assert "ceiling" in fit.summary()


@pytest.mark.parametrize("n", [0, 2, 3])
def test_logistic_needs_four_points(n):
    years = YEARS[:n]
    with pytest.raises(SeriesTooShortError, match="at least 4 points"):
        fit_logistic(years, logistic(years, 100.0, 2015.0, 1.0))


def test_logistic_failure_is_a_clear_error(monkeypatch):
    def never(*args, **kwargs):
        raise RuntimeError("Optimal parameters not found")

    monkeypatch.setattr(growth_fit.optimize, "curve_fit", never)
    with pytest.raises(FitDidNotConvergeError, match="did not converge"):
        fit_logistic(YEARS, logistic(YEARS, 100.0, 2018.0, 1.0))


def test_format_days_and_dates():
    assert format_days(1.0) == "365d"
    assert format_days(5 / 365.25) == "5.0d"
    assert format_days(math.inf) == "inf"
    assert year_to_date(2024).isoformat() == "2024-07-02"


def test_two_point_doubling_time():
    assert two_point_doubling_time([(2023, 51.0), (2024, 102.0)]) == pytest.approx(1.0)
    assert math.isinf(two_point_doubling_time([(2023, 5.0), (2024, 4.0)]))
    with pytest.raises(SeriesTooShortError):
        two_point_doubling_time([(2023, 51.0)])


def test_known_series_come_from_the_table():
    series = known_series()
    assert set(series) >= {"iwf-reports-assessed", "iwf-reports-actioned", "iwf-ai-reports", "iwf-realistic-ai-reports"}
    assert series["iwf-ai-reports"] == [
        (2023, figures.figure("iwf_ai_reports_actioned_2023").value),
        (2024, figures.figure("iwf_ai_reports_actioned_2024").value),
    ]
    assert series["iwf-realistic-ai-reports"] == [(2024, 193.0), (2025, 491.0)]
    assessed = dict(series["iwf-reports-assessed"])
    assert assessed[2012] == figures.figure("iwf_reports_processed_2012").value
    assert assessed[2024] == figures.figure("iwf_reports_assessed_2024").value


def test_published_iwf_series_fit_and_short_ones_refuse():
    series = known_series()
    years, values = zip(*series["iwf-reports-assessed"])
    fit = fit_exponential(years, values)
    assert 0 < fit.doubling_time < 10 and math.isfinite(fit.doubling_time_ci[1])
    assert fit.to_fragment()["doubling_time"].endswith("d")
    logistic_fit = fit_logistic(years, values)
    assert logistic_fit.ceiling > max(values) * 0.9
    with pytest.raises(SeriesTooShortError):
        fit_exponential(*zip(*series["iwf-ai-reports"]))
