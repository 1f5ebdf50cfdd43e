"""One simulated year at national-clearing-house scale: time per replication and memory.

The workload (see benchmarks/README.md for why these numbers): one image stream of
100 million files a year, 95% of them known and cleared by hash matching, so about 5 million
reach a human; one team of 300 analysts on a seven-day roster (8-hour shift from 07:00, a
daily exposure cap of 5 h, shrinkage 0.35 — which stands for two rest days a week plus leave
and sickness, since a team's analysts share one roster), lognormal reviews of mean 180 s
(cv 1). Each configuration runs in a fresh process pinned to one core:

* **time**: ``capsim.engine.simulate_replication`` (the engine) and
  ``capsim.experiment.run_one`` (engine + metrics + time series: what one replication of a
  run or a sweep costs), best and median of ``--repeat`` runs;
* **memory**: the peak of memory traced by ``tracemalloc`` (numpy reports its arrays to it)
  during one engine run and during one whole replication, and the growth of the process's
  peak resident set (``ru_maxrss``) over the timed runs; each divided by the millions of
  reviewed items.

The other configurations show what memory follows: a tenth of the arrivals (10 million,
half known) with the same 5 million reviewed items, and the same 100 million arrivals with
2.5 and 1 million reviewed.

    .venv/bin/python benchmarks/bench_national.py [--repeat 3] [--json PATH] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[1]
if str(_REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(_REPO_ROOT))

from benchmarks.bench_engine import machine, machine_line  # noqa: E402  (after the path is set)

ARRIVALS = 100e6
"""Files arriving in the simulated year (national scale)."""

CONFIGS: dict[str, tuple[float, float]] = {
    "national": (100e6, 0.95),
    "tenth-arrivals": (10e6, 0.50),
    "half-reviewed": (100e6, 0.975),
    "fifth-reviewed": (100e6, 0.99),
}
"""Configuration → (arrivals a year, share known and cleared by hash matching)."""

ANALYSTS = 300
REVIEW_MEAN = "180s"
SHRINKAGE = 0.35
SHIFT_HOURS = 8
EXPOSURE_CAP = "5h/day"


def scenario_mapping(arrivals: float, known: float, analysts: int, review_mean: str, horizon: str = "1y") -> dict:
    """The benchmark's scenario as a mapping (loaded with ``capsim.scenario.load_scenario``)."""
    return {
        "name": f"national-{arrivals / 1e6:g}M-known-{known:g}",
        "clock": {"horizon": horizon, "start": "2024-01-01", "step": "1d"},
        "priorities": ["urgent", "normal"],
        "demand": [{
            "stream": "images", "unit": "image", "rate": f"{arrivals:.0f}/year", "priority": "normal",
            "mix": {"known": known, "ai_generated": 0.3, "criminal": 0.6, "realistic": 0.8},
        }],
        "review": {"image": {"dist": "lognormal", "mean": review_mean, "cv": 1.0}},
        "workforce": [{
            "team": "graders", "headcount": analysts,
            "roster": {"hours_per_day": SHIFT_HOURS, "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                       "start": "07:00"},
            "exposure_cap": EXPOSURE_CAP, "shrinkage": SHRINKAGE,
        }],
        "tooling": {"hash_matching": {"enabled": True}},
        "sla": [{"priority": "normal", "within": "24h", "target": 0.9}],
        "costs": {"currency": "GBP", "teams": {"graders": {"annual_cost": 48000}}},
    }


def _maxrss_bytes() -> int:
    scale = 1 if sys.platform == "darwin" else 1024  # Linux reports kilobytes
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def _pin_to_one_core() -> int | None:
    try:
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return core
    except (AttributeError, OSError):
        return None


def _timed(function, *args):
    """``function(*args)``, its wall time and its CPU time (user + system, this process), seconds."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    value = function(*args)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    return value, wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure_config(name: str, arrivals: float, known: float, analysts: int, review_mean: str,
                   repeat: int, seed: int) -> dict:
    """Time and memory of one configuration (run in its own process)."""
    from capsim.engine import simulate_replication
    from capsim.experiment import run_one
    from capsim.scenario import load_scenario

    core = _pin_to_one_core()
    scenario = load_scenario(scenario_mapping(arrivals, known, analysts, review_mean))
    warm = load_scenario(scenario_mapping(arrivals, known, analysts, review_mean, horizon="2d"))
    run_one(warm, seed, 0)  # numba kernel from its cache, imports, first allocations
    rss_before = _maxrss_bytes()
    engine, full, engine_cpu, full_cpu = [], [], [], []
    for _ in range(repeat):
        (rep, wall, cpu) = _timed(simulate_replication, scenario, seed, 0)
        engine.append(wall)
        engine_cpu.append(cpu)
        reviewed = len(rep.items)
        arrived = int(rep.arrived_per_cell.sum())
        del rep
        ((metrics, series), wall, cpu) = _timed(run_one, scenario, seed, 0)
        full.append(wall)
        full_cpu.append(cpu)
        del series
    rss_growth = _maxrss_bytes() - rss_before

    tracemalloc.start()
    rep = simulate_replication(scenario, seed, 0)
    engine_peak = tracemalloc.get_traced_memory()[1]
    del rep
    tracemalloc.reset_peak()
    run_one(scenario, seed, 0)
    full_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    return {
        "config": name, "arrivals_per_year": arrivals, "known": known, "analysts": analysts,
        "review_mean": review_mean, "core": core, "repeat": repeat, "seed": seed,
        "arrived": arrived, "reviewed": reviewed,
        "engine_seconds": engine, "replication_seconds": full,
        "engine_cpu_seconds": engine_cpu, "replication_cpu_seconds": full_cpu,
        "engine_peak_bytes": engine_peak, "replication_peak_bytes": full_peak,
        "maxrss_growth_bytes": rss_growth,
        "metrics": {k: metrics[k] for k in ("arrivals", "auto_cleared", "assessed", "utilisation",
                                            "exposure_hours_per_analyst_day", "wait_mean",
                                            "time_to_assessment_p90", "sla_normal", "backlog_end", "backlog_max")},
    }


def profile_national(analysts: int, review_mean: str, seed: int) -> dict:
    """Where one national replication's time goes (cProfile, cumulative seconds per stage)."""
    from capsim.experiment import run_one
    from capsim.scenario import load_scenario

    _pin_to_one_core()
    scenario = load_scenario(scenario_mapping(ARRIVALS, 0.95, analysts, review_mean))
    run_one(load_scenario(scenario_mapping(ARRIVALS, 0.95, analysts, review_mean, horizon="2d")), seed, 0)
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.runcall(run_one, scenario, seed, 0)
    total = time.perf_counter() - t0
    stats = pstats.Stats(profiler)
    wanted = {
        "engine (simulate_replication)": ("engine.py", "simulate_replication"),
        "  arrival draws (StreamSource.draw)": ("demand.py", "draw"),
        "  admit to item table + queues (_admit)": ("engine.py", "_admit"),
        "  numba kernel (kernel.assign)": ("kernel.py", "assign"),
        "metrics + time series (measure)": ("metrics.py", "measure"),
        "  time series (metrics.timeseries)": ("metrics.py", "timeseries"),
        "  headline metrics (replication_metrics)": ("metrics.py", "replication_metrics"),
        "    exposure per analyst-shift": ("metrics.py", "_exposure"),
        "    item counts, waits' group sizes, SLA tallies (one compiled pass)": ("passes.py", "window_tallies"),
        "    quantiles (exact, from a histogram)": ("passes.py", "quantiles"),
        "    eventual waits, grouped (compiled pass)": ("passes.py", "grouped_waits"),
        "backlog start and maximum, every window in one pass (backlogs)": ("metrics.py", "backlogs"),
        "per-year metrics (period_metrics)": ("periods.py", "period_metrics"),
    }
    stages = {}
    for label, (file, function) in wanted.items():
        stages[label] = round(sum(v[3] for k, v in stats.stats.items() if k[0].endswith(file) and k[2] == function), 4)
    sorts = [(v[1], v[2]) for k, v in stats.stats.items() if k[2] == "<method 'sort' of 'numpy.ndarray' objects>"]
    stages["numpy sort, all callers (calls, s)"] = [sum(c for c, _ in sorts), round(sum(t for _, t in sorts), 4)]
    return {"profiled_total_seconds": round(total, 4), "stages_cumulative_seconds": stages}


def _child(spec: dict) -> dict:
    """Run one measurement in a fresh interpreter, so that its memory peak is its own."""
    result = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], capture_output=True, text=True,
                            env={**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                                 "MKL_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1"})
    if result.returncode != 0:
        raise SystemExit(f"measurement {spec} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _mb(n: float) -> float:
    return n / 1e6


def report(rows: list[dict]) -> list[dict]:
    """Print the table; return its rows as numbers."""
    header = (f"{'config':<15} {'arrivals':>11} {'known':>6} {'reviewed':>10} | {'engine s':>8} {'median':>6} {'CPU s':>6} | "
              f"{'replic. s':>9} {'median':>6} {'CPU s':>6} | {'engine MB':>9} {'MB/M':>5} | {'replic. MB':>10} {'MB/M':>5} | "
              f"{'maxrss+ MB':>10}")
    print(header)
    print("-" * len(header))
    table = []
    for r in rows:
        million = r["reviewed"] / 1e6
        row = {
            "config": r["config"], "arrived": r["arrived"], "known": r["known"], "reviewed": r["reviewed"],
            "engine_seconds_best": min(r["engine_seconds"]),
            "engine_seconds_median": statistics.median(r["engine_seconds"]),
            "engine_cpu_seconds_best": min(r["engine_cpu_seconds"]),
            "replication_seconds_best": min(r["replication_seconds"]),
            "replication_seconds_median": statistics.median(r["replication_seconds"]),
            "replication_cpu_seconds_best": min(r["replication_cpu_seconds"]),
            "engine_peak_mb": _mb(r["engine_peak_bytes"]),
            "engine_mb_per_million_reviewed": _mb(r["engine_peak_bytes"]) / million,
            "replication_peak_mb": _mb(r["replication_peak_bytes"]),
            "replication_mb_per_million_reviewed": _mb(r["replication_peak_bytes"]) / million,
            "maxrss_growth_mb": _mb(r["maxrss_growth_bytes"]),
        }
        table.append(row)
        print(f"{row['config']:<15} {row['arrived']:>11,d} {row['known']:>6.3f} {row['reviewed']:>10,d} | "
              f"{row['engine_seconds_best']:>8.2f} {row['engine_seconds_median']:>6.2f} {row['engine_cpu_seconds_best']:>6.2f} | "
              f"{row['replication_seconds_best']:>9.2f} {row['replication_seconds_median']:>6.2f} "
              f"{row['replication_cpu_seconds_best']:>6.2f} | "
              f"{row['engine_peak_mb']:>9.0f} {row['engine_mb_per_million_reviewed']:>5.1f} | "
              f"{row['replication_peak_mb']:>10.0f} {row['replication_mb_per_million_reviewed']:>5.1f} | "
              f"{row['maxrss_growth_mb']:>10.0f}")
    return table


MB_PER_MILLION_GOAL = 117
"""Issue 13: memory per million reviewed items no higher than it was (MB a replication)."""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=3, help="timed runs of each configuration; best and median shown (default 3)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--analysts", type=int, default=ANALYSTS, help=f"headcount of the team (default {ANALYSTS})")
    p.add_argument("--review-mean", default=REVIEW_MEAN, help=f"mean review time per image (default {REVIEW_MEAN})")
    p.add_argument("--configs", default=",".join(CONFIGS), help=f"comma-separated subset of {','.join(CONFIGS)}")
    p.add_argument("--json", metavar="PATH", help="also write every number to this JSON file")
    p.add_argument("--profile", action="store_true", help="also profile one national replication (cProfile, by stage)")
    p.add_argument("--child", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child:
        spec = json.loads(a.child)
        if spec.pop("profile", False):
            print(json.dumps(profile_national(**spec)))
        else:
            print(json.dumps(measure_config(**spec)))
        return 0
    configs = [c.strip() for c in a.configs.split(",") if c.strip()]
    unknown = sorted(set(configs) - set(CONFIGS))
    if unknown or a.repeat < 1:
        p.error(f"unknown configuration(s) {unknown}" if unknown else "--repeat must be at least 1")

    m = machine()
    print(machine_line(m))
    print(f"one simulated year; {a.analysts} analysts, 7-day roster, {SHIFT_HOURS} h shifts from 07:00, exposure cap "
          f"{EXPOSURE_CAP}, shrinkage {SHRINKAGE}; lognormal reviews, mean {a.review_mean}, cv 1; "
          f"best of {a.repeat}, each configuration in its own process on one core\n")
    rows = []
    for name in configs:
        arrivals, known = CONFIGS[name]
        rows.append(_child({"name": name, "arrivals": arrivals, "known": known, "analysts": a.analysts,
                            "review_mean": a.review_mean, "repeat": a.repeat, "seed": a.seed}))
        print(f"  measured {name}", file=sys.stderr, flush=True)
    table = report(rows)
    print("\nengine = capsim.engine.simulate_replication; replic. = capsim.experiment.run_one (engine + metrics + "
          "time series);\ns = wall seconds, best of the repeats, then the median; CPU s = user + system CPU seconds "
          "(lowest of the repeats);\nMB = peak traced by tracemalloc (1 MB = 10^6 bytes); "
          "MB/M = per million reviewed items; maxrss+ = growth of the process's peak RSS over the timed runs")
    national = next((r for r in rows if r["config"] == "national"), None)
    if national:
        mx = national["metrics"]
        print(f"\nnational run: {national['arrived']:,d} arrived, {mx['auto_cleared']:,.0f} cleared by hash matching, "
              f"{national['reviewed']:,d} reviewed; utilisation of on-shift time {mx['utilisation']:.3f}, "
              f"{mx['exposure_hours_per_analyst_day']:.2f} h of review per analyst-shift (cap 5 h), mean wait "
              f"{mx['wait_mean']:.2f} h, time to assessment P90 {mx['time_to_assessment_p90']:.2f} h, "
              f"{mx['sla_normal']:.3f} within 24 h, backlog at the end {mx['backlog_end']:,.0f}")
        row = next(r for r in table if r["config"] == "national")
        engine_cpu, replication_cpu = row["engine_cpu_seconds_best"], row["replication_cpu_seconds_best"]
        print(f"issue 13 ratios: replication / engine {replication_cpu / engine_cpu:.2f} x "
              f"CPU (goal <= 1.5); {row['replication_mb_per_million_reviewed']:.0f} MB per million reviewed for a "
              f"whole replication (goal <= {MB_PER_MILLION_GOAL})")
        print(f"measure vs engine, CPU: engine {engine_cpu:.2f} s, measuring (metrics + time series = replication - "
              f"engine) {replication_cpu - engine_cpu:.2f} s = {(replication_cpu - engine_cpu) / engine_cpu:.2f} x the engine")
    profile = None
    if a.profile:
        profile = _child({"profile": True, "analysts": a.analysts, "review_mean": a.review_mean, "seed": a.seed})
        print(f"\nWhere one national replication's time goes (cProfile, total {profile['profiled_total_seconds']:.2f} s, "
              "cumulative per stage):")
        for label, value in profile["stages_cumulative_seconds"].items():
            print(f"  {label:<45s} {value}")
    print(machine_line(m))
    if a.json:
        out = {"machine": m, "workload": {"analysts": a.analysts, "review_mean": a.review_mean,
                                          "shift_hours": SHIFT_HOURS, "exposure_cap": EXPOSURE_CAP,
                                          "shrinkage": SHRINKAGE, "roster_days": 7, "horizon": "1y",
                                          "scenario": scenario_mapping(ARRIVALS, 0.95, a.analysts, a.review_mean)},
               "repeat": a.repeat, "seed": a.seed, "runs": rows, "table": table, "profile": profile}
        Path(a.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
