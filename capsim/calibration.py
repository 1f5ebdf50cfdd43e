"""Parameters derived from the published figures, and calibration targets.

Every derived parameter is a small function of figure ids from ``capsim/data/figures.csv``:
numbers are read from the table, never typed in again. :data:`DERIVED` names them so that a
scenario can refer to one by id (``{figure: iwf_2023_seconds_per_image}``), and
:func:`value_of` resolves either kind of id::

    >>> round(value_of("iwf_2023_seconds_per_image"), 2)
    28.36
    >>> value_of("iwf23_analyst_hours_total")
    87.5

Time conventions match :mod:`capsim.units`: a year is 365.25 days and a month a twelfth of
that, so an annual figure spread over simulated time comes back whole.

What the anchors mean (see ``FIGURES.md``): the IWF's 87.5 analyst-hours are the combined
total of 12 analysts for 11,108 *pre-selected* images; the screening of the other 9,146 is
not costed. The police rates are published maxima ("up to"), not means.

Why it is one module (about 600 lines): each derived parameter is a few lines reading the
figures table, and :mod:`capsim.sources` traces a derived id to its published figures by
reading this module's functions, so they stay in one place.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable

from scipy.special import ndtri  # the normal quantile; scipy.stats (a second to import) only where needed

from capsim.figures import UnknownFigureError, figure, ids, series
from capsim.growth_fit import CountRatioFit, ExponentialFit, fit_count_ratio, fit_series, two_point_doubling_time
from capsim.growth_fit import fit_pooled

DAYS_PER_YEAR = 365.25
"""Days in a year, as in :mod:`capsim.units`."""
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
"""Days in an average month (30.44)."""
SECONDS_PER_HOUR = 3600.0

IWF_ASSESSED_SERIES = ("iwf_reports_assessed_", "iwf_reports_processed_")
"""Id prefixes of the IWF yearly reports-assessed series (the id changed over the years)."""
IWF_ACTIONED_SERIES = ("iwf_reports_confirmed_", "iwf_2018_urls_actioned")
"""Id prefixes of the IWF yearly reports-actioned (confirmed CSAM) series."""


def _v(fid: str) -> float:
    return figure(fid).value


# --- the IWF forum study, October 2023 -------------------------------------------------------

def iwf_seconds_per_image() -> float:
    """Mean analyst seconds per assessed image in the IWF 2023 forum study (≈ 28.36 s).

    ``3600 × iwf23_analyst_hours_total / iwf23_ai_images_assessed``: 87.5 combined
    analyst-hours over the 11,108 pre-selected images.
    """
    return SECONDS_PER_HOUR * _v("iwf23_analyst_hours_total") / _v("iwf23_ai_images_assessed")


def iwf_images_per_analyst_hour() -> float:
    """Images assessed per analyst-hour in the IWF 2023 study (≈ 126.9 images/hour).

    ``iwf23_ai_images_assessed / iwf23_analyst_hours_total``.
    """
    return _v("iwf23_ai_images_assessed") / _v("iwf23_analyst_hours_total")


def iwf_hours_per_analyst() -> float:
    """Mean hours per analyst in the IWF 2023 study (≈ 7.29 h): total hours / 12 analysts."""
    return _v("iwf23_analyst_hours_total") / _v("iwf23_analysts")


def iwf_assessed_share() -> float:
    """Share of the forum month's AI images pre-selected for assessment (≈ 0.548).

    ``iwf23_ai_images_assessed / iwf23_ai_images_forum_month``.
    """
    return _v("iwf23_ai_images_assessed") / _v("iwf23_ai_images_forum_month")


def iwf_criminal_share() -> float:
    """Share of assessed AI images judged criminal (≈ 0.268): 2,978 / 11,108.

    ``iwf23_criminal_total / iwf23_ai_images_assessed``.
    """
    return _v("iwf23_criminal_total") / _v("iwf23_ai_images_assessed")


def iwf_realistic_share() -> float:
    """Share of criminal AI images realistic enough to be pseudo-photographs (≈ 0.860).

    ``iwf23_pseudo_photographs / iwf23_criminal_total`` = 2,562 / 2,978.
    """
    return _v("iwf23_pseudo_photographs") / _v("iwf23_criminal_total")


def iwf_forum_images_per_day() -> float:
    """AI images posted to the forum per day, spreading one month's 20,254 evenly (≈ 665/day)."""
    return _v("iwf23_ai_images_forum_month") / DAYS_PER_MONTH


