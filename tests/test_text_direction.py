"""Items written right to left (Arabic, Urdu) in left-to-right pages: each title and
summary carries the direction it is written in, on the site's pages, the digest's page and
email, and the search's results (in real headless Chromium), so its punctuation ends where
its readers expect it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from lxml import html
from playwright.sync_api import Browser
from test_pages_browser import browser
from test_search_browser import ask
from tests_support import NOW, invoke, sample_item, serving

from tdlc_syndication.config.languages import right_to_left
from tdlc_syndication.outputs.pages import text_dir
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.dedupe import decide
from tdlc_syndication.pipeline.publish import publish
from tdlc_syndication.pipeline.store import Store

__all__ = ["browser"]  # the fixture, shared with the page tests

ARABIC = "ورشة عمل: المدن الذكية في القاهرة!"
URDU = "کراچی میں شہری منصوبہ بندی!"  # from a source that declares English


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("ar", True), ("ur-PK", True), ("fa", True), ("he", True), ("pa-Arab", True),
     ("ug-Latn", False), ("en", False), ("ja", False), ("", False), (None, False)],
)  # fmt: skip
def test_the_languages_written_right_to_left(tag: str | None, expected: bool) -> None:
    assert right_to_left(tag) is expected


def test_an_items_direction_as_an_attribute() -> None:
    assert text_dir("ar", "TDLC") == ' dir="rtl"'  # the language decides
    assert text_dir("en", URDU) == ' dir="auto"'  # the browser reads the first letter
    assert text_dir("en", "Compact cities") == ""
    assert text_dir("ja", "コンパクトシティ") == ""
    assert text_dir("en", None) == ""


@pytest.fixture
def rtl_site(demo_published: Context) -> Context:
    """The demo with an Arabic item and an Urdu one that says it is English."""
    items = [
        sample_item(id="rtl:ar", source="rtl", title=ARABIC, summary=ARABIC, language="ar",
                    url="https://example.org/ar", published=NOW - timedelta(days=1)),
        sample_item(id="rtl:ur", source="rtl", title=URDU, summary=URDU, language="en",
                    url="https://example.org/ur", published=NOW - timedelta(days=1)),
    ]  # fmt: skip
    with Store(demo_published.settings.site.database) as store:
        with store.transaction():
            for item in items:
                store.put_item(decide(item, None, NOW).stored)
        publish(demo_published, store)
    return demo_published


def _directions(page: html.HtmlElement, selector: str) -> dict[str, str | None]:
    """Each item text's direction, by its words."""
    return {e.text_content().strip(): e.get("dir") for e in page.cssselect(selector)}


def test_the_site_and_the_digest_set_each_items_direction(
    rtl_site: Context, demo_config: Path
) -> None:
    public = rtl_site.settings.site.output_dir
    front = html.fromstring((public / "index.html").read_bytes())
    headings = _directions(front, "ol.items h3")
    assert (headings[ARABIC], headings[URDU]) == ("rtl", "auto")
    assert {headings[t] for t in headings if t not in (ARABIC, URDU)} == {None}
    summaries = _directions(front, "ol.items .summary")
    assert (summaries[ARABIC], summaries[URDU]) == ("rtl", "auto")
    assert invoke(demo_config, "digest", "--week", "2026-W48", "--preview")[0] == 0
    preview = demo_config.parent / "digest-preview" / "2026-W48"
    issue = html.fromstring((preview / "index.html").read_bytes())
    assert _directions(issue, "ol.items h3")[ARABIC] == "rtl"
    assert _directions(issue, "ol.items .summary")[URDU] == "auto"
    email = html.fromstring((preview / "email.html").read_bytes())
    rows = _directions(email, "p[lang]")
    assert (rows[ARABIC], rows[URDU]) == ("rtl", "auto")


@pytest.fixture
def served(rtl_site: Context) -> Iterator[str]:
    with serving(rtl_site.settings.site.output_dir, "no-cache") as url:
        yield url


@pytest.mark.slow  # a real browser
def test_the_browser_sets_them_right_to_left(browser: Browser, served: str) -> None:
    page = browser.new_page()
    try:
        page.goto(served + "/index.html")
        shown = "h => [h.textContent.trim(), getComputedStyle(h).direction]"
        headings = dict(page.eval_on_selector_all("ol.items h3", f"hs => hs.map({shown})"))
        assert (headings[ARABIC], headings[URDU]) == ("rtl", "rtl")
        page.goto(served + "/search/index.html")
        ask(page, "کراچی")
        found = page.eval_on_selector_all(
            "#results h3, #results .summary", f"es => es.map({shown})"
        )
        assert found == [[URDU, "rtl"], [URDU, "rtl"]]
        assert page.eval_on_selector("#results h3", "h => h.dir") == "auto"
    finally:
        page.close()


@pytest.mark.slow  # a real browser
def test_a_search_page_kept_from_before_still_searches(browser: Browser, rtl_site: Context) -> None:
    # A browser that kept the search page of the last release (its data names no
    # directions) and fetches the new script: the search works, as it did.
    page_file = rtl_site.settings.site.output_dir / "search" / "index.html"
    html = page_file.read_text("utf-8")
    start = html.index('id="search-data">') + len('id="search-data">')
    end = html.index("</script>", start)
    data = json.loads(html[start:end])
    del data["rtl"]
    page_file.write_text(html[:start] + json.dumps(data) + html[end:], "utf-8")
    with serving(rtl_site.settings.site.output_dir, "no-cache") as url:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            page.goto(url + "/search/index.html")
            ask(page, "کراچی")
            assert page.locator("#results h3").all_inner_texts() == [URDU]
            assert errors == []
        finally:
            page.close()
