"""The notes under ``capsim staff`` and ``capsim grant`` name a service level in the words their
tables name it ("reports within 72 h", "urgent images within 24 h"), never by its metric id
(``sla_normal``), which a manager reading the plan cannot follow.

Each note is checked where a reader meets it: the terminal, ``staffing_plan.csv``'s ``note``
column and the plan's :attr:`~capsim.staffing.PeriodPlan.note`, for every note that names an SLA:
hires late (staff and grant), an SLA the roster makes impossible and left out, no headcount
meeting the target (the best attainable), and strict priority order sacrificing one SLA.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import yaml
from typer.testing import CliRunner

from capsim.cli import app
from capsim.scenario import load_scenario
from capsim.staff_notes import priority_conflicts
from capsim.staffing import solve_staffing
from capsim.words import grant_sla_names, sla_words
from tests.test_late_hires import GRANT_START, one_analyst
from tests.test_staffing import WEEKDAYS
from tests.test_staffing_search_cap import WEEKDAY_URGENT
from tests.test_workforce_rosters import two_patterns

METRIC_ID = re.compile(r"\bsla_\w+")
"""A service level's metric id, as summary.csv names it."""


def flat(text: str) -> str:
    """Terminal output on one line (rich wraps long notes at the terminal's width)."""
    return " ".join(text.split())


def test_the_staff_note_on_late_hires_names_the_service_level_as_the_table_does(tmp_path):
    raw = one_analyst()
    raw["clock"].update(start="2027-01-04", horizon="196d")
    path = tmp_path / "late.yaml"
    path.write_text(yaml.safe_dump(raw))
    result = CliRunner().invoke(app, ["staff", str(path), "-r", "2", "--workers", "1", "--out", str(tmp_path / "o")],
                                terminal_width=400)
    assert result.exit_code == 3, result.output  # hires late: not met
    named = sla_words(load_scenario(raw), "normal")  # as the table's column names it
    assert named == "reports within 72 h"
    output = flat(result.output)
    assert re.search(rf"period 1 has \d+% of {named} \(\d+% with every hire on time\)", output), output
    assert METRIC_ID.findall(output) == []
    notes = pd.read_csv(tmp_path / "o" / "staffing_plan.csv").note.dropna()
    assert any("with every hire on time" in note for note in notes)
    assert not any(METRIC_ID.search(note) for note in notes)


def test_the_grant_note_on_late_hires_names_the_service_level_as_the_table_does(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(one_analyst()))
    result = CliRunner().invoke(app, ["grant", str(path), "--from", str(GRANT_START), "--years", "1", "-r", "2",
                                      "--workers", "1", "--out", str(tmp_path / "out")], terminal_width=400)
    assert result.exit_code == 3, result.output
    output = flat(result.output)
    column = grant_sla_names([load_scenario(one_analyst())])["sla_normal"]
    assert column == "reports within 72 h (analysts)"  # the grant table's column: the team in brackets
    note = output.split("small, team analysts, 2027/28: late by")[1]
    assert re.search(r"\. With them late, 2027/28 has \d+% of reports within 72 h \(\d+% with every hire on "
                     r"time\)", note), note  # the year as the table names it
    assert METRIC_ID.findall(output) == []


def test_an_sla_the_roster_makes_impossible_and_the_one_planned_for_are_named_in_words(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(dict(WEEKDAY_URGENT, clock=dict(WEEKDAY_URGENT["clock"], horizon="40d"))))
    result = CliRunner().invoke(app, ["staff", str(path), "--period", "month", "--max", "8", "-r", "2",
                                      "--confidence", "0.5", "--workers", "1", "--out", str(tmp_path / "o")],
                                terminal_width=400)
    assert result.exit_code == 3, result.output
    scenario = load_scenario(WEEKDAY_URGENT)
    urgent, normal = sla_words(scenario, "urgent"), sla_words(scenario, "normal")  # as the table's columns name them
    assert (urgent, normal) == ("urgent images within 24 h", "normal-priority images within 72 h")
    output = flat(result.output)
    assert re.search(rf"the roster makes the target for {urgent} impossible: only [\d.]+% of them arrive less than "
                     r"24 h before someone is on shift", output), output
    assert f"so the plan leaves {urgent} out and plans the headcount for {normal}, met in" in output
    assert METRIC_ID.findall(output) == []
    notes = pd.read_csv(tmp_path / "o" / "staffing_plan.csv").note.dropna()
    assert len(notes) and not any(METRIC_ID.search(note) for note in notes)


def test_the_best_attainable_where_no_headcount_suffices_names_the_service_level():
    scenario = load_scenario(WEEKDAYS)
    plan = solve_staffing(scenario, period="quarter", confidence=0.9, max_headcount=6)
    (only,) = plan.periods
    attained = float(np.nanmean(plan.tried[0][6].sla["normal"]))
    assert "the roster makes the target for images within 24 h impossible" in only.note
    assert f"best attainable: {attained:.1%} of images within 24 h at 6 analysts" in only.note
    assert not METRIC_ID.search(only.note)


def test_strict_priority_order_names_both_service_levels_as_the_tables_do():
    raw = two_patterns()
    raw["demand"][0].pop("priority")
    raw["demand"][0]["priority_mix"] = {"urgent": 0.1, "normal": 0.9}
    raw["sla"] = [{"priority": "urgent", "within": "24h", "target": 0.95},
                  {"priority": "normal", "within": "72h", "target": 0.9}]
    scenario = load_scenario(raw)
    (line,) = priority_conflicts(scenario, {"sla_urgent": 0.999, "sla_normal": 0.6})
    assert line.startswith("hotline: normal-priority reports within 72 h miss their target (60.0% against 90%) "
                           "while urgent reports within 24 h, served first, beat theirs with slack (99.9% against "
                           "95%): strict priority serves all urgent reports before any normal-priority reports")
    assert "earliest_deadline" in line and not METRIC_ID.search(line)

