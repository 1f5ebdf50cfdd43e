"""Every figure a scenario can cite has a readable source (capsim.sources)."""

from __future__ import annotations

import html

import pytest

from capsim import calibration, sources
from capsim import figures as table

ALL_IDS = table.ids()


@pytest.mark.parametrize("fid", ALL_IDS)
def test_every_figure_has_a_citation_with_organisation_title_year_and_link(fid):
    f = table.figure(fid)
    assert f.organisation.strip() and f.title.strip() and f.url.startswith("http"), fid
    [text] = sources.citations([fid])
    for part in (f.organisation, f.title, str(f.year), f.url):
        assert html.escape(part) in text, (fid, part)
    title_at = text.index(html.escape(f.title))
    assert text.index(html.escape(f.organisation)) < title_at  # organisation, title, year, link
    assert title_at < text.index(str(f.year), title_at) < text.index(html.escape(f.url), title_at)


@pytest.mark.parametrize("fid", sorted(calibration.DERIVED))
def test_every_derived_parameter_names_its_published_figures(fid):
    """Traced through the functions that make it, including fits of published series."""
    organisation, ids = sources.figure_origin(fid)
    assert ids, f"{fid}: no published figure found behind it"
    assert set(ids) <= set(ALL_IDS)
    assert organisation != "capsim.calibration"
    assert sources.citations([fid])  # cited by the figures it comes from


def test_primary_sources_are_cited_before_secondary_reports():
    secondary = next(i for i in ALL_IDS if sources.is_secondary(table.figure(i).organisation))
    primary = next(i for i in ALL_IDS if not sources.is_secondary(table.figure(i).organisation))
    cited = sources.citations([secondary, primary])
    assert html.escape(table.figure(primary).title) in cited[0]
    assert html.escape(table.figure(secondary).title) in cited[-1]


@pytest.mark.parametrize("fid", ["iwf_reports_assessed_doubling_time_central_days", "iwf_reports_assessed_growth_a_year",
                                 "iwf_reports_assessed_growth_a_year_sd"])
def test_a_fit_of_one_named_series_cites_that_series_alone(fid):
    """The reports-assessed fit reads iwf-reports-assessed through growth_fit.fit_series, whose own
    code names other series too (the AI reports): those are not its sources."""
    _, ids = sources.figure_origin(fid)
    assert ids and all(i.startswith(("iwf_reports_assessed_", "iwf_reports_processed_")) for i in ids), ids
