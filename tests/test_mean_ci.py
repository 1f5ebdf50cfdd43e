"""capsim.results.mean_ci: the Student-t interval, and values all the same read as exactly that value."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from capsim.results import mean_ci
from capsim.words import interval


def test_the_interval_is_student_t_of_the_values():
    values = np.array([3.0, 5.0, 4.0, 8.0, np.nan])
    finite = values[~np.isnan(values)]
    low, high = stats.t.interval(0.95, len(finite) - 1, loc=finite.mean(), scale=stats.sem(finite))
    assert mean_ci(values) == pytest.approx((finite.mean(), low, high), rel=1e-12)
    assert mean_ci(values, bounds=(4.0, 6.0))[1:] == (4.0, 6.0)  # clipped to what the quantity can take


@pytest.mark.parametrize("value", [2054483.09706, 0.1, 2054483.0 + 0.1 * np.pi])
def test_values_all_the_same_are_that_value_exactly(value):
    """The numbers audit: a year's cost fixed by the scenario read "£2,054,483 (£2,054,483 to
    £2,054,483)": three equal values have a float mean and spread off in their last bits (for these
    values, np.mean of three copies is not the value), so it was not "the same in every replication"."""
    copies = np.full(3, value)
    assert copies.mean() != value  # the case: the float mean alone would not give it back
    assert mean_ci(copies) == (value, value, value)
    assert interval("cost_total", *mean_ci(copies)[1:]) == "the same in every replication"
    assert mean_ci(copies, bounds=(0.0, 0.05)) == (0.05, 0.05, 0.05)
