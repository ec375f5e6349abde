"""The readable text of ``camwatch plan`` (tables, note, target and method lines) in ``--lang``.

The ``--json`` object is the plan result's own (docs/site-format.md §3, English);
this is what a person reads: the result's messages (note, mounts, remarks) worded in
``--lang``, enumerated values through :mod:`planners.cli_words`.
"""

from __future__ import annotations

from typing import Any

from camwatch.i18n import msg, text_of
from planners.cli_words import word


def said(item: dict) -> str:
    """An output item's reason in the language of messages (``camwatch --lang``)."""
    return text_of(item.get("reason_msg") or item.get("reason"))


def print_plan(result: Any) -> None:
    """The plan as rich tables and lines on stdout, in the current language."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    title = msg("%(site)s: coverage before → after", site=result.site_id)
    levels = Table(title=title.render())
    levels.add_column(msg("level").render())
    levels.add_column(msg("before").render(), justify="right")
    levels.add_column(msg("after").render(), justify="right")
    for lv in result.before:  # the levels of the site's ladder
        levels.add_row(word(lv), f"{result.before[lv]:.2%}", f"{result.after[lv]:.2%}")
    console.print(levels)
    if result.suggestions:
        table = Table(title=msg("Suggested cameras (planned)").render())
        for col in (msg("id"), msg("position"), msg("heading"), msg("lens"), msg("mount")):
            table.add_column(col.render())
        table.add_column(msg("gain m²").render(), justify="right")
        for s in result.suggestions:
            cam = s.camera
            lens = (
                s.lens.name
                if s.lens.named
                else f"{cam.hfov:g}° {cam.resolution[0]}x{cam.resolution[1]}"
            )
            table.add_row(
                cam.id,
                f"({cam.position[0]:.2f}, {cam.position[1]:.2f})",
                f"{cam.heading_deg:g}°",
                lens,
                s.mount.text(),
                f"{s.gain_m2:,.1f}",
            )
        console.print(table)
    if result.note:
        console.print(msg("note: %(text)s", text=result.note).render())
    if result.target is not None:
        t = result.target
        state = (
            "[green]" + msg("reached").render() + "[/green]"
            if t["reached"]
            else "[red]" + msg("not reachable").render() + "[/red]"
        )
        ratio = format(t["ratio"], ".2%")
        console.print(
            msg("target %(ratio)s at %(level)s: ", ratio=ratio, level=word(t["level"])).render()
            + state
        )
        for u in t["unreachable"]:
            best = format(u["best_ratio"], ".2%")
            console.print("  - " + msg("%(reason)s (best %(ratio)s)", reason=said(u),
                                       ratio=best).render())  # fmt: skip
    console.print(method_line(result))
    for line in remark_lines(result):
        console.print(line, highlight=False)


def method_line(result: Any) -> str:
    """One line on how the plan was found (method, optimality gap, sizes, time)."""
    how = (
        msg("method %(method)s (optimal)", method=result.method)
        if result.optimal
        else msg("method %(method)s", method=result.method)
    )
    if result.gap is not None:
        how = msg("%(text)s, gap %(gap)s", text=how, gap=format(result.gap, ".3%"))
    seconds = format(result.seconds, ".1f")
    if result.pool:
        line = msg(
            "%(how)s; %(candidates)s candidates, pool %(pool)s, %(atoms)s atoms; %(seconds)s s",
            how=how,
            candidates=result.candidates,
            pool=result.pool,
            atoms=result.atoms,
            seconds=seconds,
        )
    else:  # greedy alone (asked for, or one camera): no pool was built
        line = msg(
            "%(how)s; %(candidates)s candidates; %(seconds)s s",
            how=how,
            candidates=result.candidates,
            seconds=seconds,
        )
    if result.unvisited:
        line = msg("%(text)s; %(more)s", text=line, more=result.unvisited)
    return line.render()


# a few remarks (each says one spot, or a run of spots along one mount), then a count
MAX_REMARKS = 10


def remark_lines(result: Any) -> list[str]:
    """The mount spots the planner could not use and why (outside free space, a geometry
    error), at most :data:`MAX_REMARKS` remarks and a count of the rest; none: no lines."""
    skipped = list(result.skipped_mounts)
    if not skipped:
        return []
    lines = [msg("Mount spots not used:").render()]
    lines += ["  - " + text_of(s) for s in skipped[:MAX_REMARKS]]
    if len(skipped) > MAX_REMARKS:
        lines.append("  - " + msg("… and %(n)s more", n=len(skipped) - MAX_REMARKS).render())
    return lines
