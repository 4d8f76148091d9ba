"""The site's search in real headless Chromium: from the search box of any page, over the
demo's materials and more, served by ``syndicate serve`` and opened from the disk."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page
from test_pages_browser import axe_violations, browser, offline
from tests_support import NOW, sample_item, serving

from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.dedupe import decide
from tdlc_syndication.pipeline.publish import publish
from tdlc_syndication.pipeline.store import Store

pytestmark = pytest.mark.slow  # a real browser
__all__ = ["browser"]  # the fixture, shared with the page tests

HOSTILE = "Notes </script><script>window.hacked = 1</script> from \u2028 Kobe"


@pytest.fixture
def search_site(demo_published: Context) -> Iterator[str]:
    """The demo with 60 more notes (more than one screen of results), one about Hà Nội
    and one whose title would end a script."""
    extra = [
        sample_item(
            id=f"extra:{n}",
            source="extra",
            title=f"Field note {n}: drainage in Yokohama",
            url=f"https://notes.example.org/{n}",
            summary="Drainage works after the typhoon season.",
            published=NOW - timedelta(days=200 + n),
            topics=(),
            places=("yokohama",),
        )
        for n in range(60)
    ]
    extra.append(
        sample_item(
            id="extra:hanoi",
            source="extra",
            title="Hà Nội and Kitakyushu: a water partnership",
            url="https://notes.example.org/hanoi",
            summary="Đà Nẵng joined later.",
            authors=("Nguyễn Văn An", "Sato, Kenji"),
            published=NOW - timedelta(days=100),
        )
    )
    extra.append(
        sample_item(id="extra:x", source="extra", title=HOSTILE, url="https://notes.example.org/x")
    )
    extra.append(
        sample_item(
            id="extra:waste",
            source="extra",
            title="ごみの分別ガイド",
            url="https://notes.example.org/w",
        )
    )
    extra.append(
        sample_item(
            id="extra:litter",
            source="extra",
            title="海岸のゴミ拾い",
            summary="受付期間を伸ばす",
            url="https://notes.example.org/l",
        )
    )
    with Store(demo_published.settings.site.database) as store:
        with store.transaction():
            for item in extra:
                store.put_item(decide(item, None, NOW).stored)
        publish(demo_published, store)
    with serving(demo_published.settings.site.output_dir, "no-cache") as url:
        yield url


def ask(page: Page, query: str) -> str:
    """Type ``query`` into the search and wait for its answer; the status line."""
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.wait_for_function(
        "() => { const s = document.getElementById('search-status').textContent;"
        " return s && !s.startsWith('Loading'); }"
    )
    return page.inner_text("#search-status")


def phone(browser: Browser, site: str) -> tuple[Page, list[str]]:
    """A page the size of a phone's, kept on the site, and the script errors and dialogs
    it will meet (none is expected)."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: errors.append(dialog.message))
    offline(page, site)
    return page, errors


def titles(page: Page) -> list[str]:
    return page.locator("#results h3").all_inner_texts()


