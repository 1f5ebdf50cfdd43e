"""``capsim compare`` says, under its table, every setting in which the scenarios differ (as the
comparison chart's footer does), so that a paired difference is not read as one setting's doing:
the trial's base against growth-high differ in headcount and dates as well as growth."""

from __future__ import annotations

from typer.testing import CliRunner

from capsim.cli import app
from tests.conftest import staffed_files

runner = CliRunner()


def test_the_compare_command_names_what_differs(tmp_path):
    paths = staffed_files(tmp_path, (3, 12))
    done = runner.invoke(app, ["compare", *paths, "-r", "2", "-w", "1", "--out", str(tmp_path / "cmp")],
                         terminal_width=200)
    assert done.exit_code == 0, done.output
    flat = " ".join(done.output.split())
    assert "What differs between the scenarios: staff-12 differs from staff-3: it has 12 analysts" in flat
    assert "against staff-3's 3" in flat


def test_scenarios_alike_but_for_their_names_say_nothing_of_it(tmp_path):
    paths = staffed_files(tmp_path, (3,))
    twin = tmp_path / "twin.yaml"
    twin.write_text((tmp_path / "staff-3.yaml").read_text().replace("name: staff-3", "name: twin"))
    done = runner.invoke(app, ["compare", paths[0], str(twin), "-r", "2", "-w", "1", "--out", str(tmp_path / "cmp")],
                         terminal_width=200)
    assert done.exit_code == 0, done.output
    assert "What differs" not in done.output


def test_the_reports_difference_lines_give_the_levels_they_move_between(tmp_path):
    """The report's and the web page's lines gave only "+43 points": now the levels too, the later
    the earlier plus the difference as written."""
    import re

    from capsim.charts.compare import paired_differences
    from capsim.experiment import simulate
    from capsim.report.findings import comparison_lines
    from capsim.scenario import load_scenario

    runs = [simulate(load_scenario(path), replications=2, workers=1) for path in staffed_files(tmp_path, (3, 12))]
    table = paired_differences(runs)
    lines = comparison_lines(table, runs[0].scenario)["staff-12"]
    waited = next(line for line in lines if line.startswith("90th percentile time to assessment"))
    before, after = (float(x) for x in re.search(r"from ([\d.]+) days to ([\d.]+) days;", waited).groups())
    said = float(re.search(r": \u2212([\d.]+) days \(", waited).group(1))
    assert round(before - said, 6) == after and "95% CI" in waited, waited
