"""A stream, team or SLA named twice in one list is refused, naming the file that does it.

``extends:`` merges lists of named elements by name, so a parent or a child that named one
twice used to lose one of the two without a word (and two SLAs of one priority crashed a run).
Now every file of the chain is checked before merging: the message names the file as the chain
names it (``parent.yaml (extended by child.yaml)``), the list key, the name and what is allowed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_set_errors import CHILD, PARENT, refused

TWICE = "names must be unique, so list each {} once"
"""What is allowed, as every duplicate-name message ends."""

POLICE_TWICE = PARENT.replace("sla:\n", "  - team: police\n    headcount: 4\n    roster: 24/7\nsla:\n")
TIPS_TWICE = PARENT.replace("review:\n", "  - {stream: tips, unit: report, rate: 1/day, priority: urgent}\nreview:\n")
URGENT_TWICE = PARENT.replace("experiment:", "  - {priority: urgent, within: 4h, target: 0.5}\nexperiment:")


def chain(folder: Path, files: dict[str, str] | None = None) -> Path:
    """``folder`` holding parent.yaml and child.yaml (which extends it; tests/test_set_errors.py),
    each replaced and more added by ``files`` (name: text)."""
    for name, text in {"parent.yaml": PARENT, "child.yaml": CHILD, **(files or {})}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("files, scenario, line", [
    ({"parent.yaml": POLICE_TWICE}, "parent.yaml",
     "parent.yaml: workforce: team 'police' is defined twice; " + TWICE.format("team")),
    ({"parent.yaml": URGENT_TWICE}, "parent.yaml",  # two SLAs of one priority used to crash the run
     "parent.yaml: sla: priority 'urgent' is defined twice; " + TWICE.format("priority")),
    ({"parent.yaml": POLICE_TWICE}, "child.yaml",  # the child changes police: merging kept one of the two
     "parent.yaml (extended by child.yaml): workforce: team 'police' is defined twice; " + TWICE.format("team")),
    ({"parent.yaml": TIPS_TWICE}, "child.yaml",  # the child leaves demand alone
     "parent.yaml (extended by child.yaml): demand: stream 'tips' is defined twice; " + TWICE.format("stream")),
    ({"parent.yaml": POLICE_TWICE, "grandchild.yaml": "name: grandchild\nextends: child.yaml\n"}, "grandchild.yaml",
     "parent.yaml (extended by child.yaml <- grandchild.yaml): workforce: team 'police' is defined twice; "
     + TWICE.format("team")),
    ({"child.yaml": CHILD + "  - {team: police, headcount: 5}\n"}, "child.yaml",  # the second used to win
     "child.yaml (extends parent.yaml): workforce: team 'police' is defined twice; " + TWICE.format("team")),
], ids=["one-file", "one-file-sla", "parent-child-changes", "parent-child-leaves", "grandparent", "child"])
def test_a_name_given_twice_names_the_file_key_and_name(tmp_path: Path, files: dict[str, str], scenario: str,
                                                       line: str):
    folder = chain(tmp_path, files)
    assert refused(folder, "run", scenario, "-r", "1", "--out", "out") == [line]
    assert not (folder / "out").exists()


def test_a_set_that_names_a_second_team_alike_is_named_with_the_file(tmp_path: Path):
    lines = refused(chain(tmp_path), "validate", "child.yaml", "--set", "workforce.police.team=analysts")
    assert lines == ["child.yaml (extends parent.yaml) with --set workforce.police.team=analysts: workforce: "
                     "team 'analysts' is defined twice; " + TWICE.format("team")]


@pytest.mark.parametrize("name, shown", [("[a, b]", "a list (got ['a', 'b'])"), ("{x: 1}", "a mapping (got {'x': 1})")])
def test_a_name_that_is_a_list_or_a_mapping_is_refused_before_merging(tmp_path: Path, name: str, shown: str):
    """A child's team named by a list or a mapping could not be merged by name (the merge crashed
    with a traceback): it is refused, naming the file and the key."""
    (tmp_path / "parent.yaml").write_text(PARENT)
    (tmp_path / "child.yaml").write_text(f"extends: parent.yaml\nworkforce:\n  - team: {name}\n    headcount: 3\n")
    assert refused(tmp_path, "validate", "child.yaml") == [
        f"child.yaml (extends parent.yaml): workforce.0.team: a team's name is a word or a phrase, not {shown}"]
