"""The manifest: what made a run's numbers, so that anyone can make them again."""

from __future__ import annotations

import datetime as dt
import platform
import sys
from importlib import metadata

from capsim.scenario import Scenario
from capsim.version import version

LIBRARIES = ("simpy", "numpy", "numba", "scipy", "pandas", "matplotlib", "pydantic", "typer", "PyYAML")


def versions() -> dict[str, str]:
    """Versions of Python, capsim and the libraries that shape its results."""
    found = {"python": platform.python_version(), "capsim": version()}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def manifest(
    scenario: Scenario,
    *,
    seed: int,
    replications: int,
    workers: int,
    started: dt.datetime,
    wall_seconds: float,
    source: str,
    overrides: list[str],
) -> dict:
    """The manifest of one run, as a JSON-ready mapping."""
    return {
        "scenario_name": scenario.name,
        "scenario_title": scenario.title,
        "scenario_file": source,
        "overrides": list(overrides),
        "scenario_sha256": scenario.digest(),
        "seed": seed,
        "replications": replications,
        "random_streams": "numpy SeedSequence(seed, spawn_key=(replication, crc32(process name))), "
        "one PCG64 stream per stochastic process",
        "workers": workers,
        "versions": versions(),
        "command": " ".join(sys.argv),
        "started": started.isoformat(timespec="seconds"),
        "wall_seconds": round(wall_seconds, 3),
        "scenario": scenario.source,
    }
