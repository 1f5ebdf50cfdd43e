"""The published-figures table: its shape, its identities, and the lookup API."""

from __future__ import annotations

import dataclasses
import math
import re

import pytest

from capsim import figures
from capsim.figures import COLUMNS, STATUSES, Figure, UnknownFigureError, all_figures, figure, search, series

REQUIRED = [
    # IWF forum study, Oct 2023
    "iwf23_ai_images_forum_month", "iwf23_ai_images_assessed", "iwf23_analysts",
    "iwf23_analyst_hours_total", "iwf23_criminal_total", "iwf23_pseudo_photographs",
    "iwf23_prohibited_images", "iwf23_derived_seconds_per_image",
    # IWF Hotline staff, exposure caps
    "iwf_hotline_analysts_2023", "iwf_hotline_shift_hours_2023", "inhope_max_review_hours_day",
    "iwf_exposure_limit_hours_day", "iwf_taskforce_hours_cap_2021",
    # AI series
    "iwf_ai_reports_actioned_2023", "iwf_ai_reports_actioned_2024", "iwf_ai_realistic_reports_2024",
    "iwf_ai_realistic_reports_2025", "iwf_ai_videos_2024", "iwf_ai_videos_2025",
    # review speed, known and duplicate material
    "uk_police_grading_rate_manual", "uk_police_grading_rate_tool", "inhope_urls_total_2024",
    "inhope_urls_new_2024", "meta_near_duplicate_share",
]


def test_columns_are_exactly_the_documented_ones():
    text = (figures.resources.files("capsim") / "data" / "figures.csv").read_text(encoding="utf-8")
    assert tuple(text.splitlines()[0].split(",")) == COLUMNS
    assert [f.name for f in dataclasses.fields(Figure)] == list(COLUMNS)


def test_rows_are_well_formed():
    rows = all_figures()
    assert 30 <= len(rows) <= 80
    assert len({f.id for f in rows}) == len(rows)
    for f in rows:
        assert isinstance(f.value, float) and math.isfinite(f.value), f.id
        assert isinstance(f.year, int) and 2000 <= f.year <= 2030, f.id
        assert f.status in STATUSES, f.id
        assert re.fullmatch(r"[a-z0-9_]+", f.unit), f"{f.id}: unit {f.unit!r} is not a short word"
        assert f.url.startswith("http"), f.id
        assert f.quantity and f.organisation and f.title and len(f.counts) > 20, f.id


def test_required_figures_are_present():
    missing = [fid for fid in REQUIRED if fid not in figures.ids()]
    assert not missing


def test_criminal_total_is_the_sum_of_its_two_parts():
    assert figure("iwf23_criminal_total").value == 2978
    assert figure("iwf23_criminal_total").value == (
        figure("iwf23_pseudo_photographs").value + figure("iwf23_prohibited_images").value
    )
    assert not any(f.value == 2975 for f in all_figures())


def test_forum_month_splits_into_assessed_and_screened_out():
    assert figure("iwf23_ai_images_forum_month").value == (
        figure("iwf23_ai_images_assessed").value + figure("iwf23_ai_images_not_assessed").value
    )


def test_hours_are_the_team_total_not_per_analyst():
    hours = figure("iwf23_analyst_hours_total")
    assert hours.value == 87.5 and hours.unit == "analyst_hours"
    assert "12" in hours.counts and "total" in hours.counts
    per_analyst = figure("iwf23_analyst_hours_per_analyst").value
    assert per_analyst == round(hours.value / figure("iwf23_analysts").value, 2)


def test_derived_rows_agree_with_their_inputs():
    hours = figure("iwf23_analyst_hours_total").value
    images = figure("iwf23_ai_images_assessed").value
    assert figure("iwf23_derived_seconds_per_image").value == round(3600 * hours / images, 2) == 28.36
    assert figure("iwf23_images_per_analyst_hour").value == round(images / hours, 1)
    assert figure("iwf_reports_per_analyst_2024").value == round(
        figure("iwf_reports_assessed_2024").value / figure("iwf_hotline_analysts_2023").value
    )
    for fid in ("iwf23_derived_seconds_per_image", "iwf23_images_per_analyst_hour", "iwf_reports_per_analyst_2024"):
        assert figure(fid).status == "derived"


def test_inhope_stated_new_share_matches_the_table_counts():
    derived = figure("inhope_urls_new_2024").value / figure("inhope_urls_total_2024").value
    assert derived == pytest.approx(figure("inhope_new_share_2024_stated").value, abs=0.005)


def test_unknown_id_raises_with_a_suggestion():
    with pytest.raises(UnknownFigureError) as info:
        figure("iwf23_analyst_hour_total")
    assert isinstance(info.value, KeyError)
    message = str(info.value)
    assert "'iwf23_analyst_hour_total'" in message
    assert "iwf23_analyst_hours_total" in info.value.suggestions
    assert "did you mean" in message


def test_unknown_id_without_close_match_still_explains():
    with pytest.raises(KeyError, match="zzz_nothing"):
        figure("zzz_nothing")


def test_figures_are_frozen_and_cached():
    f = figure("iwf23_analysts")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.value = 13.0  # type: ignore[misc]
    assert figure("iwf23_analysts") is f
    assert "IWF" in f.cite() and f.url in f.cite()


def test_search_is_case_insensitive_over_several_fields():
    by_id = {f.id for f in search("PSEUDO")}
    assert "iwf23_pseudo_photographs" in by_id
    assert {f.id for f in search("inhope")} >= {"inhope_max_review_hours_day", "inhope_urls_total_2024"}
    assert "iwf23_analyst_hours_total" in {f.id for f in search("combined")}  # counts text
    assert search("no such words anywhere") == []


def test_assessed_series_has_one_row_per_year_in_order():
    s = series("iwf_reports_assessed_", "iwf_reports_processed_")
    years = [y for y, _ in s]
    assert years == sorted(years) and len(set(years)) == len(years)
    assert years == [2012, 2013, 2014, 2015, 2018, 2019, 2020, 2021, 2022, 2023, 2024]
    assert dict(s)[2024] == figure("iwf_reports_assessed_2024").value == 424047


def test_actioned_series_joins_a_whole_id():
    s = dict(series("iwf_reports_confirmed_", "iwf_2018_urls_actioned"))
    assert s[2018] == figure("iwf_2018_urls_actioned").value
    assert sorted(s) == [2013, 2014, 2015, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]
    assert figures.series_ids("iwf_reports_confirmed_", "iwf_2018_urls_actioned")[4] == "iwf_2018_urls_actioned"


def test_series_prefix_must_be_followed_by_a_year():
    # iwf_ai_reports_actioned_2023/2024 match; nothing like a half-year row sneaks in
    assert series("iwf_ai_reports_actioned_") == [(2023, 51.0), (2024, 245.0)]
    with pytest.raises(UnknownFigureError):
        series("iwf_no_such_series_")


def test_series_refuses_two_values_for_one_year():
    with pytest.raises(ValueError, match="both give a value"):
        series("iwf_reports_assessed_", "iwf_reports_confirmed_")
