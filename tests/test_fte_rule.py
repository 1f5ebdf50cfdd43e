"""One rule of FTE however a roster is written (capsim.workforce.seat_fte): the same seats written as a
team ``roster:`` or as a ``shifts:`` pattern have the same ``fte`` metric, staff cost and notes, under,
at and over a full-time week (a user trial found 8 seats of 10 h × Mon–Fri counted as 10 FTE on a
roster and as 8 on a pattern, capped at full time)."""

from __future__ import annotations

import pytest

from capsim.engine import simulate_replication
from capsim.metrics import replication_metrics
from capsim.scenario import load_scenario
from capsim.staff_notes import fte_basis, heads_words, staff_lines
from capsim.units import SECONDS_PER_DAY, SECONDS_PER_YEAR
from capsim.workforce import contracted_hours, headcount_fte, pattern_fte

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
ANNUAL_COST = 40_000.0
"""Salary of one FTE a year, GBP."""
HIRE_COST = 5_000.0
"""Recruitment and vetting of one new person, GBP."""
MEASURED_YEARS = 21 * SECONDS_PER_DAY / SECONDS_PER_YEAR
"""The measured period of :func:`hotline`: days 7 to 28, in years of 365.25 days."""
MEAN_SEATS = (3 * 7 + 5 * 14) / 21
"""Mean seats of :func:`hotline` over the measured period: 3 to day 14, then 5."""


def hotline(hours_per_day: float, written: str, **team) -> dict:
    """Monday 1 January 2024 for 28 days (7 of warm-up): 3 seats of ``hours_per_day`` h from 08:00
    Monday to Friday, 5 from day 14 (2 new analysts), written as a ``roster`` or as one ``shifts``
    pattern; 2 reports an hour of 20 minutes; ``annual_cost`` and ``hire_cost`` set, no attrition
    (so both forms have the same analysts in post)."""
    shift = {"hours_per_day": hours_per_day, "days": WEEKDAYS, "start": "08:00"}
    staff = ({"roster": shift, "headcount": 3} if written == "roster"
             else {"shifts": [{"name": "weekday", "headcount": 3, **shift}]})
    return {"name": written, "clock": {"horizon": "28d", "warmup": "7d", "start": "2024-01-01"},
            "priorities": ["normal"],
            "demand": [{"stream": "reports", "unit": "report", "rate": "2/h", "priority": "normal"}],
            "review": {"report": {"dist": "exponential", "mean": "20min"}},
            "workforce": [{"team": "hotline", **staff, "changes": [{"date": "2024-01-15", "headcount": 5}], **team}],
            "costs": {"currency": "GBP", "teams": {"hotline": {"annual_cost": ANNUAL_COST, "hire_cost": HIRE_COST}}}}


def measured(raw: dict) -> dict[str, float]:
    """One replication's metrics."""
    scenario = load_scenario(raw)
    return replication_metrics(scenario, simulate_replication(scenario, 1, 0))


@pytest.mark.parametrize("hours_per_day, per_seat", [
    (6, 1.0),    # 30 h a week, under full time: the analysts' contract is the 30 h they work
    (8, 1.0),    # 40 h: full time
    (10, 1.25),  # 50 h, over full time: 50 / 40, a seat takes more than one person
])
def test_the_same_seats_written_as_a_roster_or_a_shift_pattern_have_one_fte_cost_and_note(hours_per_day, per_seat):
    roster, pattern = hotline(hours_per_day, "roster"), hotline(hours_per_day, "shifts")
    teams = [load_scenario(raw).workforce[0] for raw in (roster, pattern)]
    assert [headcount_fte(team, 3) for team in teams] == [pytest.approx(3 * per_seat)] * 2
    assert heads_words(teams[0]) == heads_words(teams[1])
    for team, heads in zip(teams, ["seats", "analysts"]):
        assert f"3 {heads} are {3 * per_seat:.3g} FTE" in fte_basis(team)
    # a pattern's FTE a head as it is (1.25, never rounded to 1.2: 3 × 1.2 would not be the 3.75 stated)
    assert f"weekday 3 × {per_seat:g} FTE" in staff_lines(load_scenario(pattern))[0]

    by_roster, by_pattern = measured(roster), measured(pattern)
    assert by_roster["fte"] == pytest.approx(MEAN_SEATS * per_seat, rel=1e-9)
    assert by_pattern["fte"] == pytest.approx(by_roster["fte"], rel=1e-9)
    # salaries per FTE-year; recruitment per person: two new seats of per_seat people each
    cost = MEAN_SEATS * per_seat * MEASURED_YEARS * ANNUAL_COST + 2 * per_seat * HIRE_COST
    assert by_roster["cost_staff"] == pytest.approx(cost, rel=1e-9)
    assert by_pattern["cost_staff"] == pytest.approx(cost, rel=1e-9)


def test_a_part_time_seat_is_a_fraction_of_an_fte_but_one_person_to_recruit_either_way():
    # 4 h × Mon–Fri on 40 h contracts: 0.5 FTE a seat, paid as such; a new seat still recruits a person
    for written in ("roster", "shifts"):
        metrics = measured(hotline(4, written, contracted_hours=40))
        assert metrics["fte"] == pytest.approx(MEAN_SEATS * 0.5, rel=1e-9)
        cost = MEAN_SEATS * 0.5 * MEASURED_YEARS * ANNUAL_COST + 2 * HIRE_COST
        assert metrics["cost_staff"] == pytest.approx(cost, rel=1e-9), written


def test_the_contracted_week_of_shift_patterns_is_the_longest_without_an_fte_of_its_own():
    # a 37.5 h early shift is a full-time week, as on a roster; on-call's 84 h at its own fte 0.2 set no contract
    raw = hotline(7.5, "shifts")
    raw["workforce"][0]["shifts"].append({"name": "on-call", "headcount": 1, "hours_per_day": 12, "start": "20:00",
                                          "days": [*WEEKDAYS, "sat", "sun"], "fte": 0.2})
    team = load_scenario(raw).workforce[0]
    assert contracted_hours(team) == 37.5
    assert [pattern_fte(team, p) for p in (0, 1)] == [1.0, 0.2]


def test_the_fte_metric_counts_hires_at_the_fte_of_the_pattern_they_join():
    # early 40 h (1 FTE) 3 analysts, weekend 2 × 10 h (0.5 FTE) 2; 4 hires join early on day 14
    raw = hotline(8, "shifts")
    raw["workforce"][0]["shifts"].append({"name": "weekend", "headcount": 2, "hours_per_day": 10,
                                          "days": ["sat", "sun"], "start": "08:00"})
    raw["workforce"][0]["changes"] = [{"date": "2024-01-15", "headcount": 9}]
    metrics = measured(raw)
    fte = (3 * 7 + 7 * 14) / 21 * 1.0 + 2 * 0.5
    assert metrics["fte"] == pytest.approx(fte, rel=1e-9)
    assert metrics["cost_staff"] == pytest.approx(fte * MEASURED_YEARS * ANNUAL_COST + 4 * HIRE_COST, rel=1e-9)
