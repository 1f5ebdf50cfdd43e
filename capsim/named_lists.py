"""How a scenario file names the elements of its lists: a stream, a team, an SLA by priority.

Used by the scenario loader (``extends:`` merging, ``--set`` paths, the keys its messages
name) and by the modules that walk a scenario's raw YAML tree, so that none of them needs the
whole schema to do it. A routing rule has no name (:data:`COUNTED_LISTS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

NAME_KEYS = ("stream", "team", "priority")
"""Keys that name an element of a list (a stream, a team, an SLA)."""


def name_key(element: Any) -> str | None:
    """The key that names a list element (``stream``, ``team`` or ``priority``), or None."""
    return next((k for k in NAME_KEYS if isinstance(element, dict) and element.get(k) is not None), None)


def element_name(element: Any) -> Any:
    """The name of a list element (its ``stream``, ``team`` or ``priority``), or None."""
    key = name_key(element)
    return None if key is None else element[key]


def element_index(node: list, part: str) -> int | None:
    """Index of the list element ``part`` names: by position (``0``) or by name (``analysts``)."""
    if part.isdigit():
        return int(part) if int(part) < len(node) else None
    return next((i for i, e in enumerate(node) if element_name(e) == part), None)


COUNTED_LISTS = ("routing",)
"""Lists whose elements a key gives by position: a routing rule's ``priority`` is what it does, not its name."""


def counted(where: str) -> bool:
    """Whether the list at dotted key ``where`` is one of :data:`COUNTED_LISTS`: its elements are
    counted, not named (``routing.4``), and ``extends:`` replaces it whole."""
    return where.rpartition(".")[2] in COUNTED_LISTS


def key_part(node: list, index: int, where: str) -> str:
    """A list element's part of a dotted key, in the list at key ``where``: its name
    (``analysts``) where that name is its alone, printable, and read back by ``--set`` as this
    element (no dots, not a number), else its index (``0``). A routing rule is always counted
    (``routing.4``): its ``priority`` is what it does, and several rules may share one."""
    name = element_name(node[index]) if not counted(where) else None
    alone = [element_name(e) for e in node].count(name) == 1
    if (isinstance(name, str) and name and name.isprintable() and "." not in name and alone
            and element_index(node, name) == index):
        return name
    return str(index)


def dotted_key(tree: Any, parts: Sequence[Any]) -> str:
    """The key ``parts`` (mapping keys, list indexes or names) reach in ``tree``, written as
    ``--set`` takes it, each list element by :func:`key_part`: ``("workforce", 0, "headcount")``
    is ``workforce.analysts.headcount``. Parts past what ``tree`` holds are kept as given."""
    written, node = [], tree
    for part in parts:
        index = element_index(node, str(part)) if isinstance(node, list) else None
        if index is None:
            written.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
        else:
            written.append(key_part(node, index, ".".join(written)))
            node = node[index]
    return ".".join(written)
