"""Quantities with units: durations, rates and daily caps as scenario files write them."""

from __future__ import annotations

import doctest
import math

import pytest

from capsim import units
from capsim.units import (
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    SECONDS_PER_YEAR,
    UnitError,
    format_duration,
    parse_daily_cap,
    parse_duration,
    parse_rate,
)

DAY = 86400.0


def test_module_doctests_pass():
    result = doctest.testmod(units, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("28.4s", 28.4),
        ("5min", 300.0),
        ("7.5h", 27000.0),
        ("24h", DAY),
        ("30d", 30 * DAY),
        ("2w", 14 * DAY),
        ("1y", 365.25 * DAY),
        ("3 days", 3 * DAY),
        ("90 seconds", 90.0),
        ("1.5 hours", 5400.0),
        ("24H", DAY),  # units are case-insensitive
        ("  10min ", 600.0),
        (".5h", 1800.0),
        ("1e3s", 1000.0),
        ("0d", 0.0),
    ],
)
def test_parse_duration_good(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds, rel=1e-12)


def test_a_year_is_365_25_days():
    assert parse_duration("1y") == 365.25 * 86400
    assert SECONDS_PER_YEAR == 365.25 * SECONDS_PER_DAY
    assert parse_duration("1year") == parse_duration("365.25d")


def test_a_bare_zero_needs_no_unit():
    assert parse_duration(0) == 0.0
    assert parse_duration(0.0) == 0.0


@pytest.mark.parametrize("bad", ["30", "28.4", " 7 ", 30, 2.5, -1])
def test_parse_duration_refuses_a_number_without_unit(bad):
    with pytest.raises(UnitError, match=r"has no unit: use .*s, min, h, d, w, y"):
        parse_duration(bad)


@pytest.mark.parametrize("bad", ["5parsecs", "3 fortnights", "5 m", "h", "", "five minutes", "5min30s", "None"])
def test_parse_duration_refuses_unknown_units_and_garbage(bad):
    with pytest.raises(UnitError) as err:
        parse_duration(bad)
    assert "e.g. 28.4s" in str(err.value)


@pytest.mark.parametrize("bad", [True, False])
def test_parse_duration_refuses_booleans(bad):
    with pytest.raises(UnitError, match="not a duration"):
        parse_duration(bad)


@pytest.mark.parametrize("bad", ["inf s", "infh", "nan s", "1e400s", float("inf"), float("nan")])
def test_parse_duration_refuses_infinite_and_nan(bad):
    with pytest.raises(UnitError):
        parse_duration(bad)


def test_parse_duration_keeps_sign_for_the_schema_to_judge():
    # units reads the number; the scenario schema refuses negative durations (Field ge=0)
    assert parse_duration("-5s") == -5.0


def test_unit_error_is_a_value_error():
    assert issubclass(UnitError, ValueError)


# --------------------------------------------------------------------------- rates


@pytest.mark.parametrize(
    ("text", "per_second"),
    [
        ("370/day", 370 / DAY),
        ("370 / day", 370 / DAY),
        ("12/h", 12 / 3600),
        ("3/2h", 3 / 7200),
        ("3/2 h", 3 / 7200),
        ("291273/year", 291273 / (365.25 * DAY)),
        ("1/w", 1 / (7 * DAY)),
        ("0/day", 0.0),
        ("1.5/min", 1.5 / 60),
        ("1/0.5s", 2.0),
    ],
)
def test_parse_rate_good(text, per_second):
    assert parse_rate(text) == pytest.approx(per_second, rel=1e-12)


def test_an_annual_rate_over_a_year_comes_back_whole():
    assert parse_rate("424047/year") * SECONDS_PER_YEAR == pytest.approx(424047, rel=1e-12)
    assert parse_rate("370/day") * 86400 == pytest.approx(370)


def test_a_bare_zero_rate_needs_no_unit():
    assert parse_rate(0) == 0.0


@pytest.mark.parametrize("bad", ["370", "1.5", 370, 2.5])
def test_parse_rate_says_when_the_time_unit_is_missing(bad):
    with pytest.raises(UnitError, match="has no time unit"):
        parse_rate(bad)


