"""A value a sweep's grid or an uncertainty run's sample writes, which the scenario refuses, is laid
at the setting that wrote it, as the user wrote it.

A sweep used to report ``--grid workforce.1.headcount=-1`` as the file's fault
(``child.yaml (extends parent.yaml): workforce.police.headcount: ...``), and ``capsim uncertainty``
showed a sampled duration in seconds (``clock.warmup=-406623.6s``) where the file wrote days. Now
each grid point names the scenario and each problem the ``--grid`` (or ``--set``) that wrote its
value, as typed; a sampled value is shown in the unit its distribution was written in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from capsim.scenario import ScenarioError
from capsim.sweep import plan_sweep
from tests.test_duplicate_names import chain
from tests.test_set_errors import CHILD_HEADCOUNT, PARENT, refused

POINT = "child.yaml (extends parent.yaml), grid point {}"


@pytest.mark.parametrize("grid, lines", [
    (["workforce.1.headcount=2,-1"],  # a list element by index, as typed
     [POINT.format("1 (workforce.1.headcount=-1):"),
      "  --grid workforce.1.headcount=-1: -1 is too small; allowed: a whole number from 0 to 100,000"]),
    (["review.report.mean=-5min", "workforce.analysts.headcount=3"],  # only the setting at fault
     [POINT.format("0 (review.report.mean=-5min, workforce.analysts.headcount=3):"),
      "  --grid review.report.mean=-5min: '-5min' is too small; allowed: a duration from 0 to 1000y"]),
    (["workforce.police.roster={hours_per_day: 30}"],  # below the key written: the key named too
     [POINT.format("0 (workforce.police.roster={hours_per_day: 30}):"),
      "  --grid workforce.police.roster={hours_per_day: 30}: workforce.police.roster.hours_per_day: "
      "30 is too large; allowed: a number above 0 and at most 24"]),
    (["workforce.police.team=unit"],  # a problem elsewhere: the file that wrote it, as changed
     [POINT.format("0 (workforce.police.team=unit):"),
      "  parent.yaml (extended by child.yaml) with --set clock.horizon=20d, --grid workforce.police.team=unit: "
      "demand.tips.team: no team 'police'; teams are analysts, unit"]),
], ids=["index", "two-keys", "below", "elsewhere"])
def test_a_refused_grid_value_is_laid_at_its_grid_setting(tmp_path: Path, grid: list[str], lines: list[str]):
    folder = chain(tmp_path)
    grids = [option for setting in grid for option in ("--grid", setting)]
    assert refused(folder, "sweep", "child.yaml", *grids, "--set", "clock.horizon=20d", "--out", "out") == lines
    assert not (folder / "out").exists()


def test_plan_sweep_lays_a_bad_set_at_the_set(tmp_path: Path):
    folder = chain(tmp_path)
    with pytest.raises(ScenarioError) as refusal:
        plan_sweep(folder / "child.yaml", {"clock.horizon": ["20d"]}, overrides=["workforce.analysts.headcount=-3"])
    assert str(refusal.value) == CHILD_HEADCOUNT.replace("child.yaml", str(folder / "child.yaml")).replace(
        "parent.yaml", str(folder / "parent.yaml"))  # the files as given: here, by their whole paths


WARMUP = "{uncertain: {dist: normal, mean: 1d, sd: 20d, source: test}}"
"""An uncertain warm-up that half the parameter sets sample below zero."""


@pytest.mark.parametrize("files, set_, said", [
    ({"parent.yaml": PARENT.replace("warmup: 2d", f"warmup: {WARMUP}")}, [],
     "parent.yaml (extended by child.yaml): clock.warmup: "),
    ({}, ["--set", f"clock.warmup={WARMUP}"], f"child.yaml (extends parent.yaml): --set clock.warmup={WARMUP}: "),
], ids=["file", "set"])
def test_a_refused_sample_is_shown_in_its_unit_and_laid_at_its_writer(tmp_path: Path, files: dict[str, str],
                                                                      set_: list[str], said: str):
    folder = chain(tmp_path, files)
    lines = refused(folder, "uncertainty", "child.yaml", *set_, "-n", "8", "-r", "2", "-w", "1", "--out", "out")
    heads = [line for line in lines if line.startswith("parameter set")]
    assert heads and all(re.fullmatch(r"parameter set \d \(clock\.warmup=-[\d.]+d\):", head) for head in heads), lines
    problems = [line for line in lines if "is too small" in line]
    assert len(problems) == len(heads)
    assert all(re.fullmatch(re.escape(f"  {said}") + r"'-[\d.]+d' is too small; allowed: a duration from 0 to 1000y", line)
               for line in problems), lines
    assert not (folder / "out").exists()
