"""Commands about outputs: ``publish``, ``lint`` and ``serve``."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

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


@cli.command(name="publish")
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Publish even from a store without items over published feeds.",
)
@click.option(
    "--new-ids",
    is_flag=True,
    help="Publish though the settings give every feed and entry a new id (a new "
    "base_url host or id_date): readers will show every item again as new.",
)
@wait_option
@quiet_option
@pass_app
def publish_cmd(app: App, allow_empty: bool, new_ids: bool, wait: float | None) -> None:
    """Write the feeds and the site from the store into the output folder.

    Every feed is linted first; an entry that fails is left out, a feed that still fails
    keeps its published file, and the command exits 1. A store without items never
    empties published feeds unless --allow-empty, and the ids of published feeds and
    entries never change unless --new-ids. Files missing from the output folder are put
    back. Exits 4 when another process is using the store.
    """
    with app.lock("publish", wait):
        clean = quick_publish(app) or publish_outputs(app, allow_empty=allow_empty, new_ids=new_ids)
    raise SystemExit(EXIT_OK if clean else EXIT_FAILED)


def quick_publish(app: App) -> bool:
    """True (and said) when the last publish used the same files, no item changed since
    and every file it wrote is in place: known from the settings snapshot and the store,
    without importing the publishing code."""
    from datetime import UTC, datetime

    from tdlc_syndication.outputs.write import remove_leftovers
    from tdlc_syndication.pipeline.overview import record_publish
    from tdlc_syndication.pipeline.quick import inputs_stamp, missing_outputs, nothing_to_publish
    from tdlc_syndication.pipeline.store import Store

    started = time.monotonic()
    snapshot = app.snapshot()  # the cached one; from the settings once they are loaded
    if not Path(snapshot["database"]).is_file():
        return False
    overrides = Path(snapshot["overrides"]) if snapshot.get("overrides") else None
    output_dir = Path(snapshot["output_dir"])
    with Store(Path(snapshot["database"])) as store:
        now = datetime.now(UTC)
        if not nothing_to_publish(store, inputs_stamp(app.config_path, overrides), now):
            return False
        if missing_outputs(store, output_dir):
            return False  # the full publish puts them back
        remove_leftovers(output_dir)  # of a killed publish, as always
        record_publish(store, now, ok=True, seconds=time.monotonic() - started, written=0)
    app.echo(f"published to {snapshot['output_dir']}: 0 written, 0 unchanged")
    return True


def publish_outputs(app: App, *, allow_empty: bool = False, new_ids: bool = False) -> bool:
    """Publish; print what happened; True when every file passed lint."""
    from tdlc_syndication.pipeline.guards import keep_ids, refuse_empty_store
    from tdlc_syndication.pipeline.publish import publish_recorded
    from tdlc_syndication.pipeline.quick import inputs_stamp

    ctx = app.context()
    inputs = inputs_stamp(app.config_path, app.settings.editorial.overrides)
    with ctx.open_store() as store:
        if not allow_empty:
            refuse_empty_store(store, app.settings.site.output_dir)  # nothing ran: exit 2
        keep_ids(store, app.settings, new_ids=new_ids)  # likewise
        app.started_work = True
        report = publish_recorded(ctx, store, allow_empty=True, inputs=inputs, new_ids=new_ids)
    app.echo(
        f"published to {app.settings.site.output_dir}: {len(report.written)} written, "
        f"{len(report.unchanged)} unchanged"
    )
    if report.pinged or report.ping_failures:
        again = (
            f" ({len(report.pings_owed)} asked again at the next publish)"
            if report.pings_owed
            else ""
        )
        app.echo(
            f"WebSub: {len(report.pinged)} feeds pinged, {len(report.ping_failures)} failed{again}"
        )
    for problem in report.degraded:
        app.err.print(f"lint: {problem} (the entry was left out)", markup=False)
    for problem in report.refused:
        app.err.print(f"lint: {problem} (the published file was kept)", markup=False)
    return not report.refused


@cli.command()
@pass_app
def lint(app: App) -> None:
    """Check the published feeds against the feed validator's rules; exit 1 on any problem."""
    from tdlc_syndication.outputs.formats import DIGEST_FEED, feed_format, lint_files
    from tdlc_syndication.outputs.view import StoreView, public_url

    settings = app.settings
    root = settings.site.output_dir
    found = [*root.glob("feeds/**/*"), root / DIGEST_FEED]
    files = _FilesOnDisk(root, sorted(p for p in found if p.is_file()))
    feeds = [path for path in files if feed_format(path)]
    if not feeds:
        app.fail(f"no feeds in {root}; run `syndicate publish` first", EXIT_FAILED)
    with app.context().open_store() as store:
        kept = StoreView(store, settings).kept_ids()
    try:
        problems = lint_files(
            files, lambda path: public_url(settings, path), settings.site.max_feed_bytes, kept
        )
    except OSError as exc:  # each file is read as it is checked: a publish may remove one
        app.fail(
            f"cannot read {exc.filename}: {exc.strerror} (a publish running? run lint again)",
            EXIT_FAILED,
        )
    for problem in problems:
        app.err.print(str(problem), markup=False, highlight=False)
    app.out.print(f"{len(feeds)} feeds checked, {len(problems)} problems", markup=False)
    raise SystemExit(EXIT_FAILED if problems else EXIT_OK)


