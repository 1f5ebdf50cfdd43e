"""Numbers as a reader sees them: counts, shares, durations, money, differences and intervals.

The one place that decides how a number is written in a chart title, a finding, a table or a
caption, so that charts, the report, the CLI and the web page say the same number the same way.
Each kind of number has one rule here:

- counts: :func:`count_words` (2,100; 1.2 million), rounded with :func:`round_sig`;
- shares: :func:`percent` (94%; 99.95%; over 99.99%: never more than two decimals);
- durations: :func:`hours_words` (a time in hours: 40 min, 26 h, 3.1 days), :func:`span_words`
  (a run's length: 11 months, three years), :func:`period_words` (dated days that are not a whole
  year: 1 Jan–27 Feb 2025 (58 days)), :func:`wait_words` (a wait in prose, with its
  interval: 26 hours, 28 days), :func:`duration_text` (a deadline or lead time
  given in seconds: 72 h, 30 d), :func:`seconds_text` (a time per item: 28.4 s, 1.5 min); a
  sentence that gives several durations gives them all in one unit, chosen once by the largest
  (:func:`duration_unit`, :func:`durations_words`: "within 1.7 days ... within 115 days");
- money: :func:`money` (in titles: GBP 1.2 million) and :func:`fmt` (in findings: £93,000);
- a metric's value: :func:`value_text` (titles) and :func:`fmt` (findings, to match summary.csv);
- differences: :func:`signed` (a true minus sign; shares in percentage points, to at most
  :data:`SHARE_DECIMALS` decimals as the shares themselves);
- intervals: :func:`interval` (``95% CI a to b``, clipped to the metric's range; an end held at a
  share's bound, or a utilisation's past 100%, said: :func:`range_words`);
- spreads: :func:`plus_minus` (``1,234 ± 56``; a share's in points: ``31.5% ± 4.7 points``).

Names are listed by :func:`and_list` ("analysts, graders and victim_id").

Items and SLAs are named by :func:`items_words` and :func:`sla_words` ("urgent reports within
24 h"), deadlines written by :func:`duration_text` with :func:`plain_number` and
:func:`round_sig`, and durations in hours by :func:`hours_words`, :func:`duration_unit` and
:func:`durations_words`; these live below, in :mod:`capsim.metric_names` and :mod:`capsim.units`, so
that the staffing solver's notes name a service level and word a wait as the tables do, and are
re-exported here.

Why it is one module: these rules lean on each other (a value's text is a count's, a share's or
a duration's; an interval shares its estimate's decimals and unit), and a reader compares numbers
across outputs only if one module writes them all; split, two copies of a rule would drift.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

from capsim.metric_names import (BACKLOG_WORDS, backlog_words, items_words, referrals_only, sla_words,
                                 team_brackets)
from capsim.metrics import metric_range
from capsim.units import (HELD_TOLERANCE, MORE_DECIMALS, SECONDS_PER_HOUR, SHARE_DECIMALS, UNIT_HOURS,  # noqa: F401
                          duration_text, duration_unit, durations_words, ends_apart, held_words, hours_words, interval_ends,
                          percent, percent_against, plain_number, round_sig, share_text, target_side,
                          target_verdict, unsigned_zero, why_no_interval)  # (re-exported: shares, their verdicts
# and intervals' ends are written in units, below the results layer, which the comparisons use too)

NBSP = "\u00a0"
"""A no-break space: keeps a number and its unit on one line of a wrapped title."""

MINUS = "\u2212"
"""The minus sign used in differences (a hyphen reads as a dash)."""

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "AUD": "A$", "CAD": "C$"}
"""Currencies written with a symbol in findings; others are written ``93,000 NOK``."""


# --------------------------------------------------------------------------- counts and shares


def how_many(n: int, noun: str, plural: str | None = None) -> str:
    """A count and its noun in the right number: "1 input", "3 inputs" (``plural`` for a noun
    that does not take an s)."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def and_list(names: Sequence[str]) -> str:
    """Names joined as a sentence lists them: "base", "base and growth-low", "analysts, graders
    and victim_id"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def whose_analysts(scenario: Any, starts_sentence: bool = False) -> str:
    """Whose analysts a figure over every team counts (utilisation, a share of their hours):
    "analysts" in a scenario of one team, "all teams' analysts (analysts, graders, victim_id)" in
    one of several, so that it is not read as the team called analysts; with a capital first
    letter if it ``starts_sentence``."""
    teams = [t.team for t in scenario.workforce]
    text = "analysts" if len(teams) == 1 else f"all teams' analysts ({', '.join(teams)})"
    return text[:1].upper() + text[1:] if starts_sentence else text


def count_words(x: float, figures: int = 2) -> str:
    """A count for a title: 2,100; 9,800; 47; 1.2 million; 3.4 billion (never in scientific
    notation; a count that rounds to zero has no sign; a negative one, the end of an interval of
    differences, a true minus as :func:`signed` writes it: −4), to ``figures`` significant figures
    from 1,000 up (a value already rounded keeps its own with more: 2.754 million)."""
    if not math.isfinite(x):
        return "n/a"
    if abs(x) >= 1e9:
        text = f"{plain_number(x / 1e9, figures)} billion"
    elif abs(x) >= 1e6:
        text = f"{plain_number(x / 1e6, figures)} million"
    elif abs(x) >= 1000:
        text = f"{round_sig(x, figures):,.0f}"
    else:
        text = unsigned_zero(f"{x:,.0f}")
    return text.replace("-", MINUS)


# --------------------------------------------------------------------------- durations


def wait_words(hours: float, low: float = math.nan, high: float = math.nan, unit: str | None = None) -> str:
    """A wait given in hours, with its 95% interval, for prose: "26.0 hours (95% CI 24.1 to 27.9
    hours)", "28.0 days (95% CI 26.0 to 30.0 days)": the wait and its interval in one unit, that
    of the largest (:func:`duration_unit`) or the ``unit`` of the sentence; the interval shares
    the wait's decimals (three significant figures of it)."""
    if not math.isfinite(hours):
        return "n/a"
    unit = unit or duration_unit(hours, low, high)
    scale, name = UNIT_HOURS[unit], {"min": "minutes", "h": "hours"}.get(unit, unit)
    places = _decimals(hours / scale)
    text = f"{hours / scale:,.{places}f} {name}"
    if not (math.isfinite(low) and math.isfinite(high)):
        return text + " (one replication: no interval)"
    if low == high:
        return text + " (the same in every replication)"
    return text + f" (95% CI {max(low, 0) / scale:,.{places}f} to {high / scale:,.{places}f} {name})"


