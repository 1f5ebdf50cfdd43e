"""The wording a user quotes, as a trial found it: one unit for every duration of a sentence, and
each backlog named by its measure.

A trial user quoted "Half of all items within 41.9 hours and nine in ten within 115 days", and
compared the grant report's "mean backlog" with the uncertainty report's "Items waiting at the
year's end": four measures of the backlog went by one word.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from capsim.scenario import load_scenario
from tests.test_grant import sized  # noqa: F401  (the module's grant run, a fixture)
from tests.test_uncertainty import _tables

GROWTH = "scenarios/growth-high.yaml"


def _result(rows: dict[str, tuple[float, float, float]]) -> object:
    """A run's result as :func:`capsim.report.findings.headline_findings` reads it: growth-high's
    scenario, ``rows`` (metric → mean, 95% CI low, high) as its summary, no calendar years."""
    summary = pd.DataFrame([{"metric": m, "mean": a, "ci_low": lo, "ci_high": hi} for m, (a, lo, hi) in rows.items()])

    class Result:
        scenario = load_scenario(GROWTH)
        period_summary = pd.DataFrame()

    Result.summary = summary
    return Result()


MEASURED = {"arrivals": (1e6, 1e6, 1e6), "assessed": (9e5, 9e5, 9e5), "backlog_mean": (114758.0, 106592.0, 122925.0),
            "backlog_max": (489327.0, 473725.0, 504929.0), "wait_mean": (672.0, 629.0, 715.0),
            "time_to_assessment_p50": (41.9, 40.5, 43.2), "time_to_assessment_p90": (2760.0, 2568.0, 2952.0)}
"""growth-central's numbers as the trial saw them (hours): a median under two days, a 90th percentile of months."""


# --------------------------------------------------------------------------- one unit a sentence


def test_durations_of_one_sentence_are_all_in_the_unit_of_the_largest():
    from capsim.words import duration_unit, durations_words

    assert durations_words(41.9, 2760) == ["1.7 days", "115 days"]  # not "41.9 h" beside "115 days"
    assert durations_words(0.5, 26) == ["0.5 h", "26 h"]  # not "30 min" beside "26 h"
    assert durations_words(25, 74) == ["1 day", "3.1 days"]
    assert duration_unit(0.2, math.nan) == "min" and duration_unit(48) == "h" and duration_unit(48.5) == "days"


def test_the_findings_give_the_waits_of_one_finding_in_one_unit():
    from capsim.report.findings import headline_findings

    waits = next(line for line in headline_findings(_result(MEASURED)) if "ssessment began" in line)  # after its span: "Over ..., assessment began"
    assert "hours" not in waits, waits
    assert "on average 28.0 days (95% CI 26.2 to 29.8 days)" in waits
    assert "within 1.75 days (95% CI 1.69 to 1.80 days) and nine in ten within 115 days (95% CI 107 to 123 days)" \
        in waits


def test_a_wait_and_its_interval_share_one_unit_even_where_the_interval_crosses_two_days():
    from capsim.words import wait_words

    assert wait_words(46.0, 44.0, 60.0) == "1.92 days (95% CI 1.83 to 2.50 days)"  # not "46.0 hours (... 60.0 hours)"
    assert wait_words(26, 24, 28) == "26.0 hours (95% CI 24.0 to 28.0 hours)"


def test_the_time_to_assessment_title_gives_its_two_times_in_one_unit():
    from capsim.charts.waits import time_to_assessment

    s = load_scenario(GROWTH)
    per_replication = pd.DataFrame({"replication": [0, 1], "time_to_assessment_p50": [41.0, 42.8],
                                    "time_to_assessment_p90": [2700.0, 2820.0], f"sla_{s.sla[0].priority}": [0.3, 0.28]})
    figure = time_to_assessment(per_replication, s, 1)
    title = " ".join(figure._suptitle.get_text().split())
    plt.close(figure)
    assert "are assessed within 1.7 days, nine in ten within 115 days" in title, title


def test_the_uncertainty_finding_and_chart_give_a_wait_and_its_intervals_in_one_unit():
    from capsim.charts.input_ranking import input_ranking
    from capsim.report.uncertainty import uncertainty_findings

    scenario = load_scenario("scenarios/growth-central.yaml")
    summary, ranking = _tables(0.6, [0.9, 0.05])
    hours = {"mean": 30.0, "run_low": 27.0, "run_high": 33.0, "total_low": 20.0, "total_high": 74.0,
             "input_low": 21.0, "input_high": 72.0}  # a mean of 30 h whose interval reaches three days
    summary.loc[0, ["metric", *hours]] = ["wait_mean", *hours.values()]
    ranking["metric"] = "wait_mean"
    finding = uncertainty_findings(summary, ranking, scenario)[0]
    assert finding.startswith("Mean wait before assessment: 1.2 days on average; 95% of runs between 0.83 days and "
                              "3.1 days, of which the luck of the draw alone spans 1.1 days to 1.4 days."), finding
    figure = input_ranking(ranking, summary, scenario, "wait_mean", seed=1, sets=4, replications=2)
    subtitle = figure.axes[0].get_title(loc="left").replace("-\n", "-").replace("\n", " ")  # wrapped lines
    plt.close(figure)
    assert "total 0.83 days–3.1 days; inputs alone 0.88 days–3 days; run-to-run alone 1.1 days–1.4 days" in subtitle


