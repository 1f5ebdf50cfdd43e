"""The names of the metrics a run reports, and what each means: the output's vocabulary.

The names follow from a scenario's shape alone (its priorities, teams, SLAs, tools and
referral rules), before anything runs, so the scenario layer can check a calibration
target's metric name without importing the code that measures runs (:mod:`capsim.metrics`,
:mod:`capsim.side_effects`), which re-export these names. Times are in hours, shares
between 0 and 1.

The words every output names items and SLAs by (:func:`items_words`, :func:`sla_words`:
"urgent reports within 24 h") live here too, beside those of the backlog measures, so that
the staffing solver's notes (:mod:`capsim.staffing`, below the presentation layer) name a
service level as the tables do; :mod:`capsim.words` re-exports them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from capsim.units import duration_text

if TYPE_CHECKING:  # pragma: no cover
    from capsim.scenario import Scenario

METRIC_DESCRIPTIONS: dict[str, str] = {
    "arrivals": "items arriving after the warm-up (all streams, including those cleared automatically)",
    "assessed": "items whose assessment started before the horizon",
    "auto_cleared": "items cleared by automated tooling without review",
    "expired": "items that expired unassessed (missed takedowns)",
    "waiting": "items from the streams (not referrals queued at other teams) that arrived after the warm-up and "
               "were still waiting at the horizon; their waits are known from the run-out. backlog_end counts "
               "every item waiting then, all teams",
    "runout_days": "days after the horizon until the last item that had arrived was assessed or expired "
                   "(no new arrivals, the same rosters)",
    "censored": "items whose wait was still unknown when the run-out stopped at its limit, the streams' own and "
                "the referrals at every team (their waits count up to then: a lower bound); 0 when the run-out "
                "finished",
    "backlog_start": "items waiting just before the end of the warm-up, all teams",
    "referred": "referrals from one team to another arriving after the warm-up",
    "assessments": "assessments started after the warm-up and before the horizon, all teams",
    "expirations": "items that expired unassessed after the warm-up and by the horizon, all teams",
    "backlog_end": "items waiting at the horizon, all teams (= backlog_start + arrivals - auto_cleared + "
                   "referred - assessments - expirations)",
    "backlog_max": "largest number waiting at any moment after the warm-up, all teams (exact event times)",
    "backlog_mean": "number waiting averaged over time from the end of the warm-up to the horizon, all teams "
                    "(exact event times, not samples): the backlog measure headlines and comparisons use",
    "wait_mean": "mean hours from arrival to start of assessment, over every item from the streams that "
                 "arrived after the warm-up and was eventually assessed (expired items left out)",
    "wait_p90": "90th percentile of that wait, hours",
    "p_wait": "share of those items that waited at all",
    "time_to_assessment_mean": "mean hours from arrival to end of assessment (the same items)",
    "time_to_assessment_p50": "median hours from arrival to end of assessment",
    "time_to_assessment_p90": "90th percentile, hours",
    "time_to_assessment_p95": "95th percentile, hours",
    "assessed_criminal": "assessed items that are criminal",
    "assessed_realistic": "assessed items that are AI-generated, criminal and realistic",
    "ai_generated": "AI-generated items from the streams that reached a human (after hash matching, where it is "
                    "on), arriving after the warm-up",
    "ai_generated_share": "share of the streams' items reaching a human that are AI-generated (ai_generated over "
                          "arrivals - auto_cleared)",
    "analyst_hours": "hours of review by analysts after the warm-up and by the horizon (work in hand at the "
                     "horizon pro rata)",
    "exposure_hours_per_analyst_day": "hours of review per analyst on each shift in which they reviewed (the mean "
                                      "over analyst-shifts with any review), every team's analysts pooled; with "
                                      "several teams, exposure_hours_per_analyst_day_<team> gives each team's, to "
                                      "measure against its own daily exposure cap",
    "utilisation": "analyst_hours over rostered hours: the time present analysts were on shift (after "
                   "shrinkage, before any exposure cap)",
    "utilisation_usable": "analyst_hours over usable hours: on each shift, the time on shift up to the daily "
                          "exposure cap (1 = working flat out within the cap). It passes 1 where a team works "
                          "flat out, since an item started under the cap is finished: by a little for reviews of "
                          "seconds, by an eighth to a quarter or more for reviews of an hour on average under a "
                          "4 h cap (the rest of the review in hand when the cap is reached: more, the more reviews' "
                          "lengths vary)",
    "fte": "analysts in post averaged over the measured period, all teams, in full-time equivalents (each seat its "
           "roster's or shift pattern's hours a week over the team's contracted_hours, or the pattern's fte, not "
           "capped at 1: a 50 h seat is 1.25; absent analysts count): as capsim budget counts them",
    "cost_staff": "staff cost over the measured period, in the scenario's currency; unknown (NaN), not 0, when a "
                  "team has no costs.teams entry",
    "cost_tooling": "tooling cost over the measured period",
    "cost_total": "staff and tooling cost over the measured period",
    "cost_per_assessed": "total cost per assessed item: cost_total over the streams' items whose assessment "
                         "started after the warm-up and by the horizon (in a year's row, in that year), whenever "
                         "they arrived: the work the money paid for, as `capsim budget` counts it. Not over "
                         "`assessed` (items arriving in the window), which a growing backlog empties while the "
                         "analysts work on earlier items",
}
"""Metric name → what it means (those named after priorities and teams: :data:`PATTERN_DESCRIPTIONS`)."""


BACKLOG_WORDS: dict[str, str] = {
    "backlog_start": "items waiting at the start of {span}",
    "backlog_end": "items waiting at the end of {span}",
    "backlog_max": "most items waiting at once over {span}",
    "backlog_mean": "items waiting on average over {span}",
}
"""The backlog measures in the words every output names them by (findings, tables, chart titles),
``{span}`` the time each covers: "the backlog" alone would name four different numbers."""


def backlog_words(metric: str, span: str, starts_sentence: bool = False) -> str:
    """A backlog measure (:data:`BACKLOG_WORDS`; a count of items) named with the ``span`` it covers:
    "items waiting at the end of 2029", "most items waiting at once over the run", "items waiting
    on average over 2027/28"; with a capital first letter if it ``starts_sentence``."""
    text = BACKLOG_WORDS[metric].format(span=span)
    return text[:1].upper() + text[1:] if starts_sentence else text


