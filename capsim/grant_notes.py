"""What the grant's figures must be read with, said once under its table and on its page: a cost the
plan fixes (no interval, and where its range across futures comes from), service-level columns that
measure other things in other scenarios, items a classifier moves under a deadline or out of one,
teams no target plans (their queues over the grant), and hires with no hiring lead time; and, for the
grant's chart, the SLAs a plan found impossible on a team's roster; and how a cost is rounded for a reader
(:func:`costs_shown`). It is words, not a page: the terminal, the report and the chart all read it, so it
sits below them (with :mod:`capsim.words`).

Why it is one module (over 400 lines): every note here reads the same grant result and says what its
figures must be read with, once, wherever the grant is shown; split by note, each part would import the
same result and money words, and the terminal, report and chart would each gather them again."""

from __future__ import annotations

import itertools
import math
import shlex
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from capsim.metric_names import UNIT_PLURALS
from capsim.units import format_duration
from capsim.words import (and_list, count_words, duration_text, durations_words, fmt, grant_sla_names, hours_words,
                          percent)

if TYPE_CHECKING:  # pragma: no cover
    from capsim.grant import GrantResult
    from capsim.scenario import Scenario
    from capsim.staffing import StaffingPlan


COST = "cost"
"""The metric name :func:`~capsim.words.fmt` writes an amount of money by (its currency's symbol: £2,754,725)."""

COST_FIGURES = 3
"""Significant figures, of the smallest cost of a grant year, that every grant output a reader sees gives
that year's costs to (:func:`costs_shown`): the simulation does not know them to the pound; the budget
lines (and grant.csv) give them to the unit."""

COST_PRECISION = (f"to {COST_FIGURES} significant figures of each year's smallest, with more figures where two "
                  "that differ would read alike; budget lines to the unit")
"""How every grant output rounds its costs (:func:`costs_shown`: one unit for a year's costs in every scenario and
their intervals' ends, the differences from the first scenario likewise; a difference that is not nil never reads
as none), said briefly after "rounded" in the terminal table's title and the report."""


def nil_cost(value: float) -> bool:
    """True for an amount of money (in its currency's units) that the report writes as nothing
    (:func:`~capsim.words.fmt`, to the cent: 0.00): a difference of it has no sign."""
    return fmt(COST, abs(value)) == fmt(COST, 0.0)


def _reads_true(values: Sequence[float], unit: float) -> bool:
    """Whether ``values`` (finite amounts of money, in the currency's units) rounded to ``unit`` keep
    apart every two that differ by a unit of the currency or more (as the budget lines give them), and
    leave none that is not nil (:func:`nil_cost`) reading as zero."""
    steps = [round(v / unit) for v in values]
    apart = all(j != k for (j, a), (k, b) in itertools.combinations(zip(steps, values), 2) if abs(a - b) >= 1)
    return apart and all(k != 0 for k, v in zip(steps, values) if not nil_cost(v))


def cost_unit(groups: Sequence[Sequence[float]]) -> float | None:
    """The one unit (in the currency's units) that amounts of money read together are rounded to:
    :data:`COST_FIGURES` significant figures of the smallest amount that is not nil in the first group
    (the amounts compared: a year's costs across scenarios), so that none is given to fewer, or a tenth as
    fine while, within any one group, two 1 or more apart would read alike or one that is not nil would
    read as zero (:func:`_reads_true`), down to 1; None where that amount is under 10 ** COST_FIGURES (the
    amounts are then given as they are). [[2754000, 2754400]] gives 100; [[2754725, 9955562]] 10,000;
    [[412345, 12000000]] 1,000 (412,000 beside 12,000,000, never 400,000)."""
    known = [[v for v in group if math.isfinite(v)] for group in groups]
    compared = [abs(v) for v in (known[0] if known else []) if not nil_cost(v)]
    size = min(compared, default=max((abs(v) for group in known for v in group), default=0.0))
    if size < 10 ** COST_FIGURES:
        return None
    unit = 10.0 ** (math.floor(math.log10(size)) - COST_FIGURES + 1)
    while unit > 1 and not all(_reads_true(group, unit) for group in known):
        unit /= 10
    return unit


