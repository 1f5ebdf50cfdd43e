"""Sweep and uncertainty folders are as safe as every other output (safety trial 8).

A folder holding another design's tasks is refused before any is run again, never cleaned. A sweep
folder is capsim's only while it carries its list of files (``.capsim-files``) and holds nothing
else: a user's folder that merely looks like an older sweep, a file capsim wrote that the user
changed, or a page or chart folder replaced by a link is refused and left as it is, byte for byte.
An uncertainty run's tables, page and charts are written under the sweep's lock and listed like
every other file, and its manifest says ``complete`` only once they are all in place. A write
that fails (a full disk) is one message, leaves no file half-written and keeps every finished task.
"""

from __future__ import annotations

import errno
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capsim import sweep, written_files
from capsim.cli import app
from tests.test_output_safety import invoke, refused, snapshot
from tests.test_sweep import TINY

UNCERTAIN = TINY.replace("name: tiny", "name: unknown").replace(
    "rate: 150/day,", "rate: {uncertain: {dist: uniform, low: 100/day, high: 200/day, source: test}},")
"""tiny.yaml with its reports' rate unknown (uniform between 100 and 200 a day)."""

SWEEP = ("--grid", "workforce.analysts.headcount=1,2", "-r", "2", "-w", "1")
UNCERTAINTY = ("-n", "2", "-r", "2", "-w", "1")


@pytest.fixture
def place(tmp_path, monkeypatch) -> Path:
    """A working folder (the current folder) holding tiny.yaml and unknown.yaml, inside tmp_path."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "tiny.yaml").write_text(TINY, encoding="utf-8")
    (work / "unknown.yaml").write_text(UNCERTAIN, encoding="utf-8")
    monkeypatch.chdir(work)
    return work


def swept(folder: str = "swept") -> Path:
    """A finished sweep of tiny.yaml over headcount 1 and 2 in ``folder``."""
    result = invoke("sweep", "tiny.yaml", *SWEEP, "--out", folder)
    assert result.exit_code == 0, result.output
    return Path(folder)


def uncertain(folder: str = "unknown") -> Path:
    """A finished uncertainty run of unknown.yaml (2 sets × 2 replications) in ``folder``."""
    result = invoke("uncertainty", "unknown.yaml", *UNCERTAINTY, "--out", folder)
    assert result.exit_code == 0, result.output
    return Path(folder)


def listed(folder: Path) -> list[str]:
    """The names in ``folder``'s list of files, in its order."""
    return [line.split("  ", 1)[1] for line in (folder / written_files.FILES).read_text().splitlines()]


# --------------------------------------------------------------------------- another design's folder


def test_an_uncertainty_run_never_cleans_a_sweeps_folder(place):
    """Its tasks measure years, the sweep's did not: that is another design, refused before any
    task is taken for damaged and run again (the trial lost all six tasks of a police-unit sweep)."""
    folder = swept("shared")
    before = snapshot(folder)
    result = invoke("uncertainty", "unknown.yaml", *UNCERTAINTY, "--out", "shared")
    refused(result, "shared: holds another sweep's results (tasks/0-0.json among them)", "here,", "in the folder",
            "Choose another --out")
    assert str(place) not in result.stderr
    assert snapshot(folder) == before


# --------------------------------------------------------------------------- capsim's own files only


def test_every_file_of_a_sweep_and_an_uncertainty_run_is_listed_once_with_its_content(place):
    """``sha256sum -c .capsim-files`` checks a sweep folder too: one line a file, the page and charts included."""
    for folder in (swept(), uncertain()):
        assert written_files.not_written(folder) == []
        names = listed(folder)
        assert len(names) == len(set(names)) and {"manifest.json", "sweep_summary.csv", "tasks/0-0.json"} <= set(names)
        for path in filter(Path.is_file, folder.rglob("*")):  # no machine path in any file
            assert str(place) not in path.read_text(errors="replace"), path
    assert {"uncertainty.html", "uncertainty_summary.csv", "charts/uncertainty_backlog_end.svg"} <= set(names)


