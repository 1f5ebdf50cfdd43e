"""The engine pinned to queueing theory.

How the tolerances are set: each check runs R independent replications (seeds fixed), takes
one estimate per replication (after a one-day warm-up from an empty system), and compares
the mean of those R estimates with the exact value. Replications are independent, so the
standard error of that mean is their standard deviation / √R — correlation between waits
inside a run is accounted for automatically. A check passes when the gap is within
Z = 4 standard errors: for a correct engine a false failure has probability about 6e-5 per
check (normal approximation; R ≥ 12 makes the t-distribution's tails only slightly
heavier). Each check also requires that standard error to be small next to the exact value
(``POWER``), so a tolerance can never become so loose that a wrong engine would pass:
an error of about 4 × POWER of the value or more is always caught.

Remaining bias from starting empty is far below one standard error: the relaxation times of
these systems are minutes to hours (the slowest, M/D/1 at ρ = 0.9, about six hours),
against a one-day warm-up.
"""

from __future__ import annotations

import numpy as np
import pytest

from capsim import queueing
from tests.conftest import mmc, replicate

Z = 4.0
POWER = 0.03
SERVERS = 12
MEAN = 28.4  # seconds: the IWF study's mean review time


def within_sampling_error(estimates: list[float], exact: float, power: float = POWER) -> None:
    """Assert the mean of independent per-replication estimates matches ``exact`` (see module doc)."""
    values = np.asarray(estimates, dtype=float)
    mean, se = values.mean(), values.std(ddof=1) / np.sqrt(len(values))
    assert se <= power * abs(exact), f"too little data: standard error {se:.4g} against {exact:.4g}"
    assert abs(mean - exact) <= Z * se, f"simulated {mean:.5g} ± {se:.2g} (1 s.e.) against theory {exact:.5g}"


def served_waits(rep) -> np.ndarray:
    """Waits (seconds) of the items that arrived after the warm-up and were assessed."""
    items = rep.items
    keep = items.started & (items.arrival >= rep.warmup)
    return items.wait[keep]


@pytest.mark.parametrize("rho", [0.5, 0.8, 0.95])
def test_mmc_matches_erlang_c(rho):
    reps = replicate(mmc(SERVERS, MEAN, rho, days=8), replications=16, seed=11)
    lam = rho * SERVERS / MEAN
    waits = [served_waits(r) for r in reps]
    within_sampling_error([w.mean() for w in waits], queueing.mmc_wait_mean(lam, MEAN, SERVERS))
    within_sampling_error([(w > 0).mean() for w in waits], queueing.erlang_c(SERVERS, lam * MEAN))
    exact_p90 = queueing.mmc_wait_quantile(lam, MEAN, SERVERS, 0.9)
    if exact_p90 > 0:
        within_sampling_error([np.quantile(w, 0.9) for w in waits], exact_p90)
    else:  # fewer than 10% wait at all: the 90th percentile is exactly zero
        assert all(np.quantile(w, 0.9) == 0 for w in waits)


@pytest.mark.parametrize("rho", [0.8, 0.95, 1.3])
def test_exponential_ttl_matches_erlang_a(rho):
    patience = 60.0  # seconds, mean time-to-live
    raw = mmc(SERVERS, MEAN, rho, days=6, stream={"ttl": {"dist": "exponential", "mean": f"{patience}s"}})
    reps = replicate(raw, replications=16, seed=12)
    lam = rho * SERVERS / MEAN
    exact = queueing.erlang_a(lam, MEAN, SERVERS, patience)
    abandoned = []
    for rep in reps:
        scope = rep.items.arrival >= rep.warmup
        abandoned.append((rep.items.expired_by(rep.horizon) & scope).sum() / scope.sum())
    within_sampling_error(abandoned, exact.p_abandon)
    within_sampling_error([served_waits(r).mean() for r in reps], exact.wait_mean_served)


@pytest.mark.parametrize("rho", [0.5, 0.8, 0.9])
def test_md1_matches_pollaczek_khinchine(rho):
    service = 28.4
    reps = replicate(mmc(1, service, rho, days=12, dist="deterministic"), replications=16, seed=13)
    exact = queueing.md1_wait_mean(rho / service, service)
    within_sampling_error([served_waits(r).mean() for r in reps], exact, power=0.04)


@pytest.mark.parametrize("rho", [0.6, 0.8, 0.92])
def test_two_priorities_match_non_preemptive_formulas(rho):
    lam = rho * SERVERS / MEAN
    shares = (0.3, 0.7)  # urgent, normal
    raw = mmc(SERVERS, MEAN, rho, days=8, priorities=["urgent", "normal"])
    urgent = dict(raw["demand"][0], stream="urgent", priority="urgent", rate=f"{lam * shares[0]!r}/s")
    normal = dict(raw["demand"][0], stream="normal", priority="normal", rate=f"{lam * shares[1]!r}/s")
    raw["demand"] = [urgent, normal]
    reps = replicate(raw, replications=16, seed=14)
    exact = queueing.mmc_priority_wait_means([lam * s for s in shares], MEAN, SERVERS)
    for p, expected in enumerate(exact):
        estimates = []
        for rep in reps:
            items = rep.items
            keep = items.started & (items.arrival >= rep.warmup) & (items.priority == p)
            estimates.append(items.wait[keep].mean())
        within_sampling_error(estimates, expected, power=0.05)


def test_a_wrong_answer_would_be_caught():
    """The check itself has teeth: the M/M/c waits fail against a 10% different value."""
    reps = replicate(mmc(SERVERS, MEAN, 0.8, days=8), replications=16, seed=11)
    exact = queueing.mmc_wait_mean(0.8 * SERVERS / MEAN, MEAN, SERVERS)
    with pytest.raises(AssertionError):
        within_sampling_error([served_waits(r).mean() for r in reps], exact * 1.1)
