"""Evidence charts: each renders from a small run, states its finding, cites its sources,
keeps text readable and is saved atomically as PNG (300 dpi), SVG (text as text) and PDF."""

from __future__ import annotations

import math
from importlib import metadata

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from capsim import charts, simulate
from capsim.scenario import load_scenario

TINY = {
    "name": "tiny-charts",
    "title": "A tiny scenario for the chart tests",
    "clock": {"horizon": "4d", "start": "2024-01-01", "step": "6h"},
    "priorities": ["urgent", "normal"],
    "demand": [
        {"stream": "reports", "unit": "report", "rate": "150/day", "priority": "normal"},
        {"stream": "tips", "unit": "report", "rate": "20/day", "priority": "urgent", "initial_backlog": 30},
    ],
    "review": {"report": {"dist": "exponential", "mean": "5min"}},
    "workforce": [{"team": "analysts", "headcount": 2, "roster": "24/7",
                   "exposure_cap": {"figure": "inhope_max_review_hours_day"}}],
    "sla": [{"priority": "normal", "within": "24h", "target": 0.9},
            {"priority": "urgent", "within": "2h", "target": 0.95}],
    "costs": {"currency": "GBP", "teams": {"analysts": {"annual_cost": 40000}}},
    "experiment": {"replications": 3, "seed": 11},
}


@pytest.fixture(scope="module")
def tiny():
    return load_scenario(TINY)


@pytest.fixture(scope="module")
def result(tiny):
    return simulate(tiny, replications=3, seed=11)


@pytest.fixture(scope="module")
def more_staff(tiny):
    return simulate(load_scenario(tiny.source, ["workforce.analysts.headcount=3", "name=tiny-more-staff"]),
                    replications=3, seed=11)


@pytest.fixture(scope="module")
def all_charts(result, more_staff, tiny):
    sweep = charts.headcount_sweep(tiny, "analysts", [1, 2, 3], replications=2, seed=11)
    sensitivity = pd.DataFrame({
        "parameter": ["workforce.analysts.headcount", "review.report.mean", "tooling.hash_matching.match_rate"],
        "base_value": ["2", "5min", "1.0"], "low_value": ["2", "4min", "0.8"], "high_value": ["2", "6min", "1.0"],
        "metric": "wait_mean", "base_mean": 1.0, "low_mean": [1.0, 0.7, 1.0], "high_mean": [1.0, 1.6, 1.0],
        "effect": [0.0, 0.9, 0.0], "swing": 0.2, "seed": 11, "replications": 3,
    })
    return {
        **charts.run_charts(result),
        "comparison": charts.comparison([result, more_staff]),
        "sla_vs_headcount": charts.sla_vs_headcount(sweep, tiny),
        "tornado": charts.tornado(sensitivity, tiny),
    }


def test_every_chart_renders(all_charts):
    assert set(all_charts) == {"backlog", "time_to_assessment", "exposure", "by_year", "comparison", "sla_vs_headcount",
                               "tornado"}
    for name, fig in all_charts.items():
        assert isinstance(fig, Figure), name
        assert fig._suptitle is not None and fig._suptitle.get_text().strip(), name
        fig.canvas.draw() if hasattr(fig.canvas, "draw") else None


def test_no_text_is_smaller_than_11_points(all_charts):
    for name, fig in all_charts.items():
        for text in fig.findobj(Text):
            if text.get_visible() and text.get_text().strip():
                assert text.get_fontsize() >= charts.MIN_FONT_PT, (name, text.get_text(), text.get_fontsize())


def test_colours_come_from_the_colour_blind_safe_palette(all_charts):
    allowed = {c.lower() for c in charts.OKABE_ITO.values()} | {charts.MUTED.lower()}
    for line in all_charts["backlog"].axes[0].get_lines():
        colour = line.get_color()
        assert isinstance(colour, str) and colour.lower() in allowed, colour


