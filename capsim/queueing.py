"""Exact steady-state results from queueing theory (no simulation).

These closed forms and exact numerical solutions are used to pin the
discrete-event engine to theory and for quick staffing estimates.

Units
-----
All rates (``arrival_rate``) are "per unit time" and all times
(``mean_service``, ``service_time``, ``mean_patience``, ``within``) are in
"unit time", for *any* consistent unit: if arrivals are per hour, service
times must be in hours and every returned time is in hours.  Offered load
``a = arrival_rate * mean_service`` is dimensionless (Erlangs).

Conventions
-----------
* ``servers`` (c) is the number of parallel identical servers (analysts).
* Waiting time means time in queue before service starts (Wq), not
  including service.
* Arrivals are Poisson; service is exponential unless stated otherwise
  (M/D/1 and M/G/1 helpers).

Numerical notes
---------------
Erlang B uses the stable recursion B(0) = 1,
B(k) = a B(k-1) / (k + a B(k-1)), so no factorials or powers are formed and
the result stays finite for hundreds/thousands of servers and loads of
~1000 Erlangs.  Erlang C is derived from Erlang B.  Erlang A (M/M/c+M) is
solved as a birth-death chain in log space (see :func:`erlang_a`).

Why it is one module (about 550 lines): the closed forms share their numerically stable
building blocks (log-space Erlang B, the birth-death solution), and the theory tests pin the
engine to all of them together.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Sequence

import numpy as np

__all__ = [
    "ErlangAResult",
    "erlang_b",
    "erlang_c",
    "mmc_wait_mean",
    "mmc_wait_quantile",
    "mmc_service_level",
    "erlang_a",
    "md1_wait_mean",
    "mg1_wait_mean",
    "mmc_priority_wait_means",
]


# ---------------------------------------------------------------------------
# validation helpers
# ---------------------------------------------------------------------------


def _check_servers(servers: int) -> int:
    if isinstance(servers, bool) or not isinstance(servers, numbers.Integral):
        raise ValueError(f"servers must be an integer >= 1, got {servers!r}")
    if servers < 1:
        raise ValueError(f"servers must be an integer >= 1, got {servers!r}")
    return int(servers)


def _check_positive(name: str, value: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}") from None
    if not (v > 0.0 and math.isfinite(v)):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return v


def _check_nonnegative(name: str, value: float, allow_inf: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}") from None
    if not (v >= 0.0) or (not allow_inf and math.isinf(v)):
        what = "a number >= 0 (math.inf allowed)" if allow_inf else "a finite number >= 0"
        raise ValueError(f"{name} must be {what}, got {value!r}")
    return v


def _capacity_error(offered_load: float, servers: int, model: str = "M/M/c") -> ValueError:
    return ValueError(
        f"offered load a = {offered_load:g} Erlangs is at or above capacity "
        f"(servers = {servers}); the {model} queue has no steady state for "
        "a >= servers, so no closed form exists there: use the simulation "
        "(or erlang_a, which is stable with abandonment)"
    )


# ---------------------------------------------------------------------------
# Erlang B / Erlang C
# ---------------------------------------------------------------------------


def erlang_b(servers: int, offered_load: float) -> float:
    """Erlang B blocking probability B(c, a) of the M/M/c/c loss system.

    Parameters
    ----------
    servers:
        Number of servers c (integer >= 1).
    offered_load:
        Offered load a = lambda / mu in Erlangs (dimensionless, >= 0; any
        consistent time unit for lambda and mu).

    Returns
    -------
    float
        Probability that an arriving customer finds all c servers busy
        (and is lost), in [0, 1).  Computed with the numerically stable
        recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)).
    """
    c = _check_servers(servers)
    a = _check_nonnegative("offered_load", offered_load)
    b = 1.0
    for k in range(1, c + 1):
        ab = a * b
        b = ab / (k + ab)
    return b


def erlang_c(servers: int, offered_load: float) -> float:
    """Erlang C probability C(c, a) that an arrival has to wait in M/M/c.

    Parameters
    ----------
    servers:
        Number of servers c (integer >= 1).
    offered_load:
        Offered load a = lambda / mu in Erlangs (dimensionless), with
        0 <= a < c.

    Returns
    -------
    float
        P(wait > 0) = P(all servers busy at an arrival instant), in [0, 1).
        Uses C = c B / (c - a (1 - B)) with B = erlang_b(c, a).

    Raises
    ------
    ValueError
        If servers < 1, the load is negative, or a >= c (no steady state:
        the simulation is needed there).
    """
    c = _check_servers(servers)
    a = _check_nonnegative("offered_load", offered_load)
    if a >= c:
        raise _capacity_error(a, c)
    b = erlang_b(c, a)
    return c * b / (c - a * (1.0 - b))


def _mmc_setup(arrival_rate: float, mean_service: float, servers: int) -> tuple[float, float, int, float]:
    """Validate M/M/c inputs; return (lambda, mu, c, a)."""
    lam = _check_positive("arrival_rate", arrival_rate)
    es = _check_positive("mean_service", mean_service)
    c = _check_servers(servers)
    a = lam * es
    if a >= c:
        raise _capacity_error(a, c)
    return lam, 1.0 / es, c, a


def mmc_wait_mean(arrival_rate: float, mean_service: float, servers: int) -> float:
    """Mean waiting time in queue Wq of the M/M/c (FIFO) queue.

    Parameters
    ----------
    arrival_rate:
        Poisson arrival rate lambda (per unit time, > 0).
    mean_service:
        Mean of the exponential service time 1/mu (unit time, > 0).
    servers:
        Number of servers c (>= 1).  Requires lambda * mean_service < c.

    Returns
    -------
    float
        Wq = C(c, a) / (c mu - lambda), in the same time unit, averaged over
        all arrivals (including those who do not wait).
    """
    lam, mu, c, a = _mmc_setup(arrival_rate, mean_service, servers)
    return erlang_c(c, a) / (c * mu - lam)


def mmc_wait_quantile(arrival_rate: float, mean_service: float, servers: int, q: float) -> float:
    """q-quantile of the waiting time in queue of the M/M/c (FIFO) queue.

    The waiting-time distribution is P(W > t) = C exp(-(c mu - lambda) t),
    t >= 0, with an atom 1 - C at zero.  The q-quantile is the smallest t
    with P(W <= t) >= q:

    * 0 if C <= 1 - q (enough arrivals do not wait at all);
    * ln(C / (1 - q)) / (c mu - lambda) otherwise.

    Parameters
    ----------
    arrival_rate:
        Poisson arrival rate lambda (per unit time, > 0).
    mean_service:
        Mean exponential service time 1/mu (unit time, > 0).
    servers:
        Number of servers c (>= 1); requires lambda * mean_service < c.
    q:
        Quantile level, 0 < q < 1 (e.g. 0.9 for the 90th percentile).

    Returns
    -------
    float
        The quantile, in the same time unit.
    """
    lam, mu, c, a = _mmc_setup(arrival_rate, mean_service, servers)
    try:
        qq = float(q)
    except (TypeError, ValueError):
        raise ValueError(f"q must be a number with 0 < q < 1, got {q!r}") from None
    if not (0.0 < qq < 1.0):
        raise ValueError(f"q must be a number with 0 < q < 1, got {q!r}")
    cc = erlang_c(c, a)
    tail = 1.0 - qq
    if cc <= tail:
        return 0.0
    return math.log(cc / tail) / (c * mu - lam)


def mmc_service_level(arrival_rate: float, mean_service: float, servers: int, within: float) -> float:
    """Service level P(W <= within) of the M/M/c (FIFO) queue.

    Parameters
    ----------
    arrival_rate:
        Poisson arrival rate lambda (per unit time, > 0).
    mean_service:
        Mean exponential service time 1/mu (unit time, > 0).
    servers:
        Number of servers c (>= 1); requires lambda * mean_service < c.
    within:
        Target waiting time (unit time, >= 0; ``math.inf`` gives 1).

    Returns
    -------
    float
        1 - C(c, a) exp(-(c mu - lambda) within), the fraction of arrivals
        whose wait in queue is at most ``within``.
    """
    lam, mu, c, a = _mmc_setup(arrival_rate, mean_service, servers)
    t = _check_nonnegative("within", within, allow_inf=True)
    return 1.0 - erlang_c(c, a) * math.exp(-(c * mu - lam) * t)


# ---------------------------------------------------------------------------
# Erlang A: M/M/c + M
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ErlangAResult:
    """Steady-state measures of the M/M/c+M (Erlang A) queue.

    Attributes
    ----------
    p_wait:
        Probability an arrival finds all servers busy (has to queue).
    p_abandon:
        Probability an arrival abandons before service starts.
    wait_mean_all:
        Mean time in queue over all arrivals, including those who wait 0
        and those who abandon (their time until abandoning), unit time.
    wait_mean_served:
        Mean time in queue of the arrivals that are eventually served
        (including those served at once with wait 0), unit time.
    queue_mean:
        Mean number waiting in queue (not in service), Lq.
    """

    p_wait: float
    p_abandon: float
    wait_mean_all: float
    wait_mean_served: float
    queue_mean: float


_ERLANG_A_MAX_STATES = 50_000_000
_TAIL_TOL = 1e-16


def _erlang_a_distribution(lam: float, mu: float, c: int, theta: float) -> np.ndarray:
    """Stationary distribution pi_0..pi_N of the M/M/c+M birth-death chain.

    Birth rate lambda in every state; death rate d_n = min(n, c) mu +
    max(n - c, 0) theta.  Log-terms log(pi_n / pi_0) are cumulative sums of
    log(lambda / d_n), built in growing chunks.  Because d_n is
    non-decreasing, the ratios r_n = lambda / d_{n+1} are non-increasing,
    so once r_n < 1 the tail beyond n is at most pi_n r_n / (1 - r_n); we
    stop at the first n (>= c) where that bound is below 1e-16 times the
    mass accumulated so far.
    """
    log_lam = math.log(lam)
    log_terms: list[np.ndarray] = [np.zeros(1)]
    last = 0.0
    log_sum = 0.0  # log of sum of terms so far
    start = 1  # next state index
    chunk = max(1024, 2 * c)
    while True:
        n = np.arange(start, start + chunk, dtype=np.float64)
        death = np.minimum(n, c) * mu + np.maximum(n - c, 0.0) * theta
        lt = last + np.cumsum(log_lam - np.log(death))
        # running log-sum of all terms up to each index
        run = np.logaddexp.accumulate(np.concatenate(([log_sum], lt)))[1:]
        # ratio to the next state, r_n = lambda / d_{n+1}
        n_next = n + 1.0
        death_next = np.minimum(n_next, c) * mu + np.maximum(n_next - c, 0.0) * theta
        r = lam / death_next
        with np.errstate(divide="ignore", invalid="ignore"):
            log_bound = lt + np.log(r) - np.log1p(-r)
        ok = (n >= c) & (r < 1.0) & (log_bound < math.log(_TAIL_TOL) + run)
        hit = np.flatnonzero(ok)
        if hit.size:
            log_terms.append(lt[: hit[0] + 1])
            break
        log_terms.append(lt)
        last = float(lt[-1])
        log_sum = float(run[-1])
        start += chunk
        if start > _ERLANG_A_MAX_STATES:
            raise ValueError(
                "erlang_a: the queue-length distribution needs more than "
                f"{_ERLANG_A_MAX_STATES} states (patience far too long for "
                "this overload); use the simulation"
            )
        chunk *= 2
    logs = np.concatenate(log_terms)
    w = np.exp(logs - logs.max())
    return w / w.sum()


def erlang_a(arrival_rate: float, mean_service: float, servers: int, mean_patience: float) -> ErlangAResult:
    """Exact steady state of the M/M/c+M (Erlang A) queue with abandonment.

    Poisson arrivals at rate lambda, exponential service with mean 1/mu,
    c servers, FIFO, and each waiting customer abandons after an
    exponential patience with mean 1/theta (if not yet in service).
    With theta > 0 the queue is stable for any load, including
    lambda >= c mu.

    Method
    ------
    The number in system is a birth-death chain with rate lambda up and
    min(n, c) mu + max(n - c, 0) theta down; it is solved in log space and
    truncated where the tail mass is below ~1e-16.  By PASTA an arrival
    sees state n with probability pi_n.  Then

    * p_wait = sum_{n >= c} pi_n;
    * queue_mean Lq = sum_{n > c} (n - c) pi_n;
    * p_abandon = theta Lq / lambda (abandonment flow / arrival flow);
    * wait_mean_all = Lq / lambda (Little's law on the queue).

    wait_mean_served (conditioning on the arrival state): an arrival
    finding n = c - 1 + j (j >= 1) in system is j-th in queue.  With k
    customers ahead it advances at rate r_k = c mu + k theta (a service
    completion or an abandonment ahead), so its offered wait V is a sum of
    independent Exp(r_k), k = 0..j-1, and it is served iff V < tau, where
    tau ~ Exp(theta) is its own patience.  Hence
    P(served | j) = E[exp(-theta V)] = prod r_k / (r_k + theta)
    = c mu / (c mu + j theta) (telescoping), and
    E[V 1{served} | j] = -d/ds E[exp(-s V)] at s = theta
    = P(served | j) * sum_{i=1..j} 1 / (c mu + i theta).
    wait_mean_served = sum_j pi_{c-1+j} E[V 1{served} | j] / P(served),
    where P(served) = 1 - p_abandon.

    Parameters
    ----------
    arrival_rate:
        Poisson arrival rate lambda (per unit time, > 0).
    mean_service:
        Mean exponential service time 1/mu (unit time, > 0).
    servers:
        Number of servers c (>= 1).
    mean_patience:
        Mean exponential patience 1/theta (unit time, > 0).  ``math.inf``
        means no abandonment (plain M/M/c, which then needs
        lambda * mean_service < c).

    Returns
    -------
    ErlangAResult
        Times in the same unit as the inputs.
    """
    lam = _check_positive("arrival_rate", arrival_rate)
    es = _check_positive("mean_service", mean_service)
    c = _check_servers(servers)
    try:
        pat = float(mean_patience)
    except (TypeError, ValueError):
        raise ValueError(f"mean_patience must be a number > 0 (math.inf allowed), got {mean_patience!r}") from None
    if not (pat > 0.0):
        raise ValueError(f"mean_patience must be a number > 0 (math.inf allowed), got {mean_patience!r}")
    mu = 1.0 / es
    theta = 0.0 if math.isinf(pat) else 1.0 / pat
    if theta == 0.0 and lam * es >= c:
        raise _capacity_error(lam * es, c)

    pi = _erlang_a_distribution(lam, mu, c, theta)
    n_states = pi.size
    p_wait = float(pi[c:].sum()) if n_states > c else 0.0
    # states n >= c: j = n - c + 1 (position in queue of an arrival)
    pi_q = pi[c:]  # pi_{c-1+j} for j = 1..len
    j = np.arange(1, pi_q.size + 1, dtype=np.float64)
    queue_mean = float(np.dot(j - 1.0, pi_q))
    wait_mean_all = queue_mean / lam
    cmu = c * mu
    p_served_j = cmu / (cmu + j * theta)
    harm = np.cumsum(1.0 / (cmu + j * theta))
    served_wait_mass = float(np.dot(pi_q, p_served_j * harm))
    p_served_arrival = float(pi[:c].sum()) + float(np.dot(pi_q, p_served_j))
    p_abandon = theta * queue_mean / lam
    # p_served_arrival equals 1 - p_abandon analytically; use the direct sum
    # (better relative accuracy when almost everybody abandons)
    wait_mean_served = served_wait_mass / p_served_arrival if p_served_arrival > 0 else 0.0
    return ErlangAResult(
        p_wait=min(max(p_wait, 0.0), 1.0),
        p_abandon=min(max(p_abandon, 0.0), 1.0),
        wait_mean_all=wait_mean_all,
        wait_mean_served=wait_mean_served,
        queue_mean=queue_mean,
    )


# ---------------------------------------------------------------------------
# single-server Pollaczek-Khinchine
# ---------------------------------------------------------------------------


def mg1_wait_mean(arrival_rate: float, mean_service: float, service_cv: float) -> float:
    """Mean wait in queue of the M/G/1 queue (Pollaczek-Khinchine).

    Wq = lambda E[S^2] / (2 (1 - rho)), with E[S^2] = m^2 (1 + cv^2),
    rho = lambda m.

    Parameters
    ----------
    arrival_rate:
        Poisson arrival rate lambda (per unit time, > 0).
    mean_service:
        Mean service time m (unit time, > 0).
    service_cv:
        Coefficient of variation of the service time (std / mean, >= 0;
        0 = deterministic, 1 = exponential).

    Returns
    -------
    float
        Wq in the same time unit.  Requires rho = lambda m < 1.
    """
    lam = _check_positive("arrival_rate", arrival_rate)
    m = _check_positive("mean_service", mean_service)
    cv = _check_nonnegative("service_cv", service_cv)
    rho = lam * m
    if rho >= 1.0:
        raise _capacity_error(rho, 1, "M/G/1")
    es2 = m * m * (1.0 + cv * cv)
    return lam * es2 / (2.0 * (1.0 - rho))


def md1_wait_mean(arrival_rate: float, service_time: float) -> float:
    """Mean wait in queue of the M/D/1 queue (Pollaczek-Khinchine, cv = 0).

    Wq = rho D / (2 (1 - rho)) with rho = lambda D.

    Parameters
    ----------
    arrival_rate:
        Poisson arrival rate lambda (per unit time, > 0).
    service_time:
        Constant service time D (unit time, > 0).  Requires lambda D < 1.

    Returns
    -------
    float
        Wq in the same time unit.
    """
    return mg1_wait_mean(arrival_rate, service_time, 0.0)


# ---------------------------------------------------------------------------
# non-preemptive priority M/M/c
# ---------------------------------------------------------------------------


def mmc_priority_wait_means(arrival_rates: Sequence[float], mean_service: float, servers: int) -> list[float]:
    """Mean waits in queue per class, non-preemptive priority M/M/c.

    All classes share the same exponential service (mean 1/mu); class 0
    has the highest priority; FIFO within a class.  With
    sigma_k = sum_{i <= k} lambda_i / (c mu) (sigma_{-1} = 0) and
    W0 = C(c, a) / (c mu), a = sum lambda_i / mu:

        Wq_k = W0 / ((1 - sigma_{k-1}) (1 - sigma_k)).

    The lambda-weighted average of the Wq_k equals the FIFO M/M/c Wq
    (conservation law).

    Parameters
    ----------
    arrival_rates:
        Poisson arrival rate of each class (per unit time), highest
        priority first; each >= 0 and the total > 0.
    mean_service:
        Mean exponential service time 1/mu (unit time, > 0).
    servers:
        Number of servers c (>= 1).  Requires total load a < c.

    Returns
    -------
    list[float]
        Mean wait in queue of each class, same time unit, same order.
    """
    try:
        rates = [float(x) for x in arrival_rates]
    except (TypeError, ValueError):
        raise ValueError("arrival_rates must be a sequence of finite numbers >= 0") from None
    if not rates:
        raise ValueError("arrival_rates must contain at least one class")
    for i, r in enumerate(rates):
        if not (r >= 0.0 and math.isfinite(r)):
            raise ValueError(f"arrival_rates[{i}] must be a finite number >= 0, got {r!r}")
    total = sum(rates)
    if not total > 0.0:
        raise ValueError("arrival_rates must have a positive total (at least one class with rate > 0)")
    lam, mu, c, a = _mmc_setup(total, mean_service, servers)
    cmu = c * mu
    w0 = erlang_c(c, a) / cmu
    out: list[float] = []
    sigma_prev = 0.0
    cum = 0.0
    for r in rates:
        cum += r
        sigma = min(cum / cmu, a / c)  # guard against rounding above the total
        out.append(w0 / ((1.0 - sigma_prev) * (1.0 - sigma)))
        sigma_prev = sigma
    return out
