"""Tests for capsim.queueing: pinned to published values, exact closed forms
and identities.  Every literal reference number below is either quoted from
the cited source (to the digits the source gives) or an exact closed form.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.special import gammainc, gammaln
from scipy.stats import poisson

from capsim.queueing import (
    ErlangAResult,
    erlang_a,
    erlang_b,
    erlang_c,
    md1_wait_mean,
    mg1_wait_mean,
    mmc_priority_wait_means,
    mmc_service_level,
    mmc_wait_mean,
    mmc_wait_quantile,
)


# ---------------------------------------------------------------------------
# independent reference implementations (exact / different method)
# ---------------------------------------------------------------------------


def erlang_b_exact(c: int, a: Fraction) -> Fraction:
    """Erlang's loss formula evaluated exactly in rational arithmetic."""
    terms = [Fraction(1)]
    for k in range(1, c + 1):
        terms.append(terms[-1] * a / k)
    return terms[-1] / sum(terms)


def erlang_c_exact(c: int, a: Fraction) -> Fraction:
    """Erlang's delay formula, exact: (a^c/c! * c/(c-a)) / (sum_{k<c} a^k/k! + that)."""
    terms = [Fraction(1)]
    for k in range(1, c + 1):
        terms.append(terms[-1] * a / k)
    top = terms[c] * c / (c - a)
    return top / (sum(terms[:c]) + top)


def birth_death_pi_dense(lam: float, mu: float, c: int, theta: float, n_max: int) -> np.ndarray:
    """Stationary law of the truncated M/M/c+M chain by a dense linear solve of
    pi Q = 0, sum pi = 1 (a different method from the module's log-space products)."""
    n = n_max + 1
    q = np.zeros((n, n))
    for i in range(n):
        if i + 1 < n:
            q[i, i + 1] = lam
        if i > 0:
            q[i, i - 1] = min(i, c) * mu + max(i - c, 0) * theta
        q[i, i] = -q[i].sum()
    a_mat = q.T.copy()
    a_mat[-1, :] = 1.0  # replace one (redundant) balance equation by sum(pi) = 1
    rhs = np.zeros(n)
    rhs[-1] = 1.0
    return np.linalg.solve(a_mat, rhs)


# ---------------------------------------------------------------------------
# Erlang B
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "c, a",
    [(1, Fraction(1)), (4, Fraction(2)), (5, Fraction(3)), (10, Fraction(5)), (15, Fraction(8)), (30, Fraction(25)),
     (48, Fraction(55, 2))],
)
def test_erlang_b_matches_exact_rational_formula(c, a):
    # B(c, a) = (a^c/c!) / sum_{k=0}^{c} a^k/k!  (Erlang 1917), evaluated exactly.
    assert erlang_b(c, float(a)) == pytest.approx(float(erlang_b_exact(c, a)), rel=1e-13)


def test_erlang_b_small_closed_forms():
    # c = 1: B = a/(1+a); B(1, 1) = 1/2.  B(4, 2) = (2/3)/(7) = 2/21 exactly.
    assert erlang_b(1, 1.0) == pytest.approx(0.5, rel=1e-15)
    assert erlang_b(1, 3.0) == pytest.approx(0.75, rel=1e-15)
    assert erlang_b(4, 2.0) == pytest.approx(2 / 21, rel=1e-14)
    # B(10, 5) = 0.01838457...; here checked against the exact rational value.
    assert erlang_b(10, 5.0) == pytest.approx(float(erlang_b_exact(10, Fraction(5))), rel=1e-13)
    assert round(erlang_b(10, 5.0), 5) == 0.01838


def test_erlang_b_published_trunk_tables():
    # Westbay Engineers, Erlang Calculator manual, "How much traffic can a trunk
    # group handle?" (erlang.com/calculatormanual): 15 lines at 1% blocking can be
    # offered at most 8.108 Erlangs (given to 3 decimals).
    a_star = brentq(lambda a: erlang_b(15, a) - 0.01, 1.0, 15.0, xtol=1e-12)
    assert round(a_star, 3) == 8.108
    assert erlang_b(15, 8.1075) < 0.01 < erlang_b(15, 8.1085)

    # T. Howard, "Erlang B Table in Excel", erlang.com forum, 10 July 2020:
    # 13.5 Erlangs needs 22 circuits at 1% blocking, but only 16 at 10%.
    assert erlang_b(22, 13.5) <= 0.01 < erlang_b(21, 13.5)
    assert erlang_b(16, 13.5) <= 0.10 < erlang_b(15, 13.5)


