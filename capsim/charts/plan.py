"""The staffing-plan chart: headcount per period with hire-by dates, and SLA attainment at that plan.

Why it is one module (about 600 lines): the title, the steps (planned, in post, temporary cover
closing), the hire-by band, its key and the legends are placed against one another on one figure, from
one plan table, and the figure sized to keep the headcount panel's height; split, each part would need
the others' layout to place itself.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.legend_handler import HandlerBase
from matplotlib.text import Text
from matplotlib.transforms import blended_transform_factory, offset_copy

from capsim.charts.footer import footer_text
from capsim.charts.parts import DateTicks, PercentTicks
from capsim.charts.style import (MUTED, OKABE_ITO, TEXT, apply_style, footer_height, legend_above, new_figure, styled,
                                 title_height)
from capsim.scenario import Scenario
from capsim.staffing import PERIOD_MONTHS, add_months, short_cover_words, training_time, whole_days
from capsim.units import SECONDS_PER_DAY, target_percent
from capsim.words import NBSP, and_list, duration_text, how_many, items_words
from capsim.workforce import contracted_hours


def _plan_dates(values: pd.Series) -> pd.Series:
    """A plan's date column (ISO strings; empty or NaN for none) as timestamps, NaT for none."""
    return pd.to_datetime(values.replace("", np.nan), errors="coerce")


def _period_word(starts: pd.Series) -> str | None:
    """month, quarter or year, from the spacing of the periods' first days (None for one period)."""
    if len(starts) < 2:
        return None
    days = float(np.median(np.diff(starts.to_numpy()) / np.timedelta64(1, "D")))
    return "month" if days <= 31 else "quarter" if days <= 92 else "year" if days <= 366 else None


def _sla_words(slas: Sequence[Any], scenario: Scenario) -> tuple[str, str]:
    """The SLAs in words for a title: (what to do, the target as a noun)."""
    if len(slas) == 1:
        s = slas[0]
        share = (f"{target_percent(s.target)} of {items_words(scenario, s.priority)} within "
                 f"{duration_text(s.within).replace(' ', NBSP)}")
        return f"assess {share}", f"the target of {share}"
    return "meet every SLA target", "every SLA target"


def _left_out(table: pd.DataFrame) -> list[set[str]]:
    """Per period, the priorities its plan leaves out because the roster makes their SLAs impossible at
    any headcount (``left_out``: "sla_urgent", space-separated; :attr:`capsim.staffing.PeriodPlan.left_out`);
    none where the column is empty or absent."""
    if "left_out" not in table:
        return [set() for _ in range(len(table))]
    return [{s.removeprefix("sla_") for s in v.split()} if isinstance(v, str) else set() for v in table["left_out"]]


def _roster_words(slas: Sequence[Any], left: Sequence[set[str]], scenario: Scenario, period: str | None) -> str:
    """The SLAs of ``slas`` the roster makes impossible (``left``: per period, :func:`_left_out`), for the
    title's start, each with the periods it is left out in: "The roster makes the target of 95% of urgent
    reports within 24 h impossible in every quarter, at any headcount; " ("in 3 of the 12 quarters"); ""
    where the plan leaves none out: then the headcount, not the roster, is what the title's need is for."""
    each = period or "period"
    parts = []
    for s in slas:
        n = sum(s.priority in out for out in left)
        if n:
            when = f"every {each}" if n == len(left) else f"{n} of the {len(left)} {each}s"
            parts.append(f"{_sla_words([s], scenario)[1]} impossible in {when}")
    return f"The roster makes {and_list(parts)}, at any headcount; " if parts else ""


def _is_part(first: str, last: str, period: str | None) -> bool:
    """True if the period from ``first`` to ``last`` (ISO days, both in it) ends before the calendar
    ``period`` (month, quarter or year: :data:`capsim.staffing.PERIOD_MONTHS`) from ``first`` does: a
    plan's last, cut by the run's end. A quarter of 89 days (February to April) is whole."""
    if period not in PERIOD_MONTHS:
        return False
    return dt.date.fromisoformat(last) < add_months(dt.date.fromisoformat(first), PERIOD_MONTHS[period]) \
        - dt.timedelta(days=1)


