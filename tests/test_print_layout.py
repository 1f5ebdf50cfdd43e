"""Printing: the brief is two A4 pages (more where its findings run long, with nothing cut off:
tests/test_brief_layout.py), the report prints on A4 with nothing cut off at the right edge, and
every chart carries its description — checked in headless Chromium (the Debian package
``chromium``; .ci/run installs it)."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capsim.cli import app
from capsim.pdf import chromium_command, find_chromium, is_a4, page_sizes
from capsim.report.brief import BRIEF_SOURCES
from tests.conftest import built_once

runner = CliRunner()

needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="needs Chromium (apt-get install chromium)")

A4_CONTENT_PX = round((210 - 2 * 15) / 25.4 * 96)
"""Width of the report's printed text block in CSS pixels: A4 less its 15 mm margins (the report's @page)."""

MEASURE = """
<script>
(() => {
  const page = document.documentElement.clientWidth;
  const out = [];
  const clipping = (el) => ['hidden', 'auto', 'scroll', 'clip'].includes(getComputedStyle(el).overflowX);
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (el.ownerSVGElement) continue;  // inside a chart: the chart's own box is what is checked
    const name = `${el.tagName.toLowerCase()}#${el.id}.${typeof el.className === 'string' ? el.className : ''}`;
    let scroller = el.parentElement;  // the nearest box around it that scrolls (or clips) sideways
    while (scroller && !clipping(scroller)) scroller = scroller.parentElement;
    if (r.right > page + 1) out.push(scroller ? `${name} scrolls in its box to ${Math.round(r.right)}px`
                                              : `${name} sticks out to ${Math.round(r.right)}px`);
    else if (clipping(el) && el.scrollWidth > el.clientWidth + 1)
      out.push(`${name} cuts ${el.scrollWidth - el.clientWidth}px off`);
  }
  const pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify({page, scroll: document.documentElement.scrollWidth, out});
  document.body.appendChild(pre);
})();
</script>
"""


def overflowing(page: Path, width_px: int, printed: bool = True) -> dict:
    """Lay ``page`` out with its print stylesheet (or, not ``printed``, as on screen) in a window
    ``width_px`` wide in headless Chromium and list what sticks out past the right edge or is
    cut off by a scrolling box."""
    text = page.read_text(encoding="utf-8")
    if printed:
        text = text.replace("@media print", "@media all")  # the print rules, applied at the printed width
    return measured_in_chromium(text, MEASURE, width_px)


def measured_in_chromium(text: str, script: str, width_px: int) -> dict:
    """Lay out the page ``text`` in headless Chromium in a window ``width_px`` wide, with ``script``
    (a ``<script>`` that leaves JSON in a ``<pre id="measured">``) run last in its body, after the
    page's own scripts; return that JSON."""
    text = text.replace("</body>", script + "</body>")
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "page.html"
        copy.write_text(text, encoding="utf-8")
        command = chromium_command(find_chromium(), Path(scratch) / "profile", "--dump-dom",
                                   f"--window-size={width_px},1400", "--hide-scrollbars", copy.as_uri())
        dom = subprocess.run(command, capture_output=True, text=True, timeout=180, check=True).stdout
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert found, "the measuring script did not run"
    import html

    return json.loads(html.unescape(found.group(1)))


def write_brief(folder: Path) -> None:
    """A brief of a two-year growth run (two calendar years, so the year-by-year parts show) in ``folder/out``."""
    result = runner.invoke(app, ["brief", "scenarios/growth-central.yaml", "--replications", "2", "--out",
                                 str(folder / "out"), "--set", "clock.horizon=731d", "--no-what-it-takes"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def briefed(tmp_path_factory, worker_id):
    """The brief's output folder, written once per test run; the tests only read it."""
    return built_once(tmp_path_factory, worker_id, "brief", write_brief) / "out"


@needs_chromium
def test_the_brief_is_two_a4_pages(briefed):
    sizes = page_sizes(briefed / "brief.pdf")
    assert len(sizes) == 2, sizes
    assert all(is_a4(size) for size in sizes), sizes
    annex = page_sizes(briefed / "report.pdf")
    assert len(annex) > 2 and all(is_a4(size) for size in annex)


@needs_chromium
def test_nothing_in_the_brief_is_cut_off(briefed):
    measured = overflowing(briefed / "brief.html", round(184 / 25.4 * 96))
    assert measured["out"] == [], measured


@needs_chromium
def test_the_report_prints_on_a4_with_nothing_cut_off(briefed):
    measured = overflowing(briefed / "report.html", A4_CONTENT_PX)
    assert measured["scroll"] <= measured["page"], measured
    assert measured["out"] == [], measured


def test_every_chart_has_its_description(briefed):
    page = (briefed / "report.html").read_text(encoding="utf-8")
    labels = re.findall(r'<figure id="chart-[^"]*"><svg[^>]*aria-label="([^"]*)"', page)
    assert labels and all(len(label) > 60 and re.search(r"\d", label) for label in labels), labels
    brief = (briefed / "brief.html").read_text(encoding="utf-8")
    alts = re.findall(r'<img[^>]*alt="([^"]*)"', brief)
    assert 3 <= len(alts) <= 4 and all(re.search(r"\d", alt) for alt in alts)
    for png in (briefed / "charts").glob("*.png"):
        text = png.with_suffix(".txt").read_text(encoding="utf-8")
        assert len(text) > 60 and re.search(r"\d", text), png.name


def test_no_output_names_the_machine_it_ran_on(briefed):
    here = str(Path.cwd())
    for path in briefed.rglob("*"):
        if path.suffix in {".html", ".csv", ".json", ".txt", ".svg"}:
            text = path.read_text(encoding="utf-8")
            assert here not in text and str(Path.home()) not in text and "/tmp/" not in text, path.name


def test_the_briefs_charts_have_one_line_footers_and_one_sources_list(briefed):
    import base64

    brief = (briefed / "brief.html").read_text(encoding="utf-8")
    charts = [base64.b64decode(x).decode("utf-8") for x in re.findall(r'src="data:image/svg\+xml;base64,([^"]*)"', brief)]
    assert len(charts) == 3
    for svg in charts:  # each chart's footer: one line that points to the brief's list, no list of publications
        assert BRIEF_SOURCES in svg and "Sources:" not in svg and "As reported by" not in svg
    assert brief.count("<h2>Sources</h2>") == 1
    limits = brief.split("<h2>Main limits</h2>")[1].split("</ul>")[0]
    assert "capsim uncertainty" in limits and "_20" not in limits  # no figure ids such as iwf_2023_...
