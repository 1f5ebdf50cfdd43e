"""Sentences and labels a user would misquote, as a third trial found them.

A growth scenario described the 13 analysts of the base scenario while running 25; the brief's
"12 more than the 25 in post today" and "Reports waiting longer than 72 h rise ... to 100%" hid
that the 25 are the scenario's assumption, held constant; a share that no replication could
measure read "one replication: no interval" after 3 replications; the detector's expected
side effects were labelled as counts; and ``budget`` put a cost per assessed item that falls as
service collapses without the service beside it.
"""

from __future__ import annotations

import datetime as dt
import math
from types import SimpleNamespace

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import yaml

from capsim import bundled
from capsim.periods import calendar_periods
from capsim.scenario import load_scenario
from capsim.staffing import with_changes

GROWTH = "scenarios/growth-central.yaml"
HELD = "the 25 analysts (team analysts) the scenario holds constant (no posts added)"


def _result(scenario, shares: dict[str, float]) -> SimpleNamespace:
    """A run's result as the year findings and the by-year chart read it: ``scenario``, and per
    calendar year (label → share of its SLA's items within the deadline) its period summary."""
    sla = f"sla_{scenario.sla[0].priority}"
    rows = [{"period": p, "metric": m, "mean": v, "ci_low": v, "ci_high": v}
            for p, share in shares.items() for m, v in ((sla, share), ("backlog_mean", 1000.0))]
    return SimpleNamespace(scenario=scenario, period_summary=pd.DataFrame(rows), summary=pd.DataFrame(
        [{"metric": sla, "mean": 0.3, "ci_low": 0.28, "ci_high": 0.32}]), replications=3, seed=1)


def _falling(scenario) -> dict[str, float]:
    labels = [p.label for p in calendar_periods(scenario)]
    return dict(zip(labels, [0.9999, 0.29, 0.02, 0.0]))


# --------------------------------------------------------------------------- 1. descriptions


def _parent(path) -> str | None:
    return yaml.safe_load(path.read_text()).get("extends")


def test_a_bundled_scenario_that_changes_a_headcount_describes_its_own():
    """A scenario extending another and changing a team's headcount does not inherit a
    description naming the other's staff: its own names each changed headcount."""
    checked = 0
    for path in sorted(bundled.folder().glob("*.yaml")):
        parent = _parent(path)
        if parent is None:
            continue
        mine, theirs = load_scenario(path), load_scenario(path.parent / parent)
        before = {t.team: t.headcount for t in theirs.workforce}
        changed = [t for t in mine.workforce if t.team in before and t.headcount != before[t.team]]
        for team in changed:
            checked += 1
            assert mine.description != theirs.description, path.name
            assert f"{team.headcount} analysts" in " ".join(mine.description.split()), path.name
    assert checked >= 3  # growth-low, -central and -high change the analysts' headcount


def test_a_scenario_extending_one_with_its_own_description_says_what_it_adds():
    """growth-videos extends growth-central: its description names the videos it adds."""
    videos = load_scenario(bundled.folder() / "growth-videos.yaml")
    assert videos.description != load_scenario(bundled.folder() / "growth-central.yaml").description
    assert "videos" in videos.description and "25 analysts" in " ".join(videos.description.split())


# --------------------------------------------------------------------------- 2. the staff assumed


def test_the_year_findings_say_the_staff_are_the_scenarios_assumption_held_constant():
    from capsim.report.years import year_findings

    s = load_scenario(GROWTH)
    rise = year_findings(_result(s, _falling(s)))[0]
    assert rise.startswith("Reports not assessed within 72 h (of those arriving in each year) rise from")
    assert rise.endswith(f", with {HELD}."), rise


def test_the_findings_say_when_the_scenario_plans_changes_of_staff():
    from capsim.report.years import year_findings

    s = load_scenario(GROWTH)
    planned = with_changes(s, 0, [(s.clock.start, 25), (dt.date(2028, 4, 1), 30)])
    rise = year_findings(_result(planned, _falling(planned)))[0]
    assert "with the analysts (team analysts) the scenario plans (25 at the start, then 30 from 1 Apr 2028)." in rise, rise
    assert "holds constant" not in rise


def test_the_whole_run_service_level_says_the_staff_assumed():
    from capsim.report.findings import headline_findings

    s = load_scenario(GROWTH)
    line = next(x for x in headline_findings(_result(s, _falling(s))) if "of arriving over the whole run" in x)
    assert f"over the whole run, with {HELD}, against a target of 90%" in line, line


