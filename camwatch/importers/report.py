"""What an import read, wrote and ignored, worded in the reader's language (docs/importers.md).

The DXF converter fills a :class:`Report`; ``camwatch import-dxf`` prints
:meth:`Report.lines` on stderr in ``--lang``. The reasons, notes and warnings
are :class:`~camwatch.i18n.Said` values: the English text (what the web's draft page sends as
JSON, unchanged) that also carries its catalogue message, so the CLI words it
in Chinese. A DXF entity type (``LWPOLYLINE``) and a layer name are the
drawing's own words and are kept as they are.

>>> from camwatch.i18n import Said
>>> r = Report()
>>> r.layer("A", "building").read["LWPOLYLINE"] += 2
>>> r.layer("A").written["building"] += 1
>>> r.notes.append(Said(msg("moved to a local origin: offset (%(x)s, %(y)s) m in site.crs",
...                         x="5", y="7")))
>>> r.lines("en")
["layer 'A' → building: read 2 LWPOLYLINE; wrote 1 building", 'note: moved to a local origin: offset (5, 7) m in site.crs']
>>> r.lines("zh")[0]
"图层 'A' → 建筑：读取 2 个 LWPOLYLINE；写入 1 个建筑"
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from camwatch.errors import kind_word
from camwatch.i18n import Message, msg, term_msg

# Layer kinds that are no feature kind (docs/importers.md), and a boundary's enclave.
_WORDS: dict[str, Message] = {
    "label": term_msg("layer", "label"),
    "ignore": term_msg("layer", "ignore"),
    "door": term_msg("layer", "door"),
    "boundary hole": msg("boundary hole"),
}


def _kind(kind: str) -> Message | str:
    return _WORDS.get(kind) or kind_word(kind)


@dataclass
class LayerReport:
    """Per layer: its kind, entities read, features written and what was ignored and why."""

    kind: str | None
    read: Counter[str] = field(default_factory=Counter)
    written: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)

    def line(self, name: str) -> Message:
        """``layer 'X' → kind: read ...; wrote ...; ignored ...`` as one message."""
        read: Message | list[Message] = [
            msg("%(n)s %(what)s", n=n, what=t) for t, n in sorted(self.read.items())
        ] or msg("nothing")
        kind = _kind(self.kind) if self.kind else msg("not mapped")
        line = msg("layer %(layer)s → %(kind)s: read %(read)s", layer=repr(name), kind=kind,
                   read=read)  # fmt: skip
        if self.written:
            written = [
                msg("%(n)s %(kind)s", n=n, kind=_kind(k)) for k, n in sorted(self.written.items())
            ]
            line = msg("%(line)s; wrote %(written)s", line=line, written=written)
        for i, (why, n) in enumerate(self.ignored.items()):
            one = msg("%(n)s %(what)s", n=n, what=why)
            line = (
                msg("%(line)s; ignored %(ignored)s", line=line, ignored=one)
                if i == 0
                else msg("%(text)s; %(more)s", text=line, more=one)
            )
        return line


@dataclass
class Report:
    """Every layer's :class:`LayerReport`, then notes and warnings (:class:`Said` each)."""

    layers: dict[str, LayerReport] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def layer(self, name: str, kind: str | None = None) -> LayerReport:
        return self.layers.setdefault(name, LayerReport(kind))

    def messages(self) -> list[Message]:
        """The report as messages (one per layer, then notes and warnings)."""
        out = [lr.line(name) for name, lr in sorted(self.layers.items())]
        out += [msg("note: %(text)s", text=n) for n in self.notes]
        out += [msg("warning: %(text)s", text=w) for w in self.warnings]
        return out

    def lines(self, lang: str | None = None) -> list[str]:
        """The report as text lines in ``lang`` (default: the current language)."""
        return [m.render(lang) for m in self.messages()]
