"""Plain lines printed under a run's or a staffing plan's table about the staff and their queues.

* heads and contracted FTE per team (part-time analysts and shift patterns make them differ),
  and what a plan's FTE is measured against (:func:`fte_basis`);
* utilisation read right: the share of *usable* hours (what analysts may review after the
  exposure cap, absences and mentoring) beside the share of *rostered* hours, so that a low
  rostered share is not read as idle time;
* queue order: where one priority's SLA is missed while a priority served before it beats
  its own, strict priority order is the likely cause, and ``order: earliest_deadline`` exists;
* a plan's hire-by dates (:func:`hire_by_words`), and why its "busy (usable)" can pass 100% in a
  period that meets its target (:func:`busy_over_100`);
* a plan for a team fed by a team that is behind, over the whole run or in a calendar year of it
  (:func:`upstream_behind`): it holds only for the work passed on now, and how to plan the teams in
  order (:func:`upstream_words`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from capsim.held_back import Behind, Figures, behind_when
from capsim.scenario import Roster, Scenario, Team
from capsim.units import SECONDS_PER_HOUR, format_duration, percent_against, target_percent
from capsim.words import and_list, items_words, sla_words, whose_analysts, with_interval
from capsim.workforce import (contracted_hours, exposure_cap, headcount_fte, pattern_fte, pattern_headcounts,
                               pattern_hours_per_week, people_per_seat, rostered_hours_per_week)


def staff_lines(scenario: Scenario) -> list[str]:
    """Per team: analysts in post at the start, with their contracted FTE where it differs
    (:func:`heads_words`: "graders: 12 analysts at the start"), and each shift pattern's heads
    and FTE per head."""
    lines = []
    for team in scenario.workforce:
        line = f"{team.team}: {heads_words(team)} at the start"
        if team.shifts is not None:
            heads = pattern_headcounts(team, team.headcount)
            parts = [f"{p.name} {heads[i]} × {pattern_fte(team, i):.3g} FTE" + (
                f" (takes {', '.join(p.serves)} only)" if p.serves else "") for i, p in enumerate(team.shifts)]
            line += ": " + "; ".join(parts)
        lines.append(line)
    return lines


def shift_words(roster: Roster) -> str:
    """One roster in words: "round the clock", or e.g. "8 h shifts from 07:00, Mon–Fri"."""
    if roster.round_the_clock:
        return "round the clock"
    days = "Mon–Fri" if roster.days == ["mon", "tue", "wed", "thu", "fri"] else ", ".join(d.capitalize() for d in roster.days)
    return f"{roster.hours_per_day:g} h shifts from {roster.start}, {days}"


def roster_words(team: Team) -> str:
    """A team's working pattern in words: its roster, or each shift pattern with its analysts."""
    if team.shifts is None:
        return shift_words(team.roster)
    heads = pattern_headcounts(team, team.headcount)
    return "; ".join(f"{p.name}: {h} on {shift_words(p)}" + (f", {', '.join(p.serves)} only" if p.serves else "")
                     for p, h in zip(team.shifts, heads))


def heads_words(team: Team) -> str:
    """"N analysts", with their contracted FTE where it differs from the heads."""
    fte = headcount_fte(team, team.headcount)
    heads = f"{team.headcount} analyst{'' if team.headcount == 1 else 's'}"
    return heads if math.isclose(fte, team.headcount) else f"{heads} ({fte:.3g} FTE)"


