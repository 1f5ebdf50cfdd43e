"""An interval whose two ends differ never reads as one number: growth-central's report said
"£1.52 (95% CI £1.52 to £1.52) per assessed item". The ends take the fewest more decimals that
tell them apart; the mean keeps its own."""

from __future__ import annotations

import pytest

from capsim.words import MORE_DECIMALS, fmt, interval, interval_bounds


@pytest.mark.parametrize("metric, low, high, ref, expected", [
    ("cost_per_assessed", 1.5163, 1.5241, 1.52, ("£1.516", "£1.524")),
    ("cost_total", 8_498_491.2, 8_498_491.4, 8_498_491.3, ("£8,498,491.2", "£8,498,491.4")),
    ("sla_normal", 0.99961, 0.99989, 0.9997, ("99.96%", "99.99%")),
    ("wait_mean", 22.112, 22.118, 22.115, ("22.11", "22.12")),
    ("wait_mean", 21.7, 22.5, 22.1, ("21.7", "22.5")),  # apart already: as before
    ("cost_per_assessed", 1.41, 1.63, 1.52, ("£1.41", "£1.63")),
])
def test_ends_that_differ_read_apart(metric, low, high, ref, expected):
    assert interval_bounds(metric, low, high, "GBP", ref) == expected


def test_the_mean_keeps_its_decimals_beside_them():
    assert f"{fmt('cost_per_assessed', 1.52, 'GBP')} ({interval('cost_per_assessed', 1.5163, 1.5241, 'GBP', ref=1.52)})" \
        == "£1.52 (95% CI £1.516 to £1.524)"


def test_more_decimals_stop_at_their_limit():
    low, high = 1000.0, 1000.0 + 10.0 ** -(MORE_DECIMALS + 2)
    ends = interval_bounds("assessed", low, high, ref=1000.3)
    assert ends == (f"1,000.{'0' * MORE_DECIMALS}",) * 2
