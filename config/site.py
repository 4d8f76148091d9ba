"""``[site]``: who publishes, where the site lives and where its files go (a model of the
settings file, as those of ``config.models`` are)."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, field_validator

from tdlc_syndication.config.base import (
    YEAR,
    Strict,
    check_addresses,
    check_file_path,
    check_folder_path,
    check_http_url,
    check_language,
    check_plain_text,
    check_timezone,
    site_url,
    tag_date_text,
)


class SiteConfig(Strict):
    """``[site]``: who publishes, where the site lives and where files go."""

    title: str = Field(min_length=1, description="Name of the site and of the main feed.")
    description: str = Field(
        default="", description="One sentence about the site; the feeds' subtitle."
    )
    base_url: str = Field(
        description="Absolute http(s) URL where the output folder is published, ending in '/'. "
        "Feed self links and ids are built from it; a Japanese domain or path is published "
        "in ASCII (IDNA host, percent-encoded path)."
    )
    language: str = Field(
        default="en",
        description="Language of the site: an ISO 639 code ('en', 'ja'), optionally with a "
        "script or country ('zh-Hant', 'en-GB'): of its feeds, its title and description, "
        "and of items that say none (the pages' own words are English).",
    )
    timezone: str = Field(
        default="Asia/Tokyo",
        description="IANA time zone of the program; naive dates and digest weeks use it.",
    )
    author: str = Field(
        default="", description="Publisher name shown as the feeds' author (Atom requires one)."
    )
    author_email: str | None = Field(default=None, description="Contact e-mail of the publisher.")
    output_dir: Path = Field(
        default=Path("public"),
        description="Folder the site is written to; relative to the current directory.",
    )
    database: Path = Field(
        default=Path("syndicate.db"),
        description="SQLite store file; relative to the current directory.",
    )
    feed_size: int = Field(
        default=50, ge=1, le=10_000, description="How many of the newest items each feed holds."
    )
    index_size: int = Field(
        default=30, ge=1, le=1_000, description="How many newest items index.html lists."
    )
    search: bool = Field(
        default=True,
        description="Publish search/index.html, a search of every published item that runs "
        "in the reader's browser (its index is search/items-<n>.js, about 280 bytes an "
        "item), and a search box on every page. false: no script and no search files.",
    )
    sitemap: bool = Field(
        default=True,
        description="Publish sitemap.xml, every page of the site for search engines (and "
        "robots.txt naming it, for a site at its host's root). false: neither.",
    )
    ttl: int = Field(
        default=60,
        ge=1,
        le=YEAR // 60,
        description="Minutes a reader may cache a feed (RSS <ttl>).",
    )
    websub_hub: str | None = Field(
        default=None,
        description="WebSub hub URL: feeds carry rel='hub' and publish pings it for each "
        "changed feed.",
    )
    max_feed_bytes: int = Field(
        default=2_000_000,
        ge=10_000,
        description="Largest feed file lint accepts; lower feed_size if feeds grow past it.",
    )
    id_date: str = Field(
        default="2026",
        description="Date part of the tag: URIs used as feed and entry ids: a year, a month "
        "or a day (YYYY, YYYY-MM, YYYY-MM-DD; a TOML number or date too). Never change it "
        "once feeds are published: readers would see every item as new.",
    )
    id_host: str | None = Field(
        default=None,
        description="Host part of the tag: URIs used as feed and entry ids, and of the "
        "calendar's event UIDs (default: base_url's host). When the site moves to a new "
        "address, set it to the old host: the ids stay the same and readers see nothing "
        "new. `publish` refuses a change of the ids unless run with --new-ids.",
    )

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):  # the example, for the site's own
            raise ValueError("must be an absolute http(s) URL such as 'https://example.org/feeds/'")
        return site_url(value)

    _id_date = field_validator("id_date", mode="before")(tag_date_text)
    _tz = field_validator("timezone")(check_timezone)
    _language = field_validator("language")(check_language)
    _plain = field_validator("title", "description", "author")(check_plain_text)
    _output_dir = field_validator("output_dir")(check_folder_path)
    _database = field_validator("database")(check_file_path)
    _author_email = field_validator("author_email")(check_addresses)

    @field_validator("id_host")
    @classmethod
    def _id_host(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^[^\s/:@?#]+$", value):
            raise ValueError("must be a host name such as 'feeds.example.org' (no scheme or path)")
        return value

    _hub = field_validator("websub_hub")(check_http_url)
