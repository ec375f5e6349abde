"""Command-line helpers every command module may import (core, registry commands, planners).

It sits just above :mod:`camwatch.errors` and imports nothing else of the
project but the message catalogue (:mod:`camwatch.i18n`), so the ledger's
commands and the planners' commands share JSON output and error handling
without importing :mod:`camwatch.cli` (which finds them through entry points,
never by name). :func:`worded_usage_error` words click's own usage errors
(unknown command or option, missing or bad value) in ``camwatch --lang``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import click

from camwatch.i18n import Message, msg, term_msg

# A row id as a command's argument: a 64-bit integer in every database (a larger one
# cannot name a row, and the database driver would refuse it with a traceback).
ROW_ID = click.IntRange(1, 2**63 - 1)
# Days to a deadline: up to a hundred years ahead (the calendar ends in 9999).
DEADLINE_DAYS = click.IntRange(0, 36_500)


class InputError(click.ClickException):
    """A CamwatchError on its way out of the CLI: one line on stderr, exit code 2.

    ``message`` is already worded; ``lang`` words the ``error:`` before it
    (``错误：`` in Chinese; None: the current language when it is shown).
    """

    exit_code = 2

    def __init__(self, message: str, lang: str | None = None) -> None:
        super().__init__(message)
        self.lang = lang

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        line = msg("error: %(message)s", message=self.format_message()).render(self.lang)
        click.echo(line, err=True)


class BadValue(click.BadParameter):
    """A bad option value our own code finds (e.g. a parameter type's ``convert``): click's
    ``Invalid value for '--x': ...`` line, its detail a catalogue message worded in --lang."""

    def __init__(
        self,
        words: Message,
        ctx: click.Context | None = None,
        param: click.Parameter | None = None,
    ) -> None:
        super().__init__(words.render("en"), ctx, param)
        self.words = words


def echo_json(obj: object) -> None:
    """Print one JSON object on stdout (UTF-8, Chinese kept readable)."""
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


# click words its own usage errors (bad option, missing argument, unknown command) in English
# through gettext's global domain; the common ones are re-worded here from the exception's
# fields and the catalogue, so ``camwatch --lang zh`` reports them in Chinese. Decision: a
# sentence click words that is not in this table stays English (the frame around it is worded).
_CLICK_DETAILS: tuple[tuple[re.Pattern[str], Callable[[dict[str, Any]], Message]], ...] = (
    (
        re.compile(r"No such command (?P<name>.+)\."),
        lambda g: msg("No such command %(name)s.", name=g["name"]),
    ),
    (
        re.compile(r"No such option (?P<name>.+)\."),
        lambda g: msg("No such option %(name)s.", name=g["name"]),
    ),
    (re.compile(r"Missing command\."), lambda g: msg("Missing command.")),
    (
        re.compile(r"Got unexpected extra arguments? \((?P<args>.*)\)"),
        lambda g: msg("Got unexpected extra arguments (%(args)s)", args=g["args"]),
    ),
    (
        re.compile(r"Option (?P<name>.+) requires an argument\."),
        lambda g: msg("Option %(name)s requires an argument.", name=g["name"]),
    ),
    (
        re.compile(r"Option (?P<name>.+) does not take a value\."),
        lambda g: msg("Option %(name)s does not take a value.", name=g["name"]),
    ),
    (
        re.compile(r"(?P<value>.+) is not one of (?P<choices>.+)\.", re.S),
        lambda g: msg("%(value)s is not one of %(choices)s.", **g),
    ),
    (
        re.compile(r"(?P<value>.+) is not (?P<choices>'.*')\.", re.S),
        lambda g: msg("%(value)s is not one of %(choices)s.", **g),
    ),
    (
        re.compile(r"(?P<value>.+) is not a valid integer(?: range)?\.", re.S),
        lambda g: msg("%(value)s is not a valid integer.", value=g["value"]),
    ),
    (
        re.compile(r"(?P<value>.+) is not a valid float(?: range)?\.", re.S),
        lambda g: msg("%(value)s is not a valid number.", value=g["value"]),
    ),
    (
        re.compile(r"(?P<value>.+) is not in the range (?P<range>.+)\.", re.S),
        lambda g: msg("%(value)s is not in the range %(range)s.", **g),
    ),
)


def _click_detail(text: str) -> Message | str:
    """One of click's English detail sentences as a catalogue message (others as they are)."""
    for pattern, words in _CLICK_DETAILS:
        found = pattern.fullmatch(text)
        if found is not None:
            return words(found.groupdict())
    return text


def _param_hint(exc: click.BadParameter) -> str | None:
    """The parameter an error is about, as click names it (``'--lang'``)."""
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx)
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint


