"""Trial 17: validation messages were uneven. Some kept pydantic's wording and did not say what is
allowed ("Input should be a valid integer, got a number with a fractional part"); `shrinkage: 15%`
was refused while `on_costs: 22%` was read; `name: ..` passed validate but a run without --out
refused it. Each message now says the key, what was given and what is allowed; every share takes a
percentage; validate warns of a name that gives no output folder, by the very rule the folder uses."""

from __future__ import annotations

import copy

import pytest
import yaml
from typer.testing import CliRunner

from capsim.cli import app
from capsim.scenario import ScenarioError, name_warnings, scenario_warnings, validate

BASE = {
    "name": "msgs",
    "clock": {"horizon": "28d"},
    "priorities": ["urgent", "normal"],
    "demand": [{"stream": "s", "unit": "report", "rate": "40/day", "priority": "normal", "team": "triage"}],
    "review": {"report": {"dist": "deterministic", "mean": "3min"}},
    "workforce": [{"team": "triage", "headcount": 3, "roster": {"hours_per_day": 7.5}},
                  {"team": "grading", "headcount": 1}],
    "routing": [{"from": "triage", "to": "grading", "when": {"criminal": True}}],
    "sla": [{"priority": "normal", "within": "72h", "target": 0.9}],
}


def message(path: list, value) -> str:
    raw = copy.deepcopy(BASE)
    node = raw
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    with pytest.raises(ScenarioError) as err:
        validate(raw)
    return str(err.value)


@pytest.mark.parametrize(("path", "value", "expected"), [
    (["workforce", 0, "headcount"], 2.5,
     "workforce.triage.headcount: 2.5 is not a whole number; allowed: a whole number from 0 to 100,000"),
    (["workforce", 0, "headcount"], -1,
     "workforce.triage.headcount: -1 is too small; allowed: a whole number from 0 to 100,000"),
    (["workforce", 0, "roster", "days"], [],
     "workforce.triage.roster.days: an empty list has too few items; allowed: a list of at least 1 item, "
     "e.g. [mon, tue, wed, thu, fri]"),
    (["workforce", 0, "roster", "hours_per_day"], 25,
     "workforce.triage.roster.hours_per_day: 25 is too large; allowed: a number above 0 and at most 24"),
    (["workforce", 0, "shrinkage"], "-5%",
     "workforce.triage.shrinkage: '-5%' is too small; allowed: a number from 0 to below 1, or a percentage "
     "from 0% to below 100%"),
    (["routing", 0, "share"], "150%",
     "routing.0.share: '150%' is too large; allowed: a number from 0 to 1, or a percentage from 0% to 100%"),
])
def test_a_refused_value_is_named_with_what_is_allowed(path, value, expected):
    assert message(path, value) == f"<scenario>: {expected}"


@pytest.mark.parametrize(("path", "value", "read"), [
    (["workforce", 0, "shrinkage"], "15%", 0.15),
    (["workforce", 0, "attrition"], "10%", 0.1),
    (["sla", 0, "target"], "95%", 0.95),
    (["routing", 0, "share"], "50%", 0.5),
])
def test_every_share_takes_a_percentage_as_costs_do(path, value, read):
    raw = copy.deepcopy(BASE)
    node = raw
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    got = validate(raw)
    for part in path:
        got = got[part] if isinstance(part, int) else getattr(got, part)
    assert got == pytest.approx(read)


@pytest.mark.parametrize("name", ["..", ".", "---", "日本"])
def test_a_name_that_gives_no_folder_is_a_warning_of_validate_alone(name, tmp_path):
    """`capsim validate` warns of it; the commands that write refuse it with their own one message."""
    raw = copy.deepcopy(BASE) | {"name": name}
    path = tmp_path / "named.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    checked = CliRunner().invoke(app, ["validate", str(path)])
    assert checked.exit_code == 0 and "warning: name:" in checked.stderr
    assert not any(line.startswith("name:") for line in scenario_warnings(validate(raw)))
    assert name_warnings(validate(raw)) == [
        f"name: {name!r} gives no usable folder name (it needs a letter or a digit), so a command without --out "
        "refuses it; rename the scenario, or choose the output folder with --out"]


def test_the_folder_rule_is_the_output_folders():
    """capsim.output.safe_name refuses exactly the names folder_name leaves nothing of."""
    from capsim.output import OutputError, safe_name
    from capsim.scenario import folder_name

    for name in ["..", "../../etc/evil", "équipe", "a b", "___", "日本", ".hidden"]:
        try:
            assert safe_name(name) == folder_name(name)[:64].strip("-.")
        except OutputError:
            assert folder_name(name) == ""


def test_every_tool_share_takes_a_percentage_too():
    """Tool shares read "15%" as the scenario's own shares do (review of trial 17's fixes: follow_fraction,
    "as a share of the first", refused it)."""
    from capsim import bundled
    from capsim.scenario import load_scenario

    clustered = load_scenario(bundled.path("tooling-clustering"), ["tooling.clustering.follow_fraction=30%"])
    assert clustered.tooling.clustering.follow_fraction == pytest.approx(0.3)
    detector = load_scenario(bundled.path("tooling-detector"), ["tooling.synthetic_detector.tpr=15%"])
    assert detector.tooling.synthetic_detector.tpr == pytest.approx(0.15)
