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
from dataclasses import dataclass
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
    """A figure id's source in words: ``id: organisation, title (figure for year) [status]``, the year
    being the one the figure describes (never read as a publication date), or how a derived id was made."""
    from capsim import calibration
    from capsim import figures as table
    from capsim.figures import UnknownFigureError

    try:
        f = table.figure(fid)
        return f"{fid}: {f.organisation}, {f.title} (figure for {f.year}) [{status_text(f)}]"
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


STATUS_MEANINGS = {
    "verified": "read on the publisher's own page",
    "verified in a secondary report": "read on a page that reports another organisation's figure (press, a "
                                      "repost); no primary page was found",
    "derived": "worked out from verified figures; its notes give the formula",
    "weak": "from a vendor or a blog, or a secondary source in doubt, or in wording that can be read more than one "
            "way",
    "unverified": "not read at any source yet: treat it as a placeholder",
}
"""What each status of a figure means for a reader, as :func:`status_text` writes it (the statuses of
:data:`capsim.figures.STATUSES`, a verified figure's parted by where it was read)."""


def status_text(f: Any) -> str:
    """A figure's status as a reader needs it: ``verified``, or ``verified in a secondary report``
    where the page named reports another organisation's figure (:func:`is_secondary`: "NBC News
    (reposted on lemmy.world)"), so that a repost is never read as checked at the source."""
    return f"{f.status} in a secondary report" if f.status == "verified" and is_secondary(f.organisation) else f.status


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


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
_PUBLISHED = re.compile(rf"(?:(?:\w+ )?(?:news|press) release )?((?:\d{{1,2}} )?{_MONTH} \d{{4}}|\d{{4}})")
"""A publication date as a title or organisation writes it in brackets, alone or as one of the
bracket's comma- or semicolon-separated parts: "(30 Oct 2023)", "(blog, 29 Apr 2025, summarising
...)", "(Oct 2023; page also hosts July 2024 update)", "(news release 2019)"; never a date inside
other words ("summarising IWF July 2024 update")."""


def published_on(*texts: str) -> str:
    """When a page was published, as its title or organisation writes it in brackets ("29 Apr 2025",
    "Oct 2023", "2019"); "" where neither says."""
    for text in texts:
        for bracket in re.findall(r"\(([^()]*)\)", text):
            for part in re.split(r"[,;]", bracket):
                found = _PUBLISHED.fullmatch(part.strip())
                if found:
                    return found.group(1)
    return ""


def dating(published: str, years: Iterable[int]) -> str:
    """How a citation is dated: by its publication where known, and always by the years its figures
    describe, so that a figure's year never reads as a publication date: "29 Apr 2025, figures for
    2023 and 2024"; "figures for 2021 and 2022" where the publication date is unknown."""
    from capsim.words import and_list

    figures = "figures for " + and_list([str(y) for y in sorted(set(years))])
    return f"{published}, {figures}" if published else figures


@dataclass(frozen=True)
class Page:
    """One cited page (one link): its organisation and title as the figures table writes them, its
    publication date where known ("" where not) and the years its cited figures describe."""

    organisation: str
    title: str
    url: str
    published: str
    years: tuple[int, ...]

    @property
    def secondary(self) -> bool:
        """Whether the page reports someone else's figure (:func:`is_secondary`)."""
        return is_secondary(self.organisation)


def _pages(fids: Iterable[str]) -> list[Page]:
    """The pages behind ``fids``, one per link, named as their first figure (primary source first,
    newest year) names them and dated by any of their figures' titles or organisations; primary
    sources first, then by organisation and newest year."""
    from capsim import figures as table

    rows: dict[str, list[Any]] = {}
    for fid in published_ids(fids):
        f = table.figure(fid)
        rows.setdefault(f.url, []).append(f)
    pages = []
    for url, figs in rows.items():
        figs.sort(key=lambda f: (is_secondary(f.organisation), f.organisation, -int(f.year), f.title))
        published = next((d for d in (published_on(f.title, f.organisation) for f in figs) if d), "")
        pages.append(Page(figs[0].organisation, figs[0].title, url, published,
                          tuple(sorted({int(f.year) for f in figs}))))
    return sorted(pages, key=lambda p: (p.secondary, p.organisation, -p.years[-1], p.title))


def _publications(fids: Iterable[str]) -> list[Page]:
    """The publications behind ``fids``, one per name (short organisation and publication: the pages
    of one annual report are one), each with the link and publication date of its first page and the
    years of all its pages' figures; in :func:`_pages`' order."""
    merged: dict[tuple[str, str], Page] = {}
    for p in _pages(fids):
        org, title = short_org(p.organisation), publication(p.title)
        key = (org, title.removeprefix(org + " "))  # "IWF Annual Report 2023" and "Annual Report 2023" are one
        first = merged.get(key)
        years = tuple(sorted(set(p.years) | set(first.years if first else ())))
        kept = first or p
        merged[key] = Page(kept.organisation, first.title if first else title, kept.url, kept.published, years)
    return list(merged.values())


def citations(fids: Iterable[str]) -> list[str]:
    """Readable citations, as HTML list items' contents, one per page (link): "IWF, <cite>Annual
    Report 2023 - Organising a world-class Hotline</cite> (figures for 2023). <a href=…>link</a>",
    dated as :func:`dating` says (a publication date its title or organisation already shows is not
    repeated); primary sources first; a secondary report is marked as one."""
    out = []
    for p in _pages(fids):
        shown = "" if p.published in f"{p.organisation} {p.title}" else p.published
        text = (f"{html.escape(p.organisation)}, <cite>{html.escape(p.title)}</cite> "
                f"({html.escape(dating(shown, p.years))}). "
                f"<a href=\"{html.escape(p.url, quote=True)}\">{html.escape(p.url)}</a>")
        if p.secondary:
            text += " (a secondary report of the figure: no primary page was found)"
        out.append(text)
    return out


def short_citations(fids: Iterable[str], limit: int) -> tuple[list[str], int]:
    """At most ``limit`` citations as HTML, one per publication (:func:`_publications`): short
    organisation, publication, its date and the years of its figures (:func:`dating`) and the link
    of its first page cited, primary sources first; and how many more publications there are."""
    publications = _publications(fids)
    out = []
    for p in publications[:limit]:
        text = (f"{html.escape(short_org(p.organisation))}, <cite>{html.escape(p.title)}</cite> "
                f"({html.escape(dating(p.published, p.years))}). "
                f"<a href=\"{html.escape(p.url, quote=True)}\">{html.escape(p.url)}</a>")
        out.append(text + (" (secondary report)" if p.secondary else ""))
    return out, max(0, len(publications) - limit)


def source_names(fids: Iterable[str]) -> tuple[list[str], list[str]]:
    """Short readable names of the publications behind ``fids``, for a chart's footer, each once: the
    primary sources ("IWF, Annual Report 2023"; dated as :func:`dating` says unless the title names
    every year of its figures and no publication date is known: "IWF, Annual Report 2022 (figures for
    2021 and 2022)") and, apart, the secondary reports of a figure by their organisation and dating
    ("UKAuthority (figures for 2015)")."""
    primary, secondary = [], []
    for p in _publications(fids):
        org = short_org(p.organisation)
        if p.secondary:
            secondary.append(f"{org} ({dating(p.published, p.years)})")
        elif not p.published and all(str(y) in p.title for y in p.years):
            primary.append(f"{org}, {p.title}")
        else:
            primary.append(f"{org}, {p.title} ({dating(p.published, p.years)})")
    return primary, list(dict.fromkeys(secondary))
