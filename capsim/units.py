"""Quantities with units, as written in scenario files.

capsim keeps time in **seconds** inside the engine. Scenario files write durations and rates
with their unit so that a reader never has to guess: ``28.4s``, ``5min``, ``7.5h``, ``30d``,
``2w``, ``3y``; ``370/day``, ``291273/year``, ``12/h``. A year is 365.25 days, so that an
annual volume spread over a year of simulated time comes back whole.

Written back for a reader: :func:`duration_text` (a deadline or lead time: 72 h, 91 d), with
numbers in :func:`plain_number` (never scientific notation), and durations given in hours by
:func:`hours_words` (40 min, 26 h, 3.1 days), several in one sentence in one unit
(:func:`durations_words`), and shares as percentages (:func:`percent`; beside a target,
:func:`percent_against`, never on its wrong side; a target itself as it was set,
:func:`target_percent`): the rules :mod:`capsim.words`, the SLA names of
:mod:`capsim.metric_names`, the comparisons and the staffing solver's notes use.

>>> parse_duration("28.4s")
28.4
>>> parse_duration("7.5h")
27000.0
>>> parse_rate("370/day") * 86400
370.0
>>> parse_daily_cap("4h/day")
14400.0
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

_UNIT_NAMES: dict[float, tuple[str, ...]] = {
    1.0: ("s", "sec", "secs", "second", "seconds"),
    60.0: ("min", "mins", "minute", "minutes"),
    3600.0: ("h", "hr", "hrs", "hour", "hours"),
    86400.0: ("d", "day", "days"),
    7 * 86400.0: ("w", "wk", "wks", "week", "weeks"),
    365.25 * 86400.0: ("y", "yr", "yrs", "year", "years"),
}
SECONDS: dict[str, float] = {name: size for size, names in _UNIT_NAMES.items() for name in names}
"""Seconds in one of each time unit a scenario may use: the one table every duration, rate
and daily cap is read with (case-insensitive). "m" is not in it: minutes or months?"""

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_DAY = 86400.0
SECONDS_PER_YEAR = SECONDS["y"]

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_DURATION = re.compile(rf"^\s*({_NUMBER})\s*([a-zA-Z]+)\s*$")
_RATE = re.compile(rf"^\s*({_NUMBER})\s*/\s*({_NUMBER})?\s*([a-zA-Z]+)\s*$")

DURATION_HELP = "a number and a unit (s, min, h, d, w, y; or sec, mins, hr, hours, days, wk, yr ...), e.g. 28.4s, 5min, 24h, 30d"
RATE_HELP = "a count per time unit, e.g. 370/day, 12/h, 291273/year"


class UnitError(ValueError):
    """A quantity that cannot be read: the message says what is allowed."""


def parse_duration(text: str | float | int) -> float:
    """Return a duration in seconds from text such as ``"28.4s"`` or ``"24h"``.

    A bare number is accepted only when it is zero (zero needs no unit); anything else
    without a unit is refused, because "30" could mean seconds, minutes or days.
    """
    if isinstance(text, bool):
        raise UnitError(f"{text!r} is not a duration: use {DURATION_HELP}")
    if isinstance(text, (int, float)):
        if text == 0:
            return 0.0
        raise UnitError(f"{text!r} has no unit: use {DURATION_HELP}")
    match = _DURATION.match(str(text))
    if re.fullmatch(_NUMBER, str(text).strip()):
        raise UnitError(f"{text!r} has no unit: use {DURATION_HELP}")
    if not match or match.group(2).lower() not in SECONDS:
        raise UnitError(f"{text!r} is not a duration: use {DURATION_HELP}")
    value = float(match.group(1)) * SECONDS[match.group(2).lower()]
    if not math.isfinite(value):
        raise UnitError(f"{text!r} is not a finite duration")
    return value


def parse_rate(text: str | float | int) -> float:
    """Return a rate in events per second from text such as ``"370/day"`` or ``"3/2h"``.

    A bare zero is accepted (no arrivals); any other bare number is refused.
    """
    if isinstance(text, bool):
        raise UnitError(f"{text!r} is not a rate: use {RATE_HELP}")
    if isinstance(text, (int, float)):
        if text == 0:
            return 0.0
        raise UnitError(f"{text!r} has no time unit: use {RATE_HELP}")
    match = _RATE.match(str(text))
    if re.fullmatch(_NUMBER, str(text).strip()):
        raise UnitError(f"{text!r} has no time unit: use {RATE_HELP}")
    if not match or match.group(3).lower() not in SECONDS:
        raise UnitError(f"{text!r} is not a rate: use {RATE_HELP}")
    per = float(match.group(2)) if match.group(2) else 1.0
    if per <= 0:
        raise UnitError(f"{text!r}: the time after '/' must be positive")
    value = float(match.group(1)) / (per * SECONDS[match.group(3).lower()])
    if not math.isfinite(value):
        raise UnitError(f"{text!r} is not a finite rate")
    return value


def parse_daily_cap(text: str | None) -> float | None:
    """Return a daily exposure cap in seconds per day, or None for ``none``/null.

    Written as hours of exposure per day (``"4h/day"``) or as a plain duration (``"4h"``).
    """
    if text is None or (isinstance(text, str) and text.strip().lower() in {"none", "no", "off"}):
        return None
    if isinstance(text, str) and "/" in text:
        amount, _, per = text.partition("/")
        if SECONDS.get(per.strip().lower()) != SECONDS_PER_DAY:
            raise UnitError(f"{text!r} is not a daily cap: write it per day, e.g. 4h/day, or none")
        return _daily(parse_duration(amount), text)
    return _daily(parse_duration(text), text)


def _daily(seconds: float, text: object) -> float:
    if not 0 <= seconds <= SECONDS_PER_DAY:
        raise UnitError(f"{text!r} is not a daily cap: it must be between 0h/day and 24h/day, e.g. 4h/day, or none")
    return seconds


def round_sig(x: float, digits: int = 2) -> float:
    """``x`` rounded to ``digits`` significant figures (whole numbers stay whole above 100)."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, -int(math.floor(math.log10(abs(x)))) + digits - 1)


