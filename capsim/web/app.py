"""The capsim web page: a Streamlit script, started by ``capsim web`` (``streamlit run`` on this file).

Top to bottom, the page follows what a visitor does: choose a starting scenario (bundled, or their
own file), change what matters, run, read the findings and charts, compare variants, ask how
many analysts are needed and when, and take the scenario, the numbers and the report away.
Every input writes one scenario key through the command line's ``--set`` overrides
(:mod:`capsim.web.inputs`), so the page and ``capsim run`` validate alike and give the same numbers.

Why it is one module (a little over 400 lines): Streamlit runs this file top to bottom on every
click, so the page's sections are written in the order a visitor sees them; the pieces with
logic of their own (inputs, answers, downloads, running, workers, service levels) are modules beside it.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
from pathlib import Path

import streamlit as st

from capsim.charts.compare import comparison, what_differs
from capsim.charts.files import svg_text
from capsim.charts.plan import staffing_plan
from capsim.output import safe_name
from capsim.compare import team_lines
from capsim.report.findings import comparison_lines
from capsim.report.flow import flow_svg
from capsim.scenario import WEEKDAYS, ScenarioError
from capsim.staff_notes import hire_by_words
from capsim.web import downloads, inputs, running, service_levels, workers
from capsim.web.answer import Answer, answer
from capsim.words import percent, plain_number

if __name__ == "__mp_main__":  # imported, not run, by a worker process (capsim.web.workers, started by spawn):
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)  # no server for its caches

MAX_VARIANTS = 3  # variants the page compares side by side (a bare string here would show on the page)
BUNDLED, UPLOAD = "a scenario that comes with capsim", "your own scenario file (YAML)"
# The style of the year-by-year table (capsim.report.years.year_table_html) on the page: the page's width,
# headings and cells wrapped, each number right-aligned with its interval below it in grey; a table wider
# still (many deadlines) scrolls sideways within the page rather than being cut. (A comment: Streamlit
# shows a bare string at the top level of this script on the page.)
YEARS_CSS = """<style>
.years{overflow-x:auto}
.years table{border-collapse:collapse;width:100%;font-size:13px}
.years th,.years td{border-bottom:1px solid rgba(49,51,63,0.2);padding:4px 6px;text-align:left;vertical-align:top}
.years td.value{text-align:right;font-variant-numeric:tabular-nums}
.years td small{color:rgba(49,51,63,0.6)}
.years th[scope=row]{white-space:nowrap}
.years caption{caption-side:top;text-align:left;color:rgba(49,51,63,0.6);padding:0 0 4px}
</style>"""
# The staffing plan's table: every column on one line (a date never broken at its hyphens) but the note,
# which wraps in the width left, so each note is shown whole.
PLAN_CSS = "<style>.st-key-staff_plan td:not(:last-child) *{white-space:nowrap}</style>"


@st.cache_data(show_spinner=False)
def titles() -> dict[str, str]:
    """Bundled scenarios and their titles (read once per server)."""
    return running.bundled_choices()


@st.cache_data(show_spinner=False, max_entries=64)
def answer_of(digest: str, _result) -> Answer:
    """What the page shows of a run (findings, table, charts drawn on the server's workers), cached by
    the run's scenario digest."""
    return workers.on_workers(lambda pool: answer(_result, pool))


@st.cache_data(show_spinner=False, max_entries=64)
def sources(digest: str, _scenario) -> dict[str, str]:
    """Where each input's value comes from (figure citations), cached by the scenario's digest."""
    return running.sources(_scenario)


def workspace() -> running.Workspace:
    """This visitor's temporary folder (made on their first visit)."""
    if "workspace" not in st.session_state:
        st.session_state.workspace = running.Workspace()
    return st.session_state.workspace


def shared_link_start() -> tuple[str | None, list[str]]:
    """The scenario and changes a shared link carries, read once per visit."""
    if "shared" not in st.session_state:
        st.session_state.shared = downloads.restore(
            {"scenario": st.query_params.get_all("scenario"), "set": st.query_params.get_all("set")})
    return st.session_state.shared


def choose_start(ws: running.Workspace):
    """Step 1 (sidebar): the starting scenario. Returns (label for keys, path, bundled name or None)."""
    st.sidebar.header("1 · Start from")
    shared, _ = shared_link_start()
    mode = st.sidebar.radio("Start from", (BUNDLED, UPLOAD), key="mode", label_visibility="collapsed")
    if mode == BUNDLED:
        names = list(titles())
        name = st.sidebar.selectbox("Scenario", names, index=names.index(shared) if shared in names else 0,
                                    format_func=lambda n: titles()[n], key="start")
        st.sidebar.caption(f"**{titles()[name]}**. File: {name}.yaml (`capsim run {name}` runs it in a terminal).")
        return name, ws.scenario_file(name), name
    upload = st.sidebar.file_uploader(
        f"Scenario file, at most {running.MAX_UPLOAD_BYTES // 1000:,} KB", type=["yaml", "yml"], key="upload",
        help="A capsim scenario (see docs/writing-scenarios.md). It may extend a bundled one: extends: base.yaml.")
    if upload is None:
        st.info("Choose a scenario file in the panel on the left, or start from a scenario that comes with capsim.")
        st.stop()
    data = upload.getvalue()
    try:
        path = ws.save_upload(data)
    except ScenarioError as err:
        st.error(f"{upload.name}: {err}")
        st.stop()
    return "upload-" + hashlib.sha256(data).hexdigest()[:12], path, None


def caption(inp: inputs.Input) -> str:
    """The line under an input: its default, where that comes from, and what is allowed."""
    default = str(inp.default) if inp.key == "experiment.seed" else plain(inp.default)
    allowed = inp.allowed()
    if inp.assumed is not None:
        default += f" (the tool is off) · assumed when switched on: {assumed_text(inp)}"
    elif inp.default is None and inp.start is not None:
        default += f"; starts at {plain(inp.start)}"
    return f"Scenario's value: {default} · source: {inp.source}" + (f" · allowed: {allowed}" if allowed else "")


def widget(inp: inputs.Input, key: str, first, values: dict) -> None:
    """Draw one input, starting at ``first``, and record its value in ``values`` (by input id)."""
    label = f"{inp.label} ({inp.unit})" if inp.unit and inp.kind != "switch" else inp.label
    disabled = inp.enabled_by is not None and not values.get(inp.enabled_by)
    common = {"key": key, "help": inp.help or None, "disabled": disabled}
    if inp.kind == "number":
        cast = int if inp.integer else float
        bound = lambda v: None if v is None else cast(v)
        value = bound(first)
        large = value is not None and abs(value) >= 10
        step = 1 if inp.integer else (1.0 if large else 0.05)
        shown = None if inp.integer else ("%.0f" if value is not None and abs(value) >= 1000 else "%.4g")
        values[inp.id] = st.number_input(label, min_value=bound(inp.low), max_value=bound(inp.high), value=value,
                                         step=step, format=shown, **common)
    elif inp.kind == "choice":
        values[inp.id] = st.selectbox(label, inp.options, index=inp.options.index(first), **common)
    elif inp.kind == "days":
        values[inp.id] = st.multiselect(label, WEEKDAYS, default=first, **common)
    elif inp.kind == "switch":
        values[inp.id] = st.toggle(label, value=bool(first), **common)
    else:
        values[inp.id] = st.text_input(label, value=first, **common)
    st.caption(caption(inp))


def change_inputs(start: str, base, restored) -> dict:
    """Step 2: the inputs, grouped; returns their values by input id."""
    st.header("2 · Change what matters")
    st.caption("Each input changes one key of the scenario, checked by the same rules as the command line. "
               "The ? beside an input says more.")
    listed = inputs.inputs_for(base, sources(base.digest(), base))
    first = {i.id: i.initial for i in inputs.inputs_for(restored)}  # a shared link's values, else the scenario's
    values: dict = {}
    groups = list(dict.fromkeys(i.group for i in listed))
    for n, group in enumerate(groups):
        with st.expander(group, expanded=n < 2):
            members = [i for i in listed if i.group == group]
            by_row = group in ("Tools", "Service levels")
            rows = [list(row) for _, row in itertools.groupby(members, key=lambda i: i.key.split(".")[1])] \
                if by_row else [members]
            for row in rows:  # each tool and each priority on a row of its own: its switch, then its settings
                columns = st.columns(min(max(len(row), 3), 5) if by_row else 3)
                for k, inp in enumerate(i for i in row if i.shown_for is None or
                                        values.get(i.shown_for[0]) == i.shown_for[1]):
                    with columns[k % len(columns)]:
                        widget(inp, f"{start}|{inp.id}", first.get(inp.id, inp.initial), values)
    st.session_state.inputs = listed
    return values


def show_results(result) -> None:
    """Step 4: findings with their intervals, the year-by-year table, the report's charts, every number."""
    shown = answer_of(result.scenario.digest(), result)
    st.markdown("\n".join(f"- {line}" for line in shown.findings))
    if shown.yearly:  # the report's table, its words and units: wrapped to the page's width, nothing cut
        st.markdown("**Year by year**")
        st.html(YEARS_CSS + shown.yearly)
    for chart in shown.charts.values():
        st.image(chart)
    with st.expander("Every number (summary.csv)"):
        st.dataframe(result.summary_by_period(), hide_index=True)


def plain(value) -> str:
    """A widget's value as the page says it: days joined, switches on/off, numbers with separators."""
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (int, float)):
        return f"{int(value):,}" if float(value).is_integer() else f"{value:,.6g}"
    return "none" if value is None else str(value)


