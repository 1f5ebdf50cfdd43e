"""Tick labels and y ranges of the year-by-year charts: every tick reads its own value (no two alike,
none rounded to a neighbour's), and the y range shows each point with the whole of its interval."""

from __future__ import annotations

import numpy as np
import pytest

from capsim import bundled, simulate
from capsim.charts.ai_share import ai_share
from capsim.charts.by_year import by_year, year_rows
from capsim.charts.parts import PercentTicks
from capsim.periods import calendar_periods
from capsim.scenario import load_scenario


@pytest.fixture(scope="module")
def result():
    """Base over 60 days (past its warm-up, so it has a calendar year), 2 replications: AI-generated
    items are about 0.02% of the items reaching staff, the share whose ticks read "0.01%" twice."""
    return simulate(load_scenario(bundled.path("base"), ["clock.horizon=60d"]), replications=2)


def tick_labels(ax) -> list[tuple[float, str]]:
    """The y ticks inside the axis's range and their labels, as drawn."""
    ax.figure.draw_without_rendering()
    low, high = ax.get_ylim()
    return [(t.get_position()[1], t.get_text()) for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high]


def read_percent(label: str) -> float:
    return float(label.rstrip("%")) / 100


@pytest.mark.parametrize("locs", [
    [0, 0.00005, 0.0001, 0.00015, 0.0002],  # a fixed 2 decimals read 0%, 0.01%, 0.01%, 0.02%, 0.02%
    [0.85, 0.875, 0.9, 0.925, 0.95, 0.975, 1.0],  # no decimals read 88% for 87.5% and 98% for 97.5%
    [0.0, 0.2, 0.4, 0.6],
])
def test_percent_ticks_read_their_own_values(locs):
    labels = PercentTicks().format_ticks(locs)
    assert len(set(labels)) == len(labels)
    assert [read_percent(x) for x in labels] == pytest.approx(locs, abs=1e-12)


def test_small_ai_shares_have_distinct_ticks_and_the_interval_is_shown(result):
    fig = ai_share(result)
    bottom = fig.axes[1]
    ticks = tick_labels(bottom)
    assert len(ticks) >= 3
    assert len({label for _, label in ticks}) == len(ticks), ticks
    for value, label in ticks:
        assert read_percent(label) == pytest.approx(value, abs=1e-12), (value, label)
    share = year_rows(result, "ai_generated_share")
    assert bottom.get_ylim()[1] >= 1.1 * np.nanmax(share[["mean", "ci_high"]].to_numpy())


def test_the_backlog_panel_shows_its_highest_point_and_interval(result):
    """Its top was once the highest interval's end plus 5% of the data's spread: the marker on a
    single year's point, and its interval's end, were cut by the axes' edge."""
    fig = by_year(result)
    lower = fig.axes[-1]
    backlog = year_rows(result, "backlog_mean")
    assert lower.get_ylim()[0] == 0
    assert lower.get_ylim()[1] >= 1.1 * np.nanmax(backlog[["mean", "ci_high"]].to_numpy())
    for value, label in tick_labels(fig.axes[0]):  # the service levels' shares read their own values
        assert read_percent(label) == pytest.approx(value, abs=1e-12), (value, label)


def test_the_ai_share_title_gives_the_part_year_at_the_runs_end():
    """growth-high's title compared 2028 with 2029 only ("0.20% to 1.3%"), while the line went on to
    3.5% in 2030 (Jan–Mar), the run's last three months and the highest point drawn."""
    from types import SimpleNamespace

    import pandas as pd

    s = load_scenario(bundled.path("growth-high"))
    days = {"2027": 275, "2028": 366, "2029": 365, "2030": 90}
    counts = {"2027": 275 * 2.0, "2028": 366 * 12.0, "2029": 365 * 86.0, "2030": 90 * 240.0}
    shares = {"2027": 0.0005, "2028": 0.002, "2029": 0.013, "2030": 0.035}
    rows = [{"period": p, "metric": m, "mean": v, "ci_low": v * 0.9, "ci_high": v * 1.1}
            for p in days for m, v in (("ai_generated", counts[p]), ("ai_generated_share", shares[p]))]
    result = SimpleNamespace(scenario=s, period_summary=pd.DataFrame(rows), replications=3, seed=1)
    title = " ".join(ai_share(result)._suptitle.get_text().split())
    assert title.endswith("12 a day in 2028, 86 in 2029; from 0.20% to 1.3% of all items from the streams reaching "
                          "staff (every team); in the part year 2030 (Jan–Mar), 240 a day, 3.5%"), title


def test_the_ai_share_title_names_a_year_the_run_covers_only_in_part_as_its_axis_does():
    """A 2y horizon from 29 Jan 2024 ends at noon on 31 Dec 2025: the title's only year compared
    must not read as the whole of 2025 where the axis says what the run covers of it."""
    from types import SimpleNamespace

    import pandas as pd

    from capsim.charts.by_year import year_labels

    s = load_scenario(bundled.path("police-unit"), ["clock.horizon=2y"])
    periods = [p.label for p in calendar_periods(s)]
    rows = [{"period": p, "metric": m, "mean": v, "ci_low": v * 0.9, "ci_high": v * 1.1}
            for p in periods for m, v in (("ai_generated", 300.0), ("ai_generated_share", 0.2))]
    result = SimpleNamespace(scenario=s, period_summary=pd.DataFrame(rows), replications=3, seed=1)
    assert year_labels(result)["2025"] == "2025 (1 Jan–31 Dec 12:00)"
    title = " ".join(ai_share(result)._suptitle.get_text().split())
    assert "staff in 2025 (1 Jan–31 Dec 12:00):" in title, title


def test_the_by_year_title_never_rounds_a_missed_target_to_read_as_met():
    """Trial 12: "… to 90% in 2025 …; the 90% target is first missed in 2025" for 89.9%."""
    from types import SimpleNamespace

    import pandas as pd

    s = load_scenario(bundled.path("one-team"), ["clock.horizon=730d"])
    periods = [p.label for p in calendar_periods(s)]
    shares = dict(zip(periods, [0.97, 0.899, 0.95][:len(periods)]))
    rows = [{"period": p, "metric": m, "mean": v, "ci_low": v * 0.99, "ci_high": min(v * 1.01, 1.0)}
            for p in periods for m, v in (("sla_normal", shares[p]), ("backlog_mean", 100.0))]
    result = SimpleNamespace(scenario=s, period_summary=pd.DataFrame(rows), replications=3, seed=1,
                             summary=pd.DataFrame(columns=["metric", "mean", "ci_low", "ci_high"]))
    title = " ".join(by_year(result)._suptitle.get_text().split())
    assert ("to 89.9% in 2027; the 90% target is first missed on average in 2027, but the 95% CI reaches above the "
            "target") in title, title  # 2028 is a few weeks
