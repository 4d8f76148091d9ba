"""Line breaks between Japanese or Chinese characters: no space in summaries, titles and the
digest's intro where the break was the source's layout (CSS Text 3 takes it out; Chromium
showed a space: ``コンパクトシティ 政策``), a space where it parts lines of a text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytest_httpserver import HTTPServer
from tests_support import MakeContext, run_one, source_toml

from tdlc_syndication.pipeline.eastasian import joined_html, joined_lines
from tdlc_syndication.pipeline.sanitise import sanitise_html
from tdlc_syndication.pipeline.text import clean_text, plain_text


def test_a_break_between_wide_characters_is_taken_out() -> None:
    assert joined_lines("富山市のコンパクトシティ\n政策") == "富山市のコンパクトシティ政策"
    # with the spaces that indent the next line, and Windows' line ends
    assert joined_lines("紹介します。\r\n    来週は") == "紹介します。来週は"
    assert joined_lines("城市合作\n研讨会") == "城市合作研讨会"  # Chinese too
    assert joined_lines("令和8年度\u3000\n第2回") == "令和8年度\u3000第2回"
    # Not between Latin words, next to one, in Korean, or after a space (a hard break).
    for kept in ("Kobe\nYokohama", "神戸\nKobe", "Kobe\n神戸", "한국\n도시", "です。  \n次"):
        assert joined_lines(kept) == kept
    assert joined_html("<pre>一\n二</pre>一\n二<pre class=x>三\n四</pre>") == (
        "<pre>一\n二</pre>一二<pre class=x>三\n四</pre>"
    )


def test_summaries_and_titles_read_as_the_page_shows_them() -> None:
    html = "<p>本市では、公共交通を軸とした\n   まちづくりを進めています。</p><p>次の段落。</p>"
    assert plain_text(html) == "本市では、公共交通を軸としたまちづくりを進めています。 次の段落。"
    # A <br> parts lines: a space, whatever the source's breaks around it.
    assert plain_text("<p>一行目。<br>\n二行目。</p>") == "一行目。 二行目。"
    # In a text (an iCalendar DESCRIPTION, a video's description) a break parts lines.
    assert plain_text("出演：富山市長\n制作：富山市") == "出演：富山市長 制作：富山市"
    # A title is one line: its breaks are the source's layout.
    assert clean_text("\n  富山市の\n  コンパクトシティ\n") == "富山市のコンパクトシティ"
    assert clean_text("Compact\ncity") == "Compact city"


def test_html_content_joins_its_lines_but_in_a_pre() -> None:
    content = sanitise_html(
        "<p>本市では、公共交通を軸とした\n   まちづくりを進めています。</p>"
        "<pre>一行目\n二行目</pre><p>Kobe\nand Yokohama</p>"
    )
    assert content == (
        "<p>本市では、公共交通を軸としたまちづくりを進めています。</p>"
        "<pre>一行目\n二行目</pre><p>Kobe\nand Yokohama</p>"
    )


def test_an_html_list_pages_summary_has_no_space_inside_a_word(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    page = (
        '<html lang="ja"><body><ul class="news"><li>'
        '<a href="/a">富山市のコンパクトシティ\n  政策を公開しました</a> '
        '<span class="date">2026年11月26日</span>'
        '<p class="lead">公共交通を軸とした\n   まちづくりを進めています。</p>'
        "</li></ul></body></html>"
    )
    server.expect_request("/list").respond_with_data(page, content_type="text/html; charset=utf-8")
    body = (
        f'url = "{server.url_for("/list")}"\nitem_selector = "ul.news li"\n'
        'date_selector = "span.date"\nsummary_selector = "p.lead"\nlanguage = "ja"\n'
    )
    _, stored = run_one(make_context(write_config(source_toml("html", body))))
    (item,) = (shown.item for shown in stored.values())
    assert item.title == "富山市のコンパクトシティ政策を公開しました"
    assert item.summary == "公共交通を軸としたまちづくりを進めています。"
