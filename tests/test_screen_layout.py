"""On screen: the report and the uncertainty page are never wider than the window, at 1200 px
(a laptop) or 800 px (a half screen). A long web address wraps; a chart shrinks to the page; a
table that may be wider than the window (a column per scenario, per year) scrolls sideways in a
box of its own. It used to scroll the whole page: a source's address ran 65 px past 1200 px, the
assumptions table of two scenarios past 800 px, and the uncertainty page's charts were drawn at
their 960 px. A year's label in the year table ("2027 (Apr–Dec)") is never broken inside its
dates, on screen or printed. Checked in headless Chromium, as tests/test_print_layout.py checks the print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capsim.cli import app
from tests.test_print_layout import A4_CONTENT_PX, briefed, measured_in_chromium, needs_chromium, overflowing  # noqa: F401 (briefed: the shared report)
from tests.test_uncertainty import uncertain_mmc

WINDOWS = (1200, 800)
"""Window widths in CSS pixels."""


def sticking_out(page: Path, width_px: int) -> dict:
    """What of ``page`` on screen ``width_px`` wide sticks out past the window's right edge (a box
    that scrolls within itself is allowed), and how wide the page scrolls."""
    measured = overflowing(page, width_px, printed=False)
    return {"page": measured["page"], "scroll": measured["scroll"],
            "out": [line for line in measured["out"] if "sticks out" in line]}


@needs_chromium
@pytest.mark.parametrize("width", WINDOWS)
def test_the_report_is_no_wider_than_the_window(briefed, width):
    measured = sticking_out(briefed / "report.html", width)
    assert measured["scroll"] <= measured["page"] and measured["out"] == [], measured


def test_every_table_of_the_report_scrolls_in_a_box_of_its_own(briefed):
    """A column per scenario (assumptions) or per measure (years): with enough of them any table is
    wider than a window, and then only the table may scroll, not the page."""
    page = (briefed / "report.html").read_text(encoding="utf-8")
    tables = re.findall(r"(<div class='[a-z]+'>)?<table", page)
    assert tables and all(box in ("<div class='wide'>", "<div class='years'>") for box in tables), tables
    css = page.split("<style>")[1].split("</style>")[0]
    assert ".years,.wide{overflow-x:auto}" in css


@needs_chromium
def test_the_uncertainty_page_is_no_wider_than_the_window(tmp_path):
    out = tmp_path / "u"
    done = CliRunner().invoke(app, ["uncertainty", uncertain_mmc(tmp_path, days=0.5), "-n", "4", "-r", "2",
                                    "--out", str(out)])
    assert done.exit_code == 0, done.output
    for width in WINDOWS:
        measured = sticking_out(out / "uncertainty.html", width)
        assert measured["scroll"] <= measured["page"] and measured["out"] == [], (width, measured)


YEAR_ROWS = """
<script>
(() => {
  const out = [];
  for (const box of document.querySelectorAll('.years')) {
    if (box.scrollWidth > box.clientWidth + 1) out.push(`a year table scrolls ${box.scrollWidth - box.clientWidth}px`);
    for (const row of box.querySelectorAll('th[scope=row]')) {
      const text = document.createRange();
      text.selectNodeContents(row);
      const lines = new Set([...text.getClientRects()].map((r) => Math.round(r.top))).size;
      if (lines > 1) out.push(`${row.textContent} on ${lines} lines`);
    }
  }
  const pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""
"""Lists each year table that scrolls sideways and each year's label that runs over more than one line."""


@pytest.fixture(scope="module")
def police_two_years(tmp_path_factory) -> Path:
    """police-unit over two years: its years are named by their days and a time, the longest labels
    ("2025 (1 Jan–31 Dec 12:00)"), in a table of eight columns."""
    out = tmp_path_factory.mktemp("police") / "report"
    done = CliRunner().invoke(app, ["report", "police-unit", "--set", "clock.horizon=2y", "-r", "2", "--workers", "1",
                                    "--out", str(out)])
    assert done.exit_code == 0, done.output
    return out / "report.html"


@needs_chromium
@pytest.mark.parametrize("width", [1200, "printed"])
@pytest.mark.parametrize("which", ["growth-central", "police-unit"])
def test_a_years_label_never_breaks_inside_its_dates_and_the_table_still_fits(briefed, police_two_years, which, width):
    """The year table broke "2027 (Apr–Dec)" into "2027 (Apr–" and "Dec)" at 1200 px and in print;
    police-unit's table fitted 1200 px only by breaking "2025 (1 Jan–31 Dec 12:00)" over three lines.
    Each label is now one line, and the table still fits: the intervals below the means wrap instead."""
    page = briefed / "report.html" if which == "growth-central" else police_two_years
    text = page.read_text(encoding="utf-8")
    assert "–" in text.split("scope='row'>")[1].split("<")[0]  # the first year is a part year: a range of dates
    if width == "printed":
        text, width = text.replace("@media print", "@media all"), A4_CONTENT_PX
    assert measured_in_chromium(text, YEAR_ROWS, width) == []
