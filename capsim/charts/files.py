"""Saving charts: PNG, SVG and PDF, atomically and without timestamps (same chart, same bytes)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import matplotlib
from matplotlib.figure import Figure

from capsim.charts.describe import describe


FORMATS = ("png", "svg", "pdf")
"""Formats :func:`save` writes."""


def _save_settings(fig: Figure, fmt: str) -> dict[str, Any]:
    if fmt == "png":
        return {"dpi": 300, "metadata": {"Software": None}}
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

    Returns the paths written. The files carry no timestamps: the same chart gives the same bytes.
    """
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    text = (describe(fig) + "\n").encode("utf-8")
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": _salt(fig), "pdf.fonttype": 42}):
        for fmt in formats:
            written.append(_write_atomic(stem.with_name(f"{stem.name}.{fmt}"),
                                         lambda handle, fmt=fmt: print_once(fig, handle, fmt)))
    if "png" in formats:
        written.append(_write_atomic(stem.with_name(f"{stem.name}.txt"), lambda handle: handle.write(text)))
    return written


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
    charts of base at 5 replications (2026-11-26): SVG in 0.6-0.75 of ``savefig``'s CPU time."""
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
        getattr(canvas, f"print_{fmt}")(handle, **settings)
    finally:
        fig.dpi = dpi
        fig.set_canvas(before)


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
