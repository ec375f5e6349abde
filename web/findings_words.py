"""The findings tab's words per rule: what it asks, its clause, the fix in the reader's language.

A finding carries its message and its suggested fix in Chinese and English
(``message``; ``fix`` and ``fix_zh``: docs/standards.md), but its clause in
English only (docs/site-format.md §7). So that a Chinese page holds no
English, the tab words the clause from this catalogue; a clause this
catalogue does not know (a copied profile may not change clauses, but a newer
rule may) is shown as written. The fix is the finding's own, in the page's
language, with its suggested position.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

SEVERITY_LABELS = {"error": _l("Errors"), "warning": _l("Warnings"), "info": _l("For information")}

TITLES: dict[str, Any] = {
    "PERIM-ZONE-LEN": _l("Perimeter defence zone length"),
    "PERIM-CONTINUOUS": _l("Continuous perimeter alarm lines"),
    "PERIM-NO-BLOCK": _l("Alarm lines not blocked"),
    "PERIM-VIDEO": _l("Video on every perimeter defence zone"),
    "PERIM-BAND": _l("No blind spot along the perimeter"),
    "GATE-LANE-CAM": _l("One outward camera per vehicle lane"),
    "GATE-PLATE": _l("Plate capture at vehicle lanes"),
    "GATE-FACE": _l("Face capture at pedestrian channels"),
    "GATE-FIXED": _l("Fixed cameras at entrances"),
    "GATE-ACCESS": _l("Access control at pedestrian gates"),
    "DOOR-CAM": _l("Cameras at building doors"),
    "DOOR-INTERCOM": _l("Video intercom at unit doors"),
    "ZONE-LEVEL": _l("Zones reach their required level"),
    "KEY-AREAS": _l("Key areas covered"),
    "HIGH-POINT": _l("High-point overview camera"),
    "RETENTION": _l("Video retention"),
    "RESOLUTION": _l("Camera resolution"),
    "MOUNT-HEIGHT": _l("Mounting height"),
    "DEVICE-HEALTH": _l("Faulty devices repaired in time"),
}

CLAUSES: dict[str, Any] = {
    "EN 62676-4:2015 DORI levels (the zone pass of docs/site-format.md §2)": _l(
        "EN 62676-4:2015 DORI levels (the zone pass)"
    ),
    "secondary source (weak): large compounds need a high-point overview camera": _l(
        "secondary source (weak): large compounds need a high-point overview camera"
    ),
    "Chongqing residential technical-prevention specification (2016)": _l(
        "Chongqing residential technical-prevention specification (2016)"
    ),
    "secondary source (weak): cameras of at least 2 MP": _l(
        "secondary source (weak): cameras of at least 2 MP"
    ),
    "safe-compound programme documents (faults repaired by their deadline)": _l(
        "safe-compound programme documents (faults repaired by their deadline)"
    ),
    "Shanghai residential technical-prevention rules (2008); DB31/T 329.1-2019 §4.2.2": _l(
        "Shanghai residential technical-prevention rules (2008); DB31/T 329.1-2019 §4.2.2"
    ),
    "GB 55029-2022 §3.1.4; vendor practice (plate capture geometry)": _l(
        "GB 55029-2022 §3.1.4; vendor practice (plate capture geometry)"
    ),
    "Shanghai residential technical-prevention rules (2009)": _l(
        "Shanghai residential technical-prevention rules (2009)"
    ),
    "safe-compound programme documents (access control at every pedestrian gate)": _l(
        "safe-compound programme documents (access control at every pedestrian gate)"
    ),
    "Shanghai residential technical-prevention rules (2008)": _l(
        "Shanghai residential technical-prevention rules (2008)"
    ),
    "GB 51348-2019 §14.2.1-2 (and its explanatory note)": _l(
        "GB 51348-2019 §14.2.1-2 (and its explanatory note)"
    ),
    "智慧安防小区 guidance (video linked to every perimeter defence zone)": _l(
        "智慧安防小区 guidance (video linked to every perimeter defence zone)"
    ),
    "residential guidance (no blind spot inside the perimeter)": _l(
        "residential guidance (no blind spot inside the perimeter)"
    ),
}


def clause_text(clause: str) -> str:
    """The clause in the reader's language (as written when unknown)."""
    known = CLAUSES.get(clause)
    return str(known) if known is not None else clause


def fix_text(finding: Mapping[str, Any], lang: str) -> str:
    """The finding's suggested fix in the reader's language (``fix_zh`` or ``fix``)."""
    if lang == "zh":
        return str(finding.get("fix_zh") or "")
    return str(finding.get("fix") or "")
