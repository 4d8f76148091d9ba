"""The editor's command line: items as the outputs show them, filters, whole ids, the
override in --explain, and check naming override ids that match nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests_support import BLOG, feed_file_source, rss_channel

from tdlc_syndication.pipeline.cli import cli

HIDDEN = "blog:https://blog.example.org/cpp/?p=1412"
PINNED = "blog:https://blog.example.org/cpp/?p=1322"


@pytest.fixture
def config(tmp_path: Path, write_config: Callable[..., Path]) -> Path:
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(
        f'[[items]]\nid = "{HIDDEN}"\nhide = true\n'
        f'[[items]]\nid = "{PINNED}"\npin = true\ntitle = "Data platforms (editors\' pick)"\n'
        'kind = "knowledge_note"\n'
        '[[items]]\nid = "blog:https://blog.example.org/cpp/?p=404"\nhide = true\n',
        encoding="utf-8",
    )
    path = write_config(
        feed_file_source(tmp_path, "blog", BLOG), extra=f'[editorial]\noverrides = "{overrides}"\n'
    )
    assert CliRunner().invoke(cli, ["--config", str(path), "fetch"]).exit_code == 0
    return path


def run(config: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_items_show_what_is_published(config: Path) -> None:
    out = run(config, "items", "--limit", "50")
    lines = {line.rsplit("  ", 1)[-1].strip(): line for line in out.splitlines()[1:]}
    assert "hidden" in lines[HIDDEN]
    pinned = lines[PINNED]
    assert "pinned" in pinned
    assert "edited*" in pinned
    assert "Data platforms (editors' pick)" in pinned
    assert "knowledge_note" in pinned
    # Ids are whole, whatever the width.
    assert all(line.endswith(item_id) for item_id, line in lines.items())


def test_ids_and_filters(config: Path) -> None:
    ids = run(config, "items", "--ids", "--limit", "50").split()
    assert HIDDEN in ids
    assert len(ids) == 10
    assert run(config, "items", "--ids", "--kind", "knowledge_note").split() == [PINNED]
    found = run(config, "items", "--ids", "--search", "DATA PLATFORMS").split()
    assert found == [PINNED]
    # Typed with a Japanese input method: full-width letters and an ideographic space.
    found = run(config, "items", "--ids", "--search", "ＤＡＴＡ\u3000Ｐｌａｔｆｏｒｍｓ").split()
    assert found == [PINNED]
    # By who wrote it, as the site's search finds it.
    assert run(config, "items", "--ids", "--search", "kenji MORI").split() == [
        PINNED,
        "blog:https://blog.example.org/cpp/?p=1265",
    ]
    assert run(config, "items", "--ids", "--since", "2100-01-01").split() == []
    data = json.loads(run(config, "items", "--json", "--kind", "knowledge_note"))
    assert data[0]["title"] == "Data platforms (editors' pick)"
    assert data[0]["override"]["pin"] is True


def test_a_search_in_hiragana_finds_katakana(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    # ごみ and ゴミ are one word, written in either kana; hiragana also writes the
    # grammar, so バス (a bus) in katakana does not find 伸ばす.
    entries = "".join(
        f"<item><title>{title}</title><link>https://city.example.org/{n}</link>"
        f"<guid>https://city.example.org/{n}</guid></item>"
        for n, title in enumerate(["海岸のゴミ拾い", "ごみの分別", "受付期間を伸ばす"])
    )
    feed = rss_channel(entries, link="https://city.example.org/")
    path = write_config(feed_file_source(tmp_path, "city", feed))
    assert CliRunner().invoke(cli, ["--config", str(path), "fetch"]).exit_code == 0
    found = run(path, "items", "--ids", "--search", "ごみ").split()
    assert sorted(found) == ["city:https://city.example.org/0", "city:https://city.example.org/1"]
    assert run(path, "items", "--ids", "--search", "ゴミ").split() == [
        "city:https://city.example.org/0"
    ]
    assert run(path, "items", "--ids", "--search", "バス").split() == []


def test_explain_shows_the_override(config: Path) -> None:
    out = run(config, "items", "--explain", PINNED)
    assert "override (" in out
    assert "pin = True" in out
    data = json.loads(run(config, "items", "--explain", PINNED, "--json"))
    assert data["override"]["title"] == "Data platforms (editors' pick)"


def test_check_names_overrides_that_match_no_item(config: Path) -> None:
    out = run(config, "check")
    assert "no item 'blog:https://blog.example.org/cpp/?p=404' in the store" in out
    assert HIDDEN not in out


def test_a_kind_topic_or_place_is_named_by_slug_or_label_and_a_typo_is_an_error(
    config: Path,
) -> None:
    """``--kind events`` (the slug is ``event``) listed nothing, as if there were no event:
    a typo looked like an answer. A name that is no term is an error that lists the
    terms; a label in either language, in any case and width, names its term."""
    by_slug = run(config, "items", "--ids", "--kind", "knowledge_note").split()
    assert run(config, "items", "--ids", "--kind", "Knowledge note").split() == by_slug
    assert run(config, "items", "--ids", "--kind", "ＫＮＯＷＬＥＤＧＥ ＮＯＴＥ").split() == by_slug
    topic = run(config, "items", "--ids", "--limit", "50", "--topic", "compact-cities").split()
    assert topic
    assert (
        run(config, "items", "--ids", "--limit", "50", "--topic", "コンパクトシティ").split()
        == topic
    )
    result = CliRunner().invoke(cli, ["--config", str(config), "items", "--kind", "notes"])
    assert result.exit_code == 2
    assert "no kind 'notes' in the taxonomy" in result.output
    assert "knowledge_note" in result.output.split("the kinds are:")[1]
    result = CliRunner().invoke(cli, ["--config", str(config), "items", "--place", "Osaka"])
    assert result.exit_code == 2
    assert "no place 'Osaka'" in result.output
    # A source taken out of the settings keeps its items, which are still published.
    text = config.read_text("utf-8").replace('id = "blog"', 'id = "renamed"', 1)
    config.write_text(text, encoding="utf-8")
    assert len(run(config, "items", "--ids", "--source", "blog", "--limit", "50").split()) == 10
    result = CliRunner().invoke(cli, ["--config", str(config), "items", "--source", "nosuch"])
    assert result.exit_code == 2
    assert "no source 'nosuch'" in result.output


def test_events_are_listed_with_when_they_happen(demo_config: Path) -> None:
    """`items --kind event` listed events by announcement date only: when each happens
    (and whether it still does) is a column now, as in `try`; other lists have none."""
    assert CliRunner().invoke(cli, ["--config", str(demo_config), "fetch"]).exit_code == 0
    out = run(demo_config, "items", "--kind", "event")
    header, *rows = out.splitlines()
    assert header.split()[:3] == ["date", "kind", "when"]
    drill = next(row for row in rows if "drm-drill-2026" in row)
    assert "2026-12-05 (postponed)" in drill
    webinar = next(row for row in rows if "webinar-waste" in row)
    assert "2026-12-10 15:00–16:30 JST" in webinar
    assert "when" not in run(demo_config, "items", "--kind", "article").splitlines()[0]
