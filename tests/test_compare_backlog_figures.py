"""The items-waiting clause of a team line gives its three figures alike, so its arithmetic holds.

A review read "53,728 more items waiting at the end (from 4,810 to 58,500; ...)": the change was
exact, the two figures three significant figures (58,500 − 4,810 is 53,690, not 53,728), and an
advocate quoting the sentence would be caught out by anyone who subtracts.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from capsim import bundled
from capsim.compare import team_changes
from capsim.scenario import load_scenario
from tests.test_compare_review19 import _run

CLAUSE = re.compile(r"([\d,.]+) more items waiting at the end \(from ([\d,.]+) to ([\d,.]+); "
                    r"(?:95% CI |the same in every replication)")  # (each run's rise alike: no interval to give)


def _clause(before: list[float], after: list[float]) -> tuple[str, tuple[float, float, float]]:
    """The victim_id team's words for a first run whose items waiting at the end are ``before`` and
    another's ``after`` (three replications each), and the figures of its items-waiting clause."""
    first = load_scenario(bundled.path("growth-central"))
    other = load_scenario(bundled.path("growth-central"), ["name=grown"])
    words = team_changes([_run(first, backlog_end_victim_id=before), _run(other, backlog_end_victim_id=after)]
                         )["grown"][0].words
    found = CLAUSE.search(words)
    assert found, words
    return words, tuple(float(x.replace(",", "")) for x in found.groups())


def test_the_reviewed_clause_gives_both_figures_whole_beside_the_whole_change():
    words, _ = _clause([4809.4, 4810.4, 4811.4], [58537.2, 58538.2, 58539.2])
    assert "53,728 more items waiting at the end (from 4,810 to 58,538; the same in every replication)" in words


@pytest.mark.parametrize(("before", "after"), [
    ([4809.4, 4810.4, 4811.4], [58537.2, 58538.2, 58539.2]),
    ([4809.6, 4810.6, 4811.6], [58537.2, 58538.2, 58539.2]),  # rounded alone: 58,538 − 4,811 = 53,727, not 53,728
    ([1100.0, 1100.0, 1100.0], [436999.0, 437000.0, 437001.0]),
    ([0.0, 0.0, 0.0], [2.34, 2.35, 2.36]),  # a small queue: decimals, the same for all three
])
def test_the_later_figure_less_the_earlier_is_the_change_as_written(before, after):
    words, (change, start, end) = _clause(before, after)
    decimals = {len(x.split(".")[1]) if "." in x else 0 for x in CLAUSE.search(words).groups()}
    assert len(decimals) == 1, words  # one precision for the three
    last_place = 10.0 ** -decimals.pop()
    assert abs((end - start) - change) < last_place / 2, words  # the arithmetic holds as written
    assert abs(end - float(np.mean(after))) <= last_place + 1e-9  # and the later figure is the run's, to its last place