def test_the_search_finds_materials_as_people_write_them(
    browser: Browser, search_site: str
) -> None:
    page, errors = phone(browser, search_site)
    # From the search box of the front page.
    page.goto(search_site + "/", wait_until="load")
    page.fill("#site-search", "Kobe")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/index.html?q=Kobe")
    page.wait_for_function("document.querySelectorAll('#results li').length > 0")
    found = titles(page)
    assert "Disaster risk management: how Kobe rebuilt its neighbourhood networks" in found
    assert page.inner_text("#search-status").startswith(f"{len(found)} materials match")
    # Full-width letters, any case: the same materials.
    assert ask(page, "ｋｏｂｅ").startswith(f"{len(found)} materials match")
    assert page.url.endswith("?q=%EF%BD%8B%EF%BD%8F%EF%BD%82%EF%BD%85")  # to share or go back
    # Japanese, without spaces between words; a city's Japanese name finds what its
    # label (Kobe) tags.
    ask(page, "まちづくり")
    assert "コンパクトなまちづくり 令和8年度の取り組みを公開しました" in titles(page)
    ask(page, "神戸")
    assert "Disaster risk management: how Kobe rebuilt its neighbourhood networks" in titles(page)
    # Kana keep their voicing marks, as `items --search` and the filters compare them.
    assert ask(page, "ガイド").startswith("1 material matches")
    assert ask(page, "ガイト").startswith("Nothing matches")
    # A word in hiragana finds it in katakana too (ごみ is ゴミ), marked as written there;
    # not the other way round: バス (a bus) is not in 伸ばす.
    ask(page, "ごみ")
    assert {"ごみの分別ガイド", "海岸のゴミ拾い"} <= set(titles(page))
    assert {"ごみ", "ゴミ"} <= set(page.locator("#results h3 mark").all_inner_texts())
    ask(page, "ゴミ")
    assert "海岸のゴミ拾い" in titles(page)
    assert "ごみの分別ガイド" not in titles(page)
    ask(page, "バス")
    assert "海岸のゴミ拾い" not in titles(page)  # its summary: 受付期間を伸ばす
    # Without the tone marks, with them, and a word of the summary.
    for query in ("ha noi", "Hà Nội", "da nang"):
        assert ask(page, query).startswith("1 material matches"), query
        assert titles(page) == ["Hà Nội and Kitakyushu: a water partnership"]
    # The words found are marked where they are, as written there.
    ask(page, "ha noi")
    assert page.locator("#results h3 mark").all_inner_texts() == ["Hà", "Nội"]
    ask(page, "da nang")
    assert page.locator("#results p.summary mark").all_inner_texts() == ["Đà", "Nẵng"]
    ask(page, "ＫＩＴＡＫＹＵＳＨＵ")
    assert "Kitakyushu" in page.locator("#results h3 mark").all_inner_texts()
    # An event says when and where it happens, as the pages say it.
    ask(page, "webinar financing")
    when = page.locator("#results li p.meta", has_text="When:")
    assert when.inner_text() == (
        "When: 2026-12-10 15:00–16:30 JST · https://meet.example.org/waste-finance"
    )
    assert when.locator("time").get_attribute("datetime") == "2026-12-10T15:00:00+09:00"
    assert when.locator("a").get_attribute("href") == "https://meet.example.org/waste-finance"
    # By who wrote it: each result names its authors.
    assert ask(page, "nguyen van").startswith("1 material matches")
    assert page.inner_text("#results li p.meta >> nth=1") == "By Nguyễn Văn An; Sato, Kenji"
    # Every word must match, a phrase in quotes as written; by label and date too.
    assert ask(page, "drainage yokohama").startswith("60 materials match")
    assert ask(page, '"drainage in yokohama" "field note 7"').startswith("1 material")
    assert ask(page, "drainage kobe").startswith("Nothing matches")
    assert titles(page) == []
    # Title words first: the notes about Kobe before those that only say Kobe in a label.
    ask(page, "kobe")
    ranked = titles(page)
    with_kobe = [title for title in ranked if "kobe" in title.lower()]
    assert 2 <= len(with_kobe) < len(ranked)
    assert ranked[: len(with_kobe)] == with_kobe
    # Text that would end a script is shown as text and runs nothing.
    ask(page, "hacked")
    assert page.locator("#results h3 a").first.get_attribute("href") == (
        "https://notes.example.org/x"
    )
    assert "</script>" in titles(page)[0]
    assert page.locator("#results h3 a mark").all_inner_texts() == ["hacked"]
    assert page.evaluate("window.hacked") is None
    # 50 results at a time; the next ones on request, the focus on the first of them.
    assert ask(page, "drainage").startswith("60 materials")
    assert page.locator("#results li").count() == 50
    assert page.inner_text("#more") == "Show 10 more"
    page.click("#more")
    assert page.locator("#results li").count() == 60
    assert page.is_hidden("#more")
    assert page.evaluate("document.activeElement.closest('li') === "
                         "document.querySelectorAll('#results li')[50]")  # fmt: skip
    # The labels of a result lead to their pages.
    label = page.locator("#results li p.meta a").first
    assert label.get_attribute("href") == "../kind/knowledge_note/index.html"
    assert page.request.get(label.evaluate("a => a.href")).status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # An emptied box: no results, and an address without words.
    page.fill("#q", "")
    page.press("#q", "Enter")
    page.wait_for_function("document.querySelectorAll('#results li').length === 0")
    assert page.url == search_site + "/search/index.html"
    assert page.inner_text("#search-status") == ""
    assert errors == []
    page.close()


