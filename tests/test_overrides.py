"""Editorial overrides: hide, pin and replaced fields, applied at publish time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests_support import BLOG, feed_file_source

from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.publish import publish
from tdlc_syndication.pipeline.run import run_sources


def _synced_with_overrides(
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    overrides_text: str,
) -> tuple[Context, Path]:
    """The blog synced into a store, with the overrides file ``overrides_text``."""
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(overrides_text, encoding="utf-8")
    config = write_config(
        feed_file_source(tmp_path, "blog", BLOG), extra=f'[editorial]\noverrides = "{overrides}"\n'
    )
    ctx = make_context(config)
    run_sources(ctx, ctx.settings.sources)
    return ctx, overrides


def test_overrides_hide_pin_and_edit_at_publish_time(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    ctx, overrides = _synced_with_overrides(
        tmp_path,
        write_config,
        make_context,
        '[[items]]\nid = "blog:https://blog.example.org/cpp/?p=1412"\nhide = true\n'
        'note = "duplicate announcement"\n'
        '[[items]]\nid = "blog:https://blog.example.org/cpp/?p=1322"\npin = true\n'
        'title = "Smart city data platforms (editor\'s pick)"\nkind = "knowledge_note"\n'
        'topics = ["compact-cities"]\n',
    )
    with ctx.open_store() as store:
        publish(ctx, store)
        publish(ctx, store)  # a rebuild: overrides survive, nothing is stored twice
        stored = store.get_items("blog")
    assert stored["blog:https://blog.example.org/cpp/?p=1322"].item.title.startswith(
        "Smart city data platforms:"
    )
    public = tmp_path / "public"
    atom = (public / "feeds" / "all.atom").read_text("utf-8")
    assert "What ten years of city partnerships" not in atom
    assert (
        "Smart city data platforms (editor&apos;s pick)" in atom
        or "Smart city data platforms (editor's pick)" in atom
    )
    assert (public / "feeds" / "kind" / "knowledge_note.atom").is_file()
    index = (public / "index.html").read_text("utf-8")
    pinned = index.split('id="pinned-heading"')[1].split("</section>")[0]
    assert "editor&#39;s pick" in pinned
    # A broken overrides file is a config error naming the field.
    overrides.write_text('[[items]]\nid = "x"\ntopics = ["nope"]\ncolour = 1\n', encoding="utf-8")
    with ctx.open_store() as store, pytest.raises(ConfigError) as caught:
        publish(ctx, store)
    assert any("colour: unknown key" in p for p in caught.value.problems)


def test_a_title_pasted_from_a_word_processor_does_not_stop_the_feeds(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """Word's line break is U+000B, which XML forbids: an override title or summary with it
    (or another control, or a bidi override) made lint keep the old copy of every feed
    holding the item, and publish fail, until the editor found the invisible character.
    They are now cleaned as a source's title is; a blank title is a problem to mend."""
    ctx, overrides = _synced_with_overrides(
        tmp_path,
        write_config,
        make_context,
        '[[items]]\nid = "blog:https://blog.example.org/cpp/?p=1322"\n'
        'title = "Smart city\\u000b data platforms\\u0000 \\u202eeditor\'s pick"\n'
        'summary = "Pasted\\u0001 from <b>Word</b>\\u000b"\n',
    )
    with ctx.open_store() as store:
        report = publish(ctx, store)
    assert not report.refused
    public = tmp_path / "public"
    for name in ("all.atom", "all.rss", "all.json"):
        text = (public / "feeds" / name).read_text("utf-8")
        assert "Smart city data platforms editor" in text.replace("&apos;", "'"), name
        assert "Pasted from Word" in text, name
        assert "\x0b" not in text
        assert "\\u000b" not in text
        assert "\u202e" not in text
    overrides.write_text(
        '[[items]]\nid = "blog:https://blog.example.org/cpp/?p=1322"\ntitle = "\\u3000 "\n',
        encoding="utf-8",
    )
    with ctx.open_store() as store, pytest.raises(ConfigError) as caught:
        publish(ctx, store)
    assert any(
        p.endswith("title: is blank; remove the line to keep the item's own title")
        for p in caught.value.problems
    ), caught.value.problems
