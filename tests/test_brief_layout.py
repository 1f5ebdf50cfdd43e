"""The brief shows every sentence and every chart whole, on screen and printed, however long its
findings run. A sheet of the brief was one A4 page cut off at its foot (``overflow:hidden``):
police-unit with both teams short (the plan's sentences for two teams) left its page-1 chart
40 mm, and the sheet hid the chart's lower half, the line that missed its target among it; in
growth-high the chart's footer was cut. Now a chart the text leaves less than
:data:`~capsim.report.brief.MIN_CHART_MM` moves, whole, to the next sheet. A brief of two scenarios
(growth-central, growth-high) printed on four pages: its findings ran past page 1, the sheet grew to
two pages, and page 2 held one limit and was otherwise blank; findings longer than a page now go
on at the top of the next, above the charts, and every page of these briefs is at least half filled.
A sheet whose first element is a chart never hands it on: moving it "with what follows it" emptied
the sheet and the next one over and over, and Chromium never finished the page. Checked in
headless Chromium, as tests/test_print_layout.py checks the brief's two pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from capsim.cli import app
from capsim.pdf import page_sizes
from capsim.report.brief import CSS, FLOW, MIN_CHART_MM, SHEET_MM, _figure
from tests.test_print_layout import measured_in_chromium, needs_chromium

A4_PX = round(210 / 25.4 * 96)
"""A window as wide as A4 paper, in CSS pixels."""

BOXES = """
<script>
(() => {
  const mm = 96 / 25.4, out = [], sheets = [];
  document.querySelectorAll('.sheet').forEach((sheet, i) => {
    const s = sheet.getBoundingClientRect();
    const drawn = (img) => {  // the chart as drawn in its box (object-fit: contain), from its SVG's own size
      const svg = atob(img.src.split(',')[1]), r = img.getBoundingClientRect();
      const [, w, h] = svg.match(/viewBox="0 0 ([\\d.]+) ([\\d.]+)"/).map(Number);
      return Math.min(r.height, r.width * h / w);
    };
    const blank = (el) => [...el.querySelectorAll('img')].reduce(
      (sum, img) => sum + img.getBoundingClientRect().height - drawn(img), 0);  // a chart's box about it
    const filled = [...sheet.children].reduce((sum, el) => sum + el.getBoundingClientRect().height - blank(el), 0);
    sheets.push({height: s.height / mm, filled: filled / mm, charts: [...sheet.querySelectorAll('figure img')].map(
      (img) => img.getBoundingClientRect().height / mm)});
    for (const el of sheet.querySelectorAll('h1, h2, p, li, figure, img')) {
      const r = el.getBoundingClientRect();
      if (r.top < s.top - 1 || r.bottom > s.bottom + 1 || r.left < s.left - 1 || r.right > s.right + 1)
        out.push(`${el.tagName.toLowerCase()}#${el.id} on sheet ${i + 1}: ${Math.round((r.top - s.top) / mm)}`
                 + ` to ${Math.round((r.bottom - s.top) / mm)} mm of its ${Math.round(s.height / mm)} mm`);
    }
  });
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if ([style.overflowX, style.overflowY].some((o) => o !== 'visible')
        && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1))
      out.push(`${el.tagName.toLowerCase()}.${el.className} cuts off what it holds`);
  }
  const pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify({sheets, out});
  document.body.appendChild(pre);
})();
</script>
"""
"""Lists each heading, paragraph, list item and chart that is not wholly inside its sheet, and
each box that cuts off what it holds; and gives each sheet's height, the height its text and charts
as drawn fill, and its charts' heights (mm)."""

SHORT_BOTH = ["police-unit", "--set", "workforce.triage.headcount=13", "--set", "workforce.investigation.headcount=15",
              "--set", "clock.horizon=2y", "--set", "workforce.triage.hiring.lead_time=91d",
              "--set", "workforce.investigation.hiring.lead_time=91d"]
"""The trial's police unit: both teams short of a target over two years, so the plan has sentences for both."""


@needs_chromium
@pytest.mark.slow
@pytest.mark.parametrize("scenario", [SHORT_BOTH, ["growth-high"], ["growth-central", "growth-high"]],
                         ids=["police-unit-both-short", "growth-high", "two-scenarios"])
def test_every_sentence_and_chart_of_the_brief_lies_whole_within_its_page(tmp_path: Path, scenario: list[str]):
    out = tmp_path / "brief"
    done = CliRunner().invoke(app, ["brief", *scenario, "-r", "2", "--workers", "1", "--out", str(out)])
    assert done.exit_code == 0, done.output
    measured = measured_in_chromium((out / "brief.html").read_text(encoding="utf-8"), BOXES, A4_PX)
    assert measured["out"] == [], measured
    sheets = measured["sheets"]
    assert all(sheet["height"] <= SHEET_MM[1] + 0.5 for sheet in sheets), sheets  # each sheet: one page
    assert all(sheet["filled"] >= SHEET_MM[1] / 2 for sheet in sheets), sheets  # none mostly blank
    charts = [height for sheet in sheets for height in sheet["charts"]]
    assert len(charts) >= 2 and min(charts) >= MIN_CHART_MM - 0.5, sheets  # none shrunk past legibility
    pages = len(page_sizes(out / "brief.pdf"))
    assert pages == len(sheets)  # printed as laid out: a page a sheet
    assert f"brief.pdf ({pages} pages)" in done.output and (f"on {pages} pages, not 2" in done.output) == (pages > 2)


SHEETS = """
<script>
(() => {
  const pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify([...document.querySelectorAll('.sheet')].map((sheet) => ({
    height: sheet.getBoundingClientRect().height * 25.4 / 96,
    children: [...sheet.children].map((el) => el.tagName.toLowerCase()),
    items: sheet.querySelectorAll('li').length})));
  document.body.appendChild(pre);
})();
</script>
"""
"""Gives each sheet's height (mm), its elements' tags and its list items."""


@needs_chromium
def test_a_sheet_that_starts_with_a_chart_keeps_it_and_hands_on_its_text():
    """A sheet of one chart and a sources list longer than the page: the script handed on the chart "with
    what follows it", the whole sheet, and did so again on every sheet it added, without end. The chart
    stays, the list goes on at the top of the next sheet, item by item, and no sheet is empty."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 400"><rect width="600" height="400"/></svg>'
    items = "".join(f"<li>Source {i}: a publication with a title long enough to fill a line of the list</li>"
                    for i in range(90))
    page = (f"<!DOCTYPE html><html><head><style>{CSS}</style></head><body><section class='sheet'>"
            f"{_figure('waits', svg, 'a chart')}<h2>Sources</h2><ul class='sources'>{items}</ul></section>"
            f"<script>{FLOW}</script></body></html>")
    sheets = measured_in_chromium(page, SHEETS, A4_PX)
    assert len(sheets) == 2 and sheets[0]["children"] == ["figure", "h2", "ul"] and sheets[1]["children"] == ["ul"]
    assert sum(sheet["items"] for sheet in sheets) == 90 and min(sheet["items"] for sheet in sheets) > 0
    assert all(sheet["height"] <= SHEET_MM[1] + 0.5 for sheet in sheets), sheets  # each sheet: one page
