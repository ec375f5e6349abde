"""Level ladders: the pixel-density levels coverage is measured at (docs/coverage.md, "Ladders").

One table of data, used by the loader, the engine, the pictures, the planners
and the standards checks. A site chooses its ladder with ``site.levels``
(docs/site-format.md §4); without it the DORI ladder applies, exactly as before.

* ``dori``: detection 25, observation 62.5, recognition 125, identification
  250 px/m — EN 62676-4:2015 (IEC 62676-4:2014).
* ``iec2025``: overview 20, outline 40, discern 80, perceive 125,
  characterise 250, validate 500, scrutinise 1500 px/m — IEC 62676-4:2025 as
  reported by design-tool vendors (secondary descriptions; the standard's own
  text was not available to the project). The Chinese names are the
  project's translations.

Levels run from the lowest pixel density to the highest, so footprints nest
(a higher level's footprint lies inside a lower one's); blind spots are measured
at a ladder's lowest level. Level names are unique across ladders, so a name
alone says which density it means.

>>> ladder("iec2025").names[:3], ladder(None).lowest
(('overview', 'outline', 'discern'), 'detection')
>>> px_per_m("discern"), px_per_m("identification")
(80.0, 250.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from camwatch.errors import UsageError
from camwatch.i18n import Message, msg

DEFAULT_TARGET_HEIGHT_M = 1.6  # a standing person's face (IEC 62676-4 test target)


@dataclass(frozen=True)
class Level:
    """One level: its name (the file value), px/m at the target, words, standing-model defaults."""

    name: str
    px_per_m: float
    zh: str
    en: str
    target_height_m: float = DEFAULT_TARGET_HEIGHT_M
    max_depression_deg: float | None = None  # None: no limit


@dataclass(frozen=True)
class Ladder:
    """A ladder of levels, lowest pixel density first."""

    key: str  # the value of ``site.levels``
    label: str  # how texts name it ("Coverage by DORI level")
    source: str
    levels: tuple[Level, ...]
    # Default required level by zone type; types left out require the lowest level.
    zone_defaults: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(lv.name for lv in self.levels)

    @property
    def lowest(self) -> str:
        """The level blind spots are measured at."""
        return self.levels[0].name

    def level(self, name: str) -> Level:
        """The level called ``name`` (KeyError if the ladder has none)."""
        for lv in self.levels:
            if lv.name == name:
                return lv
        raise KeyError(name)

    def required_level_for(self, zone_type: str) -> str:
        """Default level a zone of this type must reach under this ladder."""
        return self.zone_defaults.get(zone_type, self.lowest)

    def target_heights(self) -> dict[str, float]:
        """Default target height z_L per level (standing model)."""
        return {lv.name: lv.target_height_m for lv in self.levels}

    def max_depressions(self) -> dict[str, float]:
        """Default maximum depression δ_L of the levels that have one."""
        return {lv.name: lv.max_depression_deg for lv in self.levels if lv.max_depression_deg}


DORI = Ladder(
    key="dori",
    label="DORI",
    source="EN 62676-4:2015 (IEC 62676-4:2014), DORI levels",
    levels=(
        Level("detection", 25.0, "探测", "detection"),
        Level("observation", 62.5, "观察", "observation"),
        Level("recognition", 125.0, "识别", "recognition"),
        Level("identification", 250.0, "辨认", "identification", max_depression_deg=30.0),
    ),
    zone_defaults={
        "entrance": "identification",
        "parking": "observation",
        "bike_shed": "observation",
        "ebike_charging": "observation",
        "garage": "observation",
        "lift": "recognition",
    },
)

# Figures as design-tool vendors describe IEC 62676-4:2025 (secondary sources). Zone
# defaults: general zones the lowest level (as detection in DORI); the others the 2025
# level of the DORI default's density, or the next denser one (observation 62.5 → discern
# 80); the face-identification depression limit (30°) on every level of ≥ 250 px/m.
IEC2025 = Ladder(
    key="iec2025",
    label="IEC 62676-4:2025",
    source="IEC 62676-4:2025 as reported by design-tool vendors (secondary descriptions)",
    levels=(
        Level("overview", 20.0, "概览", "overview"),
        Level("outline", 40.0, "轮廓", "outline"),
        Level("discern", 80.0, "分辨", "discern"),
        Level("perceive", 125.0, "感知", "perceive"),
        Level("characterise", 250.0, "特征", "characterise", max_depression_deg=30.0),
        Level("validate", 500.0, "核验", "validate", max_depression_deg=30.0),
        Level("scrutinise", 1500.0, "详查", "scrutinise", max_depression_deg=30.0),
    ),
    zone_defaults={
        "entrance": "characterise",
        "parking": "discern",
        "bike_shed": "discern",
        "ebike_charging": "discern",
        "garage": "discern",
        "lift": "perceive",
    },
)

LADDERS: dict[str, Ladder] = {lad.key: lad for lad in (DORI, IEC2025)}
DEFAULT_LADDER = DORI.key
# Every level of every ladder by name (names are unique across ladders).
ALL_LEVELS: dict[str, Level] = {lv.name: lv for lad in LADDERS.values() for lv in lad.levels}
assert len(ALL_LEVELS) == sum(len(lad.levels) for lad in LADDERS.values()), "level names clash"


def ladder(key: str | None) -> Ladder:
    """The ladder called ``key`` (None: the default, DORI); an unknown key is a UsageError."""
    if key is None:
        return LADDERS[DEFAULT_LADDER]
    found = LADDERS.get(key)
    if found is None:
        raise UsageError(
            msg(
                "unknown level ladder %(key)s (expected one of: %(names)s)",
                key=repr(key),
                names=", ".join(LADDERS),
            )
        )
    return found


def ladder_of(level: str) -> Ladder | None:
    """The ladder that has a level called ``level`` (None: no ladder has it)."""
    return next((lad for lad in LADDERS.values() if level in lad.names), None)


def px_per_m(level: str) -> float:
    """Pixel density (px/m at the target) of the level called ``level``, in any ladder."""
    found = ALL_LEVELS.get(level)
    if found is None:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(ALL_LEVELS)}")
    return found.px_per_m


def not_in_ladder(level: str, chosen: Ladder) -> Message:
    """Why ``level`` cannot be used under ``chosen`` (for error messages)."""
    other = ladder_of(level)
    names = ", ".join(chosen.names)
    if other is None:
        return msg(
            "unknown level %(level)s; expected one of %(names)s", level=repr(level), names=names
        )
    return msg(
        "level %(level)s belongs to the %(other)s ladder, but the site uses the %(chosen)s "
        "ladder (%(names)s); set site.levels to %(key)s to use it",
        level=repr(level),
        other=other.key,
        chosen=chosen.key,
        names=names,
        key=repr(other.key),
    )


def require_dori(chosen: Ladder, what: str | Message) -> None:
    """Refuse, with a clear message, a consumer that supports only the DORI ladder."""
    if chosen.key != DORI.key:
        raise UsageError(
            msg(
                "%(what)s supports only the DORI levels for now; this site uses the %(ladder)s "
                "ladder (site.levels, docs/coverage.md)",
                what=what,
                ladder=chosen.key,
            )
        )
