"""Three defects a user found trying capsim's planning commands.

1. The staffing plan's title said "needs N analysts" with N the analysts in post (the plan's
   steps, which never fall below those in post), and the grant chart's title gave the FTE
   needed beside the cost of the FTE in post as if they were one number: each title now names
   the need, the staff in post and the hires apart, with the period the need is for.
2. ``capsim report`` wrote summary.csv without the ``period`` column of ``capsim run``'s.
3. ``capsim grant A B`` wrote to a folder named after A alone, as ``capsim grant A C`` did.
"""

from __future__ import annotations

import html

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from capsim import charts, output, simulate
from capsim.cli import app
from capsim.scenario import load_scenario
from capsim.staffing import solve_staffing
from capsim.web import downloads
from tests.test_charts_plans import SMALL
from tests.test_grant import hotline

runner = CliRunner()

# ----------------------------------------------------------------------------- 1. the titles


QUARTERS = ["2024-10-01", "2025-01-01", "2025-04-01"]
"""The first days of three planning quarters (SMALL starts on 2024-10-01)."""


def plan_table(needed: list[int], headcount: list[int], hire_by: list[str]) -> pd.DataFrame:
    """A staffing_plan.csv of three quarters, every one met: the solver's ``needed`` and the
    plan's ``headcount`` (seats in post) per quarter, with its hire-by dates ("" for none)."""
    return pd.DataFrame({
        "period": [1, 2, 3], "period_start": QUARTERS, "period_end": ["2024-12-31", "2025-03-31", "2025-06-30"],
        "headcount": headcount, "change": pd.Series(headcount).diff().fillna(0).astype(int),
        "hire_by": hire_by, "needed": needed, "late_weeks": 0, "sla_normal": 0.95, "sla_normal_ci_low": 0.92,
        "sla_normal_ci_high": 0.98, "confidence": 0.9, "met": True})


def plan_title(in_post: int, table: pd.DataFrame) -> str:
    scenario = load_scenario(SMALL, [f"workforce.analysts.headcount={in_post}"])
    return charts.staffing_plan(table, scenario, 7, 3)._suptitle.get_text().replace("\n", " ")


def test_a_need_below_those_in_post_is_the_need_and_the_surplus_is_said():
    """10 in post, 6 to 8 needed: the title said "needs 10 analysts in every quarter ...; the 10
    in post suffice", quoting the staff in post as the need."""
    title = plan_title(10, plan_table([6, 7, 8], [10, 10, 10], ["", "", ""]))
    assert title.startswith("The analysts team needs 6 analysts in the quarter from 2024-10-01, up to 8 in the "
                            "quarter from 2025-04-01, to assess 90% of reports within 24\u00a0h")
    assert title.endswith("; 10 in post at the start, 2 more than the most needed")
    assert "needs 10" not in title and "hire" not in title


def test_a_need_equal_to_those_in_post_says_so_and_for_which_periods():
    title = plan_title(10, plan_table([10, 10, 10], [10, 10, 10], ["", "", ""]))
    assert title == ("The analysts team needs 10 analysts in every quarter from 2024-10-01 to 2025-06-30, to assess "
                     "90% of reports within 24\u00a0h; 10 in post at the start, as many as the most needed")


def test_a_need_above_those_in_post_gives_the_need_those_in_post_and_the_hires():
    title = plan_title(10, plan_table([10, 12, 15], [10, 12, 15], ["", "2024-12-01", "2025-03-01"]))
    assert title == ("The analysts team needs 10 analysts in the quarter from 2024-10-01, up to 15 in the quarter "
                     "from 2025-04-01, to assess 90% of reports within 24\u00a0h; 10 in post at the start; hire 2 "
                     "lasting analysts by 2024-12-01 (the first of 2 hiring dates; 5 lasting hires in all)")


