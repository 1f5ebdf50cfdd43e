"""The brief's charts carry a short, one-paragraph footer (:func:`capsim.charts.footer.one_line_footers`):
scenario, seed, replications, the growth assumed in short words, and where the brief lists the sources
(:data:`capsim.report.brief.BRIEF_SOURCES`). Wrapped to the chart's width, it never splits that pointer
across lines, and it still says whose figure of which year a stream's starting rate is; the full
footers of the report's charts keep their long words."""

from __future__ import annotations

import itertools

import pytest

from capsim import bundled
from capsim.charts.footer import footer_text, one_line_footers
from capsim.charts.style import footer_lines
from capsim.report.brief import BRIEF_SOURCES
from capsim.scenario import load_scenario

SCENARIOS = {name: load_scenario(bundled.path(name)) for name in bundled.names()}


def brief_footer(names: tuple[str, ...]) -> list[str]:
    """The footer of a brief's chart of the bundled scenarios ``names``, as the chart draws it, line by line."""
    with one_line_footers(BRIEF_SOURCES):
        return footer_lines(footer_text([SCENARIOS[n] for n in names], 20240101, 2))


@pytest.mark.parametrize("names", [(n,) for n in SCENARIOS] + list(itertools.permutations(
    ["growth-low", "growth-central", "growth-high", "base"], 2)) + [("growth-low", "growth-central", "growth-high")])
def test_the_pointer_to_the_briefs_sources_is_never_split_across_lines(names):
    lines = brief_footer(names)
    assert sum(BRIEF_SOURCES in line for line in lines) == 1, lines
    assert lines[-1].endswith(BRIEF_SOURCES), lines


def test_the_short_footer_says_whose_figure_a_starting_rate_is_without_restating_its_growth():
    lines = brief_footer(("growth-central",))
    text = " ".join(lines)
    # the rate is IWF's 2024 count, applied from the run's start; its growth once, a year
    assert "ai-generated (0.67 a day at the start on 4 Mar 2027: IWF's 2024 figure) +235% a year ·" in text
    assert "doubling every" not in text  # +235% a year said again as a doubling time: left to the brief's limits
    assert len(lines) == 3, lines
    full = footer_text([SCENARIOS["growth-central"]], 20240101, 2)  # a report's chart: the long words, as before
    assert ("ai-generated (0.67 a day at the start on 4 Mar 2027: IWF's 2024 figure) +235% a year, "
            "doubling every 209 days") in full
