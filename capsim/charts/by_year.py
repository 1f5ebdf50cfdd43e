"""The year-by-year chart: each service level and the backlog, calendar year by calendar year.

A run pooled over several years hides the year a target is first missed; this chart shows
each calendar year at its own level (:mod:`capsim.periods`): on top, the share of each SLA's
items assessed within its deadline, with the target; below, the backlog as the number
waiting averaged over the year (``backlog_mean``: exact, not a sample at one moment). Each
point is the mean over the replications with its 95% interval; part years say their months
(periods under four weeks are left out). The title compares the first year of three months or
more with the last (:data:`HEADLINE_PERIOD_DAYS`), part years with their months, and names the
year the last level is first reached where it holds since (:func:`path_words`), each a share of
the items arriving in that year, and the year a target is first missed, and says the staff the
scenario assumes for those years (:func:`sla_staff_words`): a level quoted without it reads as
today's team. With more than two service levels (:data:`MOST_QUOTED`) the title gives their verdict
together instead (:func:`levels_verdict`), each legend entry its own first and last levels and verdict,
and the chart's description every level's sentence in full. The share axis stops at 100%.

Why it is one module (over 400 lines): the chart's title names and judges each year, and the report's
year table, its findings and the terminal's table name and judge the same years; the year labels
(:func:`year_labels`, :func:`stub_labels`) and the verdict against a target (:func:`target_side`) are
kept here, beside the title that uses them all, so that a year reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from capsim.charts.footer import footer_text
from capsim.charts.parts import PercentTicks, headroom
from capsim.charts.style import (MUTED, OKABE_ITO, PALETTE, apply_style, footer_height, legend_above, new_figure,
                                 styled, title_height, wrap_words)
from capsim.metric_names import original_sla_priorities, team_priorities
from capsim.periods import SHORTEST_PERIOD_DAYS, calendar_periods, too_short
from capsim.units import SECONDS_PER_DAY, target_percent
from capsim.words import (and_list, count_words, duration_text, how_many, items_words,
                          percent_against, referrals_only, target_side, target_verdict, with_interval)
from capsim.workforce import seat_steps

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult
    from capsim.scenario import Scenario


WHOLE_YEAR_DAYS = 360
"""A calendar period covering at least this many days of the measured window is a whole year:
totals (hours, FTE, costs) are compared in headlines and titles for whole years only."""


def is_whole_year(days: float) -> bool:
    """Whether a calendar period covering ``days`` days of the measured window is a whole year
    (:data:`WHOLE_YEAR_DAYS`): the rule every headline and chart title comparing totals uses."""
    return days >= WHOLE_YEAR_DAYS


HEADLINE_PERIOD_DAYS = 90
"""Part years of at least this many days (a quarter) are compared in titles and findings, with
their months: a share or an average is a level whatever the period's length, and a first year
of nine months already far below target must not be skipped for the whole years after it."""


def year_labels(result: SimulationResult, shortest_days: float = SHORTEST_PERIOD_DAYS) -> dict[str, str]:
    """Period label → its label on an axis or in a table: the year where the run covers all of it,
    else what it covers (:func:`covered_text`): a part year with the months it covers ("2030 (Jan–Mar)"),
    or its first and last days where it starts or ends within a month ("2024 (29 Jan–31 Dec)"),
    and the time where it starts or ends within a day ("2025 (1 Jan–31 Dec 12:00)": a ``2y``
    horizon ends at noon on 31 Dec). No part, however short, is left unsaid: a label never claims
    more than the run covers (a year of 360 days or more still compares as a whole year in
    titles, :func:`is_whole_year`, under its label). Periods shorter than ``shortest_days`` are
    left out, unless every period is (:func:`capsim.periods.too_short`: by default shorter than
    :data:`~capsim.periods.SHORTEST_PERIOD_DAYS`, four weeks)."""
    labels = {}
    periods = calendar_periods(result.scenario)
    for p, short in zip(periods, too_short([(p.start, p.end) for p in periods], shortest_days)):
        if short:
            continue
        first, end = moment(result.scenario, p.start), moment(result.scenario, p.end)
        whole = (first, end) == (dt.datetime(first.year, 1, 1), dt.datetime(first.year + 1, 1, 1))
        labels[p.label] = p.label if whole else f"{p.label} ({covered_text(first, end)})"
    return labels


def stub_labels(result: SimulationResult) -> list[str]:
    """The labels (:func:`year_labels`) of the part years a year table keeps but that are too short
    to judge a team by (:func:`capsim.periods.too_short`), in time order; [] for none."""
    judged = year_labels(result)
    return [label for period, label in year_labels(result, shortest_days=0).items() if period not in judged]


def too_short_note(labels: Sequence[str]) -> str:
    """The note under a table of calendar periods that keeps part periods :func:`capsim.periods.too_short` to judge a
    team by, naming them by ``labels`` (as the table's rows do): "2030 (1 Jan–2 Jan 18:00) is shorter
    than 28 days, too short to judge a team by: its row gives those days alone, not the year's level."."""
    if len(labels) == 1:
        return (f"{labels[0]} is shorter than {SHORTEST_PERIOD_DAYS} days, too short to judge a team by: its row "
                "gives those days alone, not the year's level.")
    return (f"{and_list(labels)} are shorter than {SHORTEST_PERIOD_DAYS} days, too short to judge a team by: their "
            "rows give those days alone, not their years' levels.")


def moment(scenario: Scenario, seconds: float) -> dt.datetime:
    """The date and time ``seconds`` after the start of the scenario's clock (midnight on its start date)."""
    return dt.datetime.combine(scenario.clock.start, dt.time()) + dt.timedelta(seconds=seconds)


def covered_text(first: dt.datetime, end: dt.datetime, years: bool = False) -> str:
    """The time from ``first`` up to ``end`` (not included) as a label gives it, to the minute and
    never more than it is: whole months by their names ("Jan–Mar"); else its first and last days
    ("29 Jan–31 Dec", "20–31 Dec"), a start or an end within a day at its time ("1 Jan–31 Dec
    12:00": up to noon on 31 Dec; "29 Jan 06:00–31 Dec"); with ``years``, each with its year
    ("Apr 2027–Mar 2030", "29 Jan 2024–31 Dec 2025 12:00")."""
    def midnight(when: dt.datetime) -> bool:
        return when.time() == dt.time()

    def year(when: dt.datetime) -> str:
        return f" {when.year}" if years else ""

    last = end - dt.timedelta(days=1) if midnight(end) else end  # the last day, or the end within it
    if midnight(first) and midnight(end) and first.day == 1 and end.day == 1:
        if (first.year, first.month) == (last.year, last.month):
            return f"{first:%b}{year(first)}"
        return f"{first:%b}{year(first)}\u2013{last:%b}{year(last)}"

    def day(when: dt.datetime) -> str:
        return f"{when.day} {when:%b}{year(when)}" + ("" if midnight(when) else f" {when:%H:%M}")

    if not years and midnight(first) and midnight(end) and first.month == last.month:
        return f"{first.day}\u2013{day(last)}"
    return f"{day(first)}\u2013{day(last)}"


def measured_span(scenario: Scenario) -> str:
    """The measured window (after the warm-up) in words (:func:`covered_text`), for a whole-run
    figure quoted beside calendar years' figures: "over Apr 2027–Mar 2030" (whole months), "over
    4 Mar 2027–30 Mar 2030", "over 29 Jan 2024–31 Dec 2025 12:00" (else); "" for a run within one
    calendar period, whose figures are that period's."""
    if len(calendar_periods(scenario)) < 2:
        return ""
    clock = scenario.clock
    return f"over {covered_text(moment(scenario, clock.warmup), moment(scenario, clock.horizon), years=True)}"


def whole_years(result: SimulationResult) -> list[str]:
    """The period labels of the whole calendar years measured (:data:`WHOLE_YEAR_DAYS`), in time order:
    the only years a headline compares."""
    return [p.label for p in calendar_periods(result.scenario) if is_whole_year((p.end - p.start) / SECONDS_PER_DAY)]


def metric_means(table: pd.DataFrame) -> Callable[[str], float]:
    """A metric's mean in ``table`` (rows of summary.csv: ``metric``, ``mean``), NaN if not measured."""
    rows = table.set_index("metric")["mean"]
    return lambda name: float(rows[name]) if name in rows.index else math.nan


def year_means(result: SimulationResult, read: Callable[[pd.DataFrame], Any] = metric_means) -> dict[str, Any]:
    """Each calendar year of the run, as its tables name it (:func:`year_labels`), but part years shorter
    than :data:`~capsim.periods.SHORTEST_PERIOD_DAYS` (four weeks at either end of the run are too short to judge a team by)
    → a metric's mean in that year (:func:`metric_means`), or what ``read`` makes of the year's summary
    rows; {} for a run without calendar periods."""
    if result.period_summary.empty:
        return {}
    labels = year_labels(result)
    return {labels[label]: read(rows) for label, rows in result.period_summary.groupby("period", sort=False)
            if label in labels}


def year_rows(result: SimulationResult, metric: str, shortest_days: float = SHORTEST_PERIOD_DAYS) -> pd.DataFrame:
    """The period summary rows of one metric, in time order, indexed by period label (periods of
    :func:`year_labels`)."""
    table = result.period_summary
    rows = table[table.metric == metric].set_index("period")
    return rows.reindex([p for p in year_labels(result, shortest_days) if p in rows.index])


ARROW = " \u2192 "
"""Between a level in the first year and in the last (a legend entry), and between a team's heads at the start
and at the end (a brief staff clause): "3% → 0%", "4 → 6 at team intake"."""


def staff_words(scenario: Scenario, teams: list[str], brief: bool = False) -> str:
    """The staff ``scenario`` assumes for ``teams``, as its own assumption and never as a count of
    staff today: "the 25 analysts the scenario holds constant (no posts added)", or for a team with
    planned changes "the analysts the scenario plans (10 at the start, then 11 from 1 Sep 2027)", or where
    those changes are a staffing plan replayed into it (its ``plan:`` override: ``capsim staff``'s, a
    grant's, the report's what-if run) "the analysts capsim's staffing plan sets (...)".
    Heads (seats), not FTE. Each team is named in brackets unless the scenario's one team is called
    analysts, and the word analysts is said once: "the 13 analysts (team analysts) and 12 (team
    graders) the scenario holds constant (no posts added)", never "13 analysts and 12 analysts of
    team graders" (read as all the scenario's analysts and then more); "" for no team. ``brief``: as a
    title judging several service levels at once says it (:func:`levels_verdict`), constant teams
    without "(no posts added)" and planned ones by their heads at the start and at the end, once for
    whoever sets them: "the analysts capsim's staffing plan sets (4 → 6 at team intake, 2 → 6 at team
    grading)"."""
    constant, planned = [], []
    ends: dict[str, list[str]] = {}  # brief: who sets the plan → each planned team's heads at the start → at the end
    for team in teams:
        initial, steps = seat_steps(next(t for t in scenario.workforce if t.team == team), scenario.clock)
        named = "" if [t.team for t in scenario.workforce] == ["analysts"] else f" (team {team})"
        if not steps:
            constant.append(f"{how_many(initial, 'analyst') if not constant else f'{initial:,}'}{named}")
            continue
        by = ("capsim's staffing plan sets" if any(o.startswith(f"plan: workforce.{team} ") for o in scenario.overrides)
              else "the scenario plans")  # a plan replayed into the scenario is the solver's, not the file's
        if brief:
            ends.setdefault(by, []).append(f"{initial:,}{ARROW}{steps[-1][1]:,}{f' at team {team}' if named else ''}")
            continue
        changes = ", ".join(f"{heads:,} from {scenario.clock.start + dt.timedelta(seconds=t):%-d %b %Y}"
                            for t, heads in steps)
        planned.append(f"the analysts{named} {by} ({initial:,} at the start, then {changes})")
    planned += [f"the analysts {by} ({', '.join(heads)})" for by, heads in ends.items()]
    held = ([f"the {and_list(constant)} the scenario holds constant{'' if brief else ' (no posts added)'}"]
            if constant else [])
    return " and ".join(held + planned)


def sla_teams(scenario: Scenario, priorities: list[str]) -> list[str]:
    """The teams whose streams' items count in the SLAs of ``priorities`` (``sla_<priority>``: the
    intake teams; with a classifier every stream's items may have its queues' priorities), in the
    scenario's order; none if no stream has them."""
    relabelled = scenario.tooling.classifier.enabled
    return list(dict.fromkeys(scenario.team_of(s) for s in scenario.demand
                              if relabelled or any(p in s.own_priorities for p in priorities)))


def streams_words(scenario: Scenario) -> str:
    """The streams whose items a run's pooled figures pool (its waits, its time to assessment), each
    by the team it goes to where they go to several, so that no pooled figure is quoted as one
    kind's: "reports and ai-generated at team analysts, images at team graders"; "reports and
    ai-generated" where they go to one."""
    by_team: dict[str, list[str]] = {}
    for stream in scenario.demand:
        by_team.setdefault(scenario.team_of(stream), []).append(stream.stream)
    if len(by_team) == 1:
        return and_list(next(iter(by_team.values())))
    return ", ".join(f"{and_list(streams)} at team {team}" for team, streams in by_team.items())


def sla_staff_words(scenario: Scenario, priorities: list[str]) -> str:
    """The staff assumed (:func:`staff_words`) at the teams of :func:`sla_teams`; "" if none."""
    return staff_words(scenario, sla_teams(scenario, priorities))


def serving_teams(s: Scenario, priority: str) -> list[str]:
    """The teams whose items can have ``priority``, in the scenario's order: their streams' and the referrals
    they receive (:func:`capsim.metric_names.team_priorities`, the rule ``capsim staff`` and ``capsim
    grant`` plan each team's SLAs by); where the scenario has several teams, each has its own
    ``sla_<priority>_<team>``."""
    handled = team_priorities(s)
    return [t.team for t in s.workforce if priority in handled[t.team]]


def _streams_alone(s: Scenario, priority: str, team: str) -> bool:
    """Whether ``team``'s items of ``priority`` are the streams' items of it and no others: it is the one
    team the streams bring them to, and no referral brings it any (a rule's ``priority``, or else the
    sending team's: :func:`capsim.metric_names.team_priorities`). Its ``sla_<priority>_<team>`` is then
    ``sla_<priority>`` itself."""
    handled = team_priorities(s)
    referred = any(r.to == team and (r.priority == priority if r.priority else priority in handled[r.source])
                   for r in s.routing)
    return sla_teams(s, [priority]) == [team] and not referred


def relabelled(s: Scenario, priority: str) -> bool:
    """Whether the scenario's classifier relabels the streams whose own priority is ``priority``
    (:func:`capsim.metric_names.original_sla_priorities`): ``sla_<priority>`` then counts the items the
    classifier put in that queue, and ``sla_<priority>_original`` all those streams' items, like for
    like with the same scenario without it."""
    return s.tooling.classifier.enabled and priority in original_sla_priorities(s)


def sla_measures(s: Scenario) -> list[tuple[Any, str, str]]:
    """The service levels the findings, the year table and the charts judge, each as (its SLA, the
    metric, the team or ""), per SLA in this order: where a classifier relabels the streams of its
    priority (:func:`relabelled`), all those streams' items by their own priority first
    (``sla_<priority>_original``, like for like); the streams' items of the priority
    (``sla_<priority>``), unless only referrals have it (:func:`capsim.words.referrals_only`); and,
    where several teams serve the priority (:func:`serving_teams`) or only referrals have it, each of
    those teams' own share (``sla_<priority>_<team>``), but for a team whose items of it are the
    streams' alone (:func:`_streams_alone`: its share is the streams' one). A level pooled over
    several teams hides a team that misses it: each is judged on its own."""
    measures = []
    for sla in s.sla:
        teams = serving_teams(s, sla.priority)
        if relabelled(s, sla.priority):
            measures.append((sla, f"sla_{sla.priority}_original", ""))
        if not referrals_only(s, sla.priority):
            measures.append((sla, f"sla_{sla.priority}", ""))
            teams = [team for team in teams if not _streams_alone(s, sla.priority, team)] if len(teams) > 1 else []
        measures += [(sla, f"sla_{sla.priority}_{team}", team) for team in teams]
    return measures


def unclassified(s: Scenario) -> Scenario:
    """``s`` without its tools: its streams' items by their own priorities, as ``sla_<priority>_original``
    counts them."""
    return s.model_copy(update={"tooling": type(s.tooling)()})


def measure_words(s: Scenario, sla: Any, team: str, metric: str = "") -> str:
    """The items a measure of :func:`sla_measures` counts (``metric``: its metric, where it may be
    ``sla_<priority>_original``): "reports (flagged by the classifier or not)" (all the streams' items
    of the priority, whatever queue a classifier put them in); "normal-priority reports referred to team
    grading" (a team's share, timed from its arrival there; "... at team grading" where the team has
    streams of its own at that priority, "high-priority referrals at team investigation" where only
    referrals have it); "normal-priority reports arriving at team intake" (the streams' items, where
    several teams serve the priority, and a team's share where its items are those alone); else the
    streams' items of the SLA's priority ("reports")."""
    if metric.endswith("_original"):
        return f"{items_words(unclassified(s), sla.priority)} (flagged by the classifier or not)"
    items = items_words(s, sla.priority, team or None)  # at a team: the items that wait there (its referrals' units)
    intake = sla_teams(s, [sla.priority])
    if team and not _streams_alone(s, sla.priority, team):  # else its items are the streams' and named so
        referred = team not in intake and not referrals_only(s, sla.priority)
        return f"{items} {'referred to' if referred else 'at'} team {team}"
    if len(serving_teams(s, sla.priority)) > 1:
        return f"{items} arriving at {'team' if len(intake) == 1 else 'teams'} {and_list(intake)}"
    return items


def measure_teams(s: Scenario, sla: Any, team: str, metric: str = "") -> list[str]:
    """The teams whose staff the level of a measure of :func:`sla_measures` (``metric``: its metric)
    holds for: that team, or the intake teams (:func:`sla_teams`), of the streams whose own priority
    it is for ``sla_<priority>_original``."""
    return [team] if team else sla_teams(unclassified(s) if metric.endswith("_original") else s, [sla.priority])


def measure_staff_words(s: Scenario, sla: Any, team: str, metric: str = "") -> str:
    """The staff the level of a measure of :func:`sla_measures` holds for (:func:`staff_words` of
    :func:`measure_teams`)."""
    return staff_words(s, measure_teams(s, sla, team, metric))


def first_missed(result: SimulationResult, priority: str, metric: str | None = None, by: str = "mean") -> str | None:
    """The first calendar period whose mean share of ``priority`` items within the deadline is below
    its target (its period label), a part year of four weeks or more (:func:`year_labels`) included:
    a first part year already below target is the year the target is first missed, and is named
    with its months, never skipped for the next whole year. ``metric``: the share read (default
    ``sla_<priority>``, the streams' items; ``sla_<priority>_<team>``, a team's). ``by="ci_high"``:
    the first period whose whole 95% interval is below the target instead (a target missed, not
    missed on average: :func:`target_side`)."""
    sla = next(s for s in result.scenario.sla if s.priority == priority)
    rows = year_rows(result, metric or f"sla_{priority}")
    below = rows[rows[by] < sla.target]
    return str(below.index[0]) if len(below) else None


def year_verdict(result: SimulationResult, sla: Any, metric: str, years: list[str], quoted: bool = False,
                 span: str = "") -> str:
    """How the calendar ``years`` (period labels) meet ``sla``'s target on ``metric``, after "the 90%
    target is": "first missed in 2029" where that year's whole 95% interval is below it; "first
    missed on average in 2029, but the 95% CI reaches above the target" where it is not (and
    "; its whole 95% CI is first below the target in 2030 (Jan–Mar)" where a later year's is: no
    brackets within brackets); "met in
    every year" where every year's whole interval is at or above it; "met on average in every year,
    but the 95% CI reaches below the target in 2029" where some year's is not (:func:`target_side`).
    ``quoted``: the year first missed says its share and interval ("in 2029: 81.8% (95% CI 54.8% to
    100%)"); ``span``: said after "every year" ("from 2027 (Feb–Dec) to 2029")."""
    labels = year_labels(result)
    missed = first_missed(result, sla.priority, metric)
    if missed:
        rows = year_rows(result, metric)
        mean, low, high = rows.loc[missed, ["mean", "ci_low", "ci_high"]]
        side, hedge = target_side(mean, low, high, sla.target)
        figures = f": {with_interval(metric, mean, low, high)}" if quoted else ""
        surely = first_missed(result, sla.priority, metric, by="ci_high") if hedge else None
        return (f"first {side} in {labels[missed]}{figures}" + (f", but {hedge}" if hedge else "")
                + (f"; its whole 95% CI is first below the target in {labels[surely]}" if surely else ""))
    sides = year_sides(result, sla, metric, years)
    every = f"every year{' ' + span if span else ''}"
    reaching = [labels[p] for p, (_, hedge) in sides.items() if hedge]
    if reaching:
        return f"met on average in {every}, but the 95% CI reaches below the target in {and_list(reaching)}"
    return f"met in {every}" if all(side == "met" for side, _ in sides.values()) else f"met on average in {every}"


def year_sides(result: SimulationResult, sla: Any, metric: str, years: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Each of the calendar ``years`` (period labels) whose mean of ``metric`` is known → how it meets
    ``sla``'s target (:func:`target_side`: its side and hedge), in time order."""
    rows = year_rows(result, metric)
    rows = rows[rows.index.isin(years) & rows["mean"].notna()]
    return {p: target_side(*rows.loc[p, ["mean", "ci_low", "ci_high"]], sla.target) for p in rows.index}


def path_words(years: list[str], levels: list[str], worst: int, notes: list[str] | None = None) -> str:
    """A level from the first of ``years`` to the last (``levels``: each year's level as said, in time
    order; ``notes``: each year's interval in words, said after its year in brackets), naming the year
    the last level is first reached where every year since reads the same: "63% in 2027 (Apr–Dec) to
    0% by 2028, staying there to 2030 (Jan–Mar)", never only "to 0% in 2030 (Jan–Mar)", which a reader
    quotes as the year it is reached; "... to 0% in 2030 (Jan–Mar)" where it is reached only then; the
    year ``worst`` (an index into ``years``) too where it lies between and its level is neither the
    first's nor the last's (a level that falls back): "0% in 2027 to 100% in 2028, then 95% in 2030
    (Jan–Mar)"; "0% in every year from 2027 (...) to 2030 (...)" where every year reads the same;
    "63% in 2027" for one year."""
    said = [f"{year} ({note})" for year, note in zip(years, notes)] if notes else list(years)
    if len(levels) == 1:
        return f"{levels[0]} in {said[0]}"
    held = next(i for i in range(len(levels)) if all(level == levels[-1] for level in levels[i:]))
    if held == 0:
        return f"{levels[-1]} in every year from {said[0]} to {said[-1]}"
    end = (f"{levels[held]} by {said[held]}, staying there to {years[-1]}" if held < len(levels) - 1
           else f"{levels[-1]} in {said[-1]}")
    if 0 < worst < held and levels[worst] not in (levels[0], levels[-1]):
        return f"{levels[0]} in {said[0]} to {levels[worst]} in {said[worst]}, then {end}"
    return f"{levels[0]} in {said[0]} to {end}"


ARRIVING = "of those arriving in each year"
"""What a year's share of an SLA's items is a share of (``sla_<priority>`` in a year's row: the items
that arrived in it, docs/metrics.md), said beside every year's share quoted."""


MOST_QUOTED = 2
"""Most service levels the by-year chart's title quotes in full (each :attr:`Measured.sentence`); with more
(four ran to ten lines, which a reader crops) it gives their verdict together (:func:`levels_verdict`),
each legend entry its own levels and verdict (:attr:`Measured.legend`), which the chart's description
(its alt text, :func:`capsim.charts.describe.describe`) reads out as its key."""

LEGEND_CHARS = 104
"""Characters per line of the by-year chart's legend entry (11 pt across the chart's 10 in, after its marker)."""

LEGEND_ROW_IN = 0.28
"""Inches the by-year chart keeps for its legend above the share panel: one row of entries (11 pt; 0.275 in
measured). A legend taller as drawn (several rows, entries of several lines: eleven service levels in one
column took 7 in) makes the chart as much taller (:func:`_fit_legend`), so that the panels keep their height
and constrained layout never squeezes them to nothing, the legend onto the title and the axes onto the footer."""

MARKERS = ("D", "o", "s", "^")
"""The markers of the by-year chart's service levels, one for each round of :data:`PALETTE`'s colours: the
eighth level is drawn in the first's colour, and told from it by its marker."""

YEAR_SHARE_DECIMALS = 1
"""Decimals of a year's share in the by-year chart's title and legend: the report's year table's
(:func:`capsim.words.fmt`), so that 75.6% to 76.4% never reads "76% → 76%" there, nor differs from the
report (:func:`capsim.words.percent_against` adds the fewest more that keep a share on its side of the target)."""


class Judged(NamedTuple):
    """How a service level meets its target, by the shared rule (:func:`target_side`), as a verdict on
    several levels at once counts it (:func:`levels_verdict`): over the years of a run, or over the whole run."""

    known: bool
    """Whether any item's outcome is known (in a year of three months or more)."""
    surely: str | None
    """The first year missed with its whole 95% CI below the target (its label), if any."""
    missed: str | None
    """The first year missed on average (its label), if any."""
    met: bool
    """Whether it meets the target with its whole 95% CI at or above it (in every year)."""


class Measured(NamedTuple):
    """A service level of the by-year chart in words (:func:`measured`), and how it meets its target."""

    sentence: str
    """What it counts, its level from the first year to the last (:func:`path_words`) and its verdict."""
    legend: str
    """What it counts, its first and last years' levels and its verdict: "… within 5 d: 3.4% → 0%; the 90%
    target is first missed in 2027 (Feb–Dec)"."""
    judged: Judged


def measured(result: SimulationResult, sla: Any, metric: str, team: str) -> Measured:
    """A measure of :func:`sla_measures` (``sla``, its ``metric`` and ``team``) in the by-year chart's words,
    over the years of three months or more (:data:`HEADLINE_PERIOD_DAYS`): each a share of the items
    arriving in that year, to a tenth as the report's year table gives it (:data:`YEAR_SHARE_DECIMALS`), never on
    the wrong side of the target (89.95%, not 90.0%, is missed)."""
    s = result.scenario
    labels = year_labels(result)
    compared = year_labels(result, HEADLINE_PERIOD_DAYS)
    rows = year_rows(result, metric)
    rows = rows[rows.index.isin(compared) & rows["mean"].notna()]  # a year with no such item known says nothing
    counted, within = measure_words(s, sla, team, metric), duration_text(sla.within)
    if rows.empty:
        unknown = "no item's outcome known in any year of three months or more"
        return Measured(f"{counted} assessed within {within}: {unknown}", f"{counted} within {within}: {unknown}",
                        Judged(False, None, None, False))
    levels = [percent_against(share, sla.target, YEAR_SHARE_DECIMALS) for share in rows["mean"]]
    change = path_words([labels[p] for p in rows.index], levels, int(np.argmin(rows["mean"].to_numpy())))
    if len(labels) == 1:  # a run within one calendar year: no first year, no "every year"
        only = rows.iloc[0]
        judged = target_verdict(only["mean"], only.ci_low, only.ci_high, sla.target)
    else:
        judged = year_verdict(result, sla, metric, list(compared))
    verdict = f"the {target_percent(sla.target)} target is {judged}"
    missed = first_missed(result, sla.priority, metric)
    met = not missed and all(side == "met" for side, _ in year_sides(result, sla, metric, compared).values())
    return Measured(f"{counted} assessed within {within} ({ARRIVING}): {change}; {verdict}",
                    f"{counted} within {within}: {ARROW.join(levels[:1] + levels[1:][-1:])}; {verdict}",
                    Judged(True, first_missed(result, sla.priority, metric, by="ci_high"), missed, met))


def levels_verdict(judged: list[Judged], targets: list[float],
                   first: Callable[..., str] = lambda years, how="", lead="": "", every: str = "",
                   last: Callable[[list[str]], str] = lambda years: "") -> str:
    """The verdict on several service levels at once (``judged``: how each meets its target; ``targets``:
    theirs, 0–1), by the shared rule (:func:`target_side`): how many miss the target with the whole 95%
    CI below it, and when (``first``: of the years they are first missed in, the words after the
    target, with ``how`` they are missed and ``lead`` before (", first" unless given): ", first in 2027
    (Feb–Dec)", ", first on average in 2027"; "" over a whole run); how many more miss it on average only
    (the whole 95% CI never below it), and when; where none misses it on average, how many meet it with
    the whole 95% CI at or above it (``every``: when, " in every year"; "" over a whole run) and how many
    more on average only; and how many know no item's outcome: "2 of 3 service levels miss the 90% target,
    first in 2027 (Feb–Dec); 1 more on average only, first in 2029" (lower case: a title capitalises it
    where it leads). Where the levels a clause counts are first missed in different years, the year by
    which every one of them is (``last``: " by 2029", the latest of the years given; "" over a whole run)
    before the first: "all 3 service levels miss their targets by 2029, the first in 2027 (Feb–Dec)",
    never "..., first in 2027 (Feb–Dec)", which reads as all three missed in 2027. Where those missing it
    with the whole 95% CI below it are missed on average in an earlier year, both years, as a level's own
    verdict gives them (:func:`year_verdict`), never the later alone: "1 of 3 service levels misses the
    90% target, first on average in 2027, first with its whole 95% CI below it in 2029". No clause says
    "meet" while one misses: those it does not count are met, and the chart says how."""
    n = len(judged)
    shared = f"the {target_percent(targets[0])} target" if len(set(targets)) == 1 else ""

    def who(k: int) -> str:  # the subject of a clause that leads
        return f"all {n} service levels" if k == n else f"{k} of {n} service levels"

    def verb(k: int, plural: str) -> str:  # "miss", "meet" after several; "misses", "meets" after one
        return plural if k > 1 else plural + ("es" if plural.endswith("s") else "s")

    def target(k: int) -> str:
        return shared or ("their targets" if k > 1 else "its target")

    def spread(missed: list[str], by: list[str]) -> tuple[str, str]:
        """Where levels first missed (on average) in ``missed``, and as the clause counts them in ``by``, are
        not all missed first in one year: the year by which every one is (" by 2029") and the lead of the first
        year's words (", the first"); else "" and ", first"."""
        latest = last(by)
        if not latest or len(set(missed)) < 2 and len(set(by)) < 2:
            return "", ", first"
        return latest, ", the first"

    def when_missed(levels: list[Judged]) -> str:  # when levels missed with the whole 95% CI below are first missed
        missed, below = [m.missed for m in levels if m.missed], [m.surely for m in levels if m.surely]
        by, lead = spread(missed, below)
        if first(missed) == first(below):
            return by + first(below, lead=lead)
        whose = "its" if len(levels) == 1 else "a level's"
        return (by + first(missed, " on average", lead)
                + first(below, f" with {whose} whole 95% CI below {'it' if shared else 'its target'}", lead))

    def when_average(missed: list[str]) -> str:  # when levels missed on average only are first missed
        by, lead = spread(missed, missed)
        return f" on average only{',' if by else ''}{by}{first(missed, lead=lead)}"

    surely = [m for m in judged if m.surely]
    average = [m.missed for m in judged if m.missed and not m.surely]
    clauses = []
    if surely:
        clauses.append(f"{who(len(surely))} {verb(len(surely), 'miss')} {target(len(surely))}{when_missed(surely)}")
    if average:
        clauses.append(f"{len(average)} more{when_average(average)}" if surely else
                       f"{who(len(average))} {verb(len(average), 'miss')} {target(len(average))}{when_average(average)}")
    met = sum(m.met for m in judged)
    hedged = sum(m.known and not m.missed and not m.met for m in judged)
    if not clauses and met:
        clauses.append(f"{who(met)} {verb(met, 'meet')} {target(met)}{every}"
                       + (f", {hedged} more on average only" if hedged else ""))
    elif not clauses and hedged:
        clauses.append(f"{who(hedged)} {verb(hedged, 'meet')} {target(hedged)} on average{every}")
    unknown = n - sum(m.known for m in judged)
    if unknown:
        clauses.append(f"{unknown} {'has' if unknown == 1 else 'have'} no item's outcome known" if clauses else
                       f"none of the {n} service levels has an item's outcome known")
    return "; ".join(clauses)


def _years_verdict(result: SimulationResult, judged: list[Judged], targets: list[float]) -> str:
    """:func:`levels_verdict` over the calendar years of ``result``: ", first in 2027 (Feb–Dec)" after the
    target, " in every year", " by 2029"; in a run within one calendar year, " in 2024 (5–18 Mar)" for both."""
    labels = year_labels(result)
    order = list(labels.values())

    def said(years: list[str], pick: Callable[..., str] = min) -> str:  # the earliest (or latest) year, as labelled
        return pick((labels[p] for p in years), key=order.index)

    def first(years: list[str], how: str = "", lead: str = ", first") -> str:
        return f"{lead}{how} in {said(years)}" if len(order) > 1 else f"{how} in {said(years)}"

    def last(years: list[str]) -> str:
        return f" by {said(years, max)}" if len(order) > 1 else ""

    return levels_verdict(judged, targets, first, " in every year" if len(order) > 1 else f" in {order[0]}", last)


def by_year_title(result: SimulationResult, slas: list[tuple[Any, str, str]], words: list[Measured]) -> str:
    """The by-year chart's title on its service levels (``slas``, from :func:`sla_measures`; ``words``,
    each one's :func:`measured`): up to :data:`MOST_QUOTED`, each one's sentence; with more, their verdict
    together (:func:`levels_verdict`: no title says a target is met in every year beside a measure of
    the same target, a team's say, that misses it) and the staff briefly (:func:`staff_words`). Either
    way with the staff the levels hold for, each team once: a level quoted without it reads as today's team."""
    s = result.scenario
    if len(slas) > MOST_QUOTED:
        said = _years_verdict(result, [m.judged for m in words], [sla.target for sla, _, _ in slas])
        said = said[:1].upper() + said[1:]
        return f"{said}, with {staff}" if (staff := staff_words(s, _teams(s, slas), brief=True)) else said
    return _with_staff(s, slas, [m.sentence for m in words])


def _with_staff(s: Scenario, slas: list[tuple[Any, str, str]], sentences: list[str]) -> str:
    """``sentences`` (of the measures ``slas``) as one sentence, only its first word capitalised, with the
    staff of every team the levels hold for, each team once: "the 18 analysts (team triage) and 17
    (team investigation) the scenario holds constant", not that once per measure."""
    joined = "; ".join(sentences)
    staff = staff_words(s, _teams(s, slas))
    return joined[:1].upper() + joined[1:] + (f", with {staff}" if staff else "")


def _teams(s: Scenario, slas: list[tuple[Any, str, str]]) -> list[str]:
    """The teams the levels of ``slas`` hold for (:func:`measure_teams`), each once, in order."""
    return list(dict.fromkeys(t for sla, metric, team in slas for t in measure_teams(s, sla, team, metric)))


def backlog_title(result: SimulationResult, backlog: pd.DataFrame) -> str:
    """The by-year chart's title where no service level is measured: the items waiting, averaged over
    the first year of three months or more and the last (``backlog``: :func:`year_rows` of ``backlog_mean``)."""
    labels = year_labels(result)
    kept = backlog[backlog.index.isin(year_labels(result, HEADLINE_PERIOD_DAYS))]
    if len(kept) > 1:
        return (f"Items waiting, averaged over each year: {count_words(kept['mean'].iloc[0])} in "
                f"{labels[kept.index[0]]} to {count_words(kept['mean'].iloc[-1])} in {labels[kept.index[-1]]}")
    if len(kept):
        return f"Items waiting, averaged over {labels[kept.index[0]]}: {count_words(kept['mean'].iloc[0])}"
    return "Items waiting, averaged over each calendar year"


def by_year(result: SimulationResult) -> Figure:
    """Per calendar year: each SLA's share within its deadline (top, with its target) and the
    backlog averaged over the year (bottom), means with 95% CIs across replications."""
    s = result.scenario
    labels = year_labels(result)
    periods = list(labels)
    x = np.arange(len(periods))
    known = set(result.period_summary.metric)
    slas = [(sla, metric, team) for sla, metric, team in sla_measures(s) if metric in known]
    words = [measured(result, sla, metric, team) for sla, metric, team in slas]
    backlog = year_rows(result, "backlog_mean")
    title = by_year_title(result, slas, words) if slas else backlog_title(result, backlog)

    entries = [("\n".join(wrap_words(m.legend, LEGEND_CHARS)) if len(slas) > MOST_QUOTED
                else f"{measure_words(s, sla, team, metric)} within {duration_text(sla.within)}")
               for m, (sla, metric, team) in zip(words, slas)]
    footer = footer_text([s], result.seed, result.replications)
    with styled():  # the panels keep their height however long the title, the legend and the footer wrap
        fig = new_figure((5.4 if slas else 3.2) + title_height(title) + footer_height(footer))
        grid = fig.add_gridspec(2 if slas else 1, 1, height_ratios=[1.3, 1] if slas else [1])
        axes = [fig.add_subplot(grid[i]) for i in range(2 if slas else 1)]
        if slas:
            ax = axes[0]
            for i, (sla, metric, team) in enumerate(slas):
                rows = year_rows(result, metric)
                _points(ax, x, rows, PALETTE[i % len(PALETTE)], entries[i], MARKERS[i // len(PALETTE) % len(MARKERS)])
            _target_lines(ax, [sla.target for sla, _, _ in slas])
            ax.yaxis.set_major_formatter(PercentTicks())
            low = np.nanmin([year_rows(result, metric)[["mean", "ci_low"]].min().min() for _, metric, _ in slas]
                            + [min(sla.target for sla, _, _ in slas)])
            ax.set_ylim(max(0.0, low - 0.05), 1.0)  # no share above 100%: a point there is drawn unclipped
            ax.set_ylabel("Share within\ndeadline")
            ax.set_xticks(x, [labels[p] for p in periods])
            ax.set_xlim(-0.5, len(periods) - 0.5)
            ax.grid(axis="x", visible=False)
            _legend(ax, len(slas))
        ax = axes[-1]
        _points(ax, x, backlog, OKABE_ITO["blue"], "items waiting")
        ax.set_ylabel("Items waiting\n(average over the year)")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_ylim(0, headroom(backlog))
        ax.set_xticks(x, [labels[p] for p in periods])
        ax.set_xlim(-0.5, len(periods) - 0.5)
        ax.grid(axis="x", visible=False)
        ax.set_title(f"Items waiting, all teams, averaged over {'the year' if len(periods) == 1 else 'each year'} "
                     "(exact); mean and 95% CI of "
                     f"{result.replications} replications", loc="left", fontsize=12, color=MUTED)
        fig.align_ylabels(axes)
        apply_style(fig, title, footer)
    return fig


def _target_lines(ax, targets: list[float]) -> None:
    """The targets (shares, 0–1) of the measures drawn in :data:`PALETTE`'s order, as dashed lines.
    Where every measure has the same target, one line in vermillion (grey where a measure is drawn in
    vermillion) ("target 90%", "…, both" or
    "…, all 3" when several share it); else each measure's own line and legend entry, in its
    measure's colour (a line drawn once for two measures would take one measure's colour and so
    be read as that one's alone), the lines of measures whose targets are equal dashed in turn so
    that each shows between the other's dashes and no line hides another."""
    if len(set(targets)) == 1:
        shared = "" if len(targets) == 1 else (", both" if len(targets) == 2 else f", all {len(targets)}")
        # vermillion, unless a measure's line is drawn in it (the fourth): then grey, never read as that measure's
        colour = OKABE_ITO["vermillion"] if OKABE_ITO["vermillion"] not in PALETTE[:len(targets)] else MUTED
        ax.axhline(targets[0], color=colour, linestyle="--", linewidth=1.8,
                   label=f"target {target_percent(targets[0])}{shared}")
        return
    dash = 4.0  # the length of each dash and of each measure's share of a gap, in line widths
    for i, target in enumerate(targets):
        alike = [j for j, t in enumerate(targets) if t == target]
        ax.axhline(target, color=PALETTE[i % len(PALETTE)], linewidth=1.8, label=f"target {target_percent(target)}",
                   linestyle=(alike.index(i) * dash, (dash, dash * max(len(alike) - 1, 1))))


def _legend(ax, measures: int) -> None:
    """The share panel's legend above it (:func:`legend_above`): each of its ``measures``, then the target
    line(s); targets that differ in two columns, each measure beside its own target (a legend fills down
    first). Where the entries are too wide for two columns, or a measure's entry wraps (the column of targets
    would not keep to the measures' rows), one entry for each target's value instead of one for each measure's
    line: "target 90%" entries beside no measure, or beside another's, say nothing or mislead (each measure's
    entry names its target). Then the chart is made as tall as the legend needs (:func:`_fit_legend`)."""
    handles, texts = ax.get_legend_handles_labels()  # each measure, then the target line(s)
    columns = legend_above(ax, handles, texts, ncols=min(len(texts), 3 if len(texts) == measures + 1 else 2))
    beside = columns > 1 and not any("\n" in text for text in texts[:measures])  # each measure's entry on one line
    if len(texts) > measures + 1 and not beside:
        values = list(dict.fromkeys(texts[measures:]))  # "target 90%" for each measure: each value once
        keys = [Line2D([], [], color=MUTED, linestyle="--", linewidth=1.8) for _ in values]
        legend_above(ax, handles[:measures] + keys, texts[:measures] + [f"{v}: dashed, in each level's colour"
                                                                        for v in values], ncols=1)
    _fit_legend(ax)


def _fit_legend(ax) -> None:
    """Make ``ax``'s figure as much taller as its legend, as drawn, takes more than :data:`LEGEND_ROW_IN`."""
    fig = ax.figure
    legend_in = ax.get_legend().get_window_extent().height / fig.dpi
    fig.set_figheight(fig.get_figheight() + max(0.0, legend_in - LEGEND_ROW_IN))


def _points(ax, x: np.ndarray, rows: pd.DataFrame, colour: str, label: str, marker: str = "D") -> None:
    """Means as diamonds (or ``marker``) joined year to year (every year was run), 95% CIs as bars."""
    mean = rows["mean"].to_numpy(dtype=float)
    low, high = rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float)
    for xi, lo, hi in zip(x, low, high):
        if math.isfinite(lo) and math.isfinite(hi):
            ax.plot([xi, xi], [lo, hi], color=colour, linewidth=3, solid_capstyle="butt", clip_on=False)
    ax.plot(x, mean, marker=marker, markersize=7, color=colour, label=label, clip_on=False)
