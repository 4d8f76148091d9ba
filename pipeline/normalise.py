"""Normalisation: the same rules for every source, so items come out consistent.

``normalise(item, ...)`` returns a cleaned item or raises :class:`InvalidItem` with a short
reason that the run counts (``no-title``, ``no-link``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

import nh3

from tdlc_syndication.pipeline.errors import InvalidItem
from tdlc_syndication.pipeline.model import Item, Media
from tdlc_syndication.pipeline.text import (
    canonical_url,
    clean_text,
    has_japanese,
    plain_text,
    shorten,
    strip_controls,
)
from tdlc_syndication.pipeline.uris import ascii_url

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl",
        "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
        "ins", "kbd", "li", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
        "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "abbr": {"title"},
    "*": {"lang"},
}
EARLIEST_YEAR = 1900


@dataclass(frozen=True, slots=True, kw_only=True)
class Rules:
    """The settings normalisation needs, gathered from the config."""

    summary_length: int = 400
    https_hosts: frozenset[str] = frozenset()
    strip_params: frozenset[str] = frozenset()
    embed_hosts: frozenset[str] = frozenset()
    default_language: str = "en"


@dataclass(slots=True)
class Notes:
    """Counted reasons for what normalisation dropped or repaired."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, reason: str) -> None:
        """Count one occurrence of ``reason``."""
        self.counts[reason] += 1


def sanitise_html(
    value: str,
    base: str | None = None,
    *,
    embed_hosts: frozenset[str] = frozenset(),
    https_hosts: frozenset[str] = frozenset(),
) -> str:
    """Allow-list HTML cleaning (nh3): no scripts, handlers, styles, forms, SVG or unsafe URL
    schemes; ``<iframe>`` only for video embeds from ``embed_hosts`` (https).

    Relative ``href``/``src`` are made absolute against ``base``.
    """
    if not value.strip():
        return ""
    token = _LINKS.set(_Links(base, https_hosts, embed_hosts))
    try:
        cleaned = _cleaner(bool(embed_hosts)).clean(strip_controls(value))
    finally:
        _LINKS.reset(token)
    # An embed whose source was refused is an empty frame: drop it.
    cleaned = _EMPTY_IFRAME.sub("", cleaned)
    return cleaned.strip()


@dataclass(frozen=True, slots=True)
class _Links:
    """How the cleaning under way treats links (read by the cleaner's attribute filter)."""

    base: str | None
    https_hosts: frozenset[str]
    embed_hosts: frozenset[str]


_LINKS: ContextVar[_Links] = ContextVar("links")


def _absolutise(tag: str, attribute: str, url: str) -> str | None:
    if attribute not in ("href", "src"):
        return url
    links = _LINKS.get()
    base = links.base
    absolute = canonical_url(url, base, https_hosts=links.https_hosts) if base else ascii_url(url)
    lowered = absolute.lower()
    if tag == "iframe":
        host = urlsplit(absolute).hostname or ""
        return absolute if lowered.startswith("https://") and host in links.embed_hosts else None
    if not lowered.startswith(("http://", "https://", "mailto:")):
        return None
    return absolute


@lru_cache(maxsize=2)
def _cleaner(embeds: bool) -> nh3.Cleaner:
    """One reusable cleaner (building one costs as much as a cleaning), with or without
    ``<iframe>``."""
    tags = set(ALLOWED_TAGS)
    attributes = {k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()}
    if embeds:
        tags.add("iframe")
        attributes["iframe"] = {"src", "title", "width", "height", "allowfullscreen"}
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags={"script", "style"},
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_absolutise,
        strip_comments=True,
    )


_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\bsrc=)[^>]*>\s*</iframe>", re.I)


def normalise(item: Item, rules: Rules, now: datetime, notes: Notes | None = None) -> Item:
    """Clean one draft item.

    Raises:
        InvalidItem: the item has no usable title or no absolute http(s) link.
    """
    notes = notes if notes is not None else Notes()
    title = clean_text(item.title)
    content = sanitise_html(
        item.content_html,
        item.url or None,
        embed_hosts=rules.embed_hosts,
        https_hosts=rules.https_hosts,
    )
    if not title:
        raise InvalidItem("no-title", item.id)
    url = video_page(
        canonical_url(item.url, https_hosts=rules.https_hosts, strip_params=rules.strip_params)
    )
    if not url.startswith(("http://", "https://")):
        raise InvalidItem("no-link", item.id)
    summary = plain_text(item.summary) or plain_text(content)
    summary = shorten(summary, rules.summary_length)
    published, precision = item.published, item.published_precision
    if published is not None and not _plausible(published, now):
        notes.add("absurd-date")
        published, precision = None, None
    updated = item.updated if item.updated and _plausible(item.updated, now) else None
    if updated is not None and published is not None and updated < published:
        updated = None
    language = item.language or ("ja" if has_japanese(title + summary) else rules.default_language)
    return replace(
        item,
        title=title,
        url=url,
        summary=summary,
        content_html=content,
        authors=_unique(clean_text(a) for a in item.authors),
        published=published,
        published_precision=precision if published else None,
        updated=updated,
        language=language,
        categories=_unique(clean_text(c) for c in item.categories),
        identifiers=_unique(_identifier(i) for i in item.identifiers),
        media=tuple(_media(m, url, rules) for m in item.media if m.url),
        thumbnail=canonical_url(item.thumbnail, url, https_hosts=rules.https_hosts)
        if item.thumbnail
        else None,
        topics=_unique(item.topics),
        places=_unique(item.places),
        extra=tuple(sorted((k, strip_controls(v)) for k, v in item.extra)),
    )


_YOUTUBE_SHORT = re.compile(
    r"https?://(?:(?:www\.|m\.)?youtube\.com/(?:shorts|live|embed)/|youtu\.be/)([\w-]{6,})(?:[/?].*)?\Z"
)


def video_page(url: str) -> str:
    """YouTube's one address of a video page, ``https://www.youtube.com/watch?v=ID``, for
    its Shorts, live, embed and youtu.be forms; any other URL as it is."""
    match = _YOUTUBE_SHORT.match(url)
    return f"https://www.youtube.com/watch?v={match.group(1)}" if match else url


def _plausible(when: datetime, now: datetime) -> bool:
    return when.year >= EARLIEST_YEAR and when <= now + timedelta(days=1)


def _identifier(value: str) -> str:
    """``scheme:value`` with the scheme lower-cased and spaces trimmed (DOIs are
    case-insensitive, so they are lower-cased whole)."""
    scheme, _, rest = plain_text(value).partition(":")
    scheme = scheme.lower()
    rest = rest.strip()
    return f"{scheme}:{rest.lower() if scheme == 'doi' else rest}" if rest else ""


def _media(media: Media, base: str, rules: Rules) -> Media:
    return Media(
        url=canonical_url(media.url, base, https_hosts=rules.https_hosts),
        mime=media.mime,
        length=media.length if media.length and media.length > 0 else None,
        role=media.role,
        title=clean_text(media.title) if media.title else None,
    )


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return tuple(seen)
