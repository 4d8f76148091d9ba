"""The html kind against a real server: list pages, follow, skips, a changed layout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from lxml import etree
from pytest_httpserver import HTTPServer
from tests_support import (
    DATA,
    PROTECTED_PAGE,
    MakeContext,
    console_run,
    parse_all,
    run_one,
    source_toml,
)
from werkzeug import Request, Response

from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.ledger import RunReport
from tdlc_syndication.pipeline.model import Event, StoredItem
from tdlc_syndication.pipeline.publish import publish
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.sources import html as html_kind
from tdlc_syndication.sources.linknotes import link_title
from tdlc_syndication.sources.listpage import NEXT_MARKED, next_page
from tdlc_syndication.sources.notfound import sent_home
from tdlc_syndication.sources.page import read_page, soup_of
from tdlc_syndication.sources.pagemeta import page_metas


@pytest.fixture
def city_site(server: HTTPServer) -> HTTPServer:
    list_1 = (DATA / "html" / "list-1.html").read_text("utf-8").encode("cp932")
    server.expect_request("/news/list-1.html").respond_with_data(list_1, content_type="text/html")
    server.expect_request("/news/list-2.html").respond_with_data(
        (DATA / "html" / "list-2.html").read_bytes(), content_type="text/html; charset=utf-8"
    )
    server.expect_request("/kurashi/bosai/1007415.html").respond_with_data(
        (DATA / "html" / "detail-event.html").read_bytes(), content_type="text/html"
    )
    server.expect_request("/kurashi/toshi/1007438.html").respond_with_data(
        (DATA / "html" / "detail-article.html").read_bytes(), content_type="text/html"
    )
    server.expect_request("/kurashi/kankyo/1007402.html").respond_with_data("gone", status=404)
    return server


HTML_SOURCE = """url = "{url}"
item_selector = "ul.news li"
date_selector = "span.date"
summary_selector = "p.lead"
next_selector = "a.next"
max_pages = 3
timezone = "Asia/Tokyo"
language = "ja"
"""


def test_html_list_pages_with_japanese_dates(
    city_site: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    url = city_site.url_for("/news/list-1.html")
    ctx = make_context(write_config(source_toml("html", HTML_SOURCE.format(url=url))))
    items = {i.title: i for i in parse_all(ctx)}
    assert len(items) == 6  # five blocks on page 1 (one without a link), one on page 2
    visit = items["都市間連携プログラムの視察団を受け入れました"]
    assert visit.url == city_site.url_for("/kurashi/toshi/1007438.html")
    assert visit.id == f"src:{visit.url}"
    assert (visit.published, visit.published_precision) == (
        datetime(2026, 11, 20, tzinfo=UTC),
        "day",
    )
    assert visit.summary == "アジアの都市から職員が来訪しました。"
    assert items["防災ワークショップ（11月）のご案内"].published == datetime(
        2026, 11, 5, tzinfo=UTC
    )
    assert items["ごみの分別の手引きを改訂しました"].published == datetime(2026, 10, 1, tzinfo=UTC)
    assert items["日付のないお知らせ"].published is None
    assert items["令和元年の市政だより"].published == datetime(2019, 5, 1, tzinfo=UTC)
    assert items[""].url == ""  # a block without a link: no title, no link
    report, stored = run_one(ctx)
    assert report.notes["no-title"] == 1  # dropped by normalisation, and counted
    assert len(stored) == 5


def test_html_follow_reads_item_pages(
    city_site: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    url = city_site.url_for("/news/list-1.html")
    ctx = make_context(
        write_config(
            source_toml(
                "html", HTML_SOURCE.format(url=url).replace("max_pages = 3", "follow = true")
            )
        )
    )
    report, stored = run_one(ctx)
    assert report.status == "ok"
    event = stored[f"src:{city_site.url_for('/kurashi/bosai/1007415.html')}"].item
    assert event.kind == "event"
    assert event.event == Event(
        start=datetime(2026, 11, 26, 4, 30, tzinfo=UTC),
        end=datetime(2026, 11, 26, 6, 0, tzinfo=UTC),
        all_day=False,
        location="市民プラザ, Toyama, JP; https://meet.example.org/bosai",
        status="scheduled",
        mode="mixed",
    )
    assert event.summary == "地域の自主防災組織と市の職員が避難計画を話し合います。"
    assert event.thumbnail == city_site.url_for("/_res/projects/default_project/_page_/bosai.jpg")
    assert "参加は無料です。" in event.content_html
    assert "alert" not in event.content_html
    assert "onclick" not in event.content_html
    article = stored[f"src:{city_site.url_for('/kurashi/toshi/1007438.html')}"].item
    assert article.authors == ("富山市 国際課",)  # from JSON-LD with a trailing comma
    assert article.updated == datetime(2026, 11, 21, 0, 0, tzinfo=UTC)
    assert article.categories == ("国際交流", "まちづくり")
    assert f'href="{city_site.url_for("/kurashi/kotsu/lrt.html")}"' in article.content_html
    assert "onerror" not in article.content_html
    # The page that answered 404 still gives its list item, without page details, and the
    # run counts it as a skip with its reason.
    missing = city_site.url_for("/kurashi/kankyo/1007402.html")
    waste = stored[f"src:{missing}"].item
    assert waste.content_html == ""
    unserved = city_site.url_for("/kurashi/other/1007399.html")  # the test server: 500
    reasons = {s.url: s.reason for s in report.skipped}
    assert set(reasons) == {missing, unserved}
    assert "404" in reasons[missing]


def test_a_failed_follow_shows_in_fetch_and_status(
    city_site: HTTPServer, write_config: Callable[..., Path]
) -> None:
    url = city_site.url_for("/news/list-1.html")
    config = write_config(
        source_toml("html", HTML_SOURCE.format(url=url).replace("max_pages = 3", "follow = true"))
    )
    missing = city_site.url_for("/kurashi/kankyo/1007402.html")
    runner = CliRunner(env={"COLUMNS": "300"})
    fetched = runner.invoke(cli, ["--config", str(config), "fetch"])
    assert fetched.exit_code == 0
    assert "2 skipped" in fetched.stderr
    assert f"skipped: src: {missing}: " in fetched.stderr
    assert "skipped 2:" in fetched.stdout  # the summary table's detail column
    status = CliRunner().invoke(cli, ["--config", str(config), "status", "--json"])
    (row,) = json.loads(status.stdout)
    reasons = {s["url"]: s["reason"] for s in row["skipped"]}
    assert "404" in reasons[missing]
    table = runner.invoke(cli, ["--config", str(config), "status"])
    assert "skipped 2" in table.stdout


def test_html_changed_layout_is_a_clear_error(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    server.expect_request("/news").respond_with_data(
        "<html><body><div class='redesigned'>New site!</div></body></html>",
        content_type="text/html",
    )
    ctx = make_context(
        write_config(
            source_toml("html", f'url = "{server.url_for("/news")}"\nitem_selector = "ul.news li"')
        )
    )
    report, _ = run_one(ctx)
    assert report.status == "failed"
    assert "item_selector 'ul.news li' matched nothing" in (report.error or "")
    assert "layout may have changed" in (report.error or "")


def test_a_page_without_a_content_block_gives_its_main_text() -> None:
    # No selector, no <article> or <main>: the main text is found by its density, and the
    # navigation and footer stay out.
    page = (
        '<!DOCTYPE html><html lang="en"><head><title>Kitakyushu eco-town visit</title></head>'
        '<body><div id="nav"><a href="/">Home</a> | <a href="/news/">News</a></div>'
        '<div class="col"><div class="entry"><h1>Kitakyushu eco-town visit</h1>'
        + "<p>Delegations from four partner cities toured the recycling plants and met the "
        "engineers who run them, comparing how each city sorts and prices its waste.</p>"
        * 4
        + "</div></div>"
        + '<div id="footer">© City of Kitakyushu. All rights reserved.</div></body></html>'
    )
    info = read_page(page, "https://kitakyushu.example.org/visit", ZoneInfo("Asia/Tokyo"))
    assert "toured the recycling plants" in info.content_html
    assert "All rights reserved" not in info.content_html
    assert "News</a>" not in info.content_html
    short = page.replace(page[page.index("<p>") : page.rindex("</p>") + 4], "<p>Soon.</p>")
    assert read_page(short, "https://x.example.org/", ZoneInfo("UTC")).content_html == ""


def test_a_japanese_page_without_a_content_block_gives_its_main_text() -> None:
    """A municipal notice of four sentences (about 150 characters) on a page without an
    ``<article>`` or ``<main>``, as many cities' older templates are: the reader view
    found it, but under 200 characters counted as too short to be a page's text, and the
    item had none. Japanese characters count two (as they do in columns)."""
    sentences = [
        "神戸市は、フィリピン・セブ市の職員を迎え、防災まちづくりの研修を行いました。",
        "研修では、阪神・淡路大震災の経験をもとにした地域の防災訓練を見学しました。",
        "参加者は、地域住民による避難所運営の仕組みについて熱心に質問していました。",
        "今後も両市は、災害に強いまちづくりに向けた協力を続けていきます。",
    ]
    page = (
        '<html lang="ja"><head><title>セブ市職員の防災研修｜神戸市</title></head><body>'
        '<div id="tmp_header"><a href="/">神戸市</a> <a href="/kurashi/">くらし</a></div>'
        '<div id="tmp_contents"><h1>セブ市職員の防災研修</h1>'
        + "".join(f"<p>{sentence}</p>" for sentence in sentences)
        + '</div><div id="tmp_side"><ul><li><a href="/a">お知らせ一覧</a></li></ul></div>'
        '<div id="tmp_footer">神戸市役所 電話：078-331-8181</div></body></html>'
    )
    assert sum(map(len, sentences)) < 200
    info = read_page(page, "https://www.city.kobe.example.jp/a/b.html", ZoneInfo("Asia/Tokyo"))
    assert "避難所運営の仕組み" in info.content_html
    assert "078-331-8181" not in info.content_html


def _teasers(first: int, count: int) -> str:
    """``count`` other stories' teasers, each an ``<article>``, as news sites write them."""
    return "".join(
        f'<article class="teaser"><a href="/story/{n}"><h3>Story {n}</h3></a><p>Read about '
        f"the {n}th ward's drill.</p></article>"
        for n in range(first, first + count)
    )


@pytest.mark.parametrize("story_in_article", [True, False])
def test_other_stories_teasers_in_articles_are_not_the_pages_text(story_in_article: bool) -> None:
    """News sites write each teaser of another story as an ``<article>``, before and beside
    the story's own: the page's text was the first teaser ("Story 0 Read about…"; of
    readability's 130 stored pages, six news sites' 53 to 317 characters of text for
    2,000 to 11,000; of trafilatura's 109, four). It is the ``<article>`` with the most
    text now, where that is a good part of the page's, else the page's ``<main>``."""
    story = (
        "<h1>Kitakyushu eco-town visit</h1>"
        + "<p>Delegations from four partner cities toured the recycling plants and met the "
        "engineers who run them, comparing how each city sorts and prices its waste.</p>" * 4
    )
    body = f"<article>{story}</article>" if story_in_article else story
    page = (
        "<!DOCTYPE html><html><head><title>Kitakyushu eco-town visit</title></head><body>"
        f"<aside>{_teasers(0, 3)}</aside><main>{body}<section>{_teasers(10, 6)}</section>"
        "</main></body></html>"
    )
    info = read_page(page, "https://kitakyushu.example.org/visit", ZoneInfo("UTC"))
    assert info.content_html.count("toured the recycling plants") == 4
    assert "Story 0" not in info.content_html
    assert ("Story 15" in info.content_html) is not story_in_article


@pytest.mark.parametrize("short", [True, False])
def test_one_teaser_in_an_article_inside_the_storys_main_is_not_its_text(short: bool) -> None:
    """A news site boxes a teaser of another story among the paragraphs of its own (in
    a ``<main>``), a blog lists a related post at its end: the page's one ``<article>``
    was its text ("First in Playbook: …", 135 characters of 8,169; of trafilatura's
    evaluation pages, two). A page's one ``<article>`` inside a ``<main>`` whose text is
    four times its own or more is a teaser: the ``<main>`` is read. A notice in an
    ``<article>`` beside the ``<main>``'s own lines stays the text."""
    story = "<p>The three wards drilled together on the coast with the fire brigade.</p>" * (
        6 if short else 1
    )
    page = (
        "<!DOCTYPE html><html><head><title>Flood drill</title></head><body><main><h1>Flood "
        f'drill</h1>{story}<aside><article class="teaser"><a href="/p/2">Cebu port visit'
        f"</a></article></aside>{story}</main></body></html>"
    )
    page = page if short else page.replace('<article class="teaser">', "<article>" + story * 8)
    info = read_page(page, "https://x.example.org/p", ZoneInfo("UTC"))
    assert info.content_html.count("The three wards drilled") == (12 if short else 8)


def test_an_empty_main_before_the_storys_is_not_the_pages_text() -> None:
    """A news agency's pages hold an ad's ``<main>`` (its slot, no text) before the
    story's ``<main role="main">``: the page's text was empty (two of the 181 real pages
    of an extraction benchmark). The ``<main>`` with the most text is read."""
    page = (
        '<html><head><title>Port talks</title></head><body><main class="l-main"><section '
        'class="ad"><div id="ad-slot"></div></section></main><main class="l-main" '
        'role="main"><h1>Port talks</h1><p>Kobe and Cebu agreed on a study of the port.</p>'
        "</main></body></html>"
    )
    info = read_page(page, "https://x.example.org/p", ZoneInfo("UTC"))
    assert "agreed on a study of the port" in info.content_html


TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("body", "dated"),
    [
        # schema.org microdata on the page's elements: a catalogue's <dd>, Blogger's <abbr>
        ('<h1>Urban rail handbook</h1><dl><dt>発行年月日</dt><dd itemprop="datePublished" '
         'content="2026-04-26">2026年04月</dd></dl>', (datetime(2026, 4, 26, tzinfo=UTC), "day")),
        ('<h1>Urban rail handbook</h1><abbr class="published" itemprop="datePublished" '
         'title="2026-05-08T17:41:00+09:00">5:41 PM</abbr>',
         (datetime(2026, 5, 8, 8, 41, tzinfo=UTC), "datetime")),
        # microdata whose text names a month alone gives way to what says the day
        ('<h1>Kaisers Wochenrückblick</h1><ul><li itemprop="datePublished"><a href="/2026/10/'
         '19/">19. Oktober 2026</a></li></ul><time datetime="2026-10-19T08:00:00+02:00">'
         "Samstag</time>", (datetime(2026, 10, 19, 6, tzinfo=UTC), "datetime")),
        # RDFa on an element: Drupal 7's byline, Drupal 8's
        ('<h1>Flood drill in Kobe</h1><p>Three wards held a drill on the coast, with the fire '
         'brigade and the schools.</p><span property="dc:date dc:created" content="2026-03-21T'
         '10:49:19+01:00" datatype="xsd:dateTime">Sat, 21/03/2026</span>',
         (datetime(2026, 3, 21, 9, 49, 19, tzinfo=UTC), "datetime")),
        ('<h1>Flood drill in Kobe</h1><p>Three wards held a drill on the coast, with the fire '
         'brigade and the schools.</p><span property="schema:dateCreated" content="2026-04-21T'
         '14:40:07+00:00"></span>', (datetime(2026, 4, 21, 14, 40, 7, tzinfo=UTC), "datetime")),
        # the RDF a Japanese blog embeds in a comment for trackbacks (goo's, Movable Type's)
        ('<!-- <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http:'
         '//purl.org/dc/elements/1.1/"><rdf:Description rdf:about="https://blog.example.jp/e/1" '
         'dc:title="防災訓練" dc:date="2026-07-12T22:00:00+09:00" /></rdf:RDF> --><h1>防災訓練'
         "</h1><p>地域の皆さんと一緒に、避難所の開設から運営までを一日かけて確かめました。</p>",
         (datetime(2026, 7, 12, 13, tzinfo=UTC), "datetime")),
        # a date with no label right below the page's heading, as news sites and Japanese
        # companies' and agencies' pages write it
        ('<h1>富山市のコンパクトシティ政策</h1><div class="pubdate">2026年4月4日 </div><p>本文</p>',
         (datetime(2026, 4, 4, tzinfo=UTC), "day")),
        ('<p class="crumb">ニュース</p><h1>Flood drill in Kobe</h1><p class="meta"><a href="/t/">'
         "Disaster risk</a> 2026年3月15日 09:43</p><p>Three wards held a drill.</p>",
         (datetime(2026, 3, 15, 0, 43, tzinfo=UTC), "datetime")),
        # a date that begins in the reach below the heading and ends past it: its year is
        # read, not guessed from its weekday (Reuters' byline: "… JAKARTA Tue Dec 30, 2014")
        ("<h1>Flood drill in Kobe</h1><p>By Ken Sato and Aiko Tanaka, with the ward offices "
         "KOBE, Japan/OSAKA Tue Nov 24, 2020 11:44pm GMT</p><p>Three wards held a drill.</p>",
         (datetime(2020, 11, 24, 23, 44, tzinfo=UTC), "datetime")),
        # Parse.ly's JSON in a <meta> (a news site's), after the page's own <meta> names
        ("<meta name='parsely-page' content='{\"title\": \"Flood drill\", \"pub_date\": "
         "\"2020-12-29T13:56:17Z\"}'><h1>Flood drill in Kobe</h1>",
         (datetime(2020, 12, 29, 13, 56, 17, tzinfo=UTC), "datetime")),
        ('<meta name="parsely-pub-date" content="2020-12-29T13:56:17Z"><meta name="pubdate" '
         'content="2020-12-28"><h1>Flood drill in Kobe</h1>', (datetime(2020, 12, 28, tzinfo=UTC),
         "day")),
        # Open Graph's name written with a colon for its underscore (a financial daily's)
        ('<meta property="article:published:time" content="2024-10-23T15:48:15+00:00"><meta '
         'property="article:modified:time" content="2024-10-24"><h1>Flood drill in Kobe</h1>',
         (datetime(2024, 10, 23, 15, 48, 15, tzinfo=UTC), "datetime")),
        # a <time> whose datetime names no day (month 00) is dated by its text
        ('<h1>Flood drill in Kobe</h1><p>Three wards held a drill on the coast, with the fire '
         'brigade and the schools. Two thousand people took part.</p><time datetime="2020-00-'
         '29T11:12:28Z" pubdate>Monday, Dec. 29 2020, 6:00 AM EST</time>',
         (datetime(2020, 12, 29, 11, tzinfo=UTC), "datetime")),
        # in an element named for a date beside the heading, above it too (a news site's)
        ('<div class="info"><em class="date">2026年11月2日</em><h1>ハウベン車の歴史</h1></div>'
         "<p>本文です。</p>", (datetime(2026, 11, 2, tzinfo=UTC), "day")),
        ('<header><h1>Flood drill in Kobe</h1><p class="byline">By Ken Sato <span class="entry-'
         'date">2 November 2026</span></p></header><p>Three wards held a drill.</p>',
         (datetime(2026, 11, 2, tzinfo=UTC), "day")),
        # nor a related story's teaser below the text, in its own heading; but a date in
        # the page's <h1> where the heading looked by is another (a federal agency's)
        ('<div><h1>Flood drill in Kobe</h1><p>Three wards held a drill on the coast, with the '
         "fire brigade and the schools. Two thousand people took part.</p><div class="
         '"teasers"><h2>Other drill <span class="date">24 April 2023</span></h2></div></div>',
         None),
        ('<h1 class="aural">Kobe City</h1><div><h1><span class="date">27 January 2022</span>Flood '
         "drill</h1></div>", (datetime(2022, 1, 27, tzinfo=UTC), "day")),
        # but not a side bar's list of other posts, further off
        ("<main><article><h1>Flood drill in Kobe</h1><p>Three wards held a drill on the coast, "
         "with the fire brigade and the schools. Two thousand people took part.</p></article>"
         "</main><aside><ul><li><span "
         'class="date">2026年10月1日</span><a href="/o">Other post</a></li></ul></aside>', None),
        # but not a month the text names, nor a day still to come (an event's, below its name)
        ("<h1>Flood drill in Kobe</h1><p>Passengers aboard the line in December 2025.</p>", None),
        ("<h1>防災フォーラム</h1><p>2026年12月10日（木）開催</p>", None),
    ],
)  # fmt: skip
def test_a_page_dated_in_microdata_or_below_its_heading_is_dated(
    body: str, dated: tuple[datetime, str] | None
) -> None:
    """Pages that date themselves so were undated, and a followed page's or a sitemap's
    item was dropped for it: of Mercury's 139 stored pages of real sites, 16 (most of the
    Japanese ones: a publisher's, an agency's, news and tech sites'); of readability's and
    trafilatura's, 14 more."""
    page = f"<html><head><title>x</title></head><body><main>{body}</main></body></html>"
    info = read_page(page, "https://x.example.org/p", TOKYO, today=date(2026, 11, 26))
    assert info.dated == dated


