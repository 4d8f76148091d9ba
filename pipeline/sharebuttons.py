"""The buttons a share plug-in puts into each entry of a site's feed, taken out.

A WordPress site with AddToAny (set to show its buttons in feeds, as many are) ends every
entry with a row of links to share the post, ``https://www.addtoany.com/add_to/facebook?
linkurl=…``, each empty or with a 32-pixel icon, often under "Share:"; Japanese sites'
plug-ins add Hatena Bookmark's and LINE's. They came into the content of every entry,
a row of empty or icon-only links that share the origin's post, not the item.

A link to a service's share or post form (Facebook's sharer and share dialog, X's and
Bluesky's intents, LinkedIn's, Pinterest's, Reddit's, Hatena's, LINE's, Pocket's,
WhatsApp's, Telegram's, Tumblr's, AddToAny's) is taken out of a cleaned content with its
icon, and so is a paragraph that then says only "Share:" (「シェアする」). A link to the
service itself (a city's Facebook page) stays. Only the content's first and last
:data:`_WINDOW` characters are looked at first: the buttons stand at its top or end. A
page's share links (and its mail to no one, ``mailto:?subject=…``) are taken out where
the page is read (:func:`is_share_form`, ``sources.pagechrome``).
"""

from __future__ import annotations

import re

# A share form's address: its host and path (after the scheme)
_SHARE_FORM = (
    r"(?:[a-z0-9-]+\.)*(?:addtoany\.com/(?:add_to|share)"
    r"|facebook\.com/(?:sharer|dialog/(?:share|feed|send))|(?:twitter|x)\.com/(?:intent|share)"
    r"|linkedin\.com/(?:shareArticle|sharing)|pinterest\.[a-z.]+/pin/create|reddit\.com/submit"
    r"|hatena\.ne\.jp/(?:entry|add)"
    r"|line\.me/(?:lineit|R/msg|social-plugin)|getpocket\.com/(?:edit|save)"
    r"|whatsapp\.com/send|wa\.me/|t(?:elegram)?\.me/share|tumblr\.com/(?:share|widgets/share)"
    r"|bsky\.app/intent)"
)
# as the cleaning writes a link (href first, canonical)
_SHARE_HREF = r'<a href="https?://' + _SHARE_FORM
_SHARE = re.compile(_SHARE_HREF)
# as a page's link gives it, or a mail to no one whose text is the page's address
_SHARE_ADDRESS = re.compile(r"\s*(?:mailto:\?|(?:https?:)?//" + _SHARE_FORM + ")", re.I)
# the whole link: its words (a service's name) and icons, nothing else; not a sentence of
# the post that a "Click to Tweet" box offers to share (the post's own words)
SHARE_WORDS = 40  # characters a share button says at most ("Share on Facebook")
_SHARE_LINK = re.compile(
    _SHARE_HREF
    + rf'[^"]*"[^>]*>[^<]{{0,{SHARE_WORDS}}}(?:<img\b[^>]*>[^<]{{0,{SHARE_WORDS}}})*</a>\s*'
)
# a block that says only what the buttons were for, once they are gone
_SHARE_LABEL = re.compile(
    r"<(p|div|span|h[2-6])>\s*(?:share(?:\s+(?:this|it|on))?(?:\s+(?:post|article|page))?"
    r"|シェアする|シェア|この記事をシェアする|共有する)\s*[:：]?\s*</\1>",
    re.I,
)
_WINDOW = 4000  # characters at each end of a content where its buttons are looked for


def is_share_form(address: str) -> bool:
    """Whether ``address`` is a service's form to share a page (see the module)."""
    return _SHARE_ADDRESS.match(address) is not None


def without_share_buttons(cleaned: str) -> str:
    """A cleaned content without a share plug-in's buttons (see the module)."""
    tail = len(cleaned) - _WINDOW
    if _SHARE.search(cleaned, max(0, tail)) is None and (
        tail <= _WINDOW or _SHARE.search(cleaned, 0, _WINDOW) is None
    ):
        return cleaned  # most contents have none
    return _SHARE_LABEL.sub("", _SHARE_LINK.sub("", cleaned))
