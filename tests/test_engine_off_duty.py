"""A team off duty is not moved: the compiled loop is not called for a team whose queue has
moved past the end of every shift on duty, and every number stays what it was when it was."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from capsim import engine
from capsim.engine import TeamQueue, simulate_replication
from capsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def run(scenario, monkeypatch, always_on_duty: bool):
    """One replication and how many times the compiled loop ran; with ``always_on_duty`` every
    team is moved at every decision point, as before teams off duty were skipped, and every
    shift's start is a decision point of its own (a roster process per team, as before the
    kernel started the shifts of teams without carry-over: TeamQueue.folded)."""
    calls = []

    def counted(loop):
        def call(*args):
            calls.append(1)
            return loop(*args)
        return call

    with monkeypatch.context() as patch:
        for loop in ("assign", "assign_through_shifts"):
            patch.setattr(engine, loop, counted(getattr(engine, loop)))
        if always_on_duty:
            patch.setattr(engine.Simulation, "_decision_points_free", lambda self: False)
            start_shift = TeamQueue.start_shift

            def never_off(self, *args):
                start_shift(self, *args)
                self.duty_end = np.inf

            patch.setattr(TeamQueue, "start_shift", never_off)
        return simulate_replication(scenario, 3, 1), len(calls)


@pytest.mark.parametrize("path, overrides", [
    ("scenarios/base.yaml", ["clock.horizon=42d"]),  # three teams, referrals, weekday rosters
    ("scenarios/police-unit.yaml", ["clock.horizon=42d"]),  # work carried over to the next shift
    ("docs/examples/hotline-rota.yaml", []),  # shift patterns that overlap, on-call cover for urgent items only
])
def test_skipping_teams_off_duty_changes_no_number(monkeypatch, path, overrides):
    scenario = load_scenario(ROOT / path, overrides)
    skipped, fewer = run(scenario, monkeypatch, always_on_duty=False)
    every, all_calls = run(scenario, monkeypatch, always_on_duty=True)
    assert fewer < all_calls  # some decision points found a team off duty
    for column in fields(every.items):
        assert np.array_equal(getattr(skipped.items, column.name), getattr(every.items, column.name)), column.name
    for name in ("ids", "start", "end", "in_hand", "left"):
        assert np.array_equal(getattr(skipped.runout, name), getattr(every.runout, name)), name
    assert (skipped.runout.stopped, skipped.runout.seconds) == (every.runout.stopped, every.runout.seconds)
    for a, b in zip(skipped.carried, every.carried):
        assert np.array_equal(a, b)
