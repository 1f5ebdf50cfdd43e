"""Trial 13's chart and input defects (``capsim run growth-high -r 3``).

- The backlog chart shaded a "90% of replications" band drawn from 3 runs: their 5th to 95th
  percentiles, no band of 90% of anything. Below 20 replications the outer band is now their
  range, and the legend and the description say so.
- Its date axis began at a bare "Jul" (matplotlib's concise dates put the year only at Januaries):
  the first tick, and the first of each new year, now carry the year.
- Its description read "Panel 2: across, Jul to 2030": each axis is now a sentence.
- ``capsim run growth-hihg`` listed the bundled scenarios without "did you mean 'growth-high'?".
- ``--set sla.normal.target=90`` answered "Input should be less than or equal to 1 (got 90)": it
  now says the value is a share and how to write 90% as one.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from matplotlib import dates as mdates
from typer.testing import CliRunner

from capsim import bundled
from capsim.charts import backlog, parts
from capsim.charts.backlog import backlog_fan
from capsim.charts.by_year import by_year
from capsim.charts.describe import describe
from capsim.charts.exposure_hours import exposure
from capsim.charts.waits import time_to_assessment
from capsim.cli import app
from capsim.experiment import simulate
from capsim.scenario import ScenarioError, load_scenario

SEED = 11


@pytest.fixture(scope="module")
def result():
    """base from 20 Apr 2027 (a start in neither January nor a tick's month) for 40 days: under eight
    weeks, so the backlog is drawn step by step (no 7-day average) and its band is the raw spread."""
    scenario = load_scenario(bundled.path("base"), ["clock.start=2027-04-20", "clock.horizon=40d", "clock.warmup=7d"])
    return simulate(scenario, replications=3, seed=SEED)


def many(timeseries: pd.DataFrame, n: int) -> pd.DataFrame:
    """``timeseries`` of one replication copied into ``n``, each backlog scaled apart (1%, 2%, ...)."""
    one = timeseries[timeseries["replication"] == 0]
    backlogs = [c for c in one if c.startswith("backlog")]
    copies = []
    for r in range(n):
        copy = one.copy()
        copy["replication"] = r
        copy[backlogs] = copy[backlogs] * (1 + 0.01 * r)
        copies.append(copy)
    return pd.concat(copies, ignore_index=True)


def legend_labels(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def band_top(fig) -> float:
    """The highest point of the lightest band drawn (the outer one)."""
    outer = next(c for c in fig.axes[0].collections if c.get_label() == legend_labels(fig)[0])
    return max(float(p.vertices[:, 1].max()) for p in outer.get_paths())


@pytest.mark.parametrize("replications, expected", [
    (1, (None, None, "1 replication, no band")),
    (3, ("range of 3 replications", None, "median and range of 3 replications")),
    (5, ("range of 5 replications", "50% of replications", "median, 50% band and range of 5 replications")),
    (20, ("90% of replications", "50% of replications", "median, 50% and 90% bands of 20 replications")),
])
def test_the_bands_are_named_for_what_so_many_replications_can_show(replications, expected):
    assert backlog.band_words(replications) == expected


def test_three_replications_are_shaded_as_their_range_and_said_so(result):
    fig = backlog_fan(result.timeseries, result.scenario, SEED)
    labels = legend_labels(fig)
    assert "range of 3 replications" in labels
    assert not any("%" in label for label in labels), labels
    horizon_h = result.scenario.clock.horizon / 3600
    drawn = result.timeseries[result.timeseries["time"] <= horizon_h + 1e-6]
    assert band_top(fig) == pytest.approx(drawn["backlog_mean"].max(), rel=1e-9)  # the highest run, not a percentile
    text = describe(fig)
    assert "median and range of 3 replications" in text
    assert "90%" not in text.split("Scenario:")[0]


def test_twenty_replications_keep_the_90_percent_band(result):
    fig = backlog_fan(many(result.timeseries, 20), result.scenario, SEED)
    labels = legend_labels(fig)
    assert labels[:2] == ["90% of replications", "50% of replications"]
    assert "median, 50% and 90% bands of 20 replications" in describe(fig)
    assert band_top(fig) < many(result.timeseries, 20)["backlog_mean"].max()  # the 95th percentile, inside the range


def test_the_backlog_charts_first_date_carries_its_year(result):
    fig = backlog_fan(result.timeseries, result.scenario, SEED)
    fig.draw_without_rendering()
    labels = [t.get_text() for t in fig.axes[1].get_xticklabels() if t.get_text()]
    assert re.search(r"\b2027\b", labels[0]), labels
    assert not fig.axes[1].xaxis.get_major_formatter().get_offset()  # no year left to a note beside the axis


def ticks(*stamps: str) -> list[str]:
    return parts.DateTicks().format_ticks([mdates.date2num(pd.Timestamp(s)) for s in stamps])


def test_date_ticks_give_the_year_at_the_first_tick_and_each_new_year():
    assert ticks("2027-07-01", "2028-01-01", "2028-07-01", "2029-01-01") == ["Jul 2027", "2028", "Jul", "2029"]
    assert ticks("2025-01-01", "2030-01-01") == ["2025", "2030"]
    assert ticks("2024-12-22", "2024-12-29", "2025-01-05") == ["22 Dec 2024", "29 Dec", "5 Jan 2025"]
    assert ticks("2024-03-05 12:00", "2024-03-05 18:00", "2024-03-06", "2024-03-06 06:00") == [
        "5 Mar 2024 12:00", "18:00", "6 Mar", "06:00"]
    assert parts.DateTicks().spelled([mdates.date2num(pd.Timestamp(s)) for s in ("2027-07-01", "2030-01-01")]) == [
        "Jul 2027", "Jan 2030"]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=\.)\s+", text.split(" Scenario:")[0]) if s]


def test_every_panel_of_a_chart_is_described_in_sentences(result):
    """The trial's backlog text read "Panel 2: across, Jul to 2030; Analyst-hours on shift a day up,
    0 to 489": an axis's words as fragments, a date axis without its first tick's year."""
    charts = {
        "backlog": backlog_fan(result.timeseries, result.scenario, SEED),
        "by_year": by_year(result),
        "time": time_to_assessment(result.per_replication, result.scenario, SEED),
        "exposure": exposure(result.per_replication, result.scenario, SEED),
    }
    texts = {name: describe(fig) for name, fig in charts.items()}
    for name, text in texts.items():
        assert " across" not in text and " up," not in text and " up:" not in text, (name, text)
        for sentence in sentences(text):
            assert not sentence[0].islower(), (name, sentence)
        for panel in re.findall(r"Panel \d+: (.)", text):
            assert panel.isupper(), (name, text)
    assert re.search(r"Panel 2: The horizontal axis gives dates from \d+ [A-Z][a-z]{2} 2027 to \d+ [A-Z][a-z]{2} "
                     r"2027\. The vertical axis, Analyst-hours on shift a day, runs from 0 to [\d,]+\.",
                     texts["backlog"])
    assert "The horizontal axis has one mark, 2027 (" in texts["by_year"]
    assert "The vertical axis lists, from the top, Wait to start, mean; " in texts["time"]
    assert "The vertical axis, Team, lists, from the top, analysts, graders and victim_id." in texts["exposure"]


def test_a_misspelt_bundled_scenario_gets_a_did_you_mean(tmp_path):
    run = CliRunner().invoke(app, ["run", "growth-hihg", "-r", "1", "-w", "1", "--out", str(tmp_path / "out")])
    assert run.exit_code == 2
    assert "growth-hihg: no such scenario file, nor a bundled scenario of that name (did you mean 'growth-high'?); " \
           "bundled scenarios: base," in " ".join(run.output.split())
    assert "Traceback" not in run.output


def test_a_misspelt_scenario_file_gets_a_did_you_mean(tmp_path):
    (tmp_path / "hotline.yaml").write_text(bundled.path("one-team").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=re.escape("hotlne.yaml: no such file (did you mean 'hotline.yaml'?)")):
        load_scenario(tmp_path / "hotlne.yaml")
    bundled_hint = "no such file (did you mean the bundled scenario 'growth-high'?)"
    with pytest.raises(ScenarioError, match=re.escape(bundled_hint)):
        load_scenario(tmp_path / "growth-hihg.yaml")


@pytest.mark.parametrize("override, message", [
    ("sla.normal.target=90", "base: --set sla.normal.target=90: 90 is more than 1: this is a share, at most 1; "
                             "for 90% write 0.9 or 90%"),
    ("workforce.analysts.shrinkage=15", "base: --set workforce.analysts.shrinkage=15: 15 is not below 1: this is a share, "
                                        "below 1; for 15% write 0.15 or 15%"),
    ("demand.reports.mix.criminal=150", "base: --set demand.reports.mix.criminal=150: 150 is more than 1: this is a share, "
                                        "at most 1; e.g. 0.9 or 90%"),
])
def test_a_percentage_given_for_a_share_is_said_to_be_one(override, message):
    with pytest.raises(ScenarioError) as raised:
        load_scenario(bundled.path("base"), [override])
    assert str(raised.value) == message


def test_the_command_line_gives_the_share_message_once_and_exits_2(tmp_path):
    run = CliRunner().invoke(app, ["run", "base", "-r", "1", "-w", "1", "--set", "sla.normal.target=90",
                                   "--out", str(tmp_path / "out")])
    assert run.exit_code == 2
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert lines == ["base: --set sla.normal.target=90: 90 is more than 1: this is a share, at most 1; for 90% write 0.9 or 90%"]
    assert not (tmp_path / "out").exists()
