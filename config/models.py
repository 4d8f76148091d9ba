"""Pydantic models of the TOML settings file.

Every model forbids unknown keys and is frozen. Every field carries a description; the
README's config reference lists the same fields (a test keeps the two in step). ``[site]``
lives in ``config.site``, the source kinds in ``config.sources``, the taxonomy in
``config.taxonomy``, the editors' overrides in ``config.editorial`` and the digest in
``config.digest``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field, PrivateAttr, field_validator, model_validator

from tdlc_syndication.config.base import (
    HOUR,
    YEAR,
    Renamable,
    Slug,
    Strict,
    check_file_path,
    check_http_url,
    check_language,
    check_one_line,
    check_plain_text,
    check_timezone,
    parse_schedule,
    resolve_path,
)
from tdlc_syndication.config.digest import DigestConfig
from tdlc_syndication.config.editorial import EditorialConfig
from tdlc_syndication.config.languages import base_language
from tdlc_syndication.config.shapes import item_shape, items_common
from tdlc_syndication.config.site import SiteConfig
from tdlc_syndication.config.sourcebase import SourceBase
from tdlc_syndication.config.sources import (
    SOURCE_KINDS,
    SOURCE_MODELS,
    CatalogSourceConfig,
    FeedSourceConfig,
    SourceConfig,
)
from tdlc_syndication.config.taxonomy import Taxonomy
from tdlc_syndication.config.websub import WebSubConfig

__all__ = [
    "SOURCE_KINDS",
    "SOURCE_MODELS",
    "CatalogSourceConfig",
    "FeedSourceConfig",
    "Settings",
    "SiteConfig",
    "SourceBase",
    "SourceConfig",
    "parse_schedule",
]


class ServeConfig(Strict):
    """``[serve]``: the preview server of ``syndicate serve``."""

    host: str = Field(default="127.0.0.1", description="Address to listen on.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port to listen on.")
    cache_control: str = Field(
        default="public, max-age=300",
        description="Cache-Control header sent with every file.",
    )

    _cache_control = field_validator("cache_control")(check_one_line)


class HttpConfig(Strict):
    """``[http]``: how every source is fetched over the network."""

    user_agent: str = Field(
        default="tdlc-syndication/0.1",
        description="Product token sent as User-Agent; the contact URL is appended.",
    )
    contact_url: str = Field(
        default="https://github.com/tdlc/tdlc-syndication",
        description="URL site operators can visit to reach us; part of the User-Agent.",
    )
    connect_timeout: float = Field(default=10.0, gt=0, le=HOUR, description="Seconds to connect.")
    read_timeout: float = Field(
        default=30.0, gt=0, le=HOUR, description="Seconds to wait for each chunk of the answer."
    )
    deadline: float = Field(
        default=60.0,
        gt=0,
        le=HOUR,
        description="Seconds a whole request may take, body included.",
    )
    max_body_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=1024,
        description="Largest body accepted, counted after decompression.",
    )
    max_redirects: int = Field(
        default=5,
        ge=0,
        le=20,
        description="Redirects followed, counting pages that send their reader on (a Refresh "
        'header or <meta http-equiv="refresh"> to another address within 60 s).',
    )
    workers: int = Field(
        default=16,
        ge=1,
        le=64,
        description="Sources fetched in parallel by fetch and run (threads; a worker never "
        "waits on one busy host while another host has work, and one that waits for its "
        "host's turn within a source has another stand in, up to twice as many threads).",
    )
    per_host: int = Field(
        default=2, ge=1, le=16, description="Requests in flight to one host at a time."
    )
    host_delay: float = Field(
        default=1.0,
        ge=0,
        le=HOUR,
        description="Minimum seconds between two requests to one host.",
    )
    robots_txt: bool = Field(default=True, description="Obey each host's robots.txt.")
    ca_file: Path | None = Field(
        default=None,
        description="A PEM file of more certificates HTTPS is verified with, besides "
        "certifi's roots: an internal CA's, or an intermediate a server leaves out and "
        "names nowhere to fetch (one it names is fetched by itself). Relative to the "
        "settings file.",
    )
    max_poll_delay: float = Field(
        default=86400.0,
        ge=0,
        le=YEAR,
        description="Longest wait (seconds) a source's own hint (RSS ttl, Cache-Control "
        "max-age, Expires) may put before its next poll; 0 ignores such hints.",
    )
    max_retry_after: float = Field(
        default=6 * 3600.0,
        ge=0,
        le=YEAR,
        description="Longest Retry-After (seconds) honoured before the source is tried again.",
    )
    backoff_base: float = Field(
        default=300.0,
        ge=0,
        le=YEAR,
        description="First back-off (seconds) after a failure; doubles.",
    )
    backoff_max: float = Field(
        default=24 * 3600.0,
        ge=0,
        le=YEAR,
        description="Longest back-off (seconds) after failures.",
    )
    stale_after: int = Field(
        default=5, ge=1, description="Consecutive failed runs after which a source is 'stale'."
    )

    _user_agent = field_validator("user_agent")(check_one_line)
    _contact_url = field_validator("contact_url")(check_http_url)
    _ca_path = field_validator("ca_file")(resolve_path)

    @field_validator("ca_file")
    @classmethod
    def _certificates(cls, value: Path | None) -> Path | None:
        if value is None:
            return value
        check_file_path(value)
        try:
            text = value.read_bytes()[:1_000_000]
        except OSError as exc:
            raise ValueError(f"cannot read {str(value)!r}: {exc.strerror}") from None
        if b"-----BEGIN CERTIFICATE-----" not in text:
            raise ValueError(
                f"{str(value)!r} holds no certificate: give a PEM file "
                "(-----BEGIN CERTIFICATE----- ...)"
            )
        return value


class NormaliseConfig(Strict):
    """``[normalise]``: rules applied to every item of every source."""

    summary_length: int = Field(
        default=400, ge=40, le=5000, description="Longest summary, cut at a word boundary."
    )
    https_hosts: list[str] = Field(
        default_factory=list,
        description="Hosts whose http:// links are upgraded to https:// (they serve both).",
    )
    strip_params: list[str] = Field(
        default_factory=list,
        description="Query parameters removed from links, besides utm_*, fbclid, gclid and "
        "the other well-known trackers.",
    )
    embed_hosts: list[str] = Field(
        default_factory=lambda: [
            "www.youtube.com",
            "www.youtube-nocookie.com",
            "player.vimeo.com",
            "open.spotify.com",
            "docs.google.com",
            "forms.office.com",
            "calendar.google.com",
        ],
        description="Hosts whose <iframe> embeds (a video, a podcast's episode, a form, slides, "
        "a calendar) stay in content as a link to what they show (an iframe makes the feed "
        "validator warn); all other iframes are removed.",
    )

    @field_validator("https_hosts", "embed_hosts")
    @classmethod
    def _hosts(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(r"^[a-z0-9.-]+$", value):
                raise ValueError(f"{value!r} is not a host name (lower-case, no scheme or path)")
        return values


class RunConfig(Strict):
    """``[run]``: how a run uses the machine, and how the daemon (``syndicate run``) keeps
    time."""

    processes: int = Field(
        default=0,
        ge=0,
        le=64,
        description="Processes that parse and clean fetched documents, and that render a "
        "publish of the whole site. 0: one per CPU core (at most 4) when a run has at least "
        "16 sources or the store at least 2,000 items, else none; 1: none (the fetching "
        "threads parse, the publishing process renders).",
    )
    jitter: int = Field(
        default=30,
        ge=0,
        le=3600,
        description="The daemon starts each scheduled sync up to this many seconds late, "
        "at random, so that sources on one schedule do not all hit the network at once.",
    )
    misfire_grace: int = Field(
        default=3600,
        ge=1,
        le=YEAR,
        description="Seconds a sync may start late (the machine was busy or asleep) and "
        "still run; a later one waits for its next turn. Missed turns run once, not once "
        "each.",
    )
    publish_delay: int = Field(
        default=30,
        ge=0,
        le=3600,
        description="Seconds the daemon waits after a sync that changed something before "
        "publishing, so that sources finishing together publish once.",
    )
    stop_timeout: int = Field(
        default=60,
        ge=1,
        le=HOUR,
        description="Seconds the daemon gives the work in hand to finish after SIGTERM or "
        "SIGINT; a store transaction or output not finished by then is not written.",
    )
    metrics_file: Path | None = Field(
        default=None,
        description="A Prometheus text file (for node_exporter's textfile collector) the "
        "daemon and run --once rewrite after each cycle. Relative to the settings file.",
    )
    keep_runs_days: int = Field(
        default=90,
        ge=1,
        le=36_600,
        description="Days of run history kept; older runs are pruned (each source's latest "
        "run is always kept). Items are never pruned.",
    )

    _path = field_validator("metrics_file")(resolve_path)
    _metrics_file = field_validator("metrics_file")(check_file_path)


FeedGroup = Literal["main", "topic", "place", "kind", "language"]


class ArchivesConfig(Strict):
    """``[archives]``: which feeds keep RFC 5005 archive pages, and what those pages carry."""

    feeds: list[FeedGroup] = Field(
        default_factory=lambda: list[FeedGroup](["main"]),
        description="Feed groups whose older items stay reachable through archive pages: "
        "main (feeds/all and every [[feeds]] entry), topic, place, kind, language. The other "
        "feeds hold their newest feed_size items only.",
    )
    formats: list[Literal["atom", "rss", "json"]] = Field(
        default_factory=lambda: list[Literal["atom", "rss", "json"]](["atom"]),
        min_length=1,
        description="Formats that get archive pages. RFC 5005 is defined for Atom, and the "
        "readers that walk archives read Atom; add rss and json for RSS 2.0 archives and "
        "JSON Feed next_url paging. A subscription document in a format without archives "
        "links none.",
    )
    full_content: bool = Field(
        default=False,
        description="Archive pages carry each item's full HTML content, not only its "
        "summary (about three times the size).",
    )


class FeedConfig(Renamable):
    """``[[feeds]]``: a published feed selecting items by topic, place, kind, source, language.

    Within one field any value matches; across fields all must match. Empty means any.
    """

    id: Slug = Field(description="Slug; the files are feeds/<id>.atom and feeds/<id>.rss.")
    title: str = Field(min_length=1, description="Feed title.")
    description: str = Field(default="", description="Feed subtitle.")
    topics: list[Slug] = Field(default_factory=list, description="Keep items with any of these.")
    places: list[Slug] = Field(default_factory=list, description="Keep items with any of these.")
    kinds: list[Slug] = Field(default_factory=list, description="Keep items of these kinds.")
    sources: list[Slug] = Field(default_factory=list, description="Keep items of these sources.")
    languages: list[str] = Field(
        default_factory=list,
        description="Keep items in these languages (ISO 639 codes; the language counts, not "
        "the country: `ja-JP` is read as `ja`).",
    )
    formerly: list[Slug] = Field(
        default_factory=list,
        description="Ids this feed had before it was renamed: its old addresses keep "
        "answering (copies of the feed, redirects in _redirects).",
    )

    _plain = field_validator("title", "description")(check_plain_text)

    @field_validator("languages")
    @classmethod
    def _languages(cls, values: list[str]) -> list[str]:
        """Items match by their primary language subtag in the outputs' form: a feed of
        `ja-JP`, `JA` or `jpn` matched nothing and stayed empty. Such a code is read as `ja`."""
        tags = [check_language(value) or "" for value in values]
        return list(dict.fromkeys(base_language(tag) for tag in tags))


class Settings(Strict):
    """The whole settings file."""

    site: SiteConfig = Field(description="Site identity and output locations.")
    http: HttpConfig = Field(default_factory=HttpConfig, description="Network behaviour.")
    serve: ServeConfig = Field(default_factory=ServeConfig, description="Preview server.")
    normalise: NormaliseConfig = Field(
        default_factory=NormaliseConfig, description="Item cleaning rules."
    )
    editorial: EditorialConfig = Field(
        default_factory=EditorialConfig, description="Editors' overrides."
    )
    taxonomy: Taxonomy = Field(default_factory=Taxonomy, description="Topics, places, kinds.")
    archives: ArchivesConfig = Field(
        default_factory=ArchivesConfig, description="RFC 5005 archive pages of the feeds."
    )
    run: RunConfig = Field(default_factory=RunConfig, description="Use of the machine.")
    digest: DigestConfig = Field(default_factory=DigestConfig, description="The weekly digest.")
    websub: WebSubConfig = Field(
        default_factory=WebSubConfig, description="Push from the hubs the feeds name."
    )
    sources: list[SourceConfig] = Field(default_factory=list, description="Where items come from.")
    feeds: list[FeedConfig] = Field(
        default_factory=list, description="Extra filtered feeds besides feeds/all.*."
    )

    @model_validator(mode="before")
    @classmethod
    def _sources_in_site_zone(cls, data: Any) -> Any:
        """A source without ``timezone`` reads naive times in the site's zone."""
        if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
            return data
        site = data.get("site")
        zone = site.get("timezone") if isinstance(site, dict) else None
        zone = zone or SiteConfig.model_fields["timezone"].default
        if not isinstance(zone, str):
            return data  # the site's own field reports it
        try:
            check_timezone(zone)
        except ValueError:
            return data  # the site's own field reports it
        sources = [
            {**source, "timezone": zone}
            if isinstance(source, dict) and source.get("timezone") is None
            else source
            for source in data["sources"]
        ]
        return {**data, "sources": sources}

    _shaping: dict[str, Any] | None = PrivateAttr(default=None)

    @property
    def preview_dir(self) -> Path:
        """Where ``digest --preview`` writes drafts: ``[digest] preview_dir``, by default
        ``digest-preview`` beside the store (private as the store is, and written by
        whoever writes the store)."""
        return self.digest.preview_dir or self.site.database.parent / "digest-preview"

    def shaping(self) -> dict[str, Any]:
        """What shapes the outputs (``site``, ``feeds``, ``taxonomy``, ``archives``, and
        whether the digest is ``enabled``) as JSON-ready data, worked out once: settings
        never change, and settings taken from the cache keep it, so they never build the
        serialiser."""
        if self._shaping is None:
            self._shaping = self.model_dump(
                mode="json",
                include={
                    "site": True,
                    "feeds": True,
                    "taxonomy": True,
                    "archives": True,
                    "digest": {"enabled"},  # the link to the digest on every page
                },
            )
        return self._shaping

    _item_shapes: dict[str, tuple[SourceConfig, str]] | None = PrivateAttr(default=None)

    def item_shape(self, source: SourceConfig) -> str:
        """A fingerprint of the settings that shape ``source``'s items: its own entry (all
        but ``schedule``, ``name`` and ``enabled``), ``[normalise]``, ``[taxonomy]`` and
        ``site.language``. Worked out once for the settings' own sources, as
        :meth:`shaping` is (and kept with them in the cache)."""
        if self._item_shapes is None:
            common = items_common(self.normalise, self.taxonomy, self.site.language)
            self._item_shapes = {s.id: (s, item_shape(common, s)) for s in self.sources}
        kept = self._item_shapes.get(source.id)
        if kept is not None and kept[0] is source:
            return kept[1]
        common = items_common(self.normalise, self.taxonomy, self.site.language)
        return item_shape(common, source)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy (with ``update`` applied); it works out its own :meth:`shaping` and
        :meth:`item_shape`."""
        copy = super().model_copy(update=update, deep=deep)
        copy._shaping = None
        copy._item_shapes = None
        return copy

    def source(self, source_id: str) -> SourceConfig:
        """Return the source with this id.

        Raises:
            KeyError: no source has that id.
        """
        for src in self.sources:
            if src.id == source_id:
                return src
        raise KeyError(source_id)
