"""Saving charts: PNG, SVG and PDF, atomically and without timestamps (same chart, same bytes)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import multiprocessing
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import matplotlib
from matplotlib.figure import Figure

from capsim.charts.describe import describe
from capsim.pool import worker_pool


FORMATS = ("png", "svg", "pdf")
"""Formats :func:`save` writes."""


PNG_COMPRESSION = 3
"""zlib level of the PNG files (0-9; Pillow's default is 6): measured on a report's chart at 300 dpi
(2026-11-26), level 3 encodes in 0.29 s against 0.42 s, for a file 7% larger."""


def _save_settings(fig: Figure, fmt: str) -> dict[str, Any]:
    if fmt == "png":
        return {"dpi": 300, "metadata": {"Software": None}, "pil_kwargs": {"compress_level": PNG_COMPRESSION}}
    if fmt == "svg":
        return {"metadata": {"Date": None}}
    return {"metadata": {"CreationDate": None, "ModDate": None}}


def _salt(fig: Figure) -> str:
    title = fig._suptitle.get_text() if fig._suptitle is not None else ""
    return re.sub(r"\W+", "", title)[:24] or "capsim"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save(fig: Figure, path_stem: str | Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write ``fig`` as ``<path_stem>.png`` (300 dpi), ``.svg`` (text kept as text) and
    ``.pdf``, each atomically (a temporary file in the same folder, then ``os.replace``); beside
    a PNG, ``<path_stem>.txt``: the chart in words (:func:`capsim.charts.describe.describe`),
    for readers who cannot see it.

    The figure is laid out once, by its first format's draw (SVG first when it is asked for, so
    that the SVG is the very one :func:`svg_text` gives); the others are drawn on that layout
    (measured on a report's charts, 2026-11-26: the layout is about a third of a chart's drawing
    time), and the description reads the tick labels of the last draw.

    Returns the paths written. The files carry no timestamps: the same chart gives the same bytes.
    """
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    drawn: dict[str, Path] = {}
    engine = fig.get_layout_engine()  # constrained layout measures every text: a third of a chart's drawing
    try:
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": _salt(fig), "pdf.fonttype": 42}):
            for fmt in sorted(formats, key=lambda fmt: fmt != "svg"):
                drawn[fmt] = _write_atomic(stem.with_name(f"{stem.name}.{fmt}"),
                                           lambda handle, fmt=fmt: print_once(fig, handle, fmt))
                if engine is not None:
                    fig.set_layout_engine("none")  # laid out by the first draw: the others keep its layout
            text = (describe(fig, drawn=bool(drawn)) + "\n").encode("utf-8")
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
    written = [drawn[fmt] for fmt in formats]
    if "png" in formats:
        written.append(_write_atomic(stem.with_name(f"{stem.name}.txt"), lambda handle: handle.write(text)))
    return written


def save_all(figs: Mapping[str, Figure], folder: Path, formats: Sequence[str] = FORMATS, workers: int = 1) -> None:
    """:func:`save` every figure of ``figs`` as ``folder/<stem>.<format>``, on up to ``workers``
    processes forked from this one (each inherits the figures; none is pickled). The files are
    the same, byte for byte, on any number of workers. Where fork is not available, or for one
    figure, they are saved in this process."""
    workers = min(workers, len(figs))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for stem, fig in figs.items():
            save(fig, folder / stem, formats)
        return
    context = multiprocessing.get_context("fork")
    with worker_pool(workers, mp_context=context, initializer=_inherit, initargs=(figs, folder, formats)) as pool:
        for _ in pool.map(_save_inherited, list(figs)):
            pass  # re-raises a worker's error here


_INHERITED: tuple[Mapping[str, Figure], Path, Sequence[str]] | None = None
"""In a worker of :func:`save_all`: the figures, folder and formats it was forked with."""


def _inherit(figs: Mapping[str, Figure], folder: Path, formats: Sequence[str]) -> None:
    global _INHERITED
    _INHERITED = (figs, folder, formats)


def _save_inherited(stem: str) -> None:
    assert _INHERITED is not None, "only in a worker of save_all"
    figs, folder, formats = _INHERITED
    save(figs[stem], folder / stem, formats)


def svg_text(fig: Figure) -> str:
    """``fig`` as SVG text, exactly as :func:`save` writes its ``.svg``."""
    handle = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": _salt(fig)}):
        print_once(fig, handle, "svg")
    return handle.getvalue().decode("utf-8")


def print_once(fig: Figure, handle: BinaryIO, fmt: str) -> None:
    """Write ``fig`` to ``handle`` as ``fmt`` (one of :data:`FORMATS`, with :func:`save`'s settings)
    in a single draw, in which its layout engine lays it out: the same bytes as ``fig.savefig``,
    which first draws the whole figure once more, with output off, only to lay it out (and, for
    SVG and PDF, on a renderer of its own, so that every text is measured twice). Measured on the
    charts of base at 5 replications (2026-11-26): SVG in 0.6-0.75 of ``savefig``'s CPU time.

    Matplotlib's warnings while drawing are not shown: a user cannot act on them, and they name a file of
    capsim's by its path on the machine ("/…/capsim/charts/files.py:143: UserWarning: constrained_layout not
    applied …"). A chart's layout is each chart module's to keep, and its tests' to check (text that overlaps)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_pdf import FigureCanvasPdf
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    canvas_class = {"png": FigureCanvasAgg, "svg": FigureCanvasSVG, "pdf": FigureCanvasPdf}[fmt]
    settings = _save_settings(fig, fmt)
    before, dpi = fig.canvas, fig.dpi
    canvas = canvas_class(fig)  # the figure's canvas until the end, as savefig switches it
    canvas._is_saving = True
    try:
        fig.dpi = settings.pop("dpi", dpi)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if fmt == "svg":
                drawn = io.BytesIO()
                canvas.print_svg(drawn, **settings)
                handle.write(stable_svg_ids(drawn.getvalue()))
            else:
                getattr(canvas, f"print_{fmt}")(handle, **settings)
    finally:
        fig.dpi = dpi
        fig.set_canvas(before)


SVG_ID = re.compile(rb'(?<=id=")[a-z][0-9a-f]{10}(?=")|(?<=url\(#)[a-z][0-9a-f]{10}(?=\))|(?<=href="#)[a-z][0-9a-f]{10}(?=")')
"""The ids matplotlib's SVG backend makes (a kind letter and ten hex digits), where defined and used."""


def stable_svg_ids(svg: bytes) -> bytes:
    """``svg`` with each id matplotlib made renamed by a digest of the drawing itself (its text
    with the ids left out) and the id's order of first use: unique per chart, as a page inlines
    several, and the same in any process. Matplotlib hashes a clip box's coordinates into its
    id, and their last bits depend on which charts the process drew before (measured
    2026-11-26: a box's height 109.06587647727258 or ...264, written alike to six decimals)."""
    chart = hashlib.sha256(SVG_ID.sub(b"", svg)).hexdigest()
    names: dict[bytes, bytes] = {}

    def rename(found: re.Match) -> bytes:
        old = found.group()
        if old not in names:
            names[old] = old[:1] + hashlib.sha256(f"{chart}:{len(names)}".encode()).hexdigest()[:10].encode()
        return names[old]

    return SVG_ID.sub(rename, svg)


def _write_atomic(final: Path, write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write`` on a temporary file in ``final``'s folder, then move it to ``final``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes owner-only files; give the usual mode
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return final


def strip_svg_prolog(svg: str) -> str:
    """SVG text without the ``<?xml ...?>`` line and doctype, for inline HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