def _rounded(value: float, unit: float | None) -> float:
    """An amount of money to a whole number of ``unit`` (:func:`cost_unit`); as it is where ``unit`` is
    None, where it is NaN, and where it is under half a unit and not nil (0.30: never read as none)."""
    if unit is None or not math.isfinite(value) or (round(value / unit) == 0 and not nil_cost(value)):
        return value
    return round(value / unit) * unit


def costs_shown(table: pd.DataFrame, column: str, replications: int) -> pd.DataFrame:
    """Per row of a grant table (:attr:`capsim.grant.GrantResult.table` or ``grant.csv``, any of its rows),
    the amount of money in ``column`` (``total_cost``, or ``total_cost_vs_first``), in its currency's
    units, and the ends of its 95% CI (``<column>_ci_low``, ``_ci_high``) as every grant output a reader
    sees gives them: the report's lines and notes, the chart, the terminal's table. Each year's rows (the
    whole grant's "all" rows too) are rounded together, to one unit (:func:`cost_unit`) that keeps apart
    the year's amounts that differ by 1 or more across scenarios, and each amount and the ends of its
    interval, so that they read in order. Where the replications agree (:func:`capsim.grant.no_spread`, judged before
    rounding, in column ``fixed``: ends a unit apart still differ) the mean stands for both ends. Columns
    ``mean``, ``low``, ``high``, ``fixed``, indexed as ``table``."""
    from capsim.grant import no_spread

    low, high = table[f"{column}_ci_low"], table[f"{column}_ci_high"]
    fixed = pd.Series([no_spread(lo, hi, replications) for lo, hi in zip(low, high)], index=table.index, dtype=bool)
    shown = pd.DataFrame({"mean": table[column], "low": low.where(~fixed, table[column]),
                          "high": high.where(~fixed, table[column]), "fixed": fixed})
    for _, rows in shown.groupby(table["year"].astype(str), sort=False):
        unit = cost_unit([rows["mean"].tolist(), *rows[["mean", "low", "high"]].itertuples(index=False)])
        shown.loc[rows.index, ["mean", "low", "high"]] = rows[["mean", "low", "high"]].map(lambda v: _rounded(v, unit))
    return shown


MATERIAL_RISE = 0.10
"""The least rise, as a share of the first grant year's mean, that :func:`unplanned_notes` calls a
queue growing (and only where it is also beyond that year's 95% interval)."""


def counting_notes(result: GrantResult) -> list[str]:
    """Per SLA column (as the table heads it, :func:`~capsim.words.grant_sla_names`: by the first
    scenario that has it) that two or more scenarios have but do not measure alike: a classifier
    relabels priorities in some of them or is set differently (:func:`capsim.compare.definition_notes`,
    the rule ``capsim compare`` notes it by), or their SLAs differ (another deadline): what it measures
    in each scenario (:func:`~capsim.metric_names.sla_words`), and that the shares are not like with
    like; [] where every shared column measures the same."""
    from capsim.compare import definition_notes, relabels
    from capsim.grant import sla_column_words

    relabelled = definition_notes(result.scenarios)
    out = []
    for column, header in grant_sla_names(result.scenarios).items():
        words = sla_column_words(result.scenarios, column)
        if len(words) < 2 or (column not in relabelled and len(set(words.values())) == 1):
            continue  # one scenario's column, or the same measure in each
        why = (f"the classifier in {and_list([s.name for s in result.scenarios if relabels(s)])} moves items "
               "between priorities, so these shares are not like with like "
               "(capsim compare compares the items by their stream's priority)" if column in relabelled else
               "so these shares are not like with like")
        each = "; ".join(f"in {name}, {text}" for name, text in words.items())
        out.append(f"{header}: not the same measure in every scenario ({each}): {why}.")
    return out


