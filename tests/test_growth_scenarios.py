"""The three growth scenarios: they load, their growth is the derived interval, and order holds."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

import capsim
from capsim import demand
from capsim.calibration import value_of
from capsim.demand import cell_means, cell_seconds
from capsim.scenario import GrowthExponential, GrowthNone

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
LEVELS = ("low", "central", "high")
DAY = 86400.0
YEAR = 365.25 * DAY


def load(level: str) -> capsim.Scenario:
    return capsim.load_scenario(SCENARIOS / f"growth-{level}.yaml")


def ai_stream(scenario: capsim.Scenario):
    (stream,) = [s for s in scenario.demand if s.stream == "ai-generated"]
    return stream


@pytest.fixture(scope="module")
def scenarios() -> dict[str, capsim.Scenario]:
    return {level: load(level) for level in LEVELS}


@pytest.mark.parametrize("level", LEVELS)
def test_growth_scenario_loads_with_a_three_year_horizon(scenarios, level):
    scenario = scenarios[level]
    assert scenario.name == f"growth-{level}"
    assert scenario.clock.horizon == (28 + 1096) * DAY  # the warm-up, then three grant years from 2027-04-01
    assert scenario.clock.start + dt.timedelta(seconds=scenario.clock.warmup) == dt.date(2027, 4, 1)
    assert [s.stream for s in scenario.demand] == ["reports", "ai-generated", "images"]


@pytest.mark.parametrize("level", LEVELS)
def test_ai_stream_doubling_time_is_the_derived_parameter_exactly(scenarios, level):
    stream = ai_stream(scenarios[level])
    assert isinstance(stream.growth, GrowthExponential)
    assert stream.growth.doubling_time == pytest.approx(value_of(f"ai_reports_pooled_doubling_time_{level}_days") * DAY,
                                                        rel=1e-12)  # central: the median of the uncertain input
    assert stream.rate * YEAR == pytest.approx(value_of("iwf_ai_reports_actioned_2024"), rel=1e-12)
    assert stream.unit == "report"
    assert stream.mix.ai_generated == 1.0 and stream.mix.criminal == 1.0
    assert stream.mix.realistic == value_of("iwf_2024_ai_realistic_share")


@pytest.mark.parametrize("level", LEVELS)
def test_only_the_growth_the_clock_and_the_analysts_in_post_differ_from_base(scenarios, level):
    base = capsim.load_scenario(SCENARIOS / "base.yaml")
    scenario = scenarios[level]
    reports = scenario.demand[0]
    assert reports.model_copy(update={"growth": GrowthNone(), "rate_date": None}) == base.demand[0]
    assert reports.rate_date == dt.date(2024, 7, 1)  # the 2024 volume, grown from mid-2024
    assert reports.growth.doubling_time == pytest.approx(
        value_of(f"iwf_reports_assessed_doubling_time_{level}_days") * DAY, rel=1e-12)
    assert ai_stream(scenario).model_copy(update={"growth": GrowthNone()}) == ai_stream(base)
    for section in ("review", "tooling", "sla", "costs", "experiment", "priorities"):
        assert getattr(scenario, section) == getattr(base, section), section
    # the analysts in post at the grant start, the same in all three; every other team as in base
    analysts, base_analysts = scenario.workforce[0], base.workforce[0]
    assert analysts.team == "analysts" and analysts.headcount == 25
    assert analysts.model_copy(update={"headcount": base_analysts.headcount}) == base_analysts
    assert scenario.workforce[1:] == base.workforce[1:]


def test_final_year_ai_rate_is_ordered_low_central_high(scenarios):
    t = np.linspace(scenarios["low"].clock.horizon - YEAR, scenarios["low"].clock.horizon, 2000)
    final_year = {
        level: float(np.mean(demand.rate_at(ai_stream(s), s.clock, t))) * YEAR for level, s in scenarios.items()
    }
    assert final_year["low"] < final_year["central"] < final_year["high"]
    # central: 245 a year doubling every ~209 d (the AI report series pooled)
    end = {level: demand.rate_at(ai_stream(s), s.clock, np.array([s.clock.horizon]))[0] * YEAR
           for level, s in scenarios.items()}
    days = scenarios["central"].clock.horizon / DAY  # growth from the clock's start
    assert end["central"] == pytest.approx(245 * 2 ** (days / value_of("ai_reports_pooled_doubling_time_central_days")))


def test_final_year_arrivals_are_ordered_low_central_high(scenarios):
    """Expected arrivals in the last measured year, every stream, ordered low < central < high.

    Computed from the demand model, not simulated: :func:`capsim.demand.cell_means` gives the
    Poisson mean of every sampling cell, which is exactly what the engine draws each cell's
    arrivals from (tests/test_demand.py checks that simulated arrivals follow these means under
    growth). So this still catches what three 3-year simulations (~70 s) caught: a scenario
    file whose growth, rate date or clock puts a level's final-year volume out of order, in any
    stream, weekly pattern and cell midpoints included. It also shows that one simulated
    replication would be ordered too: adjacent levels differ by over 50 Poisson standard
    deviations of the larger count (the sampling noise of one replication's final-year total).
    """
    final = {}
    for level, scenario in scenarios.items():
        width = cell_seconds(scenario.clock)
        first = int((scenario.clock.horizon - YEAR) // width)  # the last year's cells (whole cells here)
        assert first * width == scenario.clock.horizon - YEAR
        final[level] = sum(float(cell_means(stream, scenario.clock)[first:].sum()) for stream in scenario.demand)
    assert final["low"] < final["central"] < final["high"]
    for lower, upper in (("low", "central"), ("central", "high")):
        assert final[upper] - final[lower] > 50 * math.sqrt(final[upper]), (lower, upper, final)


def test_growth_central_carries_both_growth_intervals_as_uncertain_inputs(scenarios):
    reports, ai = scenarios["central"].uncertain
    assert ai.key == "demand.ai-generated.growth.doubling_time" and ai.spec.name == "ai-growth"
    # the pooled fit's 95% interval is the lognormal's central 95%, and its median the point estimate
    assert ai.spec.frozen().ppf(0.025) == pytest.approx(value_of("ai_reports_pooled_doubling_time_high_days") * DAY, rel=1e-9)
    assert ai.spec.frozen().ppf(0.975) == pytest.approx(value_of("ai_reports_pooled_doubling_time_low_days") * DAY, rel=1e-9)
    # all other reports: the 2012-2024 fit's 95% interval on growth a year, as a normal whose median is
    # the growth the ordinary run uses (growth-low and -high's doubling times are the interval's ends)
    assert reports.key == "demand.reports.growth.per_year" and reports.spec.name == "report-growth"
    per_year = {level: 2 ** (YEAR / (value_of(f"iwf_reports_assessed_doubling_time_{level}_days") * DAY)) - 1
                for level in LEVELS}
    frozen = reports.spec.frozen()
    assert frozen.ppf(0.5) == pytest.approx(per_year["central"], rel=1e-12)
    assert scenarios["central"].demand[0].growth.doubling_time == pytest.approx(
        value_of("iwf_reports_assessed_doubling_time_central_days") * DAY, rel=1e-12)
    # the normal is symmetric, the fit's interval on growth a year nearly so: each end within 0.1 of a point
    assert abs(frozen.ppf(0.025) - per_year["low"]) < 0.001 and abs(frozen.ppf(0.975) - per_year["high"]) < 0.001
    assert scenarios["low"].uncertain == [] and scenarios["high"].uncertain == []


def test_growth_videos_adds_a_video_stream_sharing_the_ai_growth_unknown():
    from capsim.uncertain_inputs import unknowns

    videos = capsim.load_scenario(SCENARIOS / "growth-videos.yaml")
    (stream,) = [s for s in videos.demand if s.stream == "ai-videos"]
    assert stream.unit == "video" and stream.rate * YEAR == pytest.approx(value_of("iwf_ai_videos_2025"), rel=1e-12)
    assert stream.growth.doubling_time == ai_stream(videos).growth.doubling_time
    assert [(u.label, len(u.keys)) for u in unknowns(videos.uncertain)] == [("report-growth", 1), ("ai-growth", 2),
                                                                       ("review.video.mean", 1)]
    assert videos.review["video"].mean == pytest.approx(60 * math.sqrt(2 * 20))  # minutes: the lognormal's median
