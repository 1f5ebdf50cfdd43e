"""Issue 16 follow-up: part years never in headlines, waits over 48 h in days, one-line brief
footers, readable limits, the backlog headline from whole months."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from capsim import simulate
from capsim.charts.backlog import NOTE_CHARS, _backlog_finding, _capacity_note, _whole_month_means
from capsim.charts.by_year import by_year, first_missed, year_labels
from capsim.charts.footer import footer_text, one_line_footers
from capsim.charts.waits import time_to_assessment
from capsim.report.caveats import limitations
from capsim.report.findings import headline_findings
from capsim.report.years import year_findings, year_table_html
from capsim.scenario import load_scenario
from capsim.words import METRIC_LABELS, hours_words, items_words, percent, wait_words


def test_exactly_all_reads_100_percent_and_waits_over_48_hours_read_days():
    assert percent(1.0, 1) == "100%" and percent(0.0, 1) == "0%" and percent(0.9996, 1) == "99.96%"
    assert hours_words(670) == "28 days" and hours_words(48) == "48 h"
    assert wait_words(670, 620, 720) == "27.9 days (95% CI 25.8 to 30.0 days)"
    assert wait_words(26, 24, 28) == "26.0 hours (95% CI 24.0 to 28.0 hours)"


def test_fte_is_labelled_as_every_team():
    assert METRIC_LABELS["fte"] == "Staff in post, all teams (FTE)"


def test_backlog_headline_compares_whole_months_not_a_last_spike():
    dates = pd.Series(pd.date_range("2025-02-15", "2026-01-05", freq="7D"))
    median = np.full(len(dates), 40.0)
    median[-1] = 115.0  # a one-week spike at the end
    months = _whole_month_means(median, dates)
    assert months is not None and months[0] == "Mar 2025"
    title = _backlog_finding(median, np.arange(len(dates)) * 168.0, None, months)
    assert "115" not in title and "stays near 40" in title


def test_capacity_note_lines_fit_the_panel():
    s = load_scenario("docs/examples/hotline-rota.yaml")
    assert all(len(line) <= NOTE_CHARS for line in _capacity_note(s, None).split("\n"))
    assert "weekend: 2 on 10 h shifts" in _capacity_note(s, None).replace("\n  ", " ")


def test_brief_footer_is_one_line_and_limits_name_no_figure_ids():
    s = load_scenario("scenarios/growth-central.yaml")
    with one_line_footers("sources: see page 2"):
        short = footer_text([s], 1, 2)
    assert "\n" not in short and short.endswith("sources: see page 2")
    assert "\n" in footer_text([s], 1, 2)  # outside the block: the full footer
    text = " ".join(limitations(s, 2))
    assert "capsim uncertainty" in text
    assert not any(fid in text for fid in s.figures)


def reports_run(name: str, start: str, horizon: str, rate: str):
    """A small, quick run from ``start``: one stream of reports at ``rate``, 2 minutes each, for
    2 analysts around the clock, 90% of them due within 24 h; 2 replications, seed 3."""
    raw = {
        "name": name,
        "clock": {"horizon": horizon, "warmup": "0d", "start": start, "step": "1d"},
        "demand": [{"stream": "reports", "unit": "report", "rate": rate, "priority": "normal"}],
        "priorities": ["normal"],
        "review": {"report": {"dist": "exponential", "mean": "120s"}},
        "workforce": [{"team": "analysts", "headcount": 2, "roster": "24/7"}],
        "sla": [{"priority": "normal", "within": "24h", "target": 0.9}],
    }
    return simulate(load_scenario(raw), replications=2, seed=3)


@pytest.fixture(scope="module")
def stubbed():
    """Two whole years between a 12-day stub (2024) and a part year (2027, Jan–Feb), 50 reports a day."""
    return reports_run("stubbed", "2024-12-20", "800d", "50/day")


def test_part_years_are_marked_and_never_in_a_headline(stubbed):
    assert year_labels(stubbed) == {"2025": "2025", "2026": "2026", "2027": "2027 (1 Jan\u201327 Feb)"}  # stub dropped
    assert "2024 (20–31 Dec)" in year_table_html(stubbed)  # the table keeps every period
    fig = by_year(stubbed)
    title = fig._suptitle.get_text()
    assert "2025" in title and "2026" in title and "2027" not in title and "2024" not in title
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["2025", "2026", "2027 (1 Jan\u201327 Feb)"]
    sentences = " ".join(year_findings(stubbed))
    assert "2025" in sentences and "2027" not in sentences and "2024" not in sentences


def test_a_part_year_of_whole_months_is_named_by_its_months():
    """Whole months keep the short label; the days appear only where a period starts or ends within a month."""
    class Result:  # what year_labels reads of a result: its scenario
        scenario = load_scenario("scenarios/base.yaml", ["clock.start=2024-10-04", "clock.warmup=28d",
                                                         "clock.horizon=179d"])  # measures 1 Nov 2024 to 31 Mar 2025

    assert year_labels(Result(), shortest_days=0) == {"2024": "2024 (Nov\u2013Dec)", "2025": "2025 (Jan\u2013Mar)"}


def test_a_part_year_already_below_target_is_the_year_it_is_first_missed():
    """A run from April, overloaded from the start (1,500 reports a day of 2 minutes for 2 analysts
    around the clock: 4% more work than hours): the target is missed in 2027 (Apr–Dec) already, so
    that is the year named, with its months, not the first whole year after it."""
    result = reports_run("from-april", "2027-04-01", "1005d", "1500/day")
    assert year_labels(result) == {"2027": "2027 (Apr\u2013Dec)", "2028": "2028",
                                   "2029": "2029 (1 Jan\u201330 Dec)"}  # 1005 days end as 31 Dec begins
    assert first_missed(result, "normal") == "2027"
    found = year_findings(result)
    sentences = " ".join(found)
    assert "first missed in 2027 (Apr\u2013Dec): " in sentences and "first missed in 2028" not in sentences
    # from the first year of three months or more, its months named, each year with its own interval
    assert "from 91.8% in 2027 (Apr\u2013Dec) (95% CI" in found[0]
    # all late from 2028 on: the year that level is reached, with its interval, and that it stays
    assert "to 100% by 2028 (" in found[0] and "staying there to 2029 (1 Jan\u201330 Dec)" in found[0]
    title = " ".join(by_year(result)._suptitle.get_text().split())  # as read, however it wraps
    assert "in 2027 (Apr\u2013Dec) to" in title
    assert "first missed in 2027 (Apr\u2013Dec)" in title


def test_the_pooled_times_and_a_priority_s_deadline_say_their_different_bases():
    """Half of all items within 2.7 days beside 11% of reports within 72 h reads as a contradiction
    unless each says what it counts: every stream together, then that priority's items alone."""
    s = load_scenario("scenarios/growth-high.yaml")
    assert len(s.demand) > 1 and s.sla
    sla = s.sla[0]
    per_replication = pd.DataFrame({"replication": [0, 1], "time_to_assessment_p50": [65.0, 66.0],
                                    "time_to_assessment_p90": [7000.0, 7100.0], f"sla_{sla.priority}": [0.11, 0.12]})
    title = " ".join(time_to_assessment(per_replication, s, 1)._suptitle.get_text().split())
    # after its span ("Over ..., half"): which streams it pools, each at its team (no arrivals here: no count)
    assert "alf of all items from the streams (reports and ai-generated at team analysts, images at team graders) are " \
           "assessed within" in title, title
    assert f"of {items_words(s, sla.priority)} alone, 12% meet the" in title


def test_the_days_measured_are_whole_days_in_a_sentence():
    # "Over the 1067.75 days measured" reads as false precision: 100 days or more are given to the day
    result = reports_run("odd-length", "2027-01-01", "150.75d", "50/day")
    first = headline_findings(result)[0]
    assert first.startswith("Over the 151 days measured,") and "150.75" not in " ".join(headline_findings(result))
