"""Speed of capsim's engine against the reference models, on one M/M/c workload.

The workload (the same for every model): 12 analysts, exponential reviews of mean 28.4 s,
Poisson arrivals at utilisation rho = 0.85 (lambda = 0.85 * 12 / 28.4 = 0.359 items/s),
one FIFO queue, analysts always on duty.

Models, all run in this one process:

``capsim``
    capsim's engine on its full model path: the scenario is built as a dict and loaded with
    :func:`capsim.scenario.load_scenario`, with a ``24/7`` roster, an exposure cap that never
    binds (``24h/day``), two priorities declared (``[urgent, normal]``, every item normal), a
    time-to-live that never binds (``365d``) and the item records kept (they always are).
    Only :func:`capsim.engine.simulate_replication` is timed (not metrics); the horizon is
    set so that about ``--items`` items arrive and are reviewed. A first run with a one-hour
    horizon, not timed, loads or compiles the numba kernel.
``capsim_e2e``
    The same scenario through :func:`capsim.simulate` (one replication): the engine, then the
    metrics, the time series and the summary tables, as a user runs it; items counted are the
    replication's ``assessed``.
``naive_simpy``
    One simpy process per item holding a ``simpy.Resource`` (draws made before the clock
    starts), :func:`benchmarks.reference_models.naive_simpy_mmc`.
``numba_recursion``
    The compiled multi-server FIFO recursion, draws included in the timing,
    :func:`benchmarks.reference_models.numba_recursion_mmc`.
``ciw``
    The same queue on Ciw, if Ciw is importable, :func:`benchmarks.reference_models.ciw_mmc`.

Each model runs ``--repeat`` times (default 5; round-robin, so slow drifts in the machine's
load hit every model alike; the same seed every time, so every repeat does the same work).
The headline figure is the **best** (shortest) of the repeats: on a shared machine other
processes, and page faults on freshly allocated memory, only ever add time, so the minimum is
the most reproducible estimate of what the code itself costs; the median is shown beside it
to show the spread. For capsim the user and system CPU time of each repeat are printed too
(on a virtual machine the spread is almost all system time: first touch of new memory).

Usage::

    python benchmarks/bench_engine.py [--items N] [--repeat K] [--json PATH] [--profile]

``--profile`` then runs capsim once more under cProfile (not timed) and prints the top 15
functions by cumulative time and a breakdown: arrival generation, admitting items to the
table and queues, the numba kernel, finished items and referrals, simpy's own overhead, setup
and records.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import os
import platform
import pstats
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[1]
if str(_REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(_REPO_ROOT))

import numba
import numpy as np
import simpy

# Imported by package name, never as ``__main__``: numba's on-disk cache records the defining
# module by name (see the end of reference_models.py).
from benchmarks import reference_models as ref
from capsim import queueing
from capsim.engine import simulate_replication
from capsim.experiment import simulate
from capsim.scenario import Scenario, load_scenario

SERVERS = ref.DEFAULT_SERVERS  # 12
MEAN_SERVICE = ref.DEFAULT_MEAN_SERVICE  # 28.4 s
RHO = ref.DEFAULT_RHO  # 0.85
ARRIVAL_RATE = RHO * SERVERS / MEAN_SERVICE  # items per second
TTL = "365d"
EXPOSURE_CAP = "24h/day"
MODELS = ("capsim", "capsim_e2e", "naive_simpy", "numba_recursion", "ciw")


# --------------------------------------------------------------------------- the capsim scenario


def capsim_scenario(horizon_seconds: float) -> Scenario:
    """The M/M/c workload as a capsim scenario, loaded through the ordinary loader."""
    return load_scenario(
        {
            "name": "bench_mmc",
            "title": "M/M/c benchmark: 12 analysts, exponential 28.4 s reviews, rho = 0.85",
            "clock": {"horizon": f"{horizon_seconds:.0f}s", "warmup": 0, "step": "1h"},
            "priorities": ["urgent", "normal"],
            "demand": [
                {
                    "stream": "mmc",
                    "unit": "image",
                    "rate": f"{ARRIVAL_RATE!r}/s",  # repr: the exact float, no rounding
                    "growth": {"model": "none"},
                    "priority": "normal",
                    "ttl": TTL,
                }
            ],
            "review": {"image": {"dist": "exponential", "mean": f"{MEAN_SERVICE!r}s"}},
            "workforce": [
                {"team": "analysts", "headcount": SERVERS, "roster": "24/7", "exposure_cap": EXPOSURE_CAP}
            ],
            "tooling": {"hash_matching": {"enabled": False}},
        }
    )


def horizon_for(n_items: int) -> float:
    """Horizon (seconds, whole hours, at least one) at which about ``n_items`` have arrived."""
    return max(1, round(n_items / ARRIVAL_RATE / 3600)) * 3600.0


def capsim_checks(scenario: Scenario, rep) -> dict:
    """Statistics and checks on one capsim replication (outside the timing)."""
    items = rep.items
    started = np.isfinite(items.start)
    n_started = int(started.sum())
    expired = int(items.expired_by(rep.horizon).sum())
    # Items are stored in arrival order, so the first 5 % of the rows are the warm-up, as in
    # the reference models.
    waits = items.wait[ref.warmup_count(len(items)):]
    waits = waits[np.isfinite(waits)]
    # Exposure cap: the kernel refuses a start once an analyst's reviewing in the current shift
    # (one 24 h shift a day, from midnight) reaches the cap; the largest daily total shows
    # how far it was from binding.
    days = math.ceil(rep.horizon / 86400.0)
    key = items.analyst[started].astype(np.int64) * days + (items.start[started] // 86400.0).astype(np.int64)
    daily = np.bincount(key, weights=items.service[started], minlength=SERVERS * days)
    cap = scenario.workforce[0].exposure_cap
    return {
        "arrived": len(items),
        "reviewed": n_started,
        "waiting_at_horizon": len(items) - n_started - expired,
        "expired": expired,
        "wait_mean": float(waits.mean()) if waits.size else float("nan"),
        "p_wait": float((waits > 0).mean()) if waits.size else float("nan"),
        "wait_max": float(waits.max()) if waits.size else float("nan"),
        "max_daily_exposure_hours": float(daily.max()) / 3600.0,
        "exposure_cap_hours": cap / 3600.0,
        "ttl_days": scenario.demand[0].ttl.mean / 86400.0,
        "horizon_days": rep.horizon / 86400.0,
    }


# --------------------------------------------------------------------------- running the models


@dataclass
class Result:
    """Repeated runs of one model."""

    name: str
    requested: int
    items: int = 0
    seconds: list[float] = field(default_factory=list)
    user_seconds: list[float] = field(default_factory=list)  # capsim only: CPU time in user mode
    sys_seconds: list[float] = field(default_factory=list)  # capsim only: CPU time in the kernel
    wait_mean: float = float("nan")
    p_wait: float = float("nan")
    skipped: str | None = None

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def items_per_second(self) -> float:
        return self.items / self.best if self.seconds and self.best > 0 else float("nan")

    def as_dict(self) -> dict:
        out = {"name": self.name, "requested_items": self.requested, "skipped": self.skipped}
        if self.seconds:
            out.update(
                items=self.items,
                seconds=self.seconds,
                best_seconds=self.best,
                median_seconds=self.median,
                items_per_second=self.items_per_second,
                items_per_second_median=self.items / self.median,
                wait_mean=self.wait_mean,
                p_wait=self.p_wait,
            )
        if self.user_seconds:
            out.update(user_seconds=self.user_seconds, sys_seconds=self.sys_seconds)
        return out


def run_capsim(scenario: Scenario, seed: int, result: Result) -> object:
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    rep = simulate_replication(scenario, seed, 0)
    result.seconds.append(time.perf_counter() - t0)
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    result.user_seconds.append(r1.ru_utime - r0.ru_utime)
    result.sys_seconds.append(r1.ru_stime - r0.ru_stime)
    result.items = int(np.isfinite(rep.items.start).sum())
    return rep


def run_capsim_end_to_end(scenario: Scenario, seed: int, result: Result) -> None:
    """Time ``capsim.simulate`` for one replication: the engine, the metrics, the time series
    and the summary tables, as a user runs it. Items counted: the replication's ``assessed``."""
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    run = simulate(scenario, replications=1, seed=seed)
    result.seconds.append(time.perf_counter() - t0)
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    result.user_seconds.append(r1.ru_utime - r0.ru_utime)
    result.sys_seconds.append(r1.ru_stime - r0.ru_stime)
    result.items = int(run.metric("assessed"))
    result.wait_mean = run.metric("wait_mean") * 3600.0
    result.p_wait = run.metric("p_wait")


