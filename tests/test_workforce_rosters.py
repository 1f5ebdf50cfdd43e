"""Rosters as agencies run them: several shift patterns sharing a team's queues, on-call cover,
earliest-deadline order, public holidays, seasonal leave, part-time FTE, training, and mixed
priorities within one stream (issue 14, item 5)."""

from __future__ import annotations

import datetime as dt
import math

import holidays
import numpy as np
import pytest

from capsim import queueing
from capsim.engine import simulate_replication
from capsim.scenario import ScenarioError, load_scenario
from capsim.staff_notes import priority_conflicts, staff_lines, utilisation_line
from capsim.workforce import fte, headcount_fte, shift_plan
from tests.conftest import mmc, replicate
from tests.event_reference import DAY, simulate_rostered_team, weekday_shifts
from tests.test_theory import MEAN, served_waits, within_sampling_error

HOUR = 3600.0
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def two_patterns(**team) -> dict:
    """A hotline (runs start on Monday 1 January 2024) with an early (3 analysts, 07:00-15:00) and a
    late (2 analysts, 13:00-21:00) weekday pattern and a weekend rota (1 analyst, 08:00-20:00),
    overlapping at midday, sharing one queue of 20-minute reviews arriving at 9 an hour."""
    raw = {"name": "patterns", "clock": {"horizon": "28d", "start": "2024-01-01"},
           "priorities": ["urgent", "normal"],
           "demand": [{"stream": "reports", "unit": "report", "rate": "9/h", "priority": "normal"}],
           "review": {"report": {"dist": "exponential", "mean": "20min"}},
           "workforce": [{"team": "hotline", "shifts": [
               {"name": "early", "headcount": 3, "hours_per_day": 8, "start": "07:00"},
               {"name": "late", "headcount": 2, "hours_per_day": 8, "start": "13:00"},
               {"name": "weekend", "headcount": 1, "hours_per_day": 12, "days": ["sat", "sun"], "start": "08:00"}]}]}
    raw["workforce"][0].update(team)
    return raw


def reference_starts(rep, analyst_shifts, **kwargs) -> tuple[np.ndarray, np.ndarray]:
    """(engine, reference) start times of every item, the reference fed the engine's own arrivals,
    review times and priorities."""
    items = rep.items
    reference = simulate_rostered_team(items.arrival, items.service, items.priority.astype(int), analyst_shifts,
                                       rep.horizon, **kwargs)
    engine = np.where(items.start < rep.horizon, items.start, np.inf)
    return engine, reference


def test_two_shift_patterns_sharing_a_queue_agree_item_by_item_with_the_event_by_event_model():
    rep = simulate_replication(load_scenario(two_patterns()), 3, 0)
    early = weekday_shifts(28, 7, 8, {0, 1, 2, 3, 4})
    late = weekday_shifts(28, 13, 8, {0, 1, 2, 3, 4})
    weekend = weekday_shifts(28, 8, 12, {5, 6})
    engine, reference = reference_starts(rep, [early] * 3 + [late] * 2 + [weekend])
    assert len(engine) > 3000 and np.isfinite(engine).sum() > 2000
    assert np.array_equal(np.isfinite(engine), np.isfinite(reference))
    assert np.allclose(engine[np.isfinite(engine)], reference[np.isfinite(reference)], rtol=0, atol=1e-6)


