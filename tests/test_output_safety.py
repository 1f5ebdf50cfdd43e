"""Output folders never cost the user a file: capsim writes only where it may, one command at a time.

Each test plants the user's files, a regular file, links and devices around the output folder,
runs capsim, and checks every planted thing byte for byte afterwards (``snapshot``). Issue 12:
a scenario's name never becomes a path; ``--out`` replaces only an earlier capsim output of
the same kind; a folder is written by one command at a time; what an interrupted run leaves
is recovered or cleared on the next run, and only what capsim itself made is removed.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capsim import output, written_files
from capsim.cli import app
from capsim.output import OutputError, check, default_folder, recover, safe_name
from tests.test_sweep import TINY  # the same two-day scenario the sweep tests run


runner = CliRunner()


def invoke(*args):
    """Run the app in-process; a crash (anything but a clean exit) fails the test at once."""
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"capsim {' '.join(map(str, args))} crashed: {result.exception!r}\n{result.output}")
    return result


def refused(result, *parts: str) -> None:
    """Exit 2, one line on standard error naming what to do, no traceback."""
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.output
    for part in parts:
        assert part in result.stderr, (part, result.stderr)


def snapshot(root: Path) -> dict[str, tuple]:
    """Everything under ``root`` (links not followed): each file's bytes, each link's target."""
    found: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            key = str(path.relative_to(root))
            if stat.S_ISLNK(info.st_mode):
                found[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                found[key] = ("file", path.read_bytes(), stat.S_IMODE(info.st_mode))
            else:
                found[key] = ("folder" if stat.S_ISDIR(info.st_mode) else "other", stat.S_IMODE(info.st_mode))
    return found


def plant_user_folder(folder: Path) -> Path:
    """A folder of the user's own files (no capsim manifest)."""
    (folder / "sub").mkdir(parents=True)
    (folder / "thesis.txt").write_bytes(b"chapter one\n")
    (folder / "sub" / "data.csv").write_bytes(b"a,b\n1,2\n")
    return folder


def leftovers(root: Path) -> list[str]:
    """Staging, set-aside or lock files anywhere under ``root``."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if ".partial-" in p.name or ".old-" in p.name or p.name.endswith(".capsim.lock"))


@pytest.fixture
def place(tmp_path, monkeypatch) -> Path:
    """A working folder (the current folder) holding tiny.yaml, inside tmp_path."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "tiny.yaml").write_text(TINY, encoding="utf-8")
    monkeypatch.chdir(work)
    return work