@pytest.mark.parametrize("bad", ["370", 370, 2.5, "370/", "/day", "370/fortnight", "370 per day", "370/5", "abc/day", ""])
def test_parse_rate_refuses_missing_or_unknown_units(bad):
    with pytest.raises(UnitError) as err:
        parse_rate(bad)
    assert "370/day" in str(err.value)  # the message shows an allowed form


@pytest.mark.parametrize("bad", [True, False])
def test_parse_rate_refuses_booleans(bad):
    with pytest.raises(UnitError, match="not a rate"):
        parse_rate(bad)


@pytest.mark.parametrize("bad", ["5/0day", "5/0h", "3/-2h"])
def test_parse_rate_refuses_a_period_that_is_not_positive(bad):
    with pytest.raises(UnitError, match="must be positive"):
        parse_rate(bad)


@pytest.mark.parametrize("bad", ["inf/day", "nan/day", "1e400/day", float("inf")])
def test_parse_rate_refuses_infinite(bad):
    with pytest.raises(UnitError):
        parse_rate(bad)


# --------------------------------------------------------------------------- daily caps


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("4h/day", 4 * 3600.0),
        ("4h / day", 4 * 3600.0),
        ("4.5h/d", 4.5 * 3600.0),
        ("240min/day", 4 * 3600.0),
        ("4h", 4 * 3600.0),  # a plain duration is read as per day
        ("24h/day", DAY),
        ("0h/day", 0.0),
    ],
)
def test_parse_daily_cap_good(text, seconds):
    assert parse_daily_cap(text) == pytest.approx(seconds)


@pytest.mark.parametrize("none", [None, "none", "None", " NONE ", "off", "no"])
def test_parse_daily_cap_none(none):
    assert parse_daily_cap(none) is None


@pytest.mark.parametrize("bad", ["4h/week", "4h/h", "4/day", "4 hours a day", "4"])
def test_parse_daily_cap_refuses_other_forms(bad):
    with pytest.raises(UnitError) as err:
        parse_daily_cap(bad)
    message = str(err.value)
    assert "e.g." in message


@pytest.mark.parametrize("bad", ["-1h/day", "-4h", "25h/day", "2d/day"])
def test_parse_daily_cap_refuses_negative_or_more_than_a_day(bad):
    with pytest.raises(UnitError, match=r"between 0h/day and 24h/day"):
        parse_daily_cap(bad)


@pytest.mark.parametrize("bad", [True, 4])
def test_parse_daily_cap_refuses_booleans_and_bare_numbers(bad):
    with pytest.raises(UnitError):
        parse_daily_cap(bad)


# --------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (28.4, "28.4s"),
        (0.0, "0s"),
        (59.0, "59s"),
        (60.0, "1min"),
        (300.0, "5min"),
        (5400.0, "1.5h"),
        (SECONDS_PER_HOUR, "1h"),
        (DAY, "1d"),
        (30 * DAY, "30d"),
        (14 * DAY, "14d"),
    ],
)
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


@pytest.mark.parametrize("text", ["28.4s", "5min", "24h", "30d", "2w", "1y", "7.5h", "90s"])
def test_format_duration_round_trips(text):
    seconds = parse_duration(text)
    assert parse_duration(format_duration(seconds)) == pytest.approx(seconds, rel=1e-5)


def test_format_duration_of_negative_keeps_the_sign():
    assert format_duration(-7200.0) == "-2h"
    assert math.isclose(parse_duration(format_duration(-7200.0)), -7200.0)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("2hr", 7200.0), ("5 mins", 300.0), ("90 secs", 90.0), ("2 hours", 7200.0), ("90 sec", 90.0),
     ("3 hrs", 10800.0), ("2 wks", 14 * DAY), ("1 yr", 365.25 * DAY), ("2 YRS", 2 * 365.25 * DAY)],
)
def test_every_spelling_of_a_unit_in_the_one_table(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds, rel=1e-12)


def test_rates_and_daily_caps_read_units_from_the_same_table():
    assert parse_rate("6/hr") * 3600 == pytest.approx(6.0)
    assert parse_rate("10/2 mins") * 60 == pytest.approx(5.0)
    assert parse_daily_cap("4 hrs/days") == 4 * 3600.0
    with pytest.raises(UnitError):
        parse_daily_cap("4h/week")  # a daily cap is per day, whatever the spelling
