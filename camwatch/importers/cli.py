"""``camwatch import-dxf`` and ``camwatch import-image``: drawings in, site files out.

Both validate the site with the loader's rules before writing and write
atomically (:func:`camwatch.sitefile.save_site`): on any error nothing is
written. Errors are :class:`~camwatch.errors.CamwatchError`, turned into one
line and exit code 2 by the top-level ``camwatch`` group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from camwatch.errors import UsageError
from camwatch.i18n import msg


def _check_output(output: str) -> None:
    parent = Path(output).resolve().parent
    if not parent.is_dir():
        raise UsageError(msg("output folder does not exist: %(folder)s", folder=str(parent)))


def _save(data: dict[str, Any], output: str) -> None:
    from camwatch.sitefile import parse_site, save_site

    site = parse_site(data, default_id=Path(output).stem)
    save_site(site, output)


@click.command("import-dxf")
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Site file to write.")
@click.option("--layers", "layer_map", type=click.Path(dir_okay=False), help="TOML layer map.")
@click.option(
    "--units",
    type=click.Choice(["mm", "cm", "dm", "m"]),
    help="Drawing units when the DXF header ($INSUNITS) has none.",
)
@click.option("--id", "site_id", help="site.id (default: the DXF file name).")
@click.option("--name", "site_name", help="site.name.")
@click.option("--epsg", type=click.IntRange(1024, 999999), help="EPSG code of the drawing's CRS.")
@click.option(
    "--keep-coordinates", is_flag=True, help="Keep projected coordinates (no local origin)."
)
@click.option("--list-layers", is_flag=True, help="List layers, entity counts and kinds; no -o.")
def import_dxf_cmd(
    plan: str,
    output: str | None,
    layer_map: str | None,
    units: str | None,
    site_id: str | None,
    site_name: str | None,
    epsg: int | None,
    keep_coordinates: bool,
    list_layers: bool,
) -> None:
    """Convert a CAD site plan PLAN (DXF) into a site file (docs/importers.md)."""
    from camwatch.importers.dxf import convert_shapes
    from camwatch.importers.dxf_read import INSUNITS_M, UNIT_NAMES, read_dxf
    from camwatch.importers.dxf_read import list_layers as layer_counts
    from camwatch.importers.layers import load_layer_map, rule_for

    overrides = load_layer_map(layer_map) if layer_map else None
    if list_layers:
        for name, counts in sorted(layer_counts(plan).items()):
            rule = rule_for(name, overrides)
            kind = rule.kind if rule else msg("(not mapped)").render()  # kinds: layer-map words
            if rule and rule.props:
                kind += " " + ", ".join(f"{k}={v}" for k, v in rule.props.items())
            total = sum(counts.values())
            detail = ", ".join(f"{n} {t}" for t, n in sorted(counts.items()))
            click.echo(f"{name}\t{total}\t{kind}\t{detail}")
        return
    if not output:
        raise UsageError(msg("give -o SITE.geojson (or --list-layers)"))
    _check_output(output)
    drawing = read_dxf(plan, units_m=UNIT_NAMES[units] if units else None)
    if drawing.header_scale is not None:
        scale = drawing.header_scale
        if units and UNIT_NAMES[units] != scale:
            warning = msg(
                "warning: $INSUNITS says %(scale)s m per unit; --units %(units)s ignored",
                scale=scale,
                units=units,
            )
            click.echo(warning.render(), err=True)
    elif units:
        scale = UNIT_NAMES[units]
    else:
        known = ", ".join(str(k) for k in sorted(INSUNITS_M))
        raise UsageError(
            msg(
                "%(path)s: the drawing has no usable units ($INSUNITS = %(insunits)s, "
                "known: %(known)s); give --units mm|cm|m",
                path=plan,
                insunits=drawing.insunits,
                known=known,
            )
        )
    site: dict[str, Any] = {"id": site_id or Path(plan).stem}
    if site_name:
        site["name"] = site_name
    data, report = convert_shapes(
        drawing.shapes,
        scale=scale,
        overrides=overrides,
        site=site,
        keep_coordinates=keep_coordinates,
        epsg=epsg,
    )
    for name, counts in drawing.counts.items():
        rule = rule_for(name, overrides)
        lr = report.layer(name, rule.kind if rule else None)
        lr.read.update(counts)
    _save(data, output)
    for line in report.lines():
        click.echo(line, err=True)
    click.echo(
        msg("wrote %(path)s (%(n)s features)", path=str(output), n=len(data["features"])).render(),
        err=True,
    )


@click.command("import-image")
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option(
    "--scale",
    "scale_text",
    required=True,
    help="X1,Y1,X2,Y2,METRES: two pixel points a known distance apart.",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@click.option(
    "--boundary-from-buildings",
    is_flag=True,
    help="Boundary = the buildings' hull grown by 5 m (no outline drawn).",
)
@click.option("--id", "site_id", help="site.id (default: the output file name).")
def import_image_cmd(
    plan: str, scale_text: str, output: str, boundary_from_buildings: bool, site_id: str | None
) -> None:
    """Trace a scanned plan PLAN (PNG, JPEG, TIFF) into a draft site file (docs/importers.md)."""
    import math

    import cv2

    from camwatch.importers.image import (
        DROPPED_WORDS,
        SOURCE_WORDS,
        parse_scale,
        to_metres,
        trace_plan,
        trace_to_site,
    )

    x1, y1, x2, y2, metres = parse_scale(scale_text)
    _check_output(output)
    if not Path(plan).is_file():
        raise UsageError(msg("%(path)s: no such file", path=plan))
    gray = cv2.imread(plan, cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise UsageError(
            msg("%(path)s: not an image OpenCV can read (PNG, JPEG, TIFF...)", path=plan)
        )
    s = math.hypot(x2 - x1, y2 - y1) / metres
    trace = trace_plan(gray, px_per_m=s, boundary_from_buildings=boundary_from_buildings)
    data = trace_to_site(
        trace, px_per_m=s, image_height=gray.shape[0], site_id=site_id or Path(output).stem
    )
    _save(data, output)
    boundary = to_metres(trace.boundary, px_per_m=s, image_height=gray.shape[0])
    lines = [
        msg(
            "scale: %(scale)s px/m; skew of the drawing: %(skew)s°",
            scale=format(s, ".3f"),
            skew=format(trace.skew_deg, ".1f"),
        ),
        msg(
            "boundary (%(source)s): %(area)s m²; buildings: %(n)s",
            source=SOURCE_WORDS.get(trace.boundary_source, trace.boundary_source),
            area=format(boundary.area, ",.0f"),
            n=len(trace.buildings),
        ),
    ]
    lines += [
        msg("dropped: %(n)s %(what)s", n=n, what=DROPPED_WORDS.get(what, what))
        for what, n in trace.dropped.items()
        if n
    ]
    for line in lines:
        click.echo(line.render(), err=True)
    click.echo(
        msg("wrote %(path)s (a draft: check it on the map)", path=str(output)).render(), err=True
    )
