"""Review past 100% of the time on shift, for teams with no daily exposure cap, is explained without a cap.

police-unit has no exposure cap. With triage at 13 analysts its team table's note said a share over
100% comes "by an eighth to a quarter or more for reviews of an hour on average under a 4 h cap",
and "spent 101.6% of their time on shift reviewing: all the time they may review" went unexplained.
"""

from __future__ import annotations

from typer.testing import CliRunner

from capsim import bundled
from capsim.cli import app
from capsim.scenario import load_scenario
from capsim.staff_notes import past_shift_end, utilisation_line

POLICE = load_scenario(bundled.path("police-unit"))


def test_over_100_percent_of_time_on_shift_says_why_with_no_cap():
    over = utilisation_line(POLICE, (1.016, 1.0, 1.03), (1.016, 1.0, 1.03))
    assert over.endswith("That is how busy the teams are together. Over 100%: a review started before the end of a "
                         "shift is finished after it, so teams working flat out review more than their time on shift: "
                         "the more, the longer their reviews are next to their shifts."), over
    under = utilisation_line(POLICE, (0.8, 0.78, 0.82), (0.8, 0.78, 0.82))
    assert "Over 100%" not in under and under.endswith("That is how busy the teams are together.")
    assert past_shift_end().endswith("a team working flat out reviews more than its time on shift: the more, the "
                                     "longer its reviews are next to its shifts")


def test_the_team_tables_note_names_no_cap_where_none_is_set(tmp_path):
    done = CliRunner().invoke(app, ["run", "police-unit", "--set", "clock.horizon=1y", "--set",
                                    "workforce.triage.headcount=13", "--set", "workforce.investigation.headcount=13",
                                    "-r", "3", "-w", "1", "--no-report", "--out", str(tmp_path / "r")])
    assert done.exit_code == 0, done.output
    text = " ".join(done.output.split())
    assert ("Busy over 100% (triage): the share of usable hours, utilisation_usable. With no daily exposure cap, a "
            "review started before the end of a shift is finished after it, so a team working flat out reviews more "
            "than its time on shift: the more, the longer its reviews are next to its shifts.") in text, text
    assert "cap (the rest" not in text and "4 h cap" not in text


def test_review_hours_per_shift_past_the_shift_say_how_they_are_counted():
    """With investigation's hour-long reviews not carried over, 4 analysts read "17.2 hours" of review
    per 7.5 h shift: each review counts whole on the shift it began."""
    from capsim.staff_notes import longer_than_shift

    investigation = POLICE.workforce[1]
    assert longer_than_shift(investigation, 7.4) == ""
    assert longer_than_shift(investigation.model_copy(update={"carry_over": False}), 17.2) == (
        ", longer than its 7.5 h shifts by 9.7 h: a review is counted whole on the shift it began "
        "(workforce.investigation.carry_over: true splits it over the shifts it is worked in)")
    assert longer_than_shift(investigation.model_copy(update={"carry_over": True}), 8.0) == ""  # counted piece by piece
