"""Output paths and atomic writes for pictures, reports and exports.

Every file is written to a hidden temporary file beside the target and renamed
over it, so a failed report leaves nothing behind. File names offered for
download (the web) come from :func:`safe_filename`.
"""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from camwatch.errors import CamwatchError, UsageError
from camwatch.i18n import msg

_UNSAFE = re.compile(r"[^\w.\-]+")


def check_output(path: str | os.PathLike[str], suffixes: Sequence[str]) -> Path:
    """The output path, checked before any work: known suffix, existing folder, not a folder.

    >>> check_output("report.pdf", [".pdf"]).name
    'report.pdf'
    >>> check_output("report.doc", [".pdf"])
    Traceback (most recent call last):
    ...
    camwatch.errors.UsageError: output 'report.doc' must end in .pdf
    """
    target = Path(path)
    if target.suffix.lower() not in suffixes:
        raise UsageError(
            msg(
                "output %(path)s must end in %(suffixes)s",
                path=repr(str(target)),
                suffixes=", ".join(suffixes),
            )
        )
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(msg("output folder %(folder)s does not exist", folder=repr(str(folder))))
    if target.is_dir():
        raise UsageError(msg("output %(path)s is a folder", path=repr(str(target))))
    if not os.access(folder, os.W_OK):
        raise UsageError(msg("output folder %(folder)s is not writable", folder=repr(str(folder))))
    return target


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename (nothing half-written)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise UsageError(
            msg(
                "cannot write to %(folder)s: %(detail)s",
                folder=repr(str(path.parent)),
                detail=str(exc.strerror or exc),
            )
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise CamwatchError(
                msg(
                    "cannot write %(path)s: %(detail)s",
                    path=repr(str(path)),
                    detail=str(exc.strerror or exc),
                )
            ) from None
        raise
    return path


def safe_filename(*parts: str, suffix: str) -> str:
    """A download file name from free text: letters (Chinese too), digits, '-', '_' and '.'.

    Path separators, spaces, control characters and leading dots are replaced,
    so the name can never leave the download folder or hide itself.

    >>> safe_filename("锦绣华庭", "report", suffix=".pdf")
    '锦绣华庭-report.pdf'
    >>> safe_filename("../../etc/passwd", suffix=".csv")
    'etc_passwd.csv'
    >>> safe_filename("", suffix=".csv")
    'camwatch.csv'
    """
    cleaned = []
    for part in parts:
        text = unicodedata.normalize("NFKC", part)
        text = _UNSAFE.sub("_", text).strip("._-")
        text = re.sub(r"\.{2,}", "_", text)
        text = re.sub(r"_+", "_", text)
        if text:
            cleaned.append(text[:60])
    stem = "-".join(cleaned) or "camwatch"
    return stem + suffix
