"""The manifest: what made a run's numbers, so that anyone can make them again."""

from __future__ import annotations

import datetime as dt
import platform
import re
import sys
from importlib import metadata
from pathlib import Path

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


_WITH_PATH = re.compile(r"(?P<key>-[A-Za-z]|[^/~]*?=)?(?P<path>[/~].*)", re.DOTALL)
"""An argument that is or ends in an absolute path (``/``, ``~``): the path, and before it the key
that ends in ``=`` (the shortest that leaves a path: ``--set=a=/x`` keeps ``--set=a=``) or a
short option's letter joined to it (``-o/x``)."""


def portable(text: str) -> str:
    """``text`` (a path or a command-line argument) without the machine's folders in it.

    A bundled scenario becomes its bundled name; a path inside the current folder becomes
    relative to it; any other absolute path becomes its last part (a file's name). An
    argument ``--key=/abs/path``, ``key=/abs/path`` or a short option with its path joined
    (``-o/abs/path``) keeps its key. Nothing a run writes names the folders of the machine it ran on.
    """
    from capsim import bundled  # only when writing a manifest

    found = _WITH_PATH.fullmatch(text)
    if found is None:
        return text
    key, value = found["key"] or "", found["path"]
    path = Path(value).expanduser()
    if (name := bundled.name_of(path)) is not None:
        return key + name
    try:
        return key + str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return key + path.name


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
        "scenario_file": portable(source),
        "overrides": list(overrides),
        "scenario_sha256": scenario.digest(),
        "seed": seed,
        "replications": replications,
        "random_streams": "numpy SeedSequence(seed, spawn_key=(replication, crc32(process name))), "
        "one PCG64 stream per stochastic process",
        "workers": workers,
        "versions": versions(),
        "command": " ".join(["capsim", *(portable(arg) for arg in sys.argv[1:])]),
        "started": started.isoformat(timespec="seconds"),
        "wall_seconds": round(wall_seconds, 3),
        "scenario": scenario.source,
    }
