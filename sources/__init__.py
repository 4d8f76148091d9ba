"""Source kinds: one module per kind, registered by the config ``kind`` name."""

from tdlc_syndication.sources.base import SOURCE_TYPES, Fetched, FetchState, Source, build_source

__all__ = ["SOURCE_TYPES", "FetchState", "Fetched", "Source", "build_source"]