@cli.command()
@click.option("--host", default=None, help="Address to listen on (default: [serve] host).")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Port to listen on, 0 for any free one (default: [serve] port).",
)
@pass_app
def serve(app: App, host: str | None, port: int | None) -> None:
    """Serve the output folder for preview or a small deployment.

    Feeds get their media types, ETag and Last-Modified (with 304 answers), the
    configured Cache-Control, and gzip when the client accepts it; the old addresses of
    renamed feeds and pages (_redirects) answer 301. /metrics answers in
    the Prometheus text format and /healthz with 200 or 503, from the store.

    SIGTERM or Ctrl-C stops it: no new connections, and the answers in progress get
    8 seconds to finish (a second signal stops it at once).
    """
    from urllib.parse import urlsplit

    from tdlc_syndication.pipeline.serve import STOP_GRACE, make_server

    settings = app.settings
    address = (host or settings.serve.host, settings.serve.port if port is None else port)
    try:
        server = make_server(
            settings.site.output_dir,
            *address,
            settings.serve.cache_control,
            probes={
                "/metrics": lambda _: _probe(app, "metrics"),
                "/healthz": lambda _: _probe(app, "health"),
            },
            base=urlsplit(settings.site.base_url).path or "/",
        )
    except OSError as exc:  # the port is taken, the address is not this machine's...
        app.fail(f"cannot listen on {address[0]} port {address[1]}: {exc.strerror or exc}")
    bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
    if ":" in bound_host:
        bound_host = f"[{bound_host}]"  # an IPv6 address in a URL
    try:  # a stop from here on (even before the first request) is a clean stop
        app.out.print(
            f"serving {settings.site.output_dir} on http://{bound_host}:{bound_port}/ "
            "(Ctrl-C stops)",
            markup=False,
        )
        if not settings.site.output_dir.is_dir():  # every answer is 404 until then
            app.echo(f"{settings.site.output_dir} does not exist yet: the first publish writes it")
        server.serve_forever()
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (``app.Terminated``)
        pass
    finally:
        cut = server.drain(STOP_GRACE)
    app.echo(f"stopped ({cut} answers cut short)" if cut else "stopped")


def _probe(app: App, what: str) -> tuple[int, str, bytes]:
    """The answer of ``/metrics`` or ``/healthz``: read from the store at each request."""
    from datetime import UTC, datetime

    from tdlc_syndication.pipeline.errors import SyndicationError
    from tdlc_syndication.pipeline.metrics import metrics_text
    from tdlc_syndication.pipeline.overview import overview, snapshot_of

    try:
        with app.context().open_store() as store:
            view = overview(snapshot_of(app.settings), store, datetime.now(UTC))
            if what == "metrics":
                text = metrics_text(view, store)
                return 200, "text/plain; version=0.0.4; charset=utf-8", text.encode()
    except SyndicationError as exc:
        return 503, "text/plain; charset=utf-8", f"unhealthy: {exc}\n".encode()
    if view.healthy:
        return 200, "text/plain; charset=utf-8", b"ok\n"
    lines = "".join(f"unhealthy: {p}\n" for p in view.problems)
    return 503, "text/plain; charset=utf-8", lines.encode()


class _FilesOnDisk(Mapping[str, bytes]):
    """Files under ``root`` by relative path (``paths``), each read when it is looked up:
    ``lint_files`` holds one at a time (``lint`` read every file first, 300 MB for the
    6,000 archive pages of a 300,000-item site)."""

    def __init__(self, root: Path, paths: Sequence[Path]) -> None:
        self._paths = {path.relative_to(root).as_posix(): path for path in paths}

    def __getitem__(self, relpath: str) -> bytes:
        return self._paths[relpath].read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)
