"""Grant sizing (capsim grant): grant years, the full cost model, growth per year, review time
from a team's own numbers."""

from __future__ import annotations

import copy
import datetime as dt
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from capsim.cli import app
from capsim.costs import LINES, cost_lines
from capsim.demand import rate_at
from capsim.engine import simulate_replication
from capsim.grant import grant, grant_scenario, grant_years
from capsim.scenario import ScenarioError, load_scenario
from capsim.staffing import period_attainment
from capsim.team_calibration import calibrate_team
from capsim.units import SECONDS_PER_DAY, SECONDS_PER_YEAR

HOTLINE = {
    # a small hotline, cheap to simulate: 20,000 reports a year growing 30% a year, 2 analysts
    "name": "small",
    "clock": {"start": "2026-01-05", "warmup": "14d", "horizon": "379d", "step": "1d"},
    "demand": [{"stream": "reports", "unit": "report", "rate": "20000/year", "rate_date": "2025-07-01",
                "growth": {"model": "exponential", "per_year": "30%"}, "priority": "normal"}],
    "review": {"report": {"dist": "lognormal", "mean": "300s", "cv": 1.0}},
    "workforce": [{"team": "analysts", "headcount": 2, "roster": {"hours_per_day": 7.5}, "exposure_cap": "4h/day",
                   "shrinkage": 0.15}],
    "sla": [{"priority": "normal", "within": "72h", "target": 0.9}],
    "costs": {"currency": "EUR", "overheads": 0.1, "inflation": 0.03, "price_year": 2025,
              "teams": {"analysts": {"annual_cost": 40000, "on_costs": 0.2, "hire_cost": 3000, "training_cost": 2000,
                                     "wellbeing_hours": 12, "wellbeing_hourly_cost": 80, "licence_cost": 1000}},
              "roles": [{"role": "team leader", "per": 8, "annual_cost": 55000, "on_costs": 0.2}]},
    "experiment": {"replications": 4, "seed": 7},
}


def hotline(**changes) -> dict:
    raw = copy.deepcopy(HOTLINE)
    raw.update(changes)
    return raw


# ----------------------------------------------------------------------------- the cost model


REST_OF_2026 = 361 * SECONDS_PER_DAY
"""From the run's start, 2026-01-05, to the end of 2026."""


def lines_of(raw: dict) -> dict[str, float]:
    """Every budget line over the rest of 2026, for the plan as written (no simulation)."""
    return cost_lines(load_scenario(raw), 0.0, REST_OF_2026, None, {})


def test_doubling_a_salary_doubles_its_line_and_what_is_proportional_to_it():
    base = lines_of(hotline())
    raw = hotline()
    raw["costs"]["teams"]["analysts"]["annual_cost"] = 80000
    doubled = lines_of(raw)
    for line in ("salaries", "on_costs"):  # on-costs are a share of salary
        assert doubled[line] == pytest.approx(2 * base[line], rel=1e-12)
    for line in ("management", "recruitment", "training", "wellbeing", "licences", "tooling"):
        assert doubled[line] == pytest.approx(base[line], rel=1e-12)
    direct = sum(doubled[k] for k in LINES if k != "overheads")  # not salaries_<team>: part of salaries
    assert doubled["overheads"] == pytest.approx(0.1 * direct, rel=1e-12)
    assert set(LINES) <= set(base)


def test_cost_lines_by_hand():
    """Two analysts for 361 days of 2026 (1.03 × 2025 prices): each line from the inputs by hand."""
    lines = lines_of(hotline())
    fte_years = 2 * 361 / 365.25  # the project's year has 365.25 days
    index = 1.03
    assert lines["salaries"] == pytest.approx(fte_years * 40000 * index, rel=1e-12)
    assert lines["on_costs"] == pytest.approx(fte_years * 40000 * 0.2 * index, rel=1e-12)
    assert lines["wellbeing"] == pytest.approx(fte_years * 12 * 80 * index, rel=1e-12)
    assert lines["licences"] == pytest.approx(fte_years * 1000 * index, rel=1e-12)
    assert lines["management"] == pytest.approx(fte_years / 8 * 55000 * 1.2 * index, rel=1e-12)
    assert lines["recruitment"] == lines["training"] == 0  # nobody new in the plan as written


