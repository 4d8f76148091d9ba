"""Atom tombstones (RFC 6721): the entries a feed says were deleted.

``<at:deleted-entry ref="...">`` names a deleted entry by its ``atom:id``. YouTube's hub
pushes one when a video is deleted or made private (``ref="yt:video:<id>"``); a feed may
also carry them in what it serves. The entry's item is withdrawn from the outputs (the
store keeps it, as for every retraction).
"""

from __future__ import annotations

TOMBSTONES = "http://purl.org/atompub/tombstones/1.0"
_DELETED = f"{{{TOMBSTONES}}}deleted-entry"
YOUTUBE_VIDEO = "yt:video:"  # a YouTube entry's id; its item is named by the video's id


def deleted_refs(body: bytes) -> list[str]:
    """The ``ref`` of every tombstone in a UTF-8 feed document, in document order ([]
    when it holds none or is not well-formed XML)."""
    if b"deleted-entry" not in body:
        return []
    # lxml and the fast path load with the first document that may hold one, so that a
    # run whose feeds all answer "not modified" loads no parser (sources.feed).
    from lxml import etree

    from tdlc_syndication.sources.fastfeed import feed_parser

    try:
        root = etree.fromstring(body, feed_parser())
    except (etree.XMLSyntaxError, ValueError):
        return []
    refs = (element.get("ref", "").strip() for element in root.iter(_DELETED))
    return [ref for ref in refs if ref]


def native_id(ref: str) -> str:
    """The native id of the item a tombstone's ``ref`` names (a YouTube video's id)."""
    return ref.removeprefix(YOUTUBE_VIDEO) if ref.startswith(YOUTUBE_VIDEO) else ref
