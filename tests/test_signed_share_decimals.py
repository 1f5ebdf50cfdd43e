"""A difference of shares is written to the precision of the shares themselves.

Trial 11: differences of shares read with up to four decimals of a point ("+0.0312 points")
beside shares given to at most two decimals (:data:`capsim.words.SHARE_DECIMALS`): false
precision for a simulation estimate with an interval.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from capsim import words


@pytest.mark.parametrize("value, text", [
    (0.0312, "+3.1"),  # one decimal of a point as a rule
    (0.000312, "+0.03"),  # as many as it needs not to read 0 ...
    (0.0000312, "+<0.01"),  # ... up to the shares' own: closer than that, how close and which way
    (-0.00004, "\u2212<0.01"),
])
def test_a_share_difference_has_no_more_decimals_than_a_share(value, text):
    assert words.signed(value, share=True) == text


def test_no_share_difference_reads_more_decimals_than_shares_do():
    for value in np.geomspace(1e-9, 0.5, 200):
        for x in (value, -value):
            digits = re.sub(r"^[+\u2212]<?", "", words.signed(x, share=True))
            assert len(digits.partition(".")[2]) <= words.SHARE_DECIMALS, (x, digits)
            assert digits != "0" and float(digits) > 0, x  # a difference that is not zero never reads 0


def test_a_tiny_spread_and_shortfall_say_how_small():
    assert words.plus_minus("sla_normal", 0.5, 0.00001) == "50.0% ± <0.01 points"