@pytest.mark.parametrize(("where", "value", "message"), [
    (("teams", "analysts", "on_costs"), -0.1, "costs.teams.analysts.on_costs: a cost (on_costs) cannot be negative"),
    (("teams", "analysts", "training_cost"), "lots", "costs.teams.analysts.training_cost"),
    (("roles", 0, "per"), 0, "costs.roles.0.per"),
    (("roles", 0, "teams"), ["analyst"], "costs.roles.0.teams: 'analyst' is no such team; teams are analysts"),
    (("overheads",), 7, "costs.overheads"),
])
def test_bad_cost_input_names_the_key(where, value, message):
    raw = hotline()
    node = raw["costs"]
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    with pytest.raises(ScenarioError) as err:
        load_scenario(raw)
    assert message in str(err.value)


# ----------------------------------------------------------------------------- growth


def test_growth_per_year_compounds_from_the_rate_date():
    scenario = load_scenario(hotline())
    stream = scenario.demand[0]
    rate_date = (dt.date(2025, 7, 1) - scenario.clock.start).days * SECONDS_PER_DAY  # before the start
    at = np.array([rate_date, rate_date + SECONDS_PER_YEAR, rate_date + 2 * SECONDS_PER_YEAR])
    yearly = rate_at(stream, scenario.clock, at) * SECONDS_PER_YEAR * 7 / 7
    weekday = rate_at(stream, scenario.clock, at) / (stream.rate * 1.3 ** np.arange(3))
    assert np.allclose(weekday, 1.0)  # no weekly pattern: the rate is exactly 20,000 × 1.3^k a year
    assert yearly[0] == pytest.approx(20000, rel=1e-9)
    assert stream.growth.annual_growth == pytest.approx(0.3, rel=1e-12)


def test_growth_per_year_and_doubling_time_are_one_or_the_other():
    raw = hotline()
    raw["demand"][0]["growth"]["doubling_time"] = "365d"
    with pytest.raises(ScenarioError, match="give either doubling_time .* or per_year"):
        load_scenario(raw)


def test_bundled_growth_scenarios_grow_all_reports_from_2024_and_measure_from_the_next_grant_year():
    for level in ("low", "central", "high"):
        scenario = load_scenario(f"scenarios/growth-{level}.yaml")
        measured = scenario.clock.start + dt.timedelta(seconds=scenario.clock.warmup)
        assert measured == dt.date(2027, 4, 1)
        reports = next(s for s in scenario.demand if s.stream == "reports")
        assert reports.rate_date == dt.date(2024, 7, 1)
        growth = reports.growth.annual_growth
        assert 0.15 < growth < 0.30, growth  # the fitted pace of IWF reports assessed 2012-2024, 95% CI ends


# ----------------------------------------------------------------------------- grant years


def test_grant_years_are_the_ones_asked_for():
    years = grant_years(dt.date(2027, 4, 1), 3, dt.date(2027, 3, 4))
    assert [(y.label, y.first, y.last) for y in years] == [
        ("2027/28", dt.date(2027, 4, 1), dt.date(2028, 3, 31)),
        ("2028/29", dt.date(2028, 4, 1), dt.date(2029, 3, 31)),
        ("2029/30", dt.date(2029, 4, 1), dt.date(2030, 3, 31)),
    ]
    assert years[0].t0 == 28 * SECONDS_PER_DAY and years[-1].t1 == (dt.date(2030, 4, 1) - dt.date(2027, 3, 4)).days * SECONDS_PER_DAY
    assert [y.label for y in grant_years(dt.date(2027, 1, 1), 2, dt.date(2026, 12, 1))] == ["2027", "2028"]
    with pytest.raises(ValueError, match="not the start of a fiscal year .04-01.*--fiscal-year-start 05-01"):
        grant_years(dt.date(2027, 5, 1), 2, dt.date(2027, 4, 1), (4, 1))


