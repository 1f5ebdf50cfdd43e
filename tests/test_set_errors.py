"""Where a bad value came from: a ``--set`` or the scenario file, named by the key as ``--set`` writes it.

A ``--set workforce.analysts.headcount=-3`` used to be reported as the file's fault under
``workforce.0.headcount``. Now a problem in a value a ``--set`` wrote is laid at that ``--set``
as the user typed it; a problem in the file names the file; and every key names the streams,
teams and service levels of its path by name (``demand.tips``, ``workforce.police``,
``sla.urgent``), as ``--set`` takes them, since after ``extends:`` an element's index in the
merged list need not be its place in any one file. Every command that takes ``--set`` loads
its scenarios the same way, so each says the same.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capsim.cli import app
from capsim.scenario import load_scenario

PARENT = """\
name: parent
title: A parent scenario with two teams
clock: {horizon: 30d, warmup: 2d, start: 2024-01-01, step: 1d}
demand:
  - stream: reports
    unit: report
    rate: 150/day
    priority: normal
  - stream: tips
    unit: report
    rate: 5/day
    priority: urgent
    team: police
review:
  report: {dist: exponential, mean: 5min}
workforce:
  - team: analysts
    headcount: 2
    roster: 24/7
  - team: police
    headcount: 1
    roster: 24/7
sla:
  - {priority: normal, within: 24h, target: 0.9}
  - {priority: urgent, within: 2h, target: 0.95}
experiment: {replications: 2, seed: 7}
"""

CHILD = """\
name: child
extends: parent.yaml
workforce:          # merged by name: police is the parent's second team, this file's first
  - team: police
    headcount: 3
"""

ROUTES = """\
routing:            # two rules of one priority: neither is named by it
  - {from: analysts, to: police, when: {criminal: true}, share: 0.1, priority: normal}
  - {from: analysts, to: police, when: {criminal: false}, share: 0.2, priority: normal}
"""

HEADCOUNT = "--set workforce.analysts.headcount=-3: -3 is too small; allowed: a whole number from 0 to 100,000"
"""The user's --set as typed, then what is wrong and what is allowed: its message after the scenario
it was given to (:data:`CHILD_HEADCOUNT`)."""
CHILD_HEADCOUNT = f"child.yaml (extends parent.yaml): {HEADCOUNT}"
"""The whole message of the user's --set to child.yaml: the scenario, then :data:`HEADCOUNT`."""

runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder holding parent.yaml and child.yaml (which extends it); the tests run in it."""
    (tmp_path / "parent.yaml").write_text(PARENT, encoding="utf-8")
    (tmp_path / "child.yaml").write_text(CHILD, encoding="utf-8")
    return tmp_path


def refused(folder: Path, *args: str) -> list[str]:
    """The lines ``capsim ARGS`` prints on standard error, run in ``folder``; it must exit 2 without a traceback."""
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        result = runner.invoke(app, list(args))
    finally:
        os.chdir(cwd)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.stderr.strip().splitlines()


@pytest.mark.parametrize("command", [
    ["validate"], ["run", "-r", "1"], ["sweep", "--grid", "clock.horizon=20d,30d"], ["compare", "parent.yaml"],
    ["report"], ["brief"], ["sensitivity"], ["staff"], ["budget"], ["uncertainty"],
    ["grant", "--from", "2024-01-01"], ["calibrate"],
], ids=lambda c: c[0])
def test_every_command_lays_a_bad_set_at_the_set(folder, command):
    """One line: the scenario the --set was given to and the --set as typed."""
    name, *options = command
    out = [] if name == "validate" else ["--out", "out"]
    lines = refused(folder, name, "child.yaml", *options, *out, "--set", "workforce.analysts.headcount=-3")
    assert lines == [CHILD_HEADCOUNT]
    assert not (folder / "out").exists()


@pytest.mark.parametrize("override, message", [
    ("demand.tips.rate=-5/day", "'-5/day' is too small; allowed: a rate from 0 to 1e9/day"),
    ("sla.urgent.target=2", "2 is more than 1: this is a share, at most 1; for 2% write 0.02 or 2%"),
    ("workforce.1.headcount=-3", "-3 is too small; allowed: a whole number from 0 to 100,000"),  # an index, as typed
    ("demand.tips.team=nobody", "no team 'nobody'; teams are analysts, police"),
    ("workforce.police.roster={hours_per_day: 30}",  # below the key written: the key named too, by name
     "workforce.police.roster.hours_per_day: 30 is too large; allowed: a number above 0 and at most 24"),
    ("demand.reports.rate={figure: no_such_figure}",
     "unknown figure or derived parameter id 'no_such_figure'; list the ids with: capsim figures --search WORD"),
])
def test_a_bad_set_names_its_key_as_the_user_wrote_it(folder, override, message):
    assert refused(folder, "validate", "child.yaml", "--set", override) == [
        f"child.yaml (extends parent.yaml): --set {override}: {message}"]


def test_of_two_sets_of_one_key_the_last_is_named(folder):
    lines = refused(folder, "validate", "child.yaml", "--set", "workforce.analysts.headcount=5",
                    "--set", "workforce.analysts.headcount=-3")
    assert lines == [CHILD_HEADCOUNT]


def test_a_problem_a_set_makes_with_the_file_names_both(folder):
    """A --set of the priorities leaves the file's streams and SLAs with a priority no longer
    listed: the keys are the file's (parent.yaml's, which child.yaml extends), named by stream
    and SLA, and the --set is named beside it."""
    lines = refused(folder, "validate", "child.yaml", "--set", "priorities=[normal, low]")
    origin = "parent.yaml (extended by child.yaml) with --set priorities=[normal, low]"
    assert lines == [f"{origin}: demand.tips.priority: 'urgent' is not one of normal, low",
                     f"{origin}: sla.urgent.priority: 'urgent' is not one of normal, low"]


def test_a_bad_value_in_a_file_names_the_file_and_the_team_by_name(folder):
    """police is the first team of bad.yaml and the second once merged with its parent: its
    index in either would send the user to the wrong place, its name to the right one."""
    (folder / "bad.yaml").write_text(CHILD.replace("headcount: 3", "headcount: -1"), encoding="utf-8")
    message = "workforce.police.headcount: -1 is too small; allowed: a whole number from 0 to 100,000"
    assert refused(folder, "validate", "bad.yaml") == [f"bad.yaml (extends parent.yaml): {message}"]
    assert refused(folder, "validate", "bad.yaml", "--set", "sla.urgent.target=0.5") == [
        f"bad.yaml (extends parent.yaml) with --set sla.urgent.target=0.5: {message}"]


def test_elements_that_share_a_name_keep_their_index(folder):
    """Two routing rules of priority normal: ``routing.normal`` would be either, so each is its index."""
    (folder / "routed.yaml").write_text(CHILD.replace("parent.yaml", "parent.yaml\n" + ROUTES).replace(
        "share: 0.1", "share: 2"), encoding="utf-8")
    assert refused(folder, "validate", "routed.yaml") == [
        "routed.yaml (extends parent.yaml): routing.0.share: 2 is more than 1: this is a share, at most 1; for 2% write 0.02 or 2%"]


def test_two_teams_of_one_name_are_refused_before_their_values(folder):
    """``workforce.analysts`` could name neither of two teams called analysts: the name given twice
    is the problem reported (tests/test_duplicate_names.py), not the bad headcount of the second."""
    duplicated = PARENT.replace("  - team: police\n    headcount: 1", "  - team: analysts\n    headcount: -1")
    (folder / "twice.yaml").write_text(duplicated.replace("    team: police\n", ""), encoding="utf-8")
    assert refused(folder, "validate", "twice.yaml") == [
        "twice.yaml: workforce: team 'analysts' is defined twice; names must be unique, so list each team once"]


def test_a_routing_rule_is_given_by_index_even_when_its_priority_is_its_own(folder):
    """A rule's ``priority`` is where it sends items, not a name: ``routing.asap`` would read as one."""
    (folder / "routed.yaml").write_text(CHILD.replace("parent.yaml", "parent.yaml\n" + ROUTES).replace(
        "share: 0.1, priority: normal", "share: 0.1, priority: asap"), encoding="utf-8")
    lines = refused(folder, "validate", "routed.yaml")
    assert len(lines) == 1 and lines[0].startswith("routed.yaml (extends parent.yaml): routing.0.priority: 'asap'")


def test_an_uncertain_input_of_the_second_of_two_like_named_rules_is_keyed_by_its_index(folder):
    """The key is what capsim uncertainty writes the sampled values to: ``routing.normal.share``
    would write them to the first rule."""
    (folder / "routed.yaml").write_text(CHILD.replace("parent.yaml", "parent.yaml\n" + ROUTES).replace(
        "share: 0.2", "share: {uncertain: {dist: uniform, low: 0.1, high: 0.3, source: assumption}}"), encoding="utf-8")
    assert [i.key for i in load_scenario(folder / "routed.yaml").uncertain] == ["routing.1.share"]


def test_the_users_command_is_refused_in_one_line_on_the_real_standard_error(tmp_path):
    """The command the user ran, in a subprocess: its real standard error, exit status and output folder."""
    capsim = Path(sys.executable).parent / "capsim"
    proc = subprocess.run([str(capsim), "run", "growth-central", "--set", "workforce.analysts.headcount=-3",
                           "-r", "1", "--out", str(tmp_path / "x")], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, COLUMNS="200"))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"growth-central (extends base): {HEADCOUNT}"]
    assert proc.stdout == "" and not (tmp_path / "x").exists()
