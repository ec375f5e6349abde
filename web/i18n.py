"""Languages: which one a request gets, and refreshing the message catalogue.

Locale choice, first that applies: the signed-in user's language (saved in
the ledger), the language picked with the switcher (kept in the session), the
browser's ``Accept-Language``, else Chinese (``zh``), the programme's language.
During a request the core's messages (:mod:`camwatch.i18n`: site-file errors,
planners' reasons, problem descriptions) are worded in that language too.

Strings are written in English in the code and templates and translated to
Chinese in the one catalogue of camwatch,
``camwatch/translations/zh/LC_MESSAGES/messages.po``, extracted from
``camwatch/``, ``planners/`` and ``web/``; the compiled ``messages.mo`` is
committed beside it, so nothing needs compiling at install. After changing
strings, refresh both with::

    .venv/bin/python -m web.i18n          # extract -> update .po -> compile .mo
    .venv/bin/python -m web.i18n --check  # exit 1 if a string lacks a translation

(this uses Babel's own extract/update/compile, which Flask-Babel brings).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations

from camwatch.i18n import CATALOGUE, set_language_source

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCES = ("camwatch", "planners", "web")  # folders under ROOT the catalogue is extracted from
TRANSLATIONS = CATALOGUE
POT = TRANSLATIONS / "messages.pot"
KEYWORDS: dict[str, Any] = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "msg": None,  # camwatch.i18n.msg("... %(x)s ...", x=...)
    "term_msg": ((1, "c"), 2),  # camwatch.i18n.term_msg(context, word)
    "pgettext": ((1, "c"), 2),
}


def select_locale() -> str:
    """The language of this request (see the module docstring)."""
    languages = current_app.config["LANGUAGES"]
    user = g.get("user")
    if user is not None and user.language in languages:
        return user.language
    chosen = session.get("lang")
    if isinstance(chosen, str) and chosen in languages:
        return chosen
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def request_language() -> str | None:
    """The page language during a request (None outside one), for :mod:`camwatch.i18n`."""
    if not has_request_context():
        return None
    locale = get_locale()
    return str(locale) if locale is not None else None


def init_app(app: Flask) -> None:
    """Word the core's messages in the page language while a request runs, and give the
    templates the request's translations looked up once per request."""
    set_language_source(request_language)
    # Flask-Babel's template callables look the translations up on every call (context,
    # locale, catalogue cache: ~10 µs each; a page makes hundreds of calls); the locale of a
    # request never changes once chosen (nothing here calls flask_babel.refresh), so the
    # request's translations object is remembered on g
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )


def gettext(string: str, **variables: Any) -> str:
    """Flask-Babel's ``gettext`` (translate, then ``%`` the variables in) with the request's
    translations looked up once per request, as the templates' (``_`` in web code)."""
    text: str = _translations().ugettext(string)
    return text if not variables else text % variables


def _translations() -> Any:
    if not has_request_context():
        return get_translations()
    found = g.get("_translations")
    if found is None:
        found = g._translations = get_translations()
    return found


def _extract() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import write_po

    catalog = Catalog(project="camwatch", charset="utf-8")
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    for folder in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT / folder),
            method_map,
            options_map=options,
            keywords=KEYWORDS,
        ):
            location = (f"{folder}/{filename}", lineno)
            catalog.add(message, None, [location], auto_comments=comments, context=context)
    with POT.open("wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True)


def _update_and_compile(check: bool) -> int:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po

    with POT.open("rb") as fh:
        template = read_po(fh)
    missing = 0
    for folder in sorted(TRANSLATIONS.glob("*/LC_MESSAGES")):
        po_path = folder / "messages.po"
        if po_path.exists():
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=folder.parent.name)
        else:  # a new language: start from the template
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale=folder.parent.name, project="camwatch", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        untranslated = [m.id for m in catalog if m.id and not m.string]
        for msgid in untranslated:
            print(f"{po_path.parent.parent.name}: untranslated: {msgid!r}", file=sys.stderr)
        missing += len(untranslated)
        if check:
            continue
        with po_path.open("wb") as fh:
            write_po(fh, catalog, sort_output=True, width=100)
        with po_path.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)
    return missing


def main(argv: list[str] | None = None) -> int:
    """Extract strings, update every ``messages.po`` and compile ``messages.mo``."""
    parser = argparse.ArgumentParser(prog="python -m web.i18n", description=main.__doc__)
    parser.add_argument("--check", action="store_true", help="only report missing translations")
    args = parser.parse_args(argv)
    _extract()
    missing = _update_and_compile(args.check)
    POT.unlink(missing_ok=True)
    return 1 if args.check and missing else 0


if __name__ == "__main__":
    sys.exit(main())