_PARAM_WORDS: dict[str, Message] = {  # click's param_type_name, as the reader says it
    "option": term_msg("cli", "option"),
    "argument": term_msg("cli", "argument"),
    "parameter": term_msg("cli", "parameter"),
}
# click >= 8.2 shows a group's help as a usage error when no sub-command is given: left as is
_HELP_ERRORS: tuple[type[Exception], ...] = tuple(
    c for c in (getattr(click.exceptions, "NoArgsIsHelpError", None),) if c is not None
)


def usage_error_text(exc: click.UsageError, lang: str) -> str:
    """Click's usage error ``exc`` (the line after ``Error:``) worded in ``lang``."""
    words: Message | str
    if isinstance(exc, click.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param else "parameter")
        what = _PARAM_WORDS.get(kind, _PARAM_WORDS["parameter"])
        words = msg("Missing %(what)s %(hint)s.", what=what, hint=_param_hint(exc) or "")
        extra: list[Message | str] = [exc.message] if exc.message else []
        if exc.param is not None and isinstance(exc.param.type, click.Choice):
            extra.append(
                msg("Choose from: %(choices)s", choices=[str(c) for c in exc.param.type.choices])
            )
        for part in extra:
            words = msg("%(text)s %(more)s", text=words, more=part)
    elif isinstance(exc, click.BadParameter):
        hint = _param_hint(exc)
        detail = exc.words if isinstance(exc, BadValue) else _click_detail(exc.message)
        words = (
            msg("Invalid value for %(hint)s: %(detail)s", hint=hint, detail=detail)
            if hint
            else msg("Invalid value: %(detail)s", detail=detail)
        )
    else:
        words = _click_detail(exc.message)
    possible = sorted(getattr(exc, "possibilities", None) or [])
    if possible:
        names = ", ".join(repr(p) for p in possible)
        more = (
            msg("Did you mean %(name)s?", name=names)
            if len(possible) == 1
            else msg("(Did you mean one of: %(names)s?)", names=names)
        )
        words = msg("%(text)s %(more)s", text=words, more=more)
    return words.render(lang) if isinstance(words, Message) else words


class WordedUsageError(click.UsageError):
    """One of click's usage errors worded in ``lang``: click's layout, exit code 2."""

    def __init__(self, original: click.UsageError, lang: str) -> None:
        super().__init__(original.message, original.ctx)
        self.original = original
        self.lang = lang

    def format_message(self) -> str:
        return usage_error_text(self.original, self.lang)

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        ctx, lang = self.ctx, self.lang
        color = ctx.color if ctx is not None else None
        if ctx is not None:
            usage = ctx.get_usage()
            if usage.startswith("Usage:"):
                rest = usage[len("Usage:") :]  # "Usage: camwatch ..." -> "用法：camwatch ..."
                usage = msg("Usage:").render(lang) + (rest[1:] if rest[:1] == " " else rest)
            hint = ""
            if ctx.command.get_help_option(ctx) is not None:
                option = max(ctx.command.get_help_option_names(ctx), key=len)
                hint = msg(
                    "Try '%(command)s %(option)s' for help.",
                    command=ctx.command_path,
                    option=option,
                ).render(lang)
                hint += "\n"
            click.echo(f"{usage}\n{hint}", file=file, err=file is None, color=color)
        text = msg("Error: %(message)s", message=self.format_message()).render(lang)
        click.echo(text, file=file, err=file is None, color=color)


def worded_usage_error(exc: click.UsageError, lang: str) -> click.UsageError:
    """``exc`` worded in ``lang`` (English, help pages and already worded errors: as they are)."""
    if lang == "en" or isinstance(exc, (WordedUsageError, *_HELP_ERRORS)):
        return exc
    return WordedUsageError(exc, lang)
