"""The text of an element that a list's selector picks, as a browser runs it together.

BeautifulSoup's ``get_text(" ")`` puts a space between any two strings, so the words of
an emphasis or a link inside a title or a summary stood apart from their neighbours:
``富山市の<strong>コンパクトシティ</strong>政策`` read ``富山市の コンパクトシティ 政策``,
``<b>Kobe</b>'s plan`` read ``Kobe 's plan`` and ``the <a>toolkit</a>, then`` read
``the toolkit , then``. Here the strings on either side of an emphasis or a link run
together as a browser shows them (a space stays where the page writes one). Any other
element still parts its strings, as before: a ``<span>``, a ``<font>``, a ``<br>``, an
image, a block; and an emphasis with a class, an id or a style of its own, because lists
mark a new item or a date apart that way (``会見<span class="new">NEW!</span>``, ``<em
class="date">``, ``<b style="color:red">NEW</b>``), and the title rules take such a mark
off where it stands apart.

Both list readers (BeautifulSoup here, lxml in ``sources.htmlfast``) build the same runs
and join them with :func:`joined_runs`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # bs4 loads with the first page read, not with this module
    from bs4 import Tag

#: The elements whose strings run on into their neighbours' (unless :data:`MARKED`): the
#: text-level emphasis and annotation elements of HTML, the old ``nobr`` and ``tt``, and
#: the link.
RUN_TOGETHER = frozenset(
    {
        "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "em",
        "i", "ins", "kbd", "mark", "nobr", "s", "samp", "small", "strike", "strong", "sub",
        "sup", "tt", "u", "var",
    }
)  # fmt: skip
#: The attributes that set an element apart as a mark of its own (a badge, a date).
MARKED = ("class", "id", "style")


def runs_on(name: object, attribute: Callable[[str], object]) -> bool:
    """True when an element named ``name`` lets the strings around it run together;
    ``attribute(name)`` is the value of one of its attributes (None without it)."""
    if name not in RUN_TOGETHER:
        return False
    for marked in MARKED:
        value = attribute(marked)
        if value and " ".join(value if isinstance(value, list) else [str(value)]).strip():
            return False
    return True


def joined_runs(runs: list[str], *, strip: bool) -> str:
    """The text of some runs of strings, a space between runs, as ``get_text(" ",
    strip=strip)`` joins strings: stripped and the empty ones left out with ``strip``."""
    if strip:
        return " ".join(s for s in (run.strip() for run in runs) if s)
    return " ".join(run for run in runs if run)


def soup_text(node: Tag, *, strip: bool) -> str:
    """The text of a BeautifulSoup element: its strings as ``get_text(" ", strip=strip)``
    reads them (the same kinds of strings), run together across :data:`RUN_TOGETHER`."""
    from bs4.element import NavigableString, Tag

    types = node.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES
    runs = [""]

    def walk(parent: Tag) -> None:
        for child in parent.contents:
            if isinstance(child, Tag):
                joined = runs_on(child.name, child.get)
                if not joined:
                    runs.append("")
                walk(child)
                if not joined:
                    runs.append("")
            elif isinstance(child, NavigableString) and type(child) in types:
                runs[-1] += child
            else:  # a comment or a script's text parts the strings around it, as before
                runs.append("")

    walk(node)
    return joined_runs(runs, strip=strip)
