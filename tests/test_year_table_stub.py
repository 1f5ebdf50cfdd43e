"""The report's year table says which part years are too short to judge a team by, as the
terminal's does (:func:`capsim.charts.by_year.stub_labels`, :func:`capsim.periods.too_short_note`)."""

import pytest

from capsim import bundled, simulate
from capsim.charts.by_year import stub_labels
from capsim.report.years import year_table_html
from capsim.scenario import load_scenario


@pytest.fixture(scope="module")
def ends_in_january():
    """Base from 1 Jan 2024 (a leap year) over 368 days: it ends at midnight on 3 Jan 2025."""
    return simulate(load_scenario(bundled.path("base"), ["clock.start=2024-01-01", "clock.horizon=368d"]),
                    replications=1)


def test_the_stub_is_named_once_and_kept_in_the_table(ends_in_january):
    assert stub_labels(ends_in_january) == ["2025 (1–2 Jan)"]
    table = year_table_html(ends_in_january)
    assert "<th scope='row'>2025 (1–2 Jan)</th>" in table  # its row kept
    assert ("2025 (1–2 Jan) is shorter than 28 days, too short to judge a team by: its row gives those days alone, "
            "not the year&#x27;s level.</caption>") in table


def test_a_table_without_a_stub_has_no_such_note():
    result = simulate(load_scenario(bundled.path("base"), ["clock.horizon=60d"]), replications=1)
    assert stub_labels(result) == [] and "too short to judge" not in year_table_html(result)
