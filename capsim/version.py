"""capsim's version: one place, read from the installed package's metadata.

The number itself is written once, in ``pyproject.toml``; everything that shows it (``capsim
--version``, run manifests, report and chart footers, sweep task files) calls :func:`version`.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata

NOT_INSTALLED = "0+unknown"
"""Shown when capsim runs from a folder without being installed, so no metadata says its version."""


@cache
def version() -> str:
    """The installed capsim's version, e.g. ``"0.1.0"``."""
    try:
        return metadata.version("capsim")
    except metadata.PackageNotFoundError:
        return NOT_INSTALLED
