"""Numbers as a reader sees them (capsim.words): the edge cases where a careless format misleads."""

from __future__ import annotations

import re

import numpy as np
import pytest

from capsim import charts, words

SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")
MAGNITUDES = [0.0, 1e-12, 3.3e-7, 0.00042, 0.031, 0.5, 0.9995, 1.0, 7.25, 99.96, 123.4, 5_678.9, 98_765.4, 1.234e6,
              4.5e9, 1e12, 7.7e15]


def test_a_share_just_short_of_all_keeps_its_decimals():
    assert words.percent(0.9995, 1) == "99.95%"
    assert words.fmt("sla_normal", 0.9995) == "99.95%"
    assert words.value_text("sla_normal", 0.9995) == "99.95%"
    assert words.percent(0.937) == "94%"
    assert words.percent(1.0) == "100%"  # all of them: exactly 100%
    assert words.percent(0.0004) == "0.04%"  # some, however few, never reads 0%


def test_shares_closer_to_0_or_1_than_two_decimals_say_so():
    """A share is an estimate with an interval: never more than two decimals (99.9999% is false
    precision), and one that rounds to 0% or 100% without being so says how close it is."""
    assert words.percent(1e-9) == "under 0.01%"
    assert words.percent(0.00004) == "under 0.01%"
    assert words.percent(0.99999999) == "over 99.99%"
    assert words.percent(0.999999, 1) == "over 99.99%"
    assert words.percent(0.99994) == "99.99%"
    assert words.fmt("sla_normal", 0.99996) == "over 99.99%"
    # an interval's bound below 100% never reads 100%, nor with more decimals than its estimate
    assert words.interval("sla_normal", 0.9998, 0.999999) == "95% CI 99.98% to over 99.99%"


@pytest.mark.parametrize("value", [-1e-9, -0.00001, -0.0004])
def test_no_number_reads_minus_zero(value):
    texts = [words.percent(value), words.percent(value, 1), words.fmt("sla_normal", value), words.count_words(value),
             words.signed(value, share=True), words.signed(value * 1e-6)]
    for text in texts:
        assert not re.match(r"^[-\u2212]0(\.0*)?(%| points)?$", text), (value, text)


def test_differences_carry_a_true_minus():
    assert words.signed(-3.14159) == "\u22123.14"


def test_counts_tiny_and_huge():
    assert words.count_words(47.4) == "47"
    assert words.count_words(2_149) == "2,100"
    assert words.count_words(1.234e6) == "1.2 million"
    assert words.count_words(4.5e9) == "4.5 billion"
    assert words.count_words(1e12) == "1,000 billion"
    assert words.count_words(float("nan")) == "n/a"


def test_durations_tiny_and_huge():
    assert words.hours_words(1e-5) == "under 1 min"
    assert words.hours_words(0.5) == "30 min"
    assert words.hours_words(26) == "26 h"
    assert words.hours_words(3000) == "125 days"
    assert words.duration_text(72 * 3600) == "72 h"
    assert words.duration_text(30 * 86400) == "30 d"
    assert words.duration_text(1800) == "30 min"
    assert words.seconds_text(28.4) == "28.4 s"
    assert words.seconds_text(90 * 60) == "90 min"


@pytest.mark.parametrize("x", MAGNITUDES + [-x for x in MAGNITUDES[1:]])
def test_never_scientific_notation(x):
    texts = [words.count_words(x), words.hours_words(abs(x)), words.percent(x), words.percent(x, 1),
             words.seconds_text(abs(x)), words.duration_text(abs(x)), words.plain_number(x) if x else "0",
             words.signed(x), words.signed(x, share=True), words.money("GBP", x)]
    texts += [words.value_text(m, x) for m in ("assessed", "wait_mean", "sla_normal", "analyst_hours", "cost_total")]
    texts += [words.fmt(m, x) for m in ("assessed", "wait_mean", "sla_normal", "cost_total")]
    for text in texts:
        assert not SCIENTIFIC.search(text), (x, text)


@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e7, 1e13])
def test_chart_titles_never_use_scientific_notation(scale):
    hours = np.arange(0, 400 * 24, 24.0)
    rising = np.linspace(1.0, 3.0, len(hours)) * scale
    assert not SCIENTIFIC.search(charts._backlog_finding(rising, hours, None))
    assert not SCIENTIFIC.search(charts._backlog_finding(rising[::-1], hours, "analysts"))


def test_money():
    assert words.money("GBP", 93_000) == "GBP 93,000"
    assert words.money("GBP", 1.234e6) == "GBP 1.2 million"
    assert words.fmt("cost_total", 1_234_567.8) == "£1,234,568"
    assert words.fmt("cost_per_assessed", 1.5, "EUR") == "€1.50"
    assert words.fmt("cost_per_assessed", 12.345, "NOK") == "12.35 NOK"  # no symbol: the code after


def test_small_means_of_counts_keep_their_digits():
    """A mean of 1.29 items per replication read "1" with an interval "1 to 1"; a count that
    is whole stays whole, and from 100 up every count is whole."""
    assert words.fmt("backlog_end_victim_id", 1.29) == "1.29"
    assert words.interval("backlog_end_victim_id", 0.814, 1.77, ref=1.29) == "95% CI 0.81 to 1.77"
    assert words.fmt("victim_id_hours_on_synthetic", 0.0417) == "0.0417"
    assert words.fmt("backlog_end_victim_id", 2.0) == "2"
    assert words.interval("backlog_end_victim_id", 0.0, 8.57, ref=2.0) == "95% CI 0 to 9, lower end held at 0"
    assert words.fmt("assessed", 1_307_807.3) == "1,307,807"
    assert words.fmt("waiting", 123.4) == "123"


def test_intervals_are_clipped_to_the_metric_range():
    assert words.interval("sla_normal", 0.95, 1.02) == "95% CI 95.0% to 100%, upper end held at the 100% maximum"
    assert words.interval("wait_mean", -0.2, 3.456) == "95% CI 0 to 3.46, lower end held at 0"
    assert words.interval("wait_mean", 2.0, 2.0) == "the same in every replication"
    assert words.interval("wait_mean", float("nan"), float("nan")) == "one replication: no interval"


def test_the_two_counts_of_items_waiting_say_how_they_differ():
    """``waiting`` (the streams' items arriving after the warm-up) and ``backlog_end`` (every
    team's queue, warm-up arrivals and referrals too) differ by a few items in a run's table: their
    labels must say why, not read as the same thing with two numbers."""
    from capsim.words import metric_label

    waiting, backlog = metric_label("waiting"), metric_label("backlog_end")
    assert "after the warm-up" in waiting and "all teams" in backlog
    assert waiting.lower() != backlog.lower()


@pytest.mark.parametrize("share, target, digits, text", [
    (0.899, 0.9, 0, "89.9%"),  # trial 12: "90% against a target of 90%" for a missed target
    (0.8999, 0.9, 0, "89.99%"),
    (0.89999, 0.9, 0, "just under 90%"),  # closer than a share is given to
    (0.9, 0.9, 0, "90%"),  # met, exactly
    (0.9049, 0.9045, 0, "90.5%"),  # met: 90% would read as missed
    (0.61, 0.9, 0, "61%"),
    (0.999, 0.99, 1, "99.9%"),
])
def test_a_share_beside_its_target_is_never_on_the_wrong_side_of_it(share, target, digits, text):
    assert words.percent_against(share, target, digits) == text
