"""The by-year chart's title stays short however many service levels it judges.

A hotline of two teams (intake refers criminal reports to grading) with two SLAs judges three levels, and a
classifier over two teams' streams four; the title quoted each level's sentence in full and ran to ten
lines, which an advocate crops. With more than two levels the title now gives their verdict together, each
legend entry its own first and last levels and verdict, and the chart's description (its alt text) every
level's sentence in full.
"""

from __future__ import annotations

import re

import pytest

from capsim.charts.by_year import by_year, measure_words, sla_measures, staff_words, year_labels, year_verdict
from capsim.charts.describe import describe
from capsim.charts.style import title_lines
from capsim.experiment import simulate
from capsim.scenario import load_scenario
from capsim.units import target_percent
from capsim.words import duration_text, percent_against

ROSTER = {"hours_per_day": 8, "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00"}
CLOCK = {"horizon": "3y", "warmup": "28d", "start": "2027-01-04", "step": "7d"}
MIX = {"ai_generated": 0.2, "known": 0.0, "criminal": 0.4}

THREE = {
    "name": "intake-and-grading",
    "clock": CLOCK,
    "priorities": ["urgent", "normal"],
    "demand": [{"stream": "reports", "unit": "report", "rate": "30000/year", "team": "intake", "mix": MIX,
                "growth": {"model": "exponential", "doubling_time": "843d"},
                "priority_mix": {"urgent": 0.1, "normal": 0.9}}],
    "review": {"report": {"dist": "lognormal", "mean": "4min", "cv": 1.0}},
    "workforce": [{"team": "intake", "headcount": 4, "roster": ROSTER},
                  {"team": "grading", "headcount": 2, "roster": ROSTER,
                   "task_time": {"dist": "lognormal", "mean": "10min", "cv": 1.0}}],
    "routing": [{"from": "intake", "to": "grading", "when": {"criminal": True}, "priority": "normal"}],
    "sla": [{"priority": "urgent", "within": "24h", "target": 0.9}, {"priority": "normal", "within": "5d", "target": 0.9}],
}
"""The user trial's hotline (mgr.yaml): urgent reports, normal ones at intake, and those referred to grading."""

FOUR = {
    "name": "four-levels",
    "clock": CLOCK,
    "priorities": ["high", "normal"],
    "demand": [{"stream": "reports", "unit": "report", "rate": "20000/year", "priority": "normal", "team": "analysts",
                "growth": {"model": "exponential", "doubling_time": "365d"}, "mix": MIX},
               {"stream": "images", "unit": "image", "rate": "8000/year", "priority": "normal", "team": "graders",
                "mix": MIX}],
    "review": {"report": {"dist": "lognormal", "mean": "5min", "cv": 1.0},
               "image": {"dist": "lognormal", "mean": "5min", "cv": 1.0}},
    "workforce": [{"team": "analysts", "headcount": 2, "roster": ROSTER},
                  {"team": "graders", "headcount": 2, "roster": ROSTER}],
    "tooling": {"classifier": {"enabled": True, "recall": 0.9, "fpr": 0.1, "positive_priority": "high",
                               "negative_priority": "normal", "time_factor": 0.8}},
    "sla": [{"priority": "normal", "within": "72h", "target": 0.9}],
}
"""A classifier over two teams' streams (gc-classifier): all items, the unflagged ones pooled, and at each team;
the analysts' growing stream misses the target, the graders' does not."""


@pytest.fixture(scope="module", params=["three", "four"])
def run(request):
    return simulate(load_scenario({"three": THREE, "four": FOUR}[request.param]), replications=2, seed=3)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _levels(run) -> list[tuple]:
    """Each level the chart judges, with its first and last levels (years of three months or more) and verdict."""
    s = run.scenario
    compared = year_labels(run, 90)
    table = run.period_summary
    out = []
    for sla, metric, team in sla_measures(s):
        rows = table[(table.metric == metric) & table.period.isin(compared)]
        first, last = (percent_against(v, sla.target, 1) for v in rows["mean"].iloc[[0, -1]])
        out.append((f"{measure_words(s, sla, team, metric)} within {duration_text(sla.within)}", first, last,
                    f"the {target_percent(sla.target)} target is {year_verdict(run, sla, metric, list(compared))}"))
    return out


def test_premise_several_levels(run):
    assert len(sla_measures(run.scenario)) in (3, 4)


def test_title_fits_three_lines(run):
    """Wrapped as the chart wraps it, and as drawn: no more than three lines."""
    fig = by_year(run)
    assert len(title_lines(_flat(fig._suptitle.get_text()))) <= 3
    fig.draw_without_rendering()
    box = fig._suptitle.get_window_extent()
    assert box.height <= 3 * 1.3 * fig._suptitle.get_fontsize() * fig.dpi / 72  # three lines of 15 pt at most


