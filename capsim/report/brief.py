"""The brief: A4 pages to hand over (two, as a rule) — key charts, quotable sentences, sources, main limits.

``capsim brief`` writes the full report (``report.html``, printed as ``report.pdf``: the
annex) and, beside it, ``brief.html`` printed as ``brief.pdf`` by headless Chromium
(:mod:`capsim.pdf`). The brief holds:

- the quotable sentences of :func:`capsim.report.findings.quotable_findings`, each with
  its 95% interval and the year a target is first missed, under each scenario's name where
  there are several (:func:`findings_html`);
- where the first scenario misses a target, the plan that would meet it and its cost
  (:func:`plan_cost_words`; a scenario's own cost is quoted only where its staff meet every
  target); with several scenarios, under a heading naming the scenario planned and why that one
  (:data:`FIRST_PLANNED`);
- the key charts (:data:`BRIEF_CHARTS`, those the run has), each with its text description
  as alt text and a one-line footer (scenario, seed, replications, :data:`BRIEF_SOURCES`, or :data:`NO_SOURCES`
  where the scenarios cite no published figure); with several
  scenarios, each chart of one scenario headed by its name (:func:`chart_scenarios`), so that a chart cut
  out of the brief still says whose it is;
- the readable citations of the publications used (:func:`capsim.sources.short_citations`);
- the main limits (the first of :func:`capsim.report.caveats.limitations`, on page 1 under the
  findings, so that page 2 leaves its two charts nearly the full width) and where the annex is.

It is laid out for A4 by its own stylesheet (:data:`CSS`), as sheets of one page each, page 2
starting on a new sheet: the first chart shares page 1 with the text, the others page 2 with the
sources. Nothing is cut off: a chart the text leaves less than :data:`MIN_CHART_MM` moves, whole,
to the next sheet (:data:`FLOW`), where the charts share the page, and findings longer than a page
(several teams planned, several scenarios compared) go on at the top of the next; no sheet is left
empty, and a brief may so take a third page. The test suite prints briefs and checks that every
sentence and chart lies whole within its page and that no page is empty (and, for the briefs it
prints, at least half filled).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from capsim.charts.by_year import by_year
from capsim.charts.describe import describe
from capsim.charts.files import svg_text
from capsim.charts.footer import one_line_footers
from capsim.compare import scenario_labels
from capsim.costs import unpriced_tools
from capsim.pdf import page_sizes, print_to_pdf
from capsim.report.caveats import limitations
from capsim.report.findings import quotable_findings, total_cost_words
from capsim.report.page import CHART_FORMATS, COUNTS_ONLY, _write_text, chart_prefixes, report_charts, write_report
from capsim.report.what_it_takes import WhatItTakes, what_it_takes, what_it_takes_findings, write_what_if
from capsim.sources import short_citations
from capsim.version import version
from capsim.words import NBSP, and_list

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult

BRIEF_CHARTS = ("by_year", "ai_share", "comparison", "backlog")
"""Chart stems a brief shows, in order of preference: the first three the report has (with
several scenarios, the first scenario's per-scenario charts)."""

CHARTS_IN_BRIEF = 3
"""Charts in the brief: one on the first page, two on the second (as the text leaves room: :data:`FLOW`)."""

LIMITS_IN_BRIEF = 3
"""Main limits quoted in the brief (the report lists them all)."""

BRIEF_SOURCES = "sources: listed in the brief".replace(" ", NBSP)
"""The footer of the brief's charts says where their sources are listed: one list, after the last
chart (on page 2 as a rule; :data:`FLOW` moves it on with a chart it moves). Its spaces do not
break, so that a footer wrapped over lines never splits it ("sources:" / "listed in the brief")."""

NO_SOURCES = "sources: no published figures; every input is an assumption"
"""The footer of the brief's charts where its scenarios cite no published figure: the brief then has
no list of sources for :data:`BRIEF_SOURCES` to point to (the full charts' footers say the same)."""

ANNEX = ("report.pdf", "report.html")
"""The files of the brief's annex, the full report, as ``capsim brief`` writes them: printed, and as
its page. The brief names those it travels with (:func:`brief_html`'s ``annex``)."""

SOURCES_IN_BRIEF = 6
"""Publications cited in the brief, primary sources first (the report cites them all)."""

SHEET_MM = (184, 274)
"""Width and height in mm of one sheet of the brief: A4 (210 × 297 mm) less the margins of its
``@page`` rule (13 mm each side, 11 mm top and bottom), less 1 mm of height for rounding."""

MIN_CHART_MM = 70
"""Height in mm a chart of the brief is never shrunk below: at 70 mm a chart 7.7 in tall at its
own size (base's backlog chart: three teams in its legend) is drawn at 36% of it, so its smallest
text (:data:`capsim.charts.style.MIN_FONT_PT`, 11 pt) prints at 4 pt; a shorter chart, larger."""

CSS = """
@page{size:A4;margin:11mm 13mm 11mm 13mm}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-family:"DejaVu Sans",system-ui,Arial,sans-serif;color:#222;margin:0;font-size:9pt;line-height:1.3}
.sheet{break-after:page;display:flex;flex-direction:column}
.sheet:last-of-type{break-after:auto}
header{border-bottom:2px solid #0072B2;padding-bottom:2mm;margin-bottom:2mm}
h1{font-size:15pt;line-height:1.2;margin:0 0 1mm}
h2{font-size:10.5pt;margin:2.5mm 0 1mm;color:#0b4f7c;break-after:avoid}
h3{font-size:9pt;margin:1mm 0 0.3mm;break-after:avoid}
.meta{color:#555;font-size:8pt;margin:0}
ul{margin:0;padding-left:4.5mm}
li{margin:0 0 0.4mm}
ul.findings li{font-size:9pt}
figure{margin:1mm 0 2mm;break-inside:avoid;text-align:center;flex:1 1 0;display:flex;flex-direction:column}
figure img{max-width:100%;flex:1 1 0;min-height:0;object-fit:contain}
figcaption{font-size:9pt;font-weight:bold;text-align:left;margin:0 0 0.5mm}
.sources li,.limits li{font-size:8pt}
.notice{font-size:7.5pt;color:#444;border-left:3px solid #0072B2;padding-left:2mm;margin-top:2mm}
a{color:#0b4f7c;word-break:break-all}
""" + f".sheet{{width:{SHEET_MM[0]}mm;min-height:{SHEET_MM[1]}mm}}figure{{min-height:{MIN_CHART_MM}mm}}\n"
"""The brief's stylesheet, for screen and print alike. A sheet is one page's text block
(:data:`SHEET_MM`) at least: its charts share the height its text leaves, each at least
:data:`MIN_CHART_MM`. A sheet whose text leaves less grows rather than cut anything off
(:data:`FLOW` then moves its last chart, or its last lines, on). A chart's heading (``figcaption``,
the scenario it shows) sits above it."""

FLOW = """
(() => {
  const page = %d * 96 / 25.4;  // a sheet's height in CSS pixels
  const sheets = document.getElementsByClassName('sheet');  // live: a sheet added below is visited too
  const heading = (el) => /^(HEADER|H[1-6])$/.test(el.tagName);
  for (const sheet of sheets) {
    while (sheet.getBoundingClientRect().height > page + 1 && sheet.children.length > 1) {
      let next = sheet.nextElementSibling;
      if (!next || !next.classList.contains('sheet')) {
        next = document.createElement('section');
        next.className = 'sheet';
        sheet.after(next);
      }
      // a chart but the sheet's first: that, with what follows it, would be the whole sheet
      const figures = [...sheet.querySelectorAll(':scope > figure')].filter((f) => f !== sheet.firstElementChild);
      const last = sheet.lastElementChild;
      if (figures.length) {  // the last chart, whole, with what follows it
        const moving = [figures[figures.length - 1]];
        while (moving[moving.length - 1].nextElementSibling) moving.push(moving[moving.length - 1].nextElementSibling);
        next.prepend(...moving);
      } else if (last.tagName === 'UL' && last.children.length > 1) {  // a list's last item, to the list's rest
        let rest = next.firstElementChild;
        if (!rest || rest.continues !== last) {
          rest = last.cloneNode(false);
          rest.continues = last;
          next.prepend(rest);
        }
        rest.prepend(last.lastElementChild);
      } else {
        next.prepend(last);
      }
      while (sheet.children.length > 1 && heading(sheet.lastElementChild)) next.prepend(sheet.lastElementChild);
    }
  }
})();
""" % SHEET_MM[1]
"""The brief's one script, run as the page loads (and so before Chromium prints it). A sheet taller
than a page hands on, to the top of the next sheet (a new one after the last), until it fits or only
its first element is left: its last chart but a first, whole, with what follows it (the sources stay
after the charts), where its text left a chart less than :data:`MIN_CHART_MM` (the charts then share
the next page); with no such chart, its text from the end, a list item by item, a heading with what
it heads. So findings longer than a page go on at the top of the next, with the charts below them.
What it guarantees: no sheet is left empty (each keeps its first element, so the sheets it adds
are finite), and nothing is cut off (a first element taller than a page alone prints on over the
pages it needs). It only takes from a sheet that overflows and never fills one from the next: the
last sheet may hold as little as a list item handed on, and a sheet whose chart moved keeps only
its text. Without scripts a sheet stays taller than a page: it prints on as many pages, nothing cut off."""


def pick_charts(svgs: dict[str, str]) -> list[str]:
    """The stems of the charts the brief shows (:data:`BRIEF_CHARTS` that exist; per-scenario
    stems of several runs end in ``-<chart>`` and the first scenario's is taken)."""
    picked = []
    for chart in BRIEF_CHARTS:
        stem = next((s for s in svgs if s == chart or s.endswith("-" + chart)), None)
        if stem is not None:
            picked.append(stem)
    return picked[:CHARTS_IN_BRIEF]


FIRST_PLANNED = "What it would take: {name} (the first scenario given, which the others are compared with)"
"""The heading of the plan in a brief of several scenarios: the one it plans (the brief plans only the
first), and why that one."""

GRANT_YEARS = ("A grant budget made with capsim (its grant command) plans twelve-month years from the grant's start "
               "date, not calendar years, so its figures differ from these.")
"""Why the plan and cost of a brief differ from those of ``capsim grant`` for the same scenario."""


def plan_cost_words(answer: WhatItTakes) -> list[str]:
    """The cost of the what-if run, the scenario staffed to plan (:func:`~capsim.report.findings.total_cost_words`:
    its total over the measured period with its 95% interval and price basis, as
    :data:`~capsim.report.what_it_takes.WHAT_IF_CSV` gives it), the tools it counts at 0 for want of a
    price (:func:`capsim.costs.unpriced_tools`), and why ``capsim grant`` gives other figures
    (:data:`GRANT_YEARS`); [] without a what-if run, or where nothing is costed."""
    total = total_cost_words(answer.result, keys=False) if answer.result is not None else ""
    if not total:
        return []
    plans = "that plan" if len(answer.plans) == 1 else "these plans"
    tools = unpriced_tools(answer.result.scenario)
    unpriced = f", {and_list(tools)} (no price set) counted at 0" if tools else ""
    return [f"With {plans}, {total[:1].lower()}{total[1:]}{unpriced}. {GRANT_YEARS}"]


def findings_html(results: Sequence[SimulationResult], plan: WhatItTakes | None) -> str:
    """The brief's key findings: each scenario's quotable sentences (with several, under its name) and,
    with ``plan`` (the first scenario's), the plan's sentences and cost (with several scenarios, under a
    heading that names the scenario planned: :data:`FIRST_PLANNED`)."""
    first, several = results[0], len(results) > 1
    groups = [(r.scenario.name if several else "", quotable_findings(r)) for r in results]
    if plan is not None:
        said = what_it_takes_findings(first, plan, brief=True) + plan_cost_words(plan)
        groups.append((FIRST_PLANNED.format(name=first.scenario.name) if several else "", said))
    out = ["<h2>Key findings</h2>"]
    for heading, sentences in groups:
        if heading:
            out.append(f"<h3>{html.escape(heading)}</h3>")
        out.append("<ul class='findings'>" + "".join(f"<li>{html.escape(x)}</li>" for x in sentences) + "</ul>")
    return "".join(out)


CHART_SCENARIO = "Scenario: {label}"
"""The heading of a chart of one scenario in a brief of several (:func:`chart_scenarios`)."""


def chart_scenarios(results: Sequence[SimulationResult], stems: Sequence[str]) -> dict[str, str]:
    """The charts of one scenario in a brief of several, by stem: the label of the scenario each shows
    (:func:`capsim.compare.scenario_labels`; its charts' stems begin with the prefix
    :func:`~capsim.report.page.chart_prefixes` makes of it). {} for one scenario, whose name is the
    brief's title; a chart of several scenarios (``comparison``) names them in its own title."""
    if len(results) < 2:
        return {}
    labels = scenario_labels(results)
    return {stem: label for stem in stems for prefix, label in zip(chart_prefixes(labels), labels)
            if stem.startswith(prefix + "-") and stem[len(prefix) + 1:] in BRIEF_CHARTS}


def _figure(stem: str, svg: str, alt: str, scenario: str | None = None) -> str:
    """A chart as a figure, inline; headed with ``scenario``'s label (:data:`CHART_SCENARIO`) where given."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    heading = f"<figcaption>{html.escape(CHART_SCENARIO.format(label=scenario))}</figcaption>" if scenario else ""
    return (f'<figure id="chart-{html.escape(stem)}">{heading}<img src="data:image/svg+xml;base64,{data}" '
            f'alt="{html.escape(alt, quote=True)}"></figure>')


def brief_citations(results: Sequence[SimulationResult]) -> tuple[list[str], int]:
    """The brief's list of sources: at most :data:`SOURCES_IN_BRIEF` citations of the publications
    ``results``' scenarios cite, as HTML, and how many more there are
    (:func:`capsim.sources.short_citations`); none where they cite no published figure."""
    return short_citations([f for r in results for f in r.scenario.figures], SOURCES_IN_BRIEF)


def brief_html(results: Sequence[SimulationResult], svgs: dict[str, str], alts: dict[str, str],
               plan: WhatItTakes | None = None, annex: Sequence[str] = ANNEX) -> str:
    """The brief as one self-contained HTML page (charts inline), laid out as two A4 sheets, or
    more where the findings run long or leave a chart too little room (:data:`FLOW`); with several
    scenarios, each chart of one scenario headed by its name (:func:`chart_scenarios`). Its last
    words name the files of the annex it travels with, ``annex`` (:data:`ANNEX` as a rule)."""
    first = results[0]
    s = first.scenario
    title = s.title or s.name if len(results) == 1 else "Comparison: " + " · ".join(r.scenario.name for r in results)
    stems = pick_charts(svgs)
    whose = chart_scenarios(results, stems)
    esc = html.escape
    one = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
           f"<title>capsim brief: {esc(title)}</title><style>{CSS}</style></head><body>",
           "<section class='sheet'><header>",
           f"<p class='meta'>capsim brief · {first.replications} replications · seed {first.seed} · "
           f"capsim {esc(version())}</p><h1>{esc(title)}</h1></header>",
           findings_html(results, plan)]
    limits = limitations([r.scenario for r in results], first.replications)[:LIMITS_IN_BRIEF]
    one.append("<h2>Main limits</h2><ul class='limits'>" + "".join(f"<li>{esc(x)}</li>" for x in limits) + "</ul>")
    if stems:
        one.append(_figure(stems[0], svgs[stems[0]], alts.get(stems[0], stems[0]), whose.get(stems[0])))
    one.append("</section>")
    two = ["<section class='sheet'>"]
    two += [_figure(stem, svgs[stem], alts.get(stem, stem), whose.get(stem)) for stem in stems[1:]]
    cited, more = brief_citations(results)
    if cited:
        two.append("<h2>Sources</h2><ul class='sources'>" + "".join(f"<li>{x}</li>" for x in cited)
                   + (f"<li>and {more} more publications: the annex lists every source with its link.</li>"
                      if more else "")
                   + "</ul>")
    two.append(f"<p class='notice'>The full report is the annex ({esc(', '.join(annex))}): every finding with its "
               f"interval, all charts, every assumption with its source, methods and all limitations. "
               f"{esc(COUNTS_ONLY)}</p></section><script>{FLOW}</script></body></html>\n")
    return "\n".join(one + two)


def write_brief(folder: str | Path, results: Sequence[SimulationResult], manifests: Sequence[dict | None] | None = None,
                *, overrides: Sequence[str] = (), plan: bool = True, workers: int = 1) -> tuple[Path, int]:
    """Write the report (the annex: ``report.html``, ``report.pdf``, ``charts/``) and the brief
    (``brief.html``, ``brief.pdf``) into ``folder``; return the brief's path and its page count.

    With ``plan``, a first run that misses a target gets its what-it-would-take plan and what-if
    run (:mod:`capsim.report.what_it_takes`), in the report and the brief."""
    page, report = write_brief_html(folder, results, manifests, overrides=overrides, plan=plan, workers=workers)
    pdf = print_to_pdf(page, Path(folder) / "brief.pdf")
    print_to_pdf(report, Path(folder) / "report.pdf")
    return pdf, len(page_sizes(pdf))


def write_brief_html(folder: str | Path, results: Sequence[SimulationResult],
                     manifests: Sequence[dict | None] | None = None, *, overrides: Sequence[str] = (),
                     plan: bool = True, workers: int = 1, formats: Sequence[str] = CHART_FORMATS,
                     annex: Sequence[str] = ANNEX) -> tuple[Path, Path]:
    """Write the report (``report.html``, ``charts/`` in ``formats``) and the brief's page
    (``brief.html``, naming the annex's files ``annex``: :func:`brief_html`) into ``folder``, without
    printing either (:func:`write_brief` prints them); return both paths. A chart without its PNG's
    ``.txt`` description is described afresh. The what-if run's figures go to their own CSV
    (:func:`~capsim.report.what_it_takes.write_what_if`)."""
    folder = Path(folder)
    answer = what_it_takes(results[0], workers) if plan else None
    write_what_if(folder, answer)
    report = write_report(folder, results, manifests, overrides=overrides, what_it_takes=answer, formats=formats,
                          workers=workers)
    charts = folder / "charts"
    alts = {f.stem: f.read_text(encoding="utf-8").strip() for f in sorted(charts.glob("*.txt"))}
    # the brief's charts: one footer line, pointing to the brief's list of sources where it has one
    with one_line_footers(BRIEF_SOURCES if brief_citations(results)[0] else NO_SOURCES):
        figs = report_charts(results)
        if answer is not None and answer.result is not None and not answer.result.period_summary.empty:
            figs["what_if-by_year"] = by_year(answer.result)
        svgs = {stem: svg_text(fig) for stem, fig in figs.items() if stem in pick_charts(dict.fromkeys(figs))}
        alts = {stem: alts.get(stem) or describe(figs[stem]) for stem in svgs}
    page = folder / "brief.html"
    _write_text(page, brief_html(results, svgs, alts, answer, annex))
    return page, report
