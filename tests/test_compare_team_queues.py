"""A comparison says each team's own queue and which metrics a tool makes count other items.

Trial 11: ``capsim compare growth-central gc-classifier.yaml`` said "Victim-identification
hours: no difference" while victim identification's own backlog rose 2,899 (+62%) and its mean
wait 83 days (comparison.csv only); ``compare base base-nohash.yaml`` said "Items assessed
+231,156" and "Mean wait +3,951 h" with no word that they now count 1.5 million images hash
matching had cleared, where the classifier's relabelled shares did get such a note.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from capsim import bundled, cli
from capsim.compare import counts_items_from, like_for_like, removed_items_notes, team_changes, team_lines, team_notes
from capsim.scenario import load_scenario


def _result(scenario, **columns: list[float]) -> SimpleNamespace:
    """A run as the comparison reads it: its scenario and one row per replication (three)."""
    return SimpleNamespace(scenario=scenario, per_replication=pd.DataFrame(columns))


@pytest.fixture(scope="module")
def flooded():
    """growth-central against a run whose intake (analysts) clears its queue and floods victim_id:
    paired differences of victim_id's wait +1,982 h and end backlog +2,899 on 4,654 (+62%), as in
    the trial; graders' wait moves by noise around 0 (inside its interval); victim_id's hours are
    the same (it works every hour it has)."""
    first = load_scenario(bundled.path("growth-central"))
    other = load_scenario(bundled.path("growth-central"), ["name=flooding"])
    same = dict(victim_id_hours=[13060.0] * 3, analyst_hours_victim_id=[13060.0] * 3)
    a = _result(first, wait_mean_victim_id=[4400.0, 4430.0, 4470.0], backlog_end_victim_id=[4600.0, 4654.0, 4708.0],
                wait_mean_analysts=[1300.0, 1304.0, 1310.0], backlog_end_analysts=[478000.0, 478100.0, 478200.0],
                wait_mean_graders=[23.0, 24.0, 25.0], backlog_end=[489000.0, 489300.0, 489600.0], **same)
    b = _result(other, wait_mean_victim_id=[6350.0, 6430.0, 6466.0], backlog_end_victim_id=[7480.0, 7553.0, 7626.0],
                wait_mean_analysts=[171.0, 172.0, 173.0], backlog_end_analysts=[137000.0, 137000.0, 137100.0],
                wait_mean_graders=[25.0, 22.0, 24.5], backlog_end=[151000.0, 151100.0, 151200.0], **same)
    return [a, b]


def test_a_team_whose_queue_grew_comes_first_and_is_said_to_be_hidden_by_the_total(flooded):
    changes = team_changes(flooded)["flooding"]
    assert [c.team for c in changes] == ["victim_id", "analysts"]  # worse first; graders moved within its interval
    assert [c.worse for c in changes] == [True, False]
    victim, analysts = team_lines(flooded)["flooding"]
    assert victim.startswith("team victim_id: mean wait 83 days longer (from 185 days to 268 days; 95% CI ")
    assert "2,899 more items waiting at the end (62% more; 95% CI 2,852 to 2,946)" in victim  # as the table gives it
    assert victim.endswith("worse here while all teams together have fewer items waiting at the end: a side effect "
                           "the total hides")
    assert analysts.startswith("team analysts: mean wait 47.2 days shorter (from 54.4 days to 7.2 days; 95% CI 46.8 to 47.6 days)")  # narrow: apart
    assert "side effect" not in analysts


def test_a_team_that_fell_behind_is_never_said_to_show_no_difference_alone(flooded):
    notes = team_notes(flooded, team_changes(flooded), like_for_like(flooded))
    for metric in ("victim_id_hours", "analyst_hours_victim_id"):
        assert notes[("flooding", metric)].startswith(
            "shows no difference, but team victim_id is worse off against growth-central: mean wait 83 days longer")
    assert not any(metric.endswith("_analysts") for _, metric in notes)  # a team better off needs no warning
    # with every team and the total worse, the team is listed, but no total hides it
    worse_total = [flooded[0], _result(flooded[1].scenario, **{
        **flooded[1].per_replication.to_dict("list"), "backlog_end": [500000.0, 500100.0, 500300.0]})]
    assert "side effect" not in team_lines(worse_total)["flooding"][0]


@pytest.fixture(scope="module")
def hashing():
    """base (hash matching on) against base without it: 1,555,684 more items reach the graders,
    the images' team (reports, at analysts, have no known items for the list to match)."""
    base = load_scenario(bundled.path("base"))
    off = load_scenario(bundled.path("base"), ["name=base-nohash", "tooling.hash_matching.enabled=false"])
    common = dict(assessed_analysts=[5000.0, 5010.0, 5020.0], wait_mean_analysts=[20.0, 21.0, 22.0],
                  sla_normal=[0.99, 0.995, 0.999], backlog_end=[6000.0, 6200.0, 6400.0])
    a = _result(base, auto_cleared=[1552543.0, 1555684.0, 1558825.0], assessed=[1304134.0, 1307807.0, 1311480.0],
                wait_mean=[23.9, 24.5, 25.0], assessed_graders=[1.0e6] * 3, **common)
    b = _result(off, auto_cleared=[0.0] * 3, assessed=[1511515.0, 1538964.0, 1566413.0],
                wait_mean=[3923.0, 3975.0, 4028.0], assessed_graders=[1.2e6] * 3, **common)
    return [a, b]


