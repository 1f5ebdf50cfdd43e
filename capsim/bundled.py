"""The scenarios that ship with capsim, found through the installed package.

The repository keeps them readable at its top level, in ``scenarios/``: that folder is the one
source of truth. ``pyproject.toml`` maps it to the package ``capsim.scenarios``
(``[tool.setuptools.package-dir]``), so a wheel carries the files as ``capsim/scenarios/*.yaml``
and an editable install points the same package name back at ``scenarios/``. Either way they are
found with ``importlib.resources``, never by a path relative to the source tree, so
``capsim run base`` works from any folder after a plain ``pip install``. The files stay real
files on disk in both cases (a wheel is unpacked, never imported from a zip), which ``extends:``
needs: a bundled scenario names its parent as a file beside it (``extends: base.yaml``).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import yaml

PACKAGE = "capsim.scenarios"


class BundledScenarioError(ValueError):
    """A bundled scenario that does not exist, or a copy that would overwrite a file."""


def folder() -> Path:
    """The folder that holds the bundled scenario files (``*.yaml``)."""
    return Path(str(resources.files(PACKAGE)))


def names() -> list[str]:
    """The bundled scenarios' names (file names without ``.yaml``), sorted."""
    return sorted(path.stem for path in folder().glob("*.yaml"))


def path(name: str) -> Path:
    """The file of the bundled scenario ``name`` (e.g. ``"base"``); raises if there is none."""
    file = folder() / f"{name}.yaml"
    if not file.is_file() or Path(name).name != name:
        raise BundledScenarioError(f"{name}: no bundled scenario of that name; bundled scenarios: "
                                   f"{', '.join(names()) or 'none'}")
    return file


def name_of(file: Path) -> str | None:
    """The name of the bundled scenario ``file`` is (``base``), or None for any other file."""
    try:
        return file.stem if file.resolve().parent == folder().resolve() else None
    except (OSError, RuntimeError):  # a file that cannot be resolved (a link loop) is not a bundled one
        return None


def shown(file: Path) -> str:
    """A scenario file as a message names it: a bundled scenario by its name (``base``), never by
    the folder capsim is installed in; any other as given (a relative path stays relative)."""
    return name_of(file) or str(file)


def copy(name: str, target: Path) -> list[Path]:
    """Write bundled scenario ``name`` into folder ``target`` as a starting point; return the files written.

    The scenarios it ``extends:`` are written beside it too, so that the copy loads as it is.
    All or nothing: every file is checked before any is written, and if any of them is already
    in ``target`` (a file, a folder, a link, even a link to a missing file) nothing is written,
    except that a scenario it extends already there as a file with the same text (from an
    earlier copy) is used as it is; a write that fails midway removes what this copy wrote.
    """
    chain = [path(name)]
    while parent := (yaml.safe_load(chain[-1].read_text(encoding="utf-8")) or {}).get("extends"):
        chain.append(path(Path(parent).stem))
    if not target.is_dir():
        why = ("is a file, not a folder; name the folder to write into" if target.exists()
               else "no such folder; create it first or name another")
        raise BundledScenarioError(f"{target}: {why}")
    chain = chain[:1] + [file for file in chain[1:] if not _same_text(target / file.name, file)]
    taken = [f"{target / file.name} is a symlink to a missing file" if _dangling(target / file.name)
             else f"{target / file.name} already exists" for file in chain if os.path.lexists(target / file.name)]
    if taken:
        raise BundledScenarioError(f"{'; '.join(taken)}; nothing was written (capsim never overwrites a file nor "
                                   f"writes through a link): remove or move {'it' if len(taken) == 1 else 'them'}, "
                                   "or choose another folder")
    written: list[Path] = []
    try:
        for file in chain:
            destination = target / file.name
            with destination.open("x", encoding="utf-8") as out:  # "x": refuses a file made since the check
                written.append(destination)
                out.write(file.read_text(encoding="utf-8"))
    except BaseException:
        for done in written:
            done.unlink(missing_ok=True)
        raise
    return written


def _dangling(file: Path) -> bool:
    """Whether ``file`` is a symlink to nothing."""
    return file.is_symlink() and not file.exists()


def _same_text(copied: Path, original: Path) -> bool:
    """Whether ``copied`` is a regular file holding exactly the text of ``original``."""
    return copied.is_file() and not copied.is_symlink() and copied.read_bytes() == original.read_bytes()