def test_reclocking_keeps_volumes_on_their_dates_and_refuses_a_later_start():
    scenario = load_scenario(hotline())
    clocked = grant_scenario(scenario, dt.date(2027, 4, 1), 2)
    assert clocked.clock.start == dt.date(2027, 3, 18) and clocked.clock.warmup == 14 * SECONDS_PER_DAY
    day = dt.date(2027, 6, 1)
    before = rate_at(scenario.demand[0], scenario.clock, np.array([(day - scenario.clock.start).days * SECONDS_PER_DAY]))
    after = rate_at(clocked.demand[0], clocked.clock, np.array([(day - clocked.clock.start).days * SECONDS_PER_DAY]))
    assert after == pytest.approx(before, rel=1e-12)
    assert clocked.costs.price_year == 2025
    with pytest.raises(ScenarioError, match="clock.start is 2026-01-05, after the grant start 2025-04-01"):
        grant_scenario(scenario, dt.date(2025, 4, 1), 2)


@pytest.fixture(scope="module")
def sized():
    """Two grant years of the small hotline, with and without growth (common random numbers)."""
    flat = hotline(name="flat")
    flat["demand"][0]["growth"] = {"model": "none"}
    return grant([load_scenario(flat), load_scenario(hotline())], dt.date(2027, 4, 1), 2, replications=4)


def test_grant_runs_on_the_usable_cores_by_default_with_the_same_numbers(sized):
    """No --workers: as many processes as usable cores (a small hotline fits in memory many times
    over), at most one per replication; the table is the one made on one process, to the bit."""
    import os

    import pandas as pd

    flat = hotline(name="flat")
    flat["demand"][0]["growth"] = {"model": "none"}
    again = grant([load_scenario(flat), load_scenario(hotline())], dt.date(2027, 4, 1), 2, replications=4,
                  workers=None)
    assert sized.workers == 1
    assert again.workers == min(len(os.sched_getaffinity(0)), 4)
    pd.testing.assert_frame_equal(again.table, sized.table)


def test_grant_table_has_the_grant_years_and_growth_costs_more(sized):
    table = sized.table
    assert list(table[table.scenario == "small"].year) == ["2027/28", "2028/29", "all"]
    assert list(table[table.scenario == "small"].first_day[:2]) == ["2027-04-01", "2028-04-01"]
    growing = table[(table.scenario == "small") & (table.year == "2028/29")].iloc[0]
    flat = table[(table.scenario == "flat") & (table.year == "2028/29")].iloc[0]
    assert growing.fte_needed > flat.fte_needed
    assert growing.total_cost_vs_first_ci_low > 0  # paired: growth costs more, beyond the noise
    assert sized.warmup_days == [14, 14]


def test_the_plan_meets_the_slas_when_replayed(sized):
    """Replay each costed plan: every grant year meets its SLA in at least 90% of replications
    (the solver's confidence), as the solver promised."""
    assert sized.attainable
    for scenario in sized.scenarios:
        met = np.zeros((4, len(sized.years)), dtype=bool)
        for r in range(4):
            rep = simulate_replication(scenario, sized.seed, r)
            for k, year in enumerate(sized.years):
                met[r, k] = period_attainment(scenario, rep, year.t0, year.t1)["normal"] >= 0.9
        assert (met.mean(axis=0) >= 0.9).all(), (scenario.name, met)


# ----------------------------------------------------------------------------- review time from own numbers


def test_calibrate_team_derives_review_time_by_hand():
    derived = calibrate_team(load_scenario("scenarios/one-team.yaml"))
    usable = 4 * 0.85 * 5 * 365.25 / 7  # capped hours a day × (1 - shrinkage) × days a week × weeks
    assert derived.usable_hours_per_seat == pytest.approx(usable, rel=1e-12)
    assert derived.seconds_per_item == pytest.approx(0.85 * usable * 3600 * 5 / 40000, rel=1e-12)
    assert derived.fragment()["review"]["report"]["mean"] == f"{derived.seconds_per_item:.0f}s"
    assert math.isclose(derived.fte_needed(40000), 5.0)