def span_words(days: float) -> str:
    """A length of time given in days, in words: 30 days, 1 day, 11 months, one year, three years;
    under a day, in hours or minutes (:func:`hours_words`: 12 h), never "0 days"."""
    numbers = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}
    if days >= 350:
        years = round(days / 365.25 * 2) / 2
        if years.is_integer():
            n = int(years)
            return f"{numbers.get(n, n)} year{'s' if n != 1 else ''}"
        return f"{years:g} years"
    if days >= 60:
        return f"{round(days / 30.44):.0f} months"
    return how_many(round(days), "day") if days >= 1 else hours_words(24 * days)


def period_words(first: dt.date, last: dt.date, days: float) -> str:
    """A stretch of days that is not a whole calendar year, said exactly, from its first to its
    last day: "1 Jan–27 Feb 2025 (58 days)", "1 Oct 2024–27 Feb 2025 (150 days)"."""
    start = f"{first.day} {first:%b}" + ("" if first.year == last.year else f" {first.year}")
    length = "1 day" if days == 1 else f"{plain_number(days)} days"
    return f"{start}\u2013{last.day} {last:%b} {last.year} ({length})"


def seconds_text(seconds: float) -> str:
    """A time per item in words: 28.4 s, 1.5 min, 1 h."""
    if seconds < 120:
        return f"{plain_number(seconds)} s"
    if seconds < 2 * SECONDS_PER_HOUR:
        return f"{plain_number(seconds / 60)} min"
    return f"{plain_number(seconds / SECONDS_PER_HOUR)} h"


# --------------------------------------------------------------------------- metrics

