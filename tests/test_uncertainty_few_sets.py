"""Too few parameter sets to rank the inputs: the rule, the ranking table and what a reader sees.

With 4 sets and 2 inputs the rank regression has 1 degree of freedom left; it fitted the ranks
exactly and the report said "report-growth explains 100%" of the input part.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

from capsim import uncertainty
from capsim.cli import app
from capsim.scenario import load_scenario
from tests.test_uncertainty import uncertain_mmc

TWO_INPUTS_NOTE = "too few parameter sets to rank the inputs (run --parameter-sets 12 or more)"


@pytest.mark.parametrize("inputs, sets", [(1, 8), (2, 12), (3, 15), (5, 21)])
def test_sets_to_rank_is_where_noise_alone_rarely_explains_most(inputs, sets):
    # The null distribution of R² with d inputs and df degrees of freedom left is Beta(d/2, df/2):
    # at the sets the rule asks for, R² > 1/2 by chance in at most 5% of runs; with one set fewer, in more.
    assert uncertainty.sets_to_rank(inputs) == sets
    df = sets - inputs - 1
    assert stats.beta.sf(0.5, inputs / 2, df / 2) <= 0.05 < stats.beta.sf(0.5, inputs / 2, (df - 1) / 2)


def test_the_rank_regression_on_latin_hypercube_sets_follows_that_null_distribution():
    """Answers unrelated to 2 inputs, 2,000 Latin hypercubes of each size (fixed seeds): the share of runs
    whose rank regression explains more than half. The binomial standard error at 2,000 runs is at most
    0.011, so 3 of them either side: at 12 sets (the rule's 5%) no more than 0.05 + 0.015; at 4 sets
    (Beta(1, 1/2): 1 − 0.5^0.5 = 0.71 of runs) far more than half."""
    rng = np.random.default_rng(11)

    def chance(sets: int) -> float:
        return float(np.mean([uncertainty.rank_regression(uncertainty.sample_quantiles(2, sets, seed),
                                                          rng.normal(size=sets))[1] > 0.5 for seed in range(2000)]))

    assert chance(12) <= 0.065
    assert chance(4) >= 0.6


@pytest.mark.parametrize("sets, says", [(1, TWO_INPUTS_NOTE), (3, TWO_INPUTS_NOTE), (4, TWO_INPUTS_NOTE),
                                        (11, TWO_INPUTS_NOTE), (12, ""), (64, "")])
def test_too_few_to_rank_two_inputs(sets, says):
    # 3 sets (inputs + 1) leave the regression no degree of freedom, 1 set cannot order anything
    assert uncertainty.too_few_to_rank(sets, 2) == says


def test_one_set_is_refused_naming_the_option_the_command_takes(tmp_path):
    # the message named --sets, which capsim uncertainty does not take
    with pytest.raises(uncertainty.UncertaintyError, match=r"^--parameter-sets 1, --replications 2: both must be at least 2"):
        uncertainty.plan_uncertainty(uncertain_mmc(tmp_path), sets=1, replications=2, workers=0)


def _plan(tmp_path, sets: int, sampler: str = "lhs") -> uncertainty.UncertaintyPlan:
    """The 2-input M/M/4 of tests/test_uncertainty.py sampled into ``sets`` sets (nothing run)."""
    return uncertainty.plan_uncertainty(uncertain_mmc(tmp_path, days=0.5), sets=sets, replications=2, seed=1,
                                        sampler=sampler, workers=0)


def _runs(plan: uncertainty.UncertaintyPlan) -> pd.DataFrame:
    """Two replications a set of a wait that rises with the arrival rate (the first input, by its quantile),
    a cost no input moves, and a wait that one set did not measure."""
    rate = plan.quantiles[:, [i.label for i in plan.inputs].index("demand.items.rate")]
    rows = [{"point": p, "replication": r, "wait_mean": 1 + 10 * q + 0.01 * r, "cost_total": 5.0,
             "wait_p90": math.nan if p == 0 else q} for p, q in enumerate(rate) for r in (0, 1)]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("sets", [3, 4, 11])
def test_with_too_few_sets_no_share_rank_or_r2_is_given_and_the_table_says_how_many_would_do(tmp_path, sets):
    plan = _plan(tmp_path, sets)
    ranking = uncertainty.rank_inputs(plan, _runs(plan), ["wait_mean", "cost_total", "wait_p90"]).set_index("metric")
    wait = ranking.loc["wait_mean"]
    assert wait.first_order.isna().all() and wait.r_squared.isna().all() and wait["rank"].isna().all()
    assert (wait.not_ranked == TWO_INPUTS_NOTE).all()
    assert (ranking.loc["cost_total"].not_ranked == uncertainty.NOT_VARYING).all()
    assert (ranking.loc["wait_p90"].not_ranked == uncertainty.NOT_MEASURED).all()


def test_with_enough_sets_the_ranking_is_the_rank_regressions(tmp_path):
    plan = _plan(tmp_path, 12)
    runs = _runs(plan)
    ranking = uncertainty.rank_inputs(plan, runs, ["wait_mean"]).set_index("input")
    shares, r2 = uncertainty.rank_regression(plan.quantiles, runs.groupby("point").wait_mean.mean().to_numpy())
    assert list(ranking.first_order) == list(shares) and (ranking.r_squared == r2).all()
    assert ranking.loc["demand.items.rate", "rank"] == 1 and ranking.loc["demand.items.rate", "first_order"] > 0.99
    assert ranking.loc["demand.items.mix.criminal", "rank"] == 2 and (ranking.not_ranked == "").all()


def test_too_few_sets_to_rank_still_give_the_sobol_check(tmp_path):
    # RBD-FAST is not the rank regression: it is given from 6 sets, as before
    plan = _plan(tmp_path, 8, sampler="sobol")
    ranking = uncertainty.rank_inputs(plan, _runs(plan), ["wait_mean"])
    assert ranking.first_order.isna().all() and ranking.sobol_first_order.notna().all()


def test_the_chart_says_the_inputs_are_not_ranked_and_shows_no_share(tmp_path):
    import matplotlib.pyplot as plt

    from capsim.charts.input_ranking import input_ranking

    plan = _plan(tmp_path, 4)
    runs = _runs(plan)
    figure = input_ranking(uncertainty.rank_inputs(plan, runs, ["wait_mean"]),
                           uncertainty.summarise(runs, ["wait_mean"]), load_scenario("scenarios/growth-central.yaml"),
                           "wait_mean", seed=1, sets=4, replications=2)
    title = " ".join(figure._suptitle.get_text().split())
    assert title == f"Mean wait before assessment: {TWO_INPUTS_NOTE}"
    bars = [t.get_text().strip() for t in figure.axes[0].texts]
    assert bars == ["not ranked", "not ranked"]
    plt.close(figure)


def test_cli_report_and_csv_say_too_few_sets_to_rank_instead_of_a_share(tmp_path):
    """The trial: 4 sets of 2 inputs. No "explains 100%" or "(100%)" anywhere a reader looks: the
    terminal's "matters most" column, the page's findings and year table, the chart, the ranking CSVs."""
    out = tmp_path / "u"
    done = CliRunner().invoke(app, ["uncertainty", uncertain_mmc(tmp_path, days=0.5), "-n", "4", "-r", "2",
                                    "--out", str(out)])
    assert done.exit_code == 0, done.output

    def matters_most(table: str) -> str:  # the last column of a printed table, its wrapped lines read down
        return " ".join(line.split("│")[-2].strip() for line in table.splitlines() if line.startswith("│"))

    for table in done.output[:done.output.index("Uncertain inputs:")].split("whole run"):  # by year, whole run
        column = matters_most(table)
        assert f"n/a: {TWO_INPUTS_NOTE}" in column and "%)" not in column
    page = (out / "uncertainty.html").read_text(encoding="utf-8")
    assert f"Which input drives it cannot be said: {TWO_INPUTS_NOTE}." in page
    assert f"<td>n/a: {TWO_INPUTS_NOTE}</td>" in page  # the year table
    shown = page.split("<h2>Methods</h2>")[0]  # findings, tables and charts (the methods say what a ranking explains)
    assert "explains" not in shown and "collect that first" not in shown and "not ranked" in shown  # the charts
    ranking = pd.read_csv(out / uncertainty.RANKING_FILE, keep_default_na=False)
    varies = ranking[ranking.metric == "wait_mean"]
    assert (varies.first_order == "").all() and (varies["rank"] == "").all()
    assert (varies.not_ranked == TWO_INPUTS_NOTE).all()
    years = pd.read_csv(out / uncertainty.BY_YEAR_FILE, keep_default_na=False)
    assert (years[years.metric == "backlog_end"].not_ranked == TWO_INPUTS_NOTE).all()
