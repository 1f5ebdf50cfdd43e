"""The tools' side effects counted in the item counts' pass are the masked counts of their rules."""

from __future__ import annotations

import numpy as np
import pytest

from capsim.demand import FLAG_AI, FLAG_CRIMINAL, FLAG_FLAGGED_HARMFUL
from capsim.engine import simulate_replication
from capsim.metrics import replication_metrics
from capsim.periods import calendar_periods, period_metrics
from capsim.scenario import load_scenario

SHORT = ["clock.horizon=120d", "clock.warmup=14d", "clock.start=2024-11-01"]  # two calendar years


@pytest.mark.parametrize("name", ["tooling-classifier", "tooling-detector"])
def test_side_effect_counts_are_the_masked_counts_of_each_window(name):
    scenario = load_scenario(f"scenarios/{name}.yaml", SHORT)
    rep = simulate_replication(scenario, 3, 0)
    items = rep.items
    windows = [(rep.warmup, np.inf, replication_metrics(scenario, rep))]
    periods = calendar_periods(scenario, "year")
    assert len(periods) == 2
    measured = period_metrics(scenario, rep, "year")
    windows += [(p.start, p.end, measured[p.label]) for p in periods]
    for t0, until, metrics in windows:
        inside = (items.arrival >= t0) & (items.arrival < until)
        referred_ai = inside & (items.parent >= 0) & (items.flags & FLAG_AI > 0)
        missed = (inside & (items.parent < 0) & (items.flags & FLAG_CRIMINAL > 0)
                  & (items.flags & FLAG_FLAGGED_HARMFUL == 0))
        if "synthetic_referred" in metrics:
            assert metrics["synthetic_referred"] == referred_ai.sum()
        if "harmful_missed" in metrics:
            assert metrics["harmful_missed"] == missed.sum()
            assert missed.sum() > 0  # the classifier misses some
        assert "synthetic_referred" in metrics or "harmful_missed" in metrics
