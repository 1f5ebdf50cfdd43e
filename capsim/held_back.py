"""Teams whose work is held back by a team upstream of them.

A team fed by referrals receives an item only once the team before it has assessed it. When
the team before it is behind (one of its service levels missed on average, over the whole run or
in a calendar year of it; "behind on average" where no such level's whole 95% CI is below its target), what it has not
assessed yet has not been referred yet: the team downstream looks better served than it will
be once the team before it catches up — for instance with the analysts a staffing plan adds
there. This note says so wherever a run's per-team figures are shown, so that nobody reads a
downstream team's level as safe while it is only starved of work.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

from capsim.metric_names import sla_words, team_priorities
from capsim.scenario import unserved_priorities
from capsim.units import target_percent
from capsim.words import and_list, percent_against, target_side

if TYPE_CHECKING:  # pragma: no cover
    from capsim.scenario import Scenario


Figures = Callable[[str], float]
"""A run's figure by name: a metric's mean over the replications (``sla_normal_triage``: a share 0–1,
``backlog_end_triage``: a count) or an end of its 95% interval (``sla_normal_triage_ci_low``,
``sla_normal_triage_ci_high``), NaN if not measured."""


def summary_figures(table: pd.DataFrame) -> Figures:
    """The figures (:data:`Figures`) of ``table``: rows of summary.csv (``metric``, ``mean``, ``ci_low``,
    ``ci_high``), over the whole run or one calendar period."""
    rows = table.set_index("metric")
    figures = {**rows["mean"].to_dict(), **rows["ci_low"].add_suffix("_ci_low").to_dict(),
               **rows["ci_high"].add_suffix("_ci_high").to_dict()}
    return lambda name: float(figures.get(name, math.nan))


def behind(scenario: Scenario, team: str, figures: Figures) -> tuple[list[str], bool]:
    """The service levels ``team`` misses on average (``figures``: :data:`Figures`), each in words:
    "normal-priority reports within 72 h: 61% against a target of 90%", with ", but the 95% CI reaches
    above the target" where its interval does (:func:`capsim.charts.by_year.target_side`); and whether
    it surely misses one (its whole interval below the target). ([], False) if it misses none."""

    handled = team_priorities(scenario)[team]
    missed, surely = [], False
    for sla in scenario.sla:
        name = f"sla_{sla.priority}_{team}"
        share = figures(name)
        if sla.priority not in handled or not (math.isfinite(share) and share < sla.target):
            continue
        side, hedge = target_side(share, figures(f"{name}_ci_low"), figures(f"{name}_ci_high"), sla.target)
        surely = surely or side == "missed"
        missed.append(f"{sla_words(scenario, sla.priority)}: {percent_against(share, sla.target)} against a target of "
                      f"{target_percent(sla.target)}" + (f", but {hedge}" if hedge else ""))
    return missed, surely


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
    on_average: tuple[str, ...] = ()
    """Where it misses its levels on average only, no level's whole 95% CI below its target: the years
    of :attr:`years` ("2025") and "" for the whole run where :attr:`missed` is so."""

    @property
    def when(self) -> str:
        """The years it is behind in, where not every year: "in 2025", "in 2024 and 2025", "in 2024 and
        on average in 2025", "on average in 2025"; else "" over the whole run, or "on average over the
        whole run"."""
        if not self.years:
            return "on average over the whole run" if "" in self.on_average else ""
        surely = [year for year in self.years if year not in self.on_average]
        average = [year for year in self.years if year in self.on_average]
        joint = ", and " if len(surely) > 1 else " and "  # "in 2024 and 2025, and on average in 2026"
        return joint.join(([f"in {and_list(surely)}"] if surely else [])
                          + ([f"on average in {and_list(average)}"] if average else []))

    def said(self, more: str = "") -> str:
        """"triage is behind (…)" over the whole run (and "…; by calendar year, in 2025, …)" where it
        misses in some years only); else "triage is behind in 2025, though not over the whole run (…)",
        the levels missed in brackets, each year's after it ("in 2024, …; in 2025, …") where there are
        several (a part year's label has brackets of its own: "2025 (Jan–Mar)"), and ``more`` at the
        end of the brackets. "behind on average" where it misses its levels on average only
        (:attr:`on_average`), "in 2024 and on average in 2025" where one year is so (:attr:`when`)."""
        by_year = "; ".join(f"in {year}, {'; '.join(missed)}" for year, missed in self.years.items())
        if self.missed:  # over the whole run, and in the years it misses one in if not every year
            years = f"; by calendar year, {by_year}" if by_year else ""
            average = " on average" if "" in self.on_average else ""
            return f"{self.team} is behind{average} ({'; '.join(self.missed)}{years}{more})"
        levels = "; ".join(*self.years.values()) if len(self.years) == 1 else by_year
        return f"{self.team} is behind {self.when}, though not over the whole run ({levels}{more})"

    def words(self) -> str:
        """:meth:`said` of "team triage": "team triage is behind (…)"."""
        return f"team {self.said()}"