def fte_basis(team: Team, headcount: int | None = None) -> str:
    """What a staffing plan's "in post" and "FTE" count for ``team``, in words, with the arithmetic
    at ``headcount`` (default: the team's at the start), so that "8 in post, 10 FTE" is not misread.

    One roster: "in post" counts seats, each covered by one analyst on every shift; FTE counts
    full-time equivalents of :func:`~capsim.workforce.contracted_hours` a week, so a seat is the
    roster's hours a week over that (:func:`~capsim.workforce.people_per_seat`). Shift patterns:
    "in post" counts analysts (heads), hires joining the first pattern; each pattern's analyst is
    its hours a week over the same basis, or its ``fte`` (:func:`~capsim.workforce.seat_fte`, the
    rule of both)."""
    heads = team.headcount if headcount is None else headcount
    basis = contracted_hours(team)
    total = headcount_fte(team, heads)
    if team.shifts is None:
        weekly, per_seat = rostered_hours_per_week(team), people_per_seat(team)
        text = (f"in post: seats on the roster ({shift_words(team.roster)}: {weekly:g} h a week a seat), each "
                f"covered by one analyst on every shift. FTE: full-time equivalents of a {basis:g} h contracted "
                f"week (workforce.{team.team}.contracted_hours")
        text += ")" if team.contracted_hours is not None else ", by default the roster's hours a week up to 40)"
        if math.isclose(per_seat, 1.0):
            return text + f": a seat is 1 FTE, so {heads} seats are {total:.3g} FTE."
        text += (f": a seat of {weekly:g} h a week is {weekly:g} / {basis:g} = {per_seat:.3g} FTE, so {heads} seats are "
                 f"{total:.3g} FTE")
        if team.contracted_hours is None and weekly > basis:
            text += (f", the hours of {total:.3g} analysts on {basis:g} h contracts; if the analysts in those seats "
                     f"work {weekly:g} h contracts, set workforce.{team.team}.contracted_hours: {weekly:g} and FTE equals seats")
        return text + "."
    counts = pattern_headcounts(team, heads)
    parts = []
    for p, pattern in enumerate(team.shifts):
        hours, each = pattern_hours_per_week(team, p), pattern_fte(team, p)
        why = "its fte" if pattern.fte is not None else f"{hours:g} h a week"
        parts.append(f"{pattern.name} {counts[p]} × {each:.3g} ({why})")
    return (f"in post: analysts (heads), each on their shift pattern's contract; hires join the first pattern "
            f"({team.shifts[0].name}). FTE: full-time equivalents of a {basis:g} h week "
            f"(workforce.{team.team}.contracted_hours, by default the longest pattern's hours a week up to 40), "
            f"per analyst: {'; '.join(parts)}; so {heads} analysts are {total:.3g} FTE.")


def hire_by_words(team: Team) -> str:
    """How a plan's hire-by dates are reckoned for ``team``, naming the keys they come from; where
    no hiring lead time is set, that it is why hire-by is the day the new analysts start."""
    ramp, key = team.ramp, f"workforce.{team.team}.ramp"
    if ramp.training_weeks and ramp.weeks:
        start = (f"the day the new analysts start ({ramp.training_weeks + ramp.weeks:g} weeks before their period: "
                 f"{ramp.training_weeks:g} weeks of training, {key}.training_weeks, and {ramp.weeks:g} weeks of "
                 f"ramp-up, {key}.weeks)")
    elif ramp.training_weeks or ramp.weeks:
        weeks, name = (ramp.training_weeks, "training_weeks") if ramp.training_weeks else (ramp.weeks, "weeks")
        start = f"the day the new analysts start ({weeks:g} weeks of training, {key}.{name}, before their period)"
    else:
        start = "the day the new analysts start (their period's first day)"
    lead = team.hiring.lead_time
    if lead > 0:
        return f"hire by: {start}, less the hiring lead time of {format_duration(lead)} (workforce.{team.team}.hiring.lead_time)."
    return (f"hire by: no hiring lead time set (workforce.{team.team}.hiring.lead_time, default 0d), so hire-by = "
            f"{start}; set it to the time recruiting and vetting take (e.g. 91d) to get the date to recruit by.")


def busy_over_100(capped: bool) -> str:
    """Why a staffing plan's "busy (usable)" (work arriving over usable hours) can exceed 100% in a
    period that is met, for a team with a daily exposure cap (``capped``) or none (capsim.kernel: a
    started item is always finished; in docs/examples/hotline-growing.yaml at 6 analysts the team
    reviews 1.8% more than its usable hours)."""
    limit = "the exposure cap or the end of a shift" if capped else "the end of a shift"
    return (f"It can pass 100% in a period that meets its target: an item started before {limit} is finished "
            "past it (analysts review a little beyond their usable hours), and the items arriving in a period's "
            "last days are assessed in the next.")