def _need_words(table: pd.DataFrame, needed: np.ndarray, period: str | None) -> str:
    """The solver's need in words, with the period each number is for, from the first period
    the need is known in: "needs 25 analysts in every year from 2027-04-01 to 2030-03-31";
    "needs 25 analysts in the year from 2027-04-01, up to 37 in the year from 2029-04-01";
    "needs 9 analysts in the quarter from 2024-10-01, down to 6 in the quarter from 2025-04-01";
    "needs 15 ..., up to 16 in the quarter from 2024-04-29, and 14 at the fewest"; "up to 16 in the part year
    2025-01-29 to 2025-12-31" (ending before its calendar year from its first day: :func:`_is_part`).
    ``needed`` is per period the fewest analysts meeting its targets with a constant headcount (NaN where none
    does, at least one known); periods are named by their first day."""
    first, last = table["period_start"].astype(str), table["period_end"].astype(str)
    each = period or "period"
    lo, hi = int(np.nanmin(needed)), int(np.nanmax(needed))
    if len(table) == 1:
        return f"needs {how_many(lo, 'analyst')} from {first.iloc[0]} to {last.iloc[0]}"
    known = ~np.isnan(needed)
    if lo == hi:
        return (f"needs {how_many(lo, 'analyst')} in every {each} from {first.iloc[0]} to {last.iloc[-1]}"
                if known.all() else f"needs {how_many(lo, 'analyst')} in {known.sum()} of the {len(table)} {each}s")
    start = int(np.argmax(known))  # the first period with a known need
    opening = int(needed[start])

    def named(k: int) -> str:  # one cut short of its calendar length (a plan's last) by its first and last days
        return (f"the part {each} {first.iloc[k]} to {last.iloc[k]}" if _is_part(first.iloc[k], last.iloc[k], period)
                else f"the {each} from {first.iloc[k]}")

    words = f"needs {how_many(opening, 'analyst')} in {named(start)}"
    if hi > opening:
        words += f", up to {hi} in {named(int(np.nanargmax(needed)))}"
    if lo < opening:
        words += (f", down to {lo} in {named(int(np.nanargmin(needed)))}" if hi == opening
                  else f", and {lo} at the fewest")
    return words


def _title(table: pd.DataFrame, needed: np.ndarray, met: np.ndarray, hires: list, team: str, in_post: int | None,
           sla_words: tuple[str, str], run_start: pd.Timestamp, period: str | None, temporary: int = 0,
           lead_days: int = 0, roster: str = "") -> str:
    """The staffing plan's title, each number said as what it is: the need the solver found, per
    period (:func:`_need_words`), the analysts in post at the start (and by how many they pass the
    largest need), the plan's cuts (:func:`_cuts_words`), and the plan's hires, lasting seats apart
    from temporary cover: the first date recruiting lasting analysts must start by (late: by how many
    weeks, and the day they start as replayed, ``hires_start``), with how many and how many distinct
    hiring dates in all; then the cover's first spell with its end (:func:`_cover_words`). ``hires`` is
    (hire-by date, analysts, period index, of them temporary) per distinct hire-by date, in order, the
    period being the one whose hires on it are latest (:func:`_hires_by_date`): its weeks late are the
    title's; ``sla_words`` is :func:`_sla_words`'s; ``temporary``: how many of the hires are temporary
    cover (:attr:`capsim.staffing.PeriodPlan.temporary`); ``lead_days``: the team's hiring lead time,
    in days. ``roster``: the SLAs the roster makes impossible, said first (:func:`_roster_words`): then
    ``sla_words`` are the targets planned for, and ``met`` counts a period as met where the roster, not
    the headcount, is why it is not (its note says how it does on the others)."""
    doing, target_words = sla_words
    heads = table["headcount"].to_numpy(dtype=int)
    late_hires = "late_weeks" in table and bool((table["late_weeks"] > 0).any())  # then they, not the need, miss
    who = f"{'the' if roster else 'The'} {team} team"  # after the roster's words, or opening the title
    if (not met.any() and not late_hires) or np.isnan(needed).all():
        return roster + f"{who} cannot meet {target_words} in any period" + (
            " at any headcount tried (—)" if np.isnan(needed).all() else f", even with {heads.max()} analysts")
    title = roster + f"{who} {_need_words(table, needed, period)}, to {doing}"
    if in_post is not None:
        most = int(np.nanmax(needed))
        title += f"; {in_post} in post at the start" + (
            f", {in_post - most} more than the most needed" if in_post > most
            else ", as many as the most needed" if in_post == most else "")
    title += _cuts_words(table, in_post)
    lasting = [(date, n - cover, k) for date, n, k, cover in hires if n > cover]
    if lasting:  # the seats that stay: the first date recruiting must start by, late or not
        first_date, first_n, first_k = lasting[0]
        title += f"; hire {how_many(first_n, 'lasting analyst')} by {first_date:%Y-%m-%d}"
        late = int(table["late_weeks"].iloc[first_k]) if "late_weeks" in table else 0
        arrive = _plan_dates(table["hires_start"]).iloc[first_k] if "hires_start" in table else pd.NaT
        if late > 0:
            title += f", already {late} weeks late" + (f": they start on {arrive:%Y-%m-%d}" if pd.notna(arrive) else "")
        elif first_date < run_start:
            title += ", before the run starts"
        if len(lasting) > 1:
            title += f" (the first of {len(lasting)} hiring dates; {sum(n for _, n, _ in lasting)} lasting hires in all)"
    if temporary:  # fixed-term cover, never to be read as seats that stay
        title += f"; {_cover_words(table, lead_days)}"
    return title if not (~met).any() else title + f"; not met in {int((~met).sum())} of {len(table)} periods"


