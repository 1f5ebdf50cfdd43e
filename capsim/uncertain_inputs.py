"""Uncertain inputs: a number of a scenario given as a distribution over what it may be.

Any number of a scenario file may be written as a distribution instead of a value, with the
source of its range::

    doubling_time: {uncertain: {dist: lognormal, low: 150d, high: 400d, source: "IWF 2023-2025 fit"}}

Distributions and their parameters (one parametrisation each, lognormal two):

============ ================================================ ==================================
dist         parameters                                       use
============ ================================================ ==================================
uniform      ``low``, ``high``                                nothing known but a range
triangular   ``low``, ``mode``, ``high``                      a range and a most likely value
lognormal    ``low``, ``high`` (its central 95%), or          positive quantities known within
             ``mean``, ``cv``                                 a factor (times, rates, growth)
normal       ``mean``, ``sd``                                 symmetric errors
beta         ``alpha``, ``beta``                              shares between 0 and 1
============ ================================================ ==================================

Quantities keep their units (``150d``, ``370/day``, ``90s``); a percentage (``4%``) is the share
it names (0.04); ``cv``, ``alpha`` and ``beta`` are plain numbers. A distribution's **central
value** is its median: an ordinary run uses it, so a scenario with uncertain inputs runs as
before; :mod:`capsim.uncertainty` samples over them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from capsim import units
from capsim.named_lists import key_part

KEY = "uncertain"
"""The one key of a mapping that stands for an uncertain number."""

PARAMETERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "uniform": (("low", "high"),),
    "triangular": (("low", "mode", "high"),),
    "lognormal": (("low", "high"), ("mean", "cv")),
    "normal": (("mean", "sd"),),
    "beta": (("alpha", "beta"),),
}
"""Each distribution's accepted sets of parameters."""

_PLAIN = {"cv", "alpha", "beta"}
"""Parameters that are plain numbers, never quantities with a unit."""

GROWTH_A_YEAR = ("per_year", "increase_per_year")
"""The last parts of the keys of a growth a year: a plain share (0.2255) that a reader reads as a
percentage a year (22.55% a year)."""

Z95 = 1.959963984540054  # the standard normal's 97.5% quantile (scipy.stats.norm.ppf(0.975))


class UncertainError(ValueError):
    """An ``uncertain:`` value that cannot be used; the message names the key and what is allowed."""