def test_a_page_without_headings_is_dated_below_the_element_that_says_its_title() -> None:
    """A news agency's page writes its title in a ``<div class="h-title">`` and its time
    below it, with no ``<h1>`` (Xinhua's, as two of trafilatura's evaluation pages and
    three of htmldate's show): it was undated."""
    page = (
        "<html><head><title>武汉的声音：有英勇的你-新华网</title><meta property="
        '"og:site_name" content="新华网"></head><body><div class="nav"><a href="/">新华网'
        '</a> 正文</div><div class="h-title">\n武汉的声音：有英勇的你 \n</div><div '
        'class="h-info"><span class="h-time"> 2020-02-19 20:29:58</span> <span>来源：半月谈'
        "</span></div><p>正文です。</p></body></html>"
    )
    info = read_page(page, "http://www.x.example.cn/c_1.htm", TOKYO, today=date(2026, 11, 26))
    assert info.title == "武汉的声音：有英勇的你"
    assert info.dated == (datetime(2020, 2, 19, 11, 29, 58, tzinfo=UTC), "datetime")


def test_a_title_that_shows_nothing_gives_way_to_the_next() -> None:
    """An og:title of zero-width spaces won over the page's heading: the item's title
    showed nothing in any reader."""
    page = (
        '<html><head><meta property="og:title" content="\u200b\ufeff">'
        "<title>\u200b</title></head><body><h1>Kobe port visit</h1></body></html>"
    )
    assert read_page(page, "https://kobe.example.org/visit", ZoneInfo("UTC")).title == (
        "Kobe port visit"
    )


def test_a_pages_heading_runs_its_emphasis_on_into_its_words() -> None:
    """A followed page's ``<h1>``, its title where it names no other, read with a space at
    each emphasis (``富山市の コンパクトシティ 政策``), as a list's titles did."""
    page = (
        '<html lang="ja"><head><title>お知らせ | 富山市</title></head><body>'
        "<h1>富山市の<strong>コンパクトシティ</strong>政策</h1><p>本文です。</p></body></html>"
    )
    assert read_page(page, "https://toyama.example.jp/n/1", ZoneInfo("UTC")).title == (
        "富山市のコンパクトシティ政策"
    )


