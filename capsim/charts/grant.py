"""The grant chart: full cost per grant year with its 95% CI, and the FTE the SLAs need, per scenario.

Why it is one module (about 450 lines): it draws one chart, whose labels above the bars (each SLA's share
with its interval, lettered; late hires) must be fitted to the bars' width with the renderer, turned when
they do not fit, and kept clear of the error bars; the titles and subtitles say what those labels and the
FTE panel show. Split, each part would need the others' measurements."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import ScaledTranslation
from matplotlib.ticker import FuncFormatter

from capsim.charts.footer import footer_text
from capsim.charts.parts import cost_bars, cost_panels, cost_peak, money_scale, scenario_colours, side_by_side
from capsim.charts.style import MIN_FONT_PT, MUTED, apply_style, footer_height, legend_above, styled, title_height
from capsim.grant_notes import costs_shown, impossible_years, no_lead_time_short, no_lead_time_teams
from capsim.scenario import Scenario
from capsim.units import target_percent
from capsim.grant import cost_fixed, planned_teams, sla_column_words, unplanned_teams
from capsim.words import (NBSP, and_list, grant_sla_names, interval_bounds, late_teams, mean_words, money,
                          named, need_words, plain_number, teams_named)

if TYPE_CHECKING:  # pragma: no cover
    from capsim.staffing import StaffingPlan

SUBTITLE_CHARS = 100
"""Characters per line of the cost panel's subtitle (12 pt across the chart's 10 in): a long
list of SLAs wraps, each name whole, instead of squeezing the panels."""


PANELS_IN = 5.0
"""Inches the two panels keep between the title and the footer, with their legend, subtitles (the
cost panel's of :data:`SUBTITLE_LINES` lines, the FTE panel's of one) and axis labels: the cost panel
about 2.2 in, tall enough for the shares written over its bars."""

SUBTITLE_LINES = 3
"""Lines of the panels' subtitles that :data:`PANELS_IN` makes room for (two for the cost panel, one for
the FTE panel); the figure is :data:`SUBTITLE_LINE_IN` taller for each line more."""

SUBTITLE_LINE_IN = 0.2
"""Inches a line of a panel's subtitle takes (12 pt, with its line spacing)."""

LABEL_GAP_PT = 6.0
"""Points kept between the top of the highest label over a bar and the top of the cost panel, under
its subtitle."""

CAP_GAP_PT = 3.0
"""Points kept between the cap of a bar's error bar (its top) and the bottom of the label over it."""


def _fit_labels(fig: Figure, ax: Axes, labels: list[Text]) -> None:
    """Raise the top of ``ax`` (bottom at 0) so that every label over a bar (text drawn upwards from
    :data:`CAP_GAP_PT` over its bar's top: :func:`_over_bar`) ends :data:`LABEL_GAP_PT` below it,
    clear of the panel's subtitle, as the panel is laid out: its labels' heights are measured on the
    drawn figure, in pixels, against the panel's.
    A label at height y taking a share s of the panel's height ends at y + s × top, under the top
    when top >= y / (1 - s)."""
    fig.draw_without_rendering()  # the layout: the panel's and the labels' sizes in pixels
    panel = ax.get_window_extent().height
    gap = (LABEL_GAP_PT + CAP_GAP_PT) * fig.dpi / 72  # above the label, and under it over its bar's cap
    top = ax.get_ylim()[1]
    for label in labels:
        share = (label.get_window_extent().height + gap) / panel
        if share < 1:  # else no top fits: the figure's height (PANELS_IN) keeps the panel taller than that
            top = max(top, label.get_position()[1] / (1 - share))
    ax.set_ylim(0, top)


