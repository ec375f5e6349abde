"""Device codes for new devices: continue the compound's own pattern (docs/web.md).

Decision: a new device of a kind gets the kind's prefix (``C`` camera, ``G``
gate, ``A`` alarm, ``I`` intercom) and the next number after the highest
``<prefix><digits>`` code of the compound, zero-padded to the width the
compound's numbered codes of that kind use (``C01`` … ``C11`` → ``C12``; a
compound whose cameras are ``P01``, ``G01``, ``T1A`` gets ``C01``). Codes of
retired devices count as taken (a code is never reused).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CODE_PREFIX = {"camera": "C", "gate": "G", "alarm": "A", "intercom": "I"}
_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def next_codes(existing: Iterable[tuple[str, str]], kind: str, n: int = 1) -> list[str]:
    """``n`` new codes for devices of ``kind``, given ``(kind, code)`` of every device.

    >>> next_codes([("camera", "C01"), ("camera", "C11"), ("gate", "G1")], "camera", 2)
    ['C12', 'C13']
    >>> next_codes([("camera", "V09")], "camera")
    ['C01']
    >>> next_codes([], "camera")
    ['C1']
    """
    pairs = list(existing)
    prefix = CODE_PREFIX[kind]
    taken = {code for _kind, code in pairs}
    widths = [len(m.group(2)) for k, code in pairs if k == kind and (m := _NUMBERED.match(code))]
    # the width most of the kind's numbered codes use (the widest on a tie): C01 … → 2
    width = max(set(widths), key=lambda w: (widths.count(w), w)) if widths else 1
    numbers = [
        int(m.group(1)) for c in taken if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", c))
    ]
    out: list[str] = []
    number = max(numbers, default=0)
    while len(out) < n:
        number += 1
        code = f"{prefix}{number:0{width}d}"
        if code not in taken:
            out.append(code)
            taken.add(code)
    return out
