"""What the web page shows of a run (:mod:`capsim.web.answer`): every chart of the run, drawn once
as SVG that still names its scenario and sources; made once per run, however often the page is drawn again."""

from __future__ import annotations

import base64

import pytest

pytest.importorskip("streamlit", reason="the web page is the optional extra capsim[web]")
from streamlit.testing.v1 import AppTest  # noqa: E402

from capsim import bundled, simulate  # noqa: E402
from capsim.charts.run import run_chart_stems  # noqa: E402
from capsim.report.years import year_table_html  # noqa: E402
from capsim.scenario import load_scenario  # noqa: E402
from capsim.web import answer, running  # noqa: E402


@pytest.fixture(scope="module")
def result():
    """Base over 60 days (past its 28-day warm-up, so it has a calendar year), 2 replications."""
    return simulate(load_scenario(bundled.path("base"), ["clock.horizon=60d"]), replications=2)


def test_every_chart_is_svg_that_names_its_scenario_and_sources(result):
    shown = answer.answer(result)
    assert list(shown.charts) == run_chart_stems(result) == [
        "backlog", "time_to_assessment", "exposure", "by_year", "ai_share"]
    for stem, svg in shown.charts.items():
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg, stem
        assert 'id="chart-title"' in svg and 'id="chart-footer"' in svg, stem
        assert f"Scenario: base · seed {result.seed} · 2 replications" in svg, stem  # text kept as text
        assert "Sources:" in svg, stem
    assert any("95% CI" in line for line in shown.findings)
    assert shown.yearly == year_table_html(result) and "<th scope='row'>2024 (29 Jan–29 Feb)</th>" in shown.yearly


def test_charts_drawn_on_the_servers_workers_are_the_charts_drawn_here(result):
    from capsim.web import workers

    here = answer.answer(result)
    there = workers.on_workers(lambda pool: answer.answer(result, pool))
    assert list(there.charts) == list(here.charts) and there.charts == here.charts  # the same SVG, in the same order
    assert there.findings == here.findings and there.yearly == here.yearly


def test_the_page_makes_the_answer_once_per_run(monkeypatch):
    """Moving a widget redraws the page: the findings and charts come from the cache, not drawn again."""
    import streamlit as st

    made = []

    def counted(result, executor=None):
        made.append(result.scenario.digest())
        return real(result, executor)

    real = answer.answer
    monkeypatch.setattr(answer, "answer", counted)
    st.cache_data.clear()
    at = AppTest.from_file(running.__file__.replace("running.py", "app.py"), default_timeout=120).run()
    at.number_input(key="base|clock.horizon").set_value(40)
    at.number_input(key="base|experiment.replications").set_value(2)
    at.run()
    at.button(key="run").click().run()
    assert not at.exception and not at.error
    urls = [img.url for image in at.get("image") for img in image.proto.imgs]
    charts = [base64.b64decode(u.partition(",")[2]).decode() for u in urls if u.startswith("data:image/svg+xml;base64,")]
    assert sum('id="chart-footer"' in svg for svg in charts) == 5  # the five charts, as SVG (and the flow diagram)
    at.selectbox(key="staff_period").set_value("year").run()  # a widget further down: the page is drawn again
    assert not at.exception and not at.error
    assert len(made) == 1


def test_an_unknown_chart_is_named():
    from capsim.charts.run import run_chart

    with pytest.raises(ValueError, match="nope: no chart of a run by that name; they are backlog, "):
        run_chart(None, "nope")
