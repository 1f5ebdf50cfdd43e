"""Per-period results (issue 16, item 1): every metric per calendar year or quarter.

The per-year metrics of a run are checked against an independent reference computed here
from the item records with plain numpy masks, conservation is checked in each period, and
a growing scenario is seen to lose service from one year to the next, which the pooled
figure hides.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from capsim.engine import simulate_replication
from capsim.experiment import simulate
from capsim.metrics import metric_names, replication_metrics, timeseries
from capsim.periods import WHOLE_RUN, calendar_periods, period_metrics
from capsim.results import PERIOD_SUMMARY_COLUMNS
from capsim.scenario import load_scenario
from capsim.units import SECONDS_PER_HOUR
from tests.window_reference import copied_window

SLA_WITHIN = 24 * SECONDS_PER_HOUR


def growing(**changes) -> dict:
    """Images growing fast (doubling every 45 days) from 2024-11-01 over 150 days, into 2025:
    a team sized for the start falls behind, some items expire, hash matching clears some."""
    raw = {
        "name": "growing",
        "clock": {"horizon": "150d", "warmup": "7d", "start": "2024-11-01", "step": "1d"},
        "demand": [{"stream": "images", "unit": "image", "rate": "1500/day", "priority": "normal",
                    "growth": {"model": "exponential", "doubling_time": "45d"},
                    "ttl": {"dist": "exponential", "mean": "20d"},
                    "mix": {"known": 0.3, "criminal": 0.5}},
                   {"stream": "reports", "unit": "report", "rate": "100/day", "priority": "urgent"}],
        "priorities": ["urgent", "normal"],
        "review": {"image": {"dist": "exponential", "mean": "60s"}, "report": {"dist": "exponential", "mean": "120s"}},
        "workforce": [{"team": "analysts", "headcount": 4, "roster": "24/7"}],
        "tooling": {"hash_matching": {"enabled": True}},
        "sla": [{"priority": "normal", "within": "24h", "target": 0.9}, {"priority": "urgent", "within": "24h", "target": 0.9}],
        "experiment": {"replications": 2, "seed": 3},
    }
    raw.update(changes)
    return raw


@pytest.fixture(scope="module")
def run():
    scenario = load_scenario(growing())
    rep = simulate_replication(scenario, 3, 0)
    return scenario, rep, period_metrics(scenario, rep)


def reference(rep, t0: float, t1: float) -> dict[str, float]:
    """The period's metrics from its own items, with plain masks (no window, no compiled pass)."""
    items = rep.items
    direct = items.parent < 0
    mine = direct & (items.arrival >= t0) & (items.arrival < t1)
    started_by = items.start < t1
    expired_by = ~started_by & (items.deadline <= t1)
    cell = rep.cell_seconds
    cleared = rep.cleared_per_cell[:, math.ceil(t0 / cell):math.ceil(t1 / cell)].sum()
    start, end = rep.eventual_start, rep.eventual_end
    assessed = mine & np.isfinite(start)
    wait = (start[assessed] - items.arrival[assessed]) / SECONDS_PER_HOUR
    normal = mine & (items.priority == 1)
    # the work done in the period on reviews started after the warm-up (each in one sitting: no carry-over here)
    worked = (items.start >= rep.warmup) & (items.start < t1) & (items.end > t0)
    return {
        "arrivals": float(mine.sum() + cleared),
        "auto_cleared": float(cleared),
        "assessed": float((mine & started_by).sum()),
        "expired": float((mine & expired_by).sum()),
        "waiting": float((mine & ~started_by & ~expired_by).sum()),
        "backlog_end": float(((items.arrival < t1) & ~started_by & ~expired_by).sum()),
        "wait_mean": float(wait.mean()),
        "sla_normal": float(((end[normal] - items.arrival[normal]) <= SLA_WITHIN).mean()),
        "analyst_hours": float((np.minimum(items.end[worked], t1) - np.maximum(items.start[worked], t0)).sum()
                               / SECONDS_PER_HOUR),
    }


def test_periods_are_the_calendar_years_of_the_measured_window(run):
    scenario, _, per_year = run
    periods = calendar_periods(scenario)
    assert [p.label for p in periods] == ["2024", "2025"] == list(per_year)
    assert periods[0].start == scenario.clock.warmup and periods[-1].end == scenario.clock.horizon
    assert periods[0].end == periods[1].start == 61 * 86400  # 2025-01-01 is 61 days after 2024-11-01
    quarters = [p.label for p in calendar_periods(scenario, "quarter")]
    assert quarters == ["2024-Q4", "2025-Q1"]  # the horizon is midnight starting 2025-03-31
    with pytest.raises(ValueError, match="'year', 'quarter'"):
        calendar_periods(scenario, "month")


