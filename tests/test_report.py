"""The HTML report: every section, every figure the scenario used, numbers that agree with
the summary, nothing fetched from elsewhere; and the commands that write it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from typer.testing import CliRunner

from capsim import report, simulate
from capsim.cli import app
from capsim.manifest import manifest
from capsim.scenario import load_scenario

runner = CliRunner()


def _run(path: str, overrides: list[str], replications: int = 2, seed: int = 3):
    scenario = load_scenario(path, overrides)
    result = simulate(scenario, replications=replications, seed=seed)
    record = manifest(scenario, seed=seed, replications=replications, workers=1, started=dt.datetime.now(dt.UTC),
                      wall_seconds=0.0, source=path, overrides=overrides)
    return result, record


@pytest.fixture(scope="module")
def forum(tmp_path_factory):
    result, record = _run("scenarios/iwf-forum-2023.yaml", [])
    folder = tmp_path_factory.mktemp("forum")
    page = report.write_report(folder, [result], [record]).read_text(encoding="utf-8")
    return result, folder, page


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    overrides = ["clock.horizon=40d"]
    result, record = _run("scenarios/base.yaml", overrides)
    folder = tmp_path_factory.mktemp("base")
    page = report.write_report(folder, [result], [record], overrides=overrides).read_text(encoding="utf-8")
    return result, folder, page


def _text(page: str) -> str:
    """The page's visible words, tags removed (so ids inside links and SVG count)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.replace("<wbr>", "")))


@pytest.mark.parametrize("which", ["forum", "base"])
def test_every_section_and_every_figure_id_is_there(which, request):
    result, _, page = request.getfixturevalue(which)
    for section in report.SECTIONS:
        assert f'id="{section}"' in page, section
    text = _text(page)
    assert result.scenario.figures
    for fid in result.scenario.figures:
        assert fid in text, fid
    assert "counts and durations only" in text
    for item in ("1.1", "2.2", "3.1", "4.3", "5.2", "6.1"):  # STRESS-DES: objectives … code access
        assert f"{item} " in text, item
    assert 'aria-label="Modelled flow' in page


@pytest.mark.parametrize("which", ["forum", "base"])
def test_the_report_is_self_contained(which, request):
    _result, folder, page = request.getfixturevalue(which)
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert not re.search(r"""\ssrc=""", page)
    assert re.findall(r"url\(([^)]*)\)", page) and all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", page))
    for target in re.findall(r"""href=["']([^"']*)["']""", page):  # links to sources and sections only
        assert target.startswith(("#", "https://", "http://")), target
    assert page.count("<svg") >= 4  # three charts and the flow diagram, inline
    for stem in ("backlog", "time_to_assessment", "exposure"):
        assert (folder / "charts" / f"{stem}.png").exists() and (folder / "charts" / f"{stem}.svg").exists()


def test_findings_use_the_summary_numbers(forum):
    result, _, page = forum
    text = _text(page)
    row = result.summary.set_index("metric")
    for metric in ("assessed", "backlog_end", "wait_mean", "time_to_assessment_p90", "exposure_hours_per_analyst_day"):
        mean = row.loc[metric, "mean"]
        assert report.fmt(metric, mean) in text, metric
    assert report.interval("assessed", row.loc["assessed", "ci_low"], row.loc["assessed", "ci_high"]) in text


def test_assumptions_name_each_figure_and_each_override(base):
    result, _, _page = base
    table = report.assumptions_table(result.scenario, ["clock.horizon=40d"])
    by_key = table.set_index("key")
    assert by_key.loc["clock.horizon", "source"] == "assumption (--set)"
    assert by_key.loc["clock.horizon", "value"] == "40" and by_key.loc["clock.horizon", "unit"] == "d"
    assert by_key.loc["review.report.mean", "source"] == "assumption"
    assert set(table.figure[table.figure != ""]) == set(result.scenario.figures)
    for key in _figure_keys(result.scenario.source):
        assert key in by_key.index, key
        assert by_key.loc[key, "figure"], key
    assert by_key.loc["demand.reports.rate", "unit"] == "reports per year"
    assert "IWF" in by_key.loc["demand.reports.rate", "source"]


def _figure_keys(node, path=()):
    """Dotted keys (list elements by name) of every {figure: id} in a source mapping."""
    names = {"demand": "stream", "workforce": "team", "sla": "priority"}
    if isinstance(node, dict):
        if "figure" in node:
            yield ".".join(path)
            return
        for k, v in node.items():
            yield from _figure_keys(v, (*path, str(k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            label = v.get(names.get(path[-1], ""), i) if isinstance(v, dict) and path else i
            yield from _figure_keys(v, (*path, str(label)))


def test_limitations_say_what_is_assumed(base):
    _result, _, page = base
    text = _text(page)
    assert "review time per report (90 s on average) is an assumption" in text
    assert "Poisson" in text
    assert "precision and recall" in text


TINY = """\
name: {name}
clock: {{horizon: 3d, start: 2024-01-01, step: 6h}}
demand:
  - {{stream: reports, unit: report, rate: 150/day, priority: normal}}
review:
  report: {{dist: exponential, mean: 5min}}
workforce:
  - {{team: analysts, headcount: {headcount}, roster: 24/7, exposure_cap: 20h/day}}
sla:
  - {{priority: normal, within: 24h, target: 0.9}}
experiment: {{replications: 2, seed: 7}}
"""


@pytest.fixture
def tiny(tmp_path):
    (tmp_path / "a.yaml").write_text(TINY.format(name="tiny-a", headcount=2), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(TINY.format(name="tiny-b", headcount=3), encoding="utf-8")
    return tmp_path


def test_run_writes_the_report_and_charts_unless_told_not_to(tiny):
    result = runner.invoke(app, ["run", str(tiny / "a.yaml"), "-r", "2", "--out", str(tiny / "with")])
    assert result.exit_code == 0, result.output
    assert (tiny / "with" / "report.html").exists()
    assert {p.name for p in (tiny / "with" / "charts").iterdir()} == {
        f"{stem}.{ext}" for stem in ("backlog", "time_to_assessment", "exposure", "by_year")
        for ext in ("png", "svg", "txt")}
    assert "report.html" in result.stdout
    result = runner.invoke(app, ["run", str(tiny / "a.yaml"), "-r", "2", "--out", str(tiny / "without"), "--no-report"])
    assert result.exit_code == 0, result.output
    assert not (tiny / "without" / "report.html").exists() and not (tiny / "without" / "charts").exists()


def test_report_command_compares_scenarios_and_sweeps_headcount(tiny):
    out = tiny / "rep"
    result = runner.invoke(app, ["report", str(tiny / "a.yaml"), str(tiny / "b.yaml"), "-r", "2",
                                 "--headcounts", "1,2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="chart-comparison"' in page and 'id="chart-sla_vs_headcount"' in page
    assert 'id="chart-tiny-a-backlog"' in page and 'id="chart-tiny-b-backlog"' in page
    for name in ("comparison.csv", "summary.csv", "headcount_sweep.csv", "manifest.json"):
        assert (out / name).exists(), name
    assert "tiny-b compared with tiny-a" in _text(page)


def test_report_command_refuses_bad_headcounts(tiny):
    result = runner.invoke(app, ["report", str(tiny / "a.yaml"), "--headcounts", "ten", "--out", str(tiny / "x")])
    assert result.exit_code == 2
    assert "--headcounts" in result.stderr
    assert not (tiny / "x").exists()