def past_shift_end(several: bool = False) -> str:
    """Why review hours pass the time on shift for teams with no daily exposure cap (capsim.kernel:
    a started item is always finished): "a review started before the end of a shift is finished after
    it, so a team working flat out reviews more than its time on shift: the more, the longer its
    reviews are next to its shifts" (``several``: "teams")."""
    who = "teams working flat out review" if several else "a team working flat out reviews"
    return (f"a review started before the end of a shift is finished after it, so {who} more than "
            f"{'their' if several else 'its'} time on shift: the more, the longer {'their' if several else 'its'} "
            f"reviews are next to {'their' if several else 'its'} shifts")


def longer_than_shift(team: Team, hours: float) -> str:
    """Where a team that does not carry reviews over (``carry_over``: a carried review counts on each shift
    the part done there) reviews for longer per analyst-shift (``hours``) than its longest shift:
    ", longer than its 7.5 h shifts by 12 min: a review is counted whole on the shift it began (…carry_over: true
    splits it …)", the excess in words that show it (:func:`_excess_words`); "" otherwise, or where it is under
    a second."""
    longest = max(p.hours_per_day for p in (team.shifts or [team.roster]))
    by = _excess_words((hours - longest) * SECONDS_PER_HOUR)
    if team.carry_over or not by:
        return ""
    return (f", longer than its {longest:g} h shifts by {by}: a review is counted whole on the shift it began "
            f"(workforce.{team.team}.carry_over: true splits it over the shifts it is worked in)")


def _excess_words(seconds: float) -> str:
    """How much longer than a shift, ``seconds`` (the excess), in words that cannot read as none: whole
    seconds under a minute ("15 s"), whole minutes under an hour ("12 min"), else hours to one decimal
    ("1.5 h"); "" for an excess that rounds to less than one second (or none)."""
    if round(seconds) < 1:
        return ""
    if seconds < 59.5:
        return f"{seconds:.0f} s"
    if seconds < 59.5 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / SECONDS_PER_HOUR:.1f} h"


def exposure_caps(scenario: Scenario) -> dict[str, float | None]:
    """Each team's daily exposure cap in hours a day, by team name, None for a team with none: the
    wellbeing tooling's where it sets one (:func:`capsim.workforce.exposure_cap`)."""
    caps = {t.team: exposure_cap(scenario, t) for t in scenario.workforce}
    return {team: None if math.isinf(cap) else cap / SECONDS_PER_HOUR for team, cap in caps.items()}


def cap_words(scenario: Scenario) -> str:
    """The daily exposure caps ``scenario``'s analysts review under (:func:`exposure_caps`), for a
    sentence: "a daily exposure cap of 4 h" (every team's), "a daily exposure cap of 4 h for
    analysts and victim_id, 5 h for graders", "a daily exposure cap of 4 h for graders, none for
    triage" where some teams have none, "no daily exposure cap" where no team has one."""
    caps = exposure_caps(scenario)
    by_cap: dict[float, list[str]] = {}
    for team, cap in caps.items():
        if cap is not None:
            by_cap.setdefault(cap, []).append(team)
    uncapped = [team for team, cap in caps.items() if cap is None]
    if not by_cap:
        return "no daily exposure cap"
    if len(by_cap) == 1 and not uncapped:
        return f"a daily exposure cap of {next(iter(by_cap)):g} h"
    each = ", ".join(f"{cap:g} h for {and_list(teams)}" for cap, teams in sorted(by_cap.items()))
    return f"a daily exposure cap of {each}" + (f", none for {and_list(uncapped)}" if uncapped else "")


