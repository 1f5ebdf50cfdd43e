"""The inputs the web page offers, each tied to one dotted scenario key.

An :class:`Input` says which key it changes (as ``--set`` names it: list elements by name, e.g.
``workforce.analysts.headcount``), how the page shows it (unit, allowed range, default) and how
a value the person chose is written back as ``--set`` text (``16``, ``90s``, ``424047/year``).
:func:`overrides` turns the page's values into ``--set`` strings, only for values that differ
from the scenario's own, so the page validates through :func:`capsim.scenario.load_scenario`
exactly as the command line does, with the same messages.

Units on the page are the ones people use: durations in seconds, hours or days, volumes a year,
shares in percent. The allowed range of a number is the schema's (``ge``/``le`` of its field),
converted to the page's unit.

Why it is one module (about 450 lines): every input, the starting values a tool takes when
switched on (read from its bundled scenario) and the writing back as ``--set`` text share one
table of keys, units and ranges; parted, each half would have to know the other's keys.
"""

from __future__ import annotations

import functools
import math
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import annotated_types
import yaml
from pydantic import BaseModel

from capsim import units
from capsim.scenario import SLA, Experiment, GrowthExponential, GrowthNone, Roster, Scenario, Stream, Team

GROWTH_PRESETS = {
    "low": "iwf_ai_reports_doubling_time_low_days",
    "central": "iwf_ai_reports_doubling_time_central_days",
    "high": "iwf_ai_reports_doubling_time_high_days",
}
"""Growth presets: exponential growth doubling in the low/central/high fitted time of the IWF's
AI-generated reports (2023 to 2024; ``capsim calibrate growth iwf-ai-reports``)."""
GROWTH_CHOICES = ("as in the scenario", "no growth", "low", "central", "high", "your own: % a year")
OWN_GROWTH = GROWTH_CHOICES[-1]

TOOL_SETTINGS: dict[str, tuple[str, ...]] = {
    "hash_matching": ("match_rate", "spot_check"),
    "classifier": ("recall", "fpr", "time_factor", "positive_priority", "negative_priority"),
    "synthetic_detector": ("tpr", "fpr"),
    "clustering": ("follow_fraction",),
    "wellbeing": ("time_factor", "exposure_cap"),
}
"""The settings the page offers per tool (each also has ``annual_cost``)."""
TOOL_SCENARIOS = {"classifier": "tooling-classifier", "synthetic_detector": "tooling-detector",
                  "clustering": "tooling-clustering", "wellbeing": "tooling-wellbeing"}
"""The bundled scenario whose assumptions a tool starts at when it is switched on from a scenario that
leaves it off (the schema's defaults would leave it doing nothing: a detector flagging no item,
clustering at full time). Settings the scenario writes itself keep the scenario's value."""
CHOICE_FIELDS = {"positive_priority": "Queue of the items it flags", "negative_priority": "Queue of the other items"}
"""The classifier's settings chosen from the scenario's priorities, and their labels."""
SLA_START = (72.0, 90.0)
"""A new service level starts at 90% within 72 hours (hours, %): the target of ``scenarios/base.yaml``."""
NEW_SLA = "assumption (as the deadline of scenarios/base.yaml)"
PERCENT_FIELDS = {"shrinkage", "target", "match_rate", "spot_check", "recall", "fpr", "tpr"}
"""Shares the page shows in percent (0 to 100) and writes as shares (0 to 1)."""
LABELS = {
    "headcount": "Analysts in post", "hours_per_day": "Shift length", "days": "Working days",
    "start": "Shift starts at", "exposure_cap": "Daily exposure cap", "shrinkage": "Time lost to leave, "
    "sickness, training", "annual_cost": "Cost of one analyst a year", "match_rate": "Known items matched",
    "spot_check": "Matches still checked by a person", "recall": "Harmful items flagged (recall)",
    "fpr": "Other items wrongly flagged (false-positive rate)", "tpr": "AI-generated items flagged",
    "time_factor": "Review time, as a multiple of the usual", "follow_fraction": "Time for each further item "
    "of a cluster, as a share of the first", **CHOICE_FIELDS,
}