METRIC_LABELS: dict[str, str] = {
    "arrivals": "Items arriving",
    "assessed": "Items assessed",
    "auto_cleared": "Items cleared automatically",
    "expired": "Items expired unassessed",
    "waiting": "Items from the streams arriving after the warm-up, still waiting at the end (not referrals)",
    "backlog_end": backlog_words("backlog_end", "the run", starts_sentence=True) + " (all teams, all arrivals)",
    "backlog_max": backlog_words("backlog_max", "the run", starts_sentence=True) + " (all teams)",
    "backlog_mean": backlog_words("backlog_mean", "the run", starts_sentence=True) + " (all teams)",
    "wait_mean": "Mean wait before assessment (h)",
    "wait_p90": "90th percentile wait (h)",
    "p_wait": "Share of items that waited",
    "time_to_assessment_mean": "Mean time to assessment (h)",
    "time_to_assessment_p50": "Median time to assessment (h)",
    "time_to_assessment_p90": "90th percentile time to assessment (h)",
    "time_to_assessment_p95": "95th percentile time to assessment (h)",
    "assessed_criminal": "Criminal items assessed",
    "assessed_realistic": "Realistic AI items assessed",
    "analyst_hours": "Analyst review hours",
    "exposure_hours_per_analyst_day": "Review hours per analyst-shift",
    "utilisation": "Utilisation of rostered hours (time on shift)",
    "utilisation_usable": "Utilisation of usable hours (on shift, up to any exposure cap)",
    "runout_days": "Days after the end to clear those still waiting",
    "cost_total": "Total cost (staff, overheads, tools)",
    "cost_per_assessed": "Total cost per assessed item",
    "fte": "Staff in post, all teams (FTE)",
    "fte_review_work": "FTE of review work",
    "ai_generated": "AI-generated items reaching staff",
    "ai_generated_share": "AI-generated share of items from the streams reaching staff (all teams)",
    "referrals_lost_real": "Expected real referrals lost to false positives",
    "referrals_avoided_synthetic": "Expected synthetic referrals avoided",
    "synthetic_referred": "Synthetic items referred on",
    "harmful_missed": "Harmful items the classifier did not flag",
    "wait_mean_missed_harmful": "Mean wait of harmful items the classifier did not flag (h)",
    "reprioritised": "Items the classifier moved to another queue",
    "victim_id_hours": "Victim-identification hours",
    "victim_id_hours_on_synthetic": "Victim-identification hours on synthetic items",
    "referred": "Referrals to other teams",
}
"""Plain-words labels of metrics for axes and titles (``sla_<p>`` labels come from :func:`metric_label`)."""


def metric_label(metric: str, scenario: Any = None) -> str:
    """Plain words for a metric name; with the ``scenario``, SLA shares name what the items are
    and their deadline ("Share of reports assessed within 72 h"), with the team in brackets for a
    team's own share (``sla_<priority>_<team>``: "... within 72 h (analysts)")."""
    if metric.startswith("sla_"):
        priority = metric[4:].removesuffix("_original")
        sla = next((x for x in scenario.sla if x.priority == priority), None) if scenario is not None else None
        team = next((t.team for t in scenario.workforce if priority.endswith(f"_{t.team}")), None) if scenario is not None else None
        if sla is None and team is not None and not metric.endswith("_original"):  # sla_<priority>_<team>
            sla = next((x for x in scenario.sla if x.priority == priority.removesuffix(f"_{team}")), None)
            if sla is None:
                return f"Share assessed within the deadline ({metric[4:].replace('_', ' ')})"
            return f"{sla_label(scenario, sla.priority, team)}{team_brackets(team)}"
        if sla is None:
            return f"Share assessed within the deadline ({metric[4:].replace('_', ' ')})"
        if metric.endswith("_original"):
            own = items_words(scenario.model_copy(update={"tooling": type(scenario.tooling)()}), priority)
            return f"Share of {own} within {duration_text(sla.within)} (own priority)"
        if referrals_only(scenario, priority):  # the whole run's counts the streams' items only
            return (f"Share of {priority}-priority items from the streams assessed within {duration_text(sla.within)} "
                    "(none: only referrals have this priority; each team's share counts them)")
        return sla_label(scenario, priority)
    return METRIC_LABELS.get(metric, metric.replace("_", " "))


