"""The ``capsim`` command line: runs, outputs, determinism, and clean refusals of bad input.

Most tests call the typer app in-process (``CliRunner``); a few run the real ``capsim``
executable in a subprocess, so that "no traceback" is checked on the real standard error.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from capsim import bundled, cli
from capsim.cli import app
from capsim.scenario import load_scenario

CAPSIM = Path(sys.executable).parent / "capsim"
BUNDLED = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))

TINY = """\
name: tiny
title: A tiny test scenario
clock: {horizon: 3d, start: 2024-01-01, step: 6h}
demand:
  - stream: reports
    unit: report
    rate: 150/day
    priority: normal
  - stream: urgent-tips
    unit: report
    rate: 20/day
    priority: urgent
review:
  report: {dist: exponential, mean: 5min}
workforce:
  - team: analysts
    headcount: 2
    roster: 24/7
    exposure_cap: 20h/day
sla:
  - {priority: normal, within: 24h, target: 0.9}
  - {priority: urgent, within: 2h, target: 0.95}
costs: {currency: GBP, teams: {analysts: {annual_cost: 40000}}}
experiment: {replications: 2, seed: 7}
"""

PERIOD_SUMMARY_COLUMNS = ["scenario", "period", "metric", "mean", "ci_low", "ci_high", "p10", "p50", "p90"]
METRICS = [
    "arrivals", "assessed", "auto_cleared", "backlog_end", "backlog_max", "wait_mean", "wait_p90",
    "p_wait", "time_to_assessment_mean", "time_to_assessment_p50", "time_to_assessment_p90",
    "time_to_assessment_p95", "expired", "analyst_hours", "exposure_hours_per_analyst_day",
    "utilisation", "cost_total", "cost_per_assessed", "sla_normal", "sla_urgent",
]

runner = CliRunner()


def invoke(*args: str):
    """Run the app in-process; a crash (anything but a clean exit) fails the test at once."""
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"capsim {' '.join(map(str, args))} crashed: {result.exception!r}\n{result.output}")
    return result


def real(*args: str, cwd: Path | None = None, limit_memory: int | None = None, timeout: float = 120):
    """Run the installed ``capsim`` executable."""
    def limit():  # pragma: no cover - runs in the child
        if limit_memory:
            resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))

    env = dict(os.environ, COLUMNS="200")
    return subprocess.run([str(CAPSIM), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=timeout, preexec_fn=limit if limit_memory else None)


def leftovers(folder: Path) -> list[str]:
    """Output or half-written output folders in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name == "out" or p.name.startswith(".out.") or ".partial-" in p.name)


@pytest.fixture
def tiny(tmp_path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """One run of the tiny scenario, shared by the tests that only read its output."""
    folder = tmp_path_factory.mktemp("first")
    scenario = folder / "tiny.yaml"
    scenario.write_text(TINY, encoding="utf-8")
    result = invoke("run", scenario, "--out", folder / "out")
    assert result.exit_code == 0, result.output
    return scenario, folder / "out", result


# --------------------------------------------------------------------------- a run and its files


def test_run_writes_its_files(first_run):
    _, out, result = first_run
    assert {"summary.csv", "timeseries.csv", "manifest.json"} <= {p.name for p in out.iterdir()}
    assert "Wrote" in result.stdout
    assert "sla_urgent" in result.stdout  # the headline table lists each SLA


def test_run_headline_reads_as_a_manager_reads_it(first_run):
    """Utilisation as a percentage naming its hours, headcount as "2 analysts" (not "(heads)"),
    and every figure with its interval; it printed "utilisation 0.4984" and "2 analysts (heads)"."""
    _, out, result = first_run
    text = " ".join(result.stdout.split())
    summary = pd.read_csv(out / "summary.csv", dtype={"period": str}).query("period == 'all'").set_index("metric")
    rostered, usable = summary.loc["utilisation"], summary.loc["utilisation_usable"]
    for name, label in (("utilisation", "of rostered hours"), ("utilisation_usable", "of usable hours")):
        row = summary.loc[name]
        shown = f"{100 * row['mean']:.1f}% │ 95% CI {100 * row.ci_low:.1f}% to {100 * row.ci_high:.1f}%"
        assert shown in text and label in text, (name, shown)
    assert f"{100 * rostered['mean']:.1f}% (95% CI {100 * rostered.ci_low:.1f}% to" in text  # the sentence too
    assert f"of their rostered hours (time on shift) reviewing, which is {100 * usable['mean']:.1f}% (95% CI" in text
    assert "analysts: 2 analysts (8.4 FTE) at the start" in text and "(heads)" not in text  # 2 seats, 24/7
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "sla_normal " in line)
    label = " ".join(line.split("│")[2].strip() for line in lines[at:at + 2])  # its label may wrap to a second line
    assert "reports assessed within 24 h" in label and "%" in lines[at]  # a share in percent, not 1 or 0.9x


