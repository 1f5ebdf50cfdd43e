"""The scenario: one validated, resolved description of the system being modelled.

A scenario file is YAML (see ``scenarios/``). It may ``extends:`` another file and change
only what differs, and ``--set dotted.key=value`` overrides change it further from the
command line. All durations are held in **seconds** and all rates in **items per second**
once validated; the file keeps its readable units (``28.4s``, ``370/day``).

Every problem is reported as :class:`ScenarioError`, whose message names where the value came
from (the file, or the ``--set`` that wrote it), the key (streams, teams and SLAs by name, as
``--set`` takes them: ``workforce.analysts.headcount``) and what is allowed.

Why it is one module (over 1,000 lines): the schema's models validate one another (a stream
names a team, an SLA a priority, a referral rule two teams), and ``extends:`` merging and
``--set`` overrides walk that same tree; split, one set of cross-references would be
scattered. Tree walking that needs no schema lives in :mod:`capsim.named_lists`, the metric
names in :mod:`capsim.metric_names`.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import hashlib
import io
import json
import math
import re
import types
import typing
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from capsim import bundled, safe_yaml, units
from capsim.idle_tools import idle_tools
from capsim.metric_names import metric_names, team_priorities
from capsim.named_lists import NAME_KEYS, counted, dotted_key, element_index, element_name, key_part, name_key  # noqa: F401 (NAME_KEYS: re-exported)
from capsim.tooling import AsShare, Share, Tooling
from capsim.uncertain_inputs import UncertainError, UncertainInput, central_values

CURRENCIES = {"gbp", "usd", "eur", "aud", "cad", "nzd"}
"""Unit prefixes of money figures, which a scenario takes as plain amounts."""
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAY_NAMES = dict(zip(WEEKDAYS, ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")))
DEFAULT_PRIORITIES = ["urgent", "high", "normal", "low"]


class ScenarioError(Exception):
    """A scenario that cannot be used; the message explains every problem found."""


MAX_DURATION = 1000 * units.SECONDS_PER_YEAR
"""Longest duration a scenario may write, in seconds (1000 years)."""
MAX_RATE = 1e9 / units.SECONDS_PER_DAY
"""Highest arrival rate a scenario may write or grow to, in items per second (1e9 a day)."""
MAX_HORIZON = 200 * units.SECONDS_PER_YEAR
"""Longest simulated time, in seconds (200 years)."""
EARLIEST_START, LATEST_START = dt.date(1900, 1, 1), dt.date(2200, 12, 31)
"""Range of ``clock.start``, so that every date of a run is a calendar date."""
MAX_COUNT = 10**9
"""Largest count of items (a backlog, a burst)."""
MAX_HEADCOUNT = 100_000
"""Largest headcount of a team."""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The one of ``choices`` nearest in spelling to ``word`` (:func:`difflib.get_close_matches`), or None."""
    return next(iter(difflib.get_close_matches(word, list(choices), n=1)), None)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """" (did you mean 'x'?)", naming the one of ``choices`` nearest to ``word``; "" when none is near."""
    hint = closest(word, choices)
    return f" (did you mean {hint!r}?)" if hint else ""


def _unit(parser, maximum: float | None = None, limit: str = ""):
    """A validator reading text with ``parser``; values above ``maximum`` (written ``limit``) are refused."""
    def parse(value: Any) -> Any:
        try:
            parsed = parser(value)
        except units.UnitError as err:
            raise ValueError(str(err)) from None
        if maximum is not None and parsed is not None and parsed > maximum:
            raise ValueError(f"{value!r} is more than the largest allowed, {limit}")
        return parsed

    parse.unit = parser.__name__  # read by capsim.reference to show the unit
    parse.limit = limit  # and its upper limit
    return BeforeValidator(parse)


Duration = Annotated[float, _unit(units.parse_duration, MAX_DURATION, "1000y")]
"""A duration of any sign, held in seconds, for a field that states its own lower limit."""
Seconds = Annotated[Duration, Field(ge=0)]
"""A duration, held in seconds."""
PerSecond = Annotated[float, _unit(units.parse_rate, MAX_RATE, "1e9/day"), Field(ge=0)]
"""A rate, held in events per second."""
class Strict(BaseModel):
    """Base for every section: unknown keys are errors, values are frozen once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _no_bool_numbers(cls, data: Any) -> Any:
        """YAML reads yes/no/on/off/true/false as booleans; only a yes/no key may take one."""
        if isinstance(data, dict):
            for key, value in data.items():
                field = cls.model_fields.get(key)
                if isinstance(value, bool) and field is not None and field.annotation is not bool:
                    raise ValueError(f"{key}: {str(value).lower()} is not allowed here "
                                     "(YAML reads yes/no/on/off/true/false as a yes/no answer)")
        return data


class Clock(Strict):
    """Simulated time: ``horizon`` after ``start``; statistics ignore the first ``warmup``."""

    horizon: Seconds = Field(description="length of simulated time, e.g. 30d, 3y; at most 200y")
    warmup: Seconds = Field(0.0, description="initial period cut from the statistics")
    start: dt.date = Field(dt.date(2024, 1, 1), description="calendar date at time zero (a Monday is simplest), "
                           "from 1900-01-01 to 2200-12-31")
    step: Seconds = Field(3600.0, description="time-series sampling step, whole seconds (the last step ends at the "
                          "horizon: shorter when the horizon falls within a step)")

    @model_validator(mode="after")
    def _consistent(self) -> "Clock":
        if self.horizon <= 0:
            raise ValueError("horizon must be longer than zero, e.g. 30d")
        if self.horizon > MAX_HORIZON:
            raise ValueError(f"horizon: {units.format_duration(self.horizon)} is longer than the longest allowed, 200y")
        if not EARLIEST_START <= self.start <= LATEST_START:
            raise ValueError(f"start: {self.start} is outside the dates a run may start on, "
                             f"{EARLIEST_START} to {LATEST_START}")
        if self.warmup >= self.horizon:
            raise ValueError(f"warmup ({units.format_duration(self.warmup)}) must be shorter than the horizon")
        if self.step <= 0 or self.step != int(self.step) or self.step > self.horizon:
            raise ValueError("step must be a whole number of seconds, above zero and within the horizon")
        return self


class GrowthNone(Strict):
    """Constant volume."""

    model: Literal["none"] = Field("none", description="growth model")


def _percent_a_year(value: Any) -> Any:
    """A growth per year written as a percentage ("30%", "+30%", "30% a year") or a share (0.3)."""
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        for suffix in ("ayear", "/year", "/y", "peryear"):
            text = text.removesuffix(suffix)
        if text.endswith("%"):
            return units.percent_share(text)
    return value


MOST_GROWTH_PER_YEAR = 1000.0
"""The largest exponential growth a year, as a share (100000%)."""


def _growth_per_year(value: Any) -> Any:
    """:func:`_percent_a_year`, refusing no growth with how to write it (omit growth), and a fall with
    how to write one (exponential growth only rises: a fall is linear or a table)."""
    share = _percent_a_year(value)
    if isinstance(share, (int, float)) and share == 0:
        raise ValueError(f"{value!r} a year is no growth: to hold the volume flat, omit growth (or write "
                         "a rise above 0, e.g. 30%)")
    if isinstance(share, (int, float)) and share < 0:
        raise ValueError(f"{value!r} a year is a fall, and per_year is a rise, above 0 and at most 100000% (e.g. "
                         f"30%); for a volume that falls, write model: linear with increase_per_year: {share:g} (the "
                         "same amount off the starting rate each year, down to zero, not compounding) or model: "
                         "table with the rate on each date")
    if isinstance(share, (int, float)) and share > MOST_GROWTH_PER_YEAR:
        raise ValueError(f"{value!r} a year is above the most allowed, {MOST_GROWTH_PER_YEAR * 100:g}% (a share of "
                         f"{MOST_GROWTH_PER_YEAR:g}: the volume {MOST_GROWTH_PER_YEAR + 1:g} times as large after a year)")
    return share


PercentShare = Annotated[float, BeforeValidator(_percent_a_year)]
"""A number written as a share (0.22) or a percentage ("22%"); its bounds are the field's."""


class GrowthLinear(Strict):
    """rate(t) = rate × (1 + increase_per_year × years), floored at zero."""

    model: Literal["linear"] = Field(description="growth model")
    increase_per_year: PercentShare = Field(ge=-100, le=100, description="change per year as a share of the "
                                            "starting rate, e.g. 0.2; from -100 to 100")


class GrowthExponential(Strict):
    """rate(t) = rate × 2^(t / doubling_time) = rate × (1 + per_year)^(t in years): give one of the two."""

    model: Literal["exponential"] = Field(description="growth model")
    doubling_time: Duration | None = Field(None, description="time for the volume to double, e.g. 180d; at least 1d "
                                          "(or give per_year)")
    per_year: Annotated[float | None, BeforeValidator(_growth_per_year)] = Field(
        None, gt=0, le=MOST_GROWTH_PER_YEAR, description="growth per year, compounding, e.g. 30% (or 0.3); above 0, at most "
        "100000% (or give doubling_time)")

    @field_validator("doubling_time")
    @classmethod
    def _at_least_a_day(cls, value: float | None) -> float | None:
        """The real limit, however short or negative the doubling time given (seconds)."""
        if value is not None and value < units.SECONDS_PER_DAY:
            raise ValueError(f"must be at least 1d (got {units.format_duration(value)})")
        return value

    @model_validator(mode="after")
    def _one_rate(self) -> "GrowthExponential":
        if (self.doubling_time is None) == (self.per_year is None):
            raise ValueError("give either doubling_time (e.g. 180d) or per_year (e.g. 30%), not both or neither")
        if self.per_year is not None:
            years = math.log(2) / math.log1p(self.per_year)
            object.__setattr__(self, "doubling_time", max(years * units.SECONDS_PER_YEAR, units.SECONDS_PER_DAY))
        return self

    @property
    def annual_growth(self) -> float:
        """Growth per year as a share (0.3: +30% a year), from either input."""
        return math.expm1(math.log(2) * units.SECONDS_PER_YEAR / self.doubling_time)


class GrowthLogistic(Strict):
    """An S-curve from ``rate`` at time zero towards ``ceiling``, steepest at ``midpoint``."""

    model: Literal["logistic"] = Field(description="growth model")
    ceiling: PerSecond = Field(description="the rate approached in the long run, e.g. 2000/day")
    midpoint: Union[dt.date, Seconds] = Field(description="date (or time after start) of steepest growth")
    steepness: PerSecond = Field(description="logistic growth rate, e.g. 1.5/year")


class TablePoint(Strict):
    """One published figure: the rate in force on a date."""

    date: dt.date = Field(description="date of the figure")
    rate: PerSecond = Field(description="rate in force on that date")


class GrowthTable(Strict):
    """Rates at dated points, linearly interpolated, held constant beyond the ends."""

    model: Literal["table"] = Field(description="growth model")
    points: list[TablePoint] = Field(min_length=1, description="dated rates")

    @field_validator("points")
    @classmethod
    def _sorted(cls, points: list[TablePoint]) -> list[TablePoint]:
        dates = [p.date for p in points]
        if dates != sorted(set(dates)):
            raise ValueError("table points must have distinct dates in increasing order")
        return points


Growth = Annotated[
    Union[GrowthNone, GrowthLinear, GrowthExponential, GrowthLogistic, GrowthTable],
    Field(discriminator="model"),
]


class Burst(Strict):
    """``items`` arriving together at one moment (a forum dump)."""

    at: Union[dt.date, Seconds] = Field(description="date, or time after start, of the burst")
    items: int = Field(ge=0, le=MAX_COUNT, description="items in the burst, at most 1e9")


class Mix(Strict):
    """Shares of arriving items with each attribute, drawn independently per item."""

    ai_generated: Share = Field(0.0, description="AI-generated")
    known: Share = Field(0.0, description="already on a hash list")
    criminal: Share = Field(1.0, description="criminal (harmful)")
    realistic: Share = Field(0.0, description="share of AI-generated criminal items treated as real imagery")


