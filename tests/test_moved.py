"""A renamed topic, place, kind or feed (``formerly``): its items take the new slug at
once, and its old addresses keep answering (copies of the feeds, the page sends browsers
on, ``_redirects`` for hosts and ``syndicate serve``)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from lxml import etree, html
from tests_support import add_bulk, bulk_item, invoke

from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.config.taxonomy import Taxonomy
from tdlc_syndication.outputs.formats import lint_files
from tdlc_syndication.outputs.view import public_url
from tdlc_syndication.pipeline.classify import Classifier
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.model import Event
from tdlc_syndication.pipeline.publish import PublishReport, publish
from tdlc_syndication.pipeline.redirects import parse_rules
from tdlc_syndication.pipeline.serve import make_server

ATOM = "{http://www.w3.org/2005/Atom}"
TOYAMA = '[taxonomy.places.toyama]\nlabel = "Toyama"'
RENAMED = '[taxonomy.places.toyama-city]\nformerly = ["toyama"]\nlabel = "Toyama"'
FORMATS = ("atom", "rss", "json")
OLD_ADDRESSES = ["feeds/place/toyama.atom", "feeds/place/toyama.json", "feeds/place/toyama.rss",
                 "place/toyama/index.html"]  # fmt: skip


def _publish(
    ctx: Context, numbers: range | list[int] = range(0), **changes: object
) -> PublishReport:
    with ctx.open_store() as store:
        if numbers:
            add_bulk(store, numbers, **changes)
        return publish(ctx, store)


def _rename(config: Path, old: str = TOYAMA, new: str = RENAMED) -> Path:
    text = config.read_text("utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")
    return config


def _atom(path: Path) -> tuple[str, str, list[str]]:
    """A feed's id, self link and entry ids."""
    root = etree.fromstring(path.read_bytes())
    self_link = root.find(f"{ATOM}link[@rel='self']").get("href")
    entries = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
    return root.findtext(f"{ATOM}id"), self_link, entries


