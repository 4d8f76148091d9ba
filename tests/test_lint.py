"""Feed lint, rule by rule: a good document of each format passes, and each mutation that
the W3C Feed Validation Service would report is found."""

from __future__ import annotations

from typing import Any, cast

import pytest
from tests_support import sample_item

from tdlc_syndication.config.loader import DEMO_CONFIG, load_settings
from tdlc_syndication.outputs.document import entries
from tdlc_syndication.outputs.formats import BY_SUFFIX, lint_document, lint_files
from tdlc_syndication.outputs.paging import Page
from tdlc_syndication.outputs.view import FeedSpec, StoreView
from tdlc_syndication.pipeline.model import Media, StoredItem

SETTINGS = load_settings(DEMO_CONFIG)
VIEW = StoreView(store=cast(Any, None), settings=SETTINGS)
SPEC = FeedSpec(key="all", id="all", title="All", description="Everything", stem="all")


def _document(suffix: str, *media: Media) -> tuple[bytes, str]:
    media = media or (Media(url="https://example.org/a.pdf", mime="application/pdf"),)
    item = sample_item(media=media)
    stored = [
        StoredItem(item=item, first_seen=t, last_seen=t, last_changed=t, content_hash="h")
        for t in [item.published]
        if t is not None
    ]
    page = Page(0, tuple((s.item.id, "fp") for s in stored), None, None, complete=True)
    path = f"feeds/all.{suffix}"
    data = BY_SUFFIX[suffix].render(VIEW, SPEC, page, path, entries(VIEW, stored))
    return data, VIEW.url(path)


def _problems(suffix: str, old: bytes, new: bytes) -> list[str]:
    data, url = _document(suffix)
    for before, after in zip(old.split(b"|"), new.split(b"|"), strict=True):
        assert before in data, before
        data = data.replace(before, after, 1)
    return lint_document(BY_SUFFIX[suffix], data, url, 10**6)


def test_an_id_kept_from_an_earlier_version_passes() -> None:
    data, url = _document("atom")
    old = "tag:feeds.example.org,2026:blog:a%2526b"
    data = data.replace(b"<id>tag:feeds.example.org,2026:blog:1</id>", f"<id>{old}</id>".encode())
    assert any("canonical form" in p for p in lint_document(BY_SUFFIX["atom"], data, url, 10**6))
    assert lint_document(BY_SUFFIX["atom"], data, url, 10**6, frozenset({old})) == []


@pytest.mark.parametrize("suffix", ["atom", "rss", "json"])
def test_good_documents_pass(suffix: str) -> None:
    data, url = _document(suffix)
    assert lint_document(BY_SUFFIX[suffix], data, url, 10**6) == []


