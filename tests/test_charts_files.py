"""Charts are written in one draw each (:func:`capsim.charts.files.print_once`), as ``savefig`` would write them."""

from __future__ import annotations

import io

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
    """SVG with matplotlib's ids blanked: savefig's are hashes of the drawing's coordinates at full
    float precision (whose last digit the layout solver may vary from one figure to the next, a
    difference the coordinates written, to 6 decimals, do not show); :func:`files.print_once`
    renames them (:func:`files.stable_svg_ids`)."""
    return files.SVG_ID.sub(b"", svg.encode()).decode()


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


def test_svg_ids_are_named_by_the_drawing_not_by_float_noise():
    one = b'<path clip-path="url(#p0123456789)"/><use xlink:href="#m00000000aa"/><clipPath id="p0123456789">'
    noisy = one.replace(b"0123456789", b"9876543210")  # the same box, hashed from other last bits
    assert files.stable_svg_ids(one) == files.stable_svg_ids(noisy)
    renamed = files.stable_svg_ids(one)
    assert renamed.count(renamed[renamed.index(b"#p") + 1:][:11]) == 2  # a clip box's use and definition agree
    other = files.stable_svg_ids(one.replace(b"<path", b"<path d='M 0 1'"))  # another drawing: other ids
    assert set(files.SVG_ID.findall(other)).isdisjoint(files.SVG_ID.findall(renamed))


def test_charts_are_the_same_bytes_on_one_worker_or_two(result, tmp_path):
    for folder, workers in (("one", 1), ("two", 2)):  # fresh figures: a figure drawn again is laid out anew
        files.save_all({stem: run_chart(result, stem) for stem in run_chart_stems(result)}, tmp_path / folder,
                       ("png", "svg"), workers=workers)
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir())
    assert {p.suffix for p in (tmp_path / "one").iterdir()} == {".png", ".svg", ".txt"}
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_a_chart_is_laid_out_once_and_described_as_drawn(result, tmp_path, monkeypatch):
    from capsim.charts.describe import describe

    for stem in run_chart_stems(result):
        fig = run_chart(result, stem)
        engine = fig.get_layout_engine()
        layouts = []
        real = type(engine).execute
        monkeypatch.setattr(type(engine), "execute", lambda self, f: layouts.append(1) or real(self, f))
        files.save(fig, tmp_path / stem, ("svg", "png"))
        monkeypatch.undo()
        assert len(layouts) == 1, stem  # the PNG is drawn on the SVG's layout, the words read from it
        assert fig.get_layout_engine() is engine, stem  # the figure's own engine is given back
        fresh = describe(run_chart(result, stem))  # a figure laid out only to be described
        assert (tmp_path / f"{stem}.txt").read_text(encoding="utf-8") == fresh + "\n", stem
