"""What capsim wrote into an output folder: a list of its files with their SHA-256, written last,
so that a later command replaces the folder only while it holds nothing else (:mod:`capsim.output`).

The list, :data:`FILES`, is in ``sha256sum``'s format (``sha256sum -c .capsim-files`` checks it).
A file the user added, one changed since, a folder holding no listed file, or a link where a
file was is not capsim's: :func:`not_written` names them (a desktop's own cache files, such as
``.DS_Store``, aside). A sweep lists each file as it writes it, so until it rewrites its list (one
line a file) a name can be listed more than once: each content listed for it is capsim's.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

FILES = ".capsim-files"
"""Written last into every output folder that is replaced whole: each file capsim wrote there, with
its SHA-256, as ``sha256sum`` prints them (so ``sha256sum -c .capsim-files`` checks them too)."""

DESKTOP_CACHES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
"""Files a desktop's file browser leaves in any folder it shows (macOS, Windows): not the user's
work, so their presence does not keep an output from being replaced."""


def _digest(path: Path) -> str:
    """The SHA-256 of the file at ``path``, in hex."""
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _entries(folder: Path) -> tuple[list[str], list[str]]:
    """Everything under ``folder``, links not followed: the folders and everything else (files,
    links, devices), as paths relative to it with ``/``, sorted."""
    folders, others = [], []
    for root, dirs, files in os.walk(folder):
        here = Path(root).relative_to(folder)
        for name in list(dirs):
            if os.path.islink(Path(root) / name):  # a link to a folder is not walked into: it is an entry
                dirs.remove(name)
                files.append(name)
            else:
                folders.append((here / name).as_posix())
        others += [(here / name).as_posix() for name in files]
    return sorted(folders), sorted(others)


def list_files(folder: Path, leave_out: tuple[str, ...] = ()) -> None:
    """Write :data:`FILES` into ``folder``: every file in it, with its SHA-256, but those named in
    ``leave_out`` (relative paths: what will not be there once the folder is in place)."""
    _, files = _entries(folder)
    lines = [f"{_digest(folder / name)}  {name}\n" for name in files if name not in (*leave_out, FILES)]
    (Path(folder) / FILES).write_text("".join(lines), encoding="utf-8")


def not_written(folder: Path) -> list[str] | None:
    """What in ``folder`` capsim did not write there, or changed since (relative paths, sorted):
    anything not in its :data:`FILES` list, a listed file that is no longer a regular file or
    whose content is none listed for it, and a folder holding no listed file. None if there is no list."""
    listing = Path(folder) / FILES
    try:
        if not stat.S_ISREG(listing.lstat().st_mode):
            return None
        lines = listing.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return None
    written: dict[str, set[str]] = {}  # name: every SHA-256 listed for it
    for digest, name in (line.split("  ", 1) for line in lines if "  " in line):
        written.setdefault(name, set()).add(digest)
    holding = {parent.as_posix() for name in written for parent in Path(name).parents}
    folders, files = _entries(Path(folder))
    others = [name for name in folders if name not in holding]
    for name in files:
        if name == FILES or Path(name).name in DESKTOP_CACHES:
            continue
        path = Path(folder) / name
        if name not in written or not stat.S_ISREG(path.lstat().st_mode) or _digest(path) not in written[name]:
            others.append(name)
    return sorted(others)


def not_all_written(folder: Path) -> str | None:
    """Why ``folder``, a capsim output, may not be replaced, in words (:func:`not_written`), or None
    if everything in it is what capsim wrote there."""
    others = not_written(folder)
    if others is None:
        return (f"holds a manifest.json that capsim did not write, or that an older capsim wrote without listing "
                f"its files ({FILES}), so capsim cannot tell its files from yours (left untouched)")
    if not others:
        return None
    shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
    return (f"holds what capsim did not write there, or changed since: {shown} (left untouched: move "
            f"{'it' if len(others) == 1 else 'them'} out to write here again)")