def behind_when(scenario: Scenario, team: str, figures: Figures, years: Mapping[str, Figures]) -> Behind | None:
    """Whether ``team`` is behind (:func:`behind`) over the whole run (``figures``: :data:`Figures` of the
    whole run) or in a calendar year of it (``years``: each year as the run's tables name it → its
    figures), and in which years where not in all, and where on average only; None if in neither.
    Growth can leave a team short in the last year alone, hidden in its whole-run level."""
    missed, surely = behind(scenario, team, figures)
    judged = {year: behind(scenario, team, shares) for year, shares in years.items()}
    late = {year: levels for year, (levels, _) in judged.items() if levels}
    if missed and len(late) == len(years):  # every year: the whole run's levels say it
        late = {}
    on_average = ((("",) if missed and not surely else ())
                  + tuple(year for year in late if not judged[year][1]))
    return Behind(team, missed, late, on_average) if missed or late else None


def held_back_notes(scenario: Scenario, figures: Figures, years: Mapping[str, Figures] | None = None) -> list[str]:
    """One sentence per team that receives referrals from a team that is behind, over the whole run or
    in a calendar year of it (:func:`behind_when`: ``figures`` and ``years`` as there, no year if not
    given), naming both, what the team upstream misses and the items waiting there at the end of the run
    (``backlog_end_<team>``: a count); empty for a scenario of one team or with no team behind."""
    if len(scenario.workforce) < 2:
        return []
    senders: dict[str, dict[str, None]] = {}  # receiving team → the teams referring to it, in rule order
    for rule in scenario.routing:
        senders.setdefault(rule.to, {})[rule.source] = None
    notes = []
    for team, sources in senders.items():
        for source in sources:
            late = behind_when(scenario, source, figures, years or {})
            if late is None:
                continue
            waiting = figures(f"backlog_end_{source}")
            at_end = (f"; {waiting:,.0f} items waiting there at the end{' of the run' if late.years else ''}"
                      if math.isfinite(waiting) else "")
            notes.append(f"The figures of team {team} hold only for the work team {source} has passed on: "
                         f"{late.said(at_end)}, and what it has not yet assessed has not yet been "
                         f"referred. If team {source} catches up ({_catching_up(scenario, source)}), team {team} "
                         "receives more work than in this run.")
    return notes


def _catching_up(scenario: Scenario, team: str) -> str:
    """What would let ``team`` catch up: "more analysts there, or a plan for it"; where none of its shift
    patterns serves a priority it receives (:meth:`~capsim.scenario.Team.serves`), a pattern that serves it,
    since no headcount reviews those items: "a shift pattern serving normal: none does, so more analysts
    alone cannot"."""
    unserved = unserved_priorities(scenario, next(t for t in scenario.workforce if t.team == team))
    if not unserved:
        return "more analysts there, or a plan for it"
    return f"a shift pattern serving {and_list(unserved)}: none does, so more analysts alone cannot"
