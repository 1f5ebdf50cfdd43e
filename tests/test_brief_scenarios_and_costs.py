"""Trial 11: the brief and the report's cost finding.

1. A brief of several scenarios ran their findings together with no heading, so "first missed in
   2028" (growth-central) and "first missed in 2027 (Apr–Dec)" (growth-high) read as one claim and
   its contradiction, and the plan never said whose it was: each scenario's findings now sit under
   its name, and the plan under a heading naming the scenario it plans and why that one.
2. The report's cost finding priced 25 analysts held constant, who met the 72 h target for 29% of
   reports, without saying so: it now says its price basis (currency, price year, inflation, under
   the keys of the assumptions table), whose staff it prices and, where they miss a target, that
   meeting it would cost more (capsim grant). A brief quotes a cost only of staff that meet every target.
3. The brief had no money figure: it now gives the cost of the plan, the what-if run's figure in
   what_if_summary.csv, and why capsim grant's plan and cost differ.

A one-team scenario short of staff (3 analysts for 40,000 reports a year) over 120 days, two
replications: the runs and the plan take about two seconds.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from capsim.bundled import path as scenario_file
from capsim.experiment import SimulationResult, simulate
from capsim.report.assumptions import assumptions_table
from capsim.report.brief import CHART_SCENARIO, FIRST_PLANNED, GRANT_YEARS, brief_html, plan_cost_words
from capsim.report.findings import headline_findings, price_words, quotable_findings
from capsim.report.what_it_takes import WHAT_IF_CSV, WhatItTakes, what_it_takes, what_it_takes_findings, write_what_if
from capsim.scenario import load_scenario
from capsim.words import fmt


SHORT = ["clock.horizon=120d", "workforce.analysts.attrition=0"]
"""One-team over 120 days (one calendar year: no part years), no attrition (costs the same in every replication)."""


def run(*overrides: str) -> SimulationResult:
    return simulate(load_scenario(scenario_file("one-team"), [*SHORT, *overrides]), replications=2, seed=1)


@pytest.fixture(scope="module")
def short() -> SimulationResult:
    """3 analysts: the 72 h target is missed."""
    return run("workforce.analysts.headcount=3")


@pytest.fixture(scope="module")
def staffed() -> SimulationResult:
    """12 analysts, under another name: the target is met."""
    return run("workforce.analysts.headcount=12", "name=one-team-staffed")


@pytest.fixture(scope="module")
def plan(short: SimulationResult) -> WhatItTakes:
    answer = what_it_takes(short)
    assert answer is not None and answer.result is not None
    return answer


def cost_line(result: SimulationResult) -> str:
    return next(x for x in headline_findings(result) if x.startswith("Total cost"))


def sections(page: str) -> list[tuple[str, list[str]]]:
    """The brief's key findings as (heading, sentences) in page order ("" before the first heading)."""
    findings = page.split("<h2>Key findings</h2>")[1].split("<h2>")[0]
    out: list[tuple[str, list[str]]] = [("", [])]
    for tag, text in re.findall(r"<(h3|li)>(.*?)</\1>", findings):
        if tag == "h3":
            out.append((html.unescape(text), []))
        else:
            out[-1][1].append(html.unescape(text))
    return [part for part in out if part[0] or part[1]]


def test_the_cost_finding_says_its_price_basis_as_the_assumptions_table_gives_it(short: SimulationResult):
    s = short.scenario
    table = assumptions_table(s).set_index("key")["value"]
    assert (table["costs.currency"], table["costs.price_year"], s.costs.inflation) == ("EUR", "2025", 0.03)
    assert " in EUR at 2025 prices plus 3% inflation a year (costs.price_year, costs.inflation), " in cost_line(short)


def test_price_words_without_inflation_or_a_price_year_name_the_year_used():
    s = load_scenario(scenario_file("one-team"), ["costs.inflation=0"])
    assert price_words(s) == "in EUR at 2025 prices (costs.price_year)"
    unset = s.model_copy(update={"costs": s.costs.model_copy(update={"price_year": None})})
    assert price_words(unset) == "in EUR at 2026 prices (the run's first year; costs.price_year not set)"
    assert price_words(unset, keys=False) == "in EUR at 2026 prices"