def _share_ci(sla: str, low: float, high: float, form: str = "wide") -> str:
    """A share's 95% CI (0–1) on a second line under the share over a bar, in percent with the
    decimals the report's interval gives the same bounds (:func:`~capsim.words.interval_bounds`, as
    the terminal writes them too): "(97.3–99.95)" where the report says "95% CI 97.3% to 99.95%". A
    bound the report says in words (closer to 0% or 100% than :data:`~capsim.units.SHARE_DECIMALS`)
    makes the range written out: "(99.5 to\nover 99.99)", "(under 0.01\nto 2.0)", a bound to a line
    and "to" on the narrower; so does a ``"narrow"`` label (a bar too narrow for the range on one
    line: :func:`_fit_across`): "(97.3 to\n99.95)"; a ``"turned"`` label (written upwards:
    :func:`_fit_across`) keeps the range on one line: "(97.3–99.95)", "(99.5 to over 99.99)".
    Nothing where the report gives no interval or it reads as one value. ``sla``: the grant table's
    column of the share."""
    bounds = interval_bounds(sla, low, high)
    if bounds is None:  # no interval: not measured, or the same in every replication
        return ""
    first, last = (bound.removesuffix("%") for bound in bounds)
    if first == last:
        return ""
    if all(bound.replace(".", "", 1).isdigit() for bound in (first, last)) and form != "narrow":
        return f"\n({first}–{last})"
    if form == "turned":
        return f"\n({first} to {last})"
    return "\n" + min(f"({first} to\n{last})", f"({first}\nto {last})", key=lambda text: max(map(len, text.split("\n"))))


def _tags(slas: Sequence[str]) -> dict[str, str]:
    """A letter per SLA column (A, B, C, ...), in order, that the label over a bar puts before each
    share and the cost panel's subtitle names (:func:`_cost_subtitle`), so that each share over a bar
    is read against its own SLA however many lines the others take; none for a single SLA."""
    return {} if len(slas) < 2 else {sla: chr(ord("A") + k) for k, sla in enumerate(slas)}


def _bar_label(row: pd.Series, slas: Sequence[str], late: dict[str, int], form: str = "wide",
               tags: Mapping[str, str] | None = None) -> str:
    """The label over a grant year's bar, top down: each SLA's share in time, after its letter in
    ``tags`` (:func:`_tags`: "A: 76.0%"), as the terminal and the report write it: to one decimal,
    never on the other side of its target (``<sla>_target``; :func:`~capsim.words.percent_against`):
    0.8996 against 90% reads "89.96%", not "90%"; its 95% CI under it (:func:`_share_ci` in its
    ``form``), or beside it in a ``"wide"`` label with letters where the CI takes one line ("A: 76.0%
    (75.3–76.7)": a line per SLA); then each planned team whose hires are ``late`` that year (team:
    weeks), on one line where ``form`` is "turned". ``row``: a grant table's row (shares 0–1);
    ``slas``: the SLA columns it measures."""
    tags = tags or {}
    words = []
    for sla in slas:
        ci = _share_ci(sla, row.get(f"{sla}_ci_low", math.nan), row.get(f"{sla}_ci_high", math.nan), form)
        if sla in tags and form == "wide" and ci.count("\n") == 1:
            ci = " " + ci.removeprefix("\n")
        words.append((f"{tags[sla]}: " if sla in tags else "") + mean_words(row, sla) + ci)
    turn = " " if form == "turned" else "\n"  # a turned label's lines are its width
    words.extend(f"{team}: hires{turn}late by {weeks} weeks" for team, weeks in late.items())
    return "\n".join(words)


def _fit_across(fig: Figure, ax: Axes, labels: Sequence[tuple[Text, str, str]], slot: float) -> bool:
    """Keep labels over neighbouring bars from running into each other (``labels``: each label over a
    bar, with its narrow and its turned text, :func:`_bar_label`; ``slot``: the distance between the
    centres of neighbouring bars, in the panel's x units), widths measured in pixels on the drawn
    figure: a label wider than ``slot`` takes its narrow text; if one is still wider, every label is
    written upwards (turned a quarter, its range on one line), each as wide as its lines are tall.
    Returns whether they were turned."""
    fig.draw_without_rendering()  # the layout: the labels' widths in pixels
    room = ax.transData.transform((slot, 0))[0] - ax.transData.transform((0, 0))[0]
    for label, narrow, _ in labels:
        if label.get_window_extent().width > room:
            label.set_text(narrow)
    fig.draw_without_rendering()
    if not any(label.get_window_extent().width > room for label, _, _ in labels):
        return False
    for label, _, turned in labels:
        label.set_text(turned)
        label.set_rotation(90)
    return True


