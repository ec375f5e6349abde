"""Bad requests: clean one-line errors (exit 2) and nothing written; safe names; layering."""

from __future__ import annotations

import doctest
import importlib
import json
import os
import subprocess
import sys

import pytest

from camwatch.output import safe_filename
from tests.report.conftest import SAMPLES

SITE = SAMPLES / "old_residential.geojson"


@pytest.mark.parametrize(
    "args, message",
    [
        (["report", "nowhere/site.geojson", "-o", "{out}/r.pdf"], "no such site file"),
        (["report", "no-such-compound", "-o", "{out}/r.pdf", "--db", "{db}"], "no compound"),
        (["report", str(SITE), "-o", "{out}/r.docx"], "must end in .pdf"),
        (["report", str(SITE), "-o", "{out}/missing/r.pdf"], "does not exist"),
        (["report", str(SITE), "-o", "{out}/r.pdf", "--suggest", "2", "--suggestions", "x.json"],
         "not both"),
        (["report", str(SITE), "-o", "{out}/r.pdf", "--suggestions", "{out}/none.json"],
         "not a readable JSON"),
        (["schedule", "no-such-compound", "-o", "{out}/s.csv", "--db", "{db}"], "no compound"),
        (["schedule", str(SITE), "-o", "{out}/s.txt"], "must end in .csv, .xlsx"),
        (["schedule", str(SITE), "-o", "{out}/s.csv", "--prices", "{out}/none.csv"],
         "no such price table"),
        (["export", str(SITE), "--format", "kml", "-o", "{out}/x.geojson"], "must end in .kml"),
        (["district", "report", "-o", "{out}/d.xlsx", "--db", "{db}"], "must end in .pdf, .csv"),
    ],
)  # fmt: skip
def test_bad_request_is_a_clean_error_and_writes_nothing(run, tmp_path, ledger_url, args, message):
    out = tmp_path / "out"
    out.mkdir()
    argv = [a.format(out=out, db=ledger_url) for a in args]
    result = run(*argv, code=2)
    assert message in result.output
    assert "Traceback" not in result.output
    assert list(out.iterdir()) == []


def test_unwritable_folder_is_refused(run, tmp_path, monkeypatch):
    from camwatch import output

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    if os.geteuid() == 0:  # root writes anywhere: the folder answers as it would to a user
        real_access = os.access
        monkeypatch.setattr(
            output.os,
            "access",
            lambda p, mode: False if mode & os.W_OK else real_access(p, mode),
        )
    try:
        result = run("schedule", SITE, "-o", folder / "s.csv", code=2)
        assert "not writable" in result.output
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_failed_write_leaves_no_file(tmp_path, monkeypatch):
    from camwatch import output
    from camwatch.errors import CamwatchError

    target = tmp_path / "r.pdf"

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", broken_replace)
    with pytest.raises(CamwatchError, match="No space left"):
        output.write_atomic(target, b"%PDF-1.7 ...")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "parts, expected",
    [
        (("锦绣华庭", "report"), "锦绣华庭-report.pdf"),
        (("../../etc/passwd",), "etc_passwd.pdf"),
        (("a/b\\c:d*e?f", ".."), "a_b_c_d_e_f.pdf"),
        ((".hidden",), "hidden.pdf"),
        (("",), "camwatch.pdf"),
        (("line\nbreak\x00nul",), "line_break_nul.pdf"),
    ],
)
def test_safe_filename(parts, expected):
    name = safe_filename(*parts, suffix=".pdf")
    assert name == expected
    assert "/" not in name and "\\" not in name and not name.startswith(".")


@pytest.mark.parametrize(
    "module",
    ["camwatch.output", "camwatch.report.fmt", "camwatch.report.words",
     "camwatch.report.content", "camwatch.sitefile.crs"],
)  # fmt: skip
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0 and result.attempted > 0


def test_report_package_imports_no_planners_or_web():
    code = (
        "import importlib, json, sys\n"
        "for m in ('camwatch.report.cli', 'camwatch.report.compound', 'camwatch.report.gis',"
        " 'camwatch.report.schedule', 'camwatch.report.district'):\n"
        "    importlib.import_module(m)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    assert [m for m in loaded if m.split(".")[0] in ("planners", "web", "flask")] == []
