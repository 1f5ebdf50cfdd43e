"""Derived parameters: each re-derived here from the table, and the lookup of ids."""

from __future__ import annotations

import dataclasses
import math

import pytest
from scipy import stats

from capsim import calibration, figures
from capsim.calibration import (
    DERIVED,
    DERIVED_UNITS,
    binomial_interval,
    iwf_2023_targets,
    total_time_interval,
    unit_of,
    value_of,
)
from capsim.figures import UnknownFigureError
from capsim.growth_fit import fit_count_ratio


def v(fid: str) -> float:
    return figures.figure(fid).value


YEAR = 365.25
MONTH = YEAR / 12


def ai_count_ratio(level: float = 0.95):
    """The exact Poisson count-ratio fit to the IWF's actionable AI reports, 2023 → 2024."""
    return fit_count_ratio(
        (2023, v("iwf_ai_reports_actioned_2023")), (2024, v("iwf_ai_reports_actioned_2024")), level
    )

def reports_assessed_doubling_days(growth: str) -> float:
    """Doubling time of IWF reports assessed 2012-2024, by ordinary least squares on the log
    counts (scipy's linregress), at the point estimate or an end of its 95% t-interval."""
    points = figures.series("iwf_reports_assessed_", "iwf_reports_processed_")
    fit = stats.linregress([year for year, _ in points], [math.log(value) for _, value in points])
    half = stats.t.ppf(0.975, len(points) - 2) * fit.stderr
    rate = {"low": fit.slope - half, "central": fit.slope, "high": fit.slope + half}[growth]
    return YEAR * math.log(2) / rate


def reports_assessed_growth_a_year(growth: str) -> float:
    """Growth a year (a share) of IWF reports assessed 2012-2024, as
    :func:`reports_assessed_doubling_days` fits it, at the point estimate or an end of its interval."""
    return 2 ** (YEAR / reports_assessed_doubling_days(growth)) - 1


def pooled_doubling_days(growth: str) -> float:
    """DerSimonian-Laird pooling of the two AI report series' log growth rates, written out by hand."""
    pairs = [("iwf_ai_reports_actioned_2023", "iwf_ai_reports_actioned_2024"),
             ("iwf_ai_realistic_reports_2024", "iwf_ai_realistic_reports_2025")]
    y, var = [], []
    for first, second in pairs:
        rate = math.log(v(second) / v(first))  # one year apart
        y.append(math.log(rate))
        var.append((1 / v(first) + 1 / v(second)) / rate ** 2)  # delta method: Poisson counts, then the log
    w = [1 / a for a in var]
    fixed = sum(wi * yi for wi, yi in zip(w, y)) / sum(w)
    q = sum(wi * (yi - fixed) ** 2 for wi, yi in zip(w, y))
    tau2 = max(0.0, (q - 1) / (sum(w) - sum(wi * wi for wi in w) / sum(w)))
    ws = [1 / (a + tau2) for a in var]
    centre, se = sum(wi * yi for wi, yi in zip(ws, y)) / sum(ws), 1 / math.sqrt(sum(ws))
    shift = {"low": -1, "central": 0, "high": 1}[growth] * stats.norm.ppf(0.975) * se
    return YEAR * math.log(2) / math.exp(centre + shift)


