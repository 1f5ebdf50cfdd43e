"""What we don't know, carried into every answer: a two-level (nested) Monte Carlo over uncertain inputs.

A scenario's uncertain inputs (:mod:`capsim.uncertain_inputs`) are sampled into ``sets``
**parameter sets** (the outer level) by a Latin hypercube or a scrambled Sobol sequence from
:mod:`scipy.stats.qmc`, mapped through each input's distribution (inverse CDF). Each set runs
``replications`` times (the inner level) with the run's seed and replication numbers
0..r−1: every set shares its random streams with every other (common random numbers), so the
difference between two sets is their inputs, not the luck of the draw. Each set × replication
is one task of :mod:`capsim.sweep`, so the same machinery runs it on local processes or a Dask
cluster, keeps finished tasks, and resumes an interrupted run.

For each metric, with ``Y[i, j]`` the value of set ``i``, replication ``j`` (``n`` sets,
``r`` replications), :func:`two_level` estimates (one-way random-effects analysis of variance):

* run-to-run variance ``σ²_w`` — the mean within-set variance;
* input variance ``σ²_μ = Var(set means) − σ²_w / r`` (floored at 0): the part of the spread
  due to what we don't know, with the inner noise of the set means taken out;
* and three 95% intervals around the grand mean, each the range one run's value would fall in:
  **run-to-run** (quantiles of the pooled within-set deviations, scaled by √(r/(r−1)) for the
  degrees of freedom used, and kept within the range of values any run produced), **input** (quantiles of the set means, shrunk towards the grand
  mean by √(σ²_μ / Var(set means)) so that inner noise does not widen them), and **total**
  (quantiles of every ``Y[i, j]`` — the mixture over inputs and luck together).

The Monte Carlo error is stated: the standard error of the grand mean (``√(Var(set means) / n)``,
conservative for a Latin hypercube, which is never worse than independent sampling) and, for each
interval, the larger bootstrap standard error of its two ends (sets resampled, 200 times, fixed seed).

**Which unknown matters** (:func:`rank_inputs`): the set means are regressed on the inputs'
sampled quantiles, both as ranks (standardised rank regression coefficients). With nearly
orthogonal inputs, each squared coefficient is the share of the input variance that input
explains on its own (a first-order index for a monotone answer); the regression's R² says how
much a monotone additive reading explains. With a Sobol sequence each input's first-order Sobol
index is also estimated (``sobol_first_order``), by SALib's RBD-FAST
(:func:`SALib.analyze.rbd_fast.analyze`): a given-data estimator that works on the sets as
sampled (SALib's Saltelli estimator needs its own cross design of n·(2d+2) sets, 12 times the
runs for 5 inputs). It is a check for answers that are not monotone, not the ranking: on
``y = 4·x1 + 2·x2`` (x3 does nothing) with 64 Sobol sets over 40 seeds, RBD-FAST gave x3 up to
0.46 (standard deviation 0.16) where the rank regression gave 0.00, and its shares of x1 and x2
varied by standard deviations of 0.04 and 0.13 against the rank regression's 0.008 and 0.005.

**Too few sets to rank** (:func:`sets_to_rank`): a regression fits noise too. With ``d`` inputs
and ``n`` sets it has ``df = n − d − 1`` degrees of freedom left, and if no input moved the answer
at all its R² would follow the null distribution of a least-squares fit's R², Beta(d/2, df/2),
whose mean is d/(n − 1): with 4 sets and 2 inputs (df = 1) noise alone "explains" over half of the
input part in 67% of runs and all of it (R² = 1: the ranks fit exactly) in 20%, so "report-growth
explains 100%" says nothing. The inputs are ranked only when noise alone would explain more than
half (:data:`CHANCE_R2`, what "most of the input part" claims) in at most 5% of runs
(:data:`CHANCE_LEVEL`, the usual false-positive rate): ``P(Beta(d/2, df/2) > 1/2) ≤ 0.05``, which
needs df ≥ 6 for one input, 9 for two, 11 for three and 15 for five (8, 12, 15 and 21 sets). Ranks
of Latin-hypercube sets follow that distribution closely: with answers unrelated to the inputs,
4,000 simulated runs gave R² > 1/2 in 4.8% of runs at 12 sets for 2 inputs and 5.0% at 21 sets for
5. With fewer sets every share, the R² and the rank are left empty and ``not_ranked`` says how many
sets would do (:func:`too_few_to_rank`). This is not the Monte Carlo rule of
:func:`why_no_input_named`, which asks whether the input part can be told from the inner noise of
the set means, not whether the regression has the degrees of freedom to split it between inputs.

**Per year** (:func:`year_table`, :func:`summarise_by_year`): every task is also measured per
calendar year (:mod:`capsim.periods`), and each year's staffing metrics (:data:`YEAR_METRICS`,
with the derived :data:`REVIEW_FTE`) get the same three intervals and input ranking.

Why it is one module (over 400 lines): sampling, the two-level estimator and the ranking
are one method applied to one sweep's results, whole-run and per year alike; split, each part
would need the others' tables.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from capsim import experiment, sweep
from capsim.metrics import metric_names
from capsim.periods import calendar_periods
from capsim.scenario import Scenario, apply_overrides, resolve_raw, validate
from capsim.uncertain_inputs import UncertainError, Unknown, unknowns
from capsim.units import SECONDS_PER_DAY
from capsim.workforce import SECONDS_PER_WEEK, contracted_hours

SAMPLERS = ("lhs", "sobol")
"""Designs of the outer level: Latin hypercube, or scrambled Sobol (best with a power of 2 of sets)."""
DEFAULT_SETS = 64
"""Parameter sets (outer level) unless asked: enough for the 2.5% and 97.5% quantiles of the
input interval to rest on at least one or two sets each."""
DEFAULT_REPLICATIONS = 5
"""Replications per set (inner level) unless asked: enough to estimate the run-to-run variance
(4 degrees of freedom per set, pooled over every set)."""
LEVEL = 0.95
BOOTSTRAP = 200
"""Bootstrap resamples of the sets for the Monte Carlo error of the interval ends."""
NEGLIGIBLE_SHARE = 0.05
"""Below this share of a metric's variance the inputs count as barely moving it (:func:`why_no_input_named`)."""
RANKED_BY = "rank regression"
"""How :func:`rank_inputs` ranks the inputs, with either sampler (see the module text)."""
SETS_OPTION = "--parameter-sets"
"""The option of ``capsim uncertainty`` giving the number of parameter sets, as messages name it."""
CHANCE_R2 = 0.5
"""R² that noise alone must rarely reach for the inputs to be ranked: "most" of the input part (:func:`sets_to_rank`)."""
CHANCE_LEVEL = 0.05
"""How rarely: the share of runs in which an answer no input moves would reach :data:`CHANCE_R2`."""
SAMPLER_NAMES = {"lhs": "Latin hypercube", "sobol": "scrambled Sobol"}
REVIEW_FTE = "fte_review_work"
"""The derived metric "FTE of review work" (:func:`review_fte`)."""
REVIEW_FTE_TEXT = ("FTE of review work: the analyst hours of review done in the year divided by the hours one "
                   "full-time equivalent is contracted for in that year (contracted hours a week × weeks in the "
                   "period; shrinkage and any exposure cap not taken off). It counts the work done, not the work "
                   "arriving: where the backlog grows, the work needed is more.")
