"""The item table is sized once, referrals included, and grows geometrically if it must."""

import numpy as np

from capsim.bundled import path as bundled
from capsim.demand import expected_reviewed
from capsim.engine import Simulation
from capsim.records import ItemTable
from capsim.scenario import load_scenario


def test_table_sized_for_streams_and_referrals():
    # Every triaged referral concerns a criminal item, so with share 1 every item triaged is
    # referred on: the table holds about twice the streams' items. The old sizing (streams
    # only) had to regrow it, copying every column.
    scenario = load_scenario(bundled("police-unit"), ["routing.0.share=1.0", "clock.horizon=60d"])
    simulation = Simulation(scenario, seed=1)
    capacity = len(simulation.items.arrival)
    assert capacity == expected_reviewed(scenario)
    simulation.run()
    assert len(simulation.items.arrival) == capacity  # never regrown, run-out referrals included


def test_table_grows_geometrically_and_keeps_rows():
    table = ItemTable(capacity=4)
    for k in range(5):
        n = 3 * (k + 1)
        table.append(arrival=np.arange(n, dtype=float), service=np.ones(n), deadline=np.full(n, np.inf),
                     flags=np.zeros(n, np.uint8), stream=np.zeros(n, np.int16), team=np.zeros(n, np.int16),
                     priority=np.zeros(n, np.int8))
    assert len(table) == 45
    assert len(table.arrival) < 2 * 45  # doubled as needed, not per append
    assert np.array_equal(table.arrival[:3], [0.0, 1.0, 2.0])
    assert np.array_equal(table.arrival[30:45], np.arange(15.0))