def test_title_gives_the_verdict_together_with_the_staff(run):
    title = _flat(by_year(run)._suptitle.get_text())
    n = len(sla_measures(run.scenario))
    assert re.search(rf"of {n} service levels miss the 90% target(, first in | by \d{{4}}, the first in )", title), title
    assert title.endswith(", with " + staff_words(run.scenario, [t.team for t in run.scenario.workforce], brief=True))
    assert title.endswith("the scenario holds constant")


def test_each_legend_entry_holds_its_levels_and_verdict(run):
    fig = by_year(run)
    legend = [_flat(t.get_text()) for t in fig.axes[0].get_legend().get_texts()]
    for counted, first, last, verdict in _levels(run):
        assert f"{counted}: {first} \u2192 {last}; {verdict}" in legend, (counted, legend)


def test_alt_text_holds_every_levels_figures_and_verdict(run):
    """The description (alt text) reads the legend out as its key: every level's first and last shares
    and its verdict, which the short title gives together."""
    text = describe(by_year(run))
    key = text[text.index("Key: "):]
    for counted, first, last, verdict in _levels(run):
        assert f"{counted}: {first} \u2192 {last}; {verdict}" in key, (counted, key)


def test_levels_verdict_words(run):
    """The verdict together, by the shared rule: a level missed with its whole 95% CI below the target, one missed
    on average only, met in every year, met on average only, no outcome known; "their targets" where they differ."""
    from capsim.charts.by_year import Judged, _years_verdict

    first, last = list(year_labels(run))[0], list(year_labels(run))[-1]
    said = year_labels(run)

    def level(surely=None, missed=None, met=False, known=True) -> Judged:
        return Judged(known, surely, missed, met)

    assert _years_verdict(run, [level(last, last), level(None, last), level(met=True), level(known=False)],
                          [0.9] * 4) == (f"1 of 4 service levels misses the 90% target, first in {said[last]}; 1 more "
                                         f"on average only, first in {said[last]}; 1 has no item's outcome known")
    assert _years_verdict(run, [level(None, last), level(None, first), level()], [0.9] * 3) == \
        f"2 of 3 service levels miss the 90% target on average only, by {said[last]}, the first in {said[first]}"
    assert _years_verdict(run, [level(met=True), level(met=True), level()], [0.9] * 3) == \
        "2 of 3 service levels meet the 90% target in every year, 1 more on average only"
    assert _years_verdict(run, [level(), level(), level()], [0.9, 0.95, 0.9]) == \
        "all 3 service levels meet their targets on average in every year"
    assert _years_verdict(run, [level(first, first), level(met=True), level(met=True)], [0.9, 0.95, 0.9]) == \
        f"1 of 3 service levels misses its target, first in {said[first]}"


def test_levels_verdict_never_gives_the_later_year_alone(run):
    """A level missed on average in the first year but with its whole 95% CI below the target only in the last:
    the title gives both years, as the level's legend entry does (:func:`year_verdict`), never the last alone,
    which an advocate quotes as the year the target is first missed."""
    from capsim.charts.by_year import Judged, _years_verdict

    first, last = list(year_labels(run))[0], list(year_labels(run))[-1]
    said = year_labels(run)
    assert _years_verdict(run, [Judged(True, last, first, False), Judged(True, None, None, True),
                                Judged(True, None, None, True)], [0.9] * 3) == (
        f"1 of 3 service levels misses the 90% target, first on average in {said[first]}, first with its whole 95% CI "
        f"below it in {said[last]}")
    assert _years_verdict(run, [Judged(True, last, first, False), Judged(True, last, last, False),
                                Judged(True, None, last, False)], [0.9, 0.95, 0.9]) == (
        f"2 of 3 service levels miss their targets by {said[last]}, the first on average in {said[first]}, the first "
        f"with a level's whole 95% CI below its target in {said[last]}; 1 more on average only, first in {said[last]}")


def test_legend_shares_have_the_year_tables_tenths(run):
    """The legend gives each level's first and last years' shares to a tenth, as the report's year table does
    (:func:`capsim.words.fmt`), but where that would read on the other side of the target: 75.6% to 76.4% never
    reads "76% → 76%"."""
    from capsim.words import fmt

    fig = by_year(run)
    legend = " ".join(_flat(t.get_text()) for t in fig.axes[0].get_legend().get_texts())
    compared = year_labels(run, 90)
    table = run.period_summary
    for sla, metric, _ in sla_measures(run.scenario):
        shares = table[(table.metric == metric) & table.period.isin(compared)]["mean"].iloc[[0, -1]]
        for share, where in zip(shares, (": {} \u2192", "\u2192 {};")):
            said = fmt(metric, share)
            if (float(said.rstrip("%")) < 100 * sla.target) == (share < sla.target):  # on its own side of the target
                assert where.format(said) in legend, (said, legend)


