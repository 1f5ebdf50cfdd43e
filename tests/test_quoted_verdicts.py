"""Headlines and pages an advocate quotes (user trial, my-hotline.yaml).

1. A target was said met or missed on the mean alone: the time-to-assessment title read "92% meet
   the 72 h deadline, meeting the 90% target" with a 95% CI of 81.2% to 100%, and the year
   finding "is first missed in 2029: 81.8% (95% CI 54.8% to 100%)". Met or missed is now said only
   where the whole interval is on one side of the target (:func:`capsim.charts.by_year.target_side`).
2. The report's backlog caption said "the lighter band 90%" where the chart's legend said "range of
   5 replications".
3. The brief's chart footers said "sources: listed in the brief" where the brief had no list.
4. Wording: "did a urgent item", "Team investigators's figures", "capsim grant plans twelve-month
   years from --from", "; Urgent referrals ..." capitalised mid-title.
5. The ai_share chart's y label ran over the next panel under a long footer.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from capsim import bundled
from capsim.charts.ai_share import ai_share
from capsim.charts.by_year import by_year
from capsim.charts.waits import time_to_assessment
from capsim.experiment import simulate
from capsim.periods import calendar_periods
from capsim.report.brief import GRANT_YEARS, write_brief_html
from capsim.report.years import year_findings
from capsim.scenario import load_scenario

NAN = float("nan")


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("mean", "low", "high", "said"), [
    (0.95, 0.91, 0.99, "met"),
    (0.95, 0.90, 0.99, "met"),  # at the target is meeting it
    (0.80, 0.70, 0.89, "missed"),
    (0.923, 0.812, 1.0, "met on average, but the 95% CI reaches below the target"),
    (0.818, 0.548, 1.0, "missed on average, but the 95% CI reaches above the target"),
    (0.95, NAN, NAN, "met on average"),  # one replication: no interval to judge by
    (0.85, NAN, NAN, "missed on average"),
])
def test_a_target_is_met_or_missed_only_where_the_whole_interval_is_on_one_side(mean, low, high, said):
    from capsim.words import target_verdict

    assert target_verdict(mean, low, high, 0.9) == said


def test_the_hedge_can_quote_the_interval():
    from capsim.words import target_side

    assert target_side(0.923, 0.812, 1.0, 0.9, "81.2% to 100%") == (
        "met on average", "the 95% CI, 81.2% to 100%, reaches below the target")


def _hotline(**overrides: str):
    """one-team over two calendar years with an SLA share per year: ``overrides`` maps a period to
    (mean, ci_low, ci_high)."""
    s = load_scenario(bundled.path("one-team"), ["clock.horizon=730d"])
    periods = [p.label for p in calendar_periods(s)]
    shares = {p: (0.97, 0.95, 0.99) for p in periods} | overrides
    rows = [{"period": p, "metric": "sla_normal", "mean": m, "ci_low": lo, "ci_high": hi}
            for p, (m, lo, hi) in shares.items()]
    rows += [{"period": p, "metric": "backlog_mean", "mean": 100.0, "ci_low": 90.0, "ci_high": 110.0} for p in periods]
    return SimpleNamespace(scenario=s, period_summary=pd.DataFrame(rows), replications=5, seed=1,
                           summary=pd.DataFrame(columns=["metric", "mean", "ci_low", "ci_high"])), periods


def test_a_year_missed_only_on_average_says_so_and_names_the_year_it_is_surely_missed():
    from capsim.charts.by_year import year_verdict

    result, periods = _hotline(**{"2027": (0.818, 0.548, 1.0)})
    sla = result.scenario.sla[0]
    assert year_verdict(result, sla, "sla_normal", periods) == (
        "first missed on average in 2027, but the 95% CI reaches above the target")
    later, _ = _hotline(**{"2026": (0.818, 0.548, 1.0), "2027": (0.5, 0.4, 0.6)})
    assert year_verdict(later, sla, "sla_normal", periods) == (
        "first missed on average in 2026 (2 Feb\u201331 Dec), but the 95% CI reaches above the target; its whole "
        "95% CI is first below the target in 2027")  # no brackets within brackets where that year has its own
    surely, _ = _hotline(**{"2027": (0.8, 0.7, 0.85)})
    assert year_verdict(surely, sla, "sla_normal", periods) == "first missed in 2027"


def test_the_years_finding_and_title_never_call_a_year_missed_on_its_mean_alone():
    result, _ = _hotline(**{"2027": (0.818, 0.548, 1.0)})
    sentence = next(x for x in year_findings(result) if x.startswith("The target of"))
    assert sentence == ("The target of 90% of reports within 72 h is first missed on average in 2027: "
                        "81.8% (95% CI 54.8% to 100%, upper end held at the 100% maximum), but the 95% CI reaches "
                        "above the target."), sentence
    title = _flat(by_year(result)._suptitle.get_text())
    assert "the 90% target is first missed on average in 2027, but the 95% CI reaches above the target" in title


def test_every_year_met_on_average_names_the_years_its_interval_reaches_below():
    result, periods = _hotline(**{"2027": (0.93, 0.85, 1.0)})
    sentence = next(x for x in year_findings(result) if x.startswith("The target of"))
    assert sentence.endswith("is met on average in every year from 2026 (2 Feb\u201331 Dec) to 2027, but the 95% "
                             "CI reaches below the target in 2027."), sentence
    sure, _ = _hotline()
    assert next(x for x in year_findings(sure) if x.startswith("The target of")).endswith(" is met in every year from "
                                                                                           "2026 (2 Feb\u201331 Dec) "
                                                                                           "to 2027.")


@pytest.fixture(scope="module")
def police():
    """police-unit over 60 days: normal-priority reports and high-priority referrals."""
    return simulate(load_scenario(bundled.path("police-unit"), ["clock.horizon=60d"]), replications=3, seed=1)


def test_the_time_to_assessment_title_hedges_a_level_met_only_on_average(police):
    reps = police.per_replication.copy()
    reps["sla_normal"] = [0.99, 0.95, 0.83]  # mean 92.3%, its 95% CI reaching well below 90%
    title = _flat(time_to_assessment(reps, police.scenario, 1)._suptitle.get_text())
    assert "meeting the" not in title and "short of the" not in title, title
    assert ("of normal-priority reports alone, 92% meet the 72 h deadline: the 90% target is met on average, but the "
            "95% CI, 72% to 100%, reaches below the target") in title, title
    reps["sla_normal"] = [0.99, 0.98, 0.97]
    title = _flat(time_to_assessment(reps, police.scenario, 1)._suptitle.get_text())
    assert "of normal-priority reports alone, 98% meet the 72 h deadline: the 90% target is met" in title, title


def test_the_waits_verdict_words_do_not_share_their_name_with_the_sla_names():
    """A review: ``capsim.charts.waits.sla_words(sla, got, low, high)`` clashed in name with
    :func:`capsim.metric_names.sla_words` (scenario, priority, team), which names an SLA's items."""
    from capsim.charts import waits

    sla = load_scenario(bundled.path("one-team")).sla[0]  # 90% of reports within 72 h
    assert not hasattr(waits, "sla_words")
    assert waits.sla_verdict_words(sla, 0.923, 0.812, 1.0) == (
        "92% meet the 72 h deadline: the 90% target is met on average, but the 95% CI, 81% to 100%, reaches below "
        "the target")


