"""A comparison keeps a level one run only measures, says each team's own wait by year, and writes a
wait and its interval in the same digits.

Trial 12: ``capsim compare growth-central gc-classifier.yaml``: the classifier puts ~300,000 grader
images under the 72 h deadline, and graders meet 89.1% of them (target 90%), but comparison.csv,
the terminal and the report kept only metrics every run has, so no output of compare said so;
victim_id's own mean wait turned from no difference (2027) to clearly longer (2028 on) with no line
by year; "mean wait 2.7 h shorter (95% CI 2.48 h to 2.91 h)".
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from capsim import bundled, cli
from capsim.charts.compare import year_difference_lines
from capsim.compare import compare, missed_wait_notes, team_lines, turning_metrics
from capsim.scenario import load_scenario
from tests.test_compare_review19 import _years, long_run

CLASSIFIER = ["tooling.classifier.enabled=true", "tooling.classifier.positive_priority=high",
              "tooling.classifier.negative_priority=normal", "tooling.classifier.recall=0.9",
              "tooling.classifier.fpr=0.1"]
"""growth-central's classifier as the trial's gc-classifier.yaml sets it: graders' images, at low
priority without it, go to the high and normal (72 h deadline) queues."""


def _run(scenario, **columns: list[float]) -> SimpleNamespace:
    """A run as :func:`capsim.compare.compare` reads it: three replications (seed 1), a summary
    naming its metrics."""
    return SimpleNamespace(scenario=scenario, per_replication=pd.DataFrame(columns), seed=1, replications=3,
                           summary=pd.DataFrame({"metric": list(columns)}))


@pytest.fixture(scope="module")
def classified() -> list[SimpleNamespace]:
    """growth-central against gc-classifier, as in the trial: graders' mean wait 23.7 h and 21.0 h
    (paired differences −2.6, −2.7, −2.8 h), their normal-priority level 89.1% in gc-classifier only."""
    first = load_scenario(bundled.path("growth-central"))
    other = load_scenario(bundled.path("growth-central"), ["name=gc-classifier", *CLASSIFIER])
    total = dict(backlog_end=[489000.0, 489300.0, 489600.0])
    return [_run(first, wait_mean_graders=[23.6, 23.7, 23.8], wait_mean_low_graders=[23.6, 23.7, 23.8], **total),
            _run(other, wait_mean_graders=[21.0, 21.0, 21.0], sla_normal_graders=[0.889, 0.891, 0.893], **total)]


UNMEASURED = ("not measured in growth-central: team graders has no normal-priority items there; in gc-classifier "
              "the classifier puts items under this deadline")


def test_a_level_one_run_only_measures_is_kept_with_why_the_other_lacks_it(classified):
    table = compare(classified).set_index(["scenario", "metric"])
    row = table.loc[("gc-classifier", "sla_normal_graders")]
    assert row["mean"] == pytest.approx(0.891) and np.isnan(row.difference) and np.isnan(row.difference_ci_low)
    assert row.note == UNMEASURED  # not "counts different items": there is no difference to read
    assert ("growth-central", "sla_normal_graders") not in table.index  # no level where nothing is measured
    assert table.loc[("growth-central", "wait_mean_low_graders"), "note"] == (
        "not measured in gc-classifier: team graders has no low-priority items there (the classifier puts its "
        "streams' items in the high and normal queues)")
    assert table.loc[("gc-classifier", "wait_mean_graders"), "difference"] == pytest.approx(-2.7)  # still paired


def test_a_teams_line_says_a_level_one_run_only_measures_where_it_misses_its_target(classified):
    assert team_lines(classified)["gc-classifier"] == [
        "team graders: mean wait 2.70 h shorter (from 23.70 h to 21.00 h; 95% CI 2.45 to 2.95 h), 89.1% of its "
        "normal-priority items within 72 h (95% CI 88.6% to 89.6%) against the 90% target: missed; it has none under "
        "this deadline in growth-central"]
    back = team_lines([_run(classified[1].scenario, **classified[1].per_replication.to_dict("list")),
                       _run(classified[0].scenario, **classified[0].per_replication.to_dict("list"))])
    assert back["growth-central"][0].endswith(
        "89.1% of its normal-priority items within 72 h in gc-classifier (95% CI 88.6% to 89.6%) against the 90% "
        "target: missed; it has none under this deadline here")
    met = [classified[0], _run(classified[1].scenario, wait_mean_graders=[23.6, 23.7, 23.8],
                               sla_normal_graders=[0.95, 0.96, 0.97], backlog_end=[489000.0, 489300.0, 489600.0])]
    assert team_lines(met)["gc-classifier"] == []  # a level that meets its target, and no difference: no line


def test_a_missed_harmful_items_wait_and_its_interval_share_their_digits():
    """205 h (95% CI 165 to 245 h): 8.5 days, then 6.9 and 10.2 days, not "6.9 days to 10 days"."""
    other = load_scenario(bundled.path("growth-central"), ["name=gc-classifier", *CLASSIFIER])
    run = SimpleNamespace(scenario=other, summary=pd.DataFrame({"metric": ["wait_mean_missed_harmful"], "mean": [205.0],
                                                               "ci_low": [165.0], "ci_high": [245.0]}))
    note = missed_wait_notes([run])[("gc-classifier", "harmful_missed")]
    assert note.endswith("normal queue 8.5 days on average (95% CI 6.9 to 10.2 days; wait_mean_missed_harmful)")


def test_a_teams_own_mean_wait_that_turns_between_years_gets_a_line():
    """victim_id's wait by year as in the trial: −8.9 h (no clear difference), then +398, +2,707 and
    +5,186 h; its items waiting at each year's end, a snapshot, get no line of their own."""
    scenario = load_scenario(bundled.path("growth-central"))
    runs, table = _years(scenario, wait_mean_victim_id=[(-8.9, -142.0, 124.0), (398.0, 77.0, 719.0),
                                                        (2707.0, 2166.0, 3248.0), (5186.0, 5003.0, 5368.0)],
                         backlog_end_victim_id=[(1.0, -109.0, 111.0), (520.0, 239.0, 800.0), (2299.0, 1988.0, 2610.0),
                                                (2899.0, 2769.0, 3030.0)])
    assert turning_metrics(table, [scenario] * 2) == {"b": ["wait_mean_victim_id"]}
    line, = year_difference_lines(runs, table)["b"]
    assert line.startswith("Mean wait before assessment at team victim_id, by calendar year: 2027 (Apr–Dec) −0.4 "
                           "days (from 0.4 days to under 0.1 days; 95% CI −5.9 to +5.2 days: no clear difference); "
                           "2028 +16.6 days (from 0.4 days to 17.0 days; 95% CI +3.2 to +30.0 days)")
    # −0.37 days beside an interval 11 days wide: its decimals are the interval's (difference_words), and every
    # year's are the most precise year's (difference_places: 2030's +216.1 days, 95% CI +208.5 to +223.7)
    one_team = long_run(365)  # one team: its wait is the run's, wait_mean alone (no team is named victim_id)
    assert [t.team for t in one_team.workforce] != ["victim_id"]
    assert turning_metrics(table, [one_team] * 2) == {"b": []}


