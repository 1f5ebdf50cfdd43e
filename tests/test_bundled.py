"""Bundled scenarios come from the installed package, and one version is shown everywhere."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from typer.testing import CliRunner

import capsim
from capsim import bundled
from capsim.cli import app, scenario_path
from capsim.manifest import versions
from capsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
REPO_SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
runner = CliRunner()


def test_the_bundled_scenarios_are_the_repositorys_scenarios_folder():
    assert bundled.names() == [p.stem for p in REPO_SCENARIOS]
    assert bundled.path("base").read_bytes() == (ROOT / "scenarios" / "base.yaml").read_bytes()


@pytest.mark.parametrize("name", ["no-such", "../base", "base.yaml", ""])
def test_a_name_that_is_not_bundled_is_refused(name):
    with pytest.raises(bundled.BundledScenarioError, match="bundled scenarios: base"):
        bundled.path(name)


def test_a_bare_name_is_the_bundled_scenario_whatever_the_working_folder(tmp_path, monkeypatch):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "base.yaml").write_text("name: not-the-bundled-one\n")
    monkeypatch.chdir(tmp_path)
    assert scenario_path("base") == bundled.path("base")
    assert load_scenario(scenario_path("growth-high")).name == "growth-high"  # its extends: base.yaml resolves


def test_copy_writes_the_scenario_and_what_it_extends(tmp_path):
    written = bundled.copy("tooling-detector", tmp_path)
    assert [p.name for p in written] == ["tooling-detector.yaml", "base.yaml"]
    assert load_scenario(tmp_path / "tooling-detector.yaml") == load_scenario(bundled.path("tooling-detector"))


def test_copy_overwrites_nothing_and_writes_nothing_when_a_file_is_there(tmp_path):
    (tmp_path / "base.yaml").write_text("mine\n")
    with pytest.raises(bundled.BundledScenarioError, match="already exists; nothing was written"):
        bundled.copy("growth-low", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.yaml"]
    assert (tmp_path / "base.yaml").read_text() == "mine\n"


def test_a_second_copy_reuses_the_scenario_it_extends_when_unchanged(tmp_path):
    bundled.copy("base", tmp_path)
    assert [p.name for p in bundled.copy("tooling-detector", tmp_path)] == ["tooling-detector.yaml"]
    assert load_scenario(tmp_path / "tooling-detector.yaml") == load_scenario(bundled.path("tooling-detector"))


def test_copy_into_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(bundled.BundledScenarioError, match="no such folder"):
        bundled.copy("base", tmp_path / "missing")


def test_cli_copy_then_validate(tmp_path):
    result = runner.invoke(app, ["scenarios", "--copy", "base", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["validate", str(tmp_path / "base.yaml")]).exit_code == 0
    again = runner.invoke(app, ["scenarios", "--copy", "base", str(tmp_path)])
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_cli_copy_needs_a_folder():
    result = runner.invoke(app, ["scenarios", "--copy", "base"])
    assert result.exit_code == 2 and "needs the folder" in result.stderr


def test_one_version_from_the_package_metadata():
    installed = metadata.version("capsim")
    assert capsim.__version__ == installed
    assert versions()["capsim"] == installed
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"capsim {installed}"


def test_notebooks_find_scenarios_through_the_package_not_the_checkout():
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        text = notebook.read_text(encoding="utf-8")
        assert "Path.cwd()" not in text and 'ROOT' not in text, notebook.name
        assert "capsim.bundled_scenario(" in text, notebook.name
