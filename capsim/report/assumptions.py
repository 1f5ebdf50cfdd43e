"""The assumptions table: every parameter of the resolved scenario with its value, unit and source."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
from pydantic import BaseModel, BeforeValidator

from capsim.scenario import GrowthExponential, Scenario, Stream, Team, step_into
from capsim.sources import citations, figure_origin, figure_source, source_label, status_text
from capsim.units import SECONDS_PER_DAY, SECONDS_PER_HOUR, format_duration

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult


_SKIP = {"name", "title", "description", "experiment", "targets"}


def _at(source: Any, part: str) -> Any:
    return step_into(source, part)[1]


_NUMBER = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(\S.*?)?\s*$")


_UNIT_WORDS = {
    "headcount": "analysts", "initial_backlog": "items", "items": "items",
    "cv": "coefficient of variation", "increase_per_year": "share per year", "time_factor": "× review time",
    "follow_fraction": "× review time", "cluster_size": "items", "overtime_premium": "× pay",
    "weeks": "weeks", "inflation": "share per year", "attrition": "share per year", "hours_per_day": "h a day",
    "per_year": "share per year", "training_weeks": "weeks", "mentor_hours": "h a week per trainee",
    "wellbeing_hours": "h per analyst (FTE) a year", "on_costs": "share of salary",
    "overheads": "share of other costs", "per": "analyst FTE per FTE of the role", "price_year": "calendar year",
}
"""The unit of a number the file writes bare (or leaves to its default), by its field's name."""


_MONEY_UNITS = {"annual_cost": "per year", "per_item_cost": "per item", "hire_cost": "per hire",
                "training_cost": "per new analyst", "licence_cost": "per analyst (FTE) a year",
                "wellbeing_hourly_cost": "per counselling hour"}
"""What one amount of money buys, by its field's name (after the currency); a salary's
``annual_cost`` is :func:`_money_unit`'s."""


_YEARS = {"price_year"}
"""Fields that hold a calendar year: written 2024, not as a count (2,024)."""


_LIST_NAMES = {"demand": "stream", "workforce": "team", "sla": "priority"}
"""Lists whose elements are named (as ``--set`` names them); other lists are indexed."""


_GROWTH_WRITTEN_AS = {"doubling_time": "per_year", "per_year": "doubling_time"}
"""An exponential growth is written one of two ways; the table gives the other too, worked out from it."""


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
    uncertain = {i.key: i for i in scenario.uncertain}
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
            source = source_label(figure)
        elif raw is not None and not isinstance(raw, (dict, list)):
            text, unit = _split(raw) if isinstance(raw, str) else (_number(raw), "")
            source = origin(key)
        elif key in uncertain:  # written {uncertain: ...}: the run used the median; capsim uncertainty samples it
            text, unit = _default_text(value, model, attr)
            found = uncertain[key]
            source = f"uncertain, {found.describe(key)}; median used here; source: {found.spec.source}"
        elif isinstance(model, GrowthExponential) and attr in _GROWTH_WRITTEN_AS:  # the other one was written
            text, unit = ((_number(model.annual_growth), _UNIT_WORDS["per_year"]) if attr == "per_year"
                          else _default_text(value, model, attr))
            source = f"from {_GROWTH_WRITTEN_AS[attr]} (the same growth)"
        else:
            text, unit = _default_text(value, model, attr)
            source = "default (assumption)"
        if not unit and not figure and not isinstance(raw, str) and isinstance(value, (int, float)) \
                and not isinstance(value, bool):
            unit = _UNIT_WORDS.get(path[-1], "share" if _is_share_field(model, attr) else "")
        if path[-1] in _MONEY_UNITS:
            unit = f"{scenario.costs.currency} {_money_unit(path)}"
        if path[-1] in _YEARS and isinstance(value, int):
            text = str(value)
        rows.append([key, text, unit, source, figure])

    def walk(path: list[str], value: Any, raw: Any, obj: Any, model: Any, attr: str | None) -> None:
        """``obj`` is the validated object behind ``value``; ``model``/``attr`` own it (for units)."""
        if isinstance(value, dict) and not (isinstance(raw, dict) and "figure" in raw):
            raw = _shorthand_read(raw, model, attr)
            if value.get("enabled") is False and len(value) > 1:
                leaf([*path, "enabled"], False, _at(raw, "enabled"), obj, "enabled")
                return
            name_key = _LIST_NAMES.get(path[0]) if len(path) == 2 else None
            for k, v in value.items():
                if not path and k in _SKIP:
                    continue
                if name_key is not None and k == name_key and str(v) == path[-1]:
                    continue
                if _unused_default(obj, str(k), raw):
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
    for row in rows:  # a setting left empty, said as what the model does with it
        if row[1] == "none" and (means := _unset_means(scenario, row[0])):
            row[1] = means
    return pd.DataFrame(rows, columns=["key", "value", "unit", "source", "figure"])


