"""Trial 17: "5.00 h at team grading, longer than its 5 h shifts" read equal to the limit it was said to
exceed. The note now says by how much, in words that cannot read as none, and says nothing where the
excess is under a second."""

from capsim.scenario import validate
from capsim.staff_notes import longer_than_shift

TEAM = validate({
    "name": "t", "clock": {"horizon": "30d"}, "demand": [{"stream": "s", "rate": "10/day"}],
    "review": {"image": {"dist": "deterministic", "mean": "1min"}},
    "workforce": [{"team": "grading", "headcount": 1, "roster": {"hours_per_day": 5}}],
}).workforce[0]


def test_a_mean_just_past_the_shift_says_by_how_much():
    assert longer_than_shift(TEAM, 5.004) == (
        ", longer than its 5 h shifts by 14 s: a review is counted whole on the shift it began "
        "(workforce.grading.carry_over: true splits it over the shifts it is worked in)")
    assert longer_than_shift(TEAM, 5.2).startswith(", longer than its 5 h shifts by 12 min:")


def test_an_excess_under_a_second_is_not_called_longer():
    assert longer_than_shift(TEAM, 5 + 0.1 / 3600) == ""
