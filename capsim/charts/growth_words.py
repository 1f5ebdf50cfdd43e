"""The growth a scenario assumes, stream by stream, in words: the assumption that drives a growing run.

A run of a growing scenario is mostly a consequence of its growth rates, and a reader who quotes
a chart or a brief must be able to quote them too. :func:`stream_growth` says, for each stream
that grows, its volume where growth starts, its growth a year (and its doubling time, where the
file gives one), what the rate rests on (the uncertain input's ``source``, else the published
series behind the figure the file cites, else "an assumption"), and, where that published series
grew at a different pace in its last three years than the rate assumed, those years' growth,
read from the figures table (:func:`recent_growth`). :func:`growth_sentence` joins them for
the charts' footers (:mod:`capsim.charts.footer`), the report's limits and its comparisons;
:func:`volume_and_growth` gives one stream's volume and growth in the same words for the flow
diagram (:mod:`capsim.report.flow`), so the diagram and the footers never say a growth two ways.
Everything comes from the scenario and the figures table; nothing is written for one scenario.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from capsim.scenario import GrowthExponential, GrowthLinear, GrowthLogistic, GrowthTable, Scenario, Stream, step_into
from capsim.units import SECONDS_PER_DAY
from capsim.words import MINUS, and_list, count_words, percent, plain_number

GROWTH_LABEL = "Growth assumed"
"""The words that open :func:`growth_sentence` (a footer's paragraph the chart's description keeps)."""

RECENT_YEARS = 3
"""Year-on-year changes quoted as a series' recent growth: its last three published years."""


def _per_year(share: float) -> str:
    """Growth a year, a share, with its sign: +22.5% a year, +235% a year."""
    return f"+{percent(share, 1 if share < 1 else 0)} a year"


def _volume(stream: Stream, scenario: Scenario) -> str:
    """The stream's rate where its growth starts, items a day: "1,200 a day on 1 Jul 2024" (its
    ``rate_date``, else the run's start); where growth starts at the run's start from a published
    figure of another year, whose and which year's figure it is (:func:`_rate_basis`): "0.67 a day
    at the start on 4 Mar 2027: IWF's 2024 figure", never a figure read as published for the start's
    year; a stream that does not grow, its rate alone ("7,400 a day"); "" for a growth table (no rate)."""
    if stream.rate is None:
        return ""
    per_day = stream.rate * SECONDS_PER_DAY
    amount = count_words(per_day) if per_day >= 10 else plain_number(per_day, 2)
    if stream.growth.model == "none":
        return f"{amount} a day"
    on: dt.date = stream.rate_date or scenario.clock.start
    basis = "" if stream.rate_date else _rate_basis(stream, scenario, on.year)
    return f"{amount} a day at the start on {on:%-d %b %Y}: {basis}" if basis else f"{amount} a day on {on:%-d %b %Y}"


def _rate_basis(stream: Stream, scenario: Scenario, year: int) -> str:
    """Whose figure of which year the stream's written ``rate`` is, where it cites published figures
    none of which is of ``year``: "IWF's 2024 figure", "from IWF's 2022 and INHOPE's 2024 figures" (a
    rate derived from them), each organisation as the footer's sources name it
    (:func:`capsim.sources.short_org`); "" for a rate that is an assumption or a figure of ``year``."""
    from capsim import figures as table
    from capsim.sources import published_ids, short_org

    written = (step_into(scenario.source.get("demand") or [], stream.stream)[1] or {}).get("rate")
    fids = _figures_in(written)
    figures = [table.figure(fid) for fid in published_ids(fids)]
    if not figures or any(f.year == year for f in figures):
        return ""
    named = list(dict.fromkeys(f"{short_org(f.organisation)}'s {f.year}" for f in figures))  # as the footer names it
    derived = "" if set(fids) == {f.id for f in figures} else "from "
    return f"{derived}{and_list(named)} figure{'' if len(figures) == 1 else 's'}"


def _written(stream: Stream, scenario: Scenario) -> dict:
    """The stream's ``growth`` as the scenario's file writes it (so its keys say which of
    ``per_year`` and ``doubling_time`` was given); {} where the file writes none."""
    return step_into(step_into(scenario.source.get("demand") or [], stream.stream)[1] or {}, "growth")[1] or {}


def _rate(stream: Stream, written: dict, short: bool = False) -> str:
    """The stream's growth in words: its growth a year (and doubling time, where written so and not
    ``short``: the same growth said again, left out of a one-line footer); "" for a stream that does
    not grow."""
    g = stream.growth
    if isinstance(g, GrowthExponential):
        doubling = (f", doubling every {g.doubling_time / SECONDS_PER_DAY:,.0f} days"
                    if "doubling_time" in written and not short else "")
        return _per_year(g.annual_growth) + doubling
    if isinstance(g, GrowthLinear):
        share = f"{'+' if g.increase_per_year > 0 else ''}{percent(g.increase_per_year, 1)}".replace("-", MINUS)
        return f"{share} of its first rate a year (a straight line)"
    if isinstance(g, GrowthLogistic):
        return f"an S-curve towards {count_words(g.ceiling * SECONDS_PER_DAY)} a day"
    if isinstance(g, GrowthTable):
        return f"rates at {len(g.points)} dated points, {g.points[0].date:%b %Y} to {g.points[-1].date:%b %Y}"
    return ""