YEAR_METRICS = (REVIEW_FTE, "fte", "cost_total", "backlog_end")
"""The staffing metrics given per year: FTE of review work, FTE in post, staff cost, items waiting at the year's end."""

SUMMARY_FILE = "uncertainty_summary.csv"
RANKING_FILE = "uncertainty_ranking.csv"
INPUTS_FILE = "uncertainty_inputs.csv"
BY_YEAR_FILE = "uncertainty_by_year.csv"
RANKING_BY_YEAR_FILE = "uncertainty_ranking_by_year.csv"
SUMMARY_COLUMNS = ["metric", "mean", "mc_se_mean", "run_low", "run_high", "input_low", "input_high",
                   "total_low", "total_high", "mc_se_run", "mc_se_input", "mc_se_total", "input_share", "sets",
                   "replications"]


class UncertaintyError(sweep.SweepError):
    """An uncertainty run that cannot start; the message says what is allowed."""


@dataclass
class UncertaintyPlan:
    """The sampled parameter sets of a scenario, as a sweep whose points are the sets."""

    inputs: list[Unknown]
    """The unknowns sampled: one per uncertain number, or per name that several numbers share."""
    quantiles: np.ndarray
    """Sets × inputs: each set's position in each input's distribution (0 to 1)."""
    values: np.ndarray
    """Sets × inputs: the sampled values, in SI units (seconds, per second, plain numbers)."""
    sampler: str
    sweep: sweep.SweepPlan

    @property
    def base(self) -> Scenario:
        return self.sweep.base


