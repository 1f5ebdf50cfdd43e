"""Bounded YAML: scenario files and ``--set`` values read so that no input can hang or exhaust memory.

A scenario is small. Whatever a file holds, reading it:

- opens regular files only (never a device such as ``/dev/zero``, a FIFO or a folder), so it
  cannot block or read forever;
- reads at most :data:`MAX_BYTES` bytes;
- refuses nesting deeper than :data:`MAX_DEPTH` (a list nested 20,000 deep would otherwise
  exhaust Python's recursion);
- refuses a document whose aliases expand beyond :data:`MAX_NODES` values (a 1 KB "billion
  laughs" alias bomb expands to billions), and an alias inside its own anchor;
- refuses a key given twice in one mapping (YAML would silently keep the later), naming it
  and its line.

Dates stay text, so that the schema can say which date is wrong. Tags other than the safe
standard ones never construct anything (a ``SafeLoader``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1_000_000
"""Largest scenario file read, in bytes (the bundled ones are under 10 KB)."""
MAX_DEPTH = 50
"""Deepest nesting of lists and mappings (a scenario needs about 6)."""
MAX_NODES = 100_000
"""Most values a document may hold once its aliases are expanded (each use of an alias counts
its whole anchored value again)."""


class YAMLLimitError(ValueError):
    """A document that is not safe or not sensible to read; the message says why."""


class _Loader(yaml.SafeLoader):
    """Safe YAML with dates as text, bounded nesting and no duplicated keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise YAMLLimitError(f"nested more than {MAX_DEPTH} levels deep (at line {mark.line + 1})")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise YAMLLimitError(f"key {key!r} is given twice (lines {seen[key]} and {line}); give it once")
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _expanded_size(root: yaml.Node) -> int:
    """Values in the document with every alias expanded; raises if an alias is inside its own anchor.

    Aliases are shared nodes in the composed graph, so sizes are memoised per node: the
    walk is linear in the text even when the expansion is astronomically large.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = 1
            continue
        children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else list(node.value)
        if children_done:
            open_nodes.discard(key)
            sizes[key] = min(1 + sum(sizes[id(c)] for c in children), MAX_NODES + 1)
            continue
        if key in open_nodes:
            raise YAMLLimitError("refers to itself (a YAML alias inside its own anchor)")
        open_nodes.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in open_nodes:
                raise YAMLLimitError("refers to itself (a YAML alias inside its own anchor)")
            stack.append((child, False))
    return sizes[id(root)]


def load(text: str) -> Any:
    """Parse YAML text within the limits above; :class:`YAMLLimitError` or ``yaml.YAMLError`` if not."""
    if len(text) > MAX_BYTES:
        raise YAMLLimitError(f"longer than {MAX_BYTES:,} characters")
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        if _expanded_size(root) > MAX_NODES:
            raise YAMLLimitError(f"more than {MAX_NODES:,} values once its aliases are expanded (an alias bomb?)")
        return loader.construct_document(root)
    finally:
        loader.dispose()


def read_text(path: Path) -> str:
    """The text of a regular file of at most :data:`MAX_BYTES` bytes, in UTF-8.

    Raises ``FileNotFoundError``, ``OSError``, ``UnicodeDecodeError`` or :class:`YAMLLimitError`
    (not a regular file, or too large). A FIFO or a device is refused before it is opened.
    """
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, FIFO or socket"
        raise YAMLLimitError(f"is {kind}, not a regular file; a scenario is a YAML text file")
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise YAMLLimitError(f"larger than {MAX_BYTES:,} bytes; a scenario file is a few KB")
    return data.decode("utf-8")