def test_summary_has_the_documented_columns_and_metrics(first_run):
    _, out, _ = first_run
    summary = pd.read_csv(out / "summary.csv", dtype={"period": str})
    assert list(summary.columns) == PERIOD_SUMMARY_COLUMNS
    assert set(summary.scenario) == {"tiny"}
    assert summary.period.iloc[0] == "all" and len(set(summary.period)) >= 2  # the whole run, then each year
    summary = summary[summary.period == "all"]
    missing = [m for m in METRICS if m not in set(summary.metric)]
    assert not missing, missing
    assert summary.metric.is_unique
    row = summary.set_index("metric")
    assert row.loc["arrivals", "mean"] > 0
    assert 0 <= row.loc["utilisation", "mean"] <= 1
    assert 0 <= row.loc["sla_normal", "mean"] <= 1
    assert row.loc["cost_total", "mean"] == pytest.approx(2 * 4.2 * 40000 * 3 / 365.25)  # two 24/7 seats, 4.2 analysts each
    # conservation in the mean: arrivals = assessed + cleared + expired + still waiting
    waiting = row.loc["waiting", "mean"] if "waiting" in row.index else row.loc["backlog_end", "mean"]
    assert row.loc["arrivals", "mean"] == pytest.approx(
        row.loc["assessed", "mean"] + row.loc["auto_cleared", "mean"] + row.loc["expired", "mean"] + waiting)


def test_timeseries_columns(first_run):
    _, out, _ = first_run
    series = pd.read_csv(out / "timeseries.csv")
    for column in ("scenario", "replication", "time", "backlog", "backlog_analysts", "arrivals", "assessments", "on_duty"):
        assert column in series.columns, column
    assert sorted(series.replication.unique()) == [0, 1]
    assert series.time.max() == pytest.approx(72.0)  # hours: the 3-day horizon
    assert series.arrivals.sum() > 0


def test_manifest(first_run):
    scenario, out, _ = first_run
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario_sha256"] == load_scenario(scenario).digest()
    assert manifest["seed"] == 7
    assert manifest["replications"] == 2
    assert isinstance(manifest["versions"], dict)
    for library in ("capsim", "numpy", "simpy", "python"):
        assert library in manifest["versions"]
    assert isinstance(manifest["wall_seconds"], (int, float)) and manifest["wall_seconds"] >= 0
    started = dt.datetime.fromisoformat(manifest["started"])
    assert started.tzinfo is not None
    assert abs((dt.datetime.now(dt.timezone.utc) - started).total_seconds()) < 3600
    assert manifest["scenario"]["name"] == "tiny"


def test_no_partial_folder_is_left_after_a_run(first_run):
    _, out, _ = first_run
    assert [p.name for p in out.parent.iterdir() if ".partial-" in p.name or ".old-" in p.name] == []


