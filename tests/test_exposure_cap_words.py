"""Words about the exposure cap and usable hours are true of the scenario they describe: the
police unit has no cap, yet its findings spoke of "the time the exposure cap allows" and its run
of a gap that "is the exposure cap"; where only some teams have a cap, they are named; and the
wellbeing tooling's cap, which replaces the teams', is the one said."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from capsim import bundled
from capsim.charts.exposure_hours import exposure
from capsim.cli import app
from capsim.experiment import simulate
from capsim.report.caveats import limitations
from capsim.report.findings import headline_findings
from capsim.report.what_it_takes import WhatItTakes, what_it_takes_findings
from capsim.scenario import load_scenario
from capsim.staff_notes import utilisation_line

SHORT = ["clock.horizon=20d", "clock.warmup=5d"]
"""Three weeks: every finding and chart title is written, quickly."""


def run(name: str, *overrides: str):
    return simulate(load_scenario(bundled.path(name), [*SHORT, *overrides]), replications=2, seed=1, periods=None)


@pytest.fixture(scope="module")
def uncapped():
    return run("police-unit")  # neither triage nor investigation has a cap


@pytest.fixture(scope="module")
def mixed():
    return run("police-unit", "workforce.investigation.exposure_cap=4h")


def said(result, *words: str) -> str:
    return next(f for f in headline_findings(result) if all(w in f for w in words))


def shares(result) -> tuple[tuple[float, ...], tuple[float, ...]]:
    row = lambda m: tuple(result.summary[result.summary.metric == m][["mean", "ci_low", "ci_high"]].iloc[0])
    return row("utilisation"), row("utilisation_usable")


def test_with_no_cap_nothing_is_said_of_one(uncapped):
    s = uncapped.scenario
    finding = said(uncapped, "On shifts with any review")
    assert "(no daily exposure cap is set)" in finding and "the exposure cap allows" not in finding
    assert finding.endswith("of their time on shift reviewing.")  # the usable share is the same: said once
    line = utilisation_line(s, *shares(uncapped))
    assert "exposure cap, not idle time" not in line and "up to the daily exposure cap" not in line
    assert "all the time they may review, as no daily exposure cap is set" in line
    assert " ".join(exposure(uncapped.per_replication, s, 1)._suptitle.get_text().split()).endswith(
        "no exposure cap is set")
    from capsim.staff_notes import cap_words  # (new: imported here so that the old code fails above)

    assert cap_words(s) == "no daily exposure cap"


def test_where_some_teams_have_a_cap_they_are_named(mixed):
    s = mixed.scenario
    finding = said(mixed, "On shifts with any review")
    assert " hours at team triage, with no daily exposure cap; " in finding  # each team against its own cap
    assert re.search(r" hours at team investigation, (within|above) its 4 h/day exposure cap", finding)
    assert "of the time they may review (on shift, up to the cap where a team has one)." in finding
    assert "up to a daily exposure cap of 4 h for investigation, none for triage)" in utilisation_line(s, *shares(mixed))
    title = " ".join(exposure(mixed.per_replication, s, 1)._suptitle.get_text().split())
    assert re.search(r"triage [\d.]+ h, with no daily exposure cap; investigation [\d.]+ h, (within|above) its 4 h/day "
                     "exposure cap", title)  # not "within the 4 h cap" of a figure pooled with triage's
    caveat = next(x for x in limitations(s, 12) if "exposure cap" in x)
    assert caveat.startswith("Only investigation has a daily exposure cap (triage may review for the whole of every "
                             "shift). The exposure cap is checked")
    from capsim.staff_notes import cap_words

    assert cap_words(s) == "a daily exposure cap of 4 h for investigation, none for triage"
    assert cap_words(run("base", "workforce.graders.exposure_cap=5h").scenario) == (
        "a daily exposure cap of 4 h for analysts and victim_id, 5 h for graders")


def test_the_wellbeing_tools_cap_is_the_one_said():
    result = run("tooling-wellbeing")  # its 5 h cap replaces base's 4 h ones
    finding = said(result, "On shifts with any review")
    assert finding.count("its 5 h/day exposure cap") == 3 and "4 h/day" not in finding  # each team's is the tool's
    teams_uncapped = load_scenario(bundled.path("tooling-wellbeing"), [
        *SHORT, *(f"workforce.{t}.exposure_cap=none" for t in ("analysts", "graders", "victim_id"))])
    caveat = next(x for x in limitations(teams_uncapped, 12) if "exposure cap" in x)
    assert caveat.startswith("The exposure cap is checked")  # not "No team has a daily exposure cap"


def test_a_plan_that_no_headcount_meets_names_the_cap_only_where_the_team_has_one(uncapped, mixed):
    def answer(result, team: str) -> str:
        plan = SimpleNamespace(team=team, baseline=18, max_headcount=100, periods=[])
        return what_it_takes_findings(result, WhatItTakes(plans=[plan], result=None))[0]

    assert answer(uncapped, "triage").endswith("(see the staffing plan's notes: the roster).")
    assert answer(mixed, "investigation").endswith("(see the staffing plan's notes: the roster or the exposure cap).")


def test_the_police_units_report_speaks_of_no_cap(tmp_path):
    done = CliRunner().invoke(app, ["report", "police-unit", "-r", "2", "-w", "1", "--out", str(tmp_path / "r"),
                                    *(x for o in SHORT for x in ("--set", o))])
    assert done.exit_code == 0, done.output
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    for wrong in ("the exposure cap allows", "against the daily exposure cap.", "when the daily exposure cap is reached",
                  "up to the exposure cap)"):
        assert wrong not in page


def test_mentoring_alone_is_named_as_what_limits_the_usable_hours():
    result = run("one-team", "workforce.analysts.exposure_cap=none", "workforce.analysts.ramp.training_weeks=4",
                 "workforce.analysts.ramp.mentor_hours=3")
    finding = said(result, "On shifts with any review")
    assert "(no daily exposure cap is set)" in finding and finding.endswith("(on shift, less mentoring).")
    line = utilisation_line(result.scenario, *shares(result))
    assert "(the most they may review: time on shift less mentoring; no daily exposure cap is set)" in line
    assert line.endswith("the gap between the two is mentoring, not idle time.")
