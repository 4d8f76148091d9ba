"""An XSS corpus through every source kind: nothing executable reaches any output file.

Every payload goes into the text and HTML fields each kind reads. After a run and a
publish, every HTML fragment in every output (Atom and RSS content and descriptions, JSON
Feed ``content_html``, the front page) is parsed as HTML and walked: no script-capable
element, no event handler attribute, no ``javascript:``/``data:``/``vbscript:`` URL.
"""

from __future__ import annotations

import gzip
import html
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html
from pytest_httpserver import HTTPServer
from tests_support import NOW

from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.model import Item
from tdlc_syndication.pipeline.normalise import Rules, normalise
from tdlc_syndication.pipeline.publish import publish, render_all
from tdlc_syndication.pipeline.run import run_sources
from tdlc_syndication.pipeline.store import Store

PAYLOADS = [
    '<script>alert("s")</script>',
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(2)">j</a>',
    '<a href="JaVaScRiPt:alert(3)">k</a>',
    '<a href="jav&#x09;ascript:alert(4)">t</a>',
    "<svg onload=alert(5)><circle/></svg>",
    '<iframe src="https://evil.example.org/"></iframe>',
    '<div style="background:url(javascript:alert(6))">x</div>',
    "<body onload=alert(7)>",
    "&lt;script&gt;alert(8)&lt;/script&gt;",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(9)>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example.org/"><input name=x></form>',
    '<a href="vbscript:msgbox(1)">v</a><base href="https://evil.example.org/">',
]
DIRTY = "".join(PAYLOADS)
# Content differs from the summary, so feeds carry it as HTML content (not just a summary).
BODY = DIRTY + "<p>Full body text.</p>"
FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "form", "input", "base",
    "link", "meta", "frame", "frameset", "applet",
}  # fmt: skip
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


def _xml_text(value: str) -> str:
    return html.escape(value, quote=False)


def _serve_everything(server: HTTPServer) -> dict[str, str]:
    esc = _xml_text(DIRTY)
    rss = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>t</title><link>https://x.example.org/</link><description>d</description>"
        f"<item><guid>r1</guid><title>{esc}Feed title</title><link>https://x.example.org/r1</link>"
        f"<description>{esc}</description><content:encoded><![CDATA[{BODY}]]></content:encoded></item>"
        "</channel></rss>"
    )
    server.expect_request("/feed.rss").respond_with_data(rss, content_type="application/rss+xml")
    jsonfeed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "j",
        "items": [{"id": "j1", "url": "https://x.example.org/j1", "title": DIRTY + "JSON title",
                   "content_html": BODY, "summary": DIRTY}],
    }  # fmt: skip
    server.expect_request("/feed.json").respond_with_json(jsonfeed)
    page = (
        f"<html><head><title>{esc}</title><meta property='og:description' content='{html.escape(DIRTY)}'>"
        f"<script type='application/ld+json'>{json.dumps({'@type': 'Article', 'headline': DIRTY})}</script>"
        f"</head><body><main>{DIRTY}<p>Body</p></main></body></html>"
    )
    listing = f"<html><body><ul><li><a href='/page'>{esc}List title</a><p>{DIRTY}</p></li></ul></body></html>"
    server.expect_request("/list").respond_with_data(listing, content_type="text/html")
    server.expect_request("/page").respond_with_data(page, content_type="text/html")
    server.expect_request("/api").respond_with_json(
        [
            {
                "id": 1,
                "title": DIRTY + "API title",
                "link": "https://x.example.org/a1",
                "body": BODY,
                "lead": DIRTY,
            }
        ]
    )
    wds = {"total": 1, "documents": {"D1": {"id": "1", "display_title": DIRTY + "WDS title",
           "abstracts": {"cdata!": DIRTY}, "docdt": "2026-01-01T00:00:00Z",
           "url": "http://documents.worldbank.org/curated/en/1"}, "facets": {}}}  # fmt: skip
    server.expect_request("/wds").respond_with_json(wds)
    oai = (
        '<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        "<responseDate>2026-11-26T00:00:00Z</responseDate><ListRecords><record><header>"
        "<identifier>oai:x:10986/1</identifier><datestamp>2026-01-01</datestamp></header><metadata>"
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{esc}OAI title</dc:title><dc:description>{esc}</dc:description>"
        "</oai_dc:dc></metadata></record></ListRecords></OAI-PMH>"
    )
    server.expect_request("/oai").respond_with_data(oai, content_type="text/xml")
    ics_text = DIRTY.replace(",", "\\,").replace(";", "\\;")
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:e1\r\nDTSTART:20261201T000000Z\r\n"
        f"SUMMARY:{ics_text}Event title\r\nDESCRIPTION:{ics_text}\r\nLOCATION:{ics_text}\r\n"
        "URL:https://x.example.org/e1\r\nEND:VEVENT\r\n"
        # A meeting address is a link in the outputs: one that breaks out of its quotes.
        "BEGIN:VEVENT\r\nUID:e2\r\nDTSTART:20261202T000000Z\r\nSUMMARY:Online\r\n"
        'LOCATION:https://x.example.org/m?a="><script>alert(10)</script><a href="javascript'
        ":alert(11)\r\nURL:https://x.example.org/e2\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    server.expect_request("/cal.ics").respond_with_data(ics, content_type="text/calendar")
    base = server.url_for("").rstrip("/")
    sitemap = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{base}/page</loc></url></urlset>'
    server.expect_request("/sitemap.xml").respond_with_data(
        gzip.compress(sitemap.encode()), content_type="application/xml"
    )
    return {
        "feed-rss": f'kind = "feed"\nurl = "{server.url_for("/feed.rss")}"',
        "feed-json": f'kind = "feed"\nurl = "{server.url_for("/feed.json")}"',
        "html": f'kind = "html"\nurl = "{server.url_for("/list")}"\nitem_selector = "li"\n'
        'summary_selector = "p"\nfollow = true',
        "json": f'kind = "json"\nurl = "{server.url_for("/api")}"\n'
        'fields = { id = "id", title = "title", url = "link", content_html = "body", summary = "lead" }',
        "wds": f'kind = "worldbank_documents"\nurl = "{server.url_for("/wds")}"\nqterms = ["x"]',
        "oai": f'kind = "oai_pmh"\nurl = "{server.url_for("/oai")}"',
        "ical": f'kind = "ical"\nurl = "{server.url_for("/cal.ics")}"',
        "sitemap": f'kind = "sitemap"\nurl = "{server.url_for("/sitemap.xml")}"',
    }


