"""The HTML report: one self-contained file a reader can open offline.

:func:`write_report` writes ``report.html`` and the charts (``charts/``, PNG and SVG) of
one or several runs into a folder. The report holds, in order:

1. headline findings in plain words, each with its 95% confidence interval, taken from the
   runs' summary tables (the same numbers as ``summary.csv``);
2. the charts, inline as SVG (text stays text, so figure ids can be searched);
3. a diagram of the modelled flow, drawn from the scenario (inline SVG);
4. an assumptions table: every parameter of the resolved scenario with its value, unit and
   source (the published figure and its organisation, or "assumption");
5. a methods section answering the STRESS-DES reporting checklist (objectives, logic,
   data, experimentation, implementation, code access);
6. limitations; and the reminder that capsim models counts and durations only.

Nothing is fetched from elsewhere: no scripts, fonts, styles or images outside the file.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
import re
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from pydantic import BaseModel

from capsim import charts
from capsim.metrics import metric_range
from capsim.scenario import Scenario, step_into
from capsim.units import SECONDS_PER_DAY, SECONDS_PER_HOUR, format_duration
from capsim.version import version

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult

SECTIONS = {
    "findings": "Headline findings",
    "charts": "Charts",
    "flow": "What is modelled",
    "assumptions": "Assumptions and sources",
    "methods": "Methods (STRESS-DES)",
    "limitations": "Limitations",
    "scope": "What capsim does and does not do",
}
"""Section ids of the report and their headings, in order."""

COUNTS_ONLY = ("capsim models counts and durations only: an item is a row of numbers (when it arrived, how long "
               "its review takes, a few yes/no attributes). It never reads, stores or handles any content.")

CHART_FORMATS = ("png", "svg")
"""Formats written beside a report (a run's folder): PNG for slides, SVG for print and the web."""

_CURRENCY = {"GBP": "£", "EUR": "€", "USD": "$", "AUD": "A$", "CAD": "C$"}
_SKIP = {"name", "title", "description", "experiment", "targets"}


# --------------------------------------------------------------------------- numbers in words


def _decimals(ref: float) -> int:
    """Decimals that give a number of this size three significant figures (none from 100 up)."""
    size = abs(ref)
    if size >= 100 or size == 0 or not math.isfinite(size):
        return 0
    return max(0, 2 - int(math.floor(math.log10(size))))


def fmt(metric: str, value: float, currency: str = "GBP", ref: float | None = None) -> str:
    """A metric value as the report writes it: shares in % to one decimal, counts whole,
    hours and money to three significant figures of ``ref`` (default: the value itself),
    so that a mean and its interval share their decimals."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if charts.is_share(metric):
        return f"{100 * value:.1f}%"
    places = _decimals(value if ref is None else ref)
    if metric.startswith("cost"):
        symbol = _CURRENCY.get(currency)
        text = f"{value:,.2f}" if abs(value if ref is None else ref) < 100 else f"{value:,.0f}"
        return f"{symbol}{text}" if symbol else f"{text} {currency}"
    if metric in {"wait_mean", "wait_p90", "exposure_hours_per_analyst_day"} or metric.startswith("time_to_assessment"):
        return f"{value:,.{places}f}"
    return f"{value:,.0f}"


def interval(metric: str, low: float, high: float, currency: str = "GBP", ref: float | None = None) -> str:
    """``95% CI a to b``, clipped to the metric's range (:func:`capsim.metrics.metric_range`, as in summary.csv)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return "one replication: no interval"
    if low == high:
        return "the same in every replication"
    floor, ceiling = metric_range(metric)
    low, high = max(low, floor), min(high, ceiling)
    return f"95% CI {fmt(metric, low, currency, ref)} to {fmt(metric, high, currency, ref)}"


def _row(result: SimulationResult, metric: str) -> pd.Series | None:
    rows = result.summary[result.summary.metric == metric]
    return None if rows.empty else rows.iloc[0]


def _with_ci(result: SimulationResult, metric: str) -> str:
    row = _row(result, metric)
    if row is None:
        return "n/a"
    cur = result.scenario.costs.currency
    return f"{fmt(metric, row['mean'], cur)} ({interval(metric, row.ci_low, row.ci_high, cur, ref=row['mean'])})"


def headline_findings(result: SimulationResult) -> list[str]:
    """Plain-words findings of one run, each number with its 95% CI (from ``result.summary``)."""
    s = result.scenario
    measured = (s.clock.horizon - s.clock.warmup) / SECONDS_PER_DAY
    warm = f", after a warm-up of {s.clock.warmup / SECONDS_PER_DAY:g} days" if s.clock.warmup else ""
    m = lambda name: _with_ci(result, name)
    mean = lambda name: float(_row(result, name)["mean"]) if _row(result, name) is not None else float("nan")
    found = []
    parts = [f"Over the {measured:g} days measured{warm}, {m('arrivals')} items arrived and {m('assessed')} were assessed"]
    if mean("auto_cleared") > 0:
        parts.append(f"{m('auto_cleared')} were cleared automatically")
    if any(st.ttl is not None for st in s.demand):
        parts.append(f"{m('expired')} expired before anyone assessed them (missed takedowns)")
    found.append("; ".join(parts) + ".")
    found.append(f"At the end, {m('backlog_end')} items were still waiting; the most waiting at any moment "
                 f"was {m('backlog_max')}.")
    if math.isfinite(mean("wait_mean")):
        found.append(f"Assessment began on average {m('wait_mean')} hours after an item arrived (every item that "
                     "arrived counts: those still waiting at the end are followed until assessed). Half of all items "
                     f"were assessed within {m('time_to_assessment_p50')} hours and nine in ten within "
                     f"{m('time_to_assessment_p90')} hours.")
    else:
        found.append("No item was assessed, so no waiting time can be given.")
    for sla in s.sla:
        name = f"sla_{sla.priority}"
        row = _row(result, name)
        if row is None:
            continue
        if not math.isfinite(row["mean"]):
            found.append(f"No {sla.priority} item's outcome is known, so the {charts.duration_text(sla.within)} "
                         "service level cannot be judged.")
            continue
        low, high = row.ci_low, row.ci_high
        if math.isfinite(low) and low >= sla.target:
            verdict = "the target is met"
        elif math.isfinite(high) and high < sla.target:
            verdict = "the target is missed"
        elif row["mean"] >= sla.target:
            verdict = "the target is met on average, but the interval reaches below it"
        else:
            verdict = "the target is missed on average, but the interval reaches above it"
        found.append(f"{m(name)} of {sla.priority} items were assessed within {charts.duration_text(sla.within)} of "
                     f"arriving, against a target of {100 * sla.target:g}%: {verdict}.")
    caps = sorted({t.exposure_cap / SECONDS_PER_HOUR for t in s.workforce if t.exposure_cap is not None})
    cap = f", against a daily exposure cap of {' / '.join(f'{c:g}' for c in caps)} hours" if caps else ""
    if math.isfinite(mean("exposure_hours_per_analyst_day")):
        found.append(f"On shifts with any review, an analyst reviewed material for "
                     f"{m('exposure_hours_per_analyst_day')} hours{cap}; analysts spent {m('utilisation')} "
                     f"of their time on shift reviewing, and {m('utilisation_usable')} of the time the exposure cap "
                     "allows.")
    if mean("cost_total") > 0:
        found.append(f"Staff cost over the measured period is {m('cost_total')}, {m('cost_per_assessed')} per "
                     "assessed item.")
    return found


def comparison_lines(table: pd.DataFrame) -> dict[str, list[str]]:
    """Per scenario after the first: one line per metric, its paired difference with the 95% CI."""
    names = list(dict.fromkeys(table.scenario))
    out: dict[str, list[str]] = {}
    for other in names[1:]:
        lines = []
        for _, row in table[table.scenario == other].iterrows():
            metric, d = row.metric, row["diff"]
            share = charts.is_share(metric)
            unit = " points" if share else ""
            line = f"{charts.metric_label(metric)}: {_signed(d, share, d)}{unit}"
            if math.isfinite(row.diff_ci_low):
                lo, hi = row.diff_ci_low, row.diff_ci_high
                line += f" (95% CI {_signed(lo, share, d)} to {_signed(hi, share, d)}{unit})"
                if lo < 0 < hi:
                    line += ": no clear difference"
            lines.append(line)
        out[other] = lines
    return out


def _signed(value: float, share: bool, ref: float) -> str:
    """A difference with its sign (a true minus): points for shares, else digits chosen by ``ref``."""
    text = f"{100 * value:+.1f}" if share else (f"{value:+,.0f}" if abs(ref) >= 100 else f"{value:+,.3g}")
    return text.replace("-", "\u2212")


# --------------------------------------------------------------------------- assumptions table


def _at(source: Any, part: str) -> Any:
    return step_into(source, part)[1]


_NUMBER = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(\S.*?)?\s*$")

_UNIT_WORDS = {
    "headcount": "analysts", "initial_backlog": "items", "items": "items",
    "cv": "coefficient of variation", "increase_per_year": "share per year", "time_factor": "× review time",
    "follow_fraction": "× review time", "cluster_size": "items", "overtime_premium": "× pay",
    "weeks": "weeks", "inflation": "share per year", "attrition": "share per year", "hours_per_day": "h a day",
}
_MONEY_UNITS = {"annual_cost": "per year", "per_item_cost": "per item", "hire_cost": "per hire"}
_LIST_NAMES = {"demand": "stream", "workforce": "team", "sla": "priority"}
"""Lists whose elements are named (as ``--set`` names them); other lists are indexed."""


def _split(text: str) -> tuple[str, str]:
    """``"90s"`` → ("90", "s"), ``"424047/year"`` → ("424047", "/year"); other text stays whole."""
    match = _NUMBER.match(text)
    if match and match.group(2) and re.match(r"^[A-Za-z/%]", match.group(2)):
        return match.group(1), match.group(2).lstrip()
    return text, ""


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) >= 1e4 else f"{value:.6g}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def figure_source(fid: str) -> str:
    """A figure id's source in words: ``id — organisation (status)``, or how a derived id was made."""
    from capsim import calibration
    from capsim import figures as table
    from capsim.figures import UnknownFigureError

    try:
        f = table.figure(fid)
        return f"{fid}: {f.organisation}, {f.title} ({f.year}) [{f.status}]"
    except UnknownFigureError:
        org, ids = charts.figure_origin(fid)
        if fid in calibration.DERIVED:
            return f"{fid}: derived from {', '.join(ids) or 'published figures'} ({org})"
        return f"{fid}: unknown source"


