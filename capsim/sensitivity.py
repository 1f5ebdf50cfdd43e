"""One-at-a-time sensitivity: how much each input moves a metric.

Each chosen parameter is set in turn to ``value × (1 − swing)`` and ``value × (1 + swing)``
or, for an uncertain input the scenario declares (:mod:`capsim.uncertain_inputs`), to the ends
of its declared central 95% (:func:`declared_range`: the range ``capsim uncertainty`` samples,
so the two rankings are of the same ranges; an input written at several keys is moved here one
key at a time, there at all its keys together), everything else held at the scenario's values, and
the scenario is run at both under the *same seed* as the unchanged (base) run. With common
random numbers the replications of every run see the same arrivals and review-time draws wherever the change allows, so
the difference between the low and the high run is the parameter's doing, not the luck of
the draw — and a parameter that cannot matter (a tool that is switched off, a time-to-live
that never binds) shows an effect of exactly zero.

Parameters are dotted keys as ``--set`` takes them; a list element may be named
(``workforce.analysts.headcount``, ``demand.reports.rate``). Values keep their unit:
``90s`` becomes ``72s`` and ``108s``, ``424047/year`` becomes ``339237.6/year`` and
``508856.4/year``; a value the file did not write (a default) is written per second, or as a
duration in the largest unit that keeps it readable (:func:`capsim.units.format_duration`:
``167.524d``); a declared uncertain input in the unit its distribution is written in
(``125.891d``; a growth a year in percent, ``17.8905%``). Whole numbers (headcount) are rounded,
shares are kept within [0, 1], shrinkage below 1 and daily exposure caps within 24 h.

The table (``sensitivity.csv``) has one row per parameter, largest effect first:
``parameter``, ``base_value``, ``low_value``, ``high_value`` (as written), ``metric``, the
metric's mean and 95% CI in the base, low and high runs, ``effect`` = high − low with the
95% CI of the paired per-replication difference, ``swing``, ``seed``, ``replications``,
``varied_over``: ``±20%`` (the swing) or ``declared 95%`` (the input's declared range), and
``low_clipped``, ``high_clipped``: whether that end of a ``±20%`` swing lies outside the values the
parameter allows, so that it runs at the nearest allowed one instead (a hash match rate of 1 raised
by 20% stays 1: :meth:`Setting.clipped`).

Why it is one module (over 400 lines): locating a key in the scenario, scaling it in
its own unit and running the low and high scenarios are one pipeline, and
:func:`order_by_effect` ranks its table for the report and the tornado chart
(:func:`tied_with_first`: which effects its intervals cannot tell apart from the largest).
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import annotated_types
import pandas as pd
from pydantic import BaseModel, BeforeValidator

from capsim import units
from capsim.uncertain_inputs import Unknown, unknowns
from capsim.uncertainty import LEVEL
from capsim.metrics import metric_names, metric_range
from capsim.results import mean_ci
from capsim.scenario import (
    NAME_KEYS,
    Scenario,
    ScenarioError,
    apply_overrides,
    load_scenario,
    resolve_figures,
    resolve_raw,
    step_into,
)
"""Keys that name a list element, as in ``--set``."""

COLUMNS = [
    "parameter", "base_value", "low_value", "high_value", "metric",
    "base_mean", "base_ci_low", "base_ci_high",
    "low_mean", "low_ci_low", "low_ci_high",
    "high_mean", "high_ci_low", "high_ci_high",
    "effect", "effect_ci_low", "effect_ci_high",
    "swing", "seed", "replications", "varied_over", "low_clipped", "high_clipped",
]
"""Columns of the sensitivity table, in order."""

DECLARED = "declared 95%"
"""``varied_over`` of a parameter run at the ends of its declared uncertain range (:func:`declared_range`)."""

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_WITH_UNIT = re.compile(rf"^\s*({_NUMBER})\s*(\S.*?)\s*$")


@dataclass(frozen=True)
class Setting:
    """One scalable parameter of a scenario.

    ``value`` is the validated number (seconds, per second, a count or a share);
    ``written`` the value as the resolved scenario file writes it (``"90s"``,
    ``"424047.0/year"``, ``13``), or None where the file leaves it to its default;
    ``kind`` is ``rate``, ``duration``, ``daily_cap`` or ``number``; ``integer`` says
    whether it must stay whole; ``lower``/``upper`` bound it (``upper_open`` if the upper
    bound itself is not allowed).
    """

    key: str
    value: float
    written: Any
    kind: str
    integer: bool
    lower: float | None
    upper: float | None
    upper_open: bool = False
    set_key: str = ""
    """The key ``--set`` changes: ``key`` itself, or the short form that writes it (``ttl: 30d``)."""

    def scaled(self, factor: float) -> Any:
        """The value × ``factor``, bounded, written as ``--set`` takes it (with its unit)."""
        if isinstance(self.written, str):
            match = _WITH_UNIT.match(self.written)
            if match:
                number = self._bounded(float(match.group(1)) * factor, per_unit=self.value / float(match.group(1))
                                       if float(match.group(1)) else None)
                return f"{_num(number)}{match.group(2)}"
        value = self._bounded(self.value * factor)
        if self.kind == "rate":
            return f"{_num(value)}/s"
        if self.kind == "duration":
            return units.format_duration(value)
        if self.kind == "daily_cap":
            return f"{_num(value / units.SECONDS_PER_HOUR)}h/day"
        return int(value) if self.integer else float(_num(value))

    def clipped(self, factor: float) -> bool:
        """Whether the value × ``factor`` lies outside the values the setting allows (its bounds; a
        daily cap's 24 h), so that :meth:`scaled` gives the nearest allowed value instead (rounding a
        whole number is not clipping)."""
        number = float(round(self.value * factor)) if self.integer else self.value * factor
        return self._bounded(number) != number

    def _bounded(self, number: float, per_unit: float | None = None) -> float:
        """``number`` (in the written unit, ``per_unit`` validated units each) within the bounds."""
        scale = per_unit or 1.0
        if self.integer:
            number = float(round(number))
        if self.lower is not None:
            number = max(number, self.lower / scale)
        if self.kind == "daily_cap":
            number = min(number, units.SECONDS_PER_DAY / scale)
        if self.upper is not None:
            top = self.upper / scale
            if self.upper_open and number >= top:
                number = top - 1e-3 * (abs(top) or 1.0)
            number = min(number, top)
        return number


def declared_range(unknown: Unknown, key: str) -> tuple[str, str, str]:
    """The central value (the median: what the base run uses) and the ends of the central
    :data:`~capsim.uncertainty.LEVEL` (95%) of an uncertain input's declared distribution, as
    ``--set`` takes them at ``key``, in the unit its distribution is written in
    (:meth:`~capsim.uncertain_inputs.Uncertain.unit`: ``209.4d``; a growth a year in percent)."""
    unit, size = unknown.spec.unit(key)
    suffix = "%" if unit.startswith("%") else unit

    def text(value: float) -> str:
        return f"{_num(value / size)}{suffix}"

    return (text(unknown.central()), text(unknown.value((1 - LEVEL) / 2)), text(unknown.value((1 + LEVEL) / 2)))


def _num(x: float) -> str:
    """Plain text for a number, to six significant figures (no exponent for everyday sizes)."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    text = f"{x:.6g}"
    return text if "e" not in text else f"{x:.6f}".rstrip("0").rstrip(".")


