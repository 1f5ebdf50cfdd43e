"""The flow diagram says a stream's volume and growth in the words of the charts' footers
(:func:`capsim.charts.growth_words.volume_and_growth`): one wording for every growth kind a
scenario may write, so a straight line is never read as compounding in one place and not the other."""

from __future__ import annotations

import html
import re

import pytest

from capsim.bundled import path as scenario_file
from capsim.charts.footer import footer_text
from capsim.report.flow import flow_svg
from capsim.scenario import Scenario, load_scenario


def one_stream(growth: dict | None, rate: str | None = "1200/day") -> Scenario:
    """A one-team scenario whose one stream, reports, has ``rate`` and ``growth`` as written."""
    stream = {"stream": "reports", "unit": "report", "priority": "normal"}
    if rate is not None:
        stream["rate"] = rate
    if growth is not None:
        stream["growth"] = growth
    return load_scenario({
        "name": "one-stream", "clock": {"start": "2024-01-01", "horizon": "30d", "warmup": "1d", "step": "1d"},
        "demand": [stream], "priorities": ["normal"],
        "review": {"report": {"dist": "exponential", "mean": "90s"}},
        "workforce": [{"team": "analysts", "headcount": 2, "roster": "24/7"}]})


def stream_box(svg: str, stream: str) -> str:
    """The text of ``stream``'s box in a flow diagram, its wrapped lines joined by single spaces."""
    lines = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    start = lines.index(stream) + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("priority "))
    return " ".join(lines[start:end])


def unwrapped(text: str) -> str:
    """``text`` without its whitespace: a diagram wraps lines at spaces, and at a hyphen too."""
    return "".join(text.split())


KINDS = [
    ({"model": "linear", "increase_per_year": 0.2},
     "1,200 a day on 1 Jan 2024, +20.0% of its first rate a year (a straight line)"),
    ({"model": "linear", "increase_per_year": -0.1},
     "1,200 a day on 1 Jan 2024, −10.0% of its first rate a year (a straight line)"),
    ({"model": "exponential", "per_year": "30%"}, "1,200 a day on 1 Jan 2024, +30.0% a year"),
    ({"model": "exponential", "doubling_time": "180d"},
     "1,200 a day on 1 Jan 2024, +308% a year, doubling every 180 days"),
    ({"model": "logistic", "ceiling": "9000/day", "midpoint": "2025-01-01", "steepness": "1.5/year"},
     "1,200 a day on 1 Jan 2024, an S-curve towards 9,000 a day"),
]


@pytest.mark.parametrize("growth, words", KINDS, ids=["linear", "linear-falling", "per-year", "doubling-time", "logistic"])
def test_the_diagram_says_each_growth_kind_as_the_footers_do(growth, words):
    s = one_stream(growth)
    footer = footer_text([s], 1, 3)
    volume, rate = words.split(", ", 1)
    assert f"Growth assumed: reports ({volume}) {rate} (an assumption)." in footer
    assert unwrapped(stream_box(flow_svg(s), "reports")) == unwrapped(f"reports, {words}")


def test_the_diagram_says_a_growth_table_as_the_footers_do():
    table = {"model": "table", "points": [{"date": "2024-01-01", "rate": "10/day"}, {"date": "2024-06-01", "rate": "30/day"}]}
    s = one_stream(table, rate=None)
    assert "Growth assumed: reports rates at 2 dated points, Jan 2024 to Jun 2024 (an assumption)." in footer_text([s], 1, 3)
    assert unwrapped(stream_box(flow_svg(s), "reports")) == unwrapped("reports, rates at 2 dated points, Jan 2024 to Jun 2024")


def test_a_stream_that_does_not_grow_has_its_rate_without_a_date_or_growth():
    flat = one_stream(None, rate="1161/day")
    assert "Growth assumed" not in footer_text([flat], 1, 3)
    assert stream_box(flow_svg(flat), "reports") == "reports, 1,200 a day"  # rounded as the footers round a rate
    backlog = one_stream(None, rate="0/day")
    assert stream_box(flow_svg(backlog), "reports") == "reports, no new arrivals"


@pytest.mark.parametrize("name", ["growth-central", "growth-low", "growth-high", "growth-videos"])
def test_the_bundled_growth_scenarios_diagrams_quote_their_footers(name):
    """Each stream that grows: the diagram's words (its volume on the date the rate holds, then its
    growth) are the footer's, without what the rate rests on."""
    s = load_scenario(scenario_file(name))
    footer = " ".join(footer_text([s], 1, 3).split())
    svg = flow_svg(s)
    for stream in (x for x in s.demand if x.growth.model != "none"):
        box = stream_box(svg, stream.stream)
        volume, rate = box.removeprefix(f"{stream.unit}s, ").split(", ", 1)
        # on its rate_date, or from the run's start with whose figure of which year it is (not the start's)
        assert re.fullmatch(r"[\d,.]+ a day (on|at the start on) \d+ \w{3} \d{4}(: \w+'s \d{4} figure)?", volume), box
        assert f"{stream.stream} ({volume}) {rate} (" in footer, (box, footer)


def test_the_central_diagram_dates_the_2024_rate_its_growth_runs_from():
    s = load_scenario(scenario_file("growth-central"))
    svg = flow_svg(s)
    assert stream_box(svg, "reports") == "reports, 1,200 a day on 1 Jul 2024, +22.5% a year"
    assert stream_box(svg, "ai-generated") == ("reports, 0.67 a day at the start on 4 Mar 2027: IWF's 2024 figure, "
                                                 "+235% a year, doubling every 209 days")
