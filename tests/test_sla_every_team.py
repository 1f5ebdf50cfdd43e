"""Every team serving a priority is judged on its own service level.

A user trial (two teams: intake refers criminal reports to grading at priority ``normal``, the
incoming reports' own priority) read "reports assessed within 5 d … the 90% target is met in every
year" in the year table, the findings and the year-by-year chart, while grading's own
``sla_normal_grading`` was under 1%: the streams' share counts intake's items alone, and a
referral-only rule was the only way a team's share was shown. Now every team that serves the
priority has its own line and verdict (the rule ``capsim staff`` plans by:
:func:`capsim.metric_names.team_priorities`), and the streams' share says whose items it counts.
"""

from __future__ import annotations

import pandas as pd
import pytest

from capsim.charts.by_year import by_year, sla_measures
from capsim.charts.waits import time_to_assessment
from capsim.experiment import simulate
from capsim.report.findings import headline_findings
from capsim.report.years import year_columns
from capsim.scenario import load_scenario

TWO_TEAMS = {
    "name": "two-teams",
    "clock": {"horizon": "300d", "warmup": "14d", "start": "2027-07-05", "step": "7d"},
    "priorities": ["normal"],
    "demand": [{"stream": "reports", "unit": "report", "rate": "30000/year", "priority": "normal",
                "mix": {"ai_generated": 0.2, "known": 0.0, "criminal": 0.4}, "team": "intake"}],
    "review": {"report": {"dist": "lognormal", "mean": "4min", "cv": 1.0}},
    "workforce": [
        {"team": "intake", "headcount": 8,
         "roster": {"hours_per_day": 8, "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00"}},
        {"team": "grading", "headcount": 1,
         "roster": {"hours_per_day": 8, "days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00"},
         "task_time": {"dist": "lognormal", "mean": "30min", "cv": 1.0}},
    ],
    "routing": [{"from": "intake", "to": "grading", "when": {"criminal": True}, "priority": "normal"}],
    "sla": [{"priority": "normal", "within": "5d", "target": 0.9}],
}
"""Intake (8 analysts) meets its 5-day target on every report; grading (1 analyst for about 33 half-hour
referrals a day) cannot."""


@pytest.fixture(scope="module")
def run():
    return simulate(load_scenario(TWO_TEAMS), replications=2, seed=3)


def _title(fig) -> str:
    return " ".join(fig._suptitle.get_text().split())


def test_premise_intake_meets_grading_misses(run):
    table = run.period_summary
    assert (table[table.metric == "sla_normal"]["mean"] >= 0.99).all()
    assert (table[table.metric == "sla_normal_grading"]["mean"] < 0.5).all()


def test_each_team_serving_the_priority_is_measured(run):
    """The streams' share (its one intake team's, so no second line for intake) and grading's own."""
    assert [(metric, team) for _, metric, team in sla_measures(run.scenario)] == [
        ("sla_normal", ""), ("sla_normal_grading", "grading")]


def test_year_table_has_grading_columns(run):
    headings = [heading for _, heading, _ in year_columns(run)]
    assert "Reports arriving at team intake assessed within 5 d (target 90%)" in headings
    assert "Reports referred to team grading assessed within 5 d (target 90%)" in headings


def test_findings_judge_grading(run):
    found = headline_findings(run)
    assert any(f.startswith("The target of 90% of reports referred to team grading within 5 d is first missed in "
                            "2027 (19 Jul–31 Dec)") for f in found), found
    assert any("of reports referred to team grading were assessed within 5 d of arriving" in f
               and "the target is missed;" in f for f in found), found
    # the streams' share, labelled as theirs
    assert any(f.startswith("The target of 90% of reports arriving at team intake within 5 d is met in every year")
               for f in found), found


def test_by_year_title_never_hides_the_team_that_misses(run):
    fig = by_year(run)
    title = _title(fig)
    assert "reports referred to team grading assessed within 5 d (of those arriving in each year)" in title
    grading = title.split("reports referred to team grading")[1]
    assert "the 90% target is first missed in 2027 (19 Jul–31 Dec)" in grading
    assert "1 (team grading)" in title  # the staff that level holds for
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "reports referred to team grading within 5 d" in legend


def test_time_to_assessment_shows_grading(run):
    fig = time_to_assessment(run.per_replication, run.scenario, run.seed)
    title = _title(fig)
    assert "; of reports referred to team grading, " in title
    assert "the 90% target is missed" in title.split("team grading")[1]
    rows = [" ".join(t.get_text().split()) for t in fig.axes[1].get_yticklabels()]
    assert "reports referred to team grading" in rows


