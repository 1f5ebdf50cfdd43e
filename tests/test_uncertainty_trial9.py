"""What a user trial of the input uncertainty found: the year charted is where the inputs matter
most and its chart says what the tables say; a year whose work piled up is said so on the
terminal; sensitivity keeps every value's unit and moves a declared uncertain input over its
declared range; a one-replication sweep does not promise confidence intervals."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from capsim import units
from capsim.charts.input_ranking import input_ranking
from capsim.cli import app
from capsim.report.uncertainty import chart_year, driver_text, flat_out
from capsim.scenario import load_scenario
from capsim.sensitivity import DECLARED, Setting, sensitivity
from capsim.uncertain_inputs import Uncertain
from capsim.uncertainty import FLAT_OUT, NOT_NAMED, too_few_to_rank

runner = CliRunner()


def one_team(name: str, clock: dict, rate: object, mean: object, headcount: int, within: str, seed: int) -> str:
    """A scenario file of one stream of reports and one team of analysts on a 24/7 roster (a 20 h
    exposure cap, 10% shrinkage, no hash matching), with one SLA, as YAML text."""
    return yaml.safe_dump({
        "name": name, "clock": clock, "priorities": ["normal"],
        "demand": [{"stream": "reports", "unit": "report", "rate": rate, "priority": "normal"}],
        "review": {"report": {"dist": "exponential", "mean": mean}},
        "workforce": [{"team": "analysts", "headcount": headcount, "roster": "24/7", "exposure_cap": "20h/day",
                       "shrinkage": 0.1}],
        "tooling": {"hash_matching": {"enabled": False}},
        "sla": [{"priority": "normal", "within": within, "target": 0.9}],
        "experiment": {"replications": 2, "seed": seed}}, sort_keys=False)


SATURATED = one_team("flat-out", {"horizon": "730d", "start": dt.date(2026, 7, 1), "step": "1d"},
                     {"uncertain": {"dist": "uniform", "low": "60/day", "high": "80/day", "source": "test"}},
                     "30min", 1, "24h", 3)
"""One analyst (about 36 reviews a day) against 60 to 80 reports a day over 2026 (184 days), 2027
and 2028 (181 days): the backlog grows by thousands a year whatever the rate, so every year's FTE
of review work is the analyst's limit and the rate barely moves it."""


def year_row(period: str, days: float, metric: str, mean: float, share: float, not_ranked: str = "") -> dict:
    """One row of uncertainty_by_year.csv, its intervals ±10% and ±1% of the mean, no input named."""
    return {"period": period, "days": days, "metric": metric, "mean": mean, "run_low": mean * 0.99,
            "run_high": mean * 1.01, "input_low": mean * 0.9, "input_high": mean * 1.1, "total_low": mean * 0.9,
            "total_high": mean * 1.1, "mc_se_input": mean * 0.01, "input_share": share, "driver": "",
            "driver_share": math.nan, "not_ranked": not_ranked, "r_squared": math.nan}


TOO_FEW = too_few_to_rank(8, 2)

TRIAL = pd.DataFrame([
    year_row("2027", 275.0, "fte_review_work", 17.8, 1.0, TOO_FEW), year_row("2027", 275.0, "backlog_end", 4867, 0.97, TOO_FEW),
    year_row("2028", 365.0, "fte_review_work", 18.7, 0.89, TOO_FEW), year_row("2028", 365.0, "backlog_end", 100912, 0.99, TOO_FEW),
    year_row("2029", 365.0, "fte_review_work", 19.0, 0.0, TOO_FEW), year_row("2029", 365.0, "backlog_end", 384653, 1.0, TOO_FEW),
    year_row("2030", 90.0, "fte_review_work", 18.8, 0.0, TOO_FEW), year_row("2030", 90.0, "backlog_end", 501642, 1.0, TOO_FEW),
])
"""The by-year table of the trial's ``capsim uncertainty growth-central -n 8 -r 2``: too few sets
to rank two inputs, so no input is named in any year; they cause 89% of 2028's FTE of review work
and 0% of 2029's (the staff at their limit as the backlog grows)."""


def test_with_no_input_named_the_chart_is_of_the_whole_year_where_the_inputs_matter_most():
    assert chart_year(TRIAL) == ("2028", "fte_review_work")  # not 2029, the last whole year, where they cause 0%
    # a part year (2027's 275 days) is charted only when no year is whole
    assert chart_year(TRIAL[TRIAL.period.isin(["2027", "2030"])]) == ("2027", "fte_review_work")


def chart_title(rows: pd.DataFrame, period: str, saturated: str = "") -> str:
    year = rows[rows.period == period]
    ranking = pd.DataFrame([{"metric": "fte_review_work", "input": name, "first_order": math.nan, "r_squared": math.nan,
                             "rank": pd.NA, "distribution_shown": "uniform", "sobol_first_order": math.nan,
                             "not_ranked": TOO_FEW} for name in ("report-growth", "ai-growth")])
    figure = input_ranking(ranking, year, load_scenario("scenarios/growth-central.yaml"), "fte_review_work", seed=1,
                           sets=8, replications=2, period=period, flat_out=saturated)
    return " ".join(figure._suptitle.get_text().split())


