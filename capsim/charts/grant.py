"""The grant chart: full cost per grant year with its 95% CI, and the FTE the SLAs need, per scenario."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from capsim.charts.footer import footer_text
from capsim.charts.parts import cost_bars, cost_panels, cost_peak, money_scale, scenario_colours, side_by_side
from capsim.charts.style import MIN_FONT_PT, MUTED, apply_style, footer_height, legend_above, styled, title_height
from capsim.scenario import Scenario
from capsim.grant import cost_fixed, planned_teams, sla_column_words, unplanned_teams
from capsim.words import (NBSP, grant_sla_names, interval, late_teams, mean_words, money, need_words,
                          named, plain_number, teams_named)

SUBTITLE_CHARS = 100
"""Characters per line of the cost panel's subtitle (12 pt across the chart's 10 in): a long
list of SLAs wraps, each name whole, instead of squeezing the panels."""


PANELS_IN = 5.0
"""Inches the two panels keep between the title and the footer, with their legend, subtitles and
axis labels: the cost panel about 2.2 in, tall enough for the shares written over its bars."""

LABEL_GAP_PT = 6.0
"""Points kept between the top of the highest label over a bar and the top of the cost panel, under
its subtitle."""


def _fit_labels(fig: Figure, ax: Axes, labels: list[Text]) -> None:
    """Raise the top of ``ax`` (bottom at 0) so that every label over a bar (text drawn from its bar's
    top upwards) ends :data:`LABEL_GAP_PT` below it, clear of the panel's subtitle, as the panel is
    laid out: its labels' heights are measured on the drawn figure, in pixels, against the panel's.
    A label at height y taking a share s of the panel's height ends at y + s × top, under the top
    when top >= y / (1 - s)."""
    fig.draw_without_rendering()  # the layout: the panel's and the labels' sizes in pixels
    panel = ax.get_window_extent().height
    gap = LABEL_GAP_PT * fig.dpi / 72
    top = ax.get_ylim()[1]
    for label in labels:
        share = (label.get_window_extent().height + gap) / panel
        if share < 1:  # else no top fits: the figure's height (PANELS_IN) keeps the panel taller than that
            top = max(top, label.get_position()[1] / (1 - share))
    ax.set_ylim(0, top)


def _share_ci(sla: str, low: float, high: float, narrow: bool = False) -> str:
    """A share's 95% CI (0–1) on a second line under the share over a bar, in percent with the
    decimals the report's interval gives the same bounds (:func:`~capsim.words.interval`, as the
    terminal writes it too): "(97.3–99.95)" where the report says "95% CI 97.3% to 99.95%". A bound
    the report says in words (closer to 0% or 100% than :data:`~capsim.units.SHARE_DECIMALS`), or a
    ``narrow`` label (a bar too narrow for the range on one line: :func:`_narrow_crowded`), makes the
    range written out, a bound to a line and "to" on the narrower: "(99.5 to\nover 99.99)",
    "(under 0.01\nto 2.0)", "(97.3 to\n99.95)"; nothing where the report gives no interval or it
    reads as one value. ``sla``: the grant table's column of the share."""
    bounds = interval(sla, low, high)
    if not bounds.startswith("95% CI "):  # no interval: not measured, or the same in every replication
        return ""
    first, last = (bound.removesuffix("%") for bound in bounds.removeprefix("95% CI ").split(" to "))
    if first == last:
        return ""
    if not narrow and all(bound.replace(".", "", 1).isdigit() for bound in (first, last)):
        return f"\n({first}–{last})"
    return "\n" + min(f"({first} to\n{last})", f"({first}\nto {last})", key=lambda text: max(map(len, text.split("\n"))))


def _bar_label(row: pd.Series, slas: Sequence[str], late: dict[str, int], narrow: bool = False) -> str:
    """The label over a grant year's bar, top down: each SLA's share in time, as the terminal and the
    report write it: to one decimal, never on the other side of its target (``<sla>_target``;
    :func:`~capsim.words.percent_against`): 0.8996 against 90% reads "89.96%", not "90%"; its 95% CI
    under it (:func:`_share_ci`, ``narrow`` or not); then each planned team whose hires are ``late``
    that year (team: weeks). ``row``: a grant table's row (shares 0–1); ``slas``: the SLA columns it
    measures."""
    words = [mean_words(row, sla) + _share_ci(sla, row.get(f"{sla}_ci_low", math.nan),
                                              row.get(f"{sla}_ci_high", math.nan), narrow) for sla in slas]
    words.extend(f"{team}: hires\nlate by {weeks} weeks" for team, weeks in late.items())
    return "\n".join(words)


