"""The comparison chart's footer says which tool settings the scenario left at their defaults: it
listed "positive_priority high, negative_priority low, time_factor 1" for a classifier switched on
with only its recall and fpr, as if each were chosen (a time factor of 1 quoted as "the classifier
does not speed review", where no one said so). A setting written in a file the scenario
``extends:``, or by ``--set``, is set, whatever its value."""

from __future__ import annotations

from pathlib import Path

from capsim import bundled
from capsim.charts.compare import tool_settings_line
from capsim.scenario import load_scenario

ON = ["tooling.classifier.enabled=true", "tooling.classifier.recall=0.9", "tooling.classifier.fpr=0.1"]
"""A classifier switched on with its recall and fpr, every other setting left as it is."""


def test_a_setting_the_scenario_does_not_set_reads_as_a_default():
    base = load_scenario(bundled.path("base"))
    on = load_scenario(bundled.path("base"), ON)
    assert tool_settings_line([base, on], ["base", "on"]) == (
        "Tools set differently: classifier off in base, on in on (recall 0.9, fpr 0.1, positive_priority high "
        "(default), negative_priority low (default), time_factor 1 (default), annual_cost not given (0 assumed), "
        "per_item_cost not given (0 assumed)); none of these is a published figure")


def test_a_setting_written_in_the_file_extended_is_set(tmp_path: Path):
    """The bundled tooling-classifier (which extends base) writes every setting, positive_priority
    high among them (the default's value): a file extending it sets them too."""
    child = tmp_path / "child.yaml"
    child.write_text(f"name: child\nextends: {bundled.path('tooling-classifier')}\n")
    other = load_scenario(bundled.path("base"), [*ON, "tooling.classifier.positive_priority=normal"])
    assert tool_settings_line([other, load_scenario(child)], ["other", "child"]) == (
        "Tools set differently: classifier on in other (positive_priority normal, negative_priority low (default), "
        "time_factor 1 (default)), on in child (positive_priority high, negative_priority normal, time_factor 0.8); "
        "none of these is a published figure")


def test_a_setting_given_by_set_is_set_even_at_the_defaults_value():
    base = load_scenario(bundled.path("base"))
    on = load_scenario(bundled.path("base"), [*ON, "tooling.classifier.time_factor=1"])
    assert tool_settings_line([base, on], ["base", "on"]) == (
        "Tools set differently: classifier off in base, on in on (recall 0.9, fpr 0.1, positive_priority high "
        "(default), negative_priority low (default), time_factor 1, annual_cost not given (0 assumed), "
        "per_item_cost not given (0 assumed)); none of these is a published figure")
