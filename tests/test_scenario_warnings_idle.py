"""Tools switched on that change nothing are warned of wherever a scenario is loaded: by
``capsim run``/``report``/``compare`` (standard error) as by the web page, from one function
(:func:`capsim.idle_tools.idle_tools`, part of :func:`capsim.scenario.scenario_warnings`). Each line
names the tool's key, why it changes nothing and what to set for it to act. A classifier that
flags no item at time factor 1 still moves items to its ``negative_priority`` queue: it is said to
change nothing only where that queue is every stream's own, and a short run shows both sides.
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from capsim import bundled
from capsim.cli import app
from capsim.experiment import simulate
from capsim.idle_tools import idle_tools
from capsim.scenario import load_scenario, scenario_warnings

CLASSIFIER_OFF_FLAGS = ["tooling.classifier.enabled=true", "tooling.classifier.recall=0", "tooling.classifier.fpr=0"]
"""The classifier switched on in base.yaml, flagging no item, at its default time factor (1)."""
AT_NORMAL = ["demand.images.priority=normal", "tooling.classifier.negative_priority=normal"]
"""Every stream of base.yaml at 'normal', the classifier's queue for what it does not flag."""
FIX = ("for it to flag items, set recall (the share of harmful items it flags) above 0; for it to change review "
       "time, set time_factor other than 1")


def idle_lines(sets: list[str]) -> list[str]:
    """The warnings of base.yaml with ``sets`` that name a tool's key."""
    return [w for w in scenario_warnings(load_scenario(bundled.path("base"), sets)) if w.startswith("tooling.")]


@pytest.mark.parametrize("sets, line", [
    (["tooling.hash_matching.match_rate=0"],
     "tooling.hash_matching: hash matching is on but changes nothing: it matches 0% of known items, so it clears "
     "none; for it to act, set match_rate (the share of known items it matches) above 0"),
    (["demand.images.mix.known=0"],
     "tooling.hash_matching: hash matching is on but changes nothing: no stream has known items (mix.known is 0) "
     "or copies of earlier items (recirculation is 0), so it has nothing to clear; for it to act, set a stream's "
     "mix.known or recirculation above 0 (demand[].mix.known, demand[].recirculation)"),
    (["tooling.synthetic_detector.enabled=true"],
     "tooling.synthetic_detector: the synthetic detector is on but changes nothing: it flags no item (0% of "
     "AI-generated items and 0% of the others); for it to act, set tpr (the share of AI-generated items it flags) "
     "above 0"),
    (["tooling.synthetic_detector.enabled=true", "tooling.synthetic_detector.tpr=0.5", "routing=[]"],
     "tooling.synthetic_detector: the synthetic detector is on but changes nothing: no routing rule reads its flag, "
     "so every item goes where it would go without it; for it to act, name flagged_synthetic in a routing rule's "
     "when (routing[].when), as base.yaml's victim-identification rules do"),
    (["tooling.clustering.enabled=true"],
     "tooling.clustering: clustering is on but changes nothing: each further item of a cluster takes as long as "
     "the first (1 × its time); for it to act, set follow_fraction (each further item's time, as a share of the "
     "first's) below 1"),
    (["tooling.clustering.enabled=true", "tooling.clustering.follow_fraction=0.5", "demand.images.cluster_size=1"],
     "tooling.clustering: clustering is on but changes nothing: no stream has near-duplicate clusters (every "
     "stream's cluster_size is 1); for it to act, set a stream's cluster_size above 1 (demand[].cluster_size)"),
    (["tooling.wellbeing.enabled=true"],
     "tooling.wellbeing: wellbeing tooling is on but changes nothing: review takes 1 × the usual time and it sets "
     "no daily exposure cap of its own; for it to act, set time_factor other than 1 or an exposure_cap (e.g. "
     "4h/day)"),
    (CLASSIFIER_OFF_FLAGS + AT_NORMAL,
     "tooling.classifier: the classifier is on but changes nothing: it flags no item (0% of harmful items and 0% "
     "of the others), review of the items it scores takes 1 × the usual time (time_factor is 1) and every item "
     f"waits in the 'normal' queue (negative_priority), as without it; {FIX}"),
    (CLASSIFIER_OFF_FLAGS,
     "tooling.classifier: the classifier is on but all it does is move the items the streams put at 'normal' to "
     "its 'low' queue (negative_priority): it flags no item (0% of harmful items and 0% of the others) and review "
     f"of the items it scores takes 1 × the usual time (time_factor is 1); {FIX}"),
])
def test_each_idle_tool_is_one_warning_naming_its_key_and_what_to_set(sets, line):
    assert idle_lines(sets) == [line]


@pytest.mark.parametrize("sets", [
    ["tooling.classifier.enabled=true", "tooling.classifier.recall=0", "tooling.classifier.fpr=0.1"],
    ["tooling.classifier.enabled=true", "tooling.classifier.recall=0.5", "tooling.classifier.fpr=0"],
    CLASSIFIER_OFF_FLAGS + ["tooling.classifier.time_factor=0.8"],
    ["tooling.synthetic_detector.enabled=true", "tooling.synthetic_detector.fpr=0.1"],
])
def test_a_tool_that_does_something_however_little_is_not_named(sets):
    assert idle_lines(sets) == []


def test_a_classifier_by_precision_or_operating_point_names_the_setting_it_has():
    """Recall 0 with a precision flags nothing either; at an operating point, the threshold is what to set."""
    by_precision = ["tooling.classifier.enabled=true", "tooling.classifier.recall=0",
                    "tooling.classifier.precision=0.9"]
    assert idle_lines(by_precision + AT_NORMAL)[0].endswith(FIX)
    points = ["tooling.classifier.enabled=true", "tooling.classifier.threshold=0",
              "tooling.classifier.operating_points=[{recall: 0, fpr: 0}, {recall: 0.9, fpr: 0.1}]"]
    assert idle_lines(points + AT_NORMAL)[0].endswith(
        "for it to flag items, set threshold to an operating point whose recall is above 0; for it to change review "
        "time, set time_factor other than 1")


def test_no_bundled_scenario_has_an_idle_tool():
    for name in bundled.names():
        assert idle_tools(load_scenario(bundled.path(name))) == [], name


def test_what_the_classifier_warning_says_is_what_a_run_does():
    """'Changes nothing': every metric of a run without it is the same with it. 'All it does is move':
    the 'normal' deadline is left without items, and the 'low' queue's wait changes."""
    short = ["clock.horizon=20d", "clock.warmup=0d"]

    def metrics(sets: list[str]) -> pd.DataFrame:
        return simulate(load_scenario(bundled.path("base"), short + sets), replications=1, seed=7,
                        periods=None).per_replication

    without, inert = metrics(AT_NORMAL[:1]), metrics(CLASSIFIER_OFF_FLAGS + AT_NORMAL)
    pd.testing.assert_frame_equal(inert[without.columns], without)
    moved = metrics(CLASSIFIER_OFF_FLAGS)
    assert moved["sla_normal"].isna().all() and not metrics([])["sla_normal"].isna().any()


def test_capsim_prints_an_idle_tool_on_standard_error():
    """As every command that loads a scenario (run, report, compare, ...) does: validate is the quickest."""
    result = CliRunner().invoke(app, ["validate", "tooling-detector", "--set", "tooling.synthetic_detector.tpr=0",
                                      "--set", "tooling.synthetic_detector.fpr=0"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("tooling-detector: warning: tooling.synthetic_detector: the synthetic detector "
                                    "is on but changes nothing: it flags no item"), result.stderr
