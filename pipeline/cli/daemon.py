"""``syndicate run``: the pipeline once (for cron) or as a service."""

from __future__ import annotations

import logging
import os
import sys

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
from tdlc_syndication.pipeline.cli.outputs import publish_outputs, quick_publish
from tdlc_syndication.pipeline.cli.sources import fetch_sources, summary
from tdlc_syndication.pipeline.lock import SERVICE


@cli.command()
@click.option("--once", is_flag=True, help="Fetch every enabled source, publish, and exit.")
@wait_option
@quiet_option
@pass_app
def run(app: App, once: bool, wait: float | None) -> None:
    """Run the pipeline: as a service (the scheduler daemon), or once with --once.

    The service syncs each source on its own `schedule`, publishes after syncs that
    changed something (and when an event in the upcoming events starts or ends), and
    holds the store until SIGTERM or SIGINT (exit 0); SIGHUP reloads the settings. With
    --once: fetch all enabled sources, publish, exit (1 when a source or a file failed).
    Both exit 4 when another process is using the store.
    """
    if once:
        with app.lock("run --once", wait):
            reports = fetch_sources(app, app.source_configs(()), force=False)
            summary(app, reports)
            clean = quick_publish(app) or publish_outputs(app)  # nothing new: no render
            after_run(app)
        raise SystemExit(EXIT_FAILED if any(r.failed for r in reports) or not clean else EXIT_OK)
    from tdlc_syndication.pipeline.daemon import Daemon

    with app.lock(SERVICE, wait):
        app.started_work = True
        daemon = Daemon(app.config_path, app.settings)
        finished = daemon.serve_forever()
    if not finished:  # the fetch threads still hold requests: leave without waiting
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_OK)
    raise SystemExit(EXIT_OK)


def after_run(app: App) -> None:
    """Prune old runs and write the metrics file, as the daemon does after each cycle."""
    from datetime import UTC, datetime

    from tdlc_syndication.pipeline.metrics import close_cycle

    with app.context().open_store() as store:
        try:
            close_cycle(app.settings, store, datetime.now(UTC))
        except OSError as exc:
            app.err.print(f"metrics: {exc}", markup=False)