@dataclass
class UncertaintyResult:
    """The tables of an uncertainty run (also written to its folder)."""

    plan: UncertaintyPlan
    folder: Path
    summary: pd.DataFrame
    ranking: pd.DataFrame
    per_replication: pd.DataFrame
    by_year: pd.DataFrame = field(default_factory=pd.DataFrame)
    """:data:`YEAR_METRICS` per calendar year (:func:`summarise_by_year`): ``uncertainty_by_year.csv``."""
    ranking_by_year: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The input ranking of each year's metrics (a ``period`` column, then :func:`rank_inputs`'s)."""


def sample_quantiles(dimensions: int, sets: int, seed: int, sampler: str = "lhs") -> np.ndarray:
    """``sets`` × ``dimensions`` points in the unit cube from :mod:`scipy.stats.qmc`, seeded by ``seed``."""
    if sampler not in SAMPLERS:
        raise UncertaintyError(f"--sampler {sampler!r}: use one of {', '.join(SAMPLERS)}")
    from scipy.stats import qmc  # scipy.stats takes over half a second to import: only where used

    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x17]))  # not any replication's stream
    engine = (qmc.LatinHypercube(d=dimensions, seed=rng) if sampler == "lhs"
              else qmc.Sobol(d=dimensions, scramble=True, seed=rng))
    with warnings.catch_warnings():  # Sobol warns for a number of sets that is not a power of 2
        warnings.simplefilter("ignore")
        return engine.random(sets)


def plan_uncertainty(
    scenario_path: str | Path,
    sets: int = DEFAULT_SETS,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    sampler: str = "lhs",
    workers: int = 1,
) -> UncertaintyPlan:
    """Sample the scenario's uncertain inputs into ``sets`` parameter sets and validate the scenario at each.

    Every problem is found before any task runs: no uncertain input, too few sets or
    replications, a sampled value the scenario refuses (named with its set and key).
    """
    raw, origin = resolve_raw(scenario_path)
    base_raw = apply_overrides(raw, list(overrides), origin)
    base = validate(base_raw, origin, overrides)
    if not base.uncertain:
        raise UncertaintyError(f"{origin}: no uncertain inputs: write a number as {{uncertain: {{dist: lognormal, "
                               "low: 150d, high: 400d, source: ...}} (see docs/uncertainty.md), or give one with "
                               "--set KEY='{uncertain: {...}}'")
    if sets < 2 or replications < 2:
        raise UncertaintyError(f"{SETS_OPTION} {sets}, --replications {replications}: both must be at least 2 (the input "
                               "interval needs several sets; the run-to-run interval, several replications)")
    seed = base.experiment.seed if seed is None else int(seed)
    try:
        inputs = unknowns(base.uncertain)
    except UncertainError as err:
        raise UncertaintyError(f"{origin}: {err}") from None
    quantiles = sample_quantiles(len(inputs), sets, seed, sampler)
    values = np.column_stack([[i.value(q) for q in quantiles[:, k]] for k, i in enumerate(inputs)])
    texts = [[i.text(v) for i, v in zip(inputs, row)] for row in values]
    points, problems = [], []
    for index, (row, sampled) in enumerate(zip(texts, values)):
        settings = {key: t for i, t in zip(inputs, row) for key in i.keys}
        shown = ", ".join(f"{key}={i.spec.shown(v, key)}" for i, v in zip(inputs, sampled) for key in i.keys)
        try:
            scenario = validate(apply_overrides(base_raw, [f"{k}={v}" for k, v in settings.items()], origin), origin, overrides)
            if workers > 0:
                experiment.check_size(scenario, min(workers, sets * replications))
        except sweep.ScenarioError as err:
            problems.append(f"parameter set {index} ({shown}):\n  "
                            + str(err).replace("\n", "\n  ") + "\n  narrow that input's distribution to values "
                            "the scenario allows")
            continue
        points.append(sweep.GridPoint(index, settings, scenario))
    if problems:
        raise UncertaintyError("\n".join(problems[:3] + ([f"... and {len(problems) - 3} more"] if len(problems) > 3 else [])))
    grid = {key: [row[k] for row in texts] for k, i in enumerate(inputs) for key in i.keys}
    plan = sweep.SweepPlan(base=base, source=str(scenario_path), overrides=list(overrides), grid=grid, points=points,
                           replications=replications, seed=seed, periods="year", period_measures="staffing")
    return UncertaintyPlan(inputs, quantiles, values, sampler, plan)


# --------------------------------------------------------------------------- the estimator


def _bounds(y: np.ndarray, level: float) -> np.ndarray:
    """Grand mean, the run-to-run, input and total interval ends, and the within-set, input and
    between-set variances, of each ``... × sets × replications`` array (the last two axes): an
    array ``... × 10``. The bootstrap passes all its resamples at once."""
    n, r = y.shape[-2:]
    alpha = (1 - level) / 2
    ends = [alpha, 1 - alpha]
    means = y.mean(axis=-1)
    grand = means.mean(axis=-1)
    within = y.var(axis=-1, ddof=1).mean(axis=-1)
    between = means.var(axis=-1, ddof=1)
    input_var = np.maximum(0.0, between - within / r)
    shrink = np.sqrt(np.divide(input_var, between, out=np.zeros_like(between), where=between > 0))
    flat = y.reshape(*y.shape[:-2], n * r)
    deviations = ((y - means[..., None]) * math.sqrt(r / (r - 1))).reshape(flat.shape)
    run = np.clip(grand + np.quantile(deviations, ends, axis=-1), flat.min(axis=-1), flat.max(axis=-1))  # never beyond any run
    inp = grand + shrink * (np.quantile(means, ends, axis=-1) - grand)
    total = np.quantile(flat, ends, axis=-1)
    return np.stack([grand, run[0], run[1], inp[0], inp[1], total[0], total[1], within, input_var, between], axis=-1)


def two_level(y: np.ndarray, level: float = LEVEL, bootstrap: int = BOOTSTRAP, seed: int = 0) -> dict[str, float]:
    """The two-level estimates of one metric from ``y`` (sets × replications); see the module text.

    Sets holding a missing value (NaN) are left out; with fewer than 2 sets left every
    estimate is NaN. A metric with the same value in every run has no input share (NaN): the
    rounding of its means (a last bit) is not a spread.
    """
    y = np.asarray(y, dtype=float)
    y = y[np.isfinite(y).all(axis=1)]
    n, r = y.shape
    if n < 2 or r < 2:
        return {c: math.nan for c in SUMMARY_COLUMNS[1:-2]} | {"sets": n, "replications": r}
    b = _bounds(y, level)
    rng = np.random.default_rng(seed)
    resampled = _bounds(y[rng.integers(0, n, (bootstrap, n))], level)[:, 1:7]
    total_var = b[7] + b[8]
    return {
        "mean": b[0], "mc_se_mean": math.sqrt(b[9] / n),
        "run_low": b[1], "run_high": b[2], "input_low": b[3], "input_high": b[4],
        "total_low": b[5], "total_high": b[6],
        **dict(zip(("mc_se_run", "mc_se_input", "mc_se_total"), resampled.std(axis=0, ddof=1).reshape(3, 2).max(axis=1))),
        # the same value in every run: no share, whatever rounding leaves in the variances (~1e-20)
        "input_share": b[8] / total_var if total_var > 0 and np.ptp(y) > 0 else math.nan,
        "sets": n, "replications": r,
    }


def _matrix(per_replication: pd.DataFrame, metric: str) -> np.ndarray:
    return per_replication.pivot(index="point", columns="replication", values=metric).to_numpy(dtype=float)


def summarise(per_replication: pd.DataFrame, metrics: Sequence[str], level: float = LEVEL) -> pd.DataFrame:
    """One row per metric: :func:`two_level` of its sets × replications values."""
    rows = [{"metric": m, **two_level(_matrix(per_replication, m), level)} for m in metrics if m in per_replication]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def rank_regression(quantiles: np.ndarray, means: np.ndarray) -> tuple[np.ndarray, float]:
    """Each input's squared standardised rank regression coefficient of ``means`` (one per set)
    on the sets' ``quantiles`` (sets × inputs), and the regression's R²."""
    from scipy import stats

    x = stats.rankdata(quantiles, axis=0)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    y = stats.rankdata(means)
    y = (y - y.mean()) / y.std()
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return coef[1:] ** 2, 1 - float(((y - design @ coef) ** 2).sum() / (y ** 2).sum())


def sobol_first_order(quantiles: np.ndarray, means: np.ndarray, seed: int = 0) -> tuple[np.ndarray, float]:
    """Each input's first-order Sobol index of ``means`` by SALib's RBD-FAST (given data: any
    sample of the sets' ``quantiles``), clipped to [0, 1] (its bias correction can dip below 0
    for an input that does nothing), and their sum. The harmonics ``M`` are 2 (1 under 10 sets):
    the estimator's bootstrap halves the sets and needs more than 2·M of them."""
    from SALib.analyze import rbd_fast

    n, d = quantiles.shape
    problem = {"num_vars": d, "names": [f"x{k}" for k in range(d)], "bounds": [[0.0, 1.0]] * d}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = rbd_fast.analyze(problem, quantiles, means, M=2 if n >= 10 else 1, num_resamples=20, seed=seed)
    shares = np.clip(np.nan_to_num(np.asarray(found["S1"], dtype=float), nan=0.0), 0.0, 1.0)
    return shares, float(shares.sum())