def volume_and_growth(stream: Stream, scenario: Scenario) -> str:
    """The stream's volume and growth in the words of :func:`stream_growth`, without what the rate
    rests on, for the flow diagram's stream boxes: "1,200 a day on 1 Jul 2024, +22.5% a year";
    "1,200 a day on 1 Jan 2024, +20.0% of its first rate a year (a straight line)"; "7,400 a day"
    (no growth); "rates at 2 dated points, Jan 2024 to Jun 2024" (a growth table). Rates are items
    a day, growth a share a year."""
    return ", ".join(part for part in (_volume(stream, scenario), _rate(stream, _written(stream, scenario))) if part)


def _figures_in(value: Any) -> list[str]:
    """The figure ids a written value cites (``{figure: id}``, inside an ``uncertain:`` too)."""
    if isinstance(value, dict):
        return [value["figure"]] if isinstance(value.get("figure"), str) else [
            fid for part in value.values() for fid in _figures_in(part)]
    return []


def _series(fids: Sequence[str]) -> dict[str, list[tuple[int, float]]]:
    """The published yearly series behind ``fids`` (derived ids traced to their figures), by the
    figures' quantity: [(year, value), ...] in increasing year."""
    from capsim import figures as table
    from capsim.sources import published_ids

    found: dict[str, dict[int, float]] = {}
    for fid in published_ids(fids):
        f = table.figure(fid)
        found.setdefault(f.quantity, {})[int(f.year)] = f.value
    return {quantity: sorted(years.items()) for quantity, years in found.items()}


def recent_growth(points: list[tuple[int, float]], assumed: float) -> str:
    """The last :data:`RECENT_YEARS` year-on-year changes of a yearly series ``points`` in words,
    where all of them lie below (or all above) ``assumed`` (growth a year, a share) and the series
    is longer than those years: "the last three published years, 2022–2024, grew +4%, +5% and
    +8%, all below it"; else "" (no recent pace that differs, or too short a series to tell)."""
    if len(points) <= RECENT_YEARS + 1:
        return ""
    last = points[-RECENT_YEARS - 1:]
    if any(b[0] - a[0] != 1 for a, b in zip(last, last[1:])):
        return ""  # a gap among the last years: no year-on-year change to quote
    changes = [b[1] / a[1] - 1 for a, b in zip(last, last[1:])]
    if all(c < assumed for c in changes):
        side = "below"
    elif all(c > assumed for c in changes):
        side = "above"
    else:
        return ""
    said = [f"{'+' if c >= 0 else ''}{percent(c)}" for c in changes]
    return (f"the last three published years, {last[1][0]}\u2013{last[-1][0]}, grew "
            f"{', '.join(said[:-1])} and {said[-1]}, all {side} it")


def stream_growth(scenario: Scenario, basis: bool = True) -> list[str]:
    """One phrase per growing stream of ``scenario``: its name, volume where growth starts, growth a
    year and, with ``basis``, what the rate rests on; and, where the published series behind it
    grew at another pace in its last three years, those years' growth (:func:`recent_growth`).
    Without ``basis``, the short words of a one-line footer (:func:`capsim.charts.footer.one_line_footers`):
    no doubling time beside the growth a year it restates (:func:`_rate`)."""
    out = []
    for stream in scenario.demand:
        if stream.growth.model == "none":
            continue
        written = _written(stream, scenario)
        rate_written = next((written[k] for k in ("per_year", "doubling_time", "increase_per_year") if k in written), None)
        uncertain = rate_written.get("uncertain") if isinstance(rate_written, dict) else None
        fids = _figures_in(rate_written)
        series = _series(fids)
        notes = []
        if basis:
            if isinstance(uncertain, dict) and uncertain.get("source"):
                notes.append(str(uncertain["source"]))
            elif series:
                notes.append("from " + " and ".join(f"{q} {p[0][0]}\u2013{p[-1][0]}" if len(p) > 1 else f"{q} {p[0][0]}"
                                                    for q, p in series.items()))
            else:
                notes.append("an assumption")
        if isinstance(stream.growth, GrowthExponential):
            notes += [r for r in (recent_growth(p, stream.growth.annual_growth) for p in series.values()) if r]
        volume = _volume(stream, scenario)
        phrase = f"{stream.stream}{f' ({volume})' if volume else ''} {_rate(stream, written, short=not basis)}"
        out.append(phrase + (f" ({'; '.join(notes)})" if notes else ""))
    return out


def growth_sentence(scenarios: Sequence[Scenario], basis: bool = True) -> str:
    """"Growth assumed: reports (...) +22.5% a year (...); ai-generated (...)": each growing stream
    (:func:`stream_growth`, its short words without ``basis``); with several scenarios whose growth
    differs, each scenario's after its name. "" where no stream grows."""
    each = {s.name: "; ".join(stream_growth(s, basis)) for s in scenarios}
    if not any(each.values()):
        return ""
    if len(set(each.values())) == 1:
        return f"{GROWTH_LABEL}: {next(iter(each.values()))}."
    return f"{GROWTH_LABEL}: " + " · ".join(f"{name}: {text or 'no growth'}" for name, text in each.items()) + "."

