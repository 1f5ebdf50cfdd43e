"""The ninth user trial's grant defects: seats above those in post are hires on the grant start
(costed, and run from then, not through the warm-up); intervals with uncertain inputs at their
medians say so and how to see what those inputs do to the plan; the prices the costs rest on and
the tools costed at 0 are stated; the shares over the chart's bars stay clear of its subtitle."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from capsim.cli import app
from capsim.costs import price_index
from capsim.grant import grant, grant_scenario
from capsim.scenario import load_scenario
from tests.test_grant import hotline

GRANT_START = dt.date(2027, 4, 1)


def short_hotline(**changes) -> dict:
    """The small hotline with one analyst in post, far too few for 2027's volumes: the plan's first
    year needs more than those in post, with no hiring lead time and no training."""
    raw = hotline(**changes)
    raw["workforce"][0]["headcount"] = 1
    return raw


def two_teams() -> dict:
    """The short hotline with a second team, one grader in post for an image stream of its own with
    an SLA of its own: both teams' plans must start above those in post."""
    raw = short_hotline()
    raw["demand"].append({"stream": "images", "unit": "image", "rate": "20000/year", "priority": "low",
                          "team": "graders"})
    raw["review"]["image"] = {"dist": "lognormal", "mean": "300s", "cv": 1.0}
    raw["workforce"].append({**raw["workforce"][0], "team": "graders"})
    raw["sla"].append({"priority": "low", "within": "72h", "target": 0.9})
    raw["costs"]["teams"]["graders"] = raw["costs"]["teams"]["analysts"]
    return raw


@pytest.mark.parametrize("raw", [short_hotline(), short_hotline(clock={**hotline()["clock"], "warmup": "0s"}),
                                 two_teams()], ids=["one team", "no warm-up", "two teams"])
def test_seats_above_those_in_post_are_hires_on_the_grant_start_and_costed(raw):
    """growth-high's plan started at 29 with 25 in post: the 4 were in post from the warm-up's first
    day, so no hire, recruitment or training was counted. They are hires: the warm-up runs with
    those in post, and they start on the grant's first day (no lead time, no training), where the
    year counts and costs them (one hire_cost and one training_cost each, at 2027's prices)."""
    scenario = load_scenario(raw)
    result = grant([scenario], GRANT_START, 1, replications=2)
    planned = result.scenarios[0]
    rates = raw["costs"]["teams"]["analysts"]
    row = result.table.set_index("year").loc["2027/28"]
    hires = 0
    for plan, team in zip(result.plans["small"], planned.workforce):
        (first_day, in_post), (hired_on, seats) = plan.staffing[:2]
        assert in_post == 1 == team.headcount  # the warm-up: those in post
        assert hired_on == GRANT_START == team.changes[0].date and seats > 1
        assert plan.periods[0].hires == seats - 1 and plan.periods[0].late_weeks == 0
        hires += seats - 1
    assert len(result.plans["small"]) == len(raw["workforce"])
    assert row.hires == hires and all(row[f"hires_late_weeks_{t.team}"] == 0 for t in planned.workforce)
    index = price_index(planned, 2027)
    assert row.recruitment == pytest.approx(hires * rates["hire_cost"] * index, rel=1e-9)
    assert row.training == pytest.approx(hires * rates["training_cost"] * index, rel=1e-9)


def test_training_with_no_lead_time_is_late_and_replayed_late():
    """With no lead time but two weeks of training, the first year's hires cannot be trained by its
    first day: they start on it, are flagged two weeks late, and are run that way (not trained
    through the warm-up)."""
    raw = short_hotline()
    raw["workforce"][0]["ramp"] = {"training_weeks": 2}
    result = grant([load_scenario(raw)], GRANT_START, 1, replications=2)
    (plan,) = result.plans["small"]
    assert plan.staffing[0][1] == 1 and plan.staffing[1][0] == GRANT_START
    assert plan.periods[0].late_weeks == 2
    assert result.table.set_index("year").loc["2027/28", "hires_late_weeks_analysts"] == 2