def against_cap(cap: float | None, mean: float, low: float, high: float) -> str:
    """One team's hours of review per analyst-shift (``exposure_hours_per_analyst_day_<team>``: its
    ``mean`` and 95% interval ``low`` to ``high``, hours; NaN ends for one replication) against
    its daily exposure ``cap`` (hours, :func:`exposure_caps`; None for none), for a sentence:
    "within its 4 h/day exposure cap", "above its 4 h/day exposure cap", "above its 4 h/day
    exposure cap on average, but the 95% interval reaches down to it", "with no daily exposure cap"."""
    if cap is None:
        return "with no daily exposure cap"
    above = mean > cap
    text = f"{'above' if above else 'within'} its {cap:g} h/day exposure cap"
    if above and low <= cap:  # a NaN end (one replication) compares False: the mean alone
        return f"{text} on average, but the 95% interval reaches down to it"
    if not above and high > cap:
        return f"{text} on average, but the 95% interval reaches above it"
    return text


def mentors(scenario: Scenario) -> bool:
    """True if some team's analysts mentor trainees (``ramp.mentor_hours`` during ``ramp.training_weeks``),
    time that is on shift but not usable for review."""
    return any(t.ramp.mentor_hours > 0 and t.ramp.training_weeks > 0 for t in scenario.workforce)


def usable_limits(scenario: Scenario) -> str:
    """What limits the time ``scenario``'s analysts may review, beyond their time on shift (the
    usable hours of ``utilisation_usable``): "up to the cap", "up to the cap where a team has one",
    "less mentoring", joined with "and"; "" where nothing does (usable hours are then time on shift)."""
    capped = [cap is not None for cap in exposure_caps(scenario).values()]
    limits = ([("up to the cap" if all(capped) else "up to the cap where a team has one")] if any(capped) else []) \
        + (["less mentoring"] if mentors(scenario) else [])
    return " and ".join(limits)


def utilisation_line(scenario: Scenario, rostered: Sequence[float], usable: Sequence[float]) -> str:
    """One sentence on utilisation against rostered and usable hours, each given as (mean, 95% CI
    low, high) shares (metrics ``utilisation`` and ``utilisation_usable``; "" if a mean is NaN),
    over all of ``scenario``'s teams, named where there are several (:func:`~capsim.words.whose_analysts`).
    Usable hours are named by what limits them in ``scenario`` (:func:`cap_words`, :func:`mentors`);
    where nothing does, the two shares are one and it is said once."""
    if math.isnan(rostered[0]) or math.isnan(usable[0]):
        return ""
    said = {name: with_interval(name, mean, low, high, hours_named=True)  # the sentence names its hours
            for name, (mean, low, high) in (("utilisation", rostered), ("utilisation_usable", usable))}
    busy = "the team is" if len(scenario.workforce) == 1 else "the teams are together"
    capped = any(cap is not None for cap in exposure_caps(scenario).values())
    spent = (f"{whose_analysts(scenario, starts_sentence=True)} spent {said['utilisation']} of their rostered hours "
             "(time on shift) reviewing")
    if not capped and not mentors(scenario):
        over = f" Over 100%: {past_shift_end(len(scenario.workforce) > 1)}." if rostered[0] > 1 else ""
        return (f"{spent}: all the time they may review, as no daily exposure cap is set and no one mentors "
                f"trainees. That is how busy {busy}.{over}")
    limits = [*(["the exposure cap"] if capped else []), *(["mentoring"] if mentors(scenario) else [])]
    most = (f"time on shift up to {cap_words(scenario)}" + (", less mentoring" if mentors(scenario) else "")
            if capped else "time on shift less mentoring; no daily exposure cap is set")
    return (f"{spent}, which is {said['utilisation_usable']} of their usable hours (the most they may review: {most}). "
            f"The usable share is how busy {busy}; the gap between the two is {and_list(limits)}, not idle time.")