def iwf_selected_images_per_day() -> float:
    """Pre-selected (assessed) AI images per day of the forum month (≈ 365/day)."""
    return _v("iwf23_ai_images_assessed") / DAYS_PER_MONTH


def iwf_2024_forum_items_per_day() -> float:
    """AI images and videos per day in the IWF's spring-2024 30-day forum review (≈ 117/day).

    ``iwf24_ai_forum_items_30d / iwf24_update_window_days``. These are the items found
    (comparable to the 2,978 criminal images of 2023), not everything posted.
    """
    return _v("iwf24_ai_forum_items_30d") / _v("iwf24_update_window_days")


# --- the IWF Hotline as a national hotline ------------------------------------------------------

def iwf_reports_assessed_per_day(year: int = 2024) -> float:
    """IWF reports assessed per calendar day in ``year`` (2024: ≈ 1,161 reports/day).

    The year's total from the assessed series divided by 365.25 days (around the clock,
    every day; analysts' working days are the roster's business).
    """
    return _year_value(IWF_ASSESSED_SERIES, year) / DAYS_PER_YEAR


def iwf_reports_actioned_per_day(year: int = 2024) -> float:
    """IWF reports actioned (confirmed CSAM) per calendar day in ``year`` (2024: ≈ 797/day)."""
    return _year_value(IWF_ACTIONED_SERIES, year) / DAYS_PER_YEAR


def iwf_confirmation_rate(year: int = 2024) -> float:
    """Share of assessed IWF reports confirmed as CSAM in ``year`` (2024: ≈ 0.687)."""
    return _year_value(IWF_ACTIONED_SERIES, year) / _year_value(IWF_ASSESSED_SERIES, year)


def iwf_reports_per_analyst_year() -> float:
    """Reports assessed per Hotline analyst per year (≈ 32,619 reports/analyst/year).

    ``iwf_reports_assessed_2024 / iwf_hotline_analysts_2023``: the 2024 volume over the
    2023 headcount, since no 2024 headcount is published.
    """
    return _v("iwf_reports_assessed_2024") / _v("iwf_hotline_analysts_2023")


def iwf_ai_images_per_report() -> float:
    """AI images per actionable AI report in 2024 (≈ 31.2 images/report): 7,644 / 245."""
    return _v("iwf_ai_images_in_reports_2024") / _v("iwf_ai_reports_actioned_2024")


def iwf_ai_reports_doubling_time_days() -> float:
    """Doubling time of IWF actionable AI reports, 51 (2023) → 245 (2024), in days (≈ 161 d).

    Two points only: a rate with no confidence interval. Read as a scenario, not a forecast.
    """
    return DAYS_PER_YEAR * two_point_doubling_time(series("iwf_ai_reports_actioned_"))


def iwf_ai_reports_count_ratio_fit(level: float = 0.95) -> CountRatioFit:
    """The exact Poisson count-ratio fit to IWF actionable AI reports, 51 (2023) → 245 (2024).

    The two counts are read from the table (``iwf_ai_reports_actioned_2023`` and
    ``iwf_ai_reports_actioned_2024``); see :func:`capsim.growth_fit.fit_count_ratio`. No
    published series of AI-generated volume is long enough for a regression, so this is the
    only interval the data allow, and a lower bound on the real uncertainty (report counts
    are overdispersed).
    """
    return fit_count_ratio(
        (figure("iwf_ai_reports_actioned_2023").year, _v("iwf_ai_reports_actioned_2023")),
        (figure("iwf_ai_reports_actioned_2024").year, _v("iwf_ai_reports_actioned_2024")),
        level,
    )