@pytest.fixture
def renamed(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> tuple[Context, tuple[str, str, list[str]]]:
    """Twelve items published (odd ones in Toyama), then Toyama renamed ``toyama-city``
    and published again; the context and Toyama's Atom feed before the rename."""
    config = write_config()
    before = make_context(config)
    _publish(before, range(1, 13))
    feed = _atom(before.settings.site.output_dir / "feeds/place/toyama.atom")
    ctx = make_context(_rename(config))
    _publish(ctx)
    return ctx, feed


def test_a_renamed_place_keeps_its_subscribers(
    renamed: tuple[Context, tuple[str, str, list[str]]],
) -> None:
    ctx, (feed_id, self_link, entry_ids) = renamed
    public = ctx.settings.site.output_dir
    # The items stored as "toyama" are in the new place's feed at once (no source ran).
    new_id, new_self, new_entries = _atom(public / "feeds/place/toyama-city.atom")
    assert sorted(new_entries) == sorted(entry_ids)
    assert len(entry_ids) == 6
    assert new_self.endswith("/feeds/place/toyama-city.atom")
    # The old address: the same entries, the feed id subscribers have, its own self link.
    old_id, old_self, old_entries = _atom(public / "feeds/place/toyama.atom")
    assert (old_id, old_self, old_entries) == (feed_id, self_link, new_entries)
    assert old_id != new_id
    old_json = json.loads((public / "feeds/place/toyama.json").read_text("utf-8"))
    assert old_json["feed_url"].endswith("/feeds/place/toyama.json")
    assert len(old_json["items"]) == 6
    # Pages link the new place; its old page sends browsers there.
    front = (public / "index.html").read_text("utf-8")
    assert "place/toyama-city/index.html" in front
    assert "place/toyama/" not in front
    page = html.fromstring((public / "place/toyama/index.html").read_bytes())
    assert page.xpath("//meta[@http-equiv='refresh']/@content") == [
        "0; url=../toyama-city/index.html"
    ]
    assert page.xpath("//main//a/@href") == ["../toyama-city/index.html"]
    assert page.xpath("//link[@rel='canonical']/@href") == [
        "https://feeds.example.org/test/place/toyama-city/index.html"
    ]
    # Every feed passes lint, the copies included (self link = where each is published).
    files = {p.relative_to(public).as_posix(): p.read_bytes() for p in public.rglob("*.*")}
    assert lint_files(files, lambda path: public_url(ctx.settings, path), 10**7) == []
    # The feed directory and OPML list the place once, at its new address.
    opml = (public / "feeds-place.opml").read_text("utf-8")
    assert "toyama-city.atom" in opml
    assert "place/toyama.atom" not in opml


def test_the_redirect_lists_name_every_old_address(
    renamed: tuple[Context, tuple[str, str, list[str]]],
) -> None:
    public = renamed[0].settings.site.output_dir
    assert (public / "_redirects").read_text("utf-8").splitlines() == [
        "/test/feeds/place/toyama.atom /test/feeds/place/toyama-city.atom 301",
        "/test/feeds/place/toyama.rss /test/feeds/place/toyama-city.rss 301",
        "/test/feeds/place/toyama.json /test/feeds/place/toyama-city.json 301",
        "/test/place/toyama /test/place/toyama-city/ 301",
        "/test/place/toyama/* /test/place/toyama-city/:splat 301",
    ]
    nginx = (public / "_redirects.nginx").read_text("utf-8").splitlines()
    assert nginx[0] == "/test/feeds/place/toyama.atom /test/feeds/place/toyama-city.atom;"
    assert nginx[-1] == "~^/test/place/toyama/(.*)$ /test/place/toyama-city/$1;"


def test_the_copies_follow_the_feed_and_go_when_formerly_does(
    renamed: tuple[Context, tuple[str, str, list[str]]],
    make_context: Callable[[Path], Context],
) -> None:
    ctx = renamed[0]
    public = ctx.settings.site.output_dir
    # A source still giving the old slug: the item is in both, the copy rewritten.
    report = _publish(ctx, [13], places=("toyama",))
    assert {"feeds/place/toyama.atom", "feeds/place/toyama-city.atom"} <= set(report.written)
    assert _atom(public / "feeds/place/toyama.atom")[2][0].endswith(":bulk:13")
    # A change in Kobe only: the copies are not rendered again.
    report = _publish(ctx, [14])
    assert "feeds/place/kobe.atom" in report.written
    assert not any("toyama" in path for path in report.written)


def test_taking_formerly_out_deletes_the_old_addresses(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    config = _rename(write_config())
    ctx = make_context(config)
    _publish(ctx, range(1, 5))
    public = ctx.settings.site.output_dir
    assert all((public / path).is_file() for path in [*OLD_ADDRESSES, "_redirects"])
    again = make_context(_rename(config, '\nformerly = ["toyama"]', ""))
    report = _publish(again)
    assert set(OLD_ADDRESSES) | {"_redirects", "_redirects.nginx"} <= set(report.deleted)
    assert (public / "feeds/place/toyama-city.atom").is_file()
    assert not (public / "place/toyama").exists()


def test_a_renamed_feed_keeps_its_old_address(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    config = write_config(
        extra='[[feeds]]\nid = "toyama-news"\ntitle = "Toyama news"\nplaces = ["toyama"]\n'
        'formerly = ["toyama-notes"]\n'
    )
    ctx = make_context(config)
    _publish(ctx, range(1, 7))
    public = ctx.settings.site.output_dir
    feed_id, self_link, entries = _atom(public / "feeds/toyama-notes.atom")
    assert feed_id.endswith(":feed:toyama-notes")
    assert self_link == "https://feeds.example.org/test/feeds/toyama-notes.atom"
    assert entries == _atom(public / "feeds/toyama-news.atom")[2]
    assert len(entries) == 3
    rules = parse_rules((public / "_redirects").read_text("utf-8"))
    assert [(r.old, r.new) for r in rules] == [  # a feed has no page; its archives moved
        *((f"/test/feeds/toyama-notes.{s}", f"/test/feeds/toyama-news.{s}") for s in FORMATS),
        ("/test/feeds/archive/toyama-notes/*", "/test/feeds/archive/toyama-news/:splat"),
    ]


def test_old_slugs_keep_working_in_the_settings(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context], tmp_path: Path
) -> None:
    overrides = tmp_path / "overrides.toml"
    overrides.write_text('[[items]]\nid = "bulk:2"\nplaces = ["toyama"]\n', encoding="utf-8")
    config = _rename(
        write_config(
            extra=f'[editorial]\noverrides = "{overrides}"\n'
            '[[feeds]]\nid = "t"\ntitle = "T"\nplaces = ["toyama"]\n'
        )
    )
    ctx = make_context(config)
    _publish(ctx, range(1, 5))
    public = ctx.settings.site.output_dir
    # The feed's filter and the override name the place by its old slug.
    assert len(_atom(public / "feeds/t.atom")[2]) == 3  # bulk:1, bulk:3 and bulk:2
    assert any(e.endswith(":bulk:2") for e in _atom(public / "feeds/place/toyama-city.atom")[2])


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            ("[taxonomy.places.kobe]\n", '[taxonomy.places.kobe]\nformerly = ["toyama"]\n'),
            "taxonomy.places.kobe.formerly: 'toyama' is a place now ([taxonomy.places.toyama]); "
            "take it out of formerly",
        ),
        (
            (
                'label = "Kobe"',
                'label = "Kobe"\nformerly = ["port"]\n'
                '[taxonomy.places.osaka]\nlabel = "Osaka"\nformerly = ["port"]',
            ),
            "taxonomy.places.osaka.formerly: 'port' is also a former slug of 'kobe'; keep it in "
            "one term's formerly",
        ),
        (
            ('label = "Kobe"', 'label = "Kobe"\nformerly = ["Kobe City"]'),
            "taxonomy.places.kobe.formerly.0: 'Kobe City' is not allowed; use lower-case "
            "letters, digits, '-' and '_'",
        ),
    ],
)
def test_a_wrong_former_slug_is_named_with_its_fix(
    write_config: Callable[..., Path], edit: tuple[str, str], problem: str
) -> None:
    config = _rename(write_config(), *edit)
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert problem in "\n".join(caught.value.problems)
    code, output = invoke(config, "check")
    assert code == 2
    assert str(config) in output
    assert "Traceback" not in output


