"""A comparison's difference axis is scaled to the differences: where a share differs by exactly
0 in every replication (both runs assess every report in time), its axis spans one percentage
point either side, not the ±100 points it spanned (ticks at ±80) for nothing."""

from __future__ import annotations

import pytest

from capsim import charts, simulate
from capsim.scenario import load_scenario
from tests.test_charts import TINY


@pytest.fixture(scope="module")
def same_twice():
    result = simulate(load_scenario(TINY), replications=3, seed=11)
    return [result, result]  # paired under one seed: every difference is exactly 0


def test_a_share_that_does_not_differ_gets_a_one_point_axis(same_twice):
    fig = charts.comparison(same_twice, ["sla_normal", "wait_mean"])
    share_diff, wait_diff = fig.axes[1], fig.axes[3]
    assert share_diff.get_xlim() == pytest.approx((-0.01, 0.01))  # shares: 0.01 is one point
    labels = [t.get_text() for t in share_diff.get_xticklabels() if abs(t.get_position()[0]) <= 0.01]
    points = [float(text.replace("\u2212", "-")) for text in labels]
    assert len(points) >= 3 and max(map(abs, points)) <= 1  # ticks within ±1 point, not at ±80
    assert wait_diff.get_xlim() == pytest.approx((-1.0, 1.0))  # one hour, as before


def test_a_share_that_differs_is_scaled_to_its_differences(same_twice):
    more = simulate(load_scenario(TINY, ["workforce.analysts.headcount=3", "name=tiny-more-staff"]),
                    replications=3, seed=11)
    table = charts.paired_differences([same_twice[0], more], ["sla_normal"])
    row = table[table.scenario == "tiny-more-staff"].iloc[0]
    widest = max(abs(row[k]) for k in ("diff", "diff_ci_low", "diff_ci_high"))
    assert widest > 0
    fig = charts.comparison([same_twice[0], more], ["sla_normal"])
    assert fig.axes[1].get_xlim() == pytest.approx((-1.15 * widest, 1.15 * widest))