def iwf_ai_reports_doubling_time_low_days() -> float:
    """Doubling time of IWF actionable AI reports for *low* growth, in days (≈ 200 d).

    The upper (slowest) end of the 95% exact Poisson interval of the 51 → 245 count ratio
    (:func:`iwf_ai_reports_count_ratio_fit`).
    """
    return DAYS_PER_YEAR * iwf_ai_reports_count_ratio_fit(0.95).doubling_time_for("low")


def iwf_ai_reports_doubling_time_central_days() -> float:
    """Doubling time of IWF actionable AI reports for *central* growth, in days (≈ 161 d).

    The point estimate of the 51 → 245 count ratio; the same as
    ``iwf_ai_reports_doubling_time_days``.
    """
    return DAYS_PER_YEAR * iwf_ai_reports_count_ratio_fit(0.95).doubling_time_for("central")


def iwf_ai_reports_doubling_time_high_days() -> float:
    """Doubling time of IWF actionable AI reports for *high* growth, in days (≈ 134 d).

    The lower (fastest) end of the 95% exact Poisson interval of the 51 → 245 count ratio
    (:func:`iwf_ai_reports_count_ratio_fit`).
    """
    return DAYS_PER_YEAR * iwf_ai_reports_count_ratio_fit(0.95).doubling_time_for("high")


def iwf_reports_assessed_fit(level: float = 0.95) -> ExponentialFit:
    """The log-linear fit to IWF reports assessed a year, 2012-2024 (``capsim calibrate growth
    iwf-reports-assessed``): about +22.5% a year, 95% CI +18% to +27%. The last points grow
    more slowly (+4%, +5%, +8% a year, 2022-2024; 2024 lies 27% below the fitted curve), so the
    fitted rate is the long-run pace, not the recent one."""
    fit = fit_series("iwf-reports-assessed", "exponential", level)
    assert isinstance(fit, ExponentialFit)
    return fit


def iwf_reports_assessed_doubling_time_low_days() -> float:
    """Doubling time of IWF reports assessed for *low* growth, in days (≈ 1,530 d, +18% a year):
    the slow end of the 95% CI of the 2012-2024 log-linear fit (:func:`iwf_reports_assessed_fit`)."""
    return DAYS_PER_YEAR * math.log(2) / iwf_reports_assessed_fit().rate_ci[0]


def iwf_reports_assessed_doubling_time_central_days() -> float:
    """Doubling time of IWF reports assessed for *central* growth, in days (≈ 1,245 d, +22.5% a
    year): the point estimate of the 2012-2024 log-linear fit (:func:`iwf_reports_assessed_fit`)."""
    return DAYS_PER_YEAR * math.log(2) / iwf_reports_assessed_fit().rate


def iwf_reports_assessed_doubling_time_high_days() -> float:
    """Doubling time of IWF reports assessed for *high* growth, in days (≈ 1,050 d, +27.3% a year):
    the fast end of the 95% CI of the 2012-2024 log-linear fit (:func:`iwf_reports_assessed_fit`)."""
    return DAYS_PER_YEAR * math.log(2) / iwf_reports_assessed_fit().rate_ci[1]


def iwf_reports_assessed_growth_a_year() -> float:
    """Growth a year of IWF reports assessed, a share (≈ 0.225, +22.5% a year, compounding): the
    point estimate of the 2012-2024 log-linear fit (:func:`iwf_reports_assessed_fit`),
    ``exp(rate) − 1``. The same growth as the doubling time
    :func:`iwf_reports_assessed_doubling_time_central_days`."""
    return math.expm1(iwf_reports_assessed_fit().rate)