def test_erlang_b_edge_and_large():
    assert erlang_b(5, 0.0) == 0.0
    # large systems: stable recursion, no overflow, value in (0, 1)
    for c, a in [(500, 480.0), (1000, 1000.0), (2000, 1000.0), (300, 1000.0)]:
        b = erlang_b(c, a)
        assert math.isfinite(b) and 0.0 < b < 1.0
    # more servers never increase blocking
    bs = [erlang_b(c, 480.0) for c in range(400, 560, 10)]
    assert all(x > y for x, y in zip(bs, bs[1:]))
    # numpy integers are accepted
    assert erlang_b(np.int64(10), 5.0) == erlang_b(10, 5.0)


# ---------------------------------------------------------------------------
# Erlang C / M/M/c
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("c, a", [(2, Fraction(1)), (3, Fraction(2)), (10, Fraction(8)), (55, Fraction(48)),
                                  (30, Fraction(20))])
def test_erlang_c_matches_exact_rational_formula(c, a):
    assert erlang_c(c, float(a)) == pytest.approx(float(erlang_c_exact(c, a)), rel=1e-12)


def test_mm1_closed_forms():
    # c = 1: C = rho, Wq = rho / (mu - lambda), P(W > t) = rho exp(-(mu - lambda) t).
    lam, es = 0.75, 1.0
    mu, rho = 1.0 / es, lam * es
    assert erlang_c(1, rho) == pytest.approx(rho, rel=1e-14)
    assert mmc_wait_mean(lam, es, 1) == pytest.approx(rho / (mu - lam), rel=1e-14)
    t = 2.5
    assert mmc_service_level(lam, es, 1, t) == pytest.approx(1 - rho * math.exp(-(mu - lam) * t), rel=1e-14)
    q = 0.9
    assert mmc_wait_quantile(lam, es, 1, q) == pytest.approx(math.log(rho / (1 - q)) / (mu - lam), rel=1e-14)


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.9, 0.99])
def test_mm2_closed_form(rho):
    # M/M/2: C = 2 rho^2 / (1 + rho), rho = lambda / (2 mu).
    assert erlang_c(2, 2 * rho) == pytest.approx(2 * rho**2 / (1 + rho), rel=1e-13)
    mu = 1.0
    lam = 2 * rho * mu
    assert mmc_wait_mean(lam, 1 / mu, 2) == pytest.approx(rho**2 / (mu * (1 - rho**2)), rel=1e-13)


def test_erlang_c_published_call_centre_example():
    # The classic worked example "360 calls per half hour, 4 min (240 s) average
    # call, 55 agents, 15 s target" (Westbay Engineers / erlang.com "The Erlang-C
    # formula" page).  Values as stated there and reproduced in the Maxima
    # worked example "Expressing well-known formulas for service waiting time":
    # E_C = 0.2387, T_w = 8.184 s/call, P(W <= 15 s) = 0.8459.
    lam = 0.2  # calls per second (= 360 per 1800 s)
    es = 240.0  # seconds
    assert round(erlang_c(55, lam * es), 4) == 0.2387
    assert round(mmc_wait_mean(lam, es, 55), 3) == 8.184
    assert round(mmc_service_level(lam, es, 55, 15.0), 4) == 0.8459
    # same example in minutes (units only need to be consistent)
    assert mmc_wait_mean(12.0, 4.0, 55) * 60 == pytest.approx(mmc_wait_mean(lam, es, 55), rel=1e-12)


def test_erlang_c_published_calculator_example():
    # "Erlang C calculator", personal.telefonica.terra.es/web/vr/erlang/eng/mcerlc.htm:
    # 600 calls/h of 120 s = 20 Erlangs; for a 15% delay probability 26 circuits
    # are needed; average delay about 3 s per call; with 30 circuits delay is
    # 2.5%; 30 circuits at 15% delay can carry 23.6 Erlangs.
    a = 20.0
    assert erlang_c(26, a) <= 0.15 < erlang_c(25, a)
    assert round(mmc_wait_mean(600 / 3600, 120.0, 26)) == 3
    assert round(erlang_c(30, a), 3) == 0.025
    a_star = brentq(lambda x: erlang_c(30, x) - 0.15, 1.0, 29.999, xtol=1e-12)
    assert round(a_star, 1) == 23.6


