"""The ``syndicate`` command line.

Exit codes: 0 everything worked; 1 a source failed (the others still ran and were
stored); 2 a usage or configuration error (nothing ran). Errors a user can cause print
one clear message, never a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tdlc_syndication.config.loader import ENV_VAR, find_config, load_overrides, load_settings
from tdlc_syndication.config.models import Settings, SourceConfig
from tdlc_syndication.outputs.base import public_url
from tdlc_syndication.outputs.lint import is_feed, lint_files
from tdlc_syndication.pipeline.errors import ConfigError, SyndicationError
from tdlc_syndication.pipeline.model import StoredItem, item_to_dict
from tdlc_syndication.pipeline.run import Context, RunReport, publish, run_sources
from tdlc_syndication.pipeline.serve import make_server
from tdlc_syndication.sources.registry import config_problems

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_SOURCE_FAILED, EXIT_USAGE = 0, 1, 2


class App:
    """What the group command hands to its subcommands."""

    def __init__(self, config_path: Path, verbose: int) -> None:
        self.config_path = config_path
        self.verbose = verbose
        self._settings: Settings | None = None
        self.out = Console(soft_wrap=True)
        self.err = Console(stderr=True, soft_wrap=True)

    @property
    def settings(self) -> Settings:
        """The validated settings (loaded on first use; a broken file exits 2)."""
        if self._settings is None:
            try:
                self._settings = load_settings(self.config_path)
            except ConfigError as exc:
                for problem in exc.problems:
                    self.err.print(f"{exc.path}: {problem}", markup=False, highlight=False)
                n = len(exc.problems)
                self.err.print(
                    f"{n} problem{'s' if n != 1 else ''} in {exc.path}; nothing was run.",
                    markup=False,
                    highlight=False,
                )
                sys.exit(EXIT_USAGE)
        return self._settings

    def context(self) -> Context:
        """A run context for the loaded settings."""
        return Context.create(self.settings)

    def fail(self, message: str, code: int = EXIT_USAGE) -> NoReturn:
        """Print one error line and exit."""
        self.err.print(f"error: {message}", markup=False, highlight=False)
        sys.exit(code)


pass_app = click.make_pass_decorator(App)


def _guard(func: F) -> F:
    """Turn project errors raised inside a command into one line and exit code 2."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            for problem in exc.problems:
                click.echo(f"{exc.path}: {problem}", err=True)
            sys.exit(EXIT_USAGE)
        except SyndicationError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--config",
    "-c",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Settings file. Default: ${ENV_VAR}, else ./syndicate.toml, else the built-in demo.",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="tdlc-syndication")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, verbose: int) -> None:
    """Gather the program's materials from many sources and publish feeds and a site.

    Typical use: `syndicate run --once` from cron, or `syndicate fetch` then
    `syndicate publish` by hand.
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(
        level=max(level, logging.DEBUG),
        format="%(message)s",
        handlers=[RichHandler(console=Console(stderr=True), show_path=False, markup=False)],
    )
    ctx.obj = App(find_config(config_path), verbose)


@cli.command()
@pass_app
@_guard
def check(app: App) -> None:
    """Validate the settings file and list its sources and feeds."""
    settings = app.settings
    table = Table(title=f"{len(settings.sources)} sources in {app.config_path}")
    for column in ("id", "kind", "location", "schedule", "enabled"):
        table.add_column(column)
    for src in settings.sources:
        table.add_row(
            src.id, src.kind, _location(src), src.schedule, "yes" if src.enabled else "no"
        )
    app.out.print(table)
    feeds = ["all", *(f.id for f in settings.feeds)]
    app.out.print(f"feeds: {', '.join(feeds)}", markup=False)
    app.out.print(
        f"output: {settings.site.output_dir}  store: {settings.site.database}", markup=False
    )
    problems = [
        f"sources.{n} (id {src.id!r}).{problem}"
        for n, src in enumerate(settings.sources)
        for problem in config_problems(src)
    ]
    if problems:
        raise ConfigError(str(app.config_path), problems)
    overrides = load_overrides(settings)
    if settings.editorial.overrides:
        app.out.print(
            f"overrides: {len(overrides)} in {settings.editorial.overrides}", markup=False
        )
    app.out.print("configuration OK", markup=False)


@cli.command()
@click.argument("source_ids", nargs=-1)
@click.option("--force", is_flag=True, help="Fetch even sources in back-off or retired.")
@pass_app
@_guard
def fetch(app: App, source_ids: tuple[str, ...], force: bool) -> None:
    """Fetch sources and store their items (all enabled sources when no SOURCE_IDS)."""
    reports = _fetch(app, source_ids, force)
    _summary(app, reports)
    sys.exit(EXIT_SOURCE_FAILED if any(r.failed for r in reports) else EXIT_OK)


@cli.command(name="publish")
@pass_app
@_guard
def publish_cmd(app: App) -> None:
    """Write the feeds and the site from the store into the output folder.

    Every feed is linted first; a feed that fails keeps its published file and the
    command exits 1.
    """
    sys.exit(EXIT_OK if _publish(app) else EXIT_SOURCE_FAILED)


@cli.command()
@click.option("--once", is_flag=True, help="Fetch every source, publish, and exit.")
@pass_app
@_guard
def run(app: App, once: bool) -> None:
    """Run the pipeline: fetch all enabled sources, then publish."""
    if not once:
        app.fail("the scheduler daemon is not available yet; use `syndicate run --once`")
    reports = _fetch(app, (), force=False)
    _summary(app, reports)
    clean = _publish(app)
    sys.exit(EXIT_SOURCE_FAILED if any(r.failed for r in reports) or not clean else EXIT_OK)


@cli.command()
@pass_app
@_guard
def lint(app: App) -> None:
    """Check the published feeds against the feed validator's rules; exit 1 on any problem."""
    settings = app.settings
    root = settings.site.output_dir
    files = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.glob("feeds/**/*"))
        if p.is_file()
    }
    feeds = [path for path in files if is_feed(path)]
    if not feeds:
        app.fail(f"no feeds in {root}; run `syndicate publish` first", EXIT_SOURCE_FAILED)
    problems = lint_files(
        files, lambda path: public_url(settings, path), settings.site.max_feed_bytes
    )
    for problem in problems:
        app.err.print(str(problem), markup=False, highlight=False)
    app.out.print(f"{len(feeds)} feeds checked, {len(problems)} problems", markup=False)
    sys.exit(EXIT_SOURCE_FAILED if problems else EXIT_OK)