def sets_to_rank(inputs: int) -> int:
    """The fewest parameter sets whose rank regression ranks ``inputs`` inputs: ``inputs`` + 1 +
    the fewest degrees of freedom left with which an answer no input moves would reach an R² of
    :data:`CHANCE_R2` in at most :data:`CHANCE_LEVEL` of runs (R² ~ Beta(inputs/2, df/2); see the
    module text). 8 for one input, 12 for two, 21 for five."""
    from scipy import stats

    df = 1
    while stats.beta.sf(CHANCE_R2, inputs / 2, df / 2) > CHANCE_LEVEL:
        df += 1
    return inputs + 1 + df


def too_few_to_rank(sets: int, inputs: int) -> str:
    """"" when ``sets`` parameter sets are enough to rank ``inputs`` inputs (:func:`sets_to_rank`),
    else why they are not ranked and how many sets would do, in the words of a table cell."""
    needed = sets_to_rank(inputs)
    return "" if sets >= needed else f"too few parameter sets to rank the inputs (run {SETS_OPTION} {needed} or more)"


NOT_VARYING = "the same in every parameter set"
"""Why a metric's inputs are not ranked when its set means are all equal (``not_ranked``)."""
NOT_MEASURED = "not measured in every parameter set"
"""Why they are not ranked when some set has no value of it (e.g. a mean wait where nothing was assessed)."""


