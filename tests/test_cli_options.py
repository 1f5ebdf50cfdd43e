"""Every command that simulates takes one option set, defined once (capsim.cli.SIMULATION_OPTIONS)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from capsim import cli

SIMULATING = ["run", "compare", "report", "sensitivity", "staff", "budget", "calibrate"]
FLAGS = ["--out", "--replications", "--seed", "--workers", "--set"]


@pytest.mark.parametrize("command", SIMULATING)
def test_simulating_commands_share_the_option_set(command):
    result = CliRunner().invoke(cli.app, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    for flag in FLAGS:
        assert flag in result.output, (command, flag)
    assert "Local worker processes; results do not depend on it." in " ".join(result.output.split())


def test_a_command_must_name_every_shared_option():
    def lacking(*, out, seed):  # no replications, workers, set_
        return None

    with pytest.raises(TypeError, match="replications"):
        cli.simulating(lacking)


def test_the_shared_options_reach_the_command(tmp_path):
    """--replications, --seed and --set arrive under their names (one short replication of a bundled scenario)."""
    out = tmp_path / "run"
    result = CliRunner().invoke(cli.app, ["run", "base", "-r", "1", "-s", "5", "--set", "clock.horizon=10d",
                                          "--set", "clock.warmup=0d", "--no-report", "-o", str(out)])
    assert result.exit_code == 0, result.output
    manifest = (out / "manifest.json").read_text()
    assert '"seed": 5' in manifest and '"replications": 1' in manifest and "clock.horizon=10d" in manifest


def test_set_reads_as_key_equals_value_with_an_example():
    """--help shows --set as KEY=VALUE with an example, not a Python type (it showed <list[str]>)."""
    text = " ".join(CliRunner().invoke(cli.app, ["run", "--help"], terminal_width=200).output.split())
    assert "--set KEY=VALUE" in text and "list[str]" not in text
    assert "e.g. --set workforce.analysts.headcount=14" in text


def test_simulating_commands_use_the_usable_cores_unless_told(tmp_path, monkeypatch):
    # They ran on one worker unless --workers was given: a 3-scenario report took twice as long on 2 cores.
    import json

    import capsim.memory as memory

    monkeypatch.setattr(memory.os, "sched_getaffinity", lambda _: {0, 1, 2})
    runs = {"default": [], "told": ["--workers", "1"], "two-replications": ["-r", "2"]}
    for name, extra in runs.items():
        done = CliRunner().invoke(cli.app, ["run", "base", "--set", "clock.horizon=40d", "-r", "3", *extra,
                                        "--out", str(tmp_path / name)])
        assert done.exit_code == 0, done.output
    used = {name: json.loads((tmp_path / name / "manifest.json").read_text())["workers"] for name in runs}
    assert used == {"default": 3, "told": 1, "two-replications": 2}  # at most one per replication
    for table in ("summary.csv", "replications.csv"):
        assert (tmp_path / "default" / table).read_bytes() == (tmp_path / "told" / table).read_bytes()
    charts = sorted(p.name for p in (tmp_path / "told" / "charts").iterdir())  # drawn on 3 workers, or here
    assert charts and charts == sorted(p.name for p in (tmp_path / "default" / "charts").iterdir())
    for chart in charts:
        assert (tmp_path / "default" / "charts" / chart).read_bytes() == \
            (tmp_path / "told" / "charts" / chart).read_bytes(), chart
