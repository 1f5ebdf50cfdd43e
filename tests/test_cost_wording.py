"""What the cost outputs say: the total cost named for what it sums, and a budget of one
scenario whose replications all cost the same said in words, not "± 0"."""

from __future__ import annotations

import types

import yaml
from typer.testing import CliRunner

from capsim.cli import app
from capsim.scenario import load_scenario
from capsim.words import metric_label

ONE_DAY_BURSTS = {
    # as test_budget.FIRST_CASE: bursts only and a fixed review time, so every replication costs the same
    "name": "steady",
    "clock": {"horizon": "60d", "start": "2024-01-01", "step": "1d"},
    "demand": [{"stream": "items", "rate": "0/day", "bursts": [{"at": "2024-01-10", "items": 100}]}],
    "review": {"image": {"dist": "deterministic", "mean": "60s"}},
    "workforce": [{"team": "analysts", "headcount": 2, "roster": {"hours_per_day": 8}}],
    "tooling": {"hash_matching": {"enabled": True, "annual_cost": 1000, "per_item_cost": 0.5}},
    "costs": {"currency": "GBP", "overheads": 0.2, "teams": {"analysts": {"annual_cost": 36525}}},
    "experiment": {"replications": 2, "seed": 1},
}


def test_total_cost_is_named_for_staff_overheads_and_tools_everywhere_it_is_shown():
    """cost_total is staff (management included) plus tooling, both with their overheads
    (capsim.metrics, capsim.costs); it was labelled "Staff cost" and the caveats said tooling
    and management were not counted."""
    from capsim.report.caveats import limitations
    from capsim.report.years import year_columns

    label = metric_label("cost_total")
    assert all(word in label for word in ("staff", "overheads", "tools")), label
    assert metric_label("cost_per_assessed").startswith("Total cost")
    scenario = load_scenario("scenarios/base.yaml")
    headings = {metric: heading for metric, heading, _ in year_columns(types.SimpleNamespace(scenario=scenario))}
    assert headings["cost_total"] == f"{label} ({scenario.costs.currency})"
    caveats = " ".join(limitations(scenario, 2))
    assert "management are not counted" not in caveats and "overheads and tooling" in caveats


def test_budget_of_one_scenario_with_no_spread_says_so_and_does_not_mention_vs_first(tmp_path):
    path = tmp_path / "steady.yaml"
    path.write_text(yaml.safe_dump(ONE_DAY_BURSTS))
    result = CliRunner().invoke(app, ["budget", str(path), "--replications", "2", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "the same in every replication" in text
    assert "± 0" not in text and "± n/a" not in text
    assert "vs first" not in text
