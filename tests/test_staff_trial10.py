"""``capsim staff`` and the report's what-it-takes tell one story about hires, cuts and the team before.

Trial 10 (police-unit, triage 13 and investigation 15 over two years, ``S`` below):

1. ``capsim staff --team investigation`` planned 15, then 16, and never said that triage, which
   refers work to it, was far behind: staffed, triage refers more, and the report's what-it-takes
   (which plans triage first) gave more. Now the plan says it holds only for the work passed on
   now, on the terminal, in plan.yaml and in manifest.json, with the commands that plan in order.
2. With a 91-day lead time the report said "15 from 29 Jan 2024 (+2; hire by 29 Jan 2024, already
   13 weeks late)", the what-if chart "15 from 29 Apr 2024" and ``staff`` "should have been
   recruited by 2023-10-30". The hire-by date is now the day recruiting must start (even before
   the plan starts), and every output says the hires start on the day the replay has them.
3. A first-period cut was said to happen "on 2024-01-01" (the warm-up's start) while plan.yaml
   made it on 2024-01-29, the plan's first day.
4. The chart's title said "hire 12 analysts by 2024-01-29" for 2 lasting hires and 10 seats of
   temporary cover for a month.
5. The what-it-takes sentence plans calendar years where ``staff --period year`` plans years from
   the warm-up's end, and said "4 of them temporary cover" with no end.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from types import SimpleNamespace


from capsim.charts.by_year import staff_words
from capsim.experiment import simulate
from capsim.report.what_it_takes import _temporary_words, what_it_takes, what_it_takes_findings
from capsim.scenario import load_scenario
from capsim.held_back import Behind
from capsim.staff_notes import upstream_behind, upstream_teams, upstream_words
from capsim.staffing import training_time, whole_days
from tests.conftest import mmc
from tests.test_cli import real

S = ["--set", "workforce.triage.headcount=13", "--set", "workforce.investigation.headcount=15",
     "--set", "clock.horizon=2y"]
"""The trial's police unit: triage short of staff (13), investigation 15, two years (measured from 29 Jan 2024)."""


def staff(tmp_path, *args: str):
    """``capsim staff police-unit`` with the trial's settings, 3 replications on one worker; the run and its folder."""
    out = tmp_path / "plan"
    result = real("staff", "police-unit", *S, *args, "-r", "3", "--workers", "1", "--out", out)
    assert result.returncode in (0, 3), result.stderr
    return result, out


def cells(table: str, column: int) -> dict[str, str]:
    """One column of ``capsim staff``'s table by period, each cell's lines wrapped in the table joined again."""
    found: dict[str, str] = {}
    period = ""
    for line in table.splitlines():
        if line.startswith("│"):
            parts = [c.strip() for c in line.strip().strip("│").split("│")]
            period = parts[0] or period
            found[period] = " ".join(filter(None, [found.get(period, ""), parts[column]]))
    return found


def test_staff_for_a_team_fed_by_one_behind_says_its_plan_holds_only_for_the_work_passed_on(tmp_path):
    result, out = staff(tmp_path, "--team", "investigation", "--period", "year")
    said = re.search(r"This plan holds only for the work passed on to team investigation now: team triage is behind "
                     r"\(normal-priority reports within 72 h: \d+% against a target of 90%\).*", result.stdout)
    assert said, result.stdout
    note = said.group(0)
    options = " ".join(S) + " --replications 3"
    assert f"Plan team triage first (capsim staff police-unit --team triage --period year {options})" in note
    assert f"capsim report police-unit --what-it-takes {options}, which plans the teams in referral order" in note
    assert f"# {note}\n" in (out / "plan.yaml").read_text()
    assert json.loads((out / "manifest.json").read_text())["staffing"]["held_back"] == note
    title = (out / "charts" / "staffing_plan.txt").read_text()
    assert "; only for the work team triage passes on now, as it is behind its targets" in title, title


def test_no_such_words_for_a_team_fed_by_none_or_by_teams_that_keep_up():
    scenario = load_scenario("scenarios/police-unit.yaml")
    assert upstream_teams(scenario, "triage") == [] and upstream_teams(scenario, "investigation") == ["triage"]

    def command(team: str) -> str:
        return f"capsim staff police-unit --team {team}"

    keeping_up = upstream_behind(scenario, "investigation", lambda name: 0.95 if name.startswith("sla_") else math.nan, {})
    behind = upstream_behind(scenario, "investigation", lambda name: 0.5 if name.startswith("sla_") else math.nan, {})
    assert keeping_up == [] and behind == [Behind("triage", ["normal-priority reports within 72 h: 50% against a target of 90%"], {})]
    assert upstream_words("investigation", keeping_up, command, "capsim report police-unit --what-it-takes") == ""