def test_a_users_folder_that_looks_like_an_older_sweep_is_never_written(place):
    """A top-level "sweep" key in a manifest.json is not enough: without capsim's list of files
    the folder's files cannot be told from the user's."""
    folder = place / "proj"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"sweep": {"notes": "my own"}}\n')
    (folder / "sweep_summary.csv").write_text("my,own\n1,2\n")
    (folder / "sweep_replications.csv").write_text("mine\n")
    before = snapshot(folder)
    refused(invoke("sweep", "tiny.yaml", *SWEEP, "--out", "proj"), "proj: holds a manifest.json that capsim did not "
            "write", "--out")
    assert snapshot(folder) == before


def edit_manifest(path: Path) -> None:
    path.write_text(json.dumps({**json.loads(path.read_text()), "my_note": "checked by hand"}, indent=1))


def edit_task(path: Path) -> None:
    record = json.loads(path.read_text())
    record["metrics"]["backlog_end"] = 0.0
    path.write_text(json.dumps(record, indent=1))


@pytest.mark.parametrize(("name", "change"), [
    ("sweep_summary.csv", lambda path: path.write_bytes(path.read_bytes() + b"my row\n")),
    ("manifest.json", edit_manifest),
    ("tasks/1-0.json", edit_task),
])
def test_a_file_of_a_sweep_the_user_changed_is_refused_and_kept(place, name, change):
    folder = swept()
    change(folder / name)
    before = snapshot(place)
    refused(invoke("sweep", "tiny.yaml", *SWEEP, "--out", "swept"), "swept: holds what capsim did not write there, "
            f"or changed since: {name}", "--out")
    assert snapshot(place) == before
    if name == "sweep_summary.csv":  # moved out, as the message says: the sweep runs again
        (folder / name).rename(place / "my_summary.csv")
        assert invoke("sweep", "tiny.yaml", *SWEEP, "--out", "swept").exit_code == 0
        assert written_files.not_written(folder) == []


def test_an_uncertainty_folder_whose_page_or_charts_became_links_is_never_written_through(place):
    folder = uncertain()
    victim = place / "victim"
    (victim / "charts").mkdir(parents=True)
    (victim / "report.html").write_text("<p>my page</p>\n")
    (victim / "charts" / "keep.txt").write_text("mine\n")
    (folder / "uncertainty.html").unlink()
    (folder / "uncertainty.html").symlink_to("../victim/report.html")
    shutil.rmtree(folder / "charts")
    (folder / "charts").symlink_to("../victim/charts")
    before = snapshot(place)
    refused(invoke("uncertainty", "unknown.yaml", *UNCERTAINTY, "--out", "unknown"),
            "unknown: holds what capsim did not write there, or changed since: charts, uncertainty.html")
    assert snapshot(place) == before


# --------------------------------------------------------------------------- nothing half-written


def test_the_manifest_says_complete_only_once_the_page_is_written(place, monkeypatch):
    """A run stopped while it writes the page (as by a kill) leaves the manifest "running", no
    table or page of its own and a list that still names every file; the same command finishes it."""
    import capsim.report.uncertainty as page

    def stopped(*args, **kwargs):
        raise RuntimeError("stopped while writing uncertainty.html")

    with monkeypatch.context() as patched:
        patched.setattr(page, "write_uncertainty_report", stopped)
        result = CliRunner().invoke(app, ["uncertainty", "unknown.yaml", *UNCERTAINTY, "--out", "unknown"])
    assert isinstance(result.exception, RuntimeError)
    folder = place / "unknown"
    assert json.loads((folder / "manifest.json").read_text())["sweep"]["status"] == "running"
    assert sorted(p.name for p in folder.iterdir()) == [".capsim-files", "manifest.json", "sweep_replications.csv",
                                                        "sweep_summary.csv", "tasks"]
    assert written_files.not_written(folder) == []
    staging = folder / ".finish.capsim-abcdefgh.tmp"  # what a kill in that step leaves: removed by the next run
    (staging / "charts").mkdir(parents=True)
    (staging / "charts" / "uncertainty_backlog_end.png").write_bytes(b"half")
    tasks = snapshot(folder / "tasks")
    done = invoke("uncertainty", "unknown.yaml", *UNCERTAINTY, "--out", "unknown")
    assert done.exit_code == 0, done.output
    assert snapshot(folder / "tasks") == tasks and not staging.exists()  # every task kept, none run again
    assert json.loads((folder / "manifest.json").read_text())["sweep"]["status"] == "complete"
    assert (folder / "uncertainty.html").is_file() and written_files.not_written(folder) == []


