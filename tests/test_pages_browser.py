"""The front page in real headless Chromium (Debian's package, driven by Playwright):
it renders, runs no script, and meets the basic accessibility rules; every kind of page
passes axe-core, the accessibility engine browsers' tools use, at phone and desktop widths."""

from __future__ import annotations

import itertools
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright
from tests_support import serving

from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.pipeline.weekly import publish_week

pytestmark = pytest.mark.slow  # a real browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def axe_script() -> Path:
    """axe-core, installed from npm by ``.ci/system-packages`` (``AXE_JS`` names another)."""
    explicit = os.environ.get("AXE_JS")
    if explicit:
        return Path(explicit)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "tdlc-syndication" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


AXE = axe_script()  # read before the tests' own cache folder is set (conftest)
#: WCAG 2.2 A and AA, and axe's best practices (landmarks, one main, headings, regions).
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page: Page) -> list[Any]:
    """What axe-core finds on the page as it is now (rule id, and where)."""
    page.add_script_tag(path=str(AXE))
    found: list[Any] = page.evaluate(
        "async (rules) => (await axe.run(document, {runOnly: rules})).violations"
        ".map(v => [v.id, v.nodes.map(n => n.target.join(' '))])",
        AXE_RULES,
    )
    return found


PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def offline(page: Page, site: str) -> None:
    """Keep the page on loopback: images of other hosts (the items' thumbnails) are
    answered with a blank pixel, anything else off the site is refused."""

    def route(request: Route) -> None:
        if request.request.url.startswith(site):
            request.continue_()
        elif request.request.resource_type == "image":
            request.fulfill(status=200, content_type="image/png", body=PIXEL)
        else:
            request.abort()

    page.route("**/*", route)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def demo_site(demo_published: Context) -> Iterator[str]:
    with serving(demo_published.settings.site.output_dir, "no-cache") as url:
        yield url


