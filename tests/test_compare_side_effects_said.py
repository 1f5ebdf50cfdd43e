"""A tool's saving and its side effect said together, as a fourth comparison trial found them.

``capsim sweep tooling-classifier --grid tooling.classifier.recall=0.7,0.95`` showed sla_normal
higher at the lower recall with no word that it counts other items, and the harmful items missed
only in the CSV; ``capsim compare base tooling-detector`` showed "Victim-identification hours
−664" with nothing saying it was real-victim work not done; ``compare base tooling-classifier``
put "−8.0 points" (items relabelled) in the difference column where the like-for-like figure
is −2.2; and "Harmful items the classifier missed" read as never reviewed.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from capsim import bundled, cli
from capsim.charts.compare import _comparison_finding, difference_words, paired_differences, panel_label
from capsim.compare import compare
from capsim.experiment import simulate
from capsim.report.findings import comparison_lines
from capsim.scenario import load_scenario
from capsim.words import fmt, metric_label

SHORT = ["clock.horizon=90d"]  # long enough for referrals to victim identification in every replication
SEED = 20240101


def _run(name: str, extra: list[str] | None = None):
    return simulate(load_scenario(bundled.path(name), SHORT + (extra or [])), replications=3, seed=SEED)


@pytest.fixture(scope="module")
def detector():
    return [_run("base"), _run("tooling-detector")]


@pytest.fixture(scope="module")
def classifier():
    return [_run("base"), _run("tooling-classifier")]


def _words(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- 1. the sweep


def test_the_sweep_says_a_relabelled_share_counts_other_items_and_shows_the_harmful_items_missed(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "out_console", Console(width=400))  # one line per row: its cells can be read
    done = CliRunner().invoke(cli.app, ["sweep", "tooling-classifier", "--grid", "tooling.classifier.recall=0.7,0.95",
                                        "-r", "2", "--workers", "1", "--set", "clock.horizon=60d",
                                        "--out", str(tmp_path / "sweep")], terminal_width=400)
    assert done.exit_code == 0, done.output
    text = _words(done.output)
    assert ("sla_normal: counts different items: the classifier in point 0, point 1 moves items between priorities; "
            "compare sla_normal_original") in text
    header = next(line for line in done.output.splitlines() if "sla_normal" in line and "point" in line)
    assert header.index("sla_normal") < header.index("harmful_missed") < header.index("wait_mean_missed_harmful")
    rows = [line for line in done.output.splitlines() if re.match(r"│\s+[01] │", line)]
    missed = [int(re.sub(r"\D", "", line.split("│")[header.split("┃").index(
        next(c for c in header.split("┃") if "harmful_missed" in c and "wait" not in c))])) for line in rows[:2]]
    assert missed[0] > missed[1] > 0  # lower recall misses more: the cost of its better-looking sla_normal


def test_a_sweep_shows_the_side_effects_of_the_tool_it_varies_only():
    from capsim.compare import definition_notes
    from capsim.side_effects import varied_side_effects

    base = load_scenario(bundled.path("tooling-classifier"))
    other = load_scenario(bundled.path("tooling-classifier"), ["tooling.classifier.recall=0.7"])
    staffed = load_scenario(bundled.path("tooling-classifier"), ["workforce.analysts.headcount=20"])
    assert varied_side_effects([base, other]) == ["harmful_missed", "wait_mean_missed_harmful"]
    assert varied_side_effects([base, staffed]) == []
    detector = load_scenario(bundled.path("tooling-detector"))
    assert varied_side_effects([detector, load_scenario(bundled.path("tooling-detector"),
                                                       ["tooling.synthetic_detector.fpr=0.1"])]) == [
        "referrals_lost_real", "referrals_avoided_synthetic"]
    assert definition_notes([base, staffed]) == {}  # the same classifier: the same items


# --------------------------------------------------------------------------- 2. the detector's "saving"


def test_the_detectors_fall_in_hours_is_said_to_be_real_work_not_done(detector):
    from capsim.compare import real_work_not_done

    real, low, high, synthetic, hours, lost = real_work_not_done(detector)["tooling-detector"]
    table = compare(detector)
    mine = table[table.scenario == "tooling-detector"].set_index("metric")
    # the real part is the fall in all hours less that on AI-generated items, replication by replication
    assert real == pytest.approx(mine.loc["victim_id_hours", "difference"]
                                 - mine.loc["victim_id_hours_on_synthetic", "difference"])
    assert hours == pytest.approx(mine.loc["victim_id_hours", "difference"])
    assert lost == pytest.approx(mine.loc["referrals_lost_real", "difference"]) and lost > 0
    assert low < real < high < 0 and abs(synthetic) < abs(real)
    for metric in ("victim_id_hours", "analyst_hours"):
        note = mine.loc[metric, "note"]
        assert "fewer on real (not AI-generated) items, work on real children's imagery not done, not time saved" in note
        assert "expected real referrals to false positives" in note
    assert table[(table.scenario == "base") & (table.metric == "victim_id_hours")].note.iloc[0] == ""
    assert real_work_not_done([detector[0], detector[0]]) == {}  # no detector: nothing lost


def test_the_chart_title_and_the_findings_never_call_the_detectors_fall_a_saving(detector):
    table = paired_differences(detector)
    title = _comparison_finding(table, ["base", "tooling-detector"], "victim_id_hours", detector)
    assert "saves" not in title
    assert re.search(r"fewer victim-identification hours, [\d,]+ \([\d,]+–[\d,]+\) of them work on real items "
                     r"not done: [\d,]+ \([\d,]+–[\d,]+\) real-victim referrals are lost", title), title
    lines = comparison_lines(table, detector[0].scenario)["tooling-detector"]
    line = next(x for x in lines if x.startswith("Victim-identification hours:"))
    assert "note: it falls by" in line and "work on real children's imagery not done" in line


# --------------------------------------------------------------------------- 3. like for like


def test_a_relabelled_shares_difference_is_not_shown_and_points_to_the_like_for_like_row():
    from capsim.compare import unlike_difference

    notes = {"sla_normal": "counts different items", "sla_normal_analysts": "counts different items"}
    metrics = ["sla_normal", "sla_normal_original", "sla_normal_analysts", "wait_mean"]
    assert unlike_difference("sla_normal", notes, metrics) == (
        "n/a: other items (the own-priority row compares the same items)")
    assert unlike_difference("sla_normal_analysts", notes, metrics) == "n/a (other items)"
    assert unlike_difference("wait_mean", notes, metrics) is None
    assert unlike_difference("sla_normal_original", notes, metrics) is None


def test_compare_prints_the_own_priority_difference_and_the_missed_items_wait(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "out_console", Console(width=400))
    done = CliRunner().invoke(cli.app, ["compare", "base", "tooling-classifier", "-r", "2", "--workers", "1",
                                        "--set", "clock.horizon=60d", "--out", str(tmp_path / "cmp")],
                              terminal_width=400)
    assert done.exit_code == 0, done.output
    table = pd.read_csv(tmp_path / "cmp" / "comparison.csv").set_index(["scenario", "metric"])
    mine = table.loc["tooling-classifier"]
    own = mine.loc["sla_normal_original"]
    assert abs(mine.loc["sla_normal", "difference"] - own.difference) > 0.005  # the two differ, so which is printed matters
    rows = [[c.strip() for c in line.split("│")] for line in done.output.splitlines()
            if line.startswith("│ tooling-classifier")]
    # a row's difference is of its own items: the relabelled share's would be of other items (the
    # review of trial 9: it once showed the own-priority difference beside the relabelled share)
    cells = next(r for r in rows if r[2] == "Share of items the classifier did not flag assessed within 72 h")
    assert cells[5] == "n/a: other items (the own-priority row compares the same items)" and cells[6] == ""
    own_row = next(r for r in rows if r[2] == "Share of reports within 72 h (own priority)")
    assert own_row[5] == difference_words("sla_normal_original", own.difference, own.difference_ci_low,
                                          own.difference_ci_high)[0][0] + " points"
    team = next(line for line in done.output.splitlines()
                if line.startswith("│ tooling-classifier") and "72 h at team analysts" in line)
    assert "n/a (other items)" in team
    lines = done.output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("│ tooling-classifier") and "Harmful items" in line)
    beside = next(line for line in lines[at + 1:] if line.startswith("│ tooling-classifier"))  # the next row
    summary = pd.read_csv(tmp_path / "cmp" / "summary.csv")
    wait = summary[(summary.scenario == "tooling-classifier") & (summary.period == "all")
                   & (summary.metric == "wait_mean_missed_harmful")].iloc[0]
    assert [c.strip() for c in beside.split("│")][3:5] == [
        fmt(wait.metric, wait["mean"]), f"{fmt(wait.metric, wait.ci_low, ref=wait['mean'])} to "
                                        f"{fmt(wait.metric, wait.ci_high, ref=wait['mean'])}"]
    text = _words(done.output)
    assert "harmful_missed: counts items not flagged, not items never reviewed" in text


# --------------------------------------------------------------------------- 4. harmful items "missed"


def test_harmful_items_not_flagged_are_said_to_be_assessed_later_with_their_wait(classifier):
    table = compare(classifier)
    note = table[(table.scenario == "tooling-classifier") & (table.metric == "harmful_missed")].note.iloc[0]
    wait = classifier[1].summary.set_index("metric").loc["wait_mean_missed_harmful"]
    assert note.startswith("counts items not flagged, not items never reviewed: in tooling-classifier they are still "
                           "assessed, later, after waiting in the classifier's normal queue ")
    assert f"{wait['mean']:.1f} h on average" in note and "wait_mean_missed_harmful" in note
    title = _comparison_finding(paired_differences(classifier), ["base", "tooling-classifier"], "harmful_missed",
                                classifier)
    assert "misses" not in title and "they are still assessed, later" in title
    assert f"on average {wait['mean']:.1f} hours (95% CI" in title
    assert panel_label("harmful_missed", classifier[1].scenario, []) == (
        "Harmful items the classifier did not flag: still assessed, later")
    # with a time limit some expire unassessed: every place says so, and the label itself claims
    # nothing either way (the review of trial 9: it said "(assessed later)" in every table)
    expiring = load_scenario(bundled.path("tooling-classifier"), ["demand.reports.ttl.mean=30d"])
    assert panel_label("harmful_missed", expiring, []).endswith("still assessed, later, unless they expire first")
    assert metric_label("harmful_missed") == "Harmful items the classifier did not flag"


def test_a_sweep_s_many_points_are_counted_in_the_note_not_listed():
    from capsim.bundled import path
    from capsim.compare import NAMED_RUNS, definition_notes
    from capsim.scenario import load_scenario

    base, relabelling = load_scenario(path("base")), load_scenario(path("tooling-classifier"))
    points = [f"point {i}" for i in range(12)]
    note = definition_notes([base] + [relabelling] * 11, points)["sla_normal"]
    assert "the classifier in 11 of the 12 runs (point 1, point 2, ...) moves items" in note
    few = definition_notes([base] + [relabelling] * NAMED_RUNS, points[:NAMED_RUNS + 1])["sla_normal"]
    assert f"the classifier in {', '.join(points[1:NAMED_RUNS + 1])} moves items" in few


def test_real_work_not_done_is_said_only_where_the_detector_is_the_one_change():
    """The review of trial 9: a second scenario that also adds staff or changes review times moves
    the victim-identification hours too, so their fall is not all the detector's lost referrals."""
    from capsim.bundled import path
    from capsim.compare import only_detector_differs
    from capsim.scenario import load_scenario

    base, detector = load_scenario(path("base")), load_scenario(path("tooling-detector"))
    assert only_detector_differs(base, detector)
    more_staff = load_scenario(path("tooling-detector"), overrides=["workforce.victim_id.headcount=6"])
    assert not only_detector_differs(base, more_staff)
    assert not only_detector_differs(base, load_scenario(path("tooling-classifier")))