def _over_bar(fig: Figure, ax: Axes, x: float, top: float, text: str) -> Text:
    """A label over a bar, centred on ``x`` and :data:`CAP_GAP_PT` above ``top`` (its error bar's cap,
    in the panel's data units), so that the cap stays clear of it."""
    lift = ScaledTranslation(0, CAP_GAP_PT / 72, fig.dpi_scale_trans)
    return ax.text(x, top, text, ha="center", va="bottom", fontsize=MIN_FONT_PT, color="black", linespacing=1.1,
                   transform=ax.transData + lift)


def _span(fte: pd.Series) -> str:
    """FTE of several scenarios, to three figures: "41" when they agree, else "38 to 41"."""
    low, high = (plain_number(v) for v in (fte.min(), fte.max()))
    return low if low == high else f"{low} to {high}"


def _teams_in_any(scenarios: Sequence[Scenario], which: Callable[[Scenario], list[str]]) -> list[str]:
    """The teams ``which`` (:func:`~capsim.grant.planned_teams` or :func:`~capsim.grant.unplanned_teams`)
    gives in any of ``scenarios``, each once, in their order."""
    return list(dict.fromkeys(team for s in scenarios for team in which(s)))


def _cost_words(currency: str, value: float) -> str:
    """A grant year's full cost ``value`` (in the currency's units, as every grant output gives it:
    :func:`~capsim.grant_notes.costs_shown`) for a title, in the words capsim's chart titles give
    money (:func:`~capsim.words.money`) with every figure it was rounded to: "EUR 2.75 million" where
    the report says "€2,750,000", "EUR 553,000"."""
    return money(currency, value, figures=12)


def _fte_words(row: pd.Series, scenario: Scenario | None) -> str:
    """A grant year's FTE in a title, the need and the staff costed kept apart: "53 FTE needed,
    56 in post", "53 FTE needed and in post" (equal to three figures); where no headcount tried
    meets the SLAs (``fte_needed`` NaN), the FTE in post alone. Where some teams of ``scenario`` have
    no SLA, what each figure counts (:func:`~capsim.words.need_words`): "41 FTE needed for
    the SLAs of teams triage and investigators, plus 16 FTE as written for teams graders and victim_id,
    which no target sizes; 57 in post (all teams)". ``row``: a grant table's row (``fte_needed``, the
    SLAs' need; ``fte_as_written``, the other teams' seats; ``fte``, the mean FTE in post over the
    year, which the cost is of); ``scenario``: its scenario (None: not known, every team taken as planned)."""
    post = plain_number(row.fte)
    if scenario is not None and unplanned_teams(scenario):
        need = need_words(f"{plain_number(row.fte_needed)} FTE" if math.isfinite(row.fte_needed) else None,
                          plain_number(row.fte_as_written), planned_teams(scenario), unplanned_teams(scenario))
        return f"{need}; {post} in post (all teams)"
    if not math.isfinite(row.fte_needed):
        return f"{post} FTE in post, no headcount tried meeting the SLAs"
    need = plain_number(row.fte_needed)
    return f"{need} FTE needed and in post" if need == post else f"{need} FTE needed, {post} in post"


def _spans_words(last: pd.DataFrame, scenarios: Sequence[Scenario]) -> str:
    """The FTE of several scenarios' last year in a title, as :func:`_fte_words` says one's, each a
    range across them (:func:`_span`): "38 to 41 FTE needed and 41 in post". The seats as written
    range over the scenarios that have teams no target sizes only, named where not all have them:
    "..., plus 16 FTE as written for teams graders and victim_id, which no target sizes (in scenario
    growth-central only); 41 to 57 in post (all teams)". ``last``: the grant table's last year, one
    row per scenario, indexed by its name."""
    unplanned = _teams_in_any(scenarios, unplanned_teams)
    if not unplanned:
        return f"{_span(last.fte_needed)}{NBSP}FTE needed and {_span(last.fte)} in post"
    holders = [s.name for s in scenarios if unplanned_teams(s)]
    need = need_words(f"{_span(last.fte_needed)}{NBSP}FTE", _span(last.fte_as_written[holders]),
                      _teams_in_any(scenarios, planned_teams), unplanned)
    only = "" if set(holders) == set(last.index) else f" (in {named('scenario', holders)} only)"
    return f"{need}{only}; {_span(last.fte)} in post (all teams)"


