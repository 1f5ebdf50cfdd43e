"""A seventh user trial's wording that an advocate would misquote: README's growth figures tied to
the code's, the growth each stream assumes said in the limits, the charts' footers and comparisons,
whole-run figures named with their span (and the team whose items set a pooled median), the
what-if plan credited to the solver, the backlog's capacity panel in a colour of its own, alt
text rounded as the chart is, a deadline labelled on its axis, and one spelling per source."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from capsim import calibration
from capsim import figures as table
from capsim.bundled import path as scenario_file
from capsim.charts.backlog import backlog_fan
from capsim.charts.by_year import staff_words
from capsim.charts.describe import describe
from capsim.charts.exposure_hours import exposure
from capsim.charts.footer import footer_text, one_line_footers
from capsim.charts.parts import PercentTicks
from capsim.charts.waits import time_to_assessment
from capsim.experiment import simulate
from capsim.report.caveats import limitations
from capsim.report.findings import headline_findings
from capsim.report.page import render_report
from capsim.scenario import load_scenario
from capsim.sources import publication, short_citations, short_org
from capsim.staffing import with_changes
from capsim.units import SECONDS_PER_DAY
from capsim.words import percent

ROOT = Path(__file__).resolve().parents[1]


def bundled(name: str, *overrides: str):
    return load_scenario(scenario_file(name), list(overrides))


def flat(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- 1. README's growth figures


def readme_row(label: str) -> str:
    """The value cell of README's assumptions-table row ``label``."""
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0].startswith(label):
            return cells[1]
    raise AssertionError(f"README has no row {label!r}")


def test_readme_quotes_the_ai_doubling_time_the_growth_scenarios_use():
    cell = readme_row("growth of AI-generated reports")
    central, low, high = map(int, re.fullmatch(r"doubling every (\d+) days \(95% CI (\d+)–(\d+)\)", cell).groups())
    used = bundled("growth-central").demand[1]
    assert used.stream == "ai-generated"
    assert central == round(used.growth.doubling_time / SECONDS_PER_DAY)
    assert central == round(calibration.ai_reports_pooled_doubling_time_days("central"))
    assert (low, high) == (round(calibration.ai_reports_pooled_doubling_time_days("high")),
                           round(calibration.ai_reports_pooled_doubling_time_days("low")))
    assert round(bundled("growth-low").demand[1].growth.doubling_time / SECONDS_PER_DAY) == high  # the CI's slow end


def test_readme_quotes_the_growth_of_all_reports_and_its_recent_pace():
    cell = readme_row("growth of all reports")
    assert cell.startswith(f"+{percent(bundled('growth-central').demand[0].growth.annual_growth, 1)} a year")
    low, high = (math.expm1(r) for r in calibration.iwf_reports_assessed_fit().rate_ci)
    assert f"(95% CI +{percent(low)} to +{percent(high)})" in cell
    points = table.series("iwf_reports_assessed_")
    recent = [f"+{percent(b / a - 1)}" for (_, a), (_, b) in zip(points[-4:], points[-3:])]
    assert f"{points[-3][0]}–{points[-1][0]} grew only {recent[0]}, {recent[1]} and {recent[2]}" in cell


# --------------------------------------------------------------------------- 2. the growth assumed, in words


def test_recent_growth_is_said_only_where_the_last_three_years_all_differ_from_the_rate():
    from capsim.charts.growth_words import recent_growth

    rising = [(2018, 100.0), (2019, 110.0), (2020, 121.0), (2021, 133.1), (2022, 146.41)]  # +10% a year
    assert recent_growth(rising, 0.25) == "the last three published years, 2020–2022, grew +10%, +10% and +10%, all below it"
    assert recent_growth(rising, 0.05).endswith("all above it")
    assert recent_growth(rising, 0.10) == ""  # the same pace: nothing differs
    assert recent_growth(rising[:4], 0.25) == ""  # no longer than the three years: nothing older to differ from


