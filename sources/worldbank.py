"""``kind = "worldbank_documents"``: the World Bank Documents & Reports API (WDS).

The API's quirks, handled here: ``documents`` is an object keyed ``"D" + id`` with a
``facets`` sibling; repeating fields are objects with numeric-string keys; text blobs come
wrapped as ``{"cdata!": ...}``; numbers may be strings; ``docdt`` is a US-Eastern midnight
written as UTC (so it is read as a date) and has junk values; links are ``http://``; a
window needs both ``strdate`` and ``enddate``; paging is ``os``/``rows`` until ``total``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from tdlc_syndication.config.languages import named_language
from tdlc_syndication.config.sources import WorldBankDocumentsConfig
from tdlc_syndication.pipeline.canonical import canonical_url, with_params
from tdlc_syndication.pipeline.errors import FetchError, ParseError
from tdlc_syndication.pipeline.jsonyaml import load_json
from tdlc_syndication.pipeline.model import Item, Media, Precision, Retraction
from tdlc_syndication.pipeline.text import count_of
from tdlc_syndication.sources.base import Fetched, FetchState, Skipped
from tdlc_syndication.sources.common import (
    BaseSource,
    date_of,
    hashed_id,
    item_id,
    kind_for,
    precision_of,
)
from tdlc_syndication.sources.doctypes import TYPE_KINDS, type_kind

FIELDS = (
    "id,display_title,docna,repnme,docdt,docty,majdocty,count,lang,authr,keywd,theme,"
    "abstracts,url,pdfurl,repnb,guid,dois,projectid"
)
WB_HOSTS = frozenset({"documents.worldbank.org", "documents1.worldbank.org", "www.worldbank.org"})


class WorldBankDocumentsSource(BaseSource[WorldBankDocumentsConfig]):
    """Runs each configured query over a window of document dates."""

    kind: ClassVar[str] = "worldbank_documents"

    @staticmethod
    def kinds_produced(config: WorldBankDocumentsConfig) -> set[str]:
        """The kinds of the document types it maps, and project documents."""
        return {*TYPE_KINDS.values(), "project_doc"}

    def fetch(self, state: FetchState) -> Iterator[Fetched]:
        """Yield one document per result page of every query. A page that fails ends its
        query: the pages read are kept and the page is listed as skipped (one query the
        API always fails on, or a 502 on a later page, failed the whole source); the
        source fails when nothing was read."""
        cfg = self.config
        now = self.clock()
        window = {
            "strdate": (now - timedelta(days=cfg.window_days)).date().isoformat(),
            "enddate": (now + timedelta(days=1)).date().isoformat(),
        }
        pages: list[Fetched] = []
        failed: list[tuple[str, FetchError]] = []
        for qterm in cfg.qterms:
            offset = 0
            for _ in range(cfg.max_pages):
                params = {
                    "format": "json",
                    "qterm": qterm,
                    "fl": FIELDS,
                    "rows": str(cfg.rows),
                    "os": str(offset),
                    "srt": "docdt",
                    "order": "desc",
                    **window,
                    **cfg.filters,
                }
                url = with_params(cfg.url, params)
                try:
                    resp = self.get(url, accept="application/json")
                except FetchError as exc:
                    failed.append((url, exc))
                    break
                # Keyed without the date window, which changes every day.
                key = f"{cfg.url}?qterm={qterm}&os={offset}"
                pages.append(self.fetched(key, resp, moves_source=False))
                data = _load(resp.body, cfg.id)
                total = _number(data.get("total"))
                offset += cfg.rows
                if total is None or offset >= total or not _documents(data):
                    break
        if failed and not pages:
            raise failed[0][1]
        if failed:
            skipped = tuple(Skipped(url, exc.message) for url, exc in failed)
            pages[-1] = dataclasses.replace(pages[-1], skipped=(*pages[-1].skipped, *skipped))
        yield from pages

    def parse(self, fetched: Fetched) -> Iterable[Item | Retraction]:
        """Map every document of one result page."""
        data = _load(fetched.body, self.config.id)
        if "documents" not in data:
            raise ParseError(self.config.id, "the answer has no 'documents' object")
        items = []
        for doc in _documents(data):
            item = self._item(doc)
            if item is not None:
                items.append(item)
        return items

    def _item(self, doc: dict[str, Any]) -> Item | None:
        cfg = self.config
        if _text(doc.get("majdocty")) == "Project Documents" and not cfg.include_project_documents:
            return None
        native = _text(doc.get("id"))
        displayed = _text(doc.get("display_title"))
        named = next(iter(_values(doc.get("docna"), "docna")), "")
        # A report's chapters are documents of their own that share its display_title;
        # each one's docna names it ("Toolkit - Chapter 3 : Transit"): they were items of
        # one title, told apart by nothing a reader sees.
        chapter = named if displayed and named.startswith(f"{displayed} - ") else ""
        title = chapter or displayed or named or _text(doc.get("repnme"))
        published = _doc_date(_text(doc.get("docdt")))
        docty = _text(doc.get("docty"))
        pdf = _https(_text(doc.get("pdfurl")))
        identifiers = [f"wds:{native}"] if native else []
        identifiers += [f"doi:{d}" for d in _values(doc.get("dois"), "doi") if d]
        topics = [k.strip() for k in _values(doc.get("keywd"), "keywd")]
        topics += [t.strip() for t in _text(doc.get("theme")).split(",") if t.strip()]
        countries = [c.strip() for c in _text(doc.get("count")).split(",") if c.strip()]
        kind = kind_for(cfg, [docty], type_kind(docty))
        if _text(doc.get("majdocty")) == "Project Documents":
            kind = kind_for(cfg, [docty], "project_doc")
        url = _https(_text(doc.get("url")))
        # Every document has an id; one without (two such once became one item) is known
        # by its guid, else its link and title.
        known_as = native or _text(doc.get("guid")) or hashed_id(url, title)
        return Item(
            id=item_id(cfg.id, known_as),
            source=cfg.id,
            kind=kind,
            title=title,
            url=url,
            summary=" ".join(_text(doc.get("abstracts")).split()),
            authors=tuple(_values(doc.get("authors"), "author")),
            published=date_of(published),
            published_precision=precision_of(published),
            language=named_language(_text(doc.get("lang"))) or cfg.language,
            categories=(*topics, *countries),
            identifiers=tuple(identifiers),
            media=(Media(url=pdf, mime="application/pdf", role="document"),) if pdf else (),
            extra=tuple(
                (key, _text(doc.get(key)))
                for key in ("repnb", "projectid", "majdocty", "docty")
                if _text(doc.get(key))
            ),
        )


def _load(body: bytes, source_id: str) -> dict[str, Any]:
    try:
        data = load_json(body)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise ParseError(source_id, f"the answer is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ParseError(source_id, "the answer is not a JSON object")
    return data


def _documents(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The documents in ranking order: keys starting with 'D' (not 'facets')."""
    docs = data.get("documents")
    if isinstance(docs, list):
        return [d for d in docs if isinstance(d, dict)]
    if not isinstance(docs, dict):
        return []
    return [v for k, v in docs.items() if k.startswith("D") and isinstance(v, dict)]