# ----------------------------------------------------------------------------- the command


def test_grant_command_refuses_bad_dates_with_one_message(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["grant", "one-team", "--from", "2027-13-01", "--out", str(tmp_path / "g")])
    assert result.exit_code == 2 and "--from '2027-13-01' is not a date" in result.output
    result = runner.invoke(app, ["grant", "one-team", "--from", "2025-04-01", "--out", str(tmp_path / "g")])
    assert result.exit_code == 2 and "after the grant start 2025-04-01" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["grant", "one-team", "--from", "2027-04-01", "--fiscal-year-start", "4/1"])
    assert result.exit_code == 2 and "MM-DD" in result.output


def test_two_own_points_warn_and_borrow_an_honest_interval():
    """Two yearly counts: the Poisson interval is far too narrow, so the command warns and gives
    the interval the IWF series' own scatter implies (wide: it straddles zero growth here)."""
    result = CliRunner().invoke(app, ["calibrate", "growth", "2023=35500,2024=40000"])
    assert result.exit_code == 0
    assert "two points give a rate (+13% a year) but cannot give an honest interval" in result.output
    assert "-39% to +109% a year" in result.output


def test_footer_and_report_name_every_override(sized):
    from capsim import charts
    from capsim.charts.footer import footer_text
    from capsim.report.grant import render_grant_report

    changed = load_scenario(hotline(), ["workforce.analysts.headcount=4"])
    assert "Changed from the scenario files: --set workforce.analysts.headcount=4" in footer_text([changed], 1, 3)
    planned = sized.scenarios[1]
    assert any(o.startswith("plan: workforce.analysts headcount") for o in planned.overrides)
    footer = footer_text([planned], sized.seed, sized.replications)
    assert "plan: workforce.analysts" in footer and "warm-up 14 days to the grant start 2027-04-01" in footer
    fig = charts.grant_per_year(sized.table, sized.scenarios, sized.seed, sized.replications)
    assert "plan: workforce.analysts" in fig.texts[-1].get_text().replace("\n", " ")
    page = render_grant_report(sized, "<svg></svg>")
    assert "2027/28" in page and "Changed from the scenario files" in page and "plan: workforce.analysts" in page
    assert "Recruitment and vetting" in page and "Management and quality assurance" in page


def test_grant_chart_footer_names_the_scenario_of_each_plan(sized):
    # The footer listed "plan: workforce.analysts headcount ..." once per scenario without saying whose.
    from capsim import charts

    plans = [[o for o in s.overrides if o.startswith("plan:")] for s in sized.scenarios]
    assert plans[0] != plans[1]  # growth needs another plan than no growth
    fig = charts.grant_per_year(sized.table, sized.scenarios, sized.seed, sized.replications)
    footer = " ".join(fig.texts[-1].get_text().split())
    for scenario, (plan,) in zip(sized.scenarios, plans):
        assert f"{scenario.name}: {' '.join(plan.split())}" in footer
    shared = [o for o in sized.scenarios[0].overrides if o.startswith("clock:")]
    assert shared == [o for o in sized.scenarios[1].overrides if o.startswith("clock:")]
    assert footer.count(" ".join(shared[0].split())) == 1  # a change made to both, listed once, unnamed


def test_grant_table_gives_the_backlog_in_items_with_its_interval(sized):
    # "backlog (mean)" gave a bare number: no unit, no interval.
    from capsim.cli import out_console, print_grant

    with out_console.capture() as captured:
        print_grant(sized, "EUR")
    text = " ".join(captured.get().split())
    assert "items waiting" in text and "over the year" in text and "backlog (mean)" not in text
    row = sized.table.iloc[0]
    assert f"{row.backlog_mean:,.0f} ({row.backlog_mean_ci_low:,.0f}–{row.backlog_mean_ci_high:,.0f})" in text


