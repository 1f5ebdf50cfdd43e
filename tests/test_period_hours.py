"""A calendar period's hours are the work done in it (trial 10: the years' analyst hours of a
team that carries cases over shifts fell 377 h short of the run's, the work in hand at the new
year lost from both years).

The rule (docs/metrics.md, :mod:`capsim.measured`): every assessment started after the warm-up
is worked from its start to its end, or, carried over shifts (``carry_over``), piece by piece,
each piece from its shift's start (the first from the assessment's start); a period counts the
part of that work done within it, and the whole run the part done by the horizon. So the
periods' hours add up to the run's. Exposure is per analyst-shift, and a period's are the
shifts that started in it. The references below are written here from those rules, with plain
numpy on the item records and carried pieces.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from capsim.demand import FLAG_AI
from capsim.engine import simulate_replication
from capsim.experiment import measure_replication
from capsim.periods import calendar_periods
from capsim.records import Replication
from capsim.scenario import load_scenario
from capsim.units import SECONDS_PER_HOUR

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def overnight() -> dict:
    """One team on a 24/7 roster with 3 h reviews, from 1 December: reviews run past midnight on
    31 December, each in one sitting."""
    return {
        "name": "overnight",
        "clock": {"horizon": "60d", "warmup": "7d", "start": "2024-12-01", "step": "1d"},
        "demand": [{"stream": "reports", "unit": "report", "rate": "20/day", "priority": "normal"}],
        "priorities": ["normal"],
        "review": {"report": {"dist": "exponential", "mean": "3h"}},
        "workforce": [{"team": "analysts", "headcount": 3, "roster": "24/7"}],
    }


def victim_id(tmp_path: Path) -> Path:
    """police-unit with its investigation team (which carries cases over shifts) named victim_id,
    and a third of its referrals AI-generated."""
    text = (SCENARIOS / "police-unit.yaml").read_text(encoding="utf-8")
    path = tmp_path / "victim-id.yaml"
    path.write_text(text.replace("investigation", "victim_id").replace("ai_generated: 0.0", "ai_generated: 0.3"),
                    encoding="utf-8")
    return path


CASES = ["police-unit year", "police-unit quarter", "overnight year", "victim_id quarter"]
"""Two teams, one carrying cases over shifts, by year and by quarter; one team on a 24/7 roster;
a carrying victim_id team with AI-generated items."""


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Callable[[str], tuple]:
    """Each case of :data:`CASES`, run once when first asked for: (scenario, replication, whole
    run's metrics, per period's metrics, periods)."""
    done = {}

    def get(case: str) -> tuple:
        if case not in done:
            name, by = case.split()
            if name == "overnight":
                scenario = load_scenario(overnight())
            else:
                police = name == "police-unit"
                path = SCENARIOS / "police-unit.yaml" if police else victim_id(tmp_path_factory.mktemp("v"))
                team = "investigation" if police else "victim_id"
                scenario = load_scenario(path, ["workforce.triage.headcount=15", f"workforce.{team}.headcount=14",
                                                "clock.horizon=2y"])
            rep = simulate_replication(scenario, 3, 0)
            whole, _, per = measure_replication(scenario, rep, 0, by, series=False)
            done[case] = scenario, rep, whole, per, calendar_periods(scenario, by)
        return done[case]

    return get


def work_done(rep: Replication) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, begin, seconds) of every stretch of review of the assessments started after the warm-up:
    one stretch from start to start + review time for one done in one sitting, one per carried
    piece for one carried over shifts (from its shift's start, the first from the start; a
    piece on a run-out shift, after the horizon, from +inf)."""
    items = rep.items
    started = np.isfinite(items.start) & (items.start >= rep.warmup)
    carried = np.zeros(len(items), dtype=bool)
    rows, begin, seconds = [], [], []
    for plan, pieces in zip(rep.shifts, rep.carried):
        pieces = pieces[started[pieces["item"]]]
        carried[pieces["item"]] = True
        shift_start = np.full(len(pieces), np.inf)
        on_plan = pieces["shift"] < len(plan.start)
        shift_start[on_plan] = plan.start[pieces["shift"][on_plan]]
        rows.append(pieces["item"])
        begin.append(np.maximum(shift_start, items.start[pieces["item"]]))
        seconds.append(pieces["seconds"])
    whole = np.flatnonzero(started & ~carried)
    rows.append(whole)
    begin.append(items.start[whole])
    seconds.append(items.service[whole])
    return np.concatenate(rows), np.concatenate(begin), np.concatenate(seconds)


def hours_in(rep: Replication, stretches, t0: float, t1: float, rows: np.ndarray) -> float:
    """Hours of ``stretches`` (:func:`work_done`) of the ``rows`` (a mask) within [t0, t1), up to the horizon."""
    row, begin, seconds = stretches
    overlap = np.minimum(begin + seconds, min(t1, rep.horizon)) - np.maximum(begin, t0)
    return float(np.clip(overlap, 0, None)[rows[row]].sum()) / SECONDS_PER_HOUR


def team_masks(scenario, rep: Replication) -> dict[str, np.ndarray]:
    """Each metric suffix ("" for all teams, "_<team>" with several) and its rows."""
    masks = {"": np.ones(len(rep.items), dtype=bool)}
    if len(scenario.workforce) > 1:
        masks.update({f"_{team.team}": rep.items.team == t for t, team in enumerate(scenario.workforce)})
    return masks


