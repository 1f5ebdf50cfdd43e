"""What user trial 23 found in ``capsim sensitivity growth-central -r 2`` (defect 6): the tornado
named one input as the one the SLA "depends most on" while the next was tied within its interval;
neither title nor bars carried an interval; the rate had no thousands separators; the SLA was
named "(normal)", not as capsim's words name it; and a match rate whose +20% is clipped to 1 read
"(±20%)" as if it had moved up."""

from __future__ import annotations

import html
import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from capsim.charts.sensitivity import tornado
from capsim.scenario import load_scenario
from capsim.sensitivity import sensitivity
from tests.test_sensitivity import TINY

SCENARIO = load_scenario("scenarios/growth-central.yaml")


def trial_row(parameter: str, low: str, high: str, low_mean: float, high_mean: float, effect: tuple[float, float, float],
              clipped: tuple[bool, bool] = (False, False)) -> dict:
    """A row of the trial's sensitivity.csv (sla_normal, base 28.2%, ±20%, 2 replications)."""
    return {"parameter": parameter, "base_value": "", "low_value": low, "high_value": high, "metric": "sla_normal",
            "base_mean": 0.28198, "base_ci_low": 0.241163, "base_ci_high": 0.322797,
            "low_mean": low_mean, "low_ci_low": low_mean - 0.1, "low_ci_high": low_mean + 0.1,
            "high_mean": high_mean, "high_ci_low": max(high_mean - 0.03, 0.0), "high_ci_high": high_mean + 0.03,
            "effect": effect[0], "effect_ci_low": effect[1], "effect_ci_high": effect[2], "swing": 0.2, "seed": 1,
            "replications": 2, "varied_over": "±20%", "low_clipped": clipped[0], "high_clipped": clipped[1]}


RATE = trial_row("demand.reports.rate", "339237.6/year", "508856.4/year", 0.680605, 0.039493,
                 (-0.641112, -0.762389, -0.519834))
REVIEW = trial_row("review.report.mean", "72s", "108s", 0.677761, 0.039265, (-0.638495, -0.721629, -0.555362))
MATCH = trial_row("tooling.hash_matching.match_rate", "0.8", "1.0", 0.28198, 0.28198, (0.0, 0.0, 0.0), (False, True))


def title_of(rows: list[dict]) -> str:
    figure = tornado(pd.DataFrame(rows), SCENARIO)
    title = " ".join(figure._suptitle.get_text().split())
    plt.close(figure)
    return title


def test_an_input_tied_within_its_interval_is_not_said_to_matter_less():
    """−64.1 (CI −76.2 to −52.0) against −63.8 (CI −72.2 to −55.5): no input is "most"."""
    title = title_of([RATE, REVIEW, MATCH])
    assert "depends about equally on demand.reports.rate and review.report.mean" in title, title
    assert "depends most" not in title


def test_a_clear_first_input_is_named_with_its_interval_units_and_the_sla_in_capsim_s_words():
    review = {**REVIEW, "effect": -0.30, "effect_ci_low": -0.35, "effect_ci_high": -0.25}
    title = title_of([RATE, review, MATCH])
    assert title == ("Share of reports assessed within 72 h depends most on demand.reports.rate: 68% at 339,238 a year "
                     "vs 4% at 508,856 a year; high − low −64 points, 95% CI −76 to −52 points"), title


def test_the_bars_carry_their_intervals():
    figure = tornado(pd.DataFrame([RATE, REVIEW, MATCH]), SCENARIO)
    ax = figure.axes[0]
    whiskers = sorted(tuple(round(x, 4) for x in line.get_xdata()) for line in ax.lines if line.get_marker() == "|")
    plt.close(figure)
    expected = sorted((round(r[f"{end}_ci_low"], 4), round(r[f"{end}_ci_high"], 4))
                      for r in (RATE, REVIEW) for end in ("low", "high"))  # none on the match rate: no change
    assert whiskers == expected