def test_compare_prints_a_level_one_run_only_measures(tmp_path, monkeypatch):
    """Ten days of growth-central and of gc-classifier, two replications: the graders' normal-priority
    row has its level and no difference in the terminal and in comparison.csv."""
    monkeypatch.setattr(cli, "out_console", Console(width=400))
    other = tmp_path / "gc-classifier.yaml"
    other.write_text(f"name: gc-classifier\nextends: {bundled.path('growth-central')}\ntooling:\n  classifier:\n"
                     "    enabled: true\n    recall: 0.9\n    fpr: 0.1\n    positive_priority: high\n"
                     "    negative_priority: normal\n")
    done = CliRunner().invoke(cli.app, ["compare", "growth-central", str(other), "--set", "clock.horizon=10d",
                                        "--set", "clock.warmup=1d", "-r", "2", "-w", "1", "--out",
                                        str(tmp_path / "cmp")], terminal_width=400)
    assert done.exit_code == 0, done.output
    row = next(line for line in done.output.splitlines() if "gc-classifier" in line and "at team graders" in line)
    assert "n/a: not measured in growth-central" in row
    assert f"sla_normal_graders: {UNMEASURED}" in done.output
    table = pd.read_csv(tmp_path / "cmp" / "comparison.csv").set_index(["scenario", "metric"])
    assert np.isnan(table.loc[("gc-classifier", "sla_normal_graders"), "difference"])
    assert np.isfinite(table.loc[("gc-classifier", "sla_normal_graders"), ["mean", "ci_low", "ci_high"]]).all()


def test_a_difference_and_its_bounds_share_their_decimals_and_carry_their_signs():
    from capsim.compare import signed_alike

    assert signed_alike(16.6, 3.22, 30.0, digits=2) == ["+17", "+3", "+30"]
    assert signed_alike(-0.371, -5.917, 5.167, digits=2) == ["\u22120.4", "\u22125.9", "+5.2"]  # the interval's decimals