@dataclass(frozen=True)
class Input:
    """One input of the page: the scenario ``key`` it writes, shown in ``unit`` with a default.

    ``kind`` is the widget: ``number`` (``integer`` when whole), ``choice``, ``days`` (weekdays),
    ``text`` or ``switch``. ``low``/``high`` are the allowed range in the page's unit (None: open),
    ``write`` turns a value into ``--set`` text, ``source`` says where the default comes from,
    ``enabled_by`` names the key of a switch that must be on for the input to apply, ``shown_for``
    the choice the input belongs to (for "your own" growth).
    """

    id: str
    key: str
    group: str
    label: str
    kind: str
    default: Any
    write: Callable[[Any], str] | None
    """``--set`` text of a value; None for an SLA's switch, which writes the whole list (:func:`sla_list`)."""
    unit: str = ""
    low: float | None = None
    high: float | None = None
    integer: bool = False
    options: tuple[str, ...] = ()
    source: str = ""
    help: str = ""
    enabled_by: str | None = None
    shown_for: tuple[str, str] | None = None
    start: Any = None
    """The value the widget starts at when ``default`` is None (an input the scenario leaves unset)."""
    assumed: Any = None
    """A tool's setting where the scenario leaves the tool off: the value it starts at, for when the tool
    is switched on, from the tool's bundled scenario (:data:`TOOL_SCENARIOS`); None: the scenario's own."""

    @property
    def initial(self) -> Any:
        """The value the widget shows at first."""
        if self.assumed is not None:
            return self.assumed
        return self.start if self.default is None and self.start is not None else self.default

    @property
    def tool(self) -> str | None:
        """The tool whose setting (or switch) this is, e.g. ``synthetic_detector``; None for other inputs."""
        return self.key.split(".")[1] if self.key.startswith("tooling.") else None

    def allowed(self) -> str:
        """The allowed range in words, e.g. "0 to 100,000 analysts"."""
        if self.low is None and self.high is None:
            return ""
        def fmt(v: float) -> str:
            return f"{v:,.0f}" if self.integer or abs(v) >= 1e4 else f"{v:,.6g}"
        unit = f" {self.unit}" if self.unit else ""
        if self.high is None:
            return f"at least {fmt(self.low)}{unit}"
        if self.low is None:
            return f"at most {fmt(self.high)}{unit}"
        return f"{fmt(self.low)} to {fmt(self.high)}{unit}"


# --------------------------------------------------------------------------- the schema's ranges


def schema_range(model: type[BaseModel], name: str) -> tuple[float | None, float | None]:
    """The (lowest, highest) value the schema allows for ``model.name`` (None: no bound)."""
    info = model.model_fields[name]
    low = high = None
    for item in _metadata(info.annotation, list(info.metadata)):
        if isinstance(item, (annotated_types.Ge, annotated_types.Gt)):
            low = getattr(item, "ge", getattr(item, "gt", None))
        if isinstance(item, (annotated_types.Le, annotated_types.Lt)):
            high = getattr(item, "le", getattr(item, "lt", None))
    return low, high


def _metadata(annotation: Any, found: list) -> list:
    """Constraint metadata of a field and of the ``Annotated`` types inside its annotation."""
    for arg in typing.get_args(annotation):
        found.extend(getattr(arg, "metadata", None) or [])  # a FieldInfo inside Annotated[...]
        _metadata(arg, found)
    return found


def _bounds(model: type[BaseModel], name: str, scale: float = 1.0, exclusive_step: float = 0.0) -> dict:
    """``low``/``high`` for an :class:`Input` in the page's unit (schema value × ``scale``); an
    exclusive upper bound (``lt``) comes ``exclusive_step`` below it."""
    low, high = schema_range(model, name)
    info = model.model_fields[name]
    lt = any(isinstance(m, annotated_types.Lt) for m in _metadata(info.annotation, list(info.metadata)))
    return {"low": None if low is None else low * scale,
            "high": None if high is None else high * scale - (exclusive_step if lt else 0.0)}


