"""Interval ends that cannot be, in comparisons (and wherever an interval is written).

A 95% CI of a mean over few replications can reach past what a share can be; it is cut at 0% or 100%
(:func:`capsim.results.mean_ci`), and "99.7% to 100%" then read as if 100% were estimated. Every
interval of a share, and every paired difference of shares, now says where an end was held at the
bound. Utilisation is no share: an item in hand at a shift's end (or at the exposure cap) is finished
past it, so it can pass 100% in a replication (docs/model.md; a team working flat out on hour-long
reviews with no cap measured 113% of rostered hours in every replication). The compare table of
two_files (tests/test_compare.py) read "Utilisation of rostered hours ... 90.3% | 77.2% to 103.4%":
an interval reaching past 100% now says against which hours it is measured, and why it can.

A team's level that only one run measures wrote its interval with one decimal, so ends within
0.05 points read alike ("89.9% to 89.9%"); it now takes the rule every interval uses
(:func:`capsim.units.interval_ends`).
"""

from __future__ import annotations

import pandas as pd
import pytest

from capsim import bundled
from capsim.cli import sweep_cell
from capsim.compare import compare, held_difference_words, team_lines
from capsim.report.findings import comparison_lines
from capsim.scenario import load_scenario
from capsim.units import held_words, interval_ends, share_text
from capsim.words import interval, interval_bounds, range_words
from tests.test_compare_trial12 import CLASSIFIER, _run

HELD_HIGH = ", upper end held at the 100% maximum"


@pytest.mark.parametrize("metric, low, high, expected", [
    ("sla_normal", 0.997, 1.0, "95% CI 99.7% to 100%" + HELD_HIGH),
    ("sla_normal", 0.95, 1.02, "95% CI 95.0% to 100%" + HELD_HIGH),  # not yet clipped: held all the same
    ("p_wait", 0.0, 0.021, "95% CI 0% to 2.1%, lower end held at the 0% minimum"),
    ("ai_generated_share", -0.1, 1.1, "95% CI 0% to 100%, ends held at the 0% minimum and the 100% maximum"),
    ("sla_urgent_analysts", 0.912, 0.987, "95% CI 91.2% to 98.7%"),  # nothing held: nothing said
])
def test_a_shares_interval_says_where_an_end_was_held_at_its_bound(metric, low, high, expected):
    assert interval(metric, low, high) == expected


def test_no_end_of_a_shares_interval_passes_its_range():
    bounds = interval_bounds("sla_normal", 0.9743, 1.034)
    assert bounds == ("97.4%", "100%")
    assert interval_ends(-0.02, 0.4, share_text, (0.0, 1.0)) == ("0%", "40.0%")


@pytest.mark.parametrize("metric, hours", [
    ("utilisation", "of rostered hours, which reviews finished past a shift's end can take past 100%"),
    ("utilisation_analysts", "of rostered hours, which reviews finished past a shift's end can take past 100%"),
    ("utilisation_usable", "of usable hours, which reviews finished past any exposure cap or a shift's end can "
                           "take past 100%"),
    ("utilisation_usable_graders", "of usable hours, which reviews finished past any exposure cap or a shift's "
                                   "end can take past 100%"),
])
def test_a_utilisation_past_100_percent_says_against_which_hours(metric, hours):
    assert interval(metric, 0.772, 1.034, ref=0.903) == f"95% CI 77.2% to 103.4% {hours}"
    assert interval(metric, 0.772, 0.994, ref=0.883) == "95% CI 77.2% to 99.4%"  # within 100%: nothing to explain
    assert range_words(metric, 0.1, 1.2) == f" {hours}"  # never held at 100%: it is no share
    assert range_words(metric, 0.0, 1.2) == f" {hours}, lower end held at 0%"


def test_the_compare_table_says_it_too(tmp_path):
    """The compare table's cells (capsim compare) and the sweep table's write intervals as :func:`interval`
    does: the two_files comparison's utilisation of 90.3% (77.2% to 103.4%, two replications)."""
    row = pd.Series({"mean": 0.903, "ci_low": 0.772, "ci_high": 1.034})
    assert sweep_cell("utilisation", row, "GBP") == ("90.3%\n77.2% to 103.4% of rostered hours, which reviews "
                                                     "finished past a shift's end can take past 100%")
    held = pd.Series({"mean": 0.999, "ci_low": 0.997, "ci_high": 1.0})
    assert sweep_cell("sla_normal", held, "GBP") == "99.9%\n99.7% to 100%" + HELD_HIGH


def test_a_difference_of_shares_says_where_an_end_was_held():
    # from 91%: a rise can reach 9 points at most, a fall 91
    assert held_difference_words("sla_normal", 0.91, 0.065, 0.09) == ", one end held where the share reaches 100%"
    assert held_difference_words("sla_normal", 0.91, -0.91, -0.5) == ", one end held where the share reaches 0%"
    assert held_difference_words("sla_normal", 0.91, 0.01, 0.05) == ""
    assert held_difference_words("wait_mean", 20.0, -20.0, 3.0) == ""  # no share: its floor is no bound to say
    assert held_words(-0.2, 0.1, -0.2, 0.8, difference=True) == ", one end held where the share reaches 0%"


