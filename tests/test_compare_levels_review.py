"""Review of the comparison fixes (trial 23, defects 2 and 11): the levels a paired difference moves
between, and what a comparison says before its lines.

1. Each share level was rounded alone: "−3.2 points (from 90.2% to 86.9%)" (90.2 − 86.9 is 3.3).
2. Levels had no unit or currency, and the difference's decimals: "from 1.5200 to 1.5510" where the
   run writes £1.52; "from 3.900 to 4.300" for hours per analyst-shift; "from 511.2 to 487.7" hours.
3. A non-zero difference the same in every replication read "(95% CI +265,227 to +265,227)".
4. The report's Differences and the web page's comparison never said what else differs (headcount,
   dates) besides the growth.
5. The first run's level was computed two ways: a team line and the comparison line could give the
   same difference two "from" levels where a replication is unmeasured.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd
import pytest

from capsim import bundled, simulate
from capsim.charts.compare import _comparison_finding, difference_words, level_words, paired_differences
from capsim.compare import share_levels, team_lines
from capsim.report.findings import comparison_lines
from capsim.report.page import render_report
from capsim.scenario import load_scenario
from tests.test_compare_trial12 import _run

NUMBER = r"[\d,]+(?:\.\d+)?"


def _table(metric: str, before: float, d: float, low: float, high: float) -> pd.DataFrame:
    """A paired_differences table of runs a and b: ``metric``'s mean in a and its paired difference in b."""
    return pd.DataFrame({"scenario": ["a", "b"], "metric": [metric] * 2, "mean": [before, before + d],
                         "diff": [0.0, d], "diff_ci_low": [0.0, low], "diff_ci_high": [0.0, high], "note": ["", ""]})


def _base(*changes: str):
    return load_scenario(bundled.path("base"), list(changes))


@pytest.mark.parametrize(("before", "d", "places", "said"), [
    (0.9016, -0.0322, 1, "from 90.2% to 87.0%"),  # "−3.2 points": not "from 90.2% to 86.9%"
    (0.8554, 0.0314, 1, "from 85.5% to 88.6%"),  # "+3.1 points": not "from 85.5% to 88.7%"
    (0.9991, -0.88, 0, "from 99.9% to 11.9%"),  # "−88 points": one more decimal, not 100%; 99.9 − 88 = 11.9
    (1.0, -0.88, 0, "from 100% to 12%"),  # all of them: exactly 100%
])
def test_a_share_moves_by_the_difference_as_written(before, d, places, said):
    assert share_levels(before, d, places) == said


SHARES = [(0.9016, -0.0322, 0.01), (0.8554, 0.0314, 0.005), (0.37, 0.2549, 0.04), (0.62, -0.3149, 0.1)]
"""Shares (0–1) and paired differences with their intervals' half-widths."""
AMOUNTS = [*SHARES, (3.9, 0.43, 0.3), (1.524, 0.0312, 0.0004), (511.2, -23.46, 3.0), (3988.2, 285849.2, 18245.0)]
"""Levels of any other metric (hours, items, money), differences and half-widths."""


@pytest.mark.parametrize(("metric", "before", "d", "half"), [
    *((m, *x) for m in ("sla_normal", "utilisation") for x in SHARES),
    *((m, *x) for m in ("backlog_mean", "victim_id_hours", "cost_total", "cost_per_assessed",
                        "exposure_hours_per_analyst_day", "wait_mean") for x in AMOUNTS)])
def test_the_later_level_is_the_earlier_plus_the_difference_as_written(metric, before, d, half):
    """Whatever the metric, its unit and its decimals: later − earlier is the difference the line writes,
    to the levels' decimals (never more than the difference's), so a reader's arithmetic holds."""
    (said, _, _), unit = difference_words(metric, d, d - half, d + half)
    levels = level_words(metric, before, d, d - half, d + half)
    start, end = (float(x.replace(",", "")) for x in re.findall(NUMBER, levels.replace("£", "")))
    places = max(len(x.partition(".")[2]) for x in re.findall(NUMBER, levels))
    written = float(said.replace("+", "").replace("−", "-").replace(",", "").replace("<", ""))
    assert abs(end - start - written) <= 0.5 * 10.0 ** -places + 1e-9, (levels, said, unit)


@pytest.mark.parametrize(("metric", "before", "d", "low", "high", "currency", "said"), [
    ("cost_per_assessed", 1.52, 0.031, 0.0305, 0.0315, "GBP", "from £1.52 to £1.55"),
    ("cost_per_assessed", 1.52, 0.031, 0.0305, 0.0315, "NOK", "from 1.52 NOK to 1.55 NOK"),
    ("cost_total", 1_545_138.0, 6_952_353.0, 6_900_000.0, 7_000_000.0, "EUR", "from €1,545,138 to €8,497,491"),
    ("victim_id_hours", 511.2, -23.4, -26.0, -21.0, "GBP", "from 511 h to 488 h"),
    ("exposure_hours_per_analyst_day", 3.9, 0.4, 0.39, 0.41, "GBP", "from 3.90 h to 4.30 h"),
    ("analyst_hours_graders", 2711.4, 10367.0, 10016.0, 10717.0, "GBP", "from 2,711 h to 13,078 h"),
    ("backlog_mean", 3988.2, 285849.2, 267604.0, 304095.0, "GBP", "from 3,988 to 289,837"),
])
def test_levels_are_written_in_the_metrics_unit_and_currency(metric, before, d, low, high, currency, said):
    assert level_words(metric, before, d, low, high, currency=currency) == said