def _no_ci_shown(table: pd.DataFrame, slas: Sequence[str]) -> bool:
    """True where some share over a bar is written with no 95% CI (:func:`_share_ci` gives none: the
    replications agree to the decimals shown). ``table``: the grant table's years."""
    return any(math.isfinite(row[sla]) and not _share_ci(sla, row.get(f"{sla}_ci_low", math.nan),
                                                         row.get(f"{sla}_ci_high", math.nan))
               for _, row in table.iterrows() for sla in slas)


NO_CI_SHOWN = "no CI where the replications agree to the decimals shown"
"""Said at the end of the cost panel's subtitle where a share over a bar has no interval (:func:`_no_ci_shown`)."""


def _cost_subtitle(table: pd.DataFrame, scenarios: Sequence[Scenario], slas: Sequence[str], replications: int,
                   turned: bool) -> str:
    """The cost panel's subtitle: what the bars and their intervals are (a sentence of its own, so that
    the chart's description does not run it into the next line), and what the labels over them give,
    the SLAs by name, each after its letter over the bars (:func:`_tags`), as many to a line as fit in
    :data:`SUBTITLE_CHARS`, then :data:`NO_CI_SHOWN` where it applies; ``turned``: the labels are
    written upwards (:func:`_fit_across`). ``table``: the grant table's years; ``slas``: its SLA columns."""
    order = "written upwards" if turned else "top down"  # a turned label's first line is its left
    named = grant_sla_names(scenarios)
    tags = _tags(slas)
    lines = ["Full cost at each year's prices: " + ("fixed by the plan, the same in every replication."
                                                     if cost_fixed(table, replications)
                                                     else f"mean, 95% CI ({replications} replications)."),
             f"Above each bar, {order}, the share in time (95% CI, %):"]
    for sla in slas:  # each SLA's name kept whole, as many to a line as fit; named as each scenario counts it
        words = sla_column_words(scenarios, sla)
        parts = [f"{w} in {n}" for n, w in words.items()]
        pieces = ([named.get(sla, sla.removeprefix("sla_"))] if len(set(words.values())) < 2 else
                  [part + " /" for part in parts[:-1]] + parts[-1:])
        pieces[0] = (f"{tags[sla]}: " if sla in tags else "") + pieces[0]
        for piece in pieces + ([NO_CI_SHOWN] if sla == slas[-1] and _no_ci_shown(table, slas) else []):
            # a name that differs between scenarios: each scenario's part whole
            open_end = lines[-1].endswith((":", "/"))
            if len(lines[-1]) + 2 + len(piece) <= SUBTITLE_CHARS:
                lines[-1] += (" " if open_end else "; ") + piece
            else:
                lines[-1] += "" if open_end else ";"
                lines.append(piece)
    return "\n".join(lines)


