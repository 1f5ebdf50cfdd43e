"""Trial 17 (a hotline manager writing their own scenario): the report says what the file says.

- The "What is modelled" diagram gave a stream with a ``priority_mix`` as "priority normal" (the
  unused default) and its team's urgent queue as "—"; a team fed only by referrals showed its
  queues as empty, or as the classifier's although no stream reaches it. Each queue now lists
  what arrives in it (:func:`capsim.metric_names.queue_arrivals`), and a stream box gives its mix.
- The assumptions table listed a stream's ``priority`` default that its ``priority_mix`` overrides,
  and marked settings written in a shorthand form (``public_holidays: GB``) as defaults.
- SLA labels named the unit of the stream declaring a priority, not of the items waiting at it: with a
  classifier relabelling an image stream, the low-priority items at grading are reports referred from
  triage, not images.
"""

from __future__ import annotations

import html
import re
from typing import Any

from capsim.metric_names import items_words, referrals_only, sla_words, team_priorities
from capsim.report.assumptions import assumptions_table
from capsim.report.flow import flow_svg
from capsim.scenario import load_scenario
from capsim.words import metric_label

ROSTER = {"hours_per_day": 7.5, "days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00"}


def _scenario(**changes: Any) -> dict:
    """Two teams, triage refers criminal reports to grading at low priority; a mixed-priority stream."""
    base = {
        "name": "northshore-small",
        "clock": {"horizon": "60d", "warmup": "7d", "start": "2027-01-04", "step": "7d"},
        "priorities": ["urgent", "normal", "low"],
        "demand": [{"stream": "public-reports", "unit": "report", "rate": "50/day",
                    "priority_mix": {"urgent": 0.1, "normal": 0.9}, "mix": {"criminal": 0.6}, "team": "triage"}],
        "review": {"report": {"dist": "lognormal", "mean": "3min", "cv": 1.0},
                   "image": {"dist": "lognormal", "mean": "20s", "cv": 1.0}},
        "workforce": [{"team": "triage", "headcount": 3, "roster": {**ROSTER, "public_holidays": "GB"}},
                      {"team": "grading", "headcount": 2, "roster": ROSTER}],
        "routing": [{"from": "triage", "to": "grading", "when": {"criminal": True}, "priority": "low"}],
        "sla": [{"priority": "urgent", "within": "24h", "target": 0.95},
                {"priority": "normal", "within": "72h", "target": 0.9},
                {"priority": "low", "within": "14d", "target": 0.9}],
    }
    return {**base, **changes}


def _classified() -> dict:
    """A classifier relabels every stream; the image stream's own priority, low, reaches grading only
    as triage's referred reports; victim_id receives grading's images and reports."""
    return _scenario(
        demand=[{"stream": "public-reports", "unit": "report", "rate": "50/day", "priority": "normal",
                 "mix": {"criminal": 0.6}, "team": "triage"},
                {"stream": "industry", "unit": "image", "rate": "200/day", "priority": "low", "team": "grading"}],
        workforce=[{"team": "triage", "headcount": 3, "roster": ROSTER},
                   {"team": "grading", "headcount": 2, "roster": ROSTER},
                   {"team": "victim_id", "headcount": 1, "roster": ROSTER}],
        routing=[{"from": "triage", "to": "grading", "when": {"criminal": True}, "priority": "low"},
                 {"from": "grading", "to": "victim_id", "when": {"criminal": True}, "share": 0.01,
                  "priority": "low"}],
        tooling={"classifier": {"enabled": True, "recall": 0.9, "precision": 0.8, "positive_priority": "urgent",
                                "negative_priority": "normal"}},
    )


def _diagram_text(svg: str) -> str:
    """The diagram's words in reading order, its wrapped lines joined by spaces."""
    return html.unescape(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))


def test_the_diagram_gives_a_streams_priority_mix_and_the_queues_it_reaches():
    text = _diagram_text(flow_svg(load_scenario(_scenario())))
    assert "priority urgent 10% · normal 90% → triage" in text
    assert "priority normal" not in text
    assert "urgent: public-reports normal: public-reports low: —" in text


def test_the_diagram_gives_the_referrals_a_queue_receives():
    text = _diagram_text(flow_svg(load_scenario(_scenario())))
    assert "grading: queues by priority urgent: — normal: — low: referrals from triage" in text


