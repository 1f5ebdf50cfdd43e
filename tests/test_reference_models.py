"""Tests for benchmarks/reference_models.py (the M/M/c reference models).

Statistical checks compare each model with the exact Erlang C values for
M/M/c at rho = 0.85, c = 12, mean review time 28.4 s, computed here by a small
helper (capsim.queueing is deliberately not imported).

Tolerance.  The waits of successive items are strongly autocorrelated (at
rho = 0.85 the queue's relaxation time is ~100-150 items), so the naive
i.i.d. standard error sqrt(var(W)/n) would understate the real one by about
an order of magnitude.  Instead each check runs R independent replications
(different seeds, each starting empty and dropping its own ~5 % warm-up);
the R replication means are i.i.d., and their sample SD / sqrt(R) is an
honest standard error (SE) of the grand mean.  We require
|grand mean - Erlang C| <= 4 SE.  For a correct model the studentised
deviation is ~ t with R-1 degrees of freedom, so a false failure has
probability P(|t_9| > 4) ~ 0.003 (R = 10) and P(|t_19| > 4) ~ 0.0008
(R = 20); the seeds are fixed, so the tests are deterministic anyway.  The
residual start-up bias left after the warm-up was measured at ~0.075 s on
25 000-item runs (~1 % of Wq, ~0.2 SE here) and is ~10x smaller on the
250 000-item runs, so it does not eat into the 4 SE margin.  To keep the
check from passing merely because the results are noisy, each test also
asserts that the SE is small (a few % of the target), which from the
measured between-replication SDs (wait_mean: 1.07 s at 25k items, 0.33 s at
250k; p_wait: 0.023 and 0.0072) is comfortably true for a correct model.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from pathlib import Path

import numpy as np
import pytest

# `benchmarks` is a top-level folder of the repository, not part of the
# installed capsim package; make it importable however pytest is launched
# (`python -m pytest` adds the cwd to sys.path, the `pytest` script does not).
_REPO_ROOT = str(Path(__file__).resolve().parents[1])
if _REPO_ROOT not in sys.path:
    sys.path.insert(0, _REPO_ROOT)

from benchmarks.reference_models import (  # noqa: E402
    ReferenceRun,
    _naive_simpy_from_draws,
    _recursion_from_draws,
    ciw_mmc,
    naive_simpy_mmc,
    numba_recursion_mmc,
    warmup_count,
)

C = 12
MEAN_SERVICE = 28.4
RHO = 0.85


def erlang_c(servers: int, rho: float, mean_service: float) -> tuple[float, float]:
    """(P(wait > 0), mean wait in queue) for M/M/c, via the Erlang B recursion.

    B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)) with offered load a = c rho;
    C = B / (1 - rho (1 - B));  Wq = C * mean_service / (c (1 - rho)).
    """
    assert 0 < rho < 1
    a = servers * rho
    b = 1.0
    for k in range(1, servers + 1):
        b = a * b / (k + a * b)
    p_wait = b / (1.0 - rho * (1.0 - b))
    wq = p_wait * mean_service / (servers * (1.0 - rho))
    return p_wait, wq


P_WAIT, WQ = erlang_c(C, RHO, MEAN_SERVICE)


def test_erlang_c_helper():
    # M/M/1: C = rho, Wq = rho / (mu - lambda) = rho * s / (1 - rho)
    p, w = erlang_c(1, 0.5, 2.0)
    assert p == pytest.approx(0.5)
    assert w == pytest.approx(2.0)
    # M/M/2, rho = 0.5 (a = 1): C = 1/3, Wq = C / (2 mu - lambda) = 1/3 * 1/(2-1)
    p, w = erlang_c(2, 0.5, 1.0)
    assert p == pytest.approx(1 / 3)
    assert w == pytest.approx(1 / 3)
    # the workload under test
    assert P_WAIT == pytest.approx(0.49334, abs=1e-4)
    assert WQ == pytest.approx(7.7838, abs=1e-3)


def _check_against_erlang_c(runs: list[ReferenceRun], max_rel_se: float) -> None:
    r = len(runs)
    for attr, target in (("wait_mean", WQ), ("p_wait", P_WAIT)):
        x = np.array([getattr(run, attr) for run in runs])
        mean = x.mean()
        se = x.std(ddof=1) / math.sqrt(r)
        assert se < max_rel_se * target, f"{attr}: SE {se:.4g} too large to be a test"
        assert abs(mean - target) <= 4 * se, (
            f"{attr}: mean {mean:.4f} over {r} replications vs Erlang C "
            f"{target:.4f} (SE {se:.4f}, {abs(mean - target) / se:.1f} SE off)"
        )


def test_numba_recursion_matches_erlang_c():
    # 20 x 250k items: ~0.3 s; SE ~ 0.07 s (~1 %) on Wq, ~0.0016 on P(wait).
    runs = [numba_recursion_mmc(250_000, seed=100 + s) for s in range(20)]
    _check_against_erlang_c(runs, max_rel_se=0.03)


def test_naive_simpy_matches_erlang_c():
    # 10 x 25k items: ~2.5 s; SE ~ 0.35-0.5 s (~4.5-6.5 %) on Wq, ~0.01 on P(wait).
    # Seeds differ from the numba test so this is an independent sample.
    runs = [naive_simpy_mmc(25_000, seed=200 + s) for s in range(10)]
    _check_against_erlang_c(runs, max_rel_se=0.10)


def test_ciw_matches_erlang_c():
    pytest.importorskip("ciw")
    # 8 x 10k items: ~1.5 s on Ciw; SE ~ 0.6 s (~8 %) on Wq.
    runs = [ciw_mmc(10_000, seed=300 + s) for s in range(8)]
    assert all(run is not None and run.items == 10_000 for run in runs)
    _check_against_erlang_c(runs, max_rel_se=0.15)


def test_ciw_returns_none_without_ciw(monkeypatch):
    monkeypatch.setitem(sys.modules, "ciw", None)  # makes `import ciw` fail
    assert ciw_mmc(100) is None


def _draws(n, servers, rho, seed):
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(MEAN_SERVICE / (rho * servers), n)
    services = rng.exponential(MEAN_SERVICE, n)
    return gaps, services


@pytest.mark.parametrize(
    "servers, rho, n",
    [(12, 0.85, 20_000), (1, 0.9, 5_000), (3, 0.98, 5_000), (12, 1.1, 5_000)],
)
def test_simpy_and_recursion_identical_waits(servers, rho, n):
    """Same draws -> bit-identical waits (including an overloaded case)."""
    gaps, services = _draws(n, servers, rho, seed=7)
    w_simpy = _naive_simpy_from_draws(gaps, services, servers)
    w_numba = _recursion_from_draws(gaps, services, servers)
    assert w_simpy.shape == w_numba.shape == (n,)
    np.testing.assert_array_equal(w_simpy, w_numba)
    assert (w_numba >= 0).all()


def test_identical_waits_with_ties():
    """Integer draws force simultaneous arrivals and releases; FIFO still agrees."""
    rng = np.random.default_rng(3)
    n, servers = 5_000, 4
    gaps = rng.integers(0, 3, n).astype(float)  # includes zero gaps
    services = rng.integers(1, 8, n).astype(float)
    w_simpy = _naive_simpy_from_draws(gaps, services, servers)
    w_numba = _recursion_from_draws(gaps, services, servers)
    np.testing.assert_array_equal(w_simpy, w_numba)
    assert (w_numba > 0).any() and (w_numba == 0).any()


def test_recursion_small_hand_example():
    # 2 servers; arrivals at 1, 2, 3, 4 with services 10, 10, 1, 1.
    # Items 0,1 start at once; item 2 waits for the first free server (t=11),
    # item 3 for the next (t=12).
    gaps = np.array([1.0, 1.0, 1.0, 1.0])
    services = np.array([10.0, 10.0, 1.0, 1.0])
    expected = np.array([0.0, 0.0, 8.0, 8.0])
    np.testing.assert_array_equal(_recursion_from_draws(gaps, services, 2), expected)
    np.testing.assert_array_equal(_naive_simpy_from_draws(gaps, services, 2), expected)


def test_same_seed_same_statistics_and_warmup_excluded():
    n, seed = 4_000, 11
    a = naive_simpy_mmc(n, seed=seed)
    b = numba_recursion_mmc(n, seed=seed)
    assert (a.items, b.items) == (n, n)
    assert a.wait_mean == b.wait_mean and a.p_wait == b.p_wait
    # statistics exclude exactly the first n // 20 items
    gaps, services = _draws(n, C, RHO, seed)
    w = _recursion_from_draws(gaps, services, C)
    k = warmup_count(n)
    assert k == 200
    assert b.wait_mean == pytest.approx(w[k:].mean(), rel=1e-12)
    assert b.p_wait == pytest.approx((w[k:] > 0).mean(), rel=1e-12)


def test_reference_run_dataclass():
    run = ReferenceRun("x", items=1_000, seconds=0.5, wait_mean=1.0, p_wait=0.5)
    assert run.items_per_second == pytest.approx(2_000.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.items = 3  # type: ignore[misc]
    r = numba_recursion_mmc(1_000)
    assert r.name == "numba_recursion" and r.seconds > 0 and r.items_per_second > 0


def test_bad_arguments():
    with pytest.raises(ValueError):
        numba_recursion_mmc(0)
    with pytest.raises(ValueError):
        naive_simpy_mmc(10, servers=0)
    with pytest.raises(ValueError):
        _recursion_from_draws(np.ones(3), np.ones(4), 2)
