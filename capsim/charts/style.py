"""The one look of every chart: palette, fonts, sizes, title and footer placement.

- the Okabe–Ito colour-blind-safe palette (:data:`OKABE_ITO`);
- no text smaller than 11 pt at the figure's own size (10 in wide), so that a chart shrunk
  onto a slide stays readable;
- a title that states the finding in words (made by each chart's module from the numbers
  drawn, in the words of :mod:`capsim.words`), placed by :func:`apply_style`;
- a footer naming the scenario, seed, replications, capsim version and sources
  (:mod:`capsim.charts.footer`).
"""

from __future__ import annotations

import contextlib
import re
import textwrap
from collections.abc import Iterator
from typing import Any

import matplotlib
from matplotlib.figure import Figure


OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""The Okabe–Ito palette (Okabe & Ito 2008), distinguishable with the common colour-vision deficiencies."""


PALETTE = [OKABE_ITO[c] for c in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue", "black")]
"""Colours in the order series are drawn (yellow is left out: too pale on white for lines)."""


MIN_FONT_PT = 11
"""No text on a chart is smaller than this, in points at the figure's own size."""


WIDTH_IN = 10.0
"""Width of every chart in inches."""


TEXT = "#222222"


MUTED = "#444444"


STYLE: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans", "sans-serif"],
    "font.size": 12,
    "axes.titlesize": 12,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "legend.title_fontsize": 11,
    "figure.titlesize": 15,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.edgecolor": "#555555",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "savefig.dpi": 300,
    "figure.dpi": 100,
}
"""Matplotlib settings shared by every chart (see :func:`styled`)."""


TITLE_CHARS = 78
"""Characters per line of a title (15 pt bold across 10 in)."""


FOOTER_CHARS = 112
"""Characters per line of the footer (11 pt across 10 in)."""


MIN_PANELS_IN = 2.5
"""Inches a chart keeps for its panels (axes, their labels and legend) between title and footer:
the exposure chart's room with a footer of seven lines, which laid it out cleanly."""


@contextlib.contextmanager
def styled() -> Iterator[None]:
    """Build a chart inside this block so that every artist takes the shared style."""
    with matplotlib.rc_context(STYLE):
        yield


def new_figure(height: float) -> Figure:
    """An empty figure of the standard width (inches), laid out by constrained layout."""
    return Figure(figsize=(WIDTH_IN, height), layout="constrained")


def apply_style(fig: Figure, title: str, footer: str) -> Figure:
    """Give ``fig`` the shared finish: the finding as its title, and the provenance footer.

    Call it inside :func:`styled`, after the axes are drawn. The title (15 pt bold) is
    wrapped to fit; the footer (11 pt: scenario, seed, replications, version, sources) is
    wrapped at the bottom, and the layout keeps the axes clear of both. A figure too short to keep
    :data:`MIN_PANELS_IN` for its panels between them (a long footer: sources and the growth
    assumed) is made taller.
    """
    fig.suptitle("\n".join(title_lines(title)) or " ", x=0.012, ha="left", fontweight="bold",
                 fontsize=STYLE["figure.titlesize"], color=TEXT).set_gid("chart-title")
    lines = footer_lines(footer)
    footer_in = footer_height(footer)
    fig.set_figheight(max(fig.get_figheight(), footer_in + title_height(title) + MIN_PANELS_IN))
    height_in = fig.get_figheight()
    foot = fig.text(0.012, 5 / 72 / height_in, "\n".join(lines), ha="left", va="bottom", fontsize=MIN_FONT_PT,
                    color=MUTED, linespacing=1.3)
    foot.set_in_layout(False)
    foot.set_gid("chart-footer")
    foot.set_label(footer)  # unwrapped, paragraph by paragraph: what the chart's description reads
    fig.get_layout_engine().set(rect=(0, footer_in / height_in, 1, 1 - footer_in / height_in))
    return fig


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_DATE_SPACE = re.compile(rf"(?:(?<=\b\d)|(?<=\b\d\d)) (?={_MONTH}\b)|(?<=\b{_MONTH}) (?=\d\d:\d\d\b|\d{{4}}\b)")
"""A space inside a date: between a day and its month ("31 Dec") and between a month and its year or
time ("Dec 2025", "Dec 12:00")."""

_GLUE = "\ue000"
"""What holds a date together while a title is wrapped (:func:`title_lines`): a character of Unicode's
private use area, in no title, never left in one."""


def title_lines(title: str) -> list[str]:
    """``title`` wrapped to :data:`TITLE_CHARS` as :func:`apply_style` draws it, never within a date
    ("2025 (1 Jan–31 Dec 12:00)" may move to the next line whole, never as "(1" / "Jan–31 Dec") nor
    at a word's hyphen (a title copied from the chart reads "ai-generated", not "ai- generated")."""
    return wrap_words(title, TITLE_CHARS)


def wrap_words(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` characters, never within a date nor at a word's hyphen."""
    glued = _DATE_SPACE.sub(_GLUE, text)
    return [line.replace(_GLUE, " ") for line in textwrap.wrap(glued, width, break_on_hyphens=False)]


def title_height(title: str) -> float:
    """Inches the title takes at the top of a chart once :func:`apply_style` wraps it: size a
    figure with it, so that a long title does not squeeze the axes."""
    return len(title_lines(title)) * 0.3


def footer_lines(footer: str) -> list[str]:
    """The footer wrapped as :func:`apply_style` draws it, one string a line, as a title is
    (:func:`title_lines`): never within a date nor at a word's hyphen."""
    lines: list[str] = []
    for paragraph in footer.split("\n"):
        lines += wrap_words(paragraph, FOOTER_CHARS) or [""]
    return lines


def footer_height(footer: str) -> float:
    """Inches the footer takes at the bottom of a chart: size a figure with it, so that its axes
    keep room once :func:`apply_style` reserves the footer's band."""
    return (len(footer_lines(footer)) * 1.3 * MIN_FONT_PT + 12) / 72


LEGEND_LEFT = 0.012
"""Where :func:`legend_above` puts a legend's left edge, as a fraction of the figure's width from its left edge."""


def legend_above(ax, handles: list, labels: list[str], ncols: int, raised: float = 0.0) -> int:
    """A legend in a band just above the axes (clear of its title, however many lines it wraps to,
    and of the data); ``raised``: points more, where the title is raised by as much (over labels
    above the axes). At most ``ncols`` columns: fewer where the entries' labels would run past
    the figure's right edge. Returns the columns it kept."""
    from matplotlib.transforms import blended_transform_factory, offset_copy

    # x from the figure's left edge (so a legend wider than the axes still fits), y just above the
    # axes and their left title: 24 points for a one-line title, 15 more for each further line
    extra = max(ax.get_title(loc="left").count("\n"), ax.get_title().count("\n"))
    above = offset_copy(ax.transAxes, fig=ax.figure, y=24 + 15 * extra + raised, units="points")
    anchor = blended_transform_factory(ax.figure.transFigure, above)
    for columns in range(max(ncols, 1), 0, -1):  # the same margin at the right edge as at the left
        legend = ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(LEGEND_LEFT, 1), bbox_transform=anchor,
                           ncols=columns, fontsize=11, borderaxespad=0, handlelength=1.8, columnspacing=1.4)
        if legend.get_window_extent().x1 <= (1 - LEGEND_LEFT) * ax.figure.bbox.width:
            break
    return columns