def test_late_hires_their_cover_and_their_dates_are_the_same_in_the_table_the_notes_and_the_chart(tmp_path):
    result, out = staff(tmp_path, "--team", "triage", "--period", "quarter",
                        "--set", "workforce.triage.hiring.lead_time=91d")
    # recruiting had to start 91 days before the plan's first day (29 Jan 2024): 13 weeks late; recruited
    # from then, the 2 lasting hires start on 29 Apr 2024, as plan.yaml has them
    assert cells(result.stdout, 7)["1"] == "2023-10-30 (13 weeks late: start 2024-04-29)"  # the hire-by column
    assert "should have been recruited by 2023-10-30, before the plan starts (2024-01-29); recruited from then, " \
           "they start on 2024-04-29" in result.stdout
    assert "- {date: 2024-04-29, headcount:" in (out / "plan.yaml").read_text()
    title = (out / "charts" / "staffing_plan.txt").read_text()
    assert "hire 2 lasting analysts by 2023-10-30, already 13 weeks late: they start on 2024-04-29; " in title
    cover = re.search(r"; (\d+) more as temporary cover from 2024-04-29 to 2024-05-28 \(hire by 2024-01-29: 30 days "
                      r"of cover, recruited over a hiring lead time of 91 days; overtime or agency staff may meet it "
                      r"better\);", title)  # a month of cover, recruited over three
    assert cover, title  # closed on 29 May, as plan.yaml does
    assert "- {date: 2024-05-29, headcount: 15}" in (out / "plan.yaml").read_text()
    assert f"hire {cover.group(1)} analysts" not in title and f"hire {int(cover.group(1)) + 2} " not in title


def test_a_first_period_cut_is_said_on_the_day_plan_yaml_makes_it(tmp_path):
    result, out = staff(tmp_path, "--team", "triage", "--allow-reduce", "--set", "workforce.triage.headcount=20")
    assert "let 5 analysts go (redeploy) on 2024-01-29" in result.stdout, result.stdout
    assert "- {date: 2024-01-29, headcount: 15}" in (out / "plan.yaml").read_text()
    assert "2024-01-01" not in result.stdout


def short_from(start: str, lead_time: str = "28d", days: int = 40) -> object:
    """Two analysts at 120% load for ``days`` from ``start`` (warm-up 1 day), each hire needing ``lead_time``:
    every run misses its 90% within 2 h."""
    raw = mmc(2, 600, 1.2, days=days, warmup_days=1, sla=[{"priority": "normal", "within": "2h", "target": 0.9}])
    raw["clock"]["start"] = start
    raw["workforce"][0]["hiring"] = {"lead_time": lead_time}
    return simulate(load_scenario(raw), 3, 5)


def test_what_it_takes_names_the_day_to_recruit_by_the_day_hires_start_and_its_calendar_years():
    # measured from 21 Nov 2025: years from then are not calendar years; both part years are planned
    # (each at least four weeks: a shorter one would be planned with the year beside it)
    run = short_from("2025-11-20", days=80)
    answer = what_it_takes(run)
    (plan,) = answer.plans
    first = plan.periods[0]
    assert first.hire_by == first.period.first - training_time(run.scenario.workforce[0]) - whole_days(28 * 86400)
    assert first.starts == first.period.first + dt.timedelta(days=28) == plan.staffing[1][0]
    sentence = what_it_takes_findings(run, answer)[0]
    assert ", by calendar year (capsim staff --period year plans years from 21 November, the warm-up's end, so its " \
           "figures can differ), has " in sentence, sentence
    assert (f"from {first.starts:%-d %b %Y} ({first.change:+d}; 4 weeks late: to be in post on 21 Nov 2025 they had "
            f"to be recruited by {first.hire_by:%-d %b %Y}, before the plan starts on 21 Nov 2025)") in sentence, sentence
    # the day the what-if run's own words (and chart) give the new seats
    assert f"then {plan.periods[0].headcount} from {first.starts:%-d %b %Y}" in staff_words(answer.result.scenario,
                                                                                          [plan.team])
    assert "hire by 21 Dec 2025" not in sentence


def test_plans_in_calendar_years_from_the_first_of_january_say_nothing_of_other_years():
    run = short_from("2025-12-31", lead_time="0d")  # measured from 1 Jan 2026: the same years either way
    sentence = what_it_takes_findings(run, what_it_takes(run))[0]
    assert "calendar year" not in sentence and "hire by 1 Jan 2026" in sentence, sentence


def test_temporary_cover_always_says_when_it_ends():
    def period(first: str, last: str, temporary: int = 0, until: dt.date | None = None, ended: int = 0):
        return SimpleNamespace(period=SimpleNamespace(first=dt.date.fromisoformat(first), last=dt.date.fromisoformat(last)),
                               temporary=temporary, temporary_until=until, cover_ended=ended)

    kept = SimpleNamespace(periods=[period("2029-01-01", "2029-12-31"), period("2030-01-01", "2030-03-31", 4)])
    assert _temporary_words(kept, 1) == "4 of them temporary cover to the end of the run"
    closed = SimpleNamespace(periods=[period("2028-01-01", "2028-12-31", 3), period("2029-01-01", "2029-12-31", 3),
                                      period("2030-01-01", "2030-03-31", 0, ended=3)])
    assert _temporary_words(closed, 0) == "3 of them temporary cover to 31 Dec 2029"
    within = SimpleNamespace(periods=[period("2028-01-01", "2028-12-31", 2, until=dt.date(2028, 1, 31))])
    assert _temporary_words(within, 0) == "2 of them temporary cover to 31 Jan 2028"


def test_a_chain_of_teams_behind_is_planned_in_order_every_one_named():
    """A → B → C, planning C with A and B behind: the advice used to say "plan team A first, then plan
    C again", leaving out B."""
    late = [Behind("a", ["x: 50% against a target of 90%"], {}), Behind("b", ["y: 60% against a target of 90%"], {})]
    words = upstream_words("c", late, lambda team: f"capsim staff s --team {team}", "capsim report s --what-it-takes")
    assert ("Plan team a first (capsim staff s --team a), then team b, each on the scenario with the plans before it "
            "merged in, then plan c again with those plans merged in;") in words, words
