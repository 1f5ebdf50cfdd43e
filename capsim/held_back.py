"""Teams whose work is held back by a team upstream of them.

A team fed by referrals receives an item only once the team before it has assessed it. When
the team before it is behind (one of its service levels missed on average, over the whole run or
in a calendar year of it), what it has not
assessed yet has not been referred yet: the team downstream looks better served than it will
be once the team before it catches up — for instance with the analysts a staffing plan adds
there. This note says so wherever a run's per-team figures are shown, so that nobody reads a
downstream team's level as safe while it is only starved of work.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from capsim.metric_names import sla_words, team_priorities
from capsim.words import and_list, percent, percent_against

if TYPE_CHECKING:  # pragma: no cover
    from capsim.scenario import Scenario


def behind(scenario: Scenario, team: str, mean: Callable[[str], float]) -> list[str]:
    """The service levels ``team`` misses on average (``mean``: a metric's mean over the
    replications, NaN if not measured), each in words: "normal-priority reports within 72 h:
    61% against a target of 90%"; empty if it misses none."""
    handled = team_priorities(scenario)[team]
    missed = []
    for sla in scenario.sla:
        if sla.priority not in handled:
            continue
        share = mean(f"sla_{sla.priority}_{team}")
        if math.isfinite(share) and share < sla.target:
            missed.append(f"{sla_words(scenario, sla.priority)}: {percent_against(share, sla.target)} against a target of "
                          f"{percent(sla.target)}")
    return missed


class Behind(NamedTuple):
    """A team that is behind (:func:`behind_when`): the service levels it misses over the whole run,
    each in words (:func:`behind`), and those it misses in each calendar year it misses one in, unless
    it misses one in every year (the whole run's then say it)."""

    team: str
    missed: list[str]
    """Over the whole run ("normal-priority reports within 72 h: 61% against a target of 90%"); [] if none."""
    years: dict[str, list[str]]
    """Calendar year, as the tables name it ("2025", "2026 (Jan–Mar)") → the service levels missed in it,
    where it misses some in some years only; {} where it misses some in every year."""

    @property
    def when(self) -> str:
        """The years it is behind in, where not every year: "in 2025", "in 2024 and 2025"; else ""."""
        return f"in {and_list(list(self.years))}" if self.years else ""

    def said(self, more: str = "") -> str:
        """"triage is behind (…)" over the whole run (and "…; by calendar year, in 2025, …)" where it
        misses in some years only); else "triage is behind in 2025, though not over the whole run (…)",
        the levels missed in brackets, each year's after it ("in 2024, …; in 2025, …") where there are
        several (a part year's label has brackets of its own: "2025 (Jan–Mar)"), and ``more`` at the
        end of the brackets."""
        by_year = "; ".join(f"in {year}, {'; '.join(missed)}" for year, missed in self.years.items())
        if self.missed:  # over the whole run, and in the years it misses one in if not every year
            years = f"; by calendar year, {by_year}" if by_year else ""
            return f"{self.team} is behind ({'; '.join(self.missed)}{years}{more})"
        levels = "; ".join(*self.years.values()) if len(self.years) == 1 else by_year
        return f"{self.team} is behind {self.when}, though not over the whole run ({levels}{more})"

    def words(self) -> str:
        """:meth:`said` of "team triage": "team triage is behind (…)"."""
        return f"team {self.said()}"


def behind_when(scenario: Scenario, team: str, mean: Callable[[str], float],
                years: Mapping[str, Callable[[str], float]]) -> Behind | None:
    """Whether ``team`` is behind (:func:`behind`) over the whole run (``mean``: a metric's mean over the
    replications, NaN if not measured) or in a calendar year of it (``years``: each year as the run's
    tables name it → a metric's mean in that year), and in which years where not in all; None if in neither. Growth can
    leave a team short in the last year alone, hidden in its whole-run level."""
    missed = behind(scenario, team, mean)
    late = {year: levels for year, means in years.items() if (levels := behind(scenario, team, means))}
    if missed and len(late) == len(years):  # every year: the whole run's levels say it
        late = {}
    return Behind(team, missed, late) if missed or late else None


def held_back_notes(scenario: Scenario, mean: Callable[[str], float],
                    years: Mapping[str, Callable[[str], float]] | None = None) -> list[str]:
    """One sentence per team that receives referrals from a team that is behind, over the whole run or
    in a calendar year of it (:func:`behind_when`; ``years`` as there, none if not given), naming both,
    what the team upstream misses and the items waiting there at the end of the run
    (``backlog_end_<team>``: a count); empty for a scenario of one team or with no team behind."""
    if len(scenario.workforce) < 2:
        return []
    senders: dict[str, dict[str, None]] = {}  # receiving team → the teams referring to it, in rule order
    for rule in scenario.routing:
        senders.setdefault(rule.to, {})[rule.source] = None
    notes = []
    for team, sources in senders.items():
        for source in sources:
            late = behind_when(scenario, source, mean, years or {})
            if late is None:
                continue
            waiting = mean(f"backlog_end_{source}")
            at_end = (f"; {waiting:,.0f} items waiting there at the end{' of the run' if late.years else ''}"
                      if math.isfinite(waiting) else "")
            notes.append(f"The figures of team {team} hold only for the work team {source} has passed on: "
                         f"{late.said(at_end)}, and what it has not yet assessed has not yet been "
                         f"referred. If {source} catches up (more analysts there, or a plan for it), {team} receives "
                         "more work than in this run.")
    return notes
