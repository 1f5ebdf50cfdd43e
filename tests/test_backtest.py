"""Back-tests of the growth fits: fit without the last year(s), predict them with a prediction interval."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from typer.testing import CliRunner

from capsim import growth_fit
from capsim.cli import app

LONG_SERIES = [name for name, points in growth_fit.known_series().items() if len(points) >= 3]
"""Every published series with at least 3 points (the two IWF report series, 11 points each)."""


def test_prediction_interval_is_the_ols_one_on_log_values():
    years, values = [2018, 2019, 2020, 2021, 2022], [100.0, 130.0, 185.0, 220.0, 300.0]
    fit = growth_fit.fit_exponential(years, values)
    x = np.column_stack([np.ones(5), years])
    beta, res, *_ = np.linalg.lstsq(x, np.log(values), rcond=None)
    s2 = res[0] / 3
    x0 = np.array([1.0, 2024.0])
    se = math.sqrt(s2 * (1 + x0 @ np.linalg.inv(x.T @ x) @ x0))
    centre = x0 @ beta
    t = stats.t.ppf(0.975, 3)
    predicted, low, high = growth_fit.prediction_interval(fit, 2024)
    assert (math.log(predicted), math.log(low), math.log(high)) == pytest.approx(
        (centre, centre - t * se, centre + t * se), rel=1e-9)


@pytest.mark.parametrize("name", LONG_SERIES)
@pytest.mark.parametrize("hold_out", [1, 2])
def test_backtest_every_series_with_three_points_or_more(name, hold_out):
    points = growth_fit.series_points(name)
    test = growth_fit.backtest_series(name, hold_out)
    assert test.fit.years == tuple(float(y) for y, _ in points[:-hold_out])
    assert [row[0] for row in test.rows] == [float(y) for y, _ in points[-hold_out:]]
    for year, value, predicted, low, high, inside in test.rows:
        assert low < predicted < high and inside == (low <= value <= high)
    # What the back-tests found (pinned so that a change is seen): exponential fits to both IWF report
    # series overpredict the held-out years by 34-48% - growth has slowed - yet the wide intervals hold
    # every held-out year but 2024 of reports assessed when two years are held out.
    assert all(value < predicted for _, value, predicted, *_ in test.rows)
    expected_misses = 1 if (name, hold_out) == ("iwf-reports-assessed", 2) else 0
    assert len(test.rows) - test.hits == expected_misses


def test_backtest_refuses_a_series_too_short_and_the_cli_says_why():
    with pytest.raises(growth_fit.SeriesTooShortError, match="needs at least 4"):
        growth_fit.backtest_series("iwf-ai-reports")
    runner = CliRunner()
    short = runner.invoke(app, ["calibrate", "backtest", "iwf-ai-reports"])
    assert short.exit_code == 2 and "has 2 points" in short.output
    done = runner.invoke(app, ["calibrate", "backtest", "iwf-reports-assessed", "--hold-out", "2"])
    assert done.exit_code == 0 and "2024: published 424,047" in done.output and "OUTSIDE" in done.output
