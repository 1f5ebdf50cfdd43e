"""User trial 23, defects 2 and 11: a comparison says what differs besides the setting compared.

Notebook 05 compared base (13 analysts, 2024) with growth-high (25 analysts, Apr 2027–Mar 2030) and
its chart's footer named the growth but neither the headcount nor the dates (it listed tool settings
only); a team's level one run alone measures read "81.3% ... short of the 90% target" with no interval,
judged on the mean alone; and comparison lines gave differences without the levels they move between
("+43 points")."""

from __future__ import annotations

import pandas as pd
import pytest

from capsim import bundled, simulate
from capsim.charts.compare import _comparison_finding, comparison, settings_line
from capsim.compare import _backlog_change, _wait_change, team_lines
from capsim.scenario import load_scenario
from tests.test_compare_trial12 import CLASSIFIER, _run


def _load(name: str, *changes: str):
    return load_scenario(bundled.path(name), list(changes))


def footer(fig) -> str:
    return next(t.get_label() for t in fig.texts if t.get_gid() == "chart-footer")


def test_the_chart_footer_names_headcounts_and_dates_that_differ_not_only_tools():
    short = ["clock.horizon=60d", "clock.warmup=0d"]
    runs = [simulate(_load("base", *short), replications=2),
            simulate(_load("base", *short, "name=bigger", "workforce.analysts.headcount=25",
                           "clock.start=2027-04-01"), replications=2)]
    assert ("bigger differs from base: it measures 1 Apr 2027–30 May 2027 against base's Jan 2024–Feb 2024; has 25 "
            "analysts (team analysts) against base's 13") in " ".join(footer(comparison(runs)).split())


def test_every_section_that_differs_is_said_in_words_or_named_by_its_key():
    base, growth = _load("base"), _load("growth-high")
    assert settings_line([base, growth], ["base", "growth-high"]) == (
        "growth-high differs from base: it measures Apr 2027–Mar 2030 against base's 29 Jan 2024–30 Dec 2024; has 25 "
        "analysts (team analysts) against base's 13; has stream reports arriving at 1,200 a day on 1 Jul 2024, +27.3% "
        "a year, doubling every 1,049 days, against base's 1,200 a day; has stream ai-generated arriving at 0.67 a day "
        "at the start on 4 Mar 2027: IWF's 2024 figure, +647% a year, doubling every 126 days, against base's 0.67 a "
        "day; and sets 1 more setting differently: clock.step")
    other = _load("base", "name=b2", "review.report.mean=60s", "sla.normal.target=0.8", "costs.inflation=0.02")
    assert settings_line([base, other], ["base", "b2"]) == (
        "b2 differs from base: it takes 60 s on average to review a report against base's 90 s; sets normal-priority "
        "items a target of 80% within 72 h against base's 90% within 72 h; and sets 1 more setting differently: "
        "costs.inflation")
    assert settings_line([base, _load("base")], ["base", "base (2)"]) is None


def test_many_differences_are_counted_with_the_first_keys_named():
    said = settings_line([_load("base"), _load("police-unit")], ["base", "police-unit"])
    runs, tools = said.split(" · ")
    assert runs.count(";") == 4  # four phrases, then the rest counted
    assert "has no team analysts (13 analysts in base)" in runs
    assert runs.split("; ")[-1].startswith("and sets ") and runs.endswith(", ...")
    assert tools.startswith("Tools set differently: hash_matching on in base")


def test_a_level_one_run_alone_measures_is_judged_with_its_interval():
    first = load_scenario(bundled.path("growth-central"))
    other = load_scenario(bundled.path("growth-central"), ["name=gc-classifier", *CLASSIFIER])
    total = dict(backlog_end=[489000.0, 489300.0, 489600.0])
    runs = [_run(first, **total), _run(other, sla_normal_graders=[0.80, 0.89, 0.95], **total)]
    assert team_lines(runs)["gc-classifier"] == [
        "team graders: 88.0% of its normal-priority items within 72 h (95% CI 69.2% to 100%, upper end held at the "
        "100% maximum) against the 90% target: "
        "missed on average, but the 95% CI reaches above the target; it has none under this deadline in "
        "growth-central"]


def test_the_chart_title_gives_the_levels_a_difference_moves_between():
    table = pd.DataFrame({"scenario": ["base", "growth-high"] * 2,
                          "metric": ["backlog_mean"] * 2 + ["sla_normal"] * 2,
                          "mean": [3988.2, 289837.4, 0.9991, 0.1191],
                          "diff": [0.0, 285849.2, 0.0, -0.88], "diff_ci_low": [0.0, 267604.0, 0.0, -0.93],
                          "diff_ci_high": [0.0, 304095.0, 0.0, -0.84]})
    names = ["base", "growth-high"]
    assert _comparison_finding(table, names, "backlog_mean").endswith(
        "285,849 more with growth-high than with base (from 3,988 to 289,837; paired 95% CI +267,604 to +304,095)")
    assert _comparison_finding(table, names, "sla_normal").endswith(
        "88 points lower with growth-high than with base (from 99.9% to 11.9%; paired 95% CI −93 to −84 points)")


@pytest.mark.parametrize(("before", "d", "said"), [
    (4654.0, -4650.0, "from 4,654 to 4"),  # not "100% fewer": some are left
    (4654.0, -4654.0, "100% fewer"),
    (100.0, 100.2, "100% more"),  # a rise of 100% stays a percentage
])
def test_a_fall_that_leaves_some_never_reads_100_percent_fewer(before, d, said):
    assert _backlog_change(before, d, 0) == said


@pytest.mark.parametrize(("days", "before", "said"), [
    (-185.0, 185 * 24.0 + 4.8, "mean wait 185 days shorter (from 185 days to under 1 day; 95% CI "),
    (208.0, 3.4, "mean wait 208 days longer (from under 1 day to 208 days; 95% CI "),
])
def test_a_wait_of_hours_beside_one_of_months_never_reads_0_days(days, before, said):
    assert _wait_change((days * 24.0, (days - 1) * 24.0, (days + 1) * 24.0), before).startswith(said)


@pytest.mark.parametrize("sets, said", [
    (["name=b", "demand.reports.rate=1240/day"], "sets 1 setting differently: demand.reports.rate"),
    (["name=b", "demand.reports.growth.per_year=0.2251"], "demand.reports.growth.per_year"),
    (["demand.reports.growth.per_year=0.30"], "has stream reports arriving at 1,200 a day on 1 Jul 2024, +30.0% a year"),
])
def test_a_demand_difference_the_growth_sentence_cannot_show_is_still_said(sets, said):
    """Beside a growth sentence, a stream's difference is left to it only where it shows it: not a rate
    its figures round alike (1,240 a day reads 1,200), nor runs of one name (the sentence keys by name)."""
    from capsim import bundled
    from capsim.charts.compare import what_differs
    from capsim.scenario import load_scenario

    first = load_scenario(bundled.path("growth-central"))
    other = load_scenario(bundled.path("growth-central"), sets)
    line = what_differs([first, other], ["growth-central", "b"], growth_said=True)
    assert line is not None and said in line, line


def test_a_team_one_run_lacks_gives_its_analysts_beside_its_name():
    """"has no team graders (base has 12 analysts)" read as all of base's analysts, beside "13 analysts"."""
    from capsim import bundled
    from capsim.charts.compare import setting_differences
    from capsim.scenario import load_scenario

    said = "; ".join(setting_differences(load_scenario(bundled.path("base")),
                                         load_scenario(bundled.path("police-unit")), "base"))
    assert "has no team graders (12 analysts in base)" in said and "base has" not in said, said
