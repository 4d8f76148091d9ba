"""Settings models of the source kinds: what each ``kind`` adds to what every
``[[sources]]`` entry has (``config.sourcebase``). The ``SourceConfig`` union is the table
of kinds the config accepts; ``SOURCE_MODELS`` is derived from it."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal, get_args
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from pydantic import Field, field_validator, model_validator

from tdlc_syndication.config.base import (
    Strict,
    check_http_url,
    check_site_url,
    day_text,
    modern_selector,
    resolve_path,
    subscribed_url,
)
from tdlc_syndication.config.credentials import check_no_variable
from tdlc_syndication.config.sourcebase import SourceBase


class FeedSourceConfig(SourceBase):
    """``kind = "feed"``: an RSS 0.9x/1.0/2.0 or Atom feed, over HTTP or from a file."""

    kind: Literal["feed"] = Field(description="Source kind.")
    url: str | None = Field(
        default=None,
        description="http(s) URL of the feed (RSS, RDF, Atom or JSON Feed); a feed:// "
        "address, as some sites link their feeds, is read over http(s).",
    )
    path: Path | None = Field(
        default=None, description="Local feed file, relative to the config file."
    )

    _path = field_validator("path")(resolve_path)

    _subscribed = field_validator("url", mode="before")(subscribed_url)
    _url = field_validator("url")(check_http_url)

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
        "Relative attachment paths are published under it; a relative link in a note, "
        "and a url written as a path (url: /news/kobe-drill/), are read from there.",
    )

    _path = field_validator("path")(resolve_path)
    _attachments_url = field_validator("attachments_url")(check_site_url)


# The settings of the html kind that are CSS selectors (its event selectors too).
SELECTOR_NAMES = (
    "item_selector", "title_selector", "link_selector", "date_selector", "summary_selector",
    "image_selector", "next_selector", "content_selector",
)  # fmt: skip


class EventSelectors(Strict):
    """Where a page without a JSON-LD Event writes an event's date and place."""

    event_selector: str | None = Field(
        default=None,
        description="Text with the event's day and time (開催日時), e.g. 'dl.event dd': "
        "'令和8年12月3日(木曜日)13時30分～15時' or '3-4 December 2026' give a start and an "
        "end, and an item with such a text is an event. kind html reads it inside each item "
        "block, and with follow on the item page when the block has none; kind sitemap on "
        "each page. A JSON-LD Event wins over it.",
    )
    location_selector: str | None = Field(
        default=None,
        description="Text with the event's place (会場), e.g. 'dd.place'; read where "
        "event_selector is.",
    )

    _modern = field_validator("event_selector", "location_selector", mode="before")(modern_selector)