def assumed_text(inp: inputs.Input) -> str:
    """A tool's assumed setting (in the page's unit) as a person writes it, without its unit: a
    percentage as the report writes shares (75, 47.2: :func:`capsim.words.percent`, whole where it is
    whole, else to a tenth of a point), another number to three significant figures (0.472), a
    queue by its name. The bundled figures behind them are unrounded (0.471698 = 1 / 2.12)."""
    value = inp.assumed
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return plain(value)
    if inp.unit == "%":
        return percent(value / 100, 0 if float(value).is_integer() else 1).removesuffix("%")
    return plain_number(value)


def show_changes(listed: list[inputs.Input], values: dict, sets: list[str]) -> None:
    """The inputs changed from the scenario's values, in words (and as the command line writes them)."""
    changed = {s.partition("=")[0] for s in sets}
    if "sla" in changed:  # service levels added or removed: the list is written whole
        changed |= {i.key for i in listed if i.key.startswith("sla.") and values.get(i.id) != i.default
                    and (i.enabled_by is None or values.get(i.enabled_by))}
    shown = [i for i in listed
             if i.key in changed and (i.shown_for is None or values.get(i.shown_for[0]) == i.shown_for[1])
             and not (i.kind == "choice" and values.get(i.id) == inputs.OWN_GROWTH)]
    if not shown:
        st.caption("No changes yet: the scenario runs as it is.")
        return
    assumed = [i for i in shown if i.assumed is not None and values.get(i.id) == i.assumed]
    st.markdown("**Your changes:** " + said([i for i in shown if i not in assumed], values))
    for tool, members in itertools.groupby(assumed, key=lambda i: i.tool):  # listed tool by tool
        switch = next(i for i in listed if i.key == f"tooling.{tool}.enabled")
        st.markdown(f"**{switch.label}, assumed when switched on** (as in scenarios/{inputs.TOOL_SCENARIOS[tool]}"
                    f".yaml; not changed by you): {said(list(members), values)}")
    st.caption("As the command line writes them: " + " ".join(f"`--set {s}`" for s in sets))


