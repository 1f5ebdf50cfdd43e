"""The eleventh user trial's grant defects: service levels that count other items in other scenarios,
and items a classifier moves under a deadline or out of one, said; a team with no target that the plan
swamps named with its figures; hires with no lead time said once; a cost fixed by the plan given without
a "± 95% CI" and with where its range across futures comes from; the whole grant's FTE said to be an
average (with the peak year) and its hires a total; FTE said to be analysts', with the management and QA
posts beside them; whole hires; money as the report writes it."""

from __future__ import annotations

import datetime as dt
import html
import math

import numpy as np
import pytest

from capsim.cli import out_console, print_grant
from capsim.engine import simulate_replication
from capsim.grant import NO_SPREAD, grant
from capsim.report.grant import render_grant_report
from capsim.scenario import load_scenario
from capsim.words import count_words, durations_words, fmt, round_sig
from tests.test_grant import hotline
from tests.test_grant_trial9 import short_hotline

GRANT_START = dt.date(2027, 4, 1)


def terminal(result) -> str:
    """What capsim grant prints for ``result``, its lines joined, on a console wide enough that no
    column's header wraps."""
    width = out_console.width
    out_console.width = 400
    try:
        with out_console.capture() as captured:
            print_grant(result, result.scenarios[0].costs.currency)
    finally:
        out_console.width = width
    return " ".join(captured.get().split())


def page(result) -> str:
    """The grant page's text, unescaped, its lines joined."""
    return " ".join(html.unescape(render_grant_report(result, "<svg></svg>")).split())


# ----------------------------------------------------------------------------- 1. a classifier's items


def with_graders(classifier: bool) -> dict:
    """The small hotline with a team of graders for an image stream of low priority (no SLA): a
    classifier (flagged to high, which has no SLA; the rest to normal, 72 h) takes the flagged reports
    out of their deadline and puts the unflagged images under one."""
    raw = hotline(name="classifier" if classifier else "without")
    raw["demand"].append({"stream": "images", "unit": "image", "rate": "20000/year", "priority": "low",
                          "team": "graders", "mix": {"criminal": 0.5}})
    raw["review"]["image"] = {"dist": "lognormal", "mean": "120s", "cv": 1.0}
    raw["workforce"].append({**raw["workforce"][0], "team": "graders", "headcount": 2})
    raw["costs"]["teams"]["graders"] = raw["costs"]["teams"]["analysts"]
    if classifier:
        raw["tooling"] = {"classifier": {"enabled": True, "recall": 0.9, "fpr": 0.1, "positive_priority": "high",
                                         "negative_priority": "normal"}}
    return raw


@pytest.fixture(scope="module")
def relabelled():
    return grant([load_scenario(with_graders(False)), load_scenario(with_graders(True))], GRANT_START, 1,
                 replications=2)


def test_a_column_a_classifier_relabels_says_what_it_counts_in_each_scenario(relabelled):
    """growth-central's 99.1% and gc-classifier's 93.6% sat under one header, "reports within 72 h
    (analysts)", though the second counts only the reports the classifier did not flag."""
    note = ("reports within 72 h (analysts): not the same measure in every scenario (in without, reports within 72 h "
            "(analysts); in classifier, reports the classifier did not flag within 72 h (analysts)): the classifier "
            "in classifier moves items between priorities, so these shares are not like with like")
    assert note in terminal(relabelled) and note in page(relabelled)


def test_items_a_classifier_puts_under_a_deadline_or_takes_out_of_one_are_counted_and_said(relabelled):
    """The classifier put the graders' images (low: no deadline) in the 72 h queue, and the grant hired
    graders for it without a word; it also takes the flagged reports out of every deadline. Each count
    is the mean over the replications of the streams' items arriving in the grant year whose queue's
    deadline their stream's priority does not have (or has), counted here from the items themselves."""
    scenario = relabelled.scenarios[1]
    year = relabelled.years[0]
    counts = {"images": [], "reports": []}
    for r in range(relabelled.replications):
        items = simulate_replication(scenario, relabelled.seed, r).items
        arrived = items.direct & (items.arrival >= year.t0) & (items.arrival < year.t1)
        queue = np.array(scenario.priorities)[items.priority]
        counts["images"].append(np.sum(arrived & (items.stream == 1) & (queue == "normal")))
        counts["reports"].append(np.sum(arrived & (items.stream == 0) & (queue == "high")))
    images, reports = (float(np.mean(v)) for v in counts.values())
    assert images > 0 and reports > 0
    text = terminal(relabelled)
    assert (f"classifier: its classifier puts {count_words(images)} images of team graders (stream images, whose own "
            "priority has no deadline) under a deadline over the grant: those it does not flag in the normal queue, "
            "within 72 h. The grant plans team graders for that deadline") in text
    assert (f"classifier: its classifier takes {count_words(reports)} reports of team analysts (stream reports, whose "
            "own priority has a deadline) out of every deadline over the grant: those it flags wait in the high "
            "queue, with no deadline") in text
    assert "without: its classifier" not in text  # no classifier, nothing moved
    row = relabelled.table.set_index(["scenario", "year"]).loc[("classifier", "2027/28")]
    assert row.deadline_added_graders == images and row.deadline_removed_analysts == reports


