"""Staffing: Erlang C / Erlang A estimates pinned to published values and exact forms, and the
simulation solver pinned to Erlang C and to its own promise (its plan meets the SLAs)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from capsim.engine import simulate_replication
from tests.test_queueing import erlang_c_exact
from capsim.queueing import erlang_a, erlang_c
from capsim.scenario import load_scenario
from capsim.staffing import (
    _erlang_a_state,
    erlang_a_service_level,
    erlang_a_staffing,
    erlang_c_service_level,
    erlang_c_staffing,
    period_attainment,
    plan_periods,
    solve_staffing,
)

# =========================================================================== Erlang C


def test_erlang_c_call_centre_helper_example_as_published_by_pyworkforce():
    # The Call Centre Helper worked example (100 calls per 30 min, AHT 3 min, 80% answered
    # within 20 s, max occupancy 85%, shrinkage 30%), solved in pyworkforce's documentation,
    # docs/tutorials/erlangc_example.rst (github.com/rodrigo-arenas/pyworkforce):
    # {'raw_positions': 14, 'positions': 20, 'service_level': 0.888, 'occupancy': 0.714,
    #  'waiting_probability': 0.174}. Times in minutes.
    r = erlang_c_staffing(100 / 30, 3.0, target=0.8, within=20 / 60, max_occupancy=0.85, shrinkage=0.3)
    assert r.agents == 14 and r.rostered == 20
    assert round(r.service_level, 3) == 0.888
    assert round(r.occupancy, 3) == 0.714
    assert round(r.p_wait, 3) == 0.174
    # in seconds the answer is the same (units only need to be consistent)
    assert erlang_c_staffing(100 / 1800, 180.0, target=0.8, within=20.0, max_occupancy=0.85, shrinkage=0.3).rostered == 20


def test_erlang_c_360_calls_per_half_hour_needs_54_agents_or_57_with_an_occupancy_cap():
    # 360 calls per half hour of 240 s: a = 48 Erlangs. Checked against the exact closed form
    # SL(c) = 1 - C(c, a) exp(-(c - a) T / AHT) with C in exact rationals: 53 agents answer
    # 75.2% within 20 s, 54 answer 81.7%, so 54 is the smallest for 80/20; an 85% occupancy
    # cap needs 48 / 0.85 = 56.5, so 57.
    def sl(c: int) -> float:
        return 1 - float(erlang_c_exact(c, Fraction(48))) * math.exp(-(c - 48) * 20 / 240)

    assert sl(53) < 0.8 <= sl(54)
    r = erlang_c_staffing(0.2, 240.0, target=0.8, within=20.0)
    assert r.agents == 54 and r.service_level == pytest.approx(sl(54), rel=1e-12)
    capped = erlang_c_staffing(0.2, 240.0, target=0.8, within=20.0, max_occupancy=0.85)
    assert (capped.agents_for_service, capped.agents_for_occupancy, capped.agents) == (54, 57, 57)
    # a mean-wait target: Wq = C / (c mu - lambda) <= 10 s
    waited = erlang_c_staffing(0.2, 240.0, max_wait_mean=10.0)
    c = waited.agents
    assert float(erlang_c_exact(c, Fraction(48))) * 240 / (c - 48) <= 10.0 < \
        float(erlang_c_exact(c - 1, Fraction(48))) * 240 / (c - 1 - 48)


def test_service_level_until_the_end_of_review_has_the_exact_m_m_1_sojourn():
    # M/M/1: the time in system is exponential with rate mu - lambda
    lam, es, t = 0.7, 1.0, 2.0
    assert erlang_c_service_level(lam, es, 1, t, until="end") == pytest.approx(1 - math.exp(-(1 - lam) * t), rel=1e-13)
    # c mu - lambda = mu: the Erlang-2 special case, P(W+S > t) = (1 - C) e^{-t} + C (1 + t) e^{-t}
    c, lam = 3, 2.0
    cc = erlang_c(c, lam)
    expected = 1 - ((1 - cc) * math.exp(-t) + cc * (1 + t) * math.exp(-t))
    assert erlang_c_service_level(lam, 1.0, c, t, until="end") == pytest.approx(expected, rel=1e-12)


def test_erlang_c_is_stable_for_hundreds_of_agents():
    r = erlang_c_staffing(2.0, 240.0, target=0.9, within=20.0, shrinkage=0.25)  # 480 Erlangs
    assert 480 < r.agents < 520 and math.isfinite(r.service_level) and r.service_level >= 0.9
    assert erlang_c_service_level(2.0, 240.0, r.agents - 1, 20.0) < 0.9
    assert r.rostered == math.ceil(r.agents / 0.75)


@pytest.mark.parametrize("agents", [48, 40])
def test_erlang_c_refuses_a_load_at_or_above_capacity(agents):
    with pytest.raises(ValueError, match=r"at or above capacity.*simulation"):
        erlang_c_service_level(0.2, 240.0, agents, 20.0)
    with pytest.raises(ValueError, match=r"at or above capacity.*simulation"):
        erlang_c_staffing(0.2, 240.0, target=0.8, within=20.0, max_agents=agents)


def test_bad_targets_are_refused():
    with pytest.raises(ValueError, match="target and within together"):
        erlang_c_staffing(1.0, 1.0, target=0.8)
    with pytest.raises(ValueError, match="shrinkage"):
        erlang_c_staffing(1.0, 1.0, target=0.8, within=1.0, shrinkage=1.0)
    with pytest.raises(ValueError, match="max_occupancy"):
        erlang_c_staffing(1.0, 1.0, target=0.8, within=1.0, max_occupancy=0)


# =========================================================================== Erlang A


def test_erlang_a_example_as_published_by_pyworkforce():
    # pyworkforce docs/guide/erlanga.md: 100 transactions per 30 min, AHT 3, target answer
    # time 20/60, patience 5 (minutes), shrinkage 0.3; required_positions(service_level=0.8,
    # max_occupancy=0.85, max_abandonment=0.05) gives raw_positions 13, positions 19,
    # service_level 0.858..., occupancy 0.750..., abandonment_probability 0.025...,
    # waiting_probability 0.226..., average_speed_of_answer 0.125... (= Lq / lambda).
    r = erlang_a_staffing(100 / 30, 3.0, 5.0, target=0.8, within=20 / 60, max_occupancy=0.85,
                          max_abandon=0.05, shrinkage=0.3)
    assert (r.agents, r.rostered) == (13, 19)
    assert round(r.service_level, 3) == 0.858
    assert round(r.occupancy, 3) == 0.750
    assert round(r.p_abandon, 3) == 0.025
    assert round(r.p_wait, 3) == 0.226
    assert round(erlang_a(100 / 30, 3.0, 13, 5.0).wait_mean_all, 3) == 0.125


def test_erlang_a_fourteen_agents_as_published_by_pyworkforce():
    # pyworkforce/queuing/tests/test_abandonment.py, same queue with 14 positions, to the
    # digits given there: waiting 0.14526, abandonment 0.013984, occupancy 0.704297,
    # average speed of answer 0.069919, service level 0.916792. pyworkforce computes the
    # service level by uniformization; capsim by the tagged customer's exponentially
    # tilted chain and a sparse matrix exponential: two methods, one answer.
    s = _erlang_a_state(100 / 30, 3.0, 14, 5.0)
    assert round(s.p_wait, 5) == 0.14526
    assert round(s.p_abandon, 6) == 0.013984
    assert round(s.occupancy, 6) == 0.704297
    assert round(erlang_a(100 / 30, 3.0, 14, 5.0).wait_mean_all, 6) == 0.069919
    assert round(erlang_a_service_level(100 / 30, 3.0, 14, 5.0, 20 / 60), 6) == 0.916792


def test_erlang_a_tends_to_erlang_c_for_patient_customers():
    lam, es, c, t = 8.0, 1.0, 10, 0.5
    for until in ("start", "end"):
        assert erlang_a_service_level(lam, es, c, 1e9, t, until) == pytest.approx(
            erlang_c_service_level(lam, es, c, t, until), abs=1e-7)


def test_erlang_a_is_stable_overloaded_and_for_hundreds_of_agents():
    # above capacity Erlang A still has a steady state (abandonment bounds the queue)
    assert 0 < erlang_a_service_level(600.0, 1.0, 500, 0.5, 0.1) < 1
    r = erlang_a_staffing(480.0, 1.0, 2.0, target=0.9, within=0.05, max_abandon=0.02)
    assert 450 < r.agents < 560 and r.p_abandon <= 0.02 and r.service_level >= 0.9
    assert erlang_a_service_level(480.0, 1.0, r.agents - 1, 2.0, 0.05) < 0.9 or \
        _erlang_a_state(480.0, 1.0, r.agents - 1, 2.0).p_abandon > 0.02


# =========================================================================== the simulation solver


def mmc(target: float, days: int = 30, **extra) -> dict:
    """M/M/c: 80 an hour, 600 s exponential reviews (13.3 Erlangs), a round-the-clock roster,
    an SLA on time to the end of assessment of 20 minutes."""
    raw = {
        "name": "mmc", "clock": {"horizon": f"{days}d", "warmup": "1d", "step": "1h"},
        "demand": [{"stream": "items", "unit": "image", "rate": "80/h", "priority": "normal"}],
        "review": {"image": {"dist": "exponential", "mean": "600s"}},
        "workforce": [{"team": "analysts", "headcount": 12, "roster": "24/7"}],
        "sla": [{"priority": "normal", "within": "1200s", "target": target}],
        "experiment": {"replications": 10, "seed": 7},
    }
    raw.update(extra)
    return raw


def erlang_answer(target: float) -> int:
    return erlang_c_staffing(80 / 3600, 600.0, target=target, within=1200.0, until="end").agents


def test_solver_agrees_with_erlang_c_on_a_stationary_m_m_c_queue():
    # Erlang C (until the end of review): 14 agents reach 55.6% within 20 min, 15 reach 78.0%.
    # With the target at 72% the answer sits clear of both (replications of 29 days vary by
    # about 1 point), and the solver finds it.
    assert erlang_answer(0.72) == 15
    plan = solve_staffing(load_scenario(mmc(0.72)), period="year", confidence=0.9)
    (only,) = plan.periods
    assert only.met and only.headcount == 15
    assert np.mean(only.evaluation.sla["normal"]) == pytest.approx(
        erlang_c_service_level(80 / 3600, 600.0, 15, 1200.0, until="end"), abs=0.03)
    assert plan.evaluations <= 4  # bracketed from the Erlang estimate, not every headcount


def test_solver_is_one_above_erlang_c_when_the_target_sits_on_erlang_cs_mean():
    # With the target at 78%, Erlang C's 15 agents give 78.01% *on average*: about half the
    # replications fall short, so meeting the SLA in 90% of replications takes one more.
    assert erlang_answer(0.78) == 15
    assert erlang_c_service_level(80 / 3600, 600.0, 15, 1200.0, until="end") - 0.78 < 2e-4
    plan = solve_staffing(load_scenario(mmc(0.78)), period="year", confidence=0.9)
    (only,) = plan.periods
    assert only.headcount == 16
    fifteen = plan.tried[0][15]  # the search ran 15 and saw it fail
    assert 0.1 <= fifteen.share_met < 0.9
    assert np.mean(fifteen.sla["normal"]) == pytest.approx(0.78, abs=0.02)


GROWING = {
    "name": "grow", "clock": {"horizon": "182d", "warmup": "7d", "step": "1d", "start": "2024-01-01"},
    "demand": [{"stream": "items", "rate": "30/h", "growth": {"model": "linear", "increase_per_year": 1.0}}],
    "review": {"image": {"dist": "exponential", "mean": "600s"}},
    "workforce": [{"team": "analysts", "headcount": 6, "roster": "24/7", "attrition": 0.2,
                   "hiring": {"lead_time": "30d"}, "ramp": {"weeks": 4, "start": 0.5}}],
    "sla": [{"priority": "normal", "within": "1h", "target": 0.9}],
    "experiment": {"replications": 10, "seed": 11},
}


def test_the_plan_meets_its_sla_when_resimulated_with_fresh_seeds():
    confidence = 0.8
    plan = solve_staffing(load_scenario(GROWING), period="quarter", confidence=confidence)
    assert [p.met for p in plan.periods] == [True, True]
    assert plan.periods[1].headcount >= plan.periods[0].headcount  # demand grows
    # hire-by date: the period's first day minus the 30-day lead time and the 4-week training ramp
    for p in plan.periods[1:]:
        if p.change > 0:
            assert (p.period.first - p.hire_by).days == 30 + 28
    fresh = plan.scenario_with_plan()
    n = 30
    reps = [simulate_replication(fresh, 424242, r) for r in range(n)]
    for p in plan.periods:
        attained = np.array([period_attainment(fresh, rep, p.period.t0, p.period.t1)["normal"] for rep in reps])
        share = float((attained >= 0.9).mean())
        # the solver chose the smallest headcount whose sample share reached the confidence,
        # so on fresh seeds the share is the confidence less sampling error (3 sd of a binomial share)
        assert share >= confidence - 3 * math.sqrt(confidence * (1 - confidence) / n), (p.period.first, share)


WEEKDAYS = {
    "name": "weekdays", "clock": {"horizon": "56d", "step": "1d", "start": "2024-01-01"},
    "demand": [{"stream": "items", "rate": "200/day"}],
    "review": {"image": {"dist": "exponential", "mean": "60s"}},
    "workforce": [{"team": "analysts", "headcount": 2, "roster": {"hours_per_day": 8, "start": "09:00"}}],
    "sla": [{"priority": "normal", "within": "24h", "target": 0.9}],
    "experiment": {"replications": 3, "seed": 5},
}


def test_an_sla_shorter_than_the_weekend_is_reported_impossible_not_an_error():
    plan = solve_staffing(load_scenario(WEEKDAYS), period="quarter", confidence=0.9, max_headcount=6)
    (only,) = plan.periods
    # no headcount meets it: nobody is hired for it; the 2 in post stay
    assert not only.met and only.needed is None and only.headcount == 2 and only.change == 0
    # items arriving from Friday 17:00 to Sunday 09:00 (40 h of 168) wait over 24 h for a shift
    assert "roster makes the target for images within 24 h impossible" in only.note
    assert plan.tried[0][6].bound["normal"] == pytest.approx(1 - 40 / 168, abs=0.03)
    assert plan.tried[0][6].replications == 3  # the best attainable is measured on every replication
    assert "best attainable: " in only.note and "of images within 24 h at 6 analysts" in only.note
    assert not plan.table().loc[0, "met"] and math.isnan(plan.table().loc[0, "needed"])
    assert not plan.attainable


def test_an_exposure_cap_leaving_too_few_hours_is_reported():
    raw = dict(WEEKDAYS, sla=[{"priority": "normal", "within": "72h", "target": 0.9}],
               demand=[{"stream": "items", "rate": "2000/day"}])
    raw["workforce"] = [dict(WEEKDAYS["workforce"][0], exposure_cap="1h/day")]
    plan = solve_staffing(load_scenario(raw), period="quarter", confidence=0.9, max_headcount=4)
    (only,) = plan.periods
    assert not only.met
    assert "too few review hours" in only.note and "exposure cap of 1h" in only.note


def test_periods_are_calendar_quarters_from_the_end_of_the_warm_up():
    s = load_scenario(dict(GROWING, clock={"horizon": "400d", "warmup": "10d", "start": "2024-01-01", "step": "1d"}))
    periods = plan_periods(s, "quarter")
    assert [p.first.isoformat() for p in periods] == ["2024-01-11", "2024-04-11", "2024-07-11", "2024-10-11"]
    assert periods[-1].t1 == s.clock.horizon  # the last 24 days join the last quarter
    assert [p.first.isoformat() for p in plan_periods(s, "year")] == ["2024-01-11"]


def test_solver_input_is_checked():
    s = load_scenario(GROWING)
    with pytest.raises(ValueError, match="confidence must be between 0 and 1"):
        solve_staffing(s, confidence=1.0)
    with pytest.raises(ValueError, match="no team 'police'"):
        solve_staffing(s, "police")
    with pytest.raises(ValueError, match="no SLA"):
        solve_staffing(load_scenario(dict(GROWING, sla=[])))


# =========================================================================== the command line


def run_cli(*args):
    from typer.testing import CliRunner

    from capsim.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def write(tmp_path, raw, name="s.yaml"):
    import yaml

    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


def test_staff_command_writes_the_plan(tmp_path):
    path = write(tmp_path, mmc(0.75, days=8))
    result = run_cli("staff", path, "--period", "year", "--confidence", "0.8", "--replications", "4",
                     "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    import pandas as pd

    table = pd.read_csv(tmp_path / "o" / "staffing_plan.csv")
    assert list(table.columns[:6]) == ["period", "period_start", "period_end", "headcount", "change", "hire_by"]
    assert {"sla_normal", "sla_normal_ci_low", "sla_normal_ci_high", "replications_met", "met"} <= set(table.columns)
    assert table.needed.iloc[0] in (15, 16)  # Erlang C says 15; short runs may need one more
    # the warm-up runs with the 12 in post today, so the year starts with their backlog: any seats
    # above the need are temporary cover for it, and few: 12 seats against 13.3 erlangs leave about
    # (80 - 72)/h × 24 h ≈ 190 items after the day's warm-up, which 16 seats (2.7 above the load)
    # clear at about 16/h in some 12 h of the 7-day year: one seat more at most
    assert table.headcount.iloc[0] == table.needed.iloc[0] + table.temporary.iloc[0]
    assert table.temporary.iloc[0] <= 1
    assert "staffing_plan.csv" in result.output
    # no hiring lead time in this scenario: the plan says why hire-by is the day the analysts start
    assert ("hire by: no hiring lead time set (workforce.analysts.hiring.lead_time, default 0d), so hire-by = the "
            "day the new analysts start" in result.output)
    assert "It can pass 100% in a period that meets its target" in result.output  # busy (usable), read right
    # this team has no exposure cap: the note does not speak of one (it once said "up to the daily
    # exposure cap" and "lower by the exposure cap" for every team)
    said = " ".join(result.output.split())
    assert "less mentoring: the team has no daily exposure cap" in said and "exposure cap or the end" not in said
    assert "lower by the exposure cap" not in said


def test_staff_command_reports_an_impossible_sla_with_a_dash_and_exits_3(tmp_path):
    path = write(tmp_path, WEEKDAYS)
    result = run_cli("staff", path, "--max", "4", "--replications", "2", "--out", tmp_path / "o")
    assert result.exit_code == 3, result.output  # 3: a target no headcount meets (2 is bad input)
    assert "—" in result.output and "NO" in result.output and "impossible" in result.output
    assert "best attainable" in result.output
    assert (tmp_path / "o" / "plan.yaml").exists()  # the files are still written


@pytest.mark.parametrize("value", ["0", "1", "1.5", "-0.2"])
def test_staff_command_refuses_a_confidence_outside_0_1(tmp_path, value):
    path = write(tmp_path, mmc(0.75, days=8))
    result = run_cli("staff", path, "--confidence", value, "--out", tmp_path / "o")
    assert result.exit_code == 2
    assert "--confidence must be between 0 and 1" in result.output


def test_staff_command_refuses_an_attrition_rate_above_one(tmp_path):
    raw = mmc(0.75, days=8)
    raw["workforce"][0]["attrition"] = 1.5
    result = run_cli("staff", write(tmp_path, raw), "--out", tmp_path / "o")
    assert result.exit_code == 2
    assert "workforce.analysts.attrition" in result.output and "between 0 and 1" in result.output


def test_smallest_passing_brackets_then_bisects_from_any_guess():
    from capsim.staffing import smallest_passing

    for answer in (0, 1, 7, 40, 100):
        for guess in (0, 5, 39, 100):
            asked = []

            def ok(n, answer=answer, asked=asked):
                asked.append(n)
                return n >= answer

            assert smallest_passing(ok, guess, 0, 100) == answer
            assert len(asked) <= 2 * 7 + 2  # doubling out then halving in: about 2 log2(100)
    assert smallest_passing(lambda n: False, 3, 0, 100) is None
    assert smallest_passing(lambda n: True, 3, 5, 4) is None