def deadline_notes(result: GrantResult) -> list[str]:
    """Per scenario and team where its classifier puts items under an SLA deadline their stream's
    priority has none of, or takes them out of one (:func:`capsim.grant.deadline_moves`): how many
    over the whole grant (the mean of ``deadline_added_<team>``, ``deadline_removed_<team>``), into
    which queue, and what that does to the plan, since the grant plans a team for the deadlines of
    its queues."""
    from capsim.grant import deadline_moves

    out = []
    for scenario in result.scenarios:
        classifier = scenario.tooling.classifier
        within = {s.priority: duration_text(s.within) for s in scenario.sla}
        whole = result.table[(result.table.scenario == scenario.name) & (result.table.year == "all")].iloc[0]
        queues = {classifier.positive_priority: "those it flags", classifier.negative_priority: "those it does not flag"}
        for team, (added, removed) in deadline_moves(scenario).items():
            for streams, kind in ((added, "added"), (removed, "removed")):
                if not streams:
                    continue
                units = {st.unit for st in scenario.demand if st.stream in streams}
                noun = UNIT_PLURALS[next(iter(units))] if len(units) == 1 else "items"
                count = count_words(whole[f"deadline_{kind}_{team}"])
                of = f"stream{'s' if len(streams) > 1 else ''} {and_list(streams)}"
                if kind == "added":
                    where = "; ".join(f"{who} in the {p} queue, within {within[p]}" for p, who in queues.items()
                                      if p in within)
                    out.append(f"{scenario.name}: its classifier puts {count} {noun} of team {team} ({of}, whose "
                               f"own priority has no deadline) under a deadline over the grant: {where}. The grant "
                               f"plans team {team} for that deadline, which these items do not have without the "
                               "classifier.")
                else:
                    where = "; ".join(f"{who} wait in the {p} queue" for p, who in queues.items() if p not in within)
                    out.append(f"{scenario.name}: its classifier takes {count} {noun} of team {team} ({of}, whose "
                               f"own priority has a deadline) out of every deadline over the grant: {where}, with no "
                               "deadline. No service level given counts them, and no target of the plan bounds "
                               "their wait.")
    return out


def _rise(first: float, high: float, last: float) -> str | None:
    """How a team's measure rose over the grant, "up 26%" (whole percent, or as many decimals as
    :func:`~capsim.words.percent` needs), where the rise is material: at least :data:`MATERIAL_RISE`
    of the first year's mean ``first`` and beyond its 95% interval (above ``high``); "up from none"
    where the first year had none; None where it is not material."""
    if not (last > high and last >= first * (1 + MATERIAL_RISE)):
        return None
    return f"up {percent(last / first - 1)}" if first > 0 else "up from none"


def _trend(what: str, verbs: tuple[str, str], words: tuple[str, str], rise: str | None) -> str:
    """One measure of a team over the grant: "items waiting there on average rise from 2,712 in
    2027/28 to 3,419 in 2029/30 (up 26%, beyond the first year's 95% interval)"; "go from" where
    the rise is not material (``rise`` None). ``verbs``: the verb for a rise and for any change."""
    verb = verbs[0] if rise else verbs[1]
    return f"{what} {verb} from {words[0]} to {words[1]}" + (f" ({rise}, beyond the first year's 95% interval)"
                                                              if rise else "")