# ----------------------------------------------------------------------------- 2. a team with no target


def with_victim_id(growth: str | None) -> dict:
    """The small hotline referring half its reports (at low priority: no SLA) to a victim-identification
    team of one analyst that cannot keep up as reports grow ``growth`` a year (None: no growth)."""
    raw = hotline()
    raw["demand"][0]["growth"] = ({"model": "exponential", "per_year": growth} if growth else {"model": "none"})
    raw["workforce"].append({**raw["workforce"][0], "team": "victim_id", "headcount": 1})
    raw["routing"] = [{"from": "analysts", "to": "victim_id", "share": 0.5, "priority": "low"}]
    raw["costs"]["teams"]["victim_id"] = raw["costs"]["teams"]["analysts"]
    raw["review"]["report"]["mean"] = "600s"
    return raw


@pytest.fixture(scope="module")
def swamped():
    return grant([load_scenario(with_victim_id("60%"))], GRANT_START, 2, replications=2)


def test_a_team_with_no_target_that_the_plan_swamps_is_named_with_its_figures(swamped):
    """Replaying growth-central's plan, victim ID's mean wait grew from 884 h to 14,279 h and its backlog
    from 880 to 7,701: the grant showed only the items waiting in all teams. Its items waiting on average
    are checked against every item's time in the team's queue within each year, summed by hand."""
    scenario = swamped.scenarios[0]
    years = swamped.years
    table = swamped.table.set_index("year")
    for year in years:
        by_hand = []
        for r in range(swamped.replications):
            rep = simulate_replication(scenario, swamped.seed, r)
            items = rep.items
            mine = items.team == 1
            left = np.where(np.isfinite(items.start), items.start, np.minimum(items.deadline, rep.horizon))[mine]
            queued = np.clip(left, year.t0, year.t1) - np.clip(items.arrival[mine], year.t0, year.t1)
            by_hand.append(queued.sum() / (year.t1 - year.t0))
        assert table.loc[year.label, "backlog_mean_victim_id"] == pytest.approx(np.mean(by_hand), rel=1e-9)
    first, last = table.loc["2027/28"], table.loc["2028/29"]
    assert last.backlog_mean_victim_id > first.backlog_mean_victim_id_ci_high
    w0, w1 = durations_words(first.wait_mean_victim_id, last.wait_mean_victim_id)
    said = (f"small: team victim_id, which receives work referred by team analysts, has no SLA, so the grant plans "
            f"none of its staff (its seats stay as written): its queue grows over the grant: items waiting there on "
            f"average rise from {fmt('backlog_mean', first.backlog_mean_victim_id)} in 2027/28 to "
            f"{fmt('backlog_mean', last.backlog_mean_victim_id)} in 2028/29 (up ")
    assert f"and the mean wait to start there rises from {w0} to {w1} (up " in terminal(swamped)
    assert said in terminal(swamped) and said in page(swamped)


def test_a_one_year_grant_gives_the_team_s_figures_without_a_trend():
    """One grant year: no trend to judge, the year's figures alone."""
    result = grant([load_scenario(with_victim_id(None))], GRANT_START, 1, replications=2)
    row = result.table.set_index("year").loc["2027/28"]
    assert math.isfinite(row.wait_mean_victim_id)
    text = terminal(result)
    assert (f"has no SLA, so the grant plans none of its staff (its seats stay as written): over 2027/28, "
            f"{count_words(row.backlog_mean_victim_id)} items wait there on average") in text
    assert "grows" not in text and "rise from" not in text


# ----------------------------------------------------------------------------- 3. no hiring lead time


@pytest.mark.parametrize("lead_time", ["0d", "30d"])
def test_hires_with_no_lead_time_are_said_once_in_terminal_and_page(lead_time):
    """growth-high's 4 hires were in post on the grant's first day with no time to recruit or vet, and
    the grant never said so; with a lead time set, nothing is said (the hires are late, and said so)."""
    raw = short_hotline()
    raw["workforce"][0]["hiring"] = {"lead_time": lead_time}
    result = grant([load_scenario(raw)], GRANT_START, 1, replications=2)
    assert result.table.hires.iloc[0] > 0
    opening = "No hiring lead time is set for team analysts (workforce.analysts.hiring.lead_time, default 0d)"
    for text in (terminal(result), page(result)):
        assert text.count(opening) == (lead_time == "0d")
        assert ("--set workforce.analysts.hiring.lead_time=91d" in text) == (lead_time == "0d")


# ----------------------------------------------------------------------------- 4, 5, 6, 7: cost and words


@pytest.fixture(scope="module")
def two_years():
    flat = hotline(name="flat")
    flat["demand"][0]["growth"] = {"model": "none"}
    return grant([load_scenario(flat), load_scenario(hotline())], GRANT_START, 2, replications=3)