def sla_label(scenario: Any, priority: str, team: str | None = None) -> str:
    """The share of ``priority``'s items assessed within its SLA's deadline, in plain words: the streams'
    items, or with ``team`` those that wait at that team (:func:`~capsim.metric_names.items_words`: its
    streams' and the referrals it receives): "Share of reports assessed within 72 h"; "Share assessed
    within the deadline (high)" where ``scenario`` has no SLA for ``priority``."""
    sla = next((x for x in scenario.sla if x.priority == priority), None)
    if sla is None:
        return f"Share assessed within the deadline ({priority.replace('_', ' ')})"
    return f"Share of {items_words(scenario, priority, team)} assessed within {duration_text(sla.within)}"


def year_metric_label(metric: str, scenario: Any = None) -> str:
    """A metric of one calendar year, for a table or sentence that names the year beside it
    (:func:`metric_label`): a backlog is the year's, not the run's ("Items waiting at the end of
    the year", :func:`capsim.metric_names.backlog_words`)."""
    if metric in BACKLOG_WORDS:
        return backlog_words(metric, "the year", starts_sentence=True)
    return metric_label(metric, scenario)


def metric_words(metric: str, scenario: Any = None) -> str:
    """A metric's label (:func:`metric_label`) for a sentence or title whose values carry their own
    units (:func:`value_text`: "3.2 days", "45 min"): without the unit in brackets, which would
    then contradict them ("Mean wait before assessment", not "... (h)")."""
    return metric_label(metric, scenario).removesuffix(" (h)")


def grant_sla_names(scenarios: Any) -> dict[str, str]:
    """Each SLA column of a grant table (:func:`capsim.grant.sla_columns`) in plain words
    (:func:`sla_words`); a column several scenarios share is named by the first (the reference)."""
    from capsim.grant import sla_columns

    named: dict[str, str] = {}
    for scenario in scenarios:
        for column, where in sla_columns(scenario).items():
            named.setdefault(column, sla_words(scenario, *where))
    return named


def is_wait(metric: str) -> bool:
    """True for the waits and times to assessment: metrics in hours, written as durations."""
    return metric.startswith(("wait_", "time_to_assessment"))


def is_share(metric: str) -> bool:
    """True for metrics shown as percentages: shares between 0 and 1, and utilisation (of
    rostered or usable hours, in all or per team; it can pass 1: an item in hand at a shift's end, or at
    the exposure cap, is finished past it)."""
    return metric.startswith(("sla_", "utilisation")) or metric in ("p_wait", "ai_generated_share")


def value_text(metric: str, value: float, unit: str | None = None) -> str:
    """A metric value in words fit for a title (share → %, hours → h, counts with commas); a
    duration in the ``unit`` of the sentence it is in (:func:`duration_unit` of all its values)."""
    if not math.isfinite(value):
        return "n/a"
    if is_share(metric):
        return percent(value, 1 if 0.99 < value < 1 else 0)
    if is_wait(metric) or metric == "exposure_hours_per_analyst_day":
        return hours_words(value, unit)
    if metric == "analyst_hours":
        return f"{count_words(value)} h"
    if metric.startswith("cost"):
        return f"{value:,.2f}" if abs(value) < 100 else count_words(value)
    return count_words(value)


def money(currency: str, value: float, figures: int = 2) -> str:
    """An amount for a title: GBP 1.2 million, GBP 93,000 (``figures``: as :func:`count_words`)."""
    return f"{currency} {count_words(value, figures)}".strip()


def _decimals(ref: float) -> int:
    """Decimals that give a number of this size three significant figures (none from 100 up)."""
    size = abs(ref)
    if size >= 100 or size == 0 or not math.isfinite(size):
        return 0
    return max(0, 2 - int(math.floor(math.log10(size))))


