"""``sitemap.xml``: every page of the site for search engines, with when it last changed
where that is known; ``robots.txt`` naming it for a site at its host's root."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from lxml import etree
from tests_support import add_bulk, invoke

from tdlc_syndication.outputs.facets import PAGE_SIZE
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.publish import publish

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _urls(public: Path) -> dict[str, str | None]:
    """The sitemap's pages (URL → lastmod or None)."""
    root = etree.parse(str(public / "sitemap.xml")).getroot()
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in root.findall("s:url", NS)
    }


def test_the_sitemap_lists_every_page_of_the_site(demo_config: Path) -> None:
    assert invoke(demo_config, "run", "--once")[0] == 0
    assert invoke(demo_config, "digest", "--week", "2026-W47")[0] == 0
    public = demo_config.parent / "public"
    urls = _urls(public)
    base = "https://feeds.example.org/cpp/"
    pages = {p.relative_to(public).as_posix() for p in public.rglob("*.html")}
    # Every page but the feeds' own, each at an address of the site that is a file.
    assert {url.removeprefix(base) for url in urls} == pages
    assert urls[base + "index.html"] == "2026-11-20T01:00:00+00:00"  # the newest material
    issue = urls[base + "digest/2026-W47/index.html"]
    assert issue is not None
    assert datetime.fromisoformat(issue).microsecond == 0
    for lastmod in filter(None, urls.values()):
        datetime.fromisoformat(lastmod)  # a W3C date and time, with its zone
    # Under a path (/cpp/), no robots.txt: crawlers read only the host's.
    assert not (public / "robots.txt").exists()


def test_older_pages_are_listed_without_a_date(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    ctx = make_context(write_config())
    with ctx.open_store() as store:
        add_bulk(store, [2 * n + 1 for n in range(PAGE_SIZE * 3)])  # all in Toyama
        publish(ctx, store)
    urls = _urls(ctx.settings.site.output_dir)
    toyama = "https://feeds.example.org/test/place/toyama/"
    assert [(url.removeprefix(toyama), lastmod is None) for url, lastmod in urls.items()
            if url.startswith(toyama)] == [
        ("index.html", False), ("page-2.html", True), ("page-1.html", True)
    ]  # fmt: skip


def test_a_site_at_its_hosts_root_names_its_sitemap_in_robots_txt(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    config = write_config()
    config.write_text(
        config.read_text("utf-8").replace(
            'base_url = "https://feeds.example.org/test/"', 'base_url = "https://feeds.example.org"'
        ),
        encoding="utf-8",
    )
    ctx = make_context(config)
    with ctx.open_store() as store:
        add_bulk(store, range(3))
        publish(ctx, store)
    robots = (ctx.settings.site.output_dir / "robots.txt").read_text("utf-8")
    assert robots == (
        "User-agent: *\nDisallow:\n\nSitemap: https://feeds.example.org/sitemap.xml\n"
    )
    assert "https://feeds.example.org/index.html" in _urls(ctx.settings.site.output_dir)


def test_the_sitemap_can_be_turned_off(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    config = write_config()
    ctx = make_context(config)
    with ctx.open_store() as store:
        add_bulk(store, range(3))
        publish(ctx, store)
    public = ctx.settings.site.output_dir
    assert (public / "sitemap.xml").is_file()
    config.write_text(
        config.read_text("utf-8").replace("[site]\n", "[site]\nsitemap = false\n"),
        encoding="utf-8",
    )
    again = make_context(config)
    with again.open_store() as store:
        report = publish(again, store)
    assert "sitemap.xml" in report.deleted
    assert not (public / "sitemap.xml").exists()