def test_a_former_feed_id_may_not_be_a_feed_now(write_config: Callable[..., Path]) -> None:
    config = write_config(
        extra='[[feeds]]\nid = "a"\ntitle = "A"\nformerly = ["all", "b"]\n'
        '[[feeds]]\nid = "b"\ntitle = "B"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert caught.value.problems == [
        "feeds.0 (id 'a').formerly: 'all' is the id of a feed now (feeds/all.atom); take it "
        "out of formerly",
        "feeds.0 (id 'a').formerly: 'b' is the id of a feed now (feeds/b.atom); take it out "
        "of formerly",
    ]


def test_a_renamed_term_finds_what_its_old_slug_found() -> None:
    taxonomy = Taxonomy.model_validate(
        {
            "topics": {"lrt": {"label": "Light rail transit", "formerly": ["tram-lines"]}},
            "kinds": {"note": {"label": "Note", "formerly": ["memo"]}},
        }
    )
    classifier = Classifier(taxonomy)
    item, _ = classifier.classify(bulk_item(1, title="New tram lines for Toyama", kind="memo"))
    assert item.topics == ("lrt",)
    assert item.kind == "note"
    given, _ = classifier.classify(bulk_item(2, topics=("tram-lines",)))
    assert given.topics == ("lrt",)