@cli.command()
@click.option("--host", default=None, help="Address to listen on (default: [serve] host).")
@click.option("--port", type=int, default=None, help="Port to listen on (default: [serve] port).")
@pass_app
@_guard
def serve(app: App, host: str | None, port: int | None) -> None:
    """Serve the output folder for preview or a small deployment.

    Feeds get their media types, ETag and Last-Modified (with 304 answers), the
    configured Cache-Control, and gzip when the client accepts it.
    """
    settings = app.settings
    server = make_server(
        settings.site.output_dir,
        host or settings.serve.host,
        settings.serve.port if port is None else port,
        settings.serve.cache_control,
    )
    bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
    app.out.print(
        f"serving {settings.site.output_dir} on http://{bound_host}:{bound_port}/ (Ctrl-C stops)",
        markup=False,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_app
@_guard
def status(app: App, as_json: bool) -> None:
    """Show every source: status, last success, last error and stored item count."""
    settings = app.settings
    with app.context().open_store() as store:
        states = store.states()
        counts = store.count_items()
    rows: list[dict[str, Any]] = []
    for src in settings.sources:
        state = states.get(src.id)
        status_text = "never run" if state is None else state.status
        if not src.enabled:
            status_text = "disabled"
        rows.append(
            {
                "id": src.id,
                "kind": src.kind,
                "status": status_text,
                "url": _location(src),
                "moved_to": state.url if state and state.url else None,
                "last_attempt": _iso(state.last_attempt if state else None),
                "last_success": _iso(state.last_success if state else None),
                "last_error": state.last_error if state else None,
                "consecutive_failures": state.consecutive_failures if state else 0,
                "retry_after": _iso(state.retry_after if state else None),
                "items": counts.get(src.id, 0),
            }
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table()
    for column in ("id", "kind", "status", "items", "last success", "last error"):
        table.add_column(column)
    for row in rows:
        status_text = row["status"]
        if row["moved_to"]:
            status_text += f" (moved to {row['moved_to']})"
        table.add_row(
            row["id"],
            row["kind"],
            status_text,
            str(row["items"]),
            row["last_success"] or "-",
            row["last_error"] or "",
        )
    app.out.print(table)


@cli.command()
@click.option("--source", "source_id", help="Only items of this source.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON with every schema field.")
@click.option(
    "--explain", "explain_id", metavar="ID", help="Show which rule set each topic, place and kind."
)
@pass_app
@_guard
def items(
    app: App, source_id: str | None, limit: int, as_json: bool, explain_id: str | None
) -> None:
    """List stored items, newest first (duplicates included, marked)."""
    if explain_id is not None:
        _explain(app, explain_id, as_json)
        return
    if source_id is not None and source_id not in {s.id for s in app.settings.sources}:
        app.fail(f"no source {source_id!r} in {app.config_path}")
    with app.context().open_store() as store:
        found = store.items(source_id, limit)
    if as_json:
        click.echo(json.dumps([_item_json(s) for s in found], indent=2, ensure_ascii=False))
        return
    table = Table()
    for column in ("date", "kind", "title", "id"):
        table.add_column(column)
    for stored in found:
        item = stored.item
        date = item.published.date().isoformat() if item.published else "undated"
        title = item.title + (
            f"  (duplicate of {stored.duplicate_of})" if stored.duplicate_of else ""
        )
        table.add_row(date, item.kind, title, item.id)
    app.out.print(table)


# -- helpers -------------------------------------------------------------------------


def _explain(app: App, item_id: str, as_json: bool) -> None:
    with app.context().open_store() as store:
        stored = store.get_item(item_id)
        if stored is None:
            app.fail(f"no item {item_id!r} in the store; `syndicate items` lists the ids")
        reasons = store.explanation(stored.item.source, item_id)
    item = stored.item
    if as_json:
        click.echo(
            json.dumps(
                {
                    "id": item.id,
                    "kind": item.kind,
                    "topics": list(item.topics),
                    "places": list(item.places),
                    "reasons": [{"facet": f, "term": t, "rule": r} for f, t, r in reasons],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    table = Table(title=f"{item.id}: {item.title}")
    for column in ("facet", "term", "rule"):
        table.add_column(column)
    for facet, term, rule in reasons:
        table.add_row(facet, term, rule)
    app.out.print(table)
    if stored.duplicate_of:
        app.out.print(f"duplicate of {stored.duplicate_of}", markup=False)


def _fetch(app: App, source_ids: Sequence[str], force: bool) -> list[RunReport]:
    settings = app.settings
    known = {s.id: s for s in settings.sources}
    unknown = [s for s in source_ids if s not in known]
    if unknown:
        app.fail(f"unknown source {', '.join(unknown)}; known: {', '.join(known)}")
    chosen: list[SourceConfig] = (
        [known[s] for s in source_ids] if source_ids else [s for s in settings.sources if s.enabled]
    )
    ctx = app.context()
    if app.err.is_terminal:
        with Progress(
            TextColumn("fetching"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=app.err,
            transient=True,
        ) as progress:
            task = progress.add_task("", total=len(chosen))

            def done(report: RunReport) -> None:
                progress.update(task, advance=1, description=report.source)

            return run_sources(ctx, chosen, force=force, on_done=done)

    def log_done(report: RunReport) -> None:
        counts = f"{report.new} new, {report.changed} changed, {report.unchanged} unchanged"
        detail = f" ({report.error})" if report.error else ""
        click.echo(f"fetched {report.source}: {report.status}; {counts}{detail}", err=True)

    return run_sources(ctx, chosen, force=force, on_done=log_done)


def _summary(app: App, reports: Sequence[RunReport]) -> None:
    table = Table(title="fetch summary")
    for column in ("source", "status", "new", "changed", "unchanged", "dropped", "detail"):
        table.add_column(column)
    for r in reports:
        detail = r.error or ""
        if r.moved_to:
            detail = f"moved permanently to {r.moved_to}"
        if r.notes:
            detail = (detail + " " if detail else "") + ", ".join(
                f"{k}: {v}" for k, v in sorted(r.notes.items())
            )
        table.add_row(
            r.source, r.status, str(r.new), str(r.changed), str(r.unchanged), str(r.dropped), detail
        )
    app.out.print(table)
    failed = [r for r in reports if r.failed]
    for r in failed:
        app.err.print(f"failed: {r.source}: {r.error}", markup=False, highlight=False)


def _publish(app: App) -> bool:
    """Publish; print what happened; True when every file passed lint."""
    ctx = app.context()
    with ctx.open_store() as store:
        report = publish(ctx, store)
    app.out.print(
        f"published to {app.settings.site.output_dir}: {len(report.written)} written, "
        f"{len(report.unchanged)} unchanged",
        markup=False,
    )
    if report.pinged or report.ping_failures:
        app.out.print(
            f"WebSub: {len(report.pinged)} feeds pinged, {len(report.ping_failures)} failed",
            markup=False,
        )
    for problem in report.refused:
        app.err.print(f"lint: {problem} (the published file was kept)", markup=False)
    return not report.refused


def _location(src: SourceConfig) -> str:
    url = getattr(src, "url", None)
    return str(url) if url else str(getattr(src, "path", ""))


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _item_json(stored: StoredItem) -> dict[str, Any]:
    data = item_to_dict(stored.item)
    data.update(
        first_seen=_iso(stored.first_seen),
        last_seen=_iso(stored.last_seen),
        last_changed=_iso(stored.last_changed),
        sort_date=_iso(stored.sort_date),
        content_hash=stored.content_hash,
        duplicate_of=stored.duplicate_of,
        also_seen_at=list(stored.also_seen_at),
        retracted=stored.retracted,
    )
    return data


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="syndicate", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
