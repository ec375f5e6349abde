"""The findings tab's words per rule: what it asks, its clause, the fix in the reader's language.

A finding carries its message in Chinese and English, but its clause and
suggested fix in English only (docs/site-format.md §7). So that a Chinese page
holds no English, the tab words clause and fix from this catalogue, per rule
id: a Chinese reader gets the rule's fix in general terms (the exact English
fix, with its suggested position, is on the English page and in
``camwatch check``); a clause this catalogue does not know (a copied profile
may not change clauses, but a newer rule may) is shown as written.
"""

from __future__ import annotations

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

FIXES: dict[str, Any] = {
    "PERIM-ZONE-LEN": _l("Split the defence zone into zones no longer than the limit."),
    "PERIM-CONTINUOUS": _l("Extend the alarm lines over the gaps in the boundary."),
    "PERIM-NO-BLOCK": _l("Re-route the alarm line round the obstruction, or split it there."),
    "PERIM-VIDEO": _l("Add or re-aim cameras to watch the defence zone's unwatched length."),
    "PERIM-BAND": _l("Add or re-aim a camera to watch the blind stretch inside the boundary."),
    "GATE-LANE-CAM": _l("Add a camera for the lane, facing outward."),
    "GATE-PLATE": _l("Add a plate-capture camera for the lane."),
    "GATE-FACE": _l("Add a face-capture camera for the pedestrian channel."),
    "GATE-FIXED": _l("Replace the PTZ camera with a fixed camera, or add a fixed one."),
    "GATE-ACCESS": _l("Install access control at the gate."),
    "DOOR-CAM": _l("Add a camera watching the door."),
    "DOOR-INTERCOM": _l("Install a video intercom at the unit door."),
    "ZONE-LEVEL": _l("Add or re-aim cameras over the uncovered part of the zone."),
    "KEY-AREAS": _l("Cover the key area at its required level."),
    "HIGH-POINT": _l("Add a high-point overview camera."),
    "RETENTION": _l("Extend video storage to the required number of days."),
    "RESOLUTION": _l("Replace the camera with one of the required resolution."),
    "MOUNT-HEIGHT": _l("Remount the camera within the height range."),
    "DEVICE-HEALTH": _l("Repair or replace the device."),
}


def clause_text(clause: str) -> str:
    """The clause in the reader's language (as written when unknown)."""
    known = CLAUSES.get(clause)
    return str(known) if known is not None else clause


def fix_text(rule_id: str, fix: str, lang: str) -> str:
    """The finding's exact fix on English pages; the rule's fix in words elsewhere."""
    if lang == "en" and fix:
        return fix
    known = FIXES.get(rule_id)
    return str(known) if known is not None else fix
