"""The web page's tools (trial 23, defect 4): a tool switched on starts at its bundled scenario's
assumptions, every setting it needs, with their source; "Your changes" keeps those apart from what the
visitor changed; a tool that would change nothing at its settings is named, as the command line names it
(tests/test_scenario_warnings_idle.py); an assumed value reads as a person writes it; a staffing plan's
notes are shown whole.
"""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit", reason="the web page is the optional extra capsim[web]")

from capsim import bundled  # noqa: E402
from capsim.scenario import load_scenario  # noqa: E402
from capsim.web import inputs, running  # noqa: E402
from tests.test_web_app import page, short_base  # noqa: E402


@pytest.fixture(scope="module")
def workspace():
    ws = running.Workspace()
    yield ws
    ws.close()


def switched_on(workspace, name: str, tool: str, values: dict | None = None):
    """Scenario ``name`` with ``tool`` switched on through the page's inputs alone (and ``values``)."""
    path = workspace.scenario_file(name)
    listed = inputs.inputs_for(running.load(path, [])[0])
    return running.load(path, inputs.overrides(listed, {f"tooling.{tool}.enabled": True, **(values or {})}))[0]


@pytest.mark.parametrize("tool", sorted(inputs.TOOL_SCENARIOS))
def test_a_tool_switched_on_is_the_bundled_scenarios_tool(workspace, tool):
    """Switched on from base, each tool is exactly the tool of its bundled scenario (the classifier's
    time factor 0.80 and 'normal' queue, the detector's rates, clustering's and wellbeing's figures),
    its figures written as figures so the scenario keeps their sources."""
    bundled_one = load_scenario(bundled.path(inputs.TOOL_SCENARIOS[tool]))
    mine = switched_on(workspace, "base", tool)
    assert getattr(mine.tooling, tool) == getattr(bundled_one.tooling, tool)
    assert mine.tooling == bundled_one.tooling  # and nothing else of the tooling moved
    assert set(bundled_one.figures) <= set(mine.figures) | set(load_scenario(bundled.path("base")).figures)


def test_a_setting_the_scenario_writes_itself_keeps_its_value(workspace):
    path = workspace.save_upload(b"name: mine\nextends: base.yaml\ntooling:\n  synthetic_detector:\n"
                                 b"    enabled: false\n    tpr: 0.5\n")
    scenario, _ = running.load(path, [])
    by_id = {i.id: i for i in inputs.inputs_for(scenario)}
    assert by_id["tooling.synthetic_detector.tpr"].assumed is None  # the file's 50% stands
    assert by_id["tooling.synthetic_detector.fpr"].assumed == 25.0
    sets = inputs.overrides(by_id.values(), {"tooling.synthetic_detector.enabled": True})
    assert sets == ["tooling.synthetic_detector.enabled=true", "tooling.synthetic_detector.fpr=0.25"]


def test_a_tool_on_in_the_scenario_starts_at_its_own_settings(workspace):
    scenario, _ = running.load(workspace.scenario_file("tooling-detector"), [])
    tools = [i for i in inputs.inputs_for(scenario) if i.tool == "synthetic_detector"]
    assert all(i.assumed is None for i in tools)
    assert inputs.overrides(tools, {}) == []


def test_switching_a_tool_on_says_what_is_assumed_apart_from_the_visitors_changes():
    at = page()
    at.toggle(key="base|tooling.synthetic_detector.enabled").set_value(True).run()
    assert not at.exception and not at.error and not at.warning
    assert at.session_state.sets == ["tooling.synthetic_detector.enabled=true",
                                     "tooling.synthetic_detector.tpr={figure: synthetic_detector_best_zero_shot}",
                                     "tooling.synthetic_detector.fpr=0.25"]
    assert at.session_state.scenario.tooling.synthetic_detector.tpr == 0.75
    text = [m.value for m in at.markdown]
    assert "**Your changes:** Synthetic detector: on" in text
    assert ("**Synthetic detector, assumed when switched on** (as in scenarios/tooling-detector.yaml; not changed "
            "by you): AI-generated items flagged: 75 %; Other items wrongly flagged (false-positive rate): 25 %") in text
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Scenario's value: 0 (the tool is off) · assumed when switched on: 75 · source: "
                            "synthetic_detector_best_zero_shot: ") and "as in scenarios/tooling-detector.yaml" in c
               for c in captions), captions
    at.number_input(key="base|tooling.synthetic_detector.tpr").set_value(50.0).run()
    text = [m.value for m in at.markdown]
    assert "**Your changes:** Synthetic detector: on; AI-generated items flagged: 50 %" in text
    assert any(t.startswith("**Synthetic detector, assumed when switched on**") and t.endswith(
        "Other items wrongly flagged (false-positive rate): 25 %") for t in text), text


def test_a_tool_that_changes_nothing_is_named():
    """The page shows the warning the command line prints (capsim.idle_tools.idle_tools), once."""
    at = page()
    at.toggle(key="base|tooling.synthetic_detector.enabled").set_value(True).run()
    at.number_input(key="base|tooling.synthetic_detector.tpr").set_value(0.0)
    at.number_input(key="base|tooling.synthetic_detector.fpr").set_value(0.0).run()
    assert not at.exception and not at.error
    assert [w.value for w in at.warning] == [
        "tooling.synthetic_detector: the synthetic detector is on but changes nothing: it flags no item (0% of "
        "AI-generated items and 0% of the others); for it to act, set tpr (the share of AI-generated items it "
        "flags) above 0"]


def test_assumed_values_read_as_a_person_writes_them():
    """Clustering's assumed time for further items is 1 / 2.12 (iwf_clustering_time_factor): the page says
    0.472, not 0.471698, under the input and among the assumptions; a percentage stays whole."""
    at = page()
    at.toggle(key="base|tooling.clustering.enabled").set_value(True).run()
    assert not at.exception and not at.error
    assert at.session_state.scenario.tooling.clustering.follow_fraction == pytest.approx(1 / 2.12)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Scenario's value: 1 (the tool is off) · assumed when switched on: 0.472 · source: ")
               for c in captions), captions
    text = [m.value for m in at.markdown]
    assert ("**Clustering, assumed when switched on** (as in scenarios/tooling-clustering.yaml; not changed by "
            "you): Time for each further item of a cluster, as a share of the first: 0.472 ×") in text, text
    assert not any("0.471698" in t for t in captions + text)


def test_a_staffing_plans_notes_are_shown_whole():
    """The plan is a static table whose cells wrap (a grid's cell cut its note off mid-sentence)."""
    at = short_base()
    at.selectbox(key="staff_period").set_value("month").run()
    at.button(key="staff").click().run()
    assert not at.exception and not at.error
    notes = at.table[-1].value["note"]
    assert any(len(note) > 60 for note in notes), list(notes)  # long enough to have been cut
    assert set(at.table[-1].value["targets met"]) <= {"yes", "no"}