def iwf_reports_assessed_growth_a_year_sd() -> float:
    """The spread of :func:`iwf_reports_assessed_growth_a_year` as a normal's standard deviation,
    a share (≈ 0.024): the fit's 95% CI on growth a year (+18.0% to +27.3%) is taken as the
    normal's central 95%, half its width over the normal's 97.5% point (1.96). The CI is not quite
    symmetric (4.6 points below the estimate, 4.7 above): the normal's central 95%,
    +17.9% to +27.2%, is within 0.1 of a point of it at each end."""
    low, high = (math.expm1(rate) for rate in iwf_reports_assessed_fit().rate_ci)
    return (high - low) / (2 * ndtri(0.975))


def two_point_growth_interval(points: list[tuple[float, float]], level: float = 0.95) -> tuple[float, float, float]:
    """Growth a year (a share: 0.13 is +13%) from two yearly counts, with an interval borrowed from
    the year-to-year scatter of a long published series: ``(growth, low, high)``.

    Two points give a rate but no scatter of their own, and a Poisson interval (counts varying
    only by chance) is far too narrow for yearly report totals. Here each log count is taken to
    scatter around its trend as IWF reports assessed did in 2012-2024 (the residual standard
    deviation ``s`` of :func:`iwf_reports_assessed_fit`), so the log growth rate between two
    points ``Δ`` years apart has standard deviation ``s √2 / Δ`` and the interval is
    ``rate ± z s √2 / Δ``. It is an assumption — that the hotline's counts are as noisy as the
    IWF's — not a fit: more years of its own give an interval from their own scatter.
    """
    (y0, v0), (y1, v1) = sorted(points)
    if y1 <= y0 or v0 <= 0 or v1 <= 0:
        raise ValueError("two points need distinct years and counts above zero")
    fit = iwf_reports_assessed_fit()
    residuals = [math.log(v) - math.log(fit.fitted(y)) for y, v in zip(fit.years, fit.values)]
    spread = math.sqrt(sum(r * r for r in residuals) / (len(residuals) - 2))
    rate = math.log(v1 / v0) / (y1 - y0)
    half = ndtri(0.5 + level / 2) * spread * math.sqrt(2) / (y1 - y0)
    return math.expm1(rate), math.expm1(rate - half), math.expm1(rate + half)


def iwf_ai_realistic_share() -> float:
    """Share of IWF AI reports that were realistic AI imagery in 2024 (≈ 0.788): 193 / 245.

    ``iwf_ai_realistic_reports_2024 / iwf_ai_reports_actioned_2024``. The two counts come
    from different publications and are counted differently (the 193 from press coverage of
    the 2025 data), so the share is approximate; it is the only published link between them.
    """
    return _v("iwf_ai_realistic_reports_2024") / _v("iwf_ai_reports_actioned_2024")


def iwf_realistic_ai_reports_doubling_time_days() -> float:
    """Doubling time of IWF realistic-AI reports, 193 (2024) → 491 (2025), in days (≈ 271 d).

    Two points only, and a different series from the actionable AI reports: do not join them.
    """
    return DAYS_PER_YEAR * two_point_doubling_time(series("iwf_ai_realistic_reports_"))


def ai_reports_pooled_doubling_time_days(growth: str) -> float:
    """Doubling time of AI-generated reports from every published point, in days, for ``growth``
    ``"low"`` (≈ 348 d), ``"central"`` (≈ 209 d) or ``"high"`` (≈ 126 d).

    Both series of AI reports - actionable AI reports 51 (2023) → 245 (2024), realistic AI
    reports 193 (2024) → 491 (2025) - pooled by a random-effects meta-analysis of their log
    growth rates (:func:`capsim.growth_fit.fit_pooled`): the central value is the pooled
    estimate, low and high the ends of its 95% interval. The two series disagree (161 d and
    271 d), and the interval is wide because of it.
    """
    return DAYS_PER_YEAR * fit_pooled().doubling_time_for(growth)


# --- the IWF Taskforce: grading images for the hash list -------------------------------------