def test_earliest_deadline_order_and_on_call_cover_agree_item_by_item_with_the_event_by_event_model():
    # urgent items (10%) are due in 4 h, normal ones in 24 h; an on-call analyst (18:00-07:00)
    # takes urgent items only. In earliest-deadline order a normal item that has waited 21 h
    # goes before an urgent one that has just arrived.
    raw = two_patterns(order="earliest_deadline")
    raw["demand"][0]["priority_mix"] = {"urgent": 0.1, "normal": 0.9}
    raw["demand"][0]["rate"] = "10/h"
    raw["workforce"][0]["shifts"].append({"name": "on-call", "headcount": 1, "hours_per_day": 13, "start": "18:00",
                                          "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                                          "serves": ["urgent"]})
    raw["sla"] = [{"priority": "urgent", "within": "4h", "target": 0.9}, {"priority": "normal", "within": "24h", "target": 0.9}]
    rep = simulate_replication(load_scenario(raw), 4, 0)
    early = weekday_shifts(28, 7, 8, {0, 1, 2, 3, 4})
    late = weekday_shifts(28, 13, 8, {0, 1, 2, 3, 4})
    weekend = weekday_shifts(28, 8, 12, {5, 6})
    on_call = weekday_shifts(28, 18, 13, set(range(7)))
    shifts = [early] * 3 + [late] * 2 + [weekend, on_call]
    serves = [{0, 1}] * 6 + [{0}]
    engine, reference = reference_starts(rep, shifts, due=[4 * HOUR, 24 * HOUR], serves=serves)
    assert np.array_equal(np.isfinite(engine), np.isfinite(reference))
    assert np.allclose(engine[np.isfinite(engine)], reference[np.isfinite(reference)], rtol=0, atol=1e-6)
    # the order matters here: strict priority (the same reference without due times) starts items otherwise
    strict = simulate_rostered_team(rep.items.arrival, rep.items.service, rep.items.priority.astype(int), shifts,
                                    rep.horizon, serves=serves)
    assert not np.allclose(np.where(np.isfinite(strict), strict, -1), np.where(np.isfinite(engine), engine, -1))
    # the on-call analyst (the last seat) only ever took urgent items
    on_call_items = rep.items.analyst == 6
    assert on_call_items.any() and (rep.items.priority[on_call_items] == 0).all()


def test_all_staff_on_one_round_the_clock_pattern_still_match_erlang_c():
    # 12 analysts in two 24/7 patterns of 6 (shifts starting together at midnight) are an M/M/12
    # queue: the same tolerance as tests/test_theory.py (4 standard errors, each under 3% of the value)
    pattern = {"hours_per_day": 24, "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "00:00"}
    raw = mmc(12, MEAN, 0.8, days=8)
    raw["workforce"] = [{"team": "analysts", "shifts": [{"name": "a", "headcount": 6, **pattern},
                                                        {"name": "b", "headcount": 6, **pattern}]}]
    reps = replicate(raw, replications=16, seed=11)
    lam = 0.8 * 12 / MEAN
    waits = [served_waits(r) for r in reps]
    within_sampling_error([w.mean() for w in waits], queueing.mmc_wait_mean(lam, MEAN, 12))
    within_sampling_error([(w > 0).mean() for w in waits], queueing.erlang_c(12, lam * MEAN))


def test_public_holidays_remove_exactly_the_dates_the_holidays_package_lists():
    raw = two_patterns()
    raw["clock"]["horizon"] = "366d"
    raw["workforce"][0]["shifts"][0]["public_holidays"] = {"country": "GB", "subdiv": "SCT"}
    scenario = load_scenario(raw)
    team = scenario.workforce[0]
    plan = shift_plan(team, scenario.clock, np.random.default_rng(1))
    early = plan.start[plan.pattern == 0]
    worked = {dt.date(2024, 1, 1) + dt.timedelta(days=int(s // DAY)) for s in early}
    listed = {d for d in holidays.country_holidays("GB", subdiv="SCT", years=2024) if d.weekday() < 5}
    weekdays = {dt.date(2024, 1, 1) + dt.timedelta(days=d) for d in range(366)
                if (dt.date(2024, 1, 1) + dt.timedelta(days=d)).weekday() < 5}
    assert len(listed) >= 8 and dt.date(2024, 1, 2) in listed  # Scotland's 2 January
    assert worked == weekdays - listed
    late = plan.start[plan.pattern == 1]  # the late pattern has no calendar: it works every weekday
    assert len(late) == len(weekdays)
    # rostered hours fall by exactly 8 h × 3 analysts per holiday on a weekday
    without = two_patterns()
    without["clock"]["horizon"] = "366d"
    plain = shift_plan(load_scenario(without).workforce[0], scenario.clock, np.random.default_rng(1))
    assert plain.available_seconds(0, 366 * DAY) - plan.available_seconds(0, 366 * DAY) == len(listed) * 3 * 8 * HOUR


def test_part_time_fte_sums_over_patterns_and_heads_differ_from_fte():
    raw = two_patterns()
    shifts = raw["workforce"][0]["shifts"]
    shifts[1]["fte"] = 0.5  # two half-time late analysts
    scenario = load_scenario(raw)
    team = scenario.workforce[0]
    # early 3 × 1 (40 h a week), late 2 × 0.5, weekend 1 × 24 h / 40 h = 0.6
    assert headcount_fte(team, team.headcount) == pytest.approx(3 + 1 + 0.6)
    assert headcount_fte(team, 8) == pytest.approx(5 + 1 + 0.6)  # hires go to the first pattern
    plan = shift_plan(team, scenario.clock, np.random.default_rng(0))
    assert fte(plan, 0, scenario.horizon) == pytest.approx(4.6)
    assert plan.headcount_at(np.array([0.0]))[0] == 6
    assert "6 analysts (4.6 FTE) at the start" in staff_lines(scenario)[0]


def test_seasonal_leave_takes_its_share_of_analysts_away_only_in_its_weeks():
    raw = two_patterns(leave=[{"start": "2024-01-08", "end": "2024-01-21", "share": 0.4}])
    raw["workforce"][0]["headcount"] = 6
    raw["clock"]["horizon"] = "364d"
    for pattern in raw["workforce"][0]["shifts"]:
        pattern["headcount"] *= 20
    raw["workforce"][0]["headcount"] = 120
    scenario = load_scenario(raw)
    plan = shift_plan(scenario.workforce[0], scenario.clock, np.random.default_rng(5))
    day = plan.start // DAY
    inside = (day >= 7) & (day <= 20)
    away = 1 - plan.present.sum(axis=1) / plan.in_post.sum(axis=1)
    assert (away[~inside] == 0).all()
    # 14 days of shifts: about 14 × (60 + 40 weekday or 20 weekend analysts) analyst-shifts, so the
    # share away has a binomial SE below 1.6 points; 4 SE
    assert abs(away[inside].mean() - 0.4) < 4 * math.sqrt(0.4 * 0.6 / (plan.in_post[inside].sum()))


def test_training_means_zero_output_and_takes_mentor_hours_from_the_team():
    raw = two_patterns(ramp={"training_weeks": 2, "mentor_hours": 5},
                       changes=[{"date": "2024-01-08", "headcount": 7}])
    scenario = load_scenario(raw)
    plan = shift_plan(scenario.workforce[0], scenario.clock, np.random.default_rng(0))
    hire = 3  # the new seat of the early pattern (columns 0-2 were there from the start)
    starts = plan.start[plan.pattern == 0]
    rows = np.flatnonzero(plan.pattern == 0)
    training = rows[(starts >= 7 * DAY) & (starts < 21 * DAY)]
    assert plan.in_post[training, hire].all() and not plan.present[training, hire].any()
    assert plan.present[rows[starts >= 21 * DAY], hire].all()
    # 5 h a week over the pattern's 5 shifts, shared by the 3 present early analysts
    assert plan.busy[training][:, :3] == pytest.approx(np.full((len(training), 3), HOUR / 3))
    assert plan.busy[rows[starts >= 21 * DAY]].sum() == 0
    rep = simulate_replication(scenario, 1, 0)
    assert not (rep.items.analyst[rep.items.start < 21 * DAY] == hire).any()


def test_mixed_priorities_within_one_stream_have_their_shares():
    raw = two_patterns()
    raw["demand"][0]["priority_mix"] = {"urgent": 0.1, "normal": 0.9}
    rep = simulate_replication(load_scenario(raw), 9, 0)
    n = len(rep.items.priority)
    share = (rep.items.priority == 0).mean()
    # each item urgent with probability 0.1 independently: binomial SE sqrt(0.1 × 0.9 / n) ≈ 0.5
    # points at n ≈ 6000; 4 SE
    assert n > 5000 and abs(share - 0.1) < 4 * math.sqrt(0.09 / n)


@pytest.mark.parametrize("change, message", [
    ({"shifts": [{"name": "a", "headcount": 2}, {"name": "b", "headcount": 4}], "headcount": 3},
     "headcount 3 is fewer than the 4 analysts on the patterns after the first"),
    ({"shifts": [{"name": "a", "headcount": 2}], "roster": "24/7"}, "either roster"),
    ({"shifts": [{"name": "a", "headcount": 2, "public_holidays": "XX"}]}, "not a country code"),
    ({"shifts": [{"name": "a", "headcount": 2, "public_holidays": {"country": "GB", "subdiv": "XYZ"}}]},
     "not a region of GB"),
    ({"shifts": [{"name": "a", "headcount": 2, "serves": ["critical"]}]}, "serves: 'critical' is not one of"),
    ({"shifts": [{"name": "a", "headcount": 2, "shift": 3}]}, "unknown key 'shift'"),
    ({"order": "fifo"}, "order"),
])
def test_bad_rosters_are_named_clearly(change, message):
    raw = two_patterns()
    team = raw["workforce"][0]
    team.pop("shifts")
    team.update({"headcount": 2, **change})
    with pytest.raises(ScenarioError, match=message.replace("(", r"\(")):
        load_scenario(raw)


def test_priority_mix_must_add_up_and_name_priorities():
    raw = two_patterns()
    raw["demand"][0]["priority_mix"] = {"urgent": 0.2, "normal": 0.7}
    with pytest.raises(ScenarioError, match="add up to 0.9"):
        load_scenario(raw)
    raw["demand"][0]["priority_mix"] = {"critical": 0.1, "normal": 0.9}
    with pytest.raises(ScenarioError, match="priority_mix.critical"):
        load_scenario(raw)


def test_a_missed_sla_beside_one_met_with_slack_is_explained_with_the_other_order():
    raw = two_patterns()
    raw["sla"] = [{"priority": "urgent", "within": "24h", "target": 0.95},
                  {"priority": "normal", "within": "72h", "target": 0.9}]
    scenario = load_scenario(raw)
    lines = priority_conflicts(scenario, {"sla_urgent": 0.999, "sla_normal": 0.6})
    assert len(lines) == 1 and "earliest_deadline" in lines[0]
    # each SLA as every table names it, its deadline too (72 h, not "3 days" beside "24 h")
    assert "normal-priority reports within 72 h miss their target (60.0% against 90%)" in lines[0]
    assert "urgent referrals within 24 h, served first, beat theirs with slack (99.9% against 95%)" in lines[0]
    assert priority_conflicts(scenario, {"sla_urgent": 0.999, "sla_normal": 0.95}) == []
    assert priority_conflicts(scenario, {"sla_urgent": 0.999, "sla_normal": 0.6}, team="hotline") == lines
    assert priority_conflicts(scenario, {"sla_urgent": 0.95, "sla_normal": 0.6}) == []  # no slack to give
    assert priority_conflicts(load_scenario(two_patterns(order="earliest_deadline") | {"sla": raw["sla"]}),
                              {"sla_urgent": 0.999, "sla_normal": 0.6}) == []


def test_utilisation_is_worded_against_usable_and_rostered_hours():
    line = utilisation_line(load_scenario(two_patterns(exposure_cap="4h")), (0.39, 0.38, 0.40), (0.93, 0.92, 0.94))
    assert "39.0% (95% CI 38.0% to 40.0%) of their rostered hours" in line and "not idle" in line
    assert "93.0% (95% CI 92.0% to 94.0%) of their usable hours" in line


def test_run_prints_heads_fte_and_utilisation_in_words(tmp_path):
    import yaml
    from typer.testing import CliRunner

    from capsim.cli import app

    raw = two_patterns(exposure_cap="4h")  # a cap: the usable hours differ from the rostered
    raw["clock"]["horizon"] = "14d"
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(raw))
    result = CliRunner().invoke(app, ["run", str(path), "--replications", "2", "--no-report", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "hotline: 6 analysts (5.6 FTE) at the start" in result.output
    assert "of their usable hours" in result.output and "not idle time" in result.output


def test_exposure_is_counted_per_analyst_on_their_own_pattern_s_shifts():
    # the early analysts (07:00-15:00) work on past the late shift's start (13:00): their review
    # after 13:00 belongs to their own shift, not to a new one
    from capsim.metrics import exposure_per_analyst_shift

    rep = simulate_replication(load_scenario(two_patterns(exposure_cap="4h/day")), 3, 0)
    items = rep.items
    worked = items.started
    windows = ([weekday_shifts(28, 7, 8, {0, 1, 2, 3, 4})] * 3 + [weekday_shifts(28, 13, 8, {0, 1, 2, 3, 4})] * 2
               + [weekday_shifts(28, 8, 12, {5, 6})])
    expected = []
    for a, shifts in enumerate(windows):
        for begin, end in shifts:
            mine = worked & (items.analyst == a) & (items.start >= begin) & (items.start < end)
            if mine.any():
                expected.append(items.service[mine].sum())
    got = exposure_per_analyst_shift(rep, worked)
    assert np.allclose(np.sort(got), np.sort(expected))
    assert got.max() <= 4 * HOUR + items.service.max()


def test_a_plan_yaml_total_headcount_goes_to_the_first_pattern(tmp_path):
    # capsim staff writes the team's total headcount and changes (plan.yaml); merged into a
    # scenario with shifts, the difference from the patterns' sum is the first pattern's
    import yaml

    base = tmp_path / "patterns.yaml"
    base.write_text(yaml.safe_dump(two_patterns()))
    plan = tmp_path / "planned.yaml"
    plan.write_text(yaml.safe_dump({"extends": str(base), "name": "planned", "workforce": [
        {"team": "hotline", "headcount": 8, "changes": [{"date": "2024-01-15", "headcount": 10}]}]}))
    scenario = load_scenario(plan)
    team = scenario.workforce[0]
    shifts = shift_plan(team, scenario.clock, np.random.default_rng(0))
    assert list(np.diff(shifts.bounds)) == [7, 2, 1]  # early: 5 from the start, 7 from 15 January
    assert shifts.headcount_at(np.array([0.0, 15 * DAY]))[0:2].tolist() == [8, 10]
    assert headcount_fte(team, 10) == pytest.approx(7 + 2 + 0.6)
    assert "early 5 × 1 FTE" in staff_lines(scenario)[0]


def test_earliest_deadline_order_gives_normal_items_the_slack_strict_priority_gives_urgent_ones():
    # 3.6 reports an hour (30% urgent, due in 30 h; the rest due in 40 h) at 90% of the usable
    # hours: strict priority meets every urgent SLA and misses the normal one (89%), and says so;
    # earliest-deadline order, on the same arrivals (common random numbers), lifts normal items by
    # about 9 points in each replication while urgent ones stay above their 90% target
    from capsim.metrics import replication_metrics

    results = {}
    for order in ("strict_priority", "earliest_deadline"):
        raw = two_patterns(order=order)
        raw["clock"] = {"horizon": "91d", "warmup": "14d", "start": "2024-01-01"}
        raw["demand"][0].update(rate="3.6/h", priority_mix={"urgent": 0.3, "normal": 0.7})
        raw["sla"] = [{"priority": "urgent", "within": "30h", "target": 0.9},
                      {"priority": "normal", "within": "40h", "target": 0.9}]
        scenario = load_scenario(raw)
        results[order] = [replication_metrics(scenario, simulate_replication(scenario, 5, r)) for r in range(4)]
    strict, edf = results["strict_priority"], results["earliest_deadline"]
    for s, e in zip(strict, edf):
        assert e["sla_normal"] >= s["sla_normal"] + 0.05
        assert e["sla_urgent"] >= 0.9 and s["sla_urgent"] >= e["sla_urgent"]
    means = {k: float(np.mean([m[k] for m in strict])) for k in ("sla_urgent", "sla_normal")}
    assert means["sla_normal"] < 0.9 < means["sla_urgent"]
    assert priority_conflicts(scenario.model_copy(update={"workforce": [
        scenario.workforce[0].model_copy(update={"order": "strict_priority"})]}), means)