def _fragments(path: Path) -> list[str]:
    """Every HTML fragment a reader would render from one output file."""
    data = path.read_bytes()
    if path.suffix == ".html":
        return [data.decode("utf-8")]
    if path.suffix == ".json":
        feed = json.loads(data)
        return [i.get("content_html", "") for i in feed.get("items", [])]
    if path.suffix in (".atom", ".rss"):
        root = etree.fromstring(data)
        out = []
        for element in root.iter():
            tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
            if tag in ("content", "description", "encoded") or (
                tag == "summary" and element.get("type") == "html"
            ):
                out.append(element.text or "")
        return out
    return []


def _site_search(element: lxml_html.HtmlElement, tag: str, where: str) -> bool:
    """The site's own search box (every page) and its script (the search page only)."""
    on_search_page = where.endswith("search/index.html")
    if tag == "form":
        action = str(element.get("action", ""))
        return element.get("role") == "search" and (
            action.endswith("search/index.html") or (on_search_page and action == "index.html")
        )
    if tag == "input":
        return element.get("id") in ("site-search", "q") and element.get("type") == "search"
    if tag == "script" and on_search_page:
        script = (element.get("src"), element.get("id"), element.get("type"))
        return script in (("search.js", None, None), (None, "search-data", "application/json"))
    return False