# --------------------------------------------------------------------------- locating a key


def _describe_list(node: list) -> str:
    names = [str(next(getattr(e, k) for k in NAME_KEYS if getattr(e, k, None) is not None))
             for e in node if isinstance(e, BaseModel) and any(getattr(e, k, None) is not None for k in NAME_KEYS)]
    return ", ".join(names) if names else f"0 to {len(node) - 1}"


def _fields(model: BaseModel) -> dict[str, str]:
    """Key as written in a file (alias, if any) → attribute name."""
    return {(f.alias or name): name for name, f in type(model).model_fields.items()}


def _step(node: Any, part: str, key: str, name: str) -> Any:
    where = f"{name}: --params {key}"
    if isinstance(node, list):
        if part.isdigit() and int(part) < len(node):
            return node[int(part)]
        for element in node:
            if any(getattr(element, k, None) == part for k in NAME_KEYS):
                return element
        raise ScenarioError(f"{where}: no element {part!r} here; use an index or one of {_describe_list(node)}")
    if isinstance(node, dict):
        if part in node:
            return node[part]
        raise ScenarioError(f"{where}: no key {part!r} here; keys are {', '.join(map(str, node)) or 'none'}")
    if isinstance(node, BaseModel):
        fields = _fields(node)
        if part in fields:
            return getattr(node, fields[part])
        raise ScenarioError(f"{where}: no key {part!r} here; keys are {', '.join(fields)}")
    raise ScenarioError(f"{where}: {part!r} is below a plain value, which has no keys")