def test_time_to_assessment_judges_several_levels_together(run):
    """The waits chart's title quoted each level's sentence too (ten lines for a classifier over two teams): with
    more than two levels it gives their verdict together, and each row of the right panel its share and verdict."""
    from capsim.charts.waits import time_to_assessment
    from capsim.metrics import metric_range
    from capsim.results import mean_ci
    from capsim.words import target_side

    s = run.scenario
    fig = time_to_assessment(run.per_replication, s, run.seed)
    title = _flat(fig._suptitle.get_text())
    assert "deadline: the 90% target is" not in title and "; of " not in title
    assert re.search(r"; (all|\d) (of \d )?service levels (miss|meet)", title), title
    rows = [_flat(t.get_text()) for t in fig.axes[1].get_yticklabels() if t.get_text()]
    for sla, metric, team in sla_measures(s):
        ci = mean_ci(run.per_replication[metric].to_numpy(dtype=float), bounds=metric_range(metric))
        said = percent_against(ci[0], sla.target, 1 if 0.99 < ci[0] < 1 else 0)
        assert f"{measure_words(s, sla, team, metric)}: {said}, target {target_side(*ci, sla.target)[0]}" in rows, rows


def test_title_sentences_have_the_year_tables_tenths():
    """With two levels the title quotes each level's sentence: its years' shares to a tenth, as the report's year
    table gives them (:func:`capsim.words.fmt`), never "76% in 2027 to 76% in 2029" for 75.6% to 76.4%."""
    two = {key: value for key, value in THREE.items() if key != "routing"}
    result = simulate(load_scenario({**two, "name": "two-levels"}), replications=2, seed=3)
    assert len(sla_measures(result.scenario)) == 2  # the premise: each level's sentence in full
    title = _flat(by_year(result)._suptitle.get_text())
    labels, table = year_labels(result), result.period_summary
    sla, metric, _ = sla_measures(result.scenario)[0]  # urgent reports: about 76% in every year
    rows = table[(table.metric == metric) & table.period.isin(year_labels(result, 90))]
    said = [percent_against(share, sla.target, 1) for share in rows["mean"]]
    assert len(set(said)) > 1 and all(re.fullmatch(r"\d+\.\d%", x) for x in said), said  # the premise
    assert f"(of those arriving in each year): {said[0]} in {labels[rows.period.iloc[0]]} to " in title, title


def test_time_to_assessment_title_fits_three_lines(run):
    """The waits chart's title judging several levels together was five lines for a classifier over two teams (the
    streams pooled named in it, and each team's wait): no more than three."""
    from capsim.charts.waits import time_to_assessment

    fig = time_to_assessment(run.per_replication, run.scenario, run.seed)
    assert len(title_lines(_flat(fig._suptitle.get_text()))) <= 3


def test_time_to_assessment_gives_the_streams_and_each_teams_wait_in_its_left_panel():
    """What the short title leaves out is on the chart, and in its description: the streams pooled in the left
    panel's title, each team's mean wait to start as a row of that panel, its label with the mean."""
    from capsim.charts.by_year import streams_words
    from capsim.charts.waits import time_to_assessment
    from capsim.units import duration_unit, hours_words

    result = simulate(load_scenario(FOUR), replications=2, seed=3)
    s, reps = result.scenario, result.per_replication
    fig = time_to_assessment(reps, s, result.seed)
    title = _flat(fig._suptitle.get_text())
    assert "items from the streams are assessed within" in title and "items wait to start" not in title, title
    left = fig.axes[0]
    assert f"the streams' own items: {streams_words(s)} (referrals: by team, right)" in _flat(left.get_title(loc="left"))
    unit = duration_unit(reps["time_to_assessment_p50"].mean(), reps["time_to_assessment_p90"].mean())
    rows = [_flat(t.get_text()) for t in left.get_yticklabels()]
    for team in ("analysts", "graders"):
        assert f"Wait to start, mean, at team {team}: {hours_words(reps[f'wait_mean_{team}'].mean(), unit)}" in rows
    text = describe(fig)
    assert "Wait to start, mean, at team analysts: " in text and streams_words(s) in text