def _shorthand_read(raw: Any, model: Any, attr: str | None) -> Any:
    """A setting the file wrote in a shorthand form, as the mapping its field reads it as (the field's
    own before-validators: ``public_holidays: GB`` → ``{country: GB}``, ``ttl: 72h`` →
    ``{dist: fixed, mean: 72h}``, ``roster: 24/7``), so the settings it gives count as the file's;
    any other ``raw`` (a mapping, a list, absent) as it is. ``model``/``attr`` own the setting."""
    if raw is None or isinstance(raw, (dict, list)) or model is None or attr is None:
        return raw
    field = type(model).model_fields.get(attr) if isinstance(model, BaseModel) else None
    for meta in field.metadata if field is not None else ():
        if isinstance(meta, BeforeValidator):
            raw = meta.func(raw)
    return raw


def _unused_default(obj: Any, key: str, raw: Any) -> bool:
    """Whether ``key`` of ``obj`` is a setting the file is silent on that the model does not use, left
    out of the table: a stream's ``priority`` where its ``priority_mix`` gives every item's priority,
    and a team's ``roster`` where its ``shifts`` give its patterns (the roster is then the first
    pattern's hours, a summary, without its holidays)."""
    if step_into(raw, key)[0]:
        return False
    return ((isinstance(obj, Stream) and key == "priority" and bool(obj.priority_mix))
            or (isinstance(obj, Team) and key == "roster" and obj.shifts is not None))


def _unset_means(scenario: Scenario, key: str) -> str:
    """What an empty or unset ``key`` means to the model, where "none" would mislead: a role's
    ``teams`` (every team: :func:`capsim.costs.role_teams`) and the price year (the run's first year:
    :func:`capsim.costs.price_year`); "" for any other key."""
    from capsim.costs import price_year

    if re.fullmatch(r"costs\.roles\.[^.]+\.teams", key):
        return "all teams"
    if key == "costs.price_year":
        return f"{price_year(scenario)} (not set: the year the run starts)"
    return ""


def _money_unit(path: Sequence[str]) -> str:
    """What the amount of money at ``path`` (a key of :func:`assumptions_table`, split at its dots)
    buys: a team's salary one full-time analyst for a year, a supporting role's one full-time post
    of the role for a year (costs.roles), any other amount :data:`_MONEY_UNITS` says."""
    if path[0] == "costs" and path[-1] == "annual_cost":
        return "per full-time post a year" if path[1] == "roles" else "per analyst-year"
    return _MONEY_UNITS[path[-1]]


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


def table_html(table: pd.DataFrame) -> str:
    """Rows of :func:`assumptions_table` (all or some) as one HTML table: parameter, value, unit and
    source (a published figure linked to its publication)."""
    head = "<tr><th>parameter</th><th>value</th><th>unit</th><th>source</th></tr>"
    body = "".join(
        f'<tr{" class=figure" if row.figure else ""}><td class="key">{_key_html(row.key)}</td>'
        f'<td class="value">{html.escape(row.value)}</td><td>{html.escape(row.unit)}</td>'
        f"<td>{_source_html(row.source, row.figure)}</td></tr>"
        for row in table.itertuples())
    return f"<table>{head}{body}</table>"


def _assumptions_html(results: Sequence[SimulationResult], overrides: Sequence[str]) -> str:
    tables = [assumptions_table(r.scenario, overrides) for r in results]
    names = [r.scenario.name for r in results]
    if len(results) == 1:
        return table_html(tables[0])
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
                f"{html.escape(f.organisation)} (figure for {f.year}, {html.escape(status_text(f))})")
    except UnknownFigureError:
        org, ids = figure_origin(figure)
        return (f"{html.escape(figure)} — derived from {html.escape(', '.join(ids))} "
                f"({html.escape(org)})")


def _sources_list(results: Sequence[SimulationResult]) -> str:
    ids = list(dict.fromkeys(f for r in results for f in r.scenario.figures))
    if not ids:
        return "<p>No published figures are used: every input is an assumption.</p>"
    items = "".join(f"<li>{html.escape(figure_source(i))}</li>" for i in ids)
    cited = "".join(f"<li>{c}</li>" for c in citations(ids))
    return (f"<p>Sources, primary sources first:</p><ul class='small sources'>{cited}</ul>"
            f"<p>Published figures used, by id:</p><ul class='small'>{items}</ul>")