def fmt(metric: str, value: float, currency: str = "GBP", ref: float | None = None, more: int = 0) -> str:
    """A metric value as the report writes it: shares in % to one decimal; money in cents
    below 100; times, and means of counts or hours below 100, to three significant figures of
    ``ref`` (default: the value itself), so that a mean and its interval share their decimals
    (a mean of 1.29 items reads "1.29", not "1"); whole numbers, and everything from 100 up,
    whole. ``more``: decimals beyond those (for an interval's ends, :func:`interval_bounds`)."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if is_share(metric):
        return share_text(value, more)
    places = _decimals(value if ref is None else ref)
    if metric.startswith("cost"):
        symbol = CURRENCY_SYMBOLS.get(currency)
        text = f"{value:,.{(2 if abs(value if ref is None else ref) < 100 else 0) + more}f}"
        return f"{symbol}{text}" if symbol else f"{text} {currency}"
    timed = metric in {"wait_mean", "wait_p90", "runout_days"} or metric.startswith(
        ("time_to_assessment", "exposure_hours_per_analyst_day"))
    if not timed and float(value if ref is None else ref).is_integer():
        places = 0  # a count that is the same in every replication, and its interval, stay whole
    return f"{value:,.{places + more}f}"


def amount_text(metric: str, value: float, currency: str, unit: str | None = None) -> str:
    """A metric's value in words (:func:`value_text`), money after its currency as
    :func:`money` writes it (GBP 410,000; GBP 12.50 per item), FTE to a tenth; a
    duration in the ``unit`` of its sentence (:func:`duration_unit`); a count whole,
    as summary.csv gives it (:func:`fmt`: 102,945 h), since at two figures an
    interval's end could round past its mean (99,000 to 100,000 around 101,398); a share to a tenth of a
    point, as summary.csv and the command line's table give it (:func:`fmt`: 52.7%), since
    whole percentages make a narrow interval read "53% to 53%"."""
    if metric.startswith("fte") and math.isfinite(value):
        return f"{value:,.1f}"
    if metric.startswith("cost"):
        return f"{currency} {value_text(metric, value)}"
    if is_share(metric) and math.isfinite(value):
        return fmt(metric, value)
    if is_wait(metric) or not math.isfinite(value):
        return value_text(metric, value, unit)
    return fmt(metric, value) + (" h" if metric == "analyst_hours" else "")


def interval_bounds(metric: str, low: float, high: float, currency: str = "GBP",
                    ref: float | None = None) -> tuple[str, str] | None:
    """The bounds of a 95% CI (``low`` to ``high``, in the metric's units) as :func:`interval` writes
    them, clipped to the metric's range (:func:`capsim.metrics.metric_range`, as in summary.csv):
    ("97.3%", "99.95%"), ("over 99.99%", "100%"); None where :func:`interval` gives no interval (a
    bound not known, or both the same). Two ends that differ never read alike: where the mean's
    decimals would write both as one number ("£1.52 to £1.52"), they take the fewest more that
    tell them apart, up to :data:`~capsim.units.MORE_DECIMALS` ("£1.516 to £1.524";
    :func:`capsim.units.interval_ends`). What :func:`interval` says after them: :func:`range_words`."""
    return interval_ends(low, high, lambda x, more: fmt(metric, x, currency, ref, more), metric_range(metric))


PAST_FULL_WORDS: dict[str, tuple[str, str]] = {
    "utilisation_usable": ("of usable hours", "which reviews finished past any exposure cap or a shift's end can "
                                              "take past 100%"),
    "utilisation": ("of rostered hours", "which reviews finished past a shift's end can take past 100%"),
}
"""What follows an interval of a utilisation (all teams', or a team's: ``utilisation_<team>``) that reaches
past 100% (:func:`range_words`): the hours it is a share of, and why it can pass them (an item in hand at
a shift's end, or at the exposure cap, is finished: docs/model.md)."""


def range_words(metric: str, low: float, high: float, hours_named: bool = False, currency: str = "GBP") -> str:
    """What a 95% CI of ``metric`` (``low`` to ``high``, clipped to its range as in summary.csv) says after
    its ends, so that no end is misread: a share's end held at 0% or 100% says so (:func:`~capsim.units.held_words`:
    "97.3% to 100%, upper end held at the 100% maximum"), and a utilisation reaching past 100% says
    against which hours, and why (:data:`PAST_FULL_WORDS`: "77.2% to 103.4% of rostered hours, which
    reviews finished past a shift's end can take past 100%"; ``hours_named``: the sentence names the hours
    itself, so only why); any other metric's lower end held at 0, the least it can be (a wait, a count,
    hours, a cost in ``currency``): "0.00 to 14.45 days, lower end held at 0"; "" otherwise, or where there
    is no interval."""
    floor, ceiling = metric_range(metric)
    if is_share(metric) and math.isfinite(ceiling):
        return held_words(low, high, floor, ceiling)
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        return ""
    held = f", lower end held at {fmt(metric, floor, currency)}" if low <= floor + HELD_TOLERANCE else ""  # 0, 0%, £0.00
    hours, why = next((words for name, words in PAST_FULL_WORDS.items() if metric.startswith(name)), ("", ""))
    past = ("" if not why or high <= 1 else f", {why}" if hours_named else f" {hours}, {why}")
    return past + held


def interval(metric: str, low: float, high: float, currency: str = "GBP", ref: float | None = None,
             named: bool = True, hours_named: bool = False) -> str:
    """``95% CI a to b`` (:func:`interval_bounds`) and what :func:`range_words` says of its ends (``hours_named``:
    there), or why there is none; ``named=False`` leaves out "95% CI " for a table whose heading says what the
    bounds are: "97.3% to 99.95%", "99.7% to 100%, upper end held at the 100% maximum"."""
    if (bounds := interval_bounds(metric, low, high, currency, ref)) is not None:
        return (f"{'95% CI ' if named else ''}{bounds[0]} to {bounds[1]}"
                + range_words(metric, low, high, hours_named, currency))
    if math.isfinite(low) and math.isfinite(high):  # both the same
        return "the same in every replication"
    if ref is None or math.isfinite(ref):  # a NaN ``ref`` (the mean) is NaN in every replication
        return "one replication: no interval"
    if metric in ("cost_staff", "cost_total", "cost_per_assessed"):
        return "not costed: a team has no costs.teams entry" + (", or nothing was assessed"
                                                               if metric == "cost_per_assessed" else "")
    return "no item measured in any replication"


def mean_text(metric: str, mean: float, low: float, high: float, currency: str = "GBP") -> str:
    """A mean as written beside its 95% CI (``low`` to ``high``): as :func:`fmt` writes it, with as many more
    decimals as the interval's ends took to read apart (:func:`capsim.units.ends_apart`), so that the mean
    never reads outside its own interval ("1.08% (95% CI 1.06% to 1.09%)", not "1.1% (… 1.06% to 1.09%)")."""
    found = ends_apart(low, high, lambda x, more: fmt(metric, x, currency, mean, more), metric_range(metric))
    return fmt(metric, mean, currency, more=found[1] if found else 0)


def with_interval(metric: str, mean: float, low: float, high: float, currency: str = "GBP",
                  hours_named: bool = False) -> str:
    """A mean and its 95% CI as a sentence or a table cell writes them: "1.08% (95% CI 1.06% to 1.09%)"
    (:func:`mean_text`, :func:`interval`; ``hours_named`` as there), or with why there is none: "12 (the same
    in every replication)"."""
    said = interval(metric, low, high, currency, ref=mean, hours_named=hours_named)
    return f"{mean_text(metric, mean, low, high, currency)} ({said})"


# --------------------------------------------------------------------------- differences


def signed(value: float, share: bool = False, ref: float | None = None) -> str:
    """A difference with its sign (a true minus): a share in percentage points to one decimal
    (the number only), or as many as it needs not to read 0, up to :data:`SHARE_DECIMALS` (the
    precision of the shares themselves: +0.03, never +0.0312), and, closer to 0 than that, how
    close: "+<0.01", "−<0.01"; other values whole from 100 up, else to three significant figures,
    the size judged by ``ref`` (default: the value itself) so a difference and its interval
    share their digits. A value not measured (NaN, or infinite) reads "n/a"."""
    if not math.isfinite(value):
        return "n/a"
    if value == 0:
        return "0"
    size = abs(value if ref is None else ref)
    if share:
        digits = 1
        while round(100 * value, digits) == 0 and digits < SHARE_DECIMALS:
            digits += 1  # a difference that is not zero never reads as zero: +0.03, not +0.0
        text = f"{100 * value:+.{digits}f}"
        if float(text) == 0:  # beyond the decimals a share is given to: say how close, and which way
            return f"{'+' if value > 0 else MINUS}<{10.0 ** -SHARE_DECIMALS:.{SHARE_DECIMALS}f}"
    else:
        if size >= 100 and round(value) != 0:
            text = f"{value:+,.0f}"
        else:
            text = ("+" if value > 0 else "") + plain_number(value)
    if float(text.replace(",", "")) == 0:  # a count or time that rounds to nothing: unsigned
        return "0"
    return text.replace("-", MINUS)


def plus_minus(metric: str, value: float, spread: float, currency: str = "GBP") -> str:
    """A metric's value with a spread around it (a standard error, a half-width), as :func:`fmt`
    writes the value: "1,234 ± 56"; a share's spread in percentage points, as :func:`signed` writes
    a share's difference (a spread of a share is a difference of shares, not a share of it):
    "31.5% ± 4.7 points"; "n/a" for a spread that is not known."""
    text = fmt(metric, value, currency)
    if not math.isfinite(spread):
        return f"{text} ± n/a"
    if is_share(metric):
        return f"{text} ± {signed(spread, share=True).removeprefix('+')} points"
    return f"{text} ± {fmt(metric, spread, currency, ref=value)}"


def named(kind: str, names: Sequence[str]) -> str:
    """Things of one ``kind`` named as a sentence lists them: "team analysts", "teams graders and
    victim_id", "scenarios low and high"."""
    return f"{kind}{'s' if len(names) > 1 else ''} {and_list(names)}"


def teams_named(names: Sequence[str]) -> str:
    """Teams named as a sentence lists them (:func:`named`): "team analysts", "teams graders and victim_id"."""
    return named("team", names)


def need_words(needed: str | None, as_written: str, planned: Sequence[str], unplanned: Sequence[str],
               aside: str = "") -> str:
    """What a grant year's "FTE needed" counts, said whole: the planned teams' need for their SLAs
    (``needed``, written with its unit: "41.0 analyst FTE"; None where no headcount meets them), with
    ``aside`` after it ("on average over its 3 years ..."), then, where some teams have no SLA, their
    seats as written (``as_written``, FTE, a number), which no target sizes: "41.0 analyst FTE needed
    for the SLAs of teams triage and investigators, plus 16.0 FTE as written for teams graders and
    victim_id, which no target sizes"."""
    slas = f"the SLAs of {teams_named(planned)}"
    text = f"no headcount tried meets {slas}{aside}" if needed is None else f"{needed} needed for {slas}{aside}"
    if unplanned:
        text += f", plus {as_written} FTE as written for {teams_named(unplanned)}, which no target sizes"
    return text


def late_teams(row: Mapping, teams: Sequence[str]) -> dict[str, int]:
    """Per team of ``teams`` whose hires are late in a grant table's ``row`` (a year; ``all`` has
    none), the weeks they come after the year's first day (``hires_late_weeks_<team>``); teams on
    time, or not planned, left out."""
    if row["year"] == "all":
        return {}
    weeks = {team: row.get(f"hires_late_weeks_{team}", math.nan) for team in teams}
    return {team: int(w) for team, w in weeks.items() if math.isfinite(w) and w > 0}


def late_words(late: Mapping[str, int]) -> str:
    """Hires late, each team's own (:func:`late_teams`): "the hires of team investigators are late by
    18 weeks"; several joined by "; "; "" where none is."""
    return "; ".join(f"the hires of team {team} are late by {weeks} weeks" for team, weeks in late.items())


def mean_words(row: Mapping, column: str) -> str:
    """A grant table's mean in ``column`` as the report and the terminal write it (:func:`~capsim.words.fmt`:
    a share in % to one decimal), and a share with a target (``<column>_target``, 0–1) never on the
    other side of it (:func:`~capsim.words.percent_against`): 0.8996 against 90% reads "89.96%", not
    "90.0%"."""
    target = row.get(f"{column}_target", math.nan)
    return fmt(column, row[column]) if math.isnan(target) else percent_against(row[column], target, 1)