UNIT_PLURALS = {"report": "reports", "image": "images", "video": "videos"}
"""What a reader calls many items of each unit."""


def referrals_only(scenario: Any, priority: str) -> bool:
    """Whether only referrals between teams have ``priority`` (no stream's items in the queues,
    :func:`stream_priorities`; :func:`items_words` "referrals"): the whole run's ``sla_<priority>``,
    of the streams' items, then has none, and each team's ``sla_<priority>_<team>`` counts them."""
    return not any(priority in stream_priorities(scenario, s) for s in scenario.demand)


def stream_priorities(scenario: Any, stream: Any) -> tuple[str, ...]:
    """The priorities ``stream``'s items queue at, at its team: the classifier's two queues where one
    is switched on (it sets the priority of every item it scores), else the stream's own
    (its ``priority_mix``'s, or its ``priority``)."""
    classifier = scenario.tooling.classifier
    if classifier.enabled:
        return classifier.positive_priority, classifier.negative_priority
    return tuple(stream.own_priorities)


class QueueArrivals(NamedTuple):
    """What arrives in one team's queue of one priority: ``streams`` (names of the streams whose items
    queue there, :func:`stream_priorities`), ``referred_from`` (teams whose referrals queue there)
    and ``units`` (what one item is, over both: a referral is of its source stream's unit)."""

    streams: tuple[str, ...]
    referred_from: tuple[str, ...]
    units: frozenset[str]


def queue_arrivals(scenario: Any) -> dict[str, dict[str, QueueArrivals]]:
    """Per team, per priority that any of its items can have (in service order), what arrives in that
    queue (:class:`QueueArrivals`): its streams' items at the priorities :func:`stream_priorities`
    gives, and the referrals it receives, at a rule's ``priority`` or else the one they had at the
    sending team (as the engine queues them)."""
    streams: dict[tuple[str, str], list[str]] = {}
    referred: dict[tuple[str, str], list[str]] = {}
    units: dict[tuple[str, str], set[str]] = {}
    for s in scenario.demand:
        for p in stream_priorities(scenario, s):
            streams.setdefault((scenario.team_of(s), p), []).append(s.stream)
            units.setdefault((scenario.team_of(s), p), set()).add(s.unit)
    for i in scenario.team_order():  # every referral into a team is known before it refers on
        source = scenario.workforce[i].team
        held = {p: set(found) for (team, p), found in units.items() if team == source}
        for r in (r for r in scenario.routing if r.source == source):
            for p, found in held.items():
                key = (r.to, r.priority or p)
                referred.setdefault(key, [])
                if source not in referred[key]:
                    referred[key].append(source)
                units.setdefault(key, set()).update(found)
    return {t.team: {p: QueueArrivals(tuple(streams.get((t.team, p), ())), tuple(referred.get((t.team, p), ())),
                                      frozenset(units[(t.team, p)]))
                     for p in scenario.priorities if (t.team, p) in units}
            for t in scenario.workforce}