def said(listed: list[inputs.Input], values: dict) -> str:
    """Inputs and their values (by input id) in words: "Analysts in post: 16 analysts; ..."."""
    return "; ".join(f"{i.label}: {shown_value(i, values.get(i.id))} {i.unit}".rstrip() for i in listed)


def shown_value(inp: inputs.Input, value) -> str:
    """``value`` of ``inp`` as :func:`plain` says it, but a tool's assumed value as :func:`assumed_text` does."""
    return assumed_text(inp) if inp.assumed is not None and value == inp.assumed else plain(value)


def compare(path, sets: list[str], scenario) -> None:
    """Step 5: keep up to three variants and compare them under one seed (paired differences)."""
    st.header("5 · Compare variants")
    st.caption("Keep the inputs as they are now as a variant, change them, keep another; then compare. All "
               "variants run with the first one's seed and replications, so they differ only in what you changed.")
    variants: list[dict] = st.session_state.setdefault("variants", [])

    def keep() -> None:  # a callback: runs before the page is drawn again, so the name can move on
        variants.append({"label": st.session_state.variant_label, "path": str(path), "sets": list(sets)})
        st.session_state.variant_label = f"variant {len(variants) + 1}"

    left, right = st.columns([2, 1])
    st.session_state.setdefault("variant_label", f"variant {len(variants) + 1}")  # the name's one home: a widget
    left.text_input("Name of this variant", key="variant_label")  # given a value too would warn at keep()
    right.button("Keep as a variant", disabled=len(variants) >= MAX_VARIANTS or scenario is None, on_click=keep,
                 key="keep_variant")
    for k, v in enumerate(variants):
        a, b = st.columns([5, 1])
        a.markdown(f"**{v['label']}**: " + ("; ".join(f"`{s}`" for s in v["sets"]) or "the scenario as it is"))
        if b.button("Remove", key=f"remove-{k}"):
            variants.pop(k)
            st.rerun()
    if len(variants) < 2:
        st.caption(f"Keep at least two variants to compare (up to {MAX_VARIANTS}).")
        return
    if st.button("Compare the variants", type="primary", key="compare"):
        try:
            loaded = [running.load(Path(v["path"]), v["sets"] + [f"name={json.dumps(v['label'])}"])[0]
                      for v in variants]
        except ScenarioError as err:
            st.error(str(err))
            return
        bar = st.progress(0.0, text="Running the variants")
        results, table = running.run_variants(loaded, lambda d, t: bar.progress(d / t, text=f"{d} of {t} runs"))
        bar.empty()
        st.session_state.comparison = (results, table, svg_text(comparison(results)))
    if "comparison" in st.session_state:
        results, table, chart = st.session_state.comparison
        st.image(chart)
        queues = team_lines(results)  # a total can hide one team's queue growing: each team's own first
        if differing := what_differs([r.scenario for r in results], list(dict.fromkeys(table.scenario))):
            st.markdown(differing.replace("$", r"\$"))  # not one setting's doing, said first; "$" is no LaTeX
        for other, lines in comparison_lines(table, results[0].scenario).items():
            lines = [*queues.get(other, []), *lines]
            st.markdown(f"**{other}** against **{results[0].scenario.name}** (paired differences, 95% CI):")
            st.markdown("\n".join(f"- {x}" for x in lines).replace("$", r"\$"))  # "$1.52 to $1.55": no LaTeX


