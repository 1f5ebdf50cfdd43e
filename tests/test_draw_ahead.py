"""Arrivals drawn ahead (many days in one call) are, bit for bit, those drawn day by day.

The engine draws the streams whose draws do not depend on the run's state four weeks at a
time (:data:`capsim.engine.DRAW_AHEAD_SECONDS`); every generator must then be drawn in the
same order as by one call a day, or every result of a seed would change.
"""

from __future__ import annotations

import numpy as np
import pytest

from capsim.demand import STAGES, StreamSource
from capsim.engine import BATCH_SECONDS, process_rng, simulate_replication
from capsim.scenario import load_scenario
from capsim.units import SECONDS_PER_DAY
from tests.test_engine_steps import numpy_screening

COLUMNS = ("arrival", "flags", "service", "deadline", "stream", "priority")


def scenario(**tooling) -> dict:
    """One stream with everything that draws per day or per item: hash matching (per-day
    binomials, a per-day known share), a backlog and a burst (lumps), an exponential ttl,
    clustering, an empirical review time (bounded integers), a detector and a classifier."""
    return {
        "name": "ahead",
        "clock": {"horizon": "9d", "step": "1h"},
        "priorities": ["urgent", "normal"],
        "demand": [{"stream": "images", "unit": "image", "rate": "2000/day", "priority": "normal",
                    "initial_backlog": 500, "bursts": [{"at": "3d", "items": 700}],
                    "ttl": {"dist": "exponential", "mean": "2d"}, "cluster_size": 3.0,
                    "mix": {"known": 0.4, "ai_generated": 0.3, "criminal": 0.5, "realistic": 0.5}}],
        "review": {"image": {"dist": "empirical", "values": ["10s", "20s", "45s"]}},
        "workforce": [{"team": "analysts", "headcount": 3, "roster": "24/7"}],
        "tooling": {"hash_matching": {"enabled": True}, "clustering": {"enabled": True}, **tooling},
    }


def source(raw: dict) -> StreamSource:
    s = load_scenario(raw)
    return StreamSource(s, 0, {stage: process_rng(5, 0, f"{stage}:images") for stage in STAGES})


@pytest.mark.parametrize("tooling", [{}, {"synthetic_detector": {"enabled": True, "tpr": 0.75, "fpr": 0.25},
                                          "classifier": {"enabled": True, "recall": 0.9, "fpr": 0.1,
                                                         "positive_priority": "urgent", "negative_priority": "normal"}}])
def test_drawing_ahead_gives_the_day_by_day_draws(tooling):
    raw = scenario(**tooling)
    daily, ahead = source(raw), source(raw)
    horizon = 9 * SECONDS_PER_DAY
    days = [daily.draw(t, min(t + BATCH_SECONDS, horizon)) for t in np.arange(0, horizon, BATCH_SECONDS)]
    # two calls ahead: a first of four days, then the rest (as the engine's four-week chunks)
    drawn = [ahead.draw(0, 4 * SECONDS_PER_DAY, 0.0, BATCH_SECONDS), ahead.draw(4 * SECONDS_PER_DAY, horizon, 0.0,
                                                                                 BATCH_SECONDS)]
    for name in COLUMNS:
        assert np.array_equal(np.concatenate([getattr(d, name) for d in days]),
                              np.concatenate([getattr(d, name) for d in drawn])), name
    assert list(np.concatenate([d.sizes for d in drawn])) == [len(d) for d in days]
    assert np.array_equal(daily.arrived_per_cell, ahead.arrived_per_cell)
    assert np.array_equal(daily.cleared_per_cell, ahead.cleared_per_cell)
    assert (daily.arrived_total, daily.cleared_total) == (ahead.arrived_total, ahead.cleared_total)


def test_a_stream_whose_copies_match_a_learning_hash_list_is_drawn_day_by_day():
    raw = scenario()
    raw["demand"][0]["recirculation"] = 0.2
    assert not source(raw).stateless  # its draws depend on what the list has learnt by each day
    assert source(scenario()).stateless
    rep = simulate_replication(load_scenario(raw), 5, 0)  # runs the day-by-day path
    assert len(rep.items) > 0


def test_hash_matching_screens_each_days_cells_then_its_lumps():
    # As before the screening was compiled: per day, numpy's binomials on the day's hourly counts
    # followed by its lumps' (the backlog at 0 on day 0, the burst at 3d on day 3), in one call.
    src = source(scenario())
    src.draw(0, 4 * SECONDS_PER_DAY, 0.0, BATCH_SECONDS)
    flow = process_rng(5, 0, "arrivals:images").poisson(src.means[:96])
    counts = np.concatenate([flow[:24], [500], flow[24:96], [700]])
    bounds = np.array([0, 25, 49, 73, 98])
    reviewed, _ = numpy_screening(process_rng(5, 0, "clearing:images"), counts, bounds, src.stream.mix.known,
                                  src.match_rate, 0.0, 0.0, src.spot_check)
    cleared = flow - np.delete(reviewed, [24, 97])
    cleared[0] += 500 - reviewed[24]
    cleared[72] += 700 - reviewed[97]
    assert np.array_equal(src.cleared_per_cell[:96], cleared) and cleared[72] > 0

