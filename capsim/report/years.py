"""Year by year: the table of the quantities people quote, per calendar year, and its sentences.

Each row is one calendar year of the run at its own level (:mod:`capsim.periods`; part years
say their months): per SLA, the share of its items assessed within the deadline and the share
not (assessed later, or never: an SLA counts to the end of assessment, not its start); the backlog averaged over the year (``backlog_mean``: exact, not a sample);
analyst-hours; FTE (staff in post in every team, as ``capsim budget`` counts them); and staff and
tooling cost. Every number is the mean over the replications with its 95% interval, the same
numbers as the rows of ``summary.csv`` with that ``period``.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

import numpy as np

from capsim.compare import unpriced_notes
from capsim.charts.by_year import (ARRIVING, HEADLINE_PERIOD_DAYS, measure_staff_words, measure_words, path_words,
                                   sla_measures, stub_labels, too_short_note, year_labels, year_rows, year_verdict)
from capsim.units import target_percent
from capsim.words import duration_text, fmt, interval, mean_text, metric_label, year_metric_label

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult


def year_columns(result: SimulationResult) -> list[tuple[str, str, bool]]:
    """The table's columns: (metric, heading, shown as the share not assessed within the deadline)."""
    s = result.scenario
    columns: list[tuple[str, str, bool]] = []
    for sla, metric, team in sla_measures(s):
        what = measure_words(s, sla, team, metric)
        columns.append((metric, f"{what.capitalize()} assessed within {duration_text(sla.within)} "
                        f"(target {target_percent(sla.target)})", False))
        columns.append((metric, f"{what.capitalize()} not assessed within {duration_text(sla.within)}", True))
    columns += [("backlog_mean", year_metric_label("backlog_mean"), False),
                ("analyst_hours", "Analyst review hours", False),
                ("fte", "Staff in post, all teams (FTE)", False),
                ("cost_total", f"{metric_label('cost_total')} ({s.costs.currency})", False)]
    return columns


def year_cell(result: SimulationResult, metric: str, period: str, longer: bool) -> tuple[str, str] | None:
    """One cell of the table: the mean over the replications of ``metric`` in ``period`` and its
    interval (:func:`capsim.words.interval`: "95% CI a to b", or why there is none; "" for FTE
    the same in every replication), as text; None where it has no value. ``longer``: the share
    *not* assessed within the deadline (one minus the share)."""
    rows = year_rows(result, metric, shortest_days=0)
    if period not in rows.index or not math.isfinite(rows.loc[period, "mean"]):
        return None
    row = rows.loc[period]
    mean, low, high = float(row["mean"]), float(row.ci_low), float(row.ci_high)
    if longer:  # the share not assessed in time is one minus the share within: its interval flips
        mean, low, high = 1 - mean, 1 - high, 1 - low
    if metric == "fte":
        return f"{mean:.3g}", "" if not math.isfinite(low) or low == high else f"95% CI {low:.3g} to {high:.3g}"
    currency = result.scenario.costs.currency
    return mean_text(metric, mean, low, high, currency), interval(metric, low, high, currency, ref=mean)


def _cell(result: SimulationResult, metric: str, period: str, longer: bool) -> str:
    cell = year_cell(result, metric, period, longer)
    if cell is None:
        return "—"
    mean, ci = cell
    return html.escape(mean) + (f"<br><small>{html.escape(ci.removeprefix('95% CI '))}</small>" if ci else "")


def year_table_html(result: SimulationResult) -> str:
    """The year-by-year table as HTML (years as rows), or "" for a run without calendar periods; its
    caption says where the cost counts a tool with no price at 0 (:func:`capsim.compare.unpriced_notes`)."""
    if result.period_summary.empty:
        return ""
    labels = year_labels(result, shortest_days=0)  # the table keeps every period, however short
    columns = year_columns(result)
    head = "<tr><th>Year</th>" + "".join(f"<th>{html.escape(h)}</th>" for _, h, _ in columns) + "</tr>"
    unpriced = unpriced_notes([result]).get("cost_total")
    costed = f" {metric_label('cost_total')} {unpriced}." if unpriced else ""
    stubs = stub_labels(result)
    short = f" {too_short_note(stubs)}" if stubs else ""
    body = "".join("<tr><th scope='row'>" + html.escape(label) + "</th>"
                   + "".join(f"<td class='value'>{_cell(result, m, period, longer)}</td>" for m, _, longer in columns)
                   + "</tr>" for period, label in labels.items())
    return (f"<div class='years'><table><caption>{html.escape(result.scenario.name)}: each calendar year at its own "
            "level; "
            f"mean over the replications, 95% interval below it.{html.escape(costed + short)}</caption><thead>" + head
            + "</thead><tbody>"
            + body + "</tbody></table></div>")


def year_findings(result: SimulationResult) -> list[str]:
    """Sentences that compare the years' levels of service, each a share of the items arriving in
    that year, from the first measured year to the last, naming the year the last level is first
    reached where it holds from then on (:func:`~capsim.charts.by_year.path_words`), with the staff the scenario assumes for them (:func:`~capsim.charts.by_year.measure_staff_words`),
    and name the year a target is first missed; years where no item of an SLA is known are left
    out. A share is a level, so a part year of three months or more counts
    (:data:`~capsim.charts.by_year.HEADLINE_PERIOD_DAYS`), named with its months ("2027 (Apr–Dec)"):
    skipping it would hide a first year already far below target."""
    s = result.scenario
    labels = year_labels(result, HEADLINE_PERIOD_DAYS)
    if result.period_summary.empty or len(labels) < 2:
        return []
    currency = s.costs.currency
    found = []
    for sla, metric, team in sla_measures(s):
        rows = year_rows(result, metric)
        rows = rows[rows.index.isin(labels) & rows["mean"].notna()]  # a year with no such item known says nothing
        if len(rows) < 2:
            continue
        what = measure_words(s, sla, team, metric)
        first, last = rows.index[0], rows.index[-1]
        named = {first: labels[first], last: labels[last]}
        late = lambda p: 1 - float(rows.loc[p, "mean"])
        ci = lambda p: interval(metric, 1 - float(rows.loc[p, "ci_high"]), 1 - float(rows.loc[p, "ci_low"]), currency,
                                ref=late(p))
        staff = measure_staff_words(s, sla, team, metric)
        with_staff = f", with {staff}" if staff else ""  # the levels hold for the staff assumed, not today's
        levels = [fmt(metric, late(p)) for p in rows.index]
        path = path_words([labels[p] for p in rows.index], levels, int(np.argmin(rows["mean"].to_numpy())),
                          [ci(p) for p in rows.index])
        rise = late(last) > late(first) and levels[0] != levels[-1]  # "rise from 100% in every year" says nothing
        found.append(f"{what.capitalize()} not assessed within {duration_text(sla.within)} ({ARRIVING})"
                     f"{' rise from ' if rise else ': '}{path}{with_staff}.")
        verdict = year_verdict(result, sla, metric, list(rows.index), quoted=True,
                               span=f"from {named[first]} to {named[last]}")
        found.append(f"The target of {target_percent(sla.target)} of {what} within {duration_text(sla.within)} is {verdict}.")
    return found