def test_the_backlog_caption_names_the_bands_the_legend_does():
    from capsim.report.page import backlog_caption

    assert backlog_caption(5) == ("Items waiting over time. Line: median of the replications; darker band: 50% of "
                                  "replications; lighter band: range of 5 replications. The lower panel shows the "
                                  "capacity on shift.")
    assert "lighter band: 90% of replications" in backlog_caption(20)
    assert "band: range of 3 replications." in backlog_caption(3)
    assert "Line: the one replication; no band." in backlog_caption(1)


def test_the_report_page_uses_the_runs_backlog_caption(tmp_path):
    from capsim.report.page import write_report

    run = simulate(load_scenario(bundled.path("one-team"), ["clock.horizon=40d"]), replications=3, seed=1)
    page = write_report(tmp_path, [run], formats=("svg",)).read_text(encoding="utf-8")
    assert ("Items waiting over time. Line: median of the replications; band: range of 3 replications. The lower "
            "panel shows the capacity on shift.") in page and "lighter band 90%" not in page


def test_a_brief_without_sources_does_not_point_to_a_list(tmp_path):
    s = load_scenario(bundled.path("one-team"), ["clock.horizon=40d"])
    assert not s.figures  # the premise: no published figure cited
    run = simulate(s, replications=2, seed=1)
    page, _ = write_brief_html(tmp_path, [run], plan=False, formats=("svg",))
    text = page.read_text(encoding="utf-8")
    assert "listed\u00a0in\u00a0the\u00a0brief" not in text and "<h2>Sources</h2>" not in text
    assert "sources: no published figures; every input is an assumption" in text


def test_the_brief_explains_grant_years_to_a_reader_who_never_saw_the_cli():
    assert "--from" not in GRANT_YEARS and GRANT_YEARS[0].isupper() and GRANT_YEARS.endswith(".")


def test_the_by_year_title_capitalises_only_its_first_word(police):
    title = _flat(by_year(police)._suptitle.get_text())
    assert "; High-priority" not in title and "; high-priority referrals" in title, title
    assert title[0].isupper()


def test_the_ai_share_labels_stay_beside_their_own_panel():
    """growth-central cites many publications and says the growth it assumes: its footer of thirteen
    lines once squeezed the panels until the top panel's two-line y label ran down beside the panel
    below (the trial's chart)."""
    s = load_scenario(bundled.path("growth-central"))
    periods = [p.label for p in calendar_periods(s)]
    rows = [{"period": p, "metric": m, "mean": v * (i + 1), "ci_low": v * (i + 0.9), "ci_high": v * (i + 1.1)}
            for i, p in enumerate(periods) for m, v in (("ai_generated", 300.0), ("ai_generated_share", 0.001))]
    fig = ai_share(SimpleNamespace(scenario=s, period_summary=pd.DataFrame(rows), replications=3, seed=1))
    fig.draw_without_rendering()
    renderer = fig._get_renderer()
    for ax in fig.axes[:2]:
        label, panel = ax.yaxis.label.get_window_extent(renderer), ax.get_window_extent(renderer)
        assert panel.y0 <= label.y0 and label.y1 <= panel.y1, (ax.yaxis.label.get_text(), label, panel)