def _units_noun(units: Any, none: str) -> str:
    """Many items of ``units`` in a word: "reports", "images", "videos"; "items" for several units;
    ``none`` for no units."""
    return UNIT_PLURALS[next(iter(units))] if len(units) == 1 else "items" if units else none


def _classifier_queue(scenario: Any, priority: str | None) -> bool:
    """Whether ``priority`` is a queue of the scenario's classifier (its streams' items, relabelled)."""
    classifier = scenario.tooling.classifier
    return classifier.enabled and priority in (classifier.positive_priority, classifier.negative_priority)


def items_words(scenario: Any, priority: str | None = None, team: str | None = None) -> str:
    """What a reader calls the items of ``priority`` in ``scenario``: "reports", "images",
    "videos", "items" when they are of several units, "referrals" when only referrals between
    teams have it. Without ``team``, the streams' items that queue at ``priority``
    (:func:`stream_priorities`: after a classifier's relabelling); with it, every item that
    queues at ``priority`` at that team, its streams' and the referrals it receives, each
    referral of its source stream's unit (:func:`queue_arrivals`); "referrals" either way where only
    referrals have ``priority`` (:func:`referrals_only`). The priority is named only
    where the scenario has several SLAs to tell apart ("urgent reports", "high-priority
    reports"); a classifier's queues are named by what it did ("items the classifier flagged",
    "items the classifier did not flag")."""
    if team is not None:
        queues = [q for p, q in queue_arrivals(scenario)[team].items() if priority in (None, p)]
        noun = ("referrals" if priority is not None and referrals_only(scenario, priority)  # as without a team
                else _units_noun(set().union(*(q.units for q in queues)), "items"))
    else:
        noun = _units_noun({s.unit for s in scenario.demand
                            if priority is None or priority in stream_priorities(scenario, s)}, "referrals")
    if _classifier_queue(scenario, priority):
        classifier = scenario.tooling.classifier
        return f"{noun} the classifier {'flagged' if priority == classifier.positive_priority else 'did not flag'}"
    if priority is None or len({x.priority for x in scenario.sla}) < 2:
        return noun
    return f"{priority} {noun}" if priority == "urgent" else f"{priority}-priority {noun}"


def team_brackets(team: str) -> str:
    """A team named after a label in brackets, as tables and axes name a team's own figure:
    " (victim id)"."""
    return f" ({team.replace('_', ' ')})"


def sla_words(scenario: Any, priority: str, team: str | None = None) -> str:
    """An SLA in plain words: what its items are (:func:`items_words`: at ``team`` when given) and
    their deadline, "reports within 72 h", and the team in brackets when given ("reports within
    72 h (analysts)", :func:`team_brackets`)."""
    sla = next(x for x in scenario.sla if x.priority == priority)
    text = f"{items_words(scenario, priority, team)} within {duration_text(sla.within)}"
    return f"{text}{team_brackets(team)}" if team else text


SHARES = ("p_wait", "sla_", "ai_generated_share")
"""Metrics (names, or name prefixes) that are shares: their confidence intervals are clipped to [0, 1]."""


def metric_range(name: str) -> tuple[float, float]:
    """The values a metric can take: [0, 1] for shares, [0, inf) for every other metric
    (counts, hours, costs, utilisation). Confidence intervals are clipped to it."""
    return (0.0, 1.0) if name.startswith(SHARES) else (0.0, np.inf)


VICTIM_ID_TEAM = "victim_id"
"""The team whose hours are reported as victim-identification hours."""


PER_TEAM = ("assessed", "wait_mean", "backlog_end", "analyst_hours", "utilisation", "utilisation_usable",
            "exposure_hours_per_analyst_day")
