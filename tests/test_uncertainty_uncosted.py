"""capsim uncertainty of a scenario without costs says once, plainly, that its cost is not known:
its tables showed "GBP n/a – GBP n/a" three times in a row and called the cost "the same in every
run"; a share no item was measured for said "n/a ± n/a" the same way."""

from __future__ import annotations

import html

import pytest
from typer.testing import CliRunner

from capsim.cli import app
from tests.test_uncertainty_by_year import uncertain_mmc_over_new_year

NOT_COSTED = "n/a (not costed: a team has no costs.teams entry)"


@pytest.fixture(scope="module")
def uncosted(tmp_path_factory):
    """The M/M/4 over a new year, with no costs section: every cost is unknown (NaN) in every run."""
    tmp_path = tmp_path_factory.mktemp("uncosted")
    out = tmp_path / "out"
    done = CliRunner().invoke(app, ["uncertainty", uncertain_mmc_over_new_year(tmp_path), "-n", "4", "-r", "2",
                                    "-w", "1", "--out", str(out)])
    assert done.exit_code == 0, done.output
    return done.output, html.unescape((out / "uncertainty.html").read_text(encoding="utf-8"))


def test_the_command_line_says_each_unknown_cost_once(uncosted):
    output, _ = uncosted  # the tables wrap their cells: the words are looked for as the first line shows them
    assert output.count("n/a (not") == 3  # 2026 and 2027 by year, and the whole run
    assert "GBP n/a" not in output and "n/a –" not in output and "n/a ±" not in output


def test_the_page_says_each_unknown_cost_once(uncosted):
    _, page = uncosted
    rows = [row for row in page.split("<tr>") if "Total cost (staff, overheads, tools)" in row]
    assert len(rows) == 2
    assert all(row.count(NOT_COSTED) == 1 and "GBP n/a" not in row and "same in every run" not in row for row in rows)
