"""A folder named like a bundled scenario does not hide it.

A user trial ran `capsim run base --out base`, then `capsim staff base ...` in the same folder,
and was refused: "base: is a folder, not a regular file". A folder is never a scenario, so the
bare name still means the bundled scenario; any other folder is still refused as before.
"""

from __future__ import annotations

from tests.test_cli import real


def test_a_folder_named_base_still_finds_the_bundled_base(tmp_path):
    (tmp_path / "base").mkdir()
    result = real("validate", "base", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "valid scenario 'base'" in result.stdout


def test_another_folder_is_still_not_a_scenario(tmp_path):
    (tmp_path / "mine").mkdir()
    result = real("validate", "mine", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "mine: is a folder, not a regular file; a scenario is a YAML text file" in result.stderr
