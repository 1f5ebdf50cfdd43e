"""A team's queues: each has its own room, and a backlog held for long is not moved at every batch."""

from __future__ import annotations

import numpy as np

from capsim.engine import QUEUE_ROOM, Simulation
from capsim.scenario import load_scenario
from tests.conftest import mmc


def a_team():
    """The one team of a small M/M/c scenario (two priorities: two queues), before it runs."""
    return Simulation(load_scenario(mmc(2, 60, 0.5, days=2, priorities=["urgent", "normal"])), seed=1).teams[0]


def waiting(team, q: int) -> list[int]:
    """The ids waiting in queue ``q``, in order."""
    base = int(team.qbase[q])
    return team.queue[base + team.qhead[q]:base + team.qtail[q]].tolist()


def test_a_backlog_held_just_short_of_the_room_is_moved_rarely_and_kept_in_order():
    # 1,000 ids wait, then 200 batches each add 100 and serve 100: the backlog stays at 1,000,
    # close to the first room (1,024). Dropping the served prefix whenever that made any room
    # moved the whole backlog at every batch (200 moves, 200,000 ids copied for 20,000 added).
    team = a_team()
    team.enqueue(1, np.arange(1000))
    moves, nxt = 0, 1000
    for _ in range(200):
        before = int(team.qhead[1])
        team.enqueue(1, np.arange(nxt, nxt + 100))
        nxt += 100
        moves += int(team.qhead[1]) < before  # the queue was moved to the start of its room
        team.qhead[1] += 100  # served
    assert waiting(team, 1) == list(range(nxt - 1000, nxt))
    # each move now frees at least a quarter of the room, so moves stay well below one per batch
    assert moves <= 200 // 4
    assert waiting(team, 0) == []


def test_one_queue_growing_leaves_the_others_their_own_room_and_ids():
    team = a_team()
    team.enqueue(0, np.array([7, 8, 9]))
    team.enqueue(1, np.arange(5 * QUEUE_ROOM))  # grows only queue 1's room
    team.qhead[0] += 1
    assert waiting(team, 0) == [8, 9] and waiting(team, 1) == list(range(5 * QUEUE_ROOM))
    assert team.qroom[0] == QUEUE_ROOM and team.qroom[1] >= 5 * QUEUE_ROOM
    assert len(team.queue) == team.qroom.sum()  # not a room of the largest size for every queue
