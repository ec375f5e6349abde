"""Marshmallow fields that no JSON body can crash (see ``docs/web.md``, "One schema layer").

JSON lets a client send what Python turns into trouble further down: integers
beyond 64 bits (``OverflowError`` in the database driver or in ``float()``),
lone UTF-16 surrogates such as ``"\\ud800"`` (``UnicodeEncodeError`` when
stored or printed), ``NaN``/``Infinity``, and objects nested thousands deep.
These fields refuse each of them with a message naming the field, and
:func:`read_json` refuses a body nested too deep to parse.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, fields

INT64_MAX = 2**63 - 1
MAX_DEPTH = 32  # nesting of JSON values kept in a device's free-form properties or geometry
# lone surrogates cannot be encoded as UTF-8; NUL cannot be stored in PostgreSQL text or JSON
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class BodyError(ValueError):
    """The request body cannot be parsed; the message reads after the field name ``body``
    (``body is not valid JSON (...)``, as :class:`~web.errors.FieldError` words it)."""


def read_json(raw: bytes | str) -> Any:
    """Parse a request body; :class:`BodyError` for anything that is not JSON.

    Deep nesting (``[[[[...]]]]``) makes :func:`json.loads` recurse past the
    interpreter's limit; that is a bad body, not a server error.
    """
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return json.loads(text)
    except RecursionError:
        raise BodyError("is nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise BodyError(f"is not valid JSON ({exc})") from None


def check_text(value: str) -> str:
    """``value`` unless it holds a lone surrogate (not a character) or NUL: neither can be
    stored (UTF-8; PostgreSQL)."""
    if _UNSTORABLE.search(value):
        raise ValidationError("must be text without NUL or lone surrogates (\\ud800-\\udfff)")
    return value


def check_json_value(value: Any, depth: int = 0) -> Any:
    """A JSON value that can be stored and echoed: finite numbers, 64-bit integers, text."""
    if depth > MAX_DEPTH:
        raise ValidationError(f"is nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, str):
        return check_text(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if abs(value) > INT64_MAX:
            raise ValidationError("holds an integer beyond 64 bits")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError("holds a number that is not finite")
        return value
    if isinstance(value, list):
        return [check_json_value(v, depth + 1) for v in value]
    if isinstance(value, Mapping):
        return {check_text(str(k)): check_json_value(v, depth + 1) for k, v in value.items()}
    raise ValidationError(f"holds a value of type {type(value).__name__}")


class Text(fields.String):
    """A string without lone surrogates, at most ``max_len`` characters."""

    def __init__(self, *, max_len: int = 4000, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {})
        kwargs["metadata"].setdefault("maxLength", max_len)
        super().__init__(**kwargs)
        self.max_len = max_len

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = check_text(super()._deserialize(value, attr, data, **kwargs))
        if len(text) > self.max_len:
            raise ValidationError(f"is longer than {self.max_len} characters")
        return text


class Choice(Text):
    """One of ``choices`` (an enumeration imported from the model)."""

    def __init__(self, choices: tuple[str, ...], **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {})
        kwargs["metadata"]["enum"] = list(choices)
        super().__init__(max_len=64, **kwargs)
        self.choices = tuple(choices)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text not in self.choices:
            raise ValidationError(f"must be one of {', '.join(self.choices)}, got {text!r}")
        return text


class Number(fields.Float):
    """A finite number (JSON number or numeric string; never a boolean)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_nan=False, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> float:
        if isinstance(value, str):
            check_text(value)
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > INT64_MAX:
            raise ValidationError("must be a number (finite), got an integer beyond 64 bits")
        try:
            return float(super()._deserialize(value, attr, data, **kwargs))
        except ValidationError:
            raise ValidationError(f"must be a number (finite), got {_short(value)}") from None


class Version(fields.Integer):
    """The row version an edit is based on: a whole number from 1 to 2⁶³−1."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["metadata"] = {"minimum": 1, "maximum": INT64_MAX, **kwargs.get("metadata", {})}
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= INT64_MAX:
            raise ValidationError(
                f"must be the whole number (1 to 2^63-1) you read, got {_short(value)}"
            )
        return value


class Code(fields.String):
    """A device code: text (an integer is taken as its digits)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= INT64_MAX:
            value = str(value)
        if not isinstance(value, str) or not value.strip() or len(value) > 64:
            raise ValidationError(
                f"must be a non-empty string of at most 64 characters, got {_short(value)}"
            )
        return check_text(value)


class Resolution(fields.Field):
    """Pixels ``[width, height]`` or ``"WIDTHxHEIGHT"``."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[int]:
        from camwatch.errors import UsageError
        from camwatch.model import parse_resolution

        bad = ValidationError(
            f"must be WIDTHxHEIGHT or [width, height] in pixels, got {_short(value)}"
        )
        if isinstance(value, str):
            check_text(value)
        elif not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise bad
        try:
            pair = parse_resolution(value if isinstance(value, str) else list(value))
        except UsageError:
            raise bad from None
        if max(pair) > 100_000:
            raise bad
        return list(pair)


class JSONObject(fields.Dict):
    """A JSON object kept as given, checked by :func:`check_json_value`."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise ValidationError("must be an object")
        return dict(check_json_value(value))


def _short(value: Any) -> str:
    """A repr that is safe to print and short (messages are one line)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > INT64_MAX:
        return "an integer beyond 64 bits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Flag(fields.Boolean):
    """``true`` or ``false`` (JSON booleans only: no ``"yes"`` or ``1``)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(f"must be true or false, got {_short(value)}")
        return value


class PerLevel(fields.Field):
    """A per-level site member (docs/site-format.md §4): ``{level: number}`` — or, with
    ``scalar``, one number for every level — each checked by ``prop`` (docs/ranges.md)."""

    def __init__(self, prop: Any, *, scalar: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.prop = prop
        self.scalar = scalar

    def _check(self, value: Any, where: str) -> float:
        from camwatch.errors import ValueRangeError

        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > INT64_MAX:
            value = float("inf")  # out of every range, reported as such
        try:
            return float(self.prop.check(value))
        except ValueRangeError as exc:
            raise ValidationError(f"{where}{exc}".replace(f"{self.prop.name} ", "", 1)) from None

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if self.scalar and not isinstance(value, Mapping):
            return self._check(value, "")
        if not isinstance(value, Mapping):
            need = "a number or an object" if self.scalar else "an object"
            raise ValidationError(f"must be {need} of level -> number, got {_short(value)}")
        out: dict[str, float] = {}
        for level, number in value.items():
            # which level names exist is the site loader's to say (they follow the site's ladder)
            out[check_text(level)] = self._check(number, f"{_short(level)}: ")
        return out