CLASSIFIED = {
    "name": "classified",
    "clock": {"horizon": "300d", "warmup": "14d", "start": "2027-07-05", "step": "7d"},
    "priorities": ["high", "normal"],
    "demand": [{"stream": "reports", "unit": "report", "rate": "40000/year", "priority": "normal",
                "mix": {"ai_generated": 0.2, "known": 0.0, "criminal": 0.4}}],
    "review": {"report": {"dist": "lognormal", "mean": "5min", "cv": 1.0}},
    "workforce": [{"team": "analysts", "headcount": 1,
                   "roster": {"hours_per_day": 8, "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00"}}],
    "tooling": {"classifier": {"enabled": True, "recall": 0.9, "fpr": 0.1, "positive_priority": "high",
                               "negative_priority": "normal", "time_factor": 0.8}},
    "sla": [{"priority": "normal", "within": "72h", "target": 0.9}],
}
"""One team whose classifier puts the reports it flags (``high``) before those it does not (``normal``,
the reports' own priority): ``sla_normal`` then counts the unflagged reports alone, and
``sla_normal_original`` every report, like for like with the same team without the classifier."""


@pytest.fixture(scope="module")
def classified():
    return simulate(load_scenario(CLASSIFIED), replications=2, seed=3)


def _mean(result, metric: str) -> float:
    table = result.summary
    return float(table.loc[table.metric == metric, "mean"].iloc[0])


def test_classifier_measures_like_for_like_first(classified):
    assert [metric for _, metric, _ in sla_measures(classified.scenario)] == ["sla_normal_original", "sla_normal"]
    assert _mean(classified, "sla_normal_original") != _mean(classified, "sla_normal")  # the premise: two numbers


def test_classifier_findings_give_all_reports_first(classified):
    from capsim.words import fmt

    found = [f for f in headline_findings(classified) if "were assessed within 72 h of arriving" in f]
    assert found[0].startswith(f"{fmt('sla_normal_original', _mean(classified, 'sla_normal_original'))} (")
    assert " of reports (flagged by the classifier or not) were assessed within 72 h" in found[0]
    assert found[1].startswith(f"{fmt('sla_normal', _mean(classified, 'sla_normal'))} (")
    assert " of reports the classifier did not flag were assessed within 72 h" in found[1]


def test_classifier_year_table_and_chart_give_all_reports_first(classified):
    headings = [heading for _, heading, _ in year_columns(classified)]
    assert headings[0] == "Reports (flagged by the classifier or not) assessed within 72 h (target 90%)"
    assert "Reports the classifier did not flag assessed within 72 h (target 90%)" in headings
    fig = by_year(classified)
    assert _title(fig).startswith("Reports (flagged by the classifier or not) assessed within 72 h (of those "
                                  "arriving in each year)")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend[:2] == ["reports (flagged by the classifier or not) within 72 h",
                          "reports the classifier did not flag within 72 h"]


def test_many_sla_rows_keep_their_labels_apart():
    """tooling-classifier judges four levels of one SLA (all reports, the unflagged ones pooled, and at
    each team); their wrapped labels on the right panel stood on one another in a chart of fixed height."""
    from capsim import bundled

    scenario = load_scenario(bundled.path("tooling-classifier"))
    metrics = [metric for _, metric, _ in sla_measures(scenario)]
    assert len(metrics) == 4
    table = pd.DataFrame({"replication": [0, 1], "wait_mean": [20.0] * 2, "wait_p90": [60.0] * 2,
                          "time_to_assessment_p50": [30.0, 31.0], "time_to_assessment_p90": [70.0] * 2,
                          "time_to_assessment_p95": [90.0] * 2, **{m: [0.6, 0.62] for m in metrics}})
    fig = time_to_assessment(table, scenario, 1)
    fig.draw_without_rendering()  # lays the figure out: the labels' extents are then where they are drawn
    boxes = sorted((t.get_window_extent() for t in fig.axes[1].get_yticklabels() if t.get_text()),
                   key=lambda b: b.y0)
    assert len(boxes) == 4
    assert all(lower.y1 <= upper.y0 for lower, upper in zip(boxes, boxes[1:]))


def test_a_shared_target_line_is_not_drawn_in_a_measures_colour():
    """With four measures the fourth is drawn in vermillion, the shared target line's colour: that line
    then read as the fourth measure's."""
    from matplotlib.colors import to_hex
    from matplotlib.figure import Figure

    from capsim.charts.by_year import _target_lines
    from capsim.charts.style import OKABE_ITO

    for count, vermillion in ((3, True), (4, False)):
        ax = Figure().add_subplot()
        _target_lines(ax, [0.9] * count)
        assert (to_hex(ax.lines[0].get_color()).upper() == OKABE_ITO["vermillion"]) is vermillion
