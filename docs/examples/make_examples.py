"""Re-make the example charts in this folder from the bundled base scenario.

    .venv/bin/python docs/examples/make_examples.py

Small replication counts keep it to a few minutes; the charts say how many were used.
"""

from __future__ import annotations

from pathlib import Path

from capsim import charts, load_scenario, simulate
from capsim.budget import budget
from capsim.sensitivity import sensitivity
from capsim.staffing import solve_staffing

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SEED = 20240101


def main() -> None:
    base_path = ROOT / "scenarios" / "base.yaml"
    base = load_scenario(base_path)
    result = simulate(base, replications=5, seed=SEED, workers=2)
    for stem, fig in charts.run_charts(result).items():
        charts.save(fig, HERE / stem, formats=["png"])

    classifier = simulate(load_scenario(ROOT / "scenarios" / "tooling-classifier.yaml"), replications=5, seed=SEED,
                          workers=2)
    charts.save(charts.comparison([result, classifier]), HERE / "comparison", formats=["png"])
    detector = simulate(load_scenario(ROOT / "scenarios" / "tooling-detector.yaml"), replications=5, seed=SEED,
                        workers=2)
    charts.save(charts.comparison([result, detector]), HERE / "comparison_detector", formats=["png"])

    # Three years of growth: each calendar year at its own level, and the AI-generated share.
    growth = simulate(load_scenario(ROOT / "scenarios" / "growth-central.yaml"), replications=3, seed=SEED, workers=2)
    charts.save(charts.by_year(growth), HERE / "by_year", formats=["png"])
    charts.save(charts.ai_share(growth), HERE / "ai_share", formats=["png"])

    sweep = charts.headcount_sweep(base, "analysts", [10, 11, 12, 13, 14], replications=3, seed=SEED, workers=2)
    charts.save(charts.sla_vs_headcount(sweep, base), HERE / "sla_vs_headcount", formats=["png"])

    table = sensitivity(base_path, replications=3, seed=SEED, workers=2)
    charts.save(charts.tornado(table, base), HERE / "tornado", formats=["png"])

    # Two years with a 90-day hiring lead time and 15% attrition a year among the analysts.
    hiring = load_scenario(base_path, ["clock.horizon=730d", "workforce.analysts.attrition=0.15",
                                       "workforce.analysts.hiring.lead_time=90d"])
    plan = solve_staffing(hiring, "analysts", period="quarter", replications=3, seed=SEED, workers=2)
    charts.save(charts.staffing_plan(plan.table(), hiring, SEED, 3), HERE / "staffing_plan", formats=["png"])
    planned = plan.scenario_with_plan().model_copy(update={"name": "base-with-plan"})
    costs = budget([hiring, planned], replications=3, seed=SEED, workers=2)
    charts.save(charts.budget_per_year(costs.table, [hiring, planned], SEED, 3), HERE / "budget", formats=["png"])


if __name__ == "__main__":
    main()
