"""Start-up: the command line answers without loading the engine's heavy dependencies."""

import subprocess
import sys

HEAVY = ("pandas", "scipy", "numba", "matplotlib", "simpy")


def test_cli_import_loads_no_heavy_dependency():
    code = ("import sys, capsim.cli; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""


def test_report_and_charts_load_without_scipy_stats():
    # scipy.stats takes over half a second to import (2026-11-27: `capsim report base` started 0.5 s
    # sooner without it); only the commands that rank or sample inputs load it, when they do.
    code = "import sys, capsim.cli, capsim.report, capsim.charts; print('scipy.stats' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "False"


def test_public_names_load_on_first_use():
    import capsim

    assert capsim.simulate.__module__ == "capsim.experiment"
    assert capsim.load_scenario.__module__ == "capsim.scenario"
    assert {"simulate", "load_scenario", "Scenario", "bundled_scenario"} <= set(dir(capsim))


def test_compiled_kernel_loads_from_the_disk_cache_in_a_new_process():
    """The first process compiles the kernel (or loads it); a later one only loads it.

    Up to three later processes are tried: another process of the same test run (or an edit of
    kernel.py) may rewrite the cache index between two of them; with the cache broken, every one
    of them would compile."""
    code = ("import capsim; from capsim import kernel; from capsim.engine import simulate_replication; "
            "simulate_replication(capsim.load_scenario(capsim.bundled_scenario('police-unit')), 1, 0); "
            "s = kernel.assign.stats; print(sum(s.cache_hits.values()), sum(s.cache_misses.values()))")
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        hits, misses = map(int, out)
        if misses == 0:
            break
    assert misses == 0 and hits >= 1