def test_the_limits_lead_with_each_streams_growth_from_the_scenario():
    first = limitations(bundled("growth-central"), 3)[0]
    assert "reports (1,200 a day on 1 Jul 2024) +22.5% a year (log-linear fit to the IWF's reports assessed" in first
    assert "the last three published years, 2022–2024, grew +4%, +5% and +8%, all below it" in first
    assert ("ai-generated (0.67 a day at the start on 4 Mar 2027: IWF's 2024 figure) +235% a year, doubling every 209 "
            "days (random-effects") in first
    low = limitations(bundled("growth-low"), 3)[0]  # a figure, not an uncertain input: its published series
    assert "+18.0% a year, doubling every 1,531 days (from IWF reports assessed 2012–2024" in low
    assert "+22.5%" not in low
    mine = limitations(bundled("growth-central", "demand.reports.growth.per_year=10%"), 3)[0]
    assert "reports (1,200 a day on 1 Jul 2024) +10.0% a year (an assumption)" in mine
    assert "2022–2024" not in mine  # no published series behind an assumed rate
    assert not any("growth assumed" in x for x in limitations(bundled("base"), 3))  # no stream grows


def test_chart_footers_state_the_growth_and_the_description_keeps_it():
    s = bundled("growth-central")
    full = footer_text([s], 1, 3)
    assert "\nGrowth assumed: reports (1,200 a day on 1 Jul 2024) +22.5% a year (log-linear fit" in full
    with one_line_footers("sources: see page 2"):
        short = footer_text([s], 1, 3)
    assert "\n" not in short and short.endswith("· sources: see page 2")
    assert "Growth assumed: reports (1,200 a day on 1 Jul 2024) +22.5% a year (the last three published years" in short
    assert "Growth assumed" not in footer_text([bundled("base")], 1, 3)
    fig = exposure(pd.DataFrame({"replication": [0, 1], **{f"exposure_hours_per_analyst_day_{t.team}": [3.0, 3.2]
                                                           for t in s.workforce}}), s, 1)
    text = describe(fig)
    assert "Growth assumed: reports (1,200 a day on 1 Jul 2024) +22.5% a year" in text
    assert "ai-generated (0.67 a day at the start on 4 Mar 2027: IWF's 2024 figure) +235% a year" in text


def test_a_comparison_says_how_the_scenarios_growth_differs():
    from capsim.charts.growth_words import growth_sentence

    low, central = bundled("growth-low"), bundled("growth-central")
    said = growth_sentence([low, central], basis=False)
    assert said.startswith("Growth assumed: growth-low: reports (1,200 a day on 1 Jul 2024) +18.0% a year")
    assert " · growth-central: reports (1,200 a day on 1 Jul 2024) +22.5% a year" in said
    assert "Scenarios: growth-low, growth-central" in footer_text([low, central], 1, 2)
    assert "growth-low: reports" in footer_text([low, central], 1, 2)
    short = ["clock.horizon=21d", "clock.warmup=7d"]
    results = [simulate(bundled(n, *short), 2, 5) for n in ("growth-low", "growth-central")]
    page = render_report(results, {})
    differences = page.split("<h3>Differences</h3>")[1]
    assert "Growth assumed: growth-low: reports" in differences and "growth-central: reports" in differences
    assert "+18.0% a year" in differences and "+22.5% a year" in differences


# --------------------------------------------------------------------------- 3. whole-run figures with their span


def waits_frame(analysts_h: float, graders_h: float) -> pd.DataFrame:
    """Three replications' statistics (hours) of a run of growth-central."""
    return pd.DataFrame({"replication": [0, 1, 2], "wait_mean": [600.0] * 3, "wait_p90": [2700.0] * 3,
                         "time_to_assessment_p50": [41.0, 42.0, 43.0], "time_to_assessment_p90": [2750.0] * 3,
                         "time_to_assessment_p95": [3700.0] * 3, "sla_normal": [0.28, 0.29, 0.30],
                         "wait_mean_analysts": [analysts_h] * 3, "wait_mean_graders": [graders_h] * 3})


