"""A user trial's bad inputs, each refused in words a non-programmer can act on, and a stub year
said to be too short to judge.

* ``growth.per_year: -25%`` is a fall, which exponential growth cannot give: the message names
  the key, the range allowed and how to write a fall (linear, where ``-25%`` is now read, or a table).
* Malformed YAML is said in plain words at the line and column to mend (bad indentation, a tab, a
  quote or bracket never closed, a colon missing), not in the YAML reader's jargon.
* A file not found suggests another only where the names, without ``.yaml``, are alike.
* ``capsim run`` over a horizon that ends a few days into a year keeps that year's row, as the
  report's table does, with a note that it is too short to judge a team by.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from capsim.cli import app
from capsim.charts.by_year import too_short_note
from capsim.scenario import ScenarioError, load_scenario

ONE_TEAM = Path(__file__).resolve().parents[1] / "scenarios" / "one-team.yaml"


@pytest.mark.parametrize("written", ["-25%", "-0.25"])
def test_a_falling_per_year_says_the_range_and_how_to_write_a_fall(written):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(ONE_TEAM, [f"demand.reports.growth={{model: exponential, per_year: {written}}}"])
    shown = repr("-25%") if written.endswith("%") else written
    assert str(caught.value).endswith(
        f"demand.reports.growth.per_year: {shown} a year is a fall, and per_year is a rise, above 0 and at most "
        "100000% (e.g. 30%); for a volume that falls, write model: linear with increase_per_year: -0.25 (the same "
        "amount off the starting rate each year, down to zero, not compounding) or model: table with the rate on "
        "each date")


@pytest.mark.parametrize("written, shown", [("200000%", "'200000%'"), ("2000", "2000")])
def test_a_per_year_above_the_most_allowed_says_the_most_as_a_percentage(written, shown):
    """It said "Input should be less than or equal to 1000 (got 2000.0)" to a user who wrote 200000%."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(ONE_TEAM, [f"demand.reports.growth={{model: exponential, per_year: {written}}}"])
    assert str(caught.value).endswith(
        f"demand.reports.growth.per_year: {shown} a year is above the most allowed, 100000% (a share of 1000: the "
        "volume 1001 times as large after a year)")


def test_the_fall_the_message_suggests_is_read_as_written():
    scenario = load_scenario(ONE_TEAM, ["demand.reports.growth={model: linear, increase_per_year: -25%}"])
    assert scenario.demand[0].growth.increase_per_year == pytest.approx(-0.25)


GOOD = "name: x\nclock:\n  horizon: 30d\n  warmup: 1d\n"

BAD_YAML = {  # the text, and the message after "not valid YAML"
    "a key indented less than those above": (
        "name: x\nclock:\n    horizon: 30d\n  warmup: 1d\n",
        " at line 4, column 3: the indentation does not match the lines above: keys of one section start in the "
        "same column"),
    "a key indented more than the one above": (
        "name: x\nclock:\n  horizon: 30d\n    warmup: 1d\n",
        " at line 4, column 5: this line is indented more than the line above: keys of one section start in the "
        "same column"),
    "a key among list items": (
        "name: x\npriorities:\n  - normal\n  - low\n  step: 1d\n",
        " at line 5, column 3: the indentation does not match the lines above: keys of one section start in the "
        "same column"),
    "a tab": (
        "name: x\nclock:\n\thorizon: 30d\n",
        " at line 3, column 1: a tab character; YAML indents with spaces, not tabs: replace the tab with spaces"),
    "a double quote never closed": (
        'name: "x\nclock:\n  horizon: 30d\n',
        ' at line 1, column 7: the quote mark " here is never closed: end the quoted text with another "'),
    "a single quote never closed": (
        "name: x\ntitle: 'A hotline\n",
        " at line 2, column 8: the quote mark ' here is never closed: end the quoted text with another '"),
    "a list never closed": (
        "name: x\npriorities: [urgent, normal\nclock:\n  horizon: 30d\n",
        " at line 2, column 13: the list begun here with '[' is never closed: end it with ']'"),
    "a section never closed": (
        "name: x\nclock: {horizon: 30d\n",
        " at line 2, column 8: the section begun here with '{' is never closed: end it with '}'"),
    "a comma missing in a list": (
        'name: x\npriorities: ["urgent" "normal"]\n',
        " at line 2, column 23: a comma or the closing ']' is missing here, in the list begun with '[' at column 13"),
    "a closing bracket too many": (
        "name: x\npriorities: [urgent, normal]]\n",
        " at line 2, column 29: this ']' closes nothing: there is no '[' before it"),
    "a section's key with no colon": (
        "name: x\nclock\n  horizon: 30d\n",
        " at line 2, column 1: no colon after the key on this line ('clock'): write key: value, with a space after "
        "the colon (or key: above an indented section)"),
    "a key with no colon before its value": (
        "name: x\nclock:\n  horizon 30d  # the horizon\n  warmup: 1d\n",
        " at line 3, column 3: no colon after the key on this line ('horizon 30d'): write key: value, with a space "
        "after the colon (or key: above an indented section)"),
    "a colon with no space after it": (
        "name: x\nclock:\n  horizon:30d\n  warmup: 1d\n",
        " at line 3, column 10: a colon needs a space after it: write key: value"),
    "a colon and a space inside a value": (
        "name: x\ntitle: Reports: 2024\n",
        " at line 2, column 15: the value holds a colon and a space (': '), which YAML reads as a new key: put the "
        "value in quotes"),
    "text after a closing quote": (
        "name: x\ntitle: \"Reports\" 2024\n",
        " at line 2, column 18: text follows the closing quote: put the whole value inside the quotes"),
    "a value beginning with @": (
        "name: @x\n",
        " at line 1, column 7: '@' cannot begin a value written without quotes: put the value in quotes"),
}