def uncertain_hotline() -> dict:
    """The small hotline (with hash matching on and unpriced) with its growth written as uncertain."""
    raw = hotline()
    raw["demand"][0]["growth"] = {"model": "exponential", "per_year": {
        "uncertain": {"dist": "uniform", "low": "20%", "high": "40%", "source": "a test range"}}}
    raw["tooling"] = {"hash_matching": {"enabled": True}}
    return raw


@pytest.fixture(scope="module")
def granted(tmp_path_factory) -> tuple[str, str]:
    """``capsim grant`` of an uncertain scenario beside a certain one: (terminal output, report.html)."""
    folder = tmp_path_factory.mktemp("grant")
    (folder / "unsure.yaml").write_text(yaml.safe_dump(uncertain_hotline() | {"name": "unsure"}))
    (folder / "sure.yaml").write_text(yaml.safe_dump(hotline(name="sure")))
    done = CliRunner().invoke(app, ["grant", str(folder / "sure.yaml"), str(folder / "unsure.yaml"), "--from",
                                    "2027-04-01", "--years", "1", "-r", "2", "-w", "1", "--out", str(folder / "out")])
    assert done.exit_code in (0, 3), done.output
    return " ".join(done.output.split()), (folder / "out" / "report.html").read_text()


MEDIANS = ("unsure: 1 uncertain input (demand.reports.growth.per_year) run at their medians: its plan is sized and "
           "costed with them there, so every interval given for it is the simulation's run-to-run spread only")


def test_grant_says_its_intervals_leave_the_uncertain_inputs_out_and_how_to_see_them(granted):
    """growth-central's 97.5% (97.0-97.9%) said nothing of its two uncertain inputs, whose range takes the
    plan's service from 21% to 100%: terminal and page say they run at their medians (in capsim run's
    words), and how to replay the plan file under them; of the scenario with none, nothing."""
    text, page = granted
    for shown in (text, " ".join(html.unescape(page).split())):
        assert MEDIANS in shown
        assert ("run capsim uncertainty on a scenario file that extends unsure's file and holds plans/unsure.yaml"
                in shown)
        assert shown.count("run at their medians") == 1  # not of the scenario without uncertain inputs