def _cuts_words(table: pd.DataFrame, in_post: int | None) -> str:
    """The plan's cuts of lasting seats (``--allow-reduce``) for a title, after the analysts in post
    (``in_post``, against which the first period's seats are a cut): the first, on its period's first
    day, with how many cuts and analysts in all: "; let 1 analyst go on 2027-02-01", "; let 2 analysts
    go on 2027-02-01 (the first of 2 cuts; 3 let go in all)"; "" for none. Lasting seats are the
    ``headcount`` less the ``temporary`` cover, whose end is no cut."""
    lasting = table["headcount"].to_numpy(dtype=int) - (
        table["temporary"].to_numpy(dtype=int) if "temporary" in table else 0)
    before = np.concatenate([[in_post if in_post is not None else lasting[0]], lasting[:-1]])
    cuts = [(str(first), int(n)) for first, n in zip(table["period_start"], before - lasting) if n > 0]
    if not cuts:
        return ""
    (day, n), total = cuts[0], sum(n for _, n in cuts)
    words = f"; let {how_many(n, 'analyst')} go on {day}"
    return words + (f" (the first of {len(cuts)} cuts; {total} let go in all)" if len(cuts) > 1 else "")


def _cover_words(table: pd.DataFrame, lead_days: int = 0) -> str:
    """The plan's temporary cover for a title: the first spell's seats, from the day they start to
    their last day (``temporary_until``, or the last day of the last period in a row that keeps
    cover, or "the plan's end"), and how many spells there are: "10 more as temporary cover from
    2024-04-29 to 2024-05-28 (hire by 2024-01-29)", "... (the first of 2 spells)"; where it lasts, from
    its period's first day, fewer days than the hiring lead time (``lead_days``) it is recruited over,
    that too, and that overtime or agency staff may meet it better, in the period's note's words
    (:func:`capsim.staffing.short_cover_words`)."""
    opened = opened_cover(table)
    temporary = table["temporary"].to_numpy(dtype=int)
    until = _plan_dates(table["temporary_until"]) if "temporary_until" in table else pd.Series(pd.NaT, index=table.index)
    spells = [k for k in range(len(table)) if opened[k]]
    k = spells[0]
    begins = _plan_dates(table["hires_start"]).iloc[k] if "hires_start" in table else pd.NaT
    begins = pd.Timestamp(table["period_start"].iloc[k]) if pd.isna(begins) else begins
    last = k
    while pd.isna(until.iloc[last]) and last + 1 < len(table) and temporary[last + 1]:
        last += 1
    end = (f"{until.iloc[last]:%Y-%m-%d}" if pd.notna(until.iloc[last]) else "the plan's end"
           if last + 1 == len(table) else str(table["period_end"].iloc[last]))
    hire_by = _plan_dates(table["hire_by"]).iloc[k] if "hire_by" in table else pd.NaT
    last_day = until.iloc[last] if pd.notna(until.iloc[last]) else pd.Timestamp(table["period_end"].iloc[last])
    short = short_cover_words(pd.Timestamp(table["period_start"].iloc[k]).date(), last_day.date(), lead_days)
    short = f": {short}" if short else ""
    return (f"{opened[k]} more as temporary cover from {begins:%Y-%m-%d} to {end}"
            + (f" (hire by {hire_by:%Y-%m-%d}{short}" + (f"; the first of {len(spells)} spells)" if len(spells) > 1
                                                        else ")")
               if pd.notna(hire_by) else f" (the first of {len(spells)} spells)" if len(spells) > 1 else ""))


def opened_cover(table: pd.DataFrame) -> np.ndarray:
    """Per period, the temporary seats it opens (of its ``hires``): its ``temporary`` less those of the period
    before still in post at its end (none where they closed within it, ``temporary_until``)."""
    temporary = table["temporary"].to_numpy(dtype=int) if "temporary" in table else np.zeros(len(table), dtype=int)
    closed = _plan_dates(table["temporary_until"]).notna().to_numpy() if "temporary_until" in table else \
        np.zeros(len(table), dtype=bool)
    kept = np.where(closed, 0, temporary)
    return np.clip(temporary - np.concatenate([[0], kept[:-1]]), 0, None)


