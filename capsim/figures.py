"""The published figures capsim is calibrated on, with their sources.

The table lives in ``capsim/data/figures.csv`` (package data), one row per figure::

    id,quantity,value,unit,year,organisation,title,url,counts,status

- ``value`` is a plain number (no thousands separators), in the row's ``unit``;
- ``unit`` is a short word: ``images``, ``reports``, ``analysts``, ``analyst_hours``,
  ``hours_per_day``, ``seconds_per_image``, ``images_per_hour``, ``share`` (a proportion
  between 0 and 1), ``days``, ...;
- ``year`` is the year the figure describes (for a financial year, the year it ends);
- ``counts`` says in words what exactly the number counts, and where it is ambiguous;
- ``status`` is ``verified`` (read on the publisher's page or a named copy of it), ``weak``
  (vendor, blog, single secondary source or ambiguous wording), ``derived`` (worked out from
  verified inputs; the formula is in ``counts``) or ``unverified``.

Ids are those of the project's research table (``figures.csv`` beside ``DESIGN.md``), so a
figure can be traced back to its notes; a few rows split a combined source row
(``uk_force_case_deadlines_high_risk``...) or read a number stated in a source row's notes
(``iwf_hotline_shift_hours_2023``).

>>> figure("iwf23_analyst_hours_total").value
87.5
>>> series("iwf_ai_reports_actioned_")
[(2023, 51.0), (2024, 245.0)]
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

COLUMNS = ("id", "quantity", "value", "unit", "year", "organisation", "title", "url", "counts", "status")
"""The columns of ``capsim/data/figures.csv``, in order."""

STATUSES = ("verified", "weak", "derived", "unverified")
"""Allowed values of the ``status`` column, strongest first."""

_YEAR_SUFFIX = re.compile(r"^\d{4}(?:_\w+)?$")


class UnknownFigureError(KeyError):
    """An id that is not in the figures table (nor, where allowed, a derived parameter).

    The message names the id and suggests the closest known ids.
    """

    def __init__(self, id: str, known: list[str] | tuple[str, ...] = (), what: str = "figure") -> None:
        self.id = id
        self.suggestions = difflib.get_close_matches(str(id), list(known), n=3, cutoff=0.6)
        message = f"unknown {what} id {id!r}"
        if self.suggestions:
            message += "; did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        else:
            message += "; list the ids with: capsim figures --search WORD"
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would quote the whole message
        return self.message


@dataclass(frozen=True)
class Figure:
    """One published figure.

    ``value`` is a float in ``unit`` (for example ``images``, ``analyst_hours``, ``share``
    between 0 and 1, ``hours_per_day``); ``year`` is the year it describes; ``counts`` says
    what exactly it counts; ``status`` is one of :data:`STATUSES`.
    """

    id: str
    quantity: str
    value: float
    unit: str
    year: int
    organisation: str
    title: str
    url: str
    counts: str
    status: str

    def cite(self) -> str:
        """A one-line citation: organisation, year, title, URL and status."""
        return f"{self.organisation} ({self.year}). {self.title}. {self.url} [{self.status}]"


def _parse(text: str) -> dict[str, Figure]:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ValueError(f"figures.csv columns are {reader.fieldnames}, expected {list(COLUMNS)}")
    table: dict[str, Figure] = {}
    for line, row in enumerate(reader, start=2):
        fid = row["id"].strip()
        try:
            value = float(row["value"])
            year = int(row["year"])
        except ValueError as err:
            raise ValueError(f"figures.csv line {line} ({fid}): {err}") from None
        if fid in table:
            raise ValueError(f"figures.csv line {line}: duplicate id {fid!r}")
        if row["status"] not in STATUSES:
            raise ValueError(f"figures.csv line {line} ({fid}): status {row['status']!r} not in {STATUSES}")
        table[fid] = Figure(
            id=fid,
            quantity=row["quantity"],
            value=value,
            unit=row["unit"],
            year=year,
            organisation=row["organisation"],
            title=row["title"],
            url=row["url"],
            counts=row["counts"],
            status=row["status"],
        )
    return table


@lru_cache(maxsize=1)
def _table() -> dict[str, Figure]:
    text = resources.files("capsim").joinpath("data", "figures.csv").read_text(encoding="utf-8")
    return _parse(text)


def ids() -> list[str]:
    """All figure ids, in table order."""
    return list(_table())


def figure(id: str) -> Figure:
    """The figure with this id; :class:`UnknownFigureError` (a ``KeyError``) if there is none."""
    table = _table()
    try:
        return table[id]
    except (KeyError, TypeError):
        raise UnknownFigureError(id, list(table)) from None


def all_figures() -> list[Figure]:
    """Every figure in the table, in table order."""
    return list(_table().values())


def search(word: str) -> list[Figure]:
    """Figures whose id, quantity, organisation, title or counts contain ``word`` (any case)."""
    needle = word.casefold()
    return [
        f
        for f in _table().values()
        if any(needle in text.casefold() for text in (f.id, f.quantity, f.organisation, f.title, f.counts))
    ]


def series(*prefixes: str) -> list[tuple[int, float]]:
    """A yearly series as ``[(year, value), ...]`` in increasing year, from figure ids.

    Each argument is an id prefix such as ``"iwf_reports_assessed_"``, matching ids that
    continue with a four-digit year (``iwf_reports_assessed_2018``, ``accce_reports_2023_24``),
    or a whole id (``"iwf_2018_urls_actioned"``). Several arguments join series whose ids
    changed over the years. The year is the row's ``year`` column; values are in the rows'
    unit, which must be the same for all of them.

    Raises :class:`UnknownFigureError` if nothing matches, and ``ValueError`` if two matched
    figures share a year or differ in unit.
    """
    if not prefixes:
        raise TypeError("series() needs at least one id prefix")
    table = _table()
    found: dict[str, Figure] = {}
    for prefix in prefixes:
        matched = _matching(prefix)
        if not matched:
            raise UnknownFigureError(prefix, list(table), what="series prefix")
        found.update((f.id, f) for f in matched)
    by_year: dict[int, Figure] = {}
    for f in found.values():
        if f.year in by_year:
            raise ValueError(f"{by_year[f.year].id} and {f.id} both give a value for {f.year}")
        by_year[f.year] = f
    units = {f.unit for f in by_year.values()}
    if len(units) > 1:
        raise ValueError(f"series mixes units {sorted(units)}: {sorted(found)}")
    return [(year, by_year[year].value) for year in sorted(by_year)]


def series_ids(*prefixes: str) -> list[str]:
    """The figure ids behind :func:`series` for the same prefixes, in increasing year."""
    chosen = {f.id: f for prefix in prefixes for f in _matching(prefix)}
    return [f.id for f in sorted(chosen.values(), key=lambda f: f.year)]


def _matching(prefix: str) -> list[Figure]:
    """Figures whose id is ``prefix`` itself, or ``prefix`` followed by a four-digit year."""
    return [
        f for fid, f in _table().items()
        if fid == prefix or (fid.startswith(prefix) and _YEAR_SUFFIX.match(fid[len(prefix):]))
    ]
