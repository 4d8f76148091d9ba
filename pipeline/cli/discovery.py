"""``syndicate discover``: what a site offers as sources, with the entries to paste."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

import click

from tdlc_syndication.pipeline.cli.app import EXIT_FAILED, App, cli, pass_app
from tdlc_syndication.pipeline.cli.show import counted, iso, table

if TYPE_CHECKING:
    from tdlc_syndication.pipeline.discover import Discovery, Found


EXAMPLE = "https://www.city.kobe.lg.jp/"
_HOST_NAME = re.compile(r"[^\s:@/?#\[\]]+")


def _with_scheme(url: str) -> str:
    """``url`` with ``https://`` in front when it is written as a browser's address bar
    takes it: a host name (with a dot, or ``localhost``), maybe a port and a path, no
    scheme (``www.city.kobe.lg.jp/news``).
    A ``webcal://`` or ``feed://`` address (a calendar's or a feed's subscription link)
    is the http(s) one it stands for, as in the settings (``subscribed_url``).
    Anything else (``mailto:``, a word, a local path) is left to be refused as written."""
    from tdlc_syndication.config.base import subscribed_url  # (pydantic: not for --help)

    text = str(subscribed_url(url.strip()))
    host = text.split("/", 1)[0]
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host  # without its port
    named = "." in name or name.lower() == "localhost"
    bare = named and _HOST_NAME.fullmatch(name) is not None and not text.startswith(".")
    return f"https://{text}" if bare and "://" not in text else text


@cli.command()
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="Print what was found as JSON.")
@click.option(
    "--guess/--no-guess",
    default=True,
    show_default=True,
    help="When the page announces no feed, try the usual addresses of feeds on its site "
    "(WordPress's /feed/, the municipal systems' /rss/10/list1.xml, /news.rss, ...: one "
    "request each).",
)
@click.option(
    "--browser-agent",
    is_flag=True,
    help="Send a browser's User-Agent from the start (without it, only after the site "
    "refuses ours with 403).",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Allow addresses on this machine or a private network (an intranet site).",
)
@pass_app
def discover(
    app: App, url: str, as_json: bool, guess: bool, browser_agent: bool, allow_private: bool
) -> None:
    """Find the sources a site offers, starting from URL, and print their entries.

    URL is a page (a city's news page, a program page, a YouTube channel), a feed, a
    calendar or a sitemap; one written without a scheme (www.city.kobe.lg.jp) is read
    with https. Found: the feeds and calendars the page announces or links to, a
    WordPress site's posts and events (REST API), the sitemaps its robots.txt names, a
    YouTube channel's feed, and with --guess the usual addresses of feeds. Each is read as
    `try` reads a source; those that give items are listed with a [[sources]] entry to
    paste into the settings file. Nothing is stored. Exit 1 when nothing usable was found,
    2 when URL is no web address.

    URL may also be an OPML list of feeds, a file or an address (what a feed reader
    exports of its subscriptions): each of its feeds is read, and one filed in a folder
    named as a topic, city or kind of the taxonomy gets it in its entry.
    """
    from tdlc_syndication.pipeline.discover import discover as find
    from tdlc_syndication.pipeline.errors import FetchError
    from tdlc_syndication.pipeline.http import refusal

    def progress(line: str) -> None:
        if not app.quiet and not as_json:
            app.err.print(line, markup=False, highlight=False)

    listed = _listed_file(app, url, allow_private, browser_agent, progress)
    if listed is not None:
        _report(app, listed, as_json)
        return
    url = _with_scheme(url)
    refused = refusal(url)
    if refused is not None:
        app.fail(f"{url} is no web address to read: {refused}; give one such as {EXAMPLE}")
    taken = [s.id for s in app.settings.sources]
    try:
        found = find(
            app.context(),
            url,
            guess=guess,
            allow_private=allow_private,
            browser_agent=browser_agent,
            taken=taken,
            progress=progress,
        )
    except FetchError as exc:
        app.fail(f"{url}: {exc.message}", EXIT_FAILED)
    _report(app, found, as_json)


def _listed_file(
    app: App,
    name: str,
    allow_private: bool,
    browser_agent: bool,
    progress: Callable[[str], None],
) -> Discovery | None:
    """What the OPML list in the file ``name`` offers; None when no such file exists (then
    ``name`` is an address)."""
    from pathlib import Path

    from tdlc_syndication.config.files import read_file
    from tdlc_syndication.pipeline.discover import discover_list

    path = Path(name)
    if "://" in name or not path.is_file():
        return None
    try:
        body = read_file(path)
    except OSError as exc:
        app.fail(f"{path}: cannot read it: {exc.strerror or exc}")
    found = discover_list(
        app.context(),
        str(path),
        body,
        allow_private=allow_private,
        browser_agent=browser_agent,
        taken=[s.id for s in app.settings.sources],
        progress=progress,
    )
    if found is None:
        app.fail(f"{path} is no OPML list of feeds; give an OPML file or a web address")
    return found


def _report(app: App, found: Discovery, as_json: bool) -> None:
    """Print what was found; exit 1 when nothing usable was."""
    if as_json:
        click.echo(json.dumps(_as_json(found), ensure_ascii=False, indent=2))
    else:
        _show(app, found)
    if not found.usable:
        raise SystemExit(EXIT_FAILED)


def _show(app: App, found: Discovery) -> None:
    from zoneinfo import ZoneInfo

    from tdlc_syndication.pipeline.discover import HOW, MAX_READ, WHAT
    from tdlc_syndication.pipeline.entries import toml_entry

    what = WHAT.get(found.offer or "", "not a page, feed, calendar or sitemap")
    named = f', "{found.title}"' if found.title else ""
    lang = f" ({found.language})" if found.language else ""
    click.echo(f"{found.final_url}: {what}{named}{lang}")
    if found.browser_agent:
        click.echo("it answers a browser's User-Agent only: the entries send one")
    if found.bot_check:
        click.echo(
            "it answered with a bot check (a page that wants a browser running JavaScript): "
            "the site keeps programs out; ask its owners for an exception or a feed"
        )
    usable = found.usable
    zone = ZoneInfo(app.settings.site.timezone)
    if usable:
        rows = [("kind", "title", "gives", "found", "address")]
        rows += [
            (f.kind, f.title or "-", _gives(f, zone), HOW[f.candidate.how], f.candidate.url)
            for f in usable
        ]
        click.echo(table(rows))
    failed = [f for f in found.found if not f.usable and f.candidate.how != "usual"]
    for f in failed:
        click.echo(f"not usable: {f.candidate.url} ({HOW[f.candidate.how]}): {f.error}")
    for how, left in found.not_read.items():
        more = f"{len(left):,} more {'address' if len(left) == 1 else 'addresses'}"
        click.echo(
            f"not read: {more} {HOW[how]}, from {left[0]} on (the first {MAX_READ[how]} "
            "were read; `--json` lists them, `syndicate discover ADDRESS` reads one)"
        )
    guessed = [f for f in found.found if f.candidate.how == "usual"]
    if guessed:
        answered = sum(1 for f in guessed if f.usable)
        click.echo(f"tried {len(guessed)} usual addresses of feeds: {answered} gave items")
    if not usable:
        click.echo(
            "found no feed, calendar, API or sitemap that gives items; a page without "
            'one is read with kind = "html" and CSS selectors (README: kind = "html")'
        )
        return
    for f in usable:
        if f.hub:
            click.echo(
                f"{f.candidate.url}: the WebSub hub {f.hub} can push its new entries; with "
                "[websub] callback set, the service subscribes"
            )
    click.echo("\nPaste an entry into the settings file, then check it with `syndicate try ID`:")
    for f in usable:
        click.echo("\n" + toml_entry(f.entry), nl=False)


def _gives(found: Found, zone: tzinfo) -> str:
    """``8 items, newest 2026-11-20``; ``4 events, next 2026-12-05``; ``412 pages`` or
    ``40 sitemaps`` (an index); days in the site's zone."""
    if found.kind == "sitemap":
        return counted(found.items, "sitemap" if found.index else "page")
    if found.events == found.items:
        if found.next_event is None:
            return f"{counted(found.items, 'event')}, none to come"
        return f"{counted(found.items, 'event')}, next {found.next_event.astimezone(zone).date()}"
    newest = f", newest {found.newest.astimezone(zone).date()}" if found.newest else ""
    pushed = ", pushed by WebSub" if found.hub else ""
    return f"{counted(found.items, 'item')}{newest}{pushed}"


def _as_json(found: Discovery) -> dict[str, Any]:
    from tdlc_syndication.pipeline.entries import toml_entry

    return {
        "url": found.url,
        "final_url": found.final_url,
        "is": found.offer,
        "title": found.title,
        "language": found.language,
        "browser_user_agent": found.browser_agent,
        "bot_check": found.bot_check,
        "not_read": found.not_read,
        "found": [
            {
                "kind": f.kind,
                "url": f.candidate.url,
                "title": f.title,
                "found": f.candidate.how,
                "items": f.items,
                "newest": iso(f.newest),
                "events": f.events,
                "sitemap_index": f.index,
                "next_event": iso(f.next_event),
                "error": f.error,
                "websub_hub": f.hub or None,
                "entry": f.entry if f.usable else None,
                "toml": toml_entry(f.entry) if f.usable else None,
            }
            for f in found.found
        ],
    }