def test_grant_chart_gives_each_share_its_interval_at_a_readable_size(sized):
    # The shares over the bars ("96%") had no interval, in 10 pt type.
    from matplotlib.text import Text

    from capsim import charts

    table = sized.table.copy()
    (own,) = [c.removesuffix("_target") for c in table if c.startswith("sla_") and c.endswith("_target")]
    table[own], table[f"{own}_ci_low"], table[f"{own}_ci_high"] = 0.95, 0.904, 0.99
    fig = charts.grant_per_year(table, sized.scenarios, sized.seed, sized.replications)
    labels = [t for t in fig.axes[0].findobj(Text) if t.get_text().startswith("95.0%")]
    assert len(labels) == 4  # two scenarios, two grant years
    assert all(t.get_text() == "95.0%\n(90.4–99.0)" and t.get_fontsize() >= charts.MIN_FONT_PT for t in labels)
    assert "the share in time (95% CI, %)" in fig.axes[0].get_title(loc="left")


def test_sensitivity_scales_growth_as_written():
    """A growth written per year is varied per year (a doubling time set beside it would be refused)."""
    from capsim.sensitivity import default_parameters

    keys = default_parameters(load_scenario("scenarios/one-team.yaml"))
    assert "demand.reports.growth.per_year" in keys and "demand.reports.growth.doubling_time" not in keys
    faster = load_scenario("scenarios/one-team.yaml", ["demand.reports.growth.per_year=0.36"])
    assert faster.demand[0].growth.annual_growth == pytest.approx(0.36, rel=1e-12)


def test_part_time_analysts_cost_and_count_as_fractions():
    """Two full-time and two half-time analysts (shift patterns): 3 FTE in the budget, and their
    salaries those of 3 FTE; recruitment would count heads, not fractions."""
    from capsim.budget import budget

    raw = hotline()
    raw["workforce"][0].pop("roster")
    raw["workforce"][0]["headcount"] = 4
    raw["workforce"][0]["shifts"] = [
        {"name": "full", "headcount": 2, "hours_per_day": 7.5, "days": ["mon", "tue", "wed", "thu", "fri"], "fte": 1.0},
        {"name": "half", "headcount": 2, "hours_per_day": 7.5, "days": ["mon", "tue", "wed", "thu", "fri"], "fte": 0.5},
    ]
    raw["clock"]["horizon"] = "100d"
    table = budget([load_scenario(raw)], replications=1).table.set_index("year")
    assert table.loc["all", "fte"] == pytest.approx(3.0, rel=1e-12)
    days = (100 - 14)  # measured: after the 14-day warm-up, all in 2026
    assert table.loc["all", "salaries"] == pytest.approx(3 * 40000 * 1.03 * days / 365.25, rel=1e-9)


# ----------------------------------------------------------------------------- issue 15, user trial


def test_bundled_growth_scenarios_cost_in_full_with_salaries_per_team():
    """The growth scenarios inherit base.yaml's full costs: every line a finance officer keeps,
    salaries named by team (before: one 'Analyst salaries' line covering every team)."""
    from capsim.costs import shown_lines

    scenario = load_scenario("scenarios/growth-central.yaml")
    assert scenario.costs.inflation > 0 and scenario.costs.overheads > 0 and scenario.costs.roles
    lines = cost_lines(scenario, 0.0, 30 * SECONDS_PER_DAY, None, {})
    for line in ("on_costs", "management", "wellbeing", "licences", "overheads"):
        assert lines[line] > 0, line
    teams = [t.team for t in scenario.workforce]
    assert sum(lines[f"salaries_{t}"] for t in teams) == pytest.approx(lines["salaries"], rel=1e-12)
    labels = [label for _, label in shown_lines(teams)]
    assert "Analysts' salaries" in labels and "Graders' salaries" in labels and "Salaries" not in labels


