"""The site loader's messages, worded in the reader's language for the plan editor.

The loader (:mod:`camwatch.sitefile`) writes one-line English messages and
carries the feature's position, kind and id or name on the
:class:`~camwatch.errors.SiteFormatError`. The editor shows them translated:
the feature is named from those fields (its kind in the reader's language, its
name, its number in the plan as the editor sent it) and the detail is matched
against the loader's message patterns below. A detail no pattern knows is shown
as the loader wrote it — the feature is still named in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import lazy_gettext as _l

from camwatch.errors import CamwatchError, SiteFormatError
from camwatch.i18n import Message
from web.i18n import gettext as _

KIND_LABELS = {
    "boundary": _l("Boundary"),
    "building": _l("Building"),
    "obstacle": _l("Obstacle"),
    "wall": _l("Wall"),
    "zone": _l("Zone"),
    "gate": _l("Gate"),
    "alarm": _l("Alarm line"),
    "mount": _l("Mounting spot"),
    "camera": _l("Camera"),
    "intercom": _l("Intercom"),
}

PROPERTY_LABELS = {
    "name": _l("name"),
    "height_m": _l("height (m)"),
    "thickness_m": _l("thickness (m)"),
    "see_through": _l("see-through"),
    "zone_type": _l("zone type"),
    "required_level": _l("required level"),
    "weight": _l("weight"),
    "access_control": _l("access control"),
    "alarm_type": _l("alarm type"),
}


def _prop(key: str) -> str:
    return str(PROPERTY_LABELS.get(key, key))


# (pattern of the loader's detail, wording); first match wins
_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(p), f)
    for p, f in (
        (r"^polygon is self-intersecting", lambda m: _("the outline crosses itself")),
        (r"has fewer than 3 distinct points", lambda m: _("the outline has fewer than 3 points")),
        (r"^polygon has zero area", lambda m: _("the outline has no area")),
        (r"^polygon is (invalid|empty)", lambda m: _("the outline is not a valid polygon")),
        (r"^line needs at least 2", lambda m: _("the line needs at least 2 points")),
        (r"cannot have holes", lambda m: _("this kind cannot have holes")),
        (r"^name (is required|must not be empty)", lambda m: _("a name is required")),
        (
            r"^(\w+) must be > 0, got (.*)$",
            lambda m: _("%(key)s must be more than 0, got %(v)s", key=_prop(m[1]), v=m[2]),
        ),
        (
            r"^(\w+) must be in (.*), got (.*)$",
            lambda m: _("%(key)s must be in %(r)s, got %(v)s", key=_prop(m[1]), r=m[2], v=m[3]),
        ),
        (
            r"^(\w+) must be (a number|finite)",
            lambda m: _("%(key)s must be a number", key=_prop(m[1])),
        ),
        (
            r"^unknown (\w+) (\S+)",
            lambda m: _("unknown %(key)s %(v)s", key=_prop(m[1]), v=m[2]),
        ),
        (
            r"^duplicate (zone name|\w+ id|[\w ]+) '(.*)'",
            lambda m: _("the name or id «%(v)s» is used twice", v=m[2]),
        ),
        (
            r"is ([\d.]+) m outside the boundary",
            lambda m: _("it is %(d)s m outside the boundary", d=m[1]),
        ),
        (
            r"is inside (.*), ([\d.]+) m from free space",
            lambda m: _("it would stand inside %(what)s", what=_feature_words(m[1])),
        ),
        (r"no free space", lambda m: _("the plan leaves no free space")),
        (r"^second boundary", lambda m: _("a second boundary (a site has exactly one)")),
        (
            r"^site has no boundary",
            lambda m: _("the plan has no boundary (exactly one is required)"),
        ),
        (r"^geometry must be a (\w+)", lambda m: _("wrong shape (expected %(g)s)", g=m[1])),
        (r"^geometry is missing", lambda m: _("the shape is missing")),
        (r"out of range", lambda m: _("a coordinate is out of range")),
        (r"^unknown kind", lambda m: _("unknown feature kind")),
        # the importers' and the upload's messages (docs/importers.md, "Bad files")
        (r"not a readable DXF drawing", lambda m: _("not a readable DXF drawing")),
        (
            r"^no layer maps to a site feature kind \(layers: (.*)\)",
            lambda m: _("no layer holds site features (layers: %(layers)s)", layers=m[1]),
        ),
        (r"^no closed boundary outline", lambda m: _("no closed boundary outline was found")),
        (r"has no usable units", lambda m: _("the drawing does not say its units; choose them")),
        (r"enclaves split it", lambda m: _("the boundary's enclaves split it; draw one outline")),
        (r"^the image is blank", lambda m: _("the image is blank: no drawing found")),
        (r"no building footprints found", lambda m: _("no building outlines found in the image")),
        (r"the two points are equal", lambda m: _("the two scale points are the same point")),
        (r"distance must be positive", lambda m: _("the distance must be more than 0 m")),
        (r"^not an image", lambda m: _("not an image that can be read (PNG, JPEG, TIFF)")),
        (
            r"^the image has more than (\d+) pixels",
            lambda m: _("the image has more than %(n)s pixels", n=m[1]),
        ),
        (
            r"^the image has (\d+) × (\d+) pixels, more than (\d+)",
            lambda m: _(
                "the image has %(w)s × %(h)s pixels, more than %(n)s", w=m[1], h=m[2], n=m[3]
            ),
        ),
        (r"^the file is not JSON", lambda m: _("the file is not JSON")),
        (r"^the file is empty", lambda m: _("the file is empty")),
        (
            r"^the size must be between 1 and (\S+) m",
            lambda m: _("the size must be between 1 and %(max)s m", max=m[1]),
        ),
        (r"not a GeoJSON FeatureCollection", lambda m: _("not a GeoJSON site file")),
        (r"^device code must be a non-empty", lambda m: _("the code must not be empty")),
        (r"^device code is longer", lambda m: _("the code is too long")),
        (r"^device code must not start or end", lambda m: _("the code has spaces at an end")),
        (r"^the imported site is invalid: (.*)$", lambda m: _inner(m[1])),
    )
)

_FEATURE_PREFIX = re.compile(r"^feature #(\d+) \((\w+)(?: '([^']*)')?\): (.*)$")


def _inner(text: str) -> str:
    """A loader message quoted inside another one (``feature #3 (building 'A'): ...``)."""
    m = _FEATURE_PREFIX.match(text)
    if m:
        return _("%(who)s: %(detail)s", who=who(int(m[1]), m[2], m[3]), detail=detail_words(m[4]))
    return detail_words(text)


_NAMED = re.compile(r"^(\w+) '([^']*)'(?: \(feature #\d+\))?$")
_DEVICE_PREFIX = re.compile(r"^(camera|gate|alarm|intercom) '([^']*)': (.*)$")


def _feature_words(text: str) -> str:
    """``building '1号楼'`` → ``建筑 «1号楼»``; anything else unchanged."""
    m = _NAMED.match(text.strip())
    if m and m[1] in KIND_LABELS:
        return f"{KIND_LABELS[m[1]]} «{m[2]}»"
    return text


def detail_words(detail: str) -> str:
    """The loader's detail in the reader's language (as written when no pattern knows it)."""
    for pattern, word in _PATTERNS:
        m = pattern.search(detail)
        if m:
            return word(m)
    return detail


def who(index: int | None, kind: str | None, ident: str | None) -> str:
    """The feature named for a person: kind, name and its number in the plan (1-based)."""
    label = str(KIND_LABELS.get(kind or "", kind or _("feature")))
    if ident:
        label += f" «{ident}»"
    if index is not None:
        label = _("%(what)s (feature %(n)d)", what=label, n=index + 1)
    return label


def _detail(detail: str | Message) -> str:
    """A detail in the reader's language: the editor's shorter wording when a pattern above
    knows it (it speaks of outlines, not polygons), else the catalogue's."""
    english = detail.render("en") if isinstance(detail, Message) else detail
    worded = detail_words(english)
    if worded == english and isinstance(detail, Message):
        return detail.render()
    return worded


def plan_error(exc: CamwatchError) -> dict[str, object]:
    """A refused plan as JSON members: ``message`` (translated), ``feature`` (0-based index
    or None) and ``detail`` (the loader's own words in English, for the record)."""
    if isinstance(exc, SiteFormatError) and exc.index is not None:
        text = _(
            "%(who)s: %(detail)s",
            who=who(exc.index, exc.kind, exc.ident),
            detail=_detail(exc.detail_msg),
        )
        return {"message": text, "feature": exc.index, "detail": exc.text("en")}
    detail = exc.detail_msg if isinstance(exc, SiteFormatError) else exc.words
    raw = detail.render("en") if isinstance(detail, Message) else detail
    m = _DEVICE_PREFIX.match(raw)
    if m:
        text = _("%(who)s: %(detail)s", who=who(None, m[1], m[2]), detail=detail_words(m[3]))
        return {"message": text, "feature": None, "device": m[2], "detail": raw}
    return {"message": _detail(detail), "feature": None, "detail": raw}