def iwf_taskforce_intake_per_day() -> float:
    """Images a day offered to IWF-Taskforce-sized grading *before* hash matching (≈ 7,355/day).

    ``iwf_taskforce_images_first_year / 365.25 / (1 − inhope_2024_known_share)``. The
    published million (first year) counts images *graded*, that is, what reached the graders
    after known images were screened out. If INHOPE's 2024 share of already-known material
    (63%) applied to the intake, the intake that leaves a million a year for the graders is
    1,000,000 / 0.372 a year: hash matching at that share then clears the rest. The known
    share is INHOPE's network-wide figure, not the Taskforce's own (which is not published).
    """
    graded_per_day = _v("iwf_taskforce_images_first_year") / DAYS_PER_YEAR
    return graded_per_day / (1.0 - inhope_known_share())


# --- known material, duplication and tooling ------------------------------------------------

def inhope_known_share() -> float:
    """Share of INHOPE's 2024 content URLs that were already known (≈ 0.628).

    ``1 − inhope_urls_new_2024 / inhope_urls_total_2024``: the best published proxy for
    what hash matching at a hotline can clear.
    """
    return 1.0 - _v("inhope_urls_new_2024") / _v("inhope_urls_total_2024")


def iwf_clustering_time_factor() -> float:
    """Review time per image with clustering, as a share of one-by-one time (≈ 0.472).

    ``1 / (1 + iwf_clustering_speedup)``, reading the IWF's "112% faster" as throughput × 2.12.
    """
    return 1.0 / (1.0 + _v("iwf_clustering_speedup"))


def inhope_analysts_per_hotline() -> float:
    """Mean analysts per INHOPE hotline (≈ 3.6): more than 200 analysts over 55 hotlines."""
    return _v("inhope_analysts") / _v("inhope_hotlines_2024")


# --- police units ---------------------------------------------------------------------------

def uk_police_seconds_per_image_manual() -> float:
    """Seconds per image at the UK police manual grading maximum of 200 images/hour (18 s)."""
    return SECONDS_PER_HOUR / _v("uk_police_grading_rate_manual")


def uk_police_seconds_per_image_tool() -> float:
    """Seconds per image at the claimed 2,000 images/hour with the CAID categoriser (1.8 s)."""
    return SECONDS_PER_HOUR / _v("uk_police_grading_rate_tool")


def uk_avon_referrals_per_day() -> float:
    """Online CSA image referrals per day reaching one UK force, 73 a month (≈ 2.4/day)."""
    return _v("uk_avon_somerset_cases_month") / DAYS_PER_MONTH


def uk_avon_referrals_cleared_per_day() -> float:
    """Referrals one UK force's reinforced team resolved per day: 140 in 28 days (5/day).

    The 28 days are read from the figure's unit (``referrals_per_28_days``).
    """
    fig = figure("uk_avon_backlog_clearance")
    match = re.fullmatch(r"referrals_per_(\d+)_days", fig.unit)
    if not match:
        raise ValueError(f"uk_avon_backlog_clearance: unexpected unit {fig.unit!r}")
    return fig.value / int(match.group(1))


def accce_reports_per_day() -> float:
    """Reports received per day by Australia's ACCCE in FY2023-24 (≈ 160/day)."""
    return _v("accce_reports_2023_24") / DAYS_PER_YEAR


def accce_referral_share() -> float:
    """Share of ACCCE-triaged reports that became domestic police referrals (≈ 0.019)."""
    return _v("accce_referral_rate_referred") / _v("accce_referral_rate_triaged")


def gmp_case_hours_manual() -> float:
    """Officer hours to process one indecent-images case by hand, before automation (≈ 17.3 h).

    ``gmp_automation_time_saved / gmp_automation_speedup``: Greater Manchester Police's pilot
    saved 9.5 h a case by cutting processing time by 55%, so the manual time was
    9.5 / 0.55 hours (reading "55% faster" as 55% less time; a small pilot of low-risk,
    no-contact cases, so a floor for cases in general).
    """
    return _v("gmp_automation_time_saved") / _v("gmp_automation_speedup")


# --- registry ---------------------------------------------------------------------------------

DERIVED: dict[str, Callable[[], float]] = {
    "iwf_2023_seconds_per_image": iwf_seconds_per_image,
    "iwf_2023_images_per_analyst_hour": iwf_images_per_analyst_hour,
    "iwf_2023_hours_per_analyst": iwf_hours_per_analyst,
    "iwf_2023_assessed_share": iwf_assessed_share,
    "iwf_2023_criminal_share": iwf_criminal_share,
    "iwf_2023_realistic_share": iwf_realistic_share,
    "iwf_2023_forum_images_per_day": iwf_forum_images_per_day,
    "iwf_2023_selected_images_per_day": iwf_selected_images_per_day,
    "iwf_2024_forum_items_per_day": iwf_2024_forum_items_per_day,
    "iwf_2024_reports_assessed_per_day": iwf_reports_assessed_per_day,
    "iwf_2024_reports_actioned_per_day": iwf_reports_actioned_per_day,
    "iwf_2024_confirmation_rate": iwf_confirmation_rate,
    "iwf_2024_reports_per_analyst_year": iwf_reports_per_analyst_year,
    "iwf_2024_ai_images_per_report": iwf_ai_images_per_report,
    "iwf_ai_reports_doubling_time_days": iwf_ai_reports_doubling_time_days,
    "iwf_realistic_ai_reports_doubling_time_days": iwf_realistic_ai_reports_doubling_time_days,
    "iwf_ai_reports_doubling_time_low_days": iwf_ai_reports_doubling_time_low_days,
    "iwf_ai_reports_doubling_time_central_days": iwf_ai_reports_doubling_time_central_days,
    "iwf_ai_reports_doubling_time_high_days": iwf_ai_reports_doubling_time_high_days,
    **{f"ai_reports_pooled_doubling_time_{growth}_days": (lambda g=growth: ai_reports_pooled_doubling_time_days(g))
       for growth in ("low", "central", "high")},
    "iwf_reports_assessed_doubling_time_low_days": iwf_reports_assessed_doubling_time_low_days,
    "iwf_reports_assessed_doubling_time_central_days": iwf_reports_assessed_doubling_time_central_days,
    "iwf_reports_assessed_doubling_time_high_days": iwf_reports_assessed_doubling_time_high_days,
    "iwf_reports_assessed_growth_a_year": iwf_reports_assessed_growth_a_year,
    "iwf_reports_assessed_growth_a_year_sd": iwf_reports_assessed_growth_a_year_sd,
    "iwf_2024_ai_realistic_share": iwf_ai_realistic_share,
    "inhope_2024_known_share": inhope_known_share,
    "iwf_clustering_time_factor": iwf_clustering_time_factor,
    "inhope_analysts_per_hotline": inhope_analysts_per_hotline,
    "uk_police_seconds_per_image_manual": uk_police_seconds_per_image_manual,
    "uk_police_seconds_per_image_tool": uk_police_seconds_per_image_tool,
    "uk_avon_referrals_per_day": uk_avon_referrals_per_day,
    "uk_avon_referrals_cleared_per_day": uk_avon_referrals_cleared_per_day,
    "accce_2024_reports_per_day": accce_reports_per_day,
    "accce_referral_share": accce_referral_share,
    "iwf_taskforce_intake_per_day": iwf_taskforce_intake_per_day,
    "gmp_case_hours_manual": gmp_case_hours_manual,
}
"""Derived-parameter ids → zero-argument functions returning the value (unit in each docstring)."""