def test_an_end_clipped_to_its_allowed_range_says_so_on_its_label():
    figure = tornado(pd.DataFrame([RATE, REVIEW, MATCH]), SCENARIO)
    labels = [" ".join(t.get_text().split()) for t in figure.axes[0].get_yticklabels()]
    plt.close(figure)
    assert labels[-1] == "tooling.hash_matching.match_rate low 0.8 (−20%) · high 1 (its upper limit, not +20%)"
    assert labels[0] == "demand.reports.rate low 339,238 a year · high 508,856 a year (±20%)"


@pytest.fixture(scope="module")
def hashed(tmp_path_factory):
    """The one-team scenario of test_sensitivity with hash matching on at a match rate of 1."""
    path = tmp_path_factory.mktemp("clip") / "tiny-hashed.yaml"
    path.write_text(TINY.replace("hash_matching: {enabled: false}", "hash_matching: {enabled: true, match_rate: 1.0}"),
                    encoding="utf-8")
    return sensitivity(path, ["tooling.hash_matching.match_rate", "workforce.analysts.shrinkage"], swing=0.2,
                       metric="wait_mean", replications=2, seed=7).set_index("parameter")


def test_the_table_says_which_end_was_clipped(hashed):
    match, shrinkage = hashed.loc["tooling.hash_matching.match_rate"], hashed.loc["workforce.analysts.shrinkage"]
    assert (match.high_value, bool(match.low_clipped), bool(match.high_clipped)) == ("1.0", False, True)
    assert not (shrinkage.low_clipped or shrinkage.high_clipped)
    assert math.isfinite(match.effect)


# --------------------------------------------------------------------------- after review: the report and the table

HEADCOUNT = trial_row("workforce.analysts.headcount", "10", "16", 0.0, 1.0, (1.0, 1.0, 1.0))
"""An effect of +100 points in every replication (0% at 10 analysts, 100% at 16): no interval to give."""
RATE_CLEAR = {**RATE, "effect": -0.30, "effect_ci_low": -0.35, "effect_ci_high": -0.25}


def test_a_clear_effect_the_same_in_every_replication_says_so_not_plus_100_to_plus_100():
    title = title_of([HEADCOUNT, RATE_CLEAR, MATCH])
    assert title.endswith("; high − low +100 points (the same in every replication)"), title
    assert "+100 to +100" not in title


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """A run of test_sensitivity's one-team scenario: the report the sensitivity table goes into."""
    from capsim.experiment import simulate

    path = tmp_path_factory.mktemp("report") / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return simulate(load_scenario(path), 2, 7)


def test_the_report_s_sentence_on_sensitivity_is_the_tornado_s_title(tiny_run):
    """The report said "Of the inputs varied by ±20%, demand.reports.rate moves share assessed within the
    deadline (normal) most: from 68.1% to 3.9%" while the tornado said the rate and the review time were tied."""
    from capsim.report.page import render_report

    table = pd.DataFrame([RATE, REVIEW, MATCH])
    page = render_report([tiny_run], {}, sensitivity=table)
    finding = ("Share of reports assessed within 24 h depends about equally on demand.reports.rate and "
               "review.report.mean: their effects (high − low) overlap within their 95% CIs")
    assert f"<p>{html.escape(finding)}.</p>" in page
    assert "Of the inputs varied by" not in page
    figure = tornado(table, tiny_run.scenario)
    assert " ".join(figure._suptitle.get_text().split()) == finding  # one rule for both
    plt.close(figure)


