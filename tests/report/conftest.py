"""Fixtures for the report tests: a CLI runner, a ledger with the three samples,
and PDF text extraction (poppler; whitespace removed, since PDF text has no
reliable spaces between CJK glyphs)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from camwatch.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_sites"
SAMPLE_FILES = sorted(SAMPLES.glob("*.geojson"))
Invoke = Callable[..., Result]


def pdf_text(path: Path) -> str:
    """All text of a PDF, pages joined, whitespace removed (poppler's ``pdftotext -raw``).

    pypdf is not used here: it reads fpdf2's embedded code-to-CID CMap
    (CID-keyed CFF fonts) one byte at a time, which puts a NUL before each
    glyph and garbles the text once the font subset passes 256 glyphs (a
    report with many Chinese findings). Poppler reads it right; ``-raw`` keeps
    a wrapped table cell's lines together.
    """
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    out = subprocess.run([pdftotext, "-raw", str(path), "-"], capture_output=True, check=True)
    return squeeze(out.stdout.decode("utf-8"))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def run() -> Invoke:
    """``run(*args, code=0)``: invoke the camwatch CLI and check the exit code."""
    runner = CliRunner()

    def invoke(*args: str, code: int = 0) -> Result:
        result = runner.invoke(cli, [str(a) for a in args])
        assert result.exit_code == code, (result.output, result.exception)
        return result

    return invoke


def analyze_json(site: Path, *extra: str) -> dict:
    """``camwatch analyze --json`` (the oracle for the report's figures)."""
    result = CliRunner().invoke(cli, ["analyze", str(site), "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def ledger_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite ledger with the three sample compounds (built once per module)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ledger') / 'ledger.db'}"
    runner = CliRunner()
    for args in (["db", "init"], *(["import-site", str(f)] for f in SAMPLE_FILES)):
        result = runner.invoke(cli, [*args, "--db", url])
        assert result.exit_code == 0, result.output
    return url
