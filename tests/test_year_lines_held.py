"""The year lines of a comparison write a year's levels and its interval as the team lines do, parted by
"; " within the brackets (they had ", "), and say an end held where a share would reach 100% as every
comparison line does (:func:`capsim.compare.held_difference_words`)."""

from __future__ import annotations

from capsim.charts.compare import year_difference_lines
from tests.test_compare_review19 import _years, long_run


def test_a_year_lines_interval_held_where_the_share_reaches_100_percent_says_so():
    # from 50% each year (the table's level): a rise of 50 points reaches 100%, so the interval is held there
    runs, table = _years(long_run(2 * 365), sla_normal=[(0.0066, -0.30, 0.31), (0.45, 0.40, 0.50)])
    line, = year_difference_lines(runs, table)["b"]
    assert "2026 +45 points (from 50% to 95%; 95% CI +40 to +50 points, one end held where the share reaches " \
           "100%)" in line, line
