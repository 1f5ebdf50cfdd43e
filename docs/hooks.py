"""MkDocs hook: pages of the site whose one source lives outside docs/.

- ``worked-examples.md``: the README's "Worked examples" section, so that the README and the
  site never disagree (links into ``docs/`` are made relative to the site).
- ``changelog.md``: ``CHANGELOG.md`` at the top of the repository.

Named in ``mkdocs.yml`` (``hooks:``); MkDocs runs it, nothing imports it.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[1]


def readme_section(title: str) -> str:
    """The README's ``## title`` section, as a page of its own with links into docs/ made relative."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", text, flags=re.S | re.M)
    if found is None:
        raise ValueError(f"README.md has no '## {title}' section for the docs site")
    return f"# {title}\n{found.group(1)}".replace("](docs/", "](")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the pages made from files outside docs/."""
    files.append(File.generated(config, "worked-examples.md", content=readme_section("Worked examples")))
    files.append(File.generated(config, "changelog.md", content=(ROOT / "CHANGELOG.md").read_text(encoding="utf-8")))
    return files
