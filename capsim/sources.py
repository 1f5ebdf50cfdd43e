"""Where a number comes from: figure ids as readable citations.

A scenario cites published figures by id (``{figure: iwf23_analyst_hours_total}``); the
figures themselves, with organisation, title, year and link, are package data
(``capsim/data/figures.csv``, read by :mod:`capsim.figures`). A derived parameter
(:data:`capsim.calibration.DERIVED`) is traced to the published figures its function reads.
Charts' footers, the report's assumptions table and sources list, and the CLI all cite
through this module.
"""

from __future__ import annotations

import html
import inspect
import re
from collections.abc import Iterable
from functools import cache
from typing import Any


@cache
def figure_origin(fid: str) -> tuple[str, tuple[str, ...]]:
    """(organisation, underlying figure ids) of a figure id or derived-parameter id.

    A derived parameter (``capsim.calibration.DERIVED``) is traced to the published figures
    its function reads; its organisation is theirs, joined with "/" when several.
    """
    from capsim import calibration, growth_fit
    from capsim import figures as table
    from capsim.figures import UnknownFigureError

    try:
        return table.figure(fid).organisation, (fid,)
    except UnknownFigureError:
        pass
    func = calibration.DERIVED.get(fid)
    if func is None:
        return "unknown source", ()
    known = table.ids()
    year = re.search(r"(?<!\d)(?:19|20)\d{2}(?!\d)", fid)
    found: list[str] = []
    seen: set[str] = set()

    def same_year(i: str) -> bool:  # a series read for one year cites that year's figure only
        return year is None or table.figure(i).year == int(year.group(0))

    def trace(f: Any) -> None:
        if f.__name__ in seen:
            return
        seen.add(f.__name__)
        try:
            src = inspect.getsource(f)
        except (OSError, TypeError):
            return
        prefixes = series_prefixes(src, calibration)
        names_series = any(w in growth_fit.KNOWN_SERIES for w in re.findall(r"[\"']([a-z0-9-]+)[\"']", src))
        for lit in re.findall(r"[\"']([A-Za-z0-9_]+)[\"']", src):
            if lit in known:
                found.append(lit)  # read directly: cited whatever its year
            else:
                prefixes.append(lit)
        for name in re.findall(r"\b([a-z_][a-z0-9_]*)\(", src):
            g = getattr(calibration, name, None)
            if inspect.isfunction(g) and g.__module__ == calibration.__name__:
                trace(g)
            elif inspect.isfunction(g) and g.__module__ == growth_fit.__name__ and not names_series:
                prefixes += series_prefixes(inspect.getsource(g), growth_fit)  # the series the fit itself reads
        for prefix in prefixes:
            found.extend(i for i in known if (i == prefix or (i.startswith(prefix) and re.match(r"^\d{4}", i[len(prefix):])))
                         and same_year(i))

    trace(func)
    ids = tuple(dict.fromkeys(found))
    orgs = list(dict.fromkeys(table.figure(i).organisation for i in ids))
    return (" and ".join(orgs) if orgs else "capsim.calibration"), ids


def series_prefixes(source: str, module: Any) -> list[str]:
    """Figure-id prefixes a function's ``source`` reads: tuples of strings it names from
    ``module`` (prefixes, or published series names), and published series it names in quotes
    (``"iwf-reports-assessed"``), each series as its figure-id prefixes
    (:data:`capsim.growth_fit.KNOWN_SERIES`)."""
    from capsim.growth_fit import KNOWN_SERIES

    words: list[str] = re.findall(r"[\"']([a-z0-9-]+-[a-z0-9-]+)[\"']", source)
    for name in re.findall(r"\b([A-Z][A-Z0-9_]{3,})\b", source):
        value = getattr(module, name, None)
        if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            words += list(value)
    return [p for w in words for p in KNOWN_SERIES.get(w, (w,))]


def source_label(fid: str) -> str:
    """How a figure id is cited on a chart: ``id (organisation)``; derived ids say so."""
    from capsim import calibration

    org, _ = figure_origin(fid)
    if fid in calibration.DERIVED:
        return f"{fid} (derived from {org} figures)"
    return f"{fid} ({org})"


def short_org(org: str) -> str:
    """An organisation as a footer names it: the name before any parenthesis."""
    return org.split(" (")[0].strip()


