"""A ninth user trial's words and charts that would mislead: a report of several scenarios saying a
limitation of the first of all of them, several teams' staff run together ("13 analysts and 12
analysts of team graders"), a share's spread given in % instead of points, and the backlog chart's
legend over its daily lines."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from capsim.bundled import path as scenario_file
from capsim.charts.backlog import backlog_fan
from capsim.charts.by_year import staff_words
from capsim.cli import app
from capsim.report.caveats import limitations
from capsim.scenario import load_scenario
from capsim.staffing import with_changes
from capsim.words import and_list, plus_minus
from tests.test_uncertainty import uncertain_mmc


def bundled(name: str, *overrides: str):
    return load_scenario(scenario_file(name), list(overrides))


# --------------------------------------------------------------------------- 1. limitations of several scenarios


TOOLS = ("base", "tooling-classifier", "tooling-detector")


def test_a_limitation_true_of_some_scenarios_names_them_and_one_true_of_all_is_said_once():
    said = limitations([bundled(name) for name in TOOLS], 5)
    assert not any(x.startswith("No classifier or synthetic-image detector is used") for x in said)  # not of all
    assert ("In base, no classifier or synthetic-image detector is used; none for this material has published "
            "precision and recall") in " ".join(said)
    assert any(x.startswith("In tooling-classifier and tooling-detector, no classifier or synthetic-image detector "
                            "for this material has published precision and recall") for x in said)
    # every scenario has the same review times: said once, of all, without names
    assert sum("The review time per report (90 s on average) is an assumption" in x for x in said) == 1
    assert said[-1].startswith("Only 5 replication(s)")


def test_limitations_of_one_scenario_are_its_own_without_names():
    one = bundled("base")
    assert limitations([one], 12) == limitations(one, 12)
    assert not any(x.startswith("In base") for x in limitations(one, 12))


def test_several_scenarios_limitations_keep_each_subject_together_first_scenario_first():
    said = limitations([bundled("base"), bundled("growth-central"), bundled("one-team")], 12)
    # a growing run's results follow from its growth: first, as the brief quotes it, in the scenarios' order
    assert said[0].startswith("In growth-central, the results rest on the growth assumed for each stream")
    assert said[1].startswith("In one-team, the results rest on the growth assumed for each stream")
    headcount = [x for x in said if "eadcount" in x]
    assert headcount[0].startswith("In base and growth-central, headcount is fixed for the whole run")
    assert headcount[1].startswith("In one-team, headcount changes over the run for analysts")
    assert said.index(headcount[0]) + 1 == said.index(headcount[1])


def test_no_exposure_cap_and_no_absence_are_not_said_to_be_modelled():
    said = " ".join(limitations(bundled("one-team", "workforce.analysts.exposure_cap=none",
                                        "workforce.analysts.shrinkage=0"), 12))
    assert "The exposure cap is checked" not in said and "No team has a daily exposure cap" in said
    assert "Absences fall at random" not in said and "No absence is modelled" in said


# --------------------------------------------------------------------------- 2. several teams' staff


def test_several_teams_staff_name_each_team_and_say_analysts_once():
    base = bundled("base")
    assert staff_words(base, ["analysts", "graders"]) == (
        "the 13 analysts (team analysts) and 12 (team graders) the scenario holds constant (no posts added)")
    assert staff_words(base, ["graders"]) == "the 12 analysts (team graders) the scenario holds constant (no posts added)"
    # the team called analysts is named too where there are other teams: its 13 are not all the scenario's
    assert staff_words(base, ["analysts"]).startswith("the 13 analysts (team analysts) the scenario holds")
    assert staff_words(bundled("one-team"), ["analysts"]).startswith("the 5 analysts the scenario")
    assert staff_words(bundled("base", "workforce.graders.headcount=1"), ["graders"]).startswith(
        "the 1 analyst (team graders) ")


def test_a_teams_planned_staff_name_the_team_in_brackets():
    police = bundled("police-unit")
    s = with_changes(police, 1, [(police.clock.start, 17), (police.clock.start.replace(month=7), 20)])
    assert staff_words(s, ["triage", "investigation"]) == (
        "the 18 analysts (team triage) the scenario holds constant (no posts added) and the analysts (team "
        "investigation) the scenario plans (17 at the start, then 20 from 1 Jul 2024)")


def test_names_are_listed_as_a_sentence_lists_them():
    assert and_list(["base"]) == "base"
    assert and_list(["a", "b"]) == "a and b"
    assert and_list(["a", "b", "c"]) == "a, b and c"


# --------------------------------------------------------------------------- 3. a share's spread in points


def test_a_shares_spread_is_in_points_and_other_spreads_in_the_values_unit():
    assert plus_minus("sla_normal", 0.315, 0.047) == "31.5% ± 4.7 points"
    assert plus_minus("utilisation", 0.527, 0.0003) == "52.7% ± 0.03 points"  # never a spread of 0.0
    assert plus_minus("backlog_mean", 4006.4, 24.3) == "4,006 ± 24"
    assert plus_minus("cost_total", 1_546_138, 1_234, "GBP") == "£1,546,138 ± £1,234"
    assert plus_minus("sla_normal", 0.315, float("nan")) == "31.5% ± n/a"


def test_the_uncertainty_table_gives_a_shares_monte_carlo_error_in_points(tmp_path):
    """The trial saw "sla_normal │ 31.5% ± 4.7%" in capsim uncertainty's whole-run table."""
    out = tmp_path / "u"
    done = CliRunner().invoke(app, ["uncertainty", uncertain_mmc(tmp_path, days=0.5), "-n", "4", "-r", "2",
                                    "--workers", "1", "--out", str(out)])
    assert done.exit_code == 0, done.output
    whole_run = done.output[done.output.index("whole run"):done.output.index("Uncertain inputs:")]
    rows = {}
    for line in whole_run.splitlines():  # a row's cells, wrapped lines joined under its metric
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) > 1:
            name = cells[0] or name
            rows[name] = (rows.get(name, "") + " " + cells[1]).strip()
    assert re.fullmatch(r"[\d.]+% ± [\d.]+ points", rows["utilisation"]), rows
    assert re.fullmatch(r"[\d.,]+ ± [\d.,]+", rows["wait_mean"]), rows  # a time's spread in its own unit


# --------------------------------------------------------------------------- 4. the backlog chart's legend


def test_the_backlog_legend_sits_above_the_panel_clear_of_every_line():
    s = bundled("base")
    hours = np.arange(0, 24 * 70, 24.0)
    spikes = np.where((hours // 24) % 7 == 0, 8000.0, 1500.0)  # weekly peaks as high as the panel goes
    frames = [pd.DataFrame({
        "time": hours, "replication": rep, "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(hours, unit="h"),
        "backlog_mean": spikes + rep, "backlog_mean_analysts": spikes / 3, "backlog_mean_graders": spikes / 2,
        "backlog_mean_victim_id": 10.0, "on_duty": 8.0}) for rep in range(2)]
    fig = backlog_fan(pd.concat(frames), s, 1)
    fig.draw_without_rendering()
    top = fig.axes[0]
    legend, panel = top.get_legend().get_window_extent(), top.get_window_extent()
    assert legend.y0 >= panel.y1, (legend, panel)  # wholly above the panel: over no line, however high
    assert legend.y0 >= top._left_title.get_window_extent().y1 - 1  # and over its subtitle, not on it
    assert max(np.nanmax(line.get_ydata()) for line in top.get_lines()) <= top.get_ylim()[1]  # no peak cut off

