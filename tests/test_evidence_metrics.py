"""Evidence metrics: tools' side effects beside their savings, comparisons of like with like, a
backlog measure that does not depend on the moment a run ends, and the AI-generated share."""

from __future__ import annotations

import math

import numpy as np
import pytest

from capsim.compare import compare
from capsim.experiment import simulate
from capsim.metrics import backlog_mean
from capsim.scenario import load_scenario
from tests.conftest import mmc, replicate

SHORT = ["clock.horizon=90d", "clock.warmup=14d"]
REPLICATIONS = 4


@pytest.fixture(scope="module")
def hotline():
    """base, its detector and its classifier variants, one seed: common random numbers."""
    names = ("base", "tooling-detector", "tooling-classifier")
    return {n: simulate(load_scenario(f"scenarios/{n}.yaml", SHORT), REPLICATIONS, 7) for n in names}


def test_the_detector_comparison_shows_real_referrals_lost_beside_hours_saved(hotline):
    table = compare([hotline["base"], hotline["tooling-detector"]]).set_index(["scenario", "metric"])
    saved = -table.loc[("tooling-detector", "victim_id_hours"), "difference"]
    lost = table.loc[("tooling-detector", "referrals_lost_real"), "difference"]
    avoided = table.loc[("tooling-detector", "referrals_avoided_synthetic"), "difference"]
    assert saved > 0 and lost > 0
    assert table.loc[("base", "referrals_lost_real"), "mean"] == 0  # no detector, nothing kept back
    # base's synthetic share is tiny (245 AI reports a year): nearly every hour saved is a real referral lost
    assert avoided < 0.05 * lost
    # the expected count matches the referrals that really went missing. Both runs finish the same
    # items in the same order and draw one uniform per finished item against the rule's share, so
    # the drop in referrals is Binomial(held back, share) around the expected count: allow 5
    # standard deviations of the mean over the replications.
    dropped = -table.loc[("tooling-detector", "referred"), "difference"]
    assert dropped == pytest.approx(lost + avoided, abs=5 * math.sqrt((lost + avoided) / REPLICATIONS))


def test_the_classifier_comparison_compares_like_with_like(hotline):
    base, classifier = hotline["base"], hotline["tooling-classifier"]
    table = compare([base, classifier]).set_index(["scenario", "metric"])
    assert "counts different items" in table.loc[("tooling-classifier", "sla_normal"), "note"]
    assert "sla_normal_original" in table.loc[("tooling-classifier", "sla_normal"), "note"]
    # without a classifier, the items by their stream's priority are the items by their queue
    assert table.loc[("base", "sla_normal_original"), "mean"] == table.loc[("base", "sla_normal"), "mean"]
    assert table.loc[("base", "sla_normal_original"), "note"] == ""
    # with it, sla_normal also counts the graders' images the classifier left at normal: the
    # relabelled metric moves further than the like-for-like one
    relabelled = table.loc[("tooling-classifier", "sla_normal"), "difference"]
    like = table.loc[("tooling-classifier", "sla_normal_original"), "difference"]
    assert relabelled < like
    for effect in ("harmful_missed", "reprioritised"):
        assert table.loc[("base", effect), "mean"] == 0
        assert table.loc[("tooling-classifier", effect), "mean"] > 0


def test_original_priority_counts_the_streams_items_whatever_their_queue():
    """Two streams at 'normal'; a classifier sends flagged items to 'high'. sla_normal counts the
    unflagged ones only, sla_normal_original all of them."""
    raw = mmc(2, 600, 0.95, days=6, priorities=["high", "normal"],
              sla=[{"priority": "normal", "within": "2h", "target": 0.9}],
              tooling={"classifier": {"enabled": True, "recall": 0.9, "fpr": 0.1, "positive_priority": "high",
                                      "negative_priority": "normal"}},
              stream={"mix": {"criminal": 0.5}})
    result = simulate(load_scenario(raw), 3, 5)
    per = result.per_replication
    assert (per.reprioritised > 0).all()
    # flagged items jump the queue, so all items together meet the deadline more often than the unflagged rest
    assert (per.sla_normal_original > per.sla_normal).all()


