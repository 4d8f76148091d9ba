"""Helpers shared by source kinds: ids, kinds, local files, zones."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from config.models import SourceConfig
from pipeline.errors import FetchError, NotModified
from pipeline.http import Validators, body_hash
from sources.base import Fetched, FetchState


def item_id(source_id: str, native: str) -> str:
    """The stable item id ``"{source}:{native id}"``."""
    return f"{source_id}:{native.strip()}"


def hashed_id(*parts: str | None) -> str:
    """A native id for origins that give none: a short hash of what identifies the item."""
    blob = "\x1f".join(p or "" for p in parts)
    return "h" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


def kind_for(config: SourceConfig, labels: Iterable[str], fallback: str | None = None) -> str:
    """Pick the item kind: the first origin label found in ``kind_map``, else the fallback,
    else the source's ``default_kind``."""
    for label in labels:
        mapped = config.kind_map.get(label.strip().lower())
        if mapped:
            return mapped
    return fallback or config.default_kind


def source_zone(config: SourceConfig, default: str = "UTC") -> tzinfo:
    """The zone of naive timestamps in this source."""
    return ZoneInfo(config.timezone or default)


def read_local(
    path: Path, source_id: str, state: FetchState, clock: Callable[[], datetime]
) -> Fetched:
    """Read a local file as a fetched document, raising NotModified when its bytes are unchanged.

    Raises:
        FetchError: the file cannot be read.
        NotModified: same bytes as last time.
    """
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise FetchError(source_id, f"cannot read {path}: {exc.strerror or exc}") from exc
    digest = body_hash(body)
    key = str(path)
    if (cached := state.validators.get(key)) and cached.body_hash == digest:
        raise NotModified(source_id, f"{path}: unchanged")
    return Fetched(
        location=key,
        body=body,
        # No base: relative links in a local copy resolve against each item's own link
        # (during normalisation), never against the file system.
        base_url="",
        fetched_at=clock(),
        validators=Validators(body_hash=digest),
    )
