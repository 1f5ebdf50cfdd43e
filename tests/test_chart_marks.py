"""Charts that say no more than they know: each level quoted says whose items it counts, a target
line is each measure's own where targets differ, a deadline's label stands clear of the axis's
other ticks, a share never has false precision, and a calendar year is named as the run covers it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from capsim import bundled
from capsim.charts.by_year import by_year, measured_span, year_labels
from capsim.charts.waits import time_to_assessment
from capsim.scenario import load_scenario

PRIORITIES = ("urgent", "high", "normal")


def three_slas(targets: tuple[float, ...] = (0.9, 0.9, 0.9), within: tuple[str, ...] = ("24h", "72h", "7d")):
    """Two years from 1 Jan 2025 of a stream for each of the first ``len(targets)`` priorities of
    :data:`PRIORITIES`, each with its SLA (deadline ``within``: 24 h, 72 h, 7 d) at its target."""
    priorities = PRIORITIES[:len(targets)]
    return load_scenario({
        "name": "three-slas",
        "clock": {"horizon": "730d", "warmup": "0d", "start": "2025-01-01", "step": "1d"},
        "demand": [{"stream": p, "unit": "report", "rate": "10/day", "priority": p} for p in priorities],
        "priorities": list(priorities),
        "review": {"report": {"dist": "exponential", "mean": "120s"}},
        "workforce": [{"team": "analysts", "headcount": 2, "roster": "24/7"}],
        "sla": [{"priority": p, "within": w, "target": t} for p, w, t in zip(priorities, within, targets)],
    })


def per_replication(scenario, shares: dict[str, float], hours: float = 30.0) -> pd.DataFrame:
    """Two replications' time statistics around ``hours`` (median; the others in proportion) and
    their SLA shares, as ``replications.csv`` holds them."""
    table = pd.DataFrame({"replication": [0, 1], "wait_mean": [0.7 * hours] * 2, "wait_p90": [2.0 * hours] * 2,
                          "time_to_assessment_p50": [hours, 1.03 * hours], "time_to_assessment_p90": [2.3 * hours] * 2,
                          "time_to_assessment_p95": [3.0 * hours] * 2})
    for metric, share in shares.items():
        table[metric] = [share, share]
    return table


def title(fig) -> str:
    return " ".join(fig._suptitle.get_text().split())


# --------------------------------------------------------------------------- 1. whose items each level counts


@pytest.mark.parametrize("scenario, shares", [
    (load_scenario(bundled.path("police-unit")), {"sla_normal": 1.0, "sla_high_investigation": 0.06}),
    (three_slas((0.9, 0.9)), {"sla_urgent": 0.95, "sla_high": 0.5}),  # three levels are judged together
])
def test_every_level_quoted_says_it_counts_its_own_items(scenario, shares):
    """A later missed level without "alone" read as pooled: "half of all items ... ; of
    normal-priority reports alone, 100% ...; of high-priority referrals at team investigation, 6%"."""
    text = title(time_to_assessment(per_replication(scenario, shares), scenario, 1))
    levels = text.split("; of ")[1:]
    assert len(levels) == len(shares)  # the first level, and each one missed
    for level in levels:
        assert level.split(",")[0].endswith(" alone"), level


def test_one_stream_of_one_priority_needs_no_alone():
    """Its level counts the same items as the pooled times: "alone" would say otherwise."""
    scenario = three_slas((0.9,))
    text = title(time_to_assessment(per_replication(scenario, {"sla_urgent": 0.5}), scenario, 1))
    assert "; of reports, 50% meet" in text and "alone" not in text


# --------------------------------------------------------------------------- 2. target lines


def year_result(targets: tuple[float, float, float]):
    """What the by-year chart reads of a result: two years of the three SLAs (the urgent one above
    every target, the others falling) and a backlog."""
    rows = []
    for year, shares in (("2025", (0.97, 0.93, 0.86)), ("2026", (0.95, 0.88, 0.80))):
        rows += [{"metric": f"sla_{p}", "period": year, "mean": x, "ci_low": x - 0.01, "ci_high": x + 0.01}
                 for p, x in zip(PRIORITIES, shares)]
        rows.append({"metric": "backlog_mean", "period": year, "mean": 40.0, "ci_low": 30.0, "ci_high": 50.0})
    return SimpleNamespace(scenario=three_slas(targets), period_summary=pd.DataFrame(rows), seed=1, replications=2)