# each derived id, re-derived independently from figure ids
EXPECTED = {
    "iwf_taskforce_intake_per_day": lambda: v("iwf_taskforce_images_first_year") / YEAR
    / (v("inhope_urls_new_2024") / v("inhope_urls_total_2024")),
    "gmp_case_hours_manual": lambda: v("gmp_automation_time_saved") / v("gmp_automation_speedup"),
    "iwf_2023_seconds_per_image": lambda: 3600 * v("iwf23_analyst_hours_total") / v("iwf23_ai_images_assessed"),
    "iwf_2023_images_per_analyst_hour": lambda: v("iwf23_ai_images_assessed") / v("iwf23_analyst_hours_total"),
    "iwf_2023_hours_per_analyst": lambda: v("iwf23_analyst_hours_total") / v("iwf23_analysts"),
    "iwf_2023_assessed_share": lambda: v("iwf23_ai_images_assessed") / v("iwf23_ai_images_forum_month"),
    "iwf_2023_criminal_share": lambda: v("iwf23_criminal_total") / v("iwf23_ai_images_assessed"),
    "iwf_2023_realistic_share": lambda: v("iwf23_pseudo_photographs") / v("iwf23_criminal_total"),
    "iwf_2023_forum_images_per_day": lambda: v("iwf23_ai_images_forum_month") / MONTH,
    "iwf_2023_selected_images_per_day": lambda: v("iwf23_ai_images_assessed") / MONTH,
    "iwf_2024_forum_items_per_day": lambda: v("iwf24_ai_forum_items_30d") / v("iwf24_update_window_days"),
    "iwf_2024_reports_assessed_per_day": lambda: v("iwf_reports_assessed_2024") / YEAR,
    "iwf_2024_reports_actioned_per_day": lambda: v("iwf_reports_confirmed_2024") / YEAR,
    "iwf_2024_confirmation_rate": lambda: v("iwf_reports_confirmed_2024") / v("iwf_reports_assessed_2024"),
    "iwf_2024_reports_per_analyst_year": lambda: v("iwf_reports_assessed_2024") / v("iwf_hotline_analysts_2023"),
    "iwf_2024_ai_images_per_report": lambda: v("iwf_ai_images_in_reports_2024") / v("iwf_ai_reports_actioned_2024"),
    "iwf_ai_reports_doubling_time_days": lambda: YEAR * math.log(2)
    / math.log(v("iwf_ai_reports_actioned_2024") / v("iwf_ai_reports_actioned_2023")),
    "iwf_realistic_ai_reports_doubling_time_days": lambda: YEAR * math.log(2)
    / math.log(v("iwf_ai_realistic_reports_2025") / v("iwf_ai_realistic_reports_2024")),
    "iwf_ai_reports_doubling_time_low_days": lambda: YEAR * ai_count_ratio().doubling_time_ci[1],
    "iwf_ai_reports_doubling_time_central_days": lambda: YEAR * ai_count_ratio().doubling_time,
    "iwf_ai_reports_doubling_time_high_days": lambda: YEAR * ai_count_ratio().doubling_time_ci[0],
    **{f"ai_reports_pooled_doubling_time_{growth}_days": (lambda g=growth: pooled_doubling_days(g))
       for growth in ("low", "central", "high")},
    **{f"iwf_reports_assessed_doubling_time_{growth}_days": (lambda g=growth: reports_assessed_doubling_days(g))
       for growth in ("low", "central", "high")},
    "iwf_reports_assessed_growth_a_year": lambda: reports_assessed_growth_a_year("central"),
    "iwf_reports_assessed_growth_a_year_sd": lambda: (reports_assessed_growth_a_year("high")
                                                      - reports_assessed_growth_a_year("low")) / (2 * stats.norm.ppf(0.975)),
    "iwf_2024_ai_realistic_share": lambda: v("iwf_ai_realistic_reports_2024") / v("iwf_ai_reports_actioned_2024"),
    "inhope_2024_known_share": lambda: 1 - v("inhope_urls_new_2024") / v("inhope_urls_total_2024"),
    "iwf_clustering_time_factor": lambda: 1 / (1 + v("iwf_clustering_speedup")),
    "inhope_analysts_per_hotline": lambda: v("inhope_analysts") / v("inhope_hotlines_2024"),
    "uk_police_seconds_per_image_manual": lambda: 3600 / v("uk_police_grading_rate_manual"),
    "uk_police_seconds_per_image_tool": lambda: 3600 / v("uk_police_grading_rate_tool"),
    "uk_avon_referrals_per_day": lambda: v("uk_avon_somerset_cases_month") / MONTH,
    "uk_avon_referrals_cleared_per_day": lambda: v("uk_avon_backlog_clearance") / 28,
    "accce_2024_reports_per_day": lambda: v("accce_reports_2023_24") / YEAR,
    "accce_referral_share": lambda: v("accce_referral_rate_referred") / v("accce_referral_rate_triaged"),
}


