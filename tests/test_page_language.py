"""The language pages declare: their own words (headings, links, labels) are English, so a
site in another language declares English and marks its title and description as written
in its language; an English site's pages are as they were."""

from __future__ import annotations

from pathlib import Path

from lxml import html
from tests_support import invoke

TITLE = "横浜市 国際協力の資料"
DESCRIPTION = "都市間連携の知見をまとめたフィードです。"


def japanese_site(demo_config: Path) -> Path:
    """The demo as a Japanese site: its language, title and description."""
    text = demo_config.read_text("utf-8")
    site, rest = text.split("\n[[sources]]", 1)
    lines = [
        'language = "ja"' if line.startswith("language = ")
        else f'title = "{TITLE}"' if line.startswith("title = ")
        else f'description = "{DESCRIPTION}"' if line.startswith("description = ")
        else line
        for line in site.splitlines()
    ]  # fmt: skip
    demo_config.write_text("\n".join(lines) + "\n\n[[sources]]" + rest, encoding="utf-8")
    return demo_config


def test_a_japanese_site_declares_the_language_of_its_words(demo_config: Path) -> None:
    config = japanese_site(demo_config)
    assert invoke(config, "run", "--once")[0] == 0
    assert invoke(config, "digest", "--week", "2026-W47", "--preview")[0] == 0
    public = config.parent / "public"
    for path in ("index.html", "feeds/index.html", "place/kobe/index.html", "search/index.html"):
        page = html.fromstring((public / path).read_bytes())
        assert page.get("lang") == "en", path  # "Latest materials", "Subscribe", ...
        header = page.cssselect("header.site .top p a")[0]
        assert (header.text, header.get("lang")) == (TITLE, "ja"), path
        footer = page.cssselect("footer p span")[0]
        assert (footer.text, footer.get("lang")) == (TITLE, "ja"), path
    front = html.fromstring((public / "index.html").read_bytes())
    assert [(e.text, e.get("lang")) for e in front.cssselect("header h1, header h1 + p")] == [
        (TITLE, "ja"),
        (DESCRIPTION, "ja"),
    ]
    # Items say their own language, as before: a Japanese item in Japanese.
    assert front.cssselect("h3[lang=ja]")
    email = html.fromstring((config.parent / "digest-preview/2026-W47/email.html").read_bytes())
    assert email.get("lang") == "en"
    assert [e.get("lang") for e in email.xpath("//*[text()=$t]", t=TITLE)] == ["ja", "ja"]


def test_an_english_site_names_its_own_language(demo_config: Path) -> None:
    assert invoke(demo_config, "run", "--once")[0] == 0
    text = demo_config.read_text("utf-8").replace('language = "en"', 'language = "en-GB"', 1)
    demo_config.write_text(text, encoding="utf-8")
    assert invoke(demo_config, "publish")[0] == 0
    page = (demo_config.parent / "public" / "index.html").read_text("utf-8")
    assert '<html lang="en-GB">' in page
    assert " lang=" not in page.split("<main")[0].split("</head>")[1]  # nothing else marked
