"""Exposure per analyst-shift counts hours on the shift where they are worked: an item carried
over to later shifts (``carry_over``) counts the part of it done on each shift there."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from capsim.engine import simulate_replication
from capsim.metrics import exposure_per_analyst_shift, replication_metrics
from capsim.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def one_investigator(cases: int, hours: float) -> dict:
    """One analyst on 8 h weekday shifts from Monday 09:00, a backlog of fixed-length cases."""
    return {
        "name": "carry",
        "clock": {"horizon": "7d", "start": "2024-01-01", "step": "1h"},
        "demand": [{"stream": "cases", "unit": "report", "rate": "0/day", "initial_backlog": cases,
                    "mix": {"criminal": 1.0}}],
        "review": {"report": {"dist": "deterministic", "mean": f"{hours}h"}},
        "workforce": [{"team": "investigation", "headcount": 1, "carry_over": True,
                       "roster": {"hours_per_day": 8, "days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00"}}],
    }


def test_a_carried_task_counts_on_each_shift_it_is_worked():
    # Two 20 h cases: 8 h Monday, 8 Tuesday, 4 + 4 Wednesday, 8 Thursday, 8 Friday. Counting each
    # case on the shift it started gave 20 h on Monday and on Wednesday.
    scenario = load_scenario(one_investigator(2, 20))
    rep = simulate_replication(scenario, 1, 0)
    exposure = exposure_per_analyst_shift(rep, rep.items.started)
    assert np.allclose(np.sort(exposure) / 3600, [8, 8, 8, 8, 8])
    assert replication_metrics(scenario, rep)["exposure_hours_per_analyst_day"] == pytest.approx(8.0)


def test_police_unit_investigators_never_review_more_than_a_shift_a_day():
    # police-unit: 17.3 h cases on 7.5 h shifts read 17.6 h of review a day when each case
    # counted on the shift it started
    scenario = load_scenario(SCENARIOS / "police-unit.yaml", ["clock.horizon=90d"])
    rep = simulate_replication(scenario, 1, 0)
    items = rep.items
    investigation = items.started & (items.team == 1) & (items.start >= rep.warmup)
    exposure = exposure_per_analyst_shift(rep, investigation) / 3600
    assert len(rep.carried[1]) > 100
    assert exposure.max() <= 7.5 + 1e-9
    assert 3 < exposure.mean() <= 7.5
    # every piece of a case finished by the horizon adds up to its whole time
    pieces = rep.carried[1]
    done = np.unique(pieces["item"][np.isfinite(items.end[pieces["item"]]) & (items.end[pieces["item"]] <= rep.horizon)])
    total = np.bincount(pieces["item"], weights=pieces["seconds"], minlength=len(items))
    assert np.allclose(total[done], items.service[done])