def test_every_derived_parameter_is_checked_here():
    assert set(EXPECTED) == set(DERIVED) == set(DERIVED_UNITS)


@pytest.mark.parametrize("did", sorted(EXPECTED))
def test_derived_parameter_re_derived_from_the_table(did):
    assert DERIVED[did]() == pytest.approx(EXPECTED[did](), rel=1e-12)
    assert value_of(did) == pytest.approx(EXPECTED[did](), rel=1e-12)


def test_seconds_per_image_is_28_36():
    s = calibration.iwf_seconds_per_image()
    assert s == 3600 * v("iwf23_analyst_hours_total") / v("iwf23_ai_images_assessed")
    assert round(s, 2) == 28.36
    assert round(s, 2) == v("iwf23_derived_seconds_per_image")


def test_headline_shares():
    assert round(calibration.iwf_criminal_share(), 3) == 0.268
    assert round(calibration.iwf_realistic_share(), 3) == 0.860
    assert round(calibration.inhope_known_share(), 2) == 0.63
    assert round(calibration.iwf_images_per_analyst_hour(), 1) == 126.9
    assert calibration.uk_police_seconds_per_image_manual() == 18.0


def test_derived_values_follow_the_table_not_typed_in_numbers(monkeypatch):
    real = calibration.figure

    def patched(fid):
        f = real(fid)
        return dataclasses.replace(f, value=175.0) if fid == "iwf23_analyst_hours_total" else f

    monkeypatch.setattr(calibration, "figure", patched)
    assert calibration.iwf_seconds_per_image() == pytest.approx(3600 * 175.0 / 11108)
    assert value_of("iwf_2023_seconds_per_image") == pytest.approx(2 * 3600 * 87.5 / 11108)


def test_derived_ids_do_not_shadow_table_ids():
    assert not set(DERIVED) & set(figures.ids())


def test_value_of_resolves_table_ids_and_units():
    assert value_of("iwf23_analyst_hours_total") == 87.5
    assert unit_of("iwf23_analyst_hours_total") == "analyst_hours"
    assert unit_of("iwf_2023_seconds_per_image") == "seconds_per_image"
    assert "iwf23_analyst_hours_total" in calibration.explain("iwf_2023_seconds_per_image")
    assert calibration.explain("iwf23_criminal_total") == figures.figure("iwf23_criminal_total").counts


def test_value_of_unknown_id_suggests_derived_and_table_ids():
    with pytest.raises(UnknownFigureError) as info:
        value_of("iwf_2023_second_per_image")
    assert isinstance(info.value, KeyError)
    assert "iwf_2023_seconds_per_image" in info.value.suggestions
    assert "iwf_2023_second_per_image" in str(info.value)
    with pytest.raises(UnknownFigureError):
        unit_of("nothing_like_this")


def test_iwf_per_day_for_a_year_without_figures_says_so():
    with pytest.raises(KeyError, match="2016"):
        calibration.iwf_reports_assessed_per_day(2016)


@pytest.mark.parametrize("n,p", [(11108, 0.2681), (2978, 0.8603), (50, 0.1), (10, 0.5)])
def test_binomial_interval_is_central_and_covers(n, p):
    low, high = binomial_interval(n, p, 0.95)
    assert (low, high) == (stats.binom.ppf(0.025, n, p), stats.binom.ppf(0.975, n, p))
    coverage = stats.binom.cdf(high, n, p) - stats.binom.cdf(low - 1, n, p)
    assert coverage >= 0.95
    assert low <= n * p <= high