def _check_fragment(fragment: str, where: str) -> list[str]:
    if not fragment.strip():
        return []
    problems = []
    document = lxml_html.document_fromstring(f"<html><body>{fragment}</body></html>")
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower().split("}")[-1]
        if tag in FORBIDDEN_TAGS and not (
            (where.endswith("index.html") and tag in ("style", "meta", "link"))
            or _site_search(element, tag, where)
        ):
            problems.append(f"{where}: <{tag}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                problems.append(f"{where}: <{tag} {name}>")
            # Browsers drop whitespace inside a URL before reading its scheme.
            cleaned = "".join(value.split()).lower()
            if name.lower() in ("href", "src", "action", "data") and cleaned.startswith(
                BAD_SCHEMES
            ):
                problems.append(f"{where}: <{tag} {name}={value!r}>")
            if name.lower() == "style":
                problems.append(f"{where}: <{tag} style=...> (styles are not allowed)")
    return problems


def test_nothing_executable_reaches_any_output(
    server: HTTPServer,
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
) -> None:
    kinds = _serve_everything(server)
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "x.md").write_text(
        f"---\ntitle: {json.dumps(DIRTY + 'Catalog title')}\nurl: https://x.example.org/c1\n"
        f"summary: {json.dumps(DIRTY)}\n---\n{BODY}\n",
        encoding="utf-8",
    )
    kinds["catalog"] = f'kind = "catalog"\npath = "{catalog}"'
    sources = "".join(
        f'[[sources]]\nid = "{name}"\nallow_private = true\n{body}\n'
        for name, body in kinds.items()
    )
    ctx = make_context(write_config(sources))
    reports = {r.source: (r.status, r.new, r.error) for r in run_sources(ctx, ctx.settings.sources)}
    assert all(status == "ok" and new >= 1 for status, new, _ in reports.values()), reports
    with ctx.open_store() as store:
        report = publish(ctx, store)
        titles = [s.item.title for s in store.items()]
    assert report.refused == []
    assert all("<" not in t or "&lt;" in t or "title" in t for t in titles)
    outputs = [
        p
        for p in (tmp_path / "public").rglob("*")
        if p.suffix in (".atom", ".rss", ".json", ".html")
    ]
    assert len(outputs) >= 10
    problems = [
        problem
        for path in outputs
        for fragment in _fragments(path)
        for problem in _check_fragment(fragment, str(path.relative_to(tmp_path)))
    ]
    assert problems == []
    # The search's index holds the same text as data: each block is one call with JSON.
    blocks = sorted((tmp_path / "public" / "search").glob("items-*.js"))
    assert blocks
    indexed = []
    for path in blocks:
        text = path.read_text("utf-8")
        head = f"searchIndex.add({path.stem.removeprefix('items-')}, "
        assert text.startswith(head), path
        assert text.endswith(");\n"), path
        indexed += json.loads(text[len(head) : -3])
    assert any("Catalog title" in row[1] for row in indexed)
    # The check itself works: the raw corpus fails it.
    assert len(_check_fragment(DIRTY, "raw")) >= 10
    # HTML content really reached the outputs (so the check above had something to check).
    fragments = [f for path in outputs for f in _fragments(path) if "Full body text." in f]
    assert len(fragments) >= 5
    # The hostile meeting address is a link (its tags taken out as a place's text is),
    # every quote and bracket in it escaped.
    meeting = 'href="https://x.example.org/m?a=%22%3E%20%3Ca%20href=%22javascript:alert(11)"'
    assert meeting in (tmp_path / "public" / "index.html").read_text("utf-8")
    # The corpus really was carried through: the harmless text of the items survives.
    atom = (tmp_path / "public" / "feeds" / "all.atom").read_text("utf-8")
    for marker in (
        "Feed title",
        "JSON title",
        "API title",
        "WDS title",
        "OAI title",
        "Event title",
        "Catalog title",
    ):
        assert marker in atom, marker


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.text(min_size=1, max_size=80),
    summary=st.text(max_size=200),
    content=st.text(max_size=200),
    author=st.text(max_size=30),
)
def test_any_text_gives_well_formed_outputs(
    store_with_settings: tuple[Context, Path], title: str, summary: str, content: str, author: str
) -> None:
    ctx, db = store_with_settings
    draft = Item(
        id="fuzz:1",
        source="fuzz",
        kind="article",
        title=title + " x",
        url="https://fuzz.example.org/item",
        summary=summary,
        content_html=f"<p>{content}</p>",
        authors=(author,) if author.strip() else (),
        language="en",
    )
    item = normalise(draft, Rules(), NOW)
    with Store(db) as store:
        from tdlc_syndication.pipeline.dedupe import decide

        store.db.execute("DELETE FROM items")
        store.put_item(decide(item, None, NOW).stored)
        _, files = render_all(ctx, store)
    for path, data in files.items():
        if path.endswith((".atom", ".rss", ".opml")):
            etree.fromstring(data)  # raises on anything not well-formed
        elif path.endswith(".json"):
            json.loads(data)
        elif path.endswith(".html"):
            assert "\x00" not in data.decode("utf-8")


@pytest.fixture
def store_with_settings(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> tuple[Context, Path]:
    ctx = make_context(write_config())
    return ctx, Path(ctx.settings.site.database)
