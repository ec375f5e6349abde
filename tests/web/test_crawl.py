"""A crawler over the web view: every role, both languages, every same-site GET link.

Starting from the home page it follows every ``href`` it finds, breadth-first (a visited
set and a cap per crawl), and asserts that no page answers 5xx or shows a Python
traceback, and that no Chinese page shows an English sentence of the app's own catalogue
(every msgid longer than 12 characters with a Chinese msgstr — words the app translates
must never appear untranslated on a zh page). docs/web.md "Navigation, help and phones".
"""

from __future__ import annotations

import html as htmlmod
import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from babel.messages.pofile import read_po

import web.i18n

from .conftest import ROLES, login

PO = Path(web.i18n.TRANSLATIONS) / "zh" / "LC_MESSAGES" / "messages.po"
#: Pages per crawl; the sample ledger has fewer same-site GET pages per role than this.
CAP = 400
#: Links not to follow: downloads that make big files (each is tested on its own in
#: test_reports-like tests) would only slow the crawl; the API answers JSON, not pages.
SKIP = re.compile(r"^/(api/|static/|vendor/)|\.(pdf|xlsx|csv|geojson|png|svg|zip)$|/download")
HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
CJK = re.compile(r"[\u4e00-\u9fff]")
#: English a zh page may still show (none: stored checklist details are worded from their
#: values, rule results from their ids; docs/web.md "Languages")
PENDING: set[str] = set()


def _english_msgids() -> list[str]:
    """App sentences that have a Chinese translation (placeholders cut out)."""
    with PO.open("rb") as fh:
        catalog = read_po(fh, locale="zh")
    out: set[str] = set()
    for m in catalog:
        if not m.id or isinstance(m.id, tuple) or not m.string or not CJK.search(str(m.string)):
            continue
        # the literal pieces between placeholders (%(name)s, %s) are what a page would show
        for piece in re.split(r"%\(\w+\)[sdif]|%[sdif]", m.id):
            piece = piece.strip(" .:·,()")
            if len(piece) > 12 and piece not in str(m.string):
                out.add(piece)
    return sorted(out)


ENGLISH = _english_msgids()


def _visible_text(page: str) -> str:
    """The text a reader sees: no tags, no scripts or styles, entities decoded."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", htmlmod.unescape(page))


def _links(base: str, page: str) -> list[str]:
    found = []
    for a, b in HREF.findall(page):
        href = htmlmod.unescape(a or b).strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "data:")):
            continue
        url, _ = urldefrag(urljoin(base, href))
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.search(parts.path):
            found.append(path)
    return found


def _data_texts(app) -> list[str]:
    """Names people typed (users' display names, compounds, problems): data, not UI words."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from camwatch.registry.models import Compound, Problem, User
    from web.db import engine

    with Session(engine(app)) as s:
        texts = [u.display_name for u in s.scalars(select(User))]
        texts += [c.name for c in s.scalars(select(Compound))]
        texts += [p.description for p in s.scalars(select(Problem))]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def crawl(client, lang: str) -> tuple[dict[str, int], list[str]]:
    """Visit every same-site GET link from ``/``; (status per path, problems found)."""
    client.post("/language", data={"lang": lang, "next": "/"})
    seen: dict[str, int] = {}
    problems: list[str] = []
    queue = deque(["/"])
    data = _data_texts(client.application)
    while queue and len(seen) < CAP:
        path = queue.popleft()
        if path in seen:
            continue
        answer = client.get(path, follow_redirects=True)
        seen[path] = answer.status_code
        if answer.status_code >= 500:
            problems.append(f"{path}: HTTP {answer.status_code}")
        if "text/html" not in (answer.content_type or ""):
            continue
        page = answer.get_data(as_text=True)
        if "Traceback (most recent call last)" in page:
            problems.append(f"{path}: traceback")
        if lang == "zh":
            text = _visible_text(page)
            for name in data:
                text = text.replace(name, " ")
            problems += [
                f"{path}: English on a zh page: {e!r}"
                for e in ENGLISH
                if e in text and e not in PENDING
            ]
        base = answer.request.path if answer.request else path
        for link in _links(f"http://localhost{base}", page):
            if link not in seen:
                queue.append(link)
    return seen, problems


def test_the_english_list_is_real():
    """The list the crawler checks is the catalogue's, not empty or trivial."""
    assert len(ENGLISH) > 100
    assert "Coverage by DORI level" in ENGLISH


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_crawl_every_page(read_app, role, lang):
    client = read_app.test_client()
    login(client, role)
    seen, problems = crawl(client, lang)
    assert problems == []
    assert len(seen) < CAP, "the cap cut the crawl short: raise it"
    # the crawl really went through the app: the compound pages of this role were reached
    assert any(p.startswith("/compounds/") and p.endswith("/map") for p in seen), sorted(seen)
    assert sum(1 for s in seen.values() if s == 200) >= 15
