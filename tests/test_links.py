"""Every link inside the published site leads to a published file: from the first publish
(before any digest issue), after an issue, and after the output folder was emptied."""

from __future__ import annotations

import re
import shutil
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from click.testing import CliRunner
from lxml import etree, html

from tdlc_syndication.pipeline.cli import cli

STYLESHEET = re.compile(rb'<\?xml-stylesheet[^>]*href="([^"]+)"')


def local_links(root: Path) -> list[tuple[str, str]]:
    """``(page, link)`` for every link of the site's pages and feeds to a file of the
    site (relative, or absolute under the site's address)."""
    found: list[tuple[str, str]] = []
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.suffix == ".html":
            tree = html.fromstring(path.read_bytes())
            for element in tree.iter():
                for attribute in ("href", "src"):
                    value = element.get(attribute)
                    if value and not urlsplit(value).scheme and not value.startswith("#"):
                        found.append((name, value))
        elif path.suffix in (".atom", ".rss"):
            found.extend((name, m.decode()) for m in STYLESHEET.findall(path.read_bytes()))
    return found


def broken(root: Path) -> list[str]:
    """The links that lead to no published file."""
    missing = []
    for page, link in local_links(root):
        target = PurePosixPath(page).parent / unquote(urlsplit(link).path)
        parts: list[str] = []
        for part in target.parts:
            if part == "..":
                parts.pop()
            elif part != ".":
                parts.append(part)
        resolved = root.joinpath(*parts)
        if resolved.is_dir():
            resolved = resolved / "index.html"
        if not resolved.is_file():
            missing.append(f"{page}: {link}")
    return missing


def test_every_link_of_the_site_leads_to_a_published_file(
    demo_config: Path, tmp_path: Path
) -> None:
    public = tmp_path / "public"
    runner = CliRunner()
    run = runner.invoke(cli, ["--config", str(demo_config), "run", "--once"])
    assert run.exit_code == 0, run.output
    # No issue yet: the link of every page to the digest leads to a list that says so,
    # and to a feed a reader can subscribe to before the first issue.
    assert len(local_links(public)) > 500
    assert broken(public) == []
    assert "No issue has been published yet." in (public / "digest" / "index.html").read_text()
    feed = etree.parse(str(public / "digest" / "feed.atom")).getroot()
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.findall("{http://www.w3.org/2005/Atom}entry") == []

    done = runner.invoke(cli, ["--config", str(demo_config), "digest", "--week", "2026-W47"])
    assert done.exit_code == 0, done.output
    assert (public / "digest" / "2026-W47" / "index.html").is_file()
    assert broken(public) == []
    before = {p.relative_to(public): p.read_bytes() for p in public.rglob("*") if p.is_file()}

    # An emptied output folder: one publish puts back every file, the digest's too, with
    # the bytes it had.
    shutil.rmtree(public)
    again = runner.invoke(cli, ["--config", str(demo_config), "publish"])
    assert again.exit_code == 0, again.output
    after = {p.relative_to(public): p.read_bytes() for p in public.rglob("*") if p.is_file()}
    assert sorted(after) == sorted(before)
    assert [path for path in before if after[path] != before[path]] == []


def test_a_site_without_the_digest_does_not_link_to_it(demo_config: Path, tmp_path: Path) -> None:
    text = demo_config.read_text("utf-8") + "\n[digest]\nenabled = false\n"
    demo_config.write_text(text, encoding="utf-8")
    run = CliRunner().invoke(cli, ["--config", str(demo_config), "run", "--once"])
    assert run.exit_code == 0, run.output
    public = tmp_path / "public"
    assert not (public / "digest").exists()
    assert "digest/index.html" not in (public / "index.html").read_text("utf-8")
    assert broken(public) == []
