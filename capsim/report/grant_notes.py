"""What the grant's figures must be read with, said once under its table and on its page: a cost the
plan fixes (no interval, and where its range across futures comes from), service-level columns that
measure other things in other scenarios, items a classifier moves under a deadline or out of one,
teams no target plans (their queues over the grant), and hires with no hiring lead time."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from capsim.metric_names import UNIT_PLURALS
from capsim.units import format_duration
from capsim.words import (and_list, count_words, duration_text, durations_words, fmt, grant_sla_names, hours_words,
                          percent)

if TYPE_CHECKING:  # pragma: no cover
    from capsim.grant import GrantResult
    from capsim.scenario import Scenario


COST = "cost"
"""The metric name :func:`~capsim.words.fmt` writes an amount of money by (its currency's symbol: £2,754,725)."""

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


def no_lead_time_note(result: GrantResult) -> str | None:
    """The one sentence, for every scenario, on the planned teams that hire with no hiring lead time
    (``hiring.lead_time`` 0 s, the default): their new analysts start when the plan needs them, as if
    recruited and vetted in no time, with the option that sets a lead time (91d: 13 weeks, as
    :func:`~capsim.report.what_it_takes.no_lead_time_words` gives it); None where no such team hires."""
    teams: dict[str, None] = {}
    for scenario in result.scenarios:
        lead = {t.team: t.hiring.lead_time for t in scenario.workforce}
        for plan in result.plans[scenario.name]:
            if lead[plan.team] == 0 and any(p.change > 0 for p in plan.periods):
                teams[plan.team] = None
    if not teams:
        return None
    names = list(teams)
    keys = and_list([f"workforce.{t}.hiring.lead_time" for t in names])
    return (f"No hiring lead time is set for {'team' if len(names) == 1 else 'teams'} {and_list(names)} ({keys}, "
            "default 0d): the plan's new "
            "analysts start on the day it needs them, as if recruited and vetted in no time, and their recruitment "
            "is charged to the year they start. Set it to the time recruiting and vetting take (e.g. "
            f"--set workforce.{names[0]}.hiring.lead_time=91d): hires too late for a year's first day are then "
            "shown late, with that year's service level as it would be.")


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
    dearest over the whole grant, or, for one scenario, planning it under other growth over the same
    ``start`` and years (:func:`futures_words`); None where the cost varies between replications (its
    interval is then given)."""
    from capsim.grant import NO_SPREAD, cost_fixed

    table = result.table
    if not cost_fixed(table, result.replications):
        return None
    currency = result.scenarios[0].costs.currency
    whole = table[table.year == "all"].set_index("scenario").total_cost
    if len(whole) > 1:
        cheap, dear = whole.idxmin(), whole.idxmax()
        futures = (f"between the scenarios, whose plans differ, it goes over the whole grant from "
                   f"{fmt(COST, whole[cheap], currency)} ({cheap}) to {fmt(COST, whole[dear], currency)} ({dear}): "
                   "a spread between plans, not an interval")
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
