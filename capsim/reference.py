"""The scenario reference, generated from the schema so that it cannot drift from it.

``python -m capsim.reference > docs/scenario-reference.md`` writes it; a test checks that
the committed file is what the schema gives today.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any

from pydantic import BaseModel

from capsim import units
from capsim.named_lists import COUNTED_LISTS
from capsim.scenario import Scenario, takes_percentage

LIST_KEYS = {"demand": "stream", "workforce": "team", "sla": "priority"}


def _models(annotation: Any) -> list[type[BaseModel]]:
    """Pydantic models inside a type annotation, in order."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        for model in _models(arg):
            if model not in found:
                found.append(model)
    return found


def _parser(annotation: Any, metadata: list) -> Any:
    """The unit parser a field's value goes through, if any (see ``capsim.scenario._unit``)."""
    for item in metadata:
        func = getattr(item, "func", None)
        if getattr(func, "unit", None):
            return func
    if typing.get_origin(annotation) is typing.Annotated:
        return _parser(typing.get_args(annotation)[0], list(annotation.__metadata__))
    for arg in typing.get_args(annotation):
        found = _parser(arg, [])
        if found:
            return found
    return None


def _unit(annotation: Any, metadata: list) -> str | None:
    """The name of the unit parser a field's value goes through, if any."""
    return getattr(_parser(annotation, metadata), "unit", None)


UNIT_TEXT = {"parse_duration": "duration (28.4s, 5min, 24h, 30d, 1y)",
             "parse_rate": "rate (370/day, 12/h, 424047/year)",
             "parse_daily_cap": "hours a day (4h/day) or none"}


def _type_text(field) -> str:
    """A reader's description of a field's type and unit."""
    unit = _unit(field.annotation, list(field.metadata))
    plain = _plain(field.annotation)
    if takes_percentage(field):  # tooling.AsShare, through Optional
        return plain.replace("number", "number or percentage (0.15 or 15%)", 1)
    if not unit:
        return plain
    text = UNIT_TEXT[unit]
    limit = getattr(_parser(field.annotation, list(field.metadata)), "limit", "")
    if limit:
        text = text[:-1] + f"; at most {limit})"
    if plain.startswith("date"):
        text = "date (YYYY-MM-DD) or " + text
    if plain.endswith("or none") and "none" not in text:
        text += " or none"
    return text


def _plain(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _plain(args[0])
    if origin is typing.Literal:
        return "one of " + ", ".join(str(a) for a in args) if len(args) > 1 else f"`{args[0]}`"
    if origin in (typing.Union, types.UnionType):
        kinds = list(dict.fromkeys(_plain(a) for a in args if a is not type(None)))
        return " or ".join(kinds) + (" or none" if type(None) in args else "")
    if origin is list:
        return f"list of {_plain(args[0])}"
    if origin is dict:
        return f"mapping of {_plain(args[0])} to {_plain(args[1])}"
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return "section"
        return {"float": "number", "int": "whole number", "str": "text", "bool": "true or false",
                "date": "date (YYYY-MM-DD)"}.get(annotation.__name__, annotation.__name__)
    return str(annotation)


def _default(field) -> str:
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        value = field.default_factory()
        if isinstance(value, BaseModel):
            return "(section defaults)"
        return repr(value) if value not in ([], {}) else "empty"
    value = field.default
    if value is None:
        return "none"
    if isinstance(value, float) and _unit(field.annotation, list(field.metadata)) == "parse_duration":
        return units.format_duration(value)
    return str(value) if isinstance(value, dt.date) else repr(value)


def rows(model: type[BaseModel] = Scenario, prefix: str = "") -> list[tuple[str, str, str, str]]:
    """(key path, type and unit, default, meaning) for every key of the schema."""
    out = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        path = f"{prefix}{key}"
        out.append((path, _type_text(field), _default(field), field.description or ""))
        for sub in _models(field.annotation):
            inner = path
            if name in LIST_KEYS or typing.get_origin(field.annotation) is list:
                inner = f"{path}[]"
            elif typing.get_origin(field.annotation) is dict:
                inner = f"{path}.<name>"
            label = f" ({sub.__name__})" if len(_models(field.annotation)) > 1 else ""
            out += [(p + label if i == 0 else p, t, d, m) for i, (p, t, d, m) in enumerate(rows(sub, f"{inner}."))]
    return out


def markdown() -> str:
    """The reference as a Markdown document."""
    lines = [
        "# Scenario reference",
        "",
        "Every key a scenario file may hold, its type and unit, its default and what it means.",
        "Generated from the schema (`python -m capsim.reference`); a test checks it is current.",
        "`[]` marks a list element; `<name>` a key you choose (a team name, a unit).",
        "A number may also be written `{figure: id}` to read it from the figures table, or",
        "`{uncertain: {dist: ..., source: ...}}` when it is not known exactly (see uncertainty.md).",
        "Units are read from one table: s, sec, secs, second(s); min, mins, minute(s); h, hr, hrs, hour(s);",
        "d, day(s); w, wk, wks, week(s); y, yr, yrs, year(s) (a year is 365.25 days; any case).",
        "A file is read only if it is a regular file of at most 1 MB, nested at most 50 levels deep, with",
        "at most 100,000 values once YAML aliases are expanded and no key given twice in one mapping;",
        "names and text may not hold control characters (only `description` may hold line breaks).",
        "`extends: FILE` (a path from the file's folder) starts from another scenario: mappings merge key by key,",
        "lists of streams, teams and SLAs merge by name (`drop: true` removes one), and any other list",
        f"({', '.join(f'`{key}`' for key in COUNTED_LISTS)} among them) is replaced whole; "
        "`name` and `title` are not inherited (see writing-scenarios.md).",
        "",
        "| key | type and unit | default | meaning |",
        "|---|---|---|---|",
    ]
    for path, kind, default, meaning in rows():
        lines.append(f"| `{path}` | {kind} | {default} | {meaning} |".replace("\n", " "))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
