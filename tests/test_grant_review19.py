"""The nineteenth review's grant defects: the note on a cost fixed by the plan sent every user to the
bundled growth scenarios (an IWF-sized hotline in GBP), dropping their --set options, whatever they had
planned; a nil difference against the first scenario read "+€0.00"; and the chart repeated the test
for a fixed cost and the per-scenario words of an SLA column that the notes have."""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from capsim import bundled, charts
import capsim.grant
from capsim.grant import grant
from capsim.report.grant import grant_findings
from capsim.grant_notes import counting_notes, fixed_cost_note
from capsim.scenario import load_scenario
from tests.test_grant import hotline
from tests.test_grant_trial11 import terminal

GRANT_START = dt.date(2027, 4, 1)


def one_fixed(scenario) -> SimpleNamespace:
    """A grant result of ``scenario`` alone over three years whose cost is the same in every one of
    3 replications (each row's interval has no width), as :func:`fixed_cost_note` reads it."""
    years = ["2027/28", "2028/29", "2029/30", "all"]
    cost = [1e6, 1.1e6, 1.2e6, 3.3e6]
    table = pd.DataFrame({"scenario": scenario.name, "year": years, "total_cost": cost,
                          "total_cost_ci_low": cost, "total_cost_ci_high": cost})
    return SimpleNamespace(table=table, replications=3, scenarios=[scenario], years=years[:-1])


def note(name: str, sets: list[str] | None = None) -> str:
    """The fixed-cost note for the bundled scenario ``name`` run with ``--set`` options ``sets``."""
    text = fixed_cost_note(one_fixed(load_scenario(bundled.path(name), sets or [])), "2027-04-01")
    assert text is not None
    return text


# ----------------------------------------------------------------------------- 1. where the range comes from


def test_one_team_is_told_to_plan_itself_under_lower_and_higher_growth_with_its_own_options():
    """one-team (EUR, 5 analysts) was told to run the IWF-sized growth scenarios in GBP, without its --set."""
    text = note("one-team", ["workforce.analysts.headcount=7"])
    assert "growth-low" not in text and "growth-central" not in text
    assert ("its range across futures comes from planning one-team again under lower and higher growth and comparing "
            "the grants: capsim grant one-team --from 2027-04-01 --years 3 --set workforce.analysts.headcount=7, "
            "once with --set demand.reports.growth.per_year below its 30% (lower growth) and once above it (higher "
            "growth).") in text


def test_a_bundled_growth_scenario_is_sent_to_the_three_with_its_own_options():
    text = note("growth-central", ["costs.inflation=0.02"])
    assert ("capsim grant growth-low growth-central growth-high --from 2027-04-01 --years 3 --set costs.inflation=0.02."
            in text)


def test_a_doubling_time_is_longer_for_lower_growth_and_a_file_of_ones_own_is_not_run_by_name():
    """A user's scenario (not bundled) growing two streams, one by a doubling time: lower growth is the
    growth a year lower and the doubling time longer; the command names its file, which capsim cannot."""
    raw = load_scenario(bundled.path("growth-central")).source
    raw["name"] = "my-hotline"
    text = fixed_cost_note(one_fixed(load_scenario(raw)), "2027-04-01")
    assert ("capsim grant <my-hotline's file> --from 2027-04-01 --years 3, once with --set "
            "demand.reports.growth.per_year below its 22.5% and --set demand.ai-generated.growth.doubling_time above "
            "its 209.406d (lower growth) and once the other way round (higher growth).") in text
    assert "growth-low" not in text


def test_flat_volumes_are_told_how_to_set_a_growth_and_the_option_given_loads():
    text = note("police-unit")
    option = "demand.clearing-house.growth={model: exponential, per_year: 10%}"
    assert (f"planning police-unit again with other growth of its streams (demand.<stream>.growth) and comparing the "
            f"grants, e.g. capsim grant police-unit --from 2027-04-01 --years 3 --set '{option}'") in text
    grown = load_scenario(bundled.path("police-unit"), [option]).demand[0]
    assert grown.stream == "clearing-house" and grown.growth.annual_growth == pytest.approx(0.1, rel=1e-12)


