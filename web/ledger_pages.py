"""The ledger (台账) as pages: every device the user may see, searched, filtered, sorted,
paged, exported and imported as CSV, and set to a new status in bulk (docs/web.md, "Ledger").

* ``GET /ledger/`` — the list (:mod:`web.ledger_query`); ``/compounds/<id>/ledger``
  opens it on one compound.
* ``GET /ledger/export.csv`` — the filtered list, every page (:mod:`web.ledger_csv`).
* ``GET|POST /ledger/import`` — the CLI's ``devices import-csv``: the same registry
  function (:func:`camwatch.registry.devices_csv.import_devices_csv`), all rows or none.
* ``POST /ledger/status`` — a status change of the selected devices, logged as a
  maintenance visit of each (:func:`camwatch.registry.maintenance.log_maintenance`, the
  device page's path), all or none; a device changed since the list was shown is a
  conflict and nothing is saved.

Every POST answers with a redirect (post/redirect/get), so a reload repeats nothing.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from urllib.parse import parse_qsl

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional

from camwatch.errors import CamwatchError, StaleEditError
from camwatch.model import MAINTENANCE_KINDS
from camwatch.registry.csv_rows import CSV_COLUMNS, csv_template
from camwatch.registry.devices_csv import import_devices_csv
from camwatch.registry.maintenance import log_maintenance
from camwatch.registry.models import Device
from web.api.schemas import EDITABLE_STATUSES
from web.db import db_session
from web.forms import choices, whole_number
from web.i18n import gettext as _
from web.ledger import compound_for, compounds_for
from web.ledger_csv import EXPORT_COLUMNS, export_csv, import_error_text
from web.ledger_query import (
    MAINTENANCE_INTERVAL_DAYS,
    PAGE_SIZES,
    SORT_KEYS,
    FilterError,
    Filters,
    districts,
    query,
)
from web.security import can_see_compound, require
from web.templating import MAINTENANCE_LABELS, STATUS_LABELS

bp = Blueprint("ledger", __name__)

MAX_BULK = 500  # devices per status change (a page holds at most 200)


class BulkStatusForm(FlaskForm):
    status = SelectField(
        _l("New status"), choices=choices([(s, STATUS_LABELS[s]) for s in EDITABLE_STATUSES])
    )
    kind = SelectField(
        _l("Logged as"),
        choices=choices([(k, MAINTENANCE_LABELS[k]) for k in MAINTENANCE_KINDS]),
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])
    compound = SelectField(_l("Compound (for rows without one)"), choices=[], validate_choice=False)


def interval_days() -> int:
    """Days after which maintenance is overdue (``LEDGER_MAINTENANCE_DAYS``, default 365)."""
    return int(current_app.config.get("LEDGER_MAINTENANCE_DAYS", MAINTENANCE_INTERVAL_DAYS))


def _visible_ids() -> list[int] | None:
    """The compounds a manager may see; None for the roles that see every compound."""
    if g.user.role == "manager":
        return [c.id for c in g.user.compounds]
    return None


def _filters(args: Any) -> Filters:
    try:
        return Filters.from_args(args)
    except FilterError as exc:
        abort(400, description=_("Unknown value for %(name)s.", name=str(exc)))


def _list_url(f: Filters | None = None, **changes: Any) -> str:
    return url_for("ledger.index", **(f.args(**changes) if f else {}))


@bp.get("/ledger/")
@require("compound.view")
def index():
    """The device list: search, filters, sorting, pages; bulk status for technicians."""
    f = _filters(request.args)
    today = date.today()
    page = query(
        db_session(),
        f,
        compound_ids=_visible_ids(),
        today=today,
        interval_days=interval_days(),
    )
    compounds = compounds_for(g.user)
    return render_template(
        "ledger/index.html",
        page=page,
        f=f,
        compounds=compounds,
        districts=districts(compounds),
        page_sizes=PAGE_SIZES,
        sort_keys=SORT_KEYS,
        list_url=_list_url,
        bulk_form=BulkStatusForm(),
        back=request.query_string.decode("utf-8", "replace"),
        interval=interval_days(),
    )


@bp.get("/compounds/<int:cid>/ledger")
@require("compound.view")
def compound(cid: int):
    """The ledger of one compound (the list filtered on it)."""
    return redirect(url_for("ledger.index", compound=compound_for(cid).code))


@bp.get("/ledger/export.csv")
@require("compound.view")
def export():
    """The filtered list as CSV (UTF-8 with BOM, every page; columns in docs/web.md)."""
    f = _filters(request.args)
    page = query(
        db_session(),
        f,
        compound_ids=_visible_ids(),
        today=date.today(),
        interval_days=interval_days(),
        paginate=False,
    )
    name = f"ledger-{f.compound or 'all'}-{date.today().isoformat()}.csv"
    return Response(
        export_csv(page.rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{_ascii(name)}"'},
    )


def _ascii(name: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-._") else "_" for ch in name)


@bp.get("/ledger/import")
@require("device.edit")
def import_page():
    """The CSV import form and the columns it reads."""
    form = ImportForm()
    form.compound.choices = _compound_choices()
    form.compound.data = request.args.get("compound", "")
    return render_template(
        "ledger/import.html", form=form, columns=CSV_COLUMNS, export_columns=EXPORT_COLUMNS
    )


@bp.get("/ledger/template.csv")
@require("device.edit")
def template():
    """A header and one example row per kind (``camwatch devices csv-template``), UTF-8 with BOM."""
    return Response(
        ("\ufeff" + csv_template()).encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="devices-template.csv"'},
    )


def _compound_choices() -> list[Any]:
    return choices([("", _("from the file's compound column"))]) + choices(
        [(c.code, f"{c.name or c.code} ({c.code})") for c in compounds_for(g.user)]
    )


@bp.post("/ledger/import")
@require("device.edit")
def import_csv():
    """Add the devices of an uploaded CSV file: all rows or none (the CLI's rules)."""
    form = ImportForm()
    form.compound.choices = _compound_choices()
    back = url_for("ledger.import_page")
    if not form.validate_on_submit():
        flash(_("Choose a CSV file to import."), "error")
        return redirect(back)
    code = form.compound.data or None
    if code is not None and code not in {c.code for c in compounds_for(g.user)}:
        abort(404)
    raw = form.file.data.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        flash(
            _(
                "Nothing was imported: the file is not UTF-8 text "
                "(in Excel, save it as “CSV UTF-8”)."
            ),
            "error",
        )
        return redirect(back)
    db = db_session()
    try:
        added = import_devices_csv(db, io.StringIO(text), compound=code, actor=g.user.username)
        db.commit()
    except CamwatchError as exc:
        db.rollback()
        flash(_("Nothing was imported: %(e)s", e=import_error_text(exc, text)), "error")
        return redirect(back)
    count = sum(len(v) for v in added.values())
    flash(
        _("Devices added: %(n)d (%(compounds)s).", n=count, compounds=", ".join(sorted(added))),
        "ok",
    )
    only = sorted(added)[0] if len(added) == 1 else ""
    return redirect(url_for("ledger.index", compound=only) if only else _list_url())


def _back_filters() -> Filters | None:
    """The list the bulk form was sent from (its query string, checked like a request's)."""
    text = request.form.get("back", "")
    try:
        return Filters.from_args(MultiDict(parse_qsl(text[:2000])))
    except FilterError:
        return None


def _picks(values: list[str]) -> list[tuple[int, int]] | None:
    """``"id:version"`` of each selected device; None when one is malformed."""
    out: list[tuple[int, int]] = []
    for value in values:
        parts = [whole_number(p, most_digits=11) for p in value.split(":")]
        if len(parts) != 2 or parts[0] is None or parts[1] is None:
            return None
        out.append((parts[0], parts[1]))
    return out


@bp.post("/ledger/status")
@require("device.edit")
def bulk_status():
    """Set the selected devices to one status, each change logged as maintenance; all or none."""
    form = BulkStatusForm()
    back = _list_url(_back_filters())
    if not form.validate_on_submit():
        flash(_("Choose a valid status and log kind."), "error")
        return redirect(back)
    picks = _picks(request.form.getlist("device"))
    if picks is None:
        abort(400, description=_("A selected device is not valid."))
    if not picks:
        flash(_("Select at least one device."), "error")
        return redirect(back)
    if len(picks) > MAX_BULK:
        flash(_("Select at most %(n)d devices at once.", n=MAX_BULK), "error")
        return redirect(back)
    db = db_session()
    wanted = dict(picks)
    found = {d.id: d for d in db.scalars(select(Device).where(Device.id.in_(list(wanted))))}
    if len(found) != len(wanted) or not all(
        can_see_compound(g.user, d.compound) for d in found.values()
    ):
        abort(404)
    devices = sorted(found.values(), key=lambda d: (d.compound.code, d.code))
    outcome = _apply_status(db, devices, wanted, form)
    flash(*outcome)
    return redirect(back)


def _who(device: Device) -> str:
    return f"{device.compound.code}/{device.code}"


def _apply_status(
    db: Any, devices: list[Device], versions: dict[int, int], form: BulkStatusForm
) -> tuple[str, str]:
    """Log the change on every device in one transaction; the flash message and category."""
    stale = [_who(d) for d in devices if d.version != versions[d.id]]
    if stale:
        return _conflict_text(stale), "error"
    retired = [_who(d) for d in devices if d.status == "retired"]
    if retired:
        return (
            _(
                "Nothing was changed: %(devices)s retired (restore a device on its page first).",
                devices=", ".join(retired),
            ),
            "error",
        )
    status = form.status.data
    changed = [d for d in devices if d.status != status]
    technician = g.user.display_name or g.user.username
    try:
        for device in changed:
            log_maintenance(
                db,
                device.compound.code,
                device.code,
                kind=form.kind.data,
                technician=technician,
                notes=form.notes.data or None,
                status_after=status,
                actor=g.user.username,
            )
        db.commit()
    except StaleEditError:
        db.rollback()
        return _conflict_text([_who(d) for d in changed]), "error"
    except CamwatchError as exc:
        db.rollback()
        return _("Nothing was changed: %(e)s", e=str(exc)), "error"
    text = _(
        "Status set to %(status)s and logged: %(n)d devices.",
        status=STATUS_LABELS[status],
        n=len(changed),
    )
    same = len(devices) - len(changed)
    if same:
        text += " " + _("Already in this status (nothing logged): %(n)d.", n=same)
    return text, "ok"


def _conflict_text(codes: list[str]) -> str:
    return _(
        "Conflict: %(devices)s changed since this list was shown; nothing was saved. "
        "The list now shows their current state — check and try again.",
        devices=", ".join(codes),
    )