def assumptions_table(scenario: Scenario, overrides: Sequence[str] = ()) -> pd.DataFrame:
    """Every parameter of the resolved scenario: ``key`` (dotted, list elements by name),
    ``value`` and ``unit`` (as the file writes it, or the default), ``source`` (the figure
    id and organisation where the file used ``{figure: id}``; otherwise "assumption",
    "assumption (--set)" for an override, or "default (assumption)" where the file is
    silent), and ``figure`` (the id, or empty).

    The run settings (name, experiment, calibration targets) are not parameters and are
    left out; a switched-off tool is one row (``enabled: no``).
    """
    from capsim import calibration

    dump = scenario.model_dump(mode="json", by_alias=True)
    set_keys = {o.partition("=")[0].strip() for o in overrides}
    rows: list[list[str]] = []

    def origin(key: str) -> str:
        return "assumption (--set)" if key in set_keys else "assumption"

    def leaf(path: list[str], value: Any, raw: Any, model: Any, attr: str | None) -> None:
        key = ".".join(path)
        figure = ""
        if isinstance(raw, dict) and "figure" in raw:
            figure = str(raw["figure"])
            text = _number(calibration.value_of(figure))
            unit = calibration.unit_of(figure).replace("_", " ")
            if "per" in raw:
                unit = f"{unit} per {raw['per']}"
            source = charts.source_label(figure)
        elif raw is not None and not isinstance(raw, (dict, list)):
            text, unit = _split(raw) if isinstance(raw, str) else (_number(raw), "")
            source = origin(key)
        else:
            text, unit = _default_text(value, model, attr)
            source = "default (assumption)"
        if not unit and not figure and not isinstance(raw, str) and isinstance(value, (int, float)) \
                and not isinstance(value, bool):
            unit = _UNIT_WORDS.get(path[-1], "share" if _is_share_field(model, attr) else "")
        if path[-1] in _MONEY_UNITS:
            per = "per analyst-year" if path[0] == "costs" and path[-1] == "annual_cost" else _MONEY_UNITS[path[-1]]
            unit = f"{scenario.costs.currency} {per}"
        rows.append([key, text, unit, source, figure])

    def walk(path: list[str], value: Any, raw: Any, obj: Any, model: Any, attr: str | None) -> None:
        """``obj`` is the validated object behind ``value``; ``model``/``attr`` own it (for units)."""
        if isinstance(value, dict) and not (isinstance(raw, dict) and "figure" in raw):
            if value.get("enabled") is False and len(value) > 1:
                leaf([*path, "enabled"], False, _at(raw, "enabled"), obj, "enabled")
                return
            name_key = _LIST_NAMES.get(path[0]) if len(path) == 2 else None
            for k, v in value.items():
                if not path and k in _SKIP:
                    continue
                if name_key is not None and k == name_key and str(v) == path[-1]:
                    continue
                if isinstance(obj, BaseModel):
                    name = _attr_name(obj, k)
                    child, owner, field = (getattr(obj, name) if name else None), obj, name
                else:
                    child = obj.get(k) if isinstance(obj, dict) else None
                    owner, field = model, attr
                walk([*path, str(k)], v, _at(raw, str(k)), child, owner, field)
            return
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            name_key = _LIST_NAMES.get(path[0]) if len(path) == 1 else None
            for i, v in enumerate(value):
                name = v.get(name_key) if name_key else None
                label = str(name) if name is not None else str(i)
                child = obj[i] if isinstance(obj, list) and i < len(obj) else None
                walk([*path, label], v, _at(raw, label), child, model, attr)
            return
        if isinstance(value, list):
            key = ".".join(path)
            if isinstance(raw, list):
                rows.append([key, ", ".join(map(str, raw)) or "none", "", origin(key), ""])
            else:
                rows.append([key, ", ".join(map(str, value)) or "none", "", "default (assumption)", ""])
            return
        leaf(path, value, raw, model, attr)

    walk([], dump, scenario.source, scenario, None, None)
    return pd.DataFrame(rows, columns=["key", "value", "unit", "source", "figure"])