def rank_inputs(plan: UncertaintyPlan, per_replication: pd.DataFrame, metrics: Sequence[str]) -> pd.DataFrame:
    """One row per metric × input: the input's first-order share of the metric's input variance
    (the squared standardised rank regression coefficient, :func:`rank_regression`), the
    regression's R², the input's rank for that metric (1: matters most) and, with a Sobol
    sequence of at least 6 sets, its first-order Sobol index (:func:`sobol_first_order`; else NaN);
    its distribution as the scenario writes it (``distribution``) and in the input's own unit
    (``distribution_shown``, as :func:`inputs_shown` gives it), and its source.
    Where the inputs are not ranked for a metric, its shares, R² and ranks are empty and
    ``not_ranked`` says why: too few sets for the regression (:func:`too_few_to_rank`; the Sobol
    index is still given), :data:`NOT_VARYING` or :data:`NOT_MEASURED`; else it is ""."""
    from scipy import stats

    rows = []
    nothing = np.full(len(plan.inputs), math.nan)
    for metric in metrics:
        if metric not in per_replication:
            continue
        means = _matrix(per_replication, metric).mean(axis=1)
        measured = bool(np.all(np.isfinite(means)))
        varies = measured and np.ptp(means) > 0
        why = too_few_to_rank(len(means), len(plan.inputs)) if varies else NOT_VARYING if measured else NOT_MEASURED
        shares, r2 = (nothing, math.nan) if why else rank_regression(plan.quantiles, means)
        sobol = (sobol_first_order(plan.quantiles, means)[0] if varies and plan.sampler == "sobol" and len(means) >= 6
                 else nothing)
        order = [pd.NA] * len(plan.inputs) if why else stats.rankdata(-shares, method="min")
        for k, i in enumerate(plan.inputs):
            rows.append({"metric": metric, "input": i.label, "first_order": float(shares[k]), "r_squared": r2,
                         "rank": order[k], "distribution": i.describe(), "source": i.spec.source,
                         "sobol_first_order": float(sobol[k]), "distribution_shown": i.describe(i.keys[0]),
                         "not_ranked": why})
    table = pd.DataFrame(rows, columns=["metric", "input", "first_order", "r_squared", "rank", "distribution", "source",
                                        "sobol_first_order", "distribution_shown", "not_ranked"])
    return table.astype({"rank": "Int64"})  # empty where not ranked


