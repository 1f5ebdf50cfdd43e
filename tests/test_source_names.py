"""A chart footer names each publication once: the figures of several years from one
publication are one name with their years (capsim.sources.source_names)."""

from capsim import bundled
from capsim.scenario import load_scenario
from capsim.sources import source_names


def test_one_publication_of_several_years_is_named_once_with_its_years():
    primary, _ = source_names(["iwf_reports_assessed_2021", "iwf_reports_assessed_2022", "iwf_reports_assessed_2023"])
    assert primary == ["IWF, Annual Report 2023", "IWF, Annual Report 2022 (figures for 2021 and 2022)"]


def test_no_title_is_named_twice_in_a_bundled_scenarios_footer():
    for name in ("growth-central", "base", "police-unit"):
        primary, _ = source_names(load_scenario(bundled.path(name)).figures)
        titles = [p.rsplit(" (", 1)[0] for p in primary]
        assert len(titles) == len(set(titles)), primary
        assert not any(";" in p for p in primary)  # a footer separates its sources with ";"