def test_the_time_to_assessment_title_names_its_span_and_the_teams_waits():
    from capsim.charts.by_year import measured_span

    s = bundled("growth-central")
    assert measured_span(s) == "over Apr 2027–Mar 2030"
    title = flat(time_to_assessment(waits_frame(1300.0, 24.0), s, 1)._suptitle.get_text())
    assert title.startswith("Over Apr 2027–Mar 2030, half of all items from the streams (reports and ai-generated at "
                            "team analysts, images at team graders) are assessed within"), title
    assert "; items wait to start 54 days on average at team analysts, 1 day at team graders;" in title
    # the teams' waits even where they are alike: a pooled figure stands for no one team's items
    alike = flat(time_to_assessment(waits_frame(30.0, 24.0), s, 1)._suptitle.get_text())
    assert "; items wait to start 30 h on average at team analysts, 24 h at team graders;" in alike, alike
    counted = waits_frame(1300.0, 24.0).assign(arrivals=[7.0e6] * 3, auto_cleared=[2.9e5] * 3, expired=[0.0] * 3)
    assert "half of all 6.7 million items from the streams (" in flat(time_to_assessment(counted, s, 1)._suptitle.get_text())
    one_year = bundled("base")
    assert measured_span(one_year) == ""
    assert flat(time_to_assessment(waits_frame(1300.0, 24.0), one_year, 1)._suptitle.get_text()).startswith("Half of")


def test_the_exposure_title_names_its_span():
    s = bundled("growth-central")
    frame = pd.DataFrame({"replication": [0, 1], **{f"exposure_hours_per_analyst_day_{t.team}": [3.6, 3.8]
                                                    for t in s.workforce}})
    title = flat(exposure(frame, s, 1)._suptitle.get_text())
    assert title.startswith("Hours of review per analyst-shift on average over Apr 2027–Mar 2030, team by team: analysts "
                            "3.70 h, graders 3.70 h, victim_id 3.70 h; each within its 4 h/day exposure cap"), title


def test_findings_name_the_span_of_their_whole_run_waits_and_each_teams_wait():
    raw = {"name": "two-teams", "clock": {"start": "2024-12-02", "horizon": "44d", "warmup": "1d", "step": "1d"},
           "demand": [{"stream": "reports", "unit": "report", "rate": "300/day", "priority": "normal", "team": "slow"},
                      {"stream": "images", "unit": "image", "rate": "300/day", "priority": "normal", "team": "quick"}],
           "priorities": ["normal"],
           "review": {"report": {"dist": "exponential", "mean": "300s"}, "image": {"dist": "exponential", "mean": "60s"}},
           "workforce": [{"team": "slow", "headcount": 1, "roster": "24/7"},
                         {"team": "quick", "headcount": 1, "roster": "24/7"}]}
    result = simulate(load_scenario(raw), 2, 3)
    sentence = next(x for x in headline_findings(result) if "Half of" in x)
    assert sentence.startswith("Over 3 Dec 2024–14 Jan 2025, assessment began on average")
    assert re.search(r"at each team alone, items waited to start on average [\d.,]+ days \(95% CI [^)]*\) at team slow; "
                     r"[\d.,]+ (day|days) \(95% CI [^)]*\) at team quick\.", sentence), sentence


# --------------------------------------------------------------------------- 4. chart wording


def test_the_what_if_staff_is_the_solvers_plan_not_the_scenarios():
    s = bundled("growth-central")
    planned = with_changes(s, 0, [(s.clock.start, 25), (s.clock.start.replace(year=2028, month=4, day=1), 30)])
    assert staff_words(planned, ["analysts"]).startswith("the analysts (team analysts) the scenario plans (25 at the start")
    replayed = planned.with_override("plan: workforce.analysts headcount 25, 30 from 2028-04-01 (--what-it-takes)")
    assert staff_words(replayed, ["analysts"]) == ("the analysts (team analysts) capsim's staffing plan sets (25 at the "
                                                   "start, then 30 from 1 Apr 2028)")