def test_same_seed_gives_byte_identical_files(first_run, tmp_path):
    scenario, out, _ = first_run
    again = tmp_path / "again"
    assert invoke("run", scenario, "--out", again).exit_code == 0
    for name in ("summary.csv", "timeseries.csv"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_two_workers_give_identical_files(first_run, tmp_path):
    scenario, out, _ = first_run
    parallel = tmp_path / "parallel"
    result = invoke("run", scenario, "--out", parallel, "--workers", "2")
    assert result.exit_code == 0, result.output
    for name in ("summary.csv", "timeseries.csv"):
        assert (parallel / name).read_bytes() == (out / name).read_bytes(), name
    assert json.loads((parallel / "manifest.json").read_text())["workers"] == 2


def test_another_seed_gives_other_numbers(first_run, tmp_path):
    scenario, out, _ = first_run
    other = tmp_path / "other"
    assert invoke("run", scenario, "--out", other, "--seed", "8").exit_code == 0
    assert (other / "summary.csv").read_bytes() != (out / "summary.csv").read_bytes()
    assert json.loads((other / "manifest.json").read_text())["seed"] == 8


def test_set_and_replications_options(first_run, tmp_path):
    scenario, out, _ = first_run
    changed = tmp_path / "changed"
    result = invoke("run", scenario, "--out", changed, "-r", "3",
                    "--set", "workforce.analysts.headcount=1", "--set", "demand.reports.rate=100/day")
    assert result.exit_code == 0, result.output
    manifest = json.loads((changed / "manifest.json").read_text())
    assert manifest["overrides"] == ["workforce.analysts.headcount=1", "demand.reports.rate=100/day"]
    assert manifest["replications"] == 3
    assert manifest["scenario"]["workforce"][0]["headcount"] == 1
    assert manifest["scenario"]["demand"][0]["rate"] == "100/day"
    resolved = load_scenario(scenario, ["workforce.analysts.headcount=1", "demand.reports.rate=100/day"])
    assert manifest["scenario_sha256"] == resolved.digest()
    assert manifest["scenario_sha256"] != json.loads((out / "manifest.json").read_text())["scenario_sha256"]
    assert sorted(pd.read_csv(changed / "timeseries.csv").replication.unique()) == [0, 1, 2]


def test_run_replaces_an_earlier_output_folder_holding_only_what_it_wrote(tiny, tmp_path):
    out = tmp_path / "out"
    assert invoke("run", tiny, "--out", out, "-r", "1", "--no-report").exit_code == 0
    assert invoke("run", tiny, "--out", out, "-r", "1").exit_code == 0  # replaced: now with its report
    assert (out / "summary.csv").exists() and (out / "report.html").exists()
    (out / "notes.txt").write_text("mine")  # the user's file in it: never replaced with the folder
    result = invoke("run", tiny, "--out", out, "-r", "1")
    assert result.exit_code == 2 and "notes.txt" in result.stderr
    assert (out / "notes.txt").read_text() == "mine" and (out / "report.html").exists()
    assert leftovers(tmp_path) == ["out"]


def test_default_output_folder_is_out_slash_name(tiny, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("run", "tiny.yaml", "-r", "1").exit_code == 0
    assert (tmp_path / "out" / "tiny" / "summary.csv").exists()


def test_run_a_bundled_scenario_by_bare_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # away from the project's scenarios/ folder
    result = invoke("run", "base", "-r", "1", "--out", tmp_path / "b",
                    "--set", "clock.horizon=3d", "--set", "clock.warmup=1d", "--set", "clock.step=1d")
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["scenario_name"] == "base"
    assert manifest["scenario_file"] == "base"  # the bundled name, not the installed path


@pytest.mark.parametrize("command", ["run", "grant"])
def test_no_output_names_the_folders_of_the_machine(tmp_path, monkeypatch, command):
    """Scenario and output given as absolute paths, run from elsewhere: no written text holds them
    (every file but images and PDFs: tables, manifest, pages, chart descriptions, the grant's plans)."""
    place, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    place.mkdir(), elsewhere.mkdir()
    scenario = place / "tiny.yaml"
    if command == "run":
        scenario.write_text(TINY, encoding="utf-8")
        args = ["run", str(scenario), "-r", "1", "--out", str(place / "o")]
    else:
        scenario.write_text(bundled.path("one-team").read_text(encoding="utf-8"), encoding="utf-8")
        args = ["grant", str(scenario), "--from", "2027-04-01", "--years", "1", "-r", "2", "--out", str(place / "o")]
    monkeypatch.chdir(elsewhere)
    monkeypatch.setattr(sys, "argv", [str(Path(sys.prefix) / "bin" / "capsim"), *args])  # as a shell would call it
    result = invoke(*args)
    # one-team's hires are late (a 90-day lead time from the grant start): its first year is missed as costed
    assert result.exit_code == (0 if command == "run" else 3), result.output
    machine = [str(tmp_path), sys.prefix, str(Path.home())]
    written = [f for f in (place / "o").rglob("*") if f.is_file() and f.suffix not in (".png", ".pdf")]
    assert any(f.name == "report.html" for f in written)
    assert command == "run" or any(f.suffix == ".yaml" for f in written)  # the grant's plans
    for f in written:
        text = f.read_text(encoding="utf-8")
        assert not [m for m in machine if m in text], f.name
    manifest = json.loads((place / "o" / "manifest.json").read_text())
    manifest = manifest if command == "run" else manifest["scenarios"][0]  # the grant's: one run manifest a scenario
    assert manifest["scenario_file"] == "tiny.yaml" and manifest["command"] == "capsim " + " ".join(
        [args[0], "tiny.yaml", *args[2:-1], "o"])


def test_validate_a_bundled_scenario_by_bare_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("validate", "base")
    assert result.exit_code == 0 and "valid" in result.stdout


# --------------------------------------------------------------------------- validate & scenarios


def test_validate_says_valid(tiny):
    result = invoke("validate", tiny)
    assert result.exit_code == 0
    assert "valid scenario 'tiny'" in " ".join(result.stdout.split())


def test_validate_takes_set(tiny):
    result = invoke("validate", tiny, "--set", "workforce.analysts.headcount=-1")
    assert result.exit_code == 2
    assert "--set workforce.analysts.headcount=-1" in result.stderr


def test_validate_explains_every_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY.replace("headcount: 2", "headcount: -2").replace("mean: 5min", "mean: 5"))
    result = invoke("validate", bad)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr
    assert any("workforce.analysts.headcount" in line for line in lines)
    assert any("review.report.mean" in line and "no unit" in line for line in lines)
    assert all(line.startswith(str(bad)) for line in lines)
    assert "Traceback" not in result.output


def test_scenarios_lists_the_bundled_ones_with_titles(monkeypatch):
    monkeypatch.setattr(cli.out_console, "width", 400)
    result = invoke("scenarios")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for path in BUNDLED:
        assert path.stem in text
        assert load_scenario(path).title in text


def test_scenarios_in_a_folder_marks_invalid_files(tmp_path, monkeypatch):
    monkeypatch.setattr(cli.out_console, "width", 400)
    (tmp_path / "good.yaml").write_text(TINY)
    (tmp_path / "broken.yaml").write_text(TINY.replace("headcount: 2", "headcont: 2"))
    result = invoke("scenarios", tmp_path)
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "A tiny test scenario" in text
    assert "INVALID" in text and "headcont" in text


def test_scenarios_in_an_empty_folder(tmp_path):
    result = invoke("scenarios", tmp_path)
    assert result.exit_code == 2
    assert str(tmp_path) in result.stderr and "no scenario files" in result.stderr


@pytest.mark.parametrize("command", [[], ["run"], ["validate"], ["scenarios"]])
def test_help_shows_an_example(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Example: capsim" in result.stdout


# --------------------------------------------------------------------------- bad input


def _write(tmp_path: Path, text: str | bytes, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


BAD_FILES = {
    "malformed": ("name: x\n  bad: [\n", ["not valid YAML at line 2"]),
    "not-a-mapping": ("- a\n- b\n", ["YAML mapping"]),
    "empty": ("", ["empty"]),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\xff\xfe" * 20, ["not a text file"]),
    "unknown-key": (TINY.replace("headcount: 2", "headcont: 2"),
                    ["workforce.analysts.headcont", "did you mean 'headcount'", "allowed here:"]),
    "wrong-unit": (TINY.replace("mean: 5min", "mean: 5parsecs"), ["review.report.mean", "s, min, h, d, w, y"]),
    "no-unit": (TINY.replace("horizon: 3d", "horizon: 3"), ["clock.horizon", "no unit"]),
    "negative-headcount": (TINY.replace("headcount: 2", "headcount: -2"), ["workforce.analysts.headcount", "-2 is too small; allowed: a whole number from 0 to 100,000"]),
    "impossible-rate": (TINY.replace("rate: 150/day", "rate: 150/0day"), ["demand.reports.rate", "must be positive"]),
    "negative-rate": (TINY.replace("rate: 150/day", "rate: -150/day"), ["demand.reports.rate"]),
    "share-above-one": (TINY.replace("priority: normal\n  -", "priority: normal\n    mix: {criminal: 1.5}\n  -"),
                        ["demand.reports.mix.criminal", "1.5 is more than 1: this is a share, at most 1"]),
    "growth-without-parameter": (TINY.replace("rate: 150/day", "rate: 150/day\n    growth: {model: exponential}"),
                                 ["demand.reports.growth", "give either doubling_time", "or per_year"]),
    "unknown-growth": (TINY.replace("rate: 150/day", "rate: 150/day\n    growth: {model: cubic}"),
                       ["demand.reports.growth.model", "exponential"]),
    "lognormal-without-cv": (TINY.replace("{dist: exponential, mean: 5min}", "{dist: lognormal, mean: 5min}"),
                             ["review.report", "cv"]),
    "bad-date": (TINY.replace("start: 2024-01-01", "start: 2024-13-01"), ["clock.start", "YYYY-MM-DD"]),
    "bad-shift-start": (TINY.replace("roster: 24/7", 'roster: {start: "25:00"}'), ["workforce.analysts.roster.start", "HH:MM"]),
    "unknown-team": (TINY.replace("priority: urgent\n", "priority: urgent\n    team: police\n", 1), ["demand.urgent-tips.team", "police"]),
    "unknown-priority": (TINY.replace("priority: urgent\n", "priority: critical\n", 1), ["demand.urgent-tips.priority", "critical"]),
    "sla-priority": (TINY.replace("{priority: urgent, within", "{priority: asap, within"), ["sla.asap.priority", "asap"]),
    "boolean-number": (TINY.replace("headcount: 2", "headcount: yes"), ["workforce.analysts.headcount", "true is not allowed"]),
    "self-reference": ("a: &x [*x]\n", ["refers to itself"]),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_give_one_clear_message(tmp_path, monkeypatch, case):
    text, expected = BAD_FILES[case]
    bad = _write(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    for command in (["run", "bad.yaml", "--out", tmp_path / "out"], ["run", "bad.yaml"], ["validate", "bad.yaml"]):
        result = invoke(*command)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.startswith("bad.yaml"), result.stderr  # names the file first
        for part in expected:
            assert part in result.stderr, (part, result.stderr)
        assert "Traceback" not in result.output
        assert result.stdout == ""
        assert leftovers(tmp_path) == [], command
    assert bad.exists()


BAD_COMMANDS = {
    "missing-file": (["nowhere.yaml"], ["nowhere.yaml: no such file"]),
    "unknown-bare-name": (["nosuchscenario"], ["nosuchscenario", "bundled scenarios: ", "base"]),
    "extends-loop": (["loop-a.yaml"], ["loop-a.yaml", "extends forms a loop", "loop-b.yaml"]),
    "extends-missing": (["orphan.yaml"], ["orphan.yaml", "extends: gone.yaml", "no such scenario file"]),
    "set-unknown-element": (["tiny.yaml", "--set", "workforce.nobody.headcount=3"],
                            ["tiny.yaml", "--set workforce.nobody.headcount", "'nobody'", "analysts"]),
    "set-past-the-end": (["tiny.yaml", "--set", "demand.9.rate=1/day"], ["tiny.yaml", "--set demand.9.rate", "index 9"]),
    "set-without-value": (["tiny.yaml", "--set", "workforce.analysts.headcount"], ["tiny.yaml", "dotted.key=value"]),
    "set-unknown-key": (["tiny.yaml", "--set", "workforce.analysts.headcont=3"],
                        ["--set workforce.analysts.headcont=3", "did you mean 'headcount'"]),
    "set-below-a-value": (["tiny.yaml", "--set", "name.first=x"], ["tiny.yaml", "--set name.first", "plain value"]),
    "set-bad-value": (["tiny.yaml", "--set", "demand.reports.rate=lots"], ["--set demand.reports.rate=lots", "370/day"]),
    "too-large": (["tiny.yaml", "--set", "clock.horizon=36500d", "--set", "demand.reports.rate=1000000000/day"],
                  ["too large", "GiB", "items", "clock.horizon"]),
}


@pytest.fixture
def bad_inputs(tmp_path, tiny):
    _write(tmp_path, "extends: loop-b.yaml\nname: a\n", "loop-a.yaml")
    _write(tmp_path, "extends: loop-a.yaml\nname: b\n", "loop-b.yaml")
    _write(tmp_path, "extends: gone.yaml\nname: orphan\n", "orphan.yaml")
    return tmp_path


@pytest.mark.parametrize("case", list(BAD_COMMANDS))
def test_bad_commands_give_one_clear_message(bad_inputs, monkeypatch, case):
    args, expected = BAD_COMMANDS[case]
    monkeypatch.chdir(bad_inputs)
    result = invoke("run", *args, "--out", bad_inputs / "out")
    assert result.exit_code == 2, result.output
    for part in expected:
        assert part in result.stderr, (part, result.stderr)
    assert "Traceback" not in result.output
    assert leftovers(bad_inputs) == []


def test_a_failed_run_keeps_the_previous_output(tiny, tmp_path):
    out = tmp_path / "out"
    assert invoke("run", tiny, "--out", out, "-r", "1").exit_code == 0
    before = (out / "summary.csv").read_bytes()
    result = invoke("run", tiny, "--out", out, "--set", "workforce.analysts.headcount=-1")
    assert result.exit_code == 2
    assert (out / "summary.csv").read_bytes() == before
    assert leftovers(tmp_path) == ["out"]


def test_an_unwritable_output_folder(tiny, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    result = invoke("run", tiny, "--out", blocker / "out", "-r", "1")
    assert result.exit_code == 2
    assert str(blocker / "out") in result.stderr and "--out" in result.stderr
    assert blocker.read_text() == "a file, not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "tiny.yaml"]


def test_bad_options_are_usage_errors(tiny):
    for args in (["--workers", "0"], ["--replications", "0"], ["--seed", "-1"], ["--nonsense"]):
        result = invoke("run", tiny, *args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output


# --------------------------------------------------------------------------- the real executable


def test_real_run_of_a_tiny_scenario(tiny, tmp_path):
    proc = real("run", tiny, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert {"summary.csv", "timeseries.csv", "manifest.json"} <= {p.name for p in (tmp_path / "out").iterdir()}
    assert list(pd.read_csv(tmp_path / "out" / "summary.csv").columns) == PERIOD_SUMMARY_COLUMNS
    assert leftovers(tmp_path) == ["out"]


@pytest.mark.parametrize(
    ("case", "args", "expected"),
    [
        ("unknown-key", ["bad.yaml"], ["bad.yaml: workforce.analysts.headcont: unknown key 'headcont' (did you mean 'headcount'?)"]),
        ("binary", ["bin.yaml"], ["bin.yaml: not a text file"]),
        ("bad-date", ["date.yaml"], ["date.yaml: clock.start:"]),
        ("missing", ["nowhere.yaml"], ["nowhere.yaml: no such file"]),
        ("bad-set", ["tiny.yaml", "--set", "workforce.nobody.headcount=3"], ["tiny.yaml: --set workforce.nobody.headcount"]),
        ("too-large", ["tiny.yaml", "--set", "clock.horizon=36500d", "--set", "demand.reports.rate=1000000000/day"],
         ["too large for this machine", "GiB"]),
    ],
)
def test_real_bad_input_exits_2_without_traceback(tiny, tmp_path, case, args, expected):
    _write(tmp_path, TINY.replace("headcount: 2", "headcont: 2"), "bad.yaml")
    _write(tmp_path, b"\x00\xff\xfe\x89PNG" * 50, "bin.yaml")
    _write(tmp_path, TINY.replace("start: 2024-01-01", "start: 2024-02-30"), "date.yaml")
    proc = real("run", *args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    for part in expected:
        assert part in proc.stderr, (part, proc.stderr)
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert proc.stdout == ""
    assert leftovers(tmp_path) == []


def test_real_run_with_an_impossible_headcount_is_refused_up_front(tiny, tmp_path):
    proc = real("run", tiny, "-r", "1", "--set", "workforce.analysts.headcount=1000000000", cwd=tmp_path,
                limit_memory=4 * 2**30, timeout=60)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2
    assert "workforce.analysts.headcount" in proc.stderr and "100000" in proc.stderr  # refused by the schema's limit
    assert leftovers(tmp_path) == []
