"""One section of a page, as an anchor (``#n1``) names it: the text of a list page's items
when they are sections of the same page (a city's notices, each under its own heading,
the list at the top linking to them).

An element with the anchor's id (or an ``<a name>``) names the section. A heading, or an
anchor inside one, starts a section that runs to the next heading of its level or above;
an empty anchor just before a heading starts that heading's section; any other element
(a ``<section>``, a ``<div>``, a list item) is the section itself.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING
from urllib.parse import unquote

from tdlc_syndication.sources.inlinetext import is_tag

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag
    from bs4.element import PageElement

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def find_section(soup: BeautifulSoup, fragment: str) -> Tag | None:
    """The section ``#fragment`` names on the page (the fragment as a link writes it:
    escapes are read), as one element whose contents are the section's (a heading's run is
    copied into a ``<div>``: the page keeps its own); None when no element has that id or
    name."""
    name = unquote(fragment)
    if not name:
        return None
    target = soup.find(lambda tag: tag.get("id") == name or tag.get("name") == name)
    if not is_tag(target):
        return None
    heading = target if target.name in HEADINGS else target.find_parent(HEADINGS)
    if heading is None and target.name == "a" and not target.get_text(strip=True):
        following = target.find_next(HEADINGS)  # <a name="n1"></a><h2>…</h2>
        heading = following if is_tag(following) else None
    if heading is None:
        return target
    wrapper = soup.new_tag("div")
    wrapper.extend(copy.copy(node) for node in _from_heading(heading))
    return wrapper


def _from_heading(heading: Tag) -> list[PageElement]:
    """A heading and what follows it up to the next heading of its level or above; when
    the heading is wrapped (``<div class="title"><h2>``), its wrapper and what follows."""
    level = int(heading.name[1])
    start: Tag = heading
    for _ in range(2):  # the heading, then its wrapper
        run: list[PageElement] = [start]
        for sibling in start.next_siblings:
            if is_tag(sibling) and (
                _starts_section(sibling, level) or _marks_section(sibling, level)
            ):
                break
            run.append(sibling)
        if "".join(str(node) for node in run[1:]).strip():
            return run
        parent = start.parent
        if not is_tag(parent) or parent.name in ("body", "html", "main", "article"):
            break
        start = parent
    return [heading]


def _starts_section(tag: Tag, level: int) -> bool:
    """Whether ``tag`` is, or holds, a heading of ``level`` or above (a new section)."""
    if tag.name in HEADINGS:
        return int(tag.name[1]) <= level
    return any(is_tag(h) and int(h.name[1]) <= level for h in tag.find_all(HEADINGS))


def _marks_section(tag: Tag, level: int) -> bool:
    """Whether ``tag`` is an empty anchor just before the next section's heading
    (``<a name="n2"></a><h3>``): it belongs to that section."""
    if tag.name != "a" or tag.get_text(strip=True):
        return False
    following = tag.find_next_sibling(True)
    return is_tag(following) and _starts_section(following, level)
