"""Small messages a user trial found wrong: each says what is true, in the words the rest of capsim uses.

- ``capsim compare`` wrote a metric with no spread "£8,498,491 to £8,498,491" where ``capsim run``
  says "the same in every replication";
- a negative ``doubling_time`` was refused with "greater than or equal to 0", and 0d then with "must
  be at least 1d": the first message now gives the real limit;
- a folder holding someone else's manifest.json was said to hold "a capsim output";
- a bad value a ``--set`` wrote did not name the scenario it was given to;
- a by-year note of ``capsim compare`` wrote "+66 points" and "+65.13 points" in one sentence.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from capsim import bundled, cli, output
from capsim.charts.compare import year_difference_lines
from capsim.scenario import ScenarioError, load_scenario
from tests.test_compare_review19 import _years, long_run


def test_compare_says_a_metric_with_no_spread_is_the_same_in_every_replication(tmp_path, monkeypatch):
    """Staff costs do not vary between replications: run's words, not "£41,292 to £41,292"."""
    monkeypatch.setattr(cli, "out_console", Console(width=400))
    done = CliRunner().invoke(cli.app, ["compare", "base", "growth-central", "--set", "clock.horizon=10d",
                                        "--set", "clock.warmup=1d", "-r", "2", "-w", "1", "--out",
                                        str(tmp_path / "cmp")], terminal_width=400)
    assert done.exit_code == 0, done.output
    costs = [line for line in done.output.splitlines() if "Total cost" in line]
    assert len(costs) == 2, done.output
    for line in costs:
        cost = re.search(r"(£[\d,]+) .*?│ *(.*?) *│", line.split("Total cost", 1)[1])
        assert cost.group(2) == "the same in every replication", line


@pytest.mark.parametrize("given, shown", [("-843d", "-843d"), ("0d", "0s"), ("12h", "12h")])
def test_a_doubling_time_under_a_day_is_refused_with_the_real_limit(given, shown):
    with pytest.raises(ScenarioError) as refused:
        load_scenario(bundled.path("base"),
                      [f"demand.reports.growth={{model: exponential, doubling_time: {given}}}"])
    assert str(refused.value).endswith(f"demand.reports.growth.doubling_time: must be at least 1d (got {shown})")


def test_a_folder_with_someone_elses_manifest_is_not_called_a_capsim_output(tmp_path: Path):
    """A manifest.json capsim did not write, which happens to read as an older capsim's (a
    ``scenarios`` key beside a report.html), and no list of capsim's files: refused, in true words."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"name": "our site", "scenarios": ["a", "b"]}))
    (folder / "report.html").write_text("<p>our own report</p>")
    with pytest.raises(output.OutputError) as refused:
        output.check(folder, "report")
    said = str(refused.value)
    assert "holds a manifest.json that capsim did not write, or that an older capsim wrote without listing its " \
           "files (.capsim-files), so capsim cannot tell its files from yours (left untouched)" in said
    assert "holds a capsim output" not in said


def test_a_bad_value_a_set_wrote_names_the_scenario_and_the_set():
    with pytest.raises(ScenarioError) as refused:
        load_scenario(bundled.path("police-unit"), ["workforce.triage.headcount=-2"])
    assert str(refused.value) == ("police-unit: --set workforce.triage.headcount=-2: -2 is too small; "
                                  "allowed: a whole number from 0 to 100,000")


def test_a_by_year_note_writes_every_difference_with_one_precision():
    """No clear difference in 2025, then +65.13 points with a narrow interval in 2026 (the trial's
    "+66 points ... +65.13 points (95% CI +65.08 to +65.18 points)"): one precision for the sentence,
    the one the narrow interval needs, so that its bounds stay apart."""
    # the trial's +65.13 points less 20, so that the level it moves to (from the table's 50%) stays a share
    runs, table = _years(long_run(2 * 365), sla_normal=[(0.0066, -0.30, 0.31), (0.4513, 0.4508, 0.4518)])
    line, = year_difference_lines(runs, table)["b"]
    numbers = re.findall(r"[+−]?<?\d+(?:\.\d+)?(?= points| to)", line)
    assert len(numbers) == 6, line
    assert {len(x.partition(".")[2]) for x in numbers} == {2}, line
    assert "2026 +45.13 points (from 50.00% to 95.13%; 95% CI +45.08 to +45.18 points)" in line
