"""Helpers shared by source kinds: ids, kinds, local files, zones, and the HttpSource base
class (config, client, clock, a polite GET, Fetched records)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from tdlc_syndication.config.models import SourceBase
from tdlc_syndication.pipeline.errors import FetchError, NotModified
from tdlc_syndication.pipeline.http import Http, Response, Validators, body_hash
from tdlc_syndication.pipeline.model import Precision
from tdlc_syndication.sources.base import Fetched, FetchState


def item_id(source_id: str, native: str) -> str:
    """The stable item id ``"{source}:{native id}"``."""
    return f"{source_id}:{native.strip()}"


def hashed_id(*parts: str | None) -> str:
    """A native id for origins that give none: a short hash of what identifies the item."""
    blob = "\x1f".join(p or "" for p in parts)
    return "h" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


Dated = tuple[datetime, Precision] | None


def date_fields(published: Dated, updated: Dated = None) -> dict[str, Any]:
    """The Item date fields from parsed ``(datetime, precision)`` pairs."""
    return {
        "published": published[0] if published else None,
        "published_precision": published[1] if published else None,
        "updated": updated[0] if updated else None,
    }


def kind_for(config: SourceBase, labels: Iterable[str], fallback: str | None = None) -> str:
    """Pick the item kind: the first origin label found in ``kind_map``, else the fallback,
    else the source's ``default_kind``."""
    for label in labels:
        mapped = config.kind_map.get(label.strip().lower())
        if mapped:
            return mapped
    return fallback or config.default_kind


def source_zone(config: SourceBase, default: str = "UTC") -> tzinfo:
    """The zone of naive timestamps in this source."""
    return ZoneInfo(config.timezone or default)


def local_document(
    body: bytes,
    key: str,
    source_id: str,
    state: FetchState,
    clock: Callable[[], datetime],
    media_type: str = "",
) -> Fetched:
    """A document read from local files, identified by the hash of its bytes.

    Raises:
        NotModified: same bytes as last time.
    """
    digest = body_hash(body)
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
    )


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
    return local_document(body, str(path), source_id, state, clock)


ConfigT = TypeVar("ConfigT", bound=SourceBase)


class HttpSource(Generic[ConfigT]):
    """Shared plumbing of the source kinds: the config, the HTTP client and the clock, a
    polite GET with the source's policy, and the Fetched record of an answer."""

    def __init__(self, config: ConfigT, http: Http, clock: Callable[[], datetime]) -> None:
        self.config = config
        self.http = http
        self.clock = clock

    def get(self, url: str, state: FetchState | None = None, accept: str = "*/*") -> Response:
        """GET ``url`` with the source's address policy and User-Agent; conditional when
        ``state`` knows validators for it.

        Raises:
            NotModified: the answer did not change (only with ``state``).
            FetchError: the URL cannot be fetched.
        """
        return self.http.get(
            url,
            source_id=self.config.id,
            cached=state.validators.get(url) if state is not None else None,
            allow_private=self.config.allow_private,
            browser_agent=self.config.browser_user_agent,
            accept=accept,
        )

    def fetched(
        self, location: str, resp: Response, *, moves_source: bool = True, **extra: Any
    ) -> Fetched:
        """The Fetched record of one answer (``extra`` adds cursor or meta).

        ``moves_source`` says whether a permanent redirect of this request moves the source
        itself (true for its main URL; false for later pages and query URLs).
        """
        return Fetched(
            location=location,
            body=resp.body,
            media_type=resp.media_type,
            charset=resp.charset,
            base_url=resp.final_url,
            fetched_at=self.clock(),
            validators=resp.validators,
            moved_to=resp.moved_to if moves_source else None,
            **extra,
        )

    def fetch_one(
        self, state: FetchState, url: str | None, path: Path | None, accept: str
    ) -> Fetched:
        """Fetch a source that is one document, from a local ``path`` or (conditionally) a
        ``url``, following a permanent move recorded in ``state``."""
        if path is not None:
            return read_local(path, self.config.id, state, self.clock)
        location = state.url or url
        assert location is not None
        return self.fetched(location, self.get(location, state, accept))
