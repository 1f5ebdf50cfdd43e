"""The oldest versions capsim says it runs on are the ones CI tries (``make test-floors``).

pyproject.toml gives each dependency a floor (``numpy>=1.26``); .ci/floors.txt pins each to that
floor, and CI installs capsim with those pins and runs the main job and the engine's tests on them.
A floor raised or lowered in one file and not the other would claim a version nobody tried.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def floors() -> dict[str, str]:
    """pyproject.toml's runtime dependencies, each name (lower case) → its ``>=`` floor."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    out = {}
    for requirement in project["dependencies"]:
        name, floor = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*>=\s*([0-9][0-9.]*)\s*", requirement).groups()
        out[name.lower()] = floor
    return out


def pins() -> dict[str, str]:
    """.ci/floors.txt's pins, each name (lower case) → its version."""
    out = {}
    for line in (ROOT / ".ci" / "floors.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            out[name.strip().lower()] = version.strip()
    return out


def same_version(a: str, b: str) -> bool:
    """Whether two version numbers are one ("1.26" and "1.26.0" are)."""
    def parts(v: str) -> list[int]:
        numbers = [int(x) for x in v.split(".")]
        while numbers and numbers[-1] == 0:
            numbers.pop()
        return numbers

    return parts(a) == parts(b)


def test_every_floor_is_pinned_in_the_ci_constraints_at_that_version():
    wanted, pinned = floors(), pins()
    assert set(wanted) == set(pinned), (set(wanted) ^ set(pinned))
    differ = {name: (wanted[name], pinned[name]) for name in wanted if not same_version(wanted[name], pinned[name])}
    assert not differ, f"pyproject.toml floor vs .ci/floors.txt pin: {differ}"


def test_same_version_reads_trailing_zeros_as_one_version():
    assert same_version("1.26", "1.26.0") and same_version("6.0", "6") and not same_version("1.26", "1.26.4")