def _attr_name(model: Any, key: Any) -> str | None:
    fields = getattr(type(model), "model_fields", None) if model is not None else None
    if not fields:
        return None
    for name, f in fields.items():
        if key in (name, f.alias):
            return name
    return None


def _is_share_field(model: Any, attr: str | None) -> bool:
    if model is None or attr is None:
        return False
    from capsim.sensitivity import _kind_and_bounds

    try:
        kind, _, lower, upper, _ = _kind_and_bounds(model, attr)
    except (KeyError, AttributeError):
        return False
    return kind == "number" and lower == 0 and upper == 1


def _default_text(value: Any, model: Any, attr: str | None) -> tuple[str, str]:
    """A default's value and unit: durations and rates back in readable units."""
    if value is None:
        return "none", ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and model is not None and attr:
        from capsim.sensitivity import _kind_and_bounds

        try:
            kind = _kind_and_bounds(model, attr)[0]
        except (KeyError, AttributeError):
            kind = "number"
        if kind == "duration":
            return _split(format_duration(float(value)))
        if kind == "rate":
            return f"{value * SECONDS_PER_DAY:.6g}", "/day"
        if kind == "daily_cap":
            return f"{value / SECONDS_PER_HOUR:g}", "h/day"
    return _number(value), ""


# --------------------------------------------------------------------------- the flow diagram

_FONT = 13
_LINE = 17
_CHAR = 7.1  # average character width in px at 13 px sans-serif


def _wrap(text: str, width_px: float) -> list[str]:
    return textwrap.wrap(text, max(8, int((width_px - 16) / _CHAR))) or [""]


def _box(x: float, y: float, w: float, lines: list[tuple[str, bool]], fill: str, stroke: str,
         dashed: bool = False, min_h: float = 0) -> tuple[str, float]:
    wrapped: list[tuple[str, bool]] = []
    for text, bold in lines:
        wrapped += [(t, bold) for t in _wrap(text, w)]
    h = max(min_h, 12 + _LINE * len(wrapped))
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    parts = [f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" rx="6" fill="{fill}" '
             f'stroke="{stroke}" stroke-width="1.5"{dash}/>']
    for i, (text, bold) in enumerate(wrapped):
        weight = ' font-weight="bold"' if bold else ""
        parts.append(f'<text x="{x + 8:.0f}" y="{y + 6 + _LINE * (i + 0.8):.0f}"{weight}>{html.escape(text)}</text>')
    return "\n".join(parts), h


def _arrow(x1: float, y1: float, x2: float, y2: float, dashed: bool = False, label: str = "") -> str:
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    if abs(y1 - y2) < 1 or abs(x1 - x2) < 1:
        path = f"M{x1:.0f},{y1:.0f} L{x2:.0f},{y2:.0f}"
    else:
        mid = (x1 + x2) / 2
        path = f"M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
    out = (f'<path d="{path}" fill="none" stroke="#333" stroke-width="1.5"{dash} '
           f'marker-end="url(#capsim-arrow)"/>')
    if label:
        out += (f'<text x="{(x1 + x2) / 2:.0f}" y="{(y1 + y2) / 2 - 5:.0f}" text-anchor="middle" '
                f'font-size="12">{html.escape(label)}</text>')
    return out


def _rate_text(stream: Any) -> str:
    if stream.rate is not None:
        per_day = stream.rate * SECONDS_PER_DAY
        text = ("no new arrivals" if per_day == 0 else f"{per_day:,.0f} a day" if per_day >= 10
                else f"{per_day:.2g} a day")
    else:
        text = "rate from a dated table"
    model = getattr(stream.growth, "model", "none")
    if model == "exponential":
        text += f", doubling every {stream.growth.doubling_time / SECONDS_PER_DAY:.0f} days"
    elif model == "linear":
        text += f", {stream.growth.increase_per_year:+.0%} a year"
    elif model == "logistic":
        text += f", rising towards {stream.growth.ceiling * SECONDS_PER_DAY:,.0f} a day"
    elif model == "table":
        text = f"rate from a table of {len(stream.growth.points)} dated points"
    return text


def _tool_lines(name: str, tool: Any, scenario: Scenario) -> list[tuple[str, bool]]:
    title = name.replace("_", " ").capitalize()
    if name == "hash_matching":
        detail = (f"clears known items without review: {tool.match_rate:.0%} of them match"
                  + (f"; {tool.spot_check:.0%} still checked by a person" if getattr(tool, "spot_check", 0) else ""))
    elif name == "classifier":
        if getattr(tool, "operating_points", None):
            p = tool.operating_points[tool.threshold]
            perf = f"recall {p.recall:.0%}, false positives {p.fpr:.0%}"
        else:
            perf = f"recall {tool.recall:.0%}, " + (f"false positives {tool.fpr:.0%}" if tool.fpr is not None
                                                    else f"precision {tool.precision:.0%}")
        detail = (f"flags harmful items ({perf}: assumed); flagged → {tool.positive_priority}, "
                  f"others → {tool.negative_priority}; review × {tool.time_factor:g}")
    elif name == "synthetic_detector":
        detail = f"flags AI-generated items (true positives {tool.tpr:.0%}, false positives {tool.fpr:.0%}: assumed)"
    elif name == "clustering":
        detail = f"near-duplicates reviewed together; later ones take {tool.follow_fraction:.0%} of the time"
    elif name == "wellbeing":
        cap = getattr(tool, "exposure_cap", None)
        detail = f"review time × {tool.time_factor:g}" + (f"; exposure cap {cap / SECONDS_PER_HOUR:g} h/day" if cap else "")
    else:
        detail = "enabled"
    return [(title, True), (detail, False)]


def _enabled_tools(scenario: Scenario) -> dict[str, Any]:
    tooling = scenario.tooling
    if hasattr(tooling, "enabled") and callable(tooling.enabled):
        return dict(tooling.enabled())
    return {name: getattr(tooling, name) for name in type(tooling).model_fields
            if getattr(getattr(tooling, name), "enabled", False)}


def _roster_text(team: Any) -> str:
    r = team.roster
    if r.round_the_clock:
        shifts = "round the clock"
    else:
        days = "Mon–Fri" if r.days == ["mon", "tue", "wed", "thu", "fri"] else ", ".join(d.capitalize() for d in r.days)
        shifts = f"{r.hours_per_day:g} h shifts from {r.start}, {days}"
    bits = [f"{team.headcount} analysts", shifts]
    if team.exposure_cap is not None:
        bits.append(f"exposure cap {team.exposure_cap / SECONDS_PER_HOUR:g} h/day")
    if team.shrinkage:
        bits.append(f"{team.shrinkage:.0%} of shifts lost to leave and sickness")
    return "; ".join(bits)