# --------------------------------------------------------------------------- writing values


def _number(value: float) -> str:
    """A number as ``--set`` text: whole numbers without a decimal point."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _round(value: float, digits: int = 6) -> float:
    """``value`` to ``digits`` significant figures (what the page shows, so unchanged values compare equal)."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def _percent(value: float) -> str:
    return _number(_round(value / 100))


def _suffix(unit: str) -> Callable[[Any], str]:
    return lambda v: f"{_number(v)}{unit}"


def _daily_cap(hours: float | None) -> str:
    """A daily exposure cap of ``hours`` a day as ``--set`` text (None: no cap)."""
    return "null" if hours is None else f"{_number(hours)}h/day"


def _cap_hours(seconds: float | None) -> float | None:
    """A daily exposure cap (seconds a day) in hours a day, as the page shows it."""
    return None if seconds is None else _round(seconds / units.SECONDS_PER_HOUR)


def _growth(choice: str) -> str:
    if choice == "no growth":
        return "{model: none}"
    return f"{{model: exponential, doubling_time: {{figure: {GROWTH_PRESETS[choice]}}}}}"


def own_growth(percent: float) -> str:
    """Exponential growth of ``percent`` a year, as ``--set`` text (the doubling time in days)."""
    if percent <= -100:
        raise ValueError("growth must be above -100% a year")
    if percent <= 0:
        return "{model: none}" if percent == 0 else f"{{model: linear, increase_per_year: {_number(percent / 100)}}}"
    days = units.SECONDS_PER_YEAR / units.SECONDS_PER_DAY * math.log(2) / math.log1p(percent / 100)
    return f"{{model: exponential, doubling_time: {_number(_round(days))}d}}"


def _growth_percent(stream: Stream) -> float | None:
    """The stream's growth as % a year, where it is exponential (None otherwise)."""
    if isinstance(stream.growth, GrowthExponential):
        return _round(100 * (2 ** (units.SECONDS_PER_YEAR / stream.growth.doubling_time) - 1), 3)
    return None


def _growth_choice(stream: Stream) -> str:
    from capsim.calibration import value_of

    if isinstance(stream.growth, GrowthNone):
        return "no growth"
    if isinstance(stream.growth, GrowthExponential):
        for name, fid in GROWTH_PRESETS.items():
            if math.isclose(stream.growth.doubling_time, value_of(fid) * units.SECONDS_PER_DAY, rel_tol=1e-9):
                return name
    return "as in the scenario"


# --------------------------------------------------------------------------- the inputs of a scenario