def test_the_tornado_title_gives_its_two_waits_in_one_unit():
    from capsim.charts.sensitivity import tornado

    table = pd.DataFrame([{"parameter": "workforce.analysts.headcount", "metric": "wait_mean", "base_mean": 40.0,
                           "low_mean": 30.0, "high_mean": 90.0, "low_value": 8, "high_value": 24, "effect": 60.0,
                           "swing": 0.5, "seed": 1, "replications": 2}])
    figure = tornado(table, load_scenario("scenarios/growth-central.yaml"))
    title = " ".join(figure._suptitle.get_text().split())
    plt.close(figure)
    assert "1.2 days at 8 vs 3.8 days at 24" in title, title


# --------------------------------------------------------------------------- each backlog by its measure


def test_the_run_s_backlog_labels_name_their_measure():
    from capsim.words import metric_label

    labels = {m: metric_label(m) for m in ("backlog_end", "backlog_max", "backlog_mean")}
    assert labels == {"backlog_end": "Items waiting at the end of the run (all teams, all arrivals)",
                      "backlog_max": "Most items waiting at once over the run (all teams)",
                      "backlog_mean": "Items waiting on average over the run (all teams)"}


def test_a_year_s_backlog_is_named_as_the_year_s_in_tables_whose_rows_are_years():
    from capsim.report.years import year_columns
    from capsim.words import year_metric_label

    assert year_metric_label("backlog_end") == "Items waiting at the end of the year"
    assert year_metric_label("backlog_mean") == "Items waiting on average over the year"
    assert year_metric_label("fte") == "Staff in post, all teams (FTE)"  # other metrics keep their labels
    headings = [heading for metric, heading, _ in year_columns(_result(MEASURED)) if metric == "backlog_mean"]
    assert headings == ["Items waiting on average over the year"]


def test_the_report_s_backlog_finding_names_both_measures_and_the_days_they_cover():
    from capsim.report.findings import headline_findings, quotable_findings

    result = _result(MEASURED)
    line = next(x for x in headline_findings(result) if "waiting" in x and "backlog" not in x and "at once" in x)
    assert line == ("Items waiting on average over the 1,096 days measured (all teams): 114,758 (95% CI 106,592 to "
                    "122,925); most items waiting at once over the 1,096 days measured: 489,327 (95% CI 473,725 to "
                    "504,929).")
    assert line in quotable_findings(result)


def test_the_grant_report_names_its_backlog_as_the_year_s_average(sized):  # noqa: F811
    from capsim.cli import out_console, print_grant
    from capsim.report.grant import grant_findings

    lines = [x for found in grant_findings(sized).values() for x in found]
    assert not any("backlog" in x for x in lines)
    first = sized.table.iloc[0]
    assert f"; items waiting on average over {first.year} (all teams): {first.backlog_mean:,.0f}." in lines[0]
    assert "; items waiting on average over the whole grant (all teams): " in " ".join(lines)
    width = out_console.width
    out_console.width = 400  # the whole heading on one line
    try:
        with out_console.capture() as captured:
            print_grant(sized, "EUR")
    finally:
        out_console.width = width
    assert "items waiting on average over the year (95% CI)" in captured.get()


def test_the_uncertainty_report_names_the_year_s_end_and_the_run_s_end():
    from capsim.report.uncertainty import uncertainty_findings, year_findings

    scenario = load_scenario("scenarios/growth-central.yaml")
    whole = uncertainty_findings(*_tables(0.6, [0.9]), scenario)[0]
    assert whole.startswith("Items waiting at the end of the run (all teams, all arrivals): 2,116 on average"), whole
    by_year = _tables(0.6, [0.9])[0].iloc[[0]].assign(period="2028", days=366.0, driver="", driver_share=math.nan,
                                                      not_ranked="too few parameter sets to rank the inputs")
    assert year_findings(by_year, scenario)[0].startswith("Items waiting at the end of the year, 2028: 2,116 on average")


