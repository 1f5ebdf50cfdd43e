"""Scenario names and arguments never lead capsim out of its output folder, nor into the machine's paths.

A safety trial (the eighth) found: ``grant`` wrote ``plans/<scenario name>.yaml`` as the name
said, so a name ``/…/victim/important`` or ``../../parentfile`` overwrote the user's files; a
report's charts of two scenarios whose names make one file name overwrote each other; ``-o/abs``
(a short option with its path joined) reached the manifest's command as it was; ``scenarios
--copy`` wrote one file, then failed on a link to a missing file; and ``--out ''``, a file given
as the copy's folder and an ``--out`` name too long for the file system got messages that named
the wrong thing. Every test works inside ``tmp_path`` and checks the user's files byte for byte.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt

from capsim import bundled
from capsim.experiment import simulate
from capsim.manifest import manifest, portable
from capsim.output import safe_name
from capsim.scenario import load_scenario
from tests.test_output_safety import invoke, leftovers, refused, snapshot
from tests.test_sweep import TINY  # two days, one team with an SLA and costs: quick to plan and cost


def tiny(folder: Path, file: str, name: str) -> Path:
    """The tiny scenario under ``name``, written to ``folder/file``."""
    path = folder / file
    path.write_text(TINY.replace("name: tiny", f"name: {name!r}"), encoding="utf-8")
    return path


def test_grant_writes_each_plan_inside_plans_whatever_the_scenario_is_called(tmp_path):
    (tmp_path / "victim").mkdir()
    (tmp_path / "victim" / "important.yaml").write_text("the user's own\n")
    (tmp_path / "parentfile.yaml").write_text("also the user's\n")
    names = [str(tmp_path / "victim" / "important"), "../../parentfile", "nosuchdir/x"]
    files = [tiny(tmp_path, f"s{i}.yaml", name) for i, name in enumerate(names)]
    before = snapshot(tmp_path)
    result = invoke("grant", *files, "--from", "2024-01-01", "--years", "1", "-r", "2", "-w", "1",
                    "--out", tmp_path / "g")
    after = snapshot(tmp_path)
    assert {key: after[key] for key in before} == before  # nothing of the user's changed
    assert result.exit_code in (0, 3), result.output  # 3: a year not met as costed; the files are written
    plans = tmp_path / "g" / "plans"
    stems = [safe_name(names[0]), "parentfile", "nosuchdir-x"]  # the default folders' rule: cut to 64 characters
    assert sorted(p.name for p in plans.iterdir()) == sorted(f"{stem}.yaml" for stem in stems)
    for name, stem in zip(names, stems):
        assert f"the staffing plan of {name} (" in (plans / f"{stem}.yaml").read_text(encoding="utf-8")
    assert not leftovers(tmp_path)


def test_grant_refuses_names_that_give_no_plan_file_or_one_plan_file_for_two(tmp_path):
    one, two = tiny(tmp_path, "one.yaml", "a/b"), tiny(tmp_path, "two.yaml", "a b")
    result = invoke("grant", one, two, "--from", "2024-01-01", "--years", "1", "-r", "2", "-w", "1",
                    "--out", tmp_path / "g")
    refused(result, "scenario names 'a/b' and 'a b': both give the plan file plans/a-b.yaml", "rename one of them")
    result = invoke("grant", tiny(tmp_path, "jp.yaml", "日本"), "--from", "2024-01-01", "--years", "1", "-r", "2",
                    "-w", "1", "--out", tmp_path / "g")
    refused(result, "scenario name '日本': gives no usable file name for its plan", "rename the scenario")
    assert "--out" not in result.stderr  # the output folder is not what is wrong
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jp.yaml", "one.yaml", "two.yaml"]


def test_a_reports_charts_of_names_that_make_one_file_name_are_all_kept(tmp_path):
    from capsim.report import report_charts

    scenarios = [load_scenario(tiny(tmp_path, f"s{i}.yaml", name)) for i, name in enumerate(["a/b", "a b", "——"])]
    results = [simulate(s, replications=1, seed=1, periods=None) for s in scenarios]
    figs = report_charts(results)
    try:
        per_run = [stem.removeprefix("a-b-") for stem in figs if stem.startswith("a-b-") and
                   not stem.startswith("a-b-2-")]
        assert per_run  # each run's charts, under its own prefix
        assert set(figs) == {"comparison", *(f"{prefix}-{stem}" for prefix in ("a-b", "a-b-2", "scenario")
                                             for stem in per_run)}
    finally:
        for fig in figs.values():
            plt.close(fig)


def test_no_form_of_an_absolute_path_reaches_the_manifests_command(tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    out = tmp_path / "w" / "r3"
    monkeypatch.setattr(sys, "argv", ["capsim", "run", "base", f"-o{out}", "--out", str(out), f"--out={out}",
                                      f"--set=clock.note={out}", "-o~/r4", "-r2", "-oout/r5"])
    record = manifest(load_scenario(bundled.path("base")), seed=1, replications=1, workers=1,
                      started=dt.datetime(2026, 1, 1), wall_seconds=0.0, source="base",
                      overrides=[])
    assert record["command"] == ("capsim run base -or3 --out r3 --out=r3 --set=clock.note=r3 -or4 -r2 -oout/r5")
    assert portable(f"-o{elsewhere / 'sub' / 'x'}") == "-osub/x"  # inside the current folder: relative to it


def test_copy_checks_every_file_before_writing_any(tmp_path):
    folder = tmp_path / "c3"
    folder.mkdir()
    (folder / "base.yaml").symlink_to(tmp_path / "nonexistent-target")
    before = snapshot(tmp_path)
    result = invoke("scenarios", "--copy", "growth-central", folder)
    assert snapshot(tmp_path) == before
    refused(result, f"{folder / 'base.yaml'} is a symlink to a missing file", "nothing was written",
            "remove or move it, or choose another folder")


def test_a_copy_that_fails_midway_removes_what_it_wrote(tmp_path, monkeypatch):
    opened = Path.open

    def disk_full(self, mode="r", *args, **kwargs):
        if self == tmp_path / "base.yaml" and mode == "x":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return opened(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", disk_full)
    result = invoke("scenarios", "--copy", "growth-central", tmp_path)
    assert list(tmp_path.iterdir()) == []
    refused(result, f"{tmp_path}: cannot write the scenario there (No space left on device); nothing was written")


def test_copy_into_a_file_says_it_is_a_file(tmp_path):
    (tmp_path / "f").write_text("x\n")
    refused(invoke("scenarios", "--copy", "base", tmp_path / "f"), f"{tmp_path / 'f'}: is a file, not a folder")
    assert (tmp_path / "f").read_text() == "x\n"


def test_an_empty_out_is_not_taken_for_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    scenario = tiny(tmp_path, "t.yaml", "t")
    result = invoke("run", scenario, "--out", "", "-r", "1", "-w", "1")
    refused(result, "--out '': an empty --out is not a folder name")
    assert "current folder" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.yaml"]


def test_an_out_name_too_long_for_the_file_system_is_refused_by_its_length(tmp_path):
    from capsim.output import claim, write_manifest

    room = os.pathconf(tmp_path, "PC_NAME_MAX") - len(".") - len(".partial-12345678")  # the staging folder's name
    scenario = tiny(tmp_path, "t.yaml", "t")
    result = invoke("run", scenario, "--out", tmp_path / ("a" * (room + 1)), "-r", "1", "-w", "1")
    refused(result, f"the folder's name is {room + 1} bytes long; capsim can use at most {room} here",
            "choose a shorter name with --out")
    assert "lock" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.yaml"]
    longest = tmp_path / ("b" * room)  # the longest allowed: its staging folder still fits
    with claim(longest, "run") as claimed, claimed.write() as folder:
        write_manifest(folder, "run", {})
    assert (longest / "manifest.json").is_file() and not leftovers(tmp_path)