def unplanned_notes(result: GrantResult) -> list[str]:
    """Per scenario and team with no SLA (:func:`capsim.grant.unplanned_teams`): that the grant plans
    none of its staff, the teams that refer work to it, and its items waiting on average
    (``backlog_mean_<team>``, whole from 100 up, as the report writes a backlog) and mean wait to start
    (``wait_mean_<team>``, three significant figures in one unit) in the first and last grant years.
    Its queue is said to grow only where the last year's mean of either measure is materially above
    the first year's (:func:`_rise`: at least :data:`MATERIAL_RISE`, 10%, higher and beyond that
    year's 95% interval, so more than the run-to-run spread), with how much; the figures alone where
    neither is."""
    from capsim.grant import unplanned_teams

    table = result.table
    first, last = result.years[0].label, result.years[-1].label
    out = []
    for scenario in result.scenarios:
        mine = table[table.scenario == scenario.name].set_index("year")
        for team in unplanned_teams(scenario):
            backlog, wait = f"backlog_mean_{team}", f"wait_mean_{team}"
            a, b = mine.loc[first], mine.loc[last]
            senders = sorted({r.source for r in scenario.routing if r.to == team})
            fed = f", which receives work referred by team {and_list(senders)}," if senders else ""
            lead = (f"{scenario.name}: team {team}{fed} has no SLA, so the grant plans none of its staff (its seats "
                    "stay as written)")
            if first == last:
                out.append(f"{lead}: over {first}, {count_words(a[backlog])} items wait there on average and the mean "
                           f"wait to start there is {hours_words(a[wait])}.")
                continue
            rises = [_rise(a[m], a[f"{m}_ci_high"], b[m]) for m in (backlog, wait)]
            w0, w1 = durations_words(a[wait], b[wait])
            items = _trend("items waiting there on average", ("rise", "go"),
                           (f"{fmt(backlog, a[backlog])} in {first}", f"{fmt(backlog, b[backlog])} in {last}"), rises[0])
            waits = _trend("the mean wait to start there", ("rises", "goes"), (w0, w1), rises[1])
            grows = any(rises)
            out.append(f"{lead}{': its queue grows over the grant' if grows else ''}: {items}, and {waits}."
                       + (" No target flags it: give the team an SLA to plan and cost its staff." if grows else ""))
    return out


def no_lead_time_teams(scenarios: Sequence[Scenario], plans: Mapping[str, Sequence[StaffingPlan]]) -> list[str]:
    """The planned teams of ``scenarios`` that hire with no hiring lead time (``hiring.lead_time`` 0 s,
    the default) in their grant ``plans`` (per scenario name, as :attr:`capsim.grant.GrantResult.plans`),
    each once, in the scenarios' order: their new analysts start the day the plan needs them."""
    teams: dict[str, None] = {}
    for scenario in scenarios:
        lead = {t.team: t.hiring.lead_time for t in scenario.workforce}
        for plan in plans.get(scenario.name, []):
            if lead[plan.team] == 0 and any(p.change > 0 for p in plan.periods):
                teams[plan.team] = None
    return list(teams)


def no_lead_time_clause(teams: Sequence[str]) -> str:
    """:func:`no_lead_time_note` in one short clause, for a line of figures: "no hiring lead time is set
    for team analysts: its hires start the day the plan needs them, as if recruited and vetted in no
    time" (``teams``: :func:`no_lead_time_teams`, not empty)."""
    several = len(teams) > 1
    return (f"no hiring lead time is set for {'teams' if several else 'team'} {and_list(list(teams))}: "
            f"{'their' if several else 'its'} hires start the day the plan needs them, as if recruited and vetted "
            "in no time")


def no_lead_time_short(teams: Sequence[str]) -> str:
    """:func:`no_lead_time_clause` as a sentence, for a chart: "No hiring lead time is set for team
    analysts: ... in no time."."""
    words = no_lead_time_clause(teams)
    return f"{words[0].upper()}{words[1:]}."


def no_lead_time_note(result: GrantResult) -> str | None:
    """The one sentence, for every scenario, on the planned teams that hire with no hiring lead time
    (:func:`no_lead_time_teams`): their new analysts start when the plan needs them, as if
    recruited and vetted in no time, with the option that sets a lead time (91d: 13 weeks, as
    :func:`~capsim.report.what_it_takes.no_lead_time_words` gives it); None where no such team hires."""
    names = no_lead_time_teams(result.scenarios, result.plans)
    if not names:
        return None
    keys = and_list([f"workforce.{t}.hiring.lead_time" for t in names])
    return (f"No hiring lead time is set for {'team' if len(names) == 1 else 'teams'} {and_list(names)} ({keys}, "
            "default 0d): the plan's new "
            "analysts start on the day it needs them, as if recruited and vetted in no time, and their recruitment "
            "is charged to the year they start. Set it to the time recruiting and vetting take (e.g. "
            f"--set workforce.{names[0]}.hiring.lead_time=91d): hires too late for a year's first day are then "
            "shown late, with that year's service level as it would be.")


