"""The language of the pages' own words (headings, links, labels): Japanese on a Japanese
site (its pages, search, digest, email and the feeds' generated titles), English on an
English site (as they were); a site in another language declares English and marks its
title and description as written in its language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import html
from tests_support import add_bulk, invoke

from tdlc_syndication.outputs import pages
from tdlc_syndication.outputs.document import EVENT_WORDS, page_title
from tdlc_syndication.outputs.facets import PAGE_SIZE
from tdlc_syndication.outputs.paging import Page
from tdlc_syndication.outputs.view import FeedSpec
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.publish import publish

TITLE = "横浜市 国際協力の資料"
DESCRIPTION = "都市間連携の知見をまとめたフィードです。"


def site_in(demo_config: Path, language: str) -> Path:
    """The demo as a site in ``language``, with a Japanese title and description."""
    text = demo_config.read_text("utf-8")
    site, rest = text.split("\n[[sources]]", 1)
    lines = [
        f'language = "{language}"' if line.startswith("language = ")
        else f'title = "{TITLE}"' if line.startswith("title = ")
        else f'description = "{DESCRIPTION}"' if line.startswith("description = ")
        else line
        for line in site.splitlines()
    ]  # fmt: skip
    demo_config.write_text("\n".join(lines) + "\n\n[[sources]]" + rest, encoding="utf-8")
    return demo_config


PAGES = ("index.html", "feeds/index.html", "place/kobe/index.html", "search/index.html",
         "digest/index.html", "digest/2026-W47/index.html")  # fmt: skip
# Words of the English pages that a Japanese page must not show (a word left out of
# the translation would be one of them).
ENGLISH = ("Latest materials", "Subscribe", "Search", "Upcoming events", "Weekly digest",
           "materials", "Feed", "Skip to content", "When:", "undated", "City:",
           "feeds")  # fmt: skip


def _words(page: html.HtmlElement) -> str:
    """The words a reader sees (and a screen reader reads) of a page, but the items' and
    the [[feeds]] entries' descriptions (the settings' own words)."""
    own = "ol.items > li h3, ol.items > li .summary, ol.items li .meta a, th .meta"
    for item in page.cssselect(own):
        item.drop_tree()
    for hidden in page.cssselect("script, style, link, meta"):
        hidden.drop_tree()
    seen = [page.text_content()]
    seen += [e.get("aria-label", "") for e in page.iter() if isinstance(e.tag, str)]
    return "\n".join(seen)


def test_a_japanese_site_speaks_japanese(demo_config: Path) -> None:
    config = site_in(demo_config, "ja")
    assert invoke(config, "run", "--once")[0] == 0
    assert invoke(config, "digest", "--week", "2026-W47")[0] == 0
    assert invoke(config, "digest", "--week", "2026-W47", "--preview")[0] == 0
    public = config.parent / "public"
    for path in PAGES:
        page = html.fromstring((public / path).read_bytes())
        assert page.get("lang") == "ja", path
        english = [e for e in page.cssselect("[lang=en]") if not e.xpath("ancestor::ol")]
        assert not english, path  # nothing but the English items' own words
        words = _words(page)
        for name in (TITLE, "JSON Feed", "feeds.opml"):  # names, in any language
            words = words.replace(name, "")
        assert not [w for w in ENGLISH if w in words], path
    front = html.fromstring((public / "index.html").read_bytes())
    assert [h.text for h in front.cssselect("main h2")] == [
        "新着資料", "今後のイベント", "週刊ダイジェスト", "購読"
    ]  # fmt: skip
    # Labels in Japanese (label_ja), on pages and in the search's choices.
    kobe = html.fromstring((public / "place/kobe/index.html").read_bytes())
    assert kobe.cssselect("h1")[0].text == "都市：神戸"
    search = html.fromstring((public / "search/index.html").read_bytes())
    assert "神戸" in [o.text.split(" (")[0] for o in search.cssselect("#only-place option")]
    # Feeds: titles, descriptions and the directory's groups.
    feed = (public / "feeds/place/kobe.atom").read_text("utf-8")
    assert "<title>神戸 · " in feed
    assert "<subtitle>神戸に関する資料とニュース。</subtitle>" in feed
    assert "<title>今後のイベント · " in (public / "feeds/upcoming.atom").read_text("utf-8")
    assert "<title>" + TITLE + "：都市別</title>" in (public / "feeds-place.opml").read_text()
    description = (public / "search/opensearch.osdx").read_text("utf-8")
    assert f"<Description>{TITLE}の資料を検索</Description>" in description
    # The digest: its heading, its feed and its email.
    issue = html.fromstring((public / "digest/2026-W47/index.html").read_bytes())
    assert issue.cssselect("h1")[0].text == "2026年 第47週"
    assert "毎週の新着資料" in (public / "digest/feed.atom").read_text("utf-8")
    preview = config.parent / "digest-preview/2026-W47"
    email = html.fromstring((preview / "email.html").read_bytes())
    assert email.get("lang") == "ja"
    assert not [w for w in ("weekly digest", "Unsubscribe", "When:") if w in _words(email)]
    text = (preview / "email.txt").read_text("utf-8")
    assert "ウェブで読む：" in text
    assert "配信停止：" in text
    assert "Unsubscribe" not in text


def test_the_search_script_speaks_the_pages_language() -> None:
    script = (Path(pages.__file__).parent / "templates" / "search.js").read_text("utf-8")
    # The event statuses the feeds write in Japanese, in the script too.
    for english, japanese in EVENT_WORDS["ja"].statuses.items():
        assert f'"{english}": "{japanese}"' in script or f'{english}: "{japanese}"' in script


def test_a_site_in_another_language_declares_its_words_english(demo_config: Path) -> None:
    config = site_in(demo_config, "th")
    assert invoke(config, "run", "--once")[0] == 0
    public = config.parent / "public"
    for path in ("index.html", "feeds/index.html", "place/kobe/index.html", "search/index.html"):
        page = html.fromstring((public / path).read_bytes())
        assert page.get("lang") == "en", path  # "Latest materials", "Subscribe", ...
        header = page.cssselect("header.site .top p a")[0]
        assert (header.text, header.get("lang")) == (TITLE, "th"), path
        footer = page.cssselect("footer p span")[0]
        assert (footer.text, footer.get("lang")) == (TITLE, "th"), path
    front = html.fromstring((public / "index.html").read_bytes())
    assert [(e.text, e.get("lang")) for e in front.cssselect("header h1, header h1 + p")] == [
        (TITLE, "th"),
        (DESCRIPTION, "th"),
    ]
    assert front.cssselect("main h2")[0].text == "Latest materials"


def test_an_english_site_names_its_own_language(demo_config: Path) -> None:
    assert invoke(demo_config, "run", "--once")[0] == 0
    text = demo_config.read_text("utf-8").replace('language = "en"', 'language = "en-GB"', 1)
    demo_config.write_text(text, encoding="utf-8")
    assert invoke(demo_config, "publish")[0] == 0
    page = (demo_config.parent / "public" / "index.html").read_text("utf-8")
    assert '<html lang="en-GB">' in page
    assert " lang=" not in page.split("<main")[0].split("</head>")[1]  # nothing else marked


def test_an_archive_page_says_which_in_its_feeds_language() -> None:
    spec = FeedSpec(key="all", id="all", title="T", description="", stem="all")
    archive = Page(3, (), 2, 4)
    assert page_title(spec, archive, "ja") == "T（アーカイブ 3）"
    assert page_title(spec, archive, "en-GB") == "T (archive 3)"
    assert page_title(spec, Page(0, (), 3, None), "ja") == "T"


def test_an_older_page_of_a_japanese_site_says_which(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    config = write_config()
    config.write_text(
        config.read_text("utf-8").replace('language = "en"', 'language = "ja"', 1),
        encoding="utf-8",
    )
    ctx = make_context(config)
    with ctx.open_store() as store:
        add_bulk(store, [2 * n + 1 for n in range(PAGE_SIZE * 2)])  # all in Toyama
        publish(ctx, store)
    page = html.fromstring((ctx.settings.site.output_dir / "place/toyama/page-1.html").read_bytes())
    assert page.findtext(".//title") == "都市：富山（1ページ目） · Test site"
    assert page.cssselect("main h2")[0].text == "資料（1ページ目）"
    assert [a.text for a in page.cssselect("nav a")] == ["新しい資料"]
