"""A planner's reason in both languages, from the one message catalogue (:mod:`camwatch.i18n`).

A reason is a :class:`~camwatch.i18n.Message` (English key + parameters). The
JSON outputs keep ``reason`` (English) and ``reason_zh`` (Chinese) as they
always had, both worded from the catalogue, and add ``reason_msg`` (the key and
parameters) so a reader in another language — a web page — words it itself.

>>> from camwatch.i18n import msg
>>> r = reason(msg("no way from outside reaches this building in free space"))
>>> r["reason"], r["reason_zh"]
('no way from outside reaches this building in free space', '从外部经可通行空间无法到达该楼栋')
"""

from __future__ import annotations

from typing import Any

from camwatch.i18n import Message


def reason(why: Message) -> dict[str, Any]:
    """``reason``, ``reason_zh`` and ``reason_msg`` members for a planner's output item."""
    return {"reason": why.render("en"), "reason_zh": why.render("zh"), "reason_msg": why.to_json()}