def test_front_page_renders_and_is_accessible(
    browser: Browser, demo_site: str, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    offline(page, demo_site)
    response = page.goto(demo_site + "/", wait_until="load")
    assert response is not None
    assert response.status == 200
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.title() == "City Partnership Knowledge Feeds (demo)"
    # One h1, and headings never skip a level.
    levels = page.eval_on_selector_all("h1,h2,h3,h4,h5,h6", "els => els.map(e => +e.tagName[1])")
    assert levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    # Every link has an accessible name; every image has alt text.
    nameless = page.eval_on_selector_all(
        "a",
        "els => els.filter(a => !(a.innerText || a.getAttribute('aria-label') || '').trim())"
        ".length",
    )
    assert nameless == 0
    assert page.eval_on_selector_all("img:not([alt])", "els => els.length") == 0
    # The skip link is the first focusable element and leads to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    # Feed discovery links and the directory are there; Japanese titles are marked as such.
    alternates = page.eval_on_selector_all(
        "link[rel=alternate]", "els => els.map(e => e.getAttribute('type'))"
    )
    assert {"application/atom+xml", "application/rss+xml", "application/feed+json"} <= set(
        alternates
    )
    assert page.locator("h3[lang=ja]").count() >= 10
    assert page.locator("text=Pinned by the editors").count() == 0
    assert page.eval_on_selector_all("script", "els => els.length") == 0
    page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
    assert (tmp_path / "index.png").stat().st_size > 10_000
    assert errors == []
    page.close()


@pytest.mark.parametrize("path", ["/", "/feeds/index.html", "/topic/compact-cities/index.html"])
def test_pages_for_reading_fit_a_phone_and_a_desktop(
    browser: Browser, demo_site: str, path: str
) -> None:
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    offline(phone, demo_site)
    phone.goto(demo_site + path, wait_until="load")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
    desktop = browser.new_page(viewport={"width": 1280, "height": 800})
    offline(desktop, demo_site)
    desktop.goto(demo_site + path, wait_until="load")
    if path == "/":
        # The newest material is on the first screen, not below a directory of feeds.
        first = desktop.locator("ol.items li h3 a").first
        box = first.bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= 800
        assert desktop.locator("a[href='feeds/index.html']").count() >= 1
        # Every topic and place label of the newest items leads to a page listing the item.
        pairs = desktop.eval_on_selector_all(
            "section[aria-labelledby=latest-heading] ol.items > li",
            # The first meta line: its labels (the second, when and where, links out).
            "lis => lis.flatMap(li => [...li.querySelector('p.meta').querySelectorAll('a')]"
            ".map(a => [li.querySelector('h3 a').textContent, a.href]))",
        )
        assert len(pairs) > 40
        for title, href in pairs:
            listed = desktop.request.get(href)
            assert listed.status == 200, href
            assert title in listed.text(), (title, href)
    elif path.startswith("/feeds/"):
        assert desktop.locator("table").count() >= 4  # main, topics, places, kinds...
        # Column heads and dates stay whole: the page's overflow-wrap:anywhere broke
        # "Items", "Last update" and "2026-11-20" in the middle at 1280 px.
        heights = desktop.eval_on_selector_all(
            "th[scope=col], td time",
            "cells => cells.map(c => { const r = document.createRange(); r.selectNodeContents(c);"
            " return [c.textContent, r.getClientRects().length]; })",
        )
        assert heights
        assert [text for text, lines in heights if lines != 1] == []
        # Nor do the subscribe links ("JSON" and "Feed" were on two lines at 1280 px).
        links = desktop.eval_on_selector_all(
            "td a[type]", "links => links.map(a => [a.href, a.getClientRects().length])"
        )
        assert len(links) >= 12
        assert [href for href, lines in links if lines != 1] == []
    else:  # its three feeds (and its calendar when it has events)
        assert desktop.locator("link[rel=alternate]:not([type='text/calendar'])").count() == 3
    desktop.close()


def test_feeds_open_styled_in_the_browser(browser: Browser, demo_site: str) -> None:
    page = browser.new_page()
    response = page.goto(demo_site + "/feeds/all.atom", wait_until="load")
    assert response is not None
    assert response.headers["content-type"].startswith("application/xml")
    # The stylesheet applied: the notice from feed.css is drawn before the feed's title.
    notice = page.evaluate(
        "getComputedStyle(document.documentElement, '::before').getPropertyValue('content')"
    )
    assert "web feed" in notice
    # A Japanese feed says it in Japanese, in Atom and in RSS.
    for name in ("japanese.atom", "japanese.rss"):
        page.goto(demo_site + "/feeds/" + name, wait_until="load")
        notice = page.evaluate(
            "getComputedStyle(document.documentElement, '::before').getPropertyValue('content')"
        )
        assert "ウェブフィード" in notice, name
    page.close()


@pytest.fixture
def digest_site(demo_config: Path, tmp_path: Path) -> Iterator[str]:
    from click.testing import CliRunner

    from tdlc_syndication.pipeline.cli import cli

    # An editor's intro with a line of code wider than a phone (the page and its
    # email scrolled sideways) and a link to the list of issues, relative to the issue.
    intros = tmp_path / "intros"
    intros.mkdir()
    (intros / "2026-W47.md").write_text(
        "All [earlier issues](../index.html) are kept, and the feed of this week is "
        "https://feeds.example.org/cpp/feeds/all.atom?from=2026-W47&to=2026-W48&lang=ja.\n\n"
        "    curl -s https://feeds.example.org/cpp/feeds/all.atom?from=2026-W47&to=2026-W48\n",
        encoding="utf-8",
    )
    with demo_config.open("a", encoding="utf-8") as settings:
        settings.write(
            f'\n[digest]\neditorial_dir = "{intros}"\npreview_dir = "{tmp_path / "drafts"}"\n'
        )
    runner = CliRunner()
    assert runner.invoke(cli, ["--config", str(demo_config), "run", "--once"]).exit_code == 0
    # The newest week of the embedded demo's materials: its draft, then the issue.
    for extra in (["--preview"], []):
        published = runner.invoke(
            cli, ["--config", str(demo_config), "digest", "--week", "2026-W47", *extra]
        )
        assert published.exit_code == 0, published.output
    shutil.copy(tmp_path / "drafts" / "2026-W47" / "email.html", tmp_path / "public")
    public = tmp_path / "public"
    for path in ("digest/2026-W47/index.html", "digest/index.html", "digest/feed.atom"):
        assert (public / path).is_file(), path
    with serving(public, "no-cache") as url:
        yield url


@pytest.mark.parametrize("path", ["/digest/2026-W47/index.html", "/digest/index.html"])
def test_digest_pages_read_well_on_a_phone(browser: Browser, digest_site: str, path: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    offline(page, digest_site)
    response = page.goto(digest_site + path, wait_until="load")
    assert response is not None
    assert response.status == 200
    # Nothing scrolls sideways at 390 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    levels = page.eval_on_selector_all("h1,h2,h3,h4,h5,h6", "els => els.map(e => +e.tagName[1])")
    assert levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert page.locator("main").count() == 1
    assert page.locator("header").count() >= 1
    nameless = page.eval_on_selector_all(
        "a", "els => els.filter(a => !(a.innerText || '').trim()).length"
    )
    assert nameless == 0
    assert page.eval_on_selector_all("script", "els => els.length") == 0
    # Dates stay whole: "published 2026-12-" and "02" were on two lines at 390 px.
    times = page.eval_on_selector_all(
        "time",
        "ts => ts.map(t => { const r = document.createRange(); r.selectNodeContents(t);"
        " return [t.textContent, r.getClientRects().length, getComputedStyle(t).whiteSpace]; })",
    )
    assert [text for text, lines, _ in times if lines != 1] == []
    assert {space for _, _, space in times} <= {"nowrap"}
    if path != "/digest/index.html":  # the week's first and last day, and its publication
        assert page.locator("p.meta").first.locator("time[datetime]").count() == 3
    # Every link leads somewhere that answers (inside the site) or is absolute.
    hrefs = page.eval_on_selector_all("a", "els => els.map(a => a.href)")
    for href in hrefs:
        if href.startswith(digest_site):
            assert page.request.get(href).status == 200, href
        else:
            assert href.startswith(("https://", "http://")), href
    assert errors == []
    page.close()


def test_the_digest_email_fits_a_phone(browser: Browser, digest_site: str) -> None:
    """The HTML part as a mail client shows it (no style sheet but its own inline
    styles): nothing scrolls sideways at 390 px, the intro's code wraps, and its link to
    the list of issues is absolute."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    offline(page, digest_site)
    page.goto(digest_site + "/email.html", wait_until="load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.eval_on_selector("pre", "p => getComputedStyle(p).whiteSpace") == "pre-wrap"
    colours = page.eval_on_selector_all("a", "els => els.map(a => getComputedStyle(a).color)")
    assert set(colours) == {"rgb(11, 92, 173)"}  # the intro's links too, not the client's
    hrefs = page.eval_on_selector_all("a", "els => els.map(a => a.getAttribute('href'))")
    assert "https://feeds.example.org/cpp/digest/index.html" in hrefs
    page.close()


#: What Outlook for Windows (2007 to 2019: Word draws the HTML) does not do, as caniemail.com
#: records it: padding but on table cells, max-width, margin:auto; and what it does that
#: others do not: the markup inside `<!--[if mso]>` comments.
OUTLOOK = """* { max-width: none !important; }
:not(td):not(th) { padding: 0 !important; }
div { margin-left: 0 !important; margin-right: 0 !important; }"""


def test_the_digest_email_keeps_its_column_in_outlook(
    browser: Browser, digest_site: str, tmp_path: Path
) -> None:
    """At 1280 px, read as Outlook for Windows reads it, the email is a column of 640 px
    with its text 16 px inside it, and the intro's text stands clear of its blue rule. It
    was the width of the window, with the text at its left edge and the rule touching the
    intro's words."""
    html = (tmp_path / "public" / "email.html").read_text(encoding="utf-8")
    word = html.replace("<!--[if mso]>", "").replace("<![endif]-->", "")
    (tmp_path / "public" / "outlook.html").write_text(word, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    offline(page, digest_site)
    page.goto(digest_site + "/outlook.html", wait_until="load")
    page.add_style_tag(content=OUTLOOK)
    box = "e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; }"
    left, right = page.eval_on_selector("h1", box)
    assert left >= 16
    assert right - left <= 640 - 2 * 16
    rule = page.eval_on_selector("td[style*='border-left']", box)
    words = page.eval_on_selector("td[style*='border-left'] p", box)
    assert words[0] - rule[0] >= 4 + 16
    # A table cell takes none of the styles around it in Word: the intro's own font.
    assert "Arial" in page.eval_on_selector("td[style*='border-left']", "e => e.style.fontFamily")
    page.close()


PAGES = [
    "/",
    "/feeds/index.html",
    "/topic/compact-cities/index.html",
    "/place/kobe/index.html",
    "/kind/event/index.html",
    "/digest/index.html",
    "/digest/2026-W47/index.html",
    "/place/kyoto/index.html",  # a city whose materials all left: its page, empty
]


def test_every_kind_of_page_passes_axe(browser: Browser, demo_published: Context) -> None:
    """axe-core (WCAG 2.2 A and AA and its best practices: contrast, names, landmarks,
    headings, languages) finds nothing on any kind of page, at 390 and 1280 px."""
    from tdlc_syndication.pipeline.keep import forget_items
    from tdlc_syndication.pipeline.publish import publish

    assert AXE.is_file(), f"{AXE} is missing: run `bash .ci/system-packages`"
    with Store(demo_published.settings.site.database) as store:
        assert publish_week(demo_published, store, "2026-W47").outcome == "published"
        kyoto = [s.item.id for s in store.items() if "kyoto" in s.item.places]
        forget_items(store, item_ids=kyoto)
        publish(demo_published, store)
    empty = demo_published.settings.site.output_dir / "place/kyoto/index.html"
    assert "No materials at the moment" in empty.read_text("utf-8")
    found: dict[str, object] = {}
    with serving(demo_published.settings.site.output_dir, "no-cache") as site:
        for path, width in itertools.product(PAGES, (390, 1280)):
            page = browser.new_page(viewport={"width": width, "height": 900})
            offline(page, site)
            response = page.goto(site + path, wait_until="load")
            assert response is not None
            assert response.status == 200, path
            violations = axe_violations(page)
            if violations:
                found[f"{path} at {width} px"] = violations
            page.close()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
