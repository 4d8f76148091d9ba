"""The table of source kinds: config ``kind`` name → class. The only module that knows
every kind; no kind imports another.

Adding a kind takes its module, its settings model (``config.sources``) and one entry in
``KINDS`` below.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tdlc_syndication.config.sources import SourceConfig
from tdlc_syndication.pipeline.http import Http
from tdlc_syndication.sources.base import ChecksConfig, Source
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