def test_wait_quantile_and_service_level_consistency():
    lam, es, c = 9.0, 1.0, 10
    cc = erlang_c(c, lam * es)
    for q in (0.5, 0.8, 0.9, 0.95, 0.99):
        t = mmc_wait_quantile(lam, es, c, q)
        if cc <= 1 - q:
            assert t == 0.0
            assert mmc_service_level(lam, es, c, 0.0) >= q
        else:
            assert t > 0
            assert mmc_service_level(lam, es, c, t) == pytest.approx(q, rel=1e-12)
    # quantile is zero when enough arrivals never wait
    assert 1 - erlang_c(20, 5.0) > 0.99
    assert mmc_wait_quantile(5.0, 1.0, 20, 0.99) == 0.0
    assert mmc_service_level(lam, es, c, 0.0) == pytest.approx(1 - cc, rel=1e-14)
    assert mmc_service_level(lam, es, c, math.inf) == 1.0


def test_mmc_mean_is_integral_of_tail():
    # Wq = integral of P(W > t) dt = C / (c mu - lambda)
    lam, es, c = 42.0, 0.5, 25
    cc = erlang_c(c, lam * es)
    assert mmc_wait_mean(lam, es, c) == pytest.approx(cc / (c / es - lam), rel=1e-14)


def test_large_load_finite():
    c, a = 500, 480.0
    cc = erlang_c(c, a)
    assert math.isfinite(cc) and 0.0 < cc < 1.0
    assert cc == pytest.approx(erlang_c(c, a), rel=0)  # deterministic
    wq = mmc_wait_mean(a, 1.0, c)
    assert math.isfinite(wq) and wq > 0
    assert 0 < mmc_service_level(a, 1.0, c, 0.05) < 1
    assert mmc_wait_quantile(a, 1.0, c, 0.99) > 0
    # near-critical, very large
    cc2 = erlang_c(1000, 999.0)
    assert math.isfinite(cc2) and 0.9 < cc2 < 1.0


# ---------------------------------------------------------------------------
# Erlang A (M/M/c+M)
# ---------------------------------------------------------------------------


def _mz_A(x: float, y: float) -> float:
    """A(x, y) = x e^y y^{-x} gamma(x, y) (lower incomplete gamma)."""
    return x * math.exp(y - x * math.log(y) + gammaln(x)) * gammainc(x, y)


@pytest.mark.parametrize(
    "lam, es, c, pat",
    [(4.0, 1.0, 3, 0.5), (12.0, 1.0, 10, 1.0), (1.0, 1.0, 1, 3.0), (48.0, 1.0, 50, 2.0), (0.5, 2.0, 2, 0.25)],
)
def test_erlang_a_matches_mandelbaum_zeltyn(lam, es, c, pat):
    # Mandelbaum & Zeltyn, "The Palm/Erlang-A queue, with applications to call
    # centers" (2007); Garnett, Mandelbaum & Reiman, MSOM 4(3), 2002:
    # with E = ErlangB(n, lambda/mu), A = A(n mu/theta, lambda/theta), rho = lambda/(n mu):
    #   P(W > 0) = A E / (1 + (A - 1) E),  P(Ab | W > 0) = 1/(rho A) + 1 - 1/rho.
    mu, theta = 1 / es, 1 / pat
    e1 = erlang_b(c, lam / mu)
    aa = _mz_A(c * mu / theta, lam / theta)
    rho = lam / (c * mu)
    p_wait = aa * e1 / (1 + (aa - 1) * e1)
    p_ab = (1 / (rho * aa) + 1 - 1 / rho) * p_wait
    r = erlang_a(lam, es, c, pat)
    assert isinstance(r, ErlangAResult)
    assert r.p_wait == pytest.approx(p_wait, rel=1e-10)
    assert r.p_abandon == pytest.approx(p_ab, rel=1e-10)
    # P(Ab) = theta E[W] (each waiting customer abandons at rate theta)
    assert r.p_abandon == pytest.approx(theta * r.wait_mean_all, rel=1e-12)
    # Little on the queue
    assert r.queue_mean == pytest.approx(lam * r.wait_mean_all, rel=1e-12)


