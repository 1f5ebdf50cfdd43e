"""The scenario: schema, defaults, ``extends:``, ``--set`` overrides and clear errors."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from capsim.scenario import (
    DEFAULT_PRIORITIES,
    GrowthExponential,
    GrowthLinear,
    GrowthLogistic,
    GrowthNone,
    GrowthTable,
    Scenario,
    ScenarioError,
    load_scenario,
    validate,
)

BUNDLED = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))
DAY = 86400.0

MINIMAL = {
    "name": "minimal",
    "clock": {"horizon": "30d"},
    "demand": [{"stream": "images", "rate": "370/day"}],
    "review": {"image": {"dist": "exponential", "mean": "30s"}},
    "workforce": [{"team": "analysts", "headcount": 3}],
}

FULL = """\
name: parent
title: A parent scenario
description: used by the tests
clock: {horizon: 30d, warmup: 2d, start: 2024-01-01, step: 1h}
priorities: [urgent, high, normal, low]
demand:
  - stream: reports
    unit: report
    rate: 370/day
    growth: {model: exponential, doubling_time: 180d}
    initial_backlog: 100
    mix: {ai_generated: 0.5, known: 0.1, criminal: 0.3, realistic: 0.8}
    priority: normal
  - stream: tips
    unit: image
    rate: 10/day
    priority: urgent
review:
  report: {dist: lognormal, mean: 90s, cv: 1.0}
  image: {dist: exponential, mean: 28.4s}
workforce:
  - team: analysts
    headcount: 12
    roster: {hours_per_day: 8, days: [mon, tue, wed, thu, fri], start: "08:00"}
    exposure_cap: 4h/day
    shrinkage: 0.15
sla:
  - {priority: normal, within: 72h, target: 0.90}
  - {priority: urgent, within: 24h, target: 0.95}
