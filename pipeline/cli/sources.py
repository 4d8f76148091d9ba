"""Commands about sources: ``check``, ``fetch`` and ``try``."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from tdlc_syndication.pipeline.cli.app import (
    EXIT_FAILED,
    EXIT_OK,
    App,
    cli,
    pass_app,
    quiet_option,
    wait_option,
)
from tdlc_syndication.pipeline.cli.show import counted, iso, location, table, with_when

if TYPE_CHECKING:
    from tdlc_syndication.config.sources import HtmlSourceConfig, SourceConfig
    from tdlc_syndication.config.websub import WebSubConfig
    from tdlc_syndication.pipeline.ledger import Hub, RunReport

SUMMARY_COLUMNS = ("source", "status", "new", "changed", "unchanged", "dropped", "detail")


@cli.command()
@pass_app
def check(app: App) -> None:
    """Validate the settings file and list its sources and feeds."""
    from tdlc_syndication.config.errors import ConfigError
    from tdlc_syndication.config.loader import load_overrides
    from tdlc_syndication.sources.registry import config_problems, config_warnings

    settings = app.settings
    click.echo(f"{counted(len(settings.sources), 'source')} in {app.config_path}")
    rows = [
        (src.id, src.kind, src.schedule, "yes" if src.enabled else "no", location(src))
        for src in settings.sources
    ]
    click.echo(table([("id", "kind", "schedule", "enabled", "location"), *rows]))
    feeds = ["all", *(f.id for f in settings.feeds)]
    app.out.print(f"feeds: {', '.join(feeds)}", markup=False)
    renamed = [
        *(f"{facet[:-1]} {old} → {new}" for facet, _ in settings.taxonomy.vocabularies()
          for old, new in settings.taxonomy.renamed(facet).items()),
        *(f"feed {old} → {feed.id}" for feed in settings.feeds for old in feed.formerly),
    ]  # fmt: skip
    if renamed:
        app.out.print(
            f"renamed (the old addresses keep answering): {', '.join(renamed)}", markup=False
        )
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
    vocabulary = settings.taxonomy.kinds
    for n, src in enumerate(settings.sources):
        for warning in config_warnings(src, vocabulary):
            app.out.print(f"warning: sources.{n} (id {src.id!r}).{warning}", markup=False)
    overrides = load_overrides(settings)
    if settings.editorial.overrides:
        app.out.print(
            f"overrides: {len(overrides)} in {settings.editorial.overrides}", markup=False
        )
        for item_id in _unknown_overrides(app, list(overrides)):
            app.out.print(
                f"warning: {settings.editorial.overrides}: no item {item_id!r} in the store "
                "(a typo, or not fetched yet); `syndicate items --ids` lists the ids",
                markup=False,
            )
    for facet, slug, count in _leaving(app):
        app.out.print(
            f"warning: {facet} {slug!r} has {counted(count, 'published item')} and is no "
            f"longer in [taxonomy.{facet}s]: the next publish deletes its feeds and page "
            f"(readers of feeds/{facet}/{slug}.atom get 404). If it was renamed, list it "
            f'in the new term\'s formerly (formerly = ["{slug}"])',
            markup=False,
        )
    owed = _read_in_full(app)
    if owed:
        named = ", ".join(owed[:10]) + (f" and {len(owed) - 10} more" if len(owed) > 10 else "")
        app.out.print(
            f"note: the next run reads {len(owed)} source{'' if len(owed) == 1 else 's'} in "
            "full, as what shapes their items (the settings, or this version of the program) "
            f"changed since their last read: {named}",
            markup=False,
        )
    app.out.print("configuration OK", markup=False)


def _read_in_full(app: App) -> list[str]:
    """The enabled sources whose settings changed since their last read (none when there
    is no store yet): the next run reads them in full."""
    from tdlc_syndication.pipeline.ledger import owes_full_read, source_shape
    from tdlc_syndication.pipeline.overview import Bookkeeping

    settings, database = app.settings, app.settings.site.database
    if not database.exists():
        return []
    with Bookkeeping(database) as store:
        states = store.states()
    return [
        src.id
        for src in settings.sources
        if src.enabled and owes_full_read(states.get(src.id), source_shape(settings, src))
    ]


def _leaving(app: App) -> list[tuple[str, str, int]]:
    """The topics, places and kinds published with items (at the last publish) that the
    taxonomy no longer has, by any slug: (facet, slug, items). None without a store."""
    from tdlc_syndication.pipeline.store import Store

    database, taxonomy = app.settings.site.database, app.settings.taxonomy
    if not database.exists():
        return []
    with Store(database) as store:
        stats = store.feed_stats()
    found = []
    terms = {name.removesuffix("s"): named for name, named in taxonomy.vocabularies()}
    for key, (count, _) in sorted(stats.items()):
        facet, _, slug = key.partition(":")
        if count and facet in terms and taxonomy.current(f"{facet}s", slug) not in terms[facet]:
            found.append((facet, slug, count))
    return found


def _unknown_overrides(app: App, ids: list[str]) -> list[str]:
    """Override ids that name no stored item (none when there is no store yet)."""
    from tdlc_syndication.pipeline.store import Store

    database = app.settings.site.database
    if not ids or not database.exists():
        return []
    with Store(database) as store:
        known = store.stored_items(ids)
    return [i for i in ids if i not in known]


@cli.command()
@click.argument("source_ids", nargs=-1)
@click.option("--force", is_flag=True, help="Fetch even sources in back-off or retired.")
@click.option(
    "--full",
    is_flag=True,
    help='Read every document again, as if the source were new: no "has it changed?" '
    "questions, cursors from the start. Stored items are made again from what the "
    "origin gives now (a run does so by itself after a change of the settings that "
    "shape a source's items).",
)
@wait_option
@quiet_option
@pass_app
def fetch(
    app: App, source_ids: tuple[str, ...], force: bool, full: bool, wait: float | None
) -> None:
    """Fetch sources and store their items.

    All enabled sources when no SOURCE_IDS are given. Exits 4 when another process is
    using the store."""
    chosen = app.source_configs(source_ids)
    with app.lock("fetch", wait):
        reports = fetch_sources(app, chosen, force, full=full)
    summary(app, reports)
    raise SystemExit(EXIT_FAILED if any(r.failed for r in reports) else EXIT_OK)


@cli.command(name="try")
@click.argument("source_id")
@click.option("--json", "as_json", is_flag=True, help="Print the items as JSON.")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Items shown in the table.",
)
@pass_app
def try_source(app: App, source_id: str, as_json: bool, limit: int) -> None:
    """Show what one source would give, storing nothing.

    The source is fetched whether enabled or not; no item, state or run record is
    written. The way to verify a source before enabling it."""
    from tdlc_syndication.config.sources import (
        CatalogSourceConfig,
        HtmlSourceConfig,
        IcalSourceConfig,
    )
    from tdlc_syndication.pipeline.classify import Classifier
    from tdlc_syndication.pipeline.ledger import SourceState
    from tdlc_syndication.pipeline.model import item_to_dict
    from tdlc_syndication.pipeline.prepare import Collected, prepare
    from tdlc_syndication.pipeline.run import fetch_documents

    config = app.source_configs((source_id,))[0]  # named: enabled or not
    ctx = app.context()
    documents = fetch_documents(ctx, config, SourceState(source=config.id), {})
    result = (
        documents
        if not isinstance(documents, list)
        else prepare(config, documents, ctx.rules(), Classifier.of(ctx), ctx.clock())
    )
    if not isinstance(result, Collected):
        app.err.print(f"{config.id}: {result.status}: {result.error or ''}", markup=False)
        raise SystemExit(EXIT_FAILED if result.status != "not_modified" else EXIT_OK)
    items = list(result.items.values())
    if as_json:
        click.echo(json.dumps([item_to_dict(i) for i in items], ensure_ascii=False, indent=2))
        return
    click.echo(f"{config.id}: {counted(len(items), 'item')} (nothing was stored)")
    rows: list[tuple[str, ...]] = [
        (
            iso(item.published) or "undated",
            item.kind,
            item.title,
            ", ".join((*item.topics, *item.places)) or "-",
            item.id,
        )
        for item in items[:limit]
    ]
    header: tuple[str, ...] = ("published", "kind", "title", "topics / places", "id")
    click.echo(table(with_when([header, *rows], items[:limit], ctx.settings.site.timezone)))
    for skip in result.skipped:
        app.out.print(f"skipped {skip.url}: {skip.reason}", markup=False)
    for withdrawn in result.retractions:  # deleted at the origin, a private event
        app.out.print(f"withdrawn {withdrawn.id}: {withdrawn.reason}", markup=False)
    for reason, count in sorted(result.notes.counts.items()):
        app.out.print(f"{reason}: {count}", markup=False)
    lost = result.notes.counts.get("no-link", 0)
    if lost and isinstance(config, IcalSourceConfig) and config.page_url is None:
        app.out.print(
            f"{counted(lost, 'event')} dropped: no URL in the event nor the calendar "
            "(Google's and Outlook's calendars give none); set page_url to the page that "
            "shows the calendar, where such events will link",
            markup=False,
        )
    if result.hub is not None and result.hub.hub:
        app.out.print(_hub_hint(ctx.settings.websub, config.id, result.hub), markup=False)
    undated = sum(1 for item in items if item.published is None)
    if undated and isinstance(config, HtmlSourceConfig):
        app.out.print(_undated_hint(config, undated, len(items)), markup=False)
    elif undated and isinstance(config, CatalogSourceConfig):
        app.out.print(
            f"{undated} of {counted(len(items), 'item')} undated: an entry's published (or "
            "date) that is not read as a date leaves it undated; write it as 2026-11-26, "
            "or give a date written with numbers day or month first (26/11/2026) the "
            'entry\'s or the source\'s language (language = "en-GB", "id")',
            markup=False,
        )


def _hub_hint(websub: WebSubConfig, source_id: str, hub: Hub) -> str:
    """What ``try`` says of the WebSub hub a feed names."""
    if source_id in websub.skip:
        how = "the service does not subscribe ([websub] skip names it)"
    elif websub.enabled:
        how = "the service subscribes"
    else:
        how = "with [websub] callback set, the service subscribes"
    return f"the WebSub hub {hub.hub} can push its new entries (topic {hub.topic}): {how}"


def _undated_hint(config: HtmlSourceConfig, undated: int, total: int) -> str:
    """What to set when a list page's items came without dates (``try`` says it)."""
    said = f"{undated} of {counted(total, 'item')} undated: "
    if config.date_format != "auto":
        return said + f"their dates are not in date_format ({config.date_format!r})"
    where = "" if config.date_selector else "name the element with the date (date_selector); "
    return said + (
        f"{where}a date written with numbers, day or month first (05/11/2026), needs "
        "the list's language (language = \"id\"; a page's <html lang> names it) or "
        'date_format = "%d/%m/%Y" or "%m/%d/%Y", where none of the list\'s dates tells '
        "(26/11/2026 is day first)"
    )


