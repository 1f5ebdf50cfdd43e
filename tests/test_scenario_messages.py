"""How scenario files are read under ``extends:`` and named in messages.

A child's ``routing:`` replaces its parent's rules whole (a rule's ``priority`` is not a
name); a bad value names the file of the ``extends:`` chain that holds it; a bundled scenario
is named as the user named it (``base``), never by the folder capsim is installed in; and a
sweep refusing a folder of another sweep says, in words and units, what differs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capsim import bundled, written_files
from capsim.cli import app
from capsim.scenario import ScenarioError, load_scenario
from capsim.sweep import SweepError, sweep

PARENT = """\
name: parent
clock: {horizon: 30d}
demand:
  - {stream: reports, unit: report, rate: 100/day, priority: normal}
review:
  report: {dist: exponential, mean: 60s}
workforce:
  - {team: analysts, headcount: 5}
  - {team: victim_id, headcount: 2}
routing:            # two rules of one priority
  - {from: analysts, to: victim_id, when: {ai_generated: false}, share: 0.01, priority: low}
  - {from: analysts, to: victim_id, when: {ai_generated: true}, share: 0.02, priority: low}
"""

runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding parent.yaml, made the current folder so that paths are given as a user types them."""
    (tmp_path / "parent.yaml").write_text(PARENT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def child(folder: Path, text: str, name: str = "child.yaml", parent: str = "parent.yaml") -> str:
    """Write a scenario that extends ``parent`` with ``text``; its path as the user gives it (relative)."""
    (folder / name).write_text(f"name: {Path(name).stem}\nextends: {parent}\n{text}", encoding="utf-8")
    return name


def problems(path: str, overrides: tuple[str, ...] = ()) -> list[str]:
    """The lines of the ScenarioError raised by loading ``path``."""
    with pytest.raises(ScenarioError) as err:
        load_scenario(path, list(overrides))
    return str(err.value).splitlines()


def rules(path: str) -> list[tuple]:
    return [(r.when, r.share, r.priority) for r in load_scenario(path).routing]


# --------------------------------------------------------------------------- routing under extends:


def test_a_childs_routing_replaces_the_parents_rules_whole(folder):
    """Merged by priority, the child's rule was laid over the parent's second and the first was lost."""
    path = child(folder, "routing:\n  - {from: analysts, to: victim_id, when: {criminal: true}, share: 0.5, priority: high}\n")
    assert rules(path) == [({"criminal": True}, 0.5, "high")]


def test_a_childs_rule_of_a_parents_priority_is_not_merged_into_the_parents_rule(folder):
    path = child(folder, "routing:\n  - {from: analysts, to: victim_id, when: {known: false}, share: 0.3, priority: low}\n")
    assert rules(path) == [({"known": False}, 0.3, "low")]


def test_a_child_that_leaves_routing_out_keeps_each_of_the_parents_rules_of_one_priority(folder):
    path = child(folder, "workforce:\n  - {team: analysts, headcount: 7}\n")
    assert rules(path) == [({"ai_generated": False}, 0.01, "low"), ({"ai_generated": True}, 0.02, "low")]
    assert load_scenario(path).workforce[0].headcount == 7  # named lists still merge by name


def test_the_bundled_scenarios_inherit_their_routing_unchanged():
    """No bundled child writes routing: each keeps its parent's two victim-identification rules."""
    for name in ("growth-central", "growth-videos", "tooling-detector", "tooling-classifier"):
        assert load_scenario(bundled.path(name)).routing == load_scenario(bundled.path("base")).routing


# --------------------------------------------------------------------------- the file a bad value came from


def test_a_bad_value_in_the_parent_names_the_parent(folder):
    (folder / "parent.yaml").write_text(PARENT.replace("headcount: 5", "headcount: -3"), encoding="utf-8")
    path = child(folder, "clock: {horizon: 60d}\n")
    assert problems(path) == ["parent.yaml (extended by child.yaml): workforce.analysts.headcount: "
                              "-3 is too small; allowed: a whole number from 0 to 100,000"]
    assert problems(path, ("clock.horizon=20d",)) == [
        "parent.yaml (extended by child.yaml) with --set clock.horizon=20d: workforce.analysts.headcount: "
        "-3 is too small; allowed: a whole number from 0 to 100,000"]


def test_a_bad_value_in_the_child_names_the_child_even_over_a_bad_one_in_the_parent(folder):
    (folder / "parent.yaml").write_text(PARENT.replace("headcount: 5", "headcount: -3"), encoding="utf-8")
    path = child(folder, "workforce:\n  - {team: analysts, headcount: -4}\n")
    assert problems(path) == ["child.yaml (extends parent.yaml): workforce.analysts.headcount: "
                              "-4 is too small; allowed: a whole number from 0 to 100,000"]


def test_a_bad_value_two_files_up_names_that_file_and_the_files_that_extend_it(folder):
    (folder / "parent.yaml").write_text(PARENT.replace("horizon: 30d", "horizon: 30d, warmup: -1d"), encoding="utf-8")
    (folder / "variants").mkdir()
    child(folder, "experiment: {seed: 2}\n", name="variants/middle.yaml", parent="../parent.yaml")
    path = child(folder, "experiment: {seed: 3}\n", name="variants/leaf.yaml", parent="middle.yaml")
    assert problems(path) == ["variants/../parent.yaml (extended by variants/middle.yaml <- variants/leaf.yaml): clock.warmup: "
                              "'-1d' is too small; allowed: a duration from 0 to 1000y"]


def test_a_key_missing_from_a_childs_routing_is_not_laid_at_the_parents_rules(folder):
    """The parent's rules hold ``to``, but the child's replace them: the key is missing from the child."""
    path = child(folder, "routing:\n  - {from: analysts, when: {criminal: true}, share: 0.5}\n")
    assert problems(path) == ["child.yaml (extends parent.yaml): routing.0.to: required key is missing"]


def test_an_extends_loop_names_the_files_as_given(folder):
    child(folder, "", name="a.yaml", parent="b.yaml")
    child(folder, "", name="b.yaml", parent="a.yaml")
    assert problems("a.yaml") == ["b.yaml: extends forms a loop (a.yaml -> b.yaml -> a.yaml)"]


# --------------------------------------------------------------------------- bundled scenarios by name


def capsim(*args: str) -> tuple[int, str, str]:
    """Exit status, standard output and standard error of ``capsim ARGS`` (never a traceback)."""
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def no_folder(text: str) -> bool:
    """Whether ``text`` names no folder of this machine: neither capsim's nor any absolute path."""
    return str(bundled.folder()) not in text and not re.search(r"(^|\s|\()/\w", text)


def test_an_invalid_bundled_scenario_is_named_as_the_user_named_it(folder):
    code, _, err = capsim("validate", "base", "--set", "clock.horizon=10d")
    assert code == 2 and no_folder(err), err
    assert err.startswith("base with --set clock.horizon=10d: clock: warmup (28d) must be shorter than the horizon")
    code, _, err = capsim("validate", "growth-videos", "--set", "clock.horizon=10d")
    assert code == 2 and no_folder(err), err
    assert err.startswith("growth-central (extended by growth-videos) with --set clock.horizon=10d: clock: ")


def test_a_bundled_scenarios_warnings_and_report_name_it(folder):
    code, out, err = capsim("validate", "base", "--set", "sla.normal.within=400d")
    assert code == 0 and no_folder(out + err), out + err
    assert err.startswith("base: warning: sla.normal.within: 400d is longer than clock.horizon")
    assert out.startswith("base: valid scenario 'base'")


def test_a_user_file_keeps_the_path_as_typed(folder):
    (folder / "sub").mkdir()
    (folder / "sub" / "parent.yaml").write_text(PARENT.replace("headcount: 5", "headcount: -3"), encoding="utf-8")
    child(folder, "", name="sub/child.yaml")
    code, _, err = capsim("validate", "sub/child.yaml")
    assert code == 2 and err.startswith("sub/parent.yaml (extended by sub/child.yaml): workforce.analysts.headcount")


# --------------------------------------------------------------------------- a sweep's folder of another design


TINY = """\
name: tiny
clock: {horizon: 2d, start: 2024-01-01, step: 6h}
demand:
  - {stream: reports, unit: report, rate: 150/day, priority: normal}
review:
  report: {dist: exponential, mean: 5min}
workforce:
  - {team: analysts, headcount: 2, roster: 24/7}
experiment: {replications: 1, seed: 7}
"""


@pytest.fixture
def swept(folder: Path) -> Path:
    """A folder holding a finished sweep of tiny.yaml over headcount 1 and 2, made in ``folder``."""
    (folder / "tiny.yaml").write_text(TINY, encoding="utf-8")
    sweep("tiny.yaml", {"workforce.analysts.headcount": [1, 2]}, out="swept")
    return Path("swept")


def refusal(grid: dict, overrides: tuple[str, ...] = (), seed: int | None = None, task: str = "0-0") -> str:
    """The message of the sweep of tiny.yaml over ``grid`` refused the folder ``swept`` for its task ``task``."""
    with pytest.raises(SweepError) as err:
        sweep("tiny.yaml", grid, seed=seed, out="swept", overrides=overrides)
    message = str(err.value)
    assert not re.search(r"[0-9a-f]{12}", message), message  # no digest
    assert message.startswith(f"swept: holds another sweep's results (tasks/{task}.json among them)")
    assert message.endswith("Choose another --out for this sweep, or delete swept to start it afresh there.")
    return message


def test_a_sweep_says_which_settings_differ_with_their_units(swept):
    message = refusal({"workforce.analysts.headcount": [1, 2]}, ("clock.horizon=3d", "review.report.mean=6min"))
    assert "at grid point 0, clock.horizon: 3d here, 2d in the folder; review.report.mean: 6min here, 5min in the folder." in message


def test_a_sweep_says_which_grid_values_differ(swept):
    message = refusal({"workforce.analysts.headcount": [3, 4]})
    assert "at grid point 0, workforce.analysts.headcount: 3 here, 1 in the folder." in message
    message = refusal({"clock.horizon": ["1d", "3d"]})
    assert ("at grid point 0, clock.horizon: 1d here, 2d in the folder; "
            "workforce.analysts.headcount: 2 here, 1 in the folder.") in message


def test_a_sweep_says_when_only_the_seed_or_the_number_of_points_differs(swept):
    assert "the seed is 8 here, 7 in the folder." in refusal({"workforce.analysts.headcount": [1, 2]}, seed=8)
    fewer = refusal({"workforce.analysts.headcount": [1]}, task="1-0")
    assert "this sweep has 1 grid point(s), the folder's at least 2." in fewer


def test_a_sweep_names_five_settings_and_counts_the_rest_cutting_long_values(swept):
    priorities = "[" + ", ".join(["urgent", "high", "normal", "low", *(f"extra_level_{i}" for i in range(8))]) + "]"
    message = refusal({"workforce.analysts.headcount": [1, 2]}, (
        "clock.step=12h", "clock.warmup=1h", "review.report.mean=6min", f"priorities={priorities}", "title=x",
        "description=x"))
    said = message.split("at grid point 0, ")[1]
    assert said.count(" in the folder") == 5 and "; and 1 more setting(s). Choose" in said
    written = re.search(r"priorities: (\S.*?) here, not set in the folder", said).group(1)
    assert len(written) == 80 and written.endswith("…") and written.startswith('["urgent", "high"')


def test_a_sweep_of_the_same_settings_made_by_another_capsim_says_so(swept):
    task = swept / "tasks" / "0-0.json"
    task.write_text(json.dumps({**json.loads(task.read_text()), "scenario_sha256": "another"}), encoding="utf-8")
    written_files.list_files(swept)  # as another capsim would have listed it
    assert ("its scenario at grid point 0 differs from this sweep's, in no setting written."
            in refusal({"workforce.analysts.headcount": [1, 2]}))
    manifest = json.loads((swept / "manifest.json").read_text())
    manifest["versions"]["capsim"] = "0.0.1"
    (swept / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    written_files.list_files(swept)
    assert ("in no setting written: capsim 0.0.1 made it, this is capsim "
            in refusal({"workforce.analysts.headcount": [1, 2]}))


def test_the_sweep_command_prints_what_differs(swept):
    code, _, err = capsim("sweep", "tiny.yaml", "--grid", "workforce.analysts.headcount=1,2", "--out", "swept",
                          "--set", "clock.horizon=3d")
    assert code == 2 and "clock.horizon: 3d here, 2d in the folder" in err and no_folder(err), err


def test_a_sweep_whose_folder_does_not_keep_its_scenario_says_it_cannot_tell_how_it_differs(swept):
    manifest = json.loads((swept / "manifest.json").read_text())
    del manifest["scenario"]
    (swept / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    written_files.list_files(swept)
    message = refusal({"workforce.analysts.headcount": [1, 2]}, ("clock.horizon=3d",))
    assert "its scenario at grid point 0 is not this sweep's (the folder's manifest.json does not say how)." in message
