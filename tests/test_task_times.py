"""The time an item takes at a team: the team's ``task_time`` for everything it does (its own
streams as well as referrals), and which tools' time factors apply where — wellbeing tooling
at every team (as its exposure cap), the classifier and clustering only at the team that
screens a stream (the team the stream goes to)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from capsim.engine import process_rng, simulate_replication
from capsim.scenario import load_scenario
from tests.test_routing import chain, team_index

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def test_a_stream_sent_straight_to_a_team_takes_the_teams_task_time():
    # police-unit's investigation team: lognormal task time of mean 17.3 h (cv 1). A backlog of
    # 120 cases sent straight to it used to take the unit's review time (20 min: 0.31 h).
    # The mean of 120 draws with cv 1 has a standard error of 17.3 / √120 = 1.6 h; allowed
    # ±4.5 standard errors (a false alarm about 7 in a million).
    raw = yaml.safe_load((SCENARIOS / "police-unit.yaml").read_text())
    raw["clock"].update(horizon="10d", warmup="0d")
    raw["demand"].append({"stream": "cases", "unit": "report", "rate": "0/day", "initial_backlog": 120,
                          "mix": {"criminal": 1.0}, "priority": "normal", "team": "investigation"})
    scenario = load_scenario(raw)
    rep = simulate_replication(scenario, 1, 0)
    items = rep.items
    cases = items.direct & (items.team == team_index(scenario, "investigation"))
    assert cases.sum() == 120
    hours = items.service[cases] / 3600
    assert abs(hours.mean() - 17.3) < 4.5 * 17.3 / np.sqrt(120)


def tooled_chain(tooling: dict) -> dict:
    """The routing chain with fixed times: 60 s at the hotline, 7 min at every other team."""
    raw = chain(days=5)
    raw["review"] = {"report": {"dist": "deterministic", "mean": "60s"}}
    for team in raw["workforce"][1:]:
        team["task_time"] = {"dist": "deterministic", "mean": "7min"}
    raw["demand"][0]["cluster_size"] = 4
    raw["tooling"] = tooling
    return raw


def test_a_team_task_time_also_sets_its_own_streams_time():
    raw = tooled_chain({})
    raw["workforce"][0]["task_time"] = {"dist": "deterministic", "mean": "90s"}
    rep = simulate_replication(load_scenario(raw), 1, 0)
    assert np.all(rep.items.service[rep.items.direct] == 90.0)


def test_wellbeing_slows_every_team_and_the_classifier_and_clustering_only_the_screening_team():
    tooling = {
        "wellbeing": {"enabled": True, "time_factor": 1.5},
        "classifier": {"enabled": True, "recall": 0.9, "fpr": 0.1, "time_factor": 0.5,
                       "positive_priority": "high", "negative_priority": "normal"},
        "clustering": {"enabled": True, "follow_fraction": 0.25},
    }
    rep = simulate_replication(load_scenario(tooled_chain(tooling)), 1, 0)
    items = rep.items
    screened = items.service[items.direct]
    # 60 s × 1.5 × 0.5 for the first of a cluster, × 0.25 more for the others
    assert set(np.round(screened, 6)) == {45.0, 11.25}
    assert np.all(items.service[~items.direct] == 420.0 * 1.5)  # referrals: wellbeing only
    assert (~items.direct).sum() > 1000


def test_referred_items_take_their_teams_task_times_in_turn_from_its_own_random_stream():
    # The receiving team's times are drawn ahead in chunks (capsim.demand.Stockpile), a few
    # referrals at each decision point: in row order they must be the team's stream drawn
    # straight through, whatever the chunks, as one draw per decision point would give them.
    scenario = load_scenario(chain(days=20))
    rep = simulate_replication(scenario, 1, 0)
    items = rep.items
    for team, mean in (("police", 300.0), ("investigation", 1800.0), ("victim_id", 300.0)):
        mine = (items.parent >= 0) & (items.team == team_index(scenario, team))
        assert mine.sum() > 100  # enough referrals to span many decision points
        expected = process_rng(1, 0, f"task:{team}").exponential(mean, int(mine.sum()))
        assert np.array_equal(items.service[mine], expected)