def inputs_for(scenario: Scenario, sources: dict[str, str] | None = None) -> list[Input]:
    """Every input the page offers for ``scenario``, in the order shown; ``sources`` maps keys to
    where their value comes from (:func:`capsim.web.running.sources`)."""
    sources = sources or {}
    out: list[Input] = []

    def add(**kw: Any) -> None:
        kw.setdefault("id", kw["key"])
        kw.setdefault("source", sources.get(kw["key"], "default (assumption)"))
        out.append(Input(**kw))

    run = "Run settings"
    sources = {**sources, "experiment.replications": "run setting", "experiment.seed": "run setting"}
    add(key="clock.horizon", group=run, label="Simulated time", kind="number", unit="days", integer=True,
        default=round(scenario.clock.horizon / units.SECONDS_PER_DAY), write=_suffix("d"), low=1, high=200 * 366,
        help="How long to simulate. The first part (the warm-up, "
        f"{scenario.clock.warmup / units.SECONDS_PER_DAY:g} days here) is left out of the results.")
    add(key="experiment.replications", group=run, label="Replications", kind="number", integer=True,
        default=scenario.experiment.replications, write=_number, **_bounds(Experiment, "replications"),
        help="Independent runs: more give narrower intervals and take longer.")
    add(key="experiment.seed", group=run, label="Random seed", kind="number", integer=True,
        default=scenario.experiment.seed, write=_number, **_bounds(Experiment, "seed"),
        help="The same seed gives the same numbers, here and with capsim run.")

    for team in scenario.workforce:
        group, base = f"Team: {team.team}", f"workforce.{team.team}"
        add(key=f"{base}.headcount", group=group, label=LABELS["headcount"], kind="number", integer=True,
            unit="analysts", default=team.headcount, write=_number, **_bounds(Team, "headcount"))
        add(key=f"{base}.roster.hours_per_day", group=group, label=LABELS["hours_per_day"], kind="number",
            unit="hours a day", default=team.roster.hours_per_day, write=_number, **_bounds(Roster, "hours_per_day"))
        add(key=f"{base}.roster.days", group=group, label=LABELS["days"], kind="days", default=list(team.roster.days),
            write=lambda days: "[" + ", ".join(days) + "]")
        add(key=f"{base}.roster.start", group=group, label=LABELS["start"], kind="text", unit="HH:MM",
            default=team.roster.start, write=lambda text: f'"{text}"')
        add(key=f"{base}.exposure_cap", group=group, label=LABELS["exposure_cap"], kind="number", unit="hours a day",
            default=_cap_hours(team.exposure_cap), write=_daily_cap, low=0.0, high=24.0,
            help="Hours of review a day per analyst; leave empty for no cap.")
        add(key=f"{base}.shrinkage", group=group, label=LABELS["shrinkage"], kind="number", unit="%",
            default=_round(100 * team.shrinkage), write=_percent, **_bounds(Team, "shrinkage", 100, 0.1))

    for stream in scenario.demand:
        group, base = f"Demand: {stream.stream} ({stream.unit}s)", f"demand.{stream.stream}"
        if stream.rate is not None:
            add(key=f"{base}.rate", group=group, label="Volume at the start", kind="number",
                unit=f"{stream.unit}s a year", default=_round(stream.rate * units.SECONDS_PER_YEAR),
                write=_suffix("/year"), low=0.0, high=1e9 * 365.25)
        add(key=f"{base}.growth", group=group, label="Growth", kind="choice", options=GROWTH_CHOICES,
            default=_growth_choice(stream), write=_growth,
            help="low / central / high: the doubling times fitted to the IWF's AI-generated reports "
            "(2023 to 2024); or your own yearly growth.")
        add(id=f"{base}.growth@percent", key=f"{base}.growth", group=group, label="Your own growth", kind="number",
            unit="% a year", default=_growth_percent(stream), start=30.0, write=own_growth, low=-99.0, high=10_000.0,
            shown_for=(f"{base}.growth", OWN_GROWTH))

    for unit in sorted({s.unit for s in scenario.demand} & set(scenario.review)):
        add(key=f"review.{unit}.mean", group="Review time", label=f"Time to review one {unit}", kind="number",
            unit="seconds", default=_round(scenario.review[unit].mean_seconds), write=_suffix("s"), low=0.001,
            high=None, help="Mean time a person takes per item, before any tool changes it.")

    for tool, settings in TOOL_SETTINGS.items():
        section = getattr(scenario.tooling, tool)
        group, base = "Tools", f"tooling.{tool}"
        model = type(section)
        add(key=f"{base}.enabled", group=group, label=tool.replace("_", " ").capitalize(), kind="switch",
            default=section.enabled, write=lambda on: "true" if on else "false",
            help=model.__doc__.strip().splitlines()[0] if model.__doc__ else "")
        starts = {} if section.enabled else tool_starts(scenario, tool)
        for name in settings:
            add(key=f"{base}.{name}", group=group, label=LABELS[name], enabled_by=f"{base}.enabled",
                default=shown_setting(name, getattr(section, name)),
                **{**_setting_widget(scenario, model, name), **starts.get(name, {})})
        add(key=f"{base}.annual_cost", group=group, label="Tool's cost a year", kind="number",
            unit=scenario.costs.currency, default=section.annual_cost, write=_number, enabled_by=f"{base}.enabled",
            low=0.0, high=None)

    slas = {sla.priority: sla for sla in scenario.sla}
    for priority in scenario.priorities:  # a service level may be set for any priority, or removed
        sla, group, base = slas.get(priority), "Service levels", f"sla.{priority}"
        add(key=base, group=group, label=f"A deadline for '{priority}' priority", kind="switch",
            default=sla is not None, write=None, source="scenario" if sla else "none in the scenario",
            help=f"Items wait in queues by priority, served first to last: {', '.join(scenario.priorities)}. "
            "A deadline (service level) says how soon a share of the items of one priority must be assessed.")
        add(key=f"{base}.within", group=group, label=f"'{priority}': assessed within", kind="number", unit="hours",
            default=None if sla is None else _round(sla.within / units.SECONDS_PER_HOUR), start=SLA_START[0],
            **({} if sla else {"source": NEW_SLA}),
            write=_suffix("h"), low=0.0, high=None, enabled_by=base)
        add(key=f"{base}.target", group=group, label=f"'{priority}': share to meet it", kind="number", unit="%",
            default=None if sla is None else _round(100 * sla.target), start=SLA_START[1], write=_percent,
            **({} if sla else {"source": NEW_SLA}),
            enabled_by=base, **_bounds(SLA, "target", 100))

    add(key="costs.currency", group="Money", label="Currency", kind="text", unit="ISO 4217 code",
        default=scenario.costs.currency, write=lambda text: str(text))
    for name, cost in scenario.costs.teams.items():
        add(key=f"costs.teams.{name}.annual_cost", group="Money", label=f"{LABELS['annual_cost']} ({name})",
            kind="number", unit=f"{scenario.costs.currency} a year", default=cost.annual_cost, write=_number,
            low=0.0, high=None, help="Salary and on-costs of one full-time analyst.")
    return out