def run_reference(fn, n_items: int, seed: int, result: Result) -> None:
    run = fn(n_items, seed=seed)
    if run is None:
        result.skipped = "not installed (pip install ciw)"
        return
    result.seconds.append(run.seconds)
    result.items, result.wait_mean, result.p_wait = run.items, run.wait_mean, run.p_wait


def ciw_version() -> str | None:
    """Ciw's version, or None if it is not importable (it is optional, not a capsim dependency)."""
    try:
        import ciw
    except ImportError:
        return None
    return getattr(ciw, "__version__", "?")


# --------------------------------------------------------------------------- profile


def profile_capsim(scenario: Scenario, seed: int, top: int = 15) -> dict:
    """Run capsim once under cProfile; print the top functions and a breakdown by stage."""
    profiler = cProfile.Profile()
    profiler.enable()
    simulate_replication(scenario, seed, 0)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(top)
    print(f"\ncProfile of one capsim run (top {top} by cumulative time; profiling adds overhead):")
    print("\n".join(line for line in stream.getvalue().splitlines() if line.strip()))

    own_stream = io.StringIO()
    pstats.Stats(profiler, stream=own_stream).sort_stats("tottime").print_stats(10)
    lines = own_stream.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    print("\nTop 10 by own time (tottime):")
    print("\n".join(line for line in lines[start:] if line.strip()))

    total = stats.total_tt

    def cumulative(module: str, func: str) -> float:
        return sum(v[3] for (f, _, name), v in stats.stats.items() if f.endswith(module) and name == func)

    def builtin_from(method: str, caller_module: str, caller: str) -> float:
        """Time in a C method (e.g. ndarray.sort) when called, directly or via numpy, from ``caller``."""
        seconds = 0.0
        for (f, _, name), v in stats.stats.items():
            if f != "~" or method not in name:
                continue
            for (cf, _, cname), cv in v[4].items():
                direct = cf.endswith(caller_module) and cname == caller
                via_numpy = cf.endswith("fromnumeric.py") and any(
                    gf.endswith(caller_module) and gname == caller
                    for (gf, _, gname) in stats.stats.get((cf, _, cname), (0, 0, 0, 0, {}))[4]
                )
                if direct or via_numpy:
                    seconds += cv[3]
        return seconds

    simpy_own = sum(v[2] for (f, _, _), v in stats.stats.items() if f"{os.sep}simpy{os.sep}" in f)
    draw = cumulative("capsim/demand.py", "draw")
    sort = builtin_from("'sort' of 'numpy.ndarray'", "capsim/demand.py", "draw")
    sort += builtin_from("'copy' of 'numpy.ndarray'", "capsim/demand.py", "draw")  # np.sort copies first
    flags = cumulative("capsim/demand.py", "_flags")
    review = cumulative("capsim/demand.py", "draw_review_times")
    stages = {
        # StreamSource.draw: Poisson counts per hour cell, uniform times, sort, flags,
        # review times, deadlines.
        "arrival generation (StreamSource.draw)": draw,
        "  of which np.sort of the arrival times (copy + sort)": sort,
        "  of which attribute flags (StreamSource._flags)": flags,
        "  of which review times (draw_review_times)": review,
        "  of which the rest (Poisson counts, uniforms, deadlines)": draw - sort - flags - review,
        # merging the streams drawn four weeks ahead (Simulation._draw_ahead, less its draws)
        "merge of arrivals drawn ahead (Simulation._draw_ahead)": max(0.0, cumulative("capsim/engine.py", "_draw_ahead") - draw),
        # the day's rows: ItemTable.append (incl. growth), TeamQueue.enqueue.
        "admit to item table + queues (_admit, _admit_drawn)": cumulative("capsim/engine.py", "_admit")
        + cumulative("capsim/engine.py", "_admit_drawn"),
        "  of which ItemTable growth (ItemTable._reserve)": cumulative("capsim/records.py", "_reserve"),
        # Simulation.advance calls the compiled assign() once per team at each decision point.
        "numba kernel (kernel.assign, from Simulation.advance)": cumulative("capsim/kernel.py", "assign"),
        # what a team finished by each decision point, and referrals (teams that route items on)
        "finished items and referrals (Simulation._finish)": cumulative("capsim/engine.py", "_finish"),
        "simpy own overhead (all simpy functions, own time)": simpy_own,
        "setup (Simulation.__init__: rngs, shift plan, cell means)": cumulative("capsim/engine.py", "__init__"),
        "records (ItemTable.frozen copy)": cumulative("capsim/records.py", "frozen"),
        "roster shift starts (TeamQueue.start_shift)": cumulative("capsim/engine.py", "start_shift"),
    }
    print(f"\nWhere capsim's time goes (profiled total {total:.3f} s):")
    for label, seconds in stages.items():
        print(f"  {label:<58s} {seconds:8.3f} s  {100 * seconds / total:5.1f} %")
    rest = total - sum(v for k, v in stages.items() if not k.startswith(" "))
    print(f"  {'rest':<58s} {rest:8.3f} s  {100 * rest / total:5.1f} %")
    return {"total_seconds": total, "stages": stages, "top": stream.getvalue()}