@pytest.mark.parametrize("lam, es, c, pat", [(4.0, 1.0, 3, 0.5), (3.0, 1.0, 3, 2.0), (7.0, 0.5, 4, 1.5)])
def test_erlang_a_against_dense_solve_and_first_step_analysis(lam, es, c, pat):
    mu, theta = 1 / es, 1 / pat
    pi = birth_death_pi_dense(lam, mu, c, theta, n_max=c + 120)
    r = erlang_a(lam, es, c, pat)
    assert r.p_wait == pytest.approx(pi[c:].sum(), rel=1e-9)
    lq = sum((n - c) * pi[n] for n in range(c + 1, pi.size))
    assert r.queue_mean == pytest.approx(lq, rel=1e-9)
    # Tagged arrival seeing n = c - 1 + j: first-step analysis over k = customers ahead.
    # p_k = P(served | k ahead), m_k = E[W 1{served} | k ahead], r_k = c mu + k theta.
    # From k ahead: the next event is "advance" (rate r_k) or "own abandonment"
    # (rate theta), after an Exp(r_k + theta) holding time, so
    #   p_k = r_k/(r_k+theta) p_{k-1},   m_k = p_k/(r_k+theta) + r_k/(r_k+theta) m_{k-1},
    # with p_{-1} = 1, m_{-1} = 0 (at a server).  Arrivals finding n < c are served at once.
    p_served = pi[:c].sum()
    served_wait_mass = 0.0
    min_v_tau = 0.0  # E[min(V, tau)] from the same recursion: time in queue of everybody
    p_prev, m_prev, t_prev = 1.0, 0.0, 0.0
    for k in range(pi.size - c):
        rk = c * mu + k * theta
        p_k = rk / (rk + theta) * p_prev
        m_k = p_k / (rk + theta) + rk / (rk + theta) * m_prev
        t_k = 1 / (rk + theta) + rk / (rk + theta) * t_prev
        w = pi[c + k]
        p_served += w * p_k
        served_wait_mass += w * m_k
        min_v_tau += w * t_k
        p_prev, m_prev, t_prev = p_k, m_k, t_k
    assert p_served == pytest.approx(1 - r.p_abandon, rel=1e-9)
    assert r.wait_mean_served == pytest.approx(served_wait_mass / p_served, rel=1e-9)
    # the tagged-customer view agrees with Little's law: E[time in queue] = Lq / lambda
    assert min_v_tau == pytest.approx(r.wait_mean_all, rel=1e-9)
    assert 0 < r.wait_mean_served


def test_erlang_a_theta_equals_mu_is_poisson():
    # theta = mu: the number in system is M/M/infinity, i.e. Poisson(a).
    for lam, c in [(8.0, 10), (480.0, 500), (12.0, 10)]:
        r = erlang_a(lam, 1.0, c, 1.0)
        assert r.p_wait == pytest.approx(poisson.sf(c - 1, lam), rel=1e-9)
        n = np.arange(c + 1, c + 2000)
        lq = float(np.sum((n - c) * poisson.pmf(n, lam)))
        assert r.queue_mean == pytest.approx(lq, rel=1e-8)


def test_erlang_a_small_theta_tends_to_erlang_c():
    lam, es, c = 8.0, 1.0, 10
    r = erlang_a(lam, es, c, 1e9)
    assert r.p_wait == pytest.approx(erlang_c(c, lam * es), rel=1e-6)
    assert r.wait_mean_all == pytest.approx(mmc_wait_mean(lam, es, c), rel=1e-6)
    assert r.wait_mean_served == pytest.approx(mmc_wait_mean(lam, es, c), rel=1e-6)
    assert r.p_abandon < 1e-8
    # infinite patience is exactly M/M/c
    r_inf = erlang_a(lam, es, c, math.inf)
    assert r_inf.p_wait == pytest.approx(erlang_c(c, lam * es), rel=1e-12)
    assert r_inf.wait_mean_served == pytest.approx(mmc_wait_mean(lam, es, c), rel=1e-12)
    assert r_inf.p_abandon == 0.0


