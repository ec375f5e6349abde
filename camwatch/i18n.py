"""One message catalogue for every layer: messages as a key and parameters, worded late.

camwatch speaks English and Chinese (``LANGS``). Every sentence a person
reads — a site-file error, a planner's reason, a plan picture's legend, a
stored problem's description, a web page — is written once, in English, in
the code, and translated once, in the catalogue
``camwatch/translations/zh/LC_MESSAGES/messages.po`` (its compiled ``.mo``
is committed beside it). The web's Flask-Babel reads the same catalogue
(``web/config.py``), so a string shared by the web and the core has one
translation. ``python -m web.i18n`` extracts from ``camwatch/``,
``planners/`` and ``web/`` (docs/web.md, "Languages").

The core cannot know who reads: it builds a :class:`Message` — the English
text as key, ``%(name)s`` placeholders, and the parameters — and the reader
words it with :meth:`Message.render`. ``str(message)`` renders it in the
*current language*: the page language during a web request (the web
registers it with :func:`set_language_source`), else the language chosen with
:func:`use_language` (the CLI's ``--lang``), else English — so the English
output of every command is the key itself, unchanged.

A message is stored as ``{"key": ..., "params": {...}}`` (:meth:`Message.to_json`),
never as worded text, and read back with :meth:`Message.from_json`.

>>> m = msg("%(who)s: %(detail)s", who=term_msg("plan", "camera"), detail="C1")
>>> m.render("en"), m.render("zh")
('camera: C1', '摄像机：C1')
>>> Message.from_json(m.to_json()) == m
True
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "en"  # the language of the keys (and of the CLI when the locale says nothing)
CATALOGUE = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"

_chosen: contextvars.ContextVar[str | None] = contextvars.ContextVar("camwatch_lang", default=None)
_source: Callable[[], str | None] | None = None


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of ``lang`` (English and unknown languages: the keys as they are)."""
    if lang not in LANGS or lang == DEFAULT_LANG:
        return NullTranslations()
    return Translations.load(str(CATALOGUE), [lang], DOMAIN)


def normalize(lang: str | None) -> str | None:
    """``zh``/``en`` from a language tag or locale name (``zh_CN.UTF-8`` -> ``zh``), else None.

    >>> normalize("zh_CN.UTF-8"), normalize("en-GB"), normalize("C"), normalize(None)
    ('zh', 'en', None, None)
    """
    if not lang:
        return None
    base = lang.replace("-", "_").split(".")[0].split("_")[0].lower()
    return base if base in LANGS else None


def set_language_source(source: Callable[[], str | None] | None) -> None:
    """Register where the current language comes from first (the web: the request's locale).

    ``source`` returns None when it has nothing to say (e.g. outside a request).
    """
    global _source
    _source = source


def current_language() -> str:
    """The reader's language now: the registered source, else :func:`use_language`, else English."""
    if _source is not None:
        found = normalize(_source())
        if found:
            return found
    return _chosen.get() or DEFAULT_LANG


@contextmanager
def use_language(lang: str | None) -> Iterator[str]:
    """Word messages in ``lang`` inside the ``with`` block (unknown or None: English)."""
    chosen = normalize(lang) or DEFAULT_LANG
    token = _chosen.set(chosen)
    try:
        yield chosen
    finally:
        _chosen.reset(token)


def gettext(text: str, lang: str | None = None) -> str:
    """``text`` translated into ``lang`` (default: the current language)."""
    return translations(lang or current_language()).ugettext(text)


def pgettext(context: str, text: str, lang: str | None = None) -> str:
    """``text`` in its ``context`` translated into ``lang`` (default: the current language)."""
    return translations(lang or current_language()).upgettext(context, text)


@dataclass(frozen=True)
class Bilingual:
    """Words their source gives in both languages (a standards rule's finding and fix),
    not from the catalogue: a message parameter shown as ``zh`` to Chinese readers,
    ``en`` to everyone else (stored as ``{"$both": {"zh", "en"}}``).

    >>> m = msg("[%(rule)s] %(what)s", rule="R1", what=Bilingual("无门禁", "no access control"))
    >>> m.render("en"), Message.from_json(m.to_json()).render("zh")
    ('[R1] no access control', '[R1] 无门禁')
    """

    zh: str
    en: str

    def text(self, lang: str | None) -> str:
        if (normalize(lang) or current_language()) == "zh":
            return self.zh or self.en
        return self.en or self.zh


