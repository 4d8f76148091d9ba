"""The sitemap kind against a real server: indexes, gzip, lastmod-driven change discovery."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from tests_support import DATA, PROTECTED_PAGE, MakeContext, run_one, source_toml
from werkzeug import Response

from tdlc_syndication.pipeline.errors import ParseError
from tdlc_syndication.pipeline.model import Event
from tdlc_syndication.sources.sitemap import read_sitemap


def test_sitemap_discovers_new_and_changed_pages(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    base = server.url_for("").rstrip("/")
    files = {
        name: (DATA / "sitemap" / name).read_text("utf-8").replace("{base}", base)
        for name in ("index.xml", "pages.xml", "events.xml")
    }
    server.expect_request("/sitemap.xml").respond_with_data(
        files["index.xml"], content_type="application/xml"
    )
    server.expect_request("/sitemap-pages.xml").respond_with_data(
        files["pages.xml"], content_type="application/xml"
    )
    server.expect_request("/sitemap-events.xml.gz").respond_with_data(
        gzip.compress(files["events.xml"].encode()), content_type="application/x-gzip"
    )
    pages = {
        "/en/programs/tdlc/brief/compact_city_knowledge_note": "note.html",
        "/en/programs/tdlc/brief/smart_cities": "smart.html",
        "/en/programs/tdlc/events/tdd-kobe-2026": "event.html",
    }
    for path, name in pages.items():
        server.expect_request(path).respond_with_data(
            (DATA / "sitemap" / name).read_bytes(), content_type="text/html"
        )
    body = (
        f'url = "{server.url_for("/sitemap.xml")}"\ninclude = ["/en/programs/tdlc/"]\nmax_pages = 2'
    )
    ctx = make_context(write_config(source_toml("sitemap", body)))
    report, stored = run_one(ctx)
    assert report.new == 2  # two of three changed pages this run (max_pages), the rest next run
    report, stored = run_one(ctx)
    assert report.new == 1
    assert len(stored) == 3
    note = stored[f"src:{base}/en/programs/tdlc/brief/compact_city_knowledge_note"].item
    assert note.title == "Compact City Knowledge Note"
    assert note.summary == "How partner cities adapted compact city policies."
    assert note.published == datetime(2026, 11, 19, 9, 0, tzinfo=UTC)
    assert note.updated == datetime(2026, 11, 20, tzinfo=UTC)  # the sitemap's lastmod
    assert "<em>transit-first</em>" in note.content_html
    smart = next(s.item for s in stored.values() if "smart_cities" in s.item.url)
    assert smart.url == f"{base}/en/programs/tdlc/brief/smart_cities?lang=en"  # utm_ dropped
    event = next(s.item for s in stored.values() if s.item.kind != "article" or s.item.event)
    assert event.event == Event(
        start=datetime(2026, 12, 7, tzinfo=UTC),
        end=datetime(2026, 12, 12, tzinfo=UTC),  # endDate 2026-12-11 is the last day of five
        all_day=True,
        location="Kobe City Hall, Kobe, JP",
        status="postponed",
        mode="offline",
    )
    # Nothing changed: the index is read; its children, whose lastmod is the same as when
    # they were last read in full, are not, and no page is fetched again.
    server.clear_log()
    report, _ = run_one(ctx)
    assert report.new == 0
    assert {r.path for r, _ in server.log} == {"/sitemap.xml"}


def test_a_page_protected_by_a_password_is_withdrawn(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A WordPress page protected by a password is the form that asks for it: it was
    published with the form's words as its text. It is withdrawn now (by the ``sitemap``
    kind here, and by ``html`` with ``follow``), once it was published too."""
    base = server.url_for("").rstrip("/")
    served = {"page": (DATA / "sitemap" / "note.html").read_text("utf-8"), "day": "20"}
    server.expect_request("/sitemap.xml").respond_with_handler(
        lambda _: Response(
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{base}/notes/</loc><lastmod>2026-11-{served['day']}</lastmod></url>"
            f"<url><loc>{base}/open/</loc><lastmod>2026-11-20</lastmod></url></urlset>",
            content_type="application/xml",
        )
    )
    server.expect_request("/notes/").respond_with_handler(
        lambda _: Response(served["page"], content_type="text/html")
    )
    server.expect_request("/open/").respond_with_data(
        (DATA / "sitemap" / "note.html").read_bytes(), content_type="text/html"
    )
    ctx = make_context(write_config(source_toml("sitemap", f'url = "{base}/sitemap.xml"')))
    report, stored = run_one(ctx)
    assert (report.new, report.retracted) == (2, 0)
    served.update(page=PROTECTED_PAGE, day="25")  # protected since
    report, stored = run_one(ctx)
    assert report.retracted == 1
    assert "protected by a password" in (stored[f"src:{base}/notes/"].retracted or "")
    assert stored[f"src:{base}/open/"].retracted is None


