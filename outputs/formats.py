"""The table of feed formats: everything the project knows about Atom, RSS and JSON Feed
(suffix, media type, label, renderer, lint rules) in one place. Publishing, lint, the
front page and ``syndicate serve`` all read it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tdlc_syndication.outputs.atom import render_atom
from tdlc_syndication.outputs.document import Entry, head
from tdlc_syndication.outputs.jsonfeed import render_json
from tdlc_syndication.outputs.lint import FORBIDDEN, Problem, lint_atom, lint_json, lint_rss
from tdlc_syndication.outputs.paging import Page
from tdlc_syndication.outputs.rss import render_rss
from tdlc_syndication.outputs.view import FeedSpec, StoreView

Renderer = Callable[[StoreView, FeedSpec, Page, str, Sequence[Entry]], bytes]
Linter = Callable[[Any, str, frozenset[str]], list[str]]  # parsed, self URL, kept ids


@dataclass(frozen=True, slots=True)
class FeedFormat:
    """One feed format: file suffix, media type, display label, how to render a page of a
    feed (from its entries, computed once for every format), and the lint rules of a
    parsed document (XML root or JSON object)."""

    suffix: str
    media_type: str
    label: str
    render: Renderer
    lint: Linter
    xml: bool


def _atom(view: StoreView, spec: FeedSpec, page: Page, path: str, items: Sequence[Entry]) -> bytes:
    return render_atom(head(view, spec, page, path, items), items)


def _rss(view: StoreView, spec: FeedSpec, page: Page, path: str, items: Sequence[Entry]) -> bytes:
    return render_rss(head(view, spec, page, path, items), items)


def _json(view: StoreView, spec: FeedSpec, page: Page, path: str, items: Sequence[Entry]) -> bytes:
    return render_json(view, spec, page, items)


ATOM = FeedFormat("atom", "application/atom+xml", "Atom", _atom, lint_atom, xml=True)
RSS = FeedFormat("rss", "application/rss+xml", "RSS", _rss, lint_rss, xml=True)
JSON = FeedFormat("json", "application/feed+json", "JSON Feed", _json, lint_json, xml=False)
FORMATS: tuple[FeedFormat, ...] = (ATOM, RSS, JSON)
BY_SUFFIX = {f.suffix: f for f in FORMATS}


DIGEST_FEED = "digest/feed.atom"  # the one feed outside feeds/: one entry per digest issue


def feed_format(path: str) -> FeedFormat | None:
    """The format of a published feed file (``feeds/...`` and the digest's feed), or None
    for other files."""
    if path == DIGEST_FEED:
        return BY_SUFFIX["atom"]
    if not path.startswith("feeds/"):
        return None
    return BY_SUFFIX.get(path.rsplit(".", 1)[-1]) if "." in path else None


def lint_document(
    fmt: FeedFormat,
    data: bytes,
    self_url: str,
    max_bytes: int,
    kept_ids: frozenset[str] = frozenset(),
) -> list[str]:
    """Every problem of one feed document: size, UTF-8, characters XML forbids,
    well-formedness, then the format's own rules (``kept_ids``: ids published by an
    earlier version, accepted as they are)."""
    found: list[str] = []
    if len(data) > max_bytes:
        found.append(f"{len(data)} bytes, over the {max_bytes}-byte limit (lower feed_size)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f"not UTF-8: {exc}"]
    if FORBIDDEN.search(text):
        found.append("contains characters XML forbids (control characters)")
    parsed: Any
    if fmt.xml:
        from lxml import etree  # loaded by the first feed rendered, not by a quiet publish

        try:
            parsed = etree.fromstring(data)
        except etree.XMLSyntaxError as exc:
            return [*found, f"not well-formed XML: {exc}"]
    else:
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            return [*found, f"not valid JSON: {exc}"]
    return found + fmt.lint(parsed, self_url, kept_ids)


def lint_files(
    files: Mapping[str, bytes],
    url_of: Callable[[str], str],
    max_bytes: int,
    kept_ids: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Lint every feed among ``files`` (relative path → bytes); other paths are ignored.

    Args:
        files: output files.
        url_of: the public URL of a relative path (the expected self link).
        max_bytes: the largest acceptable feed.
        kept_ids: entry ids published by an earlier version, accepted as they are.
    """
    problems: list[Problem] = []
    for path in sorted(files):
        fmt = feed_format(path)
        if fmt is not None:
            messages = lint_document(fmt, files[path], url_of(path), max_bytes, kept_ids)
            problems.extend(Problem(path, message) for message in messages)
    return problems
