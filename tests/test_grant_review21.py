"""The twenty-first review's grant findings: a share's interval over a bar that read "(99.5–over 99.99)";
a title whose seats as written ranged from 0, over scenarios that have no team kept as written; a
target of 99.5% printed "< 100%" in the terminal."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from capsim import charts
from capsim.charts.grant import _share_ci
from capsim.grant import grant
from capsim.scenario import load_scenario
from tests.test_grant import hotline
from tests.test_grant_trial11 import page, terminal, with_victim_id

GRANT_START = dt.date(2027, 4, 1)


@pytest.mark.parametrize(("low", "high", "label"), [
    (0.995, 0.99999, "\n(99.5 to\nover 99.99)"),
    (0.00001, 0.02, "\n(under 0.01\nto 2.0)"),
    (0.973, 0.9995, "\n(97.3–99.95)"),
    (0.97, 1.0, "\n(97.0–100)"),
    (0.999991, 0.999999, ""),  # both "over 99.99": one value
])
def test_a_share_interval_over_a_bar_is_a_clean_range(low, high, label):
    """``_share_ci(0.995, 0.99999)`` gave "(99.5–over 99.99)" and ``_share_ci(0.00001, 0.02)``
    "(under 0.01–2)": a dash between a number and words."""
    assert _share_ci("sla_normal", low, high) == label


@pytest.fixture(scope="module")
def kept_and_plain():
    """The small hotline with a victim-ID analyst kept as written (no SLA), and without one, over a
    grant year."""
    kept = with_victim_id(None)
    kept["name"] = "kept"
    return grant([load_scenario(kept), load_scenario(hotline(name="plain"))], GRANT_START, 1, replications=2)


def test_seats_as_written_range_over_the_scenarios_that_have_them_named(kept_and_plain):
    """Across scenarios of one cost, the title said "0 to 16 FTE as written for teams graders and
    victim_id": a scenario with no such team counted 0 seats for them."""
    result = kept_and_plain
    table = result.table.copy()
    table[["total_cost", "total_cost_ci_low", "total_cost_ci_high"]] = 300_000.0  # one cost: the title's ranges
    rows = table[table.year != "all"].set_index("scenario")
    assert rows.loc["kept", "fte_as_written"] == 1.0 and rows.loc["plain", "fte_as_written"] == 0.0
    fig = charts.grant_per_year(table, result.scenarios, result.seed, result.replications)
    title = " ".join(fig._suptitle.get_text().split())
    assert ("FTE needed for the SLAs of team analysts, plus 1 FTE as written for team victim_id, which no target "
            "sizes (in scenario kept only);") in title
    assert "0 to 1" not in title


def test_a_missed_target_is_printed_as_written(kept_and_plain):
    """A 99.5% target printed "< 100%" beside a share of 99.3%: the report's "target 99.5%" rounded."""
    table = kept_and_plain.table.copy()
    table["sla_normal_analysts_target"] = table["sla_normal_analysts_target"].where(table.scenario != "kept", 0.995)
    table.loc[table.scenario == "kept", ["sla_normal_analysts", "sla_normal_analysts_ci_low",
                                         "sla_normal_analysts_ci_high"]] = 0.993, 0.99, 0.996
    shown = dataclasses.replace(kept_and_plain, table=table)
    assert "99.3% (99.0% to 99.6%) < 99.5%" in terminal(shown)
    assert "99.3% (95% CI 99.0% to 99.6%; target 99.5%)" in page(shown)