def test_backlog_mean_is_the_exact_time_average():
    """Against an independent integration of the number waiting, event by event."""
    (rep,) = replicate(mmc(3, 300, 0.97, days=4, warmup_days=1), 1, seed=3)
    items = rep.items
    t0, t1 = rep.warmup, rep.horizon
    left = np.where(items.started, items.start, np.minimum(items.deadline, t1))
    times = np.concatenate([items.arrival, left])
    steps = np.concatenate([np.ones(len(items)), -np.ones(len(items))])
    order = np.argsort(times, kind="stable")
    times, steps = times[order], steps[order]
    waiting = np.cumsum(steps)  # number waiting just after each event
    area, now = 0.0, t0
    level = float(((items.arrival < t0) & (left >= t0)).sum())
    for t, n in zip(times, waiting):
        if t <= t0:
            continue
        if t >= t1:
            break
        area += level * (t - now)
        now, level = t, n
    area += level * (t1 - now)
    assert backlog_mean(rep) == pytest.approx(area / (t1 - t0), rel=1e-9)
    assert backlog_mean(rep) > 0


def test_the_time_series_step_average_adds_up_to_the_exact_time_average():
    """Over whole steps from the warm-up to the horizon, the mean of the per-step averages is
    the time average of the whole window (the same exact measure, at two resolutions)."""
    scenario = load_scenario(mmc(3, 300, 0.97, days=4, warmup_days=1))
    result = simulate(scenario, 1, 3)
    series = result.timeseries
    assert series.backlog_mean.mean() == pytest.approx(result.metric("backlog_mean"), rel=1e-9)
    assert (series.backlog_mean >= 0).all()
    assert np.allclose(series.backlog_mean, series.backlog_mean_analysts)


def test_the_ai_generated_share_is_of_the_items_reaching_a_human():
    raw = mmc(3, 60, 0.5, days=3, warmup_days=0.5, stream={"mix": {"ai_generated": 0.3}})
    result = simulate(load_scenario(raw), 1, 2)
    per = result.per_replication.iloc[0]
    reviewed = per.arrivals - per.auto_cleared
    assert per.ai_generated_share == per.ai_generated / reviewed
    # Binomial(n, 0.3) with n ≈ 10,000: its standard deviation is under 0.005; allow 4 of them
    assert per.ai_generated_share == pytest.approx(0.3, abs=0.02)


def test_fte_is_the_budgets_fte():
    """The same FTE in summary.csv (and per year) as in capsim budget, for a team whose headcount changes."""
    from capsim.budget import replication_budget
    from capsim.metrics import replication_metrics
    from capsim.workforce import people_per_seat

    raw = mmc(4, 300, 0.6, days=40, warmup_days=2)
    raw["clock"]["start"] = "2025-01-01"
    raw["workforce"][0]["changes"] = [{"date": "2025-01-21", "headcount": 6}]
    scenario = load_scenario(raw)
    (rep,) = replicate(raw, 1, seed=4)
    budget = replication_budget(scenario, rep).set_index("year")
    assert replication_metrics(scenario, rep)["fte"] == pytest.approx(budget.loc["all", "fte"], rel=1e-12)
    per_seat = people_per_seat(scenario.workforce[0])  # a 24/7 seat is 4.2 people at 40 h a week
    assert 4 * per_seat < budget.loc["all", "fte"] < 6 * per_seat


def test_a_missed_target_gets_what_it_would_take_and_its_what_if_run():
    from capsim.report.what_it_takes import what_it_takes, what_it_takes_findings

    raw = mmc(2, 600, 1.2, days=6, warmup_days=1, sla=[{"priority": "normal", "within": "2h", "target": 0.9}])
    raw["clock"]["start"] = "2025-01-06"
    result = simulate(load_scenario(raw), 3, 5)
    assert result.metric("sla_normal") < 0.9
    answer = what_it_takes(result)
    assert answer is not None and answer.result is not None
    assert answer.plans[0].periods[-1].headcount > 2
    assert answer.result.metric("sla_normal") >= 0.9  # the what-if run meets it, under the same seed
    lines = what_it_takes_findings(result, answer)
    assert "more than the 2 analysts the scenario holds constant (no posts added)" in lines[0]
    # the plan's seats (never fewer than before), not said to be the need
    assert "the staffing plan has " in lines[0] and "it needs" not in lines[0]
    # a run that meets its targets needs no plan
    assert what_it_takes(answer.result) is None


def test_the_report_shows_what_it_would_take_beside_the_run(tmp_path):
    from capsim.report import write_report
    from capsim.report.what_it_takes import what_it_takes

    raw = mmc(2, 600, 1.2, days=6, warmup_days=1, sla=[{"priority": "normal", "within": "2h", "target": 0.9}])
    raw["clock"]["start"] = "2025-01-06"
    result = simulate(load_scenario(raw), 3, 5)
    page = write_report(tmp_path, [result], what_it_takes=what_it_takes(result)).read_text(encoding="utf-8")
    assert "What it would take" in page and "more than the 2 analysts the scenario holds constant" in page
    assert (tmp_path / "charts" / "what_if-by_year.png").exists()
