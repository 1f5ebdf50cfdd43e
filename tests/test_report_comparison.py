"""A report comparing a tool with the base run says what capsim compare says (user trial): its
comparison.csv is compare's table (the detector's expected counts its chart quotes were missing),
its findings say where a cost counts a tool nobody priced at 0, and the comparison chart tells the
drawn synthetic referrals from the expected ones the detector avoids."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from capsim import charts
from capsim.bundled import path as scenario_file
from capsim.cli import app
from capsim.experiment import simulate
from capsim.report.findings import headline_findings
from capsim.scenario import load_scenario
from capsim.side_effects import DETECTOR_METRICS

runner = CliRunner()

SHORT = ["clock.horizon=35d", "clock.warmup=7d"]
"""Five weeks of the bundled scenarios: enough for the detector's side effects to show, quickly."""

PAIR = ("base", "tooling-detector")


def _short(*more: str) -> list[str]:
    """``--set`` options shortening the bundled scenarios, and ``more``."""
    return [arg for key in [*SHORT, *more] for arg in ("--set", key)]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The folders ``capsim report`` and ``capsim compare`` write for the same two runs."""
    root = tmp_path_factory.mktemp("pair")
    for command in ("report", "compare"):
        result = runner.invoke(app, [command, *PAIR, "-r", "2", "--seed", "3", *_short(), "--out",
                                     str(root / command)])
        assert result.exit_code == 0, result.output
    return root / "report", root / "compare"


@pytest.fixture(scope="module")
def pair():
    """base and tooling-detector, five weeks, two replications under one seed."""
    return [simulate(load_scenario(scenario_file(name), SHORT), replications=2, seed=3) for name in PAIR]


def test_the_reports_comparison_csv_is_the_table_capsim_compare_writes(written: tuple[Path, Path]) -> None:
    # The report's comparison.csv had no referrals_lost_real rows, though its chart's title quoted them.
    report, compared = (pd.read_csv(folder / "comparison.csv", keep_default_na=False) for folder in written)
    pd.testing.assert_frame_equal(report, compared)
    by_year = [pd.read_csv(folder / "comparison_by_year.csv", keep_default_na=False) for folder in written]
    pd.testing.assert_frame_equal(*by_year)  # and the years' table beside it, whose lines the report quotes
    lost = report[(report.scenario == "tooling-detector") & (report.metric == "referrals_lost_real")]
    assert len(lost) == 1 and lost.difference.iloc[0] > 0 and "expected count" in lost.note.iloc[0]
    cost = report[report.metric == "cost_total"]
    assert cost.note.str.contains("0 assumed for base: hash_matching; tooling-detector: hash_matching, "
                                  "synthetic_detector").all()


def test_the_reports_findings_say_the_detector_is_costed_at_0(written: tuple[Path, Path]) -> None:
    # Both scenarios' findings gave the same total cost and never said the detector had no price.
    page = (written[0] / "report.html").read_text("utf-8")
    for part in ("li", "caption"):  # the sentence, and the year table's caption above its cost column
        costs = [html.unescape(x) for x in re.findall(rf"<{part}>(.*?)</{part}>", page) if "Total cost" in x]
        assert len(costs) == 2 and "0 assumed for base: hash_matching)" in costs[0]
        assert "(tool cost not given: 0 assumed for tooling-detector: hash_matching, synthetic_detector)" in costs[1]


def test_a_cost_says_it_counts_a_tool_at_0_only_where_one_has_no_price(pair) -> None:
    def cost_line(result) -> str:
        return next(x for x in headline_findings(result) if x.startswith("Total cost"))

    assert "(tool cost not given: 0 assumed for tooling-detector: hash_matching, synthetic_detector)" in cost_line(
        pair[1])
    priced = simulate(load_scenario(scenario_file("base"), [*SHORT, "tooling.hash_matching.annual_cost=1000"]),
                      replications=2, seed=3)
    assert "0 assumed" not in cost_line(priced) and "per assessed item. It prices " in cost_line(priced)


def test_the_chart_says_synthetic_referrals_are_drawn_beside_the_expected_ones_avoided(pair) -> None:
    # The title quoted "1 synthetic referral avoided" (expected) while the panel of synthetic items
    # referred on showed the same count in both runs (drawn): a contradiction to a reader.
    shown = ["referrals_avoided_synthetic", "synthetic_referred"]
    fig = charts.comparison(pair, shown)
    titles = [" ".join(ax.get_title(loc="left").split()) for ax in fig.axes[::2]]
    assert titles[0] == "Expected synthetic referrals avoided"
    assert titles[1] == ("Synthetic items referred on: drawn in the runs, so its fall matches the expected "
                         "synthetic referrals avoided only up to chance")
    alone = charts.comparison(pair, ["synthetic_referred"])  # no expected count beside it: nothing to tell apart
    assert " ".join(alone.axes[0].get_title(loc="left").split()) == "Synthetic items referred on"


def test_referrals_are_drawn_beside_both_expected_counts_of_the_detector(pair) -> None:
    from capsim.charts.compare import panel_label

    scenario = pair[1].scenario
    assert panel_label("referred", scenario, ["referred", *DETECTOR_METRICS]) == (
        "Referrals to other teams: drawn in the runs, so its fall matches the expected real referrals lost to "
        "false positives plus the expected synthetic referrals avoided only up to chance")
    assert panel_label("referred", scenario, ["referred", "referrals_lost_real"]) == "Referrals to other teams"
