"""A seventh user trial of the command line, the web page's start and the scenario messages.

* ``capsim web`` started in the background (no terminal on standard input) asked for an email
  address, then ended with status 255 and no message; it now never asks, and a Streamlit that
  stops with an error (a port in use) is said in one line.
* Utilisation over every team was worded "analysts spent ...", read as the team called analysts.
* A team's "busy" over 100% under the per-team table was left unexplained.
* ``capsim validate`` showed a wrong team, stream or priority name only once every other problem
  was fixed.
* A tab in the YAML and a misspelt ``extends:`` file got the parser's words alone.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from capsim import bundled, cli
from capsim.cli import app
from capsim.metric_names import METRIC_DESCRIPTIONS
from capsim.scenario import load_scenario

runner = CliRunner()
CAPSIM = Path(sys.executable).with_name("capsim")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_capsim_web_starts_with_no_terminal_and_says_why_streamlit_stopped(tmp_path):
    """Started as ``capsim web --port P &`` would be (standard input not a terminal, no Streamlit
    credentials yet: a first run), the page answers; a second on the same port ends with status 2
    and one line naming Streamlit's exit status and --port."""
    pytest.importorskip("streamlit", reason="the web page is the optional extra capsim[web]")
    fake_bin = tmp_path / "bin"  # a browser opener that opens nothing
    fake_bin.mkdir()
    (fake_bin / "xdg-open").write_text("#!/bin/sh\nexit 0\n")
    (fake_bin / "xdg-open").chmod(0o755)
    env = {**os.environ, "HOME": str(tmp_path), "PATH": f"{fake_bin}{os.pathsep}{os.environ.get('PATH', '')}"}
    port = _free_port()
    log = (tmp_path / "web.log").open("w+")
    proc = subprocess.Popen([str(CAPSIM), "web", "--port", str(port)], cwd=tmp_path, env=env,
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"capsim web did not start (status {proc.poll()}):\n{log.read()}")
                time.sleep(0.5)
        log.seek(0)
        assert "Email" not in log.read()
        second = subprocess.run([str(CAPSIM), "web", "--port", str(port), "--no-browser"], cwd=tmp_path, env=env,
                                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90)
        assert second.returncode == 2
        said = [line for line in second.stderr.splitlines() if "capsim web:" in line]
        assert said == [f"capsim web: Streamlit stopped with exit status 1 (its reason, if it gave one, is just "
                        f"above); if port {port} is in use, choose another with --port"]
        assert "Traceback" not in second.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()


@pytest.fixture(scope="module")
def base_run():
    """base over 20 days (5 of warm-up), 2 replications: three teams, one called analysts."""
    from capsim.experiment import simulate

    scenario = load_scenario(bundled.path("base"), ["clock.horizon=20d", "clock.warmup=5d"])
    return simulate(scenario, replications=2, seed=1, periods=None)


def test_findings_name_every_team_whose_analysts_utilisation_covers(base_run):
    from capsim.report.findings import headline_findings

    found = next(f for f in headline_findings(base_run) if "of the time they may review (on shift, up to the cap)" in f)
    assert ". All teams' analysts (analysts, graders, victim_id) spent" in found  # after each team's exposure
    assert "; analysts spent" not in found


