"""Comparisons name what drives them (user trial): a tool's side effect in a chart's title comes
with the tool settings it follows from, marked as assumptions or with their source; a cost
that counts a tool with no price at 0 says so; and utilisation is shown of usable hours (up to
the exposure cap) before that of rostered hours, which alone reads "analysts half idle"."""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from capsim import charts
from capsim.bundled import path as scenario_file
from capsim.cli import app
from capsim.compare import compare
from capsim.experiment import simulate
from capsim.scenario import load_scenario
from tests.conftest import mmc

SHORT = ["clock.horizon=35d", "clock.warmup=7d"]
"""Five weeks of the bundled scenarios: enough for the tools' side effects to show, quickly."""


def bundled(name: str, *overrides: str):
    return load_scenario(scenario_file(name), [*SHORT, *overrides])


def title_of(fig) -> str:
    """A chart's title as one line (it is wrapped to fit)."""
    return " ".join(fig._suptitle.get_text().split())


def small(name: str, **tooling) -> dict:
    """A small M/M/c scenario named ``name``, with ``tooling`` as given."""
    raw = mmc(3, 120, 0.8, days=3, warmup_days=1)
    raw["name"] = name
    raw["costs"] = {"currency": "GBP", "teams": {"analysts": {"annual_cost": 40_000}}}
    if tooling:
        raw["tooling"] = tooling
    return raw


@pytest.fixture(scope="module")
def detector_pair():
    return [simulate(bundled(name), replications=2, seed=3) for name in ("base", "tooling-detector")]


def test_a_detectors_lost_referrals_in_the_title_name_the_false_positive_rate_they_follow_from(detector_pair):
    # The title said "676 real-victim referrals are lost" and nothing of the fpr 0.25 the
    # scenario assumes: an advocate would quote the loss as a fact about detectors.
    title = title_of(charts.comparison(detector_pair))
    assert "real-victim referrals are lost" in title
    assert ("assuming the detector flags 25% of real items as AI-generated (fpr 0.25, an assumption) and 75% of "
            "AI-generated items (tpr 0.75, from arXiv 2602.07814)") in title


def test_the_settings_named_are_the_scenarios_own():
    from capsim.charts.compare import tool_assumptions

    changed = bundled("tooling-detector", "tooling.synthetic_detector.fpr=0.05",
                      "tooling.synthetic_detector.tpr={figure: synthetic_detector_best_zero_shot}")
    assert tool_assumptions(changed, "synthetic_detector") == (
        "assuming the detector flags 5% of real items as AI-generated (fpr 0.05, an assumption) and 75% of "
        "AI-generated items (tpr 0.75, from arXiv 2602.07814)")
    guessed = bundled("tooling-detector", "tooling.synthetic_detector.tpr=0.9")
    assert "(tpr 0.9, an assumption)" in tool_assumptions(guessed, "synthetic_detector")


def test_a_classifiers_missed_items_in_the_title_name_its_recall():
    pair = [simulate(bundled(name), replications=2, seed=3) for name in ("base", "tooling-classifier")]
    title = title_of(charts.comparison(pair))
    assert "the classifier does not flag" in title
    assert title.endswith("assuming the classifier flags 90% of criminal items (recall 0.9, an assumption)")


def test_a_classifier_given_operating_points_is_named_by_the_one_in_use():
    from capsim.charts.compare import tool_assumptions

    points = bundled("tooling-classifier", "tooling.classifier.recall=null", "tooling.classifier.fpr=null",
                     "tooling.classifier.operating_points=[{recall: 0.7, fpr: 0.01}, {recall: 0.95, fpr: 0.2}]",
                     "tooling.classifier.threshold=1")
    assert tool_assumptions(points, "classifier") == (
        "assuming the classifier flags 95% of criminal items (recall 0.95, an assumption)")


def test_a_comparison_without_a_side_effect_names_no_tool_settings():
    pair = [simulate(load_scenario(small(n)), replications=2, seed=1) for n in ("a", "b")]
    assert "assuming" not in title_of(charts.comparison(pair))


@pytest.fixture(scope="module")
def priced_and_not():
    """No tool; wellbeing tooling with no price; the same tooling with a price."""
    wellbeing = {"enabled": True, "time_factor": 0.9}
    raws = [small("plain"), small("unpriced", wellbeing=wellbeing),
            small("priced", wellbeing={**wellbeing, "annual_cost": 12_000})]
    return [simulate(load_scenario(raw), replications=2, seed=1) for raw in raws]


def test_a_cost_counting_a_tool_with_no_price_at_zero_says_so(priced_and_not):
    # compare showed the tool's total cost difference as "0 to 0", read as a free tool.
    plain, unpriced, priced = priced_and_not
    notes = compare([plain, unpriced]).set_index(["scenario", "metric"]).note
    for metric in ("cost_total", "cost_tooling", "cost_per_assessed"):
        assert "tool cost not given: 0 assumed for unpriced: wellbeing" in notes[("unpriced", metric)]
        assert notes[("plain", metric)] == notes[("unpriced", metric)]  # one note per metric, as the others
    assert notes[("unpriced", "cost_staff")] == ""
    assert (compare([plain, priced]).note == "").all()


def test_the_compare_command_flags_an_unpriced_tools_cost(tmp_path):
    files = []
    for raw in (small("plain"), small("unpriced", wellbeing={"enabled": True, "time_factor": 0.9})):
        path = tmp_path / f"{raw['name']}.yaml"
        path.write_text(yaml.safe_dump(raw), encoding="utf-8")
        files.append(str(path))
    result = CliRunner().invoke(app, ["compare", *files, "-r", "2", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "cost_total: counts a tool with no price at 0 (tool cost not given: 0 assumed for unpriced: wellbeing)" \
        in " ".join(result.output.split())


def panel_titles(fig) -> list[str]:
    """The left panels' titles, top to bottom, each as one line."""
    return [" ".join(ax.get_title(loc="left").split()) for ax in fig.axes[::2]]


ROSTERED = "Utilisation of rostered hours (time on shift)"
USABLE = "Utilisation of usable hours (on shift, up to any exposure cap)"


def test_the_comparison_shows_utilisation_of_usable_hours_first(detector_pair):
    # The growth comparison showed 51-54% of rostered hours only, read as analysts half idle,
    # while they worked at 90-95% of the hours the exposure cap allows.
    titles = panel_titles(charts.comparison(detector_pair))
    assert titles.index(USABLE) == titles.index(ROSTERED) - 1


def test_utilisation_asked_for_comes_with_the_usable_one_before_it(priced_and_not):
    titles = panel_titles(charts.comparison(priced_and_not[:2], ["wait_mean", "utilisation"]))
    assert titles == ["Mean wait before assessment (h)", USABLE, ROSTERED]