DERIVED_UNITS: dict[str, str] = {
    "iwf_2023_seconds_per_image": "seconds_per_image",
    "iwf_2023_images_per_analyst_hour": "images_per_hour",
    "iwf_2023_hours_per_analyst": "hours_per_analyst",
    "iwf_2023_assessed_share": "share",
    "iwf_2023_criminal_share": "share",
    "iwf_2023_realistic_share": "share",
    "iwf_2023_forum_images_per_day": "images_per_day",
    "iwf_2023_selected_images_per_day": "images_per_day",
    "iwf_2024_forum_items_per_day": "items_per_day",
    "iwf_2024_reports_assessed_per_day": "reports_per_day",
    "iwf_2024_reports_actioned_per_day": "reports_per_day",
    "iwf_2024_confirmation_rate": "share",
    "iwf_2024_reports_per_analyst_year": "reports_per_analyst_year",
    "iwf_2024_ai_images_per_report": "images_per_report",
    "iwf_ai_reports_doubling_time_days": "days",
    "iwf_realistic_ai_reports_doubling_time_days": "days",
    "iwf_ai_reports_doubling_time_low_days": "days",
    "iwf_ai_reports_doubling_time_central_days": "days",
    "iwf_ai_reports_doubling_time_high_days": "days",
    **{f"ai_reports_pooled_doubling_time_{growth}_days": "days" for growth in ("low", "central", "high")},
    "iwf_reports_assessed_doubling_time_low_days": "days",
    "iwf_reports_assessed_doubling_time_central_days": "days",
    "iwf_reports_assessed_doubling_time_high_days": "days",
    "iwf_reports_assessed_growth_a_year": "share",
    "iwf_reports_assessed_growth_a_year_sd": "share",
    "iwf_2024_ai_realistic_share": "share",
    "inhope_2024_known_share": "share",
    "iwf_clustering_time_factor": "share",
    "inhope_analysts_per_hotline": "analysts_per_hotline",
    "uk_police_seconds_per_image_manual": "seconds_per_image",
    "uk_police_seconds_per_image_tool": "seconds_per_image",
    "uk_avon_referrals_per_day": "referrals_per_day",
    "uk_avon_referrals_cleared_per_day": "referrals_per_day",
    "accce_2024_reports_per_day": "reports_per_day",
    "accce_referral_share": "share",
    "iwf_taskforce_intake_per_day": "images_per_day",
    "gmp_case_hours_manual": "hours_per_case",
}
"""The unit of each derived parameter, in the table's short words."""


def value_of(id: str) -> float:
    """The value of a figure id (from the table) or a derived-parameter id (from :data:`DERIVED`).

    Raises :class:`~capsim.figures.UnknownFigureError` (a ``KeyError``) naming the id and
    the closest known ids when it is neither.
    """
    if id in DERIVED:
        return float(DERIVED[id]())
    try:
        return figure(id).value
    except UnknownFigureError:
        raise UnknownFigureError(id, ids() + list(DERIVED), what="figure or derived parameter") from None


def unit_of(id: str) -> str:
    """The unit of a figure id or derived-parameter id (same errors as :func:`value_of`)."""
    if id in DERIVED_UNITS:
        return DERIVED_UNITS[id]
    try:
        return figure(id).unit
    except UnknownFigureError:
        raise UnknownFigureError(id, ids() + list(DERIVED), what="figure or derived parameter") from None


def explain(id: str) -> str:
    """What an id means: a figure's ``counts`` text, or a derived parameter's docstring."""
    if id in DERIVED:
        return " ".join((DERIVED[id].__doc__ or "").split())
    try:
        return figure(id).counts
    except UnknownFigureError:
        raise UnknownFigureError(id, ids() + list(DERIVED), what="figure or derived parameter") from None


def _year_value(prefixes: tuple[str, ...], year: int) -> float:
    values = dict(series(*prefixes))
    if year not in values:
        raise KeyError(f"no figure for {year} in series {prefixes}; years available: {sorted(values)}")
    return values[year]


# --- calibration targets ------------------------------------------------------------------------