@pytest.mark.parametrize("case", CASES)
def test_the_stretches_of_work_are_the_records_own(runs, case):
    """The reference's premise: each carried assessment's pieces add up to its review time, and
    some work is in hand at a period's start (the case the periods used to lose)."""
    scenario, rep, _, _, periods = runs(case)
    items = rep.items
    row, begin, seconds = work_done(rep)
    total = np.bincount(row, weights=seconds, minlength=len(items))
    ended = np.isfinite(items.end) & (items.start >= rep.warmup)
    assert np.allclose(total[ended], items.service[ended])
    first, last = np.full(len(items), np.inf), np.full(len(items), -np.inf)  # each assessment's work, from and to
    np.minimum.at(first, row, begin)
    np.maximum.at(last, row, begin + seconds)
    assert any(((first < p.start) & (last > p.start)).any() for p in periods[1:])


@pytest.mark.parametrize("case", CASES)
def test_each_periods_hours_are_the_work_done_in_it(runs, case):
    scenario, rep, _, per, periods = runs(case)
    stretches = work_done(rep)
    for p in periods:
        got = per[p.label]
        for suffix, rows in team_masks(scenario, rep).items():
            expected = hours_in(rep, stretches, p.start, p.end, rows)
            assert got[f"analyst_hours{suffix}"] == pytest.approx(expected, rel=1e-9), (p.label, suffix)
        available = sum(plan.available_seconds(p.start, p.end) for plan in rep.shifts)
        assert got["utilisation"] == pytest.approx(got["analyst_hours"] * SECONDS_PER_HOUR / available, rel=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_the_periods_hours_add_up_to_the_whole_runs(runs, case):
    scenario, rep, whole, per, _ = runs(case)
    stretches = work_done(rep)
    for suffix, rows in team_masks(scenario, rep).items():
        name = f"analyst_hours{suffix}"
        assert whole[name] == pytest.approx(hours_in(rep, stretches, rep.warmup, rep.horizon, rows), rel=1e-9)
        assert sum(m[name] for m in per.values()) == pytest.approx(whole[name], rel=1e-12), name


def test_victim_identification_hours_on_synthetic_items_are_the_work_done_in_each_period(runs):
    scenario, rep, whole, per, periods = runs("victim_id quarter")
    t = [team.team for team in scenario.workforce].index("victim_id")
    stretches = work_done(rep)
    synthetic = (rep.items.team == t) & (rep.items.flags & FLAG_AI > 0)
    assert whole["victim_id_hours_on_synthetic"] > 100  # a third of the cases
    for name, rows in (("victim_id_hours", rep.items.team == t), ("victim_id_hours_on_synthetic", synthetic)):
        for p in periods:
            assert per[p.label][name] == pytest.approx(hours_in(rep, stretches, p.start, p.end, rows), rel=1e-9)
        assert sum(m[name] for m in per.values()) == pytest.approx(whole[name], rel=1e-12), name


def analyst_shift_seconds(rep: Replication, t: int) -> tuple[np.ndarray, np.ndarray]:
    """Team ``t``'s seconds of review per analyst-shift with any (one roster: every analyst on the
    team's shifts), and when each shift started: an assessment done in one sitting on the shift
    it started in, a carried one's pieces on their own shifts (those up to the horizon)."""
    items, plan = rep.items, rep.shifts[t]
    seats = plan.present.shape[1]
    mine = np.isfinite(items.start) & (items.start >= rep.warmup) & (items.team == t)
    pieces = rep.carried[t][mine[rep.carried[t]["item"]]]
    pieces = pieces[pieces["shift"] < len(plan.start)]
    whole = np.flatnonzero(mine & ~np.isin(np.arange(len(items)), pieces["item"]))
    shift = np.searchsorted(plan.start, items.start[whole], side="right") - 1
    cell = np.concatenate([shift * seats + items.analyst[whole],
                           pieces["shift"] * seats + items.analyst[pieces["item"]]])
    seconds = np.bincount(cell, weights=np.concatenate([items.service[whole], pieces["seconds"]]),
                          minlength=len(plan.start) * seats)
    reviewed = np.flatnonzero(seconds > 0)
    return seconds[reviewed], plan.start[reviewed // seats]


@pytest.mark.parametrize("case", ["police-unit year", "police-unit quarter"])
def test_each_periods_exposure_is_the_analyst_shifts_that_started_in_it(runs, case):
    scenario, rep, whole, per, periods = runs(case)
    for t, team in enumerate(scenario.workforce):
        seconds, begun = analyst_shift_seconds(rep, t)
        name = f"exposure_hours_per_analyst_day_{team.team}"
        assert whole[name] == pytest.approx(seconds.mean() / SECONDS_PER_HOUR, rel=1e-9)
        for k, p in enumerate(periods):  # the first period also takes a shift begun in the warm-up
            ours = (begun < p.end) & ((begun >= p.start) | (k == 0))
            assert per[p.label][name] == pytest.approx(seconds[ours].mean() / SECONDS_PER_HOUR, rel=1e-9), p.label


def test_a_period_measured_on_its_own_has_the_same_exposure_and_hours(runs):
    """:func:`capsim.metrics.replication_metrics` of one period's window, given nothing already
    counted, finds the whole run's analyst-shifts itself: the figures the periods' run gives."""
    from capsim.measured import periods as windows
    from capsim.metrics import replication_metrics, window_counts
    from capsim.periods import boundaries, over_period

    scenario, rep, _, per, periods = runs("police-unit quarter")
    bounds = boundaries(periods)
    _, rows = window_counts(scenario, rep, bounds)
    for k in (0, len(periods) // 2):
        alone = replication_metrics(over_period(scenario, periods[k]), rep, windows(rep, bounds, *rows)[k])
        for name in ("exposure_hours_per_analyst_day", "exposure_hours_per_analyst_day_investigation",
                     "analyst_hours_investigation"):
            assert alone[name] == per[periods[k].label][name], (periods[k].label, name)