def test_erlang_a_overload_and_large():
    # stable for lambda >= c mu when theta > 0
    r = erlang_a(1000.0, 1.0, 500, 1.0)
    # theta = mu -> Poisson(1000); E[(N - 500)+] ~ 500, so P(Ab) = Lq / lambda ~ 1/2
    assert r.p_wait == pytest.approx(1.0, abs=1e-12)
    assert r.p_abandon == pytest.approx(0.5, rel=1e-9)
    # fluid limit: served rate = c mu, so P(Ab) -> 1 - c mu / lambda
    r2 = erlang_a(600.0, 1.0, 500, 10.0)
    assert r2.p_abandon == pytest.approx(1 - 500 / 600, abs=0.01)
    for res in (r, r2, erlang_a(480.0, 1.0, 500, 2.0)):
        for v in (res.p_wait, res.p_abandon):
            assert 0.0 <= v <= 1.0
        assert all(math.isfinite(x) and x >= 0 for x in (res.wait_mean_all, res.wait_mean_served, res.queue_mean))
    assert r2.wait_mean_served > 0


# ---------------------------------------------------------------------------
# Pollaczek-Khinchine
# ---------------------------------------------------------------------------


def test_pk_cv1_equals_mm1_and_md1_is_half():
    lam, es = 0.8, 1.0
    assert mg1_wait_mean(lam, es, 1.0) == pytest.approx(mmc_wait_mean(lam, es, 1), rel=1e-14)
    # M/D/1: Wq = rho D / (2 (1 - rho)), exactly half the M/M/1 value
    assert md1_wait_mean(lam, es) == pytest.approx(0.5 * mmc_wait_mean(lam, es, 1), rel=1e-14)
    assert md1_wait_mean(0.5, 1.0) == pytest.approx(0.5, rel=1e-14)  # 0.5 * 1 / (2 * 0.5)
    # general PK: lambda E[S^2] / (2 (1 - rho)), E[S^2] = m^2 (1 + cv^2)
    assert mg1_wait_mean(0.25, 2.0, 2.0) == pytest.approx(0.25 * 4.0 * 5.0 / (2 * 0.5), rel=1e-14)


# ---------------------------------------------------------------------------
# non-preemptive priority M/M/c
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("rates, es, c", [([1.0, 2.0, 3.0], 1.0, 8), ([0.3, 0.3], 1.0, 1), ([5.0, 0.0, 40.0], 0.1, 5),
                                          ([100.0, 200.0, 150.0, 30.0], 1.0, 500)])
def test_priority_conservation_law(rates, es, c):
    waits = mmc_priority_wait_means(rates, es, c)
    total = sum(rates)
    avg = sum(r * w for r, w in zip(rates, waits)) / total
    assert avg == pytest.approx(mmc_wait_mean(total, es, c), rel=1e-12)
    assert all(w1 <= w2 for w1, w2 in zip(waits, waits[1:]))  # higher priority waits less


def test_priority_single_class_is_fifo_and_cobham_m_g_1():
    assert mmc_priority_wait_means([7.0], 1.0, 10)[0] == pytest.approx(mmc_wait_mean(7.0, 1.0, 10), rel=1e-14)
    # c = 1: Cobham's formula Wq_k = W0 / ((1 - s_{k-1})(1 - s_k)),
    # W0 = sum_i lambda_i E[S^2] / 2 with exponential E[S^2] = 2 / mu^2.
    rates, mu = [0.2, 0.3, 0.1], 2.0
    w0 = sum(rates) * (2 / mu**2) / 2
    s = np.cumsum([r / mu for r in rates])
    expected = [w0 / ((1 - (s[k - 1] if k else 0.0)) * (1 - s[k])) for k in range(3)]
    got = mmc_priority_wait_means(rates, 1 / mu, 1)
    assert got == pytest.approx(expected, rel=1e-13)


# ---------------------------------------------------------------------------
# input validation
# ---------------------------------------------------------------------------

BAD_SERVERS = [0, -1, 2.5, True, "3", None]
BAD_POSITIVE = [0.0, -1.0, math.nan, math.inf, "x", None]


