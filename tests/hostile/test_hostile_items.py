"""One item must never freeze a feed, write outside the output folder, or overwrite a good
stored item with a worse reading."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from lxml import etree
from pytest_httpserver import HTTPServer
from tests_support import NOW, draft, source_toml
from werkzeug import Response

from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.pipeline.model import Item, StoredItem
from tdlc_syndication.pipeline.normalise import Rules, normalise
from tdlc_syndication.pipeline.store import Store

if TYPE_CHECKING:
    from tdlc_syndication.sources.page import PageInfo

ATOM = "{http://www.w3.org/2005/Atom}"


def rss(*items: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Hostile</title>'
        "<link>https://hostile.example.org/</link><description>d</description>"
        + "".join(items)
        + "</channel></rss>"
    )


def item(n: int, extra: str = "", title: str | None = None, day: int = 1) -> str:
    return (
        f"<item><title>{title or f'Ordinary item {n}'}</title>"
        f"<link>https://hostile.example.org/{n}</link><guid>h{n}</guid>"
        f"<pubDate>Mon, {day:02d} Nov 2026 {n % 24:02d}:00:00 +0000</pubDate>{extra}</item>"
    )


def publish(
    tmp_path: Path, write_config: Callable[..., Path], text: str, site: str = ""
) -> tuple[int, str]:
    feed = tmp_path / "hostile.xml"
    feed.write_text(text, encoding="utf-8")
    config = write_config(
        f'[[sources]]\nid = "hostile"\nkind = "feed"\npath = "{feed}"\n', extra=site
    )
    result = CliRunner().invoke(cli, ["--config", str(config), "run", "--once"])
    return result.exit_code, result.stdout + result.stderr


def _titles_after_a_run(config: Path, source: str) -> list[str]:
    """``run --once`` with these settings (it must succeed), then the source's titles."""
    result = CliRunner().invoke(cli, ["--config", str(config), "run", "--once"])
    assert result.exit_code == 0, result.output
    with Store(config.parent / "store.db") as store:
        return [s.item.title for s in store.items(source)]


def _publish_after_storing(tmp_path: Path, edit: Callable[[Item], Item]) -> tuple[StoredItem, str]:
    """Store the source's first item changed by ``edit`` (as an earlier version, or a bug,
    might have stored it), then publish everything again; the item before the change and
    what the publish printed."""
    with Store(tmp_path / "store.db") as store, store.transaction():
        stored = store.items("hostile")[0]
        store.put_item(replace(stored, item=edit(stored.item), content_hash="edited"))
        store.set_publish_value("settings", "changed")  # index and render everything again
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "syndicate.toml"), "publish"])
    assert result.exit_code == 0, result.output
    return stored, result.output


def entries(tmp_path: Path, name: str = "all.atom") -> list[etree._Element]:
    tree = etree.parse(str(tmp_path / "public" / "feeds" / name))
    found: list[etree._Element] = tree.getroot().findall(f"{ATOM}entry")
    return found


