"""One citation per cited page, dated by its publication where known and otherwise by the years of
its figures in words, never by a figure's year alone (capsim.sources)."""

from __future__ import annotations

import re

import pytest

from capsim import bundled
from capsim import figures as table
from capsim.scenario import load_scenario
from capsim import sources
from capsim.sources import citations, figure_source, short_citations, source_names

BLOG = ["iwf_ai_reports_actioned_2024", "iwf_ai_reports_actioned_2023"]  # one IWF blog of 29 Apr 2025 gives both


def links(cited: list[str]) -> list[str]:
    return [re.search(r'href="([^"]+)"', c).group(1) for c in cited]


@pytest.mark.parametrize("name", bundled.names())
def test_no_two_citations_of_a_brief_or_report_share_a_link(name):
    fids = load_scenario(bundled.path(name)).figures
    for cited in (citations(fids), short_citations(fids, 100)[0]):
        assert len(links(cited)) == len(set(links(cited))), name


def test_no_two_citations_of_every_figure_share_a_link():
    cited = citations(table.ids())
    assert len(links(cited)) == len(set(links(cited)))


def test_a_blog_giving_figures_of_two_years_is_cited_once_by_its_date_and_those_years():
    assert table.figure(BLOG[0]).url == table.figure(BLOG[1]).url
    [short], more = short_citations(BLOG, 6)
    assert more == 0
    assert "</cite> (29 Apr 2025, figures for 2023 and 2024). " in short
    [full] = citations(BLOG)
    assert "</cite> (figures for 2023 and 2024). " in full  # its title already says 29 Apr 2025
    primary, _ = source_names(BLOG)
    assert primary == ["IWF, Parliamentarians join the IWF to tackle online child sexual abuse material "
                       "(29 Apr 2025, figures for 2023 and 2024)"]


def test_a_figure_year_alone_never_reads_as_a_publication_date():
    fids = load_scenario(bundled.path("growth-central")).figures
    primary, secondary = source_names(fids)
    for text in primary + secondary + short_citations(fids, 100)[0] + citations(fids):
        assert not re.search(r"\((?:\d{4}(?:, )?)+\)", text), text
    assert "UKAuthority (figures for 2015)" in secondary
    assert figure_source("iwf_reports_assessed_2024").endswith("(figure for 2024) [verified]")


@pytest.mark.parametrize("text, date", [
    ("Parliamentarians join the IWF (blog, 29 Apr 2025, summarising 2024 Annual Data & Insights Report)",
     "29 Apr 2025"),
    ("How AI is being abused (Oct 2023; page also hosts July 2024 update)", "Oct 2023"),
    ("Record number of images ... removed (news release 2019)", "2019"),
    ("Giblad (IWF press release 18 Apr 2018)", "18 Apr 2018"),
    ("YJLC (summarising IWF July 2024 update)", ""),  # the date of what it summarises, not its own
    ("inkl / The Independent (reporting IWF 2025 annual data)", ""),
    ("Annual Report 2023 - Reports analysis", ""),
])
def test_a_publication_date_is_read_from_brackets_only_where_it_stands_alone(text, date):
    assert sources.published_on(text) == date


def test_the_limitations_and_assumptions_date_a_figure_as_citations_do():
    """The report's limitations (caveats.readable) wrote "IWF, Annual Report 2022 (2021)" and its
    assumptions table "IWF (2024, verified)": a figure's year read as a publication date there too."""
    from capsim.report.assumptions import _source_html
    from capsim.report.caveats import readable

    assert readable("iwf_reports_assessed_2021") == "IWF, Annual Report 2022 (figures for 2021)"
    assert "(figure for 2024, verified)" in _source_html("test", "iwf_reports_assessed_2024")


def test_a_short_citation_keeps_its_publications_own_title():
    """Grouping the pages of one publication stripped the organisation from the title it showed:
    "INHOPE, <cite>Releases Annual Report 2024</cite>"."""
    fids = [f for f in table.ids() if f.startswith("inhope_")]
    shown = " ".join(short_citations(fids, 10)[0])
    assert "<cite>INHOPE Releases Annual Report 2024</cite>" in shown and "<cite>Releases" not in shown
