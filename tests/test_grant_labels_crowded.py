"""The grant chart over three scenarios and five grant years: the labels over its bars ran into each
other and into the caps of the error bars (each bar about a third of an inch wide at 11 pt), and no
label may touch another or a cap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.container import ErrorbarContainer
from matplotlib.transforms import Bbox

from capsim import bundled, charts
from capsim.charts.grant import _share_ci
from capsim.scenario import load_scenario
from capsim.words import interval, interval_bounds

NAMES = ("growth-low", "growth-central", "growth-high")
YEARS = ("2027/28", "2028/29", "2029/30", "2030/31", "2031/32")
COSTS = {"growth-low": (2.75, 2.92, 3.35, 3.87, 4.61), "growth-central": (2.75, 3.26, 3.94, 4.82, 6.02),
         "growth-high": (3.09, 3.75, 4.86, 7.47, 20.7)}  # GBP million, as capsim grant gives them (seed 20240101)
SHARES = {"growth-low": (0.991, 0.998, 0.983, 0.960, 0.986), "growth-central": (0.991, 0.959, 0.978, 0.971, 0.987),
          "growth-high": (0.998, 0.942, 0.965, 0.930, 0.905)}


def crowded_table() -> pd.DataFrame:
    """A grant table of three scenarios × five years with a spread in every cost and share (so every
    bar has an error bar with caps and every label a 95% CI on a second line)."""
    rows = []
    for name in NAMES:
        for k, year in enumerate(YEARS):
            cost, share = COSTS[name][k] * 1e6, SHARES[name][k]
            rows.append({"scenario": name, "year": year, "total_cost": cost, "total_cost_ci_low": 0.97 * cost,
                         "total_cost_ci_high": 1.03 * cost, "fte": 40.0 + 10 * k, "fte_needed": 24.0 + 10 * k,
                         "fte_as_written": 16.0, "management_fte": 7.0, "sla_normal_analysts": share,
                         "sla_normal_analysts_ci_low": share - 0.03,
                         "sla_normal_analysts_ci_high": min(share + 0.012, 1.0),
                         "sla_normal_analysts_target": 0.9, "hires_late_weeks_analysts": 0.0})
    return pd.DataFrame(rows)


def cap_boxes(ax) -> list[Bbox]:
    """Each error bar cap of ``ax`` as drawn, in pixels: a marker line at each bar's low and high."""
    boxes = []
    for container in ax.containers:
        if isinstance(container, ErrorbarContainer):
            for caps in container.lines[1]:
                half_w = caps.get_markersize() / 2 * ax.figure.dpi / 72
                half_h = max(caps.get_markeredgewidth(), 1.0) / 2 * ax.figure.dpi / 72
                for x, y in ax.transData.transform(caps.get_xydata()):
                    boxes.append(Bbox.from_extents(x - half_w, y - half_h, x + half_w, y + half_h))
    return boxes


@pytest.fixture(scope="module")
def drawn():
    """The grant chart of the crowded table, drawn, and its cost panel."""
    scenarios = [load_scenario(bundled.path(name)) for name in NAMES]
    fig = charts.grant_per_year(crowded_table(), scenarios, 20240101, 3)
    FigureCanvasAgg(fig).draw()  # the renderer that saves the PNG
    return fig, fig.axes[0]


def test_no_two_labels_over_the_bars_overlap(drawn):
    fig, ax = drawn
    renderer = fig.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in ax.texts]
    assert len(boxes) == len(NAMES) * len(YEARS)
    touching = [(ax.texts[i].get_text(), ax.texts[j].get_text()) for i in range(len(boxes))
                for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]
    assert touching == []


def test_no_label_overlaps_an_error_bar_cap(drawn):
    fig, ax = drawn
    renderer = fig.canvas.get_renderer()
    caps = cap_boxes(ax)
    assert len(caps) == 2 * len(NAMES) * len(YEARS)
    hit = [text.get_text() for text in ax.texts for cap in caps if text.get_window_extent(renderer).overlaps(cap)]
    assert hit == []


def test_every_label_is_inside_the_cost_panel(drawn):
    """Written upwards, the labels still end under the panel's top (its subtitle above it)."""
    fig, ax = drawn
    renderer = fig.canvas.get_renderer()
    panel = ax.get_window_extent(renderer)
    assert all(panel.y0 <= text.get_window_extent(renderer).y1 <= panel.y1 for text in ax.texts)
    assert np.isfinite(ax.get_ylim()[1])


@pytest.mark.parametrize(("low", "high", "label"), [
    (0.973, 0.9995, "\n(97.3–99.95)"),
    (0.995, 0.99999, "\n(99.5 to over 99.99)"),
    (0.00001, 0.02, "\n(under 0.01 to 2.0)"),
])
def test_a_turned_label_keeps_its_range_on_one_line(low, high, label):
    """Written upwards, a label's lines are its width: the range takes one."""
    assert _share_ci("sla_normal", low, high, "turned") == label


def test_the_subtitle_says_the_labels_are_written_upwards(drawn):
    """"Top down" would misdescribe labels turned a quarter."""
    _, ax = drawn
    subtitle = ax.get_title(loc="left")
    assert "Above each bar, written upwards, the share in time (95% CI, %):" in subtitle
    assert "top down" not in subtitle


def test_an_interval_gives_its_bounds_as_it_writes_them():
    """The chart and the terminal take the bounds, not the sentence split again."""
    assert interval_bounds("sla_normal", 0.995, 0.99999) == ("99.5%", "over 99.99%")
    assert interval_bounds("sla_normal", 0.97, 0.97) is None
    assert interval("sla_normal", 0.973, 0.9995, named=False) == "97.3% to 99.95%"
    assert interval("sla_normal", 0.97, 0.97, named=False) == "the same in every replication"