def staffing(scenario) -> None:
    """Step 6: how many analysts, and when (the staffing solver)."""
    st.header("6 · How many analysts, and when?")
    st.caption("For each period, the smallest headcount that meets every service level of the team in the chosen "
               "share of replications, and when to start hiring (hiring lead time and training included).")
    a, b, c = st.columns(3)
    team = a.selectbox("Team", [t.team for t in scenario.workforce], key="staff_team")
    period = b.selectbox("Plan by", ["quarter", "year", "month"], key="staff_period")
    confidence = c.slider("Service levels met in this share of replications (%)", 50, 99, 90, 1,
                          key="staff_confidence") / 100
    nothing = service_levels.no_sla_for(scenario, team)
    if nothing:
        st.warning(nothing)
    if st.button("Find how many analysts are needed", key="staff", disabled=nothing is not None):
        bar = st.progress(0.0, text="Planning")

        def progress(done: float, total: float, what: str) -> None:
            bar.progress(min(done / max(total, done, 1e-9), 1.0), text=f"{done:.0f} of about {total:.0f} runs")

        try:
            plan = running.staffing(scenario, team, period, confidence, progress)
        except (ValueError, ScenarioError) as err:
            bar.empty()
            st.error(str(err))
            return
        bar.empty()
        chart = svg_text(staffing_plan(plan.table(), scenario, plan.seed, plan.replications, team=plan.team,
                                       most_tried=plan.max_headcount))
        st.session_state.plan = (scenario.digest(), plan, chart)
    saved = st.session_state.get("plan")
    if saved and saved[0] == scenario.digest():
        _, plan, chart = saved
        table = plan.table()
        st.image(chart)
        shown = table[["period_start", "period_end", "needed", "headcount", "hires", "hire_by", "hires_start", "met",
                       "note"]].rename(
            columns={"period_start": "from", "period_end": "to", "needed": "analysts needed",
                     "headcount": "analysts planned", "hires": "new hires", "hire_by": "hire by",
                     "hires_start": "hires start", "met": "targets met"})
        with st.container(key="staff_plan"):  # a static table: each note wraps, shown whole (a grid's cell cut it)
            st.html(PLAN_CSS)
            st.table(shown.assign(**{"targets met": shown["targets met"].map({True: "yes", False: "no"})}),
                     hide_index=True)
        st.caption("Analysts needed: the fewest that meet every deadline of the team in the period; planned: the "
                   "headcount in post, with temporary cover where late hires leave a backlog. "
                   + hire_by_words(next(t for t in scenario.workforce if t.team == plan.team)))