def seconds_text(seconds: float) -> str:
    """A review time in words: 28.4 s, 1.5 min, 1 h."""
    if seconds < 120:
        return f"{seconds:.3g} s"
    if seconds < 2 * SECONDS_PER_HOUR:
        return f"{seconds / 60:.3g} min"
    return f"{seconds / SECONDS_PER_HOUR:.3g} h"


def _review_text(scenario: Scenario, team: Any) -> str:
    task = getattr(team, "task_time", None)
    if task is not None:
        return f"time per item {seconds_text(task.mean_seconds)} on average ({task.dist})"
    used = sorted({s.unit for s in scenario.demand if scenario.team_of(s) == team.team})
    parts = []
    for unit in used:
        r = scenario.review.get(unit)
        if r is not None:
            parts.append(f"{unit} {seconds_text(r.mean_seconds)} on average ({r.dist})")
    return "review: " + "; ".join(parts) if parts else ""


def flow_svg(scenario: Scenario) -> str:
    """The modelled flow as an inline SVG: streams → automated tools (if any) → each team's
    queues by priority → its analysts, with expiry, automatic clearing and referrals."""
    tools = _enabled_tools(scenario)
    col_stream, w_stream = 10, 250
    gap = 56
    w_tool = 190
    x_tools = col_stream + w_stream + gap
    x_queue = x_tools + (w_tool + gap) * len(tools)
    w_queue = 270
    x_team = x_queue + w_queue + gap
    w_team = 270
    x_out = x_team + w_team + gap
    w_out = 150
    parts: list[str] = []
    y = 34
    stream_mid: dict[str, float] = {}
    for s in scenario.demand:
        lines = [(s.stream, True), (f"{s.unit}s, {_rate_text(s)}", False)]
        if s.initial_backlog:
            lines.append((f"{s.initial_backlog:,} waiting at the start", False))
        if s.bursts:
            lines.append((f"{len(s.bursts)} burst(s) of {sum(b.items for b in s.bursts):,} items", False))
        if s.ttl is not None:
            lines.append((f"expires after {format_duration(s.ttl.mean)}" + (" on average" if s.ttl.dist != "fixed" else ""), False))
        lines.append((f"priority {'set by the classifier' if 'classifier' in tools else s.priority} → "
                      f"{scenario.team_of(s)}", False))
        box, h = _box(col_stream, y, w_stream, lines, "#E8F1F8", "#0072B2")
        parts.append(box)
        stream_mid[s.stream] = y + h / 2
        y += h + 16
    streams_bottom = y - 16

    # team queues: one row per priority, noting which streams arrive at it
    routes = [r for r in (getattr(scenario, "routing", None) or [])
              if getattr(r, "source", None) in {t.team for t in scenario.workforce}]
    block_gap = 48 if routes else 28
    ty = 34 + (28 if any(r.to == scenario.workforce[0].team for r in routes) else 0)
    queue_mid: dict[str, float] = {}
    row_mid: dict[tuple[str, str], float] = {}
    team_boxes = []
    for t in scenario.workforce:
        rows = [(f"{t.team}: queues by priority", True)]
        classifier = tools.get("classifier")
        for p in scenario.priorities:
            feeding = [s.stream for s in scenario.demand if scenario.team_of(s) == t.team and s.priority == p]
            if classifier is not None:  # the classifier sets the priority of every item it scores
                feeding = (["items the classifier flags"] if p == classifier.positive_priority else
                           ["items it does not flag"] if p == classifier.negative_priority else [])
            rows.append((f"{p}: " + (", ".join(feeding) if feeding else "—"), False))
        rows.append(("first come, first served within a priority", False))
        box, h = _box(x_queue, ty, w_queue, rows, "#FFF4E0", "#E69F00")
        parts.append(box)
        queue_mid[t.team] = ty + h / 2
        for i, p in enumerate(scenario.priorities):
            row_mid[(t.team, p)] = ty + 6 + _LINE * (i + 1 + 0.5)
        abox, ah = _box(x_team, ty, w_team, [(f"{t.team}: analysts", True), (_roster_text(t), False),
                                             (_review_text(scenario, t), False)], "#E6F5EF", "#009E73", min_h=h)
        parts.append(abox)
        parts.append(_arrow(x_queue + w_queue, ty + h / 2, x_team - 4, ty + h / 2))
        team_boxes.append((t.team, ty, max(h, ah)))
        ty += max(h, ah) + block_gap
    teams_bottom = ty - block_gap

    if tools:
        top, bottom = 34, max(streams_bottom, teams_bottom)
        for i, (name, tool) in enumerate(tools.items()):
            x = x_tools + i * (w_tool + gap)
            box, h = _box(x, top, w_tool, _tool_lines(name, tool, scenario), "#F3EAF3", "#CC79A7",
                          min_h=bottom - top)
            parts.append(box)
            if i:
                parts.append(_arrow(x - gap, (top + bottom) / 2, x - 4, (top + bottom) / 2))
        mid = (top + bottom) / 2
        for s in scenario.demand:
            parts.append(_arrow(col_stream + w_stream, stream_mid[s.stream], x_tools - 4, stream_mid[s.stream]))
        last = x_tools + (len(tools) - 1) * (w_tool + gap) + w_tool
        for t in scenario.workforce:
            if any(scenario.team_of(x) == t.team for x in scenario.demand):
                parts.append(_arrow(last, mid, x_queue - 4, queue_mid[t.team]))
    else:
        for s in scenario.demand:
            parts.append(_arrow(col_stream + w_stream, stream_mid[s.stream], x_queue - 4,
                                row_mid[(scenario.team_of(s), s.priority)]))

    height = max(streams_bottom, teams_bottom) + 20
    # outcomes
    out_y = 34
    for team, ty0, h in team_boxes:
        box, bh = _box(x_out, ty0 + h / 2 - 24, w_out, [("assessed", True), ("counted and timed", False)],
                       "#FFFFFF", "#555555")
        parts.append(box)
        parts.append(_arrow(x_team + w_team, ty0 + h / 2, x_out - 4, ty0 + h / 2))
        out_y = max(out_y, ty0 + h / 2 + bh)
    extra_y = height + 10
    if any(s.ttl is not None for s in scenario.demand):
        box, bh = _box(x_queue, extra_y + 30, w_queue, [("expired unassessed", True),
                                                         ("a missed takedown: the deadline passed while waiting", False)],
                       "#FFFFFF", "#D55E00", dashed=True)
        parts.append(box)
        parts.append(_arrow(x_queue + w_queue / 2, teams_bottom, x_queue + w_queue / 2, extra_y + 26, dashed=True))
        height = max(height, extra_y + 30 + bh + 10)
    if "hash_matching" in tools:
        box, bh = _box(x_tools, extra_y + 30, w_tool, [("cleared automatically", True), ("no analyst time", False)],
                       "#FFFFFF", "#CC79A7", dashed=True)
        parts.append(box)
        bottom = max(streams_bottom, teams_bottom)
        parts.append(_arrow(x_tools + w_tool / 2, bottom, x_tools + w_tool / 2, extra_y + 26, dashed=True))
        height = max(height, extra_y + 30 + bh + 10)
    # referrals between teams: out of the referring team's analysts, down a lane on the right,
    # along the gap above the receiving team, into the top of its queue
    positions = {team: (ty0, h) for team, ty0, h in team_boxes}
    pairs = list(dict.fromkeys((r.source, r.to) for r in routes if r.to in positions))
    for k, (src, dst) in enumerate(pairs):
        sy, sh = positions[src]
        dy, _ = positions[dst]
        rules = sum(1 for r in routes if (r.source, r.to) == (src, dst))
        lane = x_team + w_team + 14 + 9 * k
        leg = dy - 20 - 6 * k
        target_x = x_queue + w_queue * 0.55
        start_y = sy + sh * 0.8
        parts.append(f'<path d="M{x_team + w_team:.0f},{start_y:.0f} H{lane:.0f} V{leg:.0f} H{target_x:.0f} '
                     f'V{dy - 4:.0f}" fill="none" stroke="#D55E00" stroke-width="1.5" '
                     'marker-end="url(#capsim-arrow)"/>')
        parts.append(f'<text x="{target_x + 8:.0f}" y="{leg - 5:.0f}" font-size="12" fill="#8a3a00">referrals from '
                     f'{html.escape(src)} ({rules} rule{"s" if rules != 1 else ""}, listed below the diagram)</text>')
    width = x_out + w_out + 10
    legend = ('<text x="10" y="20" font-size="13" fill="#444">Arrows show where items go; '
              'dashed boxes are ways an item leaves without review.</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" width="100%" '
            f'role="img" aria-label="Modelled flow of {html.escape(scenario.name)}" '
            f'font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="{_FONT}" fill="#222">'
            '<defs><marker id="capsim-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>'
            + legend + "\n".join(parts) + "</svg>")