def _large_index(server: HTTPServer) -> None:
    """An index of 30 child sitemaps; the program's pages are in the 27th, the newest."""
    base = server.url_for("").rstrip("/")
    children = [(f"/sitemap-archive-{n:02}.xml", f"2019-01-{n + 1:02}") for n in range(26)]
    children.append(("/sitemap-tdlc.xml", "2026-11-21"))
    children += [(f"/sitemap-misc-{n}.xml", f"2018-06-0{n + 1}") for n in range(3)]
    index = "".join(
        f"<sitemap><loc>{base}{path}</loc><lastmod>{lastmod}</lastmod></sitemap>"
        for path, lastmod in children
    )
    server.expect_request("/sitemap.xml").respond_with_data(
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>',
        content_type="application/xml",
    )
    empty = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>'
    for path, _ in children:
        if path != "/sitemap-tdlc.xml":
            server.expect_request(path).respond_with_data(empty, content_type="application/xml")
    note = "/en/programs/tdlc/brief/compact_city_knowledge_note"
    server.expect_request("/sitemap-tdlc.xml").respond_with_data(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{base}{note}</loc><lastmod>2026-11-20</lastmod></url></urlset>",
        content_type="application/xml",
    )
    server.expect_request(note).respond_with_data(
        (DATA / "sitemap" / "note.html").read_bytes(), content_type="text/html"
    )


@pytest.mark.parametrize("names", ["", 'sitemaps = ["tdlc"]'])
def test_the_wanted_child_of_a_large_index_is_read(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext, names: str
) -> None:
    # Neither the first 20 children nor a name filter hides it: children are read newest
    # first, and the filter reads only the ones named.
    _large_index(server)
    body = f'url = "{server.url_for("/sitemap.xml")}"\n{names}'
    ctx = make_context(write_config(source_toml("sitemap", body)))
    report, stored = run_one(ctx)
    assert report.new == 1
    assert any("compact_city_knowledge_note" in i for i in stored)
    read = {r.path for r, _ in server.log if r.path.startswith("/sitemap-")}
    assert "/sitemap-tdlc.xml" in read
    assert len(read) == (1 if names else 20)