def _narrow_crowded(fig: Figure, ax: Axes, labels: Sequence[tuple[Text, str]], slot: float) -> None:
    """Give each label over a bar that is wider than ``slot`` (the distance between the centres of
    neighbouring bars, in the panel's x units) its narrow text (``labels``: each label with it,
    :func:`_bar_label`), so that labels over neighbouring bars do not run into each other: widths
    are measured in pixels on the drawn figure."""
    fig.draw_without_rendering()  # the layout: the labels' widths in pixels
    room = ax.transData.transform((slot, 0))[0] - ax.transData.transform((0, 0))[0]
    for label, narrow in labels:
        if label.get_window_extent().width > room:
            label.set_text(narrow)


def _span(fte: pd.Series) -> str:
    """FTE of several scenarios, to three figures: "41" when they agree, else "38 to 41"."""
    low, high = (plain_number(v) for v in (fte.min(), fte.max()))
    return low if low == high else f"{low} to {high}"


def _teams_in_any(scenarios: Sequence[Scenario], which: Callable[[Scenario], list[str]]) -> list[str]:
    """The teams ``which`` (:func:`~capsim.grant.planned_teams` or :func:`~capsim.grant.unplanned_teams`)
    gives in any of ``scenarios``, each once, in their order."""
    return list(dict.fromkeys(team for s in scenarios for team in which(s)))


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


