"""``kind = "catalog"``: the program's own materials kept as local files.

Three layouts are read:

* a folder of Markdown files, each with YAML front matter between ``---`` lines and the
  body as the item's content;
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

import csv
import io
import json
import mimetypes
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, urljoin

import yaml
from markdown_it import MarkdownIt

from tdlc_syndication.config.models import CatalogSourceConfig
from tdlc_syndication.pipeline.dates import parse_date
from tdlc_syndication.pipeline.errors import FetchError, ParseError
from tdlc_syndication.pipeline.model import Item, Media
from tdlc_syndication.sources.base import Fetched, FetchState, register
from tdlc_syndication.sources.common import (
    HttpSource,
    date_fields,
    item_id,
    kind_for,
    local_document,
    source_zone,
)

_LIST_FIELDS = ("authors", "topics", "places", "attachments", "categories", "identifiers")
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


@register("catalog")
class CatalogSource(HttpSource[CatalogSourceConfig]):
    """Reads a local catalog of materials."""

    kind: ClassVar[str] = "catalog"

    def fetch(self, state: FetchState) -> Iterator[Fetched]:
        """Read every catalog file and the sizes of local attachments into one document."""
        root = self.config.path
        if root.is_dir():
            files = sorted(p for p in root.rglob("*.md") if p.is_file())
            base = root
        elif root.is_file():
            files, base = [root], root.parent
        else:
            raise FetchError(self.config.id, f"catalog path {root} does not exist")
        documents = []
        try:
            for path in files:
                documents.append(
                    {"name": path.relative_to(base).as_posix(), "text": path.read_text("utf-8")}
                )
            sizes = {
                p.relative_to(base).as_posix(): p.stat().st_size
                for p in base.rglob("*")
                if p.is_file() and p.suffix.lower() not in (".md", ".yaml", ".yml", ".csv")
            }
        except (OSError, UnicodeDecodeError) as exc:
            raise FetchError(self.config.id, f"cannot read catalog {root}: {exc}") from exc
        body = json.dumps({"documents": documents, "sizes": sizes}, sort_keys=True).encode()
        yield local_document(
            body, str(root), self.config.id, state, self.clock, media_type="application/json"
        )

    def parse(self, fetched: Fetched) -> Iterable[Item]:
        """Turn every catalog entry into a draft item."""
        data = json.loads(fetched.body)
        sizes: dict[str, int] = data["sizes"]
        items: list[Item] = []
        for doc in data["documents"]:
            name, text = doc["name"], doc["text"]
            for native, entry in self._entries(name, text):
                items.append(self._item(native, entry, sizes, name))
                if len(items) >= self.config.max_items:
                    return items
        return items

    def _entries(self, name: str, text: str) -> list[tuple[str, dict[str, Any]]]:
        suffix = Path(name).suffix.lower()
        try:
            if suffix == ".md":
                meta, body = _front_matter(text)
                meta.setdefault("body", body)
                return [(str(meta.get("id") or Path(name).stem), meta)]
            if suffix in (".yaml", ".yml"):
                loaded = yaml.safe_load(text)
                rows = loaded.get("items") if isinstance(loaded, dict) else loaded
                if not isinstance(rows, list):
                    raise ParseError(self.config.id, f"{name}: expected a list of entries")
                return [
                    (str(row.get("id") or i), _dict(row, name)) for i, row in enumerate(rows, 1)
                ]
            if suffix == ".csv":
                reader = csv.DictReader(io.StringIO(text))
                return [
                    (str(row.get("id") or i), _split_lists(dict(row)))
                    for i, row in enumerate(reader, 1)
                ]
        except yaml.YAMLError as exc:
            raise ParseError(self.config.id, f"{name}: invalid YAML: {exc}") from exc
        except csv.Error as exc:
            raise ParseError(self.config.id, f"{name}: invalid CSV: {exc}") from exc
        raise ParseError(self.config.id, f"{name}: use .md, .yaml, .yml or .csv")

    def _item(self, native: str, entry: dict[str, Any], sizes: dict[str, int], name: str) -> Item:
        cfg = self.config
        zone = source_zone(cfg)
        published = parse_date(_text(entry.get("published") or entry.get("date")), zone)
        updated = parse_date(_text(entry.get("updated")), zone)
        found = (
            _attachment(a, sizes, cfg.attachments_url) for a in _list(entry.get("attachments"))
        )
        media = tuple(m for m in found if m is not None)
        url = _text(entry.get("url")) or (media[0].url if media else "")
        body = _text(entry.get("body"))
        explicit_kind = _text(entry.get("kind")) or None
        return Item(
            id=item_id(cfg.id, native),
            source=cfg.id,
            kind=explicit_kind or kind_for(cfg, _list(entry.get("categories"))),
            title=_text(entry.get("title")),
            url=url,
            summary=_text(entry.get("summary")),
            content_html=_markdown.render(body) if body.strip() else "",
            authors=tuple(_list(entry.get("authors"))),
            **date_fields(published, updated),
            language=_text(entry.get("language")) or cfg.language,
            topics=tuple(_list(entry.get("topics"))),
            places=tuple(_list(entry.get("places"))),
            categories=tuple(_list(entry.get("categories"))),
            identifiers=tuple(str(i) for i in _list(entry.get("identifiers"))),
            media=media,
            thumbnail=_text(entry.get("thumbnail")) or None,
            extra=(("file", name),),
        )


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    text = text.lstrip("\ufeff")
    if not text.startswith("---"):
        return {}, text
    head, sep, body = text[3:].partition("\n---")
    if not sep:
        return {}, text
    meta = yaml.safe_load(head) or {}
    if not isinstance(meta, dict):
        raise yaml.YAMLError("front matter must be a mapping of fields")
    return meta, body.split("\n", 1)[1] if "\n" in body else ""


def _dict(row: Any, name: str) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise yaml.YAMLError(f"every entry of {name} must be a mapping of fields")
    return row


def _split_lists(row: dict[str, Any]) -> dict[str, Any]:
    for key in _LIST_FIELDS:
        if isinstance(row.get(key), str):
            row[key] = [v.strip() for v in row[key].split(";") if v.strip()]
    return row


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).strip()


def _list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [v if isinstance(v, dict) else str(v).strip() for v in value]
    return [str(value).strip()]


def _attachment(value: Any, sizes: dict[str, int], public_base: str | None) -> Media | None:
    spec = value if isinstance(value, dict) else {"path": value}
    ref = _text(spec.get("url") or spec.get("path"))
    if not ref:
        return None
    length = spec.get("length")
    if ref.startswith(("http://", "https://")):
        url = ref
    else:
        rel = ref.lstrip("./")
        length = length if length is not None else sizes.get(rel)
        url = urljoin(public_base, quote(rel)) if public_base else rel
    mime = spec.get("mime") or mimetypes.guess_type(ref)[0]
    return Media(
        url=url,
        mime=mime,
        length=int(length) if isinstance(length, (int, str)) and str(length).isdigit() else None,
        role="document",
        title=_text(spec.get("title")) or None,
    )
