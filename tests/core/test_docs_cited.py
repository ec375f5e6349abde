"""Code and docs cite pages that exist in the repository (docs/*.md), nothing outside it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CITATION = re.compile(r"docs/([\w.-]+\.md)")
SOURCES = ("camwatch", "planners", "web", "tests", "tools", "bench", "docs")


def _texts() -> list[tuple[Path, str]]:
    paths = [ROOT / "README.md"] + [
        p
        for top in SOURCES
        for p in sorted((ROOT / top).rglob("*"))
        if p.suffix in (".py", ".md", ".html", ".js") and p.is_file()
    ]
    return [(p, p.read_text(encoding="utf-8")) for p in paths]


def test_every_cited_doc_exists():
    cited = {(p.relative_to(ROOT), name) for p, text in _texts() for name in CITATION.findall(text)}
    assert cited, "no citation found: the pattern is wrong"
    missing = sorted(
        f"{path}: docs/{name}" for path, name in cited if not (ROOT / "docs" / name).exists()
    )
    assert missing == []


def test_nothing_cites_the_format_outside_the_repository():
    outside = "SITE_" + "FORMAT"  # spelled in two parts so this file does not cite it
    offenders = [
        str(p.relative_to(ROOT))
        for p, text in _texts()
        if outside in text or "../" + "shared" in text
    ]
    assert offenders == []


def test_the_format_page_has_the_cited_sections():
    text = (ROOT / "docs" / "site-format.md").read_text(encoding="utf-8")
    for heading in (
        "## 1. The site file",
        "## 2. Cameras and coverage",
        "## 3. Command-line output",
    ):
        assert heading in text
