"""Finding a CJK font for Chinese labels.

Matplotlib's bundled DejaVu Sans has no Chinese glyphs: without a CJK font a
Chinese plan would be drawn as rows of empty boxes. We look for Noto Sans CJK
(Debian package ``fonts-noto-cjk``) and refuse to draw Chinese without it.
"""

from __future__ import annotations

import glob
import re

from camwatch.errors import CamwatchError
from camwatch.i18n import msg

# Family names tried in order (SC = simplified Chinese glyph forms).
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
)
# Where Debian and other distributions put the files, if matplotlib's font cache predates them.
CJK_FONT_GLOBS: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/**/NotoSansCJK*-Regular.ttc",
    "/usr/share/fonts/**/NotoSansSC-Regular.*",
    "/usr/local/share/fonts/**/NotoSansCJK*-Regular.ttc",
)
LATIN_FAMILY = "DejaVu Sans"
MISSING_FONT_MESSAGE = msg(
    "Chinese labels need the Noto Sans CJK font, which is not installed; "
    "install it (Debian/Ubuntu: apt-get install fonts-noto-cjk) or render with --lang en"
)

_CJK_CHAR = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def has_cjk(text: str) -> bool:
    """True if ``text`` contains Chinese, Japanese or Korean characters.

    >>> has_cjk("1号楼"), has_cjk("Block 1")
    (True, False)
    """
    return bool(_CJK_CHAR.search(text))


def find_cjk_family() -> str | None:
    """The name of an installed CJK font family matplotlib can use, or None.

    Registers the font file with matplotlib if its cache was built before the
    font was installed.
    """
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in known:
            return family
    for pattern in CJK_FONT_GLOBS:
        for path in sorted(glob.glob(pattern, recursive=True)):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    known = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in known:
            return family
    return None


def font_families(lang: str, *, need_cjk: bool) -> list[str]:
    """The ``font.family`` list for a plan: CJK first for Chinese, as fallback for English.

    Raises CamwatchError when CJK glyphs are needed (Chinese labels or Chinese
    names in the site) and no CJK font is installed.
    """
    family = find_cjk_family()
    if family is None:
        if need_cjk:
            raise CamwatchError(MISSING_FONT_MESSAGE)
        return [LATIN_FAMILY]
    if lang == "zh":
        return [family, LATIN_FAMILY]
    return [LATIN_FAMILY, family]