def test_per_year_metrics_equal_a_reference_from_that_years_items(run):
    scenario, rep, per_year = run
    assert rep.after.complete  # every wait known: no censoring in the reference
    for period in calendar_periods(scenario):
        expected = reference(rep, period.start, period.end)
        got = per_year[period.label]
        for name, value in expected.items():
            # counts exactly; sums of floats in another order to 1e-9
            assert got[name] == pytest.approx(value, rel=1e-9), (period.label, name)


def test_conservation_holds_in_every_period(run):
    _, _, per_year = run
    for label, m in per_year.items():
        assert m["arrivals"] == m["assessed"] + m["auto_cleared"] + m["expired"] + m["waiting"], label
        assert m["backlog_end"] == (m["backlog_start"] + m["arrivals"] - m["auto_cleared"] + m["referred"]
                                    - m["assessments"] - m["expirations"]), label
    assert per_year["2024"]["backlog_end"] == per_year["2025"]["backlog_start"]  # what one year carries, the next starts with


def test_the_whole_window_as_one_period_is_the_run(run):
    scenario, rep, per_year = run
    whole = replication_metrics(scenario, rep)
    window = replication_metrics(scenario, copied_window(rep, rep.warmup, rep.horizon))
    assert set(whole) == set(window)
    for name, value in whole.items():
        assert window[name] == pytest.approx(value, rel=1e-12, nan_ok=True), name
    for name in ("arrivals", "auto_cleared", "expirations", "referred", "assessments"):  # additive counts
        assert sum(m[name] for m in per_year.values()) == whole[name], name
    # hours too, the work in hand at the new year counting in each year up to and from midnight
    boundary, items = calendar_periods(scenario)[1].start, rep.items
    assert ((items.start < boundary) & (items.end > boundary)).any()
    assert sum(m["analyst_hours"] for m in per_year.values()) == pytest.approx(whole["analyst_hours"], rel=1e-12)


WORK_DONE = ("analyst_hours", "utilisation", "victim_id_hours", "exposure_hours_per_analyst_day")
"""The prefixes of the metrics of the work done in a period, whenever the review started
(tests/test_period_hours.py), not measured as if the run had been measured over the period alone."""


def _measured_alone(m: dict[str, float]) -> dict[str, float]:
    """``m`` without the metrics of the work done (:data:`WORK_DONE`)."""
    return {name: value for name, value in m.items() if not name.startswith(WORK_DONE)}


def _same(a: dict[str, float], b: dict[str, float]) -> bool:
    """The same metrics, bit for bit (NaN equal to NaN)."""
    return a.keys() == b.keys() and all(x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(a.values(), b.values()))


@pytest.mark.parametrize("name, by", [("growing", "year"), ("police-unit", "quarter"), ("tooling-detector", "quarter"),
                                      ("tooling-classifier", "quarter")])
def test_periods_read_from_the_runs_columns_are_the_copied_windows_bit_for_bit(name, by):
    """Each period measured on the replication's own columns (:mod:`capsim.measured`) is, to the
    last bit, the period measured on a copy of its rows (tests/window_reference.py), but for the
    work done in it (:data:`WORK_DONE`): two teams with work carried over shifts and referrals
    (police-unit), the detector's and the classifier's side effects; items in hand at each
    period's end and in the run-out."""
    from capsim.bundled import path as bundled
    from capsim.periods import over_period

    scenario = (load_scenario(growing()) if name == "growing"
                else load_scenario(bundled(name), ["clock.horizon=200d"]))
    rep = simulate_replication(scenario, 3, 0)
    got = period_metrics(scenario, rep, by)
    assert len(got) > 1
    for p in calendar_periods(scenario, by):
        expected = _measured_alone(replication_metrics(over_period(scenario, p), copied_window(rep, p.start, p.end)))
        assert _same(_measured_alone(got[p.label]), expected), (
            p.label, {k: (got[p.label][k], v) for k, v in expected.items() if not _same({k: got[p.label][k]}, {k: v})})


@pytest.mark.parametrize("name, by", [("growing", "year"), ("police-unit", "quarter")])
def test_a_runs_windows_counted_together_are_each_measured_alone_bit_for_bit(name, by):
    """A run counts every window's item tallies in one pass and every window's backlog at the
    start and at most in one pass (:func:`capsim.metrics.backlogs`): the same numbers, to the
    last bit, as the whole run and each period measured alone."""
    from capsim.bundled import path as bundled
    from capsim.experiment import run_measured

    scenario = (load_scenario(growing()) if name == "growing"
                else load_scenario(bundled(name), ["clock.horizon=200d"]))
    metrics, _, periods = run_measured(scenario, 3, 0, by, series=False)
    rep = simulate_replication(scenario, 3, 0)
    assert _same(metrics, replication_metrics(scenario, rep))
    alone = period_metrics(scenario, rep, by)
    assert len(alone) > 1 and periods.keys() == alone.keys()
    assert all(_same(periods[label], alone[label]) for label in alone)


