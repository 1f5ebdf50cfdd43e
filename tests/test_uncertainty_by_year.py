"""The uncertainty run year by year: FTE of review work and staff cost per calendar year, the
sampler named in the output, and SALib's first-order Sobol indices with a Sobol sequence."""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from capsim import uncertainty
from capsim.cli import app
from capsim.scenario import load_scenario
from tests.conftest import mmc
from tests.test_uncertainty import HIGH, LOW, SERVERS, SERVICE, _tables

CONTRACTED = 40.0
"""Hours a week one analyst on a 24/7 roster is contracted for (capsim.workforce.FULL_TIME_HOURS)."""


def uncertain_mmc_over_new_year(tmp_path) -> str:
    """The M/M/4 of tests/test_uncertainty.py, arrival rate uniform on [LOW, HIGH], over a new year:
    measured from 06:00 on 31 December to 00:00 on 2 January (18 hours of one year, 24 of the next)."""
    raw = mmc(SERVERS, SERVICE, 0.7, days=1.75, warmup_days=0.25)
    raw["clock"]["start"] = "2026-12-31"
    raw["demand"][0]["rate"] = {"uncertain": {"dist": "uniform", "low": f"{LOW!r}/s", "high": f"{HIGH!r}/s",
                                              "source": "test"}}
    path = tmp_path / "mmc-new-year.yaml"
    path.write_text(yaml.safe_dump(raw))
    return str(path)


def test_fte_of_review_work_per_year_matches_the_offered_load(tmp_path):
    """The known answer: analysts work the offered load λ·S erlangs of each hour, so the FTE of review
    work is λ·S × 168 / 40 (a 24/7 seat's hours over the contracted 40 a week). With λ uniform on
    [LOW, HIGH] its outer distribution's 2.5% and 97.5% points are that at λ's 2.5% and 97.5% points.

    Tolerance: 4 of the estimator's stated Monte Carlo standard errors (a false failure about 6e-5
    per check), plus 2% of the value for the bias of a short period (work in hand at its ends counts
    pro rata, and the queue starts empty: a relaxation time of minutes against periods of 18 and 24
    hours); those errors must be under 20% of the interval's width, so a wrong estimator cannot pass.
    """
    plan = uncertainty.plan_uncertainty(uncertain_mmc_over_new_year(tmp_path), sets=16, replications=2, seed=4)
    result = uncertainty.run_uncertainty(plan, tmp_path / "out")
    by_year = result.by_year.set_index(["period", "metric"])
    assert list(dict.fromkeys(result.by_year.period)) == ["2026", "2027"]
    assert by_year.loc[("2026", "fte_review_work"), "days"] == pytest.approx(0.75)
    assert set(result.by_year.metric) == set(uncertainty.YEAR_METRICS)

    def fte(rate: float) -> float:
        return rate * SERVICE * 168 / CONTRACTED

    low, high = fte(LOW + 0.025 * (HIGH - LOW)), fte(LOW + 0.975 * (HIGH - LOW))
    for year in ("2026", "2027"):
        row = by_year.loc[(year, "fte_review_work")]
        assert row.mc_se_input < 0.2 * (high - low)
        assert abs(row["mean"] - fte((LOW + HIGH) / 2)) <= 4 * row.mc_se_mean + 0.02 * row["mean"]
        assert abs(row.input_low - low) <= 4 * row.mc_se_input + 0.02 * low
        assert abs(row.input_high - high) <= 4 * row.mc_se_input + 0.02 * high
        assert row.driver == "demand.items.rate" and row.driver_share > 0.8
        assert row.input_share > 0.8  # the rate, not the luck of the draw, spreads it
        assert row.total_low <= row.input_low and row.input_high <= row.total_high
    ranking = result.ranking_by_year
    assert set(ranking.period) == {"2026", "2027"} and ranking.sobol_first_order.isna().all()  # a Latin hypercube
    written = (tmp_path / "out" / uncertainty.BY_YEAR_FILE).read_text().splitlines()
    assert written[0].startswith("period,days,metric,mean,") and len(written) == 1 + 2 * len(uncertainty.YEAR_METRICS)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert uncertainty.BY_YEAR_FILE in manifest["uncertainty"]["tables"]
    assert "Latin hypercube" in manifest["uncertainty"]["design"]