def shown_setting(name: str, value: Any) -> Any:
    """A tool's setting ``name`` as the page shows it: shares in percent, an exposure cap in hours a day."""
    if name == "exposure_cap":
        return _cap_hours(value)
    if value is None or name in CHOICE_FIELDS:
        return value
    return _round(100 * value if name in PERCENT_FIELDS else value)


def _setting_widget(scenario: Scenario, model: type[BaseModel], name: str) -> dict[str, Any]:
    """How the page shows and writes a tool's setting ``name``: widget, unit, range, help."""
    if name in CHOICE_FIELDS:
        return {"kind": "choice", "options": tuple(scenario.priorities), "write": str,
                "help": "The priority its items wait at. A service level applies to the items of its priority: "
                f"the scenario's priorities, served first to last, are {', '.join(scenario.priorities)}."}
    if name == "exposure_cap":
        return {"kind": "number", "unit": "hours a day", "write": _daily_cap, "low": 0.0, "high": 24.0,
                "help": "Hours of review a day per analyst with the tooling, in place of each team's own cap; "
                "leave empty to keep the teams' caps."}
    percent = name in PERCENT_FIELDS
    return {"kind": "number", "unit": "%" if percent else "×", "write": _percent if percent else _number,
            "help": model.model_fields[name].description or "", **_bounds(model, name, 100 if percent else 1)}


def tool_starts(scenario: Scenario, tool: str) -> dict[str, dict[str, Any]]:
    """For ``tool``, off in ``scenario``: by setting name, the ``assumed`` value and ``source`` of each
    setting that starts at its bundled scenario's assumption when switched on (:data:`TOOL_SCENARIOS`).
    Settings the scenario writes itself, equal to the assumption, or (a queue) naming a priority the
    scenario lacks are left out; so is every setting of a tool with no bundled scenario."""
    if tool not in TOOL_SCENARIOS:
        return {}
    section, sources, raw = bundled_tool(tool)
    own = getattr(scenario.tooling, tool)
    written = _written(scenario.source, ("tooling", tool))
    out = {}
    for name in TOOL_SETTINGS[tool]:
        value = shown_setting(name, getattr(section, name))
        if name in written or value == shown_setting(name, getattr(own, name)) or \
                (name in CHOICE_FIELDS and value not in scenario.priorities):
            continue
        out[name] = {"assumed": value, "source": f"{sources[name]}, as in scenarios/{TOOL_SCENARIOS[tool]}.yaml"}
        if isinstance(raw.get(name), dict):  # a figure: written as the figure, so the scenario keeps its source
            out[name]["write"] = _kept_figure(_setting_widget(scenario, type(own), name)["write"], value, raw[name])
    return out


