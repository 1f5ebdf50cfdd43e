"""The web page's logic, headless (Streamlit's own AppTest), and the modules under it.

Every input must write the scenario key it claims, through the command line's ``--set``; a bad
value must show the schema's own message (the one ``capsim run --set`` prints), never a
traceback; the scenario the page offers for download must be the one it ran.
"""

from __future__ import annotations

import base64
import math
import re

import pytest

pytest.importorskip("streamlit", reason="the web page is the optional extra capsim[web]")
from streamlit.testing.v1 import AppTest  # noqa: E402

from capsim import bundled, safe_yaml  # noqa: E402
from capsim.scenario import ScenarioError, load_scenario, step_into  # noqa: E402
from capsim.web import downloads, inputs, running  # noqa: E402

APP = running.__file__.replace("running.py", "app.py")
TIMEOUT = 120  # seconds: the first script run imports the engine and compiles its numba kernel


def page(**query: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def svg_charts(at: AppTest) -> list[str]:
    """The charts the page shows as SVG (each with its provenance footer), in page order."""
    urls = [img.url for image in at.get("image") for img in image.proto.imgs]
    svgs = [base64.b64decode(u.partition(",")[2]).decode() for u in urls if u.startswith("data:image/svg+xml;base64,")]
    return [svg for svg in svgs if 'id="chart-footer"' in svg]


def changed(inp: inputs.Input):
    """A valid value for ``inp`` other than the one it starts at."""
    value = inp.initial
    if inp.kind == "switch":
        return not value
    if inp.kind == "choice":
        return next(o for o in inp.options if o != value and o not in ("as in the scenario", inputs.OWN_GROWTH))
    if inp.kind == "days":
        return ["mon", "wed"]
    if inp.kind == "text":
        return "EUR" if inp.key == "costs.currency" else "10:30"
    if value is None:
        return 3.0
    new = value + 1 if inp.high is None or value + 1 <= inp.high else value / 2  # within (low, high]
    return int(new) if inp.integer else float(new)


def at_key(source: dict, key: str):
    node = source
    for part in key.split("."):
        found, node = step_into(node, part)
        assert found, f"{key}: not in the scenario"
    return node


@pytest.fixture(scope="module")
def workspace():
    ws = running.Workspace()
    yield ws
    ws.close()


@pytest.mark.parametrize("name", ["base", "tooling-classifier", "police-unit"])
def test_every_input_writes_the_key_it_claims(workspace, name):
    """Each input alone, changed, yields exactly one ``--set`` of its own key (a service level
    added or removed: of the whole ``sla`` list), and the loaded scenario holds at that key what
    the input wrote (checked without the page: fast)."""
    path = workspace.scenario_file(name)
    base, _ = running.load(path, [])
    listed = inputs.inputs_for(base)
    assert len({i.id for i in listed}) == len(listed)
    for inp in listed:
        values = {inp.id: changed(inp)}
        if inp.enabled_by:
            values[inp.enabled_by] = True
        if inp.shown_for:
            values[inp.shown_for[0]] = inp.shown_for[1]
        sets = inputs.overrides(listed, values)
        whole = inputs.sla_list(listed, values) is not None
        mine = [s for s in sets if s.partition("=")[0] == ("sla" if whole else inp.key)]
        assert len(mine) == 1, (inp.id, sets)
        try:
            scenario, _ = running.load(path, sets)
        except ScenarioError as err:
            pytest.fail(f"{inp.id} = {values[inp.id]!r}: {err}")
        if inp.write is None:  # a service level's switch: the priority has one exactly when it is on
            assert (inp.key.split(".")[1] in {s.priority for s in scenario.sla}) == values[inp.id], inp.id
            continue
        assert at_key(scenario.source, inp.key) == safe_yaml.load(inp.write(values[inp.id])), inp.id


def test_headcount_and_percent_inputs_reach_the_model(workspace):
    path = workspace.scenario_file("base")
    base, _ = running.load(path, [])
    listed = inputs.inputs_for(base)
    values = {"workforce.analysts.headcount": 16, "workforce.analysts.shrinkage": 20.0, "sla.normal.target": 95.0,
              "demand.reports.growth": inputs.OWN_GROWTH, "demand.reports.growth@percent": 30.0,
              "review.report.mean": 120.0, "demand.reports.rate": 40_000.0}
    scenario, _ = running.load(path, inputs.overrides(listed, values))
    analysts = scenario.workforce[0]
    assert (analysts.headcount, analysts.shrinkage, scenario.sla[0].target) == (16, 0.20, 0.95)
    reports = scenario.demand[0]
    year = 365.25 * 86400
    assert math.isclose(2 ** (year / reports.growth.doubling_time), 1.30, rel_tol=1e-5)  # 30% a year, compounded
    assert math.isclose(reports.rate * year, 40_000, rel_tol=1e-9)
    assert scenario.review["report"].mean == 120.0
    assert inputs.overrides(listed, {}) == [], "an untouched page changes nothing"


def test_ranges_come_from_the_schema(workspace):
    base, _ = running.load(workspace.scenario_file("base"), [])
    by_id = {i.id: i for i in inputs.inputs_for(base, running.sources(base))}
    assert (by_id["workforce.analysts.headcount"].low, by_id["workforce.analysts.headcount"].high) == (0, 100_000)
    assert by_id["experiment.replications"].high == 100_000
    assert by_id["sla.normal.target"].high == 100  # SLA.target: le=1, shown in percent
    assert by_id["workforce.analysts.shrinkage"].high < 100  # Team.shrinkage: lt=1
    assert "iwf_hotline_analysts_2023" in by_id["workforce.analysts.headcount"].source  # figure id, then citation


def test_the_page_shows_its_widgets_under_their_input_ids():
    at = page()
    assert not at.exception and not at.error
    base = load_scenario(bundled.path("base"))
    keys = {w.key for kind in (at.number_input, at.selectbox, at.multiselect, at.text_input, at.toggle) for w in kind}
    visible = [i for i in inputs.inputs_for(base) if i.shown_for is None]
    assert {f"base|{i.id}" for i in visible} <= keys


def test_a_widget_writes_its_key_and_the_page_runs():
    at = page()
    at.number_input(key="base|workforce.analysts.headcount").set_value(16)
    at.number_input(key="base|clock.horizon").set_value(40)
    at.number_input(key="base|experiment.replications").set_value(2)
    at.toggle(key="base|tooling.classifier.enabled").set_value(True)
    at.run()
    assert not at.exception and not at.error
    assert at.session_state.sets == ["clock.horizon=40d", "experiment.replications=2",
                                     "workforce.analysts.headcount=16", "tooling.classifier.enabled=true",
                                     "tooling.classifier.recall=0.9", "tooling.classifier.fpr=0.1",
                                     "tooling.classifier.time_factor=0.8",
                                     "tooling.classifier.negative_priority=normal"]  # tooling-classifier.yaml's
    scenario = at.session_state.scenario
    assert scenario.workforce[0].headcount == 16 and scenario.tooling.classifier.enabled
    at.button(key="run").click().run()
    assert not at.exception and not at.error
    text = " ".join(m.value for m in at.markdown)
    assert "95% CI" in text and "items arrived" in text
    assert at.query_params["scenario"] in ("base", ["base"])  # the page's address now restores these inputs


@pytest.mark.parametrize("key, value, override", [
    ("workforce.analysts.roster.start", "25:00", 'workforce.analysts.roster.start="25:00"'),
    ("clock.horizon", 10, "clock.horizon=10d"),  # shorter than base's 28-day warm-up
    ("costs.currency", "euro", "costs.currency=euro"),
])
def test_a_bad_value_shows_the_schemas_message(key, value, override):
    at = page()
    widget = at.text_input(key=f"base|{key}") if isinstance(value, str) else at.number_input(key=f"base|{key}")
    widget.set_value(value).run()
    assert not at.exception
    with pytest.raises(ScenarioError) as expected:  # what capsim run --set prints
        load_scenario(bundled.path("base"), [override])
    message = re.sub(r"^base(?= with|:)", "base.yaml", expected.value.args[0])  # the page's copy of base, by its file
    assert [e.value for e in at.error] == [message]
    assert at.button(key="run").disabled


def test_a_shared_link_restores_the_inputs():
    at = page(scenario="base", set=["workforce.analysts.headcount=17", "sla.normal.target=0.8"])
    assert not at.exception and not at.error
    assert at.number_input(key="base|workforce.analysts.headcount").value == 17
    assert at.number_input(key="base|sla.normal.target").value == 80
    assert sorted(at.session_state.sets) == ["sla.normal.target=0.8", "workforce.analysts.headcount=17"]


def test_a_link_to_an_unknown_scenario_or_with_bad_changes_starts_as_usual():
    assert downloads.restore({"scenario": ["../../etc/passwd"], "set": ["a=1"]}) == (None, [])
    at = page(scenario="nope")
    assert not at.exception and not at.error
    at = page(scenario="base", set=["workforce.analysts.headcount=lots"])
    assert not at.exception and not at.error
    assert "workforce.analysts.headcount" in at.warning[0].value  # the schema's message, and the page goes on
    assert at.number_input(key="base|workforce.analysts.headcount").value == 13


def test_the_downloaded_yaml_is_the_scenario_the_page_ran(workspace, tmp_path):
    sets = ["workforce.analysts.headcount=16", "demand.ai-generated.growth={model: exponential, doubling_time: "
            "{figure: iwf_ai_reports_doubling_time_high_days}}"]
    scenario, _ = running.load(workspace.scenario_file("growth-central"), sets)
    file = tmp_path / "saved.yaml"
    file.write_text(downloads.scenario_yaml(scenario, sets))
    again = load_scenario(file)
    assert again.digest() == scenario.digest()  # same inputs, replications and seed: same numbers
    assert "iwf_ai_reports_doubling_time_high_days" in again.figures  # sources kept


def test_uploads_are_size_limited_and_may_extend_a_bundled_scenario(workspace):
    with pytest.raises(ScenarioError, match="at most 1,000,000 bytes"):
        workspace.save_upload(b"#" * (running.MAX_UPLOAD_BYTES + 1))
    path = workspace.save_upload(b"name: mine\nextends: base.yaml\nworkforce:\n  - team: analysts\n    headcount: 9\n")
    scenario, _ = running.load(path, [])
    assert scenario.workforce[0].headcount == 9 and path.parent == workspace.folder
    bad = workspace.save_upload(b"name: mine\nextends: base.yaml\nworkforce:\n  - team: analysts\n    headcount: lots\n")
    with pytest.raises(ScenarioError) as err:
        running.load(bad, [])
    assert str(err.value).startswith("uploaded.yaml (extends base.yaml): workforce.analysts.headcount")
    assert str(workspace.folder) not in str(err.value)


def test_capsim_web_binds_this_machine_only_unless_told(monkeypatch):
    """``capsim web`` hands over to ``streamlit run`` on 127.0.0.1 by default, uploads capped at 1 MB;
    another ``--host`` is allowed with a warning."""
    from streamlit.web import cli as streamlit_cli
    from typer.testing import CliRunner

    from capsim import cli

    started: list[list[str]] = []
    monkeypatch.setattr(streamlit_cli, "main", lambda args, prog_name: started.append(args))
    quiet = CliRunner().invoke(cli.app, ["web", "--port", "8600", "--no-browser"])
    loud = CliRunner().invoke(cli.app, ["web", "--host", "0.0.0.0", "--no-browser"])
    assert quiet.exit_code == loud.exit_code == 0
    local, shared = started
    assert local[local.index("--server.address") + 1] == "127.0.0.1"
    assert local[local.index("--server.port") + 1] == "8600"
    assert local[local.index("--server.maxUploadSize") + 1] == "1"  # MB: the safe loader's 1,000,000 bytes
    assert shared[shared.index("--server.address") + 1] == "0.0.0.0"
    assert "reachable from other machines" in loud.output and "reachable" not in quiet.output


def short_base() -> AppTest:
    """The page on base, shortened to 40 days and 2 replications through its own inputs."""
    at = page()
    at.number_input(key="base|clock.horizon").set_value(40)
    at.number_input(key="base|experiment.replications").set_value(2)
    return at.run()


def test_two_variants_compare_with_paired_differences():
    at = short_base()
    at.button(key="keep_variant").click().run()
    at.toggle(key="base|tooling.classifier.enabled").set_value(True).run()
    assert at.text_input(key="variant_label").value == "variant 2"
    at.button(key="keep_variant").click().run()
    at.button(key="compare").click().run()
    assert not at.exception and not at.error
    text = " ".join(m.value for m in at.markdown)
    assert "**variant 2** against **variant 1**" in text and "95% CI" in text
    assert any("variant 1" in svg and "variant 2" in svg for svg in svg_charts(at))  # SVG, as the run's charts


def test_how_many_analysts_when():
    at = short_base()
    at.selectbox(key="staff_period").set_value("month").run()
    at.button(key="staff").click().run()
    assert not at.exception and not at.error
    plan = at.table[-1].value
    assert list(plan.columns[:4]) == ["from", "to", "analysts needed", "analysts planned"] and len(plan) >= 1
    assert any("headcount planned" in svg for svg in svg_charts(at))  # SVG, as the run's charts


def growth_central_with_classifier() -> AppTest:
    """The page on growth-central, shortened to 60 days and 2 replications, classifier switched on."""
    at = page(scenario="growth-central")
    at.number_input(key="growth-central|clock.horizon").set_value(60)
    at.number_input(key="growth-central|experiment.replications").set_value(2)
    at.toggle(key="growth-central|tooling.classifier.enabled").set_value(True)
    return at.run()


def test_a_service_level_left_without_items_is_explained_and_one_can_be_added():
    """With the classifier on and its other items sent to 'low', growth-central's reports wait at 'high'
    (flagged) or 'low', so its 'normal' deadline measures nothing and the analysts have nothing to be
    planned for: the page says which priority and why, instead of refusing; adding deadlines for the
    classifier's two queues (and removing 'normal') makes the plan possible."""
    at = growth_central_with_classifier()
    at.selectbox(key="growth-central|tooling.classifier.negative_priority").set_value("low").run()
    assert not at.exception and not at.error
    warnings = [w.value for w in at.warning]
    assert any("'normal' priority" in w and "classifier on" in w and "'high'" in w and "'low'" in w
               for w in warnings), warnings
    assert any(w.startswith("No deadline applies to the analysts team's items") for w in warnings), warnings
    assert at.button(key="staff").disabled

    for priority in ("high", "low"):
        at.toggle(key=f"growth-central|sla.{priority}").set_value(True)
    at.toggle(key="growth-central|sla.normal").set_value(False).run()
    at.number_input(key="growth-central|sla.high.within").set_value(24.0).run()  # enabled by its switch
    assert not at.exception and not at.error and not at.warning
    assert at.session_state.sets[0] == ("sla=[{priority: high, within: 24h, target: 0.9}, "
                                        "{priority: low, within: 72h, target: 0.9}]")
    assert [(s.priority, s.within, s.target) for s in at.session_state.scenario.sla] == \
        [("high", 24 * 3600.0, 0.9), ("low", 72 * 3600.0, 0.9)]
    text = " ".join(m.value for m in at.markdown)
    assert "A deadline for 'normal' priority: off" in text and "'high': assessed within: 24 hours" in text
    assert not at.button(key="staff").disabled
    at.selectbox(key="staff_period").set_value("month").run()
    at.button(key="staff").click().run()
    assert not at.exception and not at.error
    assert list(at.table[-1].value.columns[:3]) == ["from", "to", "analysts needed"]


def test_the_classifier_queues_keep_the_scenarios_deadline():
    """A classifier switched on sends its other items to 'normal', as tooling-classifier.yaml does, so
    growth-central's deadline stays in use."""
    at = growth_central_with_classifier()
    assert at.selectbox(key="growth-central|tooling.classifier.negative_priority").value == "normal"
    assert not at.exception and not at.error and not at.warning
    assert "tooling.classifier.negative_priority=normal" in at.session_state.sets
    assert not at.button(key="staff").disabled


def test_a_shared_link_restores_added_service_levels():
    sla = "sla=[{priority: urgent, within: 4h, target: 0.95}, {priority: normal, within: 72h, target: 0.9}]"
    at = page(scenario="base", set=[sla])
    assert not at.exception and not at.error
    assert at.toggle(key="base|sla.urgent").value and at.number_input(key="base|sla.urgent.within").value == 4
    assert at.session_state.sets == [sla]


@pytest.mark.parametrize("pdf", [False, True])
def test_the_brief_to_take_away_comes_with_its_annex(workspace, pdf):
    """The brief the page offers, in one ZIP file with the annex it points to (the full report):
    printed to two PDF pages beside report.pdf where Chromium is installed, else A4 pages to print.
    The brief names as its annex exactly the files beside it in the download (the PDF only where printed)."""
    import io
    import re
    import zipfile

    from capsim.pdf import page_sizes

    if pdf and not running.can_print():
        pytest.skip("Chromium absent: the page offers the brief's and the report's HTML instead")
    scenario, _ = running.load(workspace.scenario_file("base"), ["clock.horizon=40d", "experiment.replications=2"])
    data = running.brief(workspace, [running.run(scenario)], [], "base.yaml", pdf)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(workspace.folder / "unpacked")
        names = archive.namelist()
    unpacked = workspace.folder / "unpacked"
    assert names == (["brief.pdf", "report.pdf", "report.html"] if pdf else ["brief.html", "report.html"])
    report = (unpacked / "report.html").read_text()
    assert report.count('id="chart-footer"') >= 5  # the run's charts inline, as SVG: the annex stands alone
    page = (workspace.folder / "brief" / "brief.html").read_text()  # the page the brief is (or is printed from)
    annex = re.search(r"The full report is the annex \(([^)]*)\)", page).group(1).split(", ")
    assert annex == names[1:], annex  # exactly the files beside the brief: no report.pdf without Chromium
    if pdf:
        assert len(page_sizes(unpacked / "brief.pdf")) == 2
    else:
        text = (unpacked / "brief.html").read_text()
        assert text.startswith("<!DOCTYPE html>") and "capsim brief" in text and "Key findings" in text
        assert "<img src=\"data:image/svg+xml;base64," in text  # charts inline: the file stands alone


def test_the_page_offers_the_brief_with_its_annex_after_a_run():
    at = short_base()
    at.button(key="run").click().run()
    labels = [e.proto.label for e in at.get("download_button")]
    assert "Brief and its annex (ZIP)" in labels, labels


def test_a_team_without_any_deadline_is_told_which_to_set(workspace):
    from capsim.web import service_levels

    scenario, _ = running.load(workspace.scenario_file("iwf-forum-2023"), [])
    assert scenario.sla == [] and service_levels.unused_slas(scenario) == []
    assert service_levels.no_sla_for(scenario, "analysts") == (
        "No deadline applies to the analysts team's items, so there is no target to plan its staff for: the "
        "scenario's streams and referrals put items at 'normal' priority only, and the scenario sets no deadline. "
        "Under Service levels, set a deadline for 'normal'.")


def test_the_page_shows_the_reports_year_table():
    """The page's year-by-year table is the report's (:func:`capsim.report.years.year_table_html`),
    in its words and units: the items waiting averaged over the year (not at its end), each deadline's
    share met and missed, as HTML the page's width wraps, not a grid wider than the window."""
    from capsim.report.years import year_table_html

    at = short_base()  # 40 days: 12 of them measured after the 28-day warm-up, one part year
    at.button(key="run").click().run()
    assert not at.exception and not at.error
    tables = [e.proto.body for e in at.get("html") if "class='years'" in e.proto.body]
    assert len(tables) == 1 and tables[0].endswith(year_table_html(at.session_state.result))
    assert "Items waiting on average over the year" in tables[0] and "Reports not assessed within 72 h" in tables[0]
    grids = " ".join(" ".join(map(str, frame.value.columns)) for frame in at.dataframe)
    assert "at the end of the year" not in grids and "Items arriving" not in grids  # summary.csv's grid only


def test_keeping_a_variant_gives_no_widget_warning(monkeypatch, caplog):
    """Keeping a variant moves its name on to the next ("variant 2") through the session state, so the
    name's box must take its value from there alone: given a value too, Streamlit's server logs a
    warning and a stack. AppTest runs without that server, so its check is switched on here."""
    from streamlit.elements.lib import policies

    monkeypatch.setattr(policies.runtime, "exists", lambda: True)
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)  # Streamlit warns once per process
    monkeypatch.setattr(policies._LOGGER, "handlers", [caplog.handler])
    at = short_base()
    at.text_input(key="variant_label").set_value("16 analysts").run()
    at.button(key="keep_variant").click().run()
    at.button(key="keep_variant").click().run()
    assert not at.exception and not at.error
    assert [v["label"] for v in at.session_state.variants] == ["16 analysts", "variant 2"]
    assert at.text_input(key="variant_label").value == "variant 3"
    assert not [r.getMessage() for r in caplog.records if "variant_label" in r.getMessage()]