class TimeToLive(Strict):
    """How long an item can wait before it expires unassessed (a URL goes offline)."""

    dist: Literal["fixed", "exponential"] = Field("fixed", description="fixed, or exponential with this mean")
    mean: Seconds = Field(description="time-to-live (mean if exponential)")

    @field_validator("mean")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("a time-to-live must be longer than zero")
        return value


def names_referred_to(literal: dict) -> dict[str, list[str] | None]:
    """The team and priority names other keys may name, read from the resolved mapping before it
    is validated, so that a wrong name is reported beside every other problem of the file (the
    validators :func:`_known_team`, :func:`_known_priorities` and :meth:`Scenario._teams_known`
    take them as pydantic's validation context). Either is None where it cannot be read (a team
    without a name, priorities that are not a list of names): those names are then not checked."""
    teams, priorities = literal.get("workforce"), literal.get("priorities", DEFAULT_PRIORITIES)
    names = [t.get("team") if isinstance(t, dict) else None for t in teams] if isinstance(teams, list) else None
    readable = lambda values: values if isinstance(values, list) and values and all(
        isinstance(v, str) for v in values) else None
    return {"teams": readable(names), "priorities": readable(priorities)}


def _referred(info: ValidationInfo, kind: str) -> list[str] | None:
    """The scenario's team or priority names (``kind``: "teams" or "priorities") from the context
    :func:`names_referred_to` gave, or None when they could not be read."""
    return (info.context or {}).get(kind)


def _known_team(cls: type, team: str | None, info: ValidationInfo) -> str | None:
    """A field naming one team (a stream's ``team``, a referral's ``from`` and ``to``): refused
    unless the workforce has a team of that name."""
    teams = _referred(info, "teams")
    if team is not None and teams is not None and team not in teams:
        raise ValueError(f"no team {team!r}; teams are {', '.join(teams)}")
    return team


def _known_priorities(cls: type, value: str | list[str] | None, info: ValidationInfo) -> str | list[str] | None:
    """A field naming one priority or a list of them: refused, one line each, unless each is one
    of the scenario's ``priorities``."""
    priorities = _referred(info, "priorities")
    names = [value] if isinstance(value, str) else value or []
    wrong = [f"{name!r} is not one of {', '.join(priorities)}" for name in names
             if priorities is not None and name not in priorities]
    if wrong:
        raise ValueError("\n".join(wrong))
    return value


def _ttl_shorthand(value: Any) -> Any:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return {"dist": "fixed", "mean": value}
    return value


class Stream(Strict):
    """One stream of arriving work: its volume over time and the attributes of its items."""

    stream: str = Field(description="name of the stream, unique among the streams")
    unit: Literal["image", "video", "report"] = Field("image", description="what one item is")
    rate: PerSecond | None = Field(None, description="arrival rate at time zero (or on rate_date), e.g. 370/day")
    rate_date: dt.date | None = Field(None, description="the date on which rate holds, growth running from it "
                                      "before and after, e.g. 2024-07-01 for a 2024 yearly figure; default: clock.start")
    growth: Growth = Field(default_factory=GrowthNone, description="how the rate changes over time")
    weekly: dict[str, Annotated[float, Field(ge=0)]] | None = Field(
        None, description="relative volume per weekday (mon..sun), rescaled to average 1"
    )
    bursts: list[Burst] = Field(default_factory=list, description="batches arriving at once")
    initial_backlog: int = Field(0, ge=0, le=MAX_COUNT, description="items already waiting at time zero, at most 1e9")
    mix: Mix = Field(default_factory=Mix, description="shares of items with each attribute")
    priority: str = Field("normal", validate_default=True, description="queue priority of the stream's items")
    priority_mix: dict[str, Share] | None = Field(
        None, description="shares of the stream's items at each priority, drawn per item, e.g. {urgent: 0.1, "
        "normal: 0.9} (instead of priority); the shares add up to 1")
    ttl: Annotated[TimeToLive | None, BeforeValidator(_ttl_shorthand)] = Field(
        None, description="time an item can wait before it expires (e.g. 72h), or none")
    team: str | None = Field(None, description="team whose queue receives the stream (default: the first)")
    recirculation: Share = Field(0.0, description="share of arrivals that are copies of earlier items of the stream")
    cluster_size: float = Field(1.0, ge=1, description="mean size of near-duplicate clusters (1: none)")

    @field_validator("weekly")
    @classmethod
    def _weekdays(cls, weekly: dict[str, float] | None) -> dict[str, float] | None:
        if weekly is None:
            return None
        unknown = sorted(set(weekly) - set(WEEKDAYS))
        if unknown:
            raise ValueError(f"unknown weekday {unknown[0]!r}: use {', '.join(WEEKDAYS)}")
        if sum(weekly.get(d, 0.0) for d in WEEKDAYS) <= 0:
            raise ValueError("a weekly pattern needs at least one day above zero")
        return weekly

    @field_validator("priority_mix")
    @classmethod
    def _shares_add_up(cls, mix: dict[str, float] | None) -> dict[str, float] | None:
        if mix is not None and abs(sum(mix.values()) - 1) > 1e-9:
            raise ValueError(f"the shares add up to {sum(mix.values()):g}; they must add up to 1")
        return mix

    @field_validator("priority_mix")
    @classmethod
    def _mix_priorities_known(cls, mix: dict[str, float] | None, info: ValidationInfo) -> dict[str, float] | None:
        priorities = _referred(info, "priorities")
        wrong = [f"{name}: not one of {', '.join(priorities)}" for name in mix or {}
                 if priorities is not None and name not in priorities]
        if wrong:
            raise ValueError("\n".join(wrong))
        return mix

    _team_known = field_validator("team")(_known_team)
    _priority_known = field_validator("priority")(_known_priorities)

    @model_validator(mode="after")
    def _rate_matches_growth(self) -> "Stream":
        if isinstance(self.growth, GrowthTable):
            if self.rate is not None:
                raise ValueError("give either rate or a growth table, not both: the table sets the rate")
        elif self.rate is None:
            raise ValueError("rate is required (e.g. 370/day; 0/day for a backlog only)")
        if self.rate_date is not None and isinstance(self.growth, GrowthTable):
            raise ValueError("rate_date goes with rate, not with a growth table (whose points are dated already)")
        return self

    @property
    def own_priorities(self) -> tuple[str, ...]:
        """Priorities the stream gives its items (before any classifier): its ``priority_mix``'s, or its ``priority``."""
        return tuple(self.priority_mix) if self.priority_mix else (self.priority,)

    def weekly_factors(self) -> tuple[float, ...]:
        """Multiplier per weekday, Monday first, averaging 1 over the week."""
        if self.weekly is None:
            return (1.0,) * 7
        raw = [self.weekly.get(d, 1.0) for d in WEEKDAYS]
        mean = sum(raw) / 7
        return tuple(r / mean for r in raw)


class ReviewTime(Strict):
    """Distribution of one human review, in seconds."""

    dist: Literal["exponential", "lognormal", "gamma", "deterministic", "empirical"] = Field(description="distribution")
    mean: Seconds | None = Field(None, description="mean review time")
    cv: float | None = Field(None, gt=0, le=100, description="coefficient of variation (lognormal, gamma), above 0 "
                             "and at most 100")
    values: list[Seconds] | None = Field(None, description="observed durations (empirical)")

    @model_validator(mode="after")
    def _parameters(self) -> "ReviewTime":
        needs = {
            "exponential": {"mean"},
            "deterministic": {"mean"},
            "lognormal": {"mean", "cv"},
            "gamma": {"mean", "cv"},
            "empirical": {"values"},
        }[self.dist]
        given = {k for k in ("mean", "cv", "values") if getattr(self, k) is not None}
        if needs - given:
            raise ValueError(f"dist {self.dist!r} needs {', '.join(sorted(needs))}")
        if given - needs:
            raise ValueError(f"dist {self.dist!r} takes only {', '.join(sorted(needs))}, not {', '.join(sorted(given - needs))}")
        if self.dist == "empirical" and (not self.values or min(self.values) < 0):
            raise ValueError("values must be a non-empty list of durations")
        if self.mean is not None and self.mean <= 0:
            raise ValueError("mean review time must be longer than zero")
        return self

    @property
    def mean_seconds(self) -> float:
        """Mean review time in seconds."""
        if self.dist == "empirical":
            return sum(self.values) / len(self.values)
        return self.mean


def _hours_per_day(value: Any) -> Any:
    """Shift length in hours: a number, or a duration per day such as ``8h/day``."""
    if isinstance(value, str):
        try:
            return units.parse_daily_cap(value) / units.SECONDS_PER_HOUR
        except (units.UnitError, TypeError):
            raise ValueError(f"{value!r} is not a shift length: give hours, e.g. 7.5 or 7.5h/day") from None
    return value


