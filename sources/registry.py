"""The table of source kinds: config ``kind`` name → class. The only module that knows
every kind; no kind imports another.

Adding a kind takes its module, its settings model (``config.sources``) and one entry in
``KINDS`` below. A kind's module is imported the first time a source of that kind is
built, so a run whose sources are all feeds never loads the HTML or calendar parsers.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from tdlc_syndication.config.credentials import variables
from tdlc_syndication.sources.base import ChecksConfig, ProducesKinds, Source, WarnsConfig

if TYPE_CHECKING:
    from tdlc_syndication.config.sources import SourceConfig
    from tdlc_syndication.pipeline.http import Http

# kind name → (module under tdlc_syndication.sources, class)
KINDS: dict[str, tuple[str, str]] = {
    "feed": ("feed", "FeedSource"),
    "catalog": ("catalog", "CatalogSource"),
    "html": ("html", "HtmlSource"),
    "json": ("jsonapi", "JsonSource"),
    "worldbank_documents": ("worldbank", "WorldBankDocumentsSource"),
    "oai_pmh": ("oai", "OaiPmhSource"),
    "ical": ("ical", "IcalSource"),
    "sitemap": ("sitemap", "SitemapSource"),
}


def kind_module(kind: str) -> str:
    """The full name of the module of the source kind ``kind``.

    Raises:
        KeyError: no such kind.
    """
    return f"tdlc_syndication.sources.{KINDS[kind][0]}"


class _SourceTypes(Mapping[str, type[Source]]):
    """``KINDS`` as classes, each module imported on first use."""

    def __init__(self) -> None:
        self._loaded: dict[str, type[Source]] = {}

    def __getitem__(self, kind: str) -> type[Source]:
        if kind not in self._loaded:
            cls: type[Source] = getattr(importlib.import_module(kind_module(kind)), KINDS[kind][1])
            self._loaded[kind] = cls
        return self._loaded[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(KINDS)

    def __len__(self) -> int:
        return len(KINDS)


SOURCE_TYPES: Mapping[str, type[Source]] = _SourceTypes()


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
    kinds the source can give that the taxonomy lacks, credentials that name environment
    variables this environment lacks, and the kind's own warnings."""
    kind = SOURCE_TYPES[config.kind]
    warnings = list(kind.warn_config(config)) if issubclass(kind, WarnsConfig) else []
    unset = [
        name
        for name in variables(*config.headers.values(), config.username, config.password)
        if name not in os.environ
    ]
    if unset:
        warnings.append(
            f"headers: {', '.join(unset)} {'is' if len(unset) == 1 else 'are'} not set in "
            "this environment; the source fails until the environment that runs it sets "
            f"{'it' if len(unset) == 1 else 'them'} (the service's, e.g. its EnvironmentFile)"
        )
    if (config.headers or config.username) and not getattr(config, "url", None):
        warnings.append("headers: the source reads a local file; they are never sent")
    missing = sorted(kinds_produced(config) - set(vocabulary))
    if missing:
        warnings.append(
            f"kinds: this source can give items of kind {', '.join(missing)}, which "
            "[taxonomy.kinds] lacks; such items get the source's default_kind. Add them "
            "to [taxonomy.kinds]"
        )
    return warnings