def _kept_figure(write: Callable[[Any], str], assumed: Any, figure: dict) -> Callable[[Any], str]:
    """``write``, but the ``assumed`` value written as the ``figure`` reference it comes from."""
    text = yaml.safe_dump(figure, default_flow_style=True, width=math.inf).strip()
    return lambda value: text if value == assumed else write(value)


def _written(source: dict, path: tuple[str, ...]) -> dict:
    """The mapping at ``path`` in a scenario's source, as written ({} where it writes none)."""
    for part in path:
        source = source.get(part) if isinstance(source, dict) else None
    return source if isinstance(source, dict) else {}


@functools.cache
def bundled_tool(tool: str) -> tuple[BaseModel, dict[str, str], dict[str, Any]]:
    """``tool``'s section in its bundled scenario (:data:`TOOL_SCENARIOS`), where each of its settings
    comes from (figure citation or "assumption") and each as the file writes it (a figure as
    ``{figure: id}``), by setting name; read once per process."""
    from capsim import bundled
    from capsim.scenario import load_scenario
    from capsim.web.running import sources

    scenario = load_scenario(bundled.path(TOOL_SCENARIOS[tool]))
    prefix = f"tooling.{tool}."
    cited = {k.removeprefix(prefix): v for k, v in sources(scenario).items() if k.startswith(prefix)}
    return getattr(scenario.tooling, tool), cited, _written(scenario.source, ("tooling", tool))


def overrides(inputs: Iterable[Input], values: dict[str, Any]) -> list[str]:
    """``--set`` strings for the inputs whose value (``values`` by input id) differs from the
    scenario's; an input whose switch (``enabled_by``) is off, or whose choice (``shown_for``) is
    not made, writes nothing."""
    inputs = list(inputs)
    by_id = {i.id: i for i in inputs}
    out: dict[str, str] = {}
    whole = sla_list(inputs, values)
    if whole is not None:
        out["sla"] = whole
    for inp in inputs:
        value = values.get(inp.id, inp.initial)
        if whole is not None and inp.key.startswith("sla."):
            continue  # the whole list holds every service level's values
        if inp.enabled_by is not None and not values.get(inp.enabled_by, by_id[inp.enabled_by].initial):
            continue
        if inp.shown_for is not None:
            if values.get(inp.shown_for[0], by_id[inp.shown_for[0]].initial) != inp.shown_for[1]:
                continue
            out[inp.key] = f"{inp.key}={inp.write(value)}"  # the chosen "your own" always writes
            continue
        if value == inp.default or (inp.kind == "choice" and value in ("as in the scenario", OWN_GROWTH)):
            continue
        out[inp.key] = f"{inp.key}={inp.write(value)}"
    return list(out.values())


def sla_list(inputs: Iterable[Input], values: dict[str, Any]) -> str | None:
    """``sla=[...]`` with every service level switched on, where the priorities that have one
    differ from the scenario's (a ``--set`` cannot add or remove one list element); else None."""
    inputs = list(inputs)
    switches = [i for i in inputs if i.write is None]
    if all(values.get(i.id, i.initial) == i.default for i in switches):
        return None
    by_id = {i.id: i for i in inputs}

    def text(inp: Input) -> str:
        return inp.write(values.get(inp.id, inp.initial))

    items = [f"{{priority: {i.key.split('.')[1]}, within: {text(by_id[i.id + '.within'])}, "
             f"target: {text(by_id[i.id + '.target'])}}}" for i in switches if values.get(i.id, i.initial)]
    return "sla=[" + ", ".join(items) + "]"