costs: {currency: GBP, teams: {analysts: {annual_cost: 48000}}}
experiment: {replications: 5, seed: 42}
"""


def minimal(**changes) -> dict:
    """A copy of the minimal scenario with top-level keys replaced."""
    raw = copy.deepcopy(MINIMAL)
    raw.update(changes)
    return raw


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(source, overrides=()) -> str:
    """The message of the ScenarioError raised by loading ``source``."""
    with pytest.raises(ScenarioError) as err:
        if isinstance(source, dict):
            validate(apply(source), "scenario.yaml")
            return ""
        load_scenario(source, list(overrides))
    return str(err.value)


def apply(raw: dict) -> dict:
    return copy.deepcopy(raw)


@pytest.fixture
def parent(tmp_path) -> Path:
    return write(tmp_path, "parent.yaml", FULL)


# --------------------------------------------------------------------------- minimal & defaults


def test_minimal_scenario_loads_with_units_resolved():
    s = validate(minimal())
    assert isinstance(s, Scenario)
    assert s.name == "minimal"
    assert s.clock.horizon == 30 * DAY
    assert s.horizon == 30 * DAY
    assert s.demand[0].rate == pytest.approx(370 / DAY)
    assert s.review["image"].mean == 30.0
    assert s.review["image"].mean_seconds == 30.0
    assert s.workforce[0].headcount == 3


def test_minimal_scenario_loads_from_a_file(tmp_path):
    path = write(tmp_path, "m.yaml", yaml.safe_dump(MINIMAL))
    s = load_scenario(path)
    assert s.name == "minimal"
    assert s.source["demand"][0]["rate"] == "370/day"  # the source keeps the units as written


def test_defaults_are_as_documented():
    s = validate(minimal())
    assert s.title == "" and s.description == ""
    # clock
    assert s.clock.warmup == 0.0
    assert s.clock.start == dt.date(2024, 1, 1)
    assert s.clock.step == 3600.0
    assert s.priorities == DEFAULT_PRIORITIES == ["urgent", "high", "normal", "low"]
    # a stream
    stream = s.demand[0]
    assert stream.unit == "image"
    assert isinstance(stream.growth, GrowthNone)
    assert stream.weekly is None and stream.weekly_factors() == (1.0,) * 7
    assert stream.bursts == []
    assert stream.initial_backlog == 0
    assert (stream.mix.ai_generated, stream.mix.known, stream.mix.criminal, stream.mix.realistic) == (0, 0, 1, 0)
    assert stream.priority == "normal"
    assert stream.ttl is None
    assert stream.team is None and s.team_of(stream) == "analysts"
    # a team
    team = s.workforce[0]
    assert team.roster.hours_per_day == 7.5
    assert team.roster.days == ["mon", "tue", "wed", "thu", "fri"]
    assert team.roster.start == "09:00" and team.roster.start_seconds == 9 * 3600
    assert team.roster.holidays == []
    assert not team.roster.round_the_clock
    assert team.exposure_cap is None
    assert team.shrinkage == 0.0
    # the rest
    assert s.tooling.hash_matching.enabled is False
    assert s.tooling.hash_matching.match_rate == 1.0
    assert s.sla == []
    assert s.costs.currency == "GBP" and s.costs.teams == {}
    assert s.experiment.replications == 10 and s.experiment.seed == 0


def test_full_scenario_loads(parent):
    s = load_scenario(parent)
    assert s.title == "A parent scenario"
    assert s.clock.warmup == 2 * DAY
    assert s.workforce[0].exposure_cap == 4 * 3600
    assert s.workforce[0].roster.start_seconds == 8 * 3600
    assert isinstance(s.demand[0].growth, GrowthExponential)
    assert s.demand[0].growth.doubling_time == 180 * DAY
    assert [sla.priority for sla in s.sla] == ["normal", "urgent"]
    assert s.experiment.seed == 42


def test_a_scenario_is_frozen():
    s = validate(minimal())
    with pytest.raises(Exception):
        s.name = "other"


def test_weekly_pattern_is_rescaled_to_average_one():
    raw = minimal()
    raw["demand"][0]["weekly"] = {"mon": 2, "sat": 0, "sun": 0}
    factors = validate(raw).demand[0].weekly_factors()
    assert sum(factors) == pytest.approx(7)
    assert factors[0] == pytest.approx(2 * factors[1])
    assert factors[5] == factors[6] == 0


# --------------------------------------------------------------------------- extends


def test_child_changing_only_headcount_inherits_the_rest(tmp_path, parent):
    base = yaml.safe_load(FULL)
    team = dict(base["workforce"][0], headcount=14)
    child = write(tmp_path, "child.yaml", yaml.safe_dump({"extends": "parent.yaml", "name": "child", "workforce": [team]}))
    p, c = load_scenario(parent), load_scenario(child)
    assert c.name == "child"
    assert c.workforce[0].headcount == 14
    assert c.workforce[0].roster == p.workforce[0].roster
    assert c.workforce[0].exposure_cap == p.workforce[0].exposure_cap
    for section in ("clock", "priorities", "demand", "review", "tooling", "sla", "costs", "experiment", "description"):
        assert getattr(c, section) == getattr(p, section), section
    assert c.digest() != p.digest()


def test_extends_merges_mappings_key_by_key(tmp_path, parent):
    child = write(tmp_path, "child.yaml", "extends: parent.yaml\nname: child\n"
                  "clock: {horizon: 10d}\nexperiment: {seed: 7}\n"
                  "review: {image: {dist: deterministic, mean: 20s}}\n")
    c = load_scenario(child)
    assert c.clock.horizon == 10 * DAY
    assert c.clock.warmup == 2 * DAY  # kept from the parent
    assert c.clock.step == 3600.0
    assert c.experiment.seed == 7 and c.experiment.replications == 5
    assert c.review["report"].dist == "lognormal"  # untouched sibling kept
    assert c.review["image"].dist == "deterministic"


def test_nested_mappings_merge_and_a_replaced_inner_key_removes_nothing_else(tmp_path, parent):
    child = write(tmp_path, "child.yaml", "extends: parent.yaml\nname: child\n"
                  "review: {report: {mean: 60s}}\ncosts: {teams: {analysts: {annual_cost: 50000}}}\n")
    c = load_scenario(child)
    assert c.review["report"].mean == 60.0
    assert c.review["report"].cv == 1.0  # merged inside the nested mapping
    assert c.costs.teams["analysts"].annual_cost == 50000
    assert c.costs.currency == "GBP"


def test_extends_merges_named_lists_by_name(tmp_path, parent):
    child = write(tmp_path, "child.yaml", "extends: parent.yaml\nname: child\n"
                  "workforce: [{team: analysts, headcount: 20}]\n"
                  "demand: [{stream: only, unit: image, rate: 5/day}]\n")
    p, c = load_scenario(parent), load_scenario(child)
    assert [s.stream for s in c.demand] == [s.stream for s in p.demand] + ["only"]
    team = c.workforce[0]
    assert team.headcount == 20
    # only the headcount changed: the rest of the team is the parent's
    assert team.roster == p.workforce[0].roster and team.exposure_cap == p.workforce[0].exposure_cap
    assert team.shrinkage == p.workforce[0].shrinkage


def test_extends_drops_named_elements_and_empty_lists_clear(tmp_path, parent):
    p = load_scenario(parent)
    first = p.demand[0].stream
    child = write(tmp_path, "child.yaml", "extends: parent.yaml\nname: child\n"
                  f"demand: [{{stream: {first}, drop: true}}, {{stream: only, unit: image, rate: 5/day}}]\n"
                  "sla: []\npriorities: [urgent, normal]\n")
    c = load_scenario(child)
    assert [s.stream for s in c.demand] == [s.stream for s in p.demand[1:]] + ["only"]
    assert c.sla == []
    assert c.priorities == ["urgent", "normal"]  # plain lists are replaced whole


def test_child_does_not_inherit_name_or_title(tmp_path, parent):
    child = write(tmp_path, "child.yaml", "extends: parent.yaml\nexperiment: {seed: 1}\n")
    message = problems(child)
    assert "child.yaml" in message and "name" in message and "missing" in message
    child.write_text("extends: parent.yaml\nname: child\n")
    c = load_scenario(child)
    assert c.title == ""
    assert c.description == "used by the tests"


def test_extends_chains_and_is_relative_to_the_child(tmp_path, parent):
    sub = tmp_path / "variants"
    sub.mkdir()
    write(sub, "middle.yaml", "extends: ../parent.yaml\nname: middle\nclock: {horizon: 20d}\n")
    leaf = write(sub, "leaf.yaml", "extends: middle.yaml\nname: leaf\nexperiment: {seed: 3}\n")
    s = load_scenario(leaf)
    assert (s.name, s.clock.horizon, s.experiment.seed, s.workforce[0].headcount) == ("leaf", 20 * DAY, 3, 12)


def test_extends_loop_is_an_error(tmp_path):
    a = write(tmp_path, "a.yaml", "extends: b.yaml\nname: a\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\nname: b\n")
    message = problems(a)
    assert "loop" in message and "a.yaml" in message and "b.yaml" in message


def test_extends_itself_is_a_loop(tmp_path):
    a = write(tmp_path, "self.yaml", "extends: self.yaml\nname: a\n")
    assert "loop" in problems(a)


def test_extends_a_missing_file_names_both_files(tmp_path):
    child = write(tmp_path, "child.yaml", "extends: nowhere.yaml\nname: c\n")
    message = problems(child)
    assert "child.yaml" in message and "extends" in message and "nowhere.yaml" in message


def test_extends_must_be_one_path(tmp_path, parent):
    child = write(tmp_path, "child.yaml", "extends: [parent.yaml, other.yaml]\nname: c\n")
    message = problems(child)
    assert "child.yaml" in message and "extends" in message


def test_an_error_in_an_inherited_key_names_the_chain(tmp_path):
    write(tmp_path, "p.yaml", FULL.replace("headcount: 12", "headcont: 12"))
    child = write(tmp_path, "c.yaml", "extends: p.yaml\nname: c\n")
    message = problems(child)
    assert "c.yaml" in message and "p.yaml" in message and "headcont" in message


# --------------------------------------------------------------------------- --set overrides


def test_set_by_name_index_and_dotted_path(parent):
    s = load_scenario(parent, [
        "workforce.analysts.headcount=14",
        "demand.reports.rate=500/day",
        "demand.0.mix.criminal=0.5",
        "demand.tips.priority=high",
        "sla.urgent.target=0.99",
        "clock.horizon=10d",
    ])
    assert s.workforce[0].headcount == 14
    assert s.demand[0].rate == pytest.approx(500 / DAY)
    assert s.demand[0].mix.criminal == 0.5
    assert s.demand[1].priority == "high"
    assert s.sla[1].target == 0.99
    assert s.clock.horizon == 10 * DAY
    assert s.source["demand"][0]["rate"] == "500/day"


def test_set_values_are_read_as_yaml(parent):
    s = load_scenario(parent, [
        "workforce.0.roster.days=[mon, tue]",
        "demand.0.growth={model: linear, increase_per_year: 0.2}",
        "experiment.seed=7",
        "title=a new title",
        "description='quoted: with a colon'",
        "workforce.analysts.exposure_cap=none",
        "clock.start=2024-03-04",
    ])
    assert s.workforce[0].roster.days == ["mon", "tue"]
    assert isinstance(s.demand[0].growth, GrowthLinear)
    assert s.experiment.seed == 7 and isinstance(s.experiment.seed, int)
    assert s.title == "a new title"
    assert s.description == "quoted: with a colon"
    assert s.workforce[0].exposure_cap is None
    assert s.clock.start == dt.date(2024, 3, 4)


def test_set_applies_after_extends(tmp_path, parent):
    child = write(tmp_path, "child.yaml", "extends: parent.yaml\nname: child\nclock: {horizon: 9d}\n")
    s = load_scenario(child, ["workforce.analysts.headcount=2", "clock.horizon=8d"])
    assert s.workforce[0].headcount == 2 and s.clock.horizon == 8 * DAY


def test_set_on_a_dict_source_does_not_change_it():
    raw = minimal()
    before = copy.deepcopy(raw)
    s = load_scenario(raw, ["workforce.analysts.headcount=9"])
    assert s.workforce[0].headcount == 9
    assert raw == before


def test_set_can_add_a_section(parent):
    s = load_scenario(parent, ["tooling.hash_matching.enabled=true"])
    assert s.tooling.hash_matching.enabled is True


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("workforce.nobody.headcount=3", ["parent.yaml", "--set workforce.nobody.headcount", "'nobody'", "analysts"]),
        ("workforce.5.headcount=3", ["parent.yaml", "index 5", "list of 1"]),
        ("noequals", ["parent.yaml", "dotted.key=value"]),
        ("=3", ["parent.yaml", "dotted.key=value"]),
        ("clock..horizon=3d", ["parent.yaml", "dotted.key=value"]),
        ("name.first=x", ["parent.yaml", "--set name.first", "plain value"]),
        ("colck.horizon=3d", ["parent.yaml", "colck", "did you mean 'clock'", "allowed here"]),
        ("workforce.analysts.headcount=-3", ["--set workforce.analysts.headcount=-3", "-3 is too small; allowed: a whole number from 0 to 100,000"]),
        ("workforce.analysts.headcount=lots", ["--set workforce.analysts.headcount=lots", "'lots' is not a whole number; allowed: a whole number from 0"]),
        ("clock.start=2024-13-01", ["--set clock.start=2024-13-01", "YYYY-MM-DD"]),
    ],
)
def test_bad_set_names_the_set_or_the_file_and_the_key(parent, override, expected):
    message = problems(parent, [override])
    for part in expected:
        assert part in message, (part, message)


# --------------------------------------------------------------------------- growth models


GOOD_GROWTH = [
    ({"model": "none"}, GrowthNone),
    ({"model": "linear", "increase_per_year": 0.2}, GrowthLinear),
    ({"model": "linear", "increase_per_year": -0.5}, GrowthLinear),
    ({"model": "exponential", "doubling_time": "180d"}, GrowthExponential),
    ({"model": "logistic", "ceiling": "2000/day", "midpoint": "2024-06-01", "steepness": "1.5/year"}, GrowthLogistic),
    ({"model": "logistic", "ceiling": "2000/day", "midpoint": "90d", "steepness": "1.5/year"}, GrowthLogistic),
]


@pytest.mark.parametrize(("growth", "model"), GOOD_GROWTH)
def test_each_growth_model_validates(growth, model):
    raw = minimal()
    raw["demand"][0]["growth"] = growth
    assert isinstance(validate(raw).demand[0].growth, model)


def test_table_growth_validates_and_sets_the_rate():
    raw = minimal()
    del raw["demand"][0]["rate"]
    raw["demand"][0]["growth"] = {"model": "table", "points": [
        {"date": "2023-01-01", "rate": "100/day"}, {"date": "2024-01-01", "rate": "300/day"}]}
    growth = validate(raw).demand[0].growth
    assert isinstance(growth, GrowthTable)
    assert growth.points[1].date == dt.date(2024, 1, 1)
    assert growth.points[1].rate == pytest.approx(300 / DAY)


def test_logistic_midpoint_reads_a_date_or_a_duration():
    raw = minimal()
    raw["demand"][0]["growth"] = GOOD_GROWTH[4][0]
    assert validate(raw).demand[0].growth.midpoint == dt.date(2024, 6, 1)
    raw["demand"][0]["growth"] = GOOD_GROWTH[5][0]
    assert validate(raw).demand[0].growth.midpoint == 90 * DAY


@pytest.mark.parametrize(
    ("growth", "missing"),
    [
        ({"model": "linear"}, ["increase_per_year"]),
        ({"model": "logistic"}, ["ceiling", "midpoint", "steepness"]),
        ({"model": "logistic", "ceiling": "10/day", "steepness": "1/year"}, ["midpoint"]),
        ({"model": "table"}, ["points"]),
    ],
)
def test_growth_without_its_parameters_names_the_key(growth, missing):
    raw = minimal()
    raw["demand"][0]["growth"] = growth
    message = problems(raw)
    for key in missing:
        assert f"scenario.yaml: demand.images.growth.{key}: required key is missing" in message, message


def test_exponential_growth_without_a_rate_names_both_ways_to_give_it():
    raw = minimal()
    raw["demand"][0]["growth"] = {"model": "exponential"}
    assert "demand.images.growth: give either doubling_time (e.g. 180d) or per_year (e.g. 30%)" in problems(raw)


@pytest.mark.parametrize(
    ("growth", "expected"),
    [
        ({"model": "cubic"}, ["demand.images.growth.model", "'cubic'", "exponential", "logistic", "table"]),
        ({"doubling_time": "180d"}, ["demand.images.growth.model", "missing", "exponential"]),
        ({"model": "exponential", "doubling_time": "0d"}, ["demand.images.growth.doubling_time", "at least 1d"]),
        ({"model": "exponential", "doubling_time": "180"}, ["demand.images.growth.doubling_time", "no unit"]),
        ({"model": "exponential", "doubling_time": "180d", "ceiling": "5/day"},
         ["demand.images.growth.ceiling", "unknown key", "doubling_time, model"]),
        ({"model": "exponential", "doubling_tme": "180d"}, ["did you mean 'doubling_time'"]),
        ({"model": "table", "points": []}, ["demand.images.growth.points"]),
        ("exponential", ["demand.images.growth"]),
    ],
)
def test_bad_growth(growth, expected):
    raw = minimal()
    raw["demand"][0]["growth"] = growth
    message = problems(raw)
    for part in expected:
        assert part in message, (part, message)


def test_table_growth_refuses_a_rate_as_well():
    raw = minimal()
    raw["demand"][0]["growth"] = {"model": "table", "points": [{"date": "2023-01-01", "rate": "1/day"}]}
    assert "either rate or a growth table" in problems(raw)


def test_table_growth_points_must_be_in_order():
    raw = minimal()
    del raw["demand"][0]["rate"]
    raw["demand"][0]["growth"] = {"model": "table", "points": [
        {"date": "2024-01-01", "rate": "1/day"}, {"date": "2023-01-01", "rate": "2/day"}]}
    assert "increasing order" in problems(raw)


def test_a_stream_needs_a_rate():
    raw = minimal()
    del raw["demand"][0]["rate"]
    message = problems(raw)
    assert "demand.images" in message and "rate is required" in message


# --------------------------------------------------------------------------- review times


@pytest.mark.parametrize(
    "review",
    [
        {"dist": "exponential", "mean": "30s"},
        {"dist": "deterministic", "mean": "30s"},
        {"dist": "lognormal", "mean": "28.4s", "cv": 1.0},
        {"dist": "gamma", "mean": "1min", "cv": 0.5},
        {"dist": "empirical", "values": ["10s", "20s", "1min"]},
    ],
)
def test_review_distributions_validate(review):
    raw = minimal(review={"image": review})
    validate(raw)


def test_empirical_mean_is_the_mean_of_its_values():
    raw = minimal(review={"image": {"dist": "empirical", "values": ["10s", "20s", "1min"]}})
    assert validate(raw).review["image"].mean_seconds == pytest.approx(30.0)


@pytest.mark.parametrize(
    ("review", "expected"),
    [
        ({"dist": "lognormal", "mean": "28.4s"}, ["review.image", "lognormal", "cv"]),
        ({"dist": "gamma", "cv": 1.0}, ["review.image", "gamma", "mean"]),
        ({"dist": "exponential"}, ["review.image", "needs mean"]),
        ({"dist": "empirical"}, ["review.image", "empirical", "values"]),
        ({"dist": "empirical", "values": []}, ["review.image", "values"]),
        ({"dist": "empirical", "values": ["10s", "5"]}, ["review.image.values.1", "no unit"]),
        ({"dist": "exponential", "mean": "30s", "cv": 1.0}, ["review.image", "takes only mean", "cv"]),
        ({"dist": "deterministic", "mean": "0s"}, ["review.image", "longer than zero"]),
        ({"dist": "lognormal", "mean": "30s", "cv": 0}, ["review.image.cv", "0 is too small; allowed: a number above 0"]),
        ({"dist": "normal", "mean": "30s"}, ["review.image.dist", "'normal'", "lognormal", "empirical"]),
        ({"mean": "30s"}, ["review.image.dist", "missing"]),
        ({"dist": "exponential", "mean": "-30s"}, ["review.image.mean", "'-30s' is too small; allowed: a duration from 0 to 1000y"]),
    ],
)
def test_review_distributions_need_their_parameters(review, expected):
    message = problems(minimal(review={"image": review}))
    for part in expected:
        assert part in message, (part, message)


def test_review_for_an_unknown_kind():
    review = {"image": {"dist": "exponential", "mean": "30s"}, "photo": {"dist": "exponential", "mean": "30s"}}
    message = problems(minimal(review=review))
    assert "review.photo" in message and "image" in message and "video" in message


# --------------------------------------------------------------------------- rosters & clock


@pytest.mark.parametrize("shorthand", ["24/7", " 24 / 7 "])
def test_roster_24_7_shorthand(shorthand):
    raw = minimal()
    raw["workforce"][0]["roster"] = shorthand
    roster = validate(raw).workforce[0].roster
    assert roster.hours_per_day == 24
    assert roster.days == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert roster.start == "00:00"
    assert roster.round_the_clock


def test_roster_24_7_from_a_file(tmp_path):
    text = yaml.safe_dump(MINIMAL).replace("headcount: 3", "headcount: 3\n  roster: 24/7")
    assert load_scenario(write(tmp_path, "r.yaml", text)).workforce[0].roster.round_the_clock


@pytest.mark.parametrize("start", ["25:00", "9am", "9:00", "09:60", "noon", ""])
def test_a_bad_shift_start(start):
    raw = minimal()
    raw["workforce"][0]["roster"] = {"start": start}
    message = problems(raw)
    assert "workforce.analysts.roster.start" in message and "HH:MM" in message


def test_an_unquoted_shift_start_is_explained(tmp_path):
    text = yaml.safe_dump(MINIMAL).replace("headcount: 3", "headcount: 3\n  roster: {start: 10:30}")
    message = problems(write(tmp_path, "s.yaml", text))
    assert "workforce.analysts.roster.start" in message and '"10:30"' in message


@pytest.mark.parametrize(
    ("roster", "expected"),
    [
        ({"days": ["mon", "funday"]}, ["workforce.analysts.roster.days.1", "'funday'", "sun"]),
        ({"days": []}, ["workforce.analysts.roster.days"]),
        ({"hours_per_day": 25}, ["workforce.analysts.roster.hours_per_day", "24"]),
        ({"hours_per_day": 0}, ["workforce.analysts.roster.hours_per_day"]),
        ({"holidays": ["2024-02-30"]}, ["workforce.analysts.roster.holidays.0", "YYYY-MM-DD"]),
        ("9 to 5", ["workforce.analysts.roster"]),
    ],
)
def test_bad_rosters(roster, expected):
    raw = minimal()
    raw["workforce"][0]["roster"] = roster
    message = problems(raw)
    for part in expected:
        assert part in message, (part, message)


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        ({"horizon": "0d"}, ["clock", "longer than zero"]),
        ({"horizon": "30"}, ["clock.horizon", "no unit"]),
        ({"horizon": "-3d"}, ["clock.horizon", "'-3d' is too small; allowed: a duration from 0 to 1000y"]),
        ({"horizon": "30d", "warmup": "30d"}, ["clock", "warmup", "shorter than the horizon"]),
        ({"horizon": "30d", "step": "1.5s"}, ["clock", "whole number of seconds"]),
        ({"horizon": "30d", "start": "yesterday"}, ["clock.start", "YYYY-MM-DD"]),
        ({"horizon": "30d", "start": "2024-13-01"}, ["clock.start", "YYYY-MM-DD"]),
        ({"start": "2024-01-01"}, ["clock.horizon", "required key is missing"]),
    ],
)
def test_bad_clock(clock, expected):
    message = problems(minimal(clock=clock))
    for part in expected:
        assert part in message, (part, message)


def test_a_bad_date_in_a_file_names_the_key(tmp_path):
    text = yaml.safe_dump(MINIMAL).replace("horizon: 30d", "horizon: 30d\n  start: 2024-13-01")
    message = problems(write(tmp_path, "d.yaml", text))
    assert "d.yaml: clock.start:" in message and "YYYY-MM-DD" in message


# --------------------------------------------------------------------------- bad values


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("workforce", 0, "headcount"), -2, "-2 is too small; allowed: a whole number from 0 to 100,000"),
        (("workforce", 0, "headcount"), 2.5, "2.5 is not a whole number; allowed: a whole number from 0"),
        (("workforce", 0, "headcount"), True, "true is not allowed"),
        (("workforce", 0, "shrinkage"), 1.0, "1 is not below 1: this is a share, below 1"),
        (("workforce", 0, "exposure_cap"), "4h/week", "per day"),
        (("workforce", 0, "exposure_cap"), "-4h/day", "between 0h/day and 24h/day"),
        (("workforce", 0, "exposure_cap"), "25h/day", "between 0h/day and 24h/day"),
        (("demand", 0, "rate"), "-5/day", "'-5/day' is too small; allowed: a rate from 0 to 1e9/day"),
        (("demand", 0, "rate"), "5/0day", "must be positive"),
        (("demand", 0, "rate"), "inf/day", "not a rate"),
        (("demand", 0, "rate"), 370, "no time unit"),
        (("demand", 0, "rate"), "370/fortnight", "not a rate"),
        (("demand", 0, "initial_backlog"), -1, "-1 is too small; allowed: a whole number from 0 to 1,000,000,000"),
        (("demand", 0, "unit"), "gif", "'image', 'video' or 'report'"),
        (("demand", 0, "mix"), {"criminal": 1.5}, "1.5 is more than 1: this is a share, at most 1"),
        (("demand", 0, "mix"), {"known": False}, "false is not allowed"),
        (("demand", 0, "weekly"), {"monday": 1}, "mon, tue"),
        (("demand", 0, "ttl"), "0h", "longer than zero"),
        (("experiment", "replications"), 0, "0 is too small; allowed: a whole number from 1 to 100,000"),
        (("experiment", "seed"), -1, "-1 is too small; allowed: a whole number 0 or more"),
    ],
)
def test_bad_values_name_file_key_and_what_is_allowed(path, value, expected):
    raw = minimal(experiment={})
    node = raw
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    message = problems(raw)
    written = {("demand", 0): "demand.images", ("workforce", 0): "workforce.analysts"}  # named as --set names them
    key = ".".join([written.get(path[:2], ".".join(map(str, path[:2]))), *map(str, path[2:])])
    assert message.startswith("scenario.yaml: ")
    assert key in message, (key, message)
    assert expected in message, (expected, message)
    assert len(message.splitlines()) == 1, message


# --------------------------------------------------------------------------- cross-references


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r["demand"][0].update(team="police"), "demand.images.team: no team 'police'; teams are analysts"),
        (lambda r: r["demand"][0].update(priority="critical"), "demand.images.priority: 'critical' is not one of urgent, high, normal, low"),
        (lambda r: r.update(sla=[{"priority": "critical", "within": "24h", "target": 0.9}]), "sla.critical.priority: 'critical'"),
        (lambda r: r["demand"][0].update(unit="video"), "review.video: stream 'images' sends videos"),
        (lambda r: r["workforce"].append({"team": "analysts", "headcount": 1}), "workforce: team 'analysts' is defined twice"),
        (lambda r: r["demand"].append({"stream": "images", "rate": "1/day"}), "demand: stream 'images' is defined twice"),
        (lambda r: r.update(priorities=["high", "high", "normal"]), "priorities: each priority may appear once"),
        (lambda r: r.update(costs={"teams": {"police": {"annual_cost": 1}}}), "costs.teams.police: no such team"),
    ],
)
def test_cross_references(change, expected):
    raw = minimal()
    change(raw)
    message = problems(raw)
    assert f"scenario.yaml: {expected}" in message, message
    assert "(top level)" not in message


def test_a_stream_may_name_its_team():
    raw = minimal()
    raw["workforce"].append({"team": "police", "headcount": 2})
    raw["demand"][0]["team"] = "police"
    s = validate(raw)
    assert s.team_of(s.demand[0]) == "police"


def test_several_cross_reference_problems_each_get_a_line():
    raw = minimal()
    raw["demand"][0].update(team="police", priority="critical")
    lines = problems(raw).splitlines()
    assert len(lines) == 2
    assert all(line.startswith("scenario.yaml: demand.images.") for line in lines)


def test_custom_priorities():
    raw = minimal(priorities=["p1", "p2"])
    raw["demand"][0]["priority"] = "p2"
    raw["sla"] = [{"priority": "p1", "within": "1h", "target": 1}]
    s = validate(raw)
    assert s.priorities == ["p1", "p2"]


# --------------------------------------------------------------------------- unknown keys


def test_unknown_key_names_key_file_and_allowed_keys_with_a_hint(tmp_path, parent):
    bad = write(tmp_path, "typo.yaml", FULL.replace("headcount: 12", "headcont: 12"))
    message = problems(bad)
    assert message == (
        f"{bad}: workforce.analysts.headcont: unknown key 'headcont' (did you mean 'headcount'?); "
        "allowed here: attrition, carry_over, changes, contracted_hours, exposure_cap, headcount, hiring, leave, order, overtime, ramp, roster, shifts, shrinkage, task_time, team"
    )


def test_unknown_top_level_key(tmp_path):
    bad = write(tmp_path, "top.yaml", yaml.safe_dump(dict(MINIMAL, workforse=[])))
    message = problems(bad)
    assert str(bad) in message
    assert "workforse" in message and "did you mean 'workforce'" in message
    assert "allowed here: clock, costs, demand" in message


def test_unknown_key_far_from_any_gets_no_hint():
    raw = minimal()
    raw["clock"]["zzzzzz"] = 1
    message = problems(raw)
    assert "clock.zzzzzz: unknown key 'zzzzzz'; allowed here: horizon, start, step, warmup" in message
    assert "did you mean" not in message


@pytest.mark.parametrize(
    ("where", "allowed"),
    [
        (lambda r: r["demand"][0], "allowed here: bursts"),
        (lambda r: r["demand"][0].setdefault("mix", {}), "allowed here: ai_generated, criminal, known, realistic"),
        (lambda r: r["review"]["image"], "allowed here: cv, dist, mean, values"),
        (lambda r: r.setdefault("tooling", {}).setdefault("hash_matching", {}), "allowed here: annual_cost, enabled, match_rate, per_item_cost, spot_check"),
        (lambda r: r.setdefault("experiment", {}), "allowed here: replications, seed"),
    ],
)
def test_unknown_keys_in_nested_sections_list_what_is_allowed(where, allowed):
    raw = minimal()
    where(raw)["bogus"] = 1
    message = problems(raw)
    assert "unknown key 'bogus'" in message and allowed in message


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: x\n  bad: [\n", "not valid YAML at line"),
        ("- a\n- b\n", "a scenario is a YAML mapping"),
        ("just words\n", "a scenario is a YAML mapping"),
        ("", "the file is empty"),
        ("a: &x [*x]\n", "refers to itself"),
    ],
)
def test_files_that_are_not_scenarios(tmp_path, text, expected):
    bad = write(tmp_path, "bad.yaml", text)
    message = problems(bad)
    assert message.startswith(f"{bad}: ") and expected in message, message


def test_a_binary_file(tmp_path):
    bad = tmp_path / "bin.yaml"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe\x00" * 10)
    message = problems(bad)
    assert str(bad) in message and "not a text file" in message


def test_a_missing_file(tmp_path):
    assert problems(tmp_path / "nowhere.yaml") == f"{tmp_path / 'nowhere.yaml'}: no such file"


def test_a_folder_is_not_a_file(tmp_path):
    assert "is a folder, not a regular file" in problems(tmp_path)


# --------------------------------------------------------------------------- digest


def test_digest_ignores_how_a_unit_is_written():
    a = minimal()
    a["review"]["image"]["mean"] = "60min"
    b = minimal()
    b["review"]["image"]["mean"] = "1h"
    c = minimal()
    c["review"]["image"]["mean"] = "3600s"
    assert validate(a).digest() == validate(b).digest() == validate(c).digest()
    assert re.fullmatch(r"[0-9a-f]{64}", validate(a).digest())


def test_digest_of_rates_and_defaults():
    a, b = minimal(), minimal()
    a["demand"][0]["rate"] = "24/day"
    b["demand"][0]["rate"] = "1/h"
    b["demand"][0]["unit"] = "image"  # the default written out
    assert validate(a).digest() == validate(b).digest()


def test_digest_changes_with_a_real_change():
    a, b = minimal(), minimal()
    b["workforce"][0]["headcount"] = 4
    assert validate(a).digest() != validate(b).digest()
    c = minimal()
    c["review"]["image"]["mean"] = "31s"
    assert validate(a).digest() != validate(c).digest()


def test_digest_is_the_same_through_extends(tmp_path, parent):
    child = write(tmp_path, "child.yaml", "extends: parent.yaml\nname: parent\ntitle: A parent scenario\n")
    assert load_scenario(child).digest() == load_scenario(parent).digest()


# --------------------------------------------------------------------------- bundled scenarios


def test_there_are_bundled_scenarios():
    assert any(p.name == "base.yaml" for p in BUNDLED)


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_every_bundled_scenario_validates(path):
    s = load_scenario(path)
    assert s.name
    assert s.title, "a bundled scenario needs a title for `capsim scenarios`"
    assert s.digest() == load_scenario(path).digest()


def test_a_percentage_where_a_share_is_wanted_is_read_as_the_share(tmp_path):
    """As on_costs and overheads take 22% (trial 17: shrinkage: 15% was refused)."""
    written = write(tmp_path, "percent.yaml", FULL.replace("target: 0.90}", "target: 90%}"))
    assert [s.target for s in load_scenario(written).sla if s.priority == "normal"] == [0.9]


def test_working_days_are_read_in_any_case_and_in_full(tmp_path):
    good = write(tmp_path, "days.yaml", FULL.replace("days: [mon, tue, wed, thu, fri]", "days: [Mon, tuesday, WED, Thurs, fri]"))
    assert load_scenario(good).workforce[0].roster.days == ["mon", "tue", "wed", "thu", "fri"]

