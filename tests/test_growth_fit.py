"""Growth fits: recovery of known curves, honest intervals, clear errors."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from scipy import stats

from capsim import figures, growth_fit
from capsim.growth_fit import (
    KNOWN_SERIES,
    CountRatioFit,
    ExponentialFit,
    FitDidNotConvergeError,
    LogisticFit,
    SeriesTooShortError,
    UnknownSeriesError,
    count_ratio_interval,
    fit_count_ratio,
    fit_exponential,
    fit_logistic,
    fit_series,
    format_days,
    known_series,
    models_for,
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

    from scipy import optimize  # imported by the fit itself, not at start-up

    monkeypatch.setattr(optimize, "curve_fit", never)
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


# --- two yearly counts: the exact Poisson count ratio --------------------------------------------

LN2 = math.log(2)


def test_count_ratio_point_estimate_is_the_two_point_doubling_time():
    fit = fit_count_ratio((2023, 51), (2024, 245))
    assert isinstance(fit, CountRatioFit)
    assert fit.ratio == 245 / 51
    assert fit.doubling_time == pytest.approx(LN2 / math.log(245 / 51), rel=1e-14)
    assert fit.doubling_time == pytest.approx(two_point_doubling_time([(2023, 51), (2024, 245)]), rel=1e-14)
    assert fit.doubling_time_days == pytest.approx(365.25 * LN2 / math.log(245 / 51), rel=1e-14)
    assert fit.to_fragment() == {"model": "exponential", "doubling_time": "161d"}
    assert fit.model == "exponential" and fit.n == 2


def test_count_ratio_exact_doubling_times():
    assert fit_count_ratio((2023, 100), (2024, 200)).doubling_time == pytest.approx(1.0, rel=1e-14)
    two_years = fit_count_ratio((2020, 100), (2022, 400))
    assert two_years.years_apart == 2.0
    assert two_years.growth_factor == pytest.approx(2.0, rel=1e-14)
    assert two_years.doubling_time == pytest.approx(1.0, rel=1e-14)
    assert two_years.to_fragment() == {"model": "exponential", "doubling_time": "365d"}
    # the growth factor's interval is the ratio's, per year
    lo, hi = two_years.ratio_ci
    assert two_years.growth_factor_ci == pytest.approx((lo ** 0.5, hi ** 0.5), rel=1e-14)


def test_count_ratio_interval_is_clopper_pearson_on_the_later_share():
    c1, c2 = 51, 245
    fit = fit_count_ratio((2023, c1), (2024, c2))
    cp = stats.binomtest(c2, c1 + c2).proportion_ci(0.95, method="exact")
    assert fit.share_later_ci == pytest.approx((cp.low, cp.high), rel=1e-9)
    assert fit.ratio_ci == pytest.approx((cp.low / (1 - cp.low), cp.high / (1 - cp.high)), rel=1e-9)
    assert count_ratio_interval(c1, c2) == fit.ratio_ci
    lo, hi = fit.ratio_ci
    assert lo < fit.ratio < hi
    # lower growth, longer doubling: the ratio's low end is the doubling time's high end
    assert fit.doubling_time_ci == pytest.approx((LN2 / math.log(hi), LN2 / math.log(lo)), rel=1e-14)
    assert fit.doubling_time_ci[0] < fit.doubling_time < fit.doubling_time_ci[1]
    assert fit.doubling_time_for("high") < fit.doubling_time_for("central") < fit.doubling_time_for("low")
    assert fit.to_fragment("low") == {"model": "exponential", "doubling_time": format_days(fit.doubling_time_ci[1])}
    assert fit.to_fragment("high") == {"model": "exponential", "doubling_time": format_days(fit.doubling_time_ci[0])}
    wider = fit_count_ratio((2023, c1), (2024, c2), level=0.99)
    assert wider.ratio_ci[0] < lo and wider.ratio_ci[1] > hi


def test_count_ratio_interval_is_scipy_stats_beta_quantiles_bit_for_bit():
    # Computed with scipy.special (scipy.stats costs a second to import when a growth scenario loads):
    # the same bits as scipy.stats.beta.ppf, on counts from 1 to a million and the usual levels.
    counts = (1, 2, 3, 13, 51, 193, 491, 3443, 11108, 245000, 1_000_000)
    for c1 in counts:
        for c2 in counts:
            for level in (0.8, 0.9, 0.95, 0.99):
                alpha = 1 - level
                low = stats.beta.ppf(alpha / 2, c2, c1 + 1.0)
                high = stats.beta.ppf(1 - alpha / 2, c2 + 1.0, c1)
                assert count_ratio_interval(c1, c2, level) == (low / (1 - low), high / (1 - high))


def test_count_ratio_interval_covers_truth_on_large_counts():
    rng = np.random.default_rng(20240101)
    true_ratio = 3.0
    c1, c2 = rng.poisson(20000.0), rng.poisson(20000.0 * true_ratio)
    fit = fit_count_ratio((2021, c1), (2023, c2))
    assert fit.ratio_ci[0] < true_ratio < fit.ratio_ci[1]
    true_doubling = 2.0 * LN2 / math.log(true_ratio)
    assert fit.doubling_time_ci[0] < true_doubling < fit.doubling_time_ci[1]
    assert fit.ratio_ci[1] / fit.ratio_ci[0] < 1.05  # large counts, narrow interval


def test_count_ratio_coverage_is_at_least_nominal():
    # Clopper-Pearson is exact (conservative), so coverage is at least 95%, allowing 3 binomial
    # standard errors of sampling; a sane interval is not wildly over-wide either.
    rng = np.random.default_rng(7)
    draws, lam1, lam2 = 2000, 40.0, 100.0
    counts = rng.poisson([lam1, lam2], size=(draws, 2))
    assert counts.min() > 0
    hits = 0
    for c1, c2 in counts:
        lo, hi = fit_count_ratio((2023, c1), (2024, c2)).ratio_ci
        hits += lo <= lam2 / lam1 <= hi
    coverage = hits / draws
    se = math.sqrt(0.95 * 0.05 / draws)
    assert coverage >= 0.95 - 3 * se
    assert coverage <= 0.995


def test_count_ratio_fitted_curve_passes_through_both_counts():
    fit = fit_count_ratio((2023, 51), (2024, 245))
    assert fit.fitted(2023) == pytest.approx(51, rel=1e-14)
    assert fit.fitted(2024) == pytest.approx(245, rel=1e-14)
    assert fit.fitted(2025) == pytest.approx(245 * 245 / 51, rel=1e-12)
    assert fit.fitted(2023.5) == pytest.approx(math.sqrt(51 * 245), rel=1e-12)
    assert fit.value_at_reference == 245 and fit.reference_year == 2024
    assert parse_rate(fit.rate_string()) * 365.25 * 86400 == pytest.approx(245)


def test_count_ratio_summary_states_fit_interval_method_and_caveats():
    text = fit_count_ratio((2023, 51), (2024, 245)).summary()
    for phrase in ["51", "245", "161d", "134d", "200d", "95% CI", "Poisson", "Clopper-Pearson",
                   "overdispersed", "lower bound"]:
        assert phrase in text, phrase


def test_count_ratio_without_clear_growth_is_unbounded():
    fit = fit_count_ratio((2023, 10), (2024, 12))
    assert fit.ratio_ci[0] < 1 < fit.ratio_ci[1]
    assert fit.unbounded and math.isinf(fit.doubling_time_ci[1])
    assert math.isfinite(fit.doubling_time)
    assert "unbounded" in fit.summary()
    fit.to_fragment()  # the point estimate still grows
    with pytest.raises(ValueError, match="includes no growth"):
        fit.to_fragment("low")


def test_declining_counts_have_no_fragment():
    fit = fit_count_ratio((2023, 100), (2024, 50))
    assert math.isinf(fit.doubling_time)
    with pytest.raises(ValueError, match="not growing"):
        fit.to_fragment()
    assert "not growing" in fit.summary()


@pytest.mark.parametrize("earlier,later,error,match", [
    ((2023, 0), (2024, 245), SeriesTooShortError, "above zero"),
    ((2023, 51), (2024, 0), SeriesTooShortError, "above zero"),
    ((2023, -5), (2024, 245), SeriesTooShortError, "above zero"),
    ((2023, 51.5), (2024, 245), ValueError, "whole numbers"),
    ((2023, math.nan), (2024, 245), ValueError, "finite"),
    ((2024, 51), (2024, 245), ValueError, "later year must come after"),
    ((2024, 245), (2023, 51), ValueError, "later year must come after"),
    ((2023,), (2024, 245), ValueError, "pair"),
    (("x", 51), (2024, 245), ValueError, "year must be a number"),
])
def test_count_ratio_errors(earlier, later, error, match):
    with pytest.raises(error, match=match):
        fit_count_ratio(earlier, later)


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5])
def test_count_ratio_level_must_be_a_probability(level):
    with pytest.raises(ValueError, match="level"):
        fit_count_ratio((2023, 51), (2024, 245), level=level)


def test_count_ratio_bad_growth_name():
    with pytest.raises(ValueError, match="'low', 'central' or 'high'"):
        fit_count_ratio((2023, 51), (2024, 245)).to_fragment("medium")


# --- fitting published series by name -------------------------------------------------------------

def test_models_for_each_length():
    assert models_for(0) == models_for(1) == ()
    assert models_for(2) == ("count-ratio",)
    assert models_for(3) == ("exponential",)
    assert models_for(4) == models_for(13) == ("exponential", "logistic")


@pytest.mark.parametrize("name", sorted(KNOWN_SERIES))
def test_every_known_series_fits_by_the_method_its_length_allows(name):
    points = known_series()[name]
    fit = fit_series(name)
    expected = CountRatioFit if len(points) == 2 else ExponentialFit
    assert isinstance(fit, expected)
    assert fit.series == name
    assert fit.summary().startswith(f"{name}: ")
    assert parse_duration(fit.to_fragment()["doubling_time"]) > 0
    assert tuple(fit.years) == tuple(float(y) for y, _ in points)


def test_fit_series_two_point_ai_reports_by_count_ratio():
    fit = fit_series("iwf-ai-reports")
    direct = fit_count_ratio(
        (2023, figures.figure("iwf_ai_reports_actioned_2023").value),
        (2024, figures.figure("iwf_ai_reports_actioned_2024").value),
    )
    assert (fit.values, fit.ratio, fit.ratio_ci, fit.level) == (direct.values, direct.ratio, direct.ratio_ci, 0.95)
    assert fit.to_fragment() == {"model": "exponential", "doubling_time": "161d"}
    assert "never join" in fit.summary()
    assert "disputed" in fit_series("iwf-ai-videos").summary()


def test_fit_series_models_on_request():
    assert isinstance(fit_series("iwf-reports-assessed", model="logistic"), LogisticFit)
    assert isinstance(fit_series("iwf-reports-assessed", model="exponential"), ExponentialFit)
    assert fit_series("iwf-ai-reports", level=0.9).level == 0.9
    with pytest.raises(SeriesTooShortError, match="iwf-ai-reports.*count-ratio"):
        fit_series("iwf-ai-reports", model="exponential")
    with pytest.raises(ValueError, match="takes exactly 2"):
        fit_series("iwf-reports-assessed", model="count-ratio")
    with pytest.raises(ValueError, match="unknown model"):
        fit_series("iwf-ai-reports", model="quadratic")


def test_fit_series_unknown_name_names_the_known_series():
    with pytest.raises(UnknownSeriesError) as info:
        fit_series("iwf-ai-report")
    assert isinstance(info.value, KeyError)
    message = str(info.value)
    assert "'iwf-ai-report'" in message and "did you mean 'iwf-ai-reports'" in message
    for name in KNOWN_SERIES:
        assert name in message
    with pytest.raises(UnknownSeriesError, match="deliberately not"):
        fit_series("ncmec-generative-ai")


def test_fit_series_refuses_a_one_point_series(monkeypatch):
    monkeypatch.setitem(KNOWN_SERIES, "one-point", ("iwf_ai_reports_actioned_2024",))
    with pytest.raises(SeriesTooShortError, match="one-point.*1 point.*at least 2"):
        fit_series("one-point")


def test_module_docstring_examples_run():
    result = doctest.testmod(growth_fit, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 3 and result.failed == 0
