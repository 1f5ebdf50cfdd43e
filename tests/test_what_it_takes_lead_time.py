"""The what-it-takes plan's hire-by dates, in the report and the brief, say when they allow no
time to recruit or vet.

A user trial of ``capsim brief growth-central`` read "30 from 1 Apr 2028 (+5; hire by 1 Apr
2028)": the scenario sets no ``hiring.lead_time`` (0 d), so hire-by is the day the analysts
start, and a funder would take it for a real deadline. ``capsim staff`` says so under its table
(:func:`capsim.staff_notes.hire_by_words`); the what-it-takes sentences now say it too, in the
same words, with the option that sets a lead time.
"""

from __future__ import annotations

import html

import pytest

from capsim.experiment import simulate
from capsim.report.brief import write_brief_html
from capsim.report.what_it_takes import what_it_takes, what_it_takes_findings
from capsim.scenario import load_scenario
from capsim.staff_notes import hire_by_words
from capsim.units import SECONDS_PER_DAY
from tests.conftest import mmc

OPTION = "workforce.analysts.hiring.lead_time=91d"
"""The override the sentence gives, without its ``--set``."""


def overloaded(overrides: tuple[str, ...] = ()):
    """Two analysts at 120% load for six days from a Monday: every run misses its 90% within 2 h."""
    raw = mmc(2, 600, 1.2, days=6, warmup_days=1, sla=[{"priority": "normal", "within": "2h", "target": 0.9}])
    raw["clock"]["start"] = "2025-01-06"
    return load_scenario(raw, overrides)


@pytest.fixture(scope="module")
def run():
    return simulate(overloaded(), 3, 5)


def test_the_report_and_the_brief_say_hire_by_dates_allow_no_time_to_recruit(run, tmp_path):
    answer = what_it_takes(run)
    lines = what_it_takes_findings(run, answer)
    assert "hire by 7 Jan 2025" in lines[0], lines[0]  # the day the hire starts: the first day measured
    note = lines[1]
    assert note.startswith("These hire-by dates allow no time to recruit or vet new analysts. "), note
    # the words of capsim staff, so that both outputs explain the dates alike
    staff = hire_by_words(run.scenario.workforce[0])
    assert "Hire" + staff.removeprefix("hire") in note
    assert note.endswith(f"On the command line: --set {OPTION}."), note
    brief, report = write_brief_html(tmp_path, [run], formats=("svg",))
    assert html.escape(note) in report.read_text(encoding="utf-8")
    short = ("The hire-by dates of team analysts allow no time to recruit or vet: no hiring lead time is set "
             f"(--set {OPTION}).")  # the brief's first page says it in short, the report in full
    assert html.escape(short) in brief.read_text(encoding="utf-8")


def test_the_option_it_gives_sets_the_lead_time_and_then_it_says_nothing_of_it():
    scenario = overloaded((OPTION,))
    assert scenario.workforce[0].hiring.lead_time == 91 * SECONDS_PER_DAY
    result = simulate(scenario, 3, 5)
    lines = what_it_takes_findings(result, what_it_takes(result))
    # the lead time counts now: the day recruiting had to start, and the day the hires start (trial 10: not
    # "hire by 7 Jan 2025, already 13 weeks late" for hires in post from 7 Jan)
    assert "(+1; 13 weeks late: to be in post on 7 Jan 2025 they had to be recruited by 8 Oct 2024, before the plan " \
           "starts on 7 Jan 2025)" in lines[0], lines[0]
    assert not any("allow no time to recruit" in line for line in lines), lines
