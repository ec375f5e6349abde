"""The camera schedule / bill of materials: one row per device, counts and costs per model.

The CSV uses the ledger's import columns (``camwatch devices import-csv``,
docs/registry.md) so that it re-imports as it is, plus read-only columns the
import accepts and ignores (DORI distances, last maintenance). The XLSX has
the same rows under headings in the reader's language, and a second sheet
with counts (and, with a price table, costs) per kind and model.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from camwatch.errors import UsageError
from camwatch.geometry.optics import dori_distance
from camwatch.i18n import msg
from camwatch.model import LEVELS, Site
from camwatch.registry.csv_rows import CSV_COLUMNS, DERIVED_CSV_COLUMNS
from camwatch.report.facts import LedgerFacts
from camwatch.report.words import word

COLUMNS: tuple[str, ...] = CSV_COLUMNS + DERIVED_CSV_COLUMNS
_DEVICE_LISTS = (
    ("camera", "cameras"),
    ("gate", "gates"),
    ("alarm", "alarms"),
    ("intercom", "intercoms"),
)
_PROPS = ("access_control", "alarm_type", "building")
_NUMBERS = ("height_m", "heading_deg", "tilt_deg", "focal_mm", "sensor_width_mm", "range_m")
NO_MODEL = "—"


def _num(x: float | None) -> str:
    """A number as the CSV import reads it back exactly (shortest round-trip text)."""
    if x is None:
        return ""
    return repr(int(x)) if float(x).is_integer() else repr(float(x))


def _geometry(geom: Any) -> dict[str, str]:
    if geom.geom_type == "Point":
        return {"x": _num(geom.x), "y": _num(geom.y)}
    return {"line": " ".join(f"{_num(x)},{_num(y)}" for x, y in geom.coords)}


def _common(device: Any, kind: str, code: str, facts: LedgerFacts | None) -> dict[str, str]:
    extra = device.extra
    row = {
        "compound": facts.code if facts else "",
        "kind": kind,
        "code": code,
        "name": device.name or "",
        "model": getattr(device, "model", None) or extra.get("model") or "",
    }
    for key in ("manufacturer", "serial", "install_date", "warranty_end"):
        value = getattr(device, key, None) or extra.get(key)
        row[key] = str(value) if value else ""
    fact = facts.devices.get(code) if facts else None
    if fact is not None:
        row["status"] = fact.status
        row["install_date"] = fact.install_date.isoformat() if fact.install_date else ""
        row["manufacturer"] = row["manufacturer"] or (fact.manufacturer or "")
        row["last_maintenance"] = fact.last_maintenance.isoformat() if fact.last_maintenance else ""
    else:
        row["status"] = str(getattr(device, "status", None) or extra.get("status") or "active")
    return row


def schedule_rows(site: Site, *, facts: LedgerFacts | None = None) -> list[dict[str, str]]:
    """One row per device (cameras, gates, alarms, intercoms), keyed by :data:`COLUMNS`."""
    rows: list[dict[str, str]] = []
    for cam in site.cameras:
        row = _common(cam, "camera", cam.id, facts)
        row.update(x=_num(cam.position[0]), y=_num(cam.position[1]))
        for key in _NUMBERS:
            row[key] = _num(getattr(cam, key))
        if cam.hfov_deg is not None:
            row["hfov_deg"] = _num(cam.hfov_deg)
        if cam.vfov_deg is not None:
            row["vfov_deg"] = _num(cam.vfov_deg)
        row["resolution"] = f"{cam.resolution[0]}x{cam.resolution[1]}"
        for level in LEVELS:
            d = dori_distance(cam, level)
            row[f"dori_{level}_m"] = "" if math.isinf(d) else f"{d:.1f}"
        rows.append(row)
    for kind, attr in _DEVICE_LISTS[1:]:
        for device in getattr(site, attr):
            code = device.id or ""
            row = _common(device, kind, code, facts)
            row.update(_geometry(getattr(device, "geometry", None) or _point(device)))
            for key in _PROPS:
                value = getattr(device, key, None)
                if value:
                    row[key] = str(value)
            if kind == "gate":
                row["intercom"] = "true" if device.intercom else "false"
            rows.append(row)
    return [{c: r.get(c, "") for c in COLUMNS} for r in rows]


def _point(device: Any) -> Any:
    from shapely.geometry import Point

    return Point(device.position)


@dataclass(frozen=True)
class ModelLine:
    """How many devices of one kind and model, and what they cost with a price table."""

    kind: str
    model: str
    count: int
    unit_price: float | None = None

    @property
    def cost(self) -> float | None:
        return None if self.unit_price is None else self.unit_price * self.count


def model_lines(
    rows: list[dict[str, str]], prices: Mapping[str, float] | None = None
) -> list[ModelLine]:
    """Counts per (kind, model), sorted by kind then model; priced when the table knows the model."""
    counts = Counter((r["kind"], r["model"] or NO_MODEL) for r in rows)
    order = {k: i for i, (k, _) in enumerate(_DEVICE_LISTS)}
    return [
        ModelLine(kind, model, n, (prices or {}).get(model))
        for (kind, model), n in sorted(counts.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))
    ]


def load_prices(path: str | Path) -> dict[str, float]:
    """A price table: CSV with a header ``model,unit_price`` (other columns ignored)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(msg("%(path)s: no such price table", path=str(p))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(
            msg("%(path)s: cannot read the price table (%(detail)s)", path=str(p), detail=str(exc))
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    if "model" not in header or "unit_price" not in header:
        raise UsageError(
            msg(
                "%(path)s: the price table needs a header with 'model' and 'unit_price'",
                path=str(p),
            )
        )
    reader.fieldnames = header
    prices: dict[str, float] = {}
    for row in reader:
        model, text_price = (row.get("model") or "").strip(), (row.get("unit_price") or "").strip()
        if not model and not text_price:
            continue
        try:
            price = float(text_price)
        except ValueError:
            price = math.nan
        if not model or not math.isfinite(price) or price < 0:
            raise UsageError(
                msg(
                    "%(path)s: line %(line)s: needs a model and a unit_price ≥ 0, "
                    "got %(model)s, %(price)s",
                    path=str(p),
                    line=reader.line_num,
                    model=repr(model),
                    price=repr(text_price),
                )
            )
        if model in prices:
            raise UsageError(
                msg(
                    "%(path)s: line %(line)s: model %(model)s is priced twice",
                    path=str(p),
                    line=reader.line_num,
                    model=repr(model),
                )
            )
        prices[model] = price
    return prices


def schedule_csv(rows: list[dict[str, str]]) -> bytes:
    """The schedule as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# XLSX column heads (English, Chinese); the CSV keeps the import's column names
_XLSX_HEADS: dict[str, tuple[str, str]] = {
    "compound": ("Compound code", "小区编码"),
    "kind": ("Type", "类型"),
    "code": ("Code", "编号"),
    "name": ("Name", "名称"),
    "x": ("x (m)", "x (米)"),
    "y": ("y (m)", "y (米)"),
    "line": ("Line (x,y …)", "线位 (x,y …)"),
    "status": ("Status", "状态"),
    "manufacturer": ("Manufacturer", "厂商"),
    "model": ("Model", "型号"),
    "serial": ("Serial", "序列号"),
    "install_date": ("Install date", "安装日期"),
    "warranty_end": ("Warranty end", "质保截止"),
    "height_m": ("Height (m)", "安装高度 (米)"),
    "heading_deg": ("Heading (°)", "朝向 (°)"),
    "tilt_deg": ("Tilt (°)", "俯角 (°)"),
    "hfov_deg": ("HFOV (°)", "水平视场角 (°)"),
    "focal_mm": ("Focal length (mm)", "焦距 (毫米)"),
    "sensor_width_mm": ("Sensor width (mm)", "靶面宽度 (毫米)"),
    "resolution": ("Resolution", "分辨率"),
    "vfov_deg": ("VFOV (°)", "垂直视场角 (°)"),
    "range_m": ("Range cap (m)", "最大距离 (米)"),
    "access_control": ("Access control", "门禁"),
    "intercom": ("Intercom", "对讲"),
    "alarm_type": ("Alarm type", "报警类型"),
    "building": ("Building", "楼栋"),
    "notes": ("Notes", "备注"),
    "dori_detection_m": ("Detection distance (m)", "探测距离 (米)"),
    "dori_observation_m": ("Observation distance (m)", "观察距离 (米)"),
    "dori_recognition_m": ("Recognition distance (m)", "识别距离 (米)"),
    "dori_identification_m": ("Identification distance (m)", "辨认距离 (米)"),
    "last_maintenance": ("Last maintenance", "最近维护"),
}


def schedule_xlsx(
    rows: list[dict[str, str]], lines: list[ModelLine], *, lang: str, title: str
) -> bytes:
    """The schedule as an XLSX workbook: a device sheet and a per-model sheet with costs."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="E2E8F0")
    book = Workbook()
    sheet = book.active
    sheet.title = word("Camera schedule", lang)[:31]
    sheet.append([_head(c, lang) for c in COLUMNS])
    for row in rows:
        sheet.append([_cell(c, row[c], lang) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font, cell.fill = head_font, head_fill
    sheet.freeze_panes = "A2"
    models = book.create_sheet(word("Model", lang))
    models.append([title])
    heads = ("Type", "Model", "count", "Unit cost", "cost")
    models.append([word(h, lang) for h in heads])
    for cell in models[2]:
        cell.font, cell.fill = head_font, head_fill
    for line in lines:
        models.append([word(line.kind, lang), line.model, line.count, line.unit_price, line.cost])
    if any(line.unit_price is not None for line in lines):
        total = sum(line.cost or 0.0 for line in lines)
        models.append([word("total", lang), "", sum(x.count for x in lines), None, total])
    for ws in (sheet, models):
        for col in ws.columns:
            width = max(len(str(c.value or "")) for c in col)
            ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 8), 40)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _head(column: str, lang: str) -> str:
    en, zh = _XLSX_HEADS[column]
    return zh if lang == "zh" else en


def _cell(column: str, text: str, lang: str) -> Any:
    if column in ("kind", "status") and text:
        return word(text, lang)
    if text and (column in _NUMBERS or column in ("x", "y", "hfov_deg", "vfov_deg")
                 or column.startswith("dori_")):  # fmt: skip
        return float(text)
    return text
