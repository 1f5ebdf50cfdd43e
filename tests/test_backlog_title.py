"""The backlog chart's title quotes the backlog the report quotes.

A user trial saw base's backlog chart titled "stays near 4,100 items waiting on average" while the
report's headline gave 4,008 (95% CI 3,989 to 4,027): the title averaged the first and last
whole months of the median line, not the run.
"""

from __future__ import annotations

from capsim import bundled
from capsim.charts.backlog import backlog_fan
from capsim.experiment import simulate
from capsim.scenario import load_scenario
from capsim.words import count_words


def test_a_level_backlog_is_titled_with_the_runs_backlog_mean():
    scenario = load_scenario(bundled.path("base"), ["clock.horizon=180d"])
    result = simulate(scenario, replications=2, seed=20240101, periods=None)
    title = backlog_fan(result.timeseries, scenario, 20240101)._suptitle.get_text()
    assert title.startswith("The backlog stays near "), title  # the premise: base is level
    assert f"near {count_words(result.metric('backlog_mean'))} items waiting on average" in title
