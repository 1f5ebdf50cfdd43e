"""Printing an HTML page to PDF with headless Chromium, and reading back what was printed.

capsim's pages are self-contained (styles, charts and images inline), so Chromium prints
them offline: no network is used, and host lookups are refused. The page's own print
stylesheet (``@page { size: A4 }``) sets the paper; Chromium's header and footer (which
would print the date and the file's local path) are switched off.

Chromium is looked up as ``$CAPSIM_CHROMIUM``, then ``chromium``, ``chromium-browser``,
``google-chrome`` on the PATH (the Debian package is ``chromium``).

Chromium's throw-away profile goes in a hidden folder beside the PDF (:data:`PROFILE_PREFIX`),
not in the system's temporary folder: capsim prints into its staging folder (:mod:`capsim.output`),
so a capsim killed while printing leaves the profile there, and the next command writing that
output removes it with the staging folder. Chromium runs in
a process group of its own: once it ends, or on Ctrl-C or a time-out, it is killed with the
helpers it started there, before its profile is removed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

A4_POINTS = (595.28, 841.89)
"""A4 paper, width and height in PostScript points (1/72 inch): 210 × 297 mm."""

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
"""Names of a Chromium executable looked up on the PATH, in order."""

PROFILE_PREFIX = ".chromium-profile-"
"""Start of the name of the folder, made beside the PDF and removed after printing, that holds
Chromium's profile."""


class PdfError(RuntimeError):
    """Printing failed: no Chromium, or Chromium could not print the page."""


def find_chromium() -> str | None:
    """The Chromium executable to print with, or None if there is none."""
    given = os.environ.get("CAPSIM_CHROMIUM")
    if given:
        return shutil.which(given) or (given if Path(given).is_file() else None)
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def chromium_command(chromium: str, profile: Path, *arguments: str) -> list[str]:
    """A headless, offline Chromium command line with a throw-away profile folder."""
    return [
        chromium, "--headless", "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-sync",
        "--no-sandbox",  # the page is one capsim wrote itself; the sandbox cannot start as root in containers
        "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: no host name resolves
        f"--user-data-dir={profile}", *arguments,
    ]


def print_to_pdf(page: Path, pdf: Path, timeout: float = 180) -> Path:
    """Print the HTML file ``page`` to ``pdf`` with headless Chromium; return ``pdf``.

    Raises :class:`PdfError` with a plain message when there is no Chromium or it fails.
    """
    chromium = find_chromium()
    if chromium is None:
        raise PdfError("printing to PDF needs Chromium (the Debian package 'chromium'), or its path in "
                       "CAPSIM_CHROMIUM; none was found")
    pdf = Path(pdf).resolve()
    with tempfile.TemporaryDirectory(prefix=PROFILE_PREFIX, dir=pdf.parent, ignore_cleanup_errors=True) as profile:
        command = chromium_command(chromium, Path(profile), "--no-pdf-header-footer",
                                   f"--print-to-pdf={pdf}", Path(page).resolve().as_uri())
        try:
            code, errors = _run(command, timeout)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium did not finish printing within {timeout:g} s") from None
    if code != 0 or not pdf.is_file():
        last = (errors.strip().splitlines() or ["no message"])[-1]
        raise PdfError(f"Chromium could not print the page (exit {code}): {last}")
    return pdf


def _run(command: list[str], timeout: float) -> tuple[int, str]:
    """Run Chromium's ``command`` in a process group of its own for at most ``timeout`` seconds;
    return its exit status and standard error.

    When it ends, or is stopped (Ctrl-C: :class:`KeyboardInterrupt`; ``subprocess.TimeoutExpired``,
    which goes on), the helpers it started and left in its group are killed, so that none
    writes into its profile once that is being removed."""
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as chromium:
        try:
            _, errors = chromium.communicate(timeout=timeout)
        finally:
            with contextlib.suppress(ProcessLookupError):  # the group is gone: nothing left running
                os.killpg(chromium.pid, signal.SIGKILL)
    return chromium.returncode, errors


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Width and height (points) of every page of a PDF Chromium printed, in file order.

    Chromium writes each page's dictionary, with its ``/MediaBox``, uncompressed; this reads
    them without a PDF library. A page dictionary may give its box before or after its type.
    """
    data = Path(pdf).read_bytes()
    sizes = []
    for match in re.finditer(rb"<<(?:[^<>]|<<(?:[^<>]|<<[^<>]*>>)*>>)*>>", data):
        body = match.group(0)
        if not re.search(rb"/Type\s*/Page\b(?!s)", body):
            continue
        box = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", body)
        if box:
            x0, y0, x1, y1 = (float(v) for v in box.groups())
            sizes.append((x1 - x0, y1 - y0))
    return sizes


def is_a4(size: tuple[float, float], tolerance: float = 1.5) -> bool:
    """Whether a page size in points is A4 portrait (Chromium rounds to its own units: ±1.5 pt)."""
    return all(abs(a - b) <= tolerance for a, b in zip(size, A4_POINTS))