def take_away(ws, scenario, sets: list[str], start: str | None, result) -> None:
    """Step 7: the scenario as YAML, summary.csv, the report, the brief, a link restoring the inputs."""
    st.header("7 · Take it away")
    a, b, c, d = st.columns(4)
    a.download_button("Scenario (YAML)", downloads.scenario_yaml(scenario, sets), file_name=f"{safe_name(scenario.name)}.yaml",
                      mime="application/x-yaml", key="download_yaml", on_click="ignore",
                      help="capsim run on this file gives the same numbers (same seed, same replications).")
    if result is not None:
        b.download_button("Numbers (summary.csv)", downloads.summary_csv(result), file_name="summary.csv",
                          mime="text/csv", key="download_summary", on_click="ignore")
        c.download_button("Report (HTML)", lambda: running.report_html(ws, [result], sets, f"{scenario.name}.yaml"),
                          file_name="report.html", mime="text/html", key="download_report",
                          on_click="ignore", help="The same report as capsim run writes (it takes a few seconds).")
        pdf = running.can_print()
        d.download_button("Brief and its annex (ZIP)",
                          lambda: running.brief(ws, [result], sets, f"{scenario.name}.yaml", pdf),
                          file_name="brief.zip", mime="application/zip", key="download_brief", on_click="ignore",
                          help="A4 pages to hand over (two as a rule): the findings to quote, key charts, sources, main "
                          "limits; with the annex they point to, the full report (as capsim brief --no-what-it-takes "
                          "writes them: brief.pdf, report.pdf, report.html; it takes several seconds)." if pdf else
                          "A4 pages to hand over (two as a rule), with the annex they point to, the full report "
                          "(brief.html, report.html). Chromium, which prints them to PDF, is not installed here: open "
                          "each page and print it from your browser on A4.")
    else:
        b.caption("Run the scenario to download its numbers and report.")
    if start is not None:
        st.markdown("Link to these inputs (bookmark or send it):")
        st.code(downloads.share_link(st.context.url or "", start, sets), language=None, wrap_lines=True)
    else:
        st.caption("A link cannot carry your own file: download the scenario instead.")


def main() -> None:
    st.set_page_config(page_title="capsim: review capacity", layout="wide")
    st.title("capsim: review capacity for hotlines and police units")
    st.caption("How growing volumes of material strain the review capacity of hotlines and police units, and what "
               "staff, tooling and money keep up. capsim models counts and durations only; it never handles content.")
    workers.executor()  # the server's worker processes start, and warm, on the first visit (not at its first run)
    ws = workspace()
    start, path, name = choose_start(ws)
    _, shared_sets = shared_link_start()
    try:
        base, _ = running.load(path, [])
    except ScenarioError as err:
        st.error(str(err))
        st.stop()
    restored = base
    if name is not None and name == shared_link_start()[0] and shared_sets:
        try:
            restored = running.load(path, shared_sets)[0]
        except ScenarioError as err:
            st.warning(f"The link's changes could not be used, so the page starts from the scenario as it is: {err}")
    st.subheader(base.title or base.name)
    if base.description:
        st.markdown(" ".join(base.description.split()))
    with st.expander("What this scenario models (flow diagram)", expanded=False):
        st.image(flow_svg(base), width="stretch")
    values = change_inputs(start, base, restored)
    sets = inputs.overrides(st.session_state.inputs, values)
    st.session_state.sets = sets
    scenario = None
    try:
        scenario, warnings = running.load(path, sets)
        st.session_state.scenario = scenario
        for line in warnings + service_levels.unused_slas(scenario):  # tools that change nothing among the first
            st.warning(line)
    except ScenarioError as err:
        st.session_state.scenario = None
        st.error(str(err))
    if name is not None:
        st.query_params.from_dict(downloads.share_query(name, sets))
    show_changes(st.session_state.inputs, values, sets)

    st.header("3 · Run")
    result = None
    if st.button("Run the simulation", type="primary", disabled=scenario is None, key="run"):
        bar = st.progress(0.0, text="Starting")
        st.session_state.result = running.cached_run(
            scenario, lambda d, t: bar.progress(d / t, text=f"Replication {d} of {t}"))
        bar.empty()
    st.header("4 · What happens")
    last = st.session_state.get("result")
    if scenario is not None and last is not None and last.scenario.digest() == scenario.digest():
        result = last
        show_results(result)
    elif scenario is not None:
        st.info(f"Press Run the simulation: {scenario.experiment.replications} replications of "
                f"{scenario.clock.horizon / 86400:g} days. The findings and charts appear here.")
    if scenario is None:
        st.stop()
    compare(path, sets, scenario)
    staffing(scenario)
    take_away(ws, scenario, sets, name, result)


if __name__ == "__main__":  # Streamlit runs the page as __main__; a worker process started by spawn
    main()  # (capsim.web.workers) imports it as __mp_main__, and must not draw a page of its own
