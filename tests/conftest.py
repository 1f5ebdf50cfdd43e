"""Shared helpers: scenario builders for the theory tests and a conservation check on every run."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from capsim import experiment
from capsim.engine import simulate_replication
from capsim.records import Replication
from capsim.scenario import Scenario, load_scenario

# pytest-xdist's workers inherit COLUMNS=80, which capsim honours for piped output (as a user's COLUMNS
# should be): the tests set every width they need themselves, so each sees what a plain pipe gets.
os.environ.pop("COLUMNS", None)


def mmc(servers: int, mean_service: float, rho: float, *, days: float = 10, warmup_days: float = 1,
        dist: str = "exponential", **extra) -> dict:
    """A stationary M/M/c (or M/G/c) scenario: Poisson arrivals at utilisation ``rho``, 24/7 roster, no caps."""
    rate = rho * servers / mean_service
    review = {"dist": dist, "mean": f"{mean_service}s"}
    stream = {"stream": "items", "unit": "image", "rate": f"{rate!r}/s", "priority": "normal"}
    stream.update(extra.pop("stream", {}))
    scenario = {
        "name": f"mmc-{servers}-{rho}",
        "clock": {"horizon": f"{days}d", "warmup": f"{warmup_days}d", "step": "1h"},
        "demand": [stream],
        "review": {"image": review},
        "workforce": [{"team": "analysts", "headcount": servers, "roster": "24/7"}],
    }
    scenario.update(extra)
    return scenario


def staffed_files(folder: Path, headcounts: tuple[int, ...]) -> list[str]:
    """Scenario files ``staff-<n>.yaml`` in ``folder``: the same two weeks of M/M/3 work at twice three
    analysts' capacity (:func:`mmc`), each staffed with ``n`` analysts: scenarios to compare."""
    import yaml

    paths = []
    for n in headcounts:
        path = folder / f"staff-{n}.yaml"
        raw = mmc(3, 3600, 2.0, days=14)
        raw["name"], raw["workforce"][0]["headcount"] = f"staff-{n}", n
        path.write_text(yaml.safe_dump(raw), encoding="utf-8")
        paths.append(str(path))
    return paths


def conserved(rep: Replication) -> None:
    """Nothing is lost: every reviewed row is assessed, expired or waiting, and counts add up."""
    items = rep.items
    assessed = items.started
    expired = items.expired_by(rep.horizon)
    waiting = ~assessed & ~expired
    assert not (assessed & expired).any()
    assert int(assessed.sum() + expired.sum() + waiting.sum()) == len(items)
    assert int(rep.arrived_per_cell.sum()) == int(items.direct.sum()) + int(rep.cleared_per_cell.sum())
    referred = ~items.direct
    assert np.all(items.arrival[referred] == items.end[items.parent[referred]])  # a referral arrives as its parent ends
    assert np.all(items.start[assessed] >= items.arrival[assessed])
    assert np.all(items.start[assessed] < items.deadline[assessed])
    assert np.all(items.start[assessed] < rep.horizon)


@pytest.fixture(autouse=True)
def check_conservation(monkeypatch):
    """Wrap the engine so that every replication any test runs is checked for conservation."""
    original = experiment.simulate_replication

    def checked(scenario: Scenario, seed: int, replication: int = 0) -> Replication:
        rep = original(scenario, seed, replication)
        conserved(rep)
        return rep

    monkeypatch.setattr(experiment, "simulate_replication", checked)
    yield


def replicate(raw: dict, replications: int, seed: int = 1) -> list[Replication]:
    """Run replications of a scenario mapping directly, each checked for conservation."""
    scenario = load_scenario(raw)
    reps = [simulate_replication(scenario, seed, r) for r in range(replications)]
    for rep in reps:
        conserved(rep)
    return reps


def built_once(tmp_path_factory, worker_id: str, name: str, build: Callable[[Path], None]) -> Path:
    """A folder that ``build`` fills once per test run, shared by every pytest-xdist worker: the
    first worker to ask builds it under a file lock while the others wait, then all read it.
    For slow session fixtures (a wheel installed in a fresh environment, a rendered brief) that
    tests only read; a test that writes needs a folder of its own beside it."""
    if worker_id == "master":  # not under xdist: an ordinary temporary folder
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    run_root = tmp_path_factory.getbasetemp().parent  # this run's folder, above each worker's own
    folder = run_root / name
    with open(run_root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed in another worker
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder
