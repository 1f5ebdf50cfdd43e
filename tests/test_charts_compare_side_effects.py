"""The comparison chart lifted alone shows what the text says: a user trial (report of growth-central
against growth-classifier) printed "team victim_id: mean wait 83 days longer ... a side effect the
total hides" while charts/comparison.png had no panel of victim_id's queue (only its hours, the
same in both runs: the team works every hour it has); the chart named the classifier's recall but
not its fpr, its time factor (most of the saving) nor its cost; and two tick labels ran together
("−5,000,000–2,500,000")."""

from __future__ import annotations

import pytest

from capsim import bundled, simulate
from capsim.charts.compare import comparison, team_label
from capsim.charts.describe import describe
from capsim.compare import team_changes, team_lines
from capsim.scenario import load_scenario
from capsim.version import version

SMALL = ["clock.horizon=200d", "workforce.victim_id.headcount=1", "workforce.analysts.headcount=20"]
"""growth-central, short and with one victim-identification analyst: a classifier that speeds the
analysts floods victim identification within 200 days (as the trial's did over three years)."""

CLASSIFIER = ["name=growth-classifier", "tooling.classifier.enabled=true", "tooling.classifier.recall=0.9",
              "tooling.classifier.fpr=0.1", "tooling.classifier.positive_priority=high",
              "tooling.classifier.negative_priority=normal", "tooling.classifier.time_factor=0.8",
              "tooling.classifier.annual_cost=50000"]
"""The trial's growth-classifier.yaml, as settings."""


@pytest.fixture(scope="module")
def runs():
    return [simulate(load_scenario(bundled.path("growth-central"), [*SMALL, *extra]), replications=2)
            for extra in ([], CLASSIFIER)]


def panel_titles(fig) -> list[str]:
    return [" ".join(ax.get_title(loc="left").split()) for ax in fig.axes]


def footer(fig) -> str:
    return next(t.get_label() for t in fig.texts if t.get_gid() == "chart-footer")


@pytest.mark.parametrize("metrics", [None, ["sla_normal"]])
def test_each_team_the_text_calls_worse_has_its_own_panels(runs, metrics):
    worse = [c for c in team_changes(runs)["growth-classifier"] if c.worse]
    assert [c.team for c in worse] == ["victim_id"]
    assert "a side effect the total hides" in team_lines(runs)["growth-classifier"][0]
    assert "backlog_end_victim_id" in worse[0].metrics
    titles = panel_titles(comparison(runs, metrics))
    for metric in worse[0].metrics:
        assert " ".join(team_label(metric, runs[0].scenario).split()) in titles, (metric, titles)


def test_the_footer_and_the_description_name_every_tool_setting_that_differs(runs):
    fig = comparison(runs)
    said = ("2 replications · capsim {} · Tools set differently: classifier off in growth-central, on in "
            "growth-classifier (recall 0.9, fpr 0.1, positive_priority high, negative_priority normal, time_factor "
            "0.8, annual_cost 50,000 GBP, per_item_cost not given (0 assumed)); none of these is a published "
            "figure").format(version())
    assert said + "\n" in footer(fig)
    assert said + "." in describe(fig)  # what a screen reader and the chart's .txt give


def test_a_tool_on_in_every_run_gives_the_settings_that_differ_in_each():
    from capsim.charts.compare import tool_settings_line

    on = ["tooling.classifier.enabled=true", "tooling.classifier.fpr=0.1"]
    scenarios = [load_scenario(bundled.path("base"), [*on, f"tooling.classifier.recall={r}"]) for r in (0.8, 0.9)]
    assert tool_settings_line(scenarios, ["a", "b"]) == (
        "Tools set differently: classifier on in a (recall 0.8), on in b (recall 0.9); none of these is a "
        "published figure")
    assert tool_settings_line(scenarios[:1] * 2, ["a", "a (2)"]) is None


def test_no_two_tick_labels_touch(runs):
    """A longer name takes width from the panels: the difference's ticks read "−800,000−400,000".
    Its footer, which names each ``--set``, is long too: the figure grows with it, so that the names
    down the side (the y ticks) keep apart; they were drawn over each other."""
    named = simulate(load_scenario(bundled.path("growth-central"),
                                   [*SMALL, *CLASSIFIER, "name=growth-classifier at recall 0.9, fpr 0.1"]), 2)
    fig = comparison([runs[0], named])
    fig.draw_without_rendering()
    for ax in fig.axes:
        low, high = sorted(ax.get_xlim())
        boxes = sorted((t.get_window_extent() for t in ax.get_xticklabels()
                        if t.get_text() and low <= t.get_position()[0] <= high), key=lambda b: b.x0)
        assert len(boxes) >= 2, ax.get_title(loc="left")
        for a, b in zip(boxes, boxes[1:]):
            assert a.x1 < b.x0, (ax.get_title(loc="left"), [t.get_text() for t in ax.get_xticklabels()])
        names = sorted((t.get_window_extent() for t in ax.get_yticklabels() if t.get_text()), key=lambda b: b.y0)
        for a, b in zip(names, names[1:]):
            assert a.y1 <= b.y0, (ax.get_title(loc="left"), [t.get_text() for t in ax.get_yticklabels()])


def test_a_cost_not_given_is_not_written_as_a_price():
    """The footer wrote a cost never set as "per_item_cost 0 GBP", and the bundled tooling-classifier's
    "annual_cost 0 GBP" (written as 0 for want of a price): quoted as "the classifier costs nothing",
    beside notes saying "tool cost not given: 0 assumed". A cost the file sets beside a price is its own."""
    from capsim.charts.compare import tool_settings_line

    base = load_scenario(bundled.path("base"))
    bundled_tool = load_scenario(bundled.path("tooling-classifier"))
    assert tool_settings_line([base, bundled_tool], ["base", "tooling-classifier"]) == (
        "Tools set differently: classifier off in base, on in tooling-classifier (recall 0.9, fpr 0.1, "
        "positive_priority high, negative_priority normal, time_factor 0.8, annual_cost not given (0 assumed), "
        "per_item_cost not given (0 assumed)); none of these is a published figure")
    priced = load_scenario(bundled.path("tooling-classifier"), ["tooling.classifier.annual_cost=50000"])
    assert "annual_cost 50,000 GBP, per_item_cost 0 GBP)" in tool_settings_line([base, priced], ["base", "priced"])


def test_a_classifier_off_with_operating_points_and_no_threshold_is_no_error():
    """A classifier off may list operating points and pick none (threshold unset): the footer looked
    up the point of threshold None and raised TypeError."""
    from capsim.charts.compare import tool_settings_line

    points = "tooling.classifier.operating_points=[{recall: 0.8, fpr: 0.2}, {recall: 0.9, fpr: 0.3}]"
    off = load_scenario(bundled.path("base"), [points])
    on = load_scenario(bundled.path("base"),
                       [points, "tooling.classifier.enabled=true", "tooling.classifier.threshold=1"])
    assert tool_settings_line([off, on], ["off", "on"]) == (
        "Tools set differently: classifier off in off, on in on (recall 0.9, fpr 0.3, threshold 1, positive_priority "
        "high (default), negative_priority low (default), time_factor 1 (default), annual_cost not given (0 assumed), "
        "per_item_cost not given (0 assumed)); none of these is a published figure")


def test_a_team_worse_off_that_a_middle_run_lacks_is_drawn_where_measured():
    """Three runs, the middle one with one team: victim_id is worse off in the third (one analyst),
    so its own figures are drawn; the chart raised KeyError looking up the middle run's rows. Their
    panels draw the runs that measure them and say which does not."""
    short = ["clock.horizon=60d"]
    runs = [simulate(load_scenario(bundled.path(name), [*short, *extra]), replications=3, seed=1)
            for name, extra in [("base", []), ("one-team", []),
                                ("tooling-classifier", ["workforce.victim_id.headcount=1"])]]
    worse = [c for c in team_changes(runs)["tooling-classifier"] if c.worse]
    assert [c.team for c in worse] == ["victim_id"]
    fig = comparison(runs)
    titles = panel_titles(fig)
    for metric in worse[0].metrics:
        title = f"{team_label(metric, runs[0].scenario)}; not measured in one-team"
        at = titles.index(title)
        left, right = fig.axes[at], fig.axes[at + 1]
        assert [t.get_text() for t in left.texts] == ["not measured"]
        row = next(t.get_position()[1] for t in left.get_yticklabels() if t.get_text() == "one-team")
        assert left.texts[0].get_position()[1] == row
        assert len(left.collections) == 2 and len(right.collections) == 1  # base and tooling-classifier; its difference
    assert "Items waiting on average over the run (all teams)" in titles  # the panels every run measures, unmarked