def fetch_sources(
    app: App, chosen: Sequence[SourceConfig], force: bool, *, full: bool = False
) -> list[RunReport]:
    """Run the sources with progress (a bar on a terminal, a line per source otherwise);
    ``full``: each read in full (``fetch --full``)."""
    from tdlc_syndication.pipeline.run import run_sources

    ctx = app.context()
    ctx.open_store().close()  # a store that cannot be opened: nothing ran (exit 2)
    app.started_work = True
    if not app.quiet and sys.stderr.isatty() and app.err.is_terminal:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

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

            return run_sources(ctx, chosen, force=force, full=full, on_done=done)

    def log_done(report: RunReport) -> None:
        if app.quiet:
            return
        if not report.ran:  # "postponed (the origin asks for no poll before ...)"
            detail = f" ({report.error})" if report.error else ""
            click.echo(f"fetched {report.source}: {report.status}{detail}", err=True)
            return
        counts = report.said()
        if report.skipped:
            counts += f", {len(report.skipped)} skipped"
        detail = f" ({report.error})" if report.error else ""
        click.echo(f"fetched {report.source}: {report.status}; {counts}{detail}", err=True)

    return run_sources(ctx, chosen, force=force, full=full, on_done=log_done)


def summary(app: App, reports: Sequence[RunReport]) -> None:
    """The fetch summary table (not with ``-q``), then one line per failed source.

    Plain text, as ``status`` prints: a run from cron or a unit is read in a mail or a
    journal, and a table of 400 sources is drawn in milliseconds."""
    if not app.quiet:
        rows = [
            (
                r.source,
                r.status,
                str(r.new),
                str(r.changed),
                str(r.unchanged),
                str(r.dropped),
                run_detail(r),
            )
            for r in reports
        ]
        click.echo("fetch summary")
        click.echo(table([SUMMARY_COLUMNS, *rows]))
    for r in reports:
        if r.failed:
            click.echo(f"failed: {r.source}: {r.error}", err=True)
        for skip in r.skipped:
            click.echo(f"skipped: {r.source}: {skip.url}: {skip.reason}", err=True)


def run_detail(report: RunReport) -> str:
    """What a run report says beyond its counts: error, move, withdrawals, notes and
    skips."""
    parts = []
    if report.error:
        parts.append(report.error)
    if report.moved_to:
        parts.append(f"moved permanently to {report.moved_to}")
    if report.retracted:  # deleted at the origin, a private or deleted event
        parts.append(f"withdrawn: {report.retracted}")
    if report.notes:
        parts.append(", ".join(f"{k}: {v}" for k, v in sorted(report.notes.items())))
    if report.skipped:
        reasons = sorted({s.reason for s in report.skipped})
        parts.append(f"skipped {len(report.skipped)}: {'; '.join(reasons)}")
    return " ".join(parts)
