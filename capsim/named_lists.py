"""How a scenario file names the elements of its lists: a stream, a team, an SLA by priority.

Used by the scenario loader (``extends:`` merging, ``--set`` paths) and by the modules that
walk a scenario's raw YAML tree, so that none of them needs the whole schema to do it.
"""

from __future__ import annotations

from typing import Any

NAME_KEYS = ("stream", "team", "priority")
"""Keys that name an element of a list (a stream, a team, an SLA)."""


def element_name(element: Any) -> Any:
    """The name of a list element (its ``stream``, ``team`` or ``priority``), or None."""
    return next((element[k] for k in NAME_KEYS if isinstance(element, dict) and element.get(k) is not None), None)
