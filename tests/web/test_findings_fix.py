"""The findings tab shows each finding's fix in the page's language (docs/standards.md).

Oracle: ``camwatch check COMPOUND --json`` run as a command; its ``fix_zh``
must be on the Chinese page and its ``fix`` on the English one, and neither
on the other page.
"""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import login
from tests.web.test_findings import cli_check, get, page_text


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("`", ""))


@pytest.mark.parametrize("lang, other", [("zh", "en"), ("en", "zh")])
def test_fix_in_the_page_language(client, db_path, ids, lang, other):
    login(client, "planner")
    expected = cli_check(db_path, ids["own_code"])
    fixes = [f for f in expected["findings"] if f["fix"]]
    assert fixes, "the compound should have findings with fixes"
    text = _norm(page_text(get(client, f"/compounds/{ids['own']}/findings", lang)))
    key = {"zh": "fix_zh", "en": "fix"}
    for f in fixes:
        assert _norm(f[key[lang]]) in text, f[key[lang]]
        assert _norm(f[key[other]]) not in text, f[key[other]]
