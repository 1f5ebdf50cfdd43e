"""The swap of an output folder checks the folder again, keeps its permissions, and leaves nothing behind.

Safety trial 8: a file the user added to ``--out`` while a run was going was deleted at the swap
(the folder was checked only at the start); a private (0700) or group (setgid) folder came back
0755 with the user's group; a set-aside folder that could not be removed whole lost its marker
and was then called "not capsim's" on every run. Each test changes the folder between the start
and the swap through a hook (a function capsim calls in between), never by timing.

Later trials: Ctrl-C once the output was in place still said "nothing written"; a read-only
folder (for anyone but root) was refused only at the swap, after the whole simulation. Ctrl-C is
pressed through a hook too; a folder is made read-only by making the system say so
(``os.access``), as root writes past permission bits.
"""

from __future__ import annotations

import json
import os
import signal
import stat
from pathlib import Path

import pytest

from capsim import output
from capsim.written_files import not_written
from tests.test_output_safety import invoke, leftovers, place, refused, snapshot  # noqa: F401 (place: a fixture)


def run(out: Path | str, *extra: str):
    """``capsim run tiny.yaml --no-report --out OUT``."""
    return invoke("run", "tiny.yaml", "--no-report", "--out", out, *extra)


def after_the_simulation(monkeypatch, act) -> None:
    """Call ``act()`` once the run has simulated and written its files, before the swap: when
    the run writes its manifest into the staging folder."""
    real = output.write_manifest

    def write_then_act(*args, **kwargs):
        real(*args, **kwargs)
        act()

    monkeypatch.setattr("capsim.cli.write_manifest", write_then_act)


def is_complete_output(folder: Path, seed: int) -> bool:
    """A run's output of that seed, every file as capsim listed it, no staging marker."""
    manifest = json.loads((folder / "manifest.json").read_text())
    return manifest["kind"] == "run" and manifest["seed"] == seed and not_written(folder) == []


def add_notes(folder: Path) -> None:
    (folder / "notes.txt").write_bytes(b"my notes on q1\n")


def add_project(folder: Path) -> None:
    (folder / "data").mkdir(parents=True)
    (folder / "project.txt").write_bytes(b"project plan\n")
    (folder / "data" / "a.csv").write_bytes(b"a,b\n1,2\n")


# --------------------------------------------------------------------------- the swap checks again


@pytest.mark.parametrize(("earlier", "added"), [(True, add_notes), (False, add_project)],
                         ids=["file-added-to-an-earlier-output", "folder-made-where-none-was"])
def test_what_the_user_adds_during_a_run_is_kept_and_the_output_goes_beside(place, monkeypatch, earlier, added):
    target = place / "q1"
    if earlier:
        assert run(target).exit_code == 0
    (place / "q1.new").mkdir()  # the user's own: an empty folder of that name is not taken either
    before = {}

    def remember_then_add() -> None:
        added(target)
        before.update({name: snapshot(place / name) for name in ("q1", "q1.new")})

    after_the_simulation(monkeypatch, remember_then_add)
    result = run(target, "--seed", "5")
    refused(result, "q1 changed while capsim was writing", "left as it is", "the new output is in", "q1.new-2")
    assert "notes.txt" in result.stderr if earlier else "not a capsim output" in result.stderr
    assert {name: snapshot(place / name) for name in ("q1", "q1.new")} == before  # nothing of the user's touched
    assert sorted(p.name for p in place.iterdir()) == ["q1", "q1.new", "q1.new-2", "tiny.yaml"]
    assert is_complete_output(place / "q1.new-2", seed=5)
    assert leftovers(place) == []


def test_through_a_link_the_output_goes_beside_the_folder_it_leads_to(place, monkeypatch):
    private = place / "elsewhere" / "private"
    private.mkdir(parents=True)
    (place / "plink").symlink_to(private)
    after_the_simulation(monkeypatch, lambda: add_notes(private))
    result = invoke("run", "tiny.yaml", "--no-report", "--out", "plink")
    assert result.exit_code == 2 and f"the new output is in {private.resolve()}.new." in result.stderr, result.stderr
    assert sorted(p.name for p in private.parent.iterdir()) == ["private", "private.new"]
    assert is_complete_output(place / "elsewhere" / "private.new", seed=7)


def test_a_file_added_in_the_instant_before_the_folder_is_set_aside_is_found(place, monkeypatch):
    """The first check at the swap passes; the file comes just before the move; the second
    check, of the set-aside folder, finds it, and the folder is put back."""
    target = place / "q1"
    assert run(target).exit_code == 0
    real = output._make_hidden

    def add_then_set_aside(folder: Path, what: str) -> Path:
        if what == "old":
            add_notes(target)
        return real(folder, what)

    monkeypatch.setattr(output, "_make_hidden", add_then_set_aside)
    earlier = snapshot(target)
    result = run(target, "--seed", "5")
    refused(result, "q1 changed while capsim was writing", "notes.txt", "q1.new")
    kept = snapshot(target)
    assert kept.pop("notes.txt")[1] == b"my notes on q1\n" and kept == earlier  # put back as it was
    assert is_complete_output(place / "q1.new", seed=5)
    assert leftovers(place) == []