def routing_rules(scenario: Scenario) -> list[str]:
    """Each referral rule in words: from which team to which, on what condition, what share."""
    words = {"ai_generated": "AI-generated", "known": "already known", "criminal": "criminal",
             "realistic": "realistic", "flagged_synthetic": "flagged as synthetic", "flagged_harmful": "flagged as harmful"}
    out = []
    for r in getattr(scenario, "routing", None) or []:
        when = getattr(r, "when", {}) or {}
        conditions = ", ".join(words.get(k, k) if v else f"not {words.get(k, k)}" for k, v in when.items())
        share = getattr(r, "share", 1.0)
        text = f"{r.source} → {r.to}: items that are {conditions or 'assessed'}"
        if share < 1:
            text += f"; {share:.0%} of them"
        if getattr(r, "priority", None):
            text += f"; queued as {r.priority}"
        out.append(text + ".")
    return out


# --------------------------------------------------------------------------- methods (STRESS-DES)


def methods(scenario: Scenario, manifest: dict | None, results: Sequence[SimulationResult]) -> list[tuple[str, str, str]]:
    """The STRESS-DES checklist, answered from the scenario and the run's manifest:
    (item number, item, answer) rows."""
    manifest = manifest or {}
    first = results[0]
    s = scenario
    names = ", ".join(r.scenario.name for r in results)
    versions = manifest.get("versions", {})
    lib = ", ".join(f"{k} {v}" for k, v in versions.items() if k != "capsim") or "see the manifest"
    horizon = format_duration(s.clock.horizon)
    warm = format_duration(s.clock.warmup) if s.clock.warmup else "none"
    slas = "; ".join(f"{x.priority}: {100 * x.target:g}% within {charts.duration_text(x.within)}" for x in s.sla) or "none set"
    tools = ", ".join(n.replace("_", " ") for n in _enabled_tools(s)) or "none"
    figures_used = ", ".join(s.figures) or "none"
    overrides = ", ".join(manifest.get("overrides", [])) or "none"
    return [
        ("1.1", "Purpose of the model",
         "To estimate whether the review capacity described (analysts, rosters, exposure limits, tooling) keeps up "
         f"with the demand described, and what waiting, backlog and cost follow. Scenario(s): {names}."),
        ("1.2", "Model outputs",
         "Per replication: arrivals, items assessed, cleared automatically, expired and still waiting; backlog at the "
         "end and at its largest; waits and time to assessment (mean, median, 90th and 95th percentiles, hours); share "
         "of each priority assessed within its deadline; analyst hours, exposure hours per analyst-shift, utilisation; "
         "staff cost. Reported as means with 95% confidence intervals across replications, and a time series of the "
         "backlog and analysts on shift."),
        ("1.3", "Experimentation aims",
         f"Service levels: {slas}. " + (f"Scenarios compared under the same seed: {names}." if len(results) > 1
                                        else "One scenario; compare others with capsim report A B, and vary inputs with "
                                             "capsim sensitivity.")),
        ("2.1", "Base model overview diagram", "See the diagram under “What is modelled”."),
        ("2.2", "Base model logic",
         "Items arrive in streams; automated tools (enabled here: " + tools + ") act on whole batches before "
         "people see them; the rest join their team's queue by priority and are taken first come, first served "
         "within a priority, without pre-emption, by the analyst free earliest. Analysts work rostered shifts, stop "
         "starting new reviews at the end of a shift or when the daily exposure cap is reached, and miss whole shifts "
         "at random at the shrinkage rate. Items with a time-to-live expire if not started in time."),
        ("2.3", "Scenario logic",
         "Scenarios are YAML files; a scenario may extend another and change only what differs. Overrides applied "
         f"to this run: {overrides}."),
        ("2.4", "Algorithms",
         "Arrivals are a non-homogeneous Poisson process sampled as Poisson counts per interval of at most an hour "
         "(exact where the rate is constant within the interval), with arrival times uniform inside it. Review times "
         "are drawn from the stated distribution. Between events that change what analysts can do (a batch of "
         "arrivals, a shift start) queues are worked by a compiled loop that reproduces an event-per-item model."),
        ("2.5", "Components",
         f"Entities: items (units: {', '.join(sorted({x.unit for x in s.demand}))}). Activities: review. Resources: "
         f"{', '.join(f'{t.team} ({t.headcount} analysts)' for t in s.workforce)}. Queues: one per team and "
         f"priority ({', '.join(s.priorities)}). Entry: {len(s.demand)} stream(s). Exit: assessed, cleared "
         "automatically, expired."),
        ("3.1", "Data sources",
         f"Published figures from capsim's figures table, each cited by id in the assumptions table: {figures_used}. "
         "Everything else is an assumption, marked as such."),
        ("3.2", "Pre-processing",
         "Yearly and monthly published counts are turned into rates per unit of simulated time (a year is 365.25 "
         "days); shares and times per item are derived from published totals by the functions in "
         "capsim.calibration, named in the table."),
        ("3.3", "Input parameters", "Every parameter, its value, unit and source is in the assumptions table."),
        ("3.4", "Assumptions", "Listed in the assumptions table (source “assumption”) and under Limitations."),
        ("4.1", "Initialisation",
         f"Warm-up: {warm}; items arriving during it are left out of the statistics but still occupy the queues. "
         + ("Items waiting at the start: " + ", ".join(f"{x.stream} {x.initial_backlog:,}" for x in s.demand
                                                       if x.initial_backlog) + "." if any(x.initial_backlog for x in s.demand)
            else "The system starts empty.")),
        ("4.2", "Run length", f"{horizon} of simulated time from {s.clock.start.isoformat()}, sampled every "
                              f"{format_duration(s.clock.step)} for the time series. After the horizon arrivals "
                              "stop and the work already arrived is finished on the same rosters (the run-out), so "
                              "that waits and SLA attainment count every item that arrived; backlogs, hours and "
                              "costs are as at the horizon."),
        ("4.3", "Estimation approach",
         f"{first.replications} independent replications with seed {first.seed}; each metric's mean with a "
         "Student-t 95% confidence interval across replications, and its 10th, 50th and 90th percentiles. Intervals "
         "for shares are shown clipped to 0–100% and counts at zero. "
         + ("Scenarios share the seed, so differences are paired replication by replication (common random numbers)."
            if len(results) > 1 else "")),
        ("5.1", "Software", f"capsim {versions.get('capsim', version())} (Python); {lib}."),
        ("5.2", "Random sampling",
         manifest.get("random_streams", "numpy SeedSequence per run, one stream per stochastic process")
         + ". Results do not depend on the number of worker processes."),
        ("5.3", "Model execution",
         "Discrete-event simulation with simpy for the processes that act over time (arrival batches, shift starts) "
         f"and a compiled queue loop between them; {manifest.get('workers', 1)} worker process(es); wall time "
         f"{manifest.get('wall_seconds', 'n/a')} s."),
        ("5.4", "System specification",
         f"Python {versions.get('python', 'n/a')}; run started {manifest.get('started', 'n/a')}."),
        ("6.1", "Computer model sharing statement",
         f"Scenario file {manifest.get('scenario_file', 'n/a')}, resolved scenario SHA-256 "
         f"{manifest.get('scenario_sha256', s.digest())}; the manifest.json beside this report holds the resolved "
         f"scenario and the command: {manifest.get('command', 'n/a')}."),
    ]