def staffing_plan(plan_table: pd.DataFrame, scenario: Scenario, seed: int, replications: int,
                  team: str | None = None, most_tried: int | None = None,
                  held_back: Sequence[tuple[str, str]] = ()) -> Figure:
    """A staffing plan: headcount planned per period as steps, the need per period as rings,
    with hire-by dates (top), and SLA attainment per period of the plan replayed, with its 95% CI
    against the target (bottom). Where hires are late, the seats actually in post until they start
    are a dashed step under the planned one, the shortfall shaded (:func:`_steps`); a plan whose
    hires are all in time has neither.

    ``plan_table`` is :meth:`capsim.staffing.StaffingPlan.table` (or ``staffing_plan.csv``):
    per period, the seats in post in the plan, meeting every SLA in at least ``confidence``
    of the replications, and the need (``needed``: the fewest analysts meeting the period with a
    constant headcount, which the plan's steps may pass: never lowered, hired ahead, or the
    analysts in post at the start). The title keeps the need, the analysts in post and the hires
    apart (:func:`_title`). A hire-by date (the day the new analysts start training, less the
    team's hiring lead time) is drawn as a dashed line with an arrow to the day the new
    analysts start and are trained (the hire-by date plus the lead time and the training: for late
    hires, the plan's start plus both, as the plan replayed has them), one number and arrow per
    distinct date however many periods' hires share it, a key under the panels saying what each number
    is ("hire 2 by 2028-04-01": :func:`_hire_key`); temporary seats that close within their
    period (``temporary_until``) end the step there; a period that no headcount up to the solver's bound could staff is labelled
    "—" (``needed`` empty) and marked ✖ on the panel's top edge, the legend naming that bound
    (``most_tried``, analysts: :attr:`~capsim.staffing.StaffingPlan.max_headcount`; not named
    where None); any other period not met is marked ✖ on its step, at the headcount planned.
    ``team`` is the team planned (default: the scenario's first team, as
    :func:`~capsim.staffing.solve_staffing`); ``held_back``: the teams referring work to it that are
    behind (:func:`capsim.staff_notes.upstream_behind`), each with the years it is behind in ("in 2025";
    "on average in 2025" where the 95% CI reaches its targets; "" where it is behind over the whole run and in every
    year: :attr:`capsim.held_back.Behind.when`), which the title says the plan counts
    only the work they pass on now of.
    """
    if plan_table.empty:
        raise ValueError("the staffing plan has no periods")
    table = plan_table.sort_values("period").reset_index(drop=True)
    team = team or scenario.workforce[0].team
    member = next((t for t in scenario.workforce if t.team == team), None)
    in_post = member.headcount if member is not None else None
    lead = member.hiring.lead_time if member is not None else 0.0
    training = training_time(member) if member is not None else dt.timedelta(0)
    ahead = (f"{duration_text(lead)} lead time" if not training else
             f"{lead / SECONDS_PER_DAY:.0f} d lead + {training.days} d training")
    starts = pd.to_datetime(table["period_start"])
    ends = pd.to_datetime(table["period_end"]) + pd.Timedelta(days=1)  # period_end is the period's last day
    heads = table["headcount"].to_numpy(dtype=int)
    changes = (table["hires"].to_numpy(dtype=int) if "hires" in table else table["change"].to_numpy(dtype=int)
               if "change" in table else np.diff(heads, prepend=in_post if in_post is not None else heads[0]))
    temporary = table["temporary"].to_numpy(dtype=int) if "temporary" in table else np.zeros(len(table), dtype=int)
    hire_by = _plan_dates(table["hire_by"]) if "hire_by" in table else pd.Series(pd.NaT, index=table.index)
    met = table["met"].astype(bool).to_numpy() if "met" in table else np.ones(len(table), dtype=bool)
    confidence = float(table["confidence"].iloc[0]) if "confidence" in table else None
    slas = [s for s in scenario.sla if f"sla_{s.priority}" in table]
    left = _left_out(table)  # per period, the SLAs no headcount meets on the roster: the plan is for the others
    planned = [s for s in slas if not all(s.priority in out for out in left)]
    run_start = pd.Timestamp(scenario.clock.start)
    period = _period_word(starts)

    late_weeks = table["late_weeks"].to_numpy(dtype=int) if "late_weeks" in table else np.zeros(len(table), dtype=int)
    hires = _hires_by_date(hire_by, changes, late_weeks, opened_cover(table))
    needed = table["needed"].to_numpy(dtype=float)  # NaN where no headcount up to the bound meets the period
    impossible = np.isnan(needed)
    roster = _roster_words(slas, left, scenario, period)
    # a period the roster rules a target out of is judged on the targets it is planned for
    planned_met = table["met_planned"].astype(bool).to_numpy() if "met_planned" in table else met
    title = _title(table, needed, np.where([bool(out) for out in left], planned_met, met), hires, team, in_post,
                   _sla_words(planned, scenario), run_start, period,
                   int(np.clip(np.diff(temporary, prepend=0), 0, None).sum()), whole_days(lead).days, roster)
    if held_back:  # staffed to catch up, they refer more: the plan is for what they pass on now
        teams = and_list([f"team {t}" for t, _ in held_back])
        one = len(held_back) == 1
        when = ""  # behind over the whole run in every year; else the years, team by team where there are several
        if any(w for _, w in held_back):
            when = f" {held_back[0][1]}" if one else ": " + ", ".join(f"{t} {w or 'over the whole run'}"
                                                                     for t, w in held_back)
        title += (f"; only for the work {teams} {'passes' if one else 'pass'} on now, as {'it is' if one else 'they are'} "
                  f"behind {'its' if one else 'their'} targets{when}")  # no brackets: a part year's label has its own

    vermillion, blue = OKABE_ITO["vermillion"], OKABE_ITO["blue"]
    with styled():
        fig = new_figure(8.0 if slas else 5.2)
        if slas:
            grid = fig.add_gridspec(2, 1, height_ratios=[1.35, 1])
            ax = fig.add_subplot(grid[0])
            sla_ax = fig.add_subplot(grid[1], sharex=ax)
        else:
            ax, sla_ax = fig.add_subplot(1, 1, 1), None
        counted = "seats" if member is None or member.shifts is None else "analysts"
        until = _plan_dates(table["temporary_until"]) if "temporary_until" in table else \
            pd.Series(pd.NaT, index=table.index)
        when, planned, in_post_now = _steps(table, starts, ends, temporary, until)
        late = (in_post_now < planned).any()  # hires late: the seats in post are drawn under the plan's
        ax.step(when, planned, where="post", color=blue, linewidth=2.6,
                label=f"headcount planned ({counted}{'' if late else ' in post'})")
        if late:  # the seats actually in post until the late hires start, under the plan's
            orange = OKABE_ITO["orange"]
            shade = ax.fill_between(when, in_post_now, planned, step="post", color=orange, alpha=0.25, linewidth=0)
            # under the planned step (zorder 2), which hides it wherever all are in post
            (dashed,) = ax.step(when, in_post_now, where="post", color=orange, linestyle="--", linewidth=2.2,
                                zorder=1.9)
            late_handle = (shade, dashed)
            late_label = f"{counted} in post while hires are late (shaded: planned, not yet in post)"
        mids = starts + (ends - starts) / 2
        top = max(int(heads.max()), int(np.nanmax(needed, initial=0)), in_post or 0, 1)
        if len(table) <= 16:
            for m, h, none, cover in zip(mids, heads, impossible, temporary):  # "—": none meets it there
                # the cover's end date is in the notes and the title: beside the next period's label it overprinted
                words = "—" if none else f"{h}" + (f" ({cover} temp.)" if cover else "")
                ax.text(m, h + 0.03 * top, words, ha="center", va="bottom", fontsize=11, color=blue, bbox=_BEHIND,
                        zorder=4)
        ax.scatter(mids[~impossible], needed[~impossible], marker="o", s=44, facecolor="white", edgecolor=TEXT,
                   linewidth=1.6, zorder=5, label="needed: the fewest meeting the period")
        if in_post is not None:
            ax.axhline(in_post, color=MUTED, linestyle=":", linewidth=1.6, label=f"in post at the start: {in_post}")
        short = ~met & ~impossible  # the plan replayed falls short at its own headcount
        if short.any():
            ax.scatter(mids[short], heads[short], marker="X", s=90, color=vermillion, zorder=6,
                       label="SLA not met at the headcount planned")
        if impossible.any():  # met at no headcount tried: marked just inside the top edge, not at any headcount
            edge = offset_copy(ax.get_xaxis_transform(), fig=fig, y=-EDGE_MARK_PT, units="points")
            ax.scatter(mids[impossible], np.ones(int(impossible.sum())), transform=edge, marker="X", s=90,
                       color=vermillion, zorder=6, label="SLA not met at any headcount tried" + (
                           f" (up to {most_tried} {counted})" if most_tried is not None else ""))
        lines = [ax.axvline(date, color=vermillion, linestyle="--", linewidth=1.4,
                            label=(f"hire-by date → start ({ahead})" if not training else f"hire by → start ({ahead})")
                            if i == 0 and (lead > 0 or training)
                            else "hire-by date" if i == 0 else None)
                 for i, (date, *_) in enumerate(hires)]
        left = min([starts.iloc[0], *(d for d, *_ in hires)])
        span = ends.iloc[-1] - left
        ax.set_xlim(left - span * 0.03, ends.iloc[-1] + span * 0.02)
        ax.set_ylim(0, top * 1.3)
        ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins="auto", integer=True))  # as many as fit
        ax.set_ylabel(f"Analysts in team {team}")
        share = f"≥ {confidence:.0%} of " if confidence is not None else ""
        fte = ""  # what FTE is measured against (capsim.staff_notes.fte_basis)
        if member is not None and "fte" in table:
            fte = (f";\n{heads[-1]} {counted} = {table['fte'].iloc[-1]:.3g} FTE of a {contracted_hours(member):g} h "
                   f"contracted week")
        aim = "every SLA the roster allows" if roster else "every SLA"  # not those it makes impossible
        ax.set_title(f"Headcount planned per {period or 'period'} to meet {aim} in {share}{replications} "
                     f"replications{fte}", loc="left", fontsize=12, color=MUTED)
        handles, labels = ax.get_legend_handles_labels()
        if late:  # after the planned level: which line is which
            handles.insert(1, late_handle)
            labels.insert(1, late_label)
        if sla_ax is not None:
            ax.tick_params(labelbottom=False)
            colours = [OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"], OKABE_ITO["orange"], OKABE_ITO["sky_blue"]]
            width = (ends - starts).min()
            values = []
            for i, s in enumerate(slas):
                colour = colours[i % len(colours)]
                shift = width * 0.12 * (i - (len(slas) - 1) / 2)
                mean = table[f"sla_{s.priority}"].to_numpy(dtype=float)
                low = table.get(f"sla_{s.priority}_ci_low", pd.Series(np.nan, index=table.index)).to_numpy(dtype=float)
                high = table.get(f"sla_{s.priority}_ci_high", pd.Series(np.nan, index=table.index)).to_numpy(dtype=float)
                at = (mids + shift).to_numpy()
                for xi, lo_i, hi_i in zip(at, low, high):
                    if math.isfinite(lo_i) and math.isfinite(hi_i):
                        sla_ax.plot([xi, xi], [lo_i, hi_i], color=colour, linewidth=3, solid_capstyle="butt")
                sla_ax.scatter(at, mean, marker="D", s=46, color=colour, zorder=4,
                               label=f"{items_words(scenario, s.priority)}: mean and 95% CI")
                values += [v for v in (*mean, *low, s.target) if math.isfinite(v)]
            for j, target in enumerate(sorted({s.target for s in slas})):
                whose = "" if len({s.target for s in slas}) == 1 else \
                    " (" + ", ".join(s.priority for s in slas if s.target == target) + ")"
                sla_ax.axhline(target, color=vermillion, linestyle="--", linewidth=2,
                               label=f"target {target_percent(target)}{whose}")
            low_y = max(0.0, min(min(values, default=0.8) - 0.05, 0.8))
            sla_ax.set_ylim(low_y, 1.02)
            sla_ax.yaxis.set_major_formatter(PercentTicks())
            within = sorted({duration_text(s.within) for s in slas})
            sla_ax.set_ylabel(f"Share within\n{', '.join(within)}", fontsize=11)
            sla_ax.set_title("At the planned headcount: items arriving in each period assessed within their deadline",
                             loc="left", fontsize=12, color=MUTED)
            legend_above(sla_ax, *sla_ax.get_legend_handles_labels(), ncols=min(3, len(slas) + 1))  # off the target
            bottom = sla_ax
        else:
            bottom = ax
        locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
        bottom.xaxis.set_major_locator(locator)
        bottom.xaxis.set_major_formatter(DateTicks())  # the first tick dated with its year, as each new year's
        ncols = _legend_within(ax, handles, labels)  # before the band: the legend's width shapes the axes' width
        # the day the hires are trained, as the plan replayed has them (late ones start on the plan's start plus
        # the lead time: hires_start), after the training: their hire-by date plus both, in whole days as the solver counts
        arrive = _plan_dates(table["hires_start"]) if "hires_start" in table else pd.Series(pd.NaT, index=table.index)
        begins = [(arrive.iloc[k] if pd.notna(arrive.iloc[k]) else date + whole_days(lead)) + training
                  for date, _, k, _ in hires]
        band_pt = _hire_band(fig, ax, hires, begins, lines) * HIRE_ROW_PT
        if band_pt:  # the panel's title and legend above the band
            ax.set_title(ax.get_title(loc="left"), loc="left", fontsize=12, color=MUTED,
                         pad=matplotlib.rcParams["axes.titlepad"] + band_pt + 4)
            legend_above(ax, handles, labels, ncols=ncols, raised=band_pt + 4)
            _hire_key(ax, bottom, hires)
        footer = footer_text([scenario], seed, replications)
        _room_for_panel(ax, title, footer)
        apply_style(fig, title, footer)
        _fit_ylabel(ax)
    return fig


def _fit_ylabel(ax: Axes) -> None:
    """Keep ``ax``'s y label ("Analysts in team investigators") within the panel's height, so that it
    never runs down beside the panel below: where on one line it is taller than the panel, break it
    before "team", and where it is still taller, make its type smaller to fit. Call it once the
    figure is laid out (its title and footer placed), as the panel's height is then known."""
    fig = ax.get_figure()
    label = ax.yaxis.label
    fig.draw_without_rendering()
    if label.get_window_extent().height <= ax.get_window_extent().height:
        return
    label.set_text(label.get_text().replace(" team ", "\nteam ", 1))
    fig.draw_without_rendering()
    tall, room = label.get_window_extent().height, ax.get_window_extent().height
    if tall > room:
        label.set_fontsize(label.get_fontsize() * room / tall)


def _hires_by_date(hire_by: pd.Series, counts: np.ndarray, late_weeks: np.ndarray,
                   cover: np.ndarray) -> list[tuple[pd.Timestamp, int, int, int]]:
    """The plan's hires per distinct hire-by date, in date order: (date, analysts, period index, of them
    temporary cover). The hires of every period to be recruited by one date count together; the period
    named is the one whose hires on that date are latest (most ``late_weeks``; the first of them), for
    the title's "already N weeks late". ``counts``: hires per period (a period with none, or no
    ``hire_by``, has no date); ``cover``: of them, temporary seats it opens (:func:`opened_cover`)."""
    periods: dict[pd.Timestamp, list[int]] = {}
    for k, (date, count) in enumerate(zip(hire_by, counts)):
        if count > 0 and pd.notna(date):
            periods.setdefault(date, []).append(k)
    return [(date, int(sum(counts[k] for k in ks)), max(ks, key=lambda k: (late_weeks[k], -k)),
             int(sum(cover[k] for k in ks))) for date, ks in sorted(periods.items())]


def _steps(table: pd.DataFrame, starts: pd.Series, ends: pd.Series, temporary: np.ndarray,
           until: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The seats (or analysts) planned and those actually in post, as steps over the plan: (dates,
    planned, in post), each level holding from its date to the next, the last date the plan's end.
    A period's planned seats hold from its first day, less its ``temporary`` seats from the day after
    ``until`` where they close within it (``temporary_until``, :attr:`capsim.staffing.PeriodPlan.temporary_until`;
    NaT: they stay to its end). In post comes from ``in_post_at_start`` (the seats on a period's
    first day in the plan as it can happen) and ``all_in_post_from`` (the day all planned are;
    empty: not within the period), :attr:`capsim.staffing.PeriodPlan.short`; where the table, from
    an older capsim, does not say, the planned seats."""
    heads = table["headcount"].to_numpy(dtype=int)
    at_start = table["in_post_at_start"].to_numpy(dtype=int) if "in_post_at_start" in table else heads
    full = _plan_dates(table["all_in_post_from"]) if "all_in_post_from" in table else \
        pd.Series(pd.NaT, index=table.index)
    when, planned, in_post = [], [], []
    for k in range(len(table)):
        when.append(starts.iloc[k])
        planned.append(heads[k])
        in_post.append(at_start[k])
        if at_start[k] < heads[k] and pd.notna(full.iloc[k]):
            when.append(full.iloc[k])
            planned.append(heads[k])
            in_post.append(heads[k])
        if temporary[k] and pd.notna(until.iloc[k]):
            when.append(until.iloc[k] + pd.Timedelta(days=1))
            planned.append(heads[k] - temporary[k])
            in_post.append(min(in_post[-1], heads[k] - temporary[k]))
    when.append(ends.iloc[-1])
    return (pd.DatetimeIndex(when).to_numpy(), np.append(planned, planned[-1]), np.append(in_post, in_post[-1]))


_BEHIND = {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"}
"""A white box behind a label, so that a dashed hire-by line passing behind it leaves it readable."""


EDGE_MARK_PT = 5.0
"""How far below the headcount panel's top edge a period met at no headcount tried is marked, in points
(about the ✖'s half height: the mark touches the edge from inside, clear of the hire-by arrows above it)."""


LEGEND_MARGIN = 0.012
"""The legend's margin from the figure's left and right edges, as a share of the figure's width
(:func:`legend_above`'s on the left)."""


def _legend_within(ax, handles: list, labels: list[str]) -> int:
    """Draw the legend above ``ax`` (:func:`legend_above`) in as many columns as fit within the
    figure's width, three at most (one however long its labels). Call it before placing the
    hire-by numbers: a legend running off the figure's right edge made constrained layout narrow
    the axes after the labels were placed on them in dates, so that they overlapped. Returns the
    number of columns."""
    return _columns_within(ax, lambda n: (legend_above(ax, handles, labels, ncols=n), ax.get_legend())[1],
                           min(len(handles), 3))


def _columns_within(ax: Axes, place: Callable[[int], Legend], most: int) -> int:
    """Place a legend of ``ax`` by ``place(columns)`` in as many columns as fit within the figure's
    width, ``most`` at most (one however long its labels); returns that number. A legend wider than
    the figure makes constrained layout narrow the axes until they collapse (the plan of a short run
    with two service levels drew its panels a few dates wide, their ticks on one another)."""
    fig = ax.get_figure()
    right = fig.bbox.x1 - LEGEND_MARGIN * fig.bbox.width  # pixels
    ncols = most
    legend = place(ncols)
    while ncols > 1 and legend.get_window_extent().x1 > right:
        ncols -= 1
        legend = place(ncols)
    return ncols


HIRE_ROW_PT = 18.0
"""Height of one row of hire-by numbers (11 pt text, boxed, above its arrow), in points."""


NUMBER_GAP_PT = 4.0
"""The least space between two hire-by numbers (or a number and the arrow before it) in one row, in points."""


HEADCOUNT_PANEL_IN = 2.4
"""The least height of the headcount panel, in inches (240 pixels at 100 dpi), however many hire-by dates,
title and footer lines the chart has: room for its steps, their labels and its y tick labels, none touching
another (a user trial's panel, squeezed to 1.1 inches, overprinted its ticks 0 to 45)."""


_NUMBER_BOX = {"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": OKABE_ITO["vermillion"], "linewidth": 1.2}
"""The box around a hire-by number, on the chart and in its key: white, edged in the hire-by lines' colour."""


def _hire_words(date: pd.Timestamp, count: int, cover: int) -> str:
    """One hire-by date in words, as the key lists it: "hire 2 by 2028-04-01", "hire 2 (1 temp.) by
    2029-04-01", "hire 16 temp. by 2024-01-31" (``cover``: of the ``count`` analysts, temporary cover)."""
    temp = " temp." if cover == count else f" ({cover} temp.)" if cover else ""
    return f"hire {count}{temp} by {date:%Y-%m-%d}"


class _NumberHandler(HandlerBase):
    """Draws a hire-by number (a :class:`~matplotlib.text.Text` on the chart) in the key as it is on the chart."""

    def create_artists(self, legend: Legend, orig_handle: Text, xdescent: float, ydescent: float, width: float,
                       height: float, fontsize: float, trans: Any) -> list[Text]:
        """The number, boxed, centred in the key's handle box (sizes in points)."""
        return [Text(width / 2 - xdescent, height / 2 - ydescent, orig_handle.get_text(), ha="center", va="center",
                     fontsize=fontsize, color=orig_handle.get_color(), bbox=_NUMBER_BOX, transform=trans)]


def _hire_key(ax: Axes, bottom: Axes, hires: list) -> None:
    """The key to the hire-by numbers :func:`_hire_band` drew on ``ax``: one entry a hire-by date, in date
    order (:func:`_hire_words`), in a legend under the lowest panel ``bottom``'s date ticks, in as many
    columns as fit within the figure's width (four at most), read down each column."""
    fig = ax.get_figure()
    numbers = [t for t in ax.texts if t.get_gid() == "hire-number"]
    words = [_hire_words(date, count, cover) for date, count, _, cover in hires]
    fig.draw_without_rendering()
    depth = (bottom.get_window_extent().y0 - min(t.get_window_extent().y0 for t in bottom.get_xticklabels())) \
        * 72 / fig.dpi + 8  # points from the panel's foot to below its date labels
    under = blended_transform_factory(fig.transFigure, offset_copy(bottom.transAxes, fig=fig, y=-depth, units="points"))

    def place(ncols: int) -> Legend:
        for old in [child for child in bottom.get_children() if child.get_gid() == "hire-key"]:
            old.remove()
        key = Legend(bottom, numbers, words, handler_map={Text: _NumberHandler()}, loc="upper left",
                     bbox_to_anchor=(LEGEND_MARGIN, 0), bbox_transform=under, borderaxespad=0, ncols=ncols,
                     fontsize=11, title="Hire-by dates, numbered as on the chart", title_fontsize=11,
                     alignment="left", handlelength=1.6, columnspacing=2.0)
        key.set_gid("hire-key")
        bottom.add_artist(key).set_clip_on(False)  # unclipped: constrained layout makes room for it
        return key

    _columns_within(ax, place, min(len(hires), 4))


def _room_for_panel(ax: Axes, title: str, footer: str) -> None:
    """Make the figure tall enough that ``ax`` (the headcount panel) is at least :data:`HEADCOUNT_PANEL_IN`
    tall once :func:`apply_style` adds ``title`` and ``footer``: the legends, panel titles, hire-by
    rows and key (measured here, in inches) and the title and footer (:func:`title_height`,
    :func:`footer_height`) take their room first, and the panels share the rest in their height ratios."""
    fig = ax.get_figure()
    fig.draw_without_rendering()
    panels = [a.get_window_extent().height / fig.dpi for a in fig.axes]  # inches
    around = fig.get_figheight() - sum(panels)
    wanted = around + title_height(title) + footer_height(footer) + HEADCOUNT_PANEL_IN * sum(panels) / panels[0]
    fig.set_figheight(max(fig.get_figheight(), wanted))


def _hire_band(fig: Figure, ax, hires: list, begins: list, lines: list) -> int:
    """Number each hire-by date (1, 2, ... boxed, above an arrow from the hire-by date to the day the
    analysts start; :func:`_hire_key` says what each is) in a band of rows just above ``ax``, outside its
    y range (which fits the steps): each number goes in the first row where it clears the numbers and
    arrows already there, so that no two overlap however many hiring dates the plan has (mostly one row:
    more only where arrows are longer than the time between dates); its dashed hire-by line runs up from
    the x axis to its row. Returns the number of rows."""
    vermillion = OKABE_ITO["vermillion"]
    along = ax.get_xaxis_transform()  # x in dates, y as a share of the axes' height
    texts = [ax.text(mdates.date2num(date), 1, f"{i}", ha="left", va="bottom", fontsize=11, color=vermillion,
                     bbox=_NUMBER_BOX, zorder=4, transform=along, gid="hire-number")
             for i, (date, *_) in enumerate(hires, start=1)]
    if not texts:
        return 0
    fig.draw_without_rendering()
    to_data = ax.transData.inverted()
    right = ax.get_xlim()[1]
    space = to_data.transform((NUMBER_GAP_PT * fig.dpi / 72, 0))[0] - to_data.transform((0, 0))[0]  # in dates
    rows_end: list[float] = []  # per row, where its last number or arrow ends (x, in dates)
    rows = []
    for text, (date, *_), start in zip(texts, hires, begins):
        box = text.get_bbox_patch().get_window_extent()
        width = to_data.transform((box.x1, 0))[0] - to_data.transform((box.x0, 0))[0]
        x0 = min(mdates.date2num(date), right - width)  # a number near the right edge ends at the edge
        x1 = max(x0 + width, mdates.date2num(start)) + space  # clear of its box or its arrow's head
        row = next((r for r, end in enumerate(rows_end) if end <= x0), len(rows_end))
        rows_end[row:row + 1] = [x1]
        text.set_x(x0)
        rows.append(row)
    band = len(rows_end)
    for text, row, (date, *_), start, line in zip(texts, rows, hires, begins, lines):
        # row 0 at the top of the band; its arrow 4 points above the axes plus the rows below it
        level = offset_copy(along, fig=fig, y=4 + (band - 1 - row) * HIRE_ROW_PT, units="points")
        text.set_transform(offset_copy(level, fig=fig, y=4, units="points"))
        ax.annotate("", xy=(mdates.date2num(date), 1), xytext=(mdates.date2num(date), 0), xycoords=level,
                    textcoords=along, annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": vermillion, "linewidth": line.get_linewidth(),
                                "linestyle": line.get_linestyle(), "shrinkA": 0, "shrinkB": 0})
        line.remove()  # the dashed line up to its row replaces the one clipped at the axes' top
        if start > date:
            ax.annotate("", xy=(mdates.date2num(start), 1), xytext=(mdates.date2num(date), 1), xycoords=level,
                        annotation_clip=False, arrowprops={"arrowstyle": "->", "color": vermillion, "linewidth": 1.4})
    return band
