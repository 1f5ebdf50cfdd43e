"""The grant page (report.html of capsim grant) says what the terminal says: every service level and
backlog with its 95% CI, and the solver's notes on late hires with the date to recruit by."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from capsim.grant import GrantResult, grant
from capsim.report.grant import render_grant_report
from capsim.scenario import load_scenario
from capsim.words import fmt, interval
from tests.test_grant import hotline


@pytest.fixture(scope="module")
def late() -> GrantResult:
    """One analyst, far too few, hires 90 days away: the first grant year's hires are late."""
    raw = hotline()
    raw["workforce"][0].update(headcount=1, hiring={"lead_time": "90d"})
    return grant([load_scenario(raw)], dt.date(2027, 4, 1), 2, replications=3)


def test_every_service_level_and_backlog_on_the_page_carries_its_interval(late: GrantResult) -> None:
    page = html.unescape(render_grant_report(late, "<svg></svg>"))
    columns = [c.removesuffix("_target") for c in late.table if c.startswith("sla_") and c.endswith("_target")]
    said = [f"{fmt(column, row[column])} ({interval(column, row[f'{column}_ci_low'], row[f'{column}_ci_high'], ref=row[column])}"
            for row in late.table.to_dict("records") for column in [*columns, "backlog_mean"]]
    assert columns and sum("95% CI" in x for x in said) > len(late.table)  # intervals with a width, not only "the same"
    assert [x for x in said if x not in page] == []


def test_the_page_gives_the_terminal_s_late_hire_notes_with_their_recruit_by_date(late: GrantResult) -> None:
    page = html.unescape(render_grant_report(late, "<svg></svg>"))
    notes = [(plan.team, late.years[k].label, period.note)
             for plan in late.plans[late.scenarios[0].name] for k, period in enumerate(plan.periods) if period.note]
    assert any("should have been recruited by" in note for *_, note in notes)
    for team, year, note in notes:
        assert f"team {team}, {year}: {note}" in page
