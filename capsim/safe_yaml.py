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

A document that is not valid YAML is explained in plain words (:func:`explained`) for the common
mistakes: bad indentation, a tab, a quote or bracket never closed, a colon missing.

Dates stay text, so that the schema can say which date is wrong. Tags other than the safe
standard ones never construct anything (a ``SafeLoader``).
"""

from __future__ import annotations

import os
import re
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


INDENTATION = "the indentation does not match the lines above: keys of one section start in the same column"
"""What is wrong where a line's indentation puts it in no section (the reader expected a section to end)."""
TAB = "a tab character; YAML indents with spaces, not tabs: replace the tab with spaces"
_BRACKETS = {"while parsing a flow sequence": ("list", "[", "]"), "while parsing a flow mapping": ("section", "{", "}")}


def explained(err: yaml.YAMLError) -> str:
    """Where a text is not valid YAML and why, for a message: " at line 4, column 5: this line is
    indented more than the line above: ...". The common mistakes (bad indentation, a tab, a quote or
    bracket never closed, a colon missing) are said in plain words at the line (1-based) and column
    to mend; any other in the YAML reader's own words, at the line and column where it stopped."""
    line, column, message = _plain(err) or _as_read(err)
    return f"{f' at line {line + 1}, column {column + 1}' if line is not None else ''}: {message}"


def _as_read(err: yaml.YAMLError) -> tuple[int | None, int | None, str]:
    """The reader's own words and where it stopped (0-based line and column; None where unknown)."""
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or getattr(err, "reason", None) or "not valid YAML"
    return (mark.line, mark.column, problem) if mark else (None, None, problem)


def _plain(err: yaml.YAMLError) -> tuple[int, int, str] | None:
    """The common mistakes in plain words, each at its 0-based line and column; None for any other."""
    problem, context = getattr(err, "problem", None) or "", getattr(err, "context", None) or ""
    at, opened = getattr(err, "problem_mark", None), getattr(err, "context_mark", None)
    if at is None or at.buffer is None:
        return None
    if found := re.match(r"found character '(.*)' that cannot start any token", problem):
        char = found.group(1)
        return at.line, at.column, TAB if char == "\\t" else (f"{char!r} cannot begin a value written without "
                                                              "quotes: put the value in quotes")
    if context == "while scanning a quoted scalar" and problem.startswith("found unexpected"):
        quote = opened.buffer[opened.pointer]
        return opened.line, opened.column, (f"the quote mark {quote} here is never closed: end the quoted text "
                                            f"with another {quote}")
    if context in _BRACKETS and problem.startswith("expected ','"):
        return _unclosed(opened, at, problem, *_BRACKETS[context])
    if context == "while parsing a flow node" and problem.endswith("'<stream end>'"):
        return at.line, at.column, "the text ends inside a list ('[') or a section ('{') that is never closed"
    if context == "while scanning a simple key" and problem == "could not find expected ':'":
        return opened.line, opened.column, _no_colon(_lines(opened)[opened.line][opened.column:])
    if problem.startswith("expected <block end>, but found "):
        found = problem.removeprefix("expected <block end>, but found ")
        if found == "'<block mapping start>'" and (above := _no_colon_above(at)):
            return above  # the line above has no colon, so this one is read as part of its value
        return at.line, at.column, _not_ended(at, found)
    if problem == "mapping values are not allowed here":
        return _colon_here(at)
    return None


def _lines(mark: yaml.Mark) -> list[str]:
    """The lines of the text ``mark`` is in."""
    return mark.buffer.rstrip("\0").split("\n")


def _content(line: str) -> str:
    """A line without its comment and the spaces around it."""
    return re.sub(r"(^|\s)#.*", "", line).strip()


def _indent(line: str) -> int:
    """The spaces a line begins with."""
    return len(line) - len(line.lstrip(" "))


def _no_colon(text: str) -> str:
    """What is wrong with a line whose key has no colon after it (``text``: the line from its key)."""
    return (f"no colon after the key on this line ({_content(text)!r}): write key: value, with a space after "
            "the colon (or key: above an indented section)")


def _unclosed(opened: yaml.Mark, at: yaml.Mark, problem: str, what: str, opening: str,
              closing: str) -> tuple[int, int, str]:
    """A list ``[`` or section ``{`` begun at ``opened`` whose reader met, at ``at``, neither a comma
    nor its end: never closed where the text ends or a later line is reached, else missing a comma."""
    if problem.endswith("'<stream end>'") or at.line > opened.line:
        return opened.line, opened.column, (f"the {what} begun here with {opening!r} is never closed: end it with "
                                            f"{closing!r}")
    return at.line, at.column, (f"a comma or the closing {closing!r} is missing here, in the {what} begun with "
                                f"{opening!r} at column {opened.column + 1}")


def _not_ended(at: yaml.Mark, found: str) -> str:
    """What is wrong where the reader expected a section to end and ``found`` something else (its token,
    quoted): a closing bracket with no opening one, text after a closing quote, else the indentation."""
    if opening := {"']'": "'['", "'}'": "'{'"}.get(found):
        return f"this {found} closes nothing: there is no {opening} before it"
    before = _lines(at)[at.line][:at.column].rstrip()
    if found == "'<scalar>'" and before.endswith(("'", '"')):
        return "text follows the closing quote: put the whole value inside the quotes"
    return INDENTATION


def _colon_here(at: yaml.Mark) -> tuple[int, int, str] | None:
    """Where a colon (key: value) stands where no key can begin, the mistake that put it there: a value
    holding ": " (unquoted), the line above with no colon (or none followed by a space), or this line
    indented more than the one above; None where it is none of these."""
    lines = _lines(at)
    line = lines[at.line]
    if re.search(r":\s", _content(line[:at.column])):
        return at.line, at.column, ("the value holds a colon and a space (': '), which YAML reads as a new key: "
                                    "put the value in quotes")
    if found := _no_colon_above(at):
        return found
    above = _line_above(lines, at.line)
    if above is not None and _indent(line) > _indent(lines[above]):
        return at.line, _indent(line), ("this line is indented more than the line above: keys of one section start "
                                        "in the same column")
    return None


def _line_above(lines: list[str], n: int) -> int | None:
    """The last line before line ``n`` (0-based) with more than a comment, if any."""
    return next((k for k in range(n - 1, -1, -1) if _content(lines[k])), None)


def _no_colon_above(at: yaml.Mark) -> tuple[int, int, str] | None:
    """Where the line above ``at``'s, not a list item, has no colon after its key (or none followed by
    a space), so that ``at``'s line is read as part of its value: that line, and what is wrong with it."""
    lines = _lines(at)
    above = _line_above(lines, at.line)
    text = _content(lines[above]) if above is not None else ""
    if not text or text.startswith("-") or re.search(r":(\s|$)", text):
        return None
    if ":" in text:
        return above, lines[above].index(":"), "a colon needs a space after it: write key: value"
    return above, _indent(lines[above]), _no_colon(text)
