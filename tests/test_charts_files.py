"""Charts are written in one draw each (:func:`capsim.charts.files.print_once`), as ``savefig`` would write them."""

from __future__ import annotations

import io
import re

import matplotlib
import pytest
from matplotlib.figure import Figure

from capsim import bundled, simulate
from capsim.charts import files
from capsim.charts.run import run_chart, run_chart_stems
from capsim.scenario import load_scenario


@pytest.fixture(scope="module")
def result():
    return simulate(load_scenario(bundled.path("base"), ["clock.horizon=60d"]), replications=2)


def written(fig: Figure, fmt: str, once: bool) -> bytes:
    """``fig`` as :func:`capsim.charts.files.save` writes it (``once``), or through ``savefig``."""
    handle = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": files._salt(fig), "pdf.fonttype": 42}):
        if once:
            files.print_once(fig, handle, fmt)
        else:
            fig.savefig(handle, format=fmt, **files._save_settings(fig, fmt))
    return handle.getvalue()


def without_clip_ids(svg: str) -> str:
    """SVG with its clip-path ids blanked: each is a hash of its box's coordinates at full float
    precision, whose last digit the layout solver may vary from one figure to the next (a
    difference the coordinates written, to 6 decimals, do not show)."""
    return re.sub(r"p[0-9a-f]{10}", "p", svg)


def test_each_chart_is_drawn_once_and_as_savefig_writes_it(result, monkeypatch):
    draws = []
    real = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: draws.append(1) or real(self, renderer))
    for stem in run_chart_stems(result):
        draws.clear()
        svg = files.svg_text(run_chart(result, stem))
        assert len(draws) == 1, stem  # savefig draws twice: once only to lay the figure out
        assert without_clip_ids(svg) == without_clip_ids(written(run_chart(result, stem), "svg", False).decode()), stem
    for fmt in ("png", "pdf"):
        assert written(run_chart(result, "exposure"), fmt, True) == written(run_chart(result, "exposure"), fmt, False)