# --------------------------------------------------------------------------- machine and report


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_usable": usable,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numba": numba.__version__,
        "simpy": getattr(simpy, "__version__", "?"),
        "ciw": ciw_version(),
        "platform": platform.platform(),
    }


def machine_line(m: dict) -> str:
    return (
        f"machine: {m['cpu']}, {m['cores']} cores ({m['cores_usable']} usable), Python {m['python']}, "
        f"numpy {m['numpy']}, numba {m['numba']}, simpy {m['simpy']}, ciw {m['ciw'] or 'not installed'}, "
        f"{m['platform']}"
    )


GOALS = {"capsim_e2e_over_naive_simpy": ">= 100 x", "capsim_over_capsim_e2e": "<= 1.5 x"}
"""Issue 13's goals for the ratios (end to end within 1.5x of the engine, at least 100x the naive model)."""


def ratio(a: Result, b: Result) -> float | None:
    """items/s of ``a`` over items/s of ``b`` (None if either did not run)."""
    if not a.seconds or not b.seconds:
        return None
    return a.items_per_second / b.items_per_second


def report(results: dict[str, Result], repeat: int, checks: dict | None) -> dict:
    print(f"\nM/M/c: c = {SERVERS}, exponential reviews of mean {MEAN_SERVICE} s, rho = {RHO}, FIFO, 24/7; "
          f"best of {repeat} (median beside it)")
    header = f"{'model':<16s} {'items':>11s} {'best s':>9s} {'median s':>9s} {'items/s (best)':>15s} {'wait_mean s':>11s} {'p_wait':>7s}"
    print(header)
    print("-" * len(header))
    for r in results.values():
        if not r.seconds:
            print(f"{r.name:<16s} {'-':>11s}  skipped: {r.skipped}")
            continue
        print(f"{r.name:<16s} {r.items:>11,d} {r.best:>9.3f} {r.median:>9.3f} {r.items_per_second:>15,.0f} "
              f"{r.wait_mean:>11.3f} {r.p_wait:>7.4f}")
    wq = queueing.mmc_wait_mean(ARRIVAL_RATE, MEAN_SERVICE, SERVERS)
    pw = queueing.erlang_c(SERVERS, ARRIVAL_RATE * MEAN_SERVICE)
    print(f"{'Erlang C (exact)':<16s} {'':>11s} {'':>9s} {'':>9s} {'':>15s} {wq:>11.3f} {pw:>7.4f}")
    ratios = {
        "capsim_over_naive_simpy": ratio(results["capsim"], results["naive_simpy"]),
        "capsim_e2e_over_naive_simpy": ratio(results["capsim_e2e"], results["naive_simpy"]),
        "capsim_over_capsim_e2e": ratio(results["capsim"], results["capsim_e2e"]),
        "numba_recursion_over_capsim": ratio(results["numba_recursion"], results["capsim"]),
        "capsim_over_ciw": ratio(results["capsim"], results["ciw"]),
    }
    engine, e2e = results["capsim"], results["capsim_e2e"]
    if engine.seconds and e2e.seconds:  # on a shared machine CPU seconds are steadier than wall seconds
        cpu = [u + s for u, s in zip(e2e.user_seconds, e2e.sys_seconds)]
        ratios["capsim_e2e_over_capsim_cpu"] = min(cpu) / min(u + s for u, s in zip(engine.user_seconds, engine.sys_seconds))
        ratios["capsim_e2e_items_per_second"] = e2e.items_per_second
    print()
    for label, key in (("capsim / naive simpy", "capsim_over_naive_simpy"),
                       ("end-to-end / naive", "capsim_e2e_over_naive_simpy"),
                       ("engine / end-to-end", "capsim_over_capsim_e2e"),
                       ("recursion / capsim", "numba_recursion_over_capsim"),
                       ("capsim / ciw", "capsim_over_ciw")):
        value = ratios[key]
        goal = f"   goal {GOALS[key]}" if key in GOALS else ""
        print(f"{label:<22s} {'-' if value is None else f'{value:,.1f} x'}   (items/s, best of {repeat}){goal}")
    if "capsim_e2e_over_capsim_cpu" in ratios:
        engine_cpu = min(u + s for u, s in zip(engine.user_seconds, engine.sys_seconds))
        ratios["capsim_items_per_cpu_second"] = engine.items / engine_cpu
        print(f"{'engine rate':<22s} {engine.items_per_second / 1e6:,.2f} M reviewed items/s "
              f"(wall), {ratios['capsim_items_per_cpu_second'] / 1e6:,.2f} M per CPU second ({engine_cpu:.3f} CPU s)")
        print(f"{'end-to-end / engine':<22s} {ratios['capsim_e2e_over_capsim_cpu']:,.2f} x   (CPU seconds, user + "
              f"system, best of {repeat})   goal {GOALS['capsim_over_capsim_e2e']}")
        ratios["capsim_e2e_items_per_cpu_second"] = e2e.items / min(cpu)
        print(f"{'end-to-end rate':<22s} {ratios['capsim_e2e_items_per_second'] / 1e6:,.2f} M reviewed items/s "
              f"(wall), {ratios['capsim_e2e_items_per_cpu_second'] / 1e6:,.2f} M per CPU second   goal >= 10")
    if checks:
        print(f"\ncapsim run: {checks['arrived']:,d} arrived over {checks['horizon_days']:.2f} d, "
              f"{checks['reviewed']:,d} reviewed, {checks['waiting_at_horizon']:,d} waiting at the horizon, "
              f"{checks['expired']:,d} expired (ttl {checks['ttl_days']:g} d, longest wait {checks['wait_max']:.0f} s); "
              f"busiest analyst-day {checks['max_daily_exposure_hours']:.2f} h of review against a cap of "
              f"{checks['exposure_cap_hours']:g} h")
        binding = checks["max_daily_exposure_hours"] >= checks["exposure_cap_hours"]
        if binding or checks["expired"]:
            print("WARNING: the exposure cap or the ttl bound in the capsim run, so it is no longer the M/M/c "
                  "workload of the other models; its numbers are not comparable")
        else:
            print("  (exposure cap and ttl set but not binding: the same M/M/c queue as the reference models)")
    return {"ratios": ratios, "erlang_c": {"wait_mean": wq, "p_wait": pw}}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--items", type=int, default=5_000_000, help="items for capsim and the recursion (default 5,000,000)")
    p.add_argument("--naive-items", type=int, default=200_000, help="items for the naive simpy model (default 200,000)")
    p.add_argument("--ciw-items", type=int, default=20_000, help="items for Ciw (default 20,000)")
    p.add_argument("--repeat", type=int, default=5, help="runs of each model; the best is reported (default 5)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--models", default=",".join(MODELS), help=f"comma-separated subset of {','.join(MODELS)}")
    p.add_argument("--json", metavar="PATH", help="also write the numbers to this JSON file")
    p.add_argument("--profile", action="store_true", help="also profile one capsim run (cProfile, top 15 cumulative)")
    a = p.parse_args(argv)
    models = [m.strip() for m in a.models.split(",") if m.strip()]
    unknown = sorted(set(models) - set(MODELS))
    if unknown or a.repeat < 1 or a.items < 1:
        p.error(f"unknown model(s) {unknown}" if unknown else "--repeat and --items must be at least 1")

    m = machine()
    print(machine_line(m))
    results = {name: Result(name, n) for name, n in
               (("capsim", a.items), ("capsim_e2e", a.items), ("naive_simpy", a.naive_items),
                ("numba_recursion", a.items), ("ciw", a.ciw_items))}
    for name in MODELS:
        if name not in models:
            results[name].skipped = "not selected (--models)"
    if "ciw" in models and ciw_version() is None:
        results["ciw"].skipped = "not installed (pip install ciw)"

    scenario = capsim_scenario(horizon_for(a.items))
    if {"capsim", "capsim_e2e"} & set(models):
        t0 = time.perf_counter()
        simulate_replication(capsim_scenario(3600.0), a.seed, 0)  # numba compile / cache load
        print(f"capsim warm-up (1 h horizon, not timed): {time.perf_counter() - t0:.2f} s; "
              f"timed horizon {scenario.clock.horizon / 86400:.2f} d for about {a.items:,d} items")

    last_rep = None
    for k in range(a.repeat):
        for name in MODELS:
            r = results[name]
            if r.skipped:
                continue
            if name == "capsim":
                last_rep = None  # free the previous records before the next run
                last_rep = run_capsim(scenario, a.seed, r)
            elif name == "capsim_e2e":
                run_capsim_end_to_end(scenario, a.seed, r)
            elif name == "naive_simpy":
                run_reference(ref.naive_simpy_mmc, a.naive_items, a.seed, r)
            elif name == "numba_recursion":
                run_reference(ref.numba_recursion_mmc, a.items, a.seed, r)
            else:
                run_reference(ref.ciw_mmc, a.ciw_items, a.seed, r)
            if r.seconds:
                cpu = f"  (CPU: user {r.user_seconds[-1]:.3f} s, sys {r.sys_seconds[-1]:.3f} s)" if r.user_seconds else ""
                print(f"  repeat {k + 1}/{a.repeat}  {name:<16s} {r.seconds[-1]:8.3f} s{cpu}", flush=True)

    checks = None
    if last_rep is not None:
        checks = capsim_checks(scenario, last_rep)
        results["capsim"].wait_mean, results["capsim"].p_wait = checks["wait_mean"], checks["p_wait"]
        last_rep = None
    summary = report(results, a.repeat, checks)
    print(machine_line(m))

    profile = None
    if a.profile and "capsim" in models:
        profile = profile_capsim(scenario, a.seed)

    if a.json:
        out = {
            "workload": {"servers": SERVERS, "mean_service_seconds": MEAN_SERVICE, "rho": RHO,
                         "arrival_rate_per_second": ARRIVAL_RATE, "discipline": "FIFO", "roster": "24/7"},
            "capsim_scenario": {"horizon_seconds": scenario.clock.horizon, "priorities": scenario.priorities,
                                "ttl": TTL, "exposure_cap": EXPOSURE_CAP, "roster": "24/7"},
            "repeat": a.repeat,
            "statistic": "best (minimum time) of the repeats; median also given",
            "seed": a.seed,
            "machine": m,
            "models": {name: r.as_dict() for name, r in results.items()},
            "capsim_checks": checks,
            **summary,
        }
        if profile is not None:
            out["capsim_profile"] = {"total_seconds": profile["total_seconds"], "stages_seconds": profile["stages"]}
        Path(a.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
