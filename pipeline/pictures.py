"""The pictures of an item's HTML: those that stand for a character (WordPress's emoji and
smilies) read as that character, and the first picture of a content as the item's
thumbnail where its source names none.
"""

from __future__ import annotations

import html as html_lib
import re

from tdlc_syndication.pipeline.elements import TAG_REST, attributes

# An <img> as an origin writes it (see elements.TAG_REST).
ANY_IMAGE = re.compile(rf"<img\b{TAG_REST}>", re.I)
# WordPress's emoji, in every feed it writes (``wp_staticize_emoji``) and on the pages its
# script rewrites: https://s.w.org/images/core/emoji/16.0.1/72x72/1f68b.png
_EMOJI_FILES = "/images/core/emoji/"
_CHARACTER_CLASSES = frozenset({"wp-smiley", "emoji"})


def characters_for_pictures(markup: str) -> str:
    """``markup`` with each picture that stands for a character replaced by that character
    (its ``alt``): WordPress writes every emoji of a post into its feed as a 72-pixel
    picture (``<img src="https://s.w.org/images/core/emoji/…/1f68b.png" alt="🚋"
    class="wp-smiley" style="height: 1em">``) and each smiley it turns into one (``:)``),
    sized to the line by a style no cleaned copy keeps: published, each was a picture as
    large as a paragraph's text was high five times over, and a summary lost it."""
    if "<img" not in markup or ("smiley" not in markup and "emoji" not in markup):
        return markup  # one look: most contents have none
    return ANY_IMAGE.sub(_character, markup)


def _character(match: re.Match[str]) -> str:
    found = attributes(match[0][4:])
    classes = set(found.get("class", "").lower().split())
    if not classes & _CHARACTER_CLASSES and _EMOJI_FILES not in found.get("src", ""):
        return match[0]
    return html_lib.escape(found.get("alt", ""), quote=False)


# An <img> as the cleaner writes it (attributes double-quoted, values escaped).
_CLEANED_IMAGE = re.compile(r'<img((?:\s+[a-z-]+="[^"]*")*)\s*/?>')
_CLEANED_SOURCE = re.compile(r'\ssrc="([^"]*)"')
_CLEANED_SIZE = re.compile(r'\s(?:width|height)="([^"]*)"')
_SIDE = re.compile(r"\s*(\d+)\s*(?:px)?\s*\Z", re.I)  # pixels, not a share of the width
SMALLEST_PICTURE = 100  # pixels a side: an icon, a badge or a button is smaller
# What a file's name says it is when no size is given: a municipal page's PDF icon
# (/shared/images/icon/pdf_icon.gif, ico_pdf.gif), the Acrobat Reader banner beside its
# files, a logo, a site's favicon (a link card's: Ghost's bookmark card shows the linked
# site's before its own picture).
_NO_PICTURE_NAME = re.compile(
    r"(?:\A|[^a-z])(?:(?:fav)?icons?|ico|btn|buttons?|badges?|logo|spacer|arrow|get_?adobe"
    r"|adobe_?reader)"
    r"(?:[^a-z]|\Z)",
    re.I,
)


def first_picture_in(content: str) -> str | None:
    """The address of the first picture of a cleaned ``content`` that can stand for the
    item, as feed readers pick one where a feed names none (WordPress's own feeds give a
    post's pictures only in its content): not one that says it is smaller than
    ``SMALLEST_PICTURE`` pixels a side (an icon, a badge, a button) or whose file's name
    says so, nor an author's avatar."""
    at = content.find("<img")
    while at >= 0:  # str.find, far faster than the pattern's own search for its start
        match = _CLEANED_IMAGE.match(content, at)
        url = _picture(match[1]) if match else None
        if url:
            return url
        at = content.find("<img", at + 4)
    return None


def _picture(attributes: str) -> str | None:
    """The address of a cleaned ``<img>`` with these attributes, if it can stand for the
    item (:func:`first_picture_in`)."""
    source = _CLEANED_SOURCE.search(attributes)
    url = html_lib.unescape(source[1]) if source else ""
    if not url or is_avatar(url) or any(map(_small, _CLEANED_SIZE.findall(attributes))):
        return None
    if _NO_PICTURE_NAME.search(url.partition("?")[0].rpartition("/")[2]):
        return None
    return url


def _small(side: str) -> bool:
    found = _SIDE.match(side)
    return found is not None and int(found[1]) < SMALLEST_PICTURE


def is_avatar(url: str) -> bool:
    """Whether ``url`` is a Gravatar (``https://0.gravatar.com/avatar/…``): an author's
    picture, not the entry's."""
    return "gravatar.com/avatar/" in url