def test_targets_that_differ_are_each_measures_own_line_in_its_colour():
    """Targets 90%, 90% and 95%: the 90% line drawn once took the urgent measure's colour, and was
    read as the urgent target alone. Each measure has its line, in its colour, the two at 90%
    dashed in turn (each shows), and its legend entry beside its measure's."""
    fig = by_year(year_result((0.9, 0.9, 0.95)))
    ax = fig.axes[0]
    points = [line for line in ax.get_lines() if line.get_marker() == "D"]
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert [line.get_color() for line in dashed] == [line.get_color() for line in points]
    assert [line.get_ydata()[0] for line in dashed] == [0.9, 0.9, 0.95]
    assert [line.get_label() for line in dashed] == ["target 90%", "target 90%", "target 95%"]
    offsets = [line._unscaled_dash_pattern[0] for line in dashed[:2]]
    assert offsets[0] != offsets[1]  # one line's dashes in the other's gaps, not on top of them
    fig.draw_without_rendering()
    texts = ax.get_legend().get_texts()
    for point, target in zip(points, dashed):  # a measure and its target on one row of the legend
        row = next(t for t in texts if t.get_text() == point.get_label()).get_window_extent().y0
        assert any(abs(t.get_window_extent().y0 - row) < 1 for t in texts if t.get_text() == target.get_label())


def test_a_target_every_measure_shares_is_one_line():
    ax = by_year(year_result((0.9, 0.9, 0.9))).axes[0]
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert [line.get_label() for line in dashed] == ["target 90%, all 3"]


# --------------------------------------------------------------------------- 3. deadline ticks


def visible_labels(axis, which: str):
    low, high = axis.axes.get_xlim()
    labels = axis.get_majorticklabels() if which == "major" else axis.get_minorticklabels()
    return [t for t in labels if low <= t.get_position()[0] <= high and t.get_text()]


@pytest.mark.parametrize("hours", [600.0, 30.0, 2.0])  # an axis of 0-80 days, of 0-4 days (72 h at 3.0), and a log axis
def test_a_deadlines_label_stands_clear_of_the_other_ticks(hours):
    """"0" and "72 h" printed as "0 72 h" where the deadline sat near 0 of an axis of days, and an
    ordinary tick at the deadline ("3.0" at 72 h) hid the deadline's label."""
    scenario = load_scenario(bundled.path("base"))
    table = per_replication(scenario, {"sla_normal": 0.5}, hours)
    if hours == 2.0:
        table["time_to_assessment_p95"] = [400.0, 400.0]  # far beyond the median: a log axis
    fig = time_to_assessment(table, scenario, 1)
    fig.draw_without_rendering()
    axis = fig.axes[0].xaxis
    assert (axis.axes.get_xscale() == "log") == (hours == 2.0)
    deadline = visible_labels(axis, "minor")
    assert [t.get_text() for t in deadline] == ["72 h"]
    box = deadline[0].get_window_extent()
    ordinary = visible_labels(axis, "major")
    assert len(ordinary) >= 2  # the axis keeps its scale
    for label in ordinary:
        other = label.get_window_extent()
        assert other.x1 < box.x0 or other.x0 > box.x1, (label.get_text(), "overlaps", "72 h")


@pytest.mark.parametrize("hours, longest", [(300.0, None), (0.05, 40000.0)],
                         ids=["axis-of-weeks", "log-axis-of-six-decades"])
def test_two_close_deadlines_labels_never_overlap(hours, longest):
    """24 h and 72 h, two days apart on an axis of weeks (or a fraction of a decade on a log axis of
    six), printed as one "2472 h": each deadline's label now stands on the first row below the axis
    where it is clear of the others, and of every ordinary tick's."""
    scenario = three_slas((0.9, 0.9))  # urgent within 24 h, high within 72 h
    table = per_replication(scenario, {"sla_urgent": 0.9, "sla_high": 0.9}, hours)
    if longest:
        table["time_to_assessment_p95"] = [longest, longest]
    fig = time_to_assessment(table, scenario, 1)
    fig.draw_without_rendering()
    axis = fig.axes[0].xaxis
    assert (axis.axes.get_xscale() == "log") == bool(longest)
    deadlines = visible_labels(axis, "minor")
    assert [t.get_text() for t in deadlines] == ["24 h", "72 h"]
    middles = [axis.axes.transData.transform((t.get_position()[0], 0))[0] for t in deadlines]
    assert middles[1] - middles[0] < deadlines[0].get_window_extent().width  # so close their labels would meet
    boxes = [(t.get_text(), t.get_window_extent()) for t in [*deadlines, *visible_labels(axis, "major")]]
    for i, (one, box) in enumerate(boxes):
        for other, next_box in boxes[i + 1:]:
            assert not box.overlaps(next_box), (one, "overlaps", other)


