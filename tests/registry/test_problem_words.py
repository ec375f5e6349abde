"""A problem's description is stored as key + params and worded in the reader's language."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from camwatch.geometry.coverage import analyze
from camwatch.registry.analysis_problems import problems_from_analysis
from camwatch.registry.compounds import export_site
from camwatch.registry.db import session_scope
from camwatch.registry.problems import (
    get_problem,
    list_problems,
    open_problem,
    update_problem,
)

from .helpers import load_tiny

TODAY = date(2025, 6, 10)


@pytest.fixture
def tiny(engine):
    return load_tiny(engine)


def _from_analysis(engine, code):
    with session_scope(engine) as s:
        analysis = analyze(export_site(s, code)).to_dict()
    with session_scope(engine, actor="planner") as s:
        problems_from_analysis(s, code, analysis, deadline_days=14, today=TODAY)
    return analysis


def test_findings_are_stored_as_keys_and_read_in_both_languages(engine, tiny):
    analysis = _from_analysis(engine, tiny)
    zone = next(z for z in analysis["zones"] if not z["pass"])
    with session_scope(engine) as s:
        problems = list_problems(s, compound=tiny)
        spot = next(p for p in problems if p.reference["type"] == "blind_spot")
        failing = next(p for p in problems if p.zone_name == zone["name"])
        # stored: the key and its parameters, and the English words beside them
        assert failing.description_msg["key"].startswith("Zone '%(name)s' (%(zone_type)s)")
        assert failing.description_msg["params"]["name"] == zone["name"]
        assert failing.description == failing.description_text("en")
        en = failing.description_text("en")
        zh = failing.description_text("zh")
        assert en.startswith(f"Zone '{zone['name']}' (") and en.endswith(
            "at least 98.0 % is required"
        )
        assert zh.startswith(f"区域「{zone['name']}」（") and zh.endswith("要求不低于 98.0 %")
        ref = spot.reference
        assert spot.description_text("zh").startswith(f"盲区 {ref['id']}：")
        assert spot.description_text("en").startswith(f"Blind spot {ref['id']}: ")
        assert f"{float(ref['area_m2']):.1f} 平方米无任何摄像机覆盖" in spot.description_text("zh")


def test_old_plain_text_rows_and_typed_descriptions_show_as_written(engine, tiny):
    _from_analysis(engine, tiny)
    with session_scope(engine, actor="planner") as s:
        typed = open_problem(
            s, tiny, description="Hedge blocks camera C3", deadline=TODAY, today=TODAY
        )
        typed_id = typed.id
        finding = next(p for p in list_problems(s, compound=tiny) if p.description_msg)
        finding_id = finding.id
    # a row written before messages existed: plain text, no key (as migration 0007 leaves it)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE problems SET description_msg = NULL, description = :d WHERE id = :i"),
            {"d": "Zone 'gate' reaches detection on 12.0 % of its 48.0 m²", "i": finding_id},
        )
    with session_scope(engine, actor="planner") as s:
        assert get_problem(s, typed_id).description_msg is None
        assert get_problem(s, typed_id).description_text("zh") == "Hedge blocks camera C3"
        old = get_problem(s, finding_id)
        assert (
            old.description_text("zh") == "Zone 'gate' reaches detection on 12.0 % of its 48.0 m²"
        )
        other = next(
            p for p in list_problems(s, compound=tiny) if p.description_msg and p.id != finding_id
        )
        update_problem(s, other.id, description="fence cut near the bike shed", note="clearer")
    with session_scope(engine) as s:
        edited = get_problem(s, other.id)
        assert edited.description_msg is None  # a person's words replace the finding's
        assert edited.description_text("zh") == "fence cut near the bike shed"