def plain_number(x: float, digits: int = 3) -> str:
    """``x`` to ``digits`` significant figures as ``:g`` writes them (no trailing zeros), but never
    in scientific notation: 1,230; 0.0412; 130; 26."""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    rounded = round_sig(x, digits)
    places = max(0, digits - 1 - int(math.floor(math.log10(abs(rounded)))))
    text = f"{rounded:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def duration_text(seconds: float) -> str:
    """A scenario duration (a deadline, a lead time) for labels: 72 h, 30 min, 2 d."""
    if seconds > 4 * SECONDS_PER_DAY and seconds % SECONDS_PER_DAY == 0:
        return f"{plain_number(seconds / SECONDS_PER_DAY, 6)} d"
    if seconds >= SECONDS_PER_HOUR:
        return f"{plain_number(seconds / SECONDS_PER_HOUR, 6)} h"
    return f"{plain_number(seconds / 60, 6)} min"


def format_duration(seconds: float) -> str:
    """Write a duration in seconds back in the largest unit that keeps it readable."""
    for unit, size in (("d", SECONDS_PER_DAY), ("h", SECONDS_PER_HOUR), ("min", 60.0)):
        if abs(seconds) >= size:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


def unsigned_zero(text: str) -> str:
    """``text`` without its sign when the number in it reads as zero: "-0.0" → "0.0" (never "−0.0")."""
    bare = text.lstrip("+-\u2212")
    return bare if not bare.replace(",", "").replace(".", "").strip("0") else text


LONG_WAIT_HOURS = 48
"""Durations longer than this many hours are written in days (670 h reads "28 days")."""

UNIT_HOURS = {"min": 1 / 60, "h": 1.0, "days": 24.0}
"""Hours in each unit a duration is written in (:func:`duration_unit`)."""


def duration_unit(*hours: float) -> str:
    """The one unit for every duration of a sentence, given in hours, chosen once by the largest
    of them: "min" below an hour, "h" up to :data:`LONG_WAIT_HOURS`, "days" above (n/a ignored),
    so that no sentence reads "within 41.9 h ... within 115 days"."""
    top = max((abs(h) for h in hours if math.isfinite(h)), default=0.0)
    return "min" if top < 1 else "h" if top <= LONG_WAIT_HOURS else "days"


def hours_words(h: float, unit: str | None = None) -> str:
    """A duration given in hours, in the unit a reader would use: 40 min, 26 h, 3.1 days
    (:func:`duration_unit`), or in the ``unit`` of the sentence it is in."""
    if not math.isfinite(h):
        return "n/a"
    unit = unit or duration_unit(h)
    x = h / UNIT_HOURS[unit]
    if unit == "min":
        return "under 1 min" if 0 < x < 0.5 else unsigned_zero(f"{x:.0f}") + " min"
    text = plain_number(x) if unit == "h" else plain_number(x, 2) if x < 10 else f"{x:,.0f}"
    return f"{text} {'day' if text == '1' and unit == 'days' else unit}"


def durations_words(*hours: float) -> list[str]:
    """Durations given in hours for one sentence, all in one unit (:func:`duration_unit`):
    41.9 h and 2,760 h read "1.7 days" and "115 days"."""
    unit = duration_unit(*hours)
    return [hours_words(h, unit) for h in hours]


# --------------------------------------------------------------------------- shares


SHARE_DECIMALS = 2
"""The most decimals of a percentage a share is written with: a share is a simulation estimate with
an interval, and more digits (99.9999%) are false precision."""