def _source_at(source: Any, parts: list[str]) -> tuple[Any, int]:
    """The value at ``parts`` in the resolved source mapping, and how many parts led to it.

    Returns (None, n) where the file does not write the key, and (value, i) with i < n
    where it writes a plain value part-way down (a short form such as ``ttl: 30d``).
    """
    node = source
    for i, part in enumerate(parts):
        if not isinstance(node, (dict, list)) or (isinstance(node, dict) and "figure" in node):
            return node, i
        node = step_into(node, part)[1]
        if node is None:
            return None, len(parts)
    return node, len(parts)


_PARSERS = {"duration": units.parse_duration, "rate": units.parse_rate, "daily_cap": units.parse_daily_cap}


def _annotation_metadata(annotation: Any) -> list[Any]:
    """Metadata of every ``Annotated`` inside a type annotation (through Optional, Union)."""
    found = []
    if typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        found += list(args[1:])
        found += _annotation_metadata(args[0])
    else:
        for arg in typing.get_args(annotation) or ():
            found += _annotation_metadata(arg)
    return found


def _validator_names(item: Any) -> set[str]:
    func = getattr(item, "func", None)
    if func is None:
        return set()
    names = set(getattr(getattr(func, "__code__", None), "co_names", ()))
    for cell in getattr(func, "__closure__", None) or ():
        names.add(getattr(cell.cell_contents, "__name__", ""))
    return names


def _kind_and_bounds(model: BaseModel, attribute: str) -> tuple[str, bool, float | None, float | None, bool]:
    field = type(model).model_fields[attribute]
    metadata = list(field.metadata) + _annotation_metadata(field.annotation)
    names: set[str] = set()
    lower = upper = None
    upper_open = False
    for item in metadata:
        if isinstance(item, BeforeValidator):
            names |= _validator_names(item)
        for constraint in getattr(item, "metadata", [item]):  # FieldInfo inside Annotated holds its own
            if isinstance(constraint, (annotated_types.Ge, annotated_types.Gt)):
                bound = float(getattr(constraint, "ge", getattr(constraint, "gt", 0)))
                lower = bound if lower is None else max(lower, bound)
            if isinstance(constraint, annotated_types.Le):
                upper = float(constraint.le) if upper is None else min(upper, float(constraint.le))
            if isinstance(constraint, annotated_types.Lt):
                upper, upper_open = float(constraint.lt), True
    kind = "number"
    if "parse_rate" in names:
        kind = "rate"
    elif "parse_daily_cap" in names and attribute != "hours_per_day":
        kind = "daily_cap"
    elif "parse_duration" in names:
        kind = "duration"
    inner = [a for a in (typing.get_args(field.annotation) or (field.annotation,)) if a is not type(None)]
    integer = all(a is int for a in inner)
    return kind, integer, lower, upper, upper_open


def locate(scenario: Scenario, key: str) -> Setting:
    """The parameter at dotted ``key`` of ``scenario``, ready to scale.

    Raises :class:`ScenarioError` naming the key if it does not exist or is not a number.
    """
    parts = [p.strip() for p in key.strip().split(".")]
    if not key.strip() or not all(parts):
        raise ScenarioError(f"{scenario.name}: --params {key!r}: write a dotted key, e.g. workforce.analysts.headcount")
    node: Any = scenario
    parent: Any = None
    for part in parts:
        parent = node
        node = _step(node, part, key, scenario.name)
    if not isinstance(parent, BaseModel):
        raise ScenarioError(f"{scenario.name}: --params {key}: not a single setting that can be scaled")
    attribute = _fields(parent)[parts[-1]]
    if isinstance(node, bool) or not isinstance(node, (int, float)):
        shown = "not set" if node is None else f"{node!r}, not a number"
        raise ScenarioError(f"{scenario.name}: --params {key}: {shown}, so it cannot be scaled")
    kind, integer, lower, upper, upper_open = _kind_and_bounds(parent, attribute)
    written, depth = _source_at(scenario.source, parts)
    set_key = key.strip()
    if written is not None:
        written = resolve_figures(written, key, [])
    if written is not None and depth < len(parts):
        # a short form (ttl: 30d) writes this value one level up: vary it there, if it is the same number
        try:
            same = _PARSERS.get(kind, float)(written) == float(node)
        except (units.UnitError, TypeError, ValueError):
            same = False
        if not same:
            raise ScenarioError(f"{scenario.name}: --params {key}: the scenario writes {'.'.join(parts[:depth])} "
                                f"in short form ({written!r}); write it out in full to vary {parts[-1]}")
        set_key = ".".join(parts[:depth])
    if isinstance(written, (bool, dict, list)):
        written = None
    if integer and isinstance(written, float) and written.is_integer():
        written = int(written)
    return Setting(key.strip(), float(node), written, kind, integer, lower, upper, upper_open, set_key)


