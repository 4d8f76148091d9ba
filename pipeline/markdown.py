"""The editors' Markdown (a digest intro), as CommonMark reads it, with emphasis that works
next to Japanese and Chinese punctuation.

CommonMark decides whether ``**`` opens or closes emphasis from the characters around it,
and punctuation next to it counts only when a space or more punctuation is on its other
side: a rule made for languages that put spaces between words. Japanese puts none, so
``**「コンパクトシティ」**を紹介`` and ``今週は**富山市。**次は`` showed their asterisks
(a known limit of CommonMark, which the "CJK-friendly" amendment of markdown-it mends).
Here a Japanese or Chinese character on the other side counts as a space does.

The digest's intros and a catalog's bodies are read so (this module loads with the first
of them, and markdown-it with it).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt

from tdlc_syndication.pipeline.eastasian import WIDE_CHARACTER


def render_markdown(text: str, *, html: bool = True) -> str:
    """``text`` (CommonMark) as HTML, with emphasis next to Japanese punctuation; without
    ``html``, HTML written in it is escaped, shown as written (a catalog's bodies)."""
    return str(_parser(html).render(text))


@lru_cache(maxsize=2)
def _parser(html: bool) -> MarkdownIt:
    from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
    from markdown_it.rules_inline.state_inline import Scanned, StateInline

    class State(StateInline):
        def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:  # markdown-it-py's names
            scanned = super().scanDelims(start, canSplitWord)
            end = start + scanned.length
            last = self.src[start - 1] if start > 0 else " "
            after = self.src[end] if end < self.posMax else " "
            last_wide = WIDE_CHARACTER.match(last) is not None
            next_wide = WIDE_CHARACTER.match(after) is not None
            if not (last_wide or next_wide):  # CommonMark's answer, as markdown-it gives it
                return scanned
            last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
            next_punct = isMdAsciiPunct(ord(after)) or isPunctChar(after)
            last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(after))
            left = not next_space and (not next_punct or last_space or last_punct or last_wide)
            right = not last_space and (not last_punct or next_space or next_punct or next_wide)
            can_open = left and (canSplitWord or not right or last_punct)
            can_close = right and (canSplitWord or not left or next_punct)
            return Scanned(can_open, can_close, scanned.length)

    parser = MarkdownIt("commonmark", {"html": html})
    inline = parser.inline

    def parse(src: str, md: MarkdownIt, env: Any, tokens: list[Any]) -> list[Any]:
        # ParserInline.parse, with the State above (markdown-it-py builds its own).
        state = State(src, md, env, tokens)
        inline.tokenize(state)
        for rule in inline.ruler2.getRules(""):
            rule(state)
        return state.tokens

    inline.parse = parse  # type: ignore[method-assign]
    return parser
