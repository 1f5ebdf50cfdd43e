"""A team whose work never carries over a shift's end needs no decision point at its shifts'
starts: the compiled loop brings each shift on duty on its way (kernel.assign_through_shifts,
TeamQueue.folded), every decision before the shift's start first, as a roster process per team
did. Every number is the same, bit for bit, as with a decision point at every shift's start —
where the results cannot depend on which decision points there are: at most one referral, and
one unit it can carry (Simulation._decision_points_free). Elsewhere every team keeps its roster
process, and the rule is needed: folded anyway, such a scenario's rows come out otherwise."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from capsim.engine import Simulation, simulate_replication
from capsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def replicate(scenario, monkeypatch, folded: bool | None):
    """One replication (seed 5, replication 2); ``folded`` False: every team's shifts started by
    a roster process, True: by the kernel wherever there is no carry-over, None: as capsim decides."""
    with monkeypatch.context() as patch:
        if folded is not None:
            patch.setattr(Simulation, "_decision_points_free", lambda self: folded)
        return simulate_replication(scenario, 5, 2)


def differences(a, b) -> list[str]:
    """What differs between two replications: item columns, the run-out, carried work, shifts."""
    named = [f.name for f in fields(a.items) if not np.array_equal(getattr(a.items, f.name), getattr(b.items, f.name))]
    named += [n for n in ("ids", "start", "end", "in_hand", "left")
              if not np.array_equal(getattr(a.runout, n), getattr(b.runout, n))]
    if (a.runout.stopped, a.runout.seconds) != (b.runout.stopped, b.runout.seconds):
        named.append("run-out length")
    named += ["carried"] * any(not np.array_equal(x, y) for x, y in zip(a.carried, b.carried))
    named += ["shifts"] * any(not np.array_equal(x.start, y.start) for x, y in zip(a.shifts, b.shifts))
    return named


def one_referral_around_the_clock() -> dict:
    """Two teams on 24/7 rosters of three 8-hour shifts (one starting at midnight, with the daily
    arrivals), the first overloaded, so that the run-out extends the rosters; half its criminal
    items go on to the second, whose earliest-deadline order serves an SLA."""
    return {
        "name": "around-the-clock",
        "clock": {"horizon": "21d", "warmup": "2d", "step": "1h"},
        "priorities": ["urgent", "normal"],
        "demand": [{"stream": "reports", "unit": "report", "rate": "2600/day", "team": "hotline",
                    "priority_mix": {"urgent": 0.2, "normal": 0.8}, "mix": {"criminal": 0.6}}],
        "review": {"report": {"dist": "lognormal", "mean": "90s", "cv": 1.0}},
        "workforce": [
            {"team": "hotline", "headcount": 9, "shrinkage": 0.2, "exposure_cap": "5h/day",
             "shifts": [{"name": "night", "start": "00:00", "hours_per_day": 8, "headcount": 3},
                        {"name": "early", "start": "08:00", "hours_per_day": 8, "headcount": 3},
                        {"name": "late", "start": "16:00", "hours_per_day": 8, "headcount": 3}]},
            {"team": "police", "headcount": 2, "roster": "24/7", "order": "earliest_deadline",
             "task_time": {"dist": "exponential", "mean": "4min"}},
        ],
        "routing": [{"from": "hotline", "to": "police", "when": {"criminal": True}, "share": 0.5}],
        "sla": [{"priority": "urgent", "within": "24h", "target": 0.9}],
    }


CASES = {
    "base: three teams, one referral, weekday rosters": (ROOT / "scenarios/base.yaml", ["clock.horizon=60d"]),
    "base overloaded: a run-out that extends the rosters": (
        ROOT / "scenarios/base.yaml", ["clock.horizon=45d", "workforce.analysts.headcount=5"]),
    "shift patterns that overlap, on-call cover for urgent items": (ROOT / "docs/examples/hotline-rota.yaml", []),
    "hires ramping up, attrition": (ROOT / "docs/examples/hotline-growing.yaml", ["clock.horizon=200d"]),
    "24/7 shifts starting with the daily arrivals, a share referred": (one_referral_around_the_clock(), []),
}


@pytest.mark.parametrize("case", CASES)
def test_the_kernel_starting_the_shifts_changes_no_number(case, monkeypatch):
    source, overrides = CASES[case]
    scenario = load_scenario(source, overrides)
    assert all(team.folded for team in Simulation(scenario, 5, 2).teams)
    folded = replicate(scenario, monkeypatch, None)
    assert folded.runout.stopped > folded.horizon  # the run-out ran (rosters extended for it)
    assert differences(folded, replicate(scenario, monkeypatch, False)) == []


def test_a_team_carrying_work_over_keeps_its_roster_and_the_others_are_folded(monkeypatch):
    scenario = load_scenario(ROOT / "scenarios/police-unit.yaml", ["clock.horizon=42d"])
    teams = Simulation(scenario, 5, 2).teams
    assert [team.carry_over for team in teams] == [not team.folded for team in teams]
    assert any(team.carry_over for team in teams) and any(team.folded for team in teams)
    assert differences(replicate(scenario, monkeypatch, None), replicate(scenario, monkeypatch, False)) == []


@pytest.mark.parametrize("why, scenario", [
    ("two referrals, whose rows interleave by decision point",  # base's, and a share of AI reports to the graders
     load_scenario(ROOT / "scenarios/base.yaml", ["clock.horizon=30d", "routing=[{from: analysts, to: victim_id, "
                   "when: {criminal: true, known: false}}, {from: analysts, to: graders, when: {ai_generated: true}, "
                   "share: 0.3}]"])),
    ("one referral carrying reports and videos, whose times are drawn unit by unit at each decision point",
     load_scenario(ROOT / "scenarios/growth-videos.yaml", ["clock.horizon=40d", "clock.warmup=0d"])),
])
def test_where_decision_points_matter_every_team_keeps_its_roster(why, scenario, monkeypatch):
    assert not any(team.folded for team in Simulation(scenario, 5, 2).teams), why
    as_decided = replicate(scenario, monkeypatch, None)
    assert differences(as_decided, replicate(scenario, monkeypatch, False)) == []
    assert differences(as_decided, replicate(scenario, monkeypatch, True)) != []  # folded anyway: not the same