def _cells(output: str, parameter: str) -> list[str]:
    """The cells of ``parameter``'s row of a printed table, each cell's wrapped lines joined."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if parameter in line)
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines[start:]]
    width = len(rows[0])
    more = [row for row in rows[1:1 + next(i for i, row in enumerate(rows[1:]) if len(row) != width or row[0])]]
    return [" ".join(filter(None, parts)) for parts in zip(rows[0], *more)]


def test_the_command_line_table_writes_values_limits_and_intervals_as_the_chart_does(tmp_path, tiny_run,
                                                                                      monkeypatch):
    """The trial's table read "339238/year", a clipped match rate's high "1.0", and "+100.0 – +100.0"
    and "0 – 0" where there was no interval."""
    from typer.testing import CliRunner

    from capsim import sensitivity as sens
    from capsim.cli import app

    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    monkeypatch.setattr(sens, "sensitivity", lambda *a, **k: pd.DataFrame([HEADCOUNT, RATE_CLEAR, MATCH]))
    done = CliRunner().invoke(app, ["sensitivity", str(path), "-r", "2", "-w", "1", "--out", str(tmp_path / "out")],
                              terminal_width=300)
    assert done.exit_code == 0, done.output
    assert _cells(done.output, "workforce.analysts.headcount")[1:] == [
        "10", "16", "0%", "100%", "+100.0", "+100.0 in every replication"]
    assert _cells(done.output, "demand.reports.rate")[1:] == [
        "339,238 a year", "508,856 a year", "68.1%", "3.9%", "−30.0", "−35.0 – −25.0"]
    assert _cells(done.output, "tooling.hash_matching.match_rate")[1:] == [
        "0.8 (−20%)", "1 (its upper limit, not +20%)", "28.2%", "28.2%", "0", "0 in every replication"]


def test_an_input_whose_own_effect_is_unclear_is_not_tied_with_a_clear_one():
    """−64 (CI −76 to −52) against −50 (CI −120 to +20): the second may not move it at all, so the title
    does not say the metric "depends about equally" on it (second review of trial 23)."""
    unclear = {**REVIEW, "effect": -0.50, "effect_ci_low": -1.20, "effect_ci_high": 0.20}
    title = title_of([RATE, unclear, MATCH])
    assert "depends most on demand.reports.rate" in title and "about equally" not in title, title


def test_a_smaller_clear_effect_is_named_where_the_largest_is_unclear():
    """The largest effect −10 points (CI −25 to +5), a smaller one −5 (CI −6 to −4): not "none clearly"."""
    largest = {**REVIEW, "effect": -0.10, "effect_ci_low": -0.25, "effect_ci_high": 0.05}
    smaller = {**RATE, "effect": -0.05, "effect_ci_low": -0.06, "effect_ci_high": -0.04}
    title = title_of([largest, smaller, MATCH])
    assert title.startswith("Only demand.reports.rate clearly moves share of reports assessed within 72 h"), title
    assert "the largest, review.report.mean's, is −10 points" in title and "None of" not in title, title


# --------------------------------------------------------------------------- a row too small to draw

SHRINKAGE = trial_row("workforce.analysts.shrinkage", "0.16", "0.24", 0.28208, 0.28178, (-0.0003, -0.0009, 0.0003))
"""An effect of −0.03 points beside effects of −64 points: bars of 0.05% of the axis, which cannot be seen."""


def _row_texts(rows: list[dict]) -> list[str]:
    figure = tornado(pd.DataFrame(rows), SCENARIO)
    texts = [" ".join(t.get_text().split()) for t in figure.axes[0].texts]
    plt.close(figure)
    return texts


def test_a_row_whose_bars_are_too_short_to_see_says_its_effect_in_words():
    """A row neither drawn nor marked "no change" reads as missing: it says its effect (its whiskers are drawn)."""
    texts = _row_texts([RATE, REVIEW, SHRINKAGE, MATCH])
    assert "high − low −0.03 points: too small to draw" in texts, texts
    assert "no change" in texts  # the match rate, which changes nothing, keeps its own words
    assert len(texts) == 2  # the two rows with visible bars say nothing beside them


def test_a_table_without_intervals_gives_the_small_effect_alone():
    rows = [{k: v for k, v in r.items() if not k.endswith(("_ci_low", "_ci_high"))} for r in (RATE, SHRINKAGE)]
    texts = _row_texts(rows)
    assert texts == ["high − low −0.03 points: too small to draw"], texts
