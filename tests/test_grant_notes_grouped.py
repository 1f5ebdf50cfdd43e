"""The grant's chart intervals and plan notes, written as the report and capsim staff write theirs.

The grant chart wrote a share "98.6%" over its bar with "(97–99.95)" under it, where the report says
"98.6% (95% CI 97.3% to 99.95%)": a reader saw 97 beside 98.6. The interval over a bar now has the
report's decimals: "(97.3–99.95)".

``capsim grant`` and its report page listed the plan's notes one per grant year per team, the same
note word for word each year; ``capsim staff`` gives consecutive periods with the same note once. The
grant now does the same, naming the years: "2027/28–2029/30: ...".
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from capsim import charts
from capsim.grant import grant
from capsim.scenario import load_scenario
from capsim.staffing import Limits, _above_need
from capsim.words import interval_bounds
from tests.test_grant import hotline
from tests.test_grant_trial11 import page, terminal

GRANT_START = dt.date(2027, 4, 1)

LATE = ("late by 21 weeks: its hires should have been recruited by 2026-11-01, before the plan starts "
        "(2027-04-01)")
"""A note said of one year only."""

KEPT = _above_need(1, True, False, Limits(), "")
"""A seat kept from the year before, with the rule it follows in brackets."""

RULE = " (the plan never cuts seats for a smaller need)"


@pytest.fixture(scope="module")
def three_years():
    """The small hotline over three grant years (2027/28 to 2029/30), two replications."""
    return grant([load_scenario(hotline())], GRANT_START, 3, replications=2, workers=1)


def with_notes(result, notes: list[str]):
    """``result`` with its one plan's grant years noted ``notes`` (one a year), the rest as it was."""
    (plan,) = result.plans["small"]
    periods = [dataclasses.replace(period, note=note) for period, note in zip(plan.periods, notes, strict=True)]
    return dataclasses.replace(result, plans={"small": [dataclasses.replace(plan, periods=periods)]})


def test_consecutive_grant_years_with_one_note_are_given_once_in_terminal_and_page(three_years):
    from capsim.report.grant import plan_notes

    assert KEPT == f"1 analyst above its own need: kept from the period before{RULE}"
    noted = with_notes(three_years, [LATE, KEPT, KEPT])
    assert plan_notes(noted) == {"small": [f"small, team analysts, 2027/28: {LATE}",
                                           f"small, team analysts, 2028/29–2029/30: {KEPT}"]}
    for shown in (terminal(noted), page(noted)):
        assert f"small, team analysts, 2028/29–2029/30: {KEPT}" in shown
        assert "small, team analysts, 2029/30:" not in shown and shown.count(KEPT) == 1


def test_a_grant_note_run_needs_consecutive_years_and_its_rule_is_said_once(three_years):
    from capsim.report.grant import plan_notes

    noted = with_notes(three_years, [KEPT, "", KEPT])
    assert plan_notes(noted) == {"small": [f"small, team analysts, 2027/28: {KEPT}",
                                           f"small, team analysts, 2029/30: {KEPT.removesuffix(RULE)}"]}


@pytest.mark.parametrize(("low", "high"), [(0.973, 0.9995), (0.904, 0.99), (0.85, 0.95), (0.97, 1.0)])
def test_the_interval_over_a_bar_has_the_reports_decimals(three_years, low, high):
    result = three_years
    table = result.table.copy()
    table[["sla_normal", "sla_normal_ci_low", "sla_normal_ci_high"]] = 0.95, low, high
    first, last = (end.removesuffix("%") for end in interval_bounds("sla_normal", low, high))
    assert f"95% CI {first}% to {last}%" in page(dataclasses.replace(result, table=table))
    fig = charts.grant_per_year(table, result.scenarios, result.seed, result.replications)
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_text().startswith("95.0%")]
    assert len(labels) == 3 and all(label == f"95.0%\n({first}–{last})" for label in labels)


def crowded(result, copies: int, years: int):
    """``result``'s table and scenario drawn ``copies`` times (scenarios "s1", "s2", ...) over ``years``
    grant years, each a copy of its first, with one cost and one share, 98.6% (95% CI 97.3% to 99.95%):
    every label over a bar at one height. Returns the table and the scenarios."""
    (scenario,) = result.scenarios
    first = result.table[result.table.year != "all"].iloc[[0]]
    rows = [first.assign(scenario=f"s{i + 1}", year=f"{2027 + k}/{(28 + k) % 100:02d}")
            for i in range(copies) for k in range(years)]
    table = pd.concat(rows, ignore_index=True)
    table[["sla_normal", "sla_normal_ci_low", "sla_normal_ci_high"]] = 0.986, 0.973, 0.9995
    return table, [scenario.model_copy(update={"name": f"s{i + 1}"}) for i in range(copies)]


@pytest.mark.parametrize(("copies", "years", "label"), [
    (1, 3, "98.6%\n(97.3–99.95)"),  # room for the range on one line
    (2, 5, "98.6%\n(97.3 to\n99.95)"),  # ten bars: the range written out over two lines
    (3, 3, "98.6%\n(97.3 to\n99.95)"),
])
def test_labels_over_neighbouring_bars_do_not_run_into_each_other(three_years, copies, years, label):
    """With the report's decimals, "(97.3–99.95)" is wider than ten bars leave it: labels over
    neighbouring bars ran into each other. Where a label is wider than its bar's step, its range is
    written out over two lines."""
    table, scenarios = crowded(three_years, copies, years)
    fig = charts.grant_per_year(table, scenarios, three_years.seed, three_years.replications)
    fig.draw_without_rendering()
    labels = [t for t in fig.axes[0].texts if t.get_text().startswith("98.6%")]
    assert len(labels) == copies * years and {t.get_text() for t in labels} == {label}
    boxes = sorted((t.get_window_extent() for t in labels), key=lambda box: box.x0)
    assert all(left.x1 < right.x0 for left, right in zip(boxes, boxes[1:]))
