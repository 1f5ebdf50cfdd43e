"""Headline words a thirteenth trial found easy to misquote, in growth-high's report.

The year sentence ended at a three-month part year ("… to 100% in 2030 (Jan–Mar)") when the level
was already 100% in 2028; the pooled wait of 6.7 million items (reports and hash-list images) read
as the reports' wait; the footer's "0.67 a day on 4 Mar 2027" was IWF's 2024 count placed at the
run's start; an excess of 32 seconds over a 4 h exposure cap, the item in hand finished, read as
a welfare-limit breach; and the by-year chart's share axis ran to 102%.

Runs here are small and seeded (seed 3, 2 replications); no assertion hangs on the draw: each
reads the figures it words from the same run.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

from capsim import bundled
from capsim.experiment import simulate
from capsim.periods import calendar_periods
from capsim.scenario import load_scenario

YEARS = ["2027 (Apr–Dec)", "2028", "2029", "2030 (Jan–Mar)"]


# --------------------------------------------------------------------------- 1. the year a level is reached


def test_a_level_reached_early_and_held_is_quoted_by_the_year_it_was_reached():
    from capsim.charts.by_year import path_words

    assert path_words(YEARS, ["36.6%", "100%", "100%", "100%"], 1) == (
        "36.6% in 2027 (Apr–Dec) to 100% by 2028, staying there to 2030 (Jan–Mar)")
    # reached only in the last year: that year, as it is
    assert path_words(YEARS, ["36.6%", "60%", "80%", "100%"], 3) == "36.6% in 2027 (Apr–Dec) to 100% in 2030 (Jan–Mar)"
    # a level that falls back: its worst year is said, and the last level where it was reached
    assert path_words(YEARS, ["0%", "100%", "90%", "95%"], 1) == (
        "0% in 2027 (Apr–Dec) to 100% in 2028, then 95% in 2030 (Jan–Mar)")
    assert path_words(YEARS, ["0%", "100%", "95%", "95%"], 1) == (
        "0% in 2027 (Apr–Dec) to 100% in 2028, then 95% by 2029, staying there to 2030 (Jan–Mar)")
    # the same level every year, a part year at either end; one year alone
    assert path_words(YEARS, ["100%"] * 4, 0) == "100% in every year from 2027 (Apr–Dec) to 2030 (Jan–Mar)"
    assert path_words(["2027 (Apr–Dec)"], ["63%"], 0) == "63% in 2027 (Apr–Dec)"
    # each year's interval after its year, the year it is reached with its own
    assert path_words(YEARS, ["36.6%", "100%", "100%", "100%"], 1, ["95% CI 12% to 61%", "a", "b", "c"]) == (
        "36.6% in 2027 (Apr–Dec) (95% CI 12% to 61%) to 100% by 2028 (a), staying there to 2030 (Jan–Mar)")


def _result(shares: list[float]) -> SimpleNamespace:
    """growth-high's calendar years (2027 (Apr–Dec) to 2030 (Jan–Mar)) with these shares of reports
    within 72 h, as the year findings and the by-year chart read a run."""
    s = load_scenario(bundled.path("growth-high"))
    labels = [p.label for p in calendar_periods(s)]
    rows = [{"period": p, "metric": m, "mean": v, "ci_low": v, "ci_high": v}
            for p, share in zip(labels, shares) for m, v in (("sla_normal", share), ("backlog_mean", 1000.0))]
    return SimpleNamespace(scenario=s, period_summary=pd.DataFrame(rows), replications=3, seed=1, summary=pd.DataFrame(
        [{"metric": "sla_normal", "mean": 0.1, "ci_low": 0.1, "ci_high": 0.1}]))


def test_the_year_finding_and_title_name_the_year_the_level_is_reached_and_what_it_is_a_share_of():
    from capsim.charts.by_year import by_year
    from capsim.report.years import year_findings

    result = _result([0.634, 0.0, 0.0, 0.0])
    rise = year_findings(result)[0]
    assert rise.startswith("Reports not assessed within 72 h (of those arriving in each year) rise from 36.6% in "
                           "2027 (Apr–Dec) (the same in every replication) to 100% by 2028 (the same in every "
                           "replication), staying there to 2030 (Jan–Mar), with the 25 analysts"), rise
    title = " ".join(by_year(result)._suptitle.get_text().split())
    assert title.startswith("Reports assessed within 72 h (of those arriving in each year): 63.4% in 2027 (Apr–Dec) to "
                            "0% by 2028, staying there to 2030 (Jan–Mar); the 90% target is first missed in 2027 "
                            "(Apr–Dec)"), title


def test_a_level_that_falls_back_is_never_said_to_stay():
    from capsim.charts.by_year import by_year
    from capsim.report.years import year_findings

    result = _result([0.634, 0.0, 0.5, 0.5])
    rise = year_findings(result)[0]
    assert ("(of those arriving in each year) rise from 36.6% in 2027 (Apr–Dec) (the same in every replication) to "
            "100% in 2028 (the same in every replication), then 50.0% by 2029") in rise, rise
    title = " ".join(by_year(result)._suptitle.get_text().split())
    assert "63.4% in 2027 (Apr–Dec) to 0% in 2028, then 50.0% by 2029, staying there to 2030 (Jan–Mar)" in title, title


def test_the_by_year_share_axis_stops_at_100_percent():
    from capsim.charts.by_year import by_year

    assert by_year(_result([0.99, 0.95, 1.0, 1.0])).axes[0].get_ylim()[1] == 1.0


# --------------------------------------------------------------------------- 2. what a pooled wait pools


TWO_TEAMS = {"name": "two-teams", "clock": {"start": "2024-12-02", "horizon": "44d", "warmup": "1d", "step": "1d"},
             "demand": [{"stream": "reports", "unit": "report", "rate": "300/day", "priority": "normal", "team": "slow"},
                        {"stream": "flagged", "unit": "report", "rate": "50/day", "priority": "normal", "team": "slow"},
                        {"stream": "images", "unit": "image", "rate": "300/day", "priority": "normal",
                         "team": "quick"}],
             "priorities": ["normal"],
             "review": {"report": {"dist": "exponential", "mean": "250s"}, "image": {"dist": "exponential", "mean": "60s"}},
             "workforce": [{"team": "slow", "headcount": 1, "roster": "24/7"},
                           {"team": "quick", "headcount": 1, "roster": "24/7"}]}


def test_the_pooled_wait_says_what_it_pools_and_gives_each_teams_own_wait():
    from capsim.report.findings import headline_findings
    from capsim.words import count_words

    result = simulate(load_scenario(TWO_TEAMS), 2, 3)
    rows = result.summary.set_index("metric")
    sentence = next(x for x in headline_findings(result) if "Half of" in x)
    pooled = rows.loc["arrivals", "mean"] - rows.loc["auto_cleared", "mean"] - rows.loc["expired", "mean"]
    assert (f"after arrival (those still waiting at the end are followed until assessed), pooled over all "
            f"{count_words(pooled)} items from the streams (reports and flagged at team slow, images at team quick)"
            ) in sentence, sentence
    assert ". Half of these items were assessed within" in sentence, sentence  # the same items, not said again
    # each team's own mean wait, with its interval, in the finding's one unit
    said = re.search(r"; at each team alone, items waited to start on average ([\d.,]+) (hours|days) \(95% CI [^)]*\) "
                     r"at team slow; ([\d.,]+) (hours|days) \(95% CI [^)]*\) at team quick\. Half of", sentence)
    assert said, sentence
    for team, value, unit in (("slow", *said.group(1, 2)), ("quick", *said.group(3, 4))):
        hours = float(value.replace(",", "")) * (24 if unit == "days" else 1)
        assert hours == pytest.approx(rows.loc[f"wait_mean_{team}", "mean"], rel=0.01)  # three figures said


def test_one_stream_pools_nothing_and_is_said_as_before():
    from capsim.report.findings import headline_findings

    raw = {**TWO_TEAMS, "demand": TWO_TEAMS["demand"][:1], "workforce": TWO_TEAMS["workforce"][:1]}
    sentence = next(x for x in headline_findings(simulate(load_scenario(raw), 2, 3)) if "Half of" in x)
    assert "after an item arrived (every item that arrived counts" in sentence and "pooled" not in sentence


# --------------------------------------------------------------------------- 3. the footer's starting rate


def test_a_rate_placed_at_the_start_says_whose_figure_of_which_year_it_is():
    from capsim.charts.footer import footer_text, one_line_footers

    s = load_scenario(bundled.path("growth-high"))
    full = footer_text([s], 1, 3)
    with one_line_footers("sources: see page 2"):
        short = footer_text([s], 1, 3)
    for text in (full, short):
        assert "ai-generated (0.67 a day at the start on 4 Mar 2027: IWF's 2024 figure) +647% a year" in text
        assert "reports (1,200 a day on 1 Jul 2024) +27.3% a year" in text  # a 2024 figure on its 2024 date
    assert "\n" not in short  # one line stays one line
    assumed = load_scenario(bundled.path("growth-high"), ["demand.ai-generated.rate=1/day"])
    assert "ai-generated (1 a day on 4 Mar 2027)" in footer_text([assumed], 1, 3)  # an assumption: no one's figure


def test_a_rate_derived_from_figures_says_it_is_derived():
    from capsim.charts.growth_words import stream_growth

    s = load_scenario(bundled.path("growth-high"), ["demand.images.growth.model=exponential",
                                                    "demand.images.growth.per_year=10%"])
    images = next(x for x in stream_growth(s) if x.startswith("images"))
    assert re.match(r"images \([\d,]+ a day at the start on 4 Mar 2027: from IWF's 2022 and NMHH's 2024 figures\)",
                    images), images


# --------------------------------------------------------------------------- 4. review past the exposure cap


def _team(carry_over: bool = False) -> SimpleNamespace:
    return SimpleNamespace(carry_over=carry_over)


def test_an_excess_of_seconds_over_the_cap_is_at_the_cap_and_says_why():
    from capsim.charts.exposure_hours import cap_verdict

    assert cap_verdict(_team(), 4.0, 4.0089, 4.0037, 4.0142) == (
        "at its 4 h/day exposure cap (32 s over on average: items begun before the cap are finished)")
    assert cap_verdict(_team(), 4.0, 4.94, 4.87, 5.02) == (
        "above its 4 h/day exposure cap (56.4 min over on average: items begun before the cap are finished)")
    assert cap_verdict(_team(True), 4.0, 4.5, 4.4, 4.6) == (
        "above its 4 h/day exposure cap (30 min over on average: items begun before the cap are finished; work "
        "carried over from an earlier shift is not stopped by it)")
    assert cap_verdict(_team(), 4.0, 4.1, 3.9, 4.3) == (
        "above its 4 h/day exposure cap on average, but the 95% interval reaches down to it (6 min over on average: "
        "items begun before the cap are finished)")
    assert cap_verdict(_team(), 4.0, 3.9, 3.8, 4.0) == "within its 4 h/day exposure cap"
    assert cap_verdict(_team(), None, 9.0, 8.0, 10.0) == "with no daily exposure cap"


def test_one_teams_chart_at_its_cap_says_so():
    from capsim.charts.exposure_hours import exposure

    s = load_scenario(bundled.path("one-team"))
    assert len(s.workforce) == 1 and s.workforce[0].exposure_cap == 4 * 3600
    frame = pd.DataFrame({"replication": [0, 1], "exposure_hours_per_analyst_day": [4.005, 4.0128]})
    title = " ".join(exposure(frame, s, 1)._suptitle.get_text().split())
    assert title.endswith("at the 4 h/day exposure cap (100% of it; 32 s over on average: items begun before the cap "
                          "are finished)"), title


@pytest.mark.parametrize("hours, place", [(3.99, "within"), (4.0, "within"), (4.039, "at"), (4.041, "above")])
def test_the_cap_place_is_within_at_or_above(hours, place):
    from capsim.charts.exposure_hours import cap_place

    assert cap_place(4.0, hours) == place  # at: under 1% of the cap over it (2.4 min of 4 h)