"""Metrics reported per team (``<metric>_<team>``) when a scenario has more than one team."""


PATTERN_DESCRIPTIONS: dict[str, str] = {
    "sla_<priority>": "share of the streams' <priority> items arriving after the warm-up (at the team each stream "
                      "goes to, the intake team; not referrals) whose assessment ended within the SLA's `within` of "
                      "arriving; expired items are misses",
    "wait_mean_<priority>": "mean wait in hours of the streams' <priority> items (not referrals)",
    "sla_<priority>_original": "with a classifier: share of the items of the streams whose one priority "
                               "(not a priority_mix) is <priority>, whatever queue the classifier put them "
                               "in, assessed within that SLA's `within`; the like-for-like counterpart of "
                               "sla_<priority> without a classifier",
    "wait_mean_missed_harmful": "mean wait in hours of criminal items the classifier did not flag as harmful",
    # all but the last, exposure, which counts the team's analysts' shifts (its own entry below)
    "<metric>_<team>": "with more than one team, each of " + ", ".join(PER_TEAM[:-1]) + " over the items that "
                       "arrived at <team> after the warm-up: its streams' and the referrals it received, timed from "
                       "their arrival there",
    "exposure_hours_per_analyst_day_<team>": "with more than one team, hours of review per analyst on each shift in "
                                             "which they reviewed (the mean over their shifts with any review), "
                                             "over this team's analysts alone, to measure against the team's own "
                                             "daily exposure cap; NaN where the team reviewed nothing",
    "sla_<priority>_<team>": "share of <priority> items arriving at <team> (its streams' and referrals) whose "
                             "assessment there ended within the SLA's `within` of arriving there",
    "wait_mean_<priority>_<team>": "mean wait in hours of <priority> items at <team>, from their arrival there",
    "victim_id_hours": "analyst hours of the team named victim_id",
    "victim_id_hours_on_synthetic": "of those, hours spent on AI-generated items",
}
"""Metrics named after a scenario's priorities and teams: pattern → what it means."""


SIDE_EFFECT_DESCRIPTIONS: dict[str, str] = {
    "referrals_lost_real": "expected referrals of real (not AI-generated) imagery the synthetic detector kept back "
                           "by flagging it as synthetic (false positives): items whose assessment ended after the "
                           "warm-up and by the horizon that match a referral rule but for the flag, each weighted by "
                           "the rule's share",
    "referrals_avoided_synthetic": "expected referrals of AI-generated imagery the synthetic detector kept back (true "
                                   "positives), counted the same way. With referrals_lost_real, the expected fall in "
                                   "referrals the detector causes; the fall in `referred` against a run without it "
                                   "differs from that by chance (each referral is a random draw)",
    "synthetic_referred": "AI-generated items referred on to another team (such as victim identification) after the "
                          "warm-up: specialist time on synthetic material",
    "harmful_missed": "criminal items from the streams, arriving after the warm-up, that the classifier did not flag "
                      "(they wait in its negative_priority queue)",
    "reprioritised": "items from the streams, arriving after the warm-up, that the classifier put in a queue their "
                     "stream does not give (its priority, or one of its priority_mix)",
}
"""Side-effect metric → what it counts."""


DETECTOR_METRICS = ("referrals_lost_real", "referrals_avoided_synthetic")


CLASSIFIER_METRICS = ("harmful_missed", "reprioritised")


