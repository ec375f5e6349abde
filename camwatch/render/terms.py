"""The words on a plan picture, in English and Chinese, from the message catalogue.

Each word is a catalogue entry in the context ``plan`` (:mod:`camwatch.i18n`;
``camwatch/translations``), so a word also used in another sense elsewhere
(``none`` here is "no access control") keeps its own translation. A key is
the English word; model enumerations use their file value with underscores
(``bike_shed``), read as spaces. The Chinese follows the wording of the
safe-compound programme documents (出入口, 周界, 盲区, 门禁, 对讲 …).
"""

from __future__ import annotations

from camwatch.i18n import Message, term_msg
from camwatch.ladders import ALL_LEVELS

LANGS: tuple[str, ...] = ("zh", "en")

WORDS: tuple[Message, ...] = (
    # DORI levels (EN 62676-4) and coverage
    term_msg("plan", "detection"),
    term_msg("plan", "observation"),
    term_msg("plan", "recognition"),
    term_msg("plan", "identification"),
    term_msg("plan", "all levels"),
    term_msg("plan", "coverage"),
    term_msg("plan", "covered"),
    term_msg("plan", "monitored area"),
    term_msg("plan", "blind spot"),
    term_msg("plan", "blind spots"),
    term_msg("plan", "coverage level"),
    term_msg("plan", "level shown"),
    # the coverage model (docs/site-format.md §4)
    term_msg("plan", "coverage model"),
    term_msg("plan", "ground level"),
    term_msg("plan", "standing person"),
    term_msg("plan", "target height"),
    # site features
    term_msg("plan", "boundary"),
    term_msg("plan", "building"),
    term_msg("plan", "obstacle"),
    term_msg("plan", "wall"),
    term_msg("plan", "zone"),
    term_msg("plan", "failing zone"),
    term_msg("plan", "zones passed"),
    term_msg("plan", "required"),
    # zone types
    term_msg("plan", "entrance"),
    term_msg("plan", "perimeter"),
    term_msg("plan", "parking"),
    term_msg("plan", "bike shed"),
    term_msg("plan", "playground"),
    term_msg("plan", "lobby"),
    term_msg("plan", "road"),
    term_msg("plan", "square"),
    term_msg("plan", "other"),
    term_msg("plan", "ebike charging"),
    term_msg("plan", "garage"),
    term_msg("plan", "lift"),
    # gates, access control, alarms, intercoms
    term_msg("plan", "gate"),
    term_msg("plan", "access control"),
    term_msg("plan", "none"),
    term_msg("plan", "card"),
    term_msg("plan", "face"),
    term_msg("plan", "code"),
    term_msg("plan", "qr"),
    term_msg("plan", "intercom"),
    term_msg("plan", "alarm"),
    term_msg("plan", "alarm line"),
    term_msg("plan", "infrared beam"),
    term_msg("plan", "electric fence"),
    term_msg("plan", "door contact"),
    term_msg("plan", "panic button"),
    term_msg("plan", "vibration"),
    # cameras
    term_msg("plan", "camera"),
    term_msg("plan", "cameras"),
    term_msg("plan", "active"),
    term_msg("plan", "planned"),
    term_msg("plan", "faulty"),
    term_msg("plan", "offline"),
    term_msg("plan", "not counted (footprint)"),
    # overlays from the planners
    term_msg("plan", "suggested camera"),
    term_msg("plan", "suggested device"),
    term_msg("plan", "intruder route"),
    term_msg("plan", "patrol route"),
    # title block and decorations
    term_msg("plan", "camera coverage plan"),
    term_msg("plan", "compliant"),
    term_msg("plan", "not compliant"),
    term_msg("plan", "compliance"),
    term_msg("plan", "scale"),
    term_msg("plan", "north"),
    term_msg("plan", "legend"),
    term_msg("plan", "date"),
    term_msg("plan", "site"),
)


# The Chinese of every word, keyed by the word and by its file value (``bike_shed``);
# the levels of every ladder (DORI, IEC 62676-4:2025) from the one table of levels.
TERMS: dict[str, str] = {
    **{lv.name: lv.zh for lv in ALL_LEVELS.values()},
    **{key: word.render("zh") for word in WORDS for key in {word.key, word.key.replace(" ", "_")}},
}


def term(key: str, lang: str) -> str:
    """The word for ``key`` in ``lang`` ("zh" or "en"); unknown keys are shown as given.

    >>> term("bike_shed", "zh"), term("bike_shed", "en")
    ('非机动车棚', 'bike shed')
    """
    english = key.replace("_", " ")
    if lang == "zh":
        return TERMS.get(key, TERMS.get(english, key))
    return english


def heading(key: str, lang: str) -> str:
    """:func:`term` with a capital first letter in English, for titles and legend entries.

    >>> heading("legend", "en"), heading("legend", "zh")
    ('Legend', '图例')
    """
    text = term(key, lang)
    return text[:1].upper() + text[1:] if lang == "en" else text