def test_a_falling_need_reads_down_and_the_chart_draws_each_need():
    """A need that falls (the plan keeps the seats): the title goes from the most to the fewest,
    and the top panel draws each period's need (rings) beside the plan's steps."""
    table = plan_table([9, 8, 6], [9, 9, 9], ["", "", ""])
    assert "needs 9 analysts in the quarter from 2024-10-01, down to 6 in the quarter from 2025-04-01" in (
        plan_title(9, table))
    fig = charts.staffing_plan(table, load_scenario(SMALL, ["workforce.analysts.headcount=9"]), 7, 3)
    rings = [c for c in fig.axes[0].collections if c.get_label() == "needed: the fewest meeting the period"]
    assert len(rings) == 1 and list(rings[0].get_offsets()[:, 1]) == [9, 8, 6]


def test_a_need_that_rises_and_falls_starts_from_the_first_period():
    """Not the most first, as if the need began there: the first period's, then the most and the fewest."""
    title = plan_title(13, plan_table([15, 16, 14], [15, 16, 16], ["2024-10-01", "2024-12-01", ""]))
    assert ("needs 15 analysts in the quarter from 2024-10-01, up to 16 in the quarter from 2025-01-01, and 14 at "
            "the fewest, to assess") in title


def test_the_title_of_a_solved_plan_quotes_the_solver_need_not_the_seats_in_post():
    """The case the user met, from the solver: more in post than any month needs."""
    scenario = load_scenario(SMALL, ["workforce.analysts.headcount=12", "clock.horizon=61d"])
    table = solve_staffing(scenario, "analysts", period="month", replications=2, seed=7).table()
    assert (table.headcount == 12).all() and table.needed.max() < 12
    title = charts.staffing_plan(table, scenario, 7, 2)._suptitle.get_text().replace("\n", " ")
    low, high = int(table.needed.min()), int(table.needed.max())
    assert f"needs {low} analyst" in title and f"{high} in the month" in title
    assert f"12 in post at the start, {12 - high} more than the most needed" in title


def grant_title(rows: list[dict]) -> str:
    """The grant chart's title for a grant.csv of the given rows (a year each, or a scenario each)."""
    table = pd.DataFrame([{"year": "2027/28", "total_cost": 2.5e6, "total_cost_ci_low": 2.4e6,
                           "total_cost_ci_high": 2.6e6, **row} for row in rows])
    fig = charts.grant_per_year(table, [load_scenario(hotline())], 7, 2)
    return fig._suptitle.get_text().replace("\n", " ")


@pytest.mark.parametrize("needed, in_post, words", [
    (53.0, 56.0, "53 FTE needed, 56 in post"),  # in post above the need: the cost is of the 56
    (53.0, 53.0, "53 FTE needed and in post"),
    (53.0, 50.5, "53 FTE needed, 50.5 in post"),  # hires late: fewer in post than needed, on average
])
def test_the_grant_title_keeps_the_fte_needed_apart_from_those_in_post(needed, in_post, words):
    title = grant_title([{"scenario": "small", "fte": in_post, "fte_needed": needed}])
    assert title == f"small in 2027/28, year 1 of the grant: {words}, full cost EUR 2.5 million"


def test_the_grant_title_of_several_scenarios_names_both_fte():
    title = grant_title([{"scenario": "flat", "fte": 41.0, "fte_needed": 38.0},
                         {"scenario": "small", "fte": 46.0, "fte_needed": 46.0, "total_cost": 3.1e6,
                          "total_cost_ci_low": 3.0e6, "total_cost_ci_high": 3.2e6}])
    assert title == ("In 2027/28, the full cost is EUR 2.5 million in the cheapest scenario, flat (38 FTE needed, 41 "
                     "in post), and EUR 3.1 million in the dearest, small (46 FTE needed and in post)")
    alike = grant_title([{"scenario": "flat", "fte": 41.0, "fte_needed": 38.0},  # the same staff costed: one cost
                         {"scenario": "small", "fte": 41.0, "fte_needed": 41.0}])
    assert alike == ("In 2027/28, the full cost is about EUR 2.5 million in every scenario, with 38 to 41\u00a0FTE "
                     "needed and 41 in post")


# ----------------------------------------------------------------------------- 2. the report's summary.csv


OVER_NEW_YEAR = {
    "clock": {"horizon": "5d", "start": "2024-12-30", "step": "6h"},
    "demand": [{"stream": "reports", "unit": "report", "rate": "150/day", "priority": "normal"}],
    "review": {"report": {"dist": "exponential", "mean": "5min"}},
    "sla": [{"priority": "normal", "within": "24h", "target": 0.9}],
    "experiment": {"replications": 2, "seed": 7},
}
"""A run of five days over a new year: the whole run, then 2024 and 2025."""