def test_a_pages_own_language_wins_over_the_sources(
    city_site: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    # The source says English; the item pages say Japanese (lang="ja"): the page is right.
    url = city_site.url_for("/news/list-1.html")
    body = HTML_SOURCE.format(url=url).replace("max_pages = 3", "follow = true")
    ctx = make_context(write_config(source_toml("html", body.replace('"ja"', '"en"'))))
    _, stored = run_one(ctx)
    article = stored[f"src:{city_site.url_for('/kurashi/toshi/1007438.html')}"].item
    assert article.language == "ja"
    missing = stored[f"src:{city_site.url_for('/kurashi/kankyo/1007402.html')}"].item
    assert missing.language == "en"  # no page read: the source's language fills in


def test_items_past_the_follow_limit_keep_what_their_pages_said(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """With ``follow``, each run read the first ``follow_limit`` item pages of the list:
    a notice that a newer one pushed past the limit was stored again from its block
    alone, its text and description gone (and the feeds showed it as updated), and the
    notices further down were never read at all. Pages never read go first now, the
    others are asked conditionally, and an item whose page is not read (past the limit,
    unchanged, or failing this run) keeps what was read from it."""
    listed = [list(range(5, -1, -1))]  # newest first
    broken: set[int] = set()

    def blocks() -> str:
        return "".join(f'<li><a href="/press/{n}.html">発表 {n}</a></li>' for n in listed[0])

    body = _press_with_pages(server, blocks, range(8), broken)
    ctx = make_context(write_config(source_toml("html", body + "follow = true\nfollow_limit = 2")))

    def described() -> dict[int, str]:
        with Store(ctx.settings.site.database) as store:
            return {int(s.item.title.split()[1]): s.item.summary for s in store.items("src")}

    run_one(ctx)
    assert sorted(n for n, said in described().items() if said) == [4, 5]
    listed[0] = [6, *listed[0]]  # a new notice on top: 5 and 4 are past the limit now
    report, _ = run_one(ctx)
    assert (report.new, report.changed, report.unchanged) == (1, 1, 5)  # 6 new, 3 read
    assert sorted(n for n, said in described().items() if said) == [3, 4, 5, 6]
    listed[0] = [7, *listed[0]]
    broken.add(7)  # a new page that fails this run
    report, _ = run_one(ctx)
    assert (report.new, report.changed) == (1, 1)  # 7 from its block, 2 read
    summaries = described()
    assert sorted(n for n, said in summaries.items() if said) == [2, 3, 4, 5, 6]
    assert summaries[5] == "説明 5"


def test_a_change_of_settings_reaches_the_items_past_the_follow_limit_too(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A read in full after a change of the settings reads the first ``follow_limit``
    pages. The others were asked conditionally ever after (each answers the same bytes),
    so their items kept what the old settings made of them: the read in full forgets the
    source's validators, and the pages it did not read are read first from then on."""
    listed = [list(range(5, -1, -1))]  # newest first

    def blocks() -> str:
        return "".join(f'<li><a href="/press/{n}.html">発表 {n}</a></li>' for n in listed[0])

    body = _press_with_pages(server, blocks, range(12), set())
    settings = body + "follow = true\nfollow_limit = 3\n"
    config = write_config(source_toml("html", settings))

    def run(settings_text: str, new_notice: int | None = None) -> None:
        if new_notice is not None:  # the list changes, as a city's does
            listed[0] = [new_notice, *listed[0]]
        run_one(make_context(write_config(source_toml("html", settings_text))))

    def tagged() -> list[int]:
        with Store(config.parent / "store.db") as store:
            items = store.items("src")
        return sorted(int(s.item.title.split()[1]) for s in items if s.item.topics)

    run(settings)  # 5 4 3
    run(settings, 6)  # 6 2 1
    run(settings, 7)  # 7 0: every page read once
    edited = settings + 'topics = ["compact-cities"]\n'
    run(edited)  # the read in full: 7 6 5
    assert tagged() == [5, 6, 7]
    run(edited, 8)
    run(edited, 9)
    run(edited, 10)
    assert tagged() == list(range(11))


def test_a_notice_retitled_in_the_list_is_retitled_while_its_page_is_not_read(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """An item whose page a run does not read keeps what the page said; its list block's
    own words (a notice retitled 「訂正」, its date) waited until the page was read again,
    for a notice past ``follow_limit`` or whose page was down, days or for ever. The
    block's title, summary, image and date come through now; the page's text stays; and
    the same block again changes nothing."""
    titles = {1: "発表 1", 2: "発表 2"}
    broken: set[int] = set()

    def blocks() -> str:
        return "".join(
            f'<li><a href="/press/{n}.html">{title}</a><span class="d">2026年11月{n}日</span></li>'
            for n, title in titles.items()
        )

    body = _press_with_pages(server, blocks, (1, 2, 3), broken)
    body += 'date_selector = ".d"\nfollow = true\n'
    ctx = make_context(write_config(source_toml("html", body)))
    run_one(ctx)
    titles[1] = "発表 1（訂正）"
    broken.add(1)  # its page is down this run
    report, stored = run_one(ctx)
    assert (report.changed, report.unchanged) == (1, 1)
    first = stored[f"src:{server.url_for('/press/1.html')}"].item
    assert first.title == "発表 1（訂正）"
    assert first.summary == "説明 1"  # the page's, read before
    assert "発表 1 の本文。" in first.content_html
    assert first.updated is not None  # an edit, dated, as readers see one
    titles[3] = "発表 3"  # a new notice; the retitled one's block as it was, its page down
    report, stored = run_one(ctx)
    assert (report.new, report.changed) == (1, 0)
    assert stored[f"src:{server.url_for('/press/1.html')}"].item == first


def _press_with_pages(
    server: HTTPServer, blocks: Callable[[], str], pages: Iterable[int], broken: set[int]
) -> str:
    """Serve a city's press list at /press (its ``blocks`` as they are at each request)
    and the notice pages /press/<n>.html, each with its description and text, or a 500
    while ``n`` is in ``broken``; the html source's settings that read the list."""

    def press(_: Request) -> Response:
        return Response(f'<ul class="news">{blocks()}</ul>', content_type="text/html")

    def notice(request: Request) -> Response:
        n = int(request.path.rsplit("/", 1)[1].split(".")[0])
        if n in broken:
            return Response("down", status=500)
        return Response(
            f'<html><head><meta name="description" content="説明 {n}"></head>'
            f"<body><main><p>発表 {n} の本文。</p></main></body></html>",
            content_type="text/html; charset=utf-8",
        )

    server.expect_request("/press").respond_with_handler(press)
    for n in pages:
        server.expect_request(f"/press/{n}.html").respond_with_handler(notice)
    return f'url = "{server.url_for("/press")}"\nitem_selector = "ul.news li"\n'


def _press_list(server: HTTPServer, blocks: str, settings: str) -> str:
    """Serve ``blocks`` as a city's press list at /press; the html source's settings that
    read it, with ``settings`` added."""
    server.expect_request("/press").respond_with_data(
        f'<ul class="news">{blocks}</ul>', content_type="text/html; charset=utf-8"
    )
    return f'url = "{server.url_for("/press")}"\nitem_selector = "ul.news li"\n{settings}'


def test_a_pages_base_href_is_what_its_links_resolve_against(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A list page with ``<base href="/city/">`` (older municipal sites have one) had its
    relative links read against its own address: every item linked to a page that does
    not exist, and follow fetched those. Browsers resolve them against the base; so do
    the list, the followed page's image and its content now."""
    server.expect_request("/press").respond_with_data(
        '<html><head><base href="/city/"></head><body><ul class="news">'
        '<li><a href="news/7.html">Kobe drill</a></li></ul></body></html>',
        content_type="text/html; charset=utf-8",
    )
    server.expect_request("/city/news/7.html").respond_with_data(
        '<html><head><base target="_top" href="/assets/"><title>Kobe drill</title>'
        '<meta property="og:image" content="drill.jpg"></head><body><main>'
        '<p>Route: <a href="maps/route.pdf">map</a></p></main></body></html>',
        content_type="text/html; charset=utf-8",
    )
    body = f'url = "{server.url_for("/press")}"\nitem_selector = "ul.news li"\nfollow = true'
    (item,) = parse_all(make_context(write_config(source_toml("html", body))))
    assert item.url == server.url_for("/city/news/7.html")
    assert item.thumbnail == server.url_for("/assets/drill.jpg")
    assert f'href="{server.url_for("/assets/maps/route.pdf")}"' in item.content_html


def test_a_base_href_left_in_a_comment_is_none(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A staging site's ``<base>`` left commented out (``<!-- <base href="http://stg…/">
    -->``) sent every relative link of the list to the staging host: browsers pass over a
    comment, and so does this reading now; a base after the comment counts."""
    server.expect_request("/press").respond_with_data(
        '<html><head><!-- <base href="http://stg.city.example.jp/"> --></head><body>'
        '<ul class="news"><li><a href="news/7.html">Kobe drill</a></li></ul></body></html>',
        content_type="text/html; charset=utf-8",
    )
    body = f'url = "{server.url_for("/press")}"\nitem_selector = "ul.news li"'
    (item,) = parse_all(make_context(write_config(source_toml("html", body))))
    assert item.url == server.url_for("/news/7.html")


def test_a_next_link_that_cannot_be_fetched_keeps_the_page_read(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A "next" link to a host no request can name failed the source as "unexpected
    error: UnicodeError", losing the page read. Paging ends there now, noted as skipped."""
    body = _press_list(
        server,
        '<li><a href="/press/1.html">Kobe drill</a></li>'
        '</ul><a class="next" href="http://city..example.org/press?p=2">next</a><ul>',
        'next_selector = "a.next"\nmax_pages = 3',
    )
    report, stored = run_one(make_context(write_config(source_toml("html", body))))
    assert report.status == "ok"
    assert [s.item.title for s in stored.values()] == ["Kobe drill"]
    (skipped,) = report.skipped
    assert skipped.url == "http://city..example.org/press?p=2"
    assert "empty label" in skipped.reason


def _archive_page(number: int, last: int) -> str:
    """Page ``number`` of a WordPress category archive of ``last`` pages: its next page
    named in its head and in its pager, as WordPress writes them."""
    head = f'<link rel="next" href="/news/page/{number + 1}/">' if number < last else ""
    pager = f'<a class="next page-numbers" rel="next" href="/news/page/{number + 1}/">Next</a>'
    return (
        f'<!doctype html><html lang="en"><head><title>News</title>{head}</head><body>'
        f'<ul class="posts"><li><a href="/news/{number}">Notice {number}</a></li></ul>'
        f"{pager if number < last else ''}</body></html>"
    )


def test_without_a_next_selector_the_pages_marked_next_are_read(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """`max_pages = 3` without a `next_selector` read the first page alone, silently. The
    link a page marks as its next (`<link rel="next">`, `<a rel="next">`, as WordPress and
    Drupal write their archives) leads to the next page now, up to `max_pages`."""
    server.expect_request("/news/").respond_with_data(
        _archive_page(1, 4), content_type="text/html; charset=utf-8"
    )
    for number in (2, 3, 4):
        server.expect_request(f"/news/page/{number}/").respond_with_data(
            _archive_page(number, 4), content_type="text/html; charset=utf-8"
        )
    entry = f'url = "{server.url_for("/news/")}"\nitem_selector = "ul.posts li"\n'
    ctx = make_context(write_config(source_toml("html", entry + "max_pages = 3\n")))
    assert sorted(i.title for i in parse_all(ctx)) == ["Notice 1", "Notice 2", "Notice 3"]
    # one page, as before, when max_pages is 1
    ctx = make_context(write_config(source_toml("html", entry)))
    assert [i.title for i in parse_all(ctx)] == ["Notice 1"]


def test_a_next_page_that_fails_keeps_the_pages_read(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A list's next page that fails (a 500, or a pager link to a page the CMS no longer
    has) failed the whole source, and the first page's new items were not kept. They are
    kept now, and the run lists the page that failed."""
    server.expect_request("/news/").respond_with_data(
        _archive_page(1, 4), content_type="text/html; charset=utf-8"
    )
    server.expect_request("/news/page/2/").respond_with_data("down", status=500)
    entry = f'url = "{server.url_for("/news/")}"\nitem_selector = "ul.posts li"\n'
    ctx = make_context(write_config(source_toml("html", entry + "max_pages = 3\n")))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert [s.item.title for s in stored.values()] == ["Notice 1"]
    assert [(s.url, s.reason) for s in report.skipped] == [
        (server.url_for("/news/page/2/"), f"next page: {server.url_for('/news/page/2/')} "
         "answered HTTP 500 INTERNAL SERVER ERROR")
    ]  # fmt: skip


@pytest.mark.parametrize(
    "pager",
    [
        '<a href="/list/{n}.html">次へ</a>',  # municipal CMSs: the words alone
        '<span>1</span><a href="/list/{n}.html">2</a><a href="/list/{n}.html">次のページ ＞</a>',
        '<a href="/list/{n}.html">次の20件</a>',
        '<a class="next page-numbers" href="/list/{n}.html">→</a>',  # WordPress, no rel
        '<li class="pager-next"><a href="/list/{n}.html">›</a></li>',  # Drupal 7
        '<a href="/list/{n}.html">Next »</a>',
        '<a href="/list/{n}.html">Berikutnya</a>',
        # found in autopager's annotated pages (TeamHG-Memex): each was no next page
        '<li><a class="Next" href="/list/{n}.html">›</a></li>',  # Vanilla forums
        '<a class="page-link" aria-label="Next" href="/list/{n}.html">'
        '<span aria-hidden="true">»</span></a>',  # Bootstrap
        '<a href="/list/{n}.html" title=" Next Page "><img src="next.gif" alt=""></a>',
        '<a href="/list/{n}.html">След.</a>',  # Bitrix, in Russian
        # an arrow alone among a pager's numbers (OpenCart's "|< < 1 2 3 > >|")
        '<div class="links"><a href="/list/1.html">1</a> <a href="/list/{n}.html">2</a> '
        '<a href="/list/{n}.html">&gt;</a> <a href="/list/4.html">&gt;|</a></div>',
        '<ul><li><a href="/list/1.html">1</a></li><li><a href="/list/{n}.html">2</a></li>'
        '<li><a href="/list/{n}.html">»</a></li></ul>',
        # a slideshow's "next" before the pager: it led nowhere, and paging stopped
        '<a class="next" href="#">›</a><a aria-label="Next" href="javascript:;"></a>'
        '<a href="/list/{n}.html">次へ</a>',
    ],
)
def test_without_a_next_selector_a_pagers_next_link_is_read(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext, pager: str
) -> None:
    """`max_pages = 3` over a pager whose next link is marked by its words or its class,
    not `rel="next"` (`次へ`, `次の20件`, WordPress's `class="next page-numbers"`): the
    first page alone was read, silently."""

    def page(number: int) -> str:
        more = pager.format(n=number + 1) if number < 4 else '<a href="/list/3.html">前へ</a>'
        return (
            f'<html lang="ja"><body><ul class="news"><li><a href="/n/{number}">お知らせ{number}'
            f'</a></li></ul><div class="pager">{more}</div></body></html>'
        )

    for number in (1, 2, 3, 4):
        server.expect_request(f"/list/{number}.html").respond_with_data(
            page(number), content_type="text/html; charset=utf-8"
        )
    entry = f'url = "{server.url_for("/list/1.html")}"\nitem_selector = "ul.news li"\n'
    ctx = make_context(write_config(source_toml("html", entry + "max_pages = 3\n")))
    assert sorted(i.title for i in parse_all(ctx)) == ["お知らせ1", "お知らせ2", "お知らせ3"]


def test_an_arrow_that_is_no_pagers_is_no_next_page() -> None:
    """An arrow alone is a pager's "next" only among its numbered links: a breadcrumb's
    ``>`` links, a teaser's ``»`` "read more" and a slideshow's ``›`` are not."""
    page = (
        '<div class="crumbs"><a href="/">Top</a> <a href="/news/">&gt;</a></div>'
        '<ul><li>Kobe drill <a href="/news/7">»</a></li><li>Visit <a href="/news/8">»</a></li>'
        '</ul><div class="slides"><a href="/s/2">›</a></div><p>Pages: <a href="/p/1">1</a></p>'
    )
    assert next_page(soup_of(page), NEXT_MARKED, "https://x.example.org/news/") == ""


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 8 + b"%%EOF\n"


def test_a_list_that_links_to_pdfs_attaches_them_and_reads_none_as_a_page(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A city's press releases are often a PDF each. Followed, the PDF was read as a page:
    its bytes became the item's summary and content ("%PDF-1.4 1 0 obj" and binary),
    published in every feed. A link named .pdf is not fetched at all now; one that turns
    out to be a file is told by its type or first bytes. The item keeps the list's title
    and date, with the file attached."""
    body = _press_list(
        server,
        '<li><span class="date">2026年11月26日</span>'
        '<a href="/press/a.pdf">報道発表：国際協力（PDF：250KB）</a></li>'
        '<li><span class="date">2026年11月25日</span><a href="/press/download?id=7">資料</a></li>'
        '<li><span class="date">2026年11月24日</span><a href="/press/b.html">記者発表</a></li>',
        'date_selector = "span.date"\nfollow = true\nlanguage = "ja"',
    )
    server.expect_request("/press/download").respond_with_data(
        PDF, content_type="application/octet-stream"
    )
    server.expect_request("/press/b.html").respond_with_data(
        '<html lang="ja"><head><title>記者発表</title><meta name="description" '
        'content="説明"></head><body><main><p>本文。</p></main></body></html>',
        content_type="text/html; charset=utf-8",
    )
    ctx = make_context(write_config(source_toml("html", body)))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    items = {s.item.title: s.item for s in stored.values()}
    pdf, download, page = (
        items["報道発表：国際協力"],  # without the note of the file's type and size
        items["資料"],
        items["記者発表"],
    )
    assert [(m.url, m.mime, m.length, m.role) for m in pdf.media] == [
        (server.url_for("/press/a.pdf"), "application/pdf", None, "document")
    ]
    assert [(m.mime, m.length) for m in download.media] == [("application/pdf", len(PDF))]
    for item in (pdf, download):
        assert "PDF-1.4" not in item.summary + item.content_html
    assert pdf.published == datetime(2026, 11, 26, tzinfo=UTC)  # a day: the list's date
    assert download.published == datetime(2026, 11, 25, tzinfo=UTC)
    assert (page.summary, page.media) == ("説明", ())
    assert "/press/a.pdf" not in [r.path for r, _ in server.log]  # named a file: not fetched


def test_without_follow_a_link_named_as_a_file_is_attached_too(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    body = _press_list(
        server,
        '<li><span class="date">2026年11月26日</span>'
        '<a href="/press/%E5%A0%B1%E9%81%93.pdf">報道発表</a></li>'
        '<li><span class="date">2026年11月25日</span><a href="/press/b.html">記者発表</a></li>',
        'date_selector = "span.date"\nlanguage = "ja"',
    )
    items = {i.title: i for i in parse_all(make_context(write_config(source_toml("html", body))))}
    assert [(m.mime, m.role) for m in items["報道発表"].media] == [("application/pdf", "document")]
    assert items["記者発表"].media == ()


def test_a_file_is_named_by_a_fixed_table_not_the_systems_mime_types() -> None:
    """The system's mime.types maps some page names to types (.pl, and .php on some
    machines): such a link would not have been followed as the page it is."""
    from tdlc_syndication.sources.files import file_type

    assert file_type("https://city.example.jp/press/%E5%A0%B1%E9%81%93.PDF") == "application/pdf"
    for page in ("news.php?id=3", "cgi-bin/list.pl", "detail.aspx", "a.html", "b.shtml", "c"):
        assert file_type(f"https://city.example.jp/{page}") is None, page


def test_what_an_answer_is_by_its_type_and_first_bytes() -> None:
    from tdlc_syndication.sources.files import fetched_file_type

    assert fetched_file_type("text/html", b"<!doctype html><title>x</title>") is None
    assert fetched_file_type("text/html", b"\n%PDF-1.7 ...") == "application/pdf"  # mislabelled
    assert fetched_file_type("application/pdf", b"%PDF-1.7") == "application/pdf"
    # "I don't know": a page when it is markup, else what its first bytes say.
    assert fetched_file_type("application/octet-stream", b"\xef\xbb\xbf<html>") is None
    assert fetched_file_type("application/octet-stream", b"PK\x03\x04") == "application/zip"
    assert fetched_file_type("application/octet-stream", b"\x00\x01") == "application/octet-stream"


def test_files_do_not_use_up_the_follow_limit(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """follow_limit counts the pages fetched; a list of PDFs before its pages left the
    pages unread."""
    body = _press_list(
        server,
        "".join(f'<li><a href="/press/{n}.pdf">PDF {n}</a></li>' for n in range(3))
        + '<li><a href="/press/b.html">記者発表</a></li>',
        "follow = true\nfollow_limit = 1",
    )
    server.expect_request("/press/b.html").respond_with_data(
        '<html><head><meta name="description" content="説明"></head><body></body></html>',
        content_type="text/html; charset=utf-8",
    )
    items = {i.title: i for i in parse_all(make_context(write_config(source_toml("html", body))))}
    assert items["記者発表"].summary == "説明"
    assert [r.path for r, _ in server.log] == ["/press", "/press/b.html"]


def test_a_feed_served_where_the_list_page_was_expected_is_no_fault(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Found by the raw-HTTP fuzzer with warnings as errors: Beautiful Soup warns when it
    parses an XML document as HTML, and the warning ended the source as "a fault of this
    program" (in production it was a line on stderr)."""
    server.expect_request("/news").respond_with_data(
        (DATA / "feed" / "wordpress.rss").read_bytes(), content_type="text/html"
    )
    body = f'url = "{server.url_for("/news")}"\nitem_selector = "item"\nfollow = true'
    report, _ = run_one(make_context(write_config(source_toml("html", body))))
    assert not (report.error or "").startswith("unexpected error"), report.error


def test_items_that_are_sections_of_the_list_page_stay_apart(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A notices page whose items link to their own sections (``#n1``) or only to the page
    (``href="#"``, a list a script opens). The first shared one link once fragments were
    dropped and all but one were hidden as duplicates; the second shared one id and all
    but one were lost. Then a new notice took over an old one's entry when that left the
    list (re-issued by the shared link). Each is its own item and entry now."""
    page = """<!doctype html><html lang="ja"><head><title>お知らせ</title></head><body><ul>
    <li><a href="#n1">ごみ収集日程の変更</a> 2026年11月20日</li>
    <li><a href="#n2">防災訓練のお知らせ</a> 2026年11月18日</li>
    <li><a href="#">環境フォーラム</a> 2026年11月14日</li>
    <li><a href="#">交流会</a> 2026年11月15日</li>
    </ul></body></html>"""
    listing = {"body": page}
    server.expect_request("/oshirase").respond_with_handler(
        lambda _request: Response(listing["body"], content_type="text/html")
    )
    url = server.url_for("/oshirase")
    source = f'url = "{url}"\nitem_selector = "li"\nfollow = true\n'
    ctx = make_context(write_config(source_toml("html", source)))
    report, stored = run_one(ctx)
    assert (report.status, report.new) == ("ok", 4)
    # follow fetches no section of the list page as an item page: the page was fetched once
    # for each, and each item's content was the whole list.
    assert [r.path for r, _ in server.log].count("/oshirase") == 1
    assert all(s.item.content_html == "" for s in stored.values())  # no such section here
    assert {s.item.url.removeprefix(url) for s in stored.values()} == {
        "#n1",
        "#n2",
        "#%E7%92%B0%E5%A2%83%E3%83%95%E3%82%A9%E3%83%BC%E3%83%A9%E3%83%A0",
        "#%E4%BA%A4%E6%B5%81%E4%BC%9A",
    }
    assert all(s.duplicate_of is None for s in stored.values())
    # A new notice where an old one was: a new item, and the old one as it was.
    listing["body"] = page.replace('#n1">ごみ収集日程の変更', '#n3">図書館休館のお知らせ')
    report, stored = run_one(ctx)
    assert (report.new, report.changed) == (1, 0)
    titles = {s.item.url.removeprefix(url): s.item.title for s in stored.values()}
    assert titles["#n1"] == "ごみ収集日程の変更"
    assert titles["#n3"] == "図書館休館のお知らせ"


def test_follow_reads_a_section_of_the_list_page_as_its_items_page(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Notices under their own headings on the list page, the list at the top linking to
    them: with ``follow`` each item's text is its section (to the next heading of its
    level), and its date line there gives the event when the block has none."""
    page = """<!doctype html><html lang="ja"><head><title>お知らせ</title></head><body><main>
    <ul class="toc"><li><a href="#n1">ごみ収集日程の変更</a></li>
    <li><a href="#n2">防災訓練のお知らせ</a></li><li><a href="#none">案内</a></li></ul>
    <h2 id="n1">ごみ収集日程の変更</h2><p>年末年始の収集日程が変わります。</p>
    <h3>内訳</h3><p>可燃ごみは1月4日から。</p>
    <div class="title"><h2><a name="n2"></a>防災訓練のお知らせ</h2></div>
    <div class="body"><p class="when">2026年12月6日 午前10時～正午</p><p>市民の皆さまへ。</p></div>
    <h2>お問い合わせ</h2><p>防災課</p></main></body></html>"""
    server.expect_request("/oshirase").respond_with_data(page, content_type="text/html")
    url = server.url_for("/oshirase")
    source = f'url = "{url}"\nitem_selector = "ul.toc li"\nfollow = true\n'
    source += 'event_selector = ".when"\ntimezone = "Asia/Tokyo"\n'
    report, stored = run_one(make_context(write_config(source_toml("html", source))))
    assert (report.status, report.new) == ("ok", 3)
    items = {s.item.url.removeprefix(url): s.item for s in stored.values()}
    assert "年末年始の収集日程" in items["#n1"].content_html
    assert "可燃ごみは1月4日から" in items["#n1"].content_html  # its h3 is part of it
    assert "市民の皆さま" not in items["#n1"].content_html
    assert "市民の皆さま" in items["#n2"].content_html
    assert "防災課" not in items["#n2"].content_html
    assert items["#n2"].event == Event(
        start=datetime(2026, 12, 6, 1, tzinfo=UTC), end=datetime(2026, 12, 6, 3, tzinfo=UTC)
    )
    assert items["#none"].content_html == ""  # no element is #none: the block alone


@pytest.mark.parametrize(
    ("fragment", "section"),
    [
        ("a", "<h2 id=a>A</h2><p>1</p><h3>A.1</h3><p>2</p>"),  # to the next h2
        ("b", '<h3><a name="b"></a>B</h3><p>3</p>'),  # an anchor in a heading
        ("c", "<h3>C</h3><p>4</p>"),  # an empty anchor before a heading
        ("d", "<p>5</p>"),  # a container: its content
        ("%E3%81%88", "<p>6</p>"),  # the fragment as a link escapes it
        ("missing", ""),
    ],
)
def test_the_section_an_anchor_names(fragment: str, section: str) -> None:
    from tdlc_syndication.sources.page import soup_of
    from tdlc_syndication.sources.sections import find_section

    page = soup_of(
        "<main><h2 id=a>A</h2><p>1</p><h3>A.1</h3><p>2</p><h2>Next</h2>"
        '<h3><a name="b"></a>B</h3><p>3</p><a name="c"></a><h3>C</h3><p>4</p><h2>End</h2>'
        "<section id=d><p>5</p></section><div id=え><p>6</p></div></main>"
    )
    expected = soup_of(section).decode_contents() if section else ""
    found = find_section(page, fragment)
    assert soup_of(found.decode_contents() if found else "").decode_contents() == expected


def _dates_of_list(
    server: HTTPServer,
    page: bytes | str,
    settings: str,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> dict[str, datetime | None]:
    """The publication date of each item of an ``html`` source reading ``page`` (served
    at ``/list/``) with ``settings`` (its selectors and format), by title."""
    server.expect_request("/list/").respond_with_data(page, content_type="text/html")
    entry = f'url = "{server.url_for("/list/")}"\n{settings}'
    ctx = make_context(write_config(source_toml("html", entry)))
    return {i.title: i.published for i in parse_all(ctx)}


def test_a_definition_lists_dates_are_its_terms(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Many municipal systems write their news as a definition list, the date as the
    term: `<dt>2026年11月26日</dt><dd><a …>…</a></dd>`. With `item_selector = "dl.news dd"`
    every item was undated (a `<dd>` holds no date). A `<dd>` block's date is now looked
    for in its term as well (the `<dt>` before it), first; a notice's own day still to
    come in its title is not its date, as before."""
    page = (DATA / "html" / "list-dl.html").read_bytes()
    settings = 'item_selector = "dl.news dd"\ntimezone = "Asia/Tokyo"\n'
    assert _dates_of_list(server, page, settings, write_config, make_context) == {
        "ハイフォン市との技術交流を実施しました": datetime(2026, 11, 26, tzinfo=UTC),
        "防災訓練の視察受け入れ": datetime(2026, 11, 20, tzinfo=UTC),
        "同日：防災資料の英訳を公開": datetime(2026, 11, 20, tzinfo=UTC),  # same term
        "12月10日（木）開催の都市間連携セミナーのご案内": datetime(2026, 11, 5, tzinfo=UTC),
    }


def test_a_notices_fiscal_year_does_not_date_it(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A municipal list's notice that names its fiscal year before its day (`令和7年度版
    統計書を公開しました 2026年11月26日`) was dated 1 January 2025, by the fiscal year, the
    earlier in its text; one that names only its fiscal year was dated 1 January of it."""
    page = """<html lang="ja"><body><ul class="news">
<li><a href="/a.html">令和7年度版 統計書を公開しました</a> 2026年11月26日</li>
<li><span>令和8年度</span> <a href="/b.html">事業計画</a> <span>2026/11/20</span></li>
<li><a href="/c.html">令和8年度 防災訓練の実施計画</a></li>
</ul></body></html>"""
    settings = 'item_selector = "ul.news li"\ntimezone = "Asia/Tokyo"\n'
    assert _dates_of_list(server, page, settings, write_config, make_context) == {
        "令和7年度版 統計書を公開しました": datetime(2026, 11, 26, tzinfo=UTC),
        "事業計画": datetime(2026, 11, 20, tzinfo=UTC),
        "令和8年度 防災訓練の実施計画": None,
    }


PARTNER_NEWS = """<!doctype html><html lang="id"><head><title>Berita</title></head><body>
<ul class="berita">
<li><a href="/berita/1">Lokakarya peringatan dini banjir</a> | Diposting 26/11/2026 oleh Humas</li>
<li><a href="/berita/2">Kunjungan delegasi Kota Kitakyushu</a> <span>3/11/2026, 10:00</span></li>
<li><a href="/berita/3">Pengumuman tanpa tanggal</a></li>
</ul></body></html>"""


def test_a_date_format_is_found_in_a_blocks_text(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A partner city's news writes its dates day first inside each block's text: with
    ``date_format = "%d/%m/%Y"`` and no date selector, each item has its day (the format
    was read against the whole text, and every item was undated)."""
    settings = 'item_selector = "ul.berita li"\ndate_format = "%d/%m/%Y"\n'
    assert _dates_of_list(server, PARTNER_NEWS, settings, write_config, make_context) == {
        "Lokakarya peringatan dini banjir": datetime(2026, 11, 26, tzinfo=UTC),
        "Kunjungan delegasi Kota Kitakyushu": datetime(2026, 11, 3, tzinfo=UTC),
        "Pengumuman tanpa tanggal": None,
    }


THAI_NEWS = """<!doctype html><html lang="th"><head><title>ข่าวประชาสัมพันธ์</title></head><body>
<ul class="news">
<li><a href="/news/1">อบรมการจัดการขยะร่วมกับเมืองคิตะคิวชู</a> <span>26 พ.ย. 69</span></li>
<li><a href="/news/2">ประชุมเชิงปฏิบัติการผังเมืองกะทัดรัด</a> วันที่ 20 พฤศจิกายน 2569</li>
</ul>
<ul class="khmer">
<li><a href="/km/1">សិក្ខាសាលាស្តីពីការគ្រប់គ្រងទឹក</a> ថ្ងៃទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦</li>
</ul></body></html>"""


def test_thai_and_khmer_lists_are_dated(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A Thai city's list writes Buddhist-era years (`26 พ.ย. 69` is 26 November 2026), a
    Khmer one `ថ្ងៃទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦`: both were undated, with no setting to name
    them (`date_format` has no Thai month names or Buddhist era)."""
    settings = 'item_selector = "ul.news li, ul.khmer li"\ntimezone = "Asia/Bangkok"\n'
    assert _dates_of_list(server, THAI_NEWS, settings, write_config, make_context) == {
        "อบรมการจัดการขยะร่วมกับเมืองคิตะคิวชู": datetime(2026, 11, 26, tzinfo=UTC),
        "ประชุมเชิงปฏิบัติการผังเมืองกะทัดรัด": datetime(2026, 11, 20, tzinfo=UTC),
        "សិក្ខាសាលាស្តីពីការគ្រប់គ្រងទឹក": datetime(2026, 11, 26, tzinfo=UTC),
    }


PAST_EVENTS = """<!doctype html><html lang="en"><head><title>Past events</title></head><body>
<ul class="events">
<li><a href="/events/1">Technical Deep Dive on compact cities</a>
 <span>November 16-20, 2026</span></li>
<li><a href="/events/2">Peer exchange on flood early warning</a> <span>Oct. 27–28, 2026</span></li>
<li><a href="/events/3">Knowledge week</a> <span>September 29 – October 2, 2026</span></li>
<li><a href="/events/4">Site visit to Kitakyushu</a> <span>8–9 September 2026</span></li>
</ul></body></html>"""


def test_a_list_dated_with_ranges_has_each_ranges_first_day(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A list of past workshops written as English pages write them, `November 16-20,
    2026`: every item was undated (no single date in it), so all went out as of the run
    that first read them; `8–9 September 2026` was dated its last day and `September 29 –
    October 2, 2026` its last day too. Each is now dated its first day."""
    settings = 'item_selector = "ul.events li"\ndate_selector = "span"\n'
    assert _dates_of_list(server, PAST_EVENTS, settings, write_config, make_context) == {
        "Technical Deep Dive on compact cities": datetime(2026, 11, 16, tzinfo=UTC),
        "Peer exchange on flood early warning": datetime(2026, 10, 27, tzinfo=UTC),
        "Knowledge week": datetime(2026, 9, 29, tzinfo=UTC),
        "Site visit to Kitakyushu": datetime(2026, 9, 8, tzinfo=UTC),
    }


def test_thai_and_khmer_items_are_in_their_languages(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A list that names no language (no `lang`, no `language` setting) gave its Thai and
    Khmer notices the site's language, `en`: in `feeds/language/en`, `lang="en"` on
    their pages. The script says the language, as kana and kanji said `ja`; the language
    feeds name it in its own words."""
    server.expect_request("/list/").respond_with_data(
        THAI_NEWS.replace(' lang="th"', ""), content_type="text/html"
    )
    entry = f'url = "{server.url_for("/list/")}"\nitem_selector = "ul.news li, ul.khmer li"\n'
    ctx = make_context(write_config(source_toml("html", entry)))
    _, stored = run_one(ctx)
    assert sorted(s.item.language or "" for s in stored.values()) == ["km", "th", "th"]
    with Store(ctx.settings.site.database) as store:
        publish(ctx, store)
    out = ctx.settings.site.output_dir
    assert not (out / "feeds/language/en.atom").exists()
    thai = etree.parse(str(out / "feeds/language/th.atom")).getroot()
    assert "ไทย (Thai)" in (thai.findtext("{http://www.w3.org/2005/Atom}title") or "")
    assert len(thai.findall("{http://www.w3.org/2005/Atom}entry")) == 2
    khmer = json.loads((out / "feeds/language/km.json").read_text("utf-8"))
    assert "ខ្មែរ (Khmer)" in khmer["title"]
    assert [i["language"] for i in khmer["items"]] == ["km"]


def test_notices_under_a_date_heading_have_its_date(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """City sites often list their notices under a heading that is their day
    (`<h2>2026年11月26日（木）</h2><ul><li>…`): every item was undated. A block without a
    date of its own takes the heading its group follows when that heading is a day; a
    section's name with a year in it is none."""
    page = (DATA / "html" / "list-headings.html").read_bytes()
    settings = 'item_selector = "ul.news li, div.flat div.item"\ntimezone = "Asia/Tokyo"\n'
    assert _dates_of_list(server, page, settings, write_config, make_context) == {
        "スラバヤ市の廃棄物管理研修を受け入れました": datetime(2026, 11, 26, tzinfo=UTC),
        "12月10日（木）開催の防災セミナーのご案内": datetime(2026, 11, 26, tzinfo=UTC),
        "英語版の都市計画マスタープランを公開": datetime(2026, 11, 20, tzinfo=UTC),
        "国際技術協力の方針": None,  # under 令和8年度の取り組み
        "ダナン市との上下水道交流": datetime(2026, 11, 5, tzinfo=UTC),
        "同日：報告書を公開": datetime(2026, 11, 5, tzinfo=UTC),  # past its group's first item
        "問い合わせ窓口の変更": None,  # under お知らせ
    }


@pytest.mark.parametrize(
    ("page_lang", "settings", "dates"),
    [
        # The page says Indonesian: its numeric dates are day first, with no setting
        # (10:00 in Jakarta is 03:00 UTC).
        ("id", "", (datetime(2026, 11, 26, tzinfo=UTC), datetime(2026, 11, 3, 3, tzinfo=UTC))),
        # English alone cannot tell, but the list's own 26/11/2026 can (no month 26): it
        # writes the day first, and so reads 3/11/2026; English of the UK can.
        ("en", "", (datetime(2026, 11, 26, tzinfo=UTC), datetime(2026, 11, 3, 3, tzinfo=UTC))),
        ("en", 'language = "en-GB"\n',
         (datetime(2026, 11, 26, tzinfo=UTC), datetime(2026, 11, 3, 3, tzinfo=UTC))),
        # So did a page that says US English: 26/11 was none, 3/11 was 11 March.
        ("en-US", "", (datetime(2026, 11, 26, tzinfo=UTC), datetime(2026, 11, 3, 3, tzinfo=UTC))),
        # The source's language names it when the page does not.
        ("", 'language = "vi"\n',
         (datetime(2026, 11, 26, tzinfo=UTC), datetime(2026, 11, 3, 3, tzinfo=UTC))),
    ],
)  # fmt: skip
def test_numeric_dates_are_read_in_the_lists_language(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
    page_lang: str,
    settings: str,
    dates: tuple[datetime | None, datetime | None],
) -> None:
    """A partner city's list writes `26/11/2026`: without `date_format` its items were
    undated, though the page says its language (`<html lang="id">`), whose custom puts
    the day first. The list page's language (or the source's `language`) now reads them,
    and is its blocks' language."""
    page = PARTNER_NEWS.replace(' lang="id"', f' lang="{page_lang}"' if page_lang else "")
    entry = f'item_selector = "ul.berita li"\ntimezone = "Asia/Jakarta"\n{settings}'
    found = _dates_of_list(server, page, entry, write_config, make_context)
    assert (found["Lokakarya peringatan dini banjir"],
            found["Kunjungan delegasi Kota Kitakyushu"]) == dates  # fmt: skip


def test_a_lists_language_is_its_blocks_unless_their_script_says_otherwise(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Blocks of a list page took the source's `language` or the site's: an Indonesian
    city's list with `<html lang="id">` gave `en` notices. The page's language now gives
    theirs, unless their script names another (a template's `lang="en"` over Japanese)."""
    server.expect_request("/list/").respond_with_data(PARTNER_NEWS, content_type="text/html")
    entry = f'url = "{server.url_for("/list/")}"\nitem_selector = "ul.berita li"\n'
    ctx = make_context(write_config(source_toml("html", entry)))
    assert {i.language for i in parse_all(ctx)} == {"id"}
    template = '<html lang="en"><body><ul class="n"><li><a href="/1">防災訓練のお知らせ</a></li>'
    server.expect_request("/ja/").respond_with_data(template, content_type="text/html")
    entry = f'url = "{server.url_for("/ja/")}"\nitem_selector = "ul.n li"\n'
    ctx = make_context(write_config(source_toml("html", entry)))
    assert [i.language for i in parse_all(ctx)] == [None]  # normalising says ja


AMBIGUOUS_NEWS = """<!doctype html><html lang="en"><head><title>News</title></head><body>
<div class="view-content">
<div class="views-row"><a href="/news/1">Flood drill with Cebu</a> <span>{first}</span></div>
<div class="views-row"><a href="/news/2">Kobe delegation</a> <span>{second}</span></div>
</div></body></html>"""


@pytest.mark.parametrize(
    ("first", "second", "dates"),
    [
        # Drupal's default: the weekday tells the order (5 November is a Thursday, 11 May
        # a Monday), and the list is read so
        ("Thu, 11/05/2026 - 10:00", "Tue, 11/03/2026 - 09:00",
         (datetime(2026, 11, 5, 1, tzinfo=UTC), datetime(2026, 11, 3, 0, tzinfo=UTC))),
        # one date that is a day one way only tells it for the list
        ("11/23/2026", "11/03/2026",
         (datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC))),
        # dates that could be read either way, in English alone, are none
        ("11/05/2026", "11/03/2026", (None, None)),
        # nor dates that disagree
        ("11/23/2026", "23/11/2026", (None, None)),
    ],
)  # fmt: skip
def test_a_lists_own_dates_tell_the_order_of_its_dates_in_numbers(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
    first: str,
    second: str,
    dates: tuple[datetime | None, datetime | None],
) -> None:
    """A Drupal list in English (its default date, ``Thu, 11/05/2026 - 10:00``) was
    undated: English alone does not tell month from day. Its weekdays tell, as does one
    date that is a day one way only (``11/23/2026``): a list writes its dates one way."""
    page = AMBIGUOUS_NEWS.format(first=first, second=second)
    entry = 'item_selector = ".views-row"\ntimezone = "Asia/Tokyo"\n'
    found = _dates_of_list(server, page, entry, write_config, make_context)
    assert (found["Flood drill with Cebu"], found["Kobe delegation"]) == dates


def test_a_weekday_beside_a_date_in_numbers_overrules_the_languages_order() -> None:
    """Drupal writes ``Thu, 11/05/2026`` month first on a page of any language: read day
    first (an Indonesian or a British page), it was 11 May, a Monday."""
    from tdlc_syndication.pipeline.dates import find_date

    assert find_date("Thu, 11/05/2026 - 10:00", UTC, None, "dmy") == (
        datetime(2026, 11, 5, 10, tzinfo=UTC),
        "datetime",
    )
    assert find_date("11/23/2026", UTC, None, "dmy") == (datetime(2026, 11, 23, tzinfo=UTC), "day")
    assert find_date("Mon, 11/05/2026", UTC, None, "dmy") == (
        datetime(2026, 5, 11, tzinfo=UTC),
        "day",
    )
    assert find_date("11/05/2026", UTC, None, "dmy") == (datetime(2026, 5, 11, tzinfo=UTC), "day")


def test_try_says_what_to_set_when_a_list_gives_undated_items(
    server: HTTPServer, write_config: Callable[..., Path]
) -> None:
    """Checking a partner city's list with `try`, an operator saw `undated` on every row
    and no word of why: `try` now says what to set (where the date is, its form)."""
    nameless = PARTNER_NEWS.replace(' lang="id"', "")  # a page that names no language
    nameless = nameless.replace("26/11/2026", "06/11/2026")  # nor do its dates tell
    server.expect_request("/list/").respond_with_data(nameless, content_type="text/html")
    entry = f'url = "{server.url_for("/list/")}"\nitem_selector = "ul.berita li"\n'
    runner = CliRunner()
    for extra, said in [
        ("", "3 of 3 items undated: name the element with the date (date_selector); a date"),
        ('date_format = "%m-%d-%Y"\n', "3 of 3 items undated: their dates are not in"),
        ('date_format = "%d/%m/%Y"\n', "1 of 3 items undated"),  # the one without a date
    ]:
        config = write_config(source_toml("html", entry + extra))
        result = runner.invoke(cli, ["--config", str(config), "try", "src"])
        assert result.exit_code == 0, result.output
        assert said in result.output, result.output


HEADED = """<!doctype html><html lang="id"><head><title>Berita</title></head><body>
<h2>Kamis, 26/11/2026</h2>
<ul class="berita"><li><a href="/berita/1">Lokakarya peringatan dini banjir</a></li>
<li><a href="/berita/2">Kunjungan delegasi Kota Kitakyushu</a></li></ul>
<h2>Pengumuman</h2>
<ul class="berita"><li><a href="/berita/3">Perubahan jam layanan</a></li></ul>
</body></html>"""


@pytest.mark.parametrize("page_lang", ["id", ""])
def test_a_heading_in_numbers_dates_its_group_in_the_pages_language(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
    page_lang: str,
) -> None:
    """An Indonesian list groups its news under `<h2>Kamis, 26/11/2026</h2>`: the heading
    dates its group when the page's language says the day comes first (both readers of
    list pages); where nothing says so, no group is dated."""
    page = HEADED.replace(' lang="id"', f' lang="{page_lang}"' if page_lang else "")
    day = datetime(2026, 11, 26, tzinfo=UTC) if page_lang else None
    settings = 'item_selector = "ul.berita li"\n'
    assert _dates_of_list(server, page, settings, write_config, make_context) == {
        "Lokakarya peringatan dini banjir": day,
        "Kunjungan delegasi Kota Kitakyushu": day,
        "Perubahan jam layanan": None,
    }


FILES_LISTED = """<!doctype html><html lang="ja"><head><title>報道発表</title></head><body>
<ul class="news">
<li>2026年11月26日 <a href="/files/plan.pdf">防災計画の改定について（PDF：1.2MB）</a></li>
<li>2026年11月25日 <a href="/files/data.xlsx">視察受入実績 [Excelファイル／45KB]</a></li>
<li>2026年11月24日 <a href="/news/3.html">市長記者会見（11月24日）</a></li>
<li>2026年11月23日 <a href="/files/en.pdf">Flood drill report (PDF, 2.3 MB)</a></li>
<li>2026年11月22日 <a href="/files/x.pdf">（PDF：10KB）</a></li>
<li>2026年11月21日 <a href="/files/list.xlsx">受入一覧（エクセル：20KB）</a></li>
<li>2026年11月20日 <a href="/files/form.docx">申込書（ワード形式：35KB）</a></li>
<li>2026年11月19日 <a href="/files/old.jtd">要綱（一太郎：50KB）</a></li>
</ul></body></html>"""


def test_a_files_note_of_its_type_and_size_is_not_its_title(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Japanese municipal sites write a file's type and size in its link (their
    accessibility guideline asks for it): every such item was titled 「防災計画の改定に
    ついて（PDF：1.2MB）」. The item carries the file with its type and length; its title
    is the file's name now. A page's brackets stay, and a note alone stays a title."""
    server.expect_request("/list/").respond_with_data(FILES_LISTED, content_type="text/html")
    entry = f'url = "{server.url_for("/list/")}"\nitem_selector = "ul.news li"\n'
    ctx = make_context(write_config(source_toml("html", entry)))
    assert [i.title for i in parse_all(ctx)] == [
        "防災計画の改定について",
        "視察受入実績",
        "市長記者会見（11月24日）",
        "Flood drill report",
        "（PDF：10KB）",
        "受入一覧",  # the types' Japanese names: were kept in the title
        "申込書",
        "要綱",
    ]


TABLED = """<!doctype html><html lang="en"><head><title>News</title></head><body>
<table class="news"><tr><th>Date</th><th>Title</th></tr>
<tr><td>26 November 2026</td><td><a href="/news/1">Flood drill with Cebu</a></td></tr>
<tr><td>20 November 2026</td><td><a href="/news/2">Compact city seminar</a></td></tr>
<tr><td>19 November 2026</td><td>A row without its link</td></tr>
</table></body></html>"""


@pytest.fixture(params=["lxml", "soup"])
def list_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each reader of list pages: lxml's, then BeautifulSoup's (the fast one switched off)."""
    if request.param == "soup":
        # (on the module's lazy binding, which keeps what it read: ``pipeline.lazy``)
        monkeypatch.setattr(vars(html_kind)["listpage"], "picked_fast", lambda *args: None)
    return str(request.param)


@pytest.mark.usefixtures("list_reader")
def test_a_tables_header_row_is_no_dropped_item(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """``item_selector = "table.news tr"`` picks the header row with the rows: it was
    counted as a dropped item (``no-title: 1``) at every run, and ``status`` said so. It is
    no item now, by both readers of list pages; a data row without its link still counts."""
    server.expect_request("/list/").respond_with_data(TABLED, content_type="text/html")
    entry = f'url = "{server.url_for("/list/")}"\nitem_selector = "table.news tr"\n'
    ctx = make_context(write_config(source_toml("html", entry)))
    report, stored = run_one(ctx)
    assert report.notes == {"no-title": 1}
    assert sorted(s.item.title for s in stored.values()) == [
        "Compact city seminar",
        "Flood drill with Cebu",
    ]


def _marked_list(mark: str) -> str:
    return (
        '<!doctype html><html lang="ja"><head><title>新着情報</title></head><body>'
        '<ul class="news"><li><span class="date">2026年11月26日</span><a href="/n/1.html">'
        f"市長記者会見{mark}</a></li>"
        '<li><span class="date">2026年11月25日</span><a href="https://kobe.example.org/x" '
        'target="_blank">国際会議<span class="external">（外部リンク・新しいウィンドウで開きます）'
        "</span></a></li>"
        '<li><span class="date">2026年11月24日</span><a href="/n/3.html">Flood drill '
        '<span class="screen-reader-text">(opens in a new tab)</span></a></li>'
        '<li><span class="date">2026年11月23日</span><a href="/n/4.html">【新着】防災マップ更新</a>'
        '</li><li><span class="date">2026年11月22日</span><a href="/n/5.html">WHAT\'S NEW</a>'
        "</li></ul></body></html>"
    )


@pytest.mark.usefixtures("list_reader")
def test_a_links_window_note_and_new_mark_are_not_its_title(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A list's link says it opens a new window or leaves the site (「（新しいウィンドウで
    開きます）」, "(opens in a new tab)"), as accessibility guidelines ask, often in a span
    only screen readers see; and marks a new item (``NEW!``, 【新着】) for some days. Each
    was in the title, and when the mark went the item was retitled everywhere. The title
    is the link's text without them now, by both readers of list pages."""
    listed = {"page": _marked_list('<span class="icon-new">NEW!</span>')}
    server.expect_request("/list/").respond_with_handler(
        lambda _: Response(listed["page"], content_type="text/html")
    )
    entry = f'url = "{server.url_for("/list/")}"\nitem_selector = "ul.news li"\n'
    ctx = make_context(write_config(source_toml("html", entry)))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert sorted(s.item.title for s in stored.values()) == [
        "Flood drill", "WHAT'S NEW", "国際会議", "市長記者会見", "防災マップ更新",
    ]  # fmt: skip
    listed["page"] = _marked_list("")  # the mark is gone a week later
    report, _ = run_one(ctx)
    assert (report.new, report.changed) == (0, 0)


@pytest.mark.usefixtures("list_reader")
@pytest.mark.parametrize(
    "mark", ["<strong>NEW!</strong>", '<b style="color:red">NEW</b>', '<em class="new">New!</em>']
)
def test_a_new_mark_in_an_emphasis_is_not_its_title(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext, mark: str
) -> None:
    """An emphasis runs on into the words beside it (see the next test); a new item's mark
    set in one, right after the title, is still no part of it: by its style or class, or
    as a Latin mark after Japanese text."""
    listed = {"page": _marked_list(mark)}
    server.expect_request("/list/").respond_with_handler(
        lambda _: Response(listed["page"], content_type="text/html")
    )
    entry = f'url = "{server.url_for("/list/")}"\nitem_selector = "ul.news li"\n'
    ctx = make_context(write_config(source_toml("html", entry)))
    _, stored = run_one(ctx)
    assert "市長記者会見" in {s.item.title for s in stored.values()}
    listed["page"] = _marked_list("")
    report, _ = run_one(ctx)
    assert (report.new, report.changed) == (0, 0)


EMPHASISED = """<!doctype html><html lang="ja"><head><title>お知らせ</title></head><body>
<ul class="news">
<li><a href="/n/1.html">富山市の<strong>コンパクトシティ</strong>政策</a>
<span class="date">2026年11月26日</span>
<p class="lead">駅前の<b>再開発</b>について<em>説明</em>します。See the
<a href="/t.html">toolkit</a>, then <b>Kobe</b>'s plan.</p></li>
<li><a href="/n/2.html"><b>Kobe</b>'s <em>compact city</em>: a guide</a>
<span class="date">2026年11月25日</span>
<p class="lead">CO<sub>2</sub> per head,<span>by ward</span><br>and <i>year</i>.</p></li>
<li><a href="/n/3.html">Port visit</a>Nov 24, 2026</li>
<li><a href="/n/4.html"><b>2026.11.23</b>防災訓練のお知らせ</a></li>
<li><a href="/n/5.html"><time datetime="2026-11-22">3<b>日</b>前</time>視察の報告</a></li>
</ul></body></html>"""


TOOLKIT = "See the toolkit, then Kobe's plan."


@pytest.mark.usefixtures("list_reader")
def test_a_lists_emphasis_and_links_run_on_into_their_words(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """The words of an emphasis or a link in a title or a summary stood apart from the
    words beside them (``富山市の コンパクトシティ 政策``, ``Kobe 's``, ``toolkit ,``),
    as BeautifulSoup's text puts a space between any two strings. They run on as a
    browser shows them now, by both readers; a span and a line break still part words.
    A block's text searched for its date keeps every element apart (``Port visit</a>Nov
    24, 2026``), and the title rules see what a list sets apart in an emphasis (a day
    before the title)."""
    server.expect_request("/list/").respond_with_data(EMPHASISED, content_type="text/html")
    entry = (
        f'url = "{server.url_for("/list/")}"\nitem_selector = "ul.news li"\n'
        'title_selector = "a"\nsummary_selector = "p.lead"\n'
    )
    ctx = make_context(write_config(source_toml("html", entry)))
    _, stored = run_one(ctx)
    assert sorted((s.item.title, s.item.summary) for s in stored.values()) == [
        ("Kobe's compact city: a guide", "CO2 per head, by ward and year."),
        ("Port visit", ""),
        ("富山市のコンパクトシティ政策", "駅前の再開発について説明します。" + TOOLKIT),
        ("視察の報告", ""),
        ("防災訓練のお知らせ", ""),
    ]
    port = next(s.item for s in stored.values() if s.item.title == "Port visit")
    assert port.published is not None
    assert port.published.date() == date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Laporan tahunan (tautan eksternal)", "Laporan tahunan"),
        ("Laporan tahunan [Pautan luar]", "Laporan tahunan"),
        ("Báo cáo thường niên (liên kết ngoài)", "Báo cáo thường niên"),
        ("รายงานประจำปี (ลิงก์ภายนอก)", "รายงานประจำปี"),
        ("Informe anual (enlace externo)", "Informe anual"),
        ("Rapport annuel (lien externe)", "Rapport annuel"),
        ("(tautan eksternal)", "(tautan eksternal)"),  # nothing else: kept
    ],
)
def test_a_note_that_a_link_leaves_the_site_in_partner_languages(text: str, title: str) -> None:
    """Partner cities' sites note a link that leaves the site in their own languages
    (`(tautan eksternal)`, `(liên kết ngoài)`, `(enlace externo)`): it was in the title."""
    assert link_title(text) == title


def test_a_followed_page_protected_by_a_password_is_withdrawn(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """``follow`` read a WordPress post protected by a password as the form that asks for
    it: the item's text was "This content is password protected". It is withdrawn now;
    the list's other items are read."""
    server.expect_request("/list/").respond_with_data(
        '<ul class="news"><li><a href="/p/1">Staff notes</a></li>'
        '<li><a href="/p/2">Flood drill</a></li></ul>',
        content_type="text/html",
    )
    server.expect_request("/p/1").respond_with_data(PROTECTED_PAGE, content_type="text/html")
    server.expect_request("/p/2").respond_with_data(
        "<html><body><main><p>Residents drilled with Cebu.</p></main></body></html>",
        content_type="text/html",
    )
    url = server.url_for("/list/")
    entry = f'url = "{url}"\nitem_selector = "ul.news li"\nfollow = true\n'
    ctx = make_context(write_config(source_toml("html", entry)))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert [s.item.title for s in stored.values()] == ["Flood drill"]
    assert report.retracted == 0  # never published: nothing to take back


def test_a_list_page_not_modified_loads_no_parser(
    server: HTTPServer, write_config: Callable[..., Path]
) -> None:
    # A run in which every list page answers 304 reads no page: it loads neither lxml nor
    # BeautifulSoup (they load with the first page read, not with the html kind's module).
    body = (DATA / "html" / "list-2.html").read_bytes()

    def page(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(body, content_type="text/html; charset=utf-8", headers={"ETag": '"v1"'})

    server.expect_request("/news/list-2.html").respond_with_handler(page)
    source = f'url = "{server.url_for("/news/list-2.html")}"\nitem_selector = "ul.news li"\n'
    config = write_config(source_toml("html", source))
    first = CliRunner().invoke(cli, ["--config", str(config), "run", "--once"])
    assert first.exit_code == 0, first.output
    proc, imported = console_run(config, "run", "--once")  # the second run, a new process
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "not_modified" in proc.stdout
    assert not {"lxml", "bs4", "tdlc_syndication.sources.htmlfast"} & imported
    # nor the code that prepares what a page gives (the cleaner, the taxonomy's phrases)
    preparing = {"prepare", "classify", "normalise", "filters"}
    assert not {f"tdlc_syndication.pipeline.{name}" for name in preparing} & imported
    assert "nh3" not in imported
    assert "tdlc_syndication.sources.html" in imported


def test_a_list_page_read_by_the_fast_path_loads_no_css_library(
    server: HTTPServer, write_config: Callable[..., Path]
) -> None:
    """A list page lxml reads whole loads neither BeautifulSoup nor its CSS library: the
    settings' selectors are checked (for ``check``'s words) only when a run fails. Checking
    them before every read loaded both, 0.2 s in each run that read a list page."""
    server.expect_request("/news/").respond_with_data(
        '<html lang="en"><body><ul class="news"><li><span class="date">2026-11-20</span>'
        '<a href="/n/1.html">Kobe drill</a></li></ul></body></html>',
        content_type="text/html; charset=utf-8",
    )
    source = f'url = "{server.url_for("/news/")}"\nitem_selector = "ul.news li"\n'
    config = write_config(source_toml("html", source + 'date_selector = "span.date"\n'))
    proc, imported = console_run(config, "run", "--once")
    assert proc.returncode == 0, proc.stderr[-500:]
    with Store(load_settings(config).site.database) as store:
        assert [s.item.title for s in store.items()] == ["Kobe drill"]
    assert "tdlc_syndication.sources.htmlfast" in imported  # (the page was read so)
    assert not {"bs4", "soupsieve"} & imported


def test_an_author_named_by_the_address_of_its_node_is_that_nodes() -> None:
    """All in One SEO names an article's author by its node's ``@id`` alone, as text
    (``"author": "https://blog.example.org/author/karo/#author"``): that address was the
    item's author. It is the node's name now; an address that names no node is none."""
    graph = [
        {"@type": "BlogPosting", "headline": "Lost", "author": "https://b.example.org/a/k/#author"},
        {"@type": "Person", "@id": "https://b.example.org/a/k/#author", "name": "Karo Herr"},
    ]
    page = (
        '<html><head><script type="application/ld+json">'
        f"{json.dumps({'@graph': graph})}</script></head></html>"
    )
    assert read_page(page, "https://b.example.org/lost", UTC).authors == ["Karo Herr"]
    unnamed = page.replace('"@id": "https://b.example.org/a/k/#author", ', "")
    assert read_page(unnamed, "https://b.example.org/lost", UTC).authors == []


def test_yoasts_graph_names_the_author_and_image_by_reference() -> None:
    """Yoast, on most WordPress sites, gives an article's author and image as references
    to other nodes of its @graph: the page had no author."""
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Article",
                "headline": "Flood drill",
                "datePublished": "2026-11-26T10:00:00+09:00",
                "author": [{"@id": "https://x.example.org/#/schema/person/1"}],
                "image": {"@id": "https://x.example.org/drill#primaryimage"},
            },
            {
                "@type": "ImageObject",
                "@id": "https://x.example.org/drill#primaryimage",
                "url": "https://x.example.org/drill.jpg",
            },
            {"@type": "Person", "@id": "https://x.example.org/#/schema/person/1", "name": "Aiko"},
        ],
    }
    page = f'<html><head><script type="application/ld+json">{json.dumps(graph)}</script>'
    info = read_page(page + "</head></html>", "https://x.example.org/drill", ZoneInfo("UTC"))
    assert (info.authors, info.image) == (["Aiko"], "https://x.example.org/drill.jpg")


def test_a_templates_keywords_are_no_keywords() -> None:
    """A Blogger template writes ``<meta content='YOUR KEYWORDS HERE' name='keywords'/>``
    and its user never changes it (a stored page of a real blog): every item was filed
    under "YOUR KEYWORDS HERE". Such words ("keyword1", "your tags here") are none; a
    page's own stay."""
    for content, keywords in (
        ("YOUR KEYWORDS HERE", []),
        ("keyword1, keyword2, Kobe", ["Kobe"]),
        ("Kobe, compact city、防災", ["Kobe", "compact city", "防災"]),
    ):
        page = f"<html><head><meta content='{content}' name='keywords'/></head></html>"
        info = read_page(page, "https://x.example.org/a", ZoneInfo("UTC"))
        assert info.keywords == keywords, content


def test_json_ld_text_escaped_as_html_is_read_as_text() -> None:
    """WordPress's SEO and events plug-ins escape what they write into JSON-LD as HTML
    (a stored page of a real news site: ``"author":{"@type":"Person","name":"Lindsey
    O&#039;Donnell"}``): the item's author was "Lindsey O&#039;Donnell", and an event's
    title "Kobe &#8211; Cebu workshop". The references are read."""
    nodes = [
        {"@type": "NewsArticle", "headline": "Flood drill", "datePublished": "2026-11-26",
         "author": {"@type": "Person", "name": "Lindsey O&#039;Donnell"}},
        {"@type": "Event", "name": "Kobe &#8211; Cebu workshop &amp; visit",
         "startDate": "2026-12-10T10:00:00+09:00",
         "location": {"@type": "Place", "name": "Kobe City Hall &#038; online"}},
    ]  # fmt: skip
    for node, url in zip(nodes, ("drill", "workshop"), strict=True):
        page = f'<html><head><script type="application/ld+json">{json.dumps(node)}</script>'
        info = read_page(page + "</head></html>", f"https://x.example.org/{url}", ZoneInfo("UTC"))
        if node["@type"] == "NewsArticle":
            assert info.authors == ["Lindsey O'Donnell"]
        else:
            assert info.title == "Kobe – Cebu workshop & visit"
            assert info.event is not None
            assert info.event.location == "Kobe City Hall & online"


@pytest.mark.parametrize(
    "block",
    [
        # A theme's comments in the block.
        '{\n  // added by the theme\n  "@type": "NewsArticle",\n  /* dates */\n'
        '  "headline": "Bus plan",\n  "datePublished": "2026-11-26",\n}',
        # An XHTML theme's CDATA wrapper.
        '//<![CDATA[\n{"@type": "Article", "headline": "Bus plan", '
        '"datePublished": "2026-11-26"}\n//]]>',
        # A comment after a member, as a news site writes it (found in extruct's samples).
        '{\n  "@type": "NewsArticle",\n  "headline": "Bus plan", // the title\n'
        '  "url": "https://x.example.org/a//b", /* dates */ "datePublished": "2026-11-26",\n'
        '  //"interactionCount": ""\n}',
        # An HTML comment before the block, or around it as old pages hid scripts.
        '<!-- added by the theme -->\n{"@type": "Article", "datePublished": "2026-11-26"}',
        '<!--\n{"@type": "Article", "headline": "<!-- a -->", "datePublished": "2026-11-26"}'
        "\n//-->",
        # Tabs and line breaks inside its strings (three of trafilatura's news pages).
        '{"@type": "NewsArticle", "headline": "Bus\tplan\nfor Toyama", '
        '"datePublished": "2026-11-26"}',
        # Ended with ";" as a script is, or two blocks in one (two of its pages).
        '[{"@type": "BreadcrumbList"}, {"@type": "Article", "datePublished": "2026-11-26"}];',
        '{"@type": "WebSite"}\n{"@type": "Article", "datePublished": "2026-11-26"}',
    ],
)
def test_json_ld_as_themes_write_it_is_read(block: str) -> None:
    """Such a block was invalid JSON, and skipped: the page had no date."""
    page = f'<html><head><script type="application/ld+json">{block}</script></head></html>'
    info = read_page(page, "https://x.example.org/bus", ZoneInfo("UTC"))
    assert info.published == (datetime(2026, 11, 26, tzinfo=UTC), "day")


@pytest.mark.parametrize(
    "kind", ["SocialMediaPosting", "OpinionNewsArticle", "LiveBlogPosting", "ReportageNewsArticle"]
)
def test_json_ld_of_every_kind_of_article_is_read(kind: str) -> None:
    """schema.org's kinds of Article were no article: a Tumblr post (``SocialMediaPosting``,
    a stored page of a real blog among readability's) and a news site's column had no
    date and no author."""
    node = {"@type": kind, "headline": "Bus plan", "datePublished": "2026-11-26",
            "author": {"@type": "Person", "name": "Ken Sato"}}  # fmt: skip
    page = f'<html><head><script type="application/ld+json">{json.dumps(node)}</script>'
    info = read_page(page + "</head></html>", "https://x.example.org/bus", ZoneInfo("UTC"))
    assert info.published == (datetime(2026, 11, 26, tzinfo=UTC), "day")
    assert info.authors == ["Ken Sato"]


@pytest.mark.parametrize(
    ("body", "content"),
    [
        ("Kobe and Cebu drilled together.\n\nThree hundred residents & staff took part.",
         "<p>Kobe and Cebu drilled together.</p><p>Three hundred residents &amp; staff took "
         "part.</p>"),
        ("<p>Kobe and Cebu drilled together.</p><p>Three hundred took part.</p>",
         "<p>Kobe and Cebu drilled together.</p><p>Three hundred took part.</p>"),
    ],
)  # fmt: skip
def test_a_page_a_script_writes_has_its_articles_body_as_its_text(body: str, content: str) -> None:
    """A news agency's pages are written by a script, and their items had no text; their
    JSON-LD gives it (``articleBody``), as plain text or as markup."""
    node = {"@type": "NewsArticle", "headline": "Flood drill", "articleBody": body}
    page = (
        f'<html><head><script type="application/ld+json">{json.dumps(node)}</script></head>'
        '<body><main><div class="spinner" aria-busy="true"></div></main></body></html>'
    )
    info = read_page(page, "https://x.example.org/drill", ZoneInfo("UTC"))
    assert info.content_html == content


def test_a_fact_check_is_dated_by_its_review_not_by_the_claim() -> None:
    """A fact-checker's article is a ClaimReview (as Google asks them to mark it), and
    AFP's had no date: only kinds of Article were read. The claim it reviews has its own
    date, which is not the article's."""
    node = {"@type": "ClaimReview", "name": "No, the bridge is not closing",
            "datePublished": "2026-05-13 15:44",
            "itemReviewed": {"@type": "Claim", "datePublished": "2026-05-07"},
            "author": {"@type": "Person", "name": "Aiko Tanaka"}}  # fmt: skip
    page = f'<html><head><script type="application/ld+json">{json.dumps(node)}</script>'
    info = read_page(page + "</head></html>", "https://x.example.org/fc", ZoneInfo("UTC"))
    assert info.published == (datetime(2026, 5, 13, 15, 44, tzinfo=UTC), "datetime")
    assert info.authors == ["Aiko Tanaka"]
    assert info.title == "No, the bridge is not closing"


@pytest.mark.parametrize(
    ("node", "authors"),
    [
        # a byline with its links as the name (a news site's)
        ({"@type": "NewsArticle", "author": {"@type": "Person", "name": 'By <a href="/p/k">'
          'Ken Sato</a> and <a href="/p/a">Aiko Tanaka</a>, Kobe Shimbun'}},
         ["Ken Sato and Aiko Tanaka, Kobe Shimbun"]),
        # names as a list, a node as the name, the parts of a name, a type in lower case
        ({"@type": "NewsArticle", "author": [{"@type": "Person", "name": ["Ken Sato",
          "Aiko Tanaka"]}]}, ["Ken Sato", "Aiko Tanaka"]),
        ({"@type": "Article", "author": {"@type": "Person", "name": {"@type": "Person",
          "name": "Ken Sato"}}}, ["Ken Sato"]),
        ({"@type": "socialmediaposting", "author": {"@type": "Person", "givenName": "Aiko",
          "additionalName": "M.", "familyName": "Tanaka"}}, ["Aiko M. Tanaka"]),
    ],
)  # fmt: skip
def test_json_ld_authors_as_pages_write_them_are_read(
    node: dict[str, object], authors: list[str]
) -> None:
    """JSON-LD as real pages write it (trafilatura's stored samples): the author was a
    byline's HTML ("By <a href=…>Amir Vera</a>, …"), or none where the name was a list,
    a node or in parts, or the node's type was written in lower case."""
    node = {**node, "headline": "Bus plan", "datePublished": "2026-11-26"}
    page = f'<html><head><script type="application/ld+json">{json.dumps(node)}</script>'
    info = read_page(page + "</head></html>", "https://x.example.org/bus", ZoneInfo("UTC"))
    assert info.authors == authors


@pytest.mark.parametrize(
    ("event", "end", "mode"),
    [
        # A hybrid seminar lists a Place and a VirtualLocation; no attendance mode said.
        ('"location": [{"@type": "Place", "name": "Kobe City Hall"}, '
         '{"@type": "VirtualLocation", "url": "https://zoom.us/j/123"}]', None, "mixed"),
        ('"location": [{"@type": "VirtualLocation", "url": "https://youtube.com/live/x"}]',
         None, "online"),
        ('"eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode", "location": '
         '[{"@type": "Place", "name": "Kobe"}, {"@type": "VirtualLocation", "url": '
         '"https://zoom.us/j/1"}]', None, "offline"),  # what the page says wins
        # A duration in place of an end.
        ('"duration": "PT1H30M", "location": {"@type": "Place", "name": "Yokohama"}',
         datetime(2026, 12, 10, 2, 30, tzinfo=UTC), None),
        ('"duration": "two hours"', None, None),
        # Moved online, its attendance mode left as it was: online.
        ('"eventStatus": "https://schema.org/EventMovedOnline", "eventAttendanceMode": '
         '"https://schema.org/OfflineEventAttendanceMode"', None, "online"),
    ],
)  # fmt: skip
def test_a_json_ld_events_places_and_duration_say_how_and_how_long(
    event: str, end: datetime | None, mode: str | None
) -> None:
    """A schema.org Event with a Place and a VirtualLocation, and no
    ``eventAttendanceMode``, was of no mode (it is mixed now; a VirtualLocation alone is
    online); one with a ``duration`` and no ``endDate`` had no end; one moved online
    whose page left its attendance mode offline was offline."""
    read = _json_ld_event(f'"startDate": "2026-12-10T10:00:00+09:00", {event}', "Asia/Tokyo")
    assert (read.end, read.mode) == (end, mode)


def _json_ld_event(fields: str, zone: str) -> Event:
    """The event a page gives whose JSON-LD is one Event of ``fields``."""
    block = f'{{"@context": "https://schema.org", "@type": "Event", "name": "Seminar", {fields}}}'
    page = f'<html><head><script type="application/ld+json">{block}</script></head></html>'
    info = read_page(page, "https://x.example.org/seminar", ZoneInfo(zone))
    assert info.event is not None
    return info.event


@pytest.mark.parametrize(
    ("place", "location"),
    [
        # schema.org's own example of an event (#eg-0426): a place named for its town
        ('"name": "Missoula, MT", "address": {"addressLocality": "Missoula", '
         '"addressRegion": "MT"}', "Missoula, MT"),  # was "Missoula, MT, Missoula, MT"
        ('"name": "Kobe City Hall", "address": {"addressLocality": "Kobe", '
         '"addressRegion": "Hyogo", "addressCountry": "JP"}', "Kobe City Hall, Kobe, Hyogo, JP"),
        ('"address": {"addressLocality": "Tokyo", "addressRegion": "Tokyo"}', "Tokyo"),
    ],
)  # fmt: skip
def test_a_json_ld_places_name_and_address_are_said_once(place: str, location: str) -> None:
    fields = f'"startDate": "2026-12-10T06:00:00-07:00", "location": {{"@type": "Place", {place}}}'
    assert _json_ld_event(fields, "UTC").location == location


@pytest.mark.parametrize(
    ("head", "published", "modified"),
    [
        # A DSpace repository's item page (the OKR's): Highwire Press tags, for Scholar.
        ('<meta name="citation_publication_date" content="2026/11/26">', date(2026, 11, 26),
         None),
        # Dublin Core as government sites write it, in any case.
        ('<meta name="DC.Date.Issued" content="2026-11-26">'
         '<meta name="DCTERMS.modified" content="2026-11-30">', date(2026, 11, 26),
         date(2026, 11, 30)),
        # Microdata on <meta>, and Open Graph's updated time.
        ('<meta itemprop="datePublished" content="2026-11-26">'
         '<meta property="og:updated_time" content="2026-11-30T10:00:00+09:00">',
         date(2026, 11, 26), date(2026, 11, 30)),
        # The page's JSON-LD goes before them.
        ('<meta name="date" content="2026-12-04"><script type="application/ld+json">'
         '{"@type": "Article", "datePublished": "2026-11-26"}</script>', date(2026, 11, 26),
         None),
        # The names news sites write: Open Graph's as some spell it, the BBC's rNews, the
        # NYT's, Sailthru's, and a revision's date
        ('<meta property="og:article:published_time" content="2026-11-26T09:49:32+0000">'
         '<meta property="og:article:modified_time" content="2026-11-27T09:49:32+0000">',
         date(2026, 11, 26), date(2026, 11, 27)),
        ('<meta property="rnews:datePublished" content="2026-11-26T11:53:04+00:00">',
         date(2026, 11, 26), None),
        ("<meta name='OriginalPublicationDate' content='2026-11-26T16:54:02+00:00'>",
         date(2026, 11, 26), None),
        ('<meta name="sailthru.date" content="2026-11-26 14:39:54">'
         '<meta name="REVISION_DATE" content="Mon Nov 30 09:49:32 UTC 2026">', date(2026, 11, 26),
         date(2026, 11, 30)),
    ],
)  # fmt: skip
def test_dates_a_page_gives_in_other_meta_tags(
    head: str, published: date, modified: date | None
) -> None:
    """A page that gave its dates only in Dublin Core, Highwire Press or microdata <meta>
    tags was undated (only Open Graph's were read); so was one that gave them only under
    the names news sites write (of newspaper's 145 stored pages, one; two more gain the
    time of day their date had not)."""
    info = read_page(f"<html><head>{head}</head></html>", "https://x.example.org/", UTC)
    assert info.published is not None
    assert info.published[0].date() == published
    assert (info.modified[0].date() if info.modified else None) == modified


def test_a_meta_that_names_several_properties_gives_each() -> None:
    """RDFa's ``property`` (and microdata's ``itemprop``) lists names: ``<meta
    property="og:title twitter:title" content="…">`` gave no title, description or date,
    as no name was the whole list. Each name it lists is read; a ``name`` is one
    name."""
    head = (
        "<title>Kobe City</title>"
        '<meta property="og:title twitter:title" content="Flood drill in Kobe">'
        '<meta property="og:description  twitter:description" content="Residents drilled.">'
        '<meta property="article:published_time dc:date" content="2026-11-20T01:00:00Z">'
        '<meta name="author editor" content="Not a name read">'
    )
    info = read_page(
        f"<html><head>{head}</head><body><p>x</p></body></html>", "https://x.example.org/", UTC
    )
    assert (info.title, info.description) == ("Flood drill in Kobe", "Residents drilled.")
    assert info.published == (datetime(2026, 11, 20, 1, tzinfo=UTC), "datetime")
    assert info.authors == []
    assert page_metas(BeautifulSoup(head, "html.parser").find_all("meta"))[-1] == (
        "author editor",
        "Not a name read",
    )


@pytest.mark.parametrize(
    ("body", "language"),
    [
        (
            "<nav>Published reports and toolkits of the programme</nav>"
            "<p>Published: 26 November 2026</p>",
            "en",
        ),
        ("<p>LAST UPDATED: November 26, 2026</p>", "en"),
        ("<p>Diperbarui pada: Kamis, 26 November 2026</p>", "id"),
        ("<p>Ngày đăng: 26/11/2026</p>", "vi"),
        ("<p>ปรับปรุงล่าสุด 26 พ.ย. 2569</p>", "th"),
        ("<p>Publicado el 26 de noviembre de 2026</p>", "es"),
        ("<p>Mis à jour le 26 novembre 2026</p>", "fr"),
        ("<p>发布日期：2026-11-26</p>", "zh"),
        ("<p>등록일 2026.11.26</p>", "ko"),
    ],
)
def test_a_date_after_its_label_in_partner_languages(body: str, language: str) -> None:
    """A page without dated metadata gives the date written after its 'updated' or
    'published' label: only Japanese labels and two English ones (in that case) were
    read, and only the first label in the page, so a menu's "Published reports" hid the
    page's own date."""
    page = f'<html lang="{language}"><body>{body}</body></html>'
    info = read_page(page, "https://x.example.org/", UTC)
    assert info.modified == (datetime(2026, 11, 26, tzinfo=UTC), "day")


@pytest.mark.parametrize(
    ("canonical", "page", "url"),
    [
        # A CMS that names its home page (or the page's folder) as every page's
        # canonical address: every item linked to the home page.
        ("https://city.example.jp/", "https://city.example.jp/news/1.html", None),
        ("/news/", "https://city.example.jp/news/1.html", None),
        ("http://city.example.jp/", "https://city.example.jp/?p=12", None),
        # A canonical address that is the page's, or another site's: taken.
        ("https://city.example.jp/news/1", "https://city.example.jp/news/1.html?from=top",
         "https://city.example.jp/news/1"),
        ("https://note.example.jp/kobe/n/n1", "https://kobe.example.jp/news/1.html",
         "https://note.example.jp/kobe/n/n1"),
        ("https://city.example.jp/?p=12", "https://city.example.jp/?p=12&amp=1",
         "https://city.example.jp/?p=12"),
    ],
)  # fmt: skip
def test_a_canonical_address_above_the_page_is_not_its_address(
    canonical: str, page: str, url: str | None
) -> None:
    head = f'<link rel="canonical" href="{canonical}"><title>Notice</title>'
    info = read_page(f"<html><head>{head}</head></html>", page, UTC)
    assert info.url == (url or page)


@pytest.mark.parametrize(
    ("page", "title"),
    [
        # The site's logo is the header's <h1>, a link home: its name titled every page.
        ('<title>防災訓練のお知らせ｜富山市</title></head><body><header><h1 class="logo">'
         '<a href="/">富山市</a></h1></header><main><h2>防災訓練</h2>', "防災訓練のお知らせ"),
        ('<title>Flood drill - City of Cebu</title></head><body><h1><a href='
         '"https://x.example.org/"><img src="/logo.png" alt="City of Cebu"></a></h1>'
         "<main><h1>Flood drill</h1>", "Flood drill"),
        ('<title>富山市 ・ 防災訓練のお知らせ</title></head><body><h1><a href="/index.html">'
         '<img alt="富山市" src="/l.png"></a></h1>', "防災訓練のお知らせ"),
        # An og:title that is the site's name (a CMS that writes it on every page).
        ('<meta property="og:title" content="富山市"><meta property="og:site_name" '
         'content="富山市"><title>防災訓練のお知らせ｜富山市</title></head><body>',
         "防災訓練のお知らせ"),
        # A heading that links to another page is the page's own.
        ('<title>Kobe</title></head><body><h1><a href="/news/drill">Kobe drill guide</a></h1>',
         "Kobe drill guide"),
        # No logo heading: the header's link home names the site (its picture, its text).
        ('<title>防災訓練のお知らせ｜富山市</title></head><body><div id="header"><a href="/">'
         '<img src="/logo.png" alt="富山市"></a></div><main><h2>防災訓練</h2>',
         "防災訓練のお知らせ"),
        ('<title>Flood drill - City of Cebu</title></head><body><p class="logo"><a href='
         '"https://x.example.org/index.html">City of Cebu</a></p><a href="/">Home</a>',
         "Flood drill"),
        # A link home that says something else names no site.
        ('<title>Flood drill - Cebu</title></head><body><a href="/">Home</a>',
         "Flood drill - Cebu"),
        # An og:title with the site's name, as Japanese CMSs write it beside og:site_name.
        ('<meta property="og:title" content="防災訓練のお知らせ｜富山市"><meta property='
         '"og:site_name" content="富山市"></head><body>', "防災訓練のお知らせ"),
        ('<meta property="og:title" content="Kobe - Cebu workshop"><meta property='
         '"og:site_name" content="Cebu"></head><body>', "Kobe - Cebu workshop"),
        # The site's name as its home page: 「富山市ホームページ」, "… Official Website".
        ('<title>防災訓練のお知らせ｜富山市ホームページ</title><meta property="og:site_name" '
         'content="富山市"></head><body>', "防災訓練のお知らせ"),
        ('<title>Flood drill - City of Cebu Official Website</title></head><body><a href="/">'
         '<img alt="City of Cebu" src="/l.png"></a>', "Flood drill"),
        # The site's name with its sections' names after it (Spiegel Online's titles).
        ('<title>Flood drill in Kobe - City Lab - News - Kobe</title><meta property='
         '"og:site_name" content="City Lab"></head><body>', "Flood drill in Kobe"),
        ('<title>Kobe - City Lab - what the drill taught the wards along the river</title>'
         '<meta property="og:site_name" content="City Lab"></head><body>',
         "Kobe - City Lab - what the drill taught the wards along the river"),
        # A separator written twice ("--", as Engadget's titles had it), or as a dot.
        ("<title>Flood drill in Kobe -- City Lab</title></head><body><h1><a href=\"/\">City "
         "Lab</a></h1>", "Flood drill in Kobe"),
        ('<title>Flood drill in Kobe · City Lab</title><meta property="og:site_name" '
         'content="City Lab"></head><body>', "Flood drill in Kobe"),
        ('<title>City Lab • Flood drill in Kobe</title><meta property="og:site_name" '
         'content="City Lab"></head><body>', "Flood drill in Kobe"),
    ],
)  # fmt: skip
def test_a_logo_heading_is_the_sites_name_not_the_pages_title(page: str, title: str) -> None:
    """Many municipal sites' headers are an ``<h1>`` holding the site's logo, a link to its
    home page: every page read from such a site was titled with the city's name. That
    heading names the site now, and the document's title is read without it; so does a
    link home elsewhere in the page (a logo in a ``<div>``), which left the city's name in
    the title of every page a sitemap or a list's "read more" link read."""
    info = read_page(f"<html><head>{page}</body></html>", "https://x.example.org/news/1", UTC)
    assert info.title == title


@pytest.mark.parametrize(
    ("page", "title"),
    [
        # A logo heading inside the link home (``<a href="/"><h1>…</h1></a>``), beside an
        # og:title that is the page's own: the og:title was taken for the site's name.
        ('<meta property="og:title" content="Book review: Internet law"><meta property='
         '"og:site_name" content="Law Notes"><title>Book review: Internet law - Law Notes'
         '</title></head><body><a href="/"><h1>Law Notes</h1></a><h1 class="entry-title">'
         "Book review: Internet law</h1>", "Book review: Internet law"),
        # A heading that is the site's name, its link not the home page's address.
        ('<meta property="og:title" content="Leader spotlight: Aiko"><meta property='
         '"og:site_name" content="The City Blog"><title>Leader spotlight: Aiko - The City Blog'
         '</title></head><body><h1><a href="https://x.example.org/?home">The City Blog</a>'
         '</h1><h1>Leader spotlight: Aiko</h1>', "Leader spotlight: Aiko"),
        # A theme's menu button as a heading before the post's.
        ("<title>OUTDOOR LOVERS | City Lab</title></head><body><h1 class=\"site-title\"><a "
         'href="/">City Lab</a></h1><h1 class="menu-toggle">Menü</h1><h1 class="entry-'
         'title">OUTDOOR LOVERS</h1>', "OUTDOOR LOVERS"),
        # A section's name as the page's only heading: the <title> says more.
        ('<title>Das Ministerium informiert | Die Stadt</title><meta property="og:site_name" '
         'content="Die Stadt"></head><body><h1>Neuigkeiten</h1>', "Das Ministerium informiert"),
        ("<title>Bohnenviertel - Stadt Stuttgart</title></head><body><h1>Rathaus</h1>",
         "Bohnenviertel - Stadt Stuttgart"),
        # A post's own heading stays where the <title> is a search engine's other wording.
        ("<title>Louis Vuitton Palm Springs PM oder Mini? - Fashionblog</title></head><body>"
         "<h1>Das Louis Vuitton Missgeschick</h1>", "Das Louis Vuitton Missgeschick"),
        ("<title>お知らせ | 富山市</title></head><body><h1>新着情報</h1><h1>富山市のコンパクト"
         "シティ政策</h1>", "富山市のコンパクトシティ政策"),
        # and a short one where the <title> is as short (a site that writes "Home" in
        # every page's)
        ('<title>Home | City Lab</title><meta property="og:site_name" content="City Lab">'
         "</head><body><h1>Flood drill</h1>", "Flood drill"),
        # A section's name as the <h1>, and the <title>'s words heading the text (a health
        # site's "Allergies Health Center" above its article's <h2>)
        ("<title>Kitakyushu's Eco-Town, twenty years on</title></head><body><h1>Urban "
         "Environment Knowledge Hub</h1><h2>Resources</h2><h2>Kitakyushu&#8217;s Eco-Town, "
         "twenty years on</h2>", "Kitakyushu's Eco-Town, twenty years on"),
        ('<title>防災まちづくり講演会の開催について｜神戸市</title><meta property="og:site_name" '
         'content="神戸市"></head><body><h1>くらし・手続き・防災の情報</h1><h2>防災まちづくり'
         "講演会の開催について</h2>", "防災まちづくり講演会の開催について"),
        # but not the site's name in its footer
        ("<title>City Lab Notes</title></head><body><h1>Flood drill in Kobe's coastal wards"
         "</h1><footer><h2>City Lab Notes</h2></footer>", "Flood drill in Kobe's coastal wards"),
        # A <title> that is a separator and the site's name (a template's, the page's own
        # title left empty) is the site's, as that name alone is: no title (a followed
        # page's list title stands; it stood for a list's "Read more" as "| City Lab")
        ('<title> | City Lab</title><meta property="og:site_name" content="City Lab"></head>'
         "<body><p>Flood drill in Kobe</p>", ""),
        # A section's word that the <title> writes inside one of its own (「犬」 in 「犬・猫
        # の譲渡」), not as a part of it between bars or brackets: the heading that names more
        ("<title>犬・猫の譲渡_但馬 | 兵庫県動物愛護センター</title></head><body><h1>メニュー</h1>"
         "<h1>兵庫県動物愛護センター但馬支所の譲渡</h1><h1>犬</h1>",
         "兵庫県動物愛護センター但馬支所の譲渡"),
        ("<title>犬 | 譲渡 | 兵庫県動物愛護センター</title></head><body><h1>但馬支所の譲渡</h1>"
         "<h1>犬</h1>", "犬"),
        # An og:title that is the page's name in its address, as a CMS wrote it
        ('<title>Flood drill 2026 | City Lab</title><meta property="og:title" content='
         '"citylab-flood-drill-autumn-2026"></head><body><h1>Three wards drill for floods</h1>',
         "Three wards drill for floods"),
    ],
)  # fmt: skip
def test_the_heading_the_page_is_titled_by_is_its_posts(page: str, title: str) -> None:
    """Of stored pages of real sites, five of 109 were titled with their site's name or a
    heading of their layout's: "The GitHub Blog", "Telemedicus" (a logo heading inside
    the link home, or not linking home), "Menü" (a theme's menu button, an ``<h1>`` before
    the post's), "Neuigkeiten" and "Rathaus" (a section's name); two of readability's
    130 were titled "Allergies Health Center" and "Information and Resources". The post's
    heading is the one its ``<title>`` writes; a word or two that it does not write, or
    any heading where a ``<h2>`` of the text says the ``<title>`` again, gives way to
    the ``<title>``."""
    info = read_page(f"<html><head>{page}</body></html>", "https://x.example.org/news/1", UTC)
    assert info.title == title


@pytest.mark.parametrize(
    ("head", "heading", "title"),
    [
        # a name after a bar that no tag says is the site's (og:site_name says it longer)
        ('<meta property="og:title" content="Flood drill in Kobe | Lab Blog"><meta property='
         '"og:site_name" content="The City Lab Blog">', "<h1>Flood drill in Kobe</h1>",
         "Flood drill in Kobe"),
        ("<title>Kinder und Arbeit » ProNATs e.V.</title>", "<h2>Kinder und Arbeit</h2>",
         "Kinder und Arbeit"),
        ("<title>Flood drill in Kobe › Notes</title>", "<h1>Flood drill in Kobe</h1>",
         "Flood drill in Kobe"),
        ("<title>City Lab - Flood drill in Kobe</title>", "<h1>Flood drill in Kobe</h1>",
         "Flood drill in Kobe"),
        ("<title>City Lab -- Flood drill in Kobe</title>", "<h1>Flood drill in Kobe</h1>",
         "Flood drill in Kobe"),
        ("<title>Flood drill in Kobe -- Notes</title>", "<h1>Flood drill in Kobe</h1>",
         "Flood drill in Kobe"),
        # a separator a template left where the site's name should have been
        ("<title>Flood drill in Kobe -</title>", "<h2>Kobe news</h2>", "Flood drill in Kobe"),
        ('<meta property="og:title" content="Flood drill in Kobe |">', "", "Flood drill in Kobe"),
        ("<title>| Flood drill in Kobe</title>", "", "Flood drill in Kobe"),
        ("<title>« Il y a la géographie » : Kobe</title>", "", "« Il y a la géographie » : Kobe"),
        # a heading the <title> writes among others: the one it writes most of
        ("<title>Zoll online - Fachmeldungen - Verkündung des Gesetzes</title>", "<h1>Zoll</h1>"
         "<h1>Fachmeldungen</h1><h1>Verkündung des Gesetzes</h1>", "Verkündung des Gesetzes"),
        # one written with soft hyphens
        ("<title>BKA - Meldungen - Messengerdienste sind kein Raum</title>", "<h1>Bundes"
         "kriminalamt</h1><h1>Mes&shy;sen&shy;ger&shy;diens&shy;te sind kein Raum</h1>",
         "Mes\u00adsen\u00adger\u00addiens\u00adte sind kein Raum"),
        # not a subtitle after a colon, nor where the heading is a section's word or two
        ("<title>Coronavirus: Kobe opens three clinics</title>", "<h1>Coronavirus update</h1>"
         "<h2>Coronavirus</h2>", "Coronavirus: Kobe opens three clinics"),
        ("<title>Rezepte | Mandarinen-Schmand-Kuchen</title>", "<h2>Rezepte</h2>",
         "Rezepte | Mandarinen-Schmand-Kuchen"),
        # a heading in the header is the site's, not the post's
        ("<title>Flood drill in Kobe | Lab Blog</title>", "<header><h2>Lab Blog news</h2>"
         "</header>", "Flood drill in Kobe | Lab Blog"),
    ],
)  # fmt: skip
def test_a_titles_name_around_the_pages_heading_is_the_sites(
    head: str, heading: str, title: str
) -> None:
    """A site that does not say its name (or says it otherwise than its titles write it)
    titled every page "Musik und Sport | Teufel Blog", "Kinder und Arbeit » ProNATs e.V."
    beside its heading "Musik und Sport", "Kinder und Arbeit". Where the title is the
    page's heading with more after a bar, a guillemet or a spaced dash (or before one),
    the heading is the title: of trafilatura's 990 evaluation pages, 37 more are titled
    as it expects (575 to 612 of 823); of Mercury's 139, seven; of newspaper's, nine lose
    a name after their title."""
    page = f"<html><head>{head}</head><body>{heading}<p>Three wards drilled.</p></body></html>"
    assert read_page(page, "https://x.example.org/p", UTC).title == title


@pytest.mark.parametrize(
    ("head", "heading", "title"),
    [
        # an og:title for social media, where the <title> is the heading (CBC's)
        ('<title>What next for the bridge? | Kobe News</title><meta property="og:title" '
         'content="Residents say the closure could last a year | Kobe News">',
         "<h1>What next for the bridge?</h1>", "What next for the bridge?"),
        # an og:title a quote in it cut (a regional daily's)
        ('<title>Marathon: Sieger und "royaler Besuch"</title><meta property="og:title" '
         'content="Marathon: Sieger und "royaler Besuch"">',
         '<h1>Marathon: Sieger und "royaler Besuch"</h1>', 'Marathon: Sieger und "royaler Besuch"'),
        # the site's address as its name after the title (MDR's "… | MDR.DE")
        ("<title>Flood drill in Kobe | NEWS.EXAMPLE.ORG</title>", "", "Flood drill in Kobe"),
        ("<title>www.news.example.org - Flood drill in Kobe</title>", "", "Flood drill in Kobe"),
        # but the og:title stands where the <title> says more than the heading, where the
        # heading says more than it, and where they agree
        ('<title>Pensions at work (company plans): when they pay | Lab</title><meta property='
         '"og:title" content="Saving with your employer">', "<h1>Pensions at work</h1>",
         "Saving with your employer"),
        ('<title>Dezuka Suisan: Fish cakes, hot and fresh</title><meta property="og:title" '
         'content="Dezuka Suisan: Fish cakes, hot and fresh">', "<h1>Dezuka Suisan: Fish cakes, "
         "hot and fresh <small>A day in the port</small></h1>",
         "Dezuka Suisan: Fish cakes, hot and fresh"),
        ('<title>Flood drill in Kobe | Lab</title><meta property="og:title" content="Flood drill '
         'in Kobe">', "<h1>Flood drill in Kobe</h1>", "Flood drill in Kobe"),
    ],
)  # fmt: skip
def test_the_title_the_page_and_its_heading_agree_on_is_its_own(
    head: str, heading: str, title: str
) -> None:
    """An og:title that the page's ``<title>`` does not write, where the ``<title>`` is
    the page's heading, is a headline for social media ("Palestinians say … | CBC News"
    titled CBC's article), or one cut where a quote in it ended the attribute ("Hamburg
    Marathon 2024: Überlegener Sieger und"); and a site that names itself by its address
    ("… | MDR.DE") titled every page with it. Of trafilatura's 823 titles, 18 more are as
    it expects; of Mercury's, five."""
    page = f"<html><head>{head}</head><body>{heading}<p>Three wards drilled.</p></body></html>"
    assert read_page(page, "https://news.example.org/p", UTC).title == title


SECTIONS_PAGE = (
    "<html><head><title>Retro-PC: Commodore reaktiviert den C64 - SPIEGEL ONLINE - "
    'Nachrichten - Netzwelt</title><meta property="og:site_name" content="SPIEGEL ONLINE">'
    '</head><body><a href="/">Home</a> <a href="/">Nachrichten</a><p>Der C64 ist zurück.</p>'
    "</body></html>"
)


def test_a_titles_site_name_is_taken_out_alike_in_every_run() -> None:
    """The names a page gives its site were looked for in its title in the order a set
    held them, which Python changes from run to run (its hash seed): a news site's page
    was titled "Retro-PC: … - SPIEGEL ONLINE" in some runs and "Retro-PC: …" in others,
    and its item changed at each. Each run here is a process with its own seed."""
    code = (
        "import sys; from zoneinfo import ZoneInfo; "
        "from tdlc_syndication.sources.page import read_page; "
        "print(read_page(sys.stdin.read(), 'https://x.example.org/p', ZoneInfo('UTC')).title)"
    )
    titles = set()
    for seed in ("0", "1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-c", code],
            input=SECTIONS_PAGE,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        titles.add(done.stdout.strip())
    assert titles == {"Retro-PC: Commodore reaktiviert den C64"}


@pytest.mark.parametrize(
    ("og_title", "site", "title"),
    [
        ("Flood drill - City of Kobe", "City of Kobe", "Flood drill"),  # Yoast's default
        ("防災訓練 | 神戸市", "神戸市", "防災訓練"),
        ("Kobe - Cebu workshop", "Cebu", "Kobe - Cebu workshop"),  # the rest is no site
        ("Kobe - Cebu workshop", "", "Kobe - Cebu workshop"),  # no site named
    ],
)
def test_the_sites_name_after_a_title_is_dropped_when_the_page_names_both(
    og_title: str, site: str, title: str
) -> None:
    """Yoast's og:title is the post's title, a separator and the site's name: every such
    page came with the site's name in its title."""
    headline = title.split(" ")[0] if title == og_title else title
    graph = {"@graph": [{"@type": "Article", "headline": headline}]}
    page = (
        f'<html><head><meta property="og:title" content="{og_title}">'
        f'<meta property="og:site_name" content="{site}">'
        f'<script type="application/ld+json">{json.dumps(graph)}</script></head></html>'
    )
    assert read_page(page, "https://x.example.org/p", ZoneInfo("UTC")).title == title


@pytest.mark.parametrize(
    ("published", "dated"),
    [
        (1764144000, datetime(2025, 11, 26, 8, tzinfo=UTC)),  # seconds since 1970
        (1764144000000, datetime(2025, 11, 26, 8, tzinfo=UTC)),  # milliseconds
        (1764144000.25, datetime(2025, 11, 26, 8, tzinfo=UTC)),
        (20251126, None),  # a day written as a number is no count of seconds
        (True, None),
        ("2025-11-26T17:00:00+09:00", datetime(2025, 11, 26, 8, tzinfo=UTC)),
    ],
)
def test_a_json_ld_date_written_as_a_number_of_seconds_is_read(
    published: object, dated: datetime | None
) -> None:
    """Some news sites' systems write a JSON-LD date as the seconds or milliseconds since
    1970 (``"datePublished": 1676551869000``): the page was undated."""
    article = {"@type": "NewsArticle", "headline": "Flood drill", "datePublished": published}
    page = f'<html><head><script type="application/ld+json">{json.dumps(article)}</script>'
    info = read_page(page + "</head></html>", "https://x.example.org/p", ZoneInfo("UTC"))
    assert (info.published[0] if info.published else None) == dated


@pytest.mark.parametrize(
    "written",
    [
        "\u06f1\u06f3\u06f9\u06f9/\u06f0\u06f2/\u06f2\u06f1 - \u06f1\u06f8:\u06f5\u06f9",
        "1399/02/21 18:59",  # the same in ASCII digits
        "1441-09-17",  # the Islamic calendar's year
    ],
)
def test_a_meta_date_of_another_calendar_leaves_the_page_to_its_json_ld(written: str) -> None:
    """An Iranian news site writes its <meta> dates in the Solar Hijri calendar, in
    Persian digits (1399/02/21 is 2020-05-10), and its JSON-LD in the Gregorian one. The
    page was dated in the year 1399, which the item then lost as absurd."""
    article = {
        "@type": "NewsArticle",
        "headline": "Seized",
        "datePublished": "2020-05-10T18:59:01+04:30",
    }
    page = (
        f'<html><head><meta property="article:published_time" content="{written}">'
        f'<meta property="article:modified_time" content="{written}">'
        f'<script type="application/ld+json">{json.dumps(article)}</script></head></html>'
    )
    info = read_page(page, "https://news.example.ir/fa/news/1", UTC)
    assert info.published == (datetime(2020, 5, 10, 14, 29, 1, tzinfo=UTC), "datetime")
    alone = page.replace(json.dumps(article), "{}")
    assert read_page(alone, "https://news.example.ir/fa/news/2", UTC).dated is None


def test_an_embedded_videos_json_ld_does_not_date_the_article() -> None:
    """A magazine's article of 2020 embeds a video uploaded in 2018, whose JSON-LD node
    came first: the article was dated by the video's upload, two years early, and so
    was a page whose WebPage node came first. The article's own node dates it, then the
    others (a video's page, with no article node, by its upload)."""
    video = {"@type": "VideoObject", "name": "Clip", "uploadDate": "2018-02-23T21:32:02Z"}
    page = {"@type": "WebPage", "datePublished": "2019-01-01T00:00:00Z"}
    article = {"@type": "NewsArticle", "headline": "Flood drill", "author": {"name": "Ken"},
               "datePublished": "2020-10-13T20:48:33Z"}  # fmt: skip
    blocks = "".join(
        f'<script type="application/ld+json">{json.dumps(node)}</script>'
        for node in (video, page, article)
    )
    info = read_page(f"<html><head>{blocks}</head></html>", "https://x.example.org/p", UTC)
    assert info.published == (datetime(2020, 10, 13, 20, 48, 33, tzinfo=UTC), "datetime")
    alone = f'<html><head><script type="application/ld+json">{json.dumps(video)}</script>'
    info = read_page(alone + "</head></html>", "https://x.example.org/v", UTC)
    assert info.published == (datetime(2018, 2, 23, 21, 32, 2, tzinfo=UTC), "datetime")


def test_another_storys_time_does_not_date_the_page() -> None:
    """A site lists its latest stories, each with its ``<time>``, before its story or
    beside it ("Latest news" in an ``<aside>``, a ticker of links in its header): the
    page was dated by the first teaser's day. A ``<time>`` in a link to another page, an
    ``<aside>`` or a ``<nav>`` is another story's; one in a link to the page itself (a
    theme's permalink around its date) is the page's."""
    teasers = (
        '<header><a href="/news/port-visit/"><time datetime="2026-03-05">Mar 5</time> '
        "Port visit</a></header><main><article><h1>Flood drill</h1><p>Kobe and Cebu drilled "
        'together.</p></article><aside><h2>Latest news</h2><a href="/news/river/"><time '
        'datetime="2026-02-18">Feb 18</time> River walk</a></aside></main>'
    )
    url = "https://news.example.org/news/flood-drill/"
    info = read_page(f"<html><body>{teasers}</body></html>", url, UTC)
    assert info.published is None  # no teaser's day
    own = teasers.replace(
        "<h1>Flood drill</h1>",
        '<h1>Flood drill</h1><a href="https://news.example.org/news/flood-drill/" '
        'rel="bookmark"><time datetime="2026-05-22T09:00:00Z">May 22</time></a>',
    )
    info = read_page(f"<html><body>{own}</body></html>", url, UTC)
    assert info.published == (datetime(2026, 5, 22, 9, tzinfo=UTC), "datetime")
    aside = own.replace('<aside><h2>Latest news</h2><a href="/news/river/">', "<aside><div>")
    aside = aside.replace("River walk</a></aside>", "River walk</div></aside>")
    first = aside.replace("<header>", '<header><aside><time datetime="2026-01-01">x</time></aside>')
    assert read_page(f"<html><body>{first}</body></html>", url, UTC).published == (
        datetime(2026, 5, 22, 9, tzinfo=UTC),
        "datetime",
    )


@pytest.mark.parametrize(
    "around",
    [
        # WordPress's comments: each comment's time in its metadata
        '<section id="comments" class="comments-area"><ol class="comment-list"><li '
        'class="comment"><footer class="comment-meta"><div class="comment-metadata">{time}'
        "</div></footer><p>Great drill.</p></li></ol></section>",
        '<div class="kb-comment"><div class="kb-recipe-comment-box">{time}</div></div>',
        # a theme's related posts, each an <article> with its date (Hueman's)
        '<ul class="related-posts group"><li class="related post-hover"><article '
        'class="post-607 post"><div class="related-inner"><p class="post-date">{time}</p>'
        "</div></article></li></ul>",
        # an embedded Instagram post: its own date
        '<blockquote class="instagram-media"><div><p>{time}</p></div></blockquote>',
    ],
)
def test_a_comments_a_related_posts_or_an_embeds_time_does_not_date_the_page(
    around: str,
) -> None:
    """A page whose own date is in no ``<time>`` was dated by the first one it had: a
    reader's comment's (a podcast's page was dated eight days late), a related post's of
    ten years before (a WordPress theme lists them above the comments), an embedded
    Instagram post's. A time in such a block is another story's. (HTML pages of
    htmldate's evaluation sets: five so misdated.)"""
    time = '<time datetime="2009-04-11T18:06:36+02:00">11. April 2009</time>'
    page = (
        "<html><body><article><h1>Alte Elektrogeräte entlöten</h1><p>So geht es.</p>"
        f"</article>{around.format(time=time)}</body></html>"
    )
    info = read_page(page, "https://blog.example.de/entloeten/", UTC)
    assert info.published is None
    own = page.replace("</h1>", '</h1><time datetime="2019-10-22T09:00:00Z">22.10.</time>')
    info = read_page(own, "https://blog.example.de/entloeten/", UTC)
    assert info.published == (datetime(2019, 10, 22, 9, tzinfo=UTC), "datetime")


@pytest.mark.parametrize(
    "marked",
    [
        'itemprop="startDate"',  # schema.org microdata
        'class="dt-start"',  # microformats' h-event
        'itemprop="endDate"',
    ],
)
def test_an_events_time_does_not_date_its_page(marked: str) -> None:
    """An event page marks its event's start with microdata or microformats (``<time
    itemprop="startDate">``): the page was dated by the day the event began, not the one
    it was posted (here after its label, 掲載日)."""
    page = (
        '<html><body><div itemscope itemtype="https://schema.org/Event"><h1 itemprop="name">'
        f'防災セミナー</h1><time {marked} datetime="2026-11-15T13:30+09:00">11月15日 13:30'
        "</time><p>掲載日：2026年10月1日</p></div></body></html>"
    )
    info = read_page(page, "https://city.example.jp/e/1", UTC, today=date(2026, 12, 6))
    assert info.dated == (datetime(2026, 10, 1, tzinfo=UTC), "day")


@pytest.mark.parametrize(
    ("url", "dated"),
    [
        (
            "https://blog.example.de/2019/10/22/entloeten/",
            (datetime(2019, 10, 22, tzinfo=UTC), "day"),
        ),
        (
            "https://blog.example.de/2018/08/roadtrip.html",
            (datetime(2018, 8, 1, tzinfo=UTC), "month"),
        ),
        (
            "https://www.example.org/web/20160218174457/http://b.example/2010/05/9/x",
            (datetime(2010, 5, 9, tzinfo=UTC), "day"),
        ),
        ("https://blog.example.de/2019/10/22", (datetime(2019, 10, 22, tzinfo=UTC), "day")),
        ("https://lawinen.example.ch/berichte/2021/22/bericht", None),  # week 22
        ("https://blog.example.de/2019/13/05/x", None),
        ("https://events.example.org/2026/12/15/workshop/", None),  # after today: its day
        ("https://city.example.jp/kurashi/1010382/1011071/1007438.html", None),
        ("https://city.example.jp/press/2026/1126.html", None),
    ],
)
def test_a_page_dated_nowhere_else_is_dated_by_its_address(
    url: str, dated: tuple[datetime, str] | None
) -> None:
    """WordPress's permalinks, Blogger's and news sites' addresses name the post's day or
    month (``/2019/10/22/slug/``, ``/2018/08/slug.html``). A page that says its date
    nowhere the program reads was undated, and its item dated by the run that first saw
    it (a site read whole for the first time, every post "today"). Its address dates it,
    where nothing else does. (htmldate's evaluation sets: 21 pages dated so, each rightly.)"""
    page = "<html><body><article><h1>Entlöten</h1><p>So geht es.</p></article></body></html>"
    info = read_page(page, url, UTC, today=date(2026, 12, 6))
    assert info.published == dated
    said = page.replace("<p>", '<p><time datetime="2020-01-02T03:04:05Z">2.1.</time>')
    assert read_page(said, url, UTC, today=date(2026, 12, 6)).published == (
        datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC),
        "datetime",
    )


def test_a_headings_link_to_itself_is_no_part_of_the_title_or_the_text() -> None:
    """Documentation tools and static sites end a heading with a link to itself that shows
    a mark (Sphinx's "¶", MkDocs', Hugo's "#") or an icon: the page was titled "Flood
    drill ¶", and its heading, no longer the title's words, stayed in its text. A link
    around a heading's own words stays."""
    page = (
        '<html><head><title>Flood drill</title></head><body><article><h1 id="flood-drill">'
        'Flood drill<a class="headerlink" href="#flood-drill" title="Permanent link">¶</a>'
        '</h1><p>Kobe and Cebu drilled together.</p><h2 id="plan">The plan<a class="anchor" '
        'href="#plan"><svg viewBox="0 0 16 16"><path d="M0 0"/></svg></a></h2><p>It held.'
        '</p><h2><a href="#route">The route</a></h2><p>Along the river.</p></article>'
        "</body></html>"
    )
    info = read_page(page, "https://docs.example.org/drill.html", UTC)
    assert info.title == "Flood drill"
    assert "¶" not in info.content_html
    assert "Flood drill" not in info.content_html  # the title's heading again: gone
    assert 'href="#plan"' not in info.content_html
    assert "The plan" in info.content_html
    assert '<a href="#route">The route</a>' in info.content_html


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Dr Jane Smith - https://blog.example.com/", ["Dr Jane Smith"]),
        ("Jane Smith – jane@example.org", ["Jane Smith"]),
        ("Jean-Luc Picard", ["Jean-Luc Picard"]),  # a dash inside a name
        ("Ana Lima - Kobe office", ["Ana Lima - Kobe office"]),  # words, not an address
        (". .", []),  # a template's placeholder
    ],
)
def test_an_authors_name_without_an_address_after_a_dash_nor_a_placeholder(
    author: str, expected: list[str]
) -> None:
    """A page's ``<meta name="author">`` wrote its author's site after a dash, and a
    template's hCard a placeholder with no letter (``. .``): the items' author was "Dr
    Jane Smith - https://blog.example.com/" and ". .". An address after a dash goes; a
    name with no letter is none."""
    page = (
        f'<html><head><title>Flood drill</title><meta name="author" content="{author}">'
        '</head><body><article><h1>Flood drill</h1><span class="author vcard"><a class="url '
        f'fn n" href="/author/x/">{author}</a></span><p>Kobe and Cebu drilled.</p></article>'
        "</body></html>"
    )
    assert read_page(page, "https://blog.example.org/drill", UTC).authors == expected


@pytest.mark.parametrize(
    ("publisher", "title"),
    [
        ({"@type": "NewsMediaOrganization", "name": "City News"}, "Flood drill in Kobe"),
        ({"@type": "Organization", "name": "Cebu"}, "Flood drill in Kobe | City News"),
        ("City News", "Flood drill in Kobe | City News"),  # a publisher as text is no node
    ],
)
def test_a_headline_that_ends_with_its_publishers_name_titles_the_page_without_it(
    publisher: object, title: str
) -> None:
    """The BBC writes its pages' JSON-LD headline with its name after it ("'Boaty
    McBoatface' tops ship name poll | BBC News"), the name of the article's publisher;
    a page titled by that headline alone had it in its title."""
    article = {"@type": "ReportageNewsArticle", "headline": "Flood drill in Kobe | City News",
               "publisher": publisher}  # fmt: skip
    page = f'<html><head><script type="application/ld+json">{json.dumps(article)}</script>'
    info = read_page(page + "</head></html>", "https://x.example.org/p", ZoneInfo("UTC"))
    assert info.title == title


@pytest.mark.parametrize(
    ("og_title", "title", "heading", "expected"),
    [
        # A CMS that writes the site's name as every page's og:title: every item of a
        # sitemap was titled 富山市.
        ("富山市", "防災訓練のお知らせ｜富山市", "防災訓練のお知らせ", "防災訓練のお知らせ"),
        ("Kobe City", "Kobe City | Flood drill", "Flood drill", "Flood drill"),
        # The page's own og:title, as WordPress writes it, with the site after it.
        ("Flood drill", "Flood drill | City of Kobe", "Flood drill", "Flood drill"),
        ("Flood drill", "Flood drill | City of Kobe", "", "Flood drill"),
        # and beside a heading that names the blog or its section, not the <title>'s rest
        # (a Tumblr blog's "Minecraft News", a WordPress theme's own <h1>s)
        (
            "Flood drill in Kobe's wards",
            "Flood drill in Kobe's wards - City Lab Notes",
            "City Lab",
            "Flood drill in Kobe's wards",
        ),
    ],
)
def test_an_og_title_that_is_the_sites_name_is_not_the_pages(
    og_title: str, title: str, heading: str, expected: str
) -> None:
    page = (
        f'<html><head><meta property="og:title" content="{og_title}"><title>{title}</title>'
        f"</head><body><main>{f'<h1>{heading}</h1>' if heading else ''}<p>Text.</p></main>"
        "</body></html>"
    )
    assert read_page(page, "https://x.example.org/p", ZoneInfo("UTC")).title == expected


ONE_PAGE = HTML_SOURCE.replace('next_selector = "a.next"\nmax_pages = 3\n', "")
MOVED_PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">
<script>var back = '<meta http-equiv="refresh" content="0; url=/wrong/">';</script>
<noscript><meta http-equiv="refresh" content="0; url=/no-script.html"></noscript>
<META HTTP-EQUIV="Refresh" CONTENT="5;URL='/news/list-2.html'">
<title>ページが移動しました</title></head>
<body><p>このページは移動しました。5秒後に新しいページへ移動します。</p>
<ul class="news"><li><a href="/news/list-2.html">新しいページ</a></li></ul></body></html>"""


def _one_page_at(
    site: HTTPServer,
    path: str,
    page: str,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> tuple[Context, RunReport, dict[str, StoredItem]]:
    """Serve ``page`` at ``path`` and run a list source of one page on it."""
    site.expect_request(path).respond_with_data(
        page.encode(), content_type="text/html; charset=utf-8"
    )
    url = site.url_for(path)
    ctx = make_context(write_config(source_toml("html", ONE_PAGE.format(url=url))))
    report, stored = run_one(ctx)
    return ctx, report, stored


def test_a_page_that_refreshes_to_where_it_moved_is_read_there(
    city_site: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Municipal sites leave a page that sends its readers on where a page was (<meta
    http-equiv="refresh">, "このページは移動しました"). Its one link was read as the list
    (or "item_selector matched nothing"): the list is read where the page sends to, as a
    browser reads it; the source keeps its address (a refresh is no move for good)."""
    ctx, report, stored = _one_page_at(
        city_site, "/old/news.html", MOVED_PAGE, write_config, make_context
    )
    assert report.status == "ok", report.error
    assert [row.item.title for row in stored.values()] == ["令和元年の市政だより"]
    assert report.moved_to is None
    paths = [request.path for request, _ in city_site.log]
    assert paths == ["/old/news.html", "/news/list-2.html"]  # not the script's nor noscript's
    with ctx.open_store() as store:
        assert store.state("src").url is None


@pytest.mark.parametrize(
    "refresh",
    [
        '<meta http-equiv="refresh" content="300">',  # reloads itself
        '<meta http-equiv="refresh" content="600; url=/news/list-2.html">',  # waits too long
        '<meta http-equiv="refresh" content="0; url=javascript:void(0)">',
        '<meta http-equiv="refresh" content="30; url=live.html?rnd=1764">',  # itself, again
    ],
)
def test_a_page_that_only_reloads_itself_is_read_as_it_is(
    city_site: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
    refresh: str,
) -> None:
    page = (DATA / "html" / "list-2.html").read_text("utf-8").replace("<head>", "<head>" + refresh)
    _, report, stored = _one_page_at(city_site, "/live.html", page, write_config, make_context)
    assert report.status == "ok", report.error
    assert len(stored) == 1
    assert [request.path for request, _ in city_site.log] == ["/live.html"]


SCRIPTED_LIST = """<!DOCTYPE html><html lang="ja"><head><title>お知らせ</title></head><body>
<table class="news">
<tr><td>2026年11月26日</td>
  <td><a href="javascript:void(0);"
    onclick="window.open('/kurashi/1001.html', '_blank', 'width=800')"
    >防災訓練のお知らせ</a></td></tr>
<tr><td>2026年11月25日</td>
  <td><a href="javascript:openWin('/kurashi/1002.html')">まちづくり講座</a></td></tr>
<tr><td>2026年11月24日</td>
  <td><a href="#" onclick="location.href='1003.html';return false;">交流会の報告</a></td></tr>
<tr onclick="location.href='detail.php?id=4'">
  <td>2026年11月23日</td><td><a>視察の受入れ</a></td></tr>
<tr><td>2026年11月22日</td><td><a href="#" onclick="toggle(5)">開閉する項目</a></td></tr>
</table></body></html>"""


def test_a_link_a_script_opens_is_read_from_the_script(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Items a municipal list opens with a script (``href="javascript:…"``, ``onclick``
    on the link or on the row) linked nowhere and were dropped as such, or linked the list
    page itself: they link the page the script opens. A script that opens no page
    (``toggle(5)``) leaves the link as it was."""
    server.expect_request("/news/").respond_with_data(
        SCRIPTED_LIST.encode(), content_type="text/html; charset=utf-8"
    )
    url = server.url_for("/news/")
    body = f'url = "{url}"\nitem_selector = "table.news tr"\ntitle_selector = "a"\n'
    links = {
        item.title: item.url
        for item in parse_all(make_context(write_config(source_toml("html", body))))
    }
    assert links == {
        "防災訓練のお知らせ": server.url_for("/kurashi/1001.html"),
        "まちづくり講座": server.url_for("/kurashi/1002.html"),
        "交流会の報告": server.url_for("/news/1003.html"),
        "視察の受入れ": server.url_for("/news/detail.php?id=4"),
        "開閉する項目": f"{url}#開閉する項目",  # named by its title there, as before
    }


def test_a_time_elements_datetime_dates_a_block_whose_text_is_relative(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Themes write when a post was published as ``<time datetime="…">3 days ago</time>``:
    such blocks were undated. The ``datetime`` is read when the text gives no date, also of
    the element a ``date_selector`` picks."""
    page = """<!DOCTYPE html><html lang="en"><head><title>News</title></head><body>
    <ul class="news">
    <li><a href="/a">Workshop report</a>
      <time datetime="2026-11-26T10:00:00+09:00">3 days ago</time></li>
    <li><a href="/b">Site visit</a><span class="on" datetime="2026-11-20">last week</span>
      <time datetime="2026-11-01">earlier</time></li>
    <li><a href="/c">Undated</a> <time>just now</time></li>
    </ul></body></html>"""
    server.expect_request("/news").respond_with_data(page.encode(), content_type="text/html")
    url = server.url_for("/news")
    dated = {}
    for selector in ("", 'date_selector = "time"\n', 'date_selector = ".on, time"\n'):
        body = f'url = "{url}"\nitem_selector = "ul.news li"\ntimezone = "Asia/Tokyo"\n{selector}'
        items = parse_all(make_context(write_config(source_toml("html", body))))
        dated[selector] = {item.title: (item.published, item.published_precision) for item in items}
    morning = (datetime(2026, 11, 26, 1, tzinfo=UTC), "datetime")
    assert dated[""] == {
        "Workshop report": morning,
        "Site visit": (datetime(2026, 11, 1, tzinfo=UTC), "day"),
        "Undated": (None, None),
    }
    assert dated['date_selector = "time"\n'] == dated[""]
    assert dated['date_selector = ".on, time"\n']["Site visit"] == (
        datetime(2026, 11, 20, tzinfo=UTC),
        "day",
    )


def test_a_time_elements_moment_on_the_days_its_text_writes(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """WordPress themes write a post's day as words and its moment in the ``<time>``
    (``<time datetime="2026-11-26T10:00:00+07:00">26 November 2026</time>``): the items
    were dated the day alone, so a day's posts came in no order. The moment is taken
    where it falls on the day the text says; a moment on another day, or a ``datetime``
    that is a day, leaves the text's day."""
    page = """<!DOCTYPE html><html lang="id"><body><main>
    <article><h2><a href="/a">Kunjungan delegasi Kobe</a></h2><span class="posted-on">
      <time class="published" datetime="2026-11-26T10:00:00+07:00">26 November 2026</time>
      <time class="updated" datetime="2026-11-27T08:00:00+07:00">27 November 2026</time>
    </span></article>
    <article><h2><a href="/b">Pelatihan</a></h2>
      <time datetime="2026-11-27T01:00:00+07:00">26 November 2026</time></article>
    <article><h2><a href="/c">Lokakarya</a></h2>
      <time datetime="2026-11-25">25 November 2026</time></article>
    </main></body></html>"""
    server.expect_request("/news").respond_with_data(page.encode(), content_type="text/html")
    url = server.url_for("/news")
    body = f'url = "{url}"\nitem_selector = "article"\ntimezone = "Asia/Jakarta"'
    items = parse_all(make_context(write_config(source_toml("html", body))))
    assert {item.title: (item.published, item.published_precision) for item in items} == {
        "Kunjungan delegasi Kobe": (datetime(2026, 11, 26, 3, tzinfo=UTC), "datetime"),
        "Pelatihan": (datetime(2026, 11, 26, tzinfo=UTC), "day"),
        "Lokakarya": (datetime(2026, 11, 25, tzinfo=UTC), "day"),
    }


def test_a_page_a_script_opens_is_followed(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """With ``follow``, the page a script opens is read too (its address was refused as
    "javascript:" and the item had no text of its own)."""
    listing = """<html lang="ja"><body><ul class="news"><li><span>2026年11月26日</span>
    <a href="javascript:void(0);" onclick="window.open('/a.html')">防災訓練のお知らせ</a></li>
    </ul></body></html>"""
    page = (
        "<html><body><main><h1>防災訓練</h1><p>地域の防災訓練を行います。</p></main></body></html>"
    )
    for path, body in (("/news", listing), ("/a.html", page)):
        server.expect_request(path).respond_with_data(
            body.encode(), content_type="text/html; charset=utf-8"
        )
    source = f'url = "{server.url_for("/news")}"\nitem_selector = "ul.news li"\nfollow = true'
    report, stored = run_one(make_context(write_config(source_toml("html", source))))
    assert report.skipped == ()
    [row] = stored.values()
    assert row.item.url == server.url_for("/a.html")
    assert "地域の防災訓練を行います。" in row.item.content_html


def test_a_next_page_a_script_opens_is_read(
    city_site: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A list paged by a script (``href="javascript:goPage('list-2.html')"``): the next
    page was refused as "javascript:" and the list read one page deep. ASP.NET's
    ``__doPostBack('ctl00$Pager','2')`` names no page and is still refused."""
    page = (DATA / "html" / "list-1.html").read_text("utf-8")
    paged = page.replace('href="list-2.html"', "href=\"javascript:goPage('list-2.html')\"")
    posted = page.replace(
        'href="list-2.html"', "href=\"javascript:__doPostBack('ctl00$Pager','2')\""
    )
    for path, body in (("/news/js.html", paged), ("/news/post.html", posted)):
        city_site.expect_request(path).respond_with_data(
            body.encode(), content_type="text/html; charset=utf-8"
        )
    for path, reads_on in (("/news/js.html", True), ("/news/post.html", False)):
        url = city_site.url_for(path)
        ctx = make_context(write_config(source_toml("html", HTML_SOURCE.format(url=url))))
        titles = {item.title for item in parse_all(ctx)}
        assert ("令和元年の市政だより" in titles) is reads_on


def test_a_followed_page_that_says_it_was_not_found_is_a_skip(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A site that answers a removed page with its "not found" page and the status 200:
    the item took the error page's text as its own. It is read as the 404 it means: the
    list's title and date stand, the run says why the page was not read."""
    listing = """<html lang="ja"><body><ul class="news">
    <li><span>2026年11月20日</span><a href="/gone.html">交流会の報告</a></li>
    <li><span>2026年11月19日</span><a href="/here.html">防災訓練のお知らせ</a></li>
    <li><span>2026年11月18日</span><a href="/moved.html">視察の受入れ</a></li>
    </ul></body></html>"""
    gone = """<html><head><title>お探しのページは見つかりませんでした｜富山市</title></head>
    <body><main><h1>お探しのページは見つかりませんでした</h1><p>URLが変更されたか、ページが
    削除された可能性があります。</p></main></body></html>"""
    here = """<html><head><title>防災訓練のお知らせ｜富山市</title></head><body><main>
    <h1>防災訓練のお知らせ</h1><p>11月26日に地域の防災訓練を行います。</p></main></body></html>"""
    home = (
        "<html><head><title>富山市</title></head><body><main><p>ようこそ</p></main></body></html>"
    )
    pages = (("/news", listing), ("/gone.html", gone), ("/here.html", here), ("/", home))
    for path, body in pages:
        server.expect_request(path).respond_with_data(
            body.encode(), content_type="text/html; charset=utf-8"
        )
    # Where many sites send the address of a page they removed: their home page.
    server.expect_request("/moved.html").respond_with_data("", 302, {"Location": "/"})
    source = f'url = "{server.url_for("/news")}"\nitem_selector = "ul.news li"\nfollow = true'
    report, stored = run_one(make_context(write_config(source_toml("html", source))))
    items = {row.item.title: row.item for row in stored.values()}
    assert items["交流会の報告"].content_html == ""
    assert items["視察の受入れ"].content_html == ""
    assert "防災訓練を行います" in items["防災訓練のお知らせ"].content_html
    reasons = {skip.url: skip.reason for skip in report.skipped}
    assert "says it was not found" in reasons[server.url_for("/gone.html")]
    assert "sends to the site's home page" in reasons[server.url_for("/moved.html")]
    assert len(reasons) == 2


def test_the_sites_logo_on_every_page_is_no_items_image(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Municipal sites set their logo or banner as every page's ``og:image``: every
    followed item showed the city's logo as its picture, on every card of the pages and
    the digest. An image the list page gives too is the site's; a page's own stays."""
    head = '<meta property="og:image" content="/common/img/ogp.png">'
    listing = f"""<html lang="ja"><head>{head}</head><body><ul class="news">
    <li><span>2026年11月20日</span><a href="/a.html">交流会の報告</a></li>
    <li><span>2026年11月19日</span><a href="/b.html">防災訓練のお知らせ</a></li>
    </ul></body></html>"""
    page = "<html><head>{}<title>{}</title></head><body><main><p>{}</p></main></body></html>"
    bodies = {
        "/news": listing,
        "/a.html": page.format(head, "交流会の報告", "交流会を開きました。"),
        "/b.html": page.format(
            '<meta property="og:image" content="https://city.example.jp/img/drill.jpg">',
            "防災訓練のお知らせ",
            "訓練を行います。",
        ),
    }
    for path, body in bodies.items():
        server.expect_request(path).respond_with_data(
            body.encode(), content_type="text/html; charset=utf-8"
        )
    source = f'url = "{server.url_for("/news")}"\nitem_selector = "ul.news li"\nfollow = true'
    _, stored = run_one(make_context(write_config(source_toml("html", source))))
    pictures = {row.item.title: row.item.thumbnail for row in stored.values()}
    assert pictures == {
        "交流会の報告": None,
        "防災訓練のお知らせ": "https://city.example.jp/img/drill.jpg",
    }


@pytest.mark.parametrize(
    ("asked", "ended", "home"),
    [
        ("https://city.example.jp/a.html", "https://city.example.jp/", True),
        ("https://city.example.jp/a.html", "https://www.city.example.jp/index.html", True),
        ("https://city.example.jp/2026/11/x/", "https://city.example.jp/?p=12", False),
        ("https://city.example.jp/", "https://city.example.jp/", False),  # asked for it
        ("https://city.example.jp/a.html", "https://elsewhere.example.org/", False),
        ("https://city.example.jp/a.html", "https://city.example.jp/b/a.html", False),
    ],
)
def test_a_page_sent_to_its_sites_home_page(asked: str, ended: str, home: bool) -> None:
    assert sent_home(asked, ended) is home


DATED_LINKS = """<!doctype html><html lang="ja"><head><title>新着情報</title></head><body>
<ul class="news">
<li><a href="/n/1.html"><span class="date">2026.11.26</span>
  <span class="title">防災訓練のお知らせ</span></a></li>
<li><a href="/n/2.html"><time datetime="2026-11-25">2026年11月25日（水）</time>
  <p>まちづくり講座を開催します</p></a></li>
<li><a href="/n/3.html">【令和8年11月24日】交流会の報告</a></li>
<li><a href="/n/4.html">11月26日の防災訓練について</a><span>2026年11月20日</span></li>
<li><a href="/n/5.html">2026年11月19日</a></li>
<li><a href="/n/6.html">2026年12月24日 都市間連携セミナー</a></li>
<li><a href="/n/7.html"><time datetime="2026-11-18T10:00:00+09:00">8日前</time> 研修の案内</a></li>
</ul></body></html>"""


LABELLED_DATES = """<!doctype html><html lang="ja"><head><title>催し</title></head><body>
<ul class="news">
<li><a href="/n/1.html">都市間連携セミナー</a> 開催日：2026年11月28日 掲載日：2026年11月20日</li>
<li><a href="/n/2.html">Peer exchange</a> Event date: 27 November 2026 | Posted: 18 November
  2026</li>
<li><a href="/n/3.html">防災ワークショップ</a> 2026年11月17日</li>
</ul></body></html>"""


@pytest.mark.usefixtures("list_reader")
def test_a_block_that_labels_its_dates_is_dated_by_its_posting(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A block that gives an event's day and the day it was posted, each with its label
    (`開催日：2026年11月28日 掲載日：2026年11月20日`, `Event date: … | Posted: …`), was dated
    by the first, the event's: the notice went out as published on a day still ahead or
    gone. The date after a label of posting, publishing or updating is its date now."""
    titled = _titles_and_days(server, write_config, make_context, LABELLED_DATES, "ul.news li")
    assert titled == [("都市間連携セミナー", 20), ("Peer exchange", 18), ("防災ワークショップ", 17)]


READ_ON_LINKS = """<!doctype html><html lang="ja"><head><title>お知らせ</title></head><body>
<ul class="news">
<li><span class="date">2026.11.26</span> <span class="news-ttl">防災訓練の視察受け入れ</span>
  <a href="/r/1.html">詳細</a></li>
<li><span class="date">2026.11.25</span> <p class="title">ハイフォン市との技術交流</p>
  <a href="/r/2.html">詳しくはこちら</a></li>
<li><span class="date">2026.11.24</span> <h3>Compact city seminar</h3>
  <p>With partner cities.</p> <a href="/r/3.html">Read more »</a></li>
<li><span class="date">2026.11.23</span> <a href="/r/4.html">More</a></li>
<li><span class="date">2026.11.22</span> <a href="/r/5.html">Read more about compact cities</a></li>
</ul></body></html>"""


@pytest.mark.usefixtures("list_reader")
def test_a_link_that_says_only_read_on_is_not_the_title(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Lists that give each item its title as text and a link saying only 「詳細」 or "Read
    more »": every item was titled so. The block's heading, or the element its class names
    as the title, is the item's title now (a link's own title stays, and one with nothing
    else to go by keeps its words), by both readers of list pages."""
    titled = _titles_and_days(server, write_config, make_context, READ_ON_LINKS, "ul.news li")
    assert titled == [
        ("防災訓練の視察受け入れ", 26),
        ("ハイフォン市との技術交流", 25),
        ("Compact city seminar", 24),
        ("More", 23),
        ("Read more about compact cities", 22),
    ]


PICTURE_CARDS = """<!doctype html><html lang="en"><head><title>News</title></head><body>
<div class="cards">
<div class="card"><a href="/c/1"><img src="/c/1.jpg" alt=""></a>
  <h3>Compact city workshop in Toyama</h3><p class="date">November 24, 2026</p></div>
<div class="card"><a href="/c/2"><img src="/c/2.jpg" alt="Kobe drill report"></a>
  <p class="date">November 23, 2026</p></div>
<div class="card"><a href="/c/3"><img src="/c/3.jpg"></a>
  <h3><a href="/c/3">Waste study tour</a></h3><p class="date">November 22, 2026</p></div>
</div></body></html>"""


@pytest.mark.usefixtures("list_reader")
def test_a_cards_picture_link_is_not_its_title(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Cards whose first link is their picture (a theme's featured image before the
    title): the title was the picture link's text, none, and every item was dropped. The
    card's heading is its title now, else the picture's description, by both readers."""
    titled = _titles_and_days(server, write_config, make_context, PICTURE_CARDS, "div.card")
    assert titled == [
        ("Compact city workshop in Toyama", 24),
        ("Kobe drill report", 23),
        ("Waste study tour", 22),
    ]


def test_a_followed_link_that_says_only_read_on_takes_its_pages_title(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """With ``follow``, a block whose link says only 「詳細」 and that names no title of its
    own takes its page's: it was titled 「詳細」, its page's title left unread."""
    server.expect_request("/list/").respond_with_data(
        '<ul class="news"><li>2026年11月26日 <a href="/p/1.html">詳細</a></li></ul>',
        content_type="text/html; charset=utf-8",
    )
    server.expect_request("/p/1.html").respond_with_data(
        "<html lang=ja><head><title>防災訓練の視察受け入れ</title></head><body><main>"
        "<h1>防災訓練の視察受け入れ</h1><p>視察を受け入れました。</p></main></body></html>",
        content_type="text/html; charset=utf-8",
    )
    entry = f'url = "{server.url_for("/list/")}"\nitem_selector = "ul.news li"\nfollow = true\n'
    (item,) = parse_all(make_context(write_config(source_toml("html", entry))))
    assert item.title == "防災訓練の視察受け入れ"


def test_a_followed_title_the_list_cut_short_is_its_pages_whole_title(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Lists cut a long title short to fit their line (「…に係る市民意見…」, "…from
    Southeast..."): with ``follow``, the item kept the cut title, its page's whole one
    unread. The page's title is taken where it begins with the list's words; a title that
    only ends with an ellipsis of its own (another page's title) stays."""
    server.expect_request("/list/").respond_with_data(
        '<ul class="news"><li>2026年11月26日 <a href="/p/1.html">令和8年度富山市コンパクトな'
        "まちづくり推進計画の改定に係る市民意見…</a></li><li>2026年11月25日 "
        '<a href="/p/2.html">Workshop with partner cities from Southeast...</a></li>'
        '<li>2026年11月24日 <a href="/p/3.html">Wait for it...</a></li></ul>',
        content_type="text/html; charset=utf-8",
    )
    for n, heading in (
        (1, "令和8年度富山市コンパクトなまちづくり推進計画の改定に係る市民意見の募集について"),
        (2, "Workshop with partner cities from Southeast Asia"),
        (3, "A seminar on waiting"),
    ):
        server.expect_request(f"/p/{n}.html").respond_with_data(
            f"<html lang=ja><head><title>{heading}｜富山市</title></head><body><main>"
            f"<h1>{heading}</h1><p>本文です。</p></main></body></html>",
            content_type="text/html; charset=utf-8",
        )
    entry = f'url = "{server.url_for("/list/")}"\nitem_selector = "ul.news li"\nfollow = true\n'
    items = parse_all(make_context(write_config(source_toml("html", entry))))
    assert [item.title for item in items] == [
        "令和8年度富山市コンパクトなまちづくり推進計画の改定に係る市民意見の募集について",
        "Workshop with partner cities from Southeast Asia",
        "Wait for it...",
    ]


CUT_TITLES = """<!doctype html><html lang="ja"><head><title>新着情報</title></head><body>
<ul class="news">
<li>2026年11月26日 <a href="/a.html" title="令和8年度富山市コンパクトなまちづくり推進計画の改定に
係る市民意見の募集について">令和8年度富山市コンパクトなまちづくり推進計画の改定に係る市民意見…</a></li>
<li>2026年11月25日 <a href="/b.html" title="新しいウィンドウで開きます">
Workshop with partner cities from Southeast...</a></li>
<li>2026年11月24日 <a href="/c.html" title="防災訓練">防災訓練のお知らせ</a></li>
</ul></body></html>"""


@pytest.mark.usefixtures("list_reader")
def test_a_title_the_list_cut_short_is_its_links_whole_title(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A list that cuts a long title short to fit its line often keeps the whole one in
    the link's ``title``: the item kept the cut one. The link's title is taken where it
    begins with the list's words before the ellipsis, by both readers of list pages; a
    link's title that says something else (a new window) or a title not cut stays."""
    titled = _titles_and_days(server, write_config, make_context, CUT_TITLES, "ul.news li")
    assert titled == [
        ("令和8年度富山市コンパクトなまちづくり推進計画の改定に係る市民意見の募集について", 26),
        ("Workshop with partner cities from Southeast...", 25),
        ("防災訓練のお知らせ", 24),
    ]


def _titles_and_days(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
    page: str,
    item_selector: str,
) -> list[tuple[str, int | None]]:
    """Each item's title and day of publication, as an ``html`` source reads ``page``
    (served at ``/list/``) with ``item_selector``."""
    server.expect_request("/list/").respond_with_data(
        page.encode(), content_type="text/html; charset=utf-8"
    )
    entry = f'url = "{server.url_for("/list/")}"\nitem_selector = "{item_selector}"\n'
    items = parse_all(make_context(write_config(source_toml("html", entry))))
    return [(item.title, item.published and item.published.day) for item in items]


CARD_LINKS = """<!doctype html><html lang="ja"><head><title>新着情報</title></head><body>
<ul class="cards">
<li><a href="/c/1.html"><p class="title">防災訓練の視察受け入れ</p>
  <p class="date">2026.11.26</p></a></li>
<li><a href="/c/2.html"><span class="cat">お知らせ</span><span class="date">2026.11.25</span>
  <span class="title">ハイフォン市との技術交流</span></a></li>
<li><a href="/c/3.html">Compact city seminar<br>November 24, 2026</a></li>
<li><a href="/c/4.html">市長の定例記者会見（2026年11月23日）</a></li>
<li><a href="/c/5.html">Annual report published on 22 November 2026</a></li>
<li><a href="/c/6.html">第3回研修会 2026.11.21 報告書を掲載</a></li>
<li><a href="/c/7.html"><p>防災訓練</p><p>2026.11.20</p><p>横浜市</p></a></li>
</ul></body></html>"""


@pytest.mark.usefixtures("list_reader")
def test_a_cards_date_and_category_are_not_its_title(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Lists of cards make the whole card the link, its title, date and category as its
    elements: every title had its date after it (``防災訓練の視察受け入れ 2026.11.26``), or its
    category and date before it (``お知らせ 2026.11.25 ハイフォン市との技術交流``). They are
    the item's date and no title (a short category before it goes too); a date the title
    writes itself (in brackets, in a sentence) stays."""
    titled = _titles_and_days(server, write_config, make_context, CARD_LINKS, "ul.cards li")
    assert titled == [
        ("防災訓練の視察受け入れ", 26),
        ("ハイフォン市との技術交流", 25),
        ("Compact city seminar", 24),
        ("市長の定例記者会見（2026年11月23日）", 23),
        ("Annual report published on 22 November 2026", 22),
        ("第3回研修会 報告書を掲載", 21),  # no category: the day alone goes
        ("防災訓練 横浜市", 20),  # a short title and its place: the day alone goes
    ]


@pytest.mark.usefixtures("list_reader")
def test_the_date_a_link_writes_before_its_title_is_not_the_title(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """News lists of many CMSs make the whole block the link, its date first: every title
    began with its date (``2026.11.26 防災訓練のお知らせ``). The date is the item's date, not
    its title; a date without its year, or a day to come (an event's, not when the
    notice was published), is part of the title, and a link that is only a date keeps
    it."""
    titled = _titles_and_days(server, write_config, make_context, DATED_LINKS, "ul.news li")
    assert titled == [
        ("防災訓練のお知らせ", 26),
        ("まちづくり講座を開催します", 25),
        ("交流会の報告", 24),
        ("11月26日の防災訓練について", 20),
        ("2026年11月19日", 19),
        ("2026年12月24日 都市間連携セミナー", None),  # an event's day: no publication
        ("研修の案内", 18),  # nor the words of its <time> ("8 days ago")
    ]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("NEW コンパクトシティ講演会", "コンパクトシティ講演会"),  # a badge's text and a space
        ("NEWコンパクトシティ講演会", "コンパクトシティ講演会"),  # the badge set close
        ("NEW! 防災マップ", "防災マップ"),
        ("NEW YORK study tour", "NEW YORK study tour"),  # a word of the title
        ("New Delhi visit", "New Delhi visit"),
        ("新着図書のご案内", "新着図書のご案内"),  # 新着 is a word of it
    ],
)
def test_a_new_mark_before_a_title_in_another_script_is_not_its_title(
    text: str, title: str
) -> None:
    """A list marks a new item with a badge before its title (``<span class="new">NEW
    </span>コンパクトシティ講演会``): the title began "NEW", and changed when the badge went.
    NEW in capitals before a title in another script is such a mark; before an English
    title it may be a word of it, and stays."""
    assert link_title(text) == title
