"""A run-out that stops at its limit (trial 17, defect 1): a grading team with no analysts, fed by a
triage team that keeps up. Every referral's wait is still unknown when the run-out stops, so the
grading team's waits are lower bounds: ``censored`` counts them (it counted the streams' own items
alone, 0 here), and the command line and the report say which figures are lower bounds."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from capsim.cli import app
from capsim.experiment import simulate
from capsim.held_back import summary_figures
from capsim.report.findings import headline_findings as findings
from capsim.scenario import load_scenario
from capsim.stopped_runout import stopped_runout_note
from tests.conftest import mmc


def starved(grading: int) -> dict:
    """Triage (2 analysts, 24/7, at a tenth of their capacity) refers every item to grading (``grading``
    analysts); 3 days, no warm-up: the run-out lasts at most 28 days."""
    raw = mmc(2, 60.0, 0.1, days=3, warmup_days=0)
    raw["workforce"] = [{"team": "triage", "headcount": 2, "roster": "24/7"},
                        {"team": "grading", "headcount": grading, "roster": "24/7"}]
    raw["routing"] = [{"from": "triage", "to": "grading", "when": {}}]
    raw["experiment"] = {"replications": 2, "seed": 3}
    return raw


@pytest.fixture(scope="module")
def stopped():
    return simulate(load_scenario(starved(0)), replications=2, seed=3)


def test_censored_counts_the_referrals_whose_wait_is_unknown(stopped):
    """Every item reaches grading, which has no analysts: each referral is censored, no stream item is."""
    for _, m in stopped.per_replication.iterrows():
        assert m.waiting == 0  # the streams' own items: triage keeps up
        assert m.referred > 100 and m.censored == m.referred


def test_the_terminal_and_the_report_say_the_waits_are_lower_bounds(stopped, tmp_path):
    note = stopped_runout_note(stopped.scenario, summary_figures(stopped.summary))
    assert note is not None and note.startswith("The run-out stopped at its limit, 28 days after the end, with ")
    assert "is a lower bound" in note and "(runout_days) are the limit, not the time it takes" in note
    assert note in findings(stopped)
    path = tmp_path / "starved.yaml"
    import yaml

    path.write_text(yaml.safe_dump(starved(0)), encoding="utf-8")
    out = CliRunner().invoke(app, ["run", str(path), "--out", str(tmp_path / "out"), "--no-report"])
    assert out.exit_code == 0, out.output
    assert "The run-out stopped at its limit, 28 days after the end" in " ".join(out.output.split())


def test_no_note_where_every_wait_is_known():
    run = simulate(load_scenario(starved(1)), replications=2, seed=3)
    assert (run.per_replication.censored == 0).all()
    assert stopped_runout_note(run.scenario, summary_figures(run.summary)) is None
    assert not any("run-out stopped" in line for line in findings(run))
