"""What user trial 23 found in ``capsim uncertainty growth-central -n 12 -r 2`` (defect 5): a flat
finding of a year whose work piled up read as certainty, while the table's cell for the same
year said why the inputs barely move it; an input interval of no width read "18.8 to 18.8";
years were labelled by their days ("2027 (275 days)"), not by their months as the rest of capsim
labels them; the ranking charts' descriptions gave "2 replications" without the 12 parameter sets."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd

from capsim.charts.describe import describe
from capsim.charts.input_ranking import input_ranking
from capsim.charts.uncertainty_words import part_span
from capsim.report.uncertainty import (SAME_IN_EVERY_RUN, driver_text, uncertainty_findings, year_cells,
                                       year_findings)
from capsim.scenario import load_scenario
from capsim.uncertainty import FLAT_OUT

SCENARIO = load_scenario("scenarios/growth-central.yaml")
"""Measured from 1 Apr 2027 to 31 Mar 2030: 2027 (Apr–Dec), 2028, 2029, 2030 (Jan–Mar)."""


def row(period: str, days: float, metric: str, mean: float, run: tuple[float, float], inputs: tuple[float, float],
        total: tuple[float, float], share: float, driver: str = "") -> dict:
    """One row of uncertainty_by_year.csv."""
    return {"period": period, "days": days, "metric": metric, "mean": mean, "run_low": run[0], "run_high": run[1],
            "input_low": inputs[0], "input_high": inputs[1], "total_low": total[0], "total_high": total[1],
            "mc_se_input": 0.001, "input_share": share, "driver": driver, "driver_share": 1.0 if driver else math.nan,
            "not_ranked": "", "r_squared": math.nan}


TRIAL = pd.DataFrame([
    row("2027", 275.0, "fte_review_work", 17.867, (17.842, 17.892), (16.963, 18.607), (16.832, 18.668), 0.999,
        "report-growth"),
    row("2027", 275.0, "backlog_end", 4199.0, (2994.0, 5404.0), (2323.0, 9815.0), (2240.0, 11275.0), 0.93,
        "report-growth"),
    row("2028", 366.0, "fte_review_work", 18.696, (18.583, 18.808), (18.213, 18.819), (18.060, 18.903), 0.86,
        "report-growth"),
    row("2028", 366.0, "backlog_end", 98951.0, (88376.0, 109525.0), (20858.0, 200076.0), (15078.0, 211606.0), 1.0,
        "report-growth"),
    row("2029", 365.0, "fte_review_work", 18.988345, (18.962344, 19.019962), (18.988345, 18.988345),
        (18.962353, 19.019283), 0.0),
    row("2029", 365.0, "backlog_end", 384195.0, (370798.0, 397593.0), (125404.0, 649882.0), (95380.0, 677385.0), 1.0,
        "report-growth"),
    row("2030", 90.0, "fte_review_work", 18.818248, (18.727495, 18.904375), (18.818248, 18.818248),
        (18.727762, 18.903827), 0.0),
    row("2030", 90.0, "backlog_end", 501894.0, (491643.0, 512145.0), (185426.0, 819698.0), (147504.0, 852462.0), 1.0,
        "report-growth"),
])
"""The FTE of review work and the backlog of the trial's run (uncertainty_by_year.csv): the backlog
grows every year from 2028, so the FTE of review work is the staff's limit; in 2029 and 2030 the
inputs explain none of its variance (input intervals of no width)."""


def finding(period: str, by_year: pd.DataFrame = TRIAL) -> str:
    """The FTE of review work's finding of ``period``."""
    lines = [line for line in year_findings(by_year, SCENARIO) if line.startswith(f"FTE of review work, {period}")]
    assert len(lines) == 1, lines
    return lines[0]


def fte_row(period: str, by_year: pd.DataFrame = TRIAL):
    return next(by_year[(by_year.period == period) & (by_year.metric == "fte_review_work")].itertuples())


def test_a_finding_whose_ends_differ_gives_them_with_the_table_s_caveat():
    """2029: "19.0 on average, and 19.0 in 95% of runs: neither ... move it at this precision." while
    the table beside it gave 18.96 – 19.02; the table's cell said "not because the demand is known but
    because work piled up"."""
    line = finding("2029")
    assert line.startswith("FTE of review work, 2029: 19.0 on average; 95% of runs between 18.96 and 19.02 ("), line
    assert "at this precision" not in line
    assert f"The uncertain inputs barely move it, {FLAT_OUT}." in line
    assert year_cells(fte_row("2029"), TRIAL, SCENARIO)[5] == "18.96 – 19.02"  # the table: the same ends
    assert driver_text(fte_row("2029"), TRIAL).endswith(FLAT_OUT)  # the table's cell: the same caveat


def test_the_caveat_is_said_only_where_work_piled_up():
    """Without the backlog rows, 2029's spread is plainly the luck of the draw."""
    ftes = TRIAL[TRIAL.metric == "fte_review_work"]
    line = finding("2029", ftes)
    assert line.endswith("The uncertain inputs barely move it: its spread is the luck of the draw."), line
    assert FLAT_OUT not in driver_text(fte_row("2029", ftes), ftes)