def binomial_interval(n: int, p: float, level: float = 0.95) -> tuple[int, int]:
    """Central interval of a Binomial(n, p) count, as ``(low, high)`` counts.

    ``low`` and ``high`` are the ``(1 − level)/2`` and ``(1 + level)/2`` quantiles
    (``scipy.stats.binom.ppf``), so a count drawn from Binomial(n, p) falls in
    ``[low, high]`` with probability at least ``level``. Use it to check that a simulated
    count (say, criminal images among 11,108 drawn with the published share) agrees with a
    published one.
    """
    if isinstance(n, bool) or int(n) != n or n < 0:
        raise ValueError(f"n must be a whole number ≥ 0, got {n!r}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be a probability in [0, 1], got {p!r}")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be strictly between 0 and 1, got {level!r}")
    from scipy import stats

    low = stats.binom.ppf((1.0 - level) / 2.0, int(n), p)
    high = stats.binom.ppf((1.0 + level) / 2.0, int(n), p)
    return int(low), int(high)


def total_time_interval(n: int, mean: float, cv: float, level: float = 0.95) -> tuple[float, float]:
    """Central interval for the total of ``n`` independent review times (normal approximation).

    Each time has mean ``mean`` (any unit; the interval is in the same unit) and coefficient
    of variation ``cv``; the total has mean ``n × mean`` and standard deviation
    ``mean × cv × √n``. With the IWF study's 11,108 images and ``cv = 1`` the 87.5 hours carry
    about ±1.6 h of sampling spread at 95%.
    """
    if n <= 0 or mean <= 0 or cv < 0:
        raise ValueError("n and mean must be above zero and cv at least zero")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be strictly between 0 and 1, got {level!r}")
    z = ndtri((1.0 + level) / 2.0)
    centre = n * mean
    half = z * mean * cv * math.sqrt(n)
    return float(centre - half), float(centre + half)


@dataclass(frozen=True)
class Target:
    """A published number a calibrated run should reproduce, with an acceptance interval.

    ``published`` is the figure; ``low``/``high`` bound what a run may give (same ``unit``);
    ``figures`` are the ids it rests on.
    """

    name: str
    published: float
    low: float
    high: float
    unit: str
    figures: tuple[str, ...]
    note: str = ""

    def contains(self, value: float) -> bool:
        """True when ``value`` lies within ``[low, high]``."""
        return self.low <= value <= self.high


def iwf_2023_targets(level: float = 0.95, review_cv: float = 1.0) -> dict[str, Target]:
    """Targets for the IWF forum scenario: analyst-hours, criminal and realistic counts.

    - ``analyst_hours``: 87.5 h for 11,108 images, ± the sampling spread of a sum of 11,108
      review times with coefficient of variation ``review_cv`` (the study states none);
    - ``criminal``: 2,978, within the Binomial(11,108, 2,978/11,108) central interval;
    - ``realistic``: 2,562, within the Binomial(2,978, 2,562/2,978) central interval.
    """
    n = int(_v("iwf23_ai_images_assessed"))
    criminal = int(_v("iwf23_criminal_total"))
    hours_lo, hours_hi = total_time_interval(n, iwf_seconds_per_image(), review_cv, level)
    crim_lo, crim_hi = binomial_interval(n, iwf_criminal_share(), level)
    real_lo, real_hi = binomial_interval(criminal, iwf_realistic_share(), level)
    return {
        "analyst_hours": Target(
            "analyst_hours", _v("iwf23_analyst_hours_total"), hours_lo / SECONDS_PER_HOUR,
            hours_hi / SECONDS_PER_HOUR, "analyst_hours",
            ("iwf23_analyst_hours_total", "iwf23_ai_images_assessed"),
            f"sampling spread of {n} review times with cv {review_cv:g}; the study gives no uncertainty",
        ),
        "criminal": Target(
            "criminal", float(criminal), crim_lo, crim_hi, "images",
            ("iwf23_criminal_total", "iwf23_ai_images_assessed"),
            f"central {level:.0%} interval of Binomial({n}, {iwf_criminal_share():.4f})",
        ),
        "realistic": Target(
            "realistic", _v("iwf23_pseudo_photographs"), real_lo, real_hi, "images",
            ("iwf23_pseudo_photographs", "iwf23_criminal_total"),
            f"central {level:.0%} interval of Binomial({criminal}, {iwf_realistic_share():.4f})",
        ),
    }
