"""How an uncertainty run shows its inputs: each with its short name, its scenario key, its
distribution and central 95% in the input's own unit (a growth a year in percent, a doubling
time in days) and its source; results that nothing moves in one wording; long input names in
the terminal's "matters most" column wrapped at their dots, not cut short."""

from __future__ import annotations

import math

import pandas as pd
from rich.console import Console
from typer.testing import CliRunner

from capsim.scenario import load_scenario
from tests.test_uncertainty import uncertain_mmc

GROWTH = "demand.reports.growth.per_year"


def test_each_input_is_shown_with_its_name_key_unit_range_and_source():
    # growth-central writes its report growth as a plain share, 0.2255 (+22.55% a year, sd 2.375
    # points): the page showed "normal(mean=0.2255, sd=0.02375)" with no unit and no short name.
    from capsim.uncertain_inputs import unknowns
    from capsim.uncertainty import inputs_shown

    rows = inputs_shown(unknowns(load_scenario("scenarios/growth-central.yaml").uncertain)).set_index("input")
    growth, ai = rows.loc["report-growth"], rows.loc["ai-growth"]
    assert growth["keys"] == GROWTH and ai["keys"] == "demand.ai-generated.growth.doubling_time"
    assert growth.distribution == "normal: mean 22.55% a year, sd 2.375 points"
    assert (growth["median"], growth.low, growth.high) == ("22.55% a year", "17.89% a year", "27.2% a year")
    assert growth.as_written == "normal(mean=0.2255, sd=0.02375)"  # as the scenario writes it, kept
    assert ai.distribution == "lognormal: low 125.9d, high 348.3d" and (ai.low, ai.high) == ("125.9d", "348.3d")
    assert ai["median"] == "209.4d" and growth.source.startswith("log-linear fit")


def test_a_percentage_is_shown_in_percent_and_other_numbers_as_written():
    from capsim.uncertain_inputs import Uncertain

    share = Uncertain(dist="uniform", low="20%", high="80%", source="s")
    assert share.describe("demand.items.mix.criminal") == "uniform: low 20%, high 80%"
    plain = Uncertain(dist="uniform", low=0.2, high=0.8, source="s")
    assert plain.describe("demand.items.mix.criminal") == "uniform: low 0.2, high 0.8"
    assert plain.shown(0.5, GROWTH) == "50% a year" and plain.shown(0.5) == "0.5"


def test_the_page_lists_the_inputs_as_the_findings_name_them():
    from capsim.report.uncertainty import inputs_table_html

    page = inputs_table_html(load_scenario("scenarios/growth-central.yaml"))
    head = page[:page.index("</tr>")]
    for column in ("input", "what it is (scenario key)", "distribution", "median", "central 95%", "source"):
        assert f"<th>{column}</th>" in head
    assert (f"<td>report-growth</td><td>{GROWTH}</td><td>normal: mean 22.55% a year, sd 2.375 points</td>"
            "<td>22.55% a year</td><td>17.89% a year – 27.2% a year</td>") in page
    assert "0.2255" not in page and "0.02375" not in page


def test_the_ranking_gives_the_distribution_as_written_and_in_its_unit(tmp_path):
    # the ranking chart labels each bar with the distribution_shown column
    from capsim import uncertainty

    plan = uncertainty.plan_uncertainty("scenarios/growth-central.yaml", sets=4, replications=2, workers=0)
    runs = pd.DataFrame({"point": [0, 0, 1, 1, 2, 2, 3, 3], "replication": [0, 1] * 4,
                         "backlog_end": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 7.0]})
    ranking = uncertainty.rank_inputs(plan, runs, ["backlog_end"]).set_index("input")
    assert ranking.loc["report-growth", "distribution"] == "normal(mean=0.2255, sd=0.02375)"
    assert ranking.loc["report-growth", "distribution_shown"] == "normal: mean 22.55% a year, sd 2.375 points"


def _constant_cost() -> pd.Series:
    return pd.Series({"metric": "cost_total", "mean": 8498491.0, "mc_se_mean": 0.0, "run_low": 8498491.0,
                      "run_high": 8498491.0, "input_low": 8498491.0, "input_high": 8498491.0,
                      "total_low": 8498491.0, "total_high": 8498491.0, "mc_se_run": 0.0, "mc_se_input": 0.0,
                      "mc_se_total": 0.0, "input_share": math.nan, "sets": 4, "replications": 2})


def test_a_cost_that_nothing_moves_is_worded_one_way_in_findings_and_tables():
    # The page said "the same in every run" (year findings), "none: it does not vary" (year table)
    # and "95% of runs between GBP 8.5 million and GBP 8.5 million" (whole-run findings).
    from capsim.report.uncertainty import (SAME_IN_EVERY_RUN, driver_text, uncertainty_findings, year_findings,
                                           year_table_html)

    scenario = load_scenario("scenarios/growth-central.yaml")
    whole = uncertainty_findings(pd.DataFrame([_constant_cost()]), pd.DataFrame(columns=["metric", "input",
                                                                                         "first_order"]), scenario)
    assert whole == [f"Total cost (staff, overheads, tools): GBP 8.5 million on average, {SAME_IN_EVERY_RUN}: the "
                     "inputs sampled and the luck of the draw do not change it (it prices the staff the scenario "
                     "writes; capsim grant sizes the staff to the demand)."]
    year = pd.DataFrame([_constant_cost()])
    year.insert(0, "days", 366.0)
    year.insert(0, "period", "2028")
    year["driver"], year["driver_share"] = "", math.nan
    assert year_findings(year, scenario)[0] == whole[0].replace("tools):", "tools), 2028:")
    assert driver_text(next(year.itertuples()), year) == f"none: {SAME_IN_EVERY_RUN}"
    assert f"<td>none: {SAME_IN_EVERY_RUN}</td>" in year_table_html(year, scenario)


def test_long_names_are_broken_at_their_dots_and_short_ones_left_whole():
    from capsim.cli import names_broken

    assert names_broken(f"{GROWTH} (100%)", 8) == "demand.\nreports.\ngrowth.\nper_year (100%)"
    assert names_broken("demand.items.rate (93%)", 14) == "demand.items.\nrate (93%)"
    assert names_broken("report-growth (100%)", 14) == "report-growth (100%)"  # fits: as it was
    assert names_broken("none: the same in every run", 8) == "none: the same in every run"  # rich wraps spaces


def test_matters_most_is_whole_in_an_80_column_terminal(tmp_path, monkeypatch):
    # At 80 columns the column was cut to "demand.…": a reader could not tell which input it was.
    import capsim.cli as cli

    monkeypatch.setattr(cli, "out_console", Console(width=80))
    # 12 sets: the fewest that rank 2 inputs (uncertainty.sets_to_rank), so that the column names one
    done = CliRunner().invoke(cli.app, ["uncertainty", uncertain_mmc(tmp_path, days=0.5), "-n", "12", "-r", "2",
                                        "--out", str(tmp_path / "u")])
    assert done.exit_code == 0, done.output
    whole_run = done.output[done.output.index("whole run"):]
    rows = [line for line in whole_run.splitlines() if line.startswith("│")]
    assert rows and all(len(line) <= 80 for line in rows)
    cells = [line.split("│")[-2].strip() for line in rows]
    assert not any("…" in cell for cell in cells), cells
    assert "demand.items.rate(" in "".join(cells)  # the key's lines, read down the column
    assert "Uncertain inputs:" in done.output and "demand.items.rate: uniform: low " in done.output