def impossible_years(scenario: Scenario, plans: Sequence[StaffingPlan], labels: Sequence[str]) -> dict[str, list[str]]:
    """Per SLA column of the grant table (:func:`capsim.grant.sla_column`), the grant years (``labels``,
    in order) whose plan leaves that SLA out because no headcount can meet it on the team's roster
    (:attr:`capsim.staffing.PeriodPlan.left_out`); columns never left out are not given."""
    from capsim.grant import sla_column

    out: dict[str, list[str]] = {}
    for plan in plans:
        for label, period in zip(labels, plan.periods):
            for priority in period.left_out:
                out.setdefault(sla_column(scenario, priority, plan.team), []).append(label)
    return out


GROWTH_SCENARIOS = ("growth-low", "growth-central", "growth-high")
"""The bundled scenarios that are one hotline's futures, low to central to high growth, and differ in
nothing else: planned together, their grants give its range across futures."""


def _sets(scenario: Scenario) -> list[str]:
    """The ``--set`` options the scenario was run with (``key=value``), in order."""
    return [o.removeprefix("--set ") for o in scenario.overrides if o.startswith("--set ")]


def _set_options(scenario: Scenario) -> str:
    """The ``--set`` options the scenario was run with, as a command line takes them again
    (`` --set 'key=value'``, quoted for a shell); "" where it has none."""
    return "".join(f" --set {shlex.quote(o)}" for o in _sets(scenario))


def _bundled_with(name: str, sets: list[str]) -> Scenario | None:
    """Bundled scenario ``name`` loaded with ``--set`` options ``sets`` (``key=value``); None where it cannot
    take them (a key it does not have, a value it refuses)."""
    from capsim import bundled
    from capsim.scenario import ScenarioError, load_scenario

    try:
        return load_scenario(bundled.path(name), sets)
    except ScenarioError:
        return None


def _is_bundled(scenario: Scenario) -> bool:
    """Whether ``scenario`` is the bundled scenario of its name, run with its ``--set`` options: it resolves
    to the very settings that bundled file does with them (:attr:`~capsim.scenario.Scenario.source`, which
    re-clocking and planning for a grant leave as they were), as an unedited copy of it does; not a user's own
    scenario, nor a bundled one edited and saved, under that name (a command naming it would run another)."""
    from capsim import bundled

    shipped = _bundled_with(scenario.name, _sets(scenario)) if scenario.name in bundled.names() else None
    return shipped is not None and shipped.source == scenario.source


def _growth_future(scenario: Scenario) -> bool:
    """Whether ``scenario`` is one of :data:`GROWTH_SCENARIOS` (:func:`_is_bundled`) whose ``--set`` options
    all three take, leaving every stream's growth of each as shipped: planned together with those options,
    the three then differ in growth alone (an option that sets a growth would set it alike in all three)."""
    if scenario.name not in GROWTH_SCENARIOS or not _is_bundled(scenario):
        return False
    growth = lambda s: None if s is None else [stream.growth for stream in s.demand]
    return all(growth(_bundled_with(name, _sets(scenario))) == growth(_bundled_with(name, []))
               for name in GROWTH_SCENARIOS)


def _lower_growth(scenario: Scenario, key: str) -> str:
    """Which way ``key`` (a stream's growth, as :func:`capsim.sensitivity.default_parameters` names
    it) moves for lower growth, from its value as written or, where a figure writes it, as resolved:
    "--set demand.reports.growth.per_year below its 30%", "--set demand.ai.growth.doubling_time above its
    209.406d"
    (a longer doubling time is slower growth)."""
    from capsim.sensitivity import locate

    setting = locate(scenario, key)
    doubling = key.endswith(".doubling_time")
    now = (setting.written if isinstance(setting.written, str) else
           format_duration(setting.value) if doubling else percent(setting.value, 1))
    return f"--set {setting.set_key} {'above' if doubling else 'below'} its {now}"


