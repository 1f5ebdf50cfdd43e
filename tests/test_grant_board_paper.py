"""Grant outputs a funder can put in a board paper (user trial: two teams, intake refers to grading,
weekday rosters, urgent 24 h and normal 5 d targets). The chart's title gave the cost and FTE and never
said that the urgent target was missed every year (impossible on the roster) nor that grading missed its
first year; up to four unlabelled lines stood over each bar and shifted where a share had no interval;
in post below needed was not explained; its description ran two subtitle lines together; the report's
bullets gave a cost the replications agree on to the pound with no word on why it has no interval, and
"3.5 hires" without saying it is a mean nor what it counts; a grant with no hiring lead time looked final."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from capsim import charts
from capsim.charts.describe import describe
from capsim.scenario import load_scenario

YEARS = ("2027/28", "2028/29", "2029/30")

TWO_TEAMS = {
    "name": "my-hotline",
    "clock": {"horizon": "3y", "warmup": "28d", "start": "2027-01-04", "step": "7d"},
    "priorities": ["urgent", "normal"],
    "demand": [{"stream": "reports", "unit": "report", "rate": "30000/year",
                "priority_mix": {"urgent": 0.1, "normal": 0.9},
                "mix": {"ai_generated": 0.2, "known": 0.0, "criminal": 0.4}, "team": "intake"}],
    "review": {"report": {"dist": "lognormal", "mean": "4min", "cv": 1.0}},
    "workforce": [
        {"team": "intake", "headcount": 4, "attrition": 0.1, "hiring": {"lead_time": "91d"},
         "roster": {"hours_per_day": 8, "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00"}},
        {"team": "grading", "headcount": 2, "task_time": {"dist": "lognormal", "mean": "10min", "cv": 1.0},
         "roster": {"hours_per_day": 8, "days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00"}}],
    "routing": [{"from": "intake", "to": "grading", "when": {"criminal": True}, "priority": "normal"}],
    "sla": [{"priority": "urgent", "within": "24h", "target": 0.9}, {"priority": "normal", "within": "5d", "target": 0.9}],
    "costs": {"currency": "EUR", "teams": {"intake": {"annual_cost": 45000}, "grading": {"annual_cost": 50000}}},
}

URGENT = (0.760, 0.756, 0.758)  # intake's urgent reports within 24 h: about 76% every year
NORMAL = (1.0, 0.999, 1.0)  # intake's normal-priority reports: 100% where every replication agrees
GRADING = (0.752, 0.977, 0.9998)  # grading misses its first year only


def trial_table() -> pd.DataFrame:
    """A grant table as capsim grant gave the trial's scenario (4 replications, seed 7), rounded."""
    rows = []
    for k, year in enumerate(YEARS):
        cost = (322_464.0, 381_773.0, 552_793.0)[k]
        spread = (0.0, 10_300.0, 23_031.0)[k]
        row = {"scenario": "my-hotline", "year": year, "total_cost": cost, "total_cost_ci_low": cost - spread,
               "total_cost_ci_high": cost + spread, "fte": (6.84, 8.05, 11.63)[k], "fte_needed": (6.0, 8.0, 12.0)[k],
               "fte_as_written": 0.0, "management_fte": 0.0, "leavers": (0.0, 0.5, 1.5)[k],
               "hires_late_weeks_intake": 0.0, "hires_late_weeks_grading": (9.0, 0.0, 0.0)[k]}
        for sla, share, width in (("sla_urgent_intake", URGENT[k], 0.007), ("sla_normal_intake", NORMAL[k], 0.0),
                                  ("sla_normal_grading", GRADING[k], 0.01)):
            row |= {sla: share, f"{sla}_ci_low": share - width, f"{sla}_ci_high": min(share + width, 1.0),
                    f"{sla}_target": 0.9}
        rows.append(row)
    return pd.DataFrame(rows)


def trial_plans(scenario, urgent_left_out: bool = True, lead_time_set: bool = True) -> dict:
    """The grant's plans as the chart reads them: per team, each year's SLAs left out (no headcount
    meets them on the roster) and seats added."""
    left_out = ("urgent",) if urgent_left_out else ()
    intake = SimpleNamespace(team="intake", periods=[SimpleNamespace(left_out=left_out, change=c) for c in (0, 0, 2)])
    grading = SimpleNamespace(team="grading", periods=[SimpleNamespace(left_out=(), change=c) for c in (1, 1, 2)])
    return {scenario.name: [intake, grading]}


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(TWO_TEAMS)


@pytest.fixture(scope="module")
def chart(scenario):
    """The chart from the grant table alone, as from grant.csv."""
    fig = charts.grant_per_year(trial_table(), [scenario], 7, 4)
    fig.draw_without_rendering()
    return fig


