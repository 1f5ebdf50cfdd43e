"""A grant's range across futures sends a scenario to growth-low, -central and -high only where it is
that bundled future, not where it merely has its name.

The fixed-cost note decided it by the name alone: a user's own scenario saved as growth-central (a
bundled copy with other staff, or other growth) was told that planning the three bundled futures
gives its range, and a command naming growth-central runs the bundled file, not the user's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from capsim import bundled
from capsim.grant import grant_scenario
from capsim.grant_notes import futures_words
from capsim.scenario import load_scenario

THREE = "capsim grant growth-low growth-central growth-high --from 2027-04-01 --years 3"


def words(scenario) -> str:
    """Where ``scenario``'s range across futures comes from, over three grant years from 1 April 2027."""
    return futures_words(scenario, "2027-04-01", 3)


def user_copy(folder: Path, old: str, new: str) -> Path:
    """growth-central copied into ``folder`` as ``capsim scenarios --copy`` writes it, ``old`` replaced by
    ``new`` in its text (its name kept)."""
    bundled.copy("growth-central", folder)
    file = folder / "growth-central.yaml"
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")
    return file


def test_the_bundled_growth_future_is_sent_to_the_three_as_the_grant_plans_it():
    shipped = load_scenario(bundled.path("growth-central"))
    assert words(shipped).endswith(THREE)
    # re-clocked for the grant, as the note is given it
    assert words(grant_scenario(shipped, dt.date(2027, 4, 1), 3)).endswith(THREE)


def test_an_unedited_copy_is_the_bundled_future(tmp_path):
    assert words(load_scenario(user_copy(tmp_path, "headcount: 25", "headcount: 25"))).endswith(THREE)


@pytest.mark.parametrize("old, new", [
    ("headcount: 25 ", "headcount: 20 "),  # other staff: the three bundled futures are not its futures
    ("mean: {figure: iwf_reports_assessed_growth_a_year}", "mean: 30%"),  # its own growth of reports
], ids=["staff", "growth"])
def test_a_users_own_scenario_named_growth_central_is_planned_again_by_its_file(tmp_path, old, new):
    text = words(load_scenario(user_copy(tmp_path, old, new)))
    assert "growth-low" not in text
    assert text.startswith("its range across futures comes from planning growth-central again under lower and "
                           "higher growth and comparing the grants: capsim grant <growth-central's file> --from "
                           "2027-04-01 --years 3, once with"), text


def test_an_option_that_sets_a_growth_is_not_sent_to_the_three():
    """It would set that growth alike in all three (or growth-low, written by a doubling time, refuses it):
    the futures would no longer differ in growth. The bundled name still runs it, with the option."""
    text = words(load_scenario(bundled.path("growth-central"), ["demand.reports.growth.per_year=30%"]))
    assert "growth-low" not in text
    assert ("capsim grant growth-central --from 2027-04-01 --years 3 --set demand.reports.growth.per_year=30%, once "
            "with --set demand.reports.growth.per_year below its 30%") in text
