"""Per-source item filters (``[sources.filter]``): keep a broad source's program items.

Terms are case-insensitive phrases, or regular expressions after ``re:``, looked for in the
fields the filter names (title, summary, the origin's categories, the URL). An item is kept
when some include term matches (or there are none) and no exclude term does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tdlc_syndication.config.sources import ItemFilter
from tdlc_syndication.pipeline.model import Item

Matcher = Callable[[str], bool]


def _matcher(term: str) -> Matcher:
    if term.startswith("re:"):
        pattern = re.compile(term[3:], re.I)
        return lambda text: pattern.search(text) is not None
    folded = term.casefold()
    return lambda text: folded in text.casefold()


def item_filter(config: ItemFilter | None) -> Callable[[Item], bool]:
    """A predicate that is True for the items the filter keeps (every item without one)."""
    if config is None:
        return lambda item: True
    include = [_matcher(t) for t in config.include]
    exclude = [_matcher(t) for t in config.exclude]
    fields = tuple(config.fields)

    def texts(item: Item) -> list[str]:
        found = []
        if "title" in fields:
            found.append(item.title)
        if "summary" in fields:
            found.append(item.summary)
        if "categories" in fields:
            found.extend(item.categories)
        if "url" in fields:
            found.append(item.url)
        return found

    def keep(item: Item) -> bool:
        values = texts(item)
        if include and not any(m(v) for m in include for v in values):
            return False
        return not any(m(v) for m in exclude for v in values)

    return keep
