"""The suite's skip policy (tests/conftest.py): under CAMWATCH_REQUIRE_* a skip fails the run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).with_name("conftest.py")
PLUGINS_OFF = ("-p", "no:cacheprovider", "-p", "no:xdist")
ENVS = ("CAMWATCH_REQUIRE_ALL", "CAMWATCH_REQUIRE_BROWSER", "CAMWATCH_REQUIRE_POSTGRES")

MODULE = """
import pytest

def test_passes():
    pass

def test_skips_inside():
    pytest.skip("no sample sites yet")

@pytest.mark.skipif(True, reason="no sample sites yet")
def test_skipif():
    pass

@pytest.mark.browser
def test_browser_skip():
    pytest.skip("no chromium")

@pytest.mark.xfail(strict=False, reason="a known gap")
def test_known_gap():
    assert False
"""
IMPORTORSKIP = """
import pytest
pytest.importorskip("camwatch_no_such_module")

def test_never_collected():
    pass
"""


def _run(tmp_path: Path, *files: str, **env: str) -> tuple[int, str]:
    """Run ``files`` of a small suite with the project's conftest: exit code and output."""
    shutil.copy(CONFTEST, tmp_path / "conftest.py")
    (tmp_path / "test_mod.py").write_text(MODULE, encoding="utf-8")
    (tmp_path / "test_optional.py").write_text(IMPORTORSKIP, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nmarkers =\n    browser: b\n    postgres: p\n", encoding="utf-8"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ENVS}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-rA", "-q", *PLUGINS_OFF, *files],
        cwd=tmp_path,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode, proc.stdout


def _summary(out: str) -> str:
    """The last line of pytest's output: ``1 failed, 1 passed, 3 skipped, ...``."""
    return out.strip().splitlines()[-1]


def _failed(out: str) -> set[str]:
    """Names of the tests reported FAILED or ERROR in the -rA summary."""
    return {
        line.split()[1].split("::")[-1]
        for line in out.splitlines()
        if line.startswith(("FAILED ", "ERROR ")) and "::" in line
    }


@pytest.mark.slow
def test_without_requirements_skips_are_skips(tmp_path):
    code, out = _run(tmp_path)
    assert code == 0, out
    assert "4 skipped" in out and "1 xfailed" in out and "1 passed" in out


@pytest.mark.slow
def test_require_all_fails_every_skip_but_not_xfail(tmp_path):
    code, out = _run(tmp_path, "test_mod.py", CAMWATCH_REQUIRE_ALL="1")
    assert code != 0, out
    assert "skipped" not in _summary(out), out
    assert "1 xfailed" in _summary(out) and "1 passed" in _summary(out)
    assert _failed(out) == {"test_skips_inside", "test_skipif", "test_browser_skip"}


@pytest.mark.slow
def test_require_all_fails_a_module_importorskip(tmp_path):
    code, out = _run(tmp_path, "test_optional.py", CAMWATCH_REQUIRE_ALL="1")
    assert code != 0, out
    assert "module skipped although CAMWATCH_REQUIRE_ALL is set" in out
    assert "skipped" not in _summary(out), out


@pytest.mark.slow
def test_require_browser_fails_only_browser_skips(tmp_path):
    code, out = _run(tmp_path, CAMWATCH_REQUIRE_BROWSER="1")
    assert code != 0, out
    assert _failed(out) == {"test_browser_skip"}
    assert "3 skipped" in _summary(out)
