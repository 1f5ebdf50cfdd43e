"""The HTML page: sections in order, charts inline as SVG, the CSS; writing report.html and its charts.

Why it is one module (over 400 lines): the sections, their captions and the CSS are laid out
together (a caption's wording and a section's class are read side by side), and the page inlines
the very chart files it has just written, so that report.html and charts/ always show the same charts.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from capsim import charts
from capsim.report.assumptions import _assumptions_html, _sources_list
from capsim.report.caveats import limitations
from capsim.charts.backlog import band_words
from capsim.charts.describe import describe
from capsim.charts.compare import what_differs, year_difference_lines
from capsim.charts.sensitivity import tornado_finding
from capsim.compare import team_lines
from capsim.charts.growth_words import growth_sentence
from capsim.report.findings import comparison_lines, headline_findings
from capsim.report.what_it_takes import WHAT_IF_CSV, WhatItTakes, what_it_takes_findings
from capsim.report.years import year_findings, year_table_html
from capsim.report.flow import flow_svg, routing_rules
from capsim.report.stress_des import methods
from capsim.output import OutputError, safe_name
from capsim.version import version

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult


SECTIONS = {
    "findings": "Headline findings",
    "charts": "Charts",
    "flow": "What is modelled",
    "assumptions": "Assumptions and sources",
    "methods": "Methods (STRESS-DES)",
    "limitations": "Limitations",
    "scope": "What capsim does and does not do",
}
"""Section ids of the report and their headings, in order."""


COUNTS_ONLY = ("capsim models counts and durations only: an item is a row of numbers (when it arrived, how long "
               "its review takes, a few yes/no attributes). It never reads, stores or handles any content.")


CHART_FORMATS = ("png", "svg")
"""Formats written beside a report (a run's folder): PNG for slides, SVG for print and the web."""


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:#222;margin:0;
background:#fff;line-height:1.5;font-size:16px;overflow-wrap:break-word}
a{overflow-wrap:anywhere}
svg{max-width:100%;height:auto}
main{max-width:1060px;margin:0 auto;padding:24px 28px 60px}
h1{font-size:30px;line-height:1.2;margin:8px 0 4px}
h2{font-size:23px;margin:44px 0 10px;padding-top:10px;border-top:2px solid #0072B2}
h3{font-size:18px;margin:22px 0 6px}
.lede{font-size:18px;color:#333;margin:4px 0}
.meta{color:#555;font-size:14px}
.notice{background:#F3F7FB;border-left:4px solid #0072B2;padding:8px 14px;margin:14px 0;font-size:15px}
nav ol{columns:2;font-size:15px;padding-left:20px}
ul.findings li{margin:6px 0}
figure{margin:22px 0 30px;padding:0}
figure svg{width:100%;height:auto;display:block}
figcaption{color:#444;font-size:14.5px;margin-top:6px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid #ddd;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4;position:sticky;top:0}
td.value{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.key{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:13px;width:34%}
tr.figure td{background:#F2F9F5}
.flow{border:1px solid #ddd;border-radius:6px;padding:8px;overflow-x:auto}
.flow svg{min-width:820px}
dl.methods dt{font-weight:bold;margin-top:10px}
dl.methods dd{margin:2px 0 0 0}
.small{font-size:13.5px;color:#555}
.years,.wide{overflow-x:auto}
.years table{font-size:13px}
.years td small{color:#555;white-space:normal}
.years th[scope=row]{white-space:nowrap}
caption{caption-side:top;text-align:left;color:#555;font-size:13.5px;padding:4px 0}
@page{size:A4;margin:15mm}
@media print{
body{font-size:10pt;line-height:1.4}
main{max-width:none;padding:0;margin:0}
nav{display:none}
h1{font-size:20pt}
h2{font-size:15pt;margin-top:18pt;break-before:auto}
h2,h3,caption{break-after:avoid;page-break-after:avoid}
figure,tr,li,dt,dd,.flow{break-inside:avoid;page-break-inside:avoid}
.flow{overflow:visible;border:0;padding:0}
.flow svg{min-width:0;width:100%;height:auto}
.years,.wide{overflow:visible}
table{font-size:8.5pt;table-layout:fixed;width:100%}
.years table{font-size:8pt;table-layout:auto}
th{position:static}
th,td{overflow-wrap:anywhere;word-break:break-word;padding:3px 4px}
td.value,.years td small{white-space:normal}
td.key{font-size:8pt}
thead{display:table-header-group}
a{color:inherit}
code{white-space:pre-wrap;overflow-wrap:anywhere}
}
"""


def _inline_svg(svg: str, label: str) -> str:
    """Chart SVG ready to sit in the page: no prolog, scalable, labelled for screen readers."""
    svg = charts.strip_svg_prolog(svg)
    head_end = svg.find(">")
    head = svg[:head_end]
    head = re.sub(r'\s(width|height)="[^"]*"', "", head)
    head += f' width="100%" role="img" aria-label="{html.escape(label, quote=True)}"'
    return head + svg[head_end:]


CAPTIONS = {
    "time_to_assessment": "How long items wait. Each dot is one replication's statistic over all its items, so the "
                          "spread of dots is run-to-run variation, not the spread of single items' waits. Dashed "
                          "lines mark the service-level deadlines; the right panel shows the share of each priority "
                          "assessed within its deadline against its target.",
    "exposure": "Hours of review (time spent viewing material) per analyst on each shift with any review, one dot per "
                "replication, against each team's daily exposure cap where it has one.",
    "comparison": "Each metric per scenario with its 95% confidence interval (left), and the difference from the first "
                  "scenario (right), taken replication by replication under the same seed.",
    "sla_vs_headcount": "Service-level attainment against headcount, every headcount run with the same seed; the band "
                        "is the 95% confidence interval of the mean.",
    "by_year": "Each calendar year at its own level: the share of each service level's items assessed within the "
               "deadline, against the target, and the number of items waiting averaged over the year (exact, not a "
               "sample). Diamonds are means over the replications, bars their 95% confidence intervals.",
    "ai_share": "AI-generated items reaching staff (after hash matching, where it is on), a day on average over each calendar year, "
                "and their share of all items from the streams reaching staff in any team; beyond the last published year these are "
                "projections of the scenario's growth.",
    "tornado": "One-at-a-time sensitivity: the metric when each parameter is lowered (blue) or raised (orange) by the "
               "swing, from the base run's value (black line).",
}


def chart_prefixes(labels: Sequence[str]) -> list[str]:
    """Each scenario's chart-file prefix: its label as one plain file name
    (:func:`capsim.output.safe_name`; ``scenario`` for a label with no letter or digit), with
    ``-2``, ``-3`` ... added where an earlier label gives the same (``a/b`` and ``a b``), so that
    no scenario's charts overwrite another's."""
    prefixes: list[str] = []
    for label in labels:
        try:
            stem = safe_name(label)
        except OutputError:
            stem = "scenario"
        prefix, k = stem, 1
        while prefix in prefixes:
            k += 1
            prefix = f"{stem}-{k}"
        prefixes.append(prefix)
    return prefixes


def report_charts(results: Sequence[SimulationResult], sweep: pd.DataFrame | None = None,
                  sensitivity: pd.DataFrame | None = None) -> dict[str, Any]:
    """The report's charts by file stem: each run's three charts (prefixed by scenario when
    there are several), the comparison when there are several runs, and the headcount sweep
    and tornado when their tables are given."""
    figs: dict[str, Any] = {}
    several = len(results) > 1
    for prefix, r in zip(chart_prefixes(charts.scenario_labels(results)), results):
        for stem, fig in charts.run_charts(r).items():
            figs[f"{prefix}-{stem}" if several else stem] = fig
    if several:
        figs["comparison"] = charts.comparison(results)
    if sweep is not None:
        figs["sla_vs_headcount"] = charts.sla_vs_headcount(sweep, results[0].scenario)
    if sensitivity is not None:
        figs["tornado"] = charts.tornado(sensitivity, results[0].scenario)
    return figs


def backlog_caption(replications: int) -> str:
    """The backlog chart's caption for a run of ``replications``, naming its bands in the chart's
    own legend words (:func:`capsim.charts.backlog.band_words`): a caption's "90%" beside a legend's
    "range of 5 replications" would contradict it."""
    outer, inner, _ = band_words(replications)
    if outer is None:
        drawn = "Line: the one replication; no band."
    elif inner is None:
        drawn = f"Line: median of the replications; band: {outer}."
    else:
        drawn = f"Line: median of the replications; darker band: {inner}; lighter band: {outer}."
    return f"Items waiting over time. {drawn} The lower panel shows the capacity on shift."


def _caption(stem: str, replications: int) -> str:
    """The caption of the chart saved as ``stem`` (a key of :data:`CAPTIONS`, or ``backlog``, alone or
    after a scenario's prefix) in a run of ``replications``; "" for a chart with none."""
    captions = {"backlog": backlog_caption(replications), **CAPTIONS}
    for key, text in captions.items():
        if stem == key or stem.endswith("-" + key):
            return text
    return ""


def render_report(
    results: Sequence[SimulationResult],
    chart_svgs: dict[str, str],
    manifests: Sequence[dict | None] | None = None,
    overrides: Sequence[str] = (),
    sensitivity: pd.DataFrame | None = None,
    descriptions: dict[str, str] | None = None,
    what_it_takes: WhatItTakes | None = None,
    by_year: pd.DataFrame | None = None,
) -> str:
    """The whole report as one HTML string; ``chart_svgs`` maps chart stems to SVG text and
    ``descriptions`` them to their text descriptions (:func:`capsim.charts.describe.describe`:
    the charts' labels for screen readers). ``what_it_takes``: the plan meeting the targets the
    first run misses, and its what-if run, shown beside it. ``by_year``: the runs' per-year paired
    differences (:func:`capsim.compare.compare_by_year`) where already worked out, else worked out here."""
    descriptions = descriptions or {}
    if not results:
        raise ValueError("a report needs at least one run")
    manifests = list(manifests or [None] * len(results))
    first = results[0]
    s = first.scenario
    names = [r.scenario.name for r in results]
    title = (f"{s.title or s.name}" if len(results) == 1 else "Comparison: " + " · ".join(names))
    capsim_version = version()
    started = (manifests[0] or {}).get("started") or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    out = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>capsim report: {html.escape(title)}</title>",
           f'<meta name="generator" content="capsim {html.escape(capsim_version)}">',
           f"<style>{CSS}</style></head><body><main>",
           f"<header><p class='meta'>capsim report</p><h1>{html.escape(title)}</h1>"]
    for r in results:
        sc = r.scenario
        desc = f" {html.escape(' '.join(sc.description.split()))}" if sc.description else ""
        out.append(f"<p class='lede'><strong>{html.escape(sc.name)}</strong>"
                   f"{': ' + html.escape(sc.title) if sc.title else ''}.{desc}</p>")
    out.append(f"<p class='meta'>{first.replications} replications · seed {first.seed} · capsim {html.escape(capsim_version)} "
               f"· run {html.escape(str(started))}</p>")
    out.append(f"<p class='notice'>{html.escape(COUNTS_ONLY)}</p></header>")
    out.append("<nav><ol>" + "".join(f'<li><a href="#{k}">{v}</a></li>' for k, v in SECTIONS.items()) + "</ol></nav>")

    # findings
    out.append(f'<section id="findings"><h2>{SECTIONS["findings"]}</h2>')
    # the first findings of a run of several years compare calendar years: their rows, not the whole run's
    rows = ("rows for the whole run (period all), or, in a finding that names a calendar year, that year's row"
            if any(year_findings(r) for r in results) else "rows for the whole run (period all)")
    what_if = (f" Those under What it would take are the what-if run's, in {WHAT_IF_CSV}, not summary.csv."
               if what_it_takes is not None and what_it_takes.result is not None else "")
    out.append("<p class='small'>Means over the replications, each with its 95% confidence interval; the same "
               f"numbers as summary.csv's {rows}. A finding gives all its waits in one unit: "
               f"hours, or days where the longest is above 48 hours.{what_if}</p>")
    for r in results:
        if len(results) > 1:
            out.append(f"<h3>{html.escape(r.scenario.name)}</h3>")
        out.append("<ul class='findings'>" + "".join(f"<li>{html.escape(f)}</li>" for f in headline_findings(r)) + "</ul>")
        years = year_table_html(r)
        if years:
            out.append(f"<h3>Year by year{': ' + html.escape(r.scenario.name) if len(results) > 1 else ''}</h3>{years}")
    if what_it_takes is not None:
        out.append("<h3>What it would take</h3><ul class='findings'>" + "".join(
            f"<li>{html.escape(x)}</li>" for x in what_it_takes_findings(first, what_it_takes)) + "</ul>")
        if what_it_takes.result is not None:
            out.append(year_table_html(what_it_takes.result))
    if len(results) > 1:
        table = charts.paired_differences(results)
        first_label = table.scenario.iloc[0]
        out.append("<h3>Differences</h3>")
        growth = growth_sentence([r.scenario for r in results])
        if growth:  # what the scenarios assume differently drives their differences: said before them
            out.append(f"<p>{html.escape(growth)}</p>")
        differing = what_differs([r.scenario for r in results], list(dict.fromkeys(table.scenario)), bool(growth))
        if differing:  # and every other setting that differs (not the growth again), as capsim compare says them
            out.append(f"<p>{html.escape(differing)}</p>")
        queues = team_lines(list(results))  # a total can hide one team's queue growing: each team's own first
        turning = year_difference_lines(list(results), by_year)  # a difference that turns between calendar years
        for other, lines in comparison_lines(table, s).items():
            lines = [*queues.get(other, []), *lines, *turning.get(other, [])]
            out.append(f"<p>{html.escape(other)} compared with {html.escape(first_label)}, replication by replication "
                       "under the same seed (paired differences):</p><ul class='findings'>"
                       + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>")
    if sensitivity is not None and not sensitivity.empty:
        out.append(f"<p>{html.escape(tornado_finding(sensitivity, s))}.</p>")  # the tornado's title
    out.append("</section>")

    # charts
    out.append(f'<section id="charts"><h2>{SECTIONS["charts"]}</h2>')
    for stem, svg in chart_svgs.items():
        out.append(f'<figure id="chart-{html.escape(stem)}">{_inline_svg(svg, descriptions.get(stem, stem))}'
                   f"<figcaption>{html.escape(_caption(stem, first.replications))} "
                   f"Files: charts/{html.escape(stem)}.png, "
                   f"charts/{html.escape(stem)}.svg.</figcaption></figure>")
    out.append("</section>")

    # flow
    out.append(f'<section id="flow"><h2>{SECTIONS["flow"]}</h2>')
    seen: set[str] = set()
    for r in results:
        svg = flow_svg(r.scenario)
        if svg in seen:
            continue
        seen.add(svg)
        if len(results) > 1:
            out.append(f"<h3>{html.escape(r.scenario.name)}</h3>")
        out.append(f"<div class='flow'>{svg}</div>")
        rules = routing_rules(r.scenario)
        if rules:
            out.append("<p class='small'>Referral rules:</p><ul class='small'>"
                       + "".join(f"<li>{html.escape(x)}</li>" for x in rules) + "</ul>")
    out.append("</section>")

    # assumptions
    out.append(f'<section id="assumptions"><h2>{SECTIONS["assumptions"]}</h2>')
    out.append("<p class='small'>Every parameter of the resolved scenario. Rows shaded green come from a published "
               "figure (its id, organisation, year and status); “assumption” marks a value no published source "
               "gives; “default” a value the scenario file does not set. Switched-off tools are shown by their "
               "switch alone.</p>")
    changed = [(r.scenario.name, note) for r in results for note in r.scenario.overrides]
    if changed:  # every --set and every plan replayed into a scenario, so nothing claims a default it did not use
        out.append("<p class='small'>Changed from the scenario files:</p><ul class='small'>"
                   + "".join(f"<li>{html.escape(name)}: {html.escape(note)}</li>" for name, note in changed) + "</ul>")
    out.append(f"<div class='wide'>{_assumptions_html(results, overrides)}</div>")  # a column per scenario: may scroll
    out.append(_sources_list(results))
    out.append("</section>")

    # methods
    out.append(f'<section id="methods"><h2>{SECTIONS["methods"]}</h2>')
    out.append("<p class='small'>Answers to the STRESS-DES checklist (Monks et al., 2019, Strengthening the reporting "
               "of empirical simulation studies), drawn from the scenario and the run's manifest.</p><dl class='methods'>")
    for number, item, answer in methods(s, manifests[0], results):
        out.append(f"<dt>{number} {html.escape(item)}</dt><dd>{html.escape(answer)}</dd>")
    out.append("</dl></section>")

    # limitations
    out.append(f'<section id="limitations"><h2>{SECTIONS["limitations"]}</h2><ul>')
    out += [f"<li>{html.escape(x)}</li>" for x in limitations([r.scenario for r in results], first.replications)]
    out.append("</ul></section>")

    out.append(f'<section id="scope"><h2>{SECTIONS["scope"]}</h2><p>{html.escape(COUNTS_ONLY)} It estimates '
               "queues, waiting times, workload and cost from stated volumes and capacities; it does not judge "
               "material, identify anyone, or replace the published sources it cites.</p></section>")
    command = (manifests[0] or {}).get("command")
    if command:
        out.append(f"<p class='small'>Made with: <code>{html.escape(command)}</code></p>")
    out.append("</main></body></html>\n")
    return "\n".join(out)


def _write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~charts._umask())  # mkstemp makes owner-only files; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_report(
    folder: str | Path,
    results: Sequence[SimulationResult],
    manifests: Sequence[dict | None] | None = None,
    *,
    overrides: Sequence[str] = (),
    sweep: pd.DataFrame | None = None,
    sensitivity: pd.DataFrame | None = None,
    formats: Sequence[str] = CHART_FORMATS,
    what_it_takes: WhatItTakes | None = None,
    workers: int = 1,
    by_year: pd.DataFrame | None = None,
) -> Path:
    """Write the charts (``folder/charts/<stem>.<format>``, with a ``.txt`` description beside
    each PNG) and ``folder/report.html``; with ``what_it_takes``, the what-if run's year-by-year
    chart too (``what_if-by_year``). The charts are drawn on up to ``workers`` processes
    (:func:`capsim.charts.files.save_all`: the same files on any number). ``by_year``: as
    :func:`render_report` takes it.

    Returns the report's path. Each file is written atomically.
    """
    folder = Path(folder)
    chart_dir = folder / "charts"
    figs = report_charts(results, sweep, sensitivity)
    if what_it_takes is not None and what_it_takes.result is not None and not what_it_takes.result.period_summary.empty:
        figs["what_if-by_year"] = charts.by_year(what_it_takes.result)
    svgs: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    formats = list(dict.fromkeys([*formats, "svg"]))
    charts.save_all(figs, chart_dir, formats, workers)
    for stem, fig in figs.items():
        svgs[stem] = (chart_dir / f"{stem}.svg").read_text(encoding="utf-8")
        beside = chart_dir / f"{stem}.txt"  # save's description beside the PNG: not laid out and read again
        descriptions[stem] = beside.read_text(encoding="utf-8").rstrip("\n") if "png" in formats else describe(fig)
    page = render_report(results, svgs, manifests, overrides, sensitivity, descriptions, what_it_takes, by_year)
    target = folder / "report.html"
    _write_text(target, page)
    return target