class PublicHolidays(Strict):
    """A public-holiday calendar: ``country`` (ISO 3166 code) and optionally ``subdiv`` (a region
    such as ENG, SCT, WLS or NIR for GB), as listed by the ``holidays`` package."""

    country: str = Field(description="ISO 3166 country code, e.g. GB, DE, US")
    subdiv: str | None = Field(None, description="region within the country, e.g. ENG; default: national holidays only")

    @model_validator(mode="after")
    def _known(self) -> "PublicHolidays":
        import holidays  # imported here: only scenarios with public holidays need it

        supported = holidays.list_supported_countries()
        if self.country not in supported:
            raise ValueError(f"country {self.country!r} is not a country code the holidays package knows"
                             + did_you_mean(self.country.upper(), supported) + "; use an ISO 3166 code such as GB")
        regions = supported[self.country]
        if self.subdiv is not None and self.subdiv not in regions:
            raise ValueError(f"subdiv {self.subdiv!r} is not a region of {self.country}; regions are "
                             f"{', '.join(regions) or 'none'}")
        return self

    def dates(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The public holidays from ``first`` to ``last`` (inclusive), as the package lists them."""
        import holidays

        calendar = holidays.country_holidays(self.country, subdiv=self.subdiv, years=range(first.year, last.year + 1))
        return sorted(d for d in calendar if first <= d <= last)


def _country_shorthand(value: Any) -> Any:
    return {"country": value} if isinstance(value, str) else value


class Roster(Strict):
    """A working pattern: ``hours_per_day`` from ``start`` on each of ``days``."""

    hours_per_day: Annotated[float, BeforeValidator(_hours_per_day)] = Field(7.5, gt=0, le=24, description="shift length, hours")
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"], min_length=1, description="working days"
    )
    start: str = Field("09:00", description="shift start, HH:MM")
    holidays: list[dt.date] = Field(default_factory=list, description="dates when nobody works")
    public_holidays: Annotated[PublicHolidays | None, BeforeValidator(_country_shorthand)] = Field(
        None, description="a country's public holidays, when nobody on this pattern works: a country code "
        "(e.g. GB) or {country: GB, subdiv: ENG}, from the holidays package")

    @field_validator("days", mode="before")
    @classmethod
    def _day_names(cls, value: Any) -> Any:
        """Days in any case, by their first three letters or in full (``Mon``, ``monday``)."""
        if not isinstance(value, list):
            return value
        days = []
        for day in value:  # what is not a day is left as written, for the error to name it
            text = day.strip().lower() if isinstance(day, str) else ""
            known = len(text) >= 3 and _FULL_DAY_NAMES.get(text[:3], "").startswith(text)
            days.append(text[:3] if known else day)
        return days

    @field_validator("start", mode="before")
    @classmethod
    def _clock_time(cls, value: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            hours, minutes = divmod(value, 60)
            raise ValueError(f'{value} is not a time of day: write it in quotes, e.g. "{hours:02d}:{minutes:02d}" '
                             "(unquoted, YAML reads a time such as 8:00 or 10:00 as a number of minutes)")
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", str(value)):
            raise ValueError(f"{value!r} is not a time of day: use HH:MM, e.g. 09:00")
        return value

    @property
    def start_seconds(self) -> float:
        """Shift start as seconds after midnight."""
        hours, minutes = self.start.split(":")
        return int(hours) * 3600.0 + int(minutes) * 60.0

    @property
    def round_the_clock(self) -> bool:
        """True for a 24/7 roster: every day, all day."""
        return self.hours_per_day == 24 and len(set(self.days)) == 7


def _roster_shorthand(value: Any) -> Any:
    if isinstance(value, str) and value.replace(" ", "").lower() == "24/7":
        return {"hours_per_day": 24, "days": list(WEEKDAYS), "start": "00:00"}
    return value


class Hiring(Strict):
    """How a leaver's seat is refilled (workforce.<team>.hiring)."""

    lead_time: Seconds = Field(0.0, description="time from a seat falling vacant to the new analyst starting "
                               "(recruitment and vetting), e.g. 90d; default 0d")
    replace_leavers: bool = Field(True, description="refill a leaver's seat after the lead time (false: it stays empty)")


class Ramp(Strict):
    """A new analyst's productivity: ``start`` on the first day, rising linearly to 1 over ``weeks``."""

    weeks: float = Field(0.0, ge=0, description="weeks to full productivity (0: none), e.g. 12")
    start: AsShare = Field(1.0, gt=0, le=1, description="productivity on the first day as a share of full, e.g. 0.5")
    training_weeks: float = Field(0.0, ge=0, description="weeks of training before the ramp, in which a new analyst "
                                  "reviews nothing (zero output, paid, in post); default 0")
    mentor_hours: float = Field(0.0, ge=0, le=168, description="hours a week the team's present analysts spend, "
                                "between them, mentoring each trainee during training_weeks; default 0")


class HeadcountChange(Strict):
    """A planned headcount: from ``date``, the team has ``headcount`` seats (new analysts start that day)."""

    date: dt.date = Field(description="the day the change takes effect: new analysts start, or surplus seats close")
    headcount: int = Field(ge=0, le=MAX_HEADCOUNT, description="seats from that date, at most 100000")


class ShiftPattern(Roster):
    """One shift pattern of a team (workforce.<team>.shifts): ``headcount`` analysts who work
    ``hours_per_day`` from ``start`` on each of ``days``, sharing the team's queues."""

    name: str = Field(description="name of the pattern, e.g. early, late, weekend, on-call")
    headcount: int = Field(ge=0, le=MAX_HEADCOUNT, description="analysts on this pattern, at most 100000")
    fte: float | None = Field(None, gt=0, le=1, description="contracted FTE of each analyst on this pattern (1: full "
                              "time, 0.5: half time); default: the pattern's hours a week over the team's "
                              "contracted_hours, as for a roster (more than 1 for a pattern over a full-time week: "
                              "its seat takes more than one person)")
    serves: list[str] | None = Field(None, min_length=1, description="priorities its analysts take, e.g. [urgent] "
                                     "for on-call cover; default: every priority")

    _serves_known = field_validator("serves")(_known_priorities)


class LeaveWeeks(Strict):
    """Seasonal leave: from ``start`` to ``end`` (inclusive) each analyst misses each shift with
    probability ``share`` (on top of ``shrinkage``)."""

    start: dt.date = Field(description="first day of the leave season")
    end: dt.date = Field(description="last day of the leave season")
    share: Share = Field(description="share of analysts away on each shift in the season, e.g. 0.3")

    @model_validator(mode="after")
    def _in_order(self) -> "LeaveWeeks":
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


ORDERS = ("strict_priority", "earliest_deadline")
"""How a team's queues are served: by priority, or by the earliest SLA deadline."""


class Team(Strict):
    """A team of named analysts sharing a roster (or several shift patterns) and a queue."""

    team: str = Field(description="name of the team, unique among the teams, making no metric name another's "
                                  "(a team's figures are named <metric>_<team>)")
    headcount: int = Field(ge=0, le=MAX_HEADCOUNT, description="analysts in post, at most 100000 (with shifts: "
                           "the team's total, by default the sum of the patterns' headcounts; a different total — "
                           "as capsim staff's plan.yaml writes — changes the first pattern's)")
    shifts: list[ShiftPattern] | None = Field(
        None, min_length=1, description="several shift patterns sharing the team's queues (instead of roster); "
        "headcount changes and hires go to the first pattern")
    leave: list[LeaveWeeks] = Field(default_factory=list, description="seasonal leave weeks: dates and the share "
                                    "of analysts away")
    order: Literal["strict_priority", "earliest_deadline"] = Field(
        "strict_priority", description="queue order: strict_priority (highest priority first, first come first "
        "served within it) or earliest_deadline (the item whose SLA deadline, arrival + sla.within of its "
        "priority, comes first; priorities without an SLA after all others)")
    roster: Annotated[Roster, BeforeValidator(_roster_shorthand)] = Field(
        default_factory=Roster, description="working pattern, or 24/7")
    exposure_cap: Annotated[float | None, _unit(units.parse_daily_cap)] = Field(
        None, description="hours of review a day per analyst, e.g. 4h/day, or none"
    )
    shrinkage: AsShare = Field(0.0, ge=0, lt=1, description="share of rostered days lost to leave, sickness, training")
    task_time: ReviewTime | None = Field(None, description="time per item for everything this team does, its own "
                                         "streams and the referrals it receives (default: review.<unit>)")
    carry_over: bool = Field(False, description="work in hand at the end of a shift continues at the analyst's "
                             "next shift (tasks of hours), instead of being finished straight away")
    attrition: AsShare = Field(0.0, description="annual attrition rate, 0 to 1 per year: each analyst leaves after an "
                             "exponential time with this hazard (mean 1/rate years); default 0")
    hiring: Hiring = Field(default_factory=Hiring, description="lead time to refill a leaver's seat")
    ramp: Ramp = Field(default_factory=Ramp, description="productivity ramp of new analysts")
    changes: list[HeadcountChange] = Field(default_factory=list, description="planned headcounts on dates")
    overtime: Annotated[float | None, _unit(units.parse_daily_cap)] = Field(
        None, description="extra hours added to every shift, e.g. 1h/day, or none")
    contracted_hours: float | None = Field(
        None, gt=0, le=168, description="hours a week one analyst of this team is contracted for (annual_cost is "
        "one such analyst's cost); a seat takes its roster's hours a week over this many people in costs and "
        "budgets. Default: the roster's hours a week (with shifts, the longest pattern's without an fte), at most 40 "
        "(one analyst per seat; 4.2 for a 24/7 seat)")

    @field_validator("attrition")
    @classmethod
    def _annual_rate(cls, value: float) -> float:
        if not 0 <= value <= 1:
            raise ValueError(f"an attrition rate is a share of analysts leaving per year, between 0 and 1 "
                             f"(e.g. 0.15 for 15% a year); got {value:g}")
        return value

    @field_validator("changes")
    @classmethod
    def _dated_in_order(cls, changes: list[HeadcountChange]) -> list[HeadcountChange]:
        dates = [c.date for c in changes]
        if dates != sorted(set(dates)):
            raise ValueError("headcount changes must have distinct dates in increasing order")
        return changes

    @model_validator(mode="before")
    @classmethod
    def _from_shifts(cls, data: Any) -> Any:
        """With ``shifts``, the headcount defaults to their sum and the team's ``roster`` is the first
        pattern's hours, days and start (for summaries; the engine plans every pattern)."""
        if not isinstance(data, dict) or not isinstance(data.get("shifts"), list) or not data["shifts"]:
            return data
        if "roster" in data:
            raise ValueError("give either roster (one pattern for all) or shifts (several patterns), not both")
        patterns = data["shifts"]
        data = dict(data)
        counts = [p.get("headcount") if isinstance(p, dict) else None for p in patterns]
        if "headcount" not in data and all(isinstance(c, int) and not isinstance(c, bool) for c in counts):
            data["headcount"] = sum(counts)
        if isinstance(patterns[0], dict):
            data["roster"] = {k: v for k, v in patterns[0].items() if k in ("hours_per_day", "days", "start")}
        return data

    @model_validator(mode="after")
    def _shifts_add_up(self) -> "Team":
        if self.shifts is None:
            return self
        names = [p.name for p in self.shifts]
        if len(set(names)) != len(names):
            raise ValueError(f"shifts: each pattern needs its own name; got {', '.join(names)}")
        others = sum(p.headcount for p in self.shifts[1:])
        if self.headcount < others:
            raise ValueError(f"headcount {self.headcount} is fewer than the {others} analysts on the patterns after "
                             f"the first ({', '.join(names[1:])}); the headcount is the team's total (leave it out "
                             f"for the patterns' sum), and a different total changes the first pattern, {names[0]!r}")
        for i, change in enumerate(self.changes):
            if change.headcount < others:
                raise ValueError(f"changes.{i}.headcount: {change.headcount} is fewer than the {others} analysts on "
                                 f"the patterns after the first ({', '.join(names[1:])}); changes set the team's "
                                 f"headcount and go to the first pattern, {names[0]!r}")
        return self

    def serves(self, priority: str) -> bool:
        """Whether any of the team's analysts take items of ``priority``: a roster's take every
        priority, and shift patterns' too but where every pattern lists what it serves (``serves``)."""
        return self.shifts is None or any(p.serves is None or priority in p.serves for p in self.shifts)

    def serving_words(self) -> str:
        """What each shift pattern that lists its priorities serves: "on-call serves urgent only; night
        serves urgent, normal only" ("" where none lists them)."""
        return "; ".join(f"{p.name} serves {', '.join(p.serves)} only" for p in self.shifts or [] if p.serves)

    @model_validator(mode="after")
    def _shift_fits_a_day(self) -> "Team":
        if self.overtime and self.roster.hours_per_day * units.SECONDS_PER_HOUR + self.overtime > units.SECONDS_PER_DAY:
            raise ValueError(f"overtime: {units.format_duration(self.overtime)} on top of a "
                             f"{self.roster.hours_per_day:g}h shift is more than 24 hours a day")
        return self


def can_both_match(a: dict[str, bool], b: dict[str, bool]) -> bool:
    """Whether one item can meet both routing conditions ``a`` and ``b`` (attribute → wanted).

    Attributes are independent except that ``realistic`` items are AI-generated and criminal.
    """
    wanted = dict(a)
    for attribute, value in b.items():
        if wanted.setdefault(attribute, value) != value:
            return False
    return not (wanted.get("realistic") and (wanted.get("ai_generated") is False or wanted.get("criminal") is False))


class Route(Strict):
    """After ``from`` assesses an item matching ``when``, a ``share`` of such items go to ``to``'s queue."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    source: str = Field(alias="from", description="team that assessed the item")
    to: str = Field(description="team that receives it")
    when: dict[Literal["ai_generated", "known", "criminal", "realistic", "flagged_synthetic", "flagged_harmful"], bool] = Field(
        default_factory=dict, description="attributes the item must have (all of them); an item goes at most "
        "once from one team to another, and rules between the same two teams must not both match one item"
    )
    share: Share = Field(1.0, description="share of matching items sent")
    priority: str | None = Field(None, description="priority in the receiving queue (default: the item's own)")

    _teams_known = field_validator("source", "to")(_known_team)
    _priority_known = field_validator("priority")(_known_priorities)


class SLA(Strict):
    """A service level: ``target`` share of ``priority`` items assessed ``within`` their arrival."""

    priority: str = Field(description="priority the service level applies to, one service level a priority")
    within: Seconds = Field(description="deadline from arrival to assessed")
    target: AsShare = Field(gt=0, le=1, description="share of items to meet it")

    _priority_known = field_validator("priority")(_known_priorities)


def _not_negative(value: float, what: str) -> float:
    if value < 0:
        raise ValueError(f"{what} cannot be negative (got {value:g})")
    return value


class TeamCost(Strict):
    """What one analyst of a team costs (an FTE: one person on the team's contract), at the prices of
    ``costs.price_year``."""

    annual_cost: float = Field(description="gross salary of one full-time analyst for a year (365.25 days), pro rata")
    on_costs: PercentShare = Field(0.0, le=5, description="employer's on-costs (social insurance, pension) as a share "
                            "of salary, e.g. 0.25 or 25%; default 0 (annual_cost already includes them)")
    hire_cost: float = Field(0.0, description="recruitment and vetting of one new analyst, charged when they "
                             "start; default 0")
    training_cost: float = Field(0.0, description="initial training of one new analyst, charged when they start; "
                                 "default 0")
    wellbeing_hours: float = Field(0.0, le=2000, description="counselling or clinical supervision hours per analyst "
                                   "(FTE) a year, e.g. 12; default 0")
    wellbeing_hourly_cost: float = Field(0.0, description="cost of one counselling hour; default 0")
    licence_cost: float = Field(0.0, description="tooling licences and equipment per analyst (FTE) a year; default 0")
    overtime_premium: float = Field(1.0, description="multiplier on the hourly rate (annual_cost over rostered "
                                    "hours a year) paid for overtime hours; default 1")

    @field_validator("annual_cost", "on_costs", "hire_cost", "training_cost", "wellbeing_hours",
                     "wellbeing_hourly_cost", "licence_cost", "overtime_premium")
    @classmethod
    def _costs_not_negative(cls, value: float, info) -> float:
        return _not_negative(value, f"a cost ({info.field_name})")


class RoleCost(Strict):
    """A supporting role staffed in proportion to analysts: one ``role`` per ``per`` analyst FTE of ``teams``
    (e.g. one team leader per 8 analysts), costed pro rata (1.5 FTE for 12 analysts at one per 8)."""

    role: str = Field(description="name of the role as the budget shows it, e.g. team leader, quality assurance")
    per: float = Field(gt=0, le=10_000, description="analyst FTE per one FTE of the role, e.g. 8")
    teams: list[str] = Field(default_factory=list, description="teams whose analysts it supports (default: all)")
    annual_cost: float = Field(description="gross salary of one full-time post of the role for a year")
    on_costs: PercentShare = Field(0.0, le=5, description="employer's on-costs as a share of salary, e.g. 0.22 or 22%; "
                            "default 0")

    @field_validator("annual_cost", "on_costs")
    @classmethod
    def _costs_not_negative(cls, value: float, info) -> float:
        return _not_negative(value, f"a cost ({info.field_name})")


@functools.lru_cache(maxsize=1)
def iso_4217_codes() -> frozenset[str]:
    """Active ISO 4217 currency codes (``capsim/data/iso4217.csv``, from Debian's iso-codes 4.15)."""
    text = resources.files("capsim").joinpath("data/iso4217.csv").read_text(encoding="utf-8")
    return frozenset(row["code"] for row in csv.DictReader(io.StringIO(text)))


class Costs(Strict):
    currency: str = Field("GBP", description="currency of every cost: an ISO 4217 code, e.g. GBP, EUR, USD")
    inflation: PercentShare = Field(0.0, gt=-1, le=1, description="yearly rise of pay and prices applied to every cost, "
                             "e.g. 0.03 or 3%: costs are at the prices of price_year, then rise each calendar year")
    price_year: int | None = Field(None, ge=1900, le=2200, description="calendar year whose prices the costs are "
                                   "written in; default: clock.start's year")
    overheads: PercentShare = Field(0.0, ge=0, le=5, description="overheads (premises, IT, finance, HR) as a share of all "
                             "other costs, e.g. 0.15 or 15%; default 0")
    teams: dict[str, TeamCost] = Field(default_factory=dict, description="costs per team, by team name")
    roles: list[RoleCost] = Field(default_factory=list, description="supporting roles in proportion to analysts: "
                                  "management and quality assurance, e.g. one team leader per 8 analysts")

    @field_validator("currency")
    @classmethod
    def _iso_4217(cls, value: str) -> str:
        if value not in iso_4217_codes():
            hint = f" (did you mean {value.strip().upper()!r}?)" if value.strip().upper() in iso_4217_codes() else ""
            raise ValueError(f"{value!r} is not an ISO 4217 currency code{hint}: use three capital letters, "
                             "e.g. GBP, EUR, USD")
        return value


class Experiment(Strict):
    replications: int = Field(10, ge=1, le=100_000, description="independent runs")
    seed: int = Field(0, ge=0, description="random seed")


class CalibrationTarget(Strict):
    """A published figure a metric must reproduce: within a relative ``tolerance``, or
    within the 95% binomial interval of a count out of the figure ``binomial_of``."""

    metric: str = Field(description="metric to check")
    published: str = Field(description="id of the published figure (or derived parameter)")
    tolerance: float | None = Field(None, gt=0, description="allowed relative gap, e.g. 2%")
    binomial_of: str | None = Field(None, description="id of the figure giving the number of trials")

    @field_validator("tolerance", mode="before")
    @classmethod
    def _percent(cls, value: Any) -> Any:
        return units.percent_share(value)

    @model_validator(mode="after")
    def _one_rule(self) -> "CalibrationTarget":
        from capsim.calibration import value_of
        from capsim.figures import UnknownFigureError

        if (self.tolerance is None) == (self.binomial_of is None):
            raise ValueError("give either tolerance (e.g. 2%) or binomial_of (a figure id), not both or neither")
        for fid in (self.published, self.binomial_of):
            if fid is not None:
                try:
                    value_of(fid)
                except UnknownFigureError as err:
                    raise ValueError(str(err)) from None
        return self


class Scenario(Strict):
    """A whole scenario, validated and resolved (inheritance and overrides applied)."""

    name: str = Field(description="short name, used in every chart's footer and, reduced to letters, digits, '-', '_' and '.', for the default output folder out/NAME (never a path)")
    title: str = Field("", description="one line saying what the scenario represents")
    description: str = Field("", description="a paragraph on the scenario and its sources")
    clock: Clock = Field(description="simulated time")
    priorities: list[str] = Field(default_factory=lambda: list(DEFAULT_PRIORITIES), min_length=1,
                                  description="priority names, served first to last")
    demand: list[Stream] = Field(min_length=1, description="streams of arriving work")
    review: dict[Literal["image", "video", "report"], ReviewTime] = Field(description="review time per unit of work")
    workforce: list[Team] = Field(min_length=1, description="teams of analysts")
    tooling: Tooling = Field(default_factory=Tooling, description="automated stages before human review")
    sla: list[SLA] = Field(default_factory=list, description="service levels per priority")
    costs: Costs = Field(default_factory=Costs, description="staff costs")
    experiment: Experiment = Field(default_factory=Experiment, description="replications and seed")
    targets: list[CalibrationTarget] = Field(default_factory=list, description="calibration targets")
    routing: list[Route] = Field(default_factory=list, description="referrals between teams")
    _source: dict = PrivateAttr(default_factory=dict)
    _figures: list = PrivateAttr(default_factory=list)
    _uncertain: list = PrivateAttr(default_factory=list)
    _overrides: list = PrivateAttr(default_factory=list)

    @property
    def overrides(self) -> list[str]:
        """What changed the scenario after its files: each ``--set key=value`` and each plan replayed
        into it (e.g. ``plan: workforce.analysts ...``), in order; footers and reports name them."""
        return self._overrides

    def with_override(self, note: str) -> "Scenario":
        """This scenario (already changed, e.g. by :meth:`model_copy`) with ``note`` added to its overrides."""
        self._overrides = [*self._overrides, note]
        return self

    @property
    def uncertain(self) -> list[UncertainInput]:
        """The inputs written ``{uncertain: ...}``, in file order; the scenario holds their central values."""
        return self._uncertain

    @property
    def figures(self) -> list[str]:
        """Ids of the published figures (and derived parameters) the scenario refers to."""
        return self._figures

    @property
    def source(self) -> dict:
        """The scenario as resolved from its files and overrides, with its units as written."""
        return self._source

    def digest(self) -> str:
        """SHA-256 of the validated scenario in canonical JSON (units resolved): its identity."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @field_validator("tooling")
    @classmethod
    def _classifier_priorities_known(cls, tooling: Tooling, info: ValidationInfo) -> Tooling:
        classifier = tooling.classifier
        wrong = []
        for key in ("positive_priority", "negative_priority") if classifier.enabled else ():
            try:
                _known_priorities(cls, getattr(classifier, key), info)
            except ValueError as err:
                wrong.append(f"classifier.{key}: {err}")
        if wrong:
            raise ValueError("\n".join(wrong))
        return tooling

    @field_validator("costs")
    @classmethod
    def _teams_known(cls, costs: Costs, info: ValidationInfo) -> Costs:
        teams = _referred(info, "teams")
        if teams is None:
            return costs
        wrong = [f"teams.{name}: no such team; teams are {', '.join(teams)}" for name in costs.teams if name not in teams]
        wrong += [f"roles.{i}.teams: {name!r} is no such team; teams are {', '.join(teams)}"
                  for i, role in enumerate(costs.roles) for name in role.teams if name not in teams]
        if wrong:
            raise ValueError("\n".join(wrong))
        return costs

    @model_validator(mode="after")
    def _cross_references(self) -> "Scenario":
        """The checks that need the whole scenario; the names a key refers to (teams, priorities)
        are checked as each is read (:func:`names_referred_to`), so they are reported with every
        other problem of the file."""
        problems: list[str] = []
        if len(set(self.priorities)) != len(self.priorities):
            problems.append("priorities: each priority may appear once")
        for i, s in enumerate(self.demand):
            if s.priority_mix and self.tooling.classifier.enabled:
                problems.append(f"demand.{i}.priority_mix: the classifier sets every item's priority; "
                                "use one or the other")
            if s.unit not in self.review:
                problems.append(f"review.{s.unit}: stream {s.stream!r} sends {s.unit}s, so a review time for {s.unit} is needed")
        problems += self._routing_problems()
        known_metrics = [] if problems else metric_names(self)  # the names need consistent teams and routes
        problems += self._metric_name_problems(known_metrics)
        for i, target in enumerate(self.targets if known_metrics else []):
            if target.metric not in known_metrics:
                problems.append(f"targets.{i}.metric: unknown metric {target.metric!r}"
                                + did_you_mean(target.metric, known_metrics) + f"; metrics are {', '.join(known_metrics)}")
        classifier = self.tooling.classifier
        if classifier.enabled:
            for i, s in enumerate(self.demand):
                try:
                    classifier.rates(s.mix.criminal)
                except ValueError as err:
                    problems.append(f"tooling.classifier.precision: {err} (stream {s.stream!r}, demand.{i}.mix.criminal)")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @model_validator(mode="after")
    def _volumes_within_limits(self) -> "Scenario":
        """Refuse growth that would take a stream's rate past :data:`MAX_RATE` within the horizon
        (or, for a logistic curve, start it already at its ceiling): such numbers overflow."""
        problems = []
        years = self.clock.horizon / units.SECONDS_PER_YEAR
        for i, s in enumerate(self.demand):
            g, where = s.growth, f"demand.{i}.growth"
            if isinstance(g, GrowthExponential):
                doublings = self.clock.horizon / g.doubling_time
                if doublings > 1000 or (s.rate > 0 and math.log2(s.rate / MAX_RATE) + doublings > 0):
                    problems.append(f"{where}.doubling_time: doubling every {units.format_duration(g.doubling_time)} "
                                    f"for {units.format_duration(self.clock.horizon)} takes the rate past the largest "
                                    "allowed, 1e9/day; use a longer doubling time or a shorter horizon")
            elif isinstance(g, GrowthLinear) and s.rate * (1 + g.increase_per_year * years) > MAX_RATE:
                problems.append(f"{where}.increase_per_year: {g.increase_per_year:g} a year for {years:.3g} years takes "
                                "the rate past the largest allowed, 1e9/day")
            elif isinstance(g, GrowthLogistic):
                mid = ((g.midpoint - self.clock.start).days * units.SECONDS_PER_DAY
                       if isinstance(g.midpoint, dt.date) else g.midpoint)
                if g.steepness * mid < -30:  # the curve is within 1e-13 of its ceiling at time zero
                    problems.append(f"{where}.midpoint: the curve is already at its ceiling when the run starts "
                                    "(midpoint long before clock.start); use growth none with the ceiling as the rate")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _metric_name_problems(self, names: list[str]) -> list[str]:
        """Each name in ``names`` (:func:`~capsim.metric_names.metric_names`, the metrics a run reports)
        that two figures would have, as summary.csv's one row for both: laid at each team whose
        name ends it (a team's figures are named ``<metric>_<team>``: a team ``usable``'s utilisation
        would be the run's ``utilisation_usable``, a team ``urgent``'s mean wait the urgent items'
        ``wait_mean_urgent``), else at the priorities (``wait_mean_<priority>`` of a priority named
        ``missed_harmful`` is the classifier's ``wait_mean_missed_harmful``)."""
        twice = list(dict.fromkeys(name for name in names if names.count(name) > 1))
        problems: list[str] = []
        laid: set[str] = set()
        for i, team in enumerate(self.workforce if len(self.workforce) > 1 else []):
            if ours := [name for name in twice if name.endswith(f"_{team.team}")]:
                laid.update(ours)
                problems.append(f"workforce.{i}.team: {team.team!r} makes {_one_row(ours)}, as a team's figures "
                                "are named <metric>_<team>; name the team so that none of its <metric>_<team> is "
                                "another metric's name")
        if rest := [name for name in twice if name not in laid]:
            problems.append(f"priorities: a priority's name makes {_one_row(rest)}, as a priority's figures are "
                            "named sla_<priority>, wait_mean_<priority> and sla_<priority>_original; name the "
                            "priorities so that none of these is another metric's name")
        return problems

    def _routing_problems(self) -> list[str]:
        problems = []
        for i, route in enumerate(self.routing):
            for j, earlier in enumerate(self.routing[:i]):
                if (earlier.source, earlier.to) == (route.source, route.to) and can_both_match(earlier.when, route.when):
                    problems.append(
                        f"routing.{i}.when: rules {j} and {i} both send items from {route.source!r} to {route.to!r} "
                        f"and one item can match both (when {dict(earlier.when)} and when {dict(route.when)}); an item "
                        f"is referred at most once between two teams (the first rule it matches decides), so make "
                        f"the rules exclusive, e.g. by adding to rule {i} an attribute that rule {j} rules out")
        if not problems:
            try:
                self.team_order()
            except ValueError as err:
                problems.append(f"routing: {err}")
        return problems

    def referral_reach(self, teams: set[str], upstream: bool = False) -> set[str]:
        """The teams ``teams`` refer items to, directly or on through other teams (``routing``); with
        ``upstream``, the teams that refer items to them. ``teams`` themselves are left out."""
        reached: set[str] = set()
        edges = [(r.to, r.source) if upstream else (r.source, r.to) for r in self.routing]
        while more := {b for a, b in edges if a in teams | reached} - reached - teams:
            reached |= more
        return reached

    def team_order(self) -> list[int]:
        """Team indices in referral order (a team before every team it refers to).

        Raises ``ValueError`` naming the loop if the routing rules form one.
        """
        index = {t.team: i for i, t in enumerate(self.workforce)}
        downstream = {i: sorted({index[r.to] for r in self.routing if index[r.source] == i})
                      for i in range(len(self.workforce))}
        order: list[int] = []
        state: dict[int, str] = {}

        def visit(node: int, path: list[int]) -> None:
            if state.get(node) == "done":
                return
            if state.get(node) == "open":
                loop = path[path.index(node):] + [node]
                raise ValueError("the rules form a loop: " + " -> ".join(self.workforce[n].team for n in loop)
                                 + "; an item must not come back to a team that referred it")
            state[node] = "open"
            for nxt in downstream[node]:
                visit(nxt, path + [node])
            state[node] = "done"
            order.append(node)

        for node in range(len(self.workforce)):
            visit(node, [])
        return order[::-1]

    def team_of(self, stream: Stream) -> str:
        """Name of the team whose queue receives ``stream``."""
        return stream.team or self.workforce[0].team

    def review_time(self, team: str, unit: str) -> ReviewTime:
        """Time per item of ``unit`` at the team named ``team``, before tool factors: the team's
        ``task_time`` for everything it does (its own streams and referrals), else ``review.<unit>``."""
        return next(t for t in self.workforce if t.team == team).task_time or self.review[unit]

    @property
    def horizon(self) -> float:
        """Simulated time in seconds."""
        return self.clock.horizon


# --------------------------------------------------------------------------- loading


def load_scenario(
    source: str | Path | dict,
    overrides: list[str] | tuple[str, ...] = (),
) -> Scenario:
    """Read, inherit, override and validate a scenario.

    ``source`` is a path to a YAML file or an already-parsed mapping. ``overrides`` are
    ``dotted.key=value`` strings applied after inheritance; a list element can be named by
    its index or by its ``stream``/``team``/``priority`` name (``workforce.analysts.headcount=14``).
    """
    raw, origin = resolve_raw(source)
    raw = apply_overrides(raw, overrides, origin)
    scenario = validate(raw, origin, overrides)
    scenario._overrides = [f"--set {o}" for o in overrides]
    return scenario


def _figure_literal(ref: dict, where: str, used: list[str]) -> Any:
    """The literal a ``{figure: id}`` reference stands for, written with its unit."""
    from capsim.calibration import unit_of, value_of  # the figures table loads lazily
    from capsim.figures import UnknownFigureError

    unknown = set(ref) - {"figure", "per"}
    if unknown:
        raise ScenarioError(f"{where}: a figure reference takes 'figure' and optionally 'per', not {', '.join(sorted(unknown))}")
    fid = str(ref["figure"])
    try:
        value, unit = value_of(fid), unit_of(fid)
    except UnknownFigureError as err:
        raise ScenarioError(f"{where}: {err}") from None
    used.append(fid)
    if "per" in ref:
        return f"{value!r}/{ref['per']}"
    if unit.split("_")[0] in CURRENCIES:  # money (gbp_per_year): a plain amount
        return value
    if unit.startswith("seconds"):
        return f"{value!r}s"
    if unit == "hours_per_day":
        return f"{value!r}h/day"
    if unit.startswith("hours"):
        return f"{value!r}h"
    if unit == "days":
        return f"{value!r}d"
    for suffix, per in (("_per_day", "day"), ("_per_hour", "h"), ("_per_year", "year")):
        if unit.endswith(suffix):
            return f"{value!r}/{per}"
    return value


def resolve_figures(node: Any, where: str, used: list[str]) -> Any:
    """``node`` with every ``{figure: id}`` replaced by the figure's value; ids go to ``used``."""
    if isinstance(node, dict):
        if "figure" in node:
            return _figure_literal(node, where, used)
        return {k: resolve_figures(v, f"{where}.{k}" if where else str(k), used) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve_figures(v, f"{where}.{key_part(node, i, where)}", used) for i, v in enumerate(node)]
    return node


def resolve_raw(source: str | Path | dict) -> tuple[dict, str]:
    """The scenario mapping with ``extends:`` applied, and where it came from for messages: an
    :class:`Origin` for a file, ``"<scenario>"`` for a mapping."""
    if isinstance(source, dict):
        return dict(source), "<scenario>"
    user_file, *parents = _read_chain(Path(source))
    files = [user_file, *((path, {k: v for k, v in own.items() if k not in _NOT_INHERITED}) for path, own in parents)]
    origin = Origin.of_files([(bundled.shown(path), own) for path, own in files])
    for at, (_, own) in enumerate(files):  # before merging by name, which would keep one of the two
        problem = name_given_twice(own)
        if problem:
            raise ScenarioError(f"{origin.file(at)}: {problem}")
    raw: dict = {}
    for _, own in reversed(files):  # the first file extended, then each file that extends it
        raw = deep_merge(raw, own)
    return raw, origin


_NOT_INHERITED = ("name", "title")
"""Keys a scenario never takes from the file it ``extends:``."""


class Origin(str):
    """Where a scenario read from a file came from, as its messages name it: the file as the user
    gave it, then the files it ``extends:`` (``child.yaml (extends parent.yaml)``), each bundled
    one by its name (``growth-central (extends base)``, :func:`capsim.bundled.shown`).

    It also holds the mapping each file of that chain wrote itself, so that :meth:`of` can name
    the file a key's value came from.
    """

    files: tuple[tuple[str, dict], ...] = ()
    """Each file of the chain as named and its own mapping (without ``extends``, and without the
    keys a child never inherits), the user's file first."""

    @classmethod
    def of_files(cls, files: Sequence[tuple[str, dict]]) -> "Origin":
        """The origin of a scenario read from ``files`` (named, with their own mappings), the user's file first."""
        names = [name for name, _ in files]
        origin = cls(names[0] + (f" (extends {' -> '.join(names[1:])})" if len(names) > 1 else ""))
        origin.files = tuple(files)
        return origin

    def of(self, key: str) -> str:
        """The file of the chain that wrote the value at dotted ``key`` (as :func:`format_errors`
        gives it), as ``parent.yaml (extended by child.yaml)``; the whole origin where that is the
        user's file or no one file wrote it (a missing key)."""
        last = len(self.files) - 1  # the user's file, numbering from the first file extended
        writers = list(enumerate(own for _, own in reversed(self.files)))
        parts = key.split(".")
        for depth, part in enumerate(parts):
            writers = _merged_from(writers, parts[depth - 1] if depth else "")
            steps = [(i, step_into(node, part)) for i, node in writers]
            writers = [(i, child) for i, (found, child) in steps if found]
        return self.file(last - writers[-1][0] if writers else 0)

    def file(self, at: int) -> str:
        """The file at position ``at`` of the chain (0: the user's file, 1: the file it extends, ...)
        as messages name it: ``parent.yaml (extended by child.yaml)``; the whole origin for the user's file."""
        if at == 0:
            return str(self)
        names = [name for name, _ in self.files]
        return f"{names[at]} (extended by {' <- '.join(reversed(names[:at]))})"


def _merged_from(values: list[tuple[int, Any]], key: str) -> list[tuple[int, Any]]:
    """Of the values the files of an ``extends:`` chain give ``key`` (the first file extended
    first), those :func:`deep_merge` makes its value of: the last that replaces the ones before
    it, and those after it."""
    kept: list[tuple[int, Any]] = []
    for i, value in values:
        kept = [*kept, (i, value)] if kept and _merged_by(key, kept[-1][1], value) else [(i, value)]
    return kept


def _one_row(names: list[str]) -> str:
    """Metric names two figures would each have, as a message says it: "a metric name two figures
    would have (one row of summary.csv for both): utilisation_usable"."""
    which = "a metric name two figures would have" if len(names) == 1 else "metric names two figures would each have"
    return f"{which} (one row of summary.csv for both): {', '.join(names)}"


def _missing_hint(path: Path) -> str:
    """For a scenario file that does not exist: the file beside it whose name, without its extension, is
    nearest in spelling and at least 0.6 alike (:func:`closest`) (" (did you mean 'police-unit.yaml'?)"),
    else the nearest bundled scenario, run by its name (" (did you mean the bundled scenario
    'growth-high'?)"); "" when none is near."""
    here = _yaml_beside(path)  # by name without the extension: a match on ".yaml" alone is no likeness
    if near := closest(path.stem, here):
        return f" (did you mean {here[near]!r}?)"
    bundled_hint = closest(path.stem, bundled.names())
    return f" (did you mean the bundled scenario {bundled_hint!r}?)" if bundled_hint else ""


def _yaml_beside(path: Path) -> dict[str, str]:
    """The YAML files in ``path``'s folder, each by its name without the extension ("police-unit")
    → its name ("police-unit.yaml"); of two with one such name, the one with ``path``'s extension."""
    if not path.parent.is_dir():
        return {}
    files = sorted(path.parent.glob("*.y*ml"), key=lambda p: (p.suffix != path.suffix, p.name))
    found: dict[str, str] = {}
    for p in files:
        if p.is_file():
            found.setdefault(p.stem, p.name)
    return found


def _read_yaml(path: Path) -> dict:
    name = bundled.shown(path)
    try:
        text = safe_yaml.read_text(path)
    except FileNotFoundError:
        raise ScenarioError(f"{name}: no such file{_missing_hint(path)}") from None
    except safe_yaml.YAMLLimitError as err:
        raise ScenarioError(f"{name}: {err}") from None
    except OSError as err:
        raise ScenarioError(f"{name}: cannot be read ({err.strerror})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{name}: not a text file (a scenario is YAML text in UTF-8)") from None
    try:
        data = safe_yaml.load(text)
    except safe_yaml.YAMLLimitError as err:
        raise ScenarioError(f"{name}: {err}") from None
    except yaml.YAMLError as err:
        raise ScenarioError(f"{name}: not valid YAML{safe_yaml.explained(err)}") from None
    if data is None:
        raise ScenarioError(f"{name}: the file is empty; a scenario is a YAML mapping of keys (name, clock, demand, ...)")
    if not isinstance(data, dict):
        raise ScenarioError(f"{name}: a scenario is a YAML mapping of keys (name, clock, demand, ...), not {type(data).__name__}")
    return data


def _read_chain(path: Path) -> list[tuple[Path, dict]]:
    """The file at ``path`` and each file it ``extends:`` in turn, each with the mapping it
    holds (``extends`` taken out), the user's file first."""
    chain: list[tuple[Path, dict]] = []
    while True:
        if path.resolve() in [p.resolve() for p, _ in chain]:
            loop = " -> ".join(bundled.shown(p) for p in [*(p for p, _ in chain), path])
            raise ScenarioError(f"{bundled.shown(chain[-1][0])}: extends forms a loop ({loop})")
        data = _read_yaml(path)
        parent = data.pop("extends", None)
        chain.append((path, data))
        if parent is None:
            return chain
        name = bundled.shown(path)
        if not isinstance(parent, str):
            raise ScenarioError(f"{name}: extends: give the path of one scenario file, e.g. base.yaml")
        parent_path = path.parent / parent
        if not parent_path.exists():
            raise ScenarioError(f"{name}: extends: {parent}: no such scenario file (looked for "
                                f"{bundled.shown(parent_path)}){_extends_hint(parent, path.parent)}")
        path = parent_path


def _extends_hint(parent: str, folder: Path) -> str:
    """For an ``extends:`` file that is not in ``folder``: the scenario file there, or the bundled
    scenario, whose name is nearest in spelling (" (did you mean 'police-unit.yaml'?)"); a bundled
    one must be copied beside the file first, and the hint says how. "" when none is near."""
    here = {p.stem: p.name for p in sorted(folder.glob("*.y*ml")) if p.is_file()}
    hint = closest(Path(parent).stem, [*here, *bundled.names()])
    if hint is None:
        return ""
    if hint in here:
        return f" (did you mean {here[hint]!r}?)"
    asked = "" if f"{hint}.yaml" == parent else f"did you mean '{hint}.yaml'? "
    return (f"; {asked}{hint}.yaml is a bundled scenario: copy it beside yours first with "
            f"capsim scenarios --copy {hint} {folder}")


def deep_merge(base: dict, change: dict) -> dict:
    """``base`` updated by ``change``, as ``extends:`` does.

    Mappings merge key by key. Lists of named elements (streams, teams, SLAs) merge by
    name: an element whose name the base has changes only the keys it gives, a new name is
    added at the end, ``drop: true`` removes one, and an empty list removes them all. Any
    other value, and any other list (routing rules, priorities, roster days, table points),
    is replaced whole.
    """
    merged = dict(base)
    for key, value in change.items():
        how = _merged_by(key, merged.get(key), value)
        merged[key] = (deep_merge(merged[key], value) if how == "keys" else
                       _merge_by_name(merged[key], value) if how == "names" else value)
    return merged


def _merged_by(key: str, base: Any, change: Any) -> str:
    """How :func:`deep_merge` puts ``change`` at ``key`` over ``base``: ``"keys"`` (two mappings),
    ``"names"`` (two lists of named elements, in a list not :func:`~capsim.named_lists.counted`),
    or ``""`` (``change`` replaces ``base`` whole)."""
    if isinstance(change, dict) and isinstance(base, dict):
        return "keys"
    if change and not counted(key) and _named_list(change) and _named_list(base):
        return "names"
    return ""


def _named_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(element_name(e) is not None for e in value)


def name_given_twice(node: Any, where: str = "") -> str | None:
    """The first list of named elements in ``node`` (at dotted key ``where``) that names two
    elements alike, or names one by a list or a mapping, as "key: what is wrong", or None. A list that ``extends:`` merges by name
    (:func:`_merged_by`) must name each element once: merging would keep only one of the two."""
    if isinstance(node, dict):
        return next(filter(None, (name_given_twice(v, f"{where}.{k}" if where else str(k)) for k, v in node.items())), None)
    if not isinstance(node, list):
        return None
    if _named_list(node) and not counted(where):
        seen: set[Hashable] = set()
        for i, element in enumerate(node):
            name = element_name(element)
            if not isinstance(name, Hashable):  # a mapping or a list: no name to merge by
                kind = name_key(element)
                return (f"{where}.{i}.{kind}: a {kind}'s name is a word or a phrase, not a "
                        f"{'list' if isinstance(name, list) else 'mapping'} (got {name!r})")
            if name in seen:
                kind = name_key(element)
                return f"{where}: {kind} {name!r} is defined twice; names must be unique, so list each {kind} once"
            seen.add(name)
    return next(filter(None, (name_given_twice(v, f"{where}.{key_part(node, i, where)}") for i, v in enumerate(node))), None)


def _merge_by_name(base: list, change: list) -> list:
    merged = {element_name(e): e for e in base}
    for element in change:
        name = element_name(element)
        if element.get("drop") is True:
            merged.pop(name, None)
        elif name in merged:
            merged[name] = deep_merge(merged[name], element)
        else:
            merged[name] = element
    return list(merged.values())


def apply_overrides(raw: dict, overrides: list[str] | tuple[str, ...], origin: str) -> dict:
    """Apply ``dotted.key=value`` overrides; the value is read as YAML (``14``, ``5min``, ``[mon, tue]``)."""
    try:
        data = json.loads(json.dumps(raw, default=str))
    except ValueError:
        raise ScenarioError(f"{origin}: the scenario refers to itself (a YAML alias inside its own anchor)") from None
    for item in overrides:
        key, sep, text = item.partition("=")
        path = set_key(item)
        if not sep or not all(path):
            raise ScenarioError(f"{origin}: --set {item!r}: write it as dotted.key=value, e.g. workforce.analysts.headcount=14")
        try:
            value = safe_yaml.load(text)
        except safe_yaml.YAMLLimitError as err:
            raise ScenarioError(f"{origin}: --set {key.strip()}: the value {err}") from None
        except yaml.YAMLError as err:
            raise ScenarioError(f"{origin}: --set {key.strip()}: the value {text!r} is not valid "
                                f"YAML{safe_yaml.explained(err)} "
                                "(quote text that holds YAML punctuation, e.g. --set 'title=\"a: b\"')") from None
        _set_path(data, path, value, f"{origin}: --set {key.strip()}")
    return data


def set_key(item: str) -> list[str]:
    """The parts of the key a ``--set key=value`` item writes (``workforce.analysts.headcount``)."""
    return [part.strip() for part in item.partition("=")[0].split(".")]


def _set_path(node: Any, path: list[str], value: Any, where: str) -> None:
    head, rest = path[0], path[1:]
    if isinstance(node, list):
        index = _list_index(node, head, where)
        if not rest:
            node[index] = value
        else:
            _set_path(node[index], rest, value, where)
        return
    if not isinstance(node, dict):
        raise ScenarioError(f"{where}: {head!r} is below a plain value, which has no keys")
    if not rest:
        node[head] = value
        return
    if head not in node:
        node[head] = {}
    _set_path(node[head], rest, value, where)


def step_into(node: Any, part: str) -> tuple[bool, Any]:
    """One step down a dotted key: a mapping's key, or a list element by position or name.

    Returns (found, value); (False, None) where ``node`` has no such part.
    """
    if isinstance(node, dict):
        return (True, node[part]) if part in node else (False, None)
    if isinstance(node, list):
        index = element_index(node, part)
        return (False, None) if index is None else (True, node[index])
    return False, None


def _list_index(node: list, head: str, where: str) -> int:
    index = element_index(node, head)
    if index is not None:
        return index
    if head.isdigit():
        raise ScenarioError(f"{where}: index {head} is past the end of a list of {len(node)}")
    names = [str(element_name(e)) for e in node if element_name(e) is not None]
    raise ScenarioError(f"{where}: no element named {head!r}; use an index or one of {', '.join(names) or 'none'}")


_INVISIBLE = set("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Format characters that reorder or hide text on a terminal (bidirectional overrides, zero-width)."""


def control_character(node: Any, where: str = "") -> str | None:
    """The first key or text in ``node`` holding a control character, as "key: what", or None.

    Names and text are printed on terminals and in files: a NUL byte or an escape sequence
    must never reach them. Only ``description`` may hold line breaks and tabs.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{where}.{key}" if where else str(key)
            found = control_character(key, where) or control_character(value, path)
            if found:
                return found
        return None
    if isinstance(node, list):
        return next(filter(None, (control_character(v, f"{where}.{key_part(node, i, where)}") for i, v in enumerate(node))), None)
    if not isinstance(node, str):
        return None
    allowed = "\n\t" if where.rsplit(".", 1)[-1] == "description" else ""
    for char in node:
        if char not in allowed and (unicodedata.category(char) == "Cc" or char in _INVISIBLE):
            return (f"{where or '(top level)'}: {node[:40]!r} holds the control character U+{ord(char):04X}; "
                    "names and text may hold printable characters only")
    return None


def validate(raw: dict, origin: str = "<scenario>", overrides: Sequence[str] = (),
             settings: Sequence[tuple[str, str]] = ()) -> Scenario:
    """Validate a resolved mapping, turning every pydantic error into one readable message.

    ``overrides`` are the ``--set key=value`` items already applied to ``raw``, and ``settings``
    any applied after them by a sweep, each as how its messages name it and its ``key=value``
    item (``("--grid workforce.0.headcount=-1", "workforce.0.headcount=-1")``): each problem is
    laid at the last of them that wrote its value (a ``--set`` after the scenario ``origin`` it was
    given to; a sweep's setting as it is, under its grid point, which names the scenario), else at
    the file ``origin`` (:func:`_from_where`).
    """
    writers = [*((f"--set {item}", item, f"{origin}: ") for item in overrides),
               *((shown, item, "") for shown, item in settings)]

    def refuse(lines: list[tuple[str, str]]) -> ScenarioError:
        return ScenarioError("\n".join(dict.fromkeys(_from_where(k, m, raw, origin, writers) for k, m in lines)))

    used: list[str] = []
    problem = control_character(raw) or name_given_twice(raw)
    if problem:
        raise refuse([_key_and_message(problem)])
    try:
        literal = resolve_figures(raw, "", used)
    except ScenarioError as err:
        raise refuse([_key_and_message(str(err))]) from None
    uncertain: list[UncertainInput] = []
    try:  # an uncertain number runs at its central value; capsim.uncertainty samples over it
        literal = central_values(literal, "", uncertain, whole_number_key)
    except UncertainError as err:
        raise refuse([_key_and_message(str(err))]) from None
    try:
        scenario = Scenario.model_validate(literal, context=names_referred_to(literal))
    except ValidationError as err:
        raise refuse(format_errors(err, raw)) from None
    scenario._source = raw
    scenario._figures = list(dict.fromkeys(used))
    scenario._uncertain = uncertain
    return scenario


def _key_and_message(problem: str) -> tuple[str, str]:
    """A "key: what is wrong" problem as its key and the rest."""
    key, _, message = problem.partition(": ")
    return key, message


def _from_where(key: str, message: str, raw: dict, origin: str, writers: Sequence[tuple[str, str, str]]) -> str:
    """One line of a scenario's message: where the value at dotted ``key`` came from, the key and ``message``.

    ``writers`` are the overrides applied to ``raw`` in order, each as its messages name it, its
    ``key=value`` item and what its messages name before it (:func:`validate`). A key at or below
    one an override wrote came from the last such, named as the user typed it (a ``--set`` after the
    scenario it was given to, as one whose key is not there is named, :func:`apply_overrides`:
    ``child.yaml (extends parent.yaml): --set workforce.analysts.headcount=-3: ...``), the key again
    only when it lies below. Any other came from the file ``origin``, as changed by every override
    given: the file of its ``extends:`` chain that wrote it (:meth:`Origin.of`).
    """
    for shown, item, before in reversed(writers):
        written = dotted_key(raw, set_key(item))
        if key == written:
            return f"{before}{shown}: {message}"
        if key.startswith(written + "."):
            return f"{before}{shown}: {key}: {message}"
    changed = f" with {', '.join(shown for shown, _, _ in writers)}" if writers else ""
    return f"{origin.of(key) if isinstance(origin, Origin) else origin}{changed}: {key}: {message}"


def format_errors(err: ValidationError, raw: dict) -> list[tuple[str, str]]:
    """Each problem once, as its dotted key in ``raw`` (list elements by name, as ``--set`` takes
    them: :func:`~capsim.named_lists.dotted_key`) and what is wrong and what is allowed."""
    problems: list[tuple[str, str]] = []
    errors = err.errors(include_url=False)
    hinted = set()  # keys reported missing only because a near-miss spelling was given
    for e in errors:
        if e["type"] == "extra_forbidden":
            hint = closest(str(e["loc"][-1]), _allowed_keys(e["loc"][:-1]))
            if hint:
                hinted.add((*e["loc"][:-1], hint))
    for e in errors:
        loc = [p for i, p in enumerate(e["loc"])
               if not _is_union_tag(p) and p != "[key]"
               and not (p == "date" and i and e["loc"][i - 1] in {"at", "midpoint"})]  # date-or-duration branch
        key = dotted_key(raw, loc) or "(top level)"
        if e["type"] == "missing" and tuple(e["loc"]) in hinted:
            continue
        if e["type"] == "value_error":
            for line in e["msg"].removeprefix("Value error, ").splitlines():
                inner = re.match(r"([A-Za-z_][\w.]*): (.*)", line)
                if inner:
                    problems.append((dotted_key(raw, [*loc, *inner.group(1).split(".")]), inner.group(2)))
                else:
                    problems.append((key, line))
            continue
        if e["type"] == "extra_forbidden":
            allowed = _allowed_keys(e["loc"][:-1])
            message = f"unknown key {str(loc[-1])!r}" + did_you_mean(str(loc[-1]), allowed)
            message += f"; allowed here: {', '.join(allowed)}" if allowed else ""
        elif e["type"] == "missing":
            message = "required key is missing"
        elif e["type"] in {"union_tag_not_found", "union_tag_invalid"}:  # only growth has a tag
            key += ".model"
            message = f"the growth model must be one of {', '.join(_GROWTH_MODELS)}"
            if e["type"] == "union_tag_invalid":
                message += f" (got {e['ctx']['tag']!r})"
            else:
                message = "required key is missing: " + message
        elif e["type"].startswith(("date_", "datetime_")):
            message = f"{e.get('input')!r} is not a date: write it as YYYY-MM-DD, e.g. 2024-01-01"
        elif e["type"] == "float_parsing" and str(e.get("input", "")).strip().endswith("%"):
            message = (f"{e['input']!r} is a percentage: write a share as a number between 0 and 1, "
                       f"e.g. 0.9 for 90%")
        elif _share_above_one(e, _written_at(raw, loc, e.get("input"))):
            message = _share_message(e["input"], below=e["type"] == "less_than")
        elif e["type"] in _PLAIN:
            message = _plain_message(e, _written_at(raw, loc, e.get("input")))
        else:
            message = e["msg"].removeprefix("Value error, ")
            if e["type"] not in {"value_error"} and "input" in e and not isinstance(e["input"], (dict, list)):
                message += f" (got {e['input']!r})"
        problems.append((key, message))
    return problems


_PLAIN = {
    "int_from_float": "is not a whole number", "int_parsing": "is not a whole number",
    "int_type": "is not a whole number", "float_parsing": "is not a number", "float_type": "is not a number",
    "greater_than_equal": "is too small", "greater_than": "is too small",
    "less_than_equal": "is too large", "less_than": "is too large",
    "too_short": "has too few items", "too_long": "has too many items",
    "string_type": "is not text", "bool_type": "is not a yes/no answer", "bool_parsing": "is not a yes/no answer",
    "list_type": "is not a list", "dict_type": "is not a section", "model_type": "is not a section",
    "model_attributes_type": "is not a section", "literal_error": "is not one of the choices",
}
"""pydantic's error types that :func:`_plain_message` words, each as what is wrong with the value given."""


def _written_at(raw: dict, loc: Sequence, read: Any) -> Any:
    """The value at pydantic location ``loc`` as the scenario ``raw`` wrote it ("-5%"), where it is a
    number or text there; else ``read``, the value pydantic reports (a figure's, or one read from text)."""
    node: Any = raw
    for part in loc:
        found, node = step_into(node, str(part))
        if not found:
            return read
    return node if isinstance(node, (str, int, float)) and not isinstance(node, bool) else read


def _plain_message(error: dict, given: Any) -> str:
    """A pydantic ``error`` of a type in :data:`_PLAIN` as what was ``given``, what is wrong and what is
    allowed: "2.5 is not a whole number; allowed: a whole number from 0 to 100,000", "an empty list
    has too few items; allowed: a list of at least 1 item, e.g. [mon, tue, wed, thu, fri]". The
    bounds are the field's (:func:`_field_at`), else the error's own; a field that takes a share as a
    percentage gives them as both ("a number from 0 to 1, or a percentage from 0% to 100%")."""
    kind, ctx = error["type"], error.get("ctx") or {}
    field = _field_at(tuple(error["loc"]))
    if kind == "literal_error":
        allowed = f"one of {ctx.get('expected', '')}"
    elif kind in {"too_short", "too_long"}:
        allowed = _length_words(ctx, field)
    elif kind in {"string_type"}:
        allowed = "text"
    elif kind in {"bool_type", "bool_parsing"}:
        allowed = "true or false"
    elif kind == "list_type":
        allowed = "a list, e.g. [a, b]"
    elif kind in {"dict_type", "model_type", "model_attributes_type"}:
        allowed = "a section of key: value lines"
    else:
        allowed = _number_words(kind, field, ctx)
    return f"{_given(given)} {_PLAIN[kind]}; allowed: {allowed}"


_UNIT_NOUNS = {"parse_duration": "a duration", "parse_rate": "a rate", "parse_daily_cap": "hours a day"}
"""What a value read by each unit parser (:func:`_unit`) is called in a message."""


def _number_words(kind: str, field: Any, ctx: dict) -> str:
    """What number a ``field`` allows, for an error of type ``kind`` with context ``ctx``: "a whole number
    from 0 to 100,000", "a number from 0 to 1, or a percentage from 0% to 100%", "a duration from 0 to
    1000y" (a unit's bounds other than 0 are in seconds, so its parser's limit is named
    instead). The bounds are the field's (through ``Annotated`` and ``Optional``), else the error's."""
    metadata = _metadata(field.annotation, list(field.metadata)) if field is not None else []
    found = _bound_values(metadata) or _bound_values([ctx])
    unit = next((m.func for m in metadata if getattr(getattr(m, "func", None), "unit", None)), None)
    if unit is not None:
        zero = _bounds({name: value for name, value in found.items() if value == 0})
        limits = (f"from 0 to {unit.limit}" if zero == "0 or more" and unit.limit
                  else " and ".join(filter(None, [zero, unit.limit and f"at most {unit.limit}"])))
        return _UNIT_NOUNS[unit.unit] + (f" {limits}" if limits else "")
    whole = kind.startswith("int_") or (field is not None and _unwrapped(field.annotation) is int)
    limits = _bounds(found)
    if limits and field is not None and takes_percentage(field):
        limits += f", or a percentage {_bounds(found, percent=True)}"
    return ("a whole number" if whole else "a number") + (f" {limits}" if limits else "")


def takes_percentage(field: Any) -> bool:
    """Whether a schema ``field`` reads a percentage as a share ("15%" → 0.15: :func:`capsim.units.percent_share`),
    wherever its type says so (through ``Annotated`` and ``Optional``): for its messages and the reference."""
    return any(getattr(m, "func", None) is units.percent_share for m in _metadata(field.annotation, list(field.metadata)))


def _metadata(annotation: Any, metadata: list) -> list:
    """A field's ``metadata`` and that of the ``Annotated`` types inside its ``annotation`` (through
    ``Optional``): its bounds and validators wherever the type states them."""
    found = list(metadata)
    if typing.get_origin(annotation) is Annotated:
        return found + _metadata(typing.get_args(annotation)[0], list(annotation.__metadata__))
    if typing.get_origin(annotation) in (Union, types.UnionType):
        return found + [m for arg in typing.get_args(annotation) for m in _metadata(arg, [])]
    return found


def _given(value: Any) -> str:
    """A value given in a scenario, as a message names it: 2.5, 'abc', an empty list, a list of 3 items."""
    if isinstance(value, (list, tuple)):
        return "an empty list" if not value else f"a list of {_items(len(value))}"
    if isinstance(value, dict):
        return "a section" if value else "an empty section"
    if isinstance(value, float) and not isinstance(value, bool):
        return f"{value:g}"
    return repr(value) if isinstance(value, str) else str(value)


def _number(value: float, percent: bool = False) -> str:
    """A bound as a message shows it: 100,000, 24, 0.5; ``percent``: as a percentage, 50%."""
    if percent:
        return f"{value * 100:g}%"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _bound_values(metadata: Iterable[Any]) -> dict[str, float]:
    """The numeric bounds among a field's ``metadata`` (annotated_types ``Ge``, ``Gt``, ``Le``, ``Lt``,
    or an error's context holding ``ge``... as keys), by name: {"ge": 0, "le": 100000}."""
    found: dict[str, float] = {}
    for item in metadata:
        for name in ("ge", "gt", "le", "lt"):
            value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                found[name] = value
    return found


def _bounds(found: dict[str, float], percent: bool = False) -> str:
    """Bounds (:func:`_bound_values`) in words: "from 0 to 100,000", "above 0 and at most 24", "from 0 to
    below 1", "at most 5"; "" where there are none. ``percent``: as percentages ("from 0% to 100%")."""
    def shown(name: str) -> str:
        return _number(found[name], percent)

    low = f"{shown('ge')} or more" if "ge" in found else f"above {shown('gt')}" if "gt" in found else ""
    high = f"at most {shown('le')}" if "le" in found else f"below {shown('lt')}" if "lt" in found else ""
    if "ge" in found and high:
        return f"from {shown('ge')} to {high.removeprefix('at most ')}"
    return " and ".join(w for w in (low, high) if w)


def _length_words(ctx: dict, field: Any) -> str:
    """What length a list may have: "a list of at least 1 item", with the field's default list as an
    example where it has one ("…, e.g. [mon, tue, wed, thu, fri]")."""
    most, least = ctx.get("max_length"), ctx.get("min_length")
    allowed = (f"a list of at most {_items(most)}" if most is not None else f"a list of at least {_items(least or 1)}")
    default = field.get_default(call_default_factory=True) if field is not None else None
    if isinstance(default, list) and default:
        allowed += f", e.g. [{', '.join(map(str, default))}]"
    return allowed


def _items(count: int) -> str:
    """``count`` items: "1 item", "3 items"."""
    return f"{count} item{'' if count == 1 else 's'}"


def _field_at(loc: tuple) -> Any:
    """The schema's field (pydantic ``FieldInfo``) at the end of error location ``loc``, or None where
    the location ends inside one (a list element, a mapping's value) or cannot be told."""
    model: Any = Scenario
    field = None
    for part in loc:
        fields = getattr(model, "model_fields", {})
        if part in fields:
            field = fields[part]
            model = _model_in(field.annotation)
        elif part in _GROWTH_MODELS:
            model, field = _GROWTH_MODELS[part], None
        elif not _is_union_tag(part):  # a list index or a mapping key: inside the field, not it
            field = None
    return field


def _share_above_one(error: dict, value: Any) -> bool:
    """Whether a validation ``error`` is a number above a bound of 1, written as ``value`` (a number, not
    a percentage): a share (0.9) most likely written as a percentage (90)."""
    bound = (error.get("ctx") or {}).get("le" if error["type"] == "less_than_equal" else "lt")
    return (error["type"] in {"less_than_equal", "less_than"} and bound == 1
            and isinstance(value, (int, float)) and not isinstance(value, bool))


def _share_message(value: float, below: bool) -> str:
    """What is wrong with ``value`` where a share at most 1 (``below``: under 1) is wanted, and how to
    write it: "90 is more than 1: this is a share, at most 1; for 90% write 0.9 or 90%". A value above 100
    is no percentage of a share either, so the example is then 0.9 or 90%; 1 where a share must be
    below 1 is all of them, and has no example."""
    limit = "is not below 1: this is a share, below 1" if below else "is more than 1: this is a share, at most 1"
    if value <= 1:  # 1 where a share must be below 1: all of them, not a percentage
        return f"{value:g} {limit}"
    example = f"for {value:g}% write {value / 100:g} or {value:g}%" if value <= 100 else "e.g. 0.9 or 90%"
    return f"{value:g} {limit}; {example}"


_GROWTH_MODELS = {"none": GrowthNone, "linear": GrowthLinear, "exponential": GrowthExponential,
                  "logistic": GrowthLogistic, "table": GrowthTable}


def _is_union_tag(part: Any) -> bool:
    """pydantic puts union branch names in error locations; they are not keys of the file."""
    return isinstance(part, str) and (part in _GROWTH_MODELS or part.startswith(("function-", "nullable[")))


def _allowed_keys(loc: tuple) -> list[str]:
    """Keys allowed in the section at ``loc`` of the schema (empty if it cannot be told)."""
    model: Any = Scenario
    for part in loc:
        fields = getattr(model, "model_fields", {})
        if part in fields:
            model = _model_in(fields[part].annotation)
        elif part in _GROWTH_MODELS:
            model = _GROWTH_MODELS[part]
        # list indices, dict keys (team names, review units) and union tags keep the model
    return sorted(getattr(model, "model_fields", {}))


def whole_number_key(key: str) -> bool:
    """Whether the scenario key ``key`` (dotted, list elements by name or index, as ``--set`` takes
    it: ``workforce.analysts.headcount``) takes whole numbers only (``int`` in the schema): an
    uncertain number there is rounded to the nearest whole number (:mod:`capsim.uncertain_inputs`)."""
    annotations: list[Any] = [Scenario]
    for part in key.split("."):
        inside = [a for a in annotations if typing.get_origin(_unwrapped(a)) in (list, dict)]
        if inside:  # a list element (by name or index) or a mapping's key: its element's type
            annotations = [typing.get_args(_unwrapped(a))[-1] for a in inside]
            continue
        models = [m for a in annotations for m in _models_in(a) if part in m.model_fields]
        if not models:
            return False
        annotations = [m.model_fields[part].annotation for m in models]
    return bool(annotations) and all(_unwrapped(a) is int for a in annotations)


def _unwrapped(annotation: Any) -> Any:
    """``annotation`` without ``Annotated`` and ``Optional``: ``Optional[int]`` → ``int``."""
    while True:
        if typing.get_origin(annotation) is Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if typing.get_origin(annotation) in (Union, types.UnionType) and len(args) == 1:
            annotation = args[0]
            continue
        return annotation


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Every pydantic model a type annotation may hold directly (the branches of a union)."""
    annotation = _unwrapped(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if typing.get_origin(annotation) in (Union, types.UnionType):
        return [m for a in typing.get_args(annotation) for m in _models_in(a)]
    return []


def _model_in(annotation: Any) -> Any:
    """The first pydantic model inside a type annotation (through Optional, list, dict, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


_NOT_IN_FOLDER_NAMES = re.compile(r"[^A-Za-z0-9._-]+")


def folder_name(name: str) -> str:
    """``name`` reduced to a plain folder name: ASCII letters, digits, ``-``, ``_`` and ``.``; accents
    are dropped (``équipe`` → ``equipe``), any other run of characters (``/``, spaces, control
    characters) becomes one ``-``, and leading and trailing ``-`` and ``.`` go, so it is never ``.``,
    ``..`` or hidden. "" where nothing is left (``..``, ``日本``): a scenario so named has no default
    output folder (:func:`capsim.output.safe_name` cuts this to its length and refuses "")."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NOT_IN_FOLDER_NAMES.sub("-", text).strip("-.")


def name_warnings(scenario: Scenario) -> list[str]:
    """For ``capsim validate``: a name that gives no default output folder (:func:`folder_name`), which a
    command writing one refuses (with its own message) unless ``--out`` chooses the folder; [] otherwise."""
    if folder_name(scenario.name):
        return []
    return [f"name: {scenario.name!r} gives no usable folder name (it needs a letter or a digit), so a command "
            "without --out refuses it; rename the scenario, or choose the output folder with --out"]


def scenario_warnings(scenario: Scenario) -> list[str]:
    """Settings that are valid but almost surely mistakes, one line each ("key: what and why").

    A team with no analysts that receives work, a
    team that receives none, a team none of whose shift patterns serves a priority it receives
    (:func:`_unserved`), a stream's ``priority`` that its ``priority_mix`` overrides, an SLA longer than the horizon, an exposure cap longer than the shift (it never binds) or written
    without "/day", a tool switched on that changes nothing (:func:`idle_tools`). The run goes
    ahead; the command line prints these on standard error, the web page above its inputs.
    """
    found = []
    fed: dict[str, list[str]] = {t.team: [] for t in scenario.workforce}
    for s in scenario.demand:
        fed[scenario.team_of(s)].append(f"stream {s.stream!r}")
    for r in scenario.routing:
        fed[r.to].append(f"referrals from {r.source!r}")
    raw_teams = scenario.source.get("workforce") if isinstance(scenario.source.get("workforce"), list) else []
    for i, team in enumerate(scenario.workforce):
        where = dotted_key(scenario.source, ("workforce", i))  # the team by name, as --set takes it
        if not fed[team.team]:
            found.append(f"{where}: team {team.team!r} receives no work: no stream names it (demand[].team) "
                         "and no routing rule sends to it")
        elif team.headcount == 0 and all(c.headcount == 0 for c in team.changes):
            found.append(f"{where}.headcount: team {team.team!r} has no analysts but receives work "
                         f"({', '.join(fed[team.team])}): its queue only grows")
        hours = max(p.hours_per_day for p in team.shifts) if team.shifts else team.roster.hours_per_day
        shift = hours * units.SECONDS_PER_HOUR + (team.overtime or 0.0)  # the longest shift pattern's
        if team.exposure_cap is not None and team.exposure_cap > shift:
            found.append(f"{where}.exposure_cap: {units.format_duration(team.exposure_cap)} a day is longer than "
                         f"the {units.format_duration(shift)} shift, so it never limits review")
        written = raw_teams[i].get("exposure_cap") if i < len(raw_teams) and isinstance(raw_teams[i], dict) else None
        if isinstance(written, str) and "/" not in written and written.strip().lower() not in {"none", "no", "off"}:
            found.append(f"{where}.exposure_cap: {written!r} has no \"/day\"; it is read as {written.strip()}/day "
                         "(write it so, e.g. 4h/day)")
    found += _unserved(scenario)
    for i, stream in enumerate(scenario.demand):
        if stream.priority_mix and "priority" in stream.model_fields_set:
            found.append(f"{dotted_key(scenario.source, ('demand', i))}.priority: {stream.priority!r} is not used: "
                         "priority_mix draws each item's priority; remove priority (or priority_mix)")
    for i, sla in enumerate(scenario.sla):
        if sla.within > scenario.clock.horizon:
            found.append(f"{dotted_key(scenario.source, ('sla', i))}.within: {units.format_duration(sla.within)} is longer than clock.horizon "
                         f"({units.format_duration(scenario.clock.horizon)}), so no item can miss it within the run")
    return found + idle_tools(scenario)


def unserved_priorities(scenario: Scenario, team: Team) -> list[str]:
    """The priorities ``team`` receives items of (a stream, a referral or a classifier's queue sends some:
    :func:`_senders`) that none of its shift patterns serves (:meth:`Team.serves`): those items are never
    reviewed, whatever the headcount."""
    return [p for p in team_priorities(scenario)[team.team] if not team.serves(p) and _senders(scenario, team.team, p)]


def _unserved(scenario: Scenario) -> list[str]:
    """One line per team whose shift patterns all list the priorities they serve (``serves``) and that
    receives items of a priority none lists: those items are never reviewed. Each names the key, the
    team, the priorities, what sends them (:func:`_senders`) and what to set."""
    found = []
    for i, team in enumerate(scenario.workforce):
        missing = unserved_priorities(scenario, team)
        if not missing:
            continue
        patterns = team.shifts or []
        key = dotted_key(scenario.source, ("workforce", i, "shifts", *((0, "serves") if len(patterns) == 1 else ())))
        serving = team.serving_words()
        if len(missing) == 1:
            sent = "from " + _and(_senders(scenario, team.team, missing[0]))
        else:
            sent = "; ".join(f"{p} from {_and(_senders(scenario, team.team, p))}" for p in missing)
        if len(patterns) == 1:
            remedy = (f"add {_and(missing)} to its serves (serves: [{', '.join([*(patterns[0].serves or []), *missing])}]), "
                      "or leave serves out (the pattern then serves every priority)")
        else:
            remedy = f"add {_and(missing)} to a pattern's serves, or leave serves out of one (it then serves every priority)"
        found.append(f"{key}: team {team.team!r} receives {_and(missing)} items ({sent}) but no shift pattern serves "
                     f"{_and(missing)} ({serving}): those items are never reviewed and wait "
                     f"to the end of the run, whatever the headcount; {remedy}")
    return found


def _and(words: Sequence[str]) -> str:
    """Words joined for a sentence: "a", "a and b", "a, b and c"."""
    return " and ".join(filter(None, [", ".join(words[:-1]), words[-1]])) if words else ""


def _senders(scenario: Scenario, team: str, priority: str) -> list[str]:
    """What sends ``team`` items of ``priority``: "stream 'x'" (its ``priority``, or a share of its
    ``priority_mix`` above 0), "stream 'x' (the classifier's flagged items)" where the classifier sets
    the priority, "referrals from 'y'" (a routing rule's ``priority``, or the sending team's items')."""
    classifier = scenario.tooling.classifier
    queues = {classifier.positive_priority: "flagged", classifier.negative_priority: "unflagged"}
    sent = []
    for s in scenario.demand:
        if scenario.team_of(s) != team:
            continue
        if classifier.enabled and priority in queues:
            sent.append(f"stream {s.stream!r} (the classifier's {queues[priority]} items)")
        elif not classifier.enabled and (s.priority_mix or {s.priority: 1.0}).get(priority, 0) > 0:
            sent.append(f"stream {s.stream!r}")
    handled = team_priorities(scenario)
    sent += [f"referrals from {r.source!r}" for r in scenario.routing
             if r.to == team and (r.priority == priority or (r.priority is None and priority in handled[r.source]))]
    return list(dict.fromkeys(sent))
