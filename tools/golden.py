"""Write the expected analyses of the sample compounds: ``tests/golden/<site>.<model>.json``.

Each file is exactly what ``camwatch analyze --json --coverage-model MODEL
sample_sites/<site>.geojson`` prints, for both models (docs/site-format.md §4):
``<site>.json`` in the ground model (the v1 figures, kept under their old name)
and ``<site>.standing.json`` in the standing model (the default). ``tests/core/test_golden.py`` compares today's analysis with them, so a
change in any coverage figure, blind spot or zone verdict shows up in review.
Regenerate only on purpose (after a deliberate change of the engine or of the
samples), and say why in the commit (docs/coverage.md, "Golden files")::

    .venv/bin/python tools/golden.py            # (re)writes tests/golden/*.json
    .venv/bin/python tools/golden.py --check    # exit 1 if a file differs
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_sites"
GOLDEN = ROOT / "tests" / "golden"


MODELS = {"ground": "", "standing": ".standing"}  # coverage model -> file name suffix


def golden_path(stem: str, model: str) -> Path:
    """Where the golden analysis of sample ``stem`` in ``model`` lives."""
    return GOLDEN / f"{stem}{MODELS[model]}.json"


def analysis_json(site_file: Path, model: str) -> str:
    """The ``camwatch analyze --json --coverage-model MODEL`` output for ``site_file``."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "camwatch",
            "analyze",
            "--json",
            "--coverage-model",
            model,
            str(site_file),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args(argv)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    stale = []
    for site_file, model in ((f, m) for f in sorted(SAMPLES.glob("*.geojson")) for m in MODELS):
        target = golden_path(site_file.stem, model)
        text = analysis_json(site_file, model)
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(target.name)
        else:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
    if stale:
        print("differs from today's analysis: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
