"""Grant costs read together are rounded together (review of the one-precision round): each cost was
rounded on its own, so two that differ read alike or out of order ("EUR 2.754 million in the cheapest
... EUR 2.75 million in the dearest"; "£1,000,000 over the whole grant in each" for £999,600 and
£1,000,400); and the terminal printed "2,750,000 ± 60,000" where the report gave the interval's ends,
and "0 ± 1,000" for a difference the report wrote "+£0.30"."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from capsim import charts, cli
from capsim.cli import app
from capsim.report.grant import grant_findings
from capsim.scenario import load_scenario
from tests.test_grant_board_paper import trial_table
from tests.test_grant_one_precision import fixed_note, two_hotlines

LAST_YEAR = {"A": (2_754_000.0, 2_753_600.0, 2_754_500.0), "B": (2_754_400.0, 2_600_000.0, 2_900_000.0)}
"""Each scenario's full cost in the grant's last year (mean, 95% CI ends): B dearer than A by 400,
with a much wider interval, so that B alone rounds to 2,750,000."""


def two_scenarios() -> pd.DataFrame:
    """The trial's grant table as scenarios A and B, their last year costing :data:`LAST_YEAR`."""
    table = trial_table().assign(hires=1.0, hires_ci_low=1.0, hires_ci_high=1.0, backlog_mean=200.0,
                                 backlog_mean_ci_low=190.0, backlog_mean_ci_high=210.0)
    last = table.year == table.year.iloc[-1]
    out = []
    for name, (cost, low, high) in LAST_YEAR.items():
        mine = table.assign(scenario=name)
        mine.loc[last, ["total_cost", "total_cost_ci_low", "total_cost_ci_high"]] = cost, low, high
        out.append(mine)
    return pd.concat(out, ignore_index=True)


def test_a_years_costs_in_the_report_keep_apart_and_in_order():
    result = SimpleNamespace(table=two_scenarios(), scenarios=[load_scenario(raw) for raw in two_hotlines()],
                             plans={}, replications=4)
    lines = grant_findings(result)
    assert "full cost £2,754,000 (95% CI £2,753,600 to £2,754,500)" in lines["A"][-1]
    assert "full cost £2,754,400 (95% CI £2,600,000 to £2,900,000)" in lines["B"][-1]  # not £2,750,000


def test_the_chart_title_gives_the_cheapest_and_dearest_apart_and_in_order():
    fig = charts.grant_per_year(two_scenarios(), [load_scenario(raw) for raw in two_hotlines()], 7, 4)
    title = " ".join(fig._suptitle.get_text().split())
    assert "the full cost is GBP 2.754 million in the cheapest scenario, A" in title, title
    assert "and GBP 2.7544 million in the dearest, B" in title, title  # not "GBP 2.75 million"


@pytest.mark.parametrize("costs, words", [
    ({"A": 999_600.0, "B": 1_000_400.0}, "it goes over the whole grant from £999,600 (A) to £1,000,400 (B)"),
    ({"A": 412_345.0, "B": 412_400.0}, "it goes over the whole grant from £412,300 (A) to £412,400 (B)"),
])
def test_the_fixed_cost_note_never_gives_two_costs_that_differ_as_one(costs, words):
    assert words in fixed_note(costs)


def test_the_terminal_gives_each_cost_and_difference_with_the_ends_the_report_gives(tmp_path, monkeypatch):
    """B's intake analysts cost 6p a year more than A's: every other figure is the same, the costs vary
    between replications, and B's difference from A is under a pound but not nil."""
    files = []
    for raw, price in zip(two_hotlines(), (45_000.0, 45_000.06)):
        raw["costs"]["teams"]["intake"]["annual_cost"] = price
        files.append(tmp_path / f"{raw['name']}.yaml")
        files[-1].write_text(yaml.safe_dump(raw))
    monkeypatch.setattr(cli.out_console, "width", 400)  # every cell on one line
    out = tmp_path / "g"
    run = CliRunner().invoke(app, ["grant", *map(str, files), "--from", "2027-04-01", "--years", "1", "-r", "3",
                                   "--out", str(out)])
    assert run.exception is None or isinstance(run.exception, SystemExit), run.output
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", (out / "report.html").read_text())).split())
    cost = re.search(r"Over the whole grant:.*?full cost £([\d,]+) \(95% CI £([\d,]+) to £([\d,]+)\)", page).groups()
    against = re.search(r"Against A: \+£([\d.]+) \(paired 95% CI £([\d.]+) to £([\d.]+)\)", page).groups()
    assert float(against[0]) < 0.5, against  # under a pound, not nil
    cells = {tuple(c.strip() for c in line.split("│")[1:3]): [c.strip() for c in line.split("│")[1:-1]]
             for line in run.output.splitlines() if line.startswith("│")}
    assert cells[("B", "all")][5] == "{} ({} to {})".format(*cost), cells[("B", "all")]
    assert cells[("B", "all")][-1] == "+{} ({} to {})".format(*against), cells[("B", "all")]  # never "0 ± 0"
