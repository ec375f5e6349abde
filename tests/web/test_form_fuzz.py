"""Hostile values in every HTML form and page query of the web view: never a 5xx
(docs/web.md "Tests").

An administrator's crawl (every same-site GET link from the home page, as
``test_crawl.py`` walks them) collects every page and every ``<form method="post">``
with its fields and their values as the page filled them in.

* Forms: each is posted with one field at a time set to each hostile value (the rest
  as the page had them), and once with every field hostile. The destructive forms
  (delete, deactivate) go last; sign-out is not posted.
* Queries: every page (one per path shape) is read with each query parameter any link
  uses set to each hostile value.

No answer may be a 5xx or show a traceback.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

import pytest

from .conftest import login

pytestmark = pytest.mark.slow

HOSTILE = ["abc", "²", "9" * 40, "-1e999", "nan", "\x00", " ", "<script>", "１２"]
QUERY_HOSTILE = ["²", "abc", "9" * 40, "-1", "\x00"]
SKIP = re.compile(r"^/(api/|static/|vendor/)|\.(pdf|xlsx|csv|geojson|png|svg|zip)$|/download")
DESTRUCTIVE = re.compile(r"/(delete|deactivate)$")
CAP = 300


class _Page(HTMLParser):
    """Links and POST forms (action, fields with the page's values) of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        elif tag == "form":
            self._fields = {}
            if (a.get("method") or "get").lower() == "post":
                self.forms.append((a.get("action") or "", self._fields))
        elif self._fields is not None and tag in ("input", "select", "textarea"):
            name = a.get("name")
            if name and a.get("type") not in ("submit", "button", "file"):
                self._fields.setdefault(name, a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None


@dataclass
class Crawl:
    pages: set[str] = field(default_factory=set)  # paths with their queries
    forms: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


@pytest.fixture(scope="module")
def crawl(read_app) -> Crawl:
    """The administrator's pages and POST forms (one per action shape, ids as ``N``)."""
    client = read_app.test_client()
    login(client, "admin")
    seen: set[str] = set()
    queue = deque(["/"])
    found: dict[str, tuple[str, dict[str, str]]] = {}
    while queue and len(seen) < CAP:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        resp = client.get(path, follow_redirects=True)
        if "text/html" not in resp.content_type:
            continue
        page = _Page()
        page.feed(resp.get_data(as_text=True))
        for link in page.links:
            url = urlsplit(urldefrag(urljoin(path, link))[0])
            if not url.netloc and not SKIP.search(url.path):
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
        for action, fields in page.forms:
            target = urlsplit(urljoin(path, action or path)).path
            found.setdefault(_shape(target), (target, fields))
    return Crawl(seen, found)


def test_no_form_answers_5xx_to_hostile_values(client, crawl):
    forms = crawl.forms
    assert len(forms) >= 20, sorted(forms)  # the crawl reached the ledger's forms
    assert sum("version" in fields for _, fields in forms.values()) >= 4
    order = sorted(forms, key=lambda k: (bool(DESTRUCTIVE.search(k)), k))
    failures = []
    for shape in order:
        action, fields = forms[shape]
        if shape.endswith("/logout"):
            continue
        posts = [{**fields, name: value} for value in HOSTILE for name in fields]
        posts += [dict.fromkeys(fields, value) for value in HOSTILE]
        for data in posts:
            login(client, "admin")
            resp = client.post(action, data=data)
            if resp.status_code >= 500 or "Traceback" in resp.get_data(as_text=True):
                failures.append((shape, data, resp.status_code))
    assert not failures, failures[:5]


def test_no_page_answers_5xx_to_hostile_query_values(read_app, crawl):
    client = read_app.test_client()
    login(client, "admin")
    names = {k for page in crawl.pages for k, _ in parse_qsl(urlsplit(page).query)}
    assert {"page", "sort", "dir"} <= names, sorted(names)  # the crawl saw the lists
    paths = {_shape(urlsplit(p).path): urlsplit(p).path for p in sorted(crawl.pages)}
    failures = []
    for path in paths.values():
        for name in sorted(names):
            for value in QUERY_HOSTILE:
                resp = client.get(f"{path}?{urlencode({name: value})}")
                if resp.status_code >= 500 or "Traceback" in resp.get_data(as_text=True):
                    failures.append((path, name, value, resp.status_code))
    assert not failures, failures[:5]
