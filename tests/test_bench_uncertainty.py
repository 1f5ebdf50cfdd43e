"""Tests for benchmarks/bench_uncertainty.py's steady rate: how the full design's time is
extrapolated from a smaller one (each worker's start-up counted once, not once per task)."""

import json
import sys
from pathlib import Path

import pytest

# `benchmarks` is a top-level folder of the repository, not part of the installed package.
_REPO_ROOT = str(Path(__file__).resolve().parents[1])
if _REPO_ROOT not in sys.path:
    sys.path.insert(0, _REPO_ROOT)

from benchmarks.bench_uncertainty import steady_seconds_per_task  # noqa: E402
from capsim import sweep  # noqa: E402


def _task(folder: Path, name: str, pid: int, finished: str) -> None:
    (folder / sweep.TASKS / f"{name}.json").write_text(
        json.dumps({"run": {"pid": pid, "finished": finished, "seconds": 1.0}}), encoding="utf-8")


def test_the_steady_rate_leaves_out_each_workers_first_task(tmp_path: Path) -> None:
    (tmp_path / sweep.TASKS).mkdir()
    # worker 1: its first task finishes at :10 (start-up included), then one every 2 s;
    # worker 2: first at :12, then one every 3 s. 2 + 2 + 3 + 3 + 3 s over 5 tasks after the first ones.
    for i, second in enumerate((10, 12, 14)):
        _task(tmp_path, f"a{i}", 1, f"2026-11-26T10:00:{second:02d}.000+00:00")
    for i, second in enumerate((12, 15, 18, 21)):
        _task(tmp_path, f"b{i}", 2, f"2026-11-26T10:00:{second:02d}.000+00:00")
    assert steady_seconds_per_task(tmp_path) == pytest.approx((4 + 9) / 5)


def test_no_steady_rate_when_no_worker_ran_two_tasks(tmp_path: Path) -> None:
    (tmp_path / sweep.TASKS).mkdir()
    _task(tmp_path, "a", 1, "2026-11-26T10:00:10.000+00:00")
    _task(tmp_path, "b", 2, "2026-11-26T10:00:11.000+00:00")
    assert steady_seconds_per_task(tmp_path) is None