def test_the_cost_finding_says_whose_staff_it_prices_and_that_meeting_the_target_costs_more(
        short: SimulationResult, staffed: SimulationResult):
    missed = cost_line(short)
    assert "It prices the 3 analysts the scenario holds constant (no posts added); with them, team analysts " \
           "misses a target on average here, so this is not what meeting the targets costs: capsim grant sizes" in missed
    met = cost_line(staffed)
    assert met.endswith("It prices the 12 analysts the scenario holds constant (no posts added).")


def test_a_brief_quotes_a_cost_only_of_staff_that_meet_every_target(short: SimulationResult,
                                                                    staffed: SimulationResult):
    assert cost_line(short) not in quotable_findings(short)
    assert cost_line(staffed) in quotable_findings(staffed)


def test_a_brief_of_several_scenarios_puts_each_ones_findings_and_the_plan_under_its_name(
        short: SimulationResult, staffed: SimulationResult, plan: WhatItTakes):
    page = brief_html([short, staffed], {}, {}, plan)
    parts = sections(page)
    assert [heading for heading, _ in parts] == ["one-team", "one-team-staffed", FIRST_PLANNED.format(name="one-team")]
    assert parts[0][1] == quotable_findings(short) and parts[1][1] == quotable_findings(staffed)
    assert parts[2][1] == what_it_takes_findings(short, plan, brief=True) + plan_cost_words(plan)
    assert [heading for heading, _ in sections(brief_html([short], {}, {}, plan))] == [""]  # one: no names needed


def test_the_brief_gives_the_plans_cost_as_what_if_summary_csv_has_it_and_why_the_grants_differs(
        tmp_path: Path, short: SimulationResult, plan: WhatItTakes):
    write_what_if(tmp_path, plan)
    table = pd.read_csv(tmp_path / WHAT_IF_CSV)
    cost = table[(table.metric == "cost_total") & (table.period == "all")]["mean"].iloc[0]
    sentences = [x for _, said in sections(brief_html([short], {}, {}, plan)) for x in said]
    priced = [x for x in sentences if fmt("cost_total", cost, "EUR") in x]
    assert priced == [f"With that plan, total cost (staff, overheads, tools) over the measured period is "
                      f"{fmt('cost_total', cost, 'EUR')} (the same in every replication) in EUR at 2025 prices plus "
                      f"3% inflation a year. {GRANT_YEARS}"]
    assert not any(x.startswith("Total cost") for x in sentences)  # not the cost of the 3 analysts who fall short


def chart_headings(page: str) -> dict[str, str]:
    """Each chart of a brief by stem: the heading above it ("" where it has none)."""
    found = re.findall(r'<figure id="chart-([^"]*)">(?:<figcaption>(.*?)</figcaption>)?<img', page)
    return {stem: html.unescape(heading) for stem, heading in found}


def test_each_chart_of_one_scenario_in_a_brief_of_several_is_headed_by_its_name(
        short: SimulationResult, staffed: SimulationResult):
    """Trial: in a brief of growth-central and growth-high the charts of page 2 named their scenario
    only in their small footers, so a chart cut out of the brief lost whose it was. Each chart of one
    scenario is now headed by its name; one whose stem another's begins with (one-team, one-team-staffed)
    is not taken for it, and a chart only the second scenario has (the first here has no AI share
    chart) is headed by the second's."""
    svg = "<svg/>"
    svgs = {"one-team-by_year": svg, "one-team-staffed-by_year": svg, "one-team-staffed-ai_share": svg,
            "comparison": svg}
    assert chart_headings(brief_html([short, staffed], svgs, {})) == {
        "one-team-by_year": CHART_SCENARIO.format(label="one-team"),
        "one-team-staffed-ai_share": CHART_SCENARIO.format(label="one-team-staffed"),
        "comparison": ""}  # the comparison names both in its own title
    assert set(chart_headings(brief_html([short], {"by_year": svg}, {})).values()) == {""}  # the title names it