# --------------------------------------------------------------------------- limitations


def limitations(scenario: Scenario, replications: int) -> list[str]:
    """What this run cannot tell, in plain words, from what the scenario does and does not use."""
    from capsim import figures as table
    from capsim.figures import UnknownFigureError

    s = scenario
    source = s.source
    out = ["The confidence intervals measure only how much results vary from one simulated run to the next. They "
           "do not include uncertainty in the inputs; the sensitivity analysis (capsim sensitivity) shows how much "
           "each input moves the results."]
    for unit, review in s.review.items():
        if unit not in {x.unit for x in s.demand}:
            continue
        raw = (source.get("review") or {}).get(unit) or {}
        mean_ref = isinstance(raw, dict) and isinstance(raw.get("mean"), dict) and "figure" in raw["mean"]
        if mean_ref:
            out.append(f"The mean review time per {unit} comes from a published figure ({raw['mean']['figure']}); "
                       f"the spread of review times around it ({review.dist}) is assumed.")
        else:
            out.append(f"The review time per {unit} ({seconds_text(review.mean_seconds)} on average) is an "
                       "assumption: no published figure gives it here.")
    if "video" in {x.unit for x in s.demand}:
        out.append("No published source gives minutes of review per video.")
    tools = _enabled_tools(s)
    if "classifier" in tools or "synthetic_detector" in tools:
        out.append("No classifier or synthetic-image detector for this material has published precision and recall: "
                   "the performance figures used here are assumptions, not measurements.")
    else:
        out.append("The scenario uses no classifier or synthetic-image detector; none for this material has published "
                   "precision and recall, so any such tool would have to be an assumption.")
    out.append("Arrivals follow a Poisson process around the stated rate. Real volumes are burstier (campaigns, "
               "forum dumps, reporting drives), so the backlog probably swings more than shown.")
    if any(getattr(x.growth, "model", "none") != "none" for x in s.demand):
        out.append("Growth is extrapolated from short published series; beyond the last published year it is a "
                   "projection, not an observation.")
    out.append("Item attributes (AI-generated, known, criminal, realistic) are drawn independently of each other "
               "and of time.")
    dynamic = [t.team for t in s.workforce
               if getattr(t, "attrition", 0) or getattr(t, "changes", None) or getattr(getattr(t, "ramp", None), "weeks", 0)]
    if dynamic:
        out.append(f"Headcount changes over the run for {', '.join(dynamic)} as the scenario states (attrition, hiring, "
                   "planned changes, training ramp); those settings are themselves assumptions unless the table "
                   "cites a figure. Absences fall at random shift by shift.")
    else:
        out.append("Headcount is fixed for the whole run: the scenario sets no attrition, hiring or planned changes, "
                   "and new analysts need no training ramp. Absences fall at random shift by shift.")
    out.append("The exposure cap is checked when a review would start, so an analyst can pass it by one review; "
               "its effect on wellbeing is not modelled, only its effect on capacity.")
    if not any(x.ttl is not None for x in s.demand):
        out.append("No item expires in this scenario, so missed takedowns are not counted.")
    if s.sla:
        sla_raw = source.get("sla") or []
        if not any(isinstance(v, dict) for e in sla_raw if isinstance(e, dict) for v in e.values()):
            out.append("Service-level deadlines and targets are assumptions, not published standards.")
    out.append("Costs are staff costs only (analysts × annual cost, a seat counting as its roster's hours a week "
               "over the contracted hours: 4.2 analysts for a 24/7 seat at 40 h); tooling, premises and management are not "
               "counted.")
    weak = []
    for fid in s.figures:
        try:
            f = table.figure(fid)
            if f.status in {"weak", "unverified"}:
                weak.append(f"{fid} ({f.status})")
        except UnknownFigureError:
            _, ids = charts.figure_origin(fid)
            for i in ids:
                f = table.figure(i)
                if f.status in {"weak", "unverified"}:
                    weak.append(f"{i} ({f.status}, used by {fid})")
    if weak:
        out.append("Some inputs rest on figures whose source is weak or unverified: " + ", ".join(dict.fromkeys(weak)) + ".")
    if replications < 10:
        out.append(f"Only {replications} replication(s): intervals are wide and the bands in the charts are rough.")
    return out


