"""The parts of a page React streamed after its shell, read in their places."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from pytest_httpserver import HTTPServer
from tests_support import MakeContext, run_one, source_toml

from tdlc_syndication.sources.page import read_page, soup_of
from tdlc_syndication.sources.streamed import put_streamed_parts

# As Next.js's App Router sends a post whose text waited on its data: the shell with a
# skeleton in a Suspense boundary, then the text in a hidden block and the script that
# moves it (a part of it, the author's box, streamed in its turn into a placeholder).
NEXT_POST = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Kobe and Cebu drill together | Partnership news</title>
<meta property="article:published_time" content="2026-11-20T09:00:00Z"></head>
<body><div id="root"><header><nav><a href="/">Home</a></nav></header><main><article>
<h1>Kobe and Cebu drill together</h1>
<div class="post-body"><!--$?--><template id="B:0"></template><div class="skeleton">
<p>Loading the story…</p></div><!--$~--><span>nested fallback</span><!--/$--><!--&--><i>an
activity</i><!--/&--><p class="skeleton">Still loading</p><!--/$--></div>
</article></main><footer><p>© 2026 Partnership</p></footer></div>
<script>$RC=function(b,c){};$RS=function(a,b){};</script>
<div hidden id="S:0"><p>Three hundred residents of both cities took part in the evacuation
drill on 20 November, the first the two cities have run together.</p>
<template id="P:1"></template></div>
<script>$RC("B:0","S:0")</script>
<div hidden id="S:1"><p>The drill followed the plan agreed at the October workshop.</p></div>
<script>$RS("S:1","P:1")</script>
</body></html>"""


def _read(page: str) -> str:
    return read_page(page, "https://news.example.org/drill", ZoneInfo("UTC")).content_html


def test_a_streamed_posts_text_is_read_in_its_place_and_its_skeleton_goes() -> None:
    """A post React streamed (Next.js's App Router) had as its text the skeleton shown
    until the text came: "Loading the story…"; the text itself, in a hidden block the
    script moves into place, the cleaning took out. It is read in its place, in order
    (the part streamed into a placeholder of the first after it), without the skeleton."""
    content = _read(NEXT_POST)
    assert "Loading" not in content
    assert "nested fallback" not in content
    assert "an\nactivity" not in content
    assert "Still loading" not in content  # past the boundaries inside the fallback
    first = content.index("Three hundred residents")
    assert first < content.index("The drill followed the plan")
    assert 'hidden id="S:' not in content
    assert "<template" not in content
    assert "skeleton" not in content


def test_a_boundary_the_server_gave_up_on_and_a_cut_page_lose_nothing() -> None:
    """A move whose part never came (the page cut short), a boundary whose end is not
    in the page and one the browser renders alone (``$RX``) keep what they show; a move
    named twice is made once."""
    cut = NEXT_POST.split('<div hidden id="S:0">', 1)[0] + "</body></html>"
    assert "Loading the story" in _read(cut)
    unended = NEXT_POST.replace("</p><!--/$--></div>", "</p></div>", 1)
    soup = soup_of(unended)
    put_streamed_parts(soup, unended)
    text = soup.get_text(" ")
    assert "Loading the story" in text
    assert "Three hundred residents" in text
    given_up = NEXT_POST.replace('$RC("B:0","S:0")', '$RX("B:0","E1")')
    assert "Loading the story" in _read(given_up)
    twice = NEXT_POST.replace('$RC("B:0","S:0")', '$RC("B:0","S:0");$RC("B:0","S:0")')
    assert _read(twice).count("Three hundred residents") == 1


def test_the_external_runtimes_templates_move_the_parts_too() -> None:
    """React's external runtime names the moves in templates (``data-rci``,
    ``data-rsi``) instead of inline scripts: the same moves are made."""
    page = NEXT_POST.replace(
        '<script>$RC("B:0","S:0")</script>', '<template data-rci="" data-bid="B:0" data-sid="S:0">'
    ).replace(
        '<script>$RS("S:1","P:1")</script>', '<template data-rsi="" data-sid="S:1" data-pid="P:1">'
    )
    content = _read(page)
    assert "Loading" not in content
    assert content.index("Three hundred") < content.index("The drill followed")


def test_a_page_of_many_moves_is_read_in_bounded_time() -> None:
    """A page that names thousands of moves, and a fallback of thousands of nodes with
    no end, are read in well under a second: the moves made are bounded."""
    parts = "".join(
        f'<div class="x"><!--$?--><template id="B:{n:x}"></template><i>wait</i><!--/$--></div>'
        for n in range(3000)
    )
    moves = "".join(
        f'<div hidden id="S:{n:x}"><p>part {n}</p></div><script>$RC("B:{n:x}","S:{n:x}")</script>'
        for n in range(3000)
    )
    page = f"<html><body><main>{parts}</main>{moves}</body></html>"
    soup = soup_of(page)
    started = time.perf_counter()
    put_streamed_parts(soup, page)
    assert time.perf_counter() - started < 5
    assert "part 0" in soup.main.get_text(" ")  # type: ignore[union-attr]
    endless = "<!--$?--><template id='B:0'></template>" + "<i>x</i>" * 20_000
    endless = f"<html><body>{endless}<div hidden id='S:0'>t</div><script>$RC('B:0','S:0')"
    soup = soup_of(endless + '$RC("B:0","S:0")</script></body></html>')
    started = time.perf_counter()
    put_streamed_parts(soup, endless + '$RC("B:0","S:0")')
    assert time.perf_counter() - started < 5
    assert len(soup.find_all("i")) == 20_000  # no end found: nothing went


def test_a_followed_streamed_page_gives_its_text_as_the_items_summary(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Through a run: the item of a streamed page that an ``html`` source follows is
    summarised by the post's first words, not by its byline or "Loading"."""
    server.expect_request("/news/").respond_with_data(
        '<html><body><ul class="news"><li><a href="/drill">Drill</a></li></ul></body></html>',
        content_type="text/html",
    )
    server.expect_request("/drill").respond_with_data(NEXT_POST, content_type="text/html")
    entry = f'url = "{server.url_for("/news/")}"\nitem_selector = "ul.news li"\nfollow = true\n'
    ctx = make_context(write_config(source_toml("html", entry)))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    (item,) = (s.item for s in stored.values())
    assert item.summary.startswith("Three hundred residents of both cities")
    assert "The drill followed the plan" in (item.content_html or "")
