"""The oldest versions capsim says it runs on are the ones CI tries (``make test-floors``).

pyproject.toml gives each dependency a floor (``numpy>=1.26``), the web extra's too
(``streamlit>=1.59``); .ci/floors.txt pins each to that floor, and CI installs capsim with those pins
and runs the main job and the engine's tests on them. A floor raised or lowered in one file and not
the other would claim a version nobody tried.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def requirements() -> list[str]:
    """pyproject.toml's runtime dependencies and its web extra's (the ones make test-floors installs)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["web"]]


def floor_of(requirement: str) -> tuple[str, str | None]:
    """A requirement's name (lower case) and its ``>=`` floor; None when it only has a ceiling (``pyarrow<26``)."""
    name, specifiers = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*([<>=!,.0-9\s]*)", requirement).groups()
    floor = re.search(r">=\s*([0-9][0-9.]*)", specifiers)
    return name.lower(), floor.group(1) if floor else None


def floors() -> dict[str, str]:
    """Each requirement with a floor, name (lower case) → its ``>=`` floor."""
    return {name: floor for name, floor in map(floor_of, requirements()) if floor is not None}


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


def test_floor_of_reads_a_floor_and_a_bare_ceiling():
    assert floor_of("typer>=0.16") == ("typer", "0.16") and floor_of("dask[distributed]>=2024.1") == ("dask", "2024.1")
    assert floor_of("pyarrow<26") == ("pyarrow", None)


def test_the_web_extra_keeps_pyarrow_below_26_while_numpy_1_is_allowed():
    """pyarrow 26 needs numpy 2 at import ("pyarrow requires NumPy 2.0 or newer") but its metadata does
    not say so: for pip install 'capsim[web]' beside numpy 1.x, only the web extra's cap keeps them apart."""
    if int(floors()["numpy"].split(".")[0]) < 2:
        assert "pyarrow<26" in [r.replace(" ", "") for r in requirements()]
