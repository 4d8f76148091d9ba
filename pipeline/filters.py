r"""Per-source item filters (``[sources.filter]``): keep a broad source's program items.

Terms are case-insensitive phrases, or regular expressions after ``re:``, looked for in the
fields the filter names (title, summary, the origin's categories, the URL); a phrase in
Latin letters as whole words, as the taxonomy's terms are found (``TOD`` is not in
``today``, ``compact city`` finds ``compact-city``: ``pipeline.phrases``), in any width
and with or without accents: ``TOD`` finds ``ＴＯＤ``, ``コンパクト`` finds ``ｺﾝﾊﾟｸﾄ`` and
``Bogota`` finds ``Bogotá`` (``config.forms.one_form``; a regular expression is tried on
the text as written, then in that form). A phrase in hiragana finds its katakana too:
``ごみ`` finds ``ゴミ`` (``config.forms.spellings``). An item is kept when some include
term matches (or there are none) and no exclude term does.

A regular expression runs on text from the origins, so it runs with a time limit. Python's
``re`` backtracks without end on some patterns (``(\w+\s?)+$`` on a sixty-letter title
holds the process for hours, and with it the service); the ``regex`` module, which reads the
same syntax, avoids most such backtracking and gives up after ``SEARCH_LIMIT`` seconds. A
term that gives up fails its source's run with an error that names the term.
"""

from __future__ import annotations

from collections.abc import Callable

from tdlc_syndication.config.filters import ItemFilter, compile_term
from tdlc_syndication.config.forms import mentions, one_form, searchable, spellings
from tdlc_syndication.pipeline.errors import SourceError
from tdlc_syndication.pipeline.model import Item
from tdlc_syndication.pipeline.phrases import found_whole, words_pattern
from tdlc_syndication.pipeline.scripts import has_japanese

Matcher = Callable[["_Text"], bool]
SEARCH_LIMIT = 0.25  # seconds one regular expression may take on one field of one item


class _Text:
    """One field's text, with its forms worked out once for all the terms."""

    __slots__ = ("_form", "_searchable", "raw")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self._form: str | None = None
        self._searchable: str | None = None

    @property
    def form(self) -> str:
        """The text in its one form (``one_form``: ＴＯＤ as TOD, Bogotá as Bogota)."""
        if self._form is None:
            self._form = one_form(self.raw)
        return self._form

    @property
    def searchable(self) -> str:
        """The one form, case-folded: what a phrase is looked for in."""
        if self._searchable is None:
            self._searchable = self.form.casefold()
        return self._searchable


def _matcher(term: str, source_id: str) -> Matcher:
    if term.startswith("re:"):
        pattern = compile_term(term)

        def search(text: _Text) -> bool:
            try:
                if pattern.search(text.raw, timeout=SEARCH_LIMIT) is not None:
                    return True
                form = text.form
                return form != text.raw and pattern.search(form, timeout=SEARCH_LIMIT) is not None
            except TimeoutError:
                raise SourceError(
                    source_id,
                    f"the filter term {term!r} took more than {SEARCH_LIMIT:g} s on one "
                    "item and was stopped: the pattern backtracks (a repeat inside a "
                    "repeat, such as (a|aa)+); rewrite it, e.g. with a possessive repeat "
                    "(a++) or without the inner one",
                ) from None

        return search
    phrase = searchable(term)
    if not has_japanese(phrase):  # whole words, as the taxonomy's: TOD is not in today
        words = words_pattern(phrase)
        return lambda text: found_whole(words, text.searchable)
    either = spellings(phrase)  # ごみ finds ゴミ too
    return lambda text: mentions(text.searchable, either)


def item_filter(config: ItemFilter | None, source_id: str = "") -> Callable[[Item], bool]:
    """A predicate that is True for the items the filter keeps (every item without one).

    The predicate raises :class:`SourceError` (of ``source_id``) when a regular expression
    takes more than ``SEARCH_LIMIT`` seconds on an item.
    """
    if config is None:
        return lambda item: True
    include = [_matcher(t, source_id) for t in config.include]
    exclude = [_matcher(t, source_id) for t in config.exclude]
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
        values = [_Text(v) for v in texts(item)]  # each form worked out once, when asked
        if include and not any(m(v) for m in include for v in values):
            return False
        return not any(m(v) for m in exclude for v in values)

    return keep
