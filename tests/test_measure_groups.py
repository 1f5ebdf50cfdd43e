"""The headline metrics computed in grouped compiled passes (issue 13) equal their definitions
by mask: each group's waits are those :func:`capsim.metrics.eventual_waits` gives for its mask,
in the same order (so means agree bit for bit), and each SLA share is
:func:`capsim.metrics.sla_attainment`'s. Exact equality: the same numbers, not close ones."""

from __future__ import annotations

import math

import numpy as np
import pytest

from capsim.bundled import path as bundled_path
from capsim.engine import simulate_replication
from capsim.metrics import (eventual_waits, original_sla_priorities, replication_metrics, sla_attainment,
                            team_priorities, used_priorities)
from capsim.scenario import load_scenario
from capsim.units import SECONDS_PER_DAY, SECONDS_PER_HOUR
from tests.window_reference import work_seconds


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else float("nan")


@pytest.fixture(scope="module")
def measured():
    """Three teams, referrals, a classifier (original priorities) and a short run."""
    scenario = load_scenario(bundled_path("tooling-classifier"))
    clock = scenario.clock.model_copy(update={"horizon": 90 * SECONDS_PER_DAY})
    scenario = scenario.model_copy(update={"clock": clock})
    rep = simulate_replication(scenario, 4, 0)
    return scenario, rep, replication_metrics(scenario, rep)


def test_waits_per_priority_and_team_equal_their_masks(measured):
    scenario, rep, m = measured
    items = rep.items
    arrived = items.arrival >= rep.warmup
    scope = arrived & items.direct
    assert same(m["wait_mean"], mean(eventual_waits(rep, scope)[0]))
    for p in used_priorities(scenario):
        mine = scope & (items.priority == scenario.priorities.index(p))
        assert same(m[f"wait_mean_{p}"], mean(eventual_waits(rep, mine)[0])), p
    for t, team in enumerate(scenario.workforce):
        mine = arrived & (items.team == t)
        assert same(m[f"wait_mean_{team.team}"], mean(eventual_waits(rep, mine)[0])), team.team
        for p in team_priorities(scenario)[team.team]:
            rows = mine & (items.priority == scenario.priorities.index(p))
            assert same(m[f"wait_mean_{p}_{team.team}"], mean(eventual_waits(rep, rows)[0])), (p, team.team)
        worked = items.started & (items.start >= rep.warmup) & (items.team == t)
        assert m[f"analyst_hours_{team.team}"] == work_seconds(rep, worked) / SECONDS_PER_HOUR


def test_sla_shares_equal_their_masks(measured):
    scenario, rep, m = measured
    for sla in scenario.sla:
        assert same(m[f"sla_{sla.priority}"], sla_attainment(scenario, rep, sla.priority, sla.within))
        for t, team in enumerate(scenario.workforce):
            if sla.priority in team_priorities(scenario)[team.team]:
                assert same(m[f"sla_{sla.priority}_{team.team}"],
                            sla_attainment(scenario, rep, sla.priority, sla.within, t))
    originals = original_sla_priorities(scenario)
    assert originals
    for p in originals:
        within = next(s.within for s in scenario.sla if s.priority == p)
        assert same(m[f"sla_{p}_original"], sla_attainment(scenario, rep, p, within, original=True))


def test_a_run_without_its_time_series_measures_the_same(measured):
    """capsim sweep's tasks skip the time series (issue 17): the metrics and per-period metrics
    are the same, bit for bit, and the series is an empty frame."""
    from capsim.experiment import run_measured

    scenario, _, _ = measured
    with_series = run_measured(scenario, 4, 0, "quarter")
    without = run_measured(scenario, 4, 0, "quarter", series=False)
    assert len(with_series[1]) > 0 and without[1].empty
    for got, want in ((without[0], with_series[0]), *((without[2][k], v) for k, v in with_series[2].items())):
        assert list(got) == list(want) and all(same(got[k], want[k]) for k in want)
