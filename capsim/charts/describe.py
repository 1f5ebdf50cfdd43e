"""A chart in words: the text description read by screen readers and written beside each PNG.

Every chart already states its finding, with its numbers, in its title (:mod:`capsim.words`),
and names its panels and axes. :func:`describe` reads them back from the figure, so that the
description says exactly what the picture says: the finding, then each panel (its title, its
legend's key — what each colour stands for, which a reader of the description cannot see —, what
its axes measure and the range they show: a share axis's within 0% to 100%, unless data lie
beyond), then the provenance footer's first line (scenario, seed, replications) and, where the
scenario grows, the growth it assumes (the footer's paragraph opening
:data:`~capsim.charts.growth_words.GROWTH_LABEL`). The report uses it as the chart's
``aria-label`` and the brief as its image's ``alt`` text; :func:`capsim.charts.files.save` writes
it as ``<stem>.txt``.
"""

from __future__ import annotations

import math

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.ticker import FixedFormatter, FixedLocator, FuncFormatter, PercentFormatter

from capsim.charts.growth_words import GROWTH_LABEL
from capsim.charts.parts import DateTicks, PercentTicks
from capsim.words import and_list, plain_number, round_sig


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


def _share_whole(formatter) -> float | None:
    """The axis value a share axis's ``formatter`` writes as 100% (1 for :class:`PercentTicks`,
    the ``xmax`` of a :class:`PercentFormatter`), or None for an axis of anything else (a
    difference of shares in points, a count)."""
    if isinstance(formatter, PercentTicks):
        return 1.0
    return float(formatter.xmax) if isinstance(formatter, PercentFormatter) else None


def _shown_extent(ax: Axes, which: str, low: float, high: float) -> tuple[float, float]:
    """The ends of axis ``which`` ("x" or "y") of ``ax`` a description gives, from the ends drawn,
    ``low`` and ``high``: the same, except on a share axis (:func:`_share_whole`), where an end
    padded beyond 0% or 100% is given at that bound, or at the furthest data beyond it (a
    utilisation over 100%): an axis drawn to 1.02 for room above a 100% point runs "to 100%",
    never to a share of 102% that nothing on it has."""
    whole = _share_whole((ax.xaxis if which == "x" else ax.yaxis).get_major_formatter())
    if whole is None:
        return low, high
    data_low, data_high = ax.dataLim.intervalx if which == "x" else ax.dataLim.intervaly
    top = high if high <= whole else min(high, max(whole, data_high))
    bottom = low if low >= 0 else max(low, min(0.0, data_low))
    return bottom, top


LISTED = 8
"""Most categories of an axis a description names one by one; beyond, it gives their count, first and last."""


def _axis(ax: Axes, which: str) -> str:
    """A sentence on one axis of ``ax`` (``which``: "x" or "y"), or "" for an axis without labels:
    "The horizontal axis, Days from arrival, runs from 0 to 3.18." (a scale: its range as its ticks
    write it), "The vertical axis lists, from the top, analysts, graders and victim_id." (named
    rows or columns), "The horizontal axis gives dates from Jul 2027 to Jan 2030." (a date axis:
    its first and last tick)."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    name = "The horizontal axis" if which == "x" else "The vertical axis"
    label = _flat(axis.get_label_text())
    named = f"{name}, {label}," if label else name
    formatter = axis.get_major_formatter()
    low, high = sorted(ax.get_xlim() if which == "x" else ax.get_ylim())
    ticks = [(t.get_position()[0 if which == "x" else 1], _flat(t.get_text()))
             for t in axis.get_ticklabels() if t.get_text() and t.get_visible()]
    inside = [(at, text) for at, text in ticks if low - 1e-9 * abs(low) <= at <= high + 1e-9 * abs(high)]
    if not inside:  # no tick labels shown (an axis shared with the panel below): nothing to read
        return ""
    if isinstance(axis.get_major_locator(), FixedLocator) and isinstance(formatter, (FixedFormatter, FuncFormatter)):
        # named categories, as set_xticks(positions, labels) gives (a FuncFormatter from matplotlib 3.10)
        names = [text for _, text in sorted(inside, reverse=which == "y")]  # rows from the top
        if len(names) == 1:
            return f"{named} has one mark, {names[0]}."
        top = ", from the top," if which == "y" else ""
        if len(names) > LISTED:
            return f"{named} has {len(names)} marks{top} from {names[0]} to {names[-1]}."
        parted = "; ".join(names[:-1]) + f"; and {names[-1]}" if any("," in n for n in names) else and_list(names)
        return f"{named} lists{top} {parted}."
    if isinstance(formatter, (DateTicks, mdates.DateFormatter, mdates.ConciseDateFormatter, mdates.AutoDateFormatter)):
        spelled = DateTicks().spelled([at for at, _ in inside])
        return f"{named} gives dates from {spelled[0]} to {spelled[-1]}." if len(inside) > 1 else \
            f"{named} has one date, {spelled[0]}."
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    return f"{named} runs from {_range(*_shown_extent(ax, which, low, high), formatter)}."


def _key(legend) -> str:
    """A legend's entries as one sentence, "Key: a; b; c." ("" for none): what its colours stand for,
    which a reader of the description cannot see (a legend entry may hold a series' own figures); a
    legend with a title of its own is read under it ("Hire-by dates, numbered as on the chart: ...")."""
    entries = [_flat(t.get_text()) for t in legend.get_texts() if t.get_visible() and t.get_text()] if legend else []
    heading = _flat(legend.get_title().get_text()) if legend and legend.get_title().get_visible() else ""
    return f"{heading or 'Key'}: {'; '.join(entries)}." if entries else ""


def _legends(ax: Axes) -> list[Legend]:
    """A panel's legends: its own, then any other it holds as an artist (a second key, e.g. the staffing
    plan's numbered hire-by dates), in the order added."""
    extra = [c for c in ax.get_children() if isinstance(c, Legend) and c is not ax.get_legend() and c.get_visible()]
    return [ax.get_legend(), *extra]


def _panel(ax: Axes) -> str:
    """A panel in sentences: its title, its legend's key (:func:`_key`), then a sentence on each of its axes."""
    title = _flat(ax.get_title(loc="left") or ax.get_title())
    parts = [title + ("" if title.endswith(".") else ".")] if title else []
    parts += [words for words in (*map(_key, _legends(ax)), _axis(ax, "x"), _axis(ax, "y")) if words]
    return " ".join(parts)


def describe(fig: Figure, drawn: bool = False) -> str:
    """The chart in words: its finding (title), the key of a legend of the whole figure, each panel
    (title, legend, axes and their ranges), its
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
    text += [key for key in (_key(legend) for legend in fig.legends) if key]
    text += [f"Panel {i}: {p}" if len(panels) > 1 else p for i, p in enumerate(panels, 1)]
    if first_line:
        text.append(f"{first_line}.")
    text += growth
    return " ".join(text).replace("..", ".")