def test_serve_answers_the_old_addresses_with_a_redirect(tmp_path: Path) -> None:
    root = tmp_path / "public"
    (root / "place/kobe-city").mkdir(parents=True)
    (root / "place/kobe-city/index.html").write_text("<!doctype html><title>k</title>")
    (root / "_redirects").write_text(
        "# renamed\n/cpp/feeds/place/kobe.atom /cpp/feeds/place/kobe-city.atom 301\n"
        "/cpp/place/kobe/* /cpp/place/kobe-city/:splat 301\nnot a rule\n",
        encoding="utf-8",
    )
    server = make_server(root, "127.0.0.1", 0, "no-cache", base="/cpp/")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        answer = requests.get(f"{site}/feeds/place/kobe.atom", allow_redirects=False, timeout=5)
        assert (answer.status_code, answer.headers["Location"]) == (
            301,
            "/feeds/place/kobe-city.atom",
        )
        answer = requests.get(
            f"{site}/place/kobe/page-2.html?q=1", allow_redirects=False, timeout=5
        )
        assert answer.headers["Location"] == "/place/kobe-city/page-2.html?q=1"
        assert requests.get(f"{site}/place/kobe/", timeout=5).text.endswith("<title>k</title>")
        (root / "_redirects").unlink()  # read again when it changes
        answer = requests.get(f"{site}/feeds/place/kobe.atom", allow_redirects=False, timeout=5)
        assert answer.status_code == 404
    finally:
        server.shutdown()
        server.server_close()


def test_a_renamed_place_keeps_its_calendar(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    ctx = make_context(_rename(write_config()))
    start = datetime(2026, 12, 10, 1, tzinfo=UTC)
    _publish(ctx, [1, 3], kind="event", event=Event(start=start, location="Toyama"))
    public = ctx.settings.site.output_dir
    old = (public / "events/place/toyama.ics").read_text("utf-8")
    assert old == (public / "events/place/toyama-city.ics").read_text("utf-8")
    assert old.count("BEGIN:VEVENT") == 2
    assert "/test/events/place/toyama.ics /test/events/place/toyama-city.ics 301" in (
        public / "_redirects"
    ).read_text("utf-8")


def test_items_lists_a_renamed_place_by_either_slug(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    config = write_config()
    _publish(make_context(config), range(1, 5))  # stored as "toyama"
    _rename(config)
    for name in ("toyama", "toyama-city", "Toyama"):
        code, output = invoke(config, "items", "--place", name, "--ids")
        assert code == 0, output
        assert sorted(output.split()) == ["bulk:1", "bulk:3"]


def test_a_broken_redirect_list_answers_nothing_wrong(tmp_path: Path) -> None:
    root = tmp_path / "public"
    root.mkdir()
    (root / "index.html").write_text("<!doctype html><title>i</title>", encoding="utf-8")
    (root / "_redirects").write_bytes(
        b"\xff\xfe\x00garbage\n" + b"/a " * 5000 + b"\n/x /y 999\n/z\n/\r\nLocation: /evil 301\n"
        b"/feeds/a.atom /feeds/b\r\nSet-Cookie:x.atom 301\n"
    )
    server = make_server(root, "127.0.0.1", 0, "no-cache")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert requests.get(f"{site}/", timeout=5).status_code == 200
        for path in ("/x", "/z", "/a", "/Location:"):
            answer = requests.get(site + path, allow_redirects=False, timeout=5)
            assert answer.status_code == 404, path
        # A line ends at a line break: what follows is no header of the answer.
        answer = requests.get(f"{site}/feeds/a.atom", allow_redirects=False, timeout=5)
        assert (answer.status_code, answer.headers["Location"]) == (301, "/feeds/b")
        assert "Set-Cookie" not in answer.headers
    finally:
        server.shutdown()
        server.server_close()


def test_check_warns_of_a_term_renamed_without_formerly(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    config = write_config()
    _publish(make_context(config), range(1, 5))  # bulk:1 and bulk:3 in Toyama
    _rename(config, TOYAMA, '[taxonomy.places.toyama-city]\nlabel = "Toyama"')
    code, output = invoke(config, "check")
    assert code == 0, output
    assert (
        "warning: place 'toyama' has 2 published items and is no longer in "
        "[taxonomy.places]: the next publish deletes its feeds and page (readers of "
        "feeds/place/toyama.atom get 404). If it was renamed, list it in the new term's "
        'formerly (formerly = ["toyama"])'
    ) in " ".join(output.split())
    _rename(config, 'label = "Toyama"', 'label = "Toyama"\nformerly = ["toyama"]')
    code, output = invoke(config, "check")
    assert code == 0, output
    assert "warning" not in output
    assert "renamed (the old addresses keep answering): place toyama → toyama-city" in output