@pytest.mark.parametrize("hours", [30.0, 2.0], ids=["axis-of-days", "log-axis"])
def test_two_priorities_sharing_a_deadline_have_one_line_and_one_label(hours):
    """Urgent and high both within 24 h: "24 h" was printed twice, the second copy on a row of its own
    below the first, and the urgent deadline's line hidden under the high one's of another colour while
    the legend listed both. One deadline: one line, one label, its legend naming both priorities."""
    scenario = three_slas((0.9, 0.9), within=("24h", "24h"))
    table = per_replication(scenario, {"sla_urgent": 0.9, "sla_high": 0.8}, hours)
    if hours == 2.0:
        table["time_to_assessment_p95"] = [400.0, 400.0]  # far beyond the median: a log axis
    fig = time_to_assessment(table, scenario, 1)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    assert (ax.get_xscale() == "log") == (hours == 2.0)
    assert [t.get_text() for t in visible_labels(ax.xaxis, "minor")] == ["24 h"]
    assert [line.get_label() for line in ax.get_lines() if line.get_linestyle() == "--"] == ["urgent and high deadline 24 h"]
    assert [t.get_text() for t in ax.get_legend().get_texts() if "deadline" in t.get_text()] == ["urgent and high deadline 24 h"]


# --------------------------------------------------------------------------- 4. no false precision


def test_a_share_short_of_all_by_a_hair_is_said_so_in_a_title():
    scenario = load_scenario(bundled.path("base"))
    text = title(time_to_assessment(per_replication(scenario, {"sla_normal": 0.999999}), scenario, 1))
    assert "of reports alone, over 99.99% meet the 72 h deadline" in text
    assert "99.9999" not in text and "100%" not in text


# --------------------------------------------------------------------------- 5. calendar years as the run covers them


def covering(horizon: str, warmup: str = "28d", start: str = "2024-01-01"):
    """What the year labels read of a result: police-unit's scenario on another clock."""
    scenario = load_scenario(bundled.path("police-unit"), [f"clock.horizon={horizon}", f"clock.warmup={warmup}",
                                                           f"clock.start={start}"])
    return SimpleNamespace(scenario=scenario)


def test_a_year_ending_at_noon_on_31_december_is_not_the_whole_year():
    """A ``2y`` horizon (730.5 days) from 1 Jan 2024 ends at noon on 31 Dec 2025: "2025" claimed
    the half day not run."""
    result = covering("2y")
    assert result.scenario.clock.horizon / 86400 == 730.5
    assert year_labels(result) == {"2024": "2024 (29 Jan\u201331 Dec)", "2025": "2025 (1 Jan\u201331 Dec 12:00)"}
    assert measured_span(result.scenario) == "over 29 Jan 2024\u201331 Dec 2025 12:00"


def test_only_a_year_run_whole_is_named_bare():
    assert year_labels(covering("731d")) == {"2024": "2024 (29 Jan\u201331 Dec)", "2025": "2025"}  # to 1 Jan 2026
    # 361 days of 2024 compare as a whole year, but are not called 2024
    assert year_labels(covering("731d", warmup="5d"))["2024"] == "2024 (6 Jan\u201331 Dec)"
    # a start within a day gives its time; whole months keep their names
    assert year_labels(covering("731d", warmup="28.25d"))["2024"] == "2024 (29 Jan 06:00\u201331 Dec)"
    assert year_labels(covering("455d", warmup="0d", start="2025-01-01")) == {"2025": "2025", "2026": "2026 (Jan\u2013Mar)"}
    assert measured_span(covering("455d", warmup="0d", start="2025-01-01").scenario) == "over Jan 2025\u2013Mar 2026"
    assert dt.date(2025, 1, 1) + dt.timedelta(days=455) == dt.date(2026, 4, 1)


def test_a_title_never_wraps_within_a_date():
    # The plan chart's title wrapped "2025 (1 Jan–31 Dec 12:00)" as "(1" / "Jan–31 Dec 12:00)".
    from capsim.charts.style import TITLE_CHARS, title_lines

    title = ("Analysts needed for team investigation, as it is behind its targets in 2025 (1 Jan–31 Dec 12:00), "
             "and from 29 Jan 2024 to Dec 2025 12:00")
    lines = title_lines(title)
    assert " ".join(lines) == title and all(len(line) <= TITLE_CHARS for line in lines)
    assert not any(line.endswith(end) for line in lines[:-1] for end in ("(1", "29", "Dec", "Jan"))
    assert [line for line in lines if "(1 Jan–31 Dec 12:00)" in line]


def test_a_title_never_wraps_at_a_words_hyphen():
    # The time-to-assessment title wrapped "ai-generated" as "ai-" / "generated": copied, it read "ai- generated".
    from capsim.charts.style import title_lines

    for lead in range(30, 70):  # a first word shorter than a line (a longer one is cut anyway)
        title = "x" * lead + " reports and ai-generated at team analysts, images at team graders"
        lines = title_lines(title)
        assert " ".join(lines) == title and not any(line.endswith("-") for line in lines), lines


def test_a_footer_never_wraps_at_a_words_hyphen_nor_in_a_date():
    from capsim.charts.style import footer_lines

    for lead in range(40, 110):
        footer = "x" * lead + " growth assumed: ai-generated (0.67 a day at the start on 4 Mar 2027) +647% a year"
        lines = footer_lines(footer)
        assert " ".join(lines) == footer and not any(line.endswith(("-", " 4", "Mar")) for line in lines), lines
