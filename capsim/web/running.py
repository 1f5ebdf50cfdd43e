"""Loading and running scenarios for the web page, with no Streamlit in sight.

Each visitor gets a :class:`Workspace`: a temporary folder of their own, holding a copy of the
bundled scenarios (so that an uploaded file may ``extends: base.yaml``), their upload and their
report. Nothing the page does writes anywhere else. Scenarios load through
:func:`capsim.scenario.load_scenario` with ``--set`` overrides, exactly as the command line does.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import tempfile
import threading
import time
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from capsim import bundled, safe_yaml
from capsim.scenario import Scenario, ScenarioError, load_scenario, scenario_warnings
from capsim.web import workers
from capsim.web.workers import WORKERS

MAX_UPLOAD_BYTES = safe_yaml.MAX_BYTES
"""Largest scenario file the page accepts, in bytes (the safe loader's own limit)."""
UPLOAD_NAME = "uploaded.yaml"
"""The name an uploaded file is saved under in the visitor's folder (never the name it came with)."""
PAGE_CHARTS = ("svg",)
"""Chart files written for the report and brief the page offers: the SVG their pages inline (the
command line's PNG copies, for slides, are not part of a download and would double the wait)."""


class Workspace:
    """A visitor's temporary folder; removed with :meth:`close` (or when the process ends)."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="capsim-web-")
        self.folder = Path(self._folder.name)
        for name in bundled.names():
            shutil.copyfile(bundled.path(name), self.folder / f"{name}.yaml")

    def scenario_file(self, name: str) -> Path:
        """The visitor's copy of bundled scenario ``name``."""
        if name not in bundled.names():
            raise ScenarioError(f"{name}: no bundled scenario of that name; bundled scenarios: "
                                f"{', '.join(bundled.names())}")
        return self.folder / f"{name}.yaml"

    def save_upload(self, data: bytes) -> Path:
        """Keep an uploaded scenario file as :data:`UPLOAD_NAME`; refuse one above :data:`MAX_UPLOAD_BYTES`."""
        if len(data) > MAX_UPLOAD_BYTES:
            raise ScenarioError(f"the file is {len(data):,} bytes; a scenario file may be at most "
                                f"{MAX_UPLOAD_BYTES:,} bytes")
        target = self.folder / UPLOAD_NAME
        target.write_bytes(data)
        return target

    def subfolder(self, name: str) -> Path:
        """A fresh empty folder ``name`` inside the workspace (an earlier one is replaced)."""
        target = self.folder / name
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        return target

    def close(self) -> None:
        self._folder.cleanup()


def bundled_choices() -> dict[str, str]:
    """Bundled scenario names and their one-line titles, base first."""
    names = sorted(bundled.names(), key=lambda n: (n != "base", n))
    return {name: load_scenario(bundled.path(name)).title or name for name in names}


def load(path: Path, overrides: list[str]) -> tuple[Scenario, list[str]]:
    """The scenario at ``path`` with ``overrides`` applied and validated, and its warnings; raises
    :class:`ScenarioError` with the command line's message, the visitor's folder left out of it."""
    try:
        scenario = load_scenario(path, overrides)
    except ScenarioError as err:
        raise ScenarioError(tidy(str(err), path.parent)) from None
    return scenario, [tidy(w, path.parent) for w in scenario_warnings(scenario)]


def tidy(message: str, folder: Path) -> str:
    """``message`` without the visitor's temporary folder in front of file names."""
    return re.sub(re.escape(str(folder)) + r"/", "", message)


def sources(scenario: Scenario) -> dict[str, str]:
    """Where each key's value comes from, in words: the figure's citation, or "assumption"/"default"."""
    from capsim.report.assumptions import assumptions_table
    from capsim.sources import figure_source

    table = assumptions_table(scenario)
    return {row.key: figure_source(row.figure) if row.figure else row.source for row in table.itertuples()}


def run(scenario: Scenario, progress: Callable[[int, int], None] | None = None, replications: int | None = None,
        seed: int | None = None):
    """Simulate ``scenario`` with its own replications and seed (as ``capsim run`` does), or those given,
    on the server's warm worker processes (:mod:`capsim.web.workers`)."""
    from capsim.experiment import simulate

    return workers.on_workers(lambda pool: simulate(scenario, replications, seed, workers=WORKERS, progress=progress,
                                                    executor=pool))


KEPT_RUNS = 64
"""Runs the server keeps for its visitors, the most recently asked for first."""
_runs: OrderedDict[str, object] = OrderedDict()
_runs_lock = threading.Lock()


def cached_run(scenario: Scenario, progress: Callable[[int, int], None] | None = None):
    """:func:`run`, kept by the scenario's digest (its every input, replications and seed
    included), so that any visitor asking again for the same run gets it at once, without
    ``progress`` being called. Not Streamlit's own cache: that one replays the progress bar's
    updates, made on a block of the page of the visitor who first ran it, into the next
    visitor's page, where that block does not exist, and stops the page with an error."""
    key = scenario.digest()
    with _runs_lock:
        if key in _runs:
            _runs.move_to_end(key)
            return _runs[key]
    result = run(scenario, progress)
    with _runs_lock:
        _runs[key] = result
        while len(_runs) > KEPT_RUNS:
            _runs.popitem(last=False)
    return result


def run_variants(scenarios: list[Scenario], progress: Callable[[int, int], None] | None = None):
    """Run scenarios under the first one's seed and replications (common random numbers), and
    their comparison with paired differences against the first (:func:`capsim.charts.compare.paired_differences`)."""
    from capsim.charts.compare import paired_differences

    first = scenarios[0].experiment
    total = first.replications * len(scenarios)
    results = []
    for k, scenario in enumerate(scenarios):
        step = (lambda done, _, k=k: progress(k * first.replications + done, total)) if progress else None
        results.append(run(scenario, step, first.replications, first.seed))
    return results, paired_differences(results)


def staffing(scenario: Scenario, team: str, period: str, confidence: float,
             progress: Callable[[float, float, str], None] | None = None):
    """The staffing plan for ``team`` (:func:`capsim.staffing.solve_staffing`), on the server's warm
    worker processes (:mod:`capsim.web.workers`); raises ValueError with the solver's message for a
    team that cannot be planned (no SLA, say)."""
    from capsim.staffing import solve_staffing

    return workers.on_workers(lambda pool: solve_staffing(scenario, team, period=period, confidence=confidence,
                                                          workers=WORKERS, progress=progress, executor=pool))


def _manifests(results: list, overrides: list[str], source: str) -> list[dict]:
    """The manifest of each run, as ``capsim run`` records it (``source``: the scenario file's name)."""
    from capsim.manifest import manifest

    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    return [manifest(r.scenario, seed=r.seed, replications=r.replications, workers=1, started=started,
                     wall_seconds=time.perf_counter() - clock, source=source, overrides=overrides)
            for r in results]


def report_html(workspace: Workspace, results: list, overrides: list[str], source: str) -> bytes:
    """The HTML report of ``results``, written in the workspace (as ``capsim run`` writes it)."""
    from capsim.report.page import write_report

    return write_report(workspace.subfolder("report"), results, _manifests(results, overrides, source),
                        overrides=overrides, formats=PAGE_CHARTS).read_bytes()


def can_print() -> bool:
    """True where Chromium is installed, so the brief can be printed to PDF (:mod:`capsim.pdf`)."""
    from capsim.pdf import find_chromium

    return find_chromium() is not None


def brief(workspace: Workspace, results: list, overrides: list[str], source: str, pdf: bool) -> bytes:
    """The brief of ``results`` and its annex, the full report, as ``capsim brief --no-what-it-takes``
    writes them (:mod:`capsim.report.brief`), in one ZIP file: ``brief.pdf``, ``report.pdf`` and
    ``report.html`` with ``pdf`` (printed by Chromium), else ``brief.html`` and ``report.html`` to print
    from a browser. The brief names as its annex exactly the files the ZIP holds beside it."""
    from capsim.pdf import print_to_pdf
    from capsim.report.brief import ANNEX, write_brief_html

    folder = workspace.subfolder("brief")
    annex = ANNEX if pdf else tuple(name for name in ANNEX if not name.endswith(".pdf"))  # no Chromium: no PDFs
    page, report = write_brief_html(folder, results, _manifests(results, overrides, source), overrides=overrides,
                                    plan=False, formats=PAGE_CHARTS, annex=annex)
    if pdf:
        print_to_pdf(report, folder / "report.pdf")
    files = [print_to_pdf(page, folder / "brief.pdf") if pdf else page, *(folder / name for name in annex)]
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            archive.write(file, file.name)
    return packed.getvalue()