def test_report_gives_each_years_fte_and_cost_with_the_combined_interval_and_its_driver(tmp_path):
    from capsim.report.uncertainty import year_findings

    scenario = load_scenario("scenarios/growth-central.yaml")
    summary, _ = _tables(0.6, [0.9])
    fte = summary.iloc[0].copy()
    fte[["metric", "mean", "total_low", "total_high", "input_low", "input_high"]] = ["fte_review_work", 30.4, 27.1,
                                                                                   35.2, 27.6, 34.5]
    cost = summary.iloc[1].copy()
    import pandas as pd

    by_year = pd.DataFrame([fte, cost])
    by_year.insert(0, "days", 366.0)
    by_year.insert(0, "period", "2028")
    by_year["driver"] = ["ai-growth", ""]
    by_year["driver_share"] = [0.83, math.nan]
    lines = year_findings(by_year, scenario)
    assert lines[0].startswith("FTE of review work, 2028: 30.4 on average; 95% of runs between 27.1 and 35.2")
    assert "Most of the input part (83%) comes from the ai-growth" in lines[0]
    assert lines[1].startswith("Total cost (staff, overheads, tools), 2028: GBP 410,000 on average, the same in every run")


def test_cli_by_year_table_and_a_sobol_run_names_its_sampler_and_gives_salib_indices(tmp_path):
    out = tmp_path / "s"
    done = CliRunner().invoke(app, ["uncertainty", uncertain_mmc_over_new_year(tmp_path), "-n", "8", "-r", "2",
                                    "--sampler", "sobol", "--set", "clock.horizon=1.5d", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "by year" in done.output and "FTE of review work" in done.output and "scrambled Sobol" in done.output
    ranking = (out / uncertainty.RANKING_FILE).read_text()
    assert "sobol_first_order" in ranking.splitlines()[0]
    import pandas as pd

    table = pd.read_csv(out / uncertainty.RANKING_FILE)
    assert table[table.metric == "assessed"].sobol_first_order.notna().all()
    page = (out / "uncertainty.html").read_text()
    assert "Year by year" in page and "scrambled Sobol" in page and "Latin hypercube)" not in page
    svg = next((out / "charts").glob("uncertainty_fte_review_work_*.svg")).read_text()  # the rate moves it: charted
    assert "scrambled Sobol" in svg  # the footer names the sampler used, not always the Latin hypercube


def test_chart_footer_names_the_sampler():
    from capsim.charts.input_ranking import input_ranking

    summary, ranking = _tables(0.6, [0.5, 0.2])
    scenario = load_scenario("scenarios/growth-central.yaml")

    def footer(**kw) -> str:
        fig = input_ranking(ranking, summary, scenario, "backlog_end", seed=1, sets=8, replications=2, **kw)
        return next(t for t in fig.texts if t.get_gid() == "chart-footer").get_text()

    assert "Parameter sets: Latin hypercube (scipy.stats.qmc)" in footer()
    sobol = footer(sampler="sobol")
    assert "Parameter sets: scrambled Sobol (scipy.stats.qmc)" in sobol and "Latin hypercube" not in sobol


def test_sobol_first_order_indices_of_a_known_function():
    """y = 4·x1 + 2·x2 with x uniform: first-order Sobol indices 16/20 and 4/20, and 0 for x3.
    SALib's RBD-FAST at 256 Sobol points: over 40 seeds its indices had standard deviations of
    at most 0.02 (at 64 points up to 0.16: too noisy to rank by), so 0.1 is 5 of them: a wrong
    mapping of inputs (indices swapped, or the sum of both given to one) is off by 0.6 and fails."""
    q = uncertainty.sample_quantiles(3, 256, 7, "sobol")
    shares, total = uncertainty.sobol_first_order(q, 4 * q[:, 0] + 2 * q[:, 1])
    assert shares[0] == pytest.approx(0.8, abs=0.1) and shares[1] == pytest.approx(0.2, abs=0.1)
    assert shares[2] == pytest.approx(0.0, abs=0.1)
    assert np.all((0 <= shares) & (shares <= 1)) and total == pytest.approx(shares.sum())


def test_an_ordinary_report_of_uncertain_inputs_points_to_capsim_uncertainty(tmp_path):
    from capsim.experiment import simulate
    from capsim.report.findings import headline_findings

    scenario = load_scenario(uncertain_mmc_over_new_year(tmp_path))
    lines = headline_findings(simulate(scenario, replications=2, periods=None))
    assert any("luck of the draw only" in line and f"capsim uncertainty {scenario.name}" in line for line in lines)


def test_a_growing_backlog_says_the_fte_is_work_done_and_the_chart_goes_where_the_inputs_matter():
    import pandas as pd

    from capsim.report.uncertainty import chart_year, year_findings

    def row(period: str, metric: str, mean: float, share: float, driver: str = "") -> dict:
        return {"period": period, "days": 365.0, "metric": metric, "mean": mean, "run_low": mean * 0.99,
                "run_high": mean * 1.01, "input_low": mean * 0.9, "input_high": mean * 1.1, "total_low": mean * 0.9,
                "total_high": mean * 1.1, "input_share": share, "driver": driver,
                "driver_share": 0.9 if driver else math.nan}

    by_year = pd.DataFrame([row("2028", "fte_review_work", 18.8, 0.0), row("2028", "backlog_end", 3200, 0.0),
                            row("2029", "fte_review_work", 19.0, 0.0), row("2029", "backlog_end", 90000, 0.0),
                            row("2030", "fte_review_work", 19.0, 0.0),
                            row("2030", "backlog_end", 95000, 0.8, "ai-growth")])
    lines = year_findings(by_year, load_scenario("scenarios/growth-central.yaml"))
    fte = [line for line in lines if line.startswith("FTE of review work")]
    assert "not the work that arrived" not in fte[0]  # the first year: nothing to compare with
    assert "The items waiting at the end of the year grew from 3,200 the year before to 90,000: work" in fte[1] and "not the work that arrived" in fte[1]
    assert "not the work that arrived" not in fte[2]  # 90,000 to 95,000: within a steady backlog's swing
    # a flat FTE beside a growing backlog is the staff's limit, not certainty about the demand
    assert "barely move it, not because the demand is known but because work piled up: what was done is what the staff cleared" in fte[1]
    assert "barely move it: its spread is the luck of the draw" in fte[0] and "could do no more" not in fte[0]
    backlog_2030 = next(line for line in lines if line.startswith("Items waiting at the end of the year, 2030"))
    assert "Most of the input part (90%) comes from the ai-growth" in backlog_2030
    minority = by_year.assign(driver_share=by_year.driver_share.where(by_year.driver == "", 0.29))
    backlog_2030 = next(line for line in year_findings(minority, load_scenario("scenarios/growth-central.yaml"))
                        if line.startswith("Items waiting at the end of the year, 2030"))
    assert "The largest share of the input part (29%) comes from the ai-growth" in backlog_2030  # 29% is not "most"
    assert "95% of runs between 85,500 and 104,500" in backlog_2030  # whole counts: no end rounded past the mean
    assert chart_year(by_year) == ("2030", "backlog_end")  # the inputs move no year's FTE: chart what they move
    assert chart_year(by_year.assign(driver="")) == ("2030", "fte_review_work")


def test_a_kept_task_without_its_years_is_run_again(tmp_path):
    """A task file from a sweep that did not measure years (or an older capsim) holds no per-year
    metrics: resuming into the folder runs that task again rather than leaving its years out."""
    from capsim import sweep

    plan = uncertainty.plan_uncertainty(uncertain_mmc_over_new_year(tmp_path), sets=2, replications=2, seed=1)
    first = uncertainty.run_uncertainty(plan, tmp_path / "out")
    path = sweep.task_path(tmp_path / "out", 1, 0)
    record = json.loads(path.read_text())
    text = json.dumps({k: v for k, v in record.items() if k != "periods"})
    path.write_text(text)
    with open(tmp_path / "out" / ".capsim-files", "a") as listing:  # as capsim would have listed it
        listing.write(f"{hashlib.sha256(text.encode()).hexdigest()}  tasks/1-0.json\n")
    again = uncertainty.run_uncertainty(plan, tmp_path / "out")
    assert "periods" in json.loads(path.read_text())
    assert again.by_year[["period", "metric", "mean"]].equals(first.by_year[["period", "metric", "mean"]])


def test_tasks_measure_only_the_staffing_metrics_per_year_and_a_sweep_wanting_every_metric_runs_them_again(tmp_path):
    """Each uncertainty task measures every metric of the whole run but, per year, only the counts,
    hours, staff and costs its by-year table reads (:func:`capsim.metrics.staffing_metrics`), and its
    file says so. A sweep wanting every metric per year would not take such a task as done; a task
    that measured every metric serves a sweep wanting the staffing ones."""
    import dataclasses

    from capsim import sweep
    from capsim.metrics import metric_names, staffing_names

    plan = uncertainty.plan_uncertainty(uncertain_mmc_over_new_year(tmp_path), sets=2, replications=2, seed=1)
    assert plan.sweep.period_measures == "staffing"
    out = tmp_path / "out"
    uncertainty.run_uncertainty(plan, out)
    record = json.loads(sweep.task_path(out, 0, 0).read_text())
    assert record["period_measures"] == "staffing"
    assert list(record["metrics"]) == metric_names(plan.base)
    assert [list(m) for m in record["periods"].values()] == [staffing_names(plan.base)] * 2
    kept, damaged = sweep.existing_tasks(out, plan.sweep)
    assert len(kept) == 4 and not damaged
    kept, damaged = sweep.existing_tasks(out, dataclasses.replace(plan.sweep, period_measures="all"))
    assert not kept and len(damaged) == 4

    full = sweep.run_task(*sweep.task_arguments(dataclasses.replace(plan.sweep, period_measures="all"), 0, 0))
    assert full["period_measures"] == "all" and list(full["periods"]["2026"]) == metric_names(plan.base)
    path = sweep.task_path(out, 0, 0)
    path.write_text(json.dumps({**record, "periods": full["periods"], "period_measures": "all"}))
    kept, damaged = sweep.existing_tasks(out, plan.sweep)
    assert len(kept) == 4 and not damaged
