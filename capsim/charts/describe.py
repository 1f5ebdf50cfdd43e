"""A chart in words: the text description read by screen readers and written beside each PNG.

Every chart already states its finding, with its numbers, in its title (:mod:`capsim.words`),
and names its panels and axes. :func:`describe` reads them back from the figure, so that the
description says exactly what the picture says: the finding, then each panel (its title, what
its axes measure and the range they show), then the provenance footer's first line (scenario,
seed, replications) and, where the scenario grows, the growth it assumes (the footer's paragraph
opening :data:`~capsim.charts.growth_words.GROWTH_LABEL`). The report uses it as the chart's ``aria-label`` and the brief as its
image's ``alt`` text; :func:`capsim.charts.files.save` writes it as ``<stem>.txt``.
"""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from capsim.charts.growth_words import GROWTH_LABEL
from capsim.charts.parts import PercentTicks
from capsim.words import plain_number, round_sig


def _flat(text: str) -> str:
    return " ".join(text.split())


def _range(low: float, high: float, formatter) -> str:
    """An axis range as its own tick labels would write it (percentages, thousands), else plainly;
    its ends rounded to three significant figures, or as many more as keep them apart (an axis end is
    no data value: 0.439359% reads 0.439%, 1.14579 reads 1.15)."""
    digits = 3
    while round_sig(low, digits) == round_sig(high, digits) and low != high and digits < 6:
        digits += 1
    low, high = round_sig(low, digits), round_sig(high, digits)
    if isinstance(formatter, (PercentFormatter, PercentTicks, FuncFormatter)):
        a, b = formatter(low, None), formatter(high, None)
        if any(ch.isdigit() for ch in a + b):
            return f"{_flat(a)} to {_flat(b)}"
    return f"{plain_number(low)} to {plain_number(high)}"


def _panel(ax: Axes) -> str:
    parts = []
    title = _flat(ax.get_title(loc="left") or ax.get_title())
    if title:
        parts.append(title)
    axes = []
    for name, label, (low, high), formatter, ticks in (
            ("across", ax.get_xlabel(), ax.get_xlim(), ax.xaxis.get_major_formatter(), ax.get_xticklabels()),
            ("up", ax.get_ylabel(), ax.get_ylim(), ax.yaxis.get_major_formatter(), ax.get_yticklabels())):
        words = [t.get_text() for t in ticks if t.get_text()]
        if label and words and not any(ch.isdigit() for ch in "".join(words)):
            axes.append(f"{_flat(label)} {name}: {', '.join(_flat(w) for w in words)}")
        elif label and math.isfinite(low) and math.isfinite(high):
            axes.append(f"{_flat(label)} {name}, {_range(min(low, high), max(low, high), formatter)}")
        elif len(words) == 1:  # one tick (a run within one calendar year): not a range "2024 to 2024"
            axes.append(f"{name}: {_flat(words[0])}")
        elif words and any(ch.isdigit() for ch in "".join(words)):
            axes.append(f"{name}, {_flat(words[0])} to {_flat(words[-1])}")
        elif words:
            axes.append(f"{name}: {', '.join(_flat(w) for w in words)}")
    if axes:
        parts.append("; ".join(axes))
    return ". ".join(parts)


def describe(fig: Figure, drawn: bool = False) -> str:
    """The chart in words: its finding (title), each panel (title, axes and their ranges), its
    provenance (the footer's first line) and the growth it assumes (the footer's paragraph on it). ``drawn``: the figure has just been drawn, so its
    tick labels are the ones drawn (otherwise it is laid out first, without rendering)."""
    if not drawn:
        fig.draw_without_rendering()
    title = _flat(fig._suptitle.get_text()) if fig._suptitle is not None else ""
    panels = [p for p in (_panel(ax) for ax in fig.axes if ax.get_visible() and ax.axison) if p]
    footer = next((t.get_label() for t in fig.texts if t.get_gid() == "chart-footer"), "")  # as written, unwrapped
    paragraphs = footer.split("\n") if footer else []
    first_line = _flat(paragraphs[0]) if paragraphs else ""
    growth = [_flat(p) for p in paragraphs[1:] if p.startswith(GROWTH_LABEL)]
    text = [f"Chart: {title}." if title else "Chart."]
    text += [f"Panel {i}: {p}." if len(panels) > 1 else f"{p}." for i, p in enumerate(panels, 1)]
    if first_line:
        text.append(f"{first_line}.")
    text += growth
    return " ".join(text).replace("..", ".")