def test_the_by_year_chart_title_says_the_staff_assumed():
    from capsim.charts.by_year import by_year

    s = load_scenario(GROWTH)
    figure = by_year(_result(s, _falling(s)))
    title = " ".join(figure._suptitle.get_text().split())
    plt.close(figure)
    assert title.endswith(f"first missed in 2028, with {HELD}"), title


def test_what_it_takes_counts_against_the_staff_assumed_not_staff_in_post_today():
    from capsim.report.what_it_takes import WhatItTakes, what_it_takes_findings

    s = load_scenario(GROWTH)
    periods = [SimpleNamespace(change=change, headcount=heads, period=SimpleNamespace(first=first), hire_by=first,
                               late_weeks=0, temporary=0, starts=None, left_out=(), left_out_reasons=())
               for change, heads, first in ((5, 30, dt.date(2028, 4, 1)), (7, 37, dt.date(2029, 4, 1)))]
    plan = SimpleNamespace(team="analysts", baseline=25, periods=periods)
    table = pd.DataFrame(columns=["metric", "period", "mean", "ci_low", "ci_high"])
    what_if = SimpleNamespace(period_summary=table, summary=table)
    first = what_it_takes_findings(_result(s, {}), WhatItTakes([plan], what_if))[0]
    assert "in post today" not in first
    assert first.endswith(f": 12 more than {HELD}."), first


# --------------------------------------------------------------------------- 4. run: n/a and waiting


def test_an_interval_of_a_value_no_replication_measured_does_not_blame_one_replication():
    from capsim.words import interval

    assert interval("sla_high", math.nan, math.nan, ref=math.nan) == "no item measured in any replication"
    assert interval("sla_high", math.nan, math.nan, ref=0.5) == "one replication: no interval"


def test_the_year_findings_leave_out_an_sla_no_year_measured():
    from capsim.report.years import year_findings

    s = load_scenario(GROWTH)
    found = year_findings(_result(s, dict.fromkeys(_falling(s), math.nan)))
    assert not any("n/a" in line or "no interval" in line for line in found), found


def test_run_says_why_an_sla_no_stream_feeds_has_no_value(tmp_path):
    from typer.testing import CliRunner

    from capsim.cli import app
    from tests.conftest import mmc

    raw = mmc(1, 60.0, 0.5, days=2, warmup_days=0.5, priorities=["high", "normal"],
              sla=[{"priority": "high", "within": "1h", "target": 0.9}])  # no stream gives 'high'
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(raw))
    done = CliRunner().invoke(app, ["run", str(path), "-r", "2", "--no-report", "-o", str(tmp_path / "o")])
    assert done.exit_code == 0, done.output
    text = " ".join(done.output.split())
    assert "one replication" not in text, text
    assert "no item measured in any replication" in text
    assert "sla_high: in none of the 2 replications did any high item from the streams have a known outcome" in text


def test_the_waiting_count_says_it_leaves_out_referrals():
    from capsim.metric_names import METRIC_DESCRIPTIONS
    from capsim.words import metric_label

    assert "(not referrals)" in metric_label("waiting")
    assert "not referrals" in METRIC_DESCRIPTIONS["waiting"]


# --------------------------------------------------------------------------- 5. the detector's expected figures


def test_the_detectors_side_effects_are_labelled_expected():
    from capsim.words import metric_label

    assert metric_label("referrals_lost_real").startswith("Expected real referrals lost")
    assert metric_label("referrals_avoided_synthetic").startswith("Expected synthetic referrals avoided")


def test_the_comparison_relates_the_expected_side_effects_to_the_change_in_referrals():
    from capsim.compare import DETECTOR_NOTE, detector_notes, referral_balance

    rows = [("base", m, 0.0, 0.0, 0.0, 0.0) for m in ("referred", "referrals_lost_real", "referrals_avoided_synthetic")]
    rows += [("tooling-detector", "referred", 2016.0, -669.3, -748.2, -590.5),
             ("tooling-detector", "referrals_lost_real", 675.8, 675.8, 666.8, 684.9),
             ("tooling-detector", "referrals_avoided_synthetic", 1.29, 1.29, 1.13, 1.45)]
    table = pd.DataFrame(rows, columns=["scenario", "metric", "mean", "difference", "difference_ci_low",
                                        "difference_ci_high"])
    expected, d, low, high = referral_balance(table)["tooling-detector"]
    assert expected == pytest.approx(-677.09) and (d, low, high) == (-669.3, -748.2, -590.5)
    runs = [SimpleNamespace(summary=pd.DataFrame({"metric": ["referred", "referrals_lost_real"]}))]
    assert detector_notes(runs) == {"referrals_lost_real": DETECTOR_NOTE}
    assert "expected fall in referred" in DETECTOR_NOTE