def over_new_year(folder, name: str, headcount: int):
    path = folder / f"{name}.yaml"
    team = {"team": "analysts", "headcount": headcount, "roster": "24/7", "exposure_cap": "20h/day"}
    path.write_text(yaml.safe_dump({"name": name, **OVER_NEW_YEAR, "workforce": [team]}), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["report", "compare"])
def test_the_report_and_compare_summary_is_the_runs_summary_with_its_period_column(tmp_path, command):
    """capsim report A B (and compare A B) writes, per scenario in order, what capsim run writes for
    it: the whole run (period all) then each calendar year; the web page's download is the same table."""
    paths = [over_new_year(tmp_path, "year-end-a", 2), over_new_year(tmp_path, "year-end-b", 3)]
    runs = []
    for path in paths:
        out = tmp_path / f"run-{path.stem}"
        result = runner.invoke(app, ["run", str(path), "--no-report", "-w", "1", "--out", str(out)])
        assert result.exit_code == 0, result.output
        runs.append(pd.read_csv(out / "summary.csv", dtype={"period": str}))
    result = runner.invoke(app, [command, *map(str, paths), "-w", "1", "--out", str(tmp_path / command)])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(tmp_path / command / "summary.csv", dtype={"period": str})
    pd.testing.assert_frame_equal(written, pd.concat(runs, ignore_index=True), check_exact=True)
    first = written[written.scenario == "year-end-a"]
    assert list(dict.fromkeys(first.period)) == ["all", "2024", "2025"]
    if command == "report":
        page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
        assert "the same numbers as summary.csv's rows for the whole run (period all)" in html.unescape(page)
        download = downloads.summary_csv(simulate(load_scenario(paths[0]), 2, 7)).decode()
        assert download == runs[0].to_csv(index=False)


# ----------------------------------------------------------------------------- 3. grant's default folder


@pytest.mark.parametrize("command, options, table", [
    ("grant", ["--from", "2027-04-01", "--years", "1"], "grant.csv"),
    ("budget", [], "budget.csv"),
])
def test_several_scenarios_name_the_folder_after_them(tmp_path, monkeypatch, command, options, table):
    """grant A B (and budget A B) wrote out/A-grant, and grant A C replaced it; now each has its own
    folder, named as report and compare name theirs (the first three names joined by -vs-)."""
    monkeypatch.chdir(tmp_path)
    for name in ("grant-a", "grant-b", "grant-c"):
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(hotline(name=name)), encoding="utf-8")
    given = [command, *options, "-r", "2", "-w", "1"]
    first = runner.invoke(app, [*given, "grant-a.yaml", "grant-b.yaml"])
    assert first.exit_code == 0, first.output
    written = (tmp_path / "out" / f"grant-a-vs-grant-b-{command}" / table).read_bytes()
    second = runner.invoke(app, [*given, "grant-a.yaml", "grant-c.yaml"])
    assert second.exit_code == 0, second.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"grant-a-vs-grant-b-{command}",
                                                                     f"grant-a-vs-grant-c-{command}"]
    assert (tmp_path / "out" / f"grant-a-vs-grant-b-{command}" / table).read_bytes() == written
    assert set(pd.read_csv(tmp_path / "out" / f"grant-a-vs-grant-c-{command}" / table).scenario) == {
        "grant-a", "grant-c"}


def test_a_default_folder_is_named_after_the_first_three_scenarios():
    assert output.default_folder(["a", "b", "c", "d"], suffix="-grant") == output.ROOT / "a-vs-b-vs-c-grant"


@pytest.mark.parametrize("command", ["grant", "budget", "report", "compare"])
def test_the_out_help_states_the_default_folder_of_several_scenarios(command):
    text = " ".join(runner.invoke(app, [command, "--help"], terminal_width=200).output.split())
    assert ("for several scenarios the first three names joined by -vs-, e.g. "
            "out/growth-low-vs-growth-central-grant") in text
