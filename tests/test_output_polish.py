"""Six small output defects of a user trial, each checked where the reader met it.

1. ``capsim budget base growth-high``: "+nan" under "FTE vs first" for years the first scenario
   does not have, and a chart title "every scenario costs ..." of a year only one of them had.
2. ``capsim grant``: the late-hire note said "period 1" where the table says "2027/28", and
   "a mean wait of 220.4 h" where capsim words long waits in days.
3. The input-ranking chart's footer said "inputs ranked by rank regression" when they were not.
4. The comparison chart's percent ticks read "51.00%" (more decimals than the step needs).
5. A count interval crossing zero read "saves 55 (-4–115)", with a hyphen for a minus.
6. The what-it-takes chart's footer credited its plan to "(capsim staff)".
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from capsim import uncertainty
from capsim.budget import budget
from capsim.charts.budget import budget_per_year
from capsim.charts.compare import _comparison_finding, comparison
from capsim.charts.footer import footer_text
from capsim.charts.input_ranking import input_ranking
from capsim.charts.parts import PercentTicks
from capsim.cli import app
from capsim.experiment import simulate
from capsim.grant import grant
from capsim.report.what_it_takes import what_it_takes
from capsim.scenario import load_scenario
from capsim.staffing import plan_periods, solve_staffing
from capsim.words import MINUS
from tests.test_budget import FIRST_CASE
from tests.test_charts_plans import SMALL
from tests.test_compare import staffed
from tests.test_late_hires import GRANT_START, one_analyst
from tests.test_uncertainty_few_sets import _plan, _runs
from tests.test_what_it_takes_lead_time import overloaded


def flat(text: str) -> str:
    """Terminal output on one line (rich wraps long lines at the terminal's width)."""
    return " ".join(text.split())


def moved(name: str, year: int) -> dict:
    """FIRST_CASE (2024 and 2025, a burst in each) moved to start on 1 Jan ``year``: two other years."""
    raw = yaml.safe_load(yaml.safe_dump(FIRST_CASE))
    raw["name"] = name
    raw["clock"]["start"] = f"{year}-01-01"
    raw["demand"][0]["bursts"] = [{"at": f"{year}-03-04", "items": 100}, {"at": f"{year + 1}-06-02", "items": 50}]
    raw["workforce"][0]["changes"] = [{"date": f"{year + 1}-01-01", "headcount": 3}]
    return raw


# --------------------------------------------------------------------------- 1. budget vs first


def test_budget_years_the_first_scenario_lacks_read_n_a_with_a_note_never_nan(tmp_path):
    first, later = tmp_path / "steady.yaml", tmp_path / "later.yaml"
    first.write_text(yaml.safe_dump(FIRST_CASE))
    later.write_text(yaml.safe_dump(moved("later", 2027)))
    out = tmp_path / "o"
    result = CliRunner().invoke(app, ["budget", str(first), str(later), "-r", "2", "--out", str(out)],
                                terminal_width=250)
    assert result.exit_code == 0, result.output
    assert "nan" not in result.output.lower()
    rows = {tuple(c.strip() for c in line.split("│")[1:3]): [c.strip() for c in line.split("│")[-3:-1]]
            for line in result.output.splitlines() if line.startswith("│ later")}
    assert rows[("later", "2027")] == rows[("later", "2028")] == ["n/a", "n/a"]
    assert rows[("later", "all")][0].startswith("+")  # the whole periods, as long as each other, are still paired
    assert "vs first: n/a for later 2027, 2028: steady has no such year of as many days to pair with (empty in budget.csv)." \
        in flat(result.output)
    table = pd.read_csv(out / "budget.csv", keep_default_na=False)
    assert (table[table.year.isin(["2027", "2028"])].fte_vs_first == "").all()
    # the chart compares no year they do not share
    title = (out / "charts" / "budget.txt").read_text(encoding="utf-8")
    assert title.startswith("Chart: steady (2024\u20132025) and later (2027\u20132028) share no calendar year: "
                            "their costs are not compared year by year."), title


def test_the_budget_chart_compares_the_last_year_every_scenario_has():
    # steady has 2024-2025, later 2025-2026: the title spoke of 2026 as if both had it ("every scenario costs")
    result = budget([load_scenario(FIRST_CASE), load_scenario(moved("later", 2025))], replications=2)
    figure = budget_per_year(result.table, result.scenarios, result.seed, result.replications)
    title = flat(figure._suptitle.get_text())
    plt.close(figure)
    assert title.startswith("In 2025, later costs "), title
    assert "than steady" in title and "every scenario" not in title


def test_the_budget_chart_never_compares_years_of_different_lengths():
    # short stops on 14 May 2025: its 2025 is 134 days against steady's 365, so the title speaks of 2024
    short = yaml.safe_load(yaml.safe_dump(FIRST_CASE))
    short["name"], short["clock"]["horizon"] = "short", "500d"
    result = budget([load_scenario(FIRST_CASE), load_scenario(short)], replications=2)
    figure = budget_per_year(result.table, result.scenarios, result.seed, result.replications)
    title = flat(figure._suptitle.get_text())
    plt.close(figure)
    assert title.startswith("In 2024,"), title
    assert "2025" not in title


# --------------------------------------------------------------------------- 2. late-hire notes


def test_the_grant_note_names_the_grant_year_and_words_the_wait_in_days():
    sized = grant([load_scenario(one_analyst())], GRANT_START, 1, replications=2, workers=1)
    note = sized.plans["small"][0].periods[0].note
    assert ". With them late, 2027/28 has " in note and "period 1" not in note, note
    # both waits in the one unit of the longer (capsim.words.durations_words), never "895.9 h"
    assert re.search(r"a mean wait of [\d.]+ days \([\d.]+ days on time\)", note), note


def test_the_notes_name_periods_by_the_labels_given():
    scenario = load_scenario(SMALL)
    labels = [f"{p.first:%b %Y}" for p in plan_periods(scenario, "month")]
    plan = solve_staffing(scenario, "analysts", period="month", replications=3, seed=7, workers=1, labels=labels)
    first, second, third = plan.periods[:3]
    assert f". With them late, {labels[0]} has " in first.note, first.note
    assert f"{second.temporary} temporary seats of {labels[1]} close on {third.period.first}" in third.note
    assert "period" not in re.sub(r"this period|earlier periods", "", first.note + third.note)


def test_one_label_a_period_or_the_plan_is_refused():
    with pytest.raises(ValueError, match="^1 period labels for 5 periods$"):
        solve_staffing(load_scenario(SMALL), "analysts", period="month", replications=1, labels=["2024/25"])


# --------------------------------------------------------------------------- 3. the ranking's footer


def footer_of(figure) -> str:
    return flat(next(t.get_text() for t in figure.texts if t.get_gid() == "chart-footer"))


@pytest.mark.parametrize("sets, sampler, method", [
    (4, "lhs", "inputs not ranked."),
    (12, "lhs", f"inputs ranked by {uncertainty.RANKED_BY}."),
    (4, "sobol", "inputs not ranked."),  # too few sets for the Sobol indices too (they need 6)
    (8, "sobol", "inputs not ranked; first-order Sobol indices (SALib RBD-FAST) in the ranking table."),
])
def test_the_ranking_footer_says_what_was_done(tmp_path, sets, sampler, method):
    plan = _plan(tmp_path, sets, sampler)
    runs = _runs(plan)
    figure = input_ranking(uncertainty.rank_inputs(plan, runs, ["wait_mean"]), uncertainty.summarise(runs, ["wait_mean"]),
                           plan.base, "wait_mean", seed=1, sets=sets, replications=2, sampler=sampler)
    footer = footer_of(figure)
    plt.close(figure)
    assert footer.endswith(f"common random numbers; {method}"), footer


# --------------------------------------------------------------------------- 4. percent ticks


def test_the_comparisons_percent_ticks_carry_the_decimals_their_step_needs():
    runs = [simulate(load_scenario(staffed(n)), replications=3, seed=11) for n in (5, 6)]
    figure = comparison(runs, ["utilisation_usable", "sla_normal"])
    figure.canvas.draw()
    for ax in figure.axes[::2]:  # the left panels: the values, in %
        ticks = [t for t in ax.get_xticklabels() if ax.get_xlim()[0] <= t.get_position()[0] <= ax.get_xlim()[1]]
        labels = [t.get_text() for t in ticks]
        assert labels == PercentTicks().format_ticks([t.get_position()[0] for t in ticks]), labels
        assert not any(re.search(r"\.\d*0%", label) for label in labels), labels  # no "51.00%"
    plt.close(figure)


# --------------------------------------------------------------------------- 5. a minus, not a hyphen


def test_a_count_interval_crossing_zero_reads_with_a_minus_sign():
    rows = [("victim_id_hours", -55.0, -115.0, 4.0), ("referrals_lost_real", 675.0, 667.0, 685.0)]
    table = pd.DataFrame([{"scenario": name, "metric": m, "mean": 0.0, "ci_low": 0.0, "ci_high": 0.0,
                           "diff": d if name == "detector" else 0.0, "diff_ci_low": lo if name == "detector" else 0.0,
                           "diff_ci_high": hi if name == "detector" else 0.0, "note": ""}
                          for name in ("base", "detector") for m, d, lo, hi in rows])
    title = _comparison_finding(table, ["base", "detector"], "victim_id_hours")
    assert title.startswith(f"detector: 55 ({MINUS}4–115) fewer victim-identification hours"), title
    assert not re.search(r"-\d", title)  # no number with a hyphen for its sign


# --------------------------------------------------------------------------- 6. who made the plan


def test_the_what_if_footer_credits_the_what_it_takes_step_not_capsim_staff():
    run = simulate(overloaded(), 3, 5)
    planned = what_it_takes(run).result.scenario
    footer = flat(footer_text([planned], run.seed, run.replications))
    assert "(--what-it-takes: the staffing solver's plan for the missed targets)" in footer, footer
    assert "capsim staff" not in footer


def test_budget_never_pairs_runs_of_different_lengths(tmp_path):
    """base (337 days measured) beside a three-year growth run: their whole runs ('all') are not
    compared — a difference of +6.95 million was the extra two years, not the scenario."""
    out = tmp_path / "o"
    result = CliRunner().invoke(app, ["budget", "base", "growth-high", "-r", "2", "--out", str(out)],
                                terminal_width=250)
    assert result.exit_code == 0, result.output
    rows = {tuple(c.strip() for c in line.split("│")[1:3]): [c.strip() for c in line.split("│")[-3:-1]]
            for line in result.output.splitlines() if line.startswith("│ growth-high")}
    assert rows[("growth-high", "all")] == ["n/a", "n/a"]
    # one cost per assessed item: budget's and run's divide by the same items (tests/test_cost_per_assessed.py)
    assert ("per item assessed (the streams' items whose assessment started in the year, whenever they arrived, "
            "as in capsim run's cost_per_assessed)") in flat(result.output)
    assert "growth-high" in flat(result.output).split("vs first: n/a for ")[1].split(":")[0]
    table = pd.read_csv(out / "budget.csv", keep_default_na=False)
    assert (table[table.scenario == "growth-high"].fte_vs_first == "").all()
