"""Furigana (``<ruby>防災<rt>ぼうさい</rt></ruby>``), as the "easy Japanese" pages of cities
write it: titles and summaries read the kanji alone (they read ``防災ぼうさい``), content keeps
the ruby for readers to show (it lost its tags and kept the reading inline), and the plain
text of an email gives the reading in parentheses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytest_httpserver import HTTPServer
from tests_support import MakeContext, run_one, source_toml

from tdlc_syndication.outputs.plaintext import readable_text
from tdlc_syndication.pipeline.sanitise import sanitise_html
from tdlc_syndication.pipeline.text import clean_text, plain_text

RUBY = (
    "<ruby>地震<rp>(</rp><rt>じしん</rt><rp>)</rp></ruby>のときは"
    "<ruby>机<rt>つくえ</rt></ruby>の下に"
)


def test_titles_and_summaries_read_the_kanji_alone() -> None:
    assert plain_text(f"<p>{RUBY}入ります。</p>") == "地震のときは机の下に入ります。"
    assert clean_text("<ruby>防災<rt>ぼうさい</rt></ruby>の<ruby>手引<rt>てびき</rt></ruby>き") == (
        "防災の手引き"
    )
    # A line break of the source before a ruby is none either (pipeline.eastasian).
    assert plain_text("<p>台風のときに\n<ruby>大切<rt>たいせつ</rt></ruby>なこと</p>") == (
        "台風のときに大切なこと"
    )
    # End tags left out, as HTML allows, and the older form with <rb> and <rtc>.
    assert clean_text("<ruby>漢<rt>かん<rb>字<rt>じ</ruby>です") == "漢字です"
    assert plain_text("<ruby><rb>漢</rb><rb>字</rb><rtc><rt>かん</rt><rt>じ</rt></rtc></ruby>") == (
        "漢字"
    )


def test_content_keeps_its_ruby_and_mail_gives_the_reading_in_parentheses() -> None:
    content = sanitise_html(f"<p>{RUBY}</p>")
    assert content == f"<p>{RUBY}</p>"
    assert readable_text(content) == "地震（じしん）のときは机（つくえ）の下に"
    assert readable_text("<p><ruby>机<rt></rt></ruby>の下</p>") == "机の下"  # no reading


def test_an_item_page_in_easy_japanese(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    server.expect_request("/list").respond_with_data(
        '<html lang="ja"><body><ul class="news"><li><a href="/a"><ruby>防災<rt>ぼうさい</rt>'
        "</ruby>の<ruby>手引<rt>てびき</rt></ruby>き</a></li></ul></body></html>",
        content_type="text/html; charset=utf-8",
    )
    server.expect_request("/a").respond_with_data(
        f'<html lang="ja"><head><title>t</title></head><body><main><p>{RUBY}入ります。</p>'
        "</main></body></html>",
        content_type="text/html; charset=utf-8",
    )
    body = f'url = "{server.url_for("/list")}"\nitem_selector = "ul.news li"\nfollow = true\n'
    _, stored = run_one(make_context(write_config(source_toml("html", body))))
    (item,) = (shown.item for shown in stored.values())
    assert item.title == "防災の手引き"
    assert item.summary == "地震のときは机の下に入ります。"
    assert "<rt>じしん</rt>" in item.content_html
