"""Documents that arrive in gzip: a sitemap's ``.xml.gz``, or a body a server compressed
twice. Apart from ``encoding`` so that the HTTP client loads only ``zlib`` for it."""

from __future__ import annotations

import zlib

GZIP_MAGIC = b"\x1f\x8b"


class Oversized(ValueError):
    """A compressed document unpacks to more than the limit it was given."""


def gunzip(body: bytes, limit: int) -> bytes:
    """``body`` unpacked from gzip, to ``limit`` bytes at most.

    Raises:
        zlib.error: ``body`` is not gzip, or is cut short.
        Oversized: it unpacks to more than ``limit`` bytes.
    """
    unzipper = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = unzipper.decompress(body, limit)
    if unzipper.unconsumed_tail:
        raise Oversized(f"it unpacks to more than {limit} bytes")
    if not unzipper.eof:
        raise zlib.error("the gzip stream is cut short")
    return data


# A body still in gzip after the transfer's own decoding, for a document that is no gzip
# file: a server that compresses twice (PHP's zlib.output_compression under the web
# server's own, a known WordPress fault) or serves a .xml.gz as the .xml. Every reader
# failed on the bytes ("not an RSS, RDF or Atom feed").


def unzipped_once_more(body: bytes, content_type: str, url: str, limit: int) -> bytes:
    """``body`` unzipped (to ``limit`` bytes at most) when it is still gzip after the
    transfer's own decoding and no gzip file was asked for (by its type or name);
    ``body`` itself otherwise, or when it is not gzip after all (its first two bytes by
    chance, or cut short).

    Raises:
        Oversized: it unzips to more than ``limit`` bytes.
    """
    if body[:2] != GZIP_MAGIC or _gzip_meant(content_type, url):
        return body
    try:
        return gunzip(body, limit)
    except zlib.error:
        return body


def _gzip_meant(content_type: str, url: str) -> bool:
    """Whether a gzip body is what was asked for: a gzip file by its type or name."""
    kind = content_type.partition(";")[0].strip().lower()
    name = url.partition("?")[0].partition("#")[0].lower()
    return "gzip" in kind or name.endswith((".gz", ".tgz"))