def test_a_growing_scenarios_later_year_meets_its_sla_less_often(run):
    _, _, per_year = run
    # doubling every 45 days against a fixed team: Jan-Mar 2025 is far busier than Nov-Dec 2024
    assert per_year["2025"]["sla_normal"] < per_year["2024"]["sla_normal"] - 0.1
    assert per_year["2025"]["wait_mean"] > per_year["2024"]["wait_mean"]


def test_summary_by_period_has_the_whole_run_then_each_year():
    scenario = load_scenario(growing())
    result = simulate(scenario)
    table = result.summary_by_period()
    assert list(table.columns) == PERIOD_SUMMARY_COLUMNS
    assert list(dict.fromkeys(table.period)) == [WHOLE_RUN, "2024", "2025"]
    whole = table[table.period == WHOLE_RUN].drop(columns="period").reset_index(drop=True)
    pd.testing.assert_frame_equal(whole, result.summary)  # the whole run's rows are the summary's
    for label in ("2024", "2025"):
        assert list(table[table.period == label].metric) == metric_names(scenario)
    per_rep = result.per_period.set_index(["replication", "period"])
    year = table[(table.period == "2025") & (table.metric == "arrivals")]
    assert float(year["mean"].iloc[0]) == pytest.approx(per_rep.loc[[(0, "2025"), (1, "2025")], "arrivals"].mean())


def test_timeseries_has_each_streams_arrivals(run):
    scenario, rep, _ = run
    series = timeseries(scenario, rep)
    streams = series[["arrivals_images", "arrivals_reports"]]
    assert (streams.sum(axis=1) == series.arrivals).all()
    assert series.arrivals_images.iloc[-7:].mean() > 2 * series.arrivals_images.iloc[:7].mean()  # it grows


def test_a_period_that_is_the_whole_window_has_the_runs_own_metrics():
    scenario = load_scenario(growing(clock={"horizon": "50d", "warmup": "7d", "start": "2024-01-01", "step": "1d"}))
    rep = simulate_replication(scenario, 3, 0)
    whole = replication_metrics(scenario, rep)
    assert period_metrics(scenario, rep, whole=whole) == {"2024": whole}


@pytest.mark.parametrize("name, by", [("growing", "year"), ("police-unit", "quarter"), ("base", "quarter")])
def test_staffing_measured_alone_per_period_is_every_metrics_own_value_bit_for_bit(name, by):
    """Only the counts, hours, staff and costs per period (``measures="staffing"``, what the
    uncertainty run's per-year table reads) are, to the last bit, those values of every metric
    measured: one team, two teams with referrals and work carried over shifts, three teams. Their
    names are :func:`capsim.metrics.staffing_names`, each a metric of the run, and the streams'
    items are conserved in each period."""
    from capsim.bundled import path as bundled
    from capsim.experiment import run_measured
    from capsim.metrics import staffing_names

    scenario = (load_scenario(growing()) if name == "growing"
                else load_scenario(bundled(name), ["clock.horizon=200d"]))
    names = staffing_names(scenario)
    assert set(names) <= set(metric_names(scenario))
    assert any(n.startswith("analyst_hours_") for n in names) == (len(scenario.workforce) > 1)
    whole, _, every = run_measured(scenario, 3, 0, by, series=False)
    again, _, staffing = run_measured(scenario, 3, 0, by, series=False, measures="staffing")
    assert _same(again, whole)  # the whole run is measured in full either way
    assert len(staffing) > 1 and staffing.keys() == every.keys()
    for label, m in staffing.items():
        assert list(m) == names
        assert _same(m, {n: every[label][n] for n in names}), label
        assert m["arrivals"] == m["assessed"] + m["auto_cleared"] + m["expired"] + m["waiting"], label


def test_staffing_of_a_period_that_is_the_whole_window_is_the_runs_own():
    from capsim.metrics import staffing_names

    scenario = load_scenario(growing(clock={"horizon": "50d", "warmup": "7d", "start": "2024-01-01", "step": "1d"}))
    rep = simulate_replication(scenario, 3, 0)
    whole = replication_metrics(scenario, rep)
    got = period_metrics(scenario, rep, whole=whole, measures="staffing")
    assert got == {"2024": {n: whole[n] for n in staffing_names(scenario)}}
