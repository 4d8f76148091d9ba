"""The byline lines and the kicker that open a post's text, told from its own words."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from tdlc_syndication.pipeline.model import Item
from tdlc_syndication.pipeline.normalise import Notes, Rules, normalise
from tdlc_syndication.sources.byline import Byline
from tdlc_syndication.sources.page import read_page

TEXT = "<p>Three hundred residents of Kobe and Cebu took part in the evacuation drill.</p>"


def _page(opening: str, head: str = "", title: str = "Flood drill") -> str:
    return (
        f'<html lang="en"><head><title>{title} | Partnership blog</title>'
        '<meta name="author" content="Jane Smith">'
        f'<meta property="article:published_time" content="2026-04-07T09:00:00+09:00">{head}'
        f"</head><body><main><article><h1>{title}</h1>{opening}{TEXT}"
        "<p>The drill followed the plan agreed in October.</p></article></main></body></html>"
    )


def _content(page: str) -> str:
    return read_page(page, "https://blog.example.org/drill", ZoneInfo("Asia/Tokyo")).content_html


@pytest.mark.parametrize(
    "opening",
    [
        # blocks of their own: the day, the authors' list, the reading time
        '<p>2026-04-07</p><ul class="author-list"><li><a href="/a/jane">Jane Smith</a></li>'
        "</ul><div>8 min read</div>",
        "<p>Jane Smith · April 7, 2026</p>",  # one line, as themes join them
        "<p>Apr 7, 2026 · 8 min read</p>",  # Medium's
        '<div class="author-block"><div>Jane Smith</div><div>April 7, 2026</div></div>',
        "<h2 class='date-header'><span>Tuesday, April 7, 2026</span></h2>",  # Blogger's
        "<p>By Jane Smith, updated 6 April 2026</p>",  # a day off: a zone's
        "<p>By Jane Smith / April 7, 2026 9:49 am JST / Updated: April 7, 2026</p>",
        "<p>Jane Smith　2026年4月7日</p><p>読了時間：約5分</p>",
        "<p>Jane Smith · 5 menit baca</p><p>April 7, 2026 · Temps de lecture : 4 min</p>",
        "<p>Jane Smith</p><p>2026年4月7日 21時37分 (4月8日 01時40分更新)</p>",  # a daily's
    ],
)
def test_the_byline_lines_that_open_a_post_go(opening: str) -> None:
    """Blogs write the byline in blocks of their own between the title and the text, in
    no element named as one: "2026-04-07", "Jane Smith", "8 min read", "Oct 18, 2019 · 8
    min read". Each was the item's first line, and its summary's first words. A block
    that says nothing but the page's authors, a day it is dated, a reading time and what
    joins them goes."""
    content = _content(_page(opening))
    assert "Jane Smith" not in content
    assert "2026" not in content
    assert "min read" not in content
    assert "読了" not in content
    assert content.lstrip().startswith("<p>Three hundred residents")


@pytest.mark.parametrize(
    "opening",
    [
        "<p>December 3, 2026</p>",  # a day the page is not dated: the event's
        "<p>Mayor Tanaka · April 7, 2026</p>",  # a name that is not the author's
        "<p>Jane Smith visited Cebu on 7 April 2026.</p>",  # a sentence
        "<p>Jane Smith at the Kobe city hall</p>",  # more words than join a byline's
        "<p>2026年4月7日に市が発表</p>",  # a sentence that begins with the day
        "<p>Oleh karena itu Jane Smith datang ke Cebu</p>",  # "Oleh" in a sentence
    ],
)
def test_a_line_that_says_more_than_the_byline_stays(opening: str) -> None:
    """A day the page is not dated, a name that is not its author's and a sentence with
    both are the post's own."""
    content = _content(_page(opening))
    assert opening.split("</p>")[0].removeprefix("<p>") in content


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("es", "<p>Jane Smith</p><p>07/04/2026 10:22</p>"),  # a Spanish daily's
        ("fr", "<div>Par <b>Jane Smith</b> Publié le 07/04/2026 - 16:00</div>"),  # Euronews'
        ("en-US", "<p>By Jane Smith · 4/7/2026</p>"),
        ("id", "<p>Oleh Jane Smith | Selasa, 7 April 2026 10:22 WIB</p>"),  # partner cities'
        ("vi", "<p>Thứ ba, 7/4/2026, 10:22 (GMT+7)</p><p>Theo Jane Smith</p>"),
        ("ko", "<p>Jane Smith 기자 · 2026년 4월 7일 10:22</p>"),
        ("zh", "<p>作者：Jane Smith　2026年4月7日 星期二</p>"),
    ],
)
def test_a_byline_day_written_in_numbers_is_read_in_the_pages_language(
    language: str, line: str
) -> None:
    """A day written in numbers in a language that puts the day first ("07/04/2026" on
    a Spanish or a French page) was no day to the byline's rule, which read numbers
    in no order: the line stayed. It reads them as the page's language writes them; and
    the words that join a byline in the partner cities' languages ("Oleh", "Selasa",
    "Theo", "Thứ ba", "기자", 「作者」, 「星期二」) join it."""
    page = _page(line).replace('<html lang="en">', f'<html lang="{language}">')
    content = _content(page)
    assert "Jane Smith" not in content
    assert "2026" not in content