def test_capsim_run_names_every_team_under_its_utilisation(tmp_path):
    result = runner.invoke(app, ["run", "base", "-r", "2", "-w", "1", "--no-report", "-o", str(tmp_path / "out"),
                                 "--set", "clock.horizon=20d", "--set", "clock.warmup=5d"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "of their rostered hours" in x)
    assert line.startswith("All teams' analysts (analysts, graders, victim_id) spent ")
    assert "how busy the teams are together" in line


def test_one_team_keeps_its_plain_words():
    from capsim.staff_notes import utilisation_line

    one = load_scenario(bundled.path("one-team"))
    line = utilisation_line(one, (0.5, 0.49, 0.51), (0.8, 0.78, 0.82))
    assert line.startswith("Analysts spent 50.0% ") and "how busy the team is;" in line


def _team_table(rows: dict[str, float]) -> str:
    """What capsim run prints under base's per-team table for these per-team means."""
    scenario = load_scenario(bundled.path("base"))
    summary = pd.DataFrame([{"metric": k, "mean": v, "ci_low": v, "ci_high": v} for k, v in rows.items()])
    buffer = io.StringIO()
    printed = Console(file=buffer, width=400)
    original, cli.out_console = cli.out_console, printed
    try:
        cli.print_team_table(SimpleNamespace(scenario=scenario, period_summary=pd.DataFrame()), summary.set_index("metric"))
    finally:
        cli.out_console = original
    return buffer.getvalue()


def test_a_team_busy_over_100_percent_is_explained_under_the_table():
    busy = {"utilisation_usable_analysts": 0.92, "utilisation_usable_graders": 0.74,
            "utilisation_usable_victim_id": 1.241}
    shown = _team_table(busy)
    why = [x for x in shown.splitlines() if x.startswith("Busy over 100%")]
    assert len(why) == 1 and why[0].startswith("Busy over 100% (victim_id): ")
    reason = METRIC_DESCRIPTIONS["utilisation_usable"].split(". ", 1)[-1]
    assert reason in why[0] and "passes 1 where a team works flat out" in why[0]
    assert "Busy over 100%" not in _team_table({**busy, "utilisation_usable_victim_id": 1.0})  # at 100%: nothing


TYPOS = """\
name: mine
extends: police-unit.yaml
demand:
  - stream: hotline
    team: triag
workforce:
  - team: triage
    hiring: {lead_time: 3 months}
routing:
  - {from: triage, to: investigaton, when: {criminal: true}, share: 0.02, priority: high}
sla:
  - {priority: hihg, within: 14d, target: 0.9}
costs:
  teams:
    investigatoin: {annual_cost: 40000}
"""


def test_validate_lists_wrong_names_with_the_other_problems(tmp_path):
    bundled.copy("police-unit", tmp_path)
    (tmp_path / "mine.yaml").write_text(TYPOS)
    result = runner.invoke(app, ["validate", str(tmp_path / "mine.yaml")])
    assert result.exit_code == 2
    lines = [x.split(": ", 1)[1] for x in result.output.splitlines()]
    teams = "teams are triage, investigation"
    assert sorted(lines) == sorted([
        "workforce.triage.hiring.lead_time: '3 months' is not a duration: use a number and a unit (s, min, h, d, "
        "w, y; or sec, mins, hr, hours, days, wk, yr ...), e.g. 28.4s, 5min, 24h, 30d",
        f"demand.hotline.team: no team 'triag'; {teams}",
        f"routing.0.to: no team 'investigaton'; {teams}",
        "sla.hihg.priority: 'hihg' is not one of urgent, high, normal, low",
        f"costs.teams.investigatoin: no such team; {teams}",
    ])
    assert "Traceback" not in result.output


def test_a_tab_in_the_yaml_says_yaml_indents_with_spaces(tmp_path):
    (tmp_path / "tabbed.yaml").write_text("name: tabbed\nclock:\n\thorizon: 30d\n")
    result = runner.invoke(app, ["validate", str(tmp_path / "tabbed.yaml")])
    assert result.exit_code == 2
    assert result.output.strip().startswith(f"{tmp_path / 'tabbed.yaml'}: not valid YAML at line 3, column 1: ")
    assert result.output.strip().endswith("; YAML indents with spaces, not tabs: replace the tab with spaces")


@pytest.mark.parametrize("written, hint", [
    ("polce-unit.yaml", " (did you mean 'police-unit.yaml'?)"),  # a file in the folder
    ("growth-centrl.yaml", "; did you mean 'growth-central.yaml'? growth-central.yaml is a bundled scenario: copy it "
                           "beside yours first with capsim scenarios --copy growth-central {folder}"),
    ("base.yaml", "; base.yaml is a bundled scenario: copy it beside yours first with capsim scenarios --copy base "
                  "{folder}"),
    ("zzzz.yaml", ""),  # nothing near: no guess
])
def test_a_misspelt_extends_suggests_the_file_meant(tmp_path, written, hint):
    bundled.copy("police-unit", tmp_path)
    (tmp_path / "mine.yaml").write_text(f"name: mine\nextends: {written}\n")
    result = runner.invoke(app, ["validate", str(tmp_path / "mine.yaml")])
    assert result.exit_code == 2
    assert result.output.strip() == (f"{tmp_path / 'mine.yaml'}: extends: {written}: no such scenario file (looked for "
                                     f"{tmp_path / written})" + hint.format(folder=tmp_path))


def test_names_that_cannot_be_read_are_not_checked(tmp_path):
    """Priorities written as one word, not a list, are refused as such; the stream's priority is not
    then checked against the word's letters, nor a team name against teams without names."""
    (tmp_path / "odd.yaml").write_text(
        "name: odd\nclock: {horizon: 30d}\npriorities: urgent\nreview: {report: {dist: exponential, mean: 60s}}\n"
        "demand:\n  - {stream: a, unit: report, rate: 1/day, team: nobody, priority: zz}\n"
        "workforce:\n  - {headcount: 2}\n")
    result = runner.invoke(app, ["validate", str(tmp_path / "odd.yaml")])
    assert result.exit_code == 2
    assert [x.split(": ", 1)[1] for x in result.output.splitlines()] == [
        "priorities: 'urgent' is not a list; allowed: a list, e.g. [a, b]", "workforce.0.team: required key is missing"]