def _text(value: Any) -> str:
    """Plain text of a field that may be a string, a number or ``{"cdata!": ...}``."""
    if isinstance(value, dict):
        value = value.get("cdata!", "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _values(value: Any, key: str) -> list[str]:
    """Values of a repeating field: ``{"0": {key: v}, "1": ...}``, a list, or one value."""
    if isinstance(value, dict):
        entries = [value[k] for k in sorted(value, key=lambda k: (len(k), k)) if k.isdigit()]
        if not entries and key in value:
            entries = [value]
    elif isinstance(value, list):
        entries = value
    elif value is None:
        return []
    else:
        entries = [value]
    out = []
    for entry in entries:
        text = _text(entry.get(key)) if isinstance(entry, dict) else _text(entry)
        if text:
            out.append(text)
    return out


def _number(value: Any) -> int | None:
    return count_of(_text(value))


def _doc_date(text: str) -> tuple[datetime, Precision] | None:
    """``docdt`` is a date: take its first ten characters; junk years give None."""
    try:
        day = datetime.strptime(text[:10], "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None
    if not 1800 <= day.year <= 2100:
        return None
    return day, "day"


def _https(url: str) -> str:
    """The API's links are http://; the hosts serve https (the shared canonical_url rule)."""
    return canonical_url(url, https_hosts=WB_HOSTS) if url else ""
