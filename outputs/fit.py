"""Degrading per item, never per file: a feed document over ``site.max_feed_bytes`` leaves
out the content of its largest entries (their summaries stay), then, if it must, its
oldest entries; one entry that fails lint is left out of the document while the rest is
published. One bad or huge item never freezes a feed."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from tdlc_syndication.outputs.document import Entry

log = logging.getLogger(__name__)
RenderEntries = Callable[[Sequence[Entry]], bytes]
_ENTRY_PROBLEM = re.compile(r"^(?:entry|item) (\d+)\b")


def fit(render: RenderEntries, entries: Sequence[Entry], limit: int, path: str) -> bytes:
    """The document of ``entries``, within ``limit`` bytes if leaving out content (largest
    first) and then the oldest entries can make it so."""
    data = render(entries)
    if len(data) <= limit:
        return data
    current = list(entries)
    by_size = sorted(
        (n for n, e in enumerate(current) if e.content),
        key=lambda n: -len(current[n].content or ""),
    )
    left_out = 0
    excess = len(data) - limit
    saved = 0
    for n in by_size:
        saved += len((current[n].content or "").encode("utf-8"))
        current[n] = replace(current[n], content=None)
        left_out += 1
        if saved >= excess:
            data = render(current)
            if len(data) <= limit:
                break
            excess, saved = len(data) - limit, 0
    else:
        data = render(current)
    dropped = 0
    while len(data) > limit and len(current) > 1:
        cut = max(1, len(current) // 4)
        current = current[:-cut]
        dropped += cut
        data = render(current)
    log.warning(
        "%s is over the %d-byte limit: left out the content of %d entries and %d of the "
        "oldest entries (lower feed_size to keep them)",
        path,
        limit,
        left_out,
        dropped,
    )
    return data


def entry_positions(problems: Sequence[str]) -> frozenset[int] | None:
    """The 1-based positions of the entries that lint problems name, or None when a problem
    is about the whole document (leaving entries out would not help)."""
    positions = set()
    for problem in problems:
        match = _ENTRY_PROBLEM.match(problem)
        if match is None:
            return None
        positions.add(int(match.group(1)))
    return frozenset(positions)