@pytest.fixture(scope="module")
def to_all() -> list:
    """growth-central against a run of it whose analysts assess every report within 72 h: from 90%, 91%
    and 92% to 100% in each replication (paired differences +10, +9, +8 points: the interval's upper end,
    +11.5, is held at +9, where the share reaches 100%)."""
    first = load_scenario(bundled.path("growth-central"))
    other = load_scenario(bundled.path("growth-central"), ["name=more"])
    total = dict(backlog_end=[489000.0, 489300.0, 489600.0])
    return [_run(first, sla_normal_analysts=[0.90, 0.91, 0.92], **total),
            _run(other, sla_normal_analysts=[1.0, 1.0, 1.0], **total)]


def test_the_team_lines_say_a_held_end(to_all):
    assert team_lines(to_all)["more"] == [
        "team analysts: reports within 72 h 9.0 points higher (from 91.0% to 100%; 95% CI 6.5 to 9.0 points, one end "
        "held where the share reaches 100%)"]


def test_the_reports_differences_say_a_held_end(to_all):
    table = compare(to_all).rename(columns={"difference": "diff", "difference_ci_low": "diff_ci_low",
                                            "difference_ci_high": "diff_ci_high"})
    line = comparison_lines(table, to_all[0].scenario)["more"][0]
    assert line == ("Share of reports assessed within 72 h at team analysts: +9.0 points (from 91.0% to 100%; 95% CI "
                    "+6.5 to +9.0 points, one end held where the share reaches 100%)")


def test_a_level_one_run_alone_measures_keeps_its_ends_apart():
    """Graders' normal-priority level in gc-classifier only: 89.91%, 89.93%, 89.92% (95% CI 89.895% to
    89.945%), which one decimal wrote "89.9% to 89.9%"."""
    first = load_scenario(bundled.path("growth-central"))
    other = load_scenario(bundled.path("growth-central"), ["name=gc-classifier", *CLASSIFIER])
    total = dict(backlog_end=[489000.0, 489300.0, 489600.0])
    runs = [_run(first, **total), _run(other, sla_normal_graders=[0.8991, 0.8993, 0.8992], **total)]
    line = team_lines(runs)["gc-classifier"][0]
    assert "(95% CI 89.90% to 89.94%) against the 90% target: missed;" in line, line


def test_a_wait_or_count_held_at_0_says_so():
    """Trial 17: "Half … within 4.84 days (95% CI 0.00 to 14.45 days)": a t interval of two replications
    reaching below 0 is cut there, and its end read as estimated. It says it was held, as a share's does."""
    from capsim.words import interval

    assert interval("time_to_assessment_p50", 0.0, 347.0) == "95% CI 0 to 347, lower end held at 0"
    assert interval("backlog_end", 0.0, 1.768) == "95% CI 0 to 1.77, lower end held at 0"
    assert interval("wait_mean", 1.0, 3.0) == "95% CI 1.00 to 3.00"  # not held: nothing said


def test_a_mean_takes_the_decimals_its_interval_s_ends_took_to_read_apart():
    """"Utilisation 1.1% | 1.06% to 1.09%": the ends took a decimal more to read apart, and the mean,
    at its own decimals, read outside them. Beside its interval a mean takes the same decimals."""
    from capsim.words import mean_text, with_interval

    assert mean_text("utilisation", 0.010749, 0.0106, 0.0109) == "1.07%"
    assert with_interval("cost_per_assessed", 1.52, 1.516, 1.524) == "£1.520 (95% CI £1.516 to £1.524)"
    assert with_interval("wait_mean", 2.0, 1.0, 3.0) == "2.00 (95% CI 1.00 to 3.00)"  # no more needed: as fmt
    assert with_interval("wait_mean", 2.0, 2.0, 2.0) == "2.00 (the same in every replication)"


def test_a_sentence_that_names_the_hours_gets_only_why_and_a_percent_floor_reads_0_percent():
    """"spent 80.0% (95% CI 42.2% to 117.9% of rostered hours, …) of their rostered hours" named the hours
    twice; and a utilisation's floor read "held at 0" beside percentages (review of trial 17's fixes)."""
    from capsim.words import with_interval

    assert with_interval("utilisation", 0.8, 0.422, 1.179, hours_named=True) == (
        "80.0% (95% CI 42.2% to 117.9%, which reviews finished past a shift's end can take past 100%)")
    assert interval("utilisation", 0.0, 0.9).endswith("0% to 90.0%, lower end held at 0%")


def test_a_cost_held_at_0_is_said_in_its_own_currency():
    assert interval("cost_total", 0.0, 5000.0, "EUR").endswith(", lower end held at €0.00")
