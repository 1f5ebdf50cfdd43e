"""On screen: the report and the uncertainty page are never wider than the window, at 1200 px
(a laptop) or 800 px (a half screen). A long web address wraps; a chart shrinks to the page; a
table that may be wider than the window (a column per scenario, per year) scrolls sideways in a
box of its own. It used to scroll the whole page: a source's address ran 65 px past 1200 px, the
assumptions table of two scenarios past 800 px, and the uncertainty page's charts were drawn at
their 960 px. Checked in headless Chromium, as tests/test_print_layout.py checks the print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capsim.cli import app
from tests.test_print_layout import briefed, needs_chromium, overflowing  # noqa: F401 (briefed: the shared report)
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