@pytest.fixture(scope="module")
def planned(scenario):
    """The chart with the grant's plans, as capsim grant draws it."""
    return charts.grant_per_year(trial_table(), [scenario], 7, 4, plans=trial_plans(scenario))


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_title_says_which_targets_are_missed_where_and_which_no_headcount_meets(planned):
    assert flat(planned._suptitle.get_text()).endswith(
        "full cost EUR 553,000. Below target on average: urgent reports within 24 h (intake) in every year (target "
        "90%; impossible on the team's roster: no headcount meets it); normal-priority reports within 5 d (grading) "
        "in 2027/28 (target 90%)")


def test_without_the_plans_the_title_does_not_claim_impossible(chart):
    """From grant.csv alone (no plans), a missed target is said, never why."""
    title = flat(chart._suptitle.get_text())
    assert "urgent reports within 24 h (intake) in every year (target 90%);" in title and "impossible" not in title


def test_each_share_over_a_bar_carries_its_slas_letter_named_in_the_subtitle(chart):
    """Where intake's normal-priority share has no interval, the lines below it still read right."""
    subtitle = flat(chart.axes[0].get_title(loc="left"))
    assert ("the share in time (95% CI, %): A: urgent reports within 24 h (intake); B: normal-priority reports "
            "within 5 d (intake); C: normal-priority reports within 5 d (grading); no CI where the replications "
            "agree to the decimals shown") in subtitle
    labels = [text.get_text() for text in chart.axes[0].texts]
    assert labels[0] == "A: 76.0% (75.3–76.7)\nB: 100%\nC: 75.2% (74.2–76.2)\ngrading: hires\nlate by 9 weeks"
    for label in labels:
        shares = [line for line in label.split("\n") if "%" in line]
        assert [line[:3] for line in shares] == ["A: ", "B: ", "C: "]


def test_in_post_below_the_need_is_explained(chart):
    subtitle = flat(chart.axes[1].get_title(loc="left"))
    assert ("In post below the need in 2029/30: the bars are the mean over the year, in which leavers' seats stand "
            "empty until refilled after the hiring lead time.") in subtitle


def test_a_plan_hiring_with_no_lead_time_says_so_on_the_chart(planned, chart):
    assert "hiring" not in TWO_TEAMS["workforce"][1]  # grading: no lead time, the default 0 days
    words = ("No hiring lead time is set for team grading: its hires start the day the plan needs them, as if "
             "recruited and vetted in no time.")
    assert words in flat(planned.axes[1].get_title(loc="left"))
    assert "hiring lead time is set" not in flat(chart.axes[1].get_title(loc="left"))  # no plans: not known


def test_the_description_keeps_the_subtitle_lines_apart(chart):
    assert "mean, 95% CI (4 replications). Above each bar, top down" in describe(chart, drawn=True)


def test_a_cost_carries_its_interval_or_says_why_it_has_none_rounded():
    import pandas as pd

    from capsim.grant_notes import costs_shown
    from capsim.report.grant import _cost

    def cost(currency: str, mean: float, low: float, high: float, replications: int) -> str:
        row = pd.DataFrame({"year": ["2027/28"], "total_cost": [mean], "total_cost_ci_low": [low],
                            "total_cost_ci_high": [high]})
        return _cost(currency, costs_shown(row, "total_cost", replications).iloc[0])

    assert cost("GBP", 2_754_725.4, 2_754_725.4, 2_754_725.4, 3) == (
        "£2,750,000 (fixed by the plan and the prices: the same in every replication)")
    assert cost("GBP", 9_955_562.0, 9_955_562.0, 9_955_562.0, 3).startswith("£9,960,000 (fixed by the plan")
    assert cost("EUR", 552_792.6, 529_761.3, 575_823.9, 4) == "€553,000 (95% CI €530,000 to €576,000)"
    assert cost("EUR", 552_792.6, 552_000.0, 553_400.0, 4) == "€552,800 (95% CI €552,000 to €553,400)"  # kept apart
    assert cost("EUR", 552_792.6, math.nan, math.nan, 1) == "€553,000 (one replication: no interval)"


def test_hires_say_what_they_count_and_where_they_are_a_mean(scenario):
    from capsim.report.grant import _hires

    row = {"year": "2029/30", "hires": 3.5, "hires_ci_low": 1.4, "hires_ci_high": 5.6}
    assert _hires(row, scenario, [], 4) == "3.5 hires on average, counting new seats and replacements of leavers"
    fixed = {"year": "all", "hires": 1.0, "hires_ci_low": 1.0, "hires_ci_high": 1.0}
    assert _hires(fixed, scenario, ["grading"], 4) == (
        "1 hire in all, counting new seats and replacements of leavers; no hiring lead time is set for team grading: "
        "its hires start the day the plan needs them, as if recruited and vetted in no time")
