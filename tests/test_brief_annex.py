"""The brief's last words name its annex's files (:func:`capsim.report.brief.brief_html`'s ``annex``):
``capsim brief`` writes report.pdf and report.html beside it and says so; the web page, where Chromium
cannot print, hands over report.html alone, and the brief must not send its reader to a report.pdf
that is not there (tests/test_web_app.py checks the download)."""

from __future__ import annotations

import re

from capsim import bundled, simulate
from capsim.report.brief import brief_html
from capsim.scenario import load_scenario


def annex_named(page: str) -> str:
    """The annex's files as the brief's closing notice names them."""
    return re.search(r"The full report is the annex \(([^)]*)\)", page).group(1)


def test_the_brief_names_exactly_the_annex_files_it_travels_with():
    result = simulate(load_scenario(bundled.path("base"), ["clock.horizon=40d"]), replications=2)
    assert annex_named(brief_html([result], {}, {})) == "report.pdf, report.html"  # as capsim brief writes them
    assert annex_named(brief_html([result], {}, {}, annex=("report.html",))) == "report.html"
