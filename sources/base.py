"""The Source protocol and the typed records passed between its two steps.

A source does all its I/O in ``fetch`` and none in ``parse``::

    fetch(state) -> Iterator[Fetched]      one Fetched per document; raises NotModified, FetchError
    parse(fetched) -> Iterable[Item]       pure; raises ParseError

Items that come out of ``parse`` are drafts: ``pipeline.normalise`` cleans them and
``pipeline.classify`` tags them before the store sees them. This module knows no kind:
the table of kinds is ``sources.registry``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol, runtime_checkable

from tdlc_syndication.config.sourcebase import SourceBase
from tdlc_syndication.pipeline.ledger import Hub, Skipped, Validators
from tdlc_syndication.pipeline.model import Cursor, Item, Listed, Retraction, Unread

__all__ = ["ChecksConfig", "Document", "FetchState", "Fetched", "Skipped", "Source"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchState:
    """What a source may know of its previous runs.

    ``validators`` maps each URL (or file path) fetched before to what identifies its
    last version; ``url`` is the location a permanent redirect moved the source to.
    """

    validators: Mapping[str, Validators] = field(default_factory=dict)
    url: str | None = None
    cursor: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A further document fetched with a main one: a followed item page, a changed page
    found in a sitemap, a file of a local catalog.

    ``modified`` is what the listing said of its last change (a sitemap ``lastmod``);
    ``length`` is the size of a file that was measured but not read (an attachment), and
    ``media_type`` its type when known (a followed link that was a PDF, not a page);
    ``validators`` what the answer said to ask "has it changed?" next time (kept, a later
    run asks conditionally).
    """

    url: str
    body: bytes = b""
    charset: str | None = None
    modified: str | None = None
    length: int | None = None
    media_type: str | None = None
    validators: Validators | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Fetched:
    """One fetched document (a page of a paged source) as parse() receives it.

    ``page`` numbers the documents of one run from 0. ``cursor`` is the source's new
    position (an OAI-PMH harvest date, sitemap lastmods) to keep once the run succeeds.
    ``related`` holds the further documents read for this one; ``skipped`` what could
    not be read. ``last`` marks the last page of a list read to its end (no page left
    unread).
    """

    location: str
    body: bytes
    media_type: str = ""
    charset: str | None = None
    base_url: str = ""
    fetched_at: datetime
    validators: Validators = field(default_factory=Validators)
    moved_to: str | None = None
    cursor: str | None = None
    page: int = 0
    related: tuple[Document, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    refresh_after: float | None = None  # seconds the origin asks us not to poll again
    last: bool = False
    link_header: str = ""  # the answer's Link header, where a feed may name its hub
    hub: Hub | None = None  # the WebSub hub a feed names (None: not looked for)


class Source(Protocol):
    """What every source kind implements. Instances hold their config and the HTTP client."""

    kind: ClassVar[str]

    @property
    def config(self) -> SourceBase:
        """The source's validated settings."""
        ...

    def fetch(self, state: FetchState) -> Iterator[Fetched]:
        """Yield the documents to parse (one per page).

        Raises:
            NotModified: nothing changed since ``state`` (only before the first page).
            FetchError: the source cannot be read.
        """
        ...

    def parse(
        self, fetched: Fetched
    ) -> Iterable[Item | Retraction | Skipped | Unread | Listed | Cursor]:
        """Turn one fetched document into draft items (and retractions, what it left out
        on purpose, such as a repeating event too dense to expand, for a calendar the
        time in which it lists every event, and a position known once the document is
        read: :class:`Cursor`), without I/O.

        Raises:
            ParseError: the document is not in the expected format.
        """
        ...


@runtime_checkable
class ChecksConfig(Protocol):
    """A kind that finds what types cannot in its settings (invalid CSS selectors,
    malformed paths) for ``syndicate check``."""

    @staticmethod
    def check_config(config: Any) -> list[str]:
        """One line per problem, each starting with the field name."""
        ...


@runtime_checkable
class ProducesKinds(Protocol):
    """A kind that gives items kinds of its own (a video, an event, a document type),
    besides the source's ``default_kind`` and ``kind_map``."""

    @staticmethod
    def kinds_produced(config: Any) -> set[str]:
        """The item kinds this source may give, beyond its default and mapping."""
        ...


@runtime_checkable
class WarnsConfig(Protocol):
    """A kind whose settings can be valid yet not do what they seem to (``check`` warns)."""

    @staticmethod
    def warn_config(config: Any) -> list[str]:
        """One line per warning, each starting with the field name."""
        ...