def test_pages_and_child_sitemaps_on_another_host_are_not_read(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """sitemaps.org: every URL of a sitemap is on the sitemap's host. A sitemap that lists
    pages elsewhere (a compromised or careless one: another site, a cloud metadata
    address) made this program crawl them and publish what they said under the source."""
    base = server.url_for("").rstrip("/")
    note = "/en/programs/tdlc/brief/compact_city_knowledge_note"
    urls = "".join(
        f"<url><loc>{loc}</loc><lastmod>2026-11-20</lastmod></url>"
        for loc in (f"{base}{note}", "https://elsewhere.example.net/en/programs/tdlc/x")
    )
    server.expect_request("/sitemap.xml").respond_with_data(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/pages.xml</loc></sitemap>"
        "<sitemap><loc>https://elsewhere.example.net/sitemap.xml</loc></sitemap>"
        "</sitemapindex>",
        content_type="application/xml",
    )
    server.expect_request("/pages.xml").respond_with_data(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        content_type="application/xml",
    )
    server.expect_request(note).respond_with_data(
        (DATA / "sitemap" / "note.html").read_bytes(), content_type="text/html"
    )
    body = f'url = "{server.url_for("/sitemap.xml")}"\ninclude = ["/en/programs/tdlc/"]'
    ctx = make_context(write_config(source_toml("sitemap", body)))
    report, stored = run_one(ctx)
    assert [s.item.title for s in stored.values()] == ["Compact City Knowledge Note"]
    assert [(s.url, s.reason) for s in report.skipped] == [
        (
            "https://elsewhere.example.net/sitemap.xml",
            "1 child sitemap(s) on another host than the index's, such as this one: not read",
        ),
        (
            "https://elsewhere.example.net/en/programs/tdlc/x",
            "1 page(s) on another host than the sitemap's, such as this one: not read (the "
            "protocol allows none; a host's pages need a source of their own)",
        ),
    ]
    assert "elsewhere" not in str(server.log)


def test_an_index_of_thousands_of_sitemaps_elsewhere_is_one_line_of_the_report(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Each child sitemap on another host was a line of its own in the run's report: an
    index listing 5,000 kept 438 KB in every run record (and in ``status --json``) and
    printed 5,000 lines at each ``fetch``. They are one line, as such pages are."""
    base = server.url_for("").rstrip("/")
    children = "".join(
        f"<sitemap><loc>https://other{n}.example.net/s.xml</loc></sitemap>" for n in range(2000)
    )
    server.expect_request("/sitemap.xml").respond_with_data(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{children}<sitemap><loc>{base}/pages.xml</loc></sitemap></sitemapindex>",
        content_type="application/xml",
    )
    server.expect_request("/pages.xml").respond_with_data(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>',
        content_type="application/xml",
    )
    ctx = make_context(write_config(source_toml("sitemap", f'url = "{base}/sitemap.xml"')))
    report, _ = run_one(ctx)
    assert [(s.url, s.reason) for s in report.skipped] == [
        (
            "https://other0.example.net/s.xml",
            "2000 child sitemap(s) on another host than the index's, such as this one: not read",
        )
    ]


def test_a_sitemaps_site_is_its_host_with_or_without_www_and_either_scheme() -> None:
    from tdlc_syndication.sources.common import site_of as _site

    assert _site("https://www.worldbank.org/sitemap.xml") == _site("http://worldbank.org/en/x")
    assert _site("https://WWW.Worldbank.org/") == "worldbank.org"
    assert _site("https://blogs.worldbank.org/") != _site("https://www.worldbank.org/")


def test_a_prefix_matches_whether_the_sitemap_escapes_the_path_or_not(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A municipal site's sitemap escapes its Japanese paths; the operator copies the
    prefix from the browser's address bar, which shows them unescaped. They never met."""
    base = server.url_for("").rstrip("/")
    page = "/%E5%B8%82%E6%94%BF/kokusai/2026.html"  # /市政/kokusai/2026.html
    server.expect_request("/sitemap.xml").respond_with_data(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{base}{page}</loc><lastmod>2026-11-20</lastmod></url></urlset>",
        content_type="application/xml",
    )
    server.expect_request("/市政/kokusai/2026.html").respond_with_data(
        (DATA / "sitemap" / "note.html").read_bytes(), content_type="text/html"
    )
    body = f'url = "{server.url_for("/sitemap.xml")}"\ninclude = ["/市政/kokusai/"]'
    ctx = make_context(write_config(source_toml("sitemap", body)))
    report, stored = run_one(ctx)
    assert report.new == 1, report
    assert [s.item.title for s in stored.values()] == ["Compact City Knowledge Note"]


def test_files_in_a_sitemap_are_not_read_as_pages(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A sitemap lists PDFs too. One named .pdf is not fetched; one that turns out to be a
    file gives no item (its bytes were a page's title and content)."""
    base = server.url_for("").rstrip("/")
    locs = ["/en/programs/tdlc/brief/note", "/en/programs/tdlc/report.pdf",
            "/en/programs/tdlc/download/41"]  # fmt: skip
    server.expect_request("/sitemap.xml").respond_with_data(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{base}{loc}</loc><lastmod>2026-11-20</lastmod></url>" for loc in locs)
        + "</urlset>",
        content_type="application/xml",
    )
    server.expect_request(locs[0]).respond_with_data(
        (DATA / "sitemap" / "note.html").read_bytes(), content_type="text/html"
    )
    server.expect_request(locs[2]).respond_with_data(
        b"%PDF-1.7\n" + bytes(range(256)) * 4,
        content_type="text/html",  # a server's mistake
    )
    body = f'url = "{server.url_for("/sitemap.xml")}"\ninclude = ["/en/programs/tdlc/"]'
    ctx = make_context(write_config(source_toml("sitemap", body)))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert [s.item.title for s in stored.values()] == ["Compact City Knowledge Note"]
    assert locs[1] not in [r.path for r, _ in server.log]
    server.clear_log()
    report, _ = run_one(ctx)  # the file was taken note of: not fetched again
    assert [r.path for r, _ in server.log] == ["/sitemap.xml"]


def test_a_loc_that_is_not_a_url_is_left_out_not_a_fault(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    base = server.url_for("").rstrip("/")
    note = "/en/programs/tdlc/brief/note"
    server.expect_request("/sitemap.xml").respond_with_data(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>http://[::1/en/programs/tdlc/x</loc></url>"
        f"<url><loc>{base.rsplit(':', 1)[0]}:99999/en/programs/tdlc/y</loc></url>"
        "<url><loc>javascript:alert(1)</loc></url>"
        f"<url><loc>{base}{note}</loc></url></urlset>",
        content_type="application/xml",
    )
    _reads_the_note_alone(server, note, "/sitemap.xml", write_config, make_context)


def _reads_the_note_alone(
    server: HTTPServer,
    note: str,
    sitemap: str,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> None:
    """Serve the knowledge note at ``note``; a sitemap source at ``sitemap`` (served by
    the test) reads it alone, under the programme's path."""
    server.expect_request(note).respond_with_data(
        (DATA / "sitemap" / "note.html").read_bytes(), content_type="text/html"
    )
    body = f'url = "{server.url_for(sitemap)}"\ninclude = ["/en/programs/tdlc/"]'
    report, stored = run_one(make_context(write_config(source_toml("sitemap", body))))
    assert report.status == "ok", report.error
    assert [s.item.title for s in stored.values()] == ["Compact City Knowledge Note"]


@pytest.mark.parametrize(
    ("name", "body"),
    [
        # A WordPress site whose theme ends a PHP file with a blank line: XML allows
        # nothing before its declaration, and the whole source failed.
        (
            "/sitemap.xml",
            '\n\n<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>{base}{note}</loc></url></urlset>",
        ),
        # A WordPress site that shows PHP's messages: one before the declaration.
        (
            "/wp-sitemap.xml",
            "<br />\n<b>Deprecated</b>:  Creation of dynamic property in <b>/var/www/p.php"
            '</b> on line <b>88</b><br />\n<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>{base}{note}</loc></url></urlset>",
        ),
        # A sitemap written as text, one address a line (sitemaps.org allows it).
        ("/sitemap.txt", "\ufeff{base}{note}\r\n\r\n{base}/elsewhere/page\r\n"),
        # A hand-made sitemap that leaves an address's "&" as it is (XML wants "&amp;"):
        # the whole source failed as "not XML".
        (
            "/sitemap-pages.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>{base}{note}?lang=en&v=2</loc></url>"
            "<url><loc>{base}/elsewhere/page?a=1&amp;b=2</loc></url></urlset>",
        ),
        # A news sitemap whose title has Word's line break (U+000B), and its "&" bare:
        # XML forbids both, and the source failed as "not XML".
        (
            "/news-sitemap.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            "<url><loc>{base}{note}</loc><news:news><news:title>Flood\x0bdrill &#11;"
            "</news:title></news:news></url>"
            "<url><loc>{base}/elsewhere/page?a=1&b=2</loc></url></urlset>",
        ),
        # A site's feed as its sitemap, as sitemaps.org allows (RSS 2.0, RSS 1.0, Atom):
        # "not a sitemap (root element 'rss')".
        (
            "/feed/",
            '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
            "<title>Note</title><link>{base}{note}</link>"
            "<pubDate>Tue, 17 Nov 2026 01:00:00 +0000</pubDate></item><item><title>Else"
            "</title><link>{base}/elsewhere/page</link></item></channel></rss>",
        ),
        (
            "/index.rdf",
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<channel rdf:about="{base}/"><title>T</title></channel>'
            '<item rdf:about="{base}{note}"><title>Note</title><link>{base}{note}</link>'
            "<dc:date>2026-11-17T10:00:00+09:00</dc:date></item></rdf:RDF>",
        ),
        (
            "/atom.xml",
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>Note'
            '</title><link rel="enclosure" href="{base}/files/note.pdf"/><link '
            'href="{base}{note}"/><published>2026-11-17T01:00:00Z</published><updated>'
            "2026-11-18T01:00:00Z</updated></entry></feed>",
        ),
    ],
)
def test_a_sitemap_as_servers_write_it_is_read(
    name: str,
    body: str,
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> None:
    base = server.url_for("").rstrip("/")
    note = "/en/programs/tdlc/brief/note"
    server.expect_request(name).respond_with_data(
        body.format(base=base, note=note).encode(), content_type="text/plain"
    )
    _reads_the_note_alone(server, note, name, write_config, make_context)


def test_a_feed_as_a_sitemap_gives_its_links_with_their_last_change() -> None:
    """An entry's ``updated`` is when its page last changed, before its ``published``;
    an item's ``pubDate`` or ``dc:date``; a link that is an enclosure is no page."""
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="enclosure" '
        b'href="https://a.example/f.pdf"/><link rel="alternate" href="https://a.example/p"/>'
        b"<published>2026-11-17T01:00:00Z</published><updated>2026-11-18T01:00:00Z</updated>"
        b'</entry><entry><link href="https://a.example/q"/></entry><entry><title>No link'
        b"</title></entry></feed>"
    )
    assert read_sitemap(atom, "s") == (
        "urlset",
        [("https://a.example/p", "2026-11-18T01:00:00Z"), ("https://a.example/q", "")],
        False,
    )
    rss = (
        b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item>'
        b"<link>https://a.example/p</link><dc:date>2026-11-17</dc:date></item></channel></rss>"
    )
    assert read_sitemap(rss, "s").entries == [("https://a.example/p", "2026-11-17")]
    atom_03 = (
        b'<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><link rel="alternate" '
        b'type="text/html" href="https://a.example/p"/><issued>2026-11-17T01:00:00Z</issued>'
        b"</entry></feed>"
    )
    assert read_sitemap(atom_03, "s").entries == [("https://a.example/p", "2026-11-17T01:00:00Z")]
    with pytest.raises(ParseError, match="not a sitemap"):
        read_sitemap(b"<html><body>x</body></html>", "s")


def test_a_text_sitemap_with_a_line_that_is_no_address_says_which(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    base = server.url_for("").rstrip("/")
    server.expect_request("/sitemap.txt").respond_with_data(f"{base}/a\nsee the index\n")
    config = f'url = "{server.url_for("/sitemap.txt")}"'
    report, _ = run_one(make_context(write_config(source_toml("sitemap", config))))
    assert report.status == "failed"
    assert "holds 'see the index', which is no address" in (report.error or "")


def test_a_sitemap_that_dates_every_page_alike_is_not_read_in_full_each_time(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Many CMSs write the time they made the sitemap as every page's ``lastmod``: every
    page looked changed at every run, and the whole site was read again, ``max_pages`` at
    a time, for ever. Only the new pages are read then."""

    def sitemap(stamp: str, paths: list[str]) -> str:
        urls = "".join(
            f"<url><loc>{server.url_for(path)}</loc><lastmod>{stamp}</lastmod></url>"
            for path in paths
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        )

    paths = ["/news/1.html", "/news/2.html", "/news/3.html"]
    for path in [*paths, "/news/4.html"]:
        server.expect_request(path).respond_with_data(
            f"<html><head><title>Notice {path}</title></head><body><p>Text.</p></body></html>",
            content_type="text/html",
        )
    served = {"body": sitemap("2026-11-20T09:00:00+09:00", paths)}
    server.expect_request("/sitemap.xml").respond_with_handler(
        lambda _: Response(served["body"], content_type="application/xml")
    )
    ctx = make_context(
        write_config(source_toml("sitemap", f'url = "{server.url_for("/sitemap.xml")}"'))
    )
    assert run_one(ctx)[0].new == 3
    served["body"] = sitemap("2026-11-24T09:00:00+09:00", [*paths, "/news/4.html"])
    server.clear_log()
    report, stored = run_one(ctx)
    assert (report.new, len(stored)) == (1, 4)
    assert [r.path for r, _ in server.log] == ["/sitemap.xml", "/news/4.html"]


def test_a_page_that_says_it_was_not_found_is_a_skip_not_an_item(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    urls = "".join(
        f"<url><loc>{server.url_for(path)}</loc><lastmod>2026-11-2{n}</lastmod></url>"
        for n, path in enumerate(("/a.html", "/b.html"))
    )
    server.expect_request("/sitemap.xml").respond_with_data(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        content_type="application/xml",
    )
    server.expect_request("/a.html").respond_with_data(
        "<html><head><title>Page not found – City</title></head><body>Sorry.</body></html>",
        content_type="text/html",
    )
    server.expect_request("/b.html").respond_with_data(
        "<html><head><title>Flood drill</title></head><body><p>On Thursday.</p></body></html>",
        content_type="text/html",
    )
    source = f'url = "{server.url_for("/sitemap.xml")}"'
    report, stored = run_one(make_context(write_config(source_toml("sitemap", source))))
    assert [row.item.title for row in stored.values()] == ["Flood drill"]
    assert [skip.url for skip in report.skipped] == [server.url_for("/a.html")]


def test_what_every_page_gives_is_the_sites_not_an_items(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A site's tagline and logo in every page's head (``description``, ``og:image``)
    were each item's summary and picture. What two pages of one read share is the site's;
    a page's own description and image stay."""
    site = (
        '<meta name="description" content="The official site of the city.">'
        '<meta property="og:image" content="/img/logo.png">'
    )
    own = (
        '<meta name="description" content="Drills in three wards.">'
        '<meta property="og:image" content="/img/drill.jpg">'
    )
    heads = {"/a.html": site, "/b.html": site, "/c.html": own}
    urls = "".join(f"<url><loc>{server.url_for(path)}</loc></url>" for path in heads)
    server.expect_request("/sitemap.xml").respond_with_data(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        content_type="application/xml",
    )
    for path, head in heads.items():
        server.expect_request(path).respond_with_data(
            f"<html><head>{head}<title>Page {path}</title></head><body><main><p>Text of "
            f"{path}.</p></main></body></html>",
            content_type="text/html",
        )
    source = f'url = "{server.url_for("/sitemap.xml")}"'
    _, stored = run_one(make_context(write_config(source_toml("sitemap", source))))
    seen = {row.item.title: (row.item.summary, row.item.thumbnail) for row in stored.values()}
    assert seen == {
        "Page /a.html": ("Text of /a.html.", None),
        "Page /b.html": ("Text of /b.html.", None),
        "Page /c.html": ("Drills in three wards.", server.url_for("/img/drill.jpg")),
    }


def test_a_page_dated_only_by_its_update_is_dated_as_an_html_follow_dates_it(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A municipal page says only when it was updated (「更新日：2026年11月26日」): an html
    source's follow dates its item so, but the sitemap kind, which reads a page the same
    way, left it undated (its feeds and pages put it by when it was found). It is dated
    by that day now; the sitemap's ``lastmod`` (often when the sitemap was made) is still
    only its update."""
    urls = (
        f"<url><loc>{server.url_for('/n/1.html')}</loc><lastmod>2026-11-30</lastmod></url>"
        f"<url><loc>{server.url_for('/n/2.html')}</loc><lastmod>2026-11-30</lastmod></url>"
    )
    server.expect_request("/sitemap.xml").respond_with_data(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        content_type="application/xml",
    )
    for path, said in (("/n/1.html", "<p>更新日：2026年11月26日</p>"), ("/n/2.html", "")):
        server.expect_request(path).respond_with_data(
            f'<html lang="ja"><head><title>お知らせ {path}</title></head><body><main>{said}'
            "<p>防災訓練を実施します。多くの方の参加をお待ちしています。</p></main></body></html>",
            content_type="text/html",
        )
    source = f'url = "{server.url_for("/sitemap.xml")}"\ntimezone = "Asia/Tokyo"'
    _, stored = run_one(make_context(write_config(source_toml("sitemap", source))))
    dated = {row.item.title: row.item.published for row in stored.values()}
    assert dated == {
        "お知らせ /n/1.html": datetime(2026, 11, 26, tzinfo=UTC),
        "お知らせ /n/2.html": None,
    }


@pytest.mark.parametrize(
    ("cut", "listed"),
    [
        ("<url><loc>{base}/en/programs/tdlc/brief/note-2", 1),  # in an address
        ("<url>", 1),
        ("<url><loc>{base}/en/other/note-2</loc></url>\n", 2),  # before the close
    ],
)
def test_a_sitemap_cut_off_by_its_server_gives_the_pages_before_the_cut(
    cut: str,
    listed: int,
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> None:
    """A sitemap whose generator stopped partway (a PHP time or memory limit; the server
    still answers 200 with what was written) failed whole, each run: "not XML". The
    pages listed before the cut are read; a page whose entry was cut (its address may be
    cut too: ``…/note-2`` of ``…/note-20``) is not; the report says so."""
    base = server.url_for("").rstrip("/")
    note = "/en/programs/tdlc/brief/note"
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"<url><loc>{base}{note}</loc><lastmod>2026-11-20</lastmod></url>\n" + cut
    )
    server.expect_request("/sitemap.xml").respond_with_data(
        body.format(base=base), content_type="application/xml"
    )
    server.expect_request(note).respond_with_data(
        (DATA / "sitemap" / "note.html").read_bytes(), content_type="text/html"
    )
    config = f'url = "{server.url_for("/sitemap.xml")}"\ninclude = ["/en/programs/tdlc/"]'
    report, stored = run_one(make_context(write_config(source_toml("sitemap", config))))
    assert report.status == "ok", report.error
    assert [s.item.url for s in stored.values()] == [f"{base}{note}"]
    assert [(s.url, s.reason) for s in report.skipped] == [
        (
            server.url_for("/sitemap.xml"),
            "the sitemap ends before its close (its server stopped writing it): read the "
            f"{listed} page(s) listed before the cut",
        )
    ]
    assert "note-2" not in str(server.log)