def _missed_words(table: pd.DataFrame, names: Sequence[str], slas: Sequence[str], scenarios: Sequence[Scenario],
                  impossible: Mapping[str, Mapping[str, Sequence[str]]]) -> str:
    """The SLAs whose share in time is below its target on average in some grant year (the mean over
    the replications, as the terminal marks it "< 90%"), each by name with the years (and scenario,
    of several) and its target, and where the grant's plan found it impossible on the team's roster
    (``impossible``: per scenario name, :func:`~capsim.grant_notes.impossible_years`): "Below
    target on average: urgent reports within 24 h (intake) in every year (target 90%; impossible on the
    team's roster: no headcount meets it); normal-priority reports within 5 d (grading) in 2027/28
    (target 90%)"; "" where every target is met on average. ``table``: the grant table's years."""
    sla_names = grant_sla_names(scenarios)
    years = list(dict.fromkeys(table.year))
    parts = []
    for sla in slas:
        for name in names:
            mine = table[table.scenario == name]
            missed = [y for y, share, target in zip(mine.year, mine[sla], mine[f"{sla}_target"])
                      if math.isfinite(share) and share < target - 1e-12]  # as the terminal's "< 90%"
            if not missed:
                continue
            never = [y for y in missed if y in impossible.get(name, {}).get(sla, [])]
            why = ("" if not never else "; impossible on the team's roster: no headcount meets it" if never == missed
                   else f"; impossible on the team's roster in {and_list(never)}: no headcount meets it")
            when = "every year" if len(missed) == len(years) else and_list(missed)
            where = f" in {name}" if len(names) > 1 else ""
            target = target_percent(float(mine[f"{sla}_target"].iloc[0]))
            parts.append(f"{sla_names.get(sla, sla.removeprefix('sla_'))}{where} in {when} (target {target}{why})")
    return f"Below target on average: {'; '.join(parts)}" if parts else ""


LATE_HIRES = "late hires start after the year's first day"
"""Why a grant year's FTE in post fall below the need where a planned team's hires are late that year."""


def _leavers_words(scenario: Scenario | None) -> str:
    """What leavers' seats do over a year in ``scenario`` (None: not known), by its teams that lose
    analysts (``attrition``) and whether each refills their seats (``hiring.replace_leavers``, as the
    report's hires say it): "leavers' seats stand empty until refilled after the hiring lead time";
    "leavers' seats stay empty, never refilled (hiring.replace_leavers: false)"; both, the teams
    that never refill named, where some do and some do not."""
    if scenario is None:
        return "leavers' seats stand empty"
    teams = [t for t in scenario.workforce if t.attrition > 0]
    never = [t.team for t in teams if not t.hiring.replace_leavers]
    if not never:
        return "leavers' seats stand empty until refilled after the hiring lead time"
    if len(never) == len(teams):
        return "leavers' seats stay empty, never refilled (hiring.replace_leavers: false)"
    return ("leavers' seats stand empty until refilled after the hiring lead time, or for good in "
            f"{teams_named(never)} (hiring.replace_leavers: false)")


def _in_post_words(table: pd.DataFrame, names: Sequence[str], scenarios: Mapping[str, Scenario]) -> str:
    """Why the FTE in post (the bars, ``fte``) are below those needed (the diamonds, ``fte_marked``)
    in the grant years where they are (as the chart writes them, to three figures), each year by its
    own causes: its ``leavers`` (:func:`_leavers_words`, by its scenario in ``scenarios``, per name)
    and its ``hires_late_weeks_<team>`` (:data:`LATE_HIRES`); in post is the mean over the year.
    Years with the same causes are named together: "In post below the need in 2029/30: the bars are
    the mean over the year, in which leavers' seats stand empty until refilled after the hiring lead
    time."; "...; in 2027/28, late hires start after the year's first day; in 2029/30, ...". "" where
    no year is below, or neither is the reason."""
    below = table[(table.fte < table.fte_marked) & (table.fte.map(plain_number) != table.fte_marked.map(plain_number))]
    late = below.filter(like="hires_late_weeks_").fillna(0).gt(0).any(axis=1)
    leavers = below.get("leavers", pd.Series(0.0, index=below.index)).fillna(0).gt(0)
    groups: dict[tuple[str, ...], list[str]] = {}  # each year's causes: the years that have them, in order
    for name, year, left, behind in zip(below.scenario, below.year, leavers, late):
        causes = ((_leavers_words(scenarios.get(name)),) if left else ()) + ((LATE_HIRES,) if behind else ())
        if causes:
            groups.setdefault(causes, []).append(f"{year} ({name})" if len(names) > 1 else year)
    if not groups:
        return ""
    when = and_list([label for labels in groups.values() for label in labels])
    if len(groups) == 1:
        return (f"In post below the need in {when}: the bars are the mean over the year, in which "
                f"{and_list(list(next(iter(groups))))}.")
    each = "; ".join(f"in {and_list(labels)}, {and_list(list(causes))}" for causes, labels in groups.items())
    return f"In post below the need in {when}: the bars are the mean over the year; {each}."