def test_hash_matching_says_which_metrics_count_the_items_it_cleared(hashing):
    notes = removed_items_notes(hashing)
    note = "counts different items: up to 1,560,000 items that hash matching cleared in base reach analysts in base-nohash " \
           "(auto_cleared)"
    for metric in ("assessed", "wait_mean", "assessed_graders"):
        assert notes[("base-nohash", metric)] == note
    # the reports' team and their service level count the same items; the backlog counts the queue itself
    for metric in ("assessed_analysts", "wait_mean_analysts", "sla_normal", "backlog_end", "auto_cleared"):
        assert ("base-nohash", metric) not in notes
    # the other way round (a list that clears more): items left out, not work lost
    back = removed_items_notes([_result(hashing[1].scenario, **hashing[1].per_replication.to_dict("list")),
                                _result(load_scenario(bundled.path("base")), **hashing[0].per_replication.to_dict("list"))])
    assert back[("base", "assessed")] == ("counts different items: up to 1,560,000 items that hash matching cleared "
                                          "in base reach analysts in base-nohash (auto_cleared)")
    assert removed_items_notes([hashing[0], hashing[0]]) == {}  # the same tool: the same items


def test_the_detectors_referrals_and_the_teams_they_reach_are_its_items():
    detector = load_scenario(bundled.path("tooling-detector"))
    assert counts_items_from("referred", detector) == {"referral"}
    assert counts_items_from("wait_mean_victim_id", detector) == {"referral"}
    assert counts_items_from("wait_mean_graders", detector) == {"reach"}
    assert counts_items_from("backlog_end_victim_id", detector) == set()


def test_compare_prints_each_teams_queue_and_the_hash_note(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "out_console", Console(width=400))
    done = CliRunner().invoke(cli.app, ["compare", "base", "base", "--set", "clock.horizon=30d", "-r", "2", "-w", "1",
                                        "--out", str(tmp_path / "same")], terminal_width=400)
    assert done.exit_code == 0, done.output
    assert "each team's own queue" not in done.output and "counts different items" not in done.output
    off = tmp_path / "off.yaml"
    off.write_text(f"name: base-nohash\nextends: {bundled.path('base')}\ntooling:\n  hash_matching:\n"
                   "    enabled: false\n")
    done = CliRunner().invoke(cli.app, ["compare", "base", str(off), "--set", "clock.horizon=30d", "-r", "2", "-w", "1",
                                        "--out", str(tmp_path / "cmp")], terminal_width=400)
    assert done.exit_code == 0, done.output
    text = " ".join(done.output.split())
    assert "base-nohash against base, each team's own queue where it differs beyond its paired 95% CI: team graders: " \
           "mean wait" in text
    assert "assessed, wait_mean, time_to_assessment_p90: counts different items: up to " in text
    table = pd.read_csv(tmp_path / "cmp" / "comparison.csv").set_index(["scenario", "metric"])
    cleared = table.loc[("base-nohash", "auto_cleared"), "difference"]
    assert cleared < 0 and table.loc[("base-nohash", "assessed"), "note"].startswith("counts different items: up to ")
    assert np.isnan(table.loc[("base-nohash", "backlog_end"), "note"])  # read back empty: no note
