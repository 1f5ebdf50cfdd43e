"""The documentation site builds, with every internal link and anchor resolved.

``mkdocs build --strict`` turns MkDocs' warnings (a link to a missing page or anchor, a page
left out of the navigation) into a failed build; ``mkdocs.yml`` sets those checks to warn.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = [sys.executable, "-m", "mkdocs"]


def build(project: Path, site: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of ``project`` into ``site``."""
    return subprocess.run([*MKDOCS, "build", "--strict", "--site-dir", str(site)], cwd=project,
                          capture_output=True, text=True, timeout=300)


def test_docs_site_builds_with_no_broken_links(tmp_path):
    proc = build(ROOT, tmp_path / "site")
    assert proc.returncode == 0, proc.stderr
    for page in ("index.html", "worked-examples/index.html", "scenario-reference/index.html",
                 "writing-scenarios/index.html", "metrics/index.html", "model/index.html", "examples/index.html", "changelog/index.html"):
        assert (tmp_path / "site" / page).is_file(), page
    assert (tmp_path / "site" / "examples" / "backlog.png").is_file()


def test_worked_examples_page_is_the_readmes_section(tmp_path):
    build(ROOT, tmp_path / "site")
    page = (tmp_path / "site" / "worked-examples" / "index.html").read_text(encoding="utf-8")
    assert "capsim staff base --team analysts" in page
    assert 'href="../examples/backlog.png"' in page


def test_a_broken_link_fails_the_build(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    for name in ("mkdocs.yml", "README.md", "CHANGELOG.md"):
        shutil.copy(ROOT / name, project / name)
    with (project / "docs" / "model.md").open("a", encoding="utf-8") as page:
        page.write("\nSee [the missing page](no-such-page.md) and [an anchor](index.md#no-such-heading).\n")
    proc = build(project, tmp_path / "site")
    assert proc.returncode != 0
    assert "no-such-page.md" in proc.stderr and "no-such-heading" in proc.stderr