def test_a_second_visitor_running_the_same_scenario_gets_the_kept_run():
    """The second visitor's identical run comes from the server's kept runs at once: no error from
    replaying the first visitor's progress bar, and the same numbers without simulating again."""
    first = short_base()
    first.button(key="run").click().run()
    assert not first.exception and not first.error
    calls = []
    real = running.run
    try:
        running.run = lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs)
        second = short_base()
        second.button(key="run").click().run()
    finally:
        running.run = real
    assert not second.exception and not second.error
    assert calls == []
    assert second.session_state.result is first.session_state.result


def test_kept_runs_are_bounded_and_keyed_by_the_scenario(monkeypatch, workspace):
    made = []
    monkeypatch.setattr(running, "run", lambda scenario, progress=None: made.append(scenario.digest()) or object())
    monkeypatch.setattr(running, "KEPT_RUNS", 2)
    monkeypatch.setattr(running, "_runs", type(running._runs)())
    path = workspace.scenario_file("base")
    scenarios = [running.load(path, [f"clock.horizon={days}d"])[0] for days in (30, 31, 32)]
    one = running.cached_run(scenarios[0])
    assert running.cached_run(scenarios[0]) is one and len(made) == 1
    running.cached_run(scenarios[1])
    running.cached_run(scenarios[2])  # the oldest, scenarios[0], is let go
    assert list(running._runs) == [s.digest() for s in scenarios[1:]]
    running.cached_run(scenarios[0])
    assert len(made) == 4


def test_a_comparison_gives_each_teams_own_queue_first():
    # Trial 11: a change that floods one team must not read as "no difference" for it.
    at = short_base()
    at.button(key="keep_variant").click().run()
    at.number_input(key="base|workforce.victim_id.headcount").set_value(1).run()
    at.button(key="keep_variant").click().run()
    at.button(key="compare").click().run()
    assert not at.exception and not at.error
    listed = next(m.value for m in at.markdown if m.value.startswith("- "))
    assert listed.startswith("- team victim_id: mean wait "), listed


def test_the_page_script_has_no_bare_string_streamlit_would_show():
    # Streamlit's "magic" writes a bare string at the top level of the script on the page: a docstring
    # after YEARS_CSS showed "The style of the year-by-year table (:func:..." above everything.
    import ast

    with open(APP, encoding="utf-8") as script:
        tree = ast.parse(script.read())
    bare = [node.lineno for node in tree.body[1:]  # the module's own docstring is not shown
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)]
    assert not bare, f"bare strings at lines {bare} of {APP}"