def test_a_folder_remade_while_set_aside_is_never_removed(place, monkeypatch):
    """The worst instant: a file added as the folder is set aside, and a new folder with a file
    made at its path before it can be put back. Both are kept, and the line says where."""
    target = place / "q1"
    assert run(target).exit_code == 0
    real = output.check_folder

    def change_while_aside(folder: Path, kind: str, shown: Path) -> None:
        if ".old-" in str(folder):
            add_notes(folder)
            add_project(target)
        real(folder, kind, shown)

    with monkeypatch.context() as patch:
        patch.setattr(output, "check_folder", change_while_aside)
        result = run(target, "--seed", "5")
    refused(result, "q1 changed while capsim was writing", "what it held is in", "q1.new")
    aside = [p for p in place.iterdir() if p.name.startswith(".q1.old-")]
    assert len(aside) == 1 and not (aside[0] / output.MARKER).exists()  # unmarked: never removed
    assert (aside[0] / "previous" / "notes.txt").read_bytes() == b"my notes on q1\n"
    assert (target / "project.txt").read_bytes() == b"project plan\n"
    assert is_complete_output(place / "q1.new", seed=5)
    notes = output.recover(target.resolve())  # what a later claim of q1 clears leaves it alone
    assert len(notes) == 1 and "left as it is" in notes[0]
    assert (aside[0] / "previous" / "notes.txt").read_bytes() == b"my notes on q1\n"


def test_a_folder_made_in_the_instant_before_the_output_moves_in_is_kept(place, monkeypatch):
    """Every check passed; the user's folder appears between the last check and the rename,
    which then fails rather than replace it: the output goes beside, as after a check."""
    target = place / "nd"
    real = os.rename

    def made_just_before(source, destination, *args, **kwargs):
        if ".nd.partial-" in str(source) and Path(destination) == target:
            add_project(target)
        return real(source, destination, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "rename", made_just_before)
        result = run(target)
    refused(result, "nd changed while capsim was writing", "not a capsim output", "nd.new")
    assert snapshot(target) == {"data": ("folder", 0o777 & ~output.UMASK),
                                "data/a.csv": ("file", b"a,b\n1,2\n", 0o666 & ~output.UMASK),
                                "project.txt": ("file", b"project plan\n", 0o666 & ~output.UMASK)}
    assert is_complete_output(place / "nd.new", seed=7)
    assert leftovers(place) == []


# --------------------------------------------------------------------------- its permissions


@pytest.mark.parametrize("mode", [0o700, 0o750, 0o2770], ids=oct)
@pytest.mark.parametrize("earlier", [False, True], ids=["empty", "earlier-output"])
def test_the_folder_keeps_its_permissions_and_group(place, mode, earlier):
    target = place / "private"
    target.mkdir()
    if earlier:
        assert run(target).exit_code == 0
    groups = [g for g in os.getgroups() if g != os.getgid()]
    group = groups[0] if groups else (100 if os.geteuid() == 0 else os.getgid())
    os.chown(target, -1, group)
    target.chmod(mode)
    assert run(target, "--seed", "5").exit_code == 0
    info = target.stat()
    assert stat.S_IMODE(info.st_mode) == mode and info.st_gid == group
    if mode & stat.S_ISGID:  # a group's folder: its group goes to every file, as to those the group writes there
        assert {path.stat().st_gid for path in target.rglob("*")} == {group}
    assert is_complete_output(target, seed=5)
    assert leftovers(place) == []


def test_a_folder_made_private_during_the_run_stays_private(place, monkeypatch):
    """The permissions are those of the folder at the swap, not at the start: an empty folder
    made during the run, private, is replaced by a private one."""
    target = place / "later"
    after_the_simulation(monkeypatch, lambda: target.mkdir(mode=0o700))
    assert run(target).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o700 and is_complete_output(target, seed=7)


def test_a_link_to_a_private_empty_folder_keeps_it_private(place):
    private = place / "private"
    private.mkdir(mode=0o700)
    private.chmod(0o700)
    (place / "plink").symlink_to(private)
    result = run(place / "plink")
    assert result.exit_code == 0, result.output
    assert (place / "plink").is_symlink() and stat.S_IMODE(private.stat().st_mode) == 0o700
    assert is_complete_output(private, seed=7)


# --------------------------------------------------------------------------- what it leaves


