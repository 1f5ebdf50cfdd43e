"""A figure read only in a secondary report (a repost, press coverage) says so wherever its status
is shown, and every status is defined for the reader: before, ``capsim figures --id
iwf24_ai_forum_items_30d`` gave "NBC News (reposted on lemmy.world) ...; status: verified", which an
advocate reads as checked at the source, and "verified" was defined nowhere a user looks."""

from __future__ import annotations

from typer.testing import CliRunner

from capsim import figures
from capsim.cli import app
from capsim.sources import STATUS_MEANINGS, figure_source, status_text

runner = CliRunner()
REPOST = "iwf24_ai_forum_items_30d"  # NBC News (reposted on lemmy.world)
PRIMARY = "iwf23_ai_images_assessed"  # the IWF's own page


def test_a_repost_is_verified_in_a_secondary_report_only():
    assert status_text(figures.figure(REPOST)) == "verified in a secondary report"
    assert status_text(figures.figure(PRIMARY)) == "verified"
    assert figure_source(REPOST).endswith("[verified in a secondary report]")


def test_every_status_shown_is_defined():
    assert {status_text(f) for f in figures.all_figures()} <= set(STATUS_MEANINGS)
    assert set(figures.STATUSES) <= set(STATUS_MEANINGS)


def test_the_figures_command_defines_the_statuses_it_shows():
    shown = runner.invoke(app, ["figures", "--id", REPOST])
    assert shown.exit_code == 0
    flat = " ".join(shown.output.split())
    assert "status: verified in a secondary report: read on a page that reports another organisation's figure" in flat
    listed = runner.invoke(app, ["figures", "--search", "ai_forum"], terminal_width=200)
    flat = " ".join(listed.output.split())
    assert all(f"{status}: {meaning}" in flat for status, meaning in STATUS_MEANINGS.items())