@pytest.mark.parametrize(
    ("suffix", "old", "new", "found"),
    [
        ("atom", b"<id>tag:", b"<id>", None),  # not an error by itself
        ("atom", b"<updated>2026", b"<updated>Thursday 2026", "not an RFC 3339 date"),
        ("atom", b"<published>2026", b"<published>2026/", "published"),
        ("atom", b'xml:lang="en"', b'xml:lang=""', "xml:lang"),
        ("atom", b"</title>", b"</title><title>", "not well-formed XML"),
        ("atom", b"<author>\n    <name>", b"<contributor>\n    <name>", None),
        ("atom", b'<link href="https://example.org/a"/>', b'<link href="/a"/>', "not an absolute"),
        ("atom", b"<id>tag:feeds.example.org,2026:blog:1</id>", b"", "has no id"),
        ("atom", b"<feed |</feed>", b"<notfeed |</notfeed>", "unexpected root element"),
        ("rss", b"<language>en</language>", b"<language>English</language>", "language"),
        # Well-formed BCP 47, but no ISO 639 language: the validator's InvalidLanguage.
        ("rss", b"<language>en</language>", b"<language>jp</language>", "language"),
        ("atom", b'xml:lang="en"', b'xml:lang="yue"', "xml:lang 'yue'"),
        # An origin's type that is no MIME type: the validator's InvalidMIMEType.
        ("atom", b'type="application/pdf"', b'type="video"', "link type 'video' is not a MIME"),
        ("rss", b'type="application/pdf"', b'type="not a mime"', "enclosure type 'not a mime'"),
        # The validator takes an enclosure only at a domain name (its InvalidURLAttribute).
        ("rss", b"https://example.org/a.pdf", b"https://localhost/a.pdf", "has no domain name"),
        ("rss", b"<pubDate>", b"<pubDate>tomorrow ", "RFC 822"),
        # The validator's ImplausibleDate: before 1990 (a 1970-01-01 placeholder).
        ("atom", b"<published>2026", b"<published>1970", "published '1970"),
        ("atom", b"<updated>2026", b"<updated>1989", "before 1990"),
        ("rss", b"2026 ", b"1965 ", "before 1990"),
        # An & an HTML reader takes for a broken reference (the validator's NotHtml).
        ("rss", b"About compact", b"About &amp;. compact", "an & no HTML reader takes: '&."),
        ("rss", b"About compact", b"About &amp;copy compact", "no HTML reader takes"),
        ("rss", b"About compact", b"About &amp;foo; compact", "no HTML reader takes"),
        ("rss", b"About compact", b"About &amp; &amp;&amp; &amp;amp; &amp;copy; &amp;#38; x", None),
        # A < that starts no tag, as plain text writes it (the validator's NotHtml).
        ("rss", b"About compact", b"About buses &lt;3 compact", "a < that starts no tag"),
        ("rss", b"About compact", b"About lessons &lt;2019&gt; compact", "starts no tag"),
        ("rss", b"About compact", b"About &amp;lt;3 &lt;b&gt;x&lt;/b&gt; compact", None),
        ("rss", b"<link>https://example.org/a</link>", b"<link>/a</link>", "is not an absolute"),
        (
            "rss",
            b"<link>https://example.org/a</link>",
            "<link>https://例え.jp/a</link>".encode(),
            "is an IRI, not a URL",
        ),
        # A host browsers and the Nu checker refuse (the feed validator takes it).
        (
            "rss",
            b"<link>https://example.org/a</link>",
            b"<link>https://a..b/</link>",
            "host or port",
        ),
        (
            "atom",
            b'<link href="https://example.org/a"/>',
            b'<link href="http://1.2.3.4.5/"/>',
            "port",
        ),
        (
            "rss",
            b'<guid isPermaLink="false">tag:',
            b'<guid isPermaLink="false">tag:%25ab',
            "canonical form",
        ),
        ("rss", b"<guid|</guid>", b"<notguid|</notguid>", "has no guid"),
        ("rss", b'length="0"', b'length="?"', "numeric length"),
        ("rss", b'<enclosure url="https://', b'<enclosure url="//', "enclosure URL"),
        ("rss", b"<description>Everything", b"<description>", None),
        ("rss", b"<rss |</rss>", b"<rdf |</rdf>", "unexpected root element"),
        ("json", b'"version": "https://jsonfeed.org/version/1.1"', b'"version": "1"', "version"),
        ("json", b'"language": "en"', b'"language": "en_US"', "language"),
        ("json", b'"date_modified": "2026', b'"date_modified": "x2026', "RFC 3339"),
        ("json", b'"url": "https://example.org/a"', b'"url": "/a"', "is not an absolute"),
        ("json", b'"url": "https://example.org/a"', b'"url": "https://ex.org/\xc3\xa9"', "an IRI"),
        ("json", b'"id": "tag:', b'"id": "tag:%7e', "canonical form"),
        (
            "atom",
            b'<link href="https://example.org/a"/>',
            '<link href="https://詹姆斯.com/"/>'.encode(),
            "an IRI",
        ),
        (
            "atom",
            b"<id>tag:feeds.example.org,2026:blog:1</id>",
            b"<id>tag:feeds.example.org,2026:blog:%2526</id>",
            "(tag:feeds.example.org,2026:blog:&)",
        ),
        (
            "atom",
            b"<id>tag:feeds.example.org,2026:blog:1</id>",
            "<id>tag:feeds.example.org,2026:blog:名</id>".encode(),
            "is an IRI, not a URI",
        ),
        (
            "atom",
            b"(demo)</name>",
            b"(demo)</name>\n    <email>info at example.org</email>",
            "author email 'info at example.org' is not an email address",
        ),
        (
            "atom",
            b"(demo)</name>",
            "(demo)</name>\n    <email>info@例え.jp</email>".encode(),
            "is not an email address in ASCII",
        ),
        (
            "atom",
            b'<link href="https://feeds.example.org/cpp/" rel="alternate"',
            '<link href="https://例え.jp/cpp/" rel="alternate"'.encode(),
            "feed alternate link 'https://例え.jp/cpp/' is an IRI",
        ),
        ("json", b'"content_text"', b'"content_txt"', "neither content_html"),
        ("json", b'"id": "tag:', b'"idx": "tag:', "has no id"),
        ("json", b"{", b"[", "not valid JSON"),
    ],
)
def test_each_rule(suffix: str, old: bytes, new: bytes, found: str | None) -> None:
    problems = _problems(suffix, old, new)
    if found is None:
        return
    assert any(found in problem for problem in problems), problems


def test_the_self_link_the_size_and_duplicates() -> None:
    data, url = _document("atom")
    assert any("self link" in p for p in lint_document(BY_SUFFIX["atom"], data, url + "x", 10**6))
    assert any("over the" in p for p in lint_document(BY_SUFFIX["atom"], data, url, 100))
    entry = data[data.index(b"  <entry>") : data.index(b"</entry>") + 9]
    twice = data.replace(b"</feed>", entry + b"\n</feed>")
    problems = lint_document(BY_SUFFIX["atom"], twice, url, 10**6)
    assert any("duplicate entry id" in p for p in problems)
    assert any("share updated" in p for p in problems)
    found = lint_files({"feeds/all.atom": twice, "index.html": b"<p>"}, VIEW.url, 10**6)
    assert {p.path for p in found} == {"feeds/all.atom"}


def test_an_rss_enclosure_is_the_first_the_validator_takes() -> None:
    """An intranet source's file on a one-label host (``http://intranet/``) is a link a
    reader can follow, but no RSS enclosure the validator takes: the next one is named."""
    pdf = "application/pdf"
    data, _ = _document(
        "rss",
        Media(url="http://intranet/a.pdf", mime=pdf),
        Media(url="https://example.org/b.pdf", mime=pdf),
    )
    assert b'<enclosure url="https://example.org/b.pdf"' in data
    data, url = _document("rss", Media(url="http://intranet/a.pdf", mime=pdf))
    assert b"<enclosure" not in data
    assert lint_document(BY_SUFFIX["rss"], data, url, 10**6) == []
