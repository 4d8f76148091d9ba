"""The table of source kinds: config ``kind`` name → class. The only module that knows
every kind; no kind imports another.

Adding a kind takes its module, its settings model (``config.sources``) and one entry in
``KINDS`` below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from tdlc_syndication.config.sources import SourceConfig
from tdlc_syndication.pipeline.http import Http
from tdlc_syndication.sources.base import ChecksConfig, ProducesKinds, Source, WarnsConfig
from tdlc_syndication.sources.catalog import CatalogSource
from tdlc_syndication.sources.feed import FeedSource
from tdlc_syndication.sources.html import HtmlSource
from tdlc_syndication.sources.ical import IcalSource
from tdlc_syndication.sources.jsonapi import JsonSource
from tdlc_syndication.sources.oai import OaiPmhSource
from tdlc_syndication.sources.sitemap import SitemapSource
from tdlc_syndication.sources.worldbank import WorldBankDocumentsSource

KINDS: tuple[type[Source], ...] = (
    FeedSource,
    CatalogSource,
    HtmlSource,
    JsonSource,
    WorldBankDocumentsSource,
    OaiPmhSource,
    IcalSource,
    SitemapSource,
)
SOURCE_TYPES: dict[str, type[Source]] = {cls.kind: cls for cls in KINDS}


def build_source(config: SourceConfig, http: Http, clock: Callable[[], datetime]) -> Source:
    """Instantiate the source kind named by ``config.kind``."""
    factory: Callable[..., Source] = SOURCE_TYPES[config.kind]
    return factory(config, http, clock)


def config_problems(config: SourceConfig) -> list[str]:
    """What ``syndicate check`` can find wrong in a source beyond its types (CSS selectors
    that do not compile, malformed JSON paths), from the kind's ``check_config``."""
    kind = SOURCE_TYPES[config.kind]
    return list(kind.check_config(config)) if issubclass(kind, ChecksConfig) else []


def kinds_produced(config: SourceConfig) -> set[str]:
    """Every item kind a source can give: its default, its mapping, and its kind's own."""
    kind = SOURCE_TYPES[config.kind]
    own = kind.kinds_produced(config) if issubclass(kind, ProducesKinds) else set()
    return {config.default_kind, *config.kind_map.values(), *own}


def config_warnings(config: SourceConfig, vocabulary: Iterable[str]) -> list[str]:
    """What ``syndicate check`` warns about (the settings work, but maybe not as meant):
    kinds the source can give that the taxonomy lacks, and the kind's own warnings."""
    kind = SOURCE_TYPES[config.kind]
    warnings = list(kind.warn_config(config)) if issubclass(kind, WarnsConfig) else []
    missing = sorted(kinds_produced(config) - set(vocabulary))
    if missing:
        warnings.append(
            f"kinds: this source can give items of kind {', '.join(missing)}, which "
            "[taxonomy.kinds] lacks; such items get the source's default_kind. Add them "
            "to [taxonomy.kinds]"
        )
    return warnings