def test_a_cost_with_no_spread_says_so_instead_of_a_degenerate_interval(sized):
    """No attrition: the plan fixes the staff, so every replication costs the same."""
    from capsim.cli import out_console, print_grant
    from capsim.grant import NO_SPREAD
    from capsim.report.grant import render_grant_report

    assert (sized.table.total_cost_ci_low == sized.table.total_cost_ci_high).all()
    assert (sized.table.cost_note == NO_SPREAD).all()
    page = render_grant_report(sized, "<svg></svg>")
    assert NO_SPREAD in page and "95% CI EUR" not in page
    with out_console.capture() as captured:
        print_grant(sized, "EUR")
    text = captured.get()
    assert NO_SPREAD in " ".join(text.split()) and "± 0" not in text


def test_service_levels_are_named_in_plain_words(sized):
    from capsim import charts
    from capsim.cli import out_console, print_grant
    from capsim.report.grant import render_grant_report

    page = render_grant_report(sized, "<svg></svg>")
    assert "reports within 72 h (analysts)" in page and "normal assessed in time" not in page
    fig = charts.grant_per_year(sized.table, sized.scenarios, sized.seed, sized.replications)
    assert any("reports within 72 h (analysts)" in ax.get_title(loc="left") for ax in fig.axes)
    with out_console.capture() as captured:
        print_grant(sized, "EUR")
    assert "in time: normal" not in captured.get()


def test_grant_chart_keeps_long_sla_lists_whole_and_equal_costs_unranged(sized):
    """Many SLAs (a classifier's queues at two teams) made one subtitle line so long that the
    panels collapsed; each name now stays whole on a line of at most SUBTITLE_CHARS. Two
    scenarios whose costs round alike no longer "range from GBP 2.8 million to GBP 2.8 million"."""
    from capsim import charts
    from capsim.charts.grant import SUBTITLE_CHARS

    table = sized.table.copy()
    (own,) = [c.removesuffix("_target") for c in table if c.startswith("sla_") and c.endswith("_target")]
    for extra in ("sla_high_analysts", "sla_normal_graders", "sla_high_graders"):  # as with a classifier
        table[extra], table[f"{extra}_target"] = table[own], 0.9
    fig = charts.grant_per_year(table, sized.scenarios, sized.seed, sized.replications)
    lines = fig.axes[0].get_title(loc="left").split("\n")
    assert len(lines) > 2 and all(len(line) <= SUBTITLE_CHARS + 1 for line in lines), lines
    assert "reports within 72 h (analysts)" in lines[1]
    same = table.copy()  # the second scenario costing what the first does, year by year
    for column in ("total_cost", "total_cost_ci_low", "total_cost_ci_high"):
        same[column] = same.groupby("year")[column].transform("first")
    title = " ".join(charts.grant_per_year(same, sized.scenarios, sized.seed, sized.replications)._suptitle.get_text().split())
    assert "the full cost is about" in title and "ranges" not in title


def test_hires_arrive_after_their_lead_time_and_a_late_year_says_so():
    """One analyst, far too few: the first year's hires are recruited from the grant start, so they
    start 90 days later and are trained 4 weeks after that, ceil((90 + 28) / 7) = 17 weeks late;
    the costed, simulated plan has them then, not on the grant start."""
    raw = hotline()
    raw["workforce"][0].update(headcount=1, hiring={"lead_time": "90d"}, ramp={"weeks": 4, "start": 0.5})
    result = grant([load_scenario(raw)], dt.date(2027, 4, 1), 1, replications=2)
    team = result.scenarios[0].workforce[0]
    assert team.changes and min(c.date for c in team.changes) >= dt.date(2027, 4, 1) + dt.timedelta(days=90)
    assert result.table.set_index("year").loc["2027/28", "hires_late_weeks_analysts"] == 17
    from capsim.report.grant import render_grant_report

    assert "the hires of team analysts are late by 17 weeks" in render_grant_report(result, "<svg></svg>")