def test_saved_files_carry_title_footer_and_sources_as_text(all_charts, tiny, tmp_path):
    fig = all_charts["backlog"]
    written = charts.save(fig, tmp_path / "backlog")
    assert [p.name for p in written] == ["backlog.png", "backlog.svg", "backlog.pdf", "backlog.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backlog.pdf", "backlog.png", "backlog.svg",
                                                          "backlog.txt"]  # no temp files
    svg = (tmp_path / "backlog.svg").read_text()
    title = fig._suptitle.get_text().split("\n")[0]
    assert title in svg  # text kept as text, not outlines
    assert "Scenario: tiny-charts" in svg and "seed 11" in svg and "3 replications" in svg
    assert f"capsim {metadata.version('capsim')}" in svg
    from capsim.sources import source_names

    primary, _ = source_names(tiny.figures)
    for name in primary:  # readable citations, not figure ids (the assumptions table keeps the ids)
        assert name.replace("'", "&#39;") in svg.replace("\n", " ") or name.split(", ")[0] in svg
    assert not any(fid in svg for fid in tiny.figures)
    assert "INHOPE" in svg  # the figure's organisation
    dpi = Image.open(tmp_path / "backlog.png").info["dpi"]
    assert dpi == pytest.approx((300, 300), abs=0.5)
    assert (tmp_path / "backlog.pdf").read_bytes().startswith(b"%PDF")


def test_saving_twice_gives_the_same_bytes(all_charts, tmp_path):
    first = charts.save(all_charts["exposure"], tmp_path / "a" / "exposure", formats=["svg", "pdf"])
    second = charts.save(all_charts["exposure"], tmp_path / "b" / "exposure", formats=["svg", "pdf"])
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_backlog_title_states_the_change(result):
    fig = charts.backlog_fan(result.timeseries, result.scenario, result.seed)
    title = fig._suptitle.get_text().replace("\n", " ")
    assert "backlog" in title.lower() and "items" in title
    words = charts._backlog_finding(np.array([100.0, 200.0, 900.0]), np.array([0.0, 24.0 * 365, 24.0 * 730]), None)
    assert words == "The backlog grows from 100 to 900 items over two years"
    cleared = charts._backlog_finding(np.array([11108.0, 3000.0, 0.0, 0.0]), np.array([0.0, 24.0, 48.0, 72.0]), None)
    assert cleared.startswith("The backlog of 11,000 items is cleared in about 2 days")


def test_the_time_chart_says_it_pools_priorities_and_marks_deadlines(all_charts):
    fig = all_charts["time_to_assessment"]
    texts = " ".join(t.get_text() for t in fig.findobj(Text))
    assert "all priorities pooled" in texts
    assert "normal deadline 24 h" in texts and "urgent deadline 2 h" in texts
    low, high = fig.axes[0].get_xlim()
    hours = {"Minutes": 1 / 60, "Hours": 1.0, "Days": 24.0}[fig.axes[0].get_xlabel().split()[0]]  # the title's unit
    assert low * hours <= 2 and high * hours >= 24  # every deadline is in view


def test_exposure_chart_marks_the_cap(all_charts, result):
    texts = " ".join(t.get_text() for t in all_charts["exposure"].findobj(Text))
    assert "exposure cap 4 h/day" in texts
    mean = result.metric("exposure_hours_per_analyst_day")
    assert f"{mean:.2g} h" in all_charts["exposure"]._suptitle.get_text()


def test_paired_differences_are_zero_against_itself_and_refuse_other_seeds(result, tiny):
    same = charts.paired_differences([result, result], ["wait_mean", "backlog_end"])
    assert (same["diff"] == 0).all()
    assert list(dict.fromkeys(same.scenario)) == ["tiny-charts", "tiny-charts (2)"]  # same name, told apart
    other = simulate(tiny, replications=3, seed=12)
    with pytest.raises(ValueError, match="seed"):
        charts.paired_differences([result, other])


def test_more_staff_means_shorter_waits_in_the_comparison(result, more_staff):
    table = charts.paired_differences([result, more_staff], ["wait_mean"])
    row = table[table.scenario == more_staff.scenario.name].iloc[0]
    assert row["diff"] < 0


def test_comparison_axes_stay_within_what_a_metric_can_take(result, more_staff):
    """No tick at 100.2% for a share or at -0.8 for a count: the left panels' axes end at the
    metric's range (the marks are drawn unclipped, so a marker at the edge stays whole)."""
    fig = charts.comparison([result, more_staff], ["sla_normal", "backlog_end"])
    share_axis, count_axis = fig.axes[0], fig.axes[2]
    for ax, top in ((share_axis, 1.0), (count_axis, math.inf)):
        low, high = ax.get_xlim()
        assert low >= 0 and high <= top
        assert all(0 <= t <= top for t in ax.get_xticks() if low <= t <= high)


