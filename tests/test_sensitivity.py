"""One-at-a-time sensitivity: keys as --set names them, values scaled in their own unit,
common random numbers (a parameter that cannot matter has exactly zero effect), and clean
refusals of keys that do not exist."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from capsim import charts, units
from capsim.cli import app
from capsim.scenario import ScenarioError, load_scenario
from capsim.sensitivity import COLUMNS, default_parameters, locate, sensitivity

TINY = """\
name: tiny-sens
clock: {horizon: 3d, start: 2024-01-01, step: 6h}
priorities: [urgent, normal]
demand:
  - stream: reports
    unit: report
    rate: 9000/week
    priority: normal
    ttl: 1000d              # never binds in a 3-day run
review:
  report: {dist: exponential, mean: 90s}
workforce:
  - team: analysts
    headcount: 2
    roster: 24/7
    exposure_cap: 20h/day
    shrinkage: 0.1
tooling:
  hash_matching: {enabled: false}
sla:
  - {priority: normal, within: 24h, target: 0.9}
experiment: {replications: 3, seed: 7}
"""


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("sens") / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def table(tiny_path):
    return sensitivity(tiny_path, ["tooling.hash_matching.match_rate", "workforce.analysts.headcount",
                                   "demand.reports.ttl.mean", "review.report.mean"],
                       swing=0.5, metric="wait_mean", replications=3, seed=7)


def test_the_table_has_its_columns_and_one_row_per_parameter(table):
    assert list(table.columns) == COLUMNS
    assert len(table) == 4
    assert set(table.seed) == {7} and set(table.replications) == {3} and set(table.swing) == {0.5}


def test_parameters_that_cannot_matter_have_exactly_zero_effect_and_rank_last(table):
    by = table.set_index("parameter")
    assert by.loc["tooling.hash_matching.match_rate", "effect"] == 0.0  # hashing is off
    assert by.loc["demand.reports.ttl.mean", "effect"] == 0.0           # the ttl never binds
    assert by.loc["workforce.analysts.headcount", "effect"] < 0         # more analysts, shorter waits
    assert by.loc["review.report.mean", "effect"] > 0                   # longer reviews, longer waits
    assert set(table.parameter[-2:]) == {"tooling.hash_matching.match_rate", "demand.reports.ttl.mean"}
    fig = charts.tornado(table, load_scenario(TINY_DICT()))
    ax = fig.axes[0]
    bottom_two = [label.get_text().split("\n")[0] for _, label in sorted(zip(ax.get_yticks(), ax.get_yticklabels()),
                                                                         key=lambda pair: pair[0])][:2]
    assert set(bottom_two) == {"tooling.hash_matching.match_rate", "demand.reports.ttl.mean"}


def TINY_DICT() -> dict:
    import yaml

    return yaml.safe_load(TINY)


def test_values_keep_their_units(table):
    by = table.set_index("parameter")
    assert (by.loc["review.report.mean", "low_value"], by.loc["review.report.mean", "high_value"]) == ("45s", "135s")
    assert (by.loc["demand.reports.ttl.mean", "low_value"], by.loc["demand.reports.ttl.mean", "high_value"]) == ("500d", "1500d")
    assert (by.loc["workforce.analysts.headcount", "low_value"], by.loc["workforce.analysts.headcount", "high_value"]) == ("1", "3")
    # a default the file does not write is scaled from its value and kept within [0, 1]
    assert (by.loc["tooling.hash_matching.match_rate", "low_value"],
            by.loc["tooling.hash_matching.match_rate", "high_value"]) == ("0.5", "1.0")


def test_scaling_rules(tiny_path):
    s = load_scenario(tiny_path)
    rate = locate(s, "demand.reports.rate")
    assert (rate.scaled(0.8), rate.scaled(1.2)) == ("7200/week", "10800/week")
    assert units.parse_rate(rate.scaled(1.2)) == pytest.approx(1.2 * s.demand[0].rate)
    worn = load_scenario(tiny_path, ["workforce.analysts.shrinkage=0.9"])
    assert 0.99 <= locate(worn, "workforce.analysts.shrinkage").scaled(1.2) < 1  # kept below 1
    assert locate(s, "workforce.analysts.exposure_cap").scaled(1.5) == "24h/day"  # at most a whole day
    assert locate(s, "workforce.analysts.headcount").scaled(0.1) == 0            # rounded, at least 0
    assert locate(s, "workforce.0.headcount").key == "workforce.0.headcount"     # by index too
    assert locate(s, "clock.warmup").scaled(1.2) == "0s"                          # a default duration, in seconds
    base = load_scenario("scenarios/base.yaml")
    assert locate(base, "demand.reports.rate").scaled(0.8).endswith("/year")      # a figure reference keeps its unit


@pytest.mark.parametrize("key", ["workforce.nobody.headcount", "demand.reports.rte", "review.video.mean",
                                 "demand.reports.priority", "workforce.analysts.headcount.x"])
def test_a_bad_key_is_refused_by_name(tiny_path, key):
    with pytest.raises(ScenarioError) as err:
        locate(load_scenario(tiny_path), key)
    assert key in str(err.value)


def test_an_unknown_metric_is_refused(tiny_path):
    with pytest.raises(ScenarioError, match="no_such_metric"):
        sensitivity(tiny_path, ["review.report.mean"], metric="no_such_metric", replications=1)


def test_default_parameters_of_the_base_scenario():
    keys = default_parameters(load_scenario("scenarios/base.yaml"))
    for key in ("demand.reports.rate", "review.report.mean", "workforce.analysts.headcount",
                "workforce.analysts.shrinkage", "workforce.analysts.exposure_cap", "tooling.hash_matching.match_rate"):
        assert key in keys
    high = default_parameters(load_scenario("scenarios/growth-high.yaml"))
    assert "demand.ai-generated.growth.doubling_time" in high


runner = CliRunner()


def test_cli_writes_the_table_and_the_tornado(tiny_path, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["sensitivity", str(tiny_path), "--params",
                                 "workforce.analysts.headcount,tooling.hash_matching.match_rate",
                                 "--swing", "0.5", "--metric", "wait_mean", "-r", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out / "sensitivity.csv")
    assert list(written.parameter) == ["workforce.analysts.headcount", "tooling.hash_matching.match_rate"]
    for ext in ("png", "svg", "pdf"):
        assert (out / "charts" / f"tornado.{ext}").exists()
    assert "workforce.analysts.headcount" in (out / "charts" / "tornado.svg").read_text()
    assert "wait_mean" in result.stdout


def test_cli_bad_params_key_exits_2_naming_it(tiny_path, tmp_path):
    result = runner.invoke(app, ["sensitivity", str(tiny_path), "--params", "workforce.nobody.headcount",
                                 "-r", "1", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "workforce.nobody.headcount" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