def test_a_set_aside_folder_that_cannot_be_removed_stays_capsims_and_is_named(place, monkeypatch):
    """As an immutable file in an earlier output: the set-aside copy keeps its marker, and the
    next run names it in one line with what to do, rather than calling it not capsim's."""
    target = place / "im3"
    assert run(target).exit_code == 0
    real = os.unlink

    def immutable(path, *args, dir_fd=None, **kwargs):
        if os.path.basename(path) == "summary.csv" and dir_fd is not None:  # removing the set-aside copy
            raise PermissionError(1, "Operation not permitted", path)
        return real(path, *args, dir_fd=dir_fd, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "unlink", immutable)
        assert run(target, "--seed", "5").exit_code == 0
        aside = [p for p in place.iterdir() if p.name.startswith(".im3.old-")]
        assert len(aside) == 1 and (aside[0] / output.MARKER).is_file()
        result = run(target, "--seed", "6")
        assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if aside[0].name in line]
    assert len(lines) == 1 and "cannot be removed (Operation not permitted)" in lines[0], result.stderr
    assert "remove the folder yourself" in lines[0] and "carries no" not in result.stderr
    result = run(target, "--seed", "7")  # once the file can go, the next run clears it
    assert result.exit_code == 0 and f"{aside[0]}: removed" in result.stderr, result.output
    assert leftovers(place) == []


# --------------------------------------------------------------------------- a read-only folder, a failed swap


@pytest.mark.parametrize("mode", [0o555, 0o700, 0o2770], ids=oct)
def test_while_writing_the_staging_folder_stays_writable_by_its_owner(place, monkeypatch, mode):
    """Review of trial 8: the staging folder took a read-only (0555) folder's mode from the start,
    so (as anyone but root) nothing could be written into it nor the folder removed. While the run
    writes, the staging folder keeps the target's group, setgid bit and privacy, with the owner's
    read, write and search added; the exact mode is the finished folder's."""
    target = place / "ro"
    target.mkdir()
    target.chmod(mode)
    seen = []
    after_the_simulation(monkeypatch, lambda: seen.extend(
        (p.name, stat.S_IMODE(p.stat().st_mode)) for p in place.iterdir() if p.name.startswith(".ro.partial-")))
    assert run(target).exit_code == 0
    assert len(seen) == 1 and seen[0][1] == mode | stat.S_IRWXU, [(name, oct(bits)) for name, bits in seen]
    assert stat.S_IMODE(target.stat().st_mode) == mode and is_complete_output(target, seed=7)
    assert leftovers(place) == []


def test_a_previous_output_that_cannot_be_put_back_is_named(place, monkeypatch):
    """Review of trial 8: the new output's rename fails for a reason the check does not refuse
    (an I/O error) and a folder is made at the target's path meanwhile, so the previous output
    cannot be put back: it stays set aside, unmarked (never removed), and the one line says where,
    as a path beside the --out given (no machine path)."""
    assert run("q1").exit_code == 0
    earlier = snapshot(place / "q1")
    real = os.rename

    def fails(source, destination, *args, **kwargs):
        if ".q1.partial-" in str(source) and Path(destination).name == "q1":
            add_project(place / "q1")
            raise OSError(5, "Input/output error")
        return real(source, destination, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "rename", fails)
        result = run("q1", "--seed", "5")
    aside = [p for p in place.iterdir() if p.name.startswith(".q1.old-")]
    assert len(aside) == 1 and not (aside[0] / output.MARKER).exists()
    assert snapshot(aside[0] / "previous") == earlier and (place / "q1" / "project.txt").is_file()
    refused(result, "q1: ", "Input/output error", f"is in {aside[0].name}/previous")
    assert str(place) not in result.stderr


# --------------------------------------------------------------------------- Ctrl-C: what it leaves, said truly


def ctrl_c(*args, **kwargs) -> None:
    """Ctrl-C, pressed as capsim calls this."""
    raise KeyboardInterrupt


@pytest.mark.parametrize(("when", "said"), [
    ("before-the-swap", "interrupted: nothing written to q1\n"),
    ("as-the-summary-prints", "interrupted; the output in q1 is complete: it was written before the interrupt\n"),
])
def test_ctrl_c_says_whether_the_output_was_written(place, monkeypatch, when, said):
    """Safety trial: Ctrl-C while the terminal summary printed, the new output already in place,
    still said "nothing written"; before the swap that is true, and the earlier output is kept."""
    assert run("q1").exit_code == 0
    earlier = snapshot(place / "q1")
    if when == "before-the-swap":
        after_the_simulation(monkeypatch, ctrl_c)
    else:
        monkeypatch.setattr("capsim.cli.print_headline", ctrl_c)
    result = run("q1", "--seed", "5")
    assert result.exit_code != 0 and result.stderr.startswith(said), result.stderr
    if when == "before-the-swap":
        assert snapshot(place / "q1") == earlier
    else:
        assert is_complete_output(place / "q1", seed=5)
    assert leftovers(place) == []