def _render_param(value: Any, lang: str) -> Any:
    if isinstance(value, Message):
        return value.render(lang)
    if isinstance(value, Bilingual):
        return value.text(lang)
    if isinstance(value, Said):
        return value.text(lang)
    if isinstance(value, list | tuple):
        sep = "、" if lang == "zh" else ", "
        return sep.join(str(_render_param(v, lang)) for v in value)
    return value


@dataclass(frozen=True)
class Message:
    """A sentence not yet worded: its English ``key`` (``%(name)s`` placeholders) and parameters.

    Parameters may themselves be messages (worded in the same language) or
    lists of them (joined with ", " / "、"). ``context`` separates one English
    word used in two senses (``pgettext``).
    """

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    context: str | None = None

    def render(self, lang: str | None = None) -> str:
        """The sentence in ``lang`` (default: :func:`current_language`)."""
        lang = normalize(lang) or current_language()
        cat = translations(lang)
        text = cat.upgettext(self.context, self.key) if self.context else cat.ugettext(self.key)
        if not self.params:
            return text
        values = {k: _render_param(v, lang) for k, v in self.params.items()}
        try:
            return text % values
        except (KeyError, ValueError, TypeError):  # a damaged translation: fall back to the key
            return self.key % {k: _render_param(v, DEFAULT_LANG) for k, v in self.params.items()}

    def __str__(self) -> str:
        return self.render()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash((self.key, self.context))

    def to_json(self) -> dict[str, Any]:
        """The stored form: ``{"key", "params"[, "context"]}``, params as JSON values."""
        out: dict[str, Any] = {
            "key": self.key,
            "params": {k: _jsonable(v) for k, v in self.params.items()},
        }
        if self.context:
            out["context"] = self.context
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        """A message from :meth:`to_json`'s form (nested messages included)."""
        params = {k: _from_jsonable(v) for k, v in (data.get("params") or {}).items()}
        return cls(str(data["key"]), params, data.get("context"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Message):
        return {"$msg": value.to_json()}
    if isinstance(value, Bilingual):
        return {"$both": {"zh": value.zh, "en": value.en}}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # e.g. an exception quoted in a message: its words now


def _from_jsonable(value: Any) -> Any:
    if isinstance(value, Mapping) and "$msg" in value:
        return Message.from_json(value["$msg"])
    if isinstance(value, Mapping) and "$both" in value:
        return Bilingual(str(value["$both"].get("zh", "")), str(value["$both"].get("en", "")))
    if isinstance(value, list):
        return [_from_jsonable(v) for v in value]
    return value


def msg(key: str, /, **params: Any) -> Message:
    """A message to word later (``python -m web.i18n`` extracts the ``msg("...")`` keys)."""
    return Message(key, params)


def term_msg(context: str, key: str) -> Message:
    """A word in a ``context`` (e.g. ``"plan"``), for words with several senses."""
    return Message(key, {}, context)


def text_of(value: Message | str | Mapping[str, Any] | None, lang: str | None = None) -> str:
    """Anything that says something, worded in ``lang``: a message, its stored form, or text.

    Plain text (e.g. a description typed by a person, or stored before messages
    were) is shown as it is; a :class:`Said` is worded.
    """
    if value is None:
        return ""
    if isinstance(value, Message):
        return value.render(lang)
    if isinstance(value, Said):
        return value.text(lang)
    if isinstance(value, Mapping) and "key" in value:
        return Message.from_json(value).render(lang)
    return str(value)


class Said(str):
    """English text that remembers the catalogue message it came from (``words``).

    It is a ``str`` (equal to, hashed and serialised as its English), so code
    that stores or sends the English (JSON, remarks, reports) keeps working;
    :meth:`text` words it for a reader.

    >>> s = Said(msg("no candidate adds coverage"))
    >>> s == "no candidate adds coverage", s.text("zh") != s
    (True, True)
    >>> import pickle
    >>> pickle.loads(pickle.dumps(s)).text("zh") == s.text("zh")
    True
    """

    words: Message

    def __new__(cls, words: Message) -> Said:
        self = super().__new__(cls, words.render("en"))
        self.words = words
        return self

    def text(self, lang: str | None = None) -> str:
        """The sentence in ``lang`` (default: the current language)."""
        return self.words.render(lang)

    def __reduce__(self) -> tuple[type[Said], tuple[Message]]:
        # pickled with its message (a plan crosses from the planner's child process)
        return (Said, (self.words,))
