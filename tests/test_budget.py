"""Budgets: year-by-year FTE, hires and costs, checked exactly on a deterministic case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from capsim.budget import budget
from capsim.costs import staff_cost
from capsim.engine import simulate_replication
from capsim.scenario import ScenarioError, load_scenario
from capsim.units import SECONDS_PER_YEAR

ANNUAL = 36525.0  # 100 a day for a year of 365.25 days
HOURLY = ANNUAL / (8 * 5 * 365.25 / 7)  # annual cost over rostered hours a year = 17.5
FIRST_CASE = {
    # two bursts, no other arrivals: arrivals and assessments are the same in every replication
    "name": "steady",
    "clock": {"horizon": "731d", "start": "2024-01-01", "step": "1d"},  # 2024 (366 d) and 2025 (365 d)
    "demand": [{"stream": "items", "rate": "0/day",
                "bursts": [{"at": "2024-03-04", "items": 100}, {"at": "2025-06-02", "items": 50}]}],
    "review": {"image": {"dist": "deterministic", "mean": "60s"}},
    "workforce": [{"team": "analysts", "headcount": 2, "roster": {"hours_per_day": 8}, "overtime": "1h/day",
                   "changes": [{"date": "2025-01-01", "headcount": 3}]}],
    "tooling": {"hash_matching": {"enabled": True, "annual_cost": 1000, "per_item_cost": 0.5}},
    "costs": {"currency": "GBP", "inflation": 0.1,
              "teams": {"analysts": {"annual_cost": ANNUAL, "hire_cost": 5000, "overtime_premium": 1.5}}},
    "experiment": {"replications": 3, "seed": 1},
}


def expected_year(seats: int, days: int, weekdays: int, hires: int, items: int, index: float) -> dict:
    staff = (seats * days * 100 + hires * 5000 + seats * weekdays * 1 * HOURLY * 1.5) * index
    tooling = (1000 * days / 365.25 + 0.5 * items) * index
    return {"fte": seats, "hires": hires, "staff_cost": staff, "tooling_cost": tooling, "total_cost": staff + tooling,
            "assessed": items, "cost_per_assessed": (staff + tooling) / items}


def test_budget_arithmetic_is_exact_on_a_deterministic_case():
    result = budget([load_scenario(FIRST_CASE)])
    table = result.table.set_index("year")
    weekdays_2024 = int(np.busday_count("2024-01-01", "2025-01-01"))  # 262
    weekdays_2025 = int(np.busday_count("2025-01-01", "2026-01-01"))  # 261
    expected = {
        "2024": expected_year(2, 366, weekdays_2024, 0, 100, 1.0),
        "2025": expected_year(3, 365, weekdays_2025, 1, 50, 1.1),  # one new seat; prices up 10%
    }
    for year, values in expected.items():
        for measure, value in values.items():
            assert table.loc[year, measure] == pytest.approx(value, rel=1e-12), (year, measure)
            # every replication is the same: the interval is the point
            assert table.loc[year, f"{measure}_ci_low"] == pytest.approx(value, rel=1e-12)
    everything = table.loc["all"]
    assert everything.fte == pytest.approx((2 * 366 + 3 * 365) / 731, rel=1e-12)
    assert everything.total_cost == pytest.approx(sum(v["total_cost"] for v in expected.values()), rel=1e-12)
    assert everything.hires == 1 and everything.assessed == 150
    assert (table.loc["2024", "first_day"], table.loc["2025", "last_day"]) == ("2024-01-01", "2025-12-31")


def test_a_second_scenario_is_compared_with_the_first_under_the_same_seed():
    second = dict(FIRST_CASE, name="three-from-the-start")
    second["workforce"] = [dict(FIRST_CASE["workforce"][0], headcount=3, changes=[])]
    result = budget([load_scenario(FIRST_CASE), load_scenario(second)])
    rows = result.table.set_index(["scenario", "year"])
    one_more_2024 = 366 * 100 + np.busday_count("2024-01-01", "2025-01-01") * HOURLY * 1.5
    assert rows.loc[("three-from-the-start", "2024"), "fte_vs_first"] == pytest.approx(1.0)
    assert rows.loc[("three-from-the-start", "2024"), "total_cost_vs_first"] == pytest.approx(one_more_2024, rel=1e-12)
    # 2025: the same three analysts, but no hire to pay for
    assert rows.loc[("three-from-the-start", "2025"), "total_cost_vs_first"] == pytest.approx(-5000 * 1.1, rel=1e-12)
    assert np.isnan(rows.loc[("steady", "2024"), "fte_vs_first"])


def test_fte_counts_vacancies_from_attrition_and_the_lead_time():
    raw = dict(FIRST_CASE, name="leaky")
    raw["workforce"] = [{"team": "analysts", "headcount": 40, "roster": "24/7", "attrition": 0.5,
                         "hiring": {"lead_time": "120d"}, "contracted_hours": 168}]  # one person per seat
    scenario = load_scenario(raw)
    result = budget([scenario], replications=2)
    for r in range(2):
        plan = simulate_replication(scenario, result.seed, r).shifts[0]
        mine = result.per_replication[(result.per_replication.replication == r)].set_index("year")
        assert mine.loc["2024", "fte"] == pytest.approx(plan.in_post_seconds(0, 366 * 86400) / (366 * 86400))
        assert mine.loc["2025", "hires"] == plan.hires_between(366 * 86400, 731 * 86400)
    # with seats empty a third of each leaver's time, FTE is well below the 40 seats
    assert result.table.set_index("year").loc["all", "fte"] < 38


def test_staff_cost_without_changes_is_headcount_times_annual_cost_times_years():
    raw = dict(FIRST_CASE, costs={"teams": {"analysts": {"annual_cost": 48000}}})
    raw["workforce"] = [{"team": "analysts", "headcount": 7}]
    s = load_scenario(raw)
    assert staff_cost(s, 0.5) == pytest.approx(7 * 48000 * 0.5, rel=1e-12)
    # with the realised shift plans of a run the same, when nobody leaves
    shifts = simulate_replication(s, 1).shifts
    assert staff_cost(s, 731 * 86400 / SECONDS_PER_YEAR, shifts) == pytest.approx(7 * 48000 * 731 / 365.25, rel=1e-12)


def test_negative_costs_and_inflation_are_refused():
    bad = dict(FIRST_CASE, costs={"teams": {"analysts": {"annual_cost": -1}}})
    with pytest.raises(ScenarioError, match=r"costs\.teams\.analysts\.annual_cost: a cost .* cannot be negative"):
        load_scenario(bad)
    bad = dict(FIRST_CASE, costs={"teams": {"analysts": {"annual_cost": 1, "hire_cost": -5}}})
    with pytest.raises(ScenarioError, match="hire_cost.*cannot be negative"):
        load_scenario(bad)
    with pytest.raises(ScenarioError, match="inflation"):
        load_scenario(dict(FIRST_CASE, costs={"inflation": -1}))


# --------------------------------------------------------------------------- the command line


def run_cli(*args):
    from typer.testing import CliRunner

    from capsim.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def test_budget_command_compares_scenarios(tmp_path):
    first = tmp_path / "first.yaml"
    first.write_text(yaml.safe_dump(FIRST_CASE))
    second = tmp_path / "second.yaml"
    second.write_text(yaml.safe_dump(dict(FIRST_CASE, name="second", tooling={})))
    result = run_cli("budget", first, second, "--replications", "2", "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "o" / "budget.csv")
    assert table.scenario.tolist() == ["steady"] * 3 + ["second"] * 3
    assert {"fte", "fte_ci_low", "hires", "staff_cost", "tooling_cost", "total_cost", "cost_per_assessed",
            "total_cost_vs_first", "total_cost_vs_first_ci_high"} <= set(table.columns)
    saved = table[(table.scenario == "second") & (table.year == "all")].tooling_cost_vs_first.iloc[0]
    assert saved < 0  # no tooling: it saves the tooling cost
    assert (tmp_path / "o" / "manifest.json").exists() and "budget.csv" in result.output
    assert "does not check the SLAs" in " ".join(result.output.split())  # what a budget prices, said


def test_budget_command_refuses_a_negative_cost(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(dict(FIRST_CASE, costs={"teams": {"analysts": {"annual_cost": -48000}}})))
    result = run_cli("budget", path, "--out", tmp_path / "o")
    assert result.exit_code == 2
    assert "annual_cost" in result.output and "cannot be negative" in result.output


def test_budget_table_columns_add_up_to_the_total_and_keep_long_names_whole(tmp_path):
    # "staff" was before overheads while "total" included them: the columns did not add up as read.
    name = "tooling-classifier-with-overheads"  # was cut to "tooling-classifi…"
    case = dict(FIRST_CASE, name=name, costs=dict(FIRST_CASE["costs"], overheads=0.2))
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(case))
    second = tmp_path / "second.yaml"
    second.write_text(yaml.safe_dump(dict(case, name="second")))
    result = run_cli("budget", path, second, "--replications", "2", "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    below = next(i for i, line in enumerate(lines) if line.startswith("┡"))
    parts = [[c.strip() for c in line.rstrip()[1:-1].split("┃")] for line in lines[top + 1:below]]
    header = [" ".join(filter(None, words)) for words in zip(*parts)]  # each heading, wrapped over lines
    assert header[:10] == [
        "scenario", "year", "days", "FTE", "hires", "staff", "tooling", "overheads", "total (95% CI)", "per assessed"]
    rows = [[c.strip() for c in line.rstrip()[1:-1].split("│")] for line in lines
            if line.startswith("│ ") and line.split("│")[2].strip() in {"2024", "2025", "all"}]
    assert {r[0] for r in rows} == {name, "second"}  # never cut to "a-rather-long-scen…"
    for row in rows:
        staff, tooling, overheads, total = (float(c.replace(",", "").split(" (")[0]) for c in row[5:9])
        assert overheads > 0 and staff + tooling + overheads == pytest.approx(total, abs=2)  # each rounded to 1
    assert "total = staff + tooling + overheads" in " ".join(result.output.split())


def test_a_tool_without_a_price_is_said_to_be_costed_at_zero(tmp_path):
    # A bundled classifier has no published price (annual_cost 0): its tooling cost of 0 read as "free".
    free = dict(FIRST_CASE, name="unpriced", tooling={"hash_matching": {"enabled": True}})
    path = tmp_path / "unpriced.yaml"
    path.write_text(yaml.safe_dump(free))
    priced = tmp_path / "priced.yaml"
    priced.write_text(yaml.safe_dump(FIRST_CASE))
    result = run_cli("budget", priced, path, "--replications", "2", "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    note = said[said.index("Tools with no price, costed at 0"):].split(". ")[0].rstrip(".")
    assert note.endswith("unpriced: hash_matching") and "steady" not in note  # the priced scenario is not named
    assert "{currency}" not in said and "total GBP per item assessed" in said
