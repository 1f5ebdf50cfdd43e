"""The provenance footer of every chart: scenario, seed, replications, version and sources."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar

from capsim.charts.growth_words import growth_sentence
from capsim.scenario import Scenario
from capsim.sources import source_names
from capsim.version import version


def footer_text(scenarios: Sequence[Scenario], seed: int, replications: int) -> str:
    """The provenance footer: scenario(s), seed, replications, capsim version, what changed the
    scenarios after their files (each ``--set`` and each plan replayed into them:
    :attr:`~capsim.scenario.Scenario.overrides`), and the
    publications the figures come from in words ("IWF, Annual Report 2023"), primary sources
    first (:func:`capsim.sources.source_names`; derived parameters name the publications of
    the figures they are made from). ``capsim figures`` (every command's) and a report's
    assumptions table give each figure and its full citation with its link. Where a stream grows,
    the growth assumed (:func:`capsim.charts.growth_words.growth_sentence`: rates, and what they rest
    on) is a paragraph of its own after the first line; a one-line footer (:func:`one_line_footers`)
    gives the rates and any recent pace that differs in short words (``basis=False``: no doubling time
    beside the growth a year it restates), before where the sources are listed.
    """
    names = ", ".join(s.name for s in scenarios)
    label = "Scenario" if len(scenarios) == 1 else "Scenarios"
    used = list(dict.fromkeys(fid for s in scenarios for fid in s.figures))
    first = f"{label}: {names} · seed {seed} · {replications} replication{'s' if replications != 1 else ''}"
    sources = _SOURCES_ELSEWHERE.get()
    if sources is not None:
        growth = growth_sentence(scenarios, basis=False).rstrip(".")
        return f"{first} · {growth + ' · ' if growth else ''}{sources}"
    first += f" · capsim {version()}"
    growth = growth_sentence(scenarios)
    if growth:
        first += "\n" + growth
    changed = changes_named(scenarios)
    if changed:
        first += "\nChanged from the scenario files: " + "; ".join(changed)
    if not used:
        return first + "\nSources: no published figures; every input is an assumption."
    primary, secondary = source_names(used)
    text = first + "\nSources: " + "; ".join(primary) + "."
    if secondary:
        text += " As reported by: " + ", ".join(secondary) + "."
    return text + (" Other inputs are assumptions; every figure with its link: capsim figures (and a report's "
                   "assumptions table).")


def changes_named(scenarios: Sequence[Scenario]) -> list[str]:
    """What changed the scenarios after their files (:attr:`~capsim.scenario.Scenario.overrides`),
    each once: a change made to every scenario as it is (a ``--set`` given to all), any other after
    the name of the scenario it was made to or from ("growth-high: plan: workforce.analysts ...")."""
    shared = set.intersection(*(set(s.overrides) for s in scenarios)) if scenarios else set()
    return list(dict.fromkeys(o if o in shared else f"{s.name}: {o}" for s in scenarios for o in s.overrides))


_SOURCES_ELSEWHERE: ContextVar[str | None] = ContextVar("capsim_sources_elsewhere", default=None)


@contextlib.contextmanager
def one_line_footers(sources: str) -> Iterator[None]:
    """Within this block, :func:`footer_text` writes one line: scenario, seed, replications and
    ``sources`` (where the document lists them, e.g. "sources: see page 2"); the brief's charts
    use it so that a chart printed a third of a page wide keeps readable text."""
    token = _SOURCES_ELSEWHERE.set(sources)
    try:
        yield
    finally:
        _SOURCES_ELSEWHERE.reset(token)