def default_parameters(scenario: Scenario) -> list[str]:
    """The parameters scaled when none are named: each stream's rate and growth (doubling
    time where exponential, yearly increase where linear), each review mean in use, each
    team's headcount, shrinkage and exposure cap (where set), and the hash-matching rate if
    hashing is on. Parameters at zero are left out: scaling zero changes nothing."""
    keys: list[str] = []
    for s in scenario.demand:
        if s.rate:
            keys.append(f"demand.{s.stream}.rate")
        model = getattr(s.growth, "model", "none")
        if model == "exponential":  # the rate as written: a doubling time or a growth per year
            written = "per_year" if s.growth.per_year is not None else "doubling_time"
            keys.append(f"demand.{s.stream}.growth.{written}")
        elif model == "linear" and s.growth.increase_per_year:
            keys.append(f"demand.{s.stream}.growth.increase_per_year")
    used_units = list(dict.fromkeys(s.unit for s in scenario.demand))
    for unit in used_units:
        review = scenario.review.get(unit)
        if review is not None and review.mean is not None:
            keys.append(f"review.{unit}.mean")
    for t in scenario.workforce:
        keys.append(f"workforce.{t.team}.headcount")
        if t.shrinkage:
            keys.append(f"workforce.{t.team}.shrinkage")
        if t.exposure_cap is not None:
            keys.append(f"workforce.{t.team}.exposure_cap")
    hashing = scenario.tooling.hash_matching
    if hashing.enabled:
        keys.append("tooling.hash_matching.match_rate")
    return keys


def default_metric(scenario: Scenario) -> str:
    """The metric a sensitivity analysis reports by default: the first SLA's attainment,
    else the mean wait."""
    return f"sla_{scenario.sla[0].priority}" if scenario.sla else "wait_mean"


# --------------------------------------------------------------------------- the analysis


def _base(scenario: str | Path | Scenario, overrides: Sequence[str]) -> tuple[dict, Scenario]:
    """The resolved source mapping (overrides applied) and the validated base scenario."""
    if isinstance(scenario, Scenario):
        raw = scenario.source
        if overrides:
            raw = apply_overrides(raw, list(overrides), scenario.name)
    else:
        raw, origin = resolve_raw(scenario)
        raw = apply_overrides(raw, list(overrides), origin)
    return raw, load_scenario(raw)