def test_the_backlogs_capacity_panel_has_no_colour_of_the_legend_above():
    s = bundled("base")
    hours = np.arange(0, 24 * 70, 24.0)
    frames = []
    for rep in range(2):
        frames.append(pd.DataFrame({
            "time": hours, "replication": rep,
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(hours, unit="h"),
            "backlog_mean": 100 + hours / 10, "backlog_mean_analysts": 50 + hours / 20,
            "backlog_mean_graders": 40 + hours / 30, "backlog_mean_victim_id": 10.0, "on_duty": 8.0}))
    fig = backlog_fan(pd.concat(frames), s, 1)
    top, capacity = fig.axes
    legend = {h.get_color() if hasattr(h, "get_color") else None for h in top.get_legend().legend_handles}
    legend |= {line.get_color() for line in top.get_lines()}
    assert top.get_legend().get_texts()[-2].get_text() == "graders (median)"
    assert capacity.get_lines()[0].get_color() not in legend


def test_alt_text_rounds_axis_ends_as_the_ticks_do():
    fig = Figure()
    shares, days = fig.add_subplot(2, 1, 1), fig.add_subplot(2, 1, 2)
    shares.set_ylabel("Share of items")
    shares.yaxis.set_major_formatter(PercentTicks())
    shares.set_ylim(0, 0.00463427)
    days.set_xlabel("Days from arrival")
    days.set_xscale("log")
    days.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    days.set_xlim(1.14579, 233.289)
    text = describe(fig)
    assert "The vertical axis, Share of items, runs from 0% to 0.463%." in text
    assert "The horizontal axis, Days from arrival, runs from 1.15 to 233." in text
    assert "0.463427" not in text and "1.14579" not in text


def test_the_deadline_is_labelled_on_a_log_time_axis():
    fig = time_to_assessment(waits_frame(1300.0, 24.0), bundled("growth-central"), 1)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    minor = [(t.get_loc(), t.label1.get_text()) for t in ax.xaxis.get_minor_ticks() if t.label1.get_visible()]
    assert minor == [(pytest.approx(3.0), "72 h")]  # the 72 h line, on an axis in days


# --------------------------------------------------------------------------- 5. one spelling per source


def test_no_two_source_names_differ_only_by_a_repeated_publisher_or_case():
    names: dict[str, str] = {}  # a publication's name, without its publisher's name before it, in lower case
    for f in table.all_figures():
        org, title = short_org(f.organisation), publication(f.title)
        key = f"{org}, {title.removeprefix(org + ' ')}".lower()
        assert names.setdefault(key, f"{org}, {title}") == f"{org}, {title}", f"{f.id}: {title!r} spelt two ways"
    for s in ("growth-central", "base", "police-unit", "iwf-forum-2023"):
        cited, _ = short_citations(bundled(s).figures, 100)
        publications = [re.sub(r"<[^>]+>", "", c).split(" (")[0].lower() for c in cited]
        stripped = [re.sub(r"^(\w+), \1 ", r"\1, ", p) for p in publications]
        assert len(set(stripped)) == len(set(publications)), s


def test_a_long_footer_makes_the_chart_taller_instead_of_collapsing_its_panels():
    import warnings

    from capsim.charts.style import apply_style, new_figure, styled

    with styled():
        fig = new_figure(4.6)
        ax = fig.add_subplot(1, 1, 1)
        ax.set_xlabel("Hours")
        apply_style(fig, "A finding over two lines " * 4, "\n".join(["A footer line"] * 14))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "constrained_layout not applied because axes sizes collapsed to zero"
        fig.draw_without_rendering()
    assert fig.get_figheight() > 4.6
    assert ax.get_position().height * fig.get_figheight() > 1.0  # inches left for the axes themselves
