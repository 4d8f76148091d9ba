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
