"""A run-out that stopped at its limit, in words: which figures are then lower bounds.

After the horizon the run-out follows every item still waiting until it is assessed or expires, so
that waits count every item that arrived (docs/model.md). It lasts at most
:func:`capsim.engine.runout_limit`; a team far enough behind (or with no analysts) still has items
waiting then. Their waits count only up to that moment (``censored`` says how many there were), so
every wait, time to assessment and percentile that includes them is a lower bound, and
``runout_days`` is the limit, not the time the work takes to clear. The command line and the report
say so wherever they give those figures, so that nobody quotes a lower bound as the wait itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from capsim.engine import runout_limit
from capsim.held_back import Figures
from capsim.units import SECONDS_PER_DAY
from capsim.words import fmt, interval

if TYPE_CHECKING:  # pragma: no cover
    from capsim.scenario import Scenario


def stopped_runout_note(scenario: Scenario, figures: Figures) -> str | None:
    """Where the run-out stopped at its limit with items still waiting in some replication (``censored``
    above 0 on average; ``figures``: :func:`capsim.held_back.summary_figures` of the run's summary), how
    many and what that makes of the run's waits; None where every item's wait is known."""
    censored = figures("censored")
    if not censored > 0:
        return None
    days = runout_limit(scenario.clock) / SECONDS_PER_DAY  # at least 28: whole days read true
    spread = interval("censored", figures("censored_ci_low"), figures("censored_ci_high"), ref=censored)
    count = fmt("censored", censored)
    return (f"The run-out stopped at its limit, {days:,.0f} days after the end, with {count} items "
            f"({spread}) still not assessed (censored: the streams' own items and referrals, at every team). Their "
            "waits count only up to then, so every mean wait, time to assessment and percentile that includes them "
            "is a lower bound, and the days after the end to clear the work (runout_days) are the limit, not the time "
            "it takes; the service levels count them as misses where the deadline had passed by then.")

