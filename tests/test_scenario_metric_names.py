"""A scenario whose names would give two figures one metric name is refused.

A team's own figures are named ``<metric>_<team>``: a second team named ``usable`` would report
its utilisation as ``utilisation_usable``, the run's utilisation over usable hours, and one named
after a priority the streams' items have its mean wait as that priority's ``wait_mean_<priority>``,
so summary.csv, one row a name, held one figure for two. The scenario names the team's key, the
name made twice and what is allowed; a priority that does the same is laid at the priorities.
"""

from __future__ import annotations

import pytest

from capsim.metric_names import metric_names
from capsim.scenario import validate
from tests.test_scenario import minimal, problems


def two_teams(second: str, priority: str = "normal") -> dict:
    """The minimal scenario with a second team ``second`` taking a stream of ``priority`` items."""
    raw = minimal()
    raw["workforce"].append({"team": second, "headcount": 2})
    raw["demand"].append({"stream": "tips", "rate": "5/day", "priority": priority, "team": second})
    return raw


@pytest.mark.parametrize(("team", "priority", "name"), [
    ("usable", "normal", "utilisation_usable"),  # the run's utilisation over usable hours
    ("urgent", "urgent", "wait_mean_urgent"),     # urgent items' mean wait
    ("criminal", "normal", "assessed_criminal"),  # the run's assessed criminal items
])
def test_a_team_whose_figure_takes_another_metrics_name_is_refused(team, priority, name):
    message = problems(two_teams(team, priority))
    assert message.startswith(f"scenario.yaml: workforce.{team}.team: {team!r} makes a metric name two figures "
                              f"would have (one row of summary.csv for both): {name}, "), message
    assert "name the team so that none of its <metric>_<team> is another metric's name" in message
    assert len(message.splitlines()) == 1, message


def test_a_priority_no_stream_has_leaves_a_team_of_its_name_with_one_name_a_figure():
    """wait_mean_<priority> is reported only for the priorities the streams' items have."""
    s = validate(two_teams("urgent", "normal"))
    assert len(set(metric_names(s))) == len(metric_names(s))


def test_one_team_named_usable_has_no_figures_of_its_own_and_is_kept():
    """With one team no metric is named after it: nothing is made twice."""
    raw = minimal()
    raw["workforce"][0]["team"] = "usable"
    assert validate(raw).workforce[0].team == "usable"


def test_a_priority_whose_figure_takes_another_metrics_name_is_laid_at_the_priorities():
    """The classifier's unflagged queue named missed_harmful: its items' wait_mean_missed_harmful is the
    classifier's mean wait of the criminal items it did not flag."""
    raw = minimal(priorities=["high", "missed_harmful"],
                  tooling={"classifier": {"enabled": True, "recall": 0.9, "fpr": 0.1,
                                          "positive_priority": "high", "negative_priority": "missed_harmful"}})
    raw["demand"][0]["priority"] = "missed_harmful"
    message = problems(raw)
    assert message == ("scenario.yaml: priorities: a priority's name makes a metric name two figures would have "
                       "(one row of summary.csv for both): wait_mean_missed_harmful, as a priority's figures are "
                       "named sla_<priority>, wait_mean_<priority> and sla_<priority>_original; name the priorities "
                       "so that none of these is another metric's name"), message
