"""A command's output folder: where it goes, whether capsim may replace it, and writing it all or nothing.

* **Where.** A default folder is ``out/<safe name>``: the scenario's name made into one plain
  folder name (:func:`safe_name`), never a path, so a shared scenario file cannot point
  capsim at a folder outside ``out/``.
* **Whether.** An existing folder is replaced only if it holds an earlier capsim output of the
  same kind, as its ``manifest.json`` says (``"kind": "run"``; older manifests without the
  field are recognised by their sections and files), and nothing else (:mod:`capsim.written_files`).
  Anything else, the current folder or one above it, the home folder, and a folder capsim may
  not write in or beside are refused before anything is written (:func:`check`). A symlink is
  followed once, and the note says where to.
* **One writer.** :func:`claim` locks the target (``flock`` on ``.<name>.capsim.lock`` beside it,
  removed when the command ends) before any work, so two capsim commands never write one
  folder at once: the second is refused at once.
* **All or nothing.** Files are written into a hidden staging folder beside the target
  (``.<name>.partial-*``, marked by a ``.capsim-staging`` file), which replaces the target only
  once everything is written: the previous output is moved aside into ``.<name>.old-*`` (also
  marked) and removed after the swap. At the swap the target is checked again, by the rule it
  was checked by at the start (:func:`check_folder`): one changed meanwhile so that it may no
  longer be replaced (a file of the user's added) is left as it is, and the output kept beside
  it as ``<name>.new`` (:meth:`Claim._swap`). The new folder keeps the permissions and group
  of the one it replaces. A failure removes the staging folder; a kill leaves
  marked folders, which the next claim of that target clears, restoring the previous output
  if a kill fell between the two renames. Only marked folders are ever removed, their marker
  last, so that one which cannot be removed whole is still known as capsim's and named.

Why it is one module: where a folder goes, whether it may be replaced and how it is written
all work on the target's real path and on the names capsim gives beside it (lock, staging and
set-aside folders, whose length also bounds the target's name); split, those names would be
spelt in two places; and the swap must apply the very rule the start applied.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from capsim.pool import interrupt_held
from capsim.scenario import folder_name
from capsim.written_files import list_files, not_all_written

MANIFEST = "manifest.json"
"""The file that marks a folder as a capsim output, and says of which kind."""

KINDS = ("run", "report", "compare", "sensitivity", "staff", "budget", "sweep", "grant", "brief")
"""The kinds of output, one per command that writes a folder (``calibrate`` writes a run's)."""

MARKER = ".capsim-staging"
"""Written into every staging and set-aside folder, so that only capsim's own are ever removed."""

RESUMED = ("sweep",)
"""Kinds of output resumed in place, not replaced whole: :mod:`capsim.sweep` checks their list of files itself."""

ROOT = Path("out")
"""The folder under which default output folders go (relative to the current folder)."""

NAME_LIMIT = 64
"""Longest safe name, in characters: three names, a prefix and suffix and the staging suffix
stay under the usual 255-byte limit of a file name."""

BESIDE_BYTES = len("..partial-") + 8
"""Bytes the longest name capsim gives beside an output folder adds to the folder's own name:
its staging folder, ``.<name>.partial-`` and mkdtemp's 8 characters (:func:`_make_hidden`)."""

_LEGACY_SECTIONS = (("sweep", "sweep"), ("staffing", "staff"), ("sensitivity", "sensitivity"))
_LEGACY_FILES = (("budget.csv", "budget"), ("timeseries.csv", "run"), ("report.html", "report"),
                 ("comparison.csv", "compare"))
_LEGACY_KEYS = ("scenario_name", "compared", "scenarios", "sweep")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


UMASK = _umask()
"""The process's file-creation mask, read once at import (reading it means setting it)."""


class OutputError(Exception):
    """An output folder that cannot be used; the message names it, says why and how to choose another."""


# --------------------------------------------------------------------------- where


def safe_name(name: str) -> str:
    """``name`` as one plain folder name (:func:`capsim.scenario.folder_name`: ASCII letters, digits, ``-``,
    ``_`` and ``.``, never ``.``, ``..`` or hidden), cut to :data:`NAME_LIMIT` characters. A name with nothing
    left is an :class:`OutputError`."""
    text = folder_name(name)[:NAME_LIMIT].strip("-.")
    if not text:
        raise OutputError(f"scenario name {name!r}: gives no usable folder name (it needs a letter or a digit); "
                          "rename the scenario, or choose the output folder with --out")
    return text


NAMED_IN_FOLDER = 3  # a default folder is named after this many of a command's scenarios, the first ones


def default_folder(names: Sequence[str], *, prefix: str = "", suffix: str = "") -> Path:
    """A command's default folder: ``out/<prefix><safe names joined by -vs-><suffix>``, after the
    first :data:`NAMED_IN_FOLDER` scenario names (``out/growth-low-vs-growth-central-grant``)."""
    return ROOT / (prefix + "-vs-".join(safe_name(n) for n in names[:NAMED_IN_FOLDER]) + suffix)


# --------------------------------------------------------------------------- whether


def kind_of(folder: Path) -> str | None:
    """The kind of capsim output in ``folder`` (from its manifest), or None if it holds none.

    The manifest must be a regular file (never read through a link or from a device). A
    manifest without ``kind`` (written by an earlier capsim) is recognised by its
    sections (``sweep``, ``staffing``, ``sensitivity``) or, failing that, by its files.
    """
    path = Path(folder) / MANIFEST
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    if "kind" in data:
        return data["kind"] if data["kind"] in KINDS else None
    if not any(key in data for key in _LEGACY_KEYS):
        return None
    for section, kind in _LEGACY_SECTIONS:
        if section in data:
            return kind
    for name, kind in _LEGACY_FILES:
        if (Path(folder) / name).is_file():
            return kind
    return None


def _refused(target: Path, kind: str, why: str) -> OutputError:
    return OutputError(f"{target}: {why}; capsim replaces only a folder holding its own earlier {kind} output. "
                       "Choose a new or empty folder with --out, e.g. --out out/my-run")


def check(target: Path, kind: str) -> Path:
    """The real path ``target`` leads to, if a ``kind`` output may be written there; else an :class:`OutputError`.

    Allowed: a path where nothing is yet, an empty folder, a folder holding a capsim output of
    the same kind. Refused: the current folder, the home folder or a folder above either; a
    file, device or other non-folder; a folder holding anything else; a folder, or one to go in,
    that this process may not write in (:func:`check_writable`). Nothing is written.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of output {kind!r}")
    target = Path(target)
    try:
        real = Path(os.path.abspath(target)).resolve()
    except (OSError, RuntimeError) as err:  # a loop of symlinks
        raise OutputError(f"{target}: cannot follow this path ({err}); choose another folder with --out") from None
    places = [(Path.cwd().resolve(), "the current folder")]
    with contextlib.suppress(RuntimeError, KeyError):  # no home folder known
        places.append((Path.home().resolve(), "your home folder"))
    for place, what in places:
        if real == place or real in place.parents:
            raise _refused(target, kind, f"is {what}" + ("" if real == place else " or a folder above it"))
    room, size = _name_max(real.parent) - BESIDE_BYTES, len(os.fsencode(real.name))
    if size > room:
        raise OutputError(f"{target}: the folder's name is {size} bytes long; capsim can use at most {room} here (the "
                          f"file system's limit less {BESIDE_BYTES} for the hidden staging folder it writes beside "
                          "it); choose a shorter name with --out")
    check_folder(real, kind, target)
    check_writable(real, target)
    return real


def check_folder(real: Path, kind: str, shown: Path) -> None:
    """Whether a ``kind`` output may take the place of what is at the real path ``real`` (named
    ``shown`` in messages): nothing, an empty folder, or a folder holding capsim's earlier output
    of that kind and nothing else; else an :class:`OutputError`. The rule :func:`check` applies
    when a command starts, and :meth:`Claim.write` again at the swap. Nothing is written.
    """
    try:
        mode = real.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as err:
        raise OutputError(f"{shown}: cannot write the output folder there ({err.strerror or err}); "
                          "choose another with --out") from None
    if not stat.S_ISDIR(mode):
        what = "a file" if stat.S_ISREG(mode) else "a device or other special file"
        raise _refused(shown, kind, f"is {what}, not a folder (left untouched)")
    try:
        empty = not os.listdir(real)
    except OSError as err:
        raise OutputError(f"{shown}: cannot read the folder ({err.strerror or err}); choose another with --out") from None
    if empty:
        return
    found = kind_of(real)
    if found is None:
        raise _refused(shown, kind, f"holds files that are not a capsim output (no capsim {MANIFEST})")
    if found != kind:
        raise _refused(shown, kind, f"holds a capsim {found} output, not a {kind} output")
    if kind not in RESUMED and (why := not_all_written(real)):
        raise _refused(shown, kind, why)


def check_writable(real: Path, shown: Path) -> None:
    """Whether this process may write an output at the real path ``real`` (named ``shown`` in
    messages) as :meth:`Claim.write` does, else an :class:`OutputError` naming the folder it may
    not write in: the folder above ``real`` (or, where that is still to be made, the nearest one
    there is) takes the lock file, the staging folder and the set-aside one; a folder already at
    ``real`` is moved aside at the swap, which needs write permission on that folder itself (for
    its ``..`` entry), as writing a sweep into it does. Asked of the system (``os.access``, as the
    effective user), so that a read-only folder is refused before any work, not at the swap.
    Nothing is written.
    """
    above = next(place for place in real.parents if place.is_dir())
    for folder in (real, above):
        if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK,
                                             effective_ids=os.access in os.supports_effective_ids):
            which = "this folder" if folder == real else f"{_shown_above(above, shown)}, above it"
            raise OutputError(f"{shown}: you may not write in {which} (its permissions, or a read-only disk), so "
                              "capsim cannot put its output there; make it writable, or choose another folder "
                              "with --out")


def _shown_above(above: Path, shown: Path) -> str:
    """``above``, a real folder above the output folder named ``shown``, as the user knows it:
    relative to the current folder if ``shown`` is relative ("the current folder" for it), else as it is."""
    if shown.is_absolute():
        return str(above)
    where = os.path.relpath(above, Path.cwd().resolve())
    return "the current folder" if where == "." else where


def _name_max(folder: Path) -> int:
    """The longest file name, in bytes, on the file system of ``folder`` (or of the nearest
    existing folder above it); 255, the usual limit, where the system does not say."""
    existing = next(place for place in (folder, *folder.parents) if place.is_dir())
    try:
        return os.pathconf(existing, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def symlink_note(target: Path) -> str | None:
    """One line saying where the output goes, if ``target`` is a symlink."""
    target = Path(target)
    if not target.is_symlink():
        return None
    return f"{target} is a symlink: the output goes to {Path(os.path.abspath(target)).resolve()}"


# --------------------------------------------------------------------------- one writer


@contextlib.contextmanager
def lock(path: Path, busy: str, shown: Path | None = None) -> Iterator[None]:
    """Hold an exclusive lock (``flock`` on the file ``path``) while the block runs.

    The lock file is made if missing and removed on release. If another process holds the
    lock this is an :class:`OutputError` with the message ``busy`` at once (no waiting). A
    path that is a link, a folder or a non-empty file is refused, never opened through; the
    messages name it as ``shown`` (default ``path``): as the user knows it, not the real path.
    """
    shown = path if shown is None else shown
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    while True:
        try:
            handle = os.open(path, flags, 0o666 & ~UMASK)
        except OSError as err:
            raise OutputError(f"{shown}: cannot make the lock file there ({err.strerror or err}); "
                              "choose another folder with --out") from None
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode) or info.st_size:
                raise OutputError(f"{shown}: exists and is not a capsim lock file (an empty file); "
                                  "move it away or choose another folder with --out")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutputError(busy) from None
            try:  # the holder before us may have removed the file after we opened it
                now = os.stat(path, follow_symlinks=False)
                current = (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino)
            except FileNotFoundError:
                current = False
        except BaseException:
            os.close(handle)
            raise
        if current:
            break
        os.close(handle)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(handle)


def lock_path(real: Path) -> Path:
    """The lock file of the output folder at the real path ``real``: beside it, hidden."""
    return real.parent / f".{real.name}.capsim.lock"


# --------------------------------------------------------------------------- all or nothing


def _hidden(real: Path, what: str) -> re.Pattern[str]:
    """Names of the staging (``partial``) or set-aside (``old``) folders of ``real`` (mkdtemp's 8 characters)."""
    return re.compile(rf"\.{re.escape(real.name)}\.{what}-[a-z0-9_]{{8}}")


def _make_hidden(real: Path, what: str) -> Path:
    """A new marked folder beside ``real``: ``.<name>.<what>-XXXXXXXX`` holding :data:`MARKER`."""
    folder = Path(tempfile.mkdtemp(prefix=f".{real.name}.{what}-", dir=real.parent))
    try:
        folder.chmod(0o777 & ~UMASK)  # an ordinary folder, not mkdtemp's owner-only one
        (folder / MARKER).write_text(real.name + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def _is_marked(folder: Path, real: Path) -> bool:
    """Whether ``folder`` is a real folder (not a link) that capsim made for ``real``."""
    try:
        marker = folder / MARKER
        return (stat.S_ISDIR(folder.lstat().st_mode) and stat.S_ISREG(marker.lstat().st_mode)
                and marker.read_text(encoding="utf-8") == real.name + "\n")
    except (OSError, ValueError):
        return False


def _clear(folder: Path) -> OSError | None:
    """Remove the marked folder ``folder``, its :data:`MARKER` last, so that a folder not removed
    whole (it holds a file the system will not let go, such as an immutable one) stays known as
    capsim's own; the error that stopped it, or None once it is gone."""
    try:
        for entry in list(os.scandir(folder)):
            if entry.name == MARKER:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        os.unlink(folder / MARKER)
        os.rmdir(folder)
    except OSError as err:
        return err
    return None


def recover(real: Path) -> list[str]:
    """Clear what interrupted earlier writes of ``real`` left beside it; one line per thing found.

    A set-aside folder (``.<name>.old-*``) whose target is missing was left by a kill between
    the two renames: its previous output is put back. Every other marked staging or
    set-aside folder is removed (with the temporary files of a chart or page killed while
    being written in it); one that cannot be (a file in it the system will not let go) keeps
    its marker and is named, with what to do. A folder named like one but without the marker
    is left alone.
    """
    notes: list[str] = []
    try:
        names = sorted(os.listdir(real.parent))
    except OSError:
        return notes
    for what in ("old", "partial"):
        pattern = _hidden(real, what)
        for name in filter(pattern.fullmatch, names):
            folder = real.parent / name
            if not _is_marked(folder, real):
                notes.append(f"{folder}: looks like what an interrupted capsim run leaves, but carries no "
                             f"{MARKER} marker, so it was left as it is")
                continue
            previous = folder / "previous"
            put_back = what == "old" and not os.path.lexists(real) and previous.is_dir() and not previous.is_symlink()
            if put_back:
                os.replace(previous, real)
                notes.append(f"{real}: put back the previous output, which an earlier run interrupted while "
                             f"replacing it had left in {name}")
            if (err := _clear(folder)) is not None:
                notes.append(f"{folder}: capsim's own, left by an earlier run writing {real.name}, but "
                             f"{Path(err.filename or folder).name} in it cannot be removed ({err.strerror or err}); "
                             "remove the folder yourself (a file made immutable needs chattr -i first)")
            elif not put_back:
                notes.append(f"{folder}: removed what an earlier run, interrupted while writing {real.name}, left")
    return notes


def _keep_mode(folder: Path, like: Path) -> int | None:
    """Give ``folder``, one capsim is writing, the group of the folder ``like`` (where this process
    may set it) and its permission bits (setgid and sticky too) with the owner's read, write and
    search added, so that capsim can still write into ``folder`` and remove it; return ``like``'s
    own permission bits, for the folder once written, or None (nothing done) if ``like`` is not
    a folder. Its owner, access lists and other extended attributes are not copied."""
    try:
        info = like.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return None
    with contextlib.suppress(PermissionError):
        os.chown(folder, -1, info.st_gid)
    mode = stat.S_IMODE(info.st_mode)
    os.chmod(folder, mode | stat.S_IRWXU)
    return mode


TAKEN = (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR)
"""Why renaming a folder fails when its new name holds a file or a folder that is not empty."""


@dataclass
class Claim:
    """A checked and locked output folder: ``given`` as named, ``target`` the real path written."""

    given: Path
    target: Path
    kind: str
    notes: list[str] = field(default_factory=list)
    in_place: bool = False
    """Whether the new output is in the target's place, complete (:meth:`_swap` has moved it in)."""

    @contextlib.contextmanager
    def write(self) -> Iterator[Path]:
        """Yield a fresh staging folder; once the block ends it replaces the target, all at once (:meth:`_swap`).

        The block must write ``manifest.json`` with this claim's kind (:func:`write_manifest`).
        If the block fails the staging folder is removed and the target is left as it was. If the
        target has changed meanwhile so that it may no longer be replaced, it is left as it was and
        the output kept beside it: an :class:`OutputError` says where.
        """
        staging = _make_hidden(self.target, "partial")
        try:
            _keep_mode(staging, self.target)  # from the start: a setgid folder's group goes to every file
            yield staging
            found = kind_of(staging)
            if found != self.kind:
                raise RuntimeError(f"a {self.kind} output must write its {MANIFEST} with kind {self.kind!r}, not {found!r}")
            list_files(staging, leave_out=(MARKER,))  # the marker goes once the folder is in place
            self._swap(staging)
        finally:
            if os.path.lexists(staging):
                _clear(staging)

    def _swap(self, staging: Path) -> None:
        """Put ``staging`` in the target's place, with the permission bits and group of the folder
        it replaces (:func:`_keep_mode`: again, as they may have changed since :meth:`write`
        began; the exact bits, a read-only folder's too, once the folder is in place and its
        marker gone); the previous output is moved aside, then removed.

        Only if the target may still be replaced: it is checked again by :func:`check_folder`,
        the rule the command started with, then moved aside into ``.<name>.old-*`` and checked
        there once more, where no path of the user's reaches it, so that a file added in the
        instant between the first check and the move is found too. A target that may no longer be
        replaced is put back and left as it is; the output is kept beside it
        (:meth:`_keep_beside`). No rename replaces anything but an empty folder, so files made
        at the target's path in the instant it is set aside are found too. What remains: a
        program writing into the target through a folder it already has open (its current
        folder, say) in the instant after the second check loses that file with the previous
        output; and files made at the target's path in the instant it is set aside keep it from
        being put back: it is then left set aside, unmarked (never removed), and named.

        Ctrl-C from the moment the output moves in is held back (:func:`capsim.pool.interrupt_held`)
        until its marker is gone, its mode set and the previous output removed, then raised: an
        interrupted command either wrote nothing to the target or left it complete
        (:attr:`in_place` says which), never the output in place with capsim's marker in it.
        """
        target = self.target
        mode = _keep_mode(staging, target)
        old = None
        with contextlib.ExitStack() as held:
            try:
                check_folder(target, self.kind, self.given)
                if os.path.lexists(target):
                    old = _make_hidden(target, "old")
                    os.replace(target, old / "previous")
                    check_folder(old / "previous", self.kind, self.given)
                held.enter_context(interrupt_held())  # Ctrl-C now waits until the folder is in place and tidy
                try:
                    os.rename(staging, target)  # fails if the target's path holds anything but an empty folder
                except OSError as err:
                    if err.errno in TAKEN:  # something was made there in the instant since: say what
                        check_folder(target, self.kind, self.given)
                    raise
            except OutputError as err:
                raise self._keep_beside(staging, err, old) from None
            except BaseException as err:
                moved = self._put_back(old) if old is not None else None
                if moved and isinstance(err, Exception):  # an interrupt stays one
                    raise OutputError(f"{self.given}: capsim could not put its new output in place "
                                      f"({getattr(err, 'strerror', None) or err}) nor the previous output back: "
                                      f"{moved}, left as it is") from None
                raise
            self.in_place = True
            with contextlib.suppress(FileNotFoundError):
                (target / MARKER).unlink()
            if mode is not None:  # the exact mode, once capsim need no longer write into the folder
                os.chmod(target, mode)
            if old is not None:
                _clear(old)  # one it cannot remove keeps its marker: the next run names it

    def _keep_beside(self, staging: Path, why: OutputError, old: Path | None) -> OutputError:
        """Leave the target as it is (put back from ``old`` if it was set aside), move ``staging`` to
        the first free name of ``<name>.new``, ``<name>.new-2``, ... beside it, and say so."""
        moved = self._put_back(old) if old is not None else None
        for number in itertools.count(1):
            beside = self.target.with_name(f"{self.target.name}.new" + (f"-{number}" if number > 1 else ""))
            if not os.path.lexists(beside):
                try:
                    os.rename(staging, beside)
                    break
                except OSError as err:
                    if err.errno not in TAKEN:  # else taken in the instant since: try the next name
                        raise
        (beside / MARKER).unlink()
        return OutputError(f"{self.given} changed while capsim was writing, so it was left as it is"
                           f"{f' ({moved})' if moved else ''} and the new output is in {self._shown(beside)}. {why}")

    def _put_back(self, old: Path) -> str | None:
        """Move the folder set aside in ``old`` back to the target and remove ``old``. If a folder
        holding something was made at the target's path meanwhile (or the move fails otherwise),
        ``old`` is unmarked (so never removed) and left; then where what the target held is, in words."""
        previous = old / "previous"
        if os.path.lexists(previous):
            try:
                os.replace(previous, self.target)  # over nothing or an empty folder only: never over files
            except OSError:
                os.unlink(old / MARKER)
                return f"what it held is in {self._shown(old) / previous.name}"
        _clear(old)
        return None

    def _shown(self, beside: Path) -> Path:
        """``beside``, a folder beside the target, as the user knows it (:func:`_beside_as_given`)."""
        return _beside_as_given(self.given, beside)


def _beside_as_given(given: Path, beside: Path) -> Path:
    """``beside``, a file or folder beside the output folder's real path, as the user knows it:
    beside the ``--out`` given, ``given`` (relative if that was), or at its real path if ``given``
    is a link (it is beside where that leads)."""
    return beside if os.path.islink(given) else given.parent / beside.name


@contextlib.contextmanager
def claim(target: Path, kind: str) -> Iterator[Claim]:
    """Check ``target`` for a ``kind`` output (:func:`check`), lock it and clear what interrupted
    runs left (:func:`recover`); hold the lock while the block runs.

    Refusals are :class:`OutputError` and come before anything is written (the lock file, and
    the target's missing parent folders, are made only once the checks pass; parent folders
    still empty when the block ends, nothing having been written, are removed again).
    """
    given = Path(target)
    real = check(given, kind)
    notes = [note] if (note := symlink_note(given)) else []
    made = [folder for folder in (real.parent, *real.parent.parents) if not os.path.lexists(folder)]
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{given}: cannot write the output folder there ({err.strerror or err}); "
                          "choose another with --out") from None
    busy = (f"{given}: another capsim command is writing into this folder now; wait for it to finish, "
            "or choose another folder with --out")
    try:
        with lock(lock_path(real), busy, _beside_as_given(given, lock_path(real))):
            notes += recover(real)
            check(real, kind)
            yield Claim(given, real, kind, notes)
    finally:
        for folder in made:  # deepest first; a folder that is not empty stays
            with contextlib.suppress(OSError):
                folder.rmdir()


def write_manifest(folder: Path, kind: str, record: dict) -> None:
    """Write ``folder``/manifest.json: ``record`` with the kind of output first."""
    write_json(Path(folder) / MANIFEST, {"kind": kind, **record})


def write_json(path: Path, data: dict) -> None:
    """Write ``data`` as indented JSON (dates and paths as text)."""
    path.write_text(json.dumps(data, indent=2, default=str, sort_keys=False) + "\n", encoding="utf-8")