def test_headcount_sweep_shares_one_seed(tiny):
    sweep = charts.headcount_sweep(tiny, "analysts", [2, 3], replications=2, seed=5)
    assert set(sweep.headcount) == {2, 3} and set(sweep.seed) == {5} and set(sweep.replications) == {2}
    wait = sweep[sweep.metric == "wait_mean"].set_index("headcount")["mean"]
    assert wait[3] <= wait[2]
    direct = simulate(load_scenario(tiny.source, ["workforce.analysts.headcount=3"]), replications=2, seed=5)
    assert wait[3] == pytest.approx(direct.metric("wait_mean"))


def test_tornado_puts_zero_effects_last(all_charts):
    ax = all_charts["tornado"].axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    ticks = list(ax.get_yticks())
    top_to_bottom = [label.split("\n")[0] for _, label in sorted(zip(ticks, labels), reverse=True)]
    assert top_to_bottom[0] == "review.report.mean"
    assert set(top_to_bottom[1:]) == {"workforce.analysts.headcount", "tooling.hash_matching.match_rate"}


def test_order_by_effect_keeps_ties_in_order_and_nan_last():
    table = pd.DataFrame({"parameter": list("abcd"), "effect": [0.0, -3.0, float("nan"), 0.0]})
    assert list(charts.order_by_effect(table).parameter) == ["b", "a", "d", "c"]


def test_words_for_numbers():
    assert charts.count_words(2104) == "2,100"
    assert charts.count_words(9_812_000) == "9.8 million"
    assert charts.span_words(1096) == "three years"
    assert charts.span_words(30) == "30 days"
    assert charts.hours_words(0.5) == "30 min"
    assert charts.duration_text(72 * 3600) == "72 h"
    assert math.isnan(charts.round_sig(float("nan")))


def test_derived_figures_are_traced_to_their_organisation():
    org, ids = charts.figure_origin("iwf_2023_seconds_per_image")
    assert org == "IWF" and set(ids) == {"iwf23_analyst_hours_total", "iwf23_ai_images_assessed"}
    org, ids = charts.figure_origin("iwf_2024_confirmation_rate")
    assert all(i.endswith("2024") for i in ids)  # a series read for one year cites that year only


def test_a_comparison_over_several_years_names_the_span_its_figures_cover(tiny):
    """A whole run across a new year is not any one year's level: the title says which span."""
    across = load_scenario(tiny.source, ["clock.start=2024-12-30"])
    pair = [simulate(across, replications=2, seed=3),
            simulate(load_scenario(across.source, ["workforce.analysts.headcount=3", "name=tiny-more-staff"]),
                     replications=2, seed=3)]
    title = charts.comparison(pair, ["sla_normal"])._suptitle.get_text().replace("\n", " ")
    assert "over 30 Dec 2024–2 Jan 2025" in title


def test_a_comparison_within_one_year_names_no_span(result, more_staff):
    assert " over " not in charts.comparison([result, more_staff], ["sla_normal"])._suptitle.get_text()


@pytest.mark.parametrize("label_chars", [10, 40])
def test_a_legend_above_the_axes_never_runs_past_the_figures_right_edge(label_chars):
    """Three entries of police-unit's long SLA names used to sit in one row wider than the figure:
    the saved chart then grew to hold it and its last entry touched the edge. Short labels keep
    their one row."""
    from capsim.charts.style import LEGEND_LEFT, legend_above, new_figure, styled

    with styled():
        fig = new_figure(4)
        ax = fig.add_subplot()
        lines = [ax.plot([0, 1], [i, i], label=f"{i} " + "x" * label_chars)[0] for i in range(3)]
        legend_above(ax, lines, [line.get_label() for line in lines], ncols=3)
        box = ax.get_legend().get_window_extent()
    assert box.x1 <= (1 - LEGEND_LEFT) * fig.bbox.width
    assert ax.get_legend()._ncols == (3 if label_chars == 10 else 2)  # as many columns as fit