def _fte_subtitle(table: pd.DataFrame, names: Sequence[str], scenarios: Mapping[str, Scenario], kept: Sequence[str],
                  unled: Sequence[str]) -> str:
    """The FTE panel's subtitle: what its diamonds and bars are (``kept``: the teams no target sizes,
    whose seats as written the diamonds add), why in post falls below the need where it does
    (:func:`_in_post_words`, by each scenario in ``scenarios``, per name), and the teams whose hires start
    with no hiring lead time (``unled``:
    :func:`~capsim.grant_notes.no_lead_time_teams`), a sentence each, wrapped at
    :data:`SUBTITLE_CHARS` with each team's name whole. ``table``: the grant table's years."""
    needed = (f"needed for the SLAs of the planned teams, plus the seats as written of {teams_named(kept)}, "
              "which no target sizes (diamonds); in post over the year, all teams (bars)" if kept else
              "needed for the SLAs (diamonds), in post over the year (bars)")
    sentences = [f"Analyst FTE (not management or QA): {needed}.", _in_post_words(table, names, scenarios),
                 no_lead_time_short(unled) if unled else ""]
    return textwrap.fill(" ".join(s for s in sentences if s), SUBTITLE_CHARS, break_long_words=False,
                         break_on_hyphens=False)


def grant_per_year(grant_table: pd.DataFrame, scenarios: Sequence[Scenario], seed: int, replications: int,
                   plans: Mapping[str, Sequence[StaffingPlan]] | None = None) -> Figure:
    """Per scenario and grant year: full cost with its 95% CI (top); FTE needed for the SLAs
    (diamonds; where some team has no SLA, the diamond adds its seats as written, so that it
    compares with the bar) and in post (bars, all teams) (bottom), with why in post falls below the
    need where it does (:func:`_in_post_words`); the SLA attainment of each year written over its
    bar, each share after its SLA's letter where there are several (:func:`_tags`), with each planned
    team whose hires are late that year.

    ``grant_table`` is :attr:`capsim.grant.GrantResult.table` (or ``grant.csv``); its ``all``
    rows are left out. The title gives the last grant year's full cost (:func:`_cost_words`), with the FTE needed and
    in post (:func:`_fte_words`), or its range across scenarios, then the targets missed on average
    (:func:`_missed_words`). ``plans``: :attr:`capsim.grant.GrantResult.plans`, where known (not from
    ``grant.csv``): the title then says which target the plan found impossible on the team's roster,
    and the FTE panel which teams hire with no hiring lead time
    (:func:`~capsim.grant_notes.no_lead_time_short`).
    """
    table = grant_table[grant_table["year"].astype(str) != "all"].copy()
    if table.empty:
        raise ValueError("the grant table has no grant years")
    table["year"] = table["year"].astype(str)
    names = list(dict.fromkeys(table["scenario"]))
    years = list(dict.fromkeys(table["year"]))
    currency = scenarios[0].costs.currency if scenarios else ""
    table["cost_shown"] = costs_shown(table, "total_cost", replications)["mean"]  # each year's rounded together
    last = table[table.year == years[-1]].set_index("scenario").reindex(names)
    slas = [c[:-len("_target")] for c in table.columns if c.startswith("sla_") and c.endswith("_target")]
    kept = _teams_in_any(scenarios, unplanned_teams)  # teams no target sizes: their seats as written
    table["fte_marked"] = table.fte_needed + (table.fte_as_written if kept else 0.0)  # the diamonds
    by_name = {s.name: s for s in scenarios}
    plans = plans or {}
    impossible = {s.name: impossible_years(s, plans.get(s.name, []), years) for s in scenarios}
    if len(names) == 1:
        row = last.iloc[0]
        title = (f"{names[0]} in {years[-1]}, year {len(years)} of the grant: {_fte_words(row, by_name.get(names[0]))}, "
                 f"full cost {_cost_words(currency, row.cost_shown)}")
    else:
        cheap, dear = last.total_cost.idxmin(), last.total_cost.idxmax()
        low, high = (_cost_words(currency, last.cost_shown[name]) for name in (cheap, dear))
        if low == high:
            title = (f"In {years[-1]}, the full cost is about {high} in every scenario, with "
                     f"{_spans_words(last, scenarios)}")
        else:
            title = (f"In {years[-1]}, the full cost is {low} in the cheapest scenario, {cheap} "
                     f"({_fte_words(last.loc[cheap], by_name.get(cheap))}), and {high} in the dearest, {dear} "
                     f"({_fte_words(last.loc[dear], by_name.get(dear))})")
    if missed := _missed_words(table, names, slas, scenarios, impossible):
        title += f". {missed}"
    planned = {s.name: planned_teams(s) for s in scenarios}
    tags = _tags(slas)
    peak = cost_peak(table)
    scale, unit = money_scale(peak)
    n = len(names)
    colours = scenario_colours(names)
    footer = footer_text(scenarios, seed, replications)
    labels: list[tuple[Text, str, str]] = []  # each label over a bar, with its narrow and turned texts
    cost_title = _cost_subtitle(table, scenarios, slas, replications, turned=False)
    fte_title = _fte_subtitle(table, names, by_name, kept, no_lead_time_teams(scenarios, plans))
    subtitles_in = SUBTITLE_LINE_IN * max(0, cost_title.count("\n") + fte_title.count("\n") + 2 - SUBTITLE_LINES)
    with styled():
        fig, ax, fte_ax = cost_panels(max(7.8, PANELS_IN + subtitles_in + title_height(title) + footer_height(footer)))
        for name, mine, xs, width in side_by_side(table, names, years):
            err = cost_bars(ax, mine, xs, width, colours[name], name, scale)
            tops = (mine["total_cost"].to_numpy(dtype=float) + err[1]) / scale
            for xi, top, year in zip(xs, tops, years):
                row = mine.loc[year]
                measured = [s for s in slas if math.isfinite(row[s])]
                if measured and math.isfinite(top):  # each planned team whose hires are late that year, named
                    late = late_teams(row.to_dict() | {"year": year}, planned.get(name, []))
                    labels.append((_over_bar(fig, ax, xi, top, _bar_label(row, measured, late, "wide", tags)),
                                   _bar_label(row, measured, late, "narrow", tags),
                                   _bar_label(row, measured, late, "turned", tags)))
            fte_ax.bar(xs, mine["fte"].to_numpy(dtype=float), width=width * 0.92, color=colours[name], alpha=0.35,
                       edgecolor="none")
            fte_ax.scatter(xs, mine["fte_marked"].to_numpy(dtype=float), marker="D", s=50, color=colours[name],
                           zorder=4)
        ax.set_ylabel(f"Full cost\n({currency}{unit})")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.4g}"))
        ax.set_ylim(0, peak / scale * 1.13 if peak > 0 else 1)  # raised for the shares above the bars: _fit_labels
        ax.grid(axis="x", visible=False)
        ax.tick_params(labelbottom=False)
        ax.set_title(cost_title, loc="left", fontsize=12, color=MUTED)
        fte_ax.set_xticks(np.arange(len(years)), years)
        fte_ax.set_xlim(-0.6, len(years) - 0.4)
        fte_ax.grid(axis="x", visible=False)
        fte_ax.set_ylim(0, float(np.nanmax(table[["fte", "fte_marked"]].to_numpy(dtype=float))) * 1.15 or 1)
        fte_ax.set_ylabel("FTE")
        fte_ax.set_title(fte_title, loc="left", fontsize=12, color=MUTED)
        handles, texts = ax.get_legend_handles_labels()
        legend_above(ax, handles, texts, ncols=min(n, 3))
        apply_style(fig, title, footer)
        if _fit_across(fig, ax, labels, width):  # side_by_side's bar width: the step between neighbours
            ax.set_title(_cost_subtitle(table, scenarios, slas, replications, turned=True), loc="left", fontsize=12,
                         color=MUTED)
        _fit_labels(fig, ax, [label for label, _, _ in labels])
    return fig