def test_binomial_interval_edges_and_errors():
    assert binomial_interval(100, 0.0) == (0, 0)
    assert binomial_interval(100, 1.0) == (100, 100)
    assert binomial_interval(0, 0.3) == (0, 0)
    for bad in [(-1, 0.5, 0.95), (10.5, 0.5, 0.95), (10, 1.5, 0.95), (10, 0.5, 1.0)]:
        with pytest.raises(ValueError):
            binomial_interval(*bad)


def test_iwf_targets_hold_the_published_counts():
    targets = iwf_2023_targets()
    assert targets["criminal"].contains(2978) and targets["criminal"].published == 2978
    assert targets["realistic"].contains(2562)
    assert targets["analyst_hours"].contains(87.5)
    assert 85 < targets["analyst_hours"].low < 87.5 < targets["analyst_hours"].high < 90
    assert (targets["criminal"].low, targets["criminal"].high) == binomial_interval(
        11108, 2978 / 11108
    )


def test_total_time_interval_scales_with_root_n():
    lo, hi = total_time_interval(10000, 30.0, 1.0, 0.95)
    assert (lo + hi) / 2 == pytest.approx(300000.0)
    assert (hi - lo) / 2 == pytest.approx(stats.norm.ppf(0.975) * 30.0 * 100)


# --- growth scenarios: the doubling time of AI reports at the ends of its interval -------------

AI_LEVELS = ("low", "central", "high")


def test_ai_doubling_times_come_from_the_exact_count_ratio_interval():
    c1, c2 = v("iwf_ai_reports_actioned_2023"), v("iwf_ai_reports_actioned_2024")
    n = c1 + c2
    p_low = stats.beta.ppf(0.025, c2, c1 + 1)  # Clopper-Pearson, 95%
    p_high = stats.beta.ppf(0.975, c2 + 1, c1)
    slowest = YEAR * math.log(2) / math.log(p_low / (1 - p_low))
    fastest = YEAR * math.log(2) / math.log(p_high / (1 - p_high))
    assert n == 296
    assert value_of("iwf_ai_reports_doubling_time_low_days") == pytest.approx(slowest, rel=1e-9)
    assert value_of("iwf_ai_reports_doubling_time_high_days") == pytest.approx(fastest, rel=1e-9)
    assert value_of("iwf_ai_reports_doubling_time_central_days") == pytest.approx(
        YEAR * math.log(2) / math.log(c2 / c1), rel=1e-12
    )


def test_ai_doubling_times_are_ordered_and_central_is_the_two_point_value():
    low, central, high = (value_of(f"iwf_ai_reports_doubling_time_{level}_days") for level in AI_LEVELS)
    assert low > central > high > 0
    assert central == pytest.approx(value_of("iwf_ai_reports_doubling_time_days"), rel=1e-12)
    assert round(central) == 161
    assert 130 < high < 140 and 195 < low < 205
    for level in AI_LEVELS:
        assert unit_of(f"iwf_ai_reports_doubling_time_{level}_days") == "days"


def test_ai_doubling_times_follow_the_table(monkeypatch):
    real = calibration.figure

    def patched(fid):
        f = real(fid)
        return dataclasses.replace(f, value=102.0) if fid == "iwf_ai_reports_actioned_2023" else f

    monkeypatch.setattr(calibration, "figure", patched)
    assert value_of("iwf_ai_reports_doubling_time_central_days") == pytest.approx(
        YEAR * math.log(2) / math.log(245 / 102), rel=1e-12
    )
    assert value_of("iwf_ai_reports_doubling_time_low_days") > value_of("iwf_ai_reports_doubling_time_central_days")


def test_ai_realistic_share():
    assert round(value_of("iwf_2024_ai_realistic_share"), 3) == 0.788
    assert unit_of("iwf_2024_ai_realistic_share") == "share"