def test_the_report_lines_write_levels_in_the_first_runs_currency():
    euro = _base("costs.currency=EUR")
    line, = comparison_lines(_table("cost_per_assessed", 1.52, 0.031, 0.0305, 0.0315), euro)["b"]
    assert line == "Total cost per assessed item: +0.0310 (from €1.52 to €1.55; 95% CI +0.0305 to +0.0315)"


def test_a_difference_the_same_in_every_replication_says_so_not_an_interval_of_one_number():
    same = _table("backlog_mean", 1000.0, 265227.0, 265227.0, 265227.0)
    line, = comparison_lines(same)["b"]
    assert line == ("Items waiting on average over the run (all teams): +265,227 (from 1,000 to 266,227; the same "
                    "in every replication)")
    assert _comparison_finding(same, ["a", "b"], "backlog_mean").endswith(
        "265,227 more with b than with a (from 1,000 to 266,227; the same in every replication)")
    none, = comparison_lines(_table("backlog_mean", 1000.0, 0.0, 0.0, 0.0))["b"]
    assert none == "Items waiting on average over the run (all teams): no difference in any replication"
    one, = comparison_lines(_table("backlog_mean", 1000.0, 25.0, math.nan, math.nan))["b"]
    assert one == "Items waiting on average over the run (all teams): +25.0 (from 1,000 to 1,025; one replication: no interval)"


def test_a_team_line_and_the_comparison_line_move_from_one_level():
    """Graders' mean wait is measured in every replication of the first run but not in the third of the
    other: the team line took the first run's mean over the two paired replications (15 h), the
    comparison line and the chart's title the table's mean over all three (20 h)."""
    first = load_scenario(bundled.path("growth-central"))
    other = load_scenario(bundled.path("growth-central"), ["name=slower"])
    total = dict(backlog_end=[489000.0, 489300.0, 489600.0])
    runs = [_run(first, wait_mean_graders=[10.0, 20.0, 30.0], **total),
            _run(other, wait_mean_graders=[100.0, 112.0, math.nan], **total)]
    team, = team_lines(runs)["slower"]
    line, = comparison_lines(paired_differences(runs, ["wait_mean_graders"]), first)["slower"]
    levels = re.compile(r"from [\d.]+ (?:h|days?) to [\d.]+ (?:h|days?)")
    assert levels.search(team).group() == levels.search(line).group() == "from 0.8 days to 4.6 days", (team, line)


def _differences(results) -> str:
    return html.unescape(render_report(results, {}).split("<h3>Differences</h3>")[1].split("<h3>")[0])


def test_the_reports_differences_say_what_else_differs_and_the_growth_once():
    short = ["clock.horizon=21d", "clock.warmup=7d"]
    growth = load_scenario(bundled.path("growth-high"), short)
    section = _differences([simulate(_base(*short), 2, 5), simulate(growth, 2, 5)])
    assert ("Besides the growth assumed above, what differs between the scenarios: growth-high differs from base: "
            "it measures 11 Mar 2027–24 Mar 2027 against base's 8 Jan 2024–21 Jan 2024; has 25 analysts (team "
            "analysts) against base's 13") in section
    assert section.count("+27.3% a year") == 1  # the growth sentence says it; not again among what differs


def test_the_reports_differences_say_what_differs_without_growth():
    short = ["clock.horizon=21d", "clock.warmup=7d"]
    section = _differences([simulate(_base(*short), 2, 5),
                            simulate(_base(*short, "name=bigger", "workforce.analysts.headcount=20"), 2, 5)])
    assert ("What differs between the scenarios: bigger differs from base: it has 20 analysts (team analysts) "
            "against base's 13") in section


def test_the_web_comparison_says_what_differs_first():
    pytest.importorskip("streamlit", reason="the web page is the optional extra capsim[web]")
    from tests.test_web_app import short_base

    at = short_base()
    at.button(key="keep_variant").click().run()
    at.number_input(key="base|workforce.analysts.headcount").set_value(20).run()
    at.button(key="keep_variant").click().run()
    at.button(key="compare").click().run()
    assert not at.exception and not at.error
    said = [m.value for m in at.markdown]
    differs = next(i for i, x in enumerate(said) if x.startswith("What differs between the scenarios: "))
    assert "variant 2 differs from variant 1: it has 20 analysts (team analysts) against variant 1's 13" in said[differs]
    assert differs < next(i for i, x in enumerate(said) if x.startswith("**variant 2** against"))