def futures_words(scenario: Scenario, start: str, years: int) -> str:
    """Where one scenario's range across futures comes from, with the command that gives it over the
    same grant (``start``, ``years``) and the user's own ``--set`` options: for a bundled growth
    scenario (:data:`GROWTH_SCENARIOS`) as shipped, its options changing no growth (:func:`_growth_future`),
    planning the three together; for any other, planning it again under lower and higher growth of its
    streams (the ``--set`` keys that change that growth, :func:`_lower_growth`, or, where none grows at a
    rate, a growth to set) and comparing the grants, the command naming it by its bundled name only where
    it is that bundled scenario (:func:`_is_bundled`), else by its file."""
    from capsim.sensitivity import default_parameters

    options = f"--from {start} --years {years}{_set_options(scenario)}"
    if _growth_future(scenario):
        return ("its range across futures comes from planning each future as a scenario of its own: capsim grant "
                f"{' '.join(GROWTH_SCENARIOS)} {options}")
    given = shlex.quote(scenario.name) if _is_bundled(scenario) else f"<{scenario.name}'s file>"
    keys = [key for key in default_parameters(scenario) if ".growth." in key]
    if not keys:  # no stream grows at a rate --set can scale: growth none, or a curve or table of rates
        stream = scenario.demand[0].stream
        return (f"its range across futures comes from planning {scenario.name} again with other growth of its streams "
                f"(demand.<stream>.growth) and comparing the grants, e.g. capsim grant {given} {options} --set "
                f"'demand.{stream}.growth={{model: exponential, per_year: 10%}}', then at other rates")
    lower = and_list([_lower_growth(scenario, key) for key in keys])
    higher = "once the other way round" if len(keys) > 1 else f"once {'below' if ' above ' in lower else 'above'} it"
    return (f"its range across futures comes from planning {scenario.name} again under lower and higher growth and "
            f"comparing the grants: capsim grant {given} {options}, once with {lower} (lower growth) and {higher} "
            "(higher growth)")


def fixed_cost_note(result: GrantResult, start: str) -> str | None:
    """Where every replication costs each scenario's plan the same (:func:`capsim.grant.cost_fixed`:
    :data:`capsim.grant.NO_SPREAD`), that the cost is fixed by the plan and the prices, so it has no
    interval, and where its range across futures comes from: the scenarios' own plans, cheapest to
    dearest over the whole grant, rounded together as every grant output gives them (:func:`costs_shown`:
    apart and in order where they differ by 1 or more; said once where they do not), or, for one scenario,
    planning it under other growth over the same ``start`` and years (:func:`futures_words`); None where
    the cost varies between replications (its interval is then given)."""
    from capsim.grant import NO_SPREAD, cost_fixed

    table = result.table
    if not cost_fixed(table, result.replications):
        return None
    currency = result.scenarios[0].costs.currency
    whole = table[table.year == "all"]
    if len(whole) > 1:
        shown = costs_shown(whole, "total_cost", result.replications)["mean"].set_axis(whole.scenario)
        costs = whole.total_cost.set_axis(whole.scenario)
        cheap, dear = costs.idxmin(), costs.idxmax()
        low, high = (fmt(COST, shown[name], currency) for name in (cheap, dear))
        futures = (f"between the scenarios, it is {low} over the whole grant in each" if low == high else
                   f"between the scenarios, whose plans differ, it goes over the whole grant from {low} ({cheap}) to "
                   f"{high} ({dear}): a spread between plans, not an interval")
    else:
        futures = futures_words(result.scenarios[0], start, len(result.years))
    return (f"Full cost: fixed by the plan and the prices, {NO_SPREAD}, so it has no interval (the intervals given "
            f"are the service levels' and backlogs'); {futures}.")


def grant_notes(result: GrantResult) -> list[str]:
    """What the grant's figures must be read with, in the order the terminal and the page give them:
    the fixed cost and its range (:func:`fixed_cost_note`), columns that count other items in other
    scenarios (:func:`counting_notes`), items a classifier puts under a deadline or out of one
    (:func:`deadline_notes`), teams no target plans (:func:`unplanned_notes`) and hires with no lead
    time (:func:`no_lead_time_note`)."""
    start = f"{result.years[0].first}"
    notes = [fixed_cost_note(result, start), *counting_notes(result), *deadline_notes(result),
             *unplanned_notes(result), no_lead_time_note(result)]
    return [note for note in notes if note]