def percent(x: float, digits: int = 0) -> str:
    """A share (0–1) as a percentage with ``digits`` decimals (0 to :data:`SHARE_DECIMALS`):
    0.937 → 94%. A share strictly between 0 and 1 never reads 0% or 100%: it takes the decimals it
    needs up to :data:`SHARE_DECIMALS` (0.9995 → 99.95%, 0.0004 → 0.04%) and, closer than that,
    says how close it is: "over 99.99%", "under 0.01%"; exactly 0 and 1 read 0% and 100%. So an
    interval's bound below 100% never reads 100% either."""
    if not math.isfinite(x):
        return "n/a"
    if x in (0.0, 1.0):  # none or all of them: exactly, without decimals that suggest rounding
        return f"{100 * x:.0f}%"
    text = unsigned_zero(_share_digits(x, digits))
    if 0 < x < 1 and float(text) in (0.0, 100.0):  # beyond the decimals a share is given to: say how close
        step = 10.0 ** -SHARE_DECIMALS
        return f"under {step:.{SHARE_DECIMALS}f}%" if x < 0.5 else f"over {100 - step:.{SHARE_DECIMALS}f}%"
    return f"{text}%"


def share_text(x: float, more: int = 0) -> str:
    """A share (0–1) as every table and finding writes it (:func:`percent`): to one decimal, with ``more``
    beyond it for an interval's ends that would read alike (:func:`interval_ends`), never beyond
    :data:`SHARE_DECIMALS` (false precision): 0.937 → "93.7%"."""
    return percent(x, min(1 + more, SHARE_DECIMALS))


def percent_against(share: float, target: float, digits: int = 0) -> str:
    """A share quoted beside its target (both 0–1), as :func:`percent` writes it with ``digits``
    decimals or, where that would put it on the other side of the target, the fewest more (up to
    :data:`SHARE_DECIMALS`) that keep it on its own side: 0.899 against 0.9 reads 89.9%, never 90%
    (a missed target read as met); closer than that, "just under 90%"."""
    if not (math.isfinite(share) and math.isfinite(target)):
        return percent(share, digits)
    for places in range(digits, max(digits, SHARE_DECIMALS) + 1):
        if (round(100 * share, places) < 100 * target) == (share < target):
            return percent(share, places)
    return f"just under {target_percent(target)}"


TARGET_DECIMALS = 6
"""The most decimals of a percentage a target is written with (:func:`target_percent`): a target is
what the user set, not an estimate, so it is never rounded to :data:`SHARE_DECIMALS`."""


def target_percent(target: float) -> str:
    """A target share (0–1) as a percentage written as it was given: with the fewest decimals (up to
    :data:`TARGET_DECIMALS`) that write it whole, so that a reader quotes the target that was set,
    never a rounded one nor a bound ("over 99.99%"): 0.9 → "90%", 0.985 → "98.5%", 0.9995 → "99.95%",
    0.99995 → "99.995%"."""
    if not math.isfinite(target):
        return "n/a"
    whole = round(100 * target, TARGET_DECIMALS)
    exact = next(d for d in range(TARGET_DECIMALS + 1) if round(100 * target, d) == whole)
    return unsigned_zero(f"{100 * target:.{exact}f}") + "%"


def _share_digits(x: float, digits: int) -> str:
    """100 × ``x`` with ``digits`` decimals, or more (up to :data:`SHARE_DECIMALS`) if it would
    round to 0 or 100 while ``x`` is strictly between 0 and 1."""
    text = f"{100 * x:.{digits}f}"
    while 0 < x < 1 and float(text) in (0.0, 100.0) and digits < SHARE_DECIMALS:
        digits += 1
        text = f"{100 * x:.{digits}f}"
    return text


def target_side(mean: float, low: float, high: float, target: float, ci: str = "") -> tuple[str, str]:
    """Whether a share (0–1: its ``mean`` over the replications and 95% interval ``low`` to ``high``)
    meets its ``target`` (0–1), said only as far as the interval allows, and the hedge that goes with
    it: ("met", "") where the whole interval is at or above the target, ("missed", "") where it is
    wholly below; otherwise ("met on average", "the 95% CI reaches below the target") or ("missed
    on average", "the 95% CI reaches above the target"), with ``ci`` (the interval in words,
    "81.2% to 100%") inside the hedge where given: "the 95% CI, 81.2% to 100%, reaches below the
    target". An interval with a NaN end (one replication) decides nothing: "met on average", no hedge."""
    if math.isfinite(low) and low >= target:
        return "met", ""
    if math.isfinite(high) and high < target:
        return "missed", ""
    met = mean >= target
    if not (math.isfinite(low) and math.isfinite(high)):
        return f"{'met' if met else 'missed'} on average", ""
    named = f"95% CI, {ci}," if ci else "95% CI"
    return f"{'met' if met else 'missed'} on average", f"the {named} reaches {'below' if met else 'above'} the target"


