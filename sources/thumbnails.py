"""A feed's thumbnail at a size a page can show.

Blogger gives each post's first image as ``media:thumbnail`` 72 pixels square, cropped
(``https://blogger.googleusercontent.com/img/b/…/s72-c/photo.jpg``, ``…/img/a/…=s72-c``,
``https://1.bp.blogspot.com/…/s72-c/photo.jpg``): the cards of the pages and the digest
showed it blown up to several times its size. Its image server gives the same image at any
size by the same address with another size in it (as feed readers ask it for one).
"""

from __future__ import annotations

import re

# The size Blogger writes into a thumbnail's address: a path segment or the end after "=".
_BLOGGER = re.compile(
    r"^(https://(?:blogger\.googleusercontent\.com|\d+\.bp\.blogspot\.com)/.*?)"
    r"(/|=)s72(?:-[a-z0-9-]*)?(?=/[^/]*$|$)",
    re.I,
)
SHOWN_SIZE = "s640"  # the longer side, in pixels: the width of the widest card, twice


def shown_thumbnail(url: str) -> str:
    """``url`` with Blogger's 72-pixel thumbnail size replaced by :data:`SHOWN_SIZE`;
    any other address as it is."""
    if "s72" not in url:
        return url
    return _BLOGGER.sub(lambda m: f"{m[1]}{m[2]}{SHOWN_SIZE}", url, count=1)