def review_fte(scenario: Scenario, metrics: Mapping[str, float], seconds: float) -> float:
    """FTE of review work over ``seconds`` (:data:`REVIEW_FTE_TEXT`): each team's analyst hours
    of review (``analyst_hours``, or ``analyst_hours_<team>`` with several teams) over its
    contracted hours a week (:func:`capsim.workforce.contracted_hours`) × the weeks, summed."""
    weeks = seconds / SECONDS_PER_WEEK
    teams = scenario.workforce
    if len(teams) == 1:
        return float(metrics["analyst_hours"]) / (contracted_hours(teams[0]) * weeks)
    return sum(float(metrics[f"analyst_hours_{t.team}"]) / (contracted_hours(t) * weeks) for t in teams)


def year_table(plan: UncertaintyPlan, per_period: pd.DataFrame) -> pd.DataFrame:
    """Each task's calendar-year metrics (:attr:`capsim.sweep.SweepResult.per_period`) with
    :data:`REVIEW_FTE` added: ``point``, ``replication``, ``period``, ``days``, then the metrics."""
    lengths = {p.label: p.end - p.start for p in calendar_periods(plan.base, "year")}
    scenarios = {p.index: p.scenario for p in plan.sweep.points}
    table = per_period.copy()
    table.insert(3, "days", [lengths[label] / SECONDS_PER_DAY for label in table.period])
    table[REVIEW_FTE] = [review_fte(scenarios[row.point], row, lengths[row.period]) for _, row in table.iterrows()]
    return table