def named(work: Path, name: str) -> Path:
    """tiny.yaml under another scenario name."""
    path = work / "named.yaml"
    path.write_text(TINY.replace("name: tiny", f"name: {json.dumps(name)}"), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- a name is never a path


@pytest.mark.parametrize(("name", "expected"), [
    ("base", "base"), ("/some/dir", "some-dir"), ("../../x", "x"), ("a/../../b", "a-..-..-b"),
    ("my scenario", "my-scenario"), ("équipe", "equipe"), ("a\x00b", "a-b"), ("\x1b[31mred\x1b[0m", "31mred-0m"),
    (".hidden", "hidden"), ("v1.2", "v1.2"), ("x" * 300, "x" * output.NAME_LIMIT),
])
def test_safe_name_is_one_plain_folder_name(name, expected):
    assert safe_name(name) == expected
    assert default_folder([name], suffix="-sweep") == Path("out") / f"{expected}-sweep"


@pytest.mark.parametrize("name", [".", "..", "", "/", "../..", "---", "\x00", "日本"])
def test_a_name_with_nothing_usable_is_refused(name):
    with pytest.raises(OutputError, match="gives no usable folder name.*--out"):
        safe_name(name)


@pytest.mark.parametrize(("command", "suffix"), [("run", ""), ("report", "-report"),
                                                 ("sweep", "-sweep")])
@pytest.mark.parametrize("how", ["absolute", "escaping"])
def test_a_scenario_name_never_chooses_a_folder_outside_out(place, command, suffix, how):
    victim = plant_user_folder(place.parent / f"victim{suffix}")
    name = str(place.parent / "victim") if how == "absolute" else "../../victim"
    before = snapshot(place.parent / victim.name)
    extra = {"sweep": ["--grid", "workforce.analysts.headcount=1,2"], "run": ["--no-report"]}.get(command, [])
    result = invoke(command, named(place, name), *extra)
    assert result.exit_code == 0, result.output
    assert snapshot(victim) == before
    assert sorted(p.name for p in place.parent.iterdir()) == sorted(["work", victim.name])
    written = [p for p in (place / "out").iterdir()]
    assert [p.name for p in written] == [safe_name(name) + suffix]
    assert (written[0] / "manifest.json").is_file()


@pytest.mark.parametrize("name", [".", ".."])
def test_a_name_that_is_a_dot_never_replaces_out(place, name):
    earlier = plant_user_folder(place / "out" / "earlier-run")
    before = snapshot(place / "out")
    refused(invoke("run", named(place, name), "--no-report"), "gives no usable folder name", "--out")
    assert snapshot(place / "out") == before and earlier.is_dir()


# --------------------------------------------------------------------------- --out replaces only its own kind


def run_output(folder: Path, *extra: str) -> None:
    """An earlier capsim run's output in ``folder``."""
    result = invoke("run", "tiny.yaml", "--no-report", "--out", folder, *extra)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("target", ["user-folder", "user-file", "empty-file", "link-to-user-folder", ".", "..", "",
                                    "home"])
def test_out_refuses_what_capsim_did_not_write(place, monkeypatch, target):
    outside = plant_user_folder(place.parent / "user-folder")
    (place.parent / "user-file").write_bytes(b"my notes\n")
    (place.parent / "empty-file").write_bytes(b"")
    (place.parent / "link-to-user-folder").symlink_to(outside)
    home = place.parent / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # an empty home folder: refused only because it is home
    path = target if target in ("", ".", "..") else str(place.parent / target)
    before = snapshot(place.parent)
    refused(invoke("run", "tiny.yaml", "--out", path), "--out")
    assert snapshot(place.parent) == before
    assert leftovers(place.parent) == []


def test_out_never_touches_a_device(place):
    # The command runs against device-like files made here (a FIFO; as root, a copy of the null
    # device): run as root, capsim before issue 12 replaced --out /dev/null with a folder, so
    # /dev/null itself is only ever passed to the check, which writes nothing.
    fifo = place / "fifo"
    os.mkfifo(fifo)
    devices = [fifo]
    if os.geteuid() == 0:
        os.mknod(place / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        devices.append(place / "null")
    (place / "to-fifo").symlink_to(fifo)
    before = snapshot(place)
    for target in (*devices, place / "to-fifo"):
        refused(invoke("run", "tiny.yaml", "--out", target), "not a folder", "--out")
    assert snapshot(place) == before
    null = Path(os.devnull)
    was = null.lstat()
    with pytest.raises(OutputError, match="device or other special file, not a folder.*--out"):
        check(null, "run")
    now = null.lstat()
    assert stat.S_ISCHR(now.st_mode)
    assert (now.st_ino, now.st_rdev, now.st_mode, now.st_mtime_ns) == (was.st_ino, was.st_rdev, was.st_mode, was.st_mtime_ns)


def test_root_and_the_current_folder_are_refused_without_writing():
    for target in (Path("/"), Path("."), Path(""), Path.cwd(), Path.cwd().parent):
        with pytest.raises(OutputError, match="current folder.*--out"):
            check(target, "run")


def test_out_replaces_only_the_same_kind_of_output(place):
    earlier = place / "result"
    run_output(earlier)
    manifest = json.loads((earlier / "manifest.json").read_text())
    assert manifest["kind"] == "run"
    before = snapshot(earlier)
    for command, extra in (("report", []), ("staff", []), ("budget", []), ("compare", ["tiny.yaml"]),
                           ("sensitivity", []), ("sweep", ["--grid", "workforce.analysts.headcount=1"])):
        refused(invoke(command, "tiny.yaml", *extra, "--out", earlier), "holds a capsim run output", "--out")
    assert snapshot(earlier) == before
    run_output(earlier, "--seed", "8")  # its own kind, holding only what capsim wrote: replaced whole
    assert json.loads((earlier / "manifest.json").read_text())["seed"] == 8
    assert written_files.not_written(earlier) == []  # its list of files names every file, with its content
    assert leftovers(place) == []


def test_out_never_replaces_an_output_to_which_the_user_added_or_changed_anything(place):
    """The user's notes dropped into an earlier output, a folder of theirs in it, or a table they
    edited: the next run into it is refused, naming them, and nothing is touched."""
    earlier = place / "result"
    run_output(earlier)
    summary = (earlier / "summary.csv").read_bytes()
    for change, name in ((lambda: (earlier / "my_notes.txt").write_text("keep me"), "my_notes.txt"),
                         (lambda: (earlier / "analysis").mkdir(), "analysis"),
                         (lambda: (earlier / "summary.csv").write_bytes(summary + b"my row\n"), "summary.csv"),
                         (lambda: (earlier / "summary.csv").unlink() or (earlier / "summary.csv").symlink_to(
                             place / "tiny.yaml"), "summary.csv")):
        change()
        before = snapshot(place)
        refused(invoke("run", "tiny.yaml", "--no-report", "--out", earlier), "did not write there, or changed since",
                name, "--out")
        assert snapshot(place) == before
        for added in ("my_notes.txt", "analysis", "summary.csv"):  # put it back as capsim wrote it
            path = earlier / added
            if path.is_symlink() or path.is_file():
                path.unlink()
            elif path.is_dir():
                path.rmdir()
        (earlier / "summary.csv").write_bytes(summary)
    (earlier / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")  # a file browser's cache is not the user's work
    run_output(earlier, "--seed", "8")  # as capsim wrote it again: replaced
    assert json.loads((earlier / "manifest.json").read_text())["seed"] == 8


def test_an_older_output_is_recognised_but_not_replaced(place):
    """An output of an older capsim (no kind in its manifest, no list of files): recognised, so another
    kind of command names it, but not replaced: capsim cannot tell its files from the user's."""
    earlier = place / "result"
    run_output(earlier)
    manifest = json.loads((earlier / "manifest.json").read_text())
    del manifest["kind"]
    (earlier / "manifest.json").write_text(json.dumps(manifest))
    (earlier / written_files.FILES).unlink()
    assert output.kind_of(earlier) == "run"
    before = snapshot(earlier)
    refused(invoke("staff", "tiny.yaml", "--out", earlier), "holds a capsim run output")
    refused(invoke("run", "tiny.yaml", "--out", earlier), "holds a manifest.json that capsim did not write", "--out")
    assert snapshot(earlier) == before


def test_a_link_to_an_earlier_output_says_where_the_output_goes(place):
    real = place.parent / "real-output"
    run_output(real)
    link = place / "latest"
    link.symlink_to(real)
    result = invoke("run", "tiny.yaml", "--no-report", "--out", link, "--seed", "9")
    assert result.exit_code == 0, result.output
    assert f"{link} is a symlink: the output goes to {real}" in result.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads((real / "manifest.json").read_text())["seed"] == 9
    assert leftovers(place.parent) == []


# --------------------------------------------------------------------------- links inside a sweep folder


SWEEP = ("--grid", "workforce.analysts.headcount=1,2")


@pytest.fixture
def swept(place) -> Path:
    """A finished sweep's folder."""
    folder = place / "swept"
    result = invoke("sweep", "tiny.yaml", *SWEEP, "--out", folder)
    assert result.exit_code == 0, result.output
    return folder


def test_a_tasks_link_in_a_sweep_folder_is_never_followed(place, swept):
    user = plant_user_folder(place.parent / "elsewhere")
    shutil.rmtree(swept / "tasks")
    (swept / "tasks").symlink_to(user)
    before = snapshot(place.parent)
    refused(invoke("sweep", "tiny.yaml", *SWEEP, "--out", swept), "tasks", "link", "--out")
    assert snapshot(place.parent) == before


@pytest.mark.parametrize("planted", ["link-to-user-file", "user-file", "link-to-task"])
def test_task_files_capsim_did_not_write_are_never_read_through_or_removed(place, swept, planted):
    user_file = place.parent / "precious.json"
    user_file.write_bytes(b'{"mine": true}\n')
    task = swept / "tasks" / "1-0.json"
    if planted == "user-file":
        task.write_bytes(b"not capsim's\n")
    else:
        copy = place.parent / "copy.json"
        copy.write_bytes(task.read_bytes())  # even a link to a real task file is not followed
        task.unlink()
        task.symlink_to(user_file if planted == "link-to-user-file" else copy)
    before = snapshot(place.parent)
    refused(invoke("sweep", "tiny.yaml", *SWEEP, "--out", swept),
            "holds what capsim did not write there, or changed since: tasks/1-0.json")
    assert snapshot(place.parent) == before


def test_a_lock_link_left_in_a_sweep_folder_is_never_followed(place, swept):
    user_file = place.parent / "precious.txt"
    user_file.write_bytes(b"keep me\n")
    (swept / ".sweep.lock").unlink(missing_ok=True)
    (swept / ".sweep.lock").symlink_to(user_file)
    for name in ("manifest.json", "sweep_summary.csv"):  # temporary-looking links are not capsim's temporaries
        (swept / "tasks" / f".{name}.capsim-abcdefgh.tmp").symlink_to(user_file)
    os.utime(user_file, (1_000_000_000, 1_000_000_000))
    result = invoke("sweep", "tiny.yaml", "--grid", "workforce.analysts.headcount=1,2,3", "--out", swept)
    refused(result, ".sweep.lock", "tasks/.manifest.json.capsim-abcdefgh.tmp", "did not write there")  # not capsim's
    assert user_file.stat().st_atime == 1_000_000_000  # never even opened (before this test reads it)
    assert user_file.read_bytes() == b"keep me\n"
    assert os.readlink(swept / ".sweep.lock") == str(user_file)
    assert (swept / "tasks" / ".manifest.json.capsim-abcdefgh.tmp").is_symlink()


# --------------------------------------------------------------------------- one writer at a time


HOLD = """\
import sys
from capsim import output
with output.lock(output.lock_path(output.check(sys.argv[1], sys.argv[2])), "busy"):
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def held(place):
    """Hold a folder's lock from another process, as a capsim command writing it would."""
    children = []

    def hold(folder: Path, kind: str) -> subprocess.Popen:
        child = subprocess.Popen([sys.executable, "-c", HOLD, str(folder), kind], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True, cwd=place)
        children.append(child)
        assert child.stdout.readline().strip() == "locked"
        return child

    yield hold
    for child in children:
        child.communicate("")


def test_a_lock_file_that_is_not_capsims_is_named_as_the_user_gave_the_folder(place):
    """The refusal names the lock file beside ``--out`` as given (relative), never the machine's path."""
    (place / "out").mkdir()
    (place / ".out.capsim.lock").write_bytes(b"someone's notes\n")
    result = invoke("run", "tiny.yaml", "--out", "out", "-r", "1")
    refused(result, ".out.capsim.lock: exists and is not a capsim lock file")
    assert str(place) not in result.stderr and str(place.resolve()) not in result.stderr
    assert (place / ".out.capsim.lock").read_bytes() == b"someone's notes\n"


@pytest.mark.parametrize("command", ["run", "report", "staff", "budget", "compare", "sensitivity"])
def test_a_folder_being_written_is_refused(place, held, command):
    target = place / "shared"
    held(target, "run" if command == "compare" else "report")
    extra = ["tiny.yaml"] if command == "compare" else []
    refused(invoke(command, "tiny.yaml", *extra, "--out", target), "another capsim command is writing", "--out")
    assert not target.exists()


def test_a_run_never_replaces_a_running_sweep(place, swept, held):
    before = snapshot(swept)
    sweeping = held(swept, "sweep")  # a sweep is running in it
    refused(invoke("run", "tiny.yaml", "--out", swept), "--out")
    refused(invoke("sweep", "tiny.yaml", *SWEEP, "--out", swept), "another capsim command is writing")
    assert snapshot(swept) == before
    sweeping.communicate("")  # once it has finished, the folder is free again
    assert invoke("sweep", "tiny.yaml", *SWEEP, "--out", swept).exit_code == 0
    assert leftovers(place) == []


# --------------------------------------------------------------------------- what an interrupted run leaves


def hide(target: Path, what: str, suffix: str, marked: bool = True) -> Path:
    """A folder as an interrupted write of ``target`` leaves it (marked, unless ``marked`` is false)."""
    folder = target.parent / f".{target.name}.{what}-{suffix}"
    folder.mkdir()
    if marked:
        (folder / output.MARKER).write_text(target.name + "\n")
    return folder


def test_a_kill_between_the_renames_is_recovered(place):
    target = place / "result"
    run_output(target)
    previous = snapshot(target)
    hidden = hide(target, "old", "k1ll3d00")
    target.rename(hidden / "previous")
    notes = recover(target.resolve())
    assert snapshot(target) == previous and not hidden.exists()
    assert len(notes) == 1 and "put back the previous output" in notes[0]

    hidden = hide(target, "old", "k1ll3d01")  # and through the command line, which then replaces it
    target.rename(hidden / "previous")
    result = invoke("run", "tiny.yaml", "--no-report", "--out", target, "--seed", "5")
    assert result.exit_code == 0, result.output
    assert "put back the previous output" in result.stderr
    assert json.loads((target / "manifest.json").read_text())["seed"] == 5
    assert leftovers(place) == []


def test_a_kill_while_writing_is_cleared_and_only_capsims_own_folders_go(place):
    target = place / "result"
    run_output(target)
    half = hide(target, "partial", "h4lfd0ne")
    (half / "summary.csv").write_text("half")
    superseded = hide(target, "old", "sup3rs3d")
    (superseded / "previous").mkdir()
    lookalike = plant_user_folder(hide(target, "partial", "n0tm1ne0", marked=False))
    forged = plant_user_folder(place / f".{target.name}.old-f0rg3d00")
    (forged / output.MARKER).write_text("another-target\n")  # a marker for another folder is not this one's
    kept = {p: snapshot(p) for p in (lookalike, forged)}
    result = invoke("run", "tiny.yaml", "--no-report", "--out", target)
    assert result.exit_code == 0, result.output
    assert not half.exists() and not superseded.exists()
    assert {p: snapshot(p) for p in kept} == kept
    assert f"{half}: removed" in result.stderr
    assert "left as it is" in result.stderr
    shutil.rmtree(lookalike)  # the user clears them
    shutil.rmtree(forged)

    before = snapshot(target)  # a failure while writing leaves the previous output, and nothing else

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("capsim.report.write_report", broken)
        refused(invoke("run", "tiny.yaml", "--out", target), "No space left on device", "--out")
    assert snapshot(target) == before
    assert leftovers(place) == []
    run_output(target, "--seed", "3")  # and the folder's lock went with the failed command
    assert leftovers(place) == []
