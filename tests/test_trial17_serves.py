"""Trial 17: a shift-pattern team where no pattern serves a priority its streams send was not caught:
`validate` said valid, `run` gave sla_normal 0%, and `capsim staff` said "not met even at 20 analysts;
raise --max", though hires join the first pattern, which serves urgent only.

* scenario_warnings names the key, the team, the priorities no pattern serves, what sends them
  (streams, referrals, the classifier's queues) and what to set.
* The staffing plan says no headcount can meet such an SLA and why, and plans for the SLAs a
  headcount can meet; it never says "raise --max" for them.
"""

from __future__ import annotations

import copy

import pytest

from capsim.scenario import scenario_warnings, validate
from capsim.staffing import solve_staffing

ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
BASE = {
    "name": "serves",
    "clock": {"horizon": "56d", "step": "7d"},
    "priorities": ["urgent", "normal", "low"],
    "demand": [{"stream": "public", "unit": "report", "rate": "60/day",
                "priority_mix": {"urgent": 0.2, "normal": 0.8}, "team": "triage", "mix": {"criminal": 0.5}}],
    "review": {"report": {"dist": "deterministic", "mean": "6min"}},
    "workforce": [
        {"team": "triage", "shifts": [{"name": "on-call", "headcount": 2, "hours_per_day": 24, "days": ALL_DAYS,
                                       "start": "00:00", "serves": ["urgent"]}]},
        {"team": "grading", "headcount": 2},
    ],
    "routing": [{"from": "triage", "to": "grading", "when": {"criminal": True}, "priority": "low"}],
    "sla": [{"priority": "urgent", "within": "24h", "target": 0.9},
            {"priority": "normal", "within": "72h", "target": 0.9}],
    "experiment": {"replications": 2, "seed": 3},
}


def scenario(change=lambda raw: None):
    raw = copy.deepcopy(BASE)
    change(raw)
    return validate(raw)


def test_a_priority_no_pattern_serves_is_a_warning_naming_key_team_senders_and_remedy():
    assert scenario_warnings(scenario()) == [
        "workforce.triage.shifts.0.serves: team 'triage' receives normal items (from stream 'public') but no "
        "shift pattern serves normal (on-call serves urgent only): those items are never reviewed and wait to "
        "the end of the run, whatever the headcount; add normal to its serves (serves: [urgent, normal]), or "
        "leave serves out (the pattern then serves every priority)"]


def test_referrals_and_several_patterns_are_named():
    def grading_on_call(raw):
        raw["workforce"][0]["shifts"][0]["serves"] = ["urgent", "normal"]
        raw["workforce"][1] = {"team": "grading", "shifts": [
            {"name": "day", "headcount": 2, "serves": ["urgent"]},
            {"name": "night", "headcount": 1, "start": "21:00", "hours_per_day": 8, "serves": ["urgent", "normal"]}]}
    assert scenario_warnings(scenario(grading_on_call)) == [
        "workforce.grading.shifts: team 'grading' receives low items (from referrals from 'triage') but no shift "
        "pattern serves low (day serves urgent only; night serves urgent, normal only): those items are never "
        "reviewed and wait to the end of the run, whatever the headcount; add low to a pattern's serves, or leave "
        "serves out of one (it then serves every priority)"]


def test_no_warning_where_a_pattern_serves_every_priority():
    def open_pattern(raw):
        raw["workforce"][0]["shifts"].append({"name": "day", "headcount": 1})
    assert scenario_warnings(scenario(open_pattern)) == []


def test_a_zero_share_of_a_priority_mix_sends_nothing():
    def zero_normal(raw):
        raw["demand"][0]["priority_mix"] = {"urgent": 1.0, "normal": 0.0}
    assert scenario_warnings(scenario(zero_normal)) == []


@pytest.fixture(scope="module")
def plan():
    return solve_staffing(scenario(), "triage", period="month", replications=2, seed=3, max_headcount=6)


def test_the_plan_says_no_headcount_serves_it_and_plans_for_the_rest(plan):
    first = plan.periods[0]
    assert "raise --max" not in first.note
    assert ("no shift pattern of team triage serves normal (on-call serves urgent only), so the team's normal-priority "
            "reports are never assessed and no headcount can meet the target for normal-priority reports within "
            "72 h: hires join on-call; add normal to a pattern's serves (workforce.triage.shifts), or leave serves "
            "out of one (it then serves every priority)") in first.note
    assert "normal" in first.left_out and "urgent" not in first.left_out
    assert first.needed is not None  # planned for the urgent SLA, which a headcount can meet


def test_the_note_on_a_team_held_back_does_not_offer_more_analysts_where_none_would_serve():
    """grading is fed by triage, which never reviews its normal items: "If team triage catches up (more
    analysts there, or a plan for it)" would point at hiring, which changes nothing."""
    from capsim.held_back import held_back_notes

    s = scenario()
    shares = {"sla_urgent_triage": 0.95, "sla_normal_triage": 0.0, "backlog_end_triage": 900.0}
    notes = held_back_notes(s, lambda name: shares.get(name, float("nan")))
    assert len(notes) == 1 and "If team triage catches up (a shift pattern serving normal: none does, so more " \
        "analysts alone cannot), team grading receives more work" in notes[0], notes


def test_a_priority_that_the_stream_s_priority_mix_overrides_is_named():
    """A stream giving both reads as if its priority mattered; the report listed it among the assumptions."""
    def both(raw):
        raw["demand"][0]["priority"] = "urgent"

    assert "demand.public.priority: 'urgent' is not used: priority_mix draws each item's priority; remove " \
        "priority (or priority_mix)" in scenario_warnings(scenario(both))
    assert not any("is not used" in line for line in scenario_warnings(scenario()))


def test_the_plan_keeps_why_a_target_no_pattern_serves_is_left_out():
    """The report's "What it would take" reads the plan's reasons (staffing.roster_limits): a priority no
    shift pattern serves is one of them, not only the roster's hours (review of trial 17's fixes)."""
    from capsim.staffing import roster_limits

    plan = solve_staffing(scenario(), "triage", period="month", replications=2, seed=1)
    assert all(p.left_out == ("normal",) for p in plan.periods)
    (limit,) = roster_limits(plan)
    assert limit.priorities == ("normal",) and limit.periods == tuple(range(len(plan.periods)))
    assert limit.reason.startswith("no shift pattern of team triage serves normal (on-call serves urgent only)")
    assert all(p.note.startswith(limit.reason) for p in plan.periods)