def _magnitude(value: Any) -> tuple[float, str]:
    """A parameter as a number in SI units and its kind: ``""`` (plain; a percentage such as
    ``"4%"`` is the share 0.04), ``"duration"`` (seconds) or ``"rate"`` (per second)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        return float(value), ""
    text = str(value)
    for kind, parse in (("duration", units.parse_duration), ("rate", units.parse_rate)):
        try:
            return parse(text), kind
        except units.UnitError:
            continue
    try:
        return (float(text[:-1]) / 100, "") if text.endswith("%") else (float(text), "")
    except ValueError:
        raise ValueError(f"{value!r} is neither a number, a percentage (e.g. 4%), a duration (e.g. 90s, 150d) nor a "
                         "rate (e.g. 370/day)") from None


def _short(value: Any) -> str:
    """A parameter as written, its numbers to 4 significant figures (``125.89107d`` → ``125.9d``)."""
    return re.sub(r"\d+\.\d{4,}(?:e[-+]?\d+)?", lambda m: f"{float(m.group()):.4g}", str(value))


class Uncertain(BaseModel):
    """A distribution over one number, and where its range comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dist: Literal["uniform", "triangular", "lognormal", "normal", "beta"] = Field(
        description="uniform (low, high); triangular (low, mode, high); lognormal (low, high as its central 95%, "
        "or mean, cv); normal (mean, sd); beta (alpha, beta) for shares")
    low: float | str | None = Field(None, description="lower end (uniform, triangular), or 2.5th percentile (lognormal)")
    high: float | str | None = Field(None, description="upper end (uniform, triangular), or 97.5th percentile (lognormal)")
    mode: float | str | None = Field(None, description="most likely value (triangular)")
    mean: float | str | None = Field(None, description="mean (normal, lognormal)")
    sd: float | str | None = Field(None, description="standard deviation (normal)")
    cv: float | None = Field(None, description="coefficient of variation (lognormal)")
    alpha: float | None = Field(None, description="first shape parameter (beta)")
    beta: float | None = Field(None, description="second shape parameter (beta)")
    source: str = Field(min_length=1, description="where the range comes from (a figure id, a fit, or 'assumption: ...')")
    name: str | None = Field(None, min_length=1, description="a name for the unknown: numbers written with the same "
                             "name and distribution are one unknown, sampled once (e.g. one growth rate for two streams)")

    @model_validator(mode="after")
    def _parameters(self) -> "Uncertain":
        given = tuple(k for k in ("low", "high", "mode", "mean", "sd", "cv", "alpha", "beta") if getattr(self, k) is not None)
        options = PARAMETERS[self.dist]
        if set(given) not in [set(o) for o in options]:
            allowed = " or ".join(", ".join(o) for o in options)
            raise ValueError(f"dist {self.dist} takes {allowed}; got {', '.join(given) or 'none'}")
        kinds = {_magnitude(getattr(self, k))[1] for k in given if k not in _PLAIN}
        if len(kinds) > 1:
            raise ValueError("the parameters mix units: write them all as durations (e.g. 150d) or all as rates "
                             "(e.g. 370/day) or all as plain numbers")
        self._shape()  # checks the values themselves
        return self

    @property
    def kind(self) -> str:
        """``""`` (a plain number), ``"duration"`` or ``"rate"``: how a sampled value is written back."""
        return next((_magnitude(getattr(self, k))[1] for k in ("low", "mean", "mode") if getattr(self, k) is not None), "")

    def _number(self, key: str) -> float:
        return _magnitude(getattr(self, key))[0]

    def _shape(self) -> tuple[float, float, float]:
        """The distribution as scipy.stats parametrises it, in SI units (seconds, per second):
        ``(shape, loc, scale)`` (shape: triangular's ``c``, lognormal's ``s``; else unused); raises
        ValueError on values it cannot take. No scipy here: scenarios load on every command."""
        p = self._number
        if self.dist == "uniform":
            if not p("low") < p("high"):
                raise ValueError("low must be below high")
            return 0.0, p("low"), p("high") - p("low")
        if self.dist == "triangular":
            low, mode, high = p("low"), p("mode"), p("high")
            if not (low <= mode <= high and low < high):
                raise ValueError("triangular needs low <= mode <= high, with low below high")
            return (mode - low) / (high - low), low, high - low
        if self.dist == "normal":
            if not p("sd") > 0:
                raise ValueError("sd must be above zero")
            return 0.0, p("mean"), p("sd")
        if self.dist == "beta":
            if not (self.alpha > 0 and self.beta > 0):
                raise ValueError("alpha and beta must be above zero")
            return 0.0, 0.0, 1.0
        if self.low is not None:  # lognormal from its central 95%
            low, high = p("low"), p("high")
            if not 0 < low < high:
                raise ValueError("lognormal needs 0 < low < high")
            return math.log(high / low) / (2 * Z95), 0.0, math.sqrt(low * high)
        mean, cv = p("mean"), p("cv")
        if not (mean > 0 and cv > 0):
            raise ValueError("lognormal needs mean and cv above zero")
        sigma = math.sqrt(math.log1p(cv * cv))
        return sigma, 0.0, mean / math.exp(sigma * sigma / 2)

    def frozen(self) -> Any:
        """The distribution as a frozen :mod:`scipy.stats` distribution, in SI units (seconds, per second),
        for sampling. scipy is imported here, not at the top: scenarios load on every command."""
        from scipy import stats

        shape, loc, scale = self._shape()
        if self.dist == "lognormal":
            return stats.lognorm(s=shape, scale=scale)
        if self.dist == "triangular":
            return stats.triang(c=shape, loc=loc, scale=scale)
        if self.dist == "beta":
            return stats.beta(self.alpha, self.beta)
        return {"uniform": stats.uniform, "normal": stats.norm}[self.dist](loc=loc, scale=scale)

    def text(self, value: float) -> str:
        """``value`` (SI units) written as a scenario would write it, in the unit its distribution
        is written in (:meth:`unit`): ``"167.52442647923613d"``, ``"370.25/day"``; a plain number as
        it is: ``"0.3"``. What a sampled parameter set gives its run: the value the run uses is the
        one this text reads back as, ``value`` to within two units in its last place (one division
        here and one multiplication in the reading, each rounded once), so a table of the sets
        shows each input in one unit and the very value each run used."""
        number = float(value)
        if not self.kind:
            return repr(number)
        unit, size = self.unit()
        return f"{number / size!r}{unit}"

    def exact_text(self, value: float) -> str:
        """``value`` (SI units) as a scenario would write it, reading back as these very bits:
        ``"14474110.447806s"``, ``"0.004/s"``, ``"0.3"`` (what an ordinary run gives an uncertain
        input: its median, exactly)."""
        number = repr(float(value))
        return {"duration": f"{number}s", "rate": f"{number}/s"}.get(self.kind, number)

    def unit(self, key: str = "") -> tuple[str, float]:
        """The unit its parameters are written in and its size in SI units: ``("d", 86400.0)`` for
        ``150d``, ``("/day", 1 / 86400)`` for ``370/day``; for a plain number, ``("% a year", 0.01)``
        at the ``key`` of a growth a year (:data:`GROWTH_A_YEAR`: 0.2255 is 22.55% a year),
        ``("%", 0.01)`` when written as a percentage (``4%``), else ``("", 1.0)``."""
        written = str(next(getattr(self, k) for k in ("low", "mean", "mode", "alpha") if getattr(self, k) is not None))
        if not self.kind:
            if key.rsplit(".", 1)[-1] in GROWTH_A_YEAR:
                return "% a year", 0.01
            return ("%", 0.01) if written.strip().endswith("%") else ("", 1.0)
        if self.kind == "duration":
            unit = units._DURATION.match(written).group(2)
            return unit, units.SECONDS[unit.lower()]
        _, per, unit = units._RATE.match(written).groups()  # a rate
        return f"/{per or ''}{unit}", 1 / (float(per or 1) * units.SECONDS[unit.lower()])

    def shown(self, value: float, key: str = "") -> str:
        """``value`` (SI units) for a reader, in the unit of :meth:`unit` at ``key``, to four
        significant figures and never in scientific notation: ``179.1d``, ``370.2/day``, ``0.3123``,
        ``22.55% a year`` (numpy's positional format: this model-layer module cannot use :mod:`capsim.words`)."""
        unit, size = self.unit(key)
        return np.format_float_positional(value / size, precision=4, fractional=False, trim="-") + unit

    def central(self) -> float:
        """The median, in SI units: the value an ordinary run uses; the bits of scipy's
        ``frozen().median()`` (its quantile function at 1/2, times ``scale``, plus ``loc``), worked
        out without importing scipy.stats (a second at start-up)."""
        shape, loc, scale = self._shape()
        if self.dist == "triangular":  # scipy's triang._ppf at q = 0.5
            return (math.sqrt(shape * 0.5) if 0.5 < shape else 1.0 - math.sqrt((1.0 - shape) * 0.5)) * scale + loc
        if self.dist == "beta":
            from scipy.special import betaincinv  # what scipy.stats.beta's quantile function gives

            return float(betaincinv(self.alpha, self.beta, 0.5))
        return {"uniform": 0.5, "normal": 0.0, "lognormal": 1.0}[self.dist] * scale + loc  # ppf(0.5): q, ndtri, exp(0)

    def describe(self, key: str | None = None) -> str:
        """The distribution in one line as written, ``lognormal(low=150d, high=400d)``; or, given the
        ``key`` it sets, for a reader, each quantity in the input's own unit (:meth:`shown`; a spread
        of a percentage in points): ``normal: mean 22.55% a year, sd 2.375 points``."""
        given = [k for k in ("low", "mode", "high", "mean", "sd", "cv", "alpha", "beta") if getattr(self, k) is not None]
        if key is None:
            return f"{self.dist}({', '.join(f'{k}={_short(getattr(self, k))}' for k in given)})"
        unit = self.unit(key)[0]

        def quantity(k: str) -> str:
            if k in _PLAIN:
                return _short(getattr(self, k))
            text = self.shown(self._number(k), key)
            return text.removesuffix(unit) + " points" if k == "sd" and unit.startswith("%") else text

        return f"{self.dist}: {', '.join(f'{k} {quantity(k)}' for k in given)}"