def summarise_by_year(plan: UncertaintyPlan, years: pd.DataFrame, metrics: Sequence[str] = YEAR_METRICS
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per calendar year of :func:`year_table`: :func:`summarise` of ``metrics`` (with ``period``
    and ``days`` columns first, and the input that matters most with its share: ``driver``,
    ``driver_share``, empty when :func:`why_no_input_named` or ``not_ranked`` (as in
    :func:`rank_inputs`) says why) and :func:`rank_inputs` (with ``period``)."""
    summaries, rankings = [], []
    for label in dict.fromkeys(years.period):
        mine = years[years.period == label]
        summary = summarise(mine, metrics)
        ranking = rank_inputs(plan, mine, metrics)
        top = ranking[ranking["rank"] == 1].drop_duplicates("metric").set_index("metric")
        named = [metric in top.index and not why_no_input_named(row) and math.isfinite(top.loc[metric, "first_order"])
                 for metric, row in summary.set_index("metric").iterrows()]
        summary["driver"] = [top.loc[m, "input"] if ok else "" for m, ok in zip(summary.metric, named)]
        summary["driver_share"] = [top.loc[m, "first_order"] if ok else math.nan for m, ok in zip(summary.metric, named)]
        summary["not_ranked"] = summary.metric.map(ranking.drop_duplicates("metric").set_index("metric").not_ranked)
        summary.insert(0, "days", float(mine.days.iloc[0]))
        summary.insert(0, "period", label)
        ranking.insert(0, "period", label)
        summaries.append(summary)
        rankings.append(ranking)
    return pd.concat(summaries, ignore_index=True), pd.concat(rankings, ignore_index=True)


def inputs_table(plan: UncertaintyPlan) -> pd.DataFrame:
    """One row per parameter set: its index, each input's quantile and value (in the unit the
    scenario writes that input in, to four significant figures: :meth:`Uncertain.shown`)."""
    table = pd.DataFrame({"point": range(len(plan.values))})
    for k, i in enumerate(plan.inputs):
        table[f"{i.label} quantile"] = plan.quantiles[:, k]
        table[i.label] = [i.spec.shown(v, i.keys[0]) for v in plan.values[:, k]]
    return table


def inputs_shown(inputs: Sequence[Unknown]) -> pd.DataFrame:
    """One row per unknown, for a reader: ``input`` (its short name, as the ranking names it),
    ``keys`` (the scenario keys it sets), ``distribution`` (in the input's own unit:
    :meth:`Uncertain.describe` with the key), its ``median`` (what an ordinary run uses) and
    central 95% (``low``, ``high``) in that unit (:meth:`Uncertain.shown`), ``source``, and the
    distribution ``as_written`` in the scenario."""
    return pd.DataFrame([{"input": i.label, "keys": ", ".join(i.keys), "distribution": i.describe(i.keys[0]),
                          "median": i.spec.shown(i.central(), i.keys[0]),
                          "low": i.spec.shown(i.value((1 - LEVEL) / 2), i.keys[0]),
                          "high": i.spec.shown(i.value((1 + LEVEL) / 2), i.keys[0]),
                          "source": i.spec.source, "as_written": i.describe()} for i in inputs],
                        columns=["input", "keys", "distribution", "median", "low", "high", "source", "as_written"])


NOT_NAMED = {"negligible": "the inputs barely move it",
             "unclear": "too few parameter sets to tell it from Monte Carlo noise"}
"""Why no input is named for a metric (:func:`why_no_input_named`), in the words of a table cell."""
FLAT_OUT = "not because the demand is known but because work piled up: what was done is what the staff cleared"
"""Why the inputs barely move the FTE of review work of a year whose backlog grew: work arrived
faster than it was cleared (at one team at least), so what was done is what the staff cleared (after :data:`NOT_NAMED`'s "the inputs barely move it")."""


def why_no_input_named(row: pd.Series) -> str:
    """Why no input may be named as the one to collect for a metric (a :func:`summarise` row), or
    "" when one may: ``"negligible"``, the inputs' share of its variance is under
    :data:`NEGLIGIBLE_SHARE` (or unknown); ``"unclear"``, their share is larger but the input
    interval is no wider than twice the Monte Carlo error of its ends, so it cannot be told from
    zero width with these parameter sets. Either way its input ranking ranks noise."""
    if not row["input_share"] >= NEGLIGIBLE_SHARE:
        return "negligible"
    return "unclear" if not row["input_high"] - row["input_low"] > 2 * row["mc_se_input"] else ""


def estimated_share(share: float) -> float:
    """A share estimated from the parameter sets, to the whole percent: what a few dozen sets can
    tell (a rank-regression share of 0.9999999999999998 is 100%, not "over 99.99%")."""
    return round(share, 2) if math.isfinite(share) else share


# --------------------------------------------------------------------------- the run


def run_uncertainty(
    plan: UncertaintyPlan,
    out: str | Path,
    executor: str = "local",
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    report: Callable[[UncertaintyResult, Path], None] | None = None,
) -> UncertaintyResult:
    """Run every set × replication through :func:`capsim.sweep.sweep` into ``out``, then write
    ``uncertainty_summary.csv``, ``uncertainty_ranking.csv``, ``uncertainty_inputs.csv`` and the
    by-year tables, whatever ``report(result, folder)`` writes into the folder it is given (the
    page and its charts), and an ``uncertainty`` section of ``manifest.json``: all as the sweep's
    last step (its ``finish``), each file atomically and under the sweep's lock, the manifest last."""
    made: list[UncertaintyResult] = []

    def finish(done: sweep.SweepResult, staging: Path) -> dict:
        metrics = metric_names(plan.base)
        summary = summarise(done.per_replication, metrics)
        ranking = rank_inputs(plan, done.per_replication, metrics)
        by_year, ranking_by_year = summarise_by_year(plan, year_table(plan, done.per_period))
        for name, table in ((SUMMARY_FILE, summary), (RANKING_FILE, ranking), (INPUTS_FILE, inputs_table(plan)),
                            (BY_YEAR_FILE, by_year), (RANKING_BY_YEAR_FILE, ranking_by_year)):
            (staging / name).write_text(sweep.table_text(table), encoding="utf-8")
        made.append(UncertaintyResult(plan, Path(out), summary, ranking, done.per_replication, by_year, ranking_by_year))
        if report is not None:
            report(made[0], staging)
        return {"uncertainty": {
            "design": f"{len(plan.sweep.points)} parameter sets ({SAMPLER_NAMES[plan.sampler]}, scipy.stats.qmc) x "
                      f"{plan.sweep.replications} replications, common random numbers across sets",
            "ranking": RANKED_BY + ("; first-order Sobol indices by SALib's RBD-FAST in sobol_first_order"
                                    if plan.sampler == "sobol" else ""),
            "review_fte": REVIEW_FTE_TEXT,
            "inputs": [{"input": i.label, "keys": list(i.keys), "distribution": i.describe(),
                        "central": i.central(), "source": i.spec.source} for i in plan.inputs],
            "tables": [SUMMARY_FILE, RANKING_FILE, INPUTS_FILE, BY_YEAR_FILE, RANKING_BY_YEAR_FILE],
            "level": LEVEL,
        }}

    sweep.sweep(plan.sweep.source, plan.sweep.grid, executor=executor, workers=workers, scheduler=scheduler,
                out=out, overrides=plan.sweep.overrides, progress=progress, plan=plan.sweep, finish=finish)
    return made[0]