@pytest.mark.parametrize("case", BAD_YAML)
def test_malformed_yaml_is_said_plainly_at_the_line_to_mend(tmp_path, case):
    text, expected = BAD_YAML[case]
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value) == f"{path}: not valid YAML{expected}"


def test_a_set_value_never_closed_is_said_plainly():
    with pytest.raises(ScenarioError) as caught:
        load_scenario(ONE_TEAM, ["review.report={dist: exponential"])
    assert ("--set review.report: the value '{dist: exponential' is not valid YAML at line 1, column 1: the section "
            "begun here with '{' is never closed: end it with '}'") in str(caught.value)


def test_a_missing_file_suggests_none_alike_only_in_its_extension(tmp_path):
    (tmp_path / "share.yaml").write_text(GOOD)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "nosuch.yaml")
    assert str(caught.value).endswith("nosuch.yaml: no such file")


@pytest.mark.parametrize("typed, files, hint", [
    ("polce-unit.yaml", ["police-unit.yaml", "share.yaml"], "police-unit.yaml"),
    ("police-unit.yml", ["police-unit.yaml"], "police-unit.yaml"),
    ("bse.yml", ["base.yaml", "base.yml"], "base.yml"),  # of one name in two spellings, the one typed
])
def test_a_missing_file_suggests_the_file_of_a_name_alike(tmp_path, typed, files, hint):
    for name in files:
        (tmp_path / name).write_text(GOOD)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / typed)
    assert str(caught.value).endswith(f"{typed}: no such file (did you mean {hint!r}?)")


def test_the_too_short_note_names_each_stub():
    assert too_short_note(["2030 (1 Jan–2 Jan 18:00)"]) == (
        "2030 (1 Jan–2 Jan 18:00) is shorter than 28 days, too short to judge a team by: its row gives those days "
        "alone, not the year's level.")
    assert too_short_note(["2026 (20–31 Dec)", "2030 (1–3 Jan)"]) == (
        "2026 (20–31 Dec) and 2030 (1–3 Jan) are shorter than 28 days, too short to judge a team by: their rows "
        "give those days alone, not their years' levels.")


def _year_table(args: list[str], tmp_path: Path) -> str:
    """What ``capsim run base`` prints from its year table on, in lines joined by spaces."""
    result = CliRunner().invoke(app, ["run", "base", "-r", "1", "-w", "1", "--no-report", "--out",
                                      str(tmp_path / "o"), *args], terminal_width=250)
    assert result.exit_code == 0, result.output
    return " ".join(result.output[result.output.index("By calendar year"):].split())


def test_a_run_ending_days_into_a_year_says_that_year_is_too_short_to_judge(tmp_path):
    text = _year_table(["--set", "clock.start=2027-01-01", "--set", "clock.horizon=1097.75d"], tmp_path)
    assert "│ 2030 (1 Jan–2 Jan" in text  # its row kept, as the report's table keeps it
    assert ("┘ 2030 (1 Jan–2 Jan 18:00) is shorter than 28 days, too short to judge a team by: its row gives "
            "those days alone, not the year's level.") in text  # under the table


def test_a_run_whose_years_are_four_weeks_or_more_has_no_such_note(tmp_path):
    text = _year_table(["--set", "clock.horizon=450d"], tmp_path)
    assert "2025 (1 Jan–25 Mar)" in text and "too short to judge" not in text