def test_only_ends_that_are_equal_read_as_one_value():
    """A backlog empty at the end of 2027 in 95% of runs, not in the rest: one value, not "0 to 0",
    and not its mean."""
    empty = pd.DataFrame([row("2027", 275.0, "backlog_end", 1.25, (0.0, 9.0), (0.0, 4.0), (0.0, 0.0), 0.3)])
    assert year_findings(empty, SCENARIO, ["backlog_end"]) == [
        "Items waiting at the end of the year, 2027 (Apr–Dec): 1.25 on average, and 0 in 95% of runs: the inputs "
        "sampled and the luck of the draw move it only in the other runs."]


def test_a_result_the_same_in_every_run_says_so_once_not_41_to_41_three_times():
    """Staff in post read "41.0 – 41.0" and the cost "GBP 2.9 million – GBP 2.9 million" in each of the
    three interval columns."""
    same = pd.DataFrame([row("2029", 365.0, "cost_total", 2.9e6, (2.9e6, 2.9e6), (2.9e6, 2.9e6), (2.9e6, 2.9e6),
                             math.nan)])
    cells = year_cells(next(same.itertuples()), same, SCENARIO)
    assert cells[2:] == ["GBP 2.9 million", "", "", "", "n/a", f"none: {SAME_IN_EVERY_RUN}"]
    assert [part_span(next(same.itertuples()), "cost_total", part, "GBP") for part in ("run", "input", "total")] == [
        SAME_IN_EVERY_RUN] * 3  # a ranking chart's subtitle, were one drawn for it


def test_an_input_interval_of_no_width_says_why_rather_than_18_8_to_18_8():
    line = finding("2030")
    assert "what we don't know alone: none beyond the luck of the draw;" in line, line
    assert "18.8 to 18.8" not in line
    assert year_cells(fte_row("2030"), TRIAL, SCENARIO)[4] == "none beyond the luck of the draw"


def test_interval_ends_that_differ_never_read_alike():
    narrow = TRIAL.copy()
    narrow.loc[(narrow.period == "2030") & (narrow.metric == "fte_review_work"), ["input_low", "input_high"]] = [
        18.78, 18.82]
    assert "what we don't know alone: 18.78 to 18.82;" in finding("2030", narrow)
    assert year_cells(fte_row("2030", narrow), narrow, SCENARIO)[4] == "18.78 – 18.82"


def test_a_duration_s_ends_that_read_alike_take_a_finer_unit():
    summary = pd.DataFrame([{"metric": "wait_mean", "mean": 702.0, "run_low": 698.0, "run_high": 706.0,
                             "input_low": 200.0, "input_high": 1300.0, "total_low": 190.0, "total_high": 1400.0,
                             "mc_se_input": 10.0, "input_share": 0.99, "r_squared": 0.99}])
    ranking = pd.DataFrame([{"metric": "wait_mean", "input": "report-growth", "first_order": 1.0,
                             "not_ranked": ""}])
    line = uncertainty_findings(summary, ranking, SCENARIO, ["wait_mean"])[0]
    assert "the luck of the draw alone spans 698 h to 706 h." in line, line  # not "29 days to 29 days"


def test_years_are_labelled_by_their_months_as_everywhere_else():
    assert finding("2027 (Apr–Dec)").startswith("FTE of review work, 2027 (Apr–Dec): 17.9 on average")
    assert [year_cells(fte_row(p), TRIAL, SCENARIO)[0] for p in ("2027", "2028", "2029", "2030")] == [
        "2027 (Apr–Dec)", "2028", "2029", "2030 (Jan–Mar)"]


def test_the_ranking_chart_s_description_names_the_parameter_sets_as_its_footer_does():
    year = TRIAL[TRIAL.period == "2028"]
    ranking = pd.DataFrame([{"metric": "fte_review_work", "input": name, "first_order": share, "r_squared": 0.99,
                             "rank": rank, "distribution_shown": "uniform", "sobol_first_order": math.nan,
                             "not_ranked": ""} for name, share, rank in (("report-growth", 0.98, 1), ("ai-growth", 0.0, 2))])
    figure = input_ranking(ranking, year, SCENARIO, "fte_review_work", seed=1, sets=12, replications=2, period="2028")
    text = describe(figure)
    plt.close(figure)
    assert "Scenario: growth-central · seed 1 · 12 parameter sets × 2 replications · capsim" in text, text


def test_a_whole_run_finding_whose_ends_are_equal_reads_as_one_value_not_between_0_and_0():
    summary = pd.DataFrame([{"metric": "backlog_end", "mean": 1.25, "run_low": 0.0, "run_high": 9.0,
                             "input_low": 0.0, "input_high": 4.0, "total_low": 0.0, "total_high": 0.0,
                             "mc_se_input": 0.1, "input_share": 0.3, "r_squared": 0.5}])
    ranking = pd.DataFrame([{"metric": "backlog_end", "input": "report-growth", "first_order": 0.5,
                             "not_ranked": ""}])
    line = uncertainty_findings(summary, ranking, SCENARIO, ["backlog_end"])[0]
    assert line.endswith(": 1.25 on average, and 0 in 95% of runs: the inputs sampled and the luck of the draw move "
                         "it only in the other runs."), line
