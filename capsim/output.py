"""Writing a run's output folder, all or nothing.

Files are written into a hidden temporary folder beside the target, which replaces the
target only once everything is written: an interrupted or failed run leaves the previous
output (or nothing) in place, never a half-written folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a fresh temporary folder; on success it becomes ``target`` (replacing it)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # an ordinary folder, not mkdtemp's owner-only one
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.replace(target, old / "previous")
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_json(path: Path, data: dict) -> None:
    """Write ``data`` as indented JSON (dates and paths as text)."""
    path.write_text(json.dumps(data, indent=2, default=str, sort_keys=False) + "\n", encoding="utf-8")