def test_budget_says_its_intervals_leave_the_uncertain_inputs_out(tmp_path):
    (tmp_path / "unsure.yaml").write_text(yaml.safe_dump(uncertain_hotline() | {"name": "unsure"}))
    done = CliRunner().invoke(app, ["budget", str(tmp_path / "unsure.yaml"), "-r", "2", "-w", "1",
                                    "--out", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    text = " ".join(done.output.split())
    assert ("unsure: 1 uncertain input (demand.reports.growth.per_year) run at their medians, so its intervals are "
            "the simulation's run-to-run spread only" in text)
    # the command names the file, not this machine's folders
    assert "; capsim uncertainty unsure.yaml gives each year's FTE and total cost over them." in text


def test_grant_states_the_prices_its_costs_rest_on_and_the_tools_at_0(granted):
    """The grant page had no assumptions table nor limitations, and hid that hash matching is priced
    at 0: the prices are stated with their sources, as the main report's assumptions table gives
    them, the tooling line is kept at 0, and the unpriced tools are named as capsim budget names them."""
    text, page = granted
    flat = " ".join(html.unescape(page).split())
    assert "What the costs rest on" in flat and "<h3>Limitations</h3>" in flat
    assert ('<td class="key">costs.<wbr>teams.<wbr>analysts.<wbr>annual_cost</td><td class="value">40,000</td>'
            "<td>EUR per analyst-year</td><td>assumption</td>") in flat
    assert "<td>tooling.<wbr>hash_matching.<wbr>per_item_cost</td>" not in flat  # only the unsure one has the tool:
    assert '<td class="key">tooling.<wbr>hash_matching.<wbr>per_item_cost</td>' in flat  # in its own table
    assert "<h4>sure</h4>" in flat and "<h4>unsure</h4>" in flat  # their prices differ by the tool
    unpriced = ("Tools with no price, costed at 0 (set tooling.<tool>.annual_cost or per_item_cost to cost them): "
                "unsure: hash_matching.")
    assert unpriced in text and unpriced in flat
    assert "Tooling (annual and per item)" in text and "Tooling (annual and per item)" in flat
    assert "sure, unsure: the prices the costs rest on" not in text and "unsure: the prices the costs rest on" in text
    assert "costs.teams.analysts.annual_cost" in text


def test_the_shares_over_the_bars_stay_below_the_cost_panel_s_top(tmp_path):
    """With three scenarios and their long footer (growth assumed, sources), the cost panel was laid out
    so short that the shares over its bars ran into its subtitle: every label now ends inside the panel."""
    from matplotlib.text import Text

    from capsim import charts
    from capsim.cli import load

    names = ["growth-low", "growth-central", "growth-high"]
    scenarios = [grant_scenario(load(name, None)[0], GRANT_START, 3).with_override(  # the footer names each change
        "plan: workforce.analysts headcount 25, then 30 from 2028-04-01, 37 from 2029-04-01 (capsim grant, SLAs met "
        "in at least 90% of replications)") for name in names]
    rows = []
    for k, name in enumerate(names):
        for j, year in enumerate(["2027/28", "2028/29", "2029/30", "all"]):
            cost = 2.7e6 * (1 + 0.1 * k) * 1.2 ** j
            rows.append({"scenario": name, "year": year, "total_cost": cost, "total_cost_ci_low": cost,
                         "total_cost_ci_high": cost, "fte": 40.0 + 5 * j, "fte_needed": 24.0 + 5 * j,
                         "fte_as_written": 16.0,
                         "sla_normal": 0.96, "sla_normal_ci_low": 0.94, "sla_normal_ci_high": 0.98,
                         "sla_normal_target": 0.9})
    fig = charts.grant_per_year(pd.DataFrame(rows), scenarios, 20240101, 5)
    charts.save(fig, tmp_path / "grant", ["svg"])  # laid out as the files are: the SVG's draw first
    fig.set_layout_engine("none")  # then measured on that layout
    fig.draw_without_rendering()
    cost = fig.axes[0]
    labels = [t for t in cost.findobj(Text) if t.get_text().startswith("96.0%")]
    assert len(labels) == 9
    top = cost.get_window_extent().y1
    assert all(t.get_window_extent().y1 < top for t in labels)


def test_a_plan_that_starts_below_those_in_post_cuts_on_its_first_day_not_in_the_warm_up():
    """The warm-up runs with the seats in post whichever way the plan's first level goes: seats
    above them are hired on the plan's first day (or later, by the lead time), and a first level
    below them is a cut on that day, not from the warm-up's first day (the review of trial 9: the
    run then had fewer staff in the warm-up than are in post)."""
    from capsim.staffing import _realistic

    team = load_scenario(hotline()).workforce[0]  # no hiring lead time
    warmup_start, plan_start = dt.date(2027, 1, 1), GRANT_START
    later = dt.date(2027, 7, 1)
    assert _realistic(((warmup_start, 4), (later, 6)), 5, team, plan_start) == (
        (warmup_start, 5), (plan_start, 4), (later, 6))
    assert _realistic(((warmup_start, 7),), 5, team, plan_start) == ((warmup_start, 5), (plan_start, 7))
    assert _realistic(((warmup_start, 5), (later, 6)), 5, team, plan_start) == ((warmup_start, 5), (later, 6))
    assert _realistic(((plan_start, 3),), 5, team, plan_start) == ((plan_start, 5), (plan_start, 3))