def test_a_sign_off_after_the_texts_first_paragraph_stays() -> None:
    """Only the opening, before the text begins, is looked at: an author's name and day
    after the text's first paragraph stay; so does a name in a block of its own inside a
    line that says more (as a magazine writes "Tipps von <name> 6.11.22")."""
    page = _page("").replace(
        "<p>The drill followed", "<p>Jane Smith · April 7, 2026</p><p>The drill followed"
    )
    assert "Jane Smith · April 7, 2026" in _content(page)
    inside = _page("<div>Tips from the Kobe office by <div>Jane Smith</div></div>")
    assert "Jane Smith" in _content(inside)  # a name inside a line of more words


def test_a_kicker_above_the_title_goes_and_a_longer_block_or_a_picture_stays() -> None:
    """A label of a few words above the title's heading (the post's kind or section:
    "Blog post", "Product Announcements", a day and a section) opened the text; it goes.
    A block that says more, a picture, and a day on a page that gives no other above the
    heading stay."""
    kicker = _page("").replace(
        "<h1>", '<div class="post-label"><a href="/s/blog/">Blog post</a></div><h1>', 1
    )
    assert "Blog post" not in _content(kicker)
    spans = _page("").replace(
        "<h1>", "<div><span>Product</span><span>Announcements</span></div><h1>", 1
    )
    assert "Announcements" not in _content(spans)
    lead = "Kobe and Cebu ran their first joint evacuation drill this autumn, with schools."
    longer = _page("").replace("<h1>", f"<p>{lead}</p><h1>", 1)
    assert lead in _content(longer)
    pictured = _page("").replace("<h1>", '<p><img src="/drill.jpg" alt="The drill"></p><h1>', 1)
    assert "drill.jpg" in _content(pictured)
    dated = _page("").replace("<h1>", "<p>24 April 2026 | Press releases</p><h1>", 1)
    assert "Press releases" not in _content(dated)
    undated = dated.replace(
        '<meta property="article:published_time" content="2026-04-07T09:00:00+09:00">', ""
    )
    assert "24 April 2026" in _content(undated)  # the only day the page says


def test_the_titles_heading_in_a_block_of_its_own_is_found_past_its_kickers() -> None:
    """A Japanese daily wraps its title's heading in a block of its own, after its
    sections' links (「社会」, 「新宿区」) and before its dateline: that block was read as
    a line, the heading never reached, and the text began 「社会 新宿区 …（title）…
    2026年4月7日 20時01分」. A block that holds the heading is a container: the heading,
    the kickers above it and the dateline go."""
    page = (
        '<html lang="ja"><head><title>防災訓練に3000人が参加 | 東京新聞</title><meta '
        'property="article:published_time" content="2026-04-07T20:01:00+09:00"></head><body>'
        '<main><div class="heading-area"><ul class="list"><li><a href="/n/">社会</a></li><li>'
        '<a href="/t/">新宿区</a></li></ul><div class="cmp-hdg001"><h1 class="hdg">'
        '防災訓練に3000人が参加</h1></div><div class="info"><span class="data">2026年4月7日 '
        "20時01分</span></div></div><p>新宿区で7日、総合防災訓練が行われ、約3000人が参加した。"
        "</p></main></body></html>"
    )
    content = read_page(page, "https://news.example.jp/a/1", ZoneInfo("Asia/Tokyo")).content_html
    for gone in ("社会", "新宿区</a>", "防災訓練に3000人", "20時01分"):
        assert gone not in content
    assert "約3000人が参加した。" in content


def test_the_items_summary_begins_with_the_posts_text() -> None:
    """The summary made from a page whose text opened with its byline began with it."""
    info = read_page(
        _page('<p class="meta">Jane Smith · April 7, 2026 · 4 min read</p>'),
        "https://blog.example.org/drill",
        ZoneInfo("UTC"),
    )
    draft = Item(
        id="src:1",
        source="src",
        kind="article",
        title=info.title,
        url=info.url,
        published=datetime(2026, 4, 7, tzinfo=UTC),
        content_html=info.content_html,
    )
    item = normalise(draft, Rules(), datetime(2026, 4, 8, tzinfo=UTC), Notes())
    assert item.summary.startswith("Three hundred residents of Kobe and Cebu")


def test_a_long_line_of_joining_words_is_told_in_bounded_time() -> None:
    """A line of nothing but joining words and labels, each of which may be read in two
    ways ("updated on" or "updated", "on"), is told apart at once."""
    byline = Byline(("Jane Smith",), frozenset({date(2026, 4, 7)}))
    started = time.perf_counter()
    for line in ("updated on " * 14 + "x", "Jane Smith " + "posted on by " * 11 + "?!"):
        assert not byline.says_all(line)
    assert byline.says_all("Jane Smith " + "updated on " * 13)
    assert time.perf_counter() - started < 1


def test_a_byline_deep_in_nested_blocks_is_read_in_time() -> None:
    """A byline line inside 8,000 nested blocks: the block that holds it alone was found
    by reading each level's whole text again (quadratic: 5,000 levels took 6 s); each
    level's other children are read now. Timed against the same page with a sentence
    there (the parse and every other rule, in the same run): under twice its time (the
    quadratic walk made it six times)."""
    depth = 8000

    def timed(line: str) -> tuple[float, str]:
        page = _page("<div>" * depth + f"<p>{line}</p>" + "</div>" * depth)
        started = time.perf_counter()
        content = _content(page)
        return time.perf_counter() - started, content

    baseline, _ = timed("Kobe and Cebu drilled together on the coast.")
    spent, content = timed("Jane Smith · April 7, 2026")
    assert "Jane Smith" not in content
    assert "Three hundred residents" in content
    assert spent < 2 * baseline + 0.5