def priority_conflicts(scenario: Scenario, means: Mapping[str, float], team: str | None = None) -> list[str]:
    """Lines naming each SLA missed while a priority served before it beats its own target, for
    teams served in strict priority order (``means``: metric name → mean, with ``sla_<priority>``
    and, for several teams, ``sla_<priority>_<team>``). With ``team``, that team only, its
    attainment under ``sla_<priority>`` (a staffing plan's period). Each SLA is named as the
    tables name it (:func:`~capsim.words.sla_words`: "normal-priority reports within 72 h")."""
    lines = []
    several = len(scenario.workforce) > 1 and team is None
    rank = {p: i for i, p in enumerate(scenario.priorities)}
    slas = sorted(scenario.sla, key=lambda s: rank[s.priority])
    for member in scenario.workforce:
        if member.order != "strict_priority" or team not in (None, member.team):
            continue
        suffix = f"_{member.team}" if several else ""
        got = {s.priority: means.get(f"sla_{s.priority}{suffix}", math.nan) for s in slas}
        for low in slas:
            if not got[low.priority] < low.target:
                continue
            above = [s for s in slas if rank[s.priority] < rank[low.priority] and got[s.priority] > s.target]
            if not above:
                continue
            high = above[0]
            lines.append(
                f"{member.team}: {sla_words(scenario, low.priority)} miss their target "
                f"({percent_against(got[low.priority], low.target, 1)} against {target_percent(low.target)}) while "
                f"{sla_words(scenario, high.priority)}, served first, beat theirs with slack "
                f"({percent_against(got[high.priority], high.target, 1)} against {target_percent(high.target)}): "
                "strict priority serves all "
                f"{items_words(scenario, high.priority)} before any {items_words(scenario, low.priority)}, even "
                f"those not yet due. Set workforce.{member.team}.order: earliest_deadline to serve the item whose "
                "deadline comes first instead.")
    return lines


def upstream_teams(scenario: Scenario, team: str) -> list[str]:
    """The teams that refer work to ``team``, directly or through others, in referral order (a team
    before every team it refers to: :meth:`~capsim.scenario.Scenario.team_order`); none for a team fed
    by streams alone."""
    feeding = scenario.referral_reach({team}, upstream=True)
    return [scenario.workforce[i].team for i in scenario.team_order() if scenario.workforce[i].team in feeding]


def upstream_behind(scenario: Scenario, team: str, figures: Figures, years: Mapping[str, Figures]) -> list[Behind]:
    """The teams referring work to ``team`` (:func:`upstream_teams`) that are behind in a run of the scenario
    as it is, in referral order: over the whole run (``figures``: that run's means and 95% intervals,
    :data:`capsim.held_back.Figures`) or, keeping up over it, in a calendar year of it (``years``: each year as the
    tables name it → its figures): :func:`capsim.held_back.behind_when`, as the run's own note
    says it (and the report's what-it-takes, which plans a team that misses one in the whole run or any year).
    Growth can leave a team short in the last year alone: planned on its whole-run level, the team it
    refers to would be staffed for less work than it passes on once that year is caught up."""
    return [late for source in upstream_teams(scenario, team) if (late := behind_when(scenario, source, figures, years))]


def upstream_words(team: str, late: list[Behind], staff_command: Callable[[str], str], report_command: str) -> str:
    """Under a staffing plan for ``team``: where teams referring work to it are behind (``late``:
    :func:`upstream_behind`, over the whole run or in the years named), that the plan holds only for the
    work passed on now, as staffing them to catch up refers more work to ``team``, and what to do: plan the
    first of them first (``staff_command``: the ``capsim staff`` command for a team), then ``team`` with its
    plan merged in, or ``report_command``, which plans every team in referral order; "" where none is behind."""
    if not late:
        return ""
    said = "; ".join(source.words() for source in late)
    teams = [source.team for source in late]
    first, *rest = teams
    after = "".join(f", then team {source}" for source in rest)  # every team behind, in referral order
    merged = "those plans" if rest else "that plan"
    return (f"This plan holds only for the work passed on to team {team} now: {said}, and what is not yet assessed "
            f"there is not yet referred. Staffed to catch up, {and_list(teams)} would refer more work to "
            f"{team}, and this plan may then fall short. Plan team {first} first ({staff_command(first)}){after}, "
            f"each on the scenario with the plans before it merged in, then plan {team} again with {merged} "
            f"merged in; or run {report_command}, which plans the teams in referral order, each with those before "
            "it staffed to plan.")