def test_ctrl_c_in_the_instant_the_output_moves_in_leaves_it_complete_and_tidy(place, monkeypatch):
    """Ctrl-C just after the rename that puts the output in place was raised at once: capsim tried
    to put the previous output back over the new one, failed, left it set aside unmarked for ever,
    left its staging marker in the new output (so that the next run refused the folder as holding
    a file capsim did not write) and said "nothing written". It is held back until the swap is done."""
    assert run("q1").exit_code == 0
    real = os.rename

    def rename_then_ctrl_c(source, destination, *args, **kwargs):
        real(source, destination, *args, **kwargs)
        if ".q1.partial-" in str(source) and Path(destination).name == "q1":
            signal.raise_signal(signal.SIGINT)  # as Ctrl-C does, handled by Python's own handler

    with monkeypatch.context() as patch:
        patch.setattr(os, "rename", rename_then_ctrl_c)
        result = run("q1", "--seed", "5")
    assert result.exit_code != 0 and result.stderr.startswith("interrupted; the output in q1 is complete"), result.stderr
    assert is_complete_output(place / "q1", seed=5) and not (place / "q1" / output.MARKER).exists()
    assert leftovers(place) == []
    assert run("q1", "--seed", "6").exit_code == 0  # capsim's own output: replaced as ever


def test_ctrl_c_once_a_sweep_is_complete_says_so(place, monkeypatch):
    """Not "run the same command again to finish": the sweep is finished."""
    monkeypatch.setattr("capsim.cli.capsim_table", ctrl_c)  # as the table of grid points prints
    result = invoke("sweep", "tiny.yaml", "--grid", "workforce.analysts.headcount=1,2", "-r", "2", "-w", "1",
                    "--out", "swept")
    assert result.stderr.startswith("interrupted; the output in swept is complete"), result.stderr
    assert json.loads((place / "swept" / "manifest.json").read_text())["sweep"]["status"] == "complete"


# --------------------------------------------------------------------------- a folder capsim may not write in


def denied(monkeypatch, folder: Path) -> None:
    """Make the system say this process may not write in ``folder``, as it says to a user without
    write permission there (the tests run as root, whom permission bits do not stop)."""
    real, refused_to = os.access, folder.resolve()

    def access(path, mode, *args, **kwargs) -> bool:
        return not (mode & os.W_OK and Path(path).resolve() == refused_to) and real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


def simulating(*args, **kwargs) -> None:
    """Stands for the simulation, which a refused command never reaches."""
    pytest.fail("capsim simulated before refusing a folder it may not write in")


@pytest.mark.parametrize(("out", "made", "read_only", "said"), [
    ("q1", "earlier-output", "q1", "q1: you may not write in this folder"),
    ("q1", "empty", "q1", "q1: you may not write in this folder"),
    ("ro/q1", "", "ro", "ro/q1: you may not write in ro, above it"),
    ("ro/a/b/q1", "", "ro", "ro/a/b/q1: you may not write in ro, above it"),
    ("q1", "", ".", "q1: you may not write in the current folder, above it"),
], ids=["earlier-output", "empty-folder", "folder-above", "folders-to-make", "current-folder"])
def test_a_folder_capsim_may_not_write_in_is_refused_before_any_work(place, monkeypatch, out, made, read_only, said):
    """Safety trial: a read-only --out folder (for anyone but root) failed only at the swap, after
    the whole simulation. The rule the swap needs (write permission in the folder above, where
    the staging folder goes, and in a folder there already, which is moved aside) is checked first."""
    (place / "ro").mkdir()
    if made == "earlier-output":
        assert run(out).exit_code == 0
    elif made == "empty":
        (place / out).mkdir()
    before = snapshot(place)
    denied(monkeypatch, place / read_only)
    monkeypatch.setattr("capsim.cli.run_with_progress", simulating)
    refused(run(out), said, "(its permissions, or a read-only disk)", "make it writable, or choose another folder "
            "with --out")
    assert snapshot(place) == before


def test_a_sweep_folder_capsim_may_not_write_in_is_refused_before_any_task(place, monkeypatch):
    """A sweep writes into its folder: its tasks and tables go there, and a third replication has
    tasks to run."""
    grid = ("--grid", "workforce.analysts.headcount=1,2", "-w", "1")
    assert invoke("sweep", "tiny.yaml", *grid, "-r", "2", "--out", "swept").exit_code == 0
    before = snapshot(place)
    denied(monkeypatch, place / "swept")
    monkeypatch.setattr("capsim.sweep.run_task", simulating)
    refused(invoke("sweep", "tiny.yaml", *grid, "-r", "3", "--out", "swept"), "swept: you may not write in this folder")
    assert snapshot(place) == before
