"""Grant outputs, one precision per cost (review of the board-paper round): the report's lines gave
a cost to three significant figures ("£2,750,000"), the fixed-cost note to the unit ("from
£2,754,725 (a) to ...") and the chart's title to two ("GBP 2.8 million"); a difference the
rounding took to nothing read "Against A: £0.00 (paired 95% CI −£500,000 to +£500,000)" though it
was not nil; and the FTE panel pooled the causes of in post below the need over the years it
listed, said leavers' seats are refilled where no team refills them, and "hires late start after
its first day"."""

from __future__ import annotations

import copy
import html
import re
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from capsim import charts
from capsim.cli import app
from capsim.report.grant import grant_findings
from capsim.grant_notes import fixed_cost_note
from capsim.scenario import load_scenario
from capsim.units import round_sig
from tests.test_grant_board_paper import TWO_TEAMS, trial_table


def two_hotlines() -> list[dict]:
    """The trial's hotline as two scenarios, A and B, in pounds, B's intake analysts dearer."""
    out = []
    for name, intake in (("A", 45000), ("B", 46000)):
        raw = copy.deepcopy(TWO_TEAMS) | {"name": name}
        raw["costs"] = {"currency": "GBP", "teams": {"intake": {"annual_cost": intake},
                                                     "grading": {"annual_cost": 50000}}}
        out.append(raw)
    return out


def against_a(difference: tuple[float, float, float]) -> str:
    """The report's line for B's whole grant, whose cost is ``difference`` (mean, 95% CI ends) from A's."""
    table = trial_table()
    table = pd.concat([table, table.tail(1).assign(year="all")], ignore_index=True)
    table = table.assign(hires=1.0, hires_ci_low=1.0, hires_ci_high=1.0, backlog_mean=200.0, backlog_mean_ci_low=190.0,
                         backlog_mean_ci_high=210.0)
    other = table.assign(scenario="B", total_cost_vs_first=difference[0], total_cost_vs_first_ci_low=difference[1],
                         total_cost_vs_first_ci_high=difference[2])
    scenarios = [load_scenario(raw) for raw in two_hotlines()]
    result = SimpleNamespace(table=pd.concat([table.assign(scenario="A"), other], ignore_index=True),
                             scenarios=scenarios, plans={}, replications=4)
    return grant_findings(result)["B"][-1]


@pytest.mark.parametrize("difference, words", [
    ((-400.0, -500_000.0, 500_000.0), "Against A: −£400 (paired 95% CI −£500,000 to £500,000)."),
    ((0.3, -500_000.0, 500_000.0), "Against A: +£0.30 (paired 95% CI −£500,000 to £500,000)."),
    ((250_000.0, -300.0, 500_000.0), "Against A: +£250,000 (paired 95% CI −£300 to £500,000)."),
    ((0.001, -500_000.0, 500_000.0), "Against A: no difference on average (paired 95% CI −£500,000 to £500,000)."),
])
def test_a_difference_that_is_not_nil_never_reads_as_none(difference, words):
    assert against_a(difference).endswith(words)


def in_post_words(table: pd.DataFrame, raw: dict) -> str:
    """The FTE panel's subtitle of the grant chart of ``table`` for the scenario ``raw``, on one line."""
    fig = charts.grant_per_year(table, [load_scenario(raw)], 7, 4)
    return " ".join(fig.axes[1].get_title(loc="left").split())


def test_in_post_below_the_need_gives_each_year_its_own_causes():
    """Leavers only in 2027/28, hires late only in 2028/29: neither is said of the other year."""
    table = trial_table().assign(fte=(5.5, 7.5, 12.0), fte_needed=(6.0, 8.0, 12.0), leavers=(1.0, 0.0, 0.0),
                                 hires_late_weeks_grading=(0.0, 9.0, 0.0))
    assert in_post_words(table, TWO_TEAMS).endswith(
        "In post below the need in 2027/28 and 2028/29: the bars are the mean over the year; in 2027/28, leavers' "
        "seats stand empty until refilled after the hiring lead time; in 2028/29, late hires start after the year's "
        "first day.")