def test_the_glossary_says_how_each_backlog_is_named():
    from capsim.metrics import glossary

    text = glossary()
    for words in ("items waiting at the start of the period", "items waiting at the end of the period",
                  "most items waiting at once over the period", "items waiting on average over the period"):
        assert words in text


@pytest.mark.parametrize("metric", ["backlog_start", "backlog_end", "backlog_max", "backlog_mean"])
def test_every_backlog_measure_is_worded_with_its_span(metric):
    from capsim.metric_names import backlog_words

    assert backlog_words(metric, "2029").endswith(" 2029") and "items waiting" in backlog_words(metric, "2029")
    assert backlog_words(metric, "2029", starts_sentence=True)[0].isupper()


def test_a_wait_against_headcount_gives_both_ends_in_one_unit():
    """41.9 h with 11 analysts and 115 days with 9 read "1.7 days" and "115 days", not "41.9 h" beside "115 days"."""
    from capsim.charts import sla_vs_headcount

    scenario = load_scenario("scenarios/base.yaml")
    sweep = pd.DataFrame({"headcount": [9, 11], "team": "analysts", "metric": "wait_mean", "mean": [2760.0, 41.9],
                          "ci_low": [2700.0, 40.0], "ci_high": [2800.0, 44.0], "seed": 1, "replications": 3})
    figure = sla_vs_headcount(sweep, scenario, metric="wait_mean")
    title = " ".join(figure._suptitle.get_text().split())
    plt.close(figure)
    assert "goes from 115 days with 9 analysts to 1.7 days with 11" in title


def test_a_difference_in_waits_is_given_in_the_unit_of_the_findings():
    """"Mean wait before assessment (h): +1,240" beside findings in days read as two different sizes:
    a wait's difference says its unit, days above 48 h as the findings do."""
    from capsim.report.findings import comparison_lines

    table = pd.DataFrame([
        {"scenario": "a", "metric": "wait_mean", "diff": 0.0, "diff_ci_low": 0.0, "diff_ci_high": 0.0},
        {"scenario": "b", "metric": "wait_mean", "diff": 1240.0, "diff_ci_low": 1100.0, "diff_ci_high": 1380.0},
        {"scenario": "b", "metric": "wait_p90", "diff": -3.2, "diff_ci_low": -5.0, "diff_ci_high": -1.0}])
    lines = comparison_lines(table)["b"]
    assert lines[0] == "Mean wait before assessment: +52 days (95% CI +46 to +58 days)"  # days as the year lines give them
    assert lines[1] == "90th percentile wait: \u22123.20 h (95% CI \u22125.00 to \u22121.00 h)"


def test_the_uncertainty_methods_say_their_runs_sample_the_inputs():
    """The uncertainty page said its runs used the medians: those are an ordinary run's."""
    from capsim.report.uncertainty import methods_text

    text = methods_text(load_scenario("scenarios/growth-central.yaml"), 16, 3, "lhs")
    assert "the runs reported here sample them" in text and "use their medians" not in text


def test_a_chart_description_gives_a_share_axis_as_its_ticks_do():
    """The by-year chart's text said "Share within deadline up, 0 to 1.02" beside ticks of 0% to 100%."""
    import matplotlib.pyplot as plt

    from capsim.charts.describe import describe
    from capsim.charts.parts import PercentTicks

    figure, ax = plt.subplots()
    ax.plot([0, 1], [0.2, 0.9])
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("Share within deadline")
    ax.yaxis.set_major_formatter(PercentTicks())
    text = describe(figure)
    plt.close(figure)
    assert "The vertical axis, Share within deadline, runs from 0% to 100%." in text


def test_the_time_chart_s_axis_is_in_the_unit_of_its_title():
    """The title said "within 0.87 days" over an axis of hours (the dot at 21): a reader matching
    the two had to convert. The axis is now in the title's unit, deadlines with it."""
    from capsim.charts.waits import time_to_assessment

    scenario = load_scenario("scenarios/base.yaml")
    per_replication = pd.DataFrame({"replication": [0, 1], "wait_mean": [24.0, 25.0], "wait_p90": [51.0, 52.0],
                                    "time_to_assessment_p50": [20.5, 21.0], "time_to_assessment_p90": [51.5, 52.5],
                                    "time_to_assessment_p95": [58.0, 59.0], "sla_normal": [0.999, 0.9995]})
    figure = time_to_assessment(per_replication, scenario, seed=1)
    title = " ".join(figure._suptitle.get_text().split())
    axis = figure.axes[0]
    deadline = [line.get_xdata()[0] for line in axis.get_lines() if line.get_linestyle() == "--"]
    plt.close(figure)
    assert "within 0.86 days, nine in ten within 2.2 days" in title
    assert axis.get_xlabel() == "Days from arrival" and deadline == [3.0]  # the 72 h deadline, in days