def test_a_cost_fixed_by_the_plan_has_no_interval_column_and_says_where_its_range_comes_from(two_years):
    """"full cost ± 95% CI" held one figure: the plan fixes the cost. Said once, with its range across
    the scenarios (money as the report writes it), or the command that plans each future."""
    text = terminal(two_years)
    assert "± 95% CI" not in text and "full cost" in text and "cost vs first" in text
    whole = two_years.table[two_years.table.year == "all"].set_index("scenario").total_cost
    assert (f"Full cost: fixed by the plan and the prices, {NO_SPREAD}, so it has no interval") in text
    assert f"over the whole grant from €{round_sig(whole['flat'], 3):,.0f} (flat) to €{round_sig(whole['small'], 3):,.0f} (small)" in text
    words = page(two_years)
    assert words.count(NO_SPREAD) == 1 and "EUR " not in words.split("What the costs rest on")[0]
    one = grant([load_scenario(hotline())], GRANT_START, 1, replications=2)
    assert ("capsim grant <small's file> --from 2027-04-01 --years 1, once with --set "
            "demand.reports.growth.per_year below its 30% (lower growth)" in terminal(one))
    assert "Grant: 1 year from 2027-04-01" in terminal(one) and "Grant: 1 year from 2027-04-01" in page(one)


def test_a_cost_that_varies_keeps_its_interval():
    """With attrition the staff in post, so the cost, differ between replications: its interval stays."""
    raw = hotline()
    raw["workforce"][0]["attrition"] = 0.9
    result = grant([load_scenario(raw)], GRANT_START, 1, replications=3)
    assert (result.table.total_cost_ci_high > result.table.total_cost_ci_low).all()
    text = terminal(result)
    assert "full cost (95% CI)" in text and "Full cost: fixed" not in text


def test_the_whole_grant_s_fte_is_an_average_with_its_peak_and_its_hires_a_total(two_years):
    """"Over the whole grant, 46.7 FTE are needed" was a mean of 41, 46 and 53."""
    rows = two_years.table[two_years.table.scenario == "small"].set_index("year")
    peak = rows.drop("all").fte_needed.idxmax()
    hires = int(rows.loc["all", "hires"])
    assert rows.loc["all", "hires"] == rows.drop("all").hires.sum()
    assert (f"Over the whole grant: {rows.loc['all', 'fte_needed']:.1f} analyst FTE needed for the SLAs of team "
            f"analysts on average over its 2 years (the most, {rows.loc[peak, 'fte_needed']:.1f}, in {peak})") in page(two_years)
    assert f"{hires} hire{'s' if hires != 1 else ''} in all," in page(two_years)


def test_fte_are_analysts_with_the_management_posts_beside_them_and_roles_of_no_team_cover_all(two_years):
    """The FTE left out the team leaders the budget pays for (one per 8 analyst FTE here), and the prices
    read "teams: none" for a role that covers every team."""
    table = two_years.table
    assert np.allclose(table.management_fte, table.fte / 8, rtol=1e-12)
    row = table.iloc[0]
    assert (f"{row.fte:.1f} in post on average, and {row.management_fte:.1f} FTE of management and QA posts "
            "(costs.roles)") in page(two_years)
    text = terminal(two_years)
    assert "management, QA FTE" in text and "FTE: analysts on each team's contract" in text
    assert "costs.roles.0.teams │ all teams" in text and "costs.roles.0.teams │ none" not in text


def test_hires_are_whole_in_the_terminal(two_years):
    """"5.0" hires read as an estimate of a fraction of a person."""
    width = out_console.width
    out_console.width = 400  # every header on one line
    try:
        with out_console.capture() as captured:
            print_grant(two_years, "EUR")
    finally:
        out_console.width = width
    lines = captured.get().splitlines()
    header = next(line for line in lines if line.startswith("┃ scenario")).split("┃")
    column = [cell.strip() for cell in header].index("hires")
    rows = [line.split("│") for line in lines if line.startswith("│ ")]
    hires = [cells[column].strip() for cells in rows if len(cells) == len(header)]  # the grant table's rows
    assert len(hires) == 6 and all(h.isdigit() for h in hires), hires


def test_the_chart_names_the_scenarios_at_each_end_of_the_cost_and_says_the_cost_is_fixed(two_years):
    """"the full cost ranges from GBP 3.9 million ... to GBP 4.9 million" read as an interval: it is the
    cheapest and dearest scenarios' costs; and "mean, 95% CI" stood over a cost with none."""
    from capsim import charts

    fig = charts.grant_per_year(two_years.table, two_years.scenarios, two_years.seed, two_years.replications)
    title = " ".join(fig._suptitle.get_text().split())
    assert title.startswith("In 2028/29, the full cost is EUR ") and "in the cheapest scenario, flat (" in title
    assert "in the dearest, small (" in title and "ranges" not in title
    subtitle = fig.axes[0].get_title(loc="left")
    assert subtitle.startswith("Full cost at each year's prices: fixed by the plan, the same in every replication")
    assert "Analyst FTE (not management or QA)" in fig.axes[1].get_title(loc="left")
