"""``syndicate run``: the pipeline once (for cron) or as a service."""

from __future__ import annotations

import click

from tdlc_syndication.pipeline.cli.app import EXIT_FAILED, EXIT_OK, App, cli, pass_app
from tdlc_syndication.pipeline.cli.outputs import publish_outputs
from tdlc_syndication.pipeline.cli.sources import fetch_sources, summary


@cli.command()
@click.option("--once", is_flag=True, help="Fetch every source, publish, and exit.")
@pass_app
def run(app: App, once: bool) -> None:
    """Run the pipeline: fetch all enabled sources, then publish."""
    if not once:
        app.fail("the scheduler daemon is not available yet; use `syndicate run --once`")
    reports = fetch_sources(app, app.source_configs(()), force=False)
    summary(app, reports)
    clean = publish_outputs(app)
    raise SystemExit(EXIT_FAILED if any(r.failed for r in reports) or not clean else EXIT_OK)