# --------------------------------------------------------------------------- 6. budget: service beside cost


def test_budget_shows_the_service_beside_the_cost_per_assessed_item(tmp_path):
    from typer.testing import CliRunner

    from capsim.cli import app
    from tests.test_budget import FIRST_CASE

    raw = dict(FIRST_CASE, sla=[{"priority": "normal", "within": "24h", "target": 0.9}])
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(raw))
    done = CliRunner().invoke(app, ["budget", str(path), "-r", "2", "-o", str(tmp_path / "o")])
    assert done.exit_code == 0, done.output
    table = pd.read_csv(tmp_path / "o" / "budget.csv")
    assert table.sla_normal.tolist() == [1.0, 1.0, 1.0]  # every burst assessed within the hour
    head = done.output.split("┡")[0]  # the heading "normal within 24 h", wrapped over its lines
    assert all(word in head for word in ("normal", "within", "24 h")), head
    assert "work queueing, not efficiency" in " ".join(done.output.split())


def test_the_budget_charts_fte_panel_names_the_teams_it_counts():
    from capsim.charts.budget import budget_per_year

    s = load_scenario(bundled.folder() / "base.yaml")
    table = pd.DataFrame([{"scenario": "base", "year": "2024", "days": 366.0, "first_day": "2024-01-01",
                           "last_day": "2024-12-31", "fte": 29.0, "total_cost": 1e6}])
    figure = budget_per_year(table, s, 1, 2)
    titles = [ax.get_title(loc="left") for ax in figure.axes]
    plt.close(figure)
    assert any("all teams (analysts, graders, victim_id)" in t for t in titles), titles


# --------------------------------------------------------------------------- 3. README


def test_the_readme_says_report_gives_what_it_takes_only_with_its_flag():
    import inspect
    from pathlib import Path

    from capsim.cli import report

    assert inspect.signature(report).parameters["what_it_takes"].default is False
    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text().split())
    assert "with `--what-it-takes`, where the first scenario misses a target" in readme


def test_a_service_level_only_referrals_have_is_judged_at_the_team_they_go_to():
    """police-unit's 14-day SLA is for high-priority referrals to investigation; no stream's own
    items are high, so the whole run's sla_high measures none. The findings and the year table
    judge investigation's sla_high_investigation instead of saying no outcome is known."""
    from capsim.experiment import simulate
    from capsim.report.findings import headline_findings
    from capsim.report.years import year_columns
    from capsim.charts.by_year import sla_measures

    scenario = load_scenario(bundled.path("police-unit"), ["clock.horizon=120d"])
    assert [(sla.priority, metric, team) for sla, metric, team in sla_measures(scenario)] == [
        ("normal", "sla_normal", ""), ("high", "sla_high_investigation", "investigation")]
    result = simulate(scenario, replications=2, seed=3)
    assert math.isnan(result.metric("sla_high")) and math.isfinite(result.metric("sla_high_investigation"))
    found = " ".join(headline_findings(result))
    assert "of high-priority referrals at team investigation were assessed within 14 d" in found
    assert "The outcome of no high-priority referrals" not in found
    headings = {metric: heading for metric, heading, late in year_columns(result) if not late}
    assert headings["sla_high_investigation"] == ("High-priority referrals at team investigation assessed within 14 d "
                                                  "(target 90%)")
    assert "sla_high" not in headings


def test_a_budget_names_the_rows_whose_cost_does_not_vary_and_gives_no_advice_it_has_taken(tmp_path):
    """one-team sets attrition: its 333 days of 2026 vary between replications, its 32 days of 2027
    do not (no leaver in so short a time). The note names that row alone and does not tell the user
    to set the attrition the scenario already has."""
    from typer.testing import CliRunner

    from capsim.cli import app

    result = CliRunner().invoke(app, ["budget", "one-team", "-r", "2", "--out", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert ("Total of one-team 2027: the same in every replication: the staff in post did not vary between "
            "replications (no workforce attrition set, or no leaver in so short a time).") in text
    assert "Total: the same" not in text and "set workforce attrition" not in text