def grant_per_year(grant_table: pd.DataFrame, scenarios: Sequence[Scenario], seed: int, replications: int) -> Figure:
    """Per scenario and grant year: full cost with its 95% CI (top); FTE needed for the SLAs
    (diamonds; where some team has no SLA, the diamond adds its seats as written, so that it
    compares with the bar) and in post (bars, all teams) (bottom); the SLA attainment of each year
    written over its bar, with each planned team whose hires are late that year.

    ``grant_table`` is :attr:`capsim.grant.GrantResult.table` (or ``grant.csv``); its ``all``
    rows are left out. The title gives the last grant year's full cost, with the FTE needed and
    in post (:func:`_fte_words`), or its range across scenarios.
    """
    table = grant_table[grant_table["year"].astype(str) != "all"].copy()
    if table.empty:
        raise ValueError("the grant table has no grant years")
    table["year"] = table["year"].astype(str)
    names = list(dict.fromkeys(table["scenario"]))
    years = list(dict.fromkeys(table["year"]))
    currency = scenarios[0].costs.currency if scenarios else ""
    last = table[table.year == years[-1]].set_index("scenario").reindex(names)
    slas = [c[:-len("_target")] for c in table.columns if c.startswith("sla_") and c.endswith("_target")]
    kept = _teams_in_any(scenarios, unplanned_teams)  # teams no target sizes: their seats as written
    table["fte_marked"] = table.fte_needed + (table.fte_as_written if kept else 0.0)  # the diamonds
    by_name = {s.name: s for s in scenarios}
    if len(names) == 1:
        row = last.iloc[0]
        title = (f"{names[0]} in {years[-1]}, year {len(years)} of the grant: {_fte_words(row, by_name.get(names[0]))}, "
                 f"full cost {money(currency, row.total_cost)}")
    else:
        cheap, dear = last.total_cost.idxmin(), last.total_cost.idxmax()
        if money(currency, last.total_cost[cheap]) == money(currency, last.total_cost[dear]):
            title = (f"In {years[-1]}, the full cost is about {money(currency, last.total_cost[dear])} in every "
                     f"scenario, with {_spans_words(last, scenarios)}")
        else:
            title = (f"In {years[-1]}, the full cost is {money(currency, last.total_cost[cheap])} in the cheapest "
                     f"scenario, {cheap} ({_fte_words(last.loc[cheap], by_name.get(cheap))}), and "
                     f"{money(currency, last.total_cost[dear])} in the dearest, {dear} "
                     f"({_fte_words(last.loc[dear], by_name.get(dear))})")
    planned = {s.name: planned_teams(s) for s in scenarios}
    peak = cost_peak(table)
    scale, unit = money_scale(peak)
    n = len(names)
    colours = scenario_colours(names)
    footer = footer_text(scenarios, seed, replications)
    labels: list[tuple[Text, str]] = []  # each label over a bar, with its narrow text
    with styled():
        fig, ax, fte_ax = cost_panels(max(7.8, PANELS_IN + title_height(title) + footer_height(footer)))
        for name, mine, xs, width in side_by_side(table, names, years):
            err = cost_bars(ax, mine, xs, width, colours[name], name, scale)
            tops = (mine["total_cost"].to_numpy(dtype=float) + err[1]) / scale
            for xi, top, year in zip(xs, tops, years):
                row = mine.loc[year]
                measured = [s for s in slas if math.isfinite(row[s])]
                if measured and math.isfinite(top):  # each planned team whose hires are late that year, named
                    late = late_teams(row.to_dict() | {"year": year}, planned.get(name, []))
                    labels.append((ax.text(xi, top, _bar_label(row, measured, late), ha="center", va="bottom",
                                           fontsize=MIN_FONT_PT, color="black", linespacing=1.1),
                                   _bar_label(row, measured, late, narrow=True)))
            fte_ax.bar(xs, mine["fte"].to_numpy(dtype=float), width=width * 0.92, color=colours[name], alpha=0.35,
                       edgecolor="none")
            fte_ax.scatter(xs, mine["fte_marked"].to_numpy(dtype=float), marker="D", s=50, color=colours[name],
                           zorder=4)
        ax.set_ylabel(f"Full cost\n({currency}{unit})")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.4g}"))
        ax.set_ylim(0, peak / scale * 1.13 if peak > 0 else 1)  # raised for the shares above the bars: _fit_labels
        ax.grid(axis="x", visible=False)
        ax.tick_params(labelbottom=False)
        named = grant_sla_names(scenarios)
        lines = ["Full cost at each year's prices: " + ("fixed by the plan, the same in every replication"
                                                         if cost_fixed(table, replications)
                                                         else f"mean, 95% CI ({replications} replications)"),
                 "Above each bar, top down, the share in time (95% CI, %):"]
        for sla in slas:  # each SLA's name kept whole, as many to a line as fit; named as each scenario counts it
            words = sla_column_words(scenarios, sla)
            parts = [f"{w} in {n}" for n, w in words.items()]
            pieces = ([named.get(sla, sla.removeprefix("sla_"))] if len(set(words.values())) < 2 else
                      [part + " /" for part in parts[:-1]] + parts[-1:])
            for piece in pieces:  # a name that differs between scenarios: each scenario's part whole
                open_end = lines[-1].endswith((":", "/"))
                if len(lines[-1]) + 2 + len(piece) <= SUBTITLE_CHARS:
                    lines[-1] += (" " if open_end else "; ") + piece
                else:
                    lines[-1] += "" if open_end else ";"
                    lines.append(piece)
        ax.set_title("\n".join(lines), loc="left", fontsize=12, color=MUTED)
        fte_ax.set_xticks(np.arange(len(years)), years)
        fte_ax.set_xlim(-0.6, len(years) - 0.4)
        fte_ax.grid(axis="x", visible=False)
        fte_ax.set_ylim(0, float(np.nanmax(table[["fte", "fte_marked"]].to_numpy(dtype=float))) * 1.15 or 1)
        fte_ax.set_ylabel("FTE")
        needed = (f"needed for the SLAs of the planned teams, plus the seats as written of {teams_named(kept)}, "
                  "which no target sizes (diamonds); "
                  "in post over the year, all teams (bars)" if kept else
                  "needed for the SLAs (diamonds), in post over the year (bars)")
        fte_ax.set_title(textwrap.fill(f"Analyst FTE (not management or QA): {needed}", SUBTITLE_CHARS,
                                       break_long_words=False, break_on_hyphens=False),  # each team's name whole
                         loc="left", fontsize=12, color=MUTED)
        handles, texts = ax.get_legend_handles_labels()
        legend_above(ax, handles, texts, ncols=min(n, 3))
        apply_style(fig, title, footer)
        _narrow_crowded(fig, ax, labels, width)  # side_by_side's bar width: the step between neighbours
        _fit_labels(fig, ax, [label for label, _ in labels])
    return fig
