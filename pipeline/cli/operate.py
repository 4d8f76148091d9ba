"""Commands for operators: ``status``, ``health``, ``forget`` and ``backup``.

``status`` and ``health`` start quickly (no settings models, no network code, no item
code): they read the store's bookkeeping tables and the settings snapshot
(``pipeline.overview``).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tdlc_syndication.pipeline.cli.app import (
    EXIT_FAILED,
    EXIT_OK,
    App,
    cli,
    pass_app,
    wait_option,
)
from tdlc_syndication.pipeline.cli.show import counted, table

if TYPE_CHECKING:
    from tdlc_syndication.pipeline.overview import Overview

COLUMNS = ("source", "kind", "status", "schedule", "next run", "items", "last success", "problem")


def _overview(app: App) -> Overview:
    from tdlc_syndication.config.files import read_file
    from tdlc_syndication.pipeline.overview import Bookkeeping, overview, settings_version

    snapshot = app.snapshot()
    try:
        current = settings_version(read_file(app.config_path))
    except OSError:
        current = None
    with Bookkeeping(snapshot["database"]) as store:  # the bookkeeping, not the items
        return overview(snapshot, store, datetime.now(UTC), current)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_app
def status(app: App, as_json: bool) -> None:
    """Show every source's state, schedule and next run.

    Also waits (back-off, the origin's own hints), items, last success and last error,
    what the last read skipped and dropped, times in the site's zone, and the sources
    the settings no longer name whose items are still stored (and published). Exits 1
    when health finds a problem."""
    view = _overview(app)
    if as_json:  # one object per source, as before; health --json gives the verdict
        rows_json = [s.to_json() for s in view.sources]
        click.echo(json.dumps(rows_json, indent=2, ensure_ascii=False))
    else:
        rows: list[tuple[str, ...]] = []
        for s in view.sources:
            state = s.status + (f" (moved to {s.moved_to})" if s.moved_to else "")
            if s.waiting_until:
                state += f", waits until {s.waiting_until}"
            if s.push:  # a WebSub hub pushes to it (or was asked to)
                state += f", {s.push}"
            if s.read_in_full:  # its settings changed, or the program, since its last read
                changed = (
                    "program upgraded" if s.read_in_full_why == "program" else "settings changed"
                )
                state += f", {changed}: read in full next run"
            problem = s.last_error or ""
            if s.consecutive_failures:
                problem = f"{s.consecutive_failures} failed in a row: {problem}"
            if s.skipped:
                reasons = sorted({k["reason"] for k in s.skipped})
                problem += f" skipped {len(s.skipped)}: {'; '.join(reasons)}"
            if s.dropped:  # items it gave that could not be kept (no link, no title)
                why = ", ".join(f"{k} {n}" for k, n in s.dropped.items())
                count = sum(s.dropped.values())
                problem += f" dropped {count} item{'' if count == 1 else 's'} ({why})"
            rows.append(
                (
                    s.id,
                    s.kind,
                    state,
                    s.schedule,
                    s.next_run or "-",
                    str(s.items),
                    s.last_success or "-",
                    problem.strip(),
                )
            )
        click.echo(table([COLUMNS, *rows]))
        if view.last_publish:
            verdict = "ok" if view.last_publish.get("ok") else "FAILED"
            click.echo(f"last publish: {view.last_publish.get('at')} {verdict}")
        for source, count in view.unconfigured.items():
            click.echo(
                f"not in the settings: {source}, {counted(count, 'item')} stored and still "
                "published; "
                f"`syndicate forget {source}` removes them"
            )
        if view.websub_owed:
            click.echo(
                f"WebSub: the hub has not heard of {view.websub_owed} changed feed(s) yet (it "
                "was down or busy); they are pinged again at the next publish (the service "
                "publishes for them every 15 minutes)"
            )
        if view.listener_problem:
            click.echo(
                f"WebSub: the service {view.listener_problem}: every source is polled; free "
                "the address or change [websub] listen, then restart the service"
            )
        if view.settings_changed_since:
            click.echo(
                f"the settings file changed since the service loaded it "
                f"({view.settings_changed_since}): reload the service to use it "
                "(such as `systemctl reload tdlc-syndication`; SIGHUP)"
            )
        for problem in view.problems:
            click.echo(f"problem: {problem}", err=True)
    raise SystemExit(EXIT_OK if view.healthy else EXIT_FAILED)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of one line.")
@pass_app
def health(app: App, as_json: bool) -> None:
    """Say whether all is well, for monitoring checks.

    One line (or JSON with --json, which also names the sources no longer in the
    settings whose items are still stored); exits 1 when a source is stale, the last
    publish failed or the service's plan is more than an hour overdue."""
    view = _overview(app)
    if as_json:
        verdict = {k: v for k, v in view.to_json().items() if k != "sources"}
        click.echo(json.dumps(verdict, ensure_ascii=False))
    elif view.healthy:
        working = sum(1 for s in view.sources if s.enabled)
        at = (view.last_publish or {}).get("at")
        published = f"last publish {at}" if at else "nothing published yet"
        click.echo(f"ok: {working} source{'' if working == 1 else 's'}, {published}")
    else:
        for problem in view.problems:
            click.echo(f"unhealthy: {problem}")
    raise SystemExit(EXIT_OK if view.healthy else EXIT_FAILED)


@cli.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@wait_option
@pass_app
def forget(app: App, targets: tuple[str, ...], yes: bool, wait: float | None) -> None:
    """Remove stored items: all of a SOURCE, or single ITEM ids.

    Item ids are source:native. They leave the feeds at the next publish, as if the
    origin had deleted them; a forgotten source starts afresh (its HTTP validators and
    state go too). A SOURCE no longer in the settings whose items are still stored can
    be forgotten too. An id no item has is refused, and nothing is forgotten. Run
    history stays."""
    from tdlc_syndication.pipeline.keep import forget_items

    ctx = app.context()
    with ctx.open_store() as store:
        stored = set(store.count_items())
        known = {s.id for s in app.settings.sources} | stored
        sources = [t for t in targets if t in known]
        items = [t for t in targets if t not in known]
        bad = [t for t in items if ":" not in t]
        if bad:
            app.fail(
                f"{', '.join(bad)}: neither a source id ({', '.join(sorted(known))}) nor an item id"
            )
        # A mistyped or cut-off id forgot nothing, and said only "forgot 0 items".
        unknown = [t for t in items if store.get_item(t) is None]
    if unknown:
        app.fail(
            f"no stored item has the id {', '.join(unknown)}; nothing was forgotten "
            "(`syndicate items` lists the ids)"
        )
    if not yes and sys.stdin.isatty():
        click.confirm(f"Forget {', '.join(targets)}?", abort=True)
    with app.lock("forget", wait), ctx.open_store() as store:
        app.started_work = True
        removed = forget_items(store, sources=sources, item_ids=items)
    app.echo(f"forgot {counted(removed, 'item')}; they leave the feeds at the next publish")


@cli.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def backup(app: App, target: Path) -> None:
    """Copy the store to TARGET while it is in use (SQLite's online backup).

    The copy is consistent even while the daemon writes, and appears whole or not at
    all. It is checked (SQLite's quick_check) before it replaces TARGET: a damaged store
    is not copied, and exits 2. Restore by stopping the daemon and putting the copy in
    the store's place. TARGET may be an earlier backup; any other file is refused."""
    from tdlc_syndication.pipeline.store import Store

    snapshot = app.snapshot()
    with Store(snapshot["database"]) as store:
        store.backup(target)
    app.echo(f"backed up {snapshot['database']} to {target}")