def test_the_search_page_with_results_passes_axe(browser: Browser, search_site: str) -> None:
    found = {}
    for width in (390, 1280):
        page = browser.new_page(viewport={"width": width, "height": 900})
        offline(page, search_site)
        page.goto(search_site + "/search/index.html?q=yokohama", wait_until="load")
        page.wait_for_function("document.querySelectorAll('#results li').length > 0")
        violations = axe_violations(page)
        if violations:
            found[width] = violations
        page.close()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


def test_the_search_works_from_the_disk(browser: Browser, demo_published: Context) -> None:
    # A site opened as files (the quick start's `open public/index.html`): browsers fetch
    # nothing from file: pages, so the index is loaded as scripts.
    page = browser.new_page()
    root = demo_published.settings.site.output_dir.resolve()
    page.goto((root / "search" / "index.html").as_uri() + "?q=toyama", wait_until="load")
    page.wait_for_function("document.querySelectorAll('#results li').length > 0")
    assert "Knowledge note: Compact city policy in Toyama" in titles(page)
    assert "materials match" in page.inner_text("#search-status")
    page.close()


def test_an_index_that_cannot_be_loaded_is_said(browser: Browser, demo_published: Context) -> None:
    root = demo_published.settings.site.output_dir
    (root / "search" / "items-1.js").unlink()
    with serving(root, "no-cache") as site:
        page = browser.new_page()
        page.goto(site + "/search/index.html?q=kobe", wait_until="load")
        page.wait_for_function(
            "document.getElementById('search-status').textContent.includes('could not')"
        )
        assert "items-1.js" in page.inner_text("#search-status")
        page.close()


def test_the_search_narrows_down_to_a_kind_topic_or_city(
    browser: Browser, search_site: str
) -> None:
    page, errors = phone(browser, search_site)
    page.goto(search_site + "/search/index.html?q=kobe", wait_until="load")
    page.wait_for_function("document.querySelectorAll('#results li').length > 0")
    every = titles(page)
    # A kind chosen: only its materials, the words still matched; the address keeps both.
    page.select_option("#only-kind", "toolkit")
    page.wait_for_url("**/search/index.html?q=kobe&kind=toolkit")
    toolkits = titles(page)
    assert 0 < len(toolkits) < len(every)
    assert set(toolkits) <= set(every)
    kinds = page.locator("#results li p.meta:first-of-type a:first-of-type").all_inner_texts()
    assert set(kinds) == {"Toolkit"}
    status = page.inner_text("#search-status")
    assert status == (
        f"{len(toolkits)} material{'s match' if len(toolkits) > 1 else ' matches'} "
        "\u201ckobe\u201d with Kind: Toolkit, best first."
    )
    # Opened again from that address: the same choice and results.
    page.reload(wait_until="load")
    page.wait_for_function("document.querySelectorAll('#results li').length > 0")
    assert page.input_value("#only-kind") == "toolkit"
    assert titles(page) == toolkits
    # From a city's page: every material of the city, newest first.
    page.goto(search_site + "/place/yokohama/index.html", wait_until="load")
    page.click("text=Search among these materials")
    page.wait_for_function("document.querySelectorAll('#results li').length > 0")
    assert page.input_value("#only-kind") == ""
    assert page.input_value("#only-place") == "yokohama"
    offered = page.inner_text("#only-place option[value=yokohama]")
    count = int(offered.rsplit("(", 1)[1].rstrip(")"))
    assert page.inner_text("#search-status") == (
        f"{count} materials with City: Yokohama, newest first."
    )
    assert page.url.endswith("/search/index.html?place=yokohama")
    dates = page.locator("#results li time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates == sorted(dates, reverse=True)
    assert page.locator("#results li").count() == min(50, count)
    # Words that no material of the choices has: said so, with the choices.
    page.select_option("#only-kind", "event")
    assert ask(page, "drainage").startswith(
        "Nothing matches \u201cdrainage\u201d with Kind: Event, City: Yokohama. Try fewer"
    )
    assert titles(page) == []
    # A term the site does not have, in the address: no choice, no search.
    page.goto(search_site + "/search/index.html?place=atlantis", wait_until="load")
    assert page.input_value("#only-place") == ""
    assert page.inner_text("#search-status") == ""
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
    page.close()
