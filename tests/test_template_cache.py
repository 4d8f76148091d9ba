"""Compiled templates kept in the program's cache folder between processes: used when
there, compiled again when the folder or a file is unusable, never a failed page."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, PackageLoader
from jinja2.bccache import FileSystemBytecodeCache

from tdlc_syndication.outputs.pages import environment, template_cache

TEMPLATES = ("index.html.j2", "term.html.j2", "digest_email.txt.j2")


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("compiled a template the cache holds")


def test_a_second_process_reads_the_compiled_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = environment(template_cache())
    compiled = [first.get_template(name) for name in TEMPLATES]
    folder = tmp_path / "tdlc-syndication" / "templates"
    assert folder.stat().st_mode & 0o777 == 0o700  # the user's own
    assert folder.parent.stat().st_mode & 0o777 == 0o700  # and the folder holding it
    assert len(list(folder.iterdir())) == len(TEMPLATES)
    second = environment(template_cache())  # as a new process: nothing compiled yet
    monkeypatch.setattr(second, "compile", _refuse)
    loaded = [second.get_template(name) for name in TEMPLATES]
    assert [(t.name, sorted(t.blocks)) for t in loaded] == [
        (t.name, sorted(t.blocks)) for t in compiled
    ]


def test_a_spoiled_cache_file_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    environment(template_cache()).get_template("term.html.j2")
    (cached,) = (tmp_path / "tdlc-syndication" / "templates").iterdir()
    cached.write_bytes(cached.read_bytes()[:40])  # cut short, as by a full disk
    assert environment(template_cache()).get_template("term.html.j2") is not None
    cached.write_bytes(b"not a jinja2 cache at all")
    assert environment(template_cache()).get_template("term.html.j2") is not None


def test_without_a_usable_cache_folder_templates_still_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where a folder should be
    assert template_cache() is None
    assert environment(template_cache()).get_template("index.html.j2") is not None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "gone"))
    cache = template_cache()
    assert cache is not None
    shutil.rmtree(tmp_path / "gone")  # removed while the program runs: nothing to write to
    assert environment(cache).get_template("index.html.j2") is not None
    assert not (tmp_path / "gone").exists()


def test_text_templates_are_not_escaped_and_an_earlier_versions_code_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digest's plain-text email read "Kobe&#39;s port &amp; harbour": every template
    was autoescaped. Compiled code bakes that in and Jinja2 checks a cached template
    against its source only, so what an earlier version compiled is compiled again."""
    env = environment()
    assert not env.autoescape("digest_email.txt.j2")  # type: ignore[operator]
    assert env.autoescape("page.html.j2")  # type: ignore[operator]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "tdlc-syndication" / "templates"
    folder.mkdir(parents=True)
    earlier = Environment(
        loader=PackageLoader("tdlc_syndication.outputs", "templates"),
        autoescape=True,
        bytecode_cache=FileSystemBytecodeCache(str(folder)),  # its file names
    )
    earlier.get_template("digest_email.txt.j2")
    assert len(list(folder.iterdir())) == 1
    compiled: list[str | None] = []
    now = environment(template_cache())
    original = now.compile

    def compile_noted(source: str, name: str | None = None, *args: Any, **kw: Any) -> Any:
        compiled.append(name)
        return original(source, name, *args, **kw)

    monkeypatch.setattr(now, "compile", compile_noted)
    now.get_template("digest_email.txt.j2")
    assert compiled == ["digest_email.txt.j2"]