# --------------------------------------------------------------------------- stopped part way, taken again


@pytest.mark.parametrize("nth", [1, 2])
def test_a_manifest_listed_but_not_written_never_makes_capsim_refuse_its_own_folder(place, monkeypatch, nth):
    """A full disk (or a kill) between listing manifest.json's new content and writing it, in the run's
    first ("running") or last ("complete") manifest: the earlier content stays capsim's, the same
    command finishes the sweep; a manifest the user edited is still refused."""
    folder = swept()
    write_atomic, manifests = sweep.write_atomic, []

    def full(path: Path, data: str | bytes) -> None:
        manifests.extend([path] if path.name == "manifest.json" else [])
        if len(manifests) == nth and path.name == "manifest.json":
            raise OSError(errno.ENOSPC, "No space left on device")
        write_atomic(path, data)

    with monkeypatch.context() as patched:
        patched.setattr(sweep, "write_atomic", full)
        assert CliRunner().invoke(app, ["sweep", "tiny.yaml", *SWEEP, "--out", "swept"]).exit_code != 0
    assert listed(folder).count("manifest.json") == 1 + nth and written_files.not_written(folder) == []
    manifest = (folder / "manifest.json").read_bytes()
    edit_manifest(folder / "manifest.json")
    refused(invoke("sweep", "tiny.yaml", *SWEEP, "--out", "swept"), "changed since: manifest.json")
    (folder / "manifest.json").write_bytes(manifest)
    assert invoke("sweep", "tiny.yaml", *SWEEP, "--out", "swept").exit_code == 0
    assert json.loads((folder / "manifest.json").read_text())["sweep"]["status"] == "complete"
    assert listed(folder).count("manifest.json") == 1 and written_files.not_written(folder) == []


def test_an_uncertainty_run_stopped_when_run_again_keeps_the_page_and_tables_it_had(place, monkeypatch):
    """Ctrl-C while a finished run, run again, draws its page leaves the earlier page, tables and
    charts as they were; once the run is finished, what it did not make again (a chart an earlier
    run drew) is removed, and nothing else."""
    import capsim.report.uncertainty as page

    folder = uncertain()
    (folder / "charts" / "uncertainty_old_metric.svg").write_text("<svg/>\n")  # as an earlier run drew it
    written_files.list_files(folder)
    made = {name: data for name, data in snapshot(folder).items()
            if name.startswith(("uncertainty", "charts")) and data[0] == "file"}

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(page, "write_uncertainty_report", stopped)
        result = CliRunner().invoke(app, ["uncertainty", "unknown.yaml", *UNCERTAINTY, "--out", "unknown"])
    assert result.exit_code != 0 and "interrupted" in result.stderr
    assert {name: snapshot(folder)[name] for name in made} == made and written_files.not_written(folder) == []
    assert invoke("uncertainty", "unknown.yaml", *UNCERTAINTY, "--out", "unknown").exit_code == 0
    assert not (folder / "charts" / "uncertainty_old_metric.svg").exists()
    assert set(made) - set(snapshot(folder)) == {"charts/uncertainty_old_metric.svg"}
    assert written_files.not_written(folder) == []


def test_a_sweep_run_again_whose_task_fails_removes_the_earlier_runs_tables(place, monkeypatch):
    """They were made from fewer replications than the failed run's manifest describes."""
    folder = swept()

    def broken(*args, **kwargs):
        raise RuntimeError("out of luck")

    monkeypatch.setattr(sweep, "run_task", broken)
    result = invoke("sweep", "tiny.yaml", "--grid", "workforce.analysts.headcount=1,2", "-r", "3", "-w", "1",
                    "--out", "swept")
    assert result.exit_code != 0 and "out of luck" in result.output
    assert sorted(p.name for p in folder.iterdir()) == [".capsim-files", "manifest.json", "tasks"]
    assert json.loads((folder / "manifest.json").read_text())["sweep"]["status"] == "failed"
    assert written_files.not_written(folder) == []