def sensitivity(
    scenario: str | Path | Scenario,
    params: Sequence[str] | None = None,
    swing: float = 0.2,
    metric: str | None = None,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    overrides: Sequence[str] = (),
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivity of ``metric`` to ``params`` at ±``swing`` (a share, 0.2 = ±20%).

    Every run (base, and each parameter low and high) uses the same seed and replications:
    common random numbers. ``progress(done, total)`` is called after each run. Returns the
    table described in the module docstring, largest absolute effect first (zero and
    undefined effects last). Raises :class:`ScenarioError` for an unknown key or metric.
    """
    from capsim.experiment import simulate

    if not 0 < swing < 1:
        raise ScenarioError(f"--swing {swing:g}: give a share between 0 and 1, e.g. 0.2 for ±20%")
    raw, base = _base(scenario, overrides)
    metric = metric or default_metric(base)
    known = metric_names(base)
    if metric not in known:
        raise ScenarioError(f"{base.name}: --metric {metric!r}: no such metric; metrics are {', '.join(known)}")
    params = list(params) if params else default_parameters(base)
    if not params:
        raise ScenarioError(f"{base.name}: no parameter to vary: name some with --params")
    settings = [locate(base, key) for key in params]  # every key checked before anything runs
    seed = base.experiment.seed if seed is None else seed
    replications = base.experiment.replications if replications is None else replications

    declared = {key: u for u in unknowns(base.uncertain) for key in u.keys}
    ranges = {s.key: declared_range(declared[s.key], s.key) for s in settings if s.key in declared}
    plans = [(s, *(ranges[s.key][1:] if s.key in ranges else (s.scaled(1 - swing), s.scaled(1 + swing))))
             for s in settings]
    scenarios: dict[str, Scenario] = {base.digest(): base}
    runs: list[tuple[Scenario, ...]] = []
    for s, low, high in plans:
        pair = []
        for value in (low, high):
            try:
                changed = load_scenario(raw, [f"{s.set_key or s.key}={value}"])
            except ScenarioError as err:
                raise ScenarioError(f"{base.name}: --params {s.key}: the value {value} is not allowed: {err}") from None
            pair.append(scenarios.setdefault(changed.digest(), changed))
        runs.append(tuple(pair))
    results: dict[str, pd.DataFrame] = {}
    total = len(scenarios)
    for done, (digest, sc) in enumerate(scenarios.items(), start=1):  # each distinct scenario runs once
        results[digest] = simulate(sc, replications, seed, workers, periods=None).per_replication.set_index(
            "replication")[metric]  # the whole run's metric only: no per-year results
        if progress:
            progress(done, total)

    base_values = results[base.digest()].to_numpy(dtype=float)
    base_mean, base_low, base_high = mean_ci(base_values, bounds=metric_range(metric))
    rows = []
    for (s, low, high), (low_sc, high_sc) in zip(plans, runs):
        lo = results[low_sc.digest()]
        hi = results[high_sc.digest()]
        lm, ll, lh = mean_ci(lo.to_numpy(dtype=float), bounds=metric_range(metric))
        hm, hl, hh = mean_ci(hi.to_numpy(dtype=float), bounds=metric_range(metric))
        effect = hm - lm if math.isfinite(hm) and math.isfinite(lm) else float("nan")
        _, el, eh = mean_ci((hi - lo).to_numpy(dtype=float))
        written = ranges[s.key][0] if s.key in ranges else _written(s)
        swung = s.key not in ranges
        rows.append([s.key, str(written), str(low), str(high), metric, base_mean, base_low, base_high,
                     lm, ll, lh, hm, hl, hh, effect, el, eh, swing, seed, replications,
                     f"±{100 * swing:g}%" if swung else DECLARED,
                     swung and s.clipped(1 - swing), swung and s.clipped(1 + swing)])
    return order_by_effect(pd.DataFrame(rows, columns=COLUMNS))


def order_by_effect(sensitivity: pd.DataFrame) -> pd.DataFrame:
    """Rows by decreasing absolute effect (high − low); zero and undefined effects last, in
    their original order."""
    key = sensitivity["effect"].abs().fillna(-1.0)
    return sensitivity.assign(_key=-key).sort_values("_key", kind="mergesort").drop(columns="_key").reset_index(drop=True)


def tied_with_first(sensitivity: pd.DataFrame) -> pd.DataFrame:
    """The rows of a table in :func:`order_by_effect`'s order whose effect cannot be told from the
    largest by the 95% CIs the table gives (``effect_ci_low``, ``effect_ci_high``: the paired
    per-replication difference's): the first row, and each other whose CI of the effect's size
    |high − low| reaches the first's (the two overlap) and whose own effect is clear (its CI does not
    reach 0: an input that may not move the metric at all is not one it depends on). The first alone
    where its CI is not known (one replication)."""
    low, high = sensitivity.effect_ci_low, sensitivity.effect_ci_high
    ends = pd.concat([low.abs(), high.abs()], axis=1)
    upper = ends.max(axis=1, skipna=False)  # each CI of a size: its upper end, and its lower (0 if it spans 0)
    clear = (low > 0) | (high < 0)
    lower = ends.min(axis=1).where(clear, 0.0)
    if sensitivity.empty or not math.isfinite(upper.iloc[0]):
        return sensitivity.iloc[:1]
    tied = (upper.fillna(-1.0) >= lower.iloc[0]) & clear
    tied.iloc[0] = True
    return sensitivity[tied]


def _written(s: Setting) -> Any:
    if s.written is not None:
        return s.written
    return s.scaled(1.0)
