"""The boxes a publishing system or a plug-in puts into an entry besides its post, taken
out whole, each known by its class:

- Substack's box of a caption and a button that shares the post, subscribes or comments
  (``<div class="captioned-button-wrap">``: "Thanks for reading City Notes! This post is
  public so feel free to share it." over a "Share" button): the button went with
  :mod:`~tdlc_syndication.sources.footers`, the caption stayed; a box whose button leads
  elsewhere (the author's own) stays;
- YARPP's related posts, as it writes them into a feed (``yarpp-related-rss``: "Related
  posts:" and a list of the site's other posts);
- Ghost's signup card (``kg-signup-card``: "Sign up for City Notes", its form's words,
  "Email sent! Check your inbox…", "No spam. Unsubscribe anytime.");
- beehiiv's footer after every issue (``beehiiv__footer``: "Powered by beehiiv");
- FeedBurner's FeedFlare row (``feedflare``: links and pictures served from ``/~ff/``).

Each came into the content of every entry that had one, and into the summary made of it.
A box is read to the end tag that closes it, the boxes inside it counted
(:func:`~tdlc_syndication.pipeline.elements.matching_end`): one pass each.
"""

from __future__ import annotations

import re

from tdlc_syndication.pipeline.elements import TAG_REST, matching_end

_CLASSES = (
    "captioned-button-wrap", "yarpp-related-rss", "kg-signup-card", "beehiiv__footer", "feedflare"
)  # fmt: skip
_BOX = re.compile(
    rf"<div\b(?=[^<>]*\bclass=[\"'][^\"'<>]*\b(?:{'|'.join(_CLASSES)})\b)({TAG_REST})>", re.I
)
# What a Substack button's address does: share the post, subscribe or comment.
SUBSTACK_ACTIONS = r"(?:action=share|/subscribe|/comments|utm_content=share)"
_SUBSTACK_ACTION = re.compile(rf"<a\b[^<>]*\bhref=[\"'][^\"'<>]*{SUBSTACK_ACTIONS}", re.I)
_MOST_BOXES = 16  # an entry with more is no plug-in's: each look would read to its end


def without_widgets(markup: str) -> str:
    """``markup`` without the boxes of :data:`_CLASSES` (see the module); as it is when it
    has none (one quick look each: most have none)."""
    for name in _CLASSES:  # quick looks (a loop, not a generator's any()): most have none
        if name in markup:
            break
    else:
        return markup
    pieces: list[str] = []
    kept = at = 0
    for _ in range(_MOST_BOXES):
        box = _BOX.search(markup, at)
        if box is None:
            break
        end = matching_end(markup, "div", box.end())
        if end is None:
            break
        at = end
        if "captioned-button-wrap" in box[0] and not _SUBSTACK_ACTION.search(
            markup, box.end(), end
        ):
            continue  # the author's own button, with its caption
        pieces.append(markup[kept : box.start()])
        kept = end
    if not pieces:
        return markup
    pieces.append(markup[kept:])
    return "".join(pieces)
