"""The time-to-assessment chart judges an SLA only referrals have at the team they are referred to.

police-unit gives the high priority only to referrals (routing to investigation): no stream's own
item is high, so ``sla_high`` is NaN by design. The chart's right panel read it anyway and wrote
"high — no items assessed" across the 90% target bar, while investigation assessed over a
thousand high-priority referrals, 95% of them within the 14 days.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from capsim import bundled
from capsim.charts.waits import time_to_assessment
from capsim.experiment import simulate
from capsim.scenario import Scenario, load_scenario

REFERRALS = "high-priority referrals at team investigation"


@pytest.fixture(scope="module")
def police() -> Scenario:
    return load_scenario(bundled.path("police-unit"))


def _labels(ax) -> list[str]:
    """The right panel's row labels, top to bottom, each on one line."""
    return [" ".join(t.get_text().split()) for t in ax.get_yticklabels()][::-1]


def _targets(ax) -> list[float]:
    """The rows (their y) a target bar is drawn across (the 3-point vertical lines)."""
    return [float(line.get_ydata().mean()) for line in ax.get_lines() if line.get_linewidth() == 3]


def _no_items(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_text() == "no items assessed"]


def test_the_referral_sla_is_shown_at_its_team(police):
    result = simulate(police, replications=2, seed=3)
    per_replication = result.per_replication
    assert per_replication["sla_high"].isna().all()  # the premise: no stream's own item is high
    investigation = per_replication["sla_high_investigation"]
    assert investigation.notna().all()
    fig = time_to_assessment(per_replication, police, result.seed)
    sla_ax = fig.axes[1]
    assert _labels(sla_ax) == ["normal-priority reports", REFERRALS]
    assert not _no_items(fig)
    dots = [float(x) for c in sla_ax.collections for x, y in c.get_offsets() if abs(y) < 0.5]  # the bottom row
    # a dot for each replication's share at investigation
    assert all(any(share == pytest.approx(d) for d in dots) for share in investigation)
    assert sorted(_targets(sla_ax)) == [0.0, 1.0]  # a target bar on both rows
    plt.close(fig)


def test_the_title_names_the_referrals_when_they_are_the_first_level_known(police):
    per_replication = pd.DataFrame({"replication": [0, 1], "time_to_assessment_p50": [19.0, 20.0],
                                    "time_to_assessment_p90": [50.0, 51.0], "sla_normal": [math.nan, math.nan],
                                    "sla_high": [math.nan, math.nan], "sla_high_investigation": [0.94, 0.95]})
    fig = time_to_assessment(per_replication, police, 1)
    title = " ".join(fig._suptitle.get_text().split())
    plt.close(fig)
    assert "n/a" not in title
    assert (f"of {REFERRALS} alone, 94% meet the 14 d deadline: the 90% target is met on average, but the 95% CI, "
            "88% to 100%, reaches below the target") in title  # two replications: a wide interval


def test_a_level_with_no_items_says_so_clear_of_every_mark(police):
    per_replication = pd.DataFrame({"replication": [0, 1], "time_to_assessment_p50": [19.0, 20.0],
                                    "time_to_assessment_p90": [50.0, 51.0], "sla_normal": [0.99, 1.0],
                                    "sla_high": [math.nan, math.nan], "sla_high_investigation": [math.nan, math.nan]})
    fig = time_to_assessment(per_replication, police, 1)
    sla_ax = fig.axes[1]
    assert _labels(sla_ax) == ["normal-priority reports", REFERRALS]
    [text] = _no_items(fig)
    assert _targets(sla_ax) == [1.0]  # the target only where there are shares to judge
    fig.draw_without_rendering()
    box = text.get_window_extent()
    lines = [*sla_ax.get_lines(), *sla_ax.get_xgridlines()]
    assert not [line for line in lines if line.get_visible() and box.overlaps(line.get_window_extent())
                and line.get_zorder() >= text.get_zorder()]  # a grid line may pass only behind its blank
    assert text.get_bbox_patch() is not None
    dots = [xy for c in sla_ax.collections for xy in c.get_offset_transform().transform(c.get_offsets())]
    assert dots and not [xy for xy in dots if box.contains(*xy)]
    plt.close(fig)