class HtmlSourceConfig(EventSelectors, SourceBase):
    """``kind = "html"``: a page without a feed, read with CSS selectors.

    A selector picks elements inside each item block; ``selector@attr`` takes an attribute
    instead of the text (``a@href``), and ``@attr`` alone takes an attribute of the block.
    """

    kind: Literal["html"] = Field(description="Source kind.")
    url: str = Field(description="http(s) URL of the list page.")
    item_selector: str = Field(description="CSS selector of each item block on the list page.")
    title_selector: str = Field(default="a", description="Title inside a block.")
    link_selector: str = Field(
        default="a@href",
        description="Link inside a block; one a script opens (javascript:, or onclick on the "
        "link or the block) is read from the script.",
    )
    date_selector: str | None = Field(
        default=None,
        description="Date inside a block; without it the block's text is searched for one "
        "(a day still to come there is not taken as the publication date). A <time>'s "
        "datetime dates a block whose text gives no date.",
    )
    date_format: str = Field(
        default="auto",
        description="strftime format of the date, found in the date's text or anywhere in "
        "the block's ('%d/%m/%Y' for 26/11/2026, which auto does not read), or 'auto' (ISO, "
        "Japanese era and 年月日 forms, 2026/11/26, 2026.11.26, month names in English, "
        "Indonesian, Spanish, Portuguese and French, Vietnamese 'tháng').",
    )
    summary_selector: str | None = Field(default=None, description="Summary inside a block.")
    image_selector: str | None = Field(default=None, description="Image inside a block (img@src).")
    next_selector: str | None = Field(
        default=None,
        description="Link to the next list page (a.next@href); unset, the link the page "
        'marks as its next (<link rel="next">, <a rel="next">) when max_pages is over 1.',
    )
    max_pages: int = Field(default=1, ge=1, le=50, description="List pages read per run.")
    follow: bool = Field(
        default=False,
        description="Fetch each item's page for its full text, og: metadata and JSON-LD.",
    )
    follow_limit: int = Field(
        default=20, ge=1, le=500, description="Most item pages fetched per run."
    )
    content_selector: str | None = Field(
        default=None, description="Main text on an item page (default: article, main)."
    )

    _url = field_validator("url")(check_http_url)
    _selectors = field_validator(*SELECTOR_NAMES, mode="before")(modern_selector)

    @field_validator("date_format")
    @classmethod
    def _date_format(cls, value: str) -> str:
        """``auto``, or a format that ``strptime`` can read a date with: a bad directive
        (``%Q``) or none at all (``yyyy-mm-dd``) left every item without its date."""
        if value == "auto":
            return value
        if "%" not in value:
            raise ValueError(
                f"{value!r} has no strftime directive; write the date's form with them, "
                "such as %Y年%m月%d日 or %d %B %Y, or use auto"
            )
        try:
            datetime.strptime(datetime(2026, 11, 26, 13, 30).strftime(value), value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a strftime format ({exc}), or use auto") from None
        return value


class JsonPaging(Strict):
    """How a generic JSON API pages."""

    mode: Literal["none", "offset", "page", "next"] = Field(
        default="none", description="none, offset (start index), page (page number), next (link)."
    )
    param: str = Field(default="page", description="Query parameter of the offset or page.")
    size_param: str | None = Field(default=None, description="Query parameter of the page size.")
    size: int = Field(default=50, ge=1, le=1000, description="Items per page.")
    start: int = Field(default=1, ge=0, description="First page number (or offset).")
    next_path: str | None = Field(default=None, description="Path of the next-page link (next).")
    total_path: str | None = Field(default=None, description="Path of the total item count.")
    total_header: str | None = Field(
        default=None, description="Header with the total page count (X-WP-TotalPages)."
    )
    max_pages: int = Field(default=10, ge=1, le=1000, description="Most pages read per run.")


class JsonSourceConfig(SourceBase):
    """``kind = "json"``: a JSON API mapped to items by paths (``a.b.*.c``)."""

    kind: Literal["json"] = Field(description="Source kind.")
    url: str = Field(description="http(s) URL of the API.")
    params: dict[str, str] = Field(
        default_factory=dict, description="Extra query parameters (written out, no ${NAME})."
    )
    items_path: str = Field(
        default="", description="Path of the item list ('' = the top level; '*' = every value)."
    )
    fields: dict[str, str] = Field(
        description="Item field → path in each record: id, title, url (required); summary, "
        "content_html, published, updated, authors, categories, image, language, kind, "
        "identifiers (values written scheme:value) and identifier:<scheme> (bare values, "
        "e.g. identifier:doi), which join the records of other sources for the same work; "
        "for an events API, event_start, event_end, event_all_day (true: whole days), "
        "location and event_status (a record with a start is an event). published, "
        "updated, event_start and event_end may be text or Unix seconds or milliseconds, "
        'as a number or as text ("1764547200", .NET\'s "/Date(1764547200000)/").'
    )
    paging: JsonPaging = Field(default_factory=JsonPaging, description="Paging rules.")
    lists_every_event: bool = Field(
        default=False,
        description="The API lists every event still to come (The Events Calendar does): "
        "one it no longer lists, when its list is read to the end, was deleted and is withdrawn.",
    )

    _url = field_validator("url")(check_http_url)

    @field_validator("params")
    @classmethod
    def _params(cls, value: dict[str, str]) -> dict[str, str]:
        for parameter in value.values():
            check_no_variable(parameter)
        return value

    @field_validator("fields")
    @classmethod
    def _fields(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [name for name in ("title", "url") if name not in value]
        if missing:
            raise ValueError(f"map the required item fields: {', '.join(missing)}")
        known = set(JSON_ITEM_FIELDS)
        unknown = sorted(k for k in set(value) - known if not IDENTIFIER_FIELD.match(k))
        if unknown:
            raise ValueError(
                f"unknown item fields {', '.join(unknown)}; use {', '.join(sorted(known))} "
                "or identifier:<scheme> (e.g. identifier:doi)"
            )
        return value


JSON_ITEM_FIELDS = (
    "id", "title", "url", "summary", "content_html", "published", "updated", "authors",
    "categories", "image", "language", "kind", "identifiers",
    "event_start", "event_end", "event_all_day", "location", "event_status",
)  # fmt: skip
# "identifier:<scheme>" maps bare values (a DOI, a document id) to "<scheme>:<value>".
IDENTIFIER_FIELD = re.compile(r"^identifier:[a-z][a-z0-9_-]*$")


class WorldBankDocumentsConfig(SourceBase):
    """``kind = "worldbank_documents"``: the World Bank Documents & Reports API."""

    kind: Literal["worldbank_documents"] = Field(description="Source kind.")
    url: str = Field(
        default="https://search.worldbank.org/api/v3/wds",
        description="API base (v3; v2 has the same grammar).",
    )
    qterms: list[str] = Field(
        min_length=1, description="Full-text queries; each is run and the results merged."
    )
    filters: dict[str, str] = Field(
        default_factory=dict,
        description="Exact filters such as docty_exact = 'Brief^Publication' ('^' = or).",
    )
    rows: int = Field(default=100, ge=1, le=100, description="Results per page.")
    window_days: int = Field(
        default=120, ge=1, le=3650, description="Document dates this far back are asked for."
    )
    max_pages: int = Field(default=10, ge=1, le=100, description="Most pages per query per run.")
    include_project_documents: bool = Field(
        default=False,
        description="Keep 'Project Documents' (procurement plans, audits); they flood results.",
    )

    _url = field_validator("url")(check_http_url)


# The arguments of an OAI-PMH request, which the harvest writes itself.
_OAI_ARGUMENTS = frozenset(
    {"verb", "metadataPrefix", "set", "from", "until", "resumptionToken", "identifier"}
)


class OaiPmhConfig(SourceBase):
    """``kind = "oai_pmh"``: an OAI-PMH repository (ListRecords, oai_dc)."""

    kind: Literal["oai_pmh"] = Field(description="Source kind.")
    url: str = Field(description="Base URL of the OAI-PMH endpoint.")
    metadata_prefix: str = Field(default="oai_dc", description="Only oai_dc is mapped.")
    sets: list[str] = Field(default_factory=list, description="setSpecs to harvest (all if empty).")
    since: str | None = Field(
        default=None,
        description="First harvest starts here (YYYY-MM-DD, quoted or as a TOML date); later "
        "ones from the last harvest.",
    )
    max_pages: int = Field(default=20, ge=1, le=1000, description="Most pages per run.")
    title_filter: list[str] = Field(
        default_factory=list,
        description="Keep only records whose title contains one of these (case-insensitive).",
    )

    _url = field_validator("url")(check_http_url)
    _since = field_validator("since", mode="before")(day_text)

    @field_validator("url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        """Refuse a request's address where the base URL belongs: pasted from a browser
        (``…/request?verb=ListRecords&metadataPrefix=oai_dc&set=col_1``), its arguments
        were kept beside the harvest's own, and the repository refused the harvest's
        second page (a resumptionToken allows no other argument)."""
        parts = urlsplit(value)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        asked = [(key, given) for key, given in pairs if key in _OAI_ARGUMENTS]
        if not asked:
            return value
        base = urlunsplit(parts._replace(query=urlencode([p for p in pairs if p not in asked])))
        sets = [given for key, given in asked if key == "set"]
        also = f" and sets = [{', '.join(repr(s) for s in sets)}]" if sets else ""
        named = ", ".join(sorted({key for key, _ in asked}))
        raise ValueError(
            f"is a request ({named}), not the repository's base URL: write {base!r}{also}"
        )

    @field_validator("metadata_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if value != "oai_dc":
            raise ValueError("only 'oai_dc' is supported")
        return value


class IcalSourceConfig(SourceBase):
    """``kind = "ical"``: an iCalendar (.ics) event feed, over HTTP or from a file."""

    kind: Literal["ical"] = Field(description="Source kind.")
    url: str | None = Field(
        default=None,
        description="http(s) URL of the calendar; a webcal:// address (as Apple's and "
        "Outlook's calendars publish one) is read over https.",
    )
    path: Path | None = Field(default=None, description="Local .ics file.")
    page_url: str | None = Field(
        default=None,
        description="Where people see the calendar on the web: the link of an event without "
        "its own URL (Google and Outlook calendars give none). Default: the calendar's own "
        "URL property; without either, such events are dropped (no-link).",
    )
    past_days: int = Field(
        default=31,
        ge=0,
        le=3660,
        description="Occurrences of repeating events are kept from this many days ago...",
    )
    future_days: int = Field(
        default=366,
        ge=0,
        le=3660,
        description="...to this many days ahead (one-off events are all kept).",
    )

    _subscribed = field_validator("url", mode="before")(subscribed_url)
    _url = field_validator("url", "page_url")(check_http_url)
    _path = field_validator("path")(resolve_path)

    @model_validator(mode="after")
    def _one_location(self) -> IcalSourceConfig:
        if (self.url is None) == (self.path is None):
            raise ValueError("give exactly one of 'url' or 'path'")
        return self


class SitemapSourceConfig(EventSelectors, SourceBase):
    """``kind = "sitemap"``: change discovery through sitemap.xml (and sitemap indexes)."""

    kind: Literal["sitemap"] = Field(description="Source kind.")
    url: str = Field(description="URL of sitemap.xml or of a sitemap index.")
    include: list[str] = Field(
        default_factory=list, description="Keep page URLs whose path starts with one of these."
    )
    exclude: list[str] = Field(
        default_factory=list, description="Drop page URLs whose path starts with one of these."
    )
    max_pages: int = Field(
        default=30, ge=1, le=1000, description="Most new or changed pages fetched per run."
    )
    sitemaps: list[str] = Field(
        default_factory=list,
        description="Read only the child sitemaps of an index whose URL contains one of "
        "these (e.g. 'post-sitemap', 'news'); all when empty.",
    )
    max_sitemaps: int = Field(
        default=20,
        ge=1,
        le=500,
        description="Most child sitemaps read per run, newest lastmod first; a child whose "
        "lastmod has not changed since it was last read in full is not read again.",
    )
    content_selector: str | None = Field(
        default=None, description="Main text on a page (default: article, main)."
    )

    _url = field_validator("url")(check_http_url)
    _selectors = field_validator("content_selector", mode="before")(modern_selector)

    @field_validator("include", "exclude")
    @classmethod
    def _path_prefixes(cls, values: list[str]) -> list[str]:
        """Path prefixes, compared with each page URL's path: one written without its
        leading '/' matched nothing, and the source read no page. A whole URL is read as
        its path. Kept unescaped, as page paths are compared (``/%E5%B8%82/`` is
        ``/市/``)."""
        prefixes = []
        for value in values:
            if value.startswith(("http://", "https://")):
                value = urlsplit(value).path or "/"
            if not value.startswith("/"):
                raise ValueError(
                    f"{value!r} is not a path: write it from the site's root, such as "
                    f"'/{value.lstrip('./')}'"
                )
            prefixes.append(unquote(value))
        return prefixes


SourceConfig = Annotated[
    FeedSourceConfig
    | CatalogSourceConfig
    | HtmlSourceConfig
    | JsonSourceConfig
    | WorldBankDocumentsConfig
    | OaiPmhConfig
    | IcalSourceConfig
    | SitemapSourceConfig,
    Field(discriminator="kind"),
]

SOURCE_MODELS: dict[str, type[SourceBase]] = {
    get_args(model.model_fields["kind"].annotation)[0]: model
    for model in get_args(get_args(SourceConfig)[0])
}
SOURCE_KINDS: tuple[str, ...] = tuple(SOURCE_MODELS)
