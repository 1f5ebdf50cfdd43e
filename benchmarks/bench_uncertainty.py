"""Two-level uncertainty at national scale: time of ``capsim uncertainty`` on a 3-year scenario.

The workload (issue 17): ``scenarios/growth-central.yaml`` - the national hotline of base.yaml
over three years, its AI reports growing at the pooled doubling time, already an uncertain
input - with four more uncertain inputs given by ``--set``, five in all:

* ``ai-growth``: doubling time of AI reports, lognormal 126-348 d (the scenario's own);
* ``review.report.mean``: lognormal, central 95% 60-150 s (assumption around base's 90 s);
* ``review.image.mean``: lognormal, 18-40 s (UK police manual rate to above the IWF's 28.4 s);
* ``workforce.analysts.shrinkage``: uniform 0.10-0.25;
* ``workforce.analysts.exposure_cap``: triangular 3h, 4h, 5h a day.

The goal is 64 parameter sets x 5 replications (320 tasks) in 5 minutes on 2 cores, through
the sweep machinery (local processes here; ``--executor dask`` spreads the same tasks over a
cluster). When that would take far longer, run a smaller design (``--sets``,
``--replications``) and read the extrapolation the script prints: tasks are independent and
equal in expected cost, so the full design's time is the measured wall time plus the tasks it
did not run at the steady rate measured in the same run, plus the planning of the sets it did not
plan. The steady rate is read from the task files: on each worker, the time between its first
and its last task's finish over the tasks in between (dispatch and writing included), so each
worker's start-up (imports, compiled code loaded from numba's cache, its first replication's
memory) is counted once, as the full design pays it, not once per task. Each task is also
measured per calendar year (the per-year FTE and cost), as ``capsim uncertainty`` does. The
script says plainly whether the goal is met, measured or extrapolated, and by what factor.

    .venv/bin/python benchmarks/bench_uncertainty.py [--sets 64] [--replications 5] [--workers 2] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[1]
if str(_REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(_REPO_ROOT))

from benchmarks.bench_engine import machine, machine_line  # noqa: E402  (after the path is set)
from capsim import sweep, uncertainty  # noqa: E402

SCENARIO = _REPO_ROOT / "scenarios" / "growth-central.yaml"
UNCERTAIN = [
    "review.report.mean={uncertain: {dist: lognormal, low: 60s, high: 150s, source: 'assumption: around base 90 s'}}",
    "review.image.mean={uncertain: {dist: lognormal, low: 18s, high: 40s, source: 'uk_police_grading_rate_manual to above iwf_2023_seconds_per_image'}}",
    "workforce.analysts.shrinkage={uncertain: {dist: uniform, low: 0.10, high: 0.25, source: 'assumption'}}",
    "workforce.analysts.exposure_cap={uncertain: {dist: triangular, low: 3h, mode: 4h, high: 5h, source: 'inhope_max_review_hours_day and iwf_exposure_limit_hours_day'}}",
]
GOAL_SECONDS = 300.0
FULL = (64, 5)


def steady_seconds_per_task(folder: Path) -> float | None:
    """Seconds of wall time per task on one worker once it has started, from the task files in
    ``folder``: on each worker (process id), the time from its first task's finish to its last's,
    over the tasks finished in between; pooled over workers. None when no worker ran two tasks."""
    finishes: dict[int, list[datetime]] = {}
    for path in (folder / sweep.TASKS).glob("*.json"):
        run = json.loads(path.read_text(encoding="utf-8"))["run"]
        finishes.setdefault(run["pid"], []).append(datetime.fromisoformat(run["finished"]))
    spans = [(max(times) - min(times)).total_seconds() for times in finishes.values()]
    between = sum(len(times) - 1 for times in finishes.values())
    return sum(spans) / between if between else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=FULL[0])
    parser.add_argument("--replications", type=int, default=FULL[1])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: a temporary one, removed)")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    args = parser.parse_args()
    started = time.perf_counter()
    try:
        plan = uncertainty.plan_uncertainty(SCENARIO, args.sets, args.replications, overrides=UNCERTAIN,
                                            workers=args.workers)
    except uncertainty.UncertaintyError as error:
        parser.error(str(error))  # a design the command would refuse: its message, exit 2, no traceback
    planned = time.perf_counter() - started
    folder = args.out or Path(tempfile.mkdtemp(prefix="capsim-bench-uncertainty-")) / "out"
    result = uncertainty.run_uncertainty(plan, folder, workers=args.workers)
    wall = time.perf_counter() - started
    tasks = args.sets * args.replications
    per_task = steady_seconds_per_task(folder) or (wall - planned) * args.workers / tasks
    full_tasks = FULL[0] * FULL[1]
    extrapolated = wall + planned * (FULL[0] / args.sets - 1) + per_task * (full_tasks - tasks) / args.workers
    numbers = {"sets": args.sets, "replications": args.replications, "workers": args.workers, "inputs": len(plan.inputs),
               "planning_seconds": round(planned, 2), "wall_seconds": round(wall, 2),
               "steady_seconds_per_task_per_worker": round(per_task, 2),
               "extrapolated_64x5_seconds": round(extrapolated, 1), "goal_seconds": GOAL_SECONDS}
    print(machine_line(machine()))
    print(f"{len(plan.inputs)} uncertain inputs: {', '.join(i.label for i in plan.inputs)}")
    print(f"{args.sets} sets x {args.replications} replications = {tasks} tasks on {args.workers} workers: "
          f"{wall:.1f} s wall ({planned:.1f} s planning), {per_task:.2f} s per task on one worker once started")
    full = (args.sets, args.replications) == FULL
    if not full:
        print(f"extrapolated to {FULL[0]} x {FULL[1]} = {full_tasks} tasks on {args.workers} workers: "
              f"{extrapolated:.0f} s ({extrapolated / 60:.1f} min) against a goal of {GOAL_SECONDS / 60:.0f} min")
    seconds, how = (wall, "measured") if full else (extrapolated, "extrapolated")
    print(f"goal ({GOAL_SECONDS / 60:.0f} min for {FULL[0]} x {FULL[1]}): "
          + (f"met ({how} {seconds / 60:.1f} min)" if seconds <= GOAL_SECONDS else
             f"MISSED: {how} {seconds / 60:.1f} min, {seconds / GOAL_SECONDS:.1f} times the goal"))
    numbers["goal_met"] = seconds <= GOAL_SECONDS
    row = result.summary.set_index("metric").loc["backlog_end"]
    print(f"backlog_end: mean {row['mean']:.4g}, input interval {row.input_low:.4g} to {row.input_high:.4g}, "
          f"run-to-run {row.run_low:.4g} to {row.run_high:.4g}")
    for r in result.by_year[result.by_year.metric == uncertainty.REVIEW_FTE].itertuples():
        print(f"{r.period} ({r.days:.0f} days) FTE of review work: mean {r.mean:.1f}, input interval "
              f"{r.input_low:.1f} to {r.input_high:.1f}, total {r.total_low:.1f} to {r.total_high:.1f}"
              + (f"; driven by {r.driver} ({r.driver_share:.0%})" if r.driver else "; no input named (the inputs "
                 "barely move it, or too few sets to rank them)"))
    if args.json:
        args.json.write_text(json.dumps(numbers, indent=1) + "\n")
    if args.out is None:
        shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