def test_huge_fields_are_trimmed_and_the_feed_still_publishes(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    huge_title = "Flood " * 2_000_000  # 12 MB
    article = "<p>" + "Compact city planning in Toyama. " * 100_000 + "</p>"  # 3.3 MB
    code, out = publish(
        tmp_path,
        write_config,
        rss(
            item(1, title=huge_title),
            item(2, f"<content:encoded><![CDATA[{article}]]></content:encoded>"),
            item(3, "<category>" + "x" * 5000 + "</category>" * 1),
            *(item(n) for n in range(4, 10)),
        ),
    )
    assert code == 0, out
    found = entries(tmp_path)
    assert len(found) == 9  # every item is in the feed
    titles = [e.findtext(f"{ATOM}title") or "" for e in found]
    assert max(len(t) for t in titles) <= 500
    assert (tmp_path / "public" / "feeds" / "all.atom").stat().st_size < 2_000_000
    with Store(tmp_path / "store.db") as store:
        (run,) = store.runs("hostile")
    assert run.notes["title-trimmed"] == 1
    assert run.notes["content-trimmed"] == 1
    assert run.notes["field-trimmed"] >= 1


def test_a_feed_over_the_size_limit_leaves_out_content_not_entries(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    body = "<p>" + "Disaster risk drills with partner cities. " * 2_000 + "</p>"  # 86 KB
    code, out = publish(
        tmp_path,
        write_config,
        rss(
            *(
                item(n, f"<content:encoded><![CDATA[{body}]]></content:encoded>")
                for n in range(1, 31)
            )
        ),
        site="",
    )
    assert code == 0, out
    feed = tmp_path / "public" / "feeds" / "all.atom"
    assert feed.stat().st_size <= 2_000_000
    found = entries(tmp_path)
    assert len(found) == 30
    with_content = [e for e in found if e.find(f"{ATOM}content") is not None]
    assert 0 < len(with_content) < 30  # the rest keep their summary
    assert all(e.findtext(f"{ATOM}summary") for e in found)


def test_unsafe_urls_never_reach_a_feed(tmp_path: Path, write_config: Callable[..., Path]) -> None:
    code, out = publish(
        tmp_path,
        write_config,
        rss(
            item(1, '<enclosure url="javascript:alert(1)" length="10" type="audio/mpeg"/>'),
            item(2, '<media:thumbnail url="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"/>'),
            item(3, '<enclosure url="vbscript:msgbox" length="10" type="audio/mpeg"/>'),
            item(4),
        ),
    )
    assert code == 0, out
    published = tmp_path / "public"
    for path in published.rglob("*"):
        if path.is_file() and path.suffix in (".atom", ".rss", ".json", ".html"):
            text = path.read_text("utf-8").lower()
            for scheme in ("javascript:", "vbscript:", "data:image"):
                assert scheme not in text, (path, scheme)
    assert len(entries(tmp_path)) == 4


def test_a_language_from_a_source_never_becomes_a_path(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    text = rss(item(1), item(2)).replace("<channel>", "<channel><language>../../x</language>", 1)
    code, out = publish(tmp_path, write_config, text)
    assert code == 0, out
    assert not (tmp_path / "x").exists()
    languages = {p.name for p in (tmp_path / "public" / "feeds" / "language").iterdir()}
    assert languages == {"en.atom", "en.json", "en.rss"}
    text = rss(item(3)).replace("<channel>", "<channel><language>en/sub/dir</language>", 1)
    code, out = publish(tmp_path, write_config, text)
    assert code == 0, out
    assert not (tmp_path / "public" / "feeds" / "language" / "en").exists()


def test_what_no_validator_takes_never_reaches_a_feed_or_a_page(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """Japanese municipal feeds often declare the language ``jp`` (a country code), some
    CMSs an enclosure of type ``video``, blogs embed videos in iframes: the W3C feed
    validator takes only ISO 639 languages and MIME types (the Nu checker only registered
    language subtags) and warns of iframes. Such a language is dropped (the title's script
    decides), such a type left out, an embed made a link, and an item stored with them by
    an earlier version is published without them."""
    video = '<enclosure url="https://hostile.example.org/v.mp4" type="video" length="9"/>'
    video += f"<content:encoded><![CDATA[<p>{_EMBED}</p>]]></content:encoded>"
    text = rss(item(1, video), item(2, title="防災訓練のお知らせ"))
    code, out = publish(tmp_path, write_config, text.replace("<channel>", _JP, 1))
    assert code == 0, out
    public = tmp_path / "public"
    assert {p.stem for p in (public / "feeds" / "language").iterdir()} == {"en", "ja"}
    assert _languages(public) == {"en", "ja"}
    assert _types(public) == {"application/octet-stream"}
    assert not _framed(public)
    config = str(tmp_path / "syndicate.toml")
    for field, value, where in [
        ("$.media[0].mime", "video", "json_array_length(data, '$.media') > 0"),
        ("$.content_html", _EMBED, "1"),
        ("$.language", "jp", "1"),
    ]:
        with Store(tmp_path / "store.db") as store, store.transaction():
            sql = f"UPDATE items SET data = json_set(data, '{field}', '{value}') WHERE {where}"
            store.db.execute(sql)
        shutil.rmtree(public)  # every file rendered again from the store as it is now
        result = CliRunner().invoke(cli, ["--config", config, "publish"])
        assert result.exit_code == 0, result.output
        assert _types(public) == {"application/octet-stream"}
        assert not _framed(public)
        assert CliRunner().invoke(cli, ["--config", config, "lint"]).exit_code == 0
    assert _languages(public) == {"en"}


_JP = "<channel><language>jp</language>"
_EMBED = '<iframe src="https://www.youtube.com/embed/M7lc1UVf-VE" title="LRT"></iframe>'


def _framed(public: Path) -> list[str]:
    """The published feeds whose content holds an iframe (the validator's SecurityRisk)."""
    feeds = [*public.rglob("*.atom"), *public.rglob("*.rss"), *public.rglob("*.json")]
    return [f.name for f in feeds if "iframe" in f.read_text(encoding="utf-8")]


def _languages(public: Path) -> set[str]:
    """Every language the published pages and JSON feeds name."""
    found: set[str] = set()
    for page in public.rglob("*.html"):
        found.update(re.findall(r' lang="([^"]*)"', page.read_text(encoding="utf-8")))
    for feed in public.rglob("*.json"):
        data = json.loads(feed.read_text(encoding="utf-8"))
        found.update(i["language"] for i in data.get("items", []) if "language" in i)
    return found


def _types(public: Path) -> set[str]:
    """The types of every enclosure of the main RSS and Atom feeds."""
    rss_feed = etree.parse(str(public / "feeds" / "all.rss"))
    found = {e.get("type") or "" for e in rss_feed.iter("enclosure")}
    links = etree.parse(str(public / "feeds" / "all.atom")).iter(f"{ATOM}link")
    return found | {link.get("type") or "" for link in links if link.get("rel") == "enclosure"}


def test_bidi_controls_are_removed_from_titles(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    code, out = publish(
        tmp_path, write_config, rss(item(1, title="Invoice \u202egpj.exe\u202c for Kobe"))
    )
    assert code == 0, out
    (entry,) = entries(tmp_path)
    assert entry.findtext(f"{ATOM}title") == "Invoice gpj.exe for Kobe"


def test_an_emoji_escaped_as_two_surrogates_does_not_fail_the_source(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """Systems that escape UTF-16 code units write an emoji as ``&#xD83D;&#xDE00;``, which
    XML does not allow: feedparser failed on the whole document ("surrogates not
    allowed"), so one title lost every item of the source."""
    text = rss(item(1, title="Festival &#xD83C;&#xDF89; in Kobe"), item(2, title="Half &#xD800;."))
    code, out = publish(tmp_path, write_config, text)
    assert code == 0, out
    titles = sorted(e.findtext(f"{ATOM}title") or "" for e in entries(tmp_path))
    assert titles == ["Festival \U0001f389 in Kobe", "Half ."]


def test_half_a_surrogate_pair_escaped_in_json_or_yaml_does_not_fail_the_source(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """``"\\ud800"`` alone is valid JSON and YAML but no UTF-8 text: an item holding one in
    its id or link failed its whole source as a fault of this program when it was stored."""
    half = "\\ud800"
    items = [
        {"id": f"a{half}b", "title": "Half in the id", "url": "https://hostile.example.org/1"},
        {"id": "2", "title": "Half in the link", "url": f"https://hostile.example.org/2{half}"},
        {"id": "3", "title": "Whole \\ud83c\\udf89", "url": "https://hostile.example.org/3"},
    ]
    for entry in items:
        entry["date_published"] = "2026-11-01T09:00:00Z"
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Hostile", "items": items}
    code, out = publish(tmp_path, write_config, json.dumps(feed).replace("\\\\u", "\\u"))
    assert code == 0, out
    titles = sorted(e.findtext(f"{ATOM}title") or "" for e in entries(tmp_path))
    assert titles == ["Half in the id", "Half in the link", "Whole \U0001f389"]
    notes = tmp_path / "notes.yaml"
    notes.write_text(
        f'- id: "n{half}1"\n  title: "A note{half}"\n  url: https://hostile.example.org/n1\n'
        '  published: "2026-11-02"\n  kind: knowledge_note\n',
        encoding="utf-8",
    )
    config = write_config(f'[[sources]]\nid = "notes"\nkind = "catalog"\npath = "{notes}"\n')
    assert _titles_after_a_run(config, "notes") == ["A note"]


def test_an_event_on_a_placeholder_date_never_stops_a_publish(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """A calendar that dates an event 9999-12-31 (a placeholder) stopped every publish with
    a traceback (the day after it is no date), until the item was forgotten by hand. The
    event is left out now, and one an earlier version stored is published without it."""
    events = [("far", "99991231", "Someday"), ("soon", "20261210", "Flood drill")]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//hostile//EN"]
    for uid, day, title in events:
        lines += ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261120T000000Z"]
        lines += [f"DTSTART;VALUE=DATE:{day}", f"SUMMARY:{title}"]
        lines += [f"URL:https://events.example.org/{uid}", "END:VEVENT"]
    calendar = tmp_path / "events.ics"
    calendar.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")
    config = write_config(f'[[sources]]\nid = "ev"\nkind = "ical"\npath = "{calendar}"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "absurd-date: 1" in result.output
    with Store(tmp_path / "store.db") as store, store.transaction():
        store.db.execute(
            "UPDATE items SET data = json_set(data, '$.event', json(?)) WHERE id LIKE '%soon'",
            ('{"start": "9999-12-31T00:00:00+00:00", "all_day": true}',),
        )
        store.set_publish_value("settings", "changed")  # index and render everything again
    result = CliRunner().invoke(cli, ["--config", str(config), "publish"])
    assert result.exit_code == 0, result.output
    calendar_out = (tmp_path / "public" / "events.ics").read_text(encoding="utf-8")
    assert "9999" not in calendar_out


def test_numbers_int_cannot_read_do_not_fail_the_source(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """A <ttl> of 5,000 digits (int() refuses over 4,300) and an enclosure length of "²"
    (a digit to str.isdigit(), no number to int()) each failed the source as a fault of
    this program; they are no hint and no length now."""
    odd = '<enclosure url="https://hostile.example.org/a.pdf" type="application/pdf" length="²"/>'
    text = rss(item(1, odd), item(2)).replace("<channel>", f"<channel><ttl>{'9' * 5000}</ttl>", 1)
    code, out = publish(tmp_path, write_config, text)
    assert code == 0, out
    assert len(entries(tmp_path)) == 2


def test_bytes_no_decoder_could_read_are_not_published(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """A byte that is no UTF-8 reads as U+FFFD, which the feed validator warns of in every
    feed holding it (BadCharacters): in a title, and in an author's name or a category
    (they were published with it). The store keeps it (a later, better reading replaces
    such a version); the feeds and pages leave it out."""
    named = "<author>desk@hostile.example.org (広報課)</author><category>防災</category>"
    data = rss(item(1, named, title="防災訓練のお知らせ")).encode("utf-8")
    for word in ("訓練", "広報", "防災<"):  # the title, the author's name, the category
        cut = data.index(word.encode())
        data = data[:cut] + b"\xff" + data[cut + 1 :]
    (tmp_path / "hostile.xml").write_bytes(data)
    feed = tmp_path / "hostile.xml"
    config = write_config(f'[[sources]]\nid = "hostile"\nkind = "feed"\npath = "{feed}"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "run", "--once"])
    assert result.exit_code == 0, result.output
    with Store(tmp_path / "store.db") as store:
        (stored,) = store.items("hostile")
    assert "\ufffd" in stored.item.title
    assert "\ufffd" in stored.item.authors[0]
    assert "\ufffd" in stored.item.categories[0]
    public = tmp_path / "public"
    published = [*public.rglob("*.atom"), *public.rglob("*.rss"), *public.rglob("*.html")]
    assert not [p.name for p in published if "\ufffd" in p.read_text(encoding="utf-8")]
    (entry,) = entries(tmp_path)
    assert entry.findtext(f"{ATOM}title") == stored.item.title.replace("\ufffd", "")


def test_an_emoji_escaped_as_two_surrogates_in_a_page_is_the_emoji(
    server: HTTPServer, write_config: Callable[..., Path]
) -> None:
    """An HTML parser reads each half of ``&#xD83D;&#xDE00;`` as U+FFFD (the HTML
    standard): a title lost its emoji and the feeds held two replacement characters."""
    server.expect_request("/list").respond_with_data(
        '<ul class="news"><li><a href="https://hostile.example.org/1">Festival '
        "&#xD83C;&#xDF89; in Kobe</a></li></ul>",
        content_type="text/html; charset=utf-8",
    )
    config = write_config(
        source_toml("html", f'url = "{server.url_for("/list")}"\nitem_selector = "ul.news li"')
    )
    assert _titles_after_a_run(config, "src") == ["Festival \U0001f389 in Kobe"]


def test_one_bad_byte_does_not_turn_a_japanese_feed_into_mojibake(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    good = rss(item(1, title="富山市の公共交通とまちづくり"), item(2, title="防災訓練のお知らせ"))
    feed = tmp_path / "hostile.xml"
    code, out = publish(tmp_path, write_config, good)
    assert code == 0, out
    # The same document with one byte broken inside the second title.
    data = good.encode("utf-8")
    cut = data.index("防災".encode()) + 1
    feed.write_bytes(data[:cut] + b"\xff" + data[cut + 1 :])
    result = CliRunner().invoke(
        cli, ["--config", str(tmp_path / "syndicate.toml"), "run", "--once"]
    )
    assert result.exit_code == 0, result.output
    with Store(tmp_path / "store.db") as store:
        titles = sorted(s.item.title for s in store.items("hostile"))
    # The first title is read right; the second keeps its good stored version.
    assert titles == sorted(["富山市の公共交通とまちづくり", "防災訓練のお知らせ"])


def test_an_entry_that_fails_lint_is_left_out_not_the_feed(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    code, out = publish(tmp_path, write_config, rss(*(item(n) for n in range(1, 6))))
    assert code == 0, out
    # An item that normalisation would never let through, put in the store directly.
    bad, output = _publish_after_storing(tmp_path, lambda item: replace(item, title=""))
    assert "has no title (the entry was left out)" in output
    found = entries(tmp_path)
    assert len(found) == 4
    assert bad.item.url not in [e.find(f"{ATOM}link").get("href") for e in found]


def test_a_link_on_a_host_browsers_refuse_is_never_published(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """``http://``, an empty label, a number that is no IPv4 address, a port past 65535:
    the feed validator took such links, browsers and the Nu checker refuse them, and
    ``lint`` left the entry out of every feed (the pages kept it). An item with such a
    link is no item; a file on such a host is dropped; one stored so by an earlier
    version is not published."""
    pdf = '<enclosure url="http://x.123/a.pdf" type="application/pdf" length="9"/>'
    links = ["http://", "http://a..b/1", "http://999.1.1.1/1", "http://x.org:99999/"]
    broken = [
        item(n).replace(f"https://hostile.example.org/{n}", link) for n, link in enumerate(links)
    ]
    code, out = publish(tmp_path, write_config, rss(*broken, item(7, pdf), item(8)))
    assert code == 0, out
    assert "no-link: 4, url-dropped: 1" in out
    assert "lint" not in out
    found = entries(tmp_path)
    assert [e.find(f"{ATOM}link").get("href") for e in found] == [
        "https://hostile.example.org/8",
        "https://hostile.example.org/7",
    ]
    assert all(e.find(f"{ATOM}link[@rel='enclosure']") is None for e in found)
    _, output = _publish_after_storing(tmp_path, lambda item: replace(item, url="http://a..b/7"))
    assert "lint" not in output
    public = tmp_path / "public"
    pages = [*public.rglob("*.atom"), *public.rglob("*.rss"), *public.rglob("*.html")]
    assert not [p.name for p in pages if "a..b" in p.read_text(encoding="utf-8")]
    assert len(entries(tmp_path)) == 1


def test_text_from_an_origin_is_printed_as_it_is_never_as_console_markup(
    server: HTTPServer, write_config: Callable[..., Path]
) -> None:
    # Rich reads "[bold]" as a style and "[/x]" (closing nothing) as an error that would end
    # the command with a traceback after the run; an origin chooses its reason phrases and
    # titles.
    server.expect_request("/down").respond_with_response(
        Response("no", status="500 Down [/x] [bold]now[/bold]")
    )
    server.expect_request("/feed").respond_with_data(
        rss(item(1, title="[/b] and [red]red[/red]")), content_type="application/rss+xml"
    )
    config = write_config(
        source_toml("feed", f'url = "{server.url_for("/down")}"', "down")
        + source_toml("feed", f'url = "{server.url_for("/feed")}"', "fine")
    )
    result = CliRunner().invoke(cli, ["--config", str(config), "fetch"])
    assert result.exit_code == 1, result.output  # one source failed; no crash
    assert "Down [/x] [bold]now[/bold]" in result.output  # the failure line, as sent
    assert "[/x]" in result.stdout  # and the summary table
    result = CliRunner().invoke(cli, ["--config", str(config), "try", "fine"])
    assert result.exit_code == 0, result.output
    assert "[/b]" in result.stdout  # the title (wrapped in its column)
    assert "[red]red[/red]" in result.stdout


def _filtered_run(
    tmp_path: Path, write_config: Callable[..., Path], term: str, title: str
) -> tuple[int, str]:
    """A hostile feed behind a filter with ``term``, beside a plain one; run once."""
    hostile = tmp_path / "hostile.xml"
    hostile.write_text(rss(item(1, title=title), item(2, title="Kobe seawall")), encoding="utf-8")
    plain = tmp_path / "plain.xml"
    plain.write_text(rss(item(3, title="Toyama light rail")), encoding="utf-8")
    config = write_config(
        f'[[sources]]\nid = "hostile"\nkind = "feed"\npath = "{hostile}"\n'
        f'[sources.filter]\nexclude = [{json.dumps(term)}]\nfields = ["title"]\n'
        f'[[sources]]\nid = "plain"\nkind = "feed"\npath = "{plain}"\n'
    )
    result = CliRunner().invoke(cli, ["--config", str(config), "run", "--once"])
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.timeout(60, method="thread")  # re hangs in C: no signal gets in
def test_a_filter_pattern_that_backtracks_cannot_hold_a_run(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """Python's ``re`` takes hours on ``(\\w+\\s?)+$`` and a sixty-letter title that ends
    in a stop, and holds the process (the service) all that time. The filter's engine
    answers at once."""
    title = "word " * 8 + "wordwordwordwordword."
    code, out = _filtered_run(tmp_path, write_config, r"re:^(\w+\s?)+$", title)
    assert code == 0, out
    titles = [e.findtext(f"{ATOM}title") for e in entries(tmp_path)]
    # "Kobe seawall" is words only: left out; the title with a stop is kept.
    assert sorted(titles) == ["Toyama light rail", title]


@pytest.mark.timeout(60, method="thread")  # re hangs in C: no signal gets in
def test_a_filter_pattern_that_runs_out_of_time_fails_its_source_only(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """A pattern the engine cannot answer quickly either is stopped after a quarter of a
    second: its source fails with the term named, the other source publishes."""
    code, out = _filtered_run(tmp_path, write_config, "re:(a|aa)+$", "a" * 60 + "!")
    assert code == 1
    assert "the filter term 're:(a|aa)+$' took more than 0.25 s on one item" in out
    assert [e.findtext(f"{ATOM}title") for e in entries(tmp_path)] == ["Toyama light rail"]
    with Store(tmp_path / "store.db") as store:
        assert store.state("hostile").status == "failing"


def test_an_origins_ids_are_stored_printable_and_short(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """Ids went into the store as the origin sent them. `items` printed an escape sequence
    in one to the terminal, and ids of 200,000 characters pushed the other sources'
    entries out of every feed (its size limit): one source could empty the feeds."""
    escape = "guid\x1b]0;pwned\x07\u202e"
    items = [{"id": escape, "url": "https://hostile.example.org/e", "title": "Escape"}]
    items += [
        {
            "id": f"{n}" + "x" * 200_000,
            "url": f"https://hostile.example.org/long/{n}",
            "title": f"L{n}",
        }
        for n in range(12)
    ]
    for entry in items:
        entry["date_published"] = "2026-11-20T10:00:00Z"
    hostile = tmp_path / "hostile.json"
    hostile.write_text(
        json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "H", "items": items}),
        encoding="utf-8",
    )
    plain = tmp_path / "plain.xml"
    plain.write_text(rss(item(3, title="Toyama light rail", day=2)), encoding="utf-8")
    config = write_config(
        f'[[sources]]\nid = "hostile"\nkind = "feed"\npath = "{hostile}"\n'
        f'[[sources]]\nid = "plain"\nkind = "feed"\npath = "{plain}"\n'
    )
    result = CliRunner().invoke(cli, ["--config", str(config), "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "long-id: 12" in result.output
    titles = [e.findtext(f"{ATOM}title") for e in entries(tmp_path)]
    assert len(titles) == 14
    assert "Toyama light rail" in titles
    assert (tmp_path / "public" / "feeds" / "all.atom").stat().st_size < 100_000
    ids = CliRunner().invoke(cli, ["--config", str(config), "items", "--ids"]).output.split()
    assert "hostile:guid%1B]0;pwned%07%E2%80%AE" in ids
    assert all(len(i) < 40 for i in ids if i.startswith("hostile:h"))
    assert not any(ch in "".join(ids) for ch in "\x1b\x07\u202e")


def test_an_id_with_a_character_cut_off_is_published(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """A guid holding an escaped character cut short (``%E3%81``: two of its three
    octets) had no id in canonical form, and lint left its entry out of every feed."""
    cut = item(1).replace("<guid>h1</guid>", "<guid>https://hostile.example.org/%E3%81%6</guid>")
    code, out = publish(tmp_path, write_config, rss(cut, item(2)))
    assert code == 0, out
    assert "lint" not in out
    ids = [e.findtext(f"{ATOM}id") for e in entries(tmp_path)]
    assert ids[1] == "tag:feeds.example.org,2026:hostile:https://hostile.example.org/%EF%BF%BD%256"


@pytest.mark.timeout(10, method="thread")
def test_names_repeated_in_every_field_are_classified_at_once() -> None:
    """Overlapping Japanese names are settled occurrence by occurrence ("東京都": Tokyo,
    not Kyoto). An item that repeats them in every field to the caps (a 500-character
    title, fifty categories of 200) took three seconds to classify, each occurrence
    looked at against every one kept before it: a feed of such items held its worker for
    minutes. Each occurrence is now checked against the few terms found, not the
    occurrences."""
    from tests_support import draft

    from tdlc_syndication.config.loader import DEMO_CONFIG, load_settings
    from tdlc_syndication.pipeline.classify import Classifier

    classifier = Classifier(load_settings(DEMO_CONFIG).taxonomy)
    item = draft(
        title=("東京都" * 200)[:500],
        summary="京都府と東京都" * 40,
        categories=tuple(("東京都京都" * 50)[:200] for _ in range(50)),
        kind="x",
    )
    for _ in range(20):
        tagged, _ = classifier.classify(item)
    assert tagged.places == ("kyoto", "tokyo")  # 京都府 stands on its own in the summary


@pytest.mark.timeout(60)
def test_a_long_flat_list_finds_its_date_heading_in_linear_time() -> None:
    """Each block's group heading is the nearest element before it that is not one of its
    group: in a list of 20,000 notices under one date heading, looking back from each
    block over those before it would take minutes (200 million steps); what each element
    found is kept, so the page reads in seconds, both ways."""
    from tdlc_syndication.config.sources import HtmlSourceConfig
    from tdlc_syndication.sources.listpage import picked_fast, picked_soup

    url = "https://www.city.example.jp/shinchaku/"
    config = HtmlSourceConfig.model_validate(
        {"id": "s", "kind": "html", "url": url, "item_selector": "li", "max_items": 20_000}
    )
    notices = "".join(f'<li><a href="/n/{n}.html">お知らせ {n}</a></li>' for n in range(20_000))
    page = f"<html><body><h2>2026年11月26日（木）</h2><ul>{notices}</ul></body></html>"
    fast = picked_fast(page, config, url)
    assert fast is not None
    assert fast == picked_soup(page, config, url)
    assert len(fast) == 20_000
    assert fast[-1].date_text.startswith("2026年11月26日（木） ")


@pytest.mark.timeout(60)
def test_a_pager_after_thousands_of_buttons_that_lead_nowhere_is_read_in_time() -> None:
    """A slideshow's arrows by the ten thousand (``href="#"``), each beside a numbered
    link, before the pager: each arrow counting the numbers around it took ten seconds
    for 2,000 of them, hours for these; they are counted once."""
    from tdlc_syndication.sources.listpage import NEXT_MARKED, next_page
    from tdlc_syndication.sources.page import soup_of

    buttons = '<a href="#">›</a><a href="#">1</a>' * 20_000
    pager = '<p><a href="1.html">1</a> <a href="2.html">2</a> <a href="2.html">›</a></p>'
    soup = soup_of(f"<html><body><div>{buttons}</div>{pager}</body></html>")
    assert next_page(soup, NEXT_MARKED, "https://x.example.org/list/1.html") == (
        "https://x.example.org/list/2.html"
    )


@pytest.mark.timeout(60)
def test_a_doctype_or_an_end_after_thousands_of_comments_is_found_in_linear_time() -> None:
    """The fast reading of list pages passes a page with a doctype inside it, or with
    elements after ``</html>``, to BeautifulSoup, and tells a doctype at the page's start
    by what goes before it (blanks, comments, an XML declaration). A regular expression
    of those took minutes on a thousand comments before a word, and a look from each
    ``</html>`` at the rest of the page was quadratic: one look at each part now."""
    from tdlc_syndication.config.sources import HtmlSourceConfig
    from tdlc_syndication.sources.listpage import picked_fast, picked_soup

    url = "https://www.city.example.jp/shinchaku/"
    config = HtmlSourceConfig.model_validate(
        {"id": "s", "kind": "html", "url": url, "item_selector": "ul.news li"}
    )
    news = '<ul class="news"><li><a href="/n/1.html">防災訓練</a></li></ul>'
    page = "<!-- c -->" * 20_000 + f"x<!DOCTYPE html><html><body>{news}</body></html>"
    assert picked_fast(page, config, url) is None  # a doctype inside the page
    assert [p.title for p in picked_soup(page, config, url)] == ["防災訓練"]
    clean = "<!-- c -->" * 20_000 + f"<!DOCTYPE html><html><body>{news}</body></html>"
    fast = picked_fast(clean, config, url)  # only comments before it: the page's own
    assert fast is not None
    assert [p.title for p in fast] == ["防災訓練"]
    # A look from each </html> at what follows it: quadratic (35 s for 16,000).
    closed = f"<html><body>{news}" + "</html><!-- x -->" * 20_000
    fast = picked_fast(closed, config, url)
    assert fast is not None
    assert [p.title for p in fast] == ["防災訓練"]


def test_thousands_of_unclosed_tags_in_a_block_are_read() -> None:
    """Old pages leave their ``<font>`` or ``<b>`` tags unclosed by the thousand, and
    BeautifulSoup nests each in the one before: a block's text read element by element,
    as the list readers run an emphasis on into its words, must not go deeper than
    Python's stack (a RecursionError failed the source at every run)."""
    from tdlc_syndication.config.sources import HtmlSourceConfig
    from tdlc_syndication.sources.listpage import picked_soup

    url = "https://www.city.example.jp/shinchaku/"
    config = HtmlSourceConfig.model_validate(
        {"id": "s", "kind": "html", "url": url, "item_selector": "li:has(a)"}
    )
    unclosed = '<b><font color="red">重要' * 3000
    page = f'<html><body><ul><li><a href="/n/1.html">防災{unclosed}</a></li></ul></body></html>'
    [block] = picked_soup(page, config, url)
    assert block.link == "https://www.city.example.jp/n/1.html"
    assert block.title.startswith("防災")


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "markup",
    [
        'emoji <img "', 'srcset <img ', 'data- <img ', '<video "', '<video>', '<b "hidden ',
        "<script>x", "<style>x<p>y</p>", '<p hidden>x', "<div ", '<span hidden><span "',
        '<a class="wp-block-file__button" ', '<figcaption>x', '<sup><a href="#fn1">1',
        '<a href="#footnote-1">1', '<a><sup>1</sup>', '<div><div> ', '<a name="x">',
        '<a href="https://www.addtoany.com/add_to/x?a">', '<p>Share:</p>',
        '<td><a href="https://x.org/unsubscribe">u</a>', '配信停止は<a href="x">',
        '<td>this email <a href="https://x.list-manage.com/unsubscribe">u</a><div>',
        '<a href="x">View this email in your browser</a><div>', '</h2><p>unsubscribe <a href="',
        '<table><tbody><tr><td></td></tr>', '<a href="x"></a>', "<title>x", "<h2>x</h2>",
        "<h3>", '<blockquote class="instagram-media" data-instgrm-permalink="x"><a href="y">z',
        "<form><input>", "<form><input></form>", "<FORM>x", '<form><textarea>x</textarea>',
        "<p>&nbsp;<br>", "<div><p>&nbsp;</p>", "<br> ", " <br>", "<p> \n ", "<li><br>x",
        '<a href="x">&nbsp; ', '<a href="x"> </a>', '<figure embedded-service="note">',
        '<figure embedded-service="note" data-src="x"><a href="y"><strong>z',
        '<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@a/video/1"><a>♬ x',
    ],
)  # fmt: skip
def test_tags_never_closed_by_the_ten_thousand_are_read_in_one_pass(markup: str) -> None:
    """An item whose summary and content hold 50,000 tags or quotes never closed: each
    pattern that looked for a tag's end, or an element's end tag, read to the end of the
    text from every start it tried (a billion steps: the item held its source's run for
    minutes). Each stretch is read once now (``pipeline.elements``)."""
    text = markup * 50_000
    item = normalise(draft(title="Tags", summary=text, content_html=text), Rules(), NOW)
    assert item.title == "Tags"
    assert len(item.summary) <= Rules().summary_length + 1


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "markup",
    [
        '<br "', "<br>\n", '<a "', '<hr "',
        '<p class="button-wrapper"><a href="https://x.substack.com/subscribe">',
        '<div class="subscription-widget-wrap"><p>Subscribe',
        '<span class="field field--name-uid"><span>', '<span class="field field--name-title"',
        '<span class="field field--name-created"><time datetime="', '<ul class="links inline">',
        '<div class="field field-type-taxonomy-term-reference"><a href="x">',
        "Send in a voice message: https://anchor.fm/x/message ", "<p>--- </p> ",
        "Support this podcast: https://anchor.fm/ ", '<div class="feedflare"><a href="/~ff/x">',
        '<img src="http://x/~r/a/~4/', '<p><a href="http://x/~a/y?a=1"><img src="z">',
        '<div class="yarpp-related-rss"><div>', '<div class="captioned-button-wrap"><a href="',
        '<div class="kg-signup-card">', "</div>", "</div> ", "</div>\n</section> ",
        '<div class="captioned-button-wrap"><a href="x?action=share">y</a></div>',
        "Support this podcast: <a href='https://anchor.fm/x'>",
        '<p><a href="http://feedads.g.doubleclick.net/~at/x/0/da">',
        '<p><a href="http://feedads.g.doubleclick.net/~at/x/0/da"><img src="y"></a><br> ',
    ],
)  # fmt: skip
def test_a_footers_look_reads_tags_never_closed_in_one_pass(markup: str) -> None:
    """The looks for what WordPress.com, Substack and Vimeo append read to the end of the
    text from every start where no end came: 20,000 breaks after WordPress.com's mark
    took a minute. Each is read in one pass now, as are those for a Drupal node's fields."""
    from tdlc_syndication.sources.drupal import node_fields
    from tdlc_syndication.sources.footers import without_credits, without_footer

    text = "<p>Post.</p> feeds.wordpress.com/1.0/ subscription-widget " + markup * 50_000
    assert without_footer(text, "https://vimeo.com/1").startswith("<p>Post.</p>")
    assert node_fields(text).markup.startswith("<p>Post.</p>")
    credits = "<p><strong>Cast:</strong> x" * 50_000 + "</p>"
    assert without_credits(credits, "https://vimeo.com/1")[0]


@pytest.mark.timeout(5)
@pytest.mark.parametrize(
    "line",
    ["Support this podcast: https://anchor.fm/ ", "Send in a voice message: https://anchor.fm/x "],
)
def test_a_podcast_hosts_lines_without_an_end_are_read_in_time(line: str) -> None:
    """The look for a podcast host's lines at the end of an episode's notes read the
    spaces between them every way it could where they did not end the text: fourteen
    lines and a word took eight seconds, each line more four times as long."""
    from tdlc_syndication.sources.footers import without_footer

    text = line * 5_000 + "x"
    assert without_footer(text, "https://example.org/1") == text


@pytest.mark.timeout(30)
def test_a_followed_page_of_thousands_of_nested_elements_is_read_in_time() -> None:
    """A page whose text holds 5,000 elements never closed (BeautifulSoup nests each in
    the one before): its chrome was looked for with BeautifulSoup's ``decomposed``, which
    a live element answers by searching every element below it, so each look read the
    rest of the page (20 seconds for 2,000, minutes for this). Read in well under one
    now, its text kept."""
    info = _read_nested('<span class="date">訓練', "<p>本文 {}</p>")
    assert info.title == "Drill"
    assert "本文" in info.content_html


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "markup",
    [
        '<rdf:Description dc:title="x" ', '<span property="dc:title ', '<em class="date">',
        '<span itemprop="datePublished">', "<h1>x</h1>", '<div class="post-date"><h2>',
        "<article>x", "<main>x", "<h2>Drill</h2>", '<meta name="author" content="x">',
        '<h2><a href="#x">¶</a>', "<p>目次<div>", "<div><p>Jane Smith</p>",
        '<p>x<!--$?--><template id="B:0"></template><div hidden id="S:0"><script>$RC("B:0","S:0")',
    ],
)  # fmt: skip
def test_a_followed_pages_date_is_looked_for_in_time(markup: str) -> None:
    """The looks for a page's date in its RDFa, a blog's trackback RDF, an element named
    for a date by the heading and the text below it, and for its text among several
    ``<article>``s and ``<main>``s and a heading that retells its title, and those for
    a heading's permalink mark, a table of contents' label, a byline and a streamed
    part, over 20,000 of their starts never ended (each nested in the one before): each
    is bounded, and the page is read in time (a heading's links were looked for in all
    that it nested, and twenty thousand retold titles each weighed the kickers again)."""
    from zoneinfo import ZoneInfo

    from tdlc_syndication.sources.page import read_page

    page = (
        "<html><head><title>Drill</title></head><body><h1>Drill</h1><p>Text.</p>"
        f"{markup * 20_000}</body></html>"
    )
    info = read_page(page, "https://www.city.example.jp/a.html", ZoneInfo("Asia/Tokyo"))
    assert info.title == "Drill"


@pytest.mark.timeout(10)
def test_authors_with_an_at_sign_are_read_in_time() -> None:
    """An e-mail address is taken out of an author's name wherever it stands in it; a
    look for one from each start of a long name read on to the name's end each time (10
    ms an author: 50 such authors on each of a feed's items held its run for minutes).
    An address's local part is 64 characters at most (RFC 5321): no look goes further."""
    names = tuple(f"{'a' * 1590}{n} @ x" for n in range(50))
    for _ in range(20):
        item = normalise(draft(title="Authors", authors=names), Rules(), NOW)
    assert item.authors[0].startswith("aaaa")
    addressed = ("Ken Sato | ksato@city.example.jp", *names)
    item = normalise(draft(title="Authors", authors=addressed), Rules(), NOW)
    assert item.authors[0] == "Ken Sato"


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "nested",
    [
        '<div class="share">' + "Kobe drill. " * 30,
        '<div class="share"><a href="#s">Share</a>',
        '<div class="print-only"><a href="#p">Print</a><span>' + "Kobe drill. " * 2,
        '<div class="x">' + "Kobe drill. " * 30,
        "<div> ",
        "<p>x<div>",
    ],
)
def test_blocks_nested_by_the_thousand_are_read_for_chrome_in_time(nested: str) -> None:
    """Each block of a page's text was read whole for a notice of Adobe's reader, and
    each container for a block inside it (BeautifulSoup's ``find`` and ``strings`` first
    walk the whole block): 2,000 ``<div>``s with text nested in each other (never
    closed) took 20 seconds, 5,000 minutes. A block named for share or print buttons is
    chrome unless it holds text of its own beside its links. Each look reads a block
    only as far as it needs now."""
    info = _read_nested(nested, "<p>Text.</p>{}")
    assert info.title == "Drill"
    assert "Text." in info.content_html


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "nested", ['<div class="lead"><h2>x</h2>', '<div class="lead">' + "Kobe drill. " * 300]
)
def test_blocks_named_for_a_lead_nested_by_the_thousand_are_read_in_time(nested: str) -> None:
    """The lead a template writes before a post's text is looked for in the blocks
    before it named for one, and in those blocks: 3,000 such blocks nested in each other
    before the post, each read only as far as a lead could reach."""
    from zoneinfo import ZoneInfo

    from tdlc_syndication.sources.page import read_page

    lead = f'<div class="intro">{nested * 3000}{"</div>" * 3000}</div>'
    page = (
        f"<html><head><title>Drill</title></head><body>{lead}<div class="
        '"entry-content"><p>Text.</p></div></body></html>'
    )
    info = read_page(page, "https://x.example.jp/a", ZoneInfo("Asia/Tokyo"))
    assert info.content_html.strip().endswith("<p>Text.</p>")


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "head",
    [
        "<title>Drill{spaces}x - City Lab</title>",
        '<meta property="og:title" content="Drill{spaces}x | City Lab">',
        "<title>Drill{spaces}-</title>",
        '<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Drill'
        '{spaces}x - City Lab - News", "publisher": {{"name": "City Lab"}}}}</script>',
    ],
)
def test_a_title_of_a_long_run_of_spaces_is_read_in_time(head: str) -> None:
    """A look for a separator before the site's name in a page's title read a run of
    30,000 spaces from each of them: 14 seconds a page. A run of spaces is one first."""
    from zoneinfo import ZoneInfo

    from tdlc_syndication.sources.page import read_page

    page = (
        f'<html><head>{head.format(spaces=" " * 30_000)}<meta property="og:site_name" '
        'content="City Lab"></head><body><p>Text.</p></body></html>'
    )
    info = read_page(page, "https://x.example.jp/a", ZoneInfo("Asia/Tokyo"))
    assert info.title.startswith("Drill")
    assert len(info.title) < 20


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "junk", ["<!--", '"unclosed\\', "/*", "]]>", "{};", '{"a": "//" /* */ <!-- -->,']
)
def test_a_json_ld_block_of_comments_by_the_thousand_is_read_in_time(junk: str) -> None:
    """A JSON-LD block that is no JSON is read again without what themes write outside
    its strings (comments of JavaScript and HTML, CDATA's markers): in one pass over the
    block, not a look from each ``<!--`` for its end (80 seconds for 200,000 on one line,
    1.5 here). The article's own block after it is read."""
    from zoneinfo import ZoneInfo

    from tdlc_syndication.sources.page import read_page

    article = '{"@type": "Article", "datePublished": "2026-11-26"}'
    page = (
        f'<html><head><script type="application/ld+json">{junk * 200_000}</script>'
        f'<script type="application/ld+json">{article}</script></head></html>'
    )
    info = read_page(page, "https://x.example.jp/a", ZoneInfo("UTC"))
    assert info.published is not None
    assert info.published[0].date().isoformat() == "2026-11-26"


def _read_nested(markup: str, around: str) -> PageInfo:
    """A followed page whose text (``around``, with ``{}`` where they go) holds 5,000 of
    ``markup`` nested in each other, read."""
    from zoneinfo import ZoneInfo

    from tdlc_syndication.sources.page import read_page

    text = around.format(markup * 5000)
    page = f"<html><head><title>Drill</title></head><body><main><h1>Drill</h1>{text}</main>"
    return read_page(page + "</body></html>", "https://x.example.jp/a", ZoneInfo("Asia/Tokyo"))