def test_the_chart_title_says_what_the_table_says_of_its_year():
    """2029: the inputs cause 0% of the FTE of review work's variance, and there are too few sets to
    rank them. The table says the first; the chart said the second."""
    row = next(TRIAL[(TRIAL.period == "2029") & (TRIAL.metric == "fte_review_work")].itertuples())
    assert driver_text(row, TRIAL.iloc[:0]) == f"none: {NOT_NAMED['negligible']}"  # no backlog: no limit
    title = chart_title(TRIAL, "2029")
    assert "barely move" in title and "too few parameter sets" not in title
    assert "too few parameter sets to rank" in chart_title(TRIAL, "2028")  # 89%: not ranked, as the table says


def test_a_year_the_staff_worked_flat_out_says_why_the_inputs_barely_move_it():
    row = next(TRIAL[(TRIAL.period == "2029") & (TRIAL.metric == "fte_review_work")].itertuples())
    assert driver_text(row, TRIAL) == f"none: {NOT_NAMED['negligible']}, {FLAT_OUT}"
    saturated = flat_out(TRIAL, "2029")
    assert "grew from 100,912 the year before to 384,653" in saturated and "not the work that arrived" in saturated
    assert flat_out(TRIAL, "2027") == ""  # the first year: nothing to compare with
    title = chart_title(TRIAL, "2029", saturated)
    assert title.endswith(f"barely move FTE of review work in 2029, {FLAT_OUT}")