WHOLE_WORDS = ", rounded to a whole number"
"""What a distribution's description adds where its key takes whole numbers only (a headcount)."""


def in_whole_numbers(value: float, whole: bool) -> float:
    """``value`` rounded to the nearest whole number (halves to even) where ``whole``: what an
    uncertain number at a key taking whole numbers only (a headcount) is given, its central value and
    every sampled value alike."""
    return float(round(value)) if whole else value


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain number of a scenario: its dotted key (lists by element name, as ``--set``
    takes it), its distribution, and whether the key takes whole numbers only (``whole``: its
    values are rounded, :func:`in_whole_numbers`)."""

    key: str
    spec: Uncertain
    whole: bool = False

    def describe(self, key: str | None = None) -> str:
        """:meth:`Uncertain.describe`, saying where its values are rounded to whole numbers."""
        return self.spec.describe(key) + (WHOLE_WORDS if self.whole else "")


@dataclass(frozen=True)
class Unknown:
    """One thing we don't know, sampled once: its label (its ``name``, else its key), the keys it
    sets (several when numbers share a name) and its distribution."""

    label: str
    keys: tuple[str, ...]
    spec: Uncertain
    whole: bool = False

    def value(self, quantile: float) -> float:
        """The value at ``quantile`` (0 to 1) of the distribution, in SI units (rounded where its
        keys take whole numbers: :func:`in_whole_numbers`)."""
        return in_whole_numbers(float(self.spec.frozen().ppf(quantile)), self.whole)

    def central(self) -> float:
        """The value an ordinary run uses: the median (:meth:`Uncertain.central`), rounded as
        :meth:`value` rounds."""
        return in_whole_numbers(self.spec.central(), self.whole)

    def text(self, value: float) -> str:
        """``value`` as its scenario writes it (:meth:`Uncertain.text`; a whole number as one: "12")."""
        return str(int(value)) if self.whole else self.spec.text(value)

    def describe(self, key: str | None = None) -> str:
        """:meth:`Uncertain.describe`, saying where its values are rounded to whole numbers."""
        return self.spec.describe(key) + (WHOLE_WORDS if self.whole else "")


def unknowns(inputs: list[UncertainInput]) -> list[Unknown]:
    """The inputs grouped by ``name`` (unnamed ones alone), in order of first appearance.

    Raises :class:`UncertainError` when numbers sharing a name are given different distributions.
    """
    groups: dict[str, list[UncertainInput]] = {}
    for i in inputs:
        groups.setdefault(i.spec.name or i.key, []).append(i)
    found = []
    for label, members in groups.items():
        specs = {m.spec.model_copy(update={"source": ""}) for m in members}
        if len(specs) > 1:
            raise UncertainError(f"{', '.join(m.key for m in members)}: uncertain numbers named {label!r} are one "
                                 "unknown, so they need the same distribution and parameters")
        if len({m.whole for m in members}) > 1:
            raise UncertainError(f"{', '.join(m.key for m in members)}: uncertain numbers named {label!r} are one "
                                 "unknown, but only some of their keys take whole numbers only (a headcount, a count "
                                 "of items): give those a name of their own")
        found.append(Unknown(label, tuple(m.key for m in members), members[0].spec, members[0].whole))
    return found


def _problem(error: dict) -> str:
    """One pydantic error of an ``uncertain:`` mapping as "key: what is wrong"."""
    what = "required key is missing" if error["type"] == "missing" else error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        what = "unknown key"
    where = ".".join(map(str, error["loc"]))
    return f"{where}: {what}" if where else what


def central_values(node: Any, where: str, found: list[UncertainInput],
                   whole: Callable[[str], bool] = lambda key: False) -> Any:
    """``node`` with every ``{uncertain: {...}}`` replaced by its central value (written with its
    unit; rounded to a whole number at a key that takes whole numbers only, as ``whole`` tells of a
    dotted key); each uncertain input found goes to ``found``. Raises :class:`UncertainError`."""
    if isinstance(node, dict):
        if KEY in node:
            if set(node) != {KEY} or not isinstance(node[KEY], dict):
                raise UncertainError(f"{where or '(top level)'}: an uncertain number is written "
                                     "{uncertain: {dist: ..., <parameters>, source: ...}} with nothing beside it")
            try:
                spec = Uncertain.model_validate(node[KEY])
            except ValidationError as err:
                problems = "; ".join(_problem(e) for e in err.errors(include_url=False))
                raise UncertainError(f"{where}.uncertain: {problems}. Allowed: dist uniform (low, high), triangular "
                                     "(low, mode, high), lognormal (low, high or mean, cv), normal (mean, sd), beta "
                                     "(alpha, beta), and a source") from None
            found.append(UncertainInput(where, spec, whole(where)))
            if whole(where):
                return int(in_whole_numbers(spec.central(), True))
            return spec.exact_text(spec.central()) if spec.kind else spec.central()
        return {k: central_values(v, f"{where}.{k}" if where else str(k), found, whole) for k, v in node.items()}
    if isinstance(node, list):
        return [central_values(v, f"{where}.{key_part(node, i, where)}", found, whole) for i, v in enumerate(node)]
    return node
