"""A result the same in every run has no input share, and the design's smallest sizes are explained.

A user trial saw `capsim uncertainty growth-central --parameter-sets 12 -r 2` give the whole run's
cost (the same £8,498,491 in every run: the staff are fixed) "100%" of its spread to the inputs,
with "too few parameter sets to tell it from Monte Carlo noise": the grand mean of equal values
rounds to a last bit off, so the variances were ~1e-20 instead of 0.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from capsim.uncertainty import two_level
from tests.test_cli import real


@pytest.mark.parametrize("value", [8498490.99854775, 2054482.8363439715, 734723.6289740637])
@pytest.mark.parametrize("replications", [2, 3, 5])
def test_the_same_value_in_every_run_has_no_input_share(value: float, replications: int):
    summary = two_level(np.full((12, replications), value))
    assert math.isnan(summary["input_share"])
    assert summary["input_low"] == pytest.approx(value, rel=1e-15) and summary["mean"] == pytest.approx(value, rel=1e-15)


def test_a_spread_as_small_as_a_penny_still_counts():
    """Only the exact same value is "no spread": a real difference, however small, keeps its share."""
    y = np.full((12, 2), 8498490.99854775)
    y[:6] += 0.01  # half the sets a penny dearer, every replication alike: all of it the inputs'
    assert two_level(y)["input_share"] == pytest.approx(1.0)


@pytest.mark.parametrize("args", [["-n", "4", "-r", "1"], ["-n", "1", "-r", "2"]])
def test_too_small_a_design_says_why(tmp_path, args):
    result = real("uncertainty", "growth-central", *args, "--out", tmp_path / "u")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "both must be at least 2 (the input interval needs several sets; the run-to-run interval, several " \
           "replications)" in result.stderr
    assert not (tmp_path / "u").exists()
