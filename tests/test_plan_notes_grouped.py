"""A staffing plan's notes a hotline manager can read.

``capsim staff my-hotline.yaml --team triage --period month -r 5 --allow-reduce`` printed one note
per period under its table: periods 16 to 22 each "1 analyst above its own need: held for period 23,
which needs 5 again (the plan does not cut a seat that the next period needs back, ...)", word for
word, and the bracketed rule 13 times in all. The terminal now gives consecutive periods with the
same note once ("periods 16–22: ...") and a rule the first time only; staffing_plan.csv keeps each
period's whole note, as a row is read alone.
"""

from __future__ import annotations

import pandas as pd
import pytest

from capsim.staffing import Limits, _above_need, _cut_reach, _cut_served, _held_levels, _held_words
from tests.test_cli import real
from tests.test_plan_noise import quarters
from tests.test_staff_plan_follows import HOTLINE

RULE = ("(the plan does not cut a seat that the next period needs back, or a later one whose hires would have to be "
        "recruited within the hiring lead time of 200 days after the cut)")


def held_notes() -> tuple[str, str, object]:
    """SMALL's quarters with a 200-day lead time, reductions allowed: the note of a seat held for
    quarter 4 (needs 14, 14, 14, 15), that of a seat held as hired, and the team."""
    periods, team, _ = quarters("200d")
    labels = [f"period {k + 1}" for k in range(4)]
    allow = Limits(never_reduce=False)
    reach, served = _cut_reach(periods, team), _cut_served(periods, team)
    _, holds = _held_levels([14, 14, 14, 15], 15, 1, 40, allow, reach, served)
    held = _above_need(1, False, False, allow, _held_words(holds[0], [14, 14, 14, 15], periods, labels, team, None))
    _, holds = _held_levels([15, 14, 14, 14], 14, 1, 40, allow, reach, served)
    hired = _above_need(1, True, False, allow, _held_words(holds[1], [15, 14, 14, 14], periods, labels, team, None))
    return held, hired, team


def test_consecutive_periods_with_one_note_are_given_once_and_the_rule_the_first_time():
    from capsim.staffing import note_lines  # new: the old code printed each period's note

    held, hired, team = held_notes()
    assert held == f"1 analyst above its own need: held for period 4, which needs 15 again {RULE}"
    cut = "1 fewer from 2024-10-01: the team has no attrition (workforce.analysts.attrition)"
    notes = [(1, f"{cut}; {held}"), (2, held), (3, held), (4, held), (5, ""), (6, held), (7, hired), (8, hired),
             (9, held)]
    assert note_lines(notes, team) == [
        f"period 1: {cut}; {held}",  # a period with more to say stays on its own line, the rule said here
        "periods 2–4: 1 analyst above its own need: held for period 4, which needs 15 again",
        "period 6: 1 analyst above its own need: held for period 4, which needs 15 again",  # one with none between
        "periods 7–8: 1 analyst above its own need: held as hired for period 1, from 2024-10-01, less than the "
        "hiring lead time of 200 days before this period (the plan does not cut a lasting hire before it has served "
        "that long)",  # another rule, said the first time it is used
        "period 9: 1 analyst above its own need: held for period 4, which needs 15 again",  # a different note between
    ]


def test_a_run_needs_consecutive_periods():
    from capsim.staffing import note_lines  # new: the old code printed each period's note

    held, _, team = held_notes()
    assert note_lines([(2, held), (4, held)], team) == [
        f"period 2: {held}", "period 4: 1 analyst above its own need: held for period 4, which needs 15 again"]


def test_a_kept_seat_says_the_plan_never_cuts_once():
    from capsim.staffing import note_lines  # new: the old code printed each period's note

    _, _, team = held_notes()
    kept = _above_need(1, True, False, Limits(), "")
    assert kept == ("1 analyst above its own need: kept from the period before (the plan never cuts seats for a "
                    "smaller need)")
    assert note_lines([(2, kept), (3, kept), (4, ""), (5, kept)], team) == [
        "periods 2–3: 1 analyst above its own need: kept from the period before (the plan never cuts seats for a "
        "smaller need)", "period 5: 1 analyst above its own need: kept from the period before"]


@pytest.fixture(scope="module")
def trial(tmp_path_factory):
    """The trial's monthly plan with cuts allowed: the terminal's output and staffing_plan.csv."""
    folder = tmp_path_factory.mktemp("notes")
    (folder / "my-hotline.yaml").write_text(HOTLINE)
    result = real("staff", folder / "my-hotline.yaml", "--team", "triage", "--period", "month", "-r", "5",
                  "--allow-reduce", "--workers", "1", "--out", folder / "plan", timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout, pd.read_csv(folder / "plan" / "staffing_plan.csv", keep_default_na=False)


def test_the_terminal_groups_the_trials_notes_and_the_csv_keeps_each_whole(trial):
    stdout, table = trial
    rule = RULE.replace("200 days", "91 days")
    lines = stdout.splitlines()
    assert "periods 16–22: 1 analyst above its own need: held for period 23, which needs 5 again" in lines
    assert "periods 2–5: 1 analyst above its own need: held for period 6, which needs 4 again" in lines
    assert not any(line.startswith("period 17:") for line in lines)
    assert stdout.count(rule) == 1  # before: 13 times, once a line
    for number in range(16, 23):  # a CSV row is read alone: its note in full
        note = table.loc[table.period == number, "note"].item()
        assert note == f"1 analyst above its own need: held for period 23, which needs 5 again {rule}"
