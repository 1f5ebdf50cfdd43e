"""A share axis is described by the shares it can show, not by the room drawn beyond them.

The alt text of a service-level chart said its share axis "runs from 0% to 102%": the axis is
padded to 1.02 so that a 100% point is not cut at the frame, and the description read the padding
as a share of 102% that no data has.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from capsim.charts.describe import describe
from capsim.charts.parts import PercentTicks


def _described(values: list[float], limits: tuple[float, float], formatter, horizontal: bool = False) -> str:
    """The description of one panel plotting ``values`` (against 0, 1, 2, ...) on an axis drawn
    over ``limits`` with ``formatter``, the values' axis vertical unless ``horizontal``."""
    fig = Figure()
    ax = fig.add_subplot()
    places = list(range(len(values)))
    ax.plot(*((values, places) if horizontal else (places, values)), marker="o")
    axis, set_limits = (ax.xaxis, ax.set_xlim) if horizontal else (ax.yaxis, ax.set_ylim)
    set_limits(*limits)
    axis.set_major_formatter(formatter)
    axis.set_label_text("Share within 72 h")
    return describe(fig)


def test_a_share_axis_padded_above_100_percent_runs_to_100_percent():
    text = _described([0.55, 0.9, 1.0], (0.0, 1.02), PercentFormatter(1.0, decimals=0))
    assert "The vertical axis, Share within 72 h, runs from 0% to 100%." in text, text


def test_a_share_axis_padded_both_ways_runs_from_0_to_100_percent():
    text = _described([0.0, 0.4, 1.0], (-0.02, 1.02), PercentTicks(), horizontal=True)
    assert "The horizontal axis, Share within 72 h, runs from 0% to 100%." in text, text


def test_a_share_the_data_take_above_100_percent_is_the_axis_end():
    """Utilisation passes 100% with overtime: the axis runs to the highest point, not its padding."""
    text = _described([0.8, 1.1], (0.0, 1.2), PercentTicks())
    assert "runs from 0% to 110%." in text, text


def test_an_axis_within_0_and_100_percent_keeps_its_ends():
    text = _described([0.3, 0.6], (0.27, 0.63), PercentTicks())
    assert "runs from 27% to 63%." in text, text


def test_a_difference_in_points_is_not_a_share_and_keeps_its_ends():
    points = FuncFormatter(lambda v, _: f"{100 * v:+.3g}")
    text = _described([-0.3, 0.5], (-1.05, 1.05), points)
    assert "runs from -105 to +105." in text, text
