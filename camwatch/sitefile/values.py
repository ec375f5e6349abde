"""Checked reading of single values from a site file (docs/site-format.md §1; geometries in
:mod:`camwatch.sitefile.shapes`).

The helpers here are the vocabulary of :mod:`camwatch.sitefile.features`: each
reads one property, checks it strictly (no silent coercion: a
number given as a string is an error) and raises :class:`SiteFormatError`
through a :class:`Ctx`, which knows which feature the value belongs to so the
message names it: ``feature #7 (camera 'C3'): hfov_deg must be in (0, 360], got 0``.

A property that is absent or JSON ``null`` takes its default.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, overload

from camwatch.errors import SiteFormatError, ValueRangeError, named
from camwatch.i18n import Message, msg
from camwatch.properties import Property, show

# Limits on any value a site file carries, interpreted or kept (docs/ranges.md):
MAX_DEPTH = 32  # nesting of lists and objects below a feature or top-level member
MAX_INTEGER = 2**63  # an integer must fit 64 bits (JSON readers and databases round beyond)


@dataclass
class Ctx:
    """The feature an error is about: index in ``features`` (0-based), kind, id or name."""

    index: int | None = None
    kind: str | None = None
    ident: str | None = None

    def error(self, message: str | Message) -> SiteFormatError:
        if self.index is None and self.kind:  # a lone feature (e.g. from the registry)
            message = msg("%(who)s: %(detail)s", who=named(self.kind, self.ident), detail=message)
        return SiteFormatError(message, index=self.index, kind=self.kind, ident=self.ident)

    def located(self, exc: ValueRangeError) -> ValueRangeError:
        """A range error from :mod:`camwatch.properties`, about this feature."""
        if self.index is None and self.kind:
            who = named(self.kind, self.ident)
            return exc.located(kind=self.kind, ident=self.ident, where=who)
        return exc.located(index=self.index, kind=self.kind, ident=self.ident)


# -- any value: depth, text, integers -----------------------------------------------


def bad_text(text: str) -> str | None:
    """Why ``text`` cannot be stored as it is, or None: a lone surrogate (not Unicode, cannot
    be written as UTF-8) or a NUL character (PostgreSQL text and JSON refuse it)."""
    if "\x00" in text:
        return "contains a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode (lone surrogate)"
    return None


def check_tree(ctx: Ctx, value: Any, where: str) -> None:
    """Every value below ``value`` is writable JSON: at most MAX_DEPTH deep, text valid
    Unicode, integers within 64 bits, numbers finite. Iterative (no recursion limit).

    Notes: a tree of plain ``dict``/``list``/scalars that passes is recognised by a quick
    walk without paths (:func:`_all_writable`); anything else, and every failure, is
    walked again path by path (:func:`_walk_tree`), which words the error."""
    if _all_writable((value,), 0):
        return
    _walk_tree(ctx, value, where)


def _text_ok(text: str) -> bool:
    """``bad_text(text) is None``, without the encoding attempt for ASCII text."""
    return "\x00" not in text and (text.isascii() or bad_text(text) is None)


def _all_writable(values: Iterable[Any], depth: int) -> bool:
    """Whether :func:`_walk_tree` passes on each of ``values`` (found at ``depth``); True only
    for plain JSON types (``dict``, ``list``, ``str``, ``int``, ``float``, ``bool``, None),
    False for anything the walk must look at (subclasses, tuples, any failure)."""
    for item in values:
        kind = type(item)
        if kind is float:
            if not math.isfinite(item):
                return False
        elif kind is str:
            if not (item.isascii() and "\x00" not in item) and not _text_ok(item):
                return False
        elif kind is int:
            if not -MAX_INTEGER < item < MAX_INTEGER:
                return False
        elif kind is dict:
            if depth >= MAX_DEPTH:
                return False
            for key in item:
                if type(key) is not str:
                    return False
                if not (key.isascii() and "\x00" not in key) and not _text_ok(key):
                    return False
            if not _all_writable(item.values(), depth + 1):
                return False
        elif kind is list:
            if depth >= MAX_DEPTH or not _all_writable(item, depth + 1):
                return False
        elif kind is not bool and item is not None:
            return False
    return True


def _walk_tree(ctx: Ctx, value: Any, where: str) -> None:
    """:func:`check_tree`'s walk, path by path: raises on the first value at fault."""
    stack: list[tuple[Any, str, int]] = [(value, where, 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            why = bad_text(item)
            if why:
                raise ctx.error(
                    msg("%(path)s: text %(item)s %(why)s", path=path, item=show(item), why=why)
                )
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if abs(item) >= MAX_INTEGER:
                raise ctx.error(
                    msg(
                        "%(path)s: integer %(item)s does not fit 64 bits",
                        path=path,
                        item=show(item),
                    )
                )
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise ctx.error(
                    msg("%(path)s: number %(item)s is not finite", path=path, item=show(item))
                )
        elif isinstance(item, Mapping | list | tuple):
            if depth >= MAX_DEPTH:
                raise ctx.error(
                    msg(
                        "%(path)s: nested more than %(MAX_DEPTH)s levels deep",
                        path=path,
                        MAX_DEPTH=MAX_DEPTH,
                    )
                )
            pairs = item.items() if isinstance(item, Mapping) else enumerate(item)
            for key, child in pairs:
                if isinstance(item, Mapping) and (not isinstance(key, str) or bad_text(key)):
                    raise ctx.error(
                        msg("%(path)s: key %(key)s is not valid text", path=path, key=show(key))
                    )
                child_path = f"{path}.{key}" if isinstance(item, Mapping) else f"{path}[{key}]"
                stack.append((child, child_path, depth + 1))
        else:
            raise ctx.error(
                msg(
                    "%(path)s: %(type_name)s is not a JSON value",
                    path=path,
                    type_name=type(item).__name__,
                )
            )


# -- numbers -------------------------------------------------------------------


@overload
def get_property(ctx: Ctx, props: Mapping[str, Any], prop: Property, default: float) -> float: ...
@overload
def get_property(
    ctx: Ctx, props: Mapping[str, Any], prop: Property, default: None
) -> float | None: ...
def get_property(
    ctx: Ctx, props: Mapping[str, Any], prop: Property, default: float | None
) -> float | None:
    """A numeric property checked against its range (:mod:`camwatch.properties`), or the default."""
    value = props.get(prop.name)
    if value is None:
        return default
    try:
        return prop.check(value)
    except ValueRangeError as exc:
        raise ctx.located(exc) from None


# -- text, ids, flags, enumerations ----------------------------------------------


def get_text(ctx: Ctx, props: Mapping[str, Any], key: str) -> str | None:
    """An optional string property."""
    value = props.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ctx.error(msg("%(key)s must be a string, got %(value)s", key=key, value=show(value)))


def get_ident(ctx: Ctx, props: Mapping[str, Any], key: str, *, required: bool) -> str | None:
    """An id: a non-empty string or an integer (kept as its decimal string)."""
    value = props.get(key)
    if value is None:
        if required:
            raise ctx.error(msg("%(key)s is required", key=key))
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) >= MAX_INTEGER:
            raise ctx.error(
                msg(
                    "%(key)s must be a string or a 64-bit integer, got %(value)s",
                    key=key,
                    value=show(value),
                )
            )
        return str(value)
    if not isinstance(value, str):
        raise ctx.error(
            msg("%(key)s must be a string or an integer, got %(value)s", key=key, value=show(value))
        )
    if not value.strip():
        raise ctx.error(msg("%(key)s must not be empty", key=key))
    return value


def get_bool(ctx: Ctx, props: Mapping[str, Any], key: str, default: bool) -> bool:
    value = props.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ctx.error(
            msg("%(key)s must be true or false, got %(value)s", key=key, value=show(value))
        )
    return value


def get_count(ctx: Ctx, props: Mapping[str, Any], key: str, default: int | None) -> int | None:
    """A whole number >= 1 (lanes, households), or ``default`` when absent or null."""
    value = props.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ctx.error(
            msg("%(key)s must be a whole number >= 1, got %(value)s", key=key, value=show(value))
        )
    return value


def get_enum(
    ctx: Ctx,
    props: Mapping[str, Any],
    key: str,
    allowed: Collection[str],
    default: str | None,
) -> str:
    """One of ``allowed``; an unknown value is an error, never replaced by the default."""
    value = props.get(key)
    if value is None:
        if default is None:
            raise ctx.error(
                msg("%(key)s is required (one of: %(names)s)", key=key, names=", ".join(allowed))
            )
        return default
    if not isinstance(value, str) or value not in allowed:
        raise ctx.error(
            msg(
                "unknown %(key)s %(value)s (expected one of: %(names)s)",
                key=key,
                value=show(value),
                names=", ".join(allowed),
            )
        )
    return value
