"""The intervals of an uncertainty run in words, as its findings, tables and ranking charts all write them.

:func:`part_span` writes one of a result's three 95% intervals (run-to-run, input, total) for
:mod:`capsim.report.uncertainty`'s findings and tables and :mod:`capsim.charts.input_ranking`'s
titles alike, so that a chart and the finding beside it give one interval the same numbers; its
ends (:func:`interval_ends`) never read as one number when they differ, nor does an interval of a
result the same in every run (:data:`SAME_IN_EVERY_RUN`).
"""

from __future__ import annotations

import math
from typing import Any

from capsim.words import amount_text, duration_unit, interval_bounds, is_wait

FINER_UNIT = {"days": "h", "h": "min"}
"""The unit one step finer than each duration unit (:func:`interval_ends`)."""


def interval_ends(metric: str, low: float, high: float, currency: str, unit: str | None = None) -> tuple[str, str]:
    """The ends of a 95% interval (``low``, ``high``, in the metric's units) as the findings, the
    tables and the ranking charts write them (:func:`capsim.words.amount_text`; a duration in
    ``unit``). Two ends that differ never read as one number: where those words would write both
    alike ("18.8 to 18.8"), they take the fewest more decimals that tell them apart
    (:func:`capsim.words.interval_bounds`: "18.78 to 18.82"; money as "£2,098,491"), a duration
    the next finer unit ("29 days to 29 days" reads "702 h to 709 h")."""
    said = amount_text(metric, low, currency, unit), amount_text(metric, high, currency, unit)
    if said[0] != said[1] or not low < high:
        return said
    if is_wait(metric):
        finer = FINER_UNIT.get(unit or duration_unit(low, high))
        return interval_ends(metric, low, high, currency, finer) if finer else said
    return interval_bounds(metric, low, high, currency) or said


NO_INPUT_SPREAD = "none beyond the luck of the draw"
"""An input interval of no width (:func:`part_span`): the parameter sets' means vary no more than
the luck of the draw explains, so the inputs' estimated variance is 0 and the interval, shrunk
towards the grand mean (:func:`capsim.uncertainty.summarise`), is that mean alone."""


SAME_IN_EVERY_RUN = "the same in every run"
"""A result that no input sampled and no replication moves (its variance is 0, so its input share
is NaN), as every finding, table cell (:mod:`capsim.report.uncertainty`) and interval
(:func:`part_span`) says it: not "41.0 to 41.0"."""


def part_span(row: Any, metric: str, part: str, currency: str, unit: str | None = None, joiner: str = " to ") -> str:
    """The ``part`` ("total", "input" or "run") 95% interval of a summary or by-year ``row`` of
    ``metric``, its ends joined by ``joiner`` (:func:`interval_ends`); an input interval of no width
    where the inputs explain none of the variance reads :data:`NO_INPUT_SPREAD`, not "18.8 to 18.8",
    and any interval of a result the same in every run (its input share NaN) :data:`SAME_IN_EVERY_RUN`,
    not "41.0 to 41.0"."""
    low, high = getattr(row, f"{part}_low"), getattr(row, f"{part}_high")
    if low == high and not math.isfinite(row.input_share):
        return SAME_IN_EVERY_RUN
    if part == "input" and low == high and math.isfinite(row.input_share):
        return NO_INPUT_SPREAD
    return joiner.join(interval_ends(metric, low, high, currency, unit))
