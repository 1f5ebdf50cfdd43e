"""The report's and the web page's Differences give each team's own queue first (trial 11).

``capsim report growth-central gc-classifier.yaml`` listed only whole-run totals, so a tool whose
intake team cleared its queue while victim identification's grew read as "no difference" for that
team; :func:`capsim.compare.team_lines` says it, and the report must show it too.
"""

from __future__ import annotations

import html

import pytest

from capsim import bundled, simulate
from capsim.compare import team_lines
from capsim.report.page import render_report
from capsim.scenario import load_scenario

SHORT = ["clock.horizon=45d", "clock.warmup=5d"]


@pytest.fixture(scope="module")
def results():
    """police-unit over 40 measured days, then with investigation cut from its headcount to 2:
    its own queue grows beyond any interval while triage's does not move."""
    first = load_scenario(bundled.path("police-unit"), SHORT)
    fewer = load_scenario(bundled.path("police-unit"), [*SHORT, "name=fewer", "workforce.investigation.headcount=2"])
    return [simulate(s, replications=3, seed=5, workers=1) for s in (first, fewer)]


def test_the_reports_differences_begin_with_each_teams_own_queue(results):
    lines = team_lines(results)["fewer"]
    assert lines and lines[0].startswith("team investigation: mean wait ")  # the premise: its queue grew
    page = render_report(results, {})
    differences = page[page.index("<h3>Differences</h3>"):]
    first_item = differences[differences.index("<li>") + 4:differences.index("</li>")]
    assert html.unescape(first_item) == lines[0]