def test_shares_accept_percentages_and_no_growth_says_how_to_write_it():
    raw = hotline()
    costs = raw["costs"]
    costs.update(inflation="3%", overheads="10%")
    costs["teams"]["analysts"]["on_costs"] = "20%"
    costs["roles"][0]["on_costs"] = "20%"
    assert lines_of(raw) == pytest.approx(lines_of(hotline()), rel=1e-12)
    raw = hotline()
    raw["demand"][0]["growth"]["per_year"] = "0%"
    with pytest.raises(ScenarioError, match="no growth: to hold the volume flat, omit growth"):
        load_scenario(raw)


def test_calibrate_team_takes_utilisation_as_a_percentage():
    runner = CliRunner()
    share = runner.invoke(app, ["calibrate", "team", "one-team", "--utilisation", "0.85"])
    percent = runner.invoke(app, ["calibrate", "team", "one-team", "--utilisation", "85%"])
    assert share.exit_code == percent.exit_code == 0 and percent.output == share.output
    bad = runner.invoke(app, ["calibrate", "team", "one-team", "--utilisation", "lots"])
    assert bad.exit_code == 2 and "--utilisation 'lots' is not a share" in bad.output and "Traceback" not in bad.output


def test_shared_sla_columns_are_named_by_the_first_scenario_in_table_chart_and_console(sized):
    """The console named a column two scenarios share from the last of them, the chart from the
    first: with the second's deadline changed to 96 h, the table's header names the first's (72 h),
    a note under it the second's, and the chart each scenario's."""
    import dataclasses

    from capsim import charts
    from capsim.cli import out_console, print_grant

    first, second = sized.scenarios
    later = second.model_copy(update={"sla": [second.sla[0].model_copy(update={"within": 96 * 3600.0})]})
    mixed = dataclasses.replace(sized, scenarios=[first, later])
    with out_console.capture() as captured:
        print_grant(mixed, "EUR")
    table, notes = captured.get().split("\nFull cost: fixed", 1)
    assert "within 72 h" in table and "within 96 h" not in table
    assert ("reports within 72 h (analysts): not the same measure in every scenario (in flat, reports within 72 h "
            "(analysts); in small, reports within 96 h (analysts))") in " ".join(notes.split())
    fig = charts.grant_per_year(mixed.table, mixed.scenarios, mixed.seed, mixed.replications)
    title = " ".join(fig.axes[0].get_title(loc="left").split())
    assert "reports within 72 h (analysts) in flat / reports within 96 h (analysts) in small" in title


def test_hires_are_counted_as_people(sized):
    # "0.0 hires" and "1.0 hires" read as estimates of a fraction of a person: whole hires are counted
    import re

    from capsim.report.grant import render_grant_report

    page = render_grant_report(sized, "<svg></svg>")
    counted = re.findall(r"in post on average[^;]*; ([0-9.]+) hires?(?: in all)?(?: on average)?[,)]", page)
    assert counted and all("." not in n for n in counted)
    hires = sized.table.hires.astype(float)
    assert hires.map(float.is_integer).all()  # the plans hire whole people here
    assert (" 1 hire," in page) == (hires == 1).any() and " 1 hires" not in page


def test_the_grant_table_marks_an_sla_a_scenario_does_not_have(sized):
    """Scenarios side by side with different SLAs (base beside a classifier's queues): a scenario
    without an SLA shows that it has none, never "nan% (nan–nan%) < nan%"."""
    import copy

    from capsim.cli import out_console, print_grant

    result = copy.copy(sized)
    table = sized.table.copy()
    (own,) = [c.removesuffix("_target") for c in table if c.startswith("sla_") and c.endswith("_target")]
    theirs = table.scenario == sized.scenarios[1].name  # only the second scenario has the extra SLA
    for suffix in ("", "_ci_low", "_ci_high", "_target"):
        table[f"sla_high_analysts{suffix}"] = table[f"{own}{suffix}"].where(theirs)
    result.table = table
    width, out_console.width = out_console.width, 400  # every cell on one line
    try:
        with out_console.capture() as captured:
            print_grant(result, "GBP")
    finally:
        out_console.width = width
    text = captured.get()
    assert "nan" not in text and text.count("no such SLA") == int((~theirs).sum())