def target_verdict(mean: float, low: float, high: float, target: float, ci: str = "") -> str:
    """:func:`target_side` as one phrase: "met", "missed", "met on average, but the 95% CI reaches
    below the target"."""
    side, hedge = target_side(mean, low, high, target, ci)
    return f"{side}, but {hedge}" if hedge else side


def why_no_interval(difference: float, low: float, high: float) -> str | None:
    """Why a paired difference has no 95% interval to give, or None where it has one: one
    replication, or the same difference in every replication (none at all, or always the same)."""
    if not math.isfinite(low):
        return "one replication: no interval"
    if low == high:
        return "no difference in any replication" if difference == 0 else "the same in every replication"
    return None


def percent_share(value: object) -> object:
    """A number written as a percentage ("22%", "+30%") as a share (0.22); any other value as it is (the
    field's own validation then reads it). Raises ValueError for a "%" that follows no number."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return float(value.strip()[:-1].strip()) / 100
        except ValueError:
            raise ValueError(f"{value!r} is not a percentage, e.g. 30% (or 0.3)") from None
    return value


# --------------------------------------------------------------------------- intervals


MORE_DECIMALS = 3
"""The most decimals an interval's ends take beyond their mean's to read apart (:func:`interval_ends`)."""


def ends_apart(low: float, high: float, write: Callable[[float, int], str],
               bounds: tuple[float, float] = (-math.inf, math.inf)) -> tuple[tuple[str, str], int] | None:
    """The ends of a 95% CI ``low`` to ``high`` clipped to ``bounds`` (the values the quantity can take),
    each as ``write(x, more)`` gives it with ``more`` decimals beyond its own, and that ``more``: none, or
    where two ends that differ would read alike, the fewest that tell them apart, up to :data:`MORE_DECIMALS`
    ("£1.516 to £1.524", not "£1.52 to £1.52"; "89.94% to 89.98%", not "89.9% to 89.9%"), so that the mean
    beside them can take as many (:func:`capsim.words.with_interval`). None where there is no interval:
    an end not known (one replication), or both the same."""
    if not (math.isfinite(low) and math.isfinite(high)) or low == high:
        return None
    low, high = max(low, bounds[0]), min(high, bounds[1])
    for more in range(MORE_DECIMALS + 1):
        ends = write(low, more), write(high, more)
        if ends[0] != ends[1]:
            break
    return ends, more


def interval_ends(low: float, high: float, write: Callable[[float, int], str],
                  bounds: tuple[float, float] = (-math.inf, math.inf)) -> tuple[str, str] | None:
    """The ends of :func:`ends_apart`: the one rule every interval of a level is written by
    (:func:`capsim.words.interval_bounds`, the comparisons' team lines); what to say of an end held at a
    share's bound: :func:`held_words`."""
    found = ends_apart(low, high, write, bounds)
    return found[0] if found else None


HELD_TOLERANCE = 1e-12
"""How near (in shares, 0–1) an interval's end must be to a bound to have been held at it: a clipped
end is the bound itself, or, for a difference, the bound less a mean, to the last bits (an end not yet
clipped, past the bound, is held at it too)."""


def held_words(low: float, high: float, floor: float = 0.0, ceiling: float = 1.0, difference: bool = False) -> str:
    """What follows a share's 95% CI whose end was held at the bound of what a share can be (an interval
    that would reach past 0% or 100% is cut there: :func:`capsim.results.mean_ci`), so that its end is
    not read as estimated: ", upper end held at the 100% maximum", ", lower end held at the 0% minimum",
    ", ends held at the 0% minimum and the 100% maximum"; "" where neither end was held, or there is no
    interval. ``low`` to ``high``: the interval as clipped, between ``floor`` and ``ceiling`` (a share's:
    0 and 1). For a ``difference`` of shares, between ``-before`` and ``1 - before`` (``before``: the
    share it is from), its ends in points: ", one end held where the share reaches 100%"."""
    if not (math.isfinite(low) and math.isfinite(high)) or low == high:
        return ""
    lower, upper = low <= floor + HELD_TOLERANCE, high >= ceiling - HELD_TOLERANCE  # at the bound, or past it
    said = [words for held, words in ((lower, ("lower", "0%", "minimum")), (upper, ("upper", "100%", "maximum")))
            if held]
    if not said:
        return ""
    if difference:  # "upper" and "lower" would be ambiguous beside a fall said as a size ("1.1 to 5.3 points lower")
        return f", {'ends' if len(said) == 2 else 'one end'} held where the share reaches " \
               + " and ".join(bound for _, bound, _ in said)
    return f", {'ends' if len(said) == 2 else said[0][0] + ' end'} held at " \
           + " and ".join(f"the {bound} {extreme}" for _, bound, extreme in said)