@pytest.mark.parametrize("servers", BAD_SERVERS)
def test_bad_servers(servers):
    with pytest.raises(ValueError, match="servers"):
        erlang_b(servers, 1.0)
    with pytest.raises(ValueError, match="servers"):
        erlang_c(servers, 0.5)
    with pytest.raises(ValueError, match="servers"):
        mmc_wait_mean(0.5, 1.0, servers)
    with pytest.raises(ValueError, match="servers"):
        mmc_wait_quantile(0.5, 1.0, servers, 0.9)
    with pytest.raises(ValueError, match="servers"):
        mmc_service_level(0.5, 1.0, servers, 1.0)
    with pytest.raises(ValueError, match="servers"):
        erlang_a(0.5, 1.0, servers, 1.0)
    with pytest.raises(ValueError, match="servers"):
        mmc_priority_wait_means([0.5], 1.0, servers)


@pytest.mark.parametrize("load", [-0.1, math.nan, math.inf, "x"])
def test_bad_offered_load(load):
    with pytest.raises(ValueError, match="offered_load"):
        erlang_b(3, load)
    with pytest.raises(ValueError, match="offered_load"):
        erlang_c(3, load)


@pytest.mark.parametrize("load", [3.0, 3.5, 100.0])
def test_erlang_c_at_or_above_capacity(load):
    with pytest.raises(ValueError, match=r"at or above capacity.*simulation"):
        erlang_c(3, load)


@pytest.mark.parametrize("bad", BAD_POSITIVE)
def test_bad_rates_and_times(bad):
    for fn in (
        lambda v: mmc_wait_mean(v, 1.0, 2),
        lambda v: mmc_wait_mean(0.5, v, 2),
        lambda v: mmc_wait_quantile(v, 1.0, 2, 0.5),
        lambda v: mmc_wait_quantile(0.5, v, 2, 0.5),
        lambda v: mmc_service_level(v, 1.0, 2, 1.0),
        lambda v: mmc_service_level(0.5, v, 2, 1.0),
        lambda v: erlang_a(v, 1.0, 2, 1.0),
        lambda v: erlang_a(0.5, v, 2, 1.0),
        lambda v: md1_wait_mean(v, 1.0),
        lambda v: md1_wait_mean(0.5, v),
        lambda v: mg1_wait_mean(v, 1.0, 1.0),
        lambda v: mg1_wait_mean(0.5, v, 1.0),
        lambda v: mmc_priority_wait_means([0.5], v, 2),
    ):
        with pytest.raises(ValueError, match="must be"):
            fn(bad)


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, "x", None])
def test_bad_patience(bad):
    with pytest.raises(ValueError, match="mean_patience"):
        erlang_a(0.5, 1.0, 1, bad)


@pytest.mark.parametrize("q", [0.0, 1.0, -0.1, 1.5, math.nan, "x"])
def test_bad_quantile_level(q):
    with pytest.raises(ValueError, match=r"0 < q < 1"):
        mmc_wait_quantile(0.5, 1.0, 1, q)


@pytest.mark.parametrize("within", [-1.0, math.nan, "x"])
def test_bad_within(within):
    with pytest.raises(ValueError, match="within"):
        mmc_service_level(0.5, 1.0, 1, within)


@pytest.mark.parametrize("cv", [-0.5, math.nan, math.inf])
def test_bad_cv(cv):
    with pytest.raises(ValueError, match="service_cv"):
        mg1_wait_mean(0.5, 1.0, cv)


def test_overload_raises_everywhere():
    msg = r"at or above capacity.*simulation"
    with pytest.raises(ValueError, match=msg):
        mmc_wait_mean(2.0, 1.0, 2)
    with pytest.raises(ValueError, match=msg):
        mmc_wait_quantile(3.0, 1.0, 2, 0.9)
    with pytest.raises(ValueError, match=msg):
        mmc_service_level(3.0, 1.0, 2, 1.0)
    with pytest.raises(ValueError, match=msg):
        md1_wait_mean(1.0, 1.0)
    with pytest.raises(ValueError, match=msg):
        mg1_wait_mean(2.0, 1.0, 0.5)
    with pytest.raises(ValueError, match=msg):
        mmc_priority_wait_means([1.0, 1.0], 1.0, 2)
    with pytest.raises(ValueError, match=msg):
        erlang_a(2.0, 1.0, 2, math.inf)  # no abandonment -> M/M/c overload


@pytest.mark.parametrize("rates", [[], [-1.0, 2.0], [0.0, 0.0], [math.nan], [math.inf], None, ["a"]])
def test_bad_priority_rates(rates):
    with pytest.raises(ValueError, match="arrival_rates"):
        mmc_priority_wait_means(rates, 1.0, 2)