def test_leavers_seats_are_said_refilled_only_where_a_team_refills_them():
    table = trial_table().assign(fte=(6.0, 8.0, 11.5), fte_needed=(6.0, 8.0, 12.0), leavers=(0.0, 0.0, 1.0),
                                 hires_late_weeks_grading=0.0)
    raw = copy.deepcopy(TWO_TEAMS)
    raw["workforce"][0]["hiring"] = {"lead_time": "91d", "replace_leavers": False}
    assert in_post_words(table, raw).endswith(
        "In post below the need in 2029/30: the bars are the mean over the year, in which leavers' seats stay empty, "
        "never refilled (hiring.replace_leavers: false).")
    raw["workforce"][1] |= {"attrition": 0.1}  # grading loses analysts too, and refills their seats
    assert in_post_words(table, raw).endswith(
        "in which leavers' seats stand empty until refilled after the hiring lead time, or for good in team intake "
        "(hiring.replace_leavers: false).")


def fixed_note(costs: dict[str, float]) -> str:
    """The fixed-cost note of a one-year grant whose scenarios' plans cost ``costs`` (per name, in
    pounds) in every replication."""
    rows = [{"scenario": name, "year": year, "total_cost": cost, "total_cost_ci_low": cost, "total_cost_ci_high": cost}
            for name, cost in costs.items() for year in ("2027/28", "all")]
    scenarios = [load_scenario(raw | {"name": name}) for raw, name in zip(two_hotlines(), costs)]
    result = SimpleNamespace(table=pd.DataFrame(rows), replications=3, scenarios=scenarios, years=["2027/28"])
    return fixed_cost_note(result, "2027-04-01")


def test_the_fixed_cost_note_gives_each_cost_as_the_report_lines_do():
    assert "it goes over the whole grant from £2,750,000 (A) to £9,960,000 (B): a spread between plans" in fixed_note(
        {"A": 2_754_725.4, "B": 9_955_562.0})
    assert ("between the scenarios, it is £2,750,000 over the whole grant in each."
            in fixed_note({"A": 2_754_725.4, "B": 2_754_725.4}))  # never "from £2,750,000 (A) to £2,750,000 (B)"
    assert "it goes over the whole grant from £2,754,700 (A) to £2,754,900 (B)" in fixed_note(
        {"A": 2_754_725.4, "B": 2_754_900.0})  # costs that differ never read alike (tests/test_grant_costs_alike.py)


def figures(text: str) -> list[int]:
    """The amounts of money in ``text`` (£ and GBP, with "million" read), in whole pounds."""
    out = []
    for whole, million in re.findall(r"(?:£|GBP )([\d,.]+)( million)?", text):
        out.append(round(float(whole.replace(",", "")) * (1e6 if million else 1)))
    return out


def test_one_cost_reads_the_same_in_the_report_its_notes_the_chart_and_the_terminal(tmp_path):
    """Two scenarios whose costs the plan fixes, over one grant year: each whole-grant cost is the
    same figure in the report's lines, the fixed-cost note, the chart's title and the terminal's table."""
    files = []
    for raw in two_hotlines():
        raw["workforce"][0].pop("attrition")  # no leavers: every replication costs the plan the same
        files.append(tmp_path / f"{raw['name']}.yaml")
        files[-1].write_text(yaml.safe_dump(raw))
    out = tmp_path / "g"
    run = CliRunner().invoke(app, ["grant", *map(str, files), "--from", "2027-04-01", "--years", "1", "-r", "2",
                                   "--out", str(out)], env={"COLUMNS": "300"})
    assert run.exception is None or isinstance(run.exception, SystemExit), run.output
    costs = pd.read_csv(out / "grant.csv").query("year == 'all'").set_index("scenario").total_cost
    shown = [round_sig(cost, 3) for cost in (costs.A, costs.B)]  # three significant figures
    assert shown != [round(costs.A), round(costs.B)]  # not round already: the rounding is seen
    page = html.unescape(re.sub(r"<[^>]+>", " ", (out / "report.html").read_text()))
    lines = re.findall(r"Over the whole grant:.*?full cost (£[\d,]+)", page)
    note = re.search(r"Full cost: fixed by the plan.*?\.\s", page).group(0)
    title = (out / "charts" / "grant.txt").read_text().split(" Panel 1:")[0]
    assert [figures(line)[0] for line in lines] == shown, lines
    assert figures(note) == shown, note
    assert figures(title) == shown, title
    table = " ".join(run.output.split())
    assert all(f"{value:,.0f}" in table for value in shown) and f"{costs.A:,.0f}" not in table.split("budget lines")[0]
