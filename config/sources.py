"""Settings models of the source kinds: what every ``[[sources]]`` entry has, and what
each ``kind`` adds. ``SOURCE_MODELS`` is the registry of kinds the config accepts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from config.base import LANGUAGE, Slug, Strict, check_timezone, parse_schedule, resolve_path


class SourceBase(Strict):
    """Fields every ``[[sources]]`` entry has, whatever its kind."""

    id: Slug = Field(description="Unique slug of the source; part of every item id. Never change.")
    name: str | None = Field(default=None, description="Display name of the source.")
    enabled: bool = Field(default=True, description="Set false to skip the source.")
    schedule: str = Field(
        default="every 6h",
        description="When the daemon syncs it: 'every 30m' / 'every 6h' or a cron line.",
    )
    default_kind: Slug = Field(
        default="article", description="Kind of its items when nothing else says."
    )
    kind_map: dict[str, Slug] = Field(
        default_factory=dict,
        description="Origin category or document type (lower-case) mapped to an item kind.",
    )
    topics: list[Slug] = Field(default_factory=list, description="Topics every item gets.")
    places: list[Slug] = Field(default_factory=list, description="Places every item gets.")
    language: str | None = Field(
        default=None, pattern=LANGUAGE, description="Language of its items when they say none."
    )
    timezone: str | None = Field(
        default=None, description="Zone of naive dates in this source (default: site's)."
    )
    max_items: int = Field(
        default=500, ge=1, le=100_000, description="Most items taken from one fetch."
    )
    allow_private: bool = Field(
        default=False,
        description="Allow URLs that resolve to loopback or private addresses (tests, intranet).",
    )
    browser_user_agent: bool = Field(
        default=False,
        description="Send a browser-like User-Agent, for sites that refuse others.",
    )

    _tz = field_validator("timezone")(check_timezone)

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        parse_schedule(value)
        return value


class FeedSourceConfig(SourceBase):
    """``kind = "feed"``: an RSS 0.9x/1.0/2.0 or Atom feed, over HTTP or from a file."""

    kind: Literal["feed"] = Field(description="Source kind.")
    url: str | None = Field(default=None, description="http(s) URL of the feed.")
    path: Path | None = Field(
        default=None, description="Local feed file, relative to the config file."
    )

    _path = field_validator("path")(resolve_path)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an absolute http:// or https:// URL")
        return value

    @model_validator(mode="after")
    def _one_location(self) -> FeedSourceConfig:
        if (self.url is None) == (self.path is None):
            raise ValueError("give exactly one of 'url' or 'path'")
        return self


class CatalogSourceConfig(SourceBase):
    """``kind = "catalog"``: local materials (Markdown with front matter, YAML or CSV)."""

    kind: Literal["catalog"] = Field(description="Source kind.")
    path: Path = Field(
        description="A folder of .md files with front matter, or one .yaml/.yml/.csv file; "
        "relative to the config file."
    )
    attachments_url: str | None = Field(
        default=None,
        description="Public URL where the catalog folder is published, ending in '/'. "
        "Relative attachment paths are published under it.",
    )

    _path = field_validator("path")(resolve_path)


SourceConfig = Annotated[
    FeedSourceConfig | CatalogSourceConfig,
    Field(discriminator="kind"),
]

SOURCE_MODELS: dict[str, type[SourceBase]] = {
    "feed": FeedSourceConfig,
    "catalog": CatalogSourceConfig,
}
SOURCE_KINDS: tuple[str, ...] = tuple(SOURCE_MODELS)
