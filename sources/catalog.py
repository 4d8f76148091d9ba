"""``kind = "catalog"``: the program's own materials kept as local files.

Three layouts are read:

* a folder of Markdown files (``.md``, ``.markdown``), each with YAML front matter between
  ``---`` lines (or TOML between ``+++``) and the body as the item's content; a file named
  for its day (``2026-11-26-kobe-drill.md``, as Jekyll names a post) is of that day when
  its front matter gives none;
* one YAML file holding a list of entries (or a mapping with an ``items`` list);
* one CSV file with a header row (list fields separated by ``;``).

Entry fields: ``id`` (else the file name or row number), ``title``, ``url``, ``kind``,
``published``, ``updated``, ``language``, ``authors``, ``topics``, ``places``, ``summary``,
``body`` (YAML/CSV), ``thumbnail``, ``identifiers`` (keys such as ``wds:31476985`` that
name the same material elsewhere) and ``attachments`` (each a path relative to the catalog
folder or an absolute URL, with optional ``title``, ``mime`` and ``length``). The byte
length of a local attachment is read from the file; its MIME type from its extension.
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote, urljoin

from tdlc_syndication.config.files import NotUtf8, utf8_text
from tdlc_syndication.config.sources import CatalogSourceConfig
from tdlc_syndication.pipeline.errors import FetchError, ParseError
from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.pipeline.model import Cursor, Item, Media, Retraction
from tdlc_syndication.pipeline.text import count_of, links_from
from tdlc_syndication.sources.base import Document, Fetched, FetchState, Skipped
from tdlc_syndication.sources.catalogfiles import (
    CATALOG_FILES,
    LIST_FIELDS,
    NOTES,
    field_text,
    file_entries,
    unread_catalog,
)
from tdlc_syndication.sources.catalogtimes import (
    Showing,
    cursor_time,
    next_change,
    showing,
    withheld,
)
from tdlc_syndication.sources.common import (
    BaseSource,
    Dated,
    date_of,
    item_id,
    kind_for,
    precision_of,
    says_yes,
    source_zone,
)
from tdlc_syndication.sources.local import local_document

if TYPE_CHECKING:  # the readers load with the first file parsed, not with this module
    import yaml

    from tdlc_syndication.pipeline import dates, locales, markdown, periods
else:
    markdown = LazyModule("tdlc_syndication.pipeline.markdown")
    yaml = LazyModule("yaml")
    dates = LazyModule("tdlc_syndication.pipeline.dates")
    locales = LazyModule("tdlc_syndication.pipeline.locales")
    periods = LazyModule("tdlc_syndication.pipeline.periods")

_PATH = re.compile(r"\.{0,2}/(?!/)")  # a url written as a path: /news/x/, ./x/, ../x/
_KNOWN_FIELDS = (
    "id", "title", "url", "kind", "published", "date", "updated", "language", "summary",
    "body", "thumbnail", *LIST_FIELDS,
)  # fmt: skip


class CatalogSource(BaseSource[CatalogSourceConfig]):
    """Reads a local catalog of materials."""

    kind: ClassVar[str] = "catalog"

    @staticmethod
    def check_config(config: CatalogSourceConfig) -> list[str]:
        """A catalog file of a type that is not read (a spreadsheet's own format): ``check``
        passed it, and every run failed."""
        path = config.path
        if path.is_file() and path.suffix.lower() not in CATALOG_FILES:
            return [f"path: {unread_catalog(path.name)}"]
        return []

    def fetch(self, state: FetchState) -> Iterator[Fetched]:
        """Read every catalog file, and measure the local attachments, into one document
        whose ``related`` holds a Document per file."""
        root = self.config.path
        if root.is_dir():
            files = sorted(p for p in root.rglob("*") if p.suffix.lower() in NOTES and p.is_file())
            base = root
        elif root.is_file():
            files, base = [root], root.parent
        elif root.exists():
            raise FetchError(self.config.id, f"catalog path {root} is a device or a pipe")
        else:
            raise FetchError(self.config.id, f"catalog path {root} does not exist")
        limit = self.http.config.max_body_bytes
        skipped: list[Skipped] = []
        try:
            inside = base.resolve()
            documents = []
            for path in files:
                name = path.relative_to(base).as_posix()
                if not path.resolve().is_relative_to(inside):
                    skipped.append(Skipped(name, "a link to a file outside the catalog folder"))
                elif path.stat().st_size > limit:
                    skipped.append(Skipped(name, f"over the {limit}-byte limit (max_body_bytes)"))
                else:
                    documents.append(Document(url=name, body=path.read_bytes()))
            entries = set(files)
            attachments = [  # any other file, a data file in .csv or .yaml too
                Document(url=p.relative_to(base).as_posix(), length=p.stat().st_size)
                for p in sorted(base.rglob("*"))
                if p.is_file()
                and p not in entries
                and p.resolve().is_relative_to(inside)  # a link out of the folder is not ours
            ]
        except OSError as exc:
            raise FetchError(self.config.id, f"cannot read catalog {root}: {exc}") from exc
        # An entry scheduled for later (its date still to come) is published by the first
        # run after it, though no file changed: the release it waited for is due.
        due = bool(state.cursor) and cursor_time(state.cursor) <= self.clock()
        fetched = local_document(
            b"",
            str(root),
            self.config.id,
            replace(state, validators={}) if due else state,
            self.clock,
            related=(*documents, *attachments),
        )
        # no next such time, unless parse, reading the entries, gives one (a Cursor)
        fetched = replace(fetched, cursor="")
        yield replace(fetched, skipped=tuple(skipped)) if skipped else fetched

    def _moment(self, value: Any, entry: dict[str, Any]) -> datetime | None:
        """A date field as a moment: a day is its start in the source's zone."""
        zone = source_zone(self.config)
        dated = self._date(value, _as_named(entry), zone)
        if dated is None:
            return None
        when, precision = dated
        if precision == "datetime":
            return when
        return datetime.combine(when.date(), time(), tzinfo=zone)

    def parse(self, fetched: Fetched) -> Iterable[Item | Retraction | Cursor]:
        """Turn every catalog entry into a draft item; an entry marked as a draft
        (``draft: true``, as Hugo, Jekyll and Eleventy mark one, or Jekyll's ``published:
        false``) is withdrawn, never published (it was published). So is one whose date is
        still to come, until it comes (as Hugo and Jekyll hold a post of a later date: it
        was published at once, undated, its date dropped as absurd), and one whose Hugo
        ``expiryDate`` has passed. Last, the catalog's next such change (its cursor)."""
        sizes = {d.url: d.length for d in fetched.related if d.length is not None}
        now, zone = self.clock(), source_zone(self.config)
        items: list[Item | Retraction | Cursor] = []
        shown: list[Showing] = []
        kept = 0
        for doc in fetched.related:
            if doc.length is not None:
                continue
            hint = 'in Excel: Save As, "CSV UTF-8"' if doc.url.lower().endswith(".csv") else ""
            try:
                text = utf8_text(doc.body, hint)
            except NotUtf8 as exc:
                raise ParseError(self.config.id, f"{doc.url}: {exc}") from None
            for native, entry in file_entries(self.config.id, doc.url, text):
                if _is_draft(entry):
                    items.append(Retraction(item_id(self.config.id, native), _DRAFT))
                    continue
                shown.append(shows := showing(entry, self._moment))
                held = withheld(shows, now, zone)
                if held:
                    items.append(Retraction(item_id(self.config.id, native), held))
                    continue
                items.append(self._item(native, entry, sizes, doc.url))
                kept += 1
                if kept >= self.config.max_items:
                    return _with_cursor(items, next_change(shown, now))
        return _with_cursor(items, next_change(shown, now))

    def _date(self, value: Any, entry: dict[str, Any], zone: tzinfo) -> Dated:
        """A date field as ISO 8601 or RFC 822, else as a date in text as the ``html`` kind
        reads one: ``2026/11/26`` (how Excel on a Japanese Windows saves a date in a CSV),
        ``2026年11月26日``, ``26 November 2026``, and ``26/11/2026`` in the entry's or the
        source's language. Such dates were no dates: the entries were undated. A
        spreadsheet's day number (``46352``, ``46352.5``: what Excel saves when the cell
        is formatted as a number) is its day, and time in the source's zone."""
        text = field_text(value)
        if not text:
            return None
        serial = _EXCEL_SERIAL.match(text)
        if serial:  # a spreadsheet's day number: the cell was not formatted as a date
            days = float(serial.group(0))
            when = _EXCEL_EPOCH + timedelta(days=days)
            if days.is_integer():
                return when.replace(tzinfo=UTC), "day"
            return dates.utc_timestamp(when.replace(tzinfo=zone))
        language = field_text(entry.get("language")) or self.config.language
        today = self.clock().astimezone(zone).date()
        order = locales.numeric_order(language)
        return periods.parse_any_date(text, zone, today=today, order=order)

    def _item(self, native: str, entry: dict[str, Any], sizes: dict[str, int], name: str) -> Item:
        cfg = self.config
        entry = _as_named(entry)
        wrong = _wrong_shape(entry)
        if wrong is not None:
            raise ParseError(cfg.id, f"{name}: entry {native!r}: {wrong}")
        zone = source_zone(cfg)
        published = self._date(entry.get("published") or entry.get("date"), entry, zone)
        updated = self._date(entry.get("updated"), entry, zone)
        found = (
            _attachment(a, sizes, cfg.attachments_url) for a in _list(entry.get("attachments"))
        )
        media = tuple(m for m in found if m is not None)
        url = field_text(entry.get("url")) or (media[0].url if media else "")
        body = field_text(entry.get("body"))
        # (HTML written in a body is shown as written: an entry's text, not markup)
        content = markdown.render_markdown(body, html=False) if body.strip() else ""
        if cfg.attachments_url:
            # Published with the catalog folder: a link in the body to a file beside the
            # entry (files/x.pdf) is where its attachments are, not on the item's site;
            # and so is a url written as a path (Hugo's "url: /news/kobe-drill/").
            folder = posixpath.dirname(name)
            base = urljoin(cfg.attachments_url, quote(folder) + "/") if folder else None
            content = links_from(content, base or cfg.attachments_url) if content else ""
            if _PATH.match(url):  # (not "www.city.kobe.lg.jp/…": a site's, its scheme left out)
                url = urljoin(base or cfg.attachments_url, url)
        explicit_kind = field_text(entry.get("kind")) or None
        return Item(
            id=item_id(cfg.id, native),
            source=cfg.id,
            kind=explicit_kind or kind_for(cfg, _list(entry.get("categories"))),
            title=field_text(entry.get("title")),
            url=url,
            summary=field_text(entry.get("summary")),
            content_html=content,
            authors=tuple(_names(entry.get("authors"))),
            published=date_of(published),
            published_precision=precision_of(published),
            updated=date_of(updated),
            language=field_text(entry.get("language")) or cfg.language,
            topics=tuple(_list(entry.get("topics"))),
            places=tuple(_list(entry.get("places"))),
            categories=tuple(_list(entry.get("categories"))),
            identifiers=tuple(str(i) for i in _list(entry.get("identifiers"))),
            media=media,
            thumbnail=field_text(entry.get("thumbnail")) or None,
            extra=(("file", name),),
        )


# Excel's (and LibreOffice's, Google Sheets') day numbers, from 1954 to 2118.
_EXCEL_SERIAL = re.compile(r"^(?:[2-7]\d{4})(?:\.\d+)?$")
_EXCEL_EPOCH = datetime(1899, 12, 30)


def _wrong_shape(entry: dict[str, Any]) -> str | None:
    """What is wrong with the shape of a catalog entry's fields, or None: a field of text
    given a list or a mapping (it would be published as ``['a', 'b']``), a list of text
    holding a mapping. ``authors`` may be mappings with a ``name``, ``attachments``
    mappings of text."""
    for key, value in entry.items():
        if key not in _KNOWN_FIELDS or _is_text(value):
            continue
        if key == "attachments":
            members = value if isinstance(value, list) else [value]
            for member in members:
                fields = member.values() if isinstance(member, dict) else [member]
                if not all(_is_text(v) for v in fields):
                    return (
                        "each attachment is a path or URL, or a mapping of text "
                        "(url or path, title, mime, length)"
                    )
        elif key in LIST_FIELDS and isinstance(value, list):
            for member in value:
                named = key == "authors" and isinstance(member, dict) and "name" in member
                if not (_is_text(member) or (named and _is_text(member["name"]))):
                    return (
                        f"{key} must be text or a list of text, not a list holding {_shape(member)}"
                    )
        elif key in LIST_FIELDS:
            return f"{key} must be text or a list of text, not {_shape(value)}"
        else:
            return f"{key} must be text, not {_shape(value)}"
    return None


def _is_text(value: Any) -> bool:
    """A YAML value published as text: a string, a number, a date (or nothing)."""
    return value is None or isinstance(value, str | int | float | date)  # bool is an int


def _shape(value: Any) -> str:
    return (
        "a mapping"
        if isinstance(value, dict)
        else "a list"
        if isinstance(value, list)
        else f"a {type(value).__name__}"
    )


_DRAFT = "marked as a draft in the catalog"


# The names Hugo's and Jekyll's front matter give the catalog's fields: a site's content
# folder is read as it is. A field of the catalog's own name wins; Jekyll's category and
# tags join categories.
_OTHER_NAMES = {
    "summary": ("description", "excerpt"),
    "updated": ("lastmod", "last_modified_at", "modified"),
    "authors": ("author",),
    "thumbnail": ("image", "featured_image"),
    "language": ("lang",),
}


def _as_named(entry: dict[str, Any]) -> dict[str, Any]:
    """``entry`` with the fields Hugo and Jekyll name otherwise under the catalog's names
    (``description`` → ``summary``, ``lastmod`` → ``updated``, ``author`` → ``authors``,
    ``image`` → ``thumbnail``, ``lang`` → ``language``; ``category`` and ``tags`` with
    ``categories``),
    where the catalog's own name is not given; a value of another shape is left alone."""
    named = dict(entry)
    for field, others in _OTHER_NAMES.items():
        if named.get(field) not in (None, "", []):
            continue
        for other in others:
            value = entry.get(other)
            if value not in (None, "", []) and (field == "authors" or _is_text(value)):
                named[field] = [value] if isinstance(value, dict) else value  # one author
                break
    for other in ("category", "tags"):  # Jekyll's one category (a number too), and tags
        value = entry.get(other)
        if value not in (None, "", []) and (_is_text(value) or isinstance(value, list)):
            words = [word for word in _list(value) if not isinstance(word, dict)]
            named["categories"] = [*_list(named.get("categories")), *words]
    return named


def _with_cursor(
    items: list[Item | Retraction | Cursor], cursor: str
) -> list[Item | Retraction | Cursor]:
    """``items``, and the catalog's next change after them where it has one."""
    return [*items, Cursor(cursor)] if cursor else items


def _is_draft(entry: dict[str, Any]) -> bool:
    """Whether an entry is marked as not to be published: ``draft`` yes (text as written,
    or TOML's boolean), or ``published: false`` (Jekyll's mark; a date otherwise)."""
    return says_yes(entry.get("draft")) or str(entry.get("published")).strip().lower() == "false"


def _list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [v if isinstance(v, dict) else str(v).strip() for v in value if v is not None]
    if isinstance(value, dict):
        return [value]  # one attachment given as a mapping
    return [str(value).strip()]


def _names(value: Any) -> list[str]:
    """Authors: text, or mappings with a ``name`` (as JSON Feed writes them)."""
    return [str(v["name"]).strip() if isinstance(v, dict) else v for v in _list(value)]


def _attachment(value: Any, sizes: dict[str, int], public_base: str | None) -> Media | None:
    spec = value if isinstance(value, dict) else {"path": value}
    ref = field_text(spec.get("url") or spec.get("path"))
    if not ref:
        return None
    length = spec.get("length")
    if ref.startswith(("http://", "https://")):
        url = ref
    else:
        rel = posixpath.normpath(ref.removeprefix("./"))
        if rel.startswith(("../", "/")) or rel in ("..", "."):
            return None  # outside the catalog folder: never published or measured
        length = length if length is not None else sizes.get(rel)
        url = urljoin(public_base, quote(rel)) if public_base else rel
    mime = spec.get("mime") or mimetypes.guess_type(ref)[0]
    return Media(
        url=url,
        mime=mime,
        length=count_of(str(length)) if isinstance(length, (int, str)) else None,
        role="document",
        title=field_text(spec.get("title")) or None,
    )
