"""Referral queues stay first come, first served whatever the routing rules, and an item is
referred at most once between two teams (the first rule it matches decides; rules that can
match one item are refused).

The clean case: a hotline (M/M/2, 600 reports a day, 60 s each) refers its criminal reports
(60%) to victim identification (2 analysts, 5 min each). The output of a stationary M/M/c
queue is Poisson (Burke's theorem), so victim identification is an M/M/2 queue at 360 a day,
whose mean wait Erlang C gives exactly.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from capsim.engine import simulate_replication
from capsim.scenario import ScenarioError, load_scenario
from tests.test_routing import REAL, STANDARD, chain

DAY = 86400.0


def hotline_to_victim_id(rules: list[dict], days: int = 30) -> dict:
    """Hotline (2 analysts, 24/7, exponential 60 s, 600/day, 60% criminal) → victim_id (2, 5 min)."""
    return {
        "name": "hotline-victim-id",
        "clock": {"horizon": f"{days}d", "warmup": "1d", "step": "1h"},
        "demand": [{"stream": "reports", "unit": "report", "rate": "600/day", "team": "hotline",
                    "mix": {"ai_generated": 0.5, "criminal": 0.6}}],
        "review": {"report": {"dist": "exponential", "mean": "60s"}},
        "workforce": [
            {"team": "hotline", "headcount": 2, "roster": "24/7"},
            {"team": "victim_id", "headcount": 2, "roster": "24/7",
             "task_time": {"dist": "exponential", "mean": "5min"}},
        ],
        "routing": [{"from": "hotline", "to": "victim_id", "when": when} for when in rules],
    }


def mm2_wait(arrival_rate: float, mean_service: float) -> float:
    """Exact mean wait in queue (seconds) of M/M/2: Erlang C(2, a) / (2 μ − λ)."""
    a = arrival_rate * mean_service
    top = a**2 / (2 * (1 - a / 2))
    return top / (1 + a + top) / (2 / mean_service - arrival_rate)


def victim_id_waits(raw: dict, seed: int, replication: int) -> np.ndarray:
    rep = simulate_replication(load_scenario(raw), seed, replication)
    items = rep.items
    mine = (items.team == 1) & items.started & (items.arrival >= rep.warmup)
    return items.start[mine] - items.arrival[mine]


def assert_first_come_first_served(rep) -> None:
    """Within each team and priority, items start in arrival order and none is passed over."""
    items = rep.items
    for team in np.unique(items.team):
        for priority in np.unique(items.priority):
            mine = np.flatnonzero((items.team == team) & (items.priority == priority))
            mine = mine[np.argsort(items.arrival[mine], kind="stable")]
            started = items.started[mine]
            assert not (~started[:-1] & started[1:]).any(), (team, priority)  # a later one taken first
            starts = items.start[mine][started]
            assert np.all(np.diff(starts) >= 0), (team, priority)


def test_one_rule_gives_the_exact_mm2_wait_at_the_receiving_team():
    # 64 replications of 100 days (about 35,000 referrals each); the replication means are
    # independent, so their standard error is honest: about 0.64% of the mean. Allowed:
    # 4 standard errors (a false alarm about 3 in 10,000), and the standard error must stay
    # below 0.75%, so that a 3% error would fail.
    raw = hotline_to_victim_id([{"criminal": True}], days=100)
    means = np.array([victim_id_waits(raw, 7, r).mean() for r in range(64)])
    exact = mm2_wait(360 / DAY, 300.0)
    assert exact / 3600 == pytest.approx(0.0534, abs=5e-5)
    se = means.std(ddof=1) / math.sqrt(len(means))
    assert se < 0.0075 * exact
    assert abs(means.mean() - exact) < 4 * se


def test_two_disjoint_rules_give_the_same_waits_as_one_rule_meaning_the_same():
    one = hotline_to_victim_id([{"criminal": True}])
    two = hotline_to_victim_id([{"criminal": True, "ai_generated": True}, {"criminal": True, "ai_generated": False}])
    for r in range(3):
        assert np.array_equal(victim_id_waits(one, 3, r), victim_id_waits(two, 3, r))


def test_every_queue_of_the_chain_is_first_come_first_served():
    # victim_id receives two rules' referrals from the hotline (REAL and STANDARD): with each
    # rule's batch appended in turn its mean wait was about 12,000 s; in order it is about 90 s
    # (load 0.5 on two analysts of 5 min: M/M/2 gives 100 s).
    raw = chain(days=20)
    scenario = load_scenario(raw)
    victim_id = [t.team for t in scenario.workforce].index("victim_id")
    waits = []
    for r in range(3):
        rep = simulate_replication(scenario, 11, r)
        assert_first_come_first_served(rep)
        items = rep.items
        mine = (items.team == victim_id) & items.started
        waits.append(items.start[mine] - items.arrival[mine])
    assert np.concatenate(waits).mean() < 300


def test_rules_between_the_same_teams_that_can_match_one_item_are_refused():
    raw = hotline_to_victim_id([{"criminal": True}, {"ai_generated": True}])
    with pytest.raises(ScenarioError) as err:
        load_scenario(raw)
    message = str(err.value)
    assert "routing.1.when: rules 0 and 1 both send items from 'hotline' to 'victim_id'" in message
    assert "referred at most once" in message


def test_rules_exclusive_only_through_realism_are_accepted():
    # realistic items are AI-generated, so {ai_generated: false} and {realistic: true} never meet
    load_scenario(hotline_to_victim_id([REAL, STANDARD]))
    load_scenario(hotline_to_victim_id([{"criminal": False}, {"realistic": True}]))
    with pytest.raises(ScenarioError):
        load_scenario(hotline_to_victim_id([{"known": False}, {"realistic": True}]))


def test_the_same_conditions_to_two_different_teams_are_not_an_overlap():
    raw = chain(extra_routes=[{"from": "hotline", "to": "investigation", "when": {"criminal": True}}])
    load_scenario(raw)