def test_an_older_capsims_folder_is_refused_for_its_missing_list_not_as_another_sweeps(place):
    """A sweep folder without capsim's list of files is refused for that, even for a sweep of
    another design: the real reason, and the one that says how to go on."""
    folder = swept()
    (folder / written_files.FILES).unlink()
    before = snapshot(folder)
    refused(invoke("sweep", "tiny.yaml", "--grid", "workforce.analysts.headcount=3,4", "-r", "2", "-w", "1",
                   "--out", "swept"), "swept: holds a manifest.json that capsim did not write", "--out")
    assert snapshot(folder) == before


# --------------------------------------------------------------------------- a full disk


def page_on_a_full_disk(*args, **kwargs) -> None:
    """The uncertainty page and its charts, written on a disk with no room left."""
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize(("command", "name", "nth"), [
    ("sweep", "tasks/1-1.json", 1),  # the last task's result
    ("sweep", "sweep_summary.csv", 1),
    ("sweep", "sweep_replications.csv", 1),
    ("sweep", "manifest.json", 2),  # the last one, which says "complete"
    ("sweep", written_files.FILES, 2),  # the list written afresh, last of all
    ("uncertainty", "uncertainty.html", 1),  # the page and its charts, made in the sweep's last step
    ("uncertainty", "manifest.json", 2),
])
def test_a_full_disk_at_any_write_of_a_sweep_is_one_message_and_the_same_command_finishes_it(
        place, monkeypatch, command, name, nth):
    """Safety trial: a full disk at the sweep's last manifest surfaced as a Python traceback. Each
    write that fails ends the command with one line naming the folder, the cause and how to go on;
    no file is half-written, and the same command run again keeps every finished task."""
    args = ["unknown.yaml", *UNCERTAINTY] if command == "uncertainty" else ["tiny.yaml", *SWEEP]
    write_atomic, seen = sweep.write_atomic, []

    def full(path: Path, data: str | bytes) -> None:
        seen.extend([path] if path == Path("out", name) else [])
        if len(seen) == nth and path == Path("out", name):
            raise OSError(errno.ENOSPC, "No space left on device")
        write_atomic(path, data)

    with monkeypatch.context() as patched:
        patched.setattr(sweep, "write_atomic", full)
        if name == "uncertainty.html":
            import capsim.report.uncertainty as page

            patched.setattr(page, "write_uncertainty_report", page_on_a_full_disk)
        result = invoke(command, *args, "--out", "out")
    refused(result, "out: cannot write the output there (No space left on device)", "finished tasks are kept in "
            "out/tasks", "run the same command again to finish")
    assert str(place) not in result.stderr
    folder = place / "out"
    assert json.loads((folder / "manifest.json").read_text())["sweep"]["status"] in ("running", "complete")
    assert [p.name for p in folder.rglob("*") if p.name.endswith(".tmp")] == []  # no temporary file nor staging left
    assert written_files.not_written(folder) == []
    done = invoke(command, *args, "--out", "out")
    assert done.exit_code == 0, done.output
    manifest = json.loads((folder / "manifest.json").read_text())["sweep"]
    assert manifest["status"] == "complete" and manifest["tasks_run"] == (1 if name.startswith("tasks/") else 0)
    assert written_files.not_written(folder) == []


def test_an_error_that_is_not_the_disk_s_is_not_called_a_full_disk():
    """The review of trial 9: the sweep's closing writes also draw the uncertainty page, where an
    error reading a file (not writing one) must not be reported as "cannot write the output there"."""
    from capsim.sweep import SweepError, _writing

    with pytest.raises(SweepError, match="cannot write the output there"):
        with _writing(Path("out")):
            raise OSError(errno.ENOSPC, "No space left on device")
    with pytest.raises(FileNotFoundError):
        with _writing(Path("out")):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory")
