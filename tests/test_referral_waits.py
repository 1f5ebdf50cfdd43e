"""The run's pooled waits are of the streams' own items: words and chart say so, and give referrals theirs.

police-unit with investigation at 12 analysts: its high-priority referrals waited weeks at
investigation while the report said "assessment began on average 0.96 days after an item arrived
(every item that arrived counts)", and the time-to-assessment chart drew the referrals' 14 d
deadline over the streams' waits ("all priorities pooled"), its title quoting only the
normal-priority reports that met their target.
"""

from __future__ import annotations

import pytest

from capsim import bundled
from capsim.charts.waits import time_to_assessment
from capsim.experiment import simulate
from capsim.report.findings import headline_findings, referred_waits
from capsim.scenario import load_scenario


@pytest.fixture(scope="module")
def short_investigation():
    return simulate(load_scenario(bundled.path("police-unit"), ["clock.horizon=1y", "workforce.investigation.headcount=12"]),
                    replications=3, seed=1)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_findings_say_whose_waits_and_give_the_referrals_theirs(short_investigation):
    lines = headline_findings(short_investigation)
    waits = next(x for x in lines if x.startswith("Assessment began on average"))
    assert "after arrival (those still waiting at the end are followed until assessed), pooled over all " in waits, waits
    assert " items from the streams (" in waits, waits
    table = short_investigation.summary.set_index("metric")
    days = table.loc["wait_mean_investigation", "mean"] / 24
    assert days > 7  # the premise: referrals wait weeks there, the streams' items about a day
    referred = referred_waits(short_investigation)
    assert referred == [f"Items referred on are not in those waits: at the teams they are referred to, every item "
                        f"that arrived there waited to start on average {days:.1f} days (95% CI "
                        f"{table.loc['wait_mean_investigation', 'ci_low'] / 24:.1f} to "
                        f"{table.loc['wait_mean_investigation', 'ci_high'] / 24:.1f} days) at team investigation, "
                        "timed from its arrival there."], referred
    assert lines[lines.index(waits) + 1] == referred[0]


def test_without_referrals_the_waits_are_every_items():
    one = simulate(load_scenario(bundled.path("one-team"), ["clock.horizon=40d"]), replications=2, seed=1)
    waits = next(x for x in headline_findings(one) if x.startswith("Assessment began on average"))
    assert "(every item that arrived counts:" in waits
    assert referred_waits(one) == []


def test_the_chart_draws_only_the_streams_deadlines_and_quotes_a_missed_level(short_investigation):
    fig = time_to_assessment(short_investigation.per_replication, short_investigation.scenario, 1)
    waits, levels = fig.axes
    dashed = [line.get_label() for line in waits.get_lines() if line.get_linestyle() == "--"]
    assert dashed == ["normal deadline 72 h"]  # not the referrals' 14 d, a deadline of none of these items
    assert _flat(waits.get_title(loc="left")).endswith("all priorities pooled, the streams' own items (referrals: "
                                                       "by team, right)")
    assert [t.get_text() for t in levels.get_yticklabels()][0].startswith("high-priority referrals")
    share = short_investigation.per_replication["sla_high_investigation"].mean()
    assert _flat(fig._suptitle.get_text()).endswith(
        f"of normal-priority reports alone, 100% meet the 72 h deadline: the 90% target is met; of high-priority "
        f"referrals at team investigation alone, {share:.0%} meet the 14 d deadline: the 90% target is missed")


def test_a_scenario_whose_only_sla_is_for_referrals_keeps_its_levels_panel(short_investigation):
    s = short_investigation.scenario
    only_referrals = s.model_copy(update={"sla": [x for x in s.sla if x.priority == "high"]})
    fig = time_to_assessment(short_investigation.per_replication, only_referrals, 1)
    assert len(fig.axes) == 2
    assert not [line for line in fig.axes[0].get_lines() if line.get_linestyle() == "--"]
