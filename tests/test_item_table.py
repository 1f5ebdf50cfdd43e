"""The item table is sized once, referrals included, and grows geometrically if it must."""

import numpy as np
import pytest

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


def test_rows_take_scalars_keep_their_defaults_and_must_name_every_other_column():
    table = ItemTable(capacity=2)
    ids = table.append(arrival=np.array([1.0, 2.0, 3.0]), service=np.ones(3), deadline=np.inf, flags=np.zeros(3, np.uint8),
                       stream=np.zeros(3, np.int16), team=2, priority=np.zeros(3, np.int8))
    assert ids.tolist() == [0, 1, 2] and table.team[:3].tolist() == [2, 2, 2] and (table.deadline[:3] == np.inf).all()
    assert (table.start[:3] == np.inf).all() and (table.end[:3] == np.inf).all()  # not started, grown or not
    assert table.analyst[:3].tolist() == [-1] * 3 and table.parent[:3].tolist() == [-1] * 3
    with pytest.raises(ValueError, match="team"):
        table.append(arrival=np.ones(1), service=np.ones(1), deadline=np.inf, flags=np.zeros(1, np.uint8),
                     stream=np.zeros(1, np.int16), priority=np.zeros(1, np.int8))


def test_rows_dropped_after_the_horizon_are_free_again():
    table = ItemTable(capacity=8)
    columns = dict(service=np.ones(2), deadline=np.inf, flags=np.zeros(2, np.uint8), stream=np.zeros(2, np.int16),
                   team=0, priority=np.zeros(2, np.int8))
    table.append(arrival=np.array([0.0, 1.0]), **columns)
    waiting = table.waiting_rows()
    table.append(arrival=np.array([5.0, 6.0]), parent=np.array([0, 1]), **columns)  # referred in the run-out
    table.start[:4], table.end[:4], table.analyst[:4] = 1.0, 2.0, 0
    table.close_at_horizon(2, waiting, np.zeros(0, np.int64), np.zeros(0), 1.0, 3.0, True)
    ids = table.append(arrival=np.array([7.0, 8.0]), **columns)
    assert ids.tolist() == [2, 3] and table.parent[2:4].tolist() == [-1, -1] and (table.start[2:4] == np.inf).all()


def test_a_long_batch_of_finished_items_does_not_regrow_the_table():
    # An overloaded team works its backlog off in the run-out, whose steps double (1, 2, 4, ...
    # days): each step finishes tens of thousands of items at once, of which few are referred.
    # Room for all of them as possible referrals would outgrow the table near its end and copy
    # every column; their referrals are counted first then (kernel.referred_count).
    scenario = load_scenario(bundled("base"), ["clock.horizon=120d", "workforce.analysts.headcount=6"])
    simulation = Simulation(scenario, seed=1)
    capacity = len(simulation.items.arrival)
    rep = simulation.run()
    assert rep.runout.stopped - rep.horizon > 30 * 86400  # a long run-out
    assert len(simulation.items.arrival) == capacity
