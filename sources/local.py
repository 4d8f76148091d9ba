"""Local files as fetched documents: the catalog and ``path`` sources read no network,
and a file whose bytes did not change since the last run is not parsed again."""

from __future__ import annotations

import errno
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tdlc_syndication.config.files import read_file
from tdlc_syndication.pipeline.errors import FetchError, NotModified
from tdlc_syndication.pipeline.ledger import Validators, body_hash
from tdlc_syndication.sources.base import Document, Fetched, FetchState


def local_document(
    body: bytes,
    key: str,
    source_id: str,
    state: FetchState,
    clock: Callable[[], datetime],
    media_type: str = "",
    related: tuple[Document, ...] = (),
) -> Fetched:
    """A document read from local files, identified by the hash of its bytes (``body``
    and the bodies of ``related``).

    Raises:
        NotModified: same bytes as last time.
    """
    digest = body_hash(
        body + b"".join(f"\x00{d.url}\x00{d.length}\x00".encode() + d.body for d in related)
        if related
        else body
    )
    if (cached := state.validators.get(key)) and cached.body_hash == digest:
        raise NotModified(source_id, f"{key}: unchanged")
    return Fetched(
        location=key,
        body=body,
        media_type=media_type,
        # No base: relative links in a local copy resolve against each item's own link
        # (during normalisation), never against the file system.
        base_url="",
        fetched_at=clock(),
        validators=Validators(body_hash=digest),
        related=related,
    )


def read_local(
    path: Path,
    source_id: str,
    state: FetchState,
    clock: Callable[[], datetime],
    limit: int = 20 * 1024 * 1024,
) -> Fetched:
    """Read a local file as a fetched document, raising NotModified when its bytes are unchanged.

    Raises:
        FetchError: the file cannot be read, or is over ``limit`` bytes (``max_body_bytes``).
        NotModified: same bytes as last time.
    """
    try:
        body = read_file(path, limit)
    except OSError as exc:
        if exc.errno == errno.EFBIG:
            message = f"{path} is over the {limit}-byte limit (max_body_bytes)"
            raise FetchError(source_id, message) from None
        raise FetchError(source_id, f"cannot read {path}: {exc.strerror or exc}") from exc
    return local_document(body, str(path), source_id, state, clock)
