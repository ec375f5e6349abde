"""One error tree for camwatch.

::

    CamwatchError                 anything camwatch reports to a person (CLI exit 2, HTTP 4xx)
    ├── SiteFormatError           a site file or site feature breaks docs/site-format.md §1–2
    │   └── ValueRangeError       a numeric property outside its range (docs/ranges.md)
    ├── UsageError                bad option or argument value (CLI flags, API parameters)
    ├── NotFoundError             a compound, device, problem... that does not exist
    ├── StaleEditError            optimistic-locking conflict: the row changed since it was read
    └── PlanningError             a planner cannot do what was asked (e.g. target unreachable)

Messages are one line and name the offender, e.g.
``feature #7 (camera 'C3'): hfov_deg must be in (0, 360], got 0``.

A message may be a :class:`~camwatch.i18n.Message` (key + parameters from the
one catalogue): ``str(error)`` then words it in the current language
(:func:`camwatch.i18n.current_language`: the page's during a web request, the
CLI's ``--lang``, else English), and :meth:`CamwatchError.text` in any
language. The English wording is the key itself, so English output is the
same as it always was.
"""

from __future__ import annotations

from typing import Any

from camwatch.i18n import Message, msg, term_msg

# Feature kinds as a reader sees them (docs/site-format.md §2), context "feature".
KIND_WORDS: dict[str, Message] = {
    "boundary": term_msg("feature", "boundary"),
    "building": term_msg("feature", "building"),
    "obstacle": term_msg("feature", "obstacle"),
    "wall": term_msg("feature", "wall"),
    "zone": term_msg("feature", "zone"),
    "gate": term_msg("feature", "gate"),
    "alarm": term_msg("feature", "alarm"),
    "mount": term_msg("feature", "mount"),
    "camera": term_msg("feature", "camera"),
    "intercom": term_msg("feature", "intercom"),
}


def kind_word(kind: str) -> Message | str:
    """A feature kind to word in the reader's language (unknown kinds as given)."""
    return KIND_WORDS.get(kind, kind)


def named(kind: str, ident: str | None) -> Message | str:
    """``camera 'C3'`` (or just ``camera``) in the reader's language."""
    if ident is None:
        return kind_word(kind)
    return msg("%(kind)s '%(ident)s'", kind=kind_word(kind), ident=short(ident))


def short(name: str, limit: int = 40) -> str:
    """A name for a one-line message: control characters escaped, cut to ``limit``."""
    if not name.isprintable():
        name = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in name)
    return name if len(name) <= limit else name[: limit - 3] + "..."


class CamwatchError(Exception):
    """Base of every error camwatch reports to a person instead of a traceback.

    ``message`` may be text or a :class:`~camwatch.i18n.Message`; ``str()`` words
    it in the current language.
    """

    def __init__(self, message: Any = "", *args: Any) -> None:
        self.words: Message | str = message if isinstance(message, Message) else str(message)
        english = message.render("en") if isinstance(message, Message) else message
        super().__init__(english, *args)

    def text(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the current language)."""
        words = self.words
        return words.render(lang) if isinstance(words, Message) else words

    def __str__(self) -> str:
        return self.text()


class SiteFormatError(CamwatchError):
    """A site file or feature is invalid; carries the feature index and id/name."""

    def __init__(
        self,
        message: str | Message,
        *,
        index: int | None = None,
        kind: str | None = None,
        ident: str | None = None,
    ) -> None:
        self.index = index
        self.kind = kind
        self.ident = ident
        self.detail_msg: Message | str = message  # the detail, to word in any language
        super().__init__(self._format())

    @property
    def detail(self) -> str:
        """The detail (without the feature) in the current language."""
        d = self.detail_msg
        return d.render() if isinstance(d, Message) else d

    def _format(self) -> Message | str:
        if self.index is None:
            return self.detail_msg
        if self.kind:
            who = msg(
                "feature #%(index)s (%(what)s)",
                index=self.index,
                what=named(self.kind, self.ident),
            )
        else:
            who = msg("feature #%(index)s", index=self.index)
        return msg("%(who)s: %(detail)s", who=who, detail=self.detail_msg)


class ValueRangeError(SiteFormatError):
    """A numeric value outside its physically sensible range (see ``docs/ranges.md``).

    Carries the property, the range and the value as text (``prop``,
    ``range_text``, ``value``) so a reader can word it in their own language,
    and ``where`` (e.g. ``"line 7: camera 'C9'"``) when it names a device.
    """

    def __init__(
        self,
        message: str | Message,
        *,
        prop: str,
        range_text: str,
        value: str,
        index: int | None = None,
        kind: str | None = None,
        ident: str | None = None,
        where: str | Message | None = None,
    ) -> None:
        self.prop = prop
        self.range_text = range_text
        self.value = value
        self.where = where
        self.message = message
        text = msg("%(who)s: %(detail)s", who=where, detail=message) if where else message
        super().__init__(text, index=index, kind=kind, ident=ident)

    def located(
        self,
        *,
        index: int | None = None,
        kind: str | None = None,
        ident: str | None = None,
        where: str | Message | None = None,
    ) -> ValueRangeError:
        """The same error about a given feature (index, kind, id) or named by ``where``."""
        return ValueRangeError(
            self.message,
            prop=self.prop,
            range_text=self.range_text,
            value=self.value,
            index=index,
            kind=kind,
            ident=ident,
            where=where,
        )


class UsageError(CamwatchError):
    """An option or argument has a bad value."""


class NotFoundError(CamwatchError):
    """The named record does not exist."""


class StaleEditError(CamwatchError):
    """Someone else changed the record since it was read; nothing was overwritten."""


class PlanningError(CamwatchError):
    """A planner cannot satisfy the request; the message says why."""