# ----------------------------------------------------------------------------- 3. a nil difference


@pytest.fixture(scope="module")
def twins():
    """Two scenarios that differ only in name: every replication costs them the same."""
    return grant([load_scenario(hotline()), load_scenario(hotline(name="twin"))], GRANT_START, 1, replications=2)


def test_a_nil_difference_reads_the_same_never_signed(twins):
    """"Against small: +€0.00." for a plan that costs the same."""
    assert (twins.table[twins.table.scenario == "twin"].total_cost_vs_first == 0).all()
    lines = grant_findings(twins)["twin"]
    assert all(line.endswith(" The same cost as small.") for line in lines) and "+€0" not in " ".join(lines)


def test_a_nil_mean_difference_with_an_interval_is_no_difference_on_average(twins):
    """A mean difference nil to the cent, with replications that differ: no sign on it or on a nil bound."""
    table = twins.table.copy()
    twin = table.scenario == "twin"
    table.loc[twin, "total_cost_vs_first"] = -0.001
    table.loc[twin, "total_cost_vs_first_ci_low"] = -50.0
    table.loc[twin, "total_cost_vs_first_ci_high"] = 0.004
    lines = grant_findings(dataclasses.replace(twins, table=table))["twin"]
    assert lines[0].endswith(" Against small: no difference on average (paired 95% CI −€50.00 to €0.00).")
    table.loc[twin, "total_cost_vs_first"] = 12.5
    lines = grant_findings(dataclasses.replace(twins, table=table))["twin"]
    assert lines[0].endswith(" Against small: +€12.50 (paired 95% CI −€50.00 to €0.00).")


# ----------------------------------------------------------------------------- 2. one test, one wording


def test_cost_fixed_is_every_row_without_spread():
    rows = pd.DataFrame({"total_cost_ci_low": [10.0, 20.0], "total_cost_ci_high": [10.0, 20.0]})
    cost_fixed = capsim.grant.cost_fixed
    assert cost_fixed(rows, 3) and not cost_fixed(rows, 1)  # one replication: no interval, not a fixed cost
    rows.loc[1, "total_cost_ci_high"] = 21.0
    assert not cost_fixed(rows, 3)


def test_sla_column_words_names_each_scenario_s_measure():
    urgent = hotline(name="urgent")
    urgent["sla"] = [{**urgent["sla"][0], "within": "24h"}]
    words = capsim.grant.sla_column_words([load_scenario(hotline()), load_scenario(urgent)], "sla_normal")
    assert words == {"small": "reports within 72 h (analysts)", "urgent": "reports within 24 h (analysts)"}


def test_the_chart_terminal_and_notes_take_the_fixed_cost_and_the_sla_words_from_one_function(twins, monkeypatch):
    """The chart repeated the notes' test for a fixed cost and their words for an SLA column: one
    function each (capsim.grant) decides for the chart, the table and the notes."""
    import capsim.charts.grant

    told = {"small": "apples within 1 h", "twin": "pears within 2 h"}
    for module in (capsim.grant, capsim.charts.grant):
        monkeypatch.setattr(module, "cost_fixed", lambda table, replications: False)
        monkeypatch.setattr(module, "sla_column_words", lambda scenarios, column: told)
    fig = charts.grant_per_year(twins.table, twins.scenarios, twins.seed, twins.replications)
    try:
        subtitle = " ".join(fig.axes[0].get_title(loc="left").split())
    finally:
        plt.close(fig)
    assert "mean, 95% CI (2 replications)" in subtitle
    assert "apples within 1 h in small / pears within 2 h in twin" in subtitle
    assert counting_notes(twins) == [
        "reports within 72 h (analysts): not the same measure in every scenario (in small, apples within 1 h; in twin, pears "
        "within 2 h): so these shares are not like with like."]
    text = terminal(twins)
    assert "full cost (95% CI)" in text and "Full cost: fixed" not in text