# --------------------------------------------------------------------------- the page

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:#222;margin:0;
background:#fff;line-height:1.5;font-size:16px}
main{max-width:1060px;margin:0 auto;padding:24px 28px 60px}
h1{font-size:30px;line-height:1.2;margin:8px 0 4px}
h2{font-size:23px;margin:44px 0 10px;padding-top:10px;border-top:2px solid #0072B2}
h3{font-size:18px;margin:22px 0 6px}
.lede{font-size:18px;color:#333;margin:4px 0}
.meta{color:#555;font-size:14px}
.notice{background:#F3F7FB;border-left:4px solid #0072B2;padding:8px 14px;margin:14px 0;font-size:15px}
nav ol{columns:2;font-size:15px;padding-left:20px}
ul.findings li{margin:6px 0}
figure{margin:22px 0 30px;padding:0}
figure svg{width:100%;height:auto;display:block}
figcaption{color:#444;font-size:14.5px;margin-top:6px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid #ddd;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4;position:sticky;top:0}
td.value{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.key{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:13px;width:34%}
tr.figure td{background:#F2F9F5}
.flow{border:1px solid #ddd;border-radius:6px;padding:8px;overflow-x:auto}
.flow svg{min-width:820px}
dl.methods dt{font-weight:bold;margin-top:10px}
dl.methods dd{margin:2px 0 0 0}
.small{font-size:13.5px;color:#555}
@media print{h2{break-before:auto}figure{break-inside:avoid}}
"""


def _inline_svg(svg: str, label: str) -> str:
    """Chart SVG ready to sit in the page: no prolog, scalable, labelled for screen readers."""
    svg = charts.strip_svg_prolog(svg)
    head_end = svg.find(">")
    head = svg[:head_end]
    head = re.sub(r'\s(width|height)="[^"]*"', "", head)
    head += f' width="100%" role="img" aria-label="{html.escape(label, quote=True)}"'
    return head + svg[head_end:]


CAPTIONS = {
    "backlog": "Items waiting over time. The line is the median of the replications; the darker band holds the middle "
               "50% of them and the lighter band 90%. The lower panel shows the capacity on shift.",
    "time_to_assessment": "How long items wait. Each dot is one replication's statistic over all its items, so the "
                          "spread of dots is run-to-run variation, not the spread of single items' waits. Dashed "
                          "lines mark the service-level deadlines; the right panel shows the share of each priority "
                          "assessed within its deadline against its target.",
    "exposure": "Hours of review (time spent viewing material) per analyst on each shift with any review, one dot per "
                "replication, against the daily exposure cap.",
    "comparison": "Each metric per scenario with its 95% confidence interval (left), and the difference from the first "
                  "scenario (right), taken replication by replication under the same seed.",
    "sla_vs_headcount": "Service-level attainment against headcount, every headcount run with the same seed; the band "
                        "is the 95% confidence interval of the mean.",
    "tornado": "One-at-a-time sensitivity: the metric when each parameter is lowered (blue) or raised (orange) by the "
               "swing, from the base run's value (black line).",
}


def slug(name: str) -> str:
    """A file-name-safe form of a scenario name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "scenario"


def report_charts(results: Sequence[SimulationResult], sweep: pd.DataFrame | None = None,
                  sensitivity: pd.DataFrame | None = None) -> dict[str, Any]:
    """The report's charts by file stem: each run's three charts (prefixed by scenario when
    there are several), the comparison when there are several runs, and the headcount sweep
    and tornado when their tables are given."""
    figs: dict[str, Any] = {}
    several = len(results) > 1
    for label, r in zip(charts.scenario_labels(results), results):
        for stem, fig in charts.run_charts(r).items():
            figs[f"{slug(label)}-{stem}" if several else stem] = fig
    if several:
        figs["comparison"] = charts.comparison(results)
    if sweep is not None:
        figs["sla_vs_headcount"] = charts.sla_vs_headcount(sweep, results[0].scenario)
    if sensitivity is not None:
        figs["tornado"] = charts.tornado(sensitivity, results[0].scenario)
    return figs


def _caption(stem: str) -> str:
    for key, text in CAPTIONS.items():
        if stem == key or stem.endswith("-" + key):
            return text
    return ""


def _assumptions_html(results: Sequence[SimulationResult], overrides: Sequence[str]) -> str:
    tables = [assumptions_table(r.scenario, overrides) for r in results]
    names = [r.scenario.name for r in results]
    if len(results) == 1:
        t = tables[0]
        head = "<tr><th>parameter</th><th>value</th><th>unit</th><th>source</th></tr>"
        body = "".join(
            f'<tr{" class=figure" if row.figure else ""}><td class="key">{_key_html(row.key)}</td>'
            f'<td class="value">{html.escape(row.value)}</td><td>{html.escape(row.unit)}</td>'
            f"<td>{_source_html(row.source, row.figure)}</td></tr>"
            for row in t.itertuples())
        return f"<table>{head}{body}</table>"
    keys = list(dict.fromkeys(k for t in tables for k in t.key))
    indexed = [t.set_index("key") for t in tables]
    head = ("<tr><th>parameter</th>" + "".join(f"<th>{html.escape(n)}</th>" for n in names)
            + "<th>source</th></tr>")
    body = []
    for k in keys:
        cells, sources, figure = [], [], ""
        for n, t in zip(names, indexed):
            if k in t.index:
                row = t.loc[k]
                cells.append(f'<td class="value">{html.escape(row.value)} {html.escape(row.unit)}</td>')
                sources.append((n, row.source, row.figure))
                figure = figure or row.figure
            else:
                cells.append('<td class="value">—</td>')
        distinct = list(dict.fromkeys((src, fig) for _, src, fig in sources))
        if len(distinct) == 1:
            src_html = _source_html(*distinct[0])
        else:
            src_html = "<br>".join(f"{html.escape(n)}: {_source_html(src, fig)}" for n, src, fig in sources)
        body.append(f'<tr{" class=figure" if figure else ""}><td class="key">{_key_html(k)}</td>{"".join(cells)}'
                    f"<td>{src_html}</td></tr>")
    return f"<table>{head}{''.join(body)}</table>"


def _key_html(key: str) -> str:
    """A dotted key that may break after its dots (and nowhere else)."""
    return ".<wbr>".join(html.escape(part) for part in key.split("."))


def _source_html(source: str, figure: str) -> str:
    if not figure:
        return html.escape(source)
    from capsim import figures as table
    from capsim.figures import UnknownFigureError

    try:
        f = table.figure(figure)
        return (f'<a href="{html.escape(f.url, quote=True)}">{html.escape(figure)}</a> — '
                f"{html.escape(f.organisation)} ({f.year}, {html.escape(f.status)})")
    except UnknownFigureError:
        org, ids = charts.figure_origin(figure)
        return (f"{html.escape(figure)} — derived from {html.escape(', '.join(ids))} "
                f"({html.escape(org)})")


def _sources_list(results: Sequence[SimulationResult]) -> str:
    ids = list(dict.fromkeys(f for r in results for f in r.scenario.figures))
    if not ids:
        return "<p>No published figures are used: every input is an assumption.</p>"
    items = "".join(f"<li>{html.escape(figure_source(i))}</li>" for i in ids)
    return f"<p>Published figures used:</p><ul class='small'>{items}</ul>"


def render_report(
    results: Sequence[SimulationResult],
    chart_svgs: dict[str, str],
    manifests: Sequence[dict | None] | None = None,
    overrides: Sequence[str] = (),
    sensitivity: pd.DataFrame | None = None,
) -> str:
    """The whole report as one HTML string; ``chart_svgs`` maps chart stems to SVG text."""
    if not results:
        raise ValueError("a report needs at least one run")
    manifests = list(manifests or [None] * len(results))
    first = results[0]
    s = first.scenario
    names = [r.scenario.name for r in results]
    title = (f"{s.title or s.name}" if len(results) == 1 else "Comparison: " + " · ".join(names))
    capsim_version = version()
    started = (manifests[0] or {}).get("started") or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    out = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>capsim report: {html.escape(title)}</title>",
           f'<meta name="generator" content="capsim {html.escape(capsim_version)}">',
           f"<style>{CSS}</style></head><body><main>",
           f"<header><p class='meta'>capsim report</p><h1>{html.escape(title)}</h1>"]
    for r in results:
        sc = r.scenario
        desc = f" {html.escape(' '.join(sc.description.split()))}" if sc.description else ""
        out.append(f"<p class='lede'><strong>{html.escape(sc.name)}</strong>"
                   f"{': ' + html.escape(sc.title) if sc.title else ''}.{desc}</p>")
    out.append(f"<p class='meta'>{first.replications} replications · seed {first.seed} · capsim {html.escape(capsim_version)} "
               f"· run {html.escape(str(started))}</p>")
    out.append(f"<p class='notice'>{html.escape(COUNTS_ONLY)}</p></header>")
    out.append("<nav><ol>" + "".join(f'<li><a href="#{k}">{v}</a></li>' for k, v in SECTIONS.items()) + "</ol></nav>")

    # findings
    out.append(f'<section id="findings"><h2>{SECTIONS["findings"]}</h2>')
    out.append("<p class='small'>Means over the replications, each with its 95% confidence interval; the same "
               "numbers as summary.csv. Times are in hours.</p>")
    for r in results:
        if len(results) > 1:
            out.append(f"<h3>{html.escape(r.scenario.name)}</h3>")
        out.append("<ul class='findings'>" + "".join(f"<li>{html.escape(f)}</li>" for f in headline_findings(r)) + "</ul>")
    if len(results) > 1:
        table = charts.paired_differences(results)
        first_label = table.scenario.iloc[0]
        out.append("<h3>Differences</h3>")
        for other, lines in comparison_lines(table).items():
            out.append(f"<p>{html.escape(other)} compared with {html.escape(first_label)}, replication by replication "
                       "under the same seed (paired differences):</p><ul class='findings'>"
                       + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>")
    if sensitivity is not None and not sensitivity.empty:
        top = charts.order_by_effect(sensitivity).iloc[0]
        out.append(f"<p>Of the inputs varied by ±{top.swing:.0%}, {html.escape(str(top.parameter))} moves "
                   f"{html.escape(charts.metric_label(top.metric).lower())} most: from "
                   f"{fmt(top.metric, top.low_mean)} to {fmt(top.metric, top.high_mean)}.</p>")
    out.append("</section>")

    # charts
    out.append(f'<section id="charts"><h2>{SECTIONS["charts"]}</h2>')
    for stem, svg in chart_svgs.items():
        out.append(f'<figure id="chart-{html.escape(stem)}">{_inline_svg(svg, stem)}'
                   f"<figcaption>{html.escape(_caption(stem))} Files: charts/{html.escape(stem)}.png, "
                   f"charts/{html.escape(stem)}.svg.</figcaption></figure>")
    out.append("</section>")

    # flow
    out.append(f'<section id="flow"><h2>{SECTIONS["flow"]}</h2>')
    seen: set[str] = set()
    for r in results:
        svg = flow_svg(r.scenario)
        if svg in seen:
            continue
        seen.add(svg)
        if len(results) > 1:
            out.append(f"<h3>{html.escape(r.scenario.name)}</h3>")
        out.append(f"<div class='flow'>{svg}</div>")
        rules = routing_rules(r.scenario)
        if rules:
            out.append("<p class='small'>Referral rules:</p><ul class='small'>"
                       + "".join(f"<li>{html.escape(x)}</li>" for x in rules) + "</ul>")
    out.append("</section>")

    # assumptions
    out.append(f'<section id="assumptions"><h2>{SECTIONS["assumptions"]}</h2>')
    out.append("<p class='small'>Every parameter of the resolved scenario. Rows shaded green come from a published "
               "figure (its id, organisation, year and status); “assumption” marks a value no published source "
               "gives; “default” a value the scenario file does not set. Switched-off tools are shown by their "
               "switch alone.</p>")
    out.append(_assumptions_html(results, overrides))
    out.append(_sources_list(results))
    out.append("</section>")

    # methods
    out.append(f'<section id="methods"><h2>{SECTIONS["methods"]}</h2>')
    out.append("<p class='small'>Answers to the STRESS-DES checklist (Monks et al., 2019, Strengthening the reporting "
               "of empirical simulation studies), drawn from the scenario and the run's manifest.</p><dl class='methods'>")
    for number, item, answer in methods(s, manifests[0], results):
        out.append(f"<dt>{number} {html.escape(item)}</dt><dd>{html.escape(answer)}</dd>")
    out.append("</dl></section>")

    # limitations
    out.append(f'<section id="limitations"><h2>{SECTIONS["limitations"]}</h2><ul>')
    out += [f"<li>{html.escape(x)}</li>" for x in limitations(s, first.replications)]
    out.append("</ul></section>")

    out.append(f'<section id="scope"><h2>{SECTIONS["scope"]}</h2><p>{html.escape(COUNTS_ONLY)} It estimates '
               "queues, waiting times, workload and cost from stated volumes and capacities; it does not judge "
               "material, identify anyone, or replace the published sources it cites.</p></section>")
    command = (manifests[0] or {}).get("command")
    if command:
        out.append(f"<p class='small'>Made with: <code>{html.escape(command)}</code></p>")
    out.append("</main></body></html>\n")
    return "\n".join(out)


def _write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~charts._umask())  # mkstemp makes owner-only files; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_report(
    folder: str | Path,
    results: Sequence[SimulationResult],
    manifests: Sequence[dict | None] | None = None,
    *,
    overrides: Sequence[str] = (),
    sweep: pd.DataFrame | None = None,
    sensitivity: pd.DataFrame | None = None,
    formats: Sequence[str] = CHART_FORMATS,
) -> Path:
    """Write the charts (``folder/charts/<stem>.<format>``) and ``folder/report.html``.

    Returns the report's path. Each file is written atomically.
    """
    folder = Path(folder)
    chart_dir = folder / "charts"
    figs = report_charts(results, sweep, sensitivity)
    svgs: dict[str, str] = {}
    formats = list(dict.fromkeys([*formats, "svg"]))
    for stem, fig in figs.items():
        charts.save(fig, chart_dir / stem, formats)
        svgs[stem] = (chart_dir / f"{stem}.svg").read_text(encoding="utf-8")
    page = render_report(results, svgs, manifests, overrides, sensitivity)
    target = folder / "report.html"
    _write_text(target, page)
    return target
