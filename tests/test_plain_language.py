"""Plain language: numbers a journalist cannot show to be misleading, items called what they
are, and citations a reader can follow."""

from __future__ import annotations

import pytest

from capsim.scenario import load_scenario
from capsim.words import fmt, hours_words, items_words, metric_label, percent, seconds_text, signed


@pytest.mark.parametrize("share, text", [(0.9995, "99.95%"), (0.99951, "99.95%"), (0.0004, "0.04%"),
                                         (1.0, "100%"), (0.0, "0%"), (0.937, "94%")])
def test_a_share_between_0_and_1_never_reads_0_or_100(share, text):
    assert percent(share) == text


@pytest.mark.parametrize("share, text", [(0.99951, "99.95%"), (0.9996, "99.96%"), (0.951, "95.1%"), (1.0, "100%")])
def test_findings_keep_99_95_as_99_95(share, text):
    assert fmt("sla_normal", share) == text


@pytest.mark.parametrize("value, share, text", [
    (-0.00001, True, "\u2212<0.01"),  # a tiny drop in points is said to be one, to the shares' precision
    (-0.0, True, "0"),
    (0.0, False, "0"),
    (0.3, False, "+0.3"),
    (0.3, False, "+0.3"),
    (-1234.4, False, "\u22121,234"),
    (0.02, True, "+2.0"),
])
def test_differences_never_read_minus_zero_or_plus_zero(value, share, text):
    assert signed(value, share) == text


def test_a_rounded_zero_against_a_large_reference_keeps_its_digits():
    assert signed(0.3, ref=150) == "+0.3"
    assert "0 (" not in f"{signed(0.0)} ({signed(0.0)} to {signed(0.0)})".replace("0 (0", "")


@pytest.mark.parametrize("hours", [130 * 24, 2400 * 24, 99.5 * 24, 0.2, 30.0])
def test_durations_are_never_in_scientific_notation(hours):
    assert "e+" not in hours_words(hours) and "e-" not in hours_words(hours)


def test_times_per_item_are_never_in_scientific_notation():
    assert seconds_text(3600 * 1234) == "1,230 h"


def test_items_are_called_what_they_are():
    base = load_scenario("scenarios/base.yaml")
    assert items_words(base, "normal") == "reports"
    assert metric_label("sla_normal", base) == "Share of reports assessed within 72 h"
    classifier = load_scenario("scenarios/tooling-classifier.yaml")
    assert items_words(classifier, "normal") == "items the classifier did not flag"
    assert metric_label("sla_normal_original", classifier) == "Share of reports within 72 h (own priority)"
    police = load_scenario("scenarios/police-unit.yaml")
    assert items_words(police, "high") == "high-priority referrals"
    assert items_words(police, "normal") == "normal-priority reports"
    # only referrals are high: the whole run's sla_high counts the streams' items (none), a team's its referrals
    assert metric_label("sla_high", police) == ("Share of high-priority items from the streams assessed within 14 d "
                                                "(none: only referrals have this priority; each team's share counts them)")
    assert metric_label("sla_high_investigation", police) == ("Share of high-priority referrals assessed within 14 d "
                                                              "(investigation)")
    assert metric_label("sla_normal_triage", police) == "Share of normal-priority reports assessed within 72 h (triage)"


def test_citations_are_readable_and_primary_sources_come_first():
    from capsim.sources import citations

    cited = citations(["iwf_reports_assessed_2024", "caid_victim_review_time", "iwf_hotline_analysts_2023",
                       "iwf_hotline_analysts_2023"])
    assert len(cited) == 3  # one line per publication
    assert cited[0].startswith("IWF, ") and "https://www.iwf.org.uk/" in cited[0]
    assert "iwf_reports_assessed_2024" not in " ".join(cited)
    assert "secondary" in cited[-1]  # a press report of a Home Office announcement comes last, marked


def test_sla_against_headcount_claims_only_the_headcounts_it_ran():
    """Headcounts 1 and 3 run, 2 not: no line across the gap, and no "at least 3"."""
    import pandas as pd

    from capsim.charts import sla_vs_headcount

    scenario = load_scenario("scenarios/base.yaml")
    sweep = pd.DataFrame({"headcount": [11, 13], "team": "analysts", "metric": "sla_normal", "mean": [0.8, 0.95],
                          "ci_low": [0.75, 0.93], "ci_high": [0.85, 0.97], "seed": 1, "replications": 3})
    fig = sla_vs_headcount(sweep, scenario)
    title = fig._suptitle.get_text()
    assert "At least" not in title and "12 was not run" in title.replace("\n", " ")
    joined = [line for ax in fig.axes for line in ax.get_lines() if len(line.get_xdata()) > 1
              and line.get_linestyle() == "-"]
    assert not joined  # no line drawn between 11 and 13
