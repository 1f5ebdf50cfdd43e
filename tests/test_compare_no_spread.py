"""A paired difference that is the same in every replication says so in ``capsim compare``'s
table ("0 in every replication"; the by-year lines: "no difference in any replication"), rather
than an interval whose two ends are one number ("+25,946 to +25,946", "0 to 0"); one replication
says it has no interval, as the level's column does."""

from __future__ import annotations

import math

import pandas as pd
from typer.testing import CliRunner

from capsim.cli import app, difference_interval_cell
from capsim.words import why_no_interval

from tests.conftest import staffed_files

runner = CliRunner()


def test_no_spread_names_why_there_is_no_interval():
    assert why_no_interval(2.5, -1.0, 4.0) is None
    assert why_no_interval(-3.0, math.nan, math.nan) == "one replication: no interval"
    assert why_no_interval(0.0, 0.0, 0.0) == "no difference in any replication"
    assert why_no_interval(25946.0, 25946.0, 25946.0) == "the same in every replication"


def _row(output: str, label: str, scenario: str) -> list[str]:
    line = next(line for line in output.splitlines() if label in line and scenario in line)
    return [cell.strip() for cell in line.strip("│ ").split("│")]


def test_compare_table_says_a_difference_is_the_same_in_every_replication(tmp_path):
    """Three analysts against twelve on the same arrivals (common random numbers): the items
    arriving do not differ in any replication; the items assessed do, with an interval."""
    paths = staffed_files(tmp_path, (3, 12))
    done = runner.invoke(app, ["compare", *paths, "-r", "3", "-w", "1", "--out", str(tmp_path / "cmp")],
                         terminal_width=300)
    assert done.exit_code == 0, done.output
    table = pd.read_csv(tmp_path / "cmp" / "comparison.csv").set_index(["scenario", "metric"])
    arriving = table.loc[("staff-12", "arrivals")]
    assert arriving.difference == arriving.difference_ci_low == arriving.difference_ci_high == 0
    assert _row(done.output, "Items arriving", "staff-12")[-1] == "0 in every replication"
    assessed = _row(done.output, "Items assessed", "staff-12")[-1]
    assert " to " in assessed and assessed.split(" to ")[0] != assessed.split(" to ")[1]


def test_a_nonzero_difference_the_same_in_every_replication_is_given_once():
    row = type("Row", (), {"difference": 25946.0, "difference_ci_low": 25946.0, "difference_ci_high": 25946.0})
    assert difference_interval_cell(row, "+25,946", "+25,946 to +25,946") == "+25,946 in every replication"


def test_a_difference_not_measured_has_no_interval_to_explain():
    """A metric measured in neither scenario (cost with no costs section): "n/a", not "one replication"."""
    row = type("Row", (), {"difference": float("nan"), "difference_ci_low": float("nan"),
                           "difference_ci_high": float("nan")})
    assert difference_interval_cell(row, "n/a", "nan to nan") == "n/a"