def glossary() -> str:
    """Every metric and what it means, as the markdown of docs/metrics.md."""
    rows = [f"| `{name}` | {text} |" for name, text in {**METRIC_DESCRIPTIONS, **PATTERN_DESCRIPTIONS,
                                                                   **SIDE_EFFECT_DESCRIPTIONS}.items()]
    return "\n".join([
        "# Metrics",
        "",
        "<!-- generated: python -c 'import capsim.metrics as m; print(m.glossary(), end=\"\")' > docs/metrics.md -->",
        "",
        "Names as in `summary.csv` and `replications.csv`; times in hours, shares between 0 and 1.",
        "Waits describe every item that arrived after the warm-up (the run-out after the horizon finishes",
        "the work already arrived); everything else is as at the horizon. See [model.md](model.md).",
        "In `summary.csv` each metric's 95% interval is clipped to its range: at 0, and at 1 for shares",
        "(`p_wait`, `sla_*`). Its `period` column is `all` for the whole run, then each calendar year",
        "(`2025`, …): every metric of that year, measured as if the run had been measured over that",
        "year alone (items that arrived in it, its own costs; `capsim.periods`), but for the work done:",
        "its `analyst_hours` (so `utilisation` and `victim_id_hours`) are the review done within the year,",
        "by the clock, on any assessment started after the warm-up. A review in hand at midnight on 31",
        "December counts up to midnight in one year and the rest in the next, and a case carried over",
        "shifts (`carry_over`) counts on the shifts it was worked, so the years' hours add up to the",
        "run's. Its `exposure_hours_per_analyst_day` is over the analyst-shifts that started in the year",
        "(the first year's also over those begun in the warm-up).",
        "",
        "Four metrics measure the backlog. Every output that quotes one names its measure and the time it",
        "covers (a calendar year, a grant year, or the run) in these words, so that numbers named alike",
        "are comparable:",
        "",
        *(f"- `{name}`: {backlog_words(name, 'the period')}" for name in BACKLOG_WORDS),
        "",
        "| metric | meaning |",
        "|---|---|",
        *rows,
        "",
    ])


def metric_names(scenario: Scenario) -> list[str]:
    """The metrics a run of ``scenario`` reports, in report order."""
    names = list(METRIC_DESCRIPTIONS)
    at = names.index("assessed_criminal")
    extra = [f"sla_{s.priority}" for s in scenario.sla] + [f"wait_mean_{p}" for p in used_priorities(scenario)]
    if scenario.tooling.classifier.enabled:
        extra += [f"sla_{p}_original" for p in original_sla_priorities(scenario)]
        extra.append("wait_mean_missed_harmful")
    names = names[:at] + extra + names[at:]
    if len(scenario.workforce) > 1:
        handled = team_priorities(scenario)
        for team in scenario.workforce:
            names += [f"{metric}_{team.team}" for metric in PER_TEAM]
            names += [f"sla_{s.priority}_{team.team}" for s in scenario.sla if s.priority in handled[team.team]]
            names += [f"wait_mean_{p}_{team.team}" for p in handled[team.team]]
            if team.team == VICTIM_ID_TEAM:
                names += ["victim_id_hours", "victim_id_hours_on_synthetic"]
    return names + side_effect_names(scenario)


def original_sla_priorities(scenario: Scenario) -> list[str]:
    """SLA priorities that are some stream's one priority (not a ``priority_mix``): with a
    classifier, ``sla_<priority>_original`` counts those streams' items, whatever queue the
    classifier put them in (a mixed stream's items have no one priority of their own then)."""
    own = {s.priority for s in scenario.demand if not s.priority_mix}
    return [s.priority for s in scenario.sla if s.priority in own]


def used_priorities(scenario: Scenario) -> list[str]:
    """Priorities the streams' items can have, in service order (:func:`stream_priorities`;
    referrals' are in :func:`team_priorities`)."""
    used = {p for s in scenario.demand for p in stream_priorities(scenario, s)}
    return [p for p in scenario.priorities if p in used]


def team_priorities(scenario: Scenario) -> dict[str, list[str]]:
    """Priorities each team's items can have, in service order: its own streams' and those of
    the referrals it receives (a rule's ``priority``, or else the sending team's): :func:`queue_arrivals`."""
    return {team: list(queues) for team, queues in queue_arrivals(scenario).items()}


def held_back_by_detector(scenario: Scenario) -> list:
    """Routing rules that keep items flagged as synthetic from referral."""
    return [r for r in scenario.routing if r.when.get("flagged_synthetic") is False]


def side_effect_names(scenario: Scenario) -> list[str]:
    """The side-effect metrics a run of ``scenario`` reports: those of the tools switched on,
    and ``synthetic_referred`` wherever items are referred on."""
    names = ["synthetic_referred"] if scenario.routing else []
    tools = scenario.tooling
    if tools.synthetic_detector.enabled and held_back_by_detector(scenario):
        names += DETECTOR_METRICS
    if tools.classifier.enabled:
        names += CLASSIFIER_METRICS
    return names


def absent_means_zero(name: str) -> bool:
    """Whether a side-effect metric missing from a run means 0 (its tool was off), so that a
    run without the tool can be compared with one with it."""
    return name in DETECTOR_METRICS or name in CLASSIFIER_METRICS