def figure_source(fid: str) -> str:
    """A figure id's source in words: ``id — organisation (status)``, or how a derived id was made."""
    from capsim import calibration
    from capsim import figures as table
    from capsim.figures import UnknownFigureError

    try:
        f = table.figure(fid)
        return f"{fid}: {f.organisation}, {f.title} ({f.year}) [{f.status}]"
    except UnknownFigureError:
        org, ids = figure_origin(fid)
        if fid in calibration.DERIVED:
            return f"{fid}: derived from {', '.join(ids) or 'published figures'} ({org})"
        return f"{fid}: unknown source"


# --------------------------------------------------------------------------- readable citations

_QUALIFIED = re.compile(r"\((?!DERIVED\))(?![^)]*et al\.)[^)]*\)")
"""An organisation written with a qualifier, e.g. "UKAuthority (Home Office announcement)":
a page that reports another organisation's figure."""


def is_secondary(organisation: str) -> bool:
    """Whether a source is a secondary report (press, aggregator, repost) of someone else's figure."""
    return bool(_QUALIFIED.search(organisation))


def published_ids(fids: Iterable[str]) -> list[str]:
    """The published figures behind ``fids`` (derived parameters traced to theirs), each once."""
    from capsim import figures as table

    known = set(table.ids())
    out: list[str] = []
    for fid in fids:
        out += [fid] if fid in known else list(figure_origin(fid)[1])
    return list(dict.fromkeys(out))


def publication(title: str) -> str:
    """A publication's name without the page or note: "Annual Report 2023 - Organising a
    world-class Hotline" → "Annual Report 2023"."""
    return re.split(r" - | \(", title, maxsplit=1)[0].strip()


def _publications(fids: Iterable[str]) -> list[Any]:
    """The figures' sources, one per page (organisation, title, year, link), primary sources
    first, then by organisation and newest year."""
    from capsim import figures as table

    pages: dict[tuple, Any] = {}
    for fid in published_ids(fids):
        f = table.figure(fid)
        pages.setdefault((f.organisation, f.title, f.year, f.url), f)
    return sorted(pages.values(), key=lambda f: (is_secondary(f.organisation), f.organisation, -int(f.year), f.title))


def citations(fids: Iterable[str]) -> list[str]:
    """Readable citations, as HTML list items' contents: "IWF, <cite>Annual Report 2023 -
    Organising a world-class Hotline</cite> (2023). <a href=…>link</a>", primary sources
    first; a secondary report is marked as one."""
    out = []
    for f in _publications(fids):
        text = (f"{html.escape(f.organisation)}, <cite>{html.escape(f.title)}</cite> ({f.year}). "
                f"<a href=\"{html.escape(f.url, quote=True)}\">{html.escape(f.url)}</a>")
        if is_secondary(f.organisation):
            text += " (a secondary report of the figure: no primary page was found)"
        out.append(text)
    return out


def short_citations(fids: Iterable[str], limit: int) -> tuple[list[str], int]:
    """At most ``limit`` citations as HTML, one per publication (organisation, title, year and the
    link of its first page cited), primary sources first; and how many more publications there are."""
    seen: dict[tuple, Any] = {}
    for f in _publications(fids):
        seen.setdefault((f.organisation, publication(f.title), f.year), f)
    out = []
    for (org, title, year), f in list(seen.items())[:limit]:
        text = (f"{html.escape(short_org(org))}, <cite>{html.escape(title)}</cite> ({year}). "
                f"<a href=\"{html.escape(f.url, quote=True)}\">{html.escape(f.url)}</a>")
        out.append(text + (" (secondary report)" if is_secondary(org) else ""))
    return out, max(0, len(seen) - limit)


def source_names(fids: Iterable[str]) -> tuple[list[str], list[str]]:
    """Short readable names of the publications behind ``fids``, for a chart's footer: the
    primary sources ("IWF, Annual Report 2023"; a publication whose figures are of years its title
    does not name, once with those years: "IWF, Annual Report 2022 (2021, 2022)") and, apart, the
    secondary reports of a figure by their organisation and year ("UKAuthority (2015)"); each once."""
    primary: dict[str, list[str]] = {}  # name → the years of its figures
    secondary = []
    for f in _publications(fids):
        org = short_org(f.organisation)
        if is_secondary(f.organisation):
            secondary.append(f"{org} ({f.year})")
            continue
        years = primary.setdefault(f"{org}, {publication(f.title).removeprefix(org + ' ')}", [])
        if str(f.year) not in years:
            years.append(str(f.year))
    # a publication named once, with the years of its figures unless its title says the only one
    named = [name + ("" if years == [y for y in years if y in name] else f" ({', '.join(sorted(years))})")
             for name, years in primary.items()]
    return named, list(dict.fromkeys(secondary))
