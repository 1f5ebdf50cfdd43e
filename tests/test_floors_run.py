"""The main job, from the command line, on whatever versions are installed: in CI also on the oldest
versions pyproject.toml allows (``make test-floors``, .ci/floors.txt), where it found a numba whose
binomial draws never ended, a pandas that could not format a month and a typer whose help crashed
with that click."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CAPSIM = Path(sys.executable).parent / "capsim"


def test_the_help_of_every_command_answers():
    done = subprocess.run([str(CAPSIM), "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
    listed = done.stdout.split("Commands:")[-1].splitlines()  # "  run          Simulate a scenario ..."
    commands = [line.split()[0] for line in listed if line.startswith("  ") and not line.startswith("   ")]
    assert "run" in commands and "report" in commands, done.stdout
    for command in commands:
        shown = subprocess.run([str(CAPSIM), command, "--help"], capture_output=True, text=True, timeout=120)
        assert shown.returncode == 0 and "Traceback" not in shown.stderr, (command, shown.stderr[-3000:])


def test_the_main_job_writes_its_report_charts_and_manifest(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([str(CAPSIM), "report", "base", "--set", "clock.horizon=120d", "--replications", "2",
                           "--workers", "2", "--out", str(out)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    for name in ("report.html", "summary.csv", "manifest.json"):
        assert (out / name).stat().st_size > 0, name
    charts = sorted((out / "charts").glob("*.png"))
    assert len(charts) >= 5, charts
    assert all(chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for chart in charts)
    versions = json.loads((out / "manifest.json").read_text())
    assert "numpy" in json.dumps(versions)  # the manifest says which versions made the numbers