def test_the_terminal_says_the_staff_worked_flat_out(tmp_path):
    path = tmp_path / "flat-out.yaml"
    path.write_text(SATURATED, encoding="utf-8")
    done = runner.invoke(app, ["uncertainty", str(path), "-n", "4", "-r", "2", "--workers", "1",
                               "--out", str(tmp_path / "out")], env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    lines = [line for line in done.stdout.splitlines() if "work arrived faster than the staff cleared it" in line]
    assert [line.split(":")[0] for line in lines] == ["2027", "2028 (1 Jan–29 Jun)"], done.stdout
    assert "the FTE of review work is the work they did, not the work that arrived" in lines[0]
    cells = " ".join(line.split("│")[-2] for line in done.stdout.splitlines() if line.count("│") > 2)
    cells = " ".join(cells.split())  # the "matters most" column, its wrapped lines joined
    assert cells.count(f"barely move it, {FLAT_OUT}") == 2  # the "matters most" cells of 2027 and 2028


TINY = one_team("tiny-declared", {"horizon": "2d", "start": dt.date(2024, 1, 1), "step": "6h"}, "1400/day",
                {"uncertain": {"dist": "lognormal", "low": "60s", "high": "120s", "source": "test"}}, 2, "4h", 7)


def test_a_declared_uncertain_input_is_moved_over_its_declared_range(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    table = sensitivity(path, ["review.report.mean", "workforce.analysts.headcount"], swing=0.2, metric="wait_mean",
                        replications=2).set_index("parameter")
    mean = table.loc["review.report.mean"]
    # a lognormal written by low and high: those are its central 95%; its median, √(60·120) s, the base
    assert (mean.base_value, mean.low_value, mean.high_value, mean.varied_over) == ("84.8528s", "60s", "120s", DECLARED)
    assert table.loc["workforce.analysts.headcount", "varied_over"] == "±20%"


def test_a_duration_the_file_does_not_write_keeps_a_readable_unit():
    doubling = Setting("demand.x.growth.doubling_time", 14474110.447806, None, "duration", False, 0.0, None)
    assert doubling.scaled(1.0) == "167.524d"  # not 14474110.447806s
    # written to six significant figures, as every value sensitivity writes (its _num): within half a
    # unit of the sixth, 5e-6 of the value
    assert units.parse_duration(doubling.scaled(1.0)) == pytest.approx(14474110.447806, rel=5e-6)


def test_sensitivity_on_the_terminal_and_chart_gives_units(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    done = runner.invoke(app, ["sensitivity", str(path), "--params", "review.report.mean,workforce.analysts.headcount",
                               "--metric", "sla_normal", "-r", "2", "--workers", "1", "--out", str(tmp_path / "out")],
                         env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    table = pd.read_csv(tmp_path / "out" / "sensitivity.csv")
    base = table.base_mean.iloc[0]
    assert f"in the base run: {100 * base:.1f}%." in done.stdout  # a share in percent, not 0.9
    assert "review.report.mean: declared uncertain, so run at the ends of their declared central 95%" in done.stdout
    svg = (tmp_path / "out" / "charts" / "tornado.svg").read_text()
    assert "(declared 95%)" in svg and "±20%" in svg


def test_uncertain_values_are_written_in_their_own_unit():
    spec = Uncertain.model_validate({"dist": "lognormal", "low": "150d", "high": "400d", "source": "test"})
    assert spec.text(14474110.447806) == "167.52442647923613d"
    rate = Uncertain.model_validate({"dist": "uniform", "low": "1e5/year", "high": "2e5/year", "source": "test"})
    assert rate.text(1.5e5 / units.SECONDS["year"]) == "150000.0/year"
    # every value in one unit, read back to within two units in its last place (a division and a
    # multiplication, each rounded once), whatever the value: 2,000 of them across each range
    for written, parse in ((spec, units.parse_duration), (rate, units.parse_rate)):
        unit, size = written.unit()
        for value in np.linspace(0.5, 3.0, 2000) * size * 200:
            text = written.text(value)
            assert text.endswith(unit) and text[:-len(unit)].replace(".", "").isdigit()
            assert abs(parse(text) - value) <= 2 * np.spacing(value)
    # an ordinary run gives an uncertain input its median exactly (the same bits as before)
    assert units.parse_duration(spec.exact_text(spec.central())) == spec.central()


def test_a_one_replication_sweep_says_it_has_no_intervals(tmp_path):
    path = tmp_path / "tiny.yaml"
    raw = yaml.safe_load(TINY)
    raw["review"]["report"]["mean"] = "90s"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")

    def swept(replications: str) -> str:
        done = runner.invoke(app, ["sweep", str(path), "--grid", "workforce.analysts.headcount=2,3", "-r", replications,
                                   "--workers", "1", "--out", str(tmp_path / f"out{replications}")],
                             env={"COLUMNS": "200"})
        assert done.exit_code == 0, done.output
        return " ".join(done.stdout.split())

    one = swept("1")
    assert "Full table with 95% CIs" not in one and "with no 95% CIs: one replication a point" in one
    two = swept("2")
    assert "Full table: sweep_summary.csv." in two and "(means and, below each, its 95% CI)" in two


def test_a_part_year_is_named_by_what_it_covers_as_every_capsim_table_names_it():
    # A year ending at noon on 31 Dec (a 2y horizon) is a part year.
    from capsim.report.uncertainty import period_text

    noon = load_scenario(yaml.safe_load(one_team("noon", {"horizon": "2y", "start": dt.date(2024, 1, 1), "step": "1d"},
                                                 "60/day", "30min", 1, "24h", 3)))
    assert (period_text(noon, "2024"), period_text(noon, "2025")) == ("2024", "2025 (1 Jan–31 Dec 12:00)")


def test_a_grown_backlog_is_said_with_the_numbers_of_its_own_findings():
    """Tried as an advocate: uncertainty.html said the backlog "grew from 4,900 the year before to 100,000"
    two lines above "Items waiting at the end of the year, 2028: 100,912 on average": two numbers for one
    mean on one page. The growth sentence gives the means as the backlog's findings do."""
    from capsim.report.uncertainty import year_findings

    lines = year_findings(TRIAL, load_scenario("scenarios/growth-central.yaml"))
    backlog_2028 = next(line for line in lines if line.startswith("Items waiting at the end of the year, 2028:"))
    assert backlog_2028.startswith("Items waiting at the end of the year, 2028: 100,912 on average")
    assert "grew from 4,867 the year before to 100,912: work arrived faster" in flat_out(TRIAL, "2028")


def test_the_chart_gives_an_interval_as_the_findings_beside_it_do():
    """Tried as an advocate: the backlog chart's subtitle read "total 150,000–920,000" beside the finding
    "95% of runs between 154,406 and 923,764": one interval, two sets of numbers to quote."""
    from capsim.report.uncertainty import uncertainty_findings

    scenario = load_scenario("scenarios/growth-central.yaml")
    summary = pd.DataFrame([{"metric": "backlog_end", "mean": 501642.0, "mc_se_mean": 5000.0, "run_low": 491321.0,
                             "run_high": 511962.0, "input_low": 174801.0, "input_high": 890995.0,
                             "total_low": 154406.0, "total_high": 923764.0, "mc_se_run": 3000.0,
                             "mc_se_input": 20000.0, "mc_se_total": 20000.0, "input_share": 1.0, "sets": 8,
                             "replications": 2}])
    ranking = pd.DataFrame([{"metric": "backlog_end", "input": name, "first_order": math.nan, "r_squared": math.nan,
                             "rank": math.nan, "distribution": "", "source": "test", "distribution_shown": "",
                             "sobol_first_order": math.nan, "not_ranked": too_few_to_rank(8, 2)}
                            for name in ("report-growth", "ai-growth")])
    finding = uncertainty_findings(summary, ranking, scenario)[0]
    assert "95% of runs between 154,406 and 923,764, of which the luck of the draw alone spans 491,321 to 511,962" in finding
    figure = input_ranking(ranking, summary, scenario, "backlog_end", seed=1, sets=8, replications=2)
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    words = " ".join(" ".join(text.get_text() for text in figure.findobj(Text)).split())
    assert "total 154,406–923,764; inputs alone 174,801–890,995; run-to-run alone 491,321–511,962" in words
    plt.close(figure)
