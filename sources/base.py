"""The Source protocol, the data passed between its two steps, and the kind registry.

A source does all its I/O in ``fetch`` and none in ``parse``::

    fetch(state) -> Iterator[Fetched]      one Fetched per page; raises NotModified, FetchError
    parse(fetched) -> Iterable[Item]       pure; raises ParseError

Items that come out of ``parse`` are drafts: ``pipeline.normalise`` cleans them and
``pipeline.classify`` tags them before the store sees them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol

from tdlc_syndication.config.models import SourceBase, SourceConfig
from tdlc_syndication.pipeline.http import Http, Validators
from tdlc_syndication.pipeline.model import Item, Retraction


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
class Fetched:
    """One fetched document (a page of a paged source) as parse() receives it.

    ``cursor`` is the source's new position (an OAI-PMH harvest date, sitemap lastmods) to
    keep once the run succeeds; ``meta`` carries extra fetched material, such as the item
    pages an ``html`` source followed.
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
    meta: Mapping[str, Any] = field(default_factory=dict)


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

    # A kind may also offer ``check_config(config) -> list[str]`` (a staticmethod) that
    # finds what types cannot: invalid CSS selectors, malformed paths.

    def parse(self, fetched: Fetched) -> Iterable[Item | Retraction]:
        """Turn one fetched document into draft items (and retractions), without I/O.

        Raises:
            ParseError: the document is not in the expected format.
        """
        ...


SourceFactory = Callable[..., Source]
SOURCE_TYPES: dict[str, SourceFactory] = {}


def register(kind: str) -> Callable[[SourceFactory], SourceFactory]:
    """Class decorator that makes a source kind available under its config name."""

    def deco(factory: SourceFactory) -> SourceFactory:
        SOURCE_TYPES[kind] = factory
        return factory

    return deco


def build_source(config: SourceConfig, http: Http, clock: Callable[[], datetime]) -> Source:
    """Instantiate the source kind named by ``config.kind``."""
    load_kinds()
    return SOURCE_TYPES[config.kind](config, http, clock)


def load_kinds() -> None:
    """Import every source kind module so that each registers itself."""
    import tdlc_syndication.sources.catalog
    import tdlc_syndication.sources.feed
    import tdlc_syndication.sources.html
    import tdlc_syndication.sources.ical
    import tdlc_syndication.sources.jsonapi
    import tdlc_syndication.sources.oai
    import tdlc_syndication.sources.sitemap
    import tdlc_syndication.sources.worldbank  # noqa: F401


def config_problems(config: SourceConfig) -> list[str]:
    """What ``syndicate check`` can find wrong in a source beyond its types (CSS selectors
    that do not compile, malformed JSON paths): the kind's ``check_config``, if it has one."""
    load_kinds()
    check = getattr(SOURCE_TYPES[config.kind], "check_config", None)
    return list(check(config)) if check is not None else []