def test_with_a_classifier_the_diagram_gives_its_queues_only_where_streams_arrive():
    text = _diagram_text(flow_svg(load_scenario(_classified())))
    assert ("triage: queues by priority urgent: items the classifier flags normal: items the classifier does "
            "not flag low: —") in text
    assert ("grading: queues by priority urgent: items the classifier flags normal: items the classifier does "
            "not flag low: referrals from triage") in text
    assert "victim_id: queues by priority urgent: — normal: — low: referrals from grading" in text


def test_the_diagram_gives_a_teams_earliest_deadline_order():
    scenario = _scenario()
    scenario["workforce"][1] = {**scenario["workforce"][1], "order": "earliest_deadline"}
    text = _diagram_text(flow_svg(load_scenario(scenario)))
    assert text.count("first come, first served within a priority") == 1  # triage's
    assert "earliest deadline first, across the queues (arrival + the priority's SLA)" in text


def test_sla_words_name_the_unit_of_the_items_waiting_at_a_team():
    s = load_scenario(_classified())
    assert sla_words(s, "low", "grading") == "low-priority referrals within 14 d (grading)"
    assert sla_words(s, "low", "victim_id") == "low-priority referrals within 14 d (victim id)"
    assert sla_words(s, "urgent", "grading") == "images the classifier flagged within 24 h (grading)"
    assert sla_words(s, "urgent", "triage") == "reports the classifier flagged within 24 h (triage)"
    assert sla_words(s, "urgent") == "items the classifier flagged within 24 h"


def test_a_priority_the_classifier_takes_from_every_stream_is_referrals_only():
    s = load_scenario(_classified())
    assert referrals_only(s, "low")
    assert items_words(s, "low") == "low-priority referrals"
    assert "images" not in metric_label("sla_low_grading", s)
    assert team_priorities(s) == {"triage": ["urgent", "normal"], "grading": ["urgent", "normal", "low"],
                                  "victim_id": ["low"]}


def test_referrals_alone_at_a_team_are_called_referrals_not_another_stream_s_unit():
    s = load_scenario(_scenario())
    assert sla_words(s, "low", "grading") == "low-priority referrals within 14 d (grading)"
    assert sla_words(s, "low") == "low-priority referrals within 14 d"


def _sources(scenario: dict) -> dict[str, str]:
    table = assumptions_table(load_scenario(scenario))
    return dict(zip(table.key, table.source))


def test_a_setting_written_in_shorthand_is_the_files():
    scenario = _scenario()
    scenario["demand"][0] = {**scenario["demand"][0], "ttl": "72h"}
    scenario["workforce"][1] = {**scenario["workforce"][1], "roster": "24/7"}
    sources = _sources(scenario)
    assert sources["workforce.triage.roster.public_holidays.country"] == "assumption"
    assert sources["workforce.triage.roster.public_holidays.subdiv"] == "default (assumption)"
    assert sources["demand.public-reports.ttl.dist"] == "assumption"
    assert sources["demand.public-reports.ttl.mean"] == "assumption"
    assert sources["workforce.grading.roster.hours_per_day"] == "assumption"
    assert sources["workforce.grading.roster.holidays"] == "default (assumption)"


def test_the_priority_a_priority_mix_overrides_is_not_listed():
    sources = _sources(_scenario())
    assert "demand.public-reports.priority" not in sources
    assert sources["demand.public-reports.priority_mix.urgent"] == "assumption"
    assert _sources(_classified())["demand.industry.priority"] == "assumption"


def test_a_team_on_shifts_has_no_roster_rows():
    """A team written with shifts has its patterns' rows alone: the roster derived from the first
    pattern (its hours, not its holidays) read as a default pattern without public holidays."""
    scenario = _scenario()
    scenario["workforce"][1] = {"team": "grading", "shifts": [
        {"name": "early", "headcount": 2, "hours_per_day": 8, "start": "07:00", "public_holidays": "GB"}]}
    sources = _sources(scenario)
    assert not any(key.startswith("workforce.grading.roster") for key in sources)
    assert sources["workforce.grading.shifts.0.public_holidays.country"] == "assumption"
    assert sources["workforce.triage.roster.hours_per_day"] == "assumption"
