"""Publishing: every output rendered from the store, linted, and written where it changed.

Rendering is pure (no clock, no network; the same store gives the same bytes), lint keeps
a published feed when its new version fails the validator's rules, ``outputs.write`` is
the only writer, and the WebSub ping runs last, for the feeds whose file changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tdlc_syndication.config.loader import load_overrides
from tdlc_syndication.outputs import default_publishers
from tdlc_syndication.outputs.formats import feed_format, lint_files
from tdlc_syndication.outputs.lint import Problem
from tdlc_syndication.outputs.view import StoreView
from tdlc_syndication.outputs.websub import ping_hub
from tdlc_syndication.outputs.write import write_files
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.errors import PublishError
from tdlc_syndication.pipeline.store import Store


@dataclass(slots=True)
class PublishReport:
    """What ``publish`` did: files written and left alone, feeds refused by lint (their old
    file kept), and the WebSub pings."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    pinged: list[str] = field(default_factory=list)
    ping_failures: dict[str, str] = field(default_factory=dict)


def render_all(ctx: Context, store: Store) -> tuple[StoreView, dict[str, bytes]]:
    """Render every output from the store, without writing anything.

    Raises:
        PublishError: two publishers claim the same path.
        ConfigError: the editors' overrides file is invalid.
    """
    view = StoreView(store, ctx.settings, load_overrides(ctx.settings))
    files: dict[str, bytes] = {}
    for publisher in default_publishers(ctx.settings):
        for path, data in publisher.render(view).items():
            if path in files:
                raise PublishError(f"two outputs want to write {path}")
            files[path] = data
    return view, files


def publish(ctx: Context, store: Store) -> PublishReport:
    """Render every output, lint the feeds, write what changed, and ping the WebSub hub.

    A feed that fails lint is not written: the published file stays as it was, and the
    problems are reported.

    Raises:
        PublishError: an output cannot be rendered or written.
    """
    site = ctx.settings.site
    view, files = render_all(ctx, store)
    problems = lint_files(files, view.url, site.max_feed_bytes)
    refused = {p.path for p in problems}
    written = write_files(site.output_dir, {k: v for k, v in files.items() if k not in refused})
    store.record_publications(written.hashes, ctx.clock())
    report = PublishReport(written=written.written, unchanged=written.unchanged, refused=problems)
    if site.websub_hub:
        changed = [
            view.url(path)
            for path in written.written
            if feed_format(path) and not path.startswith("feeds/archive/")
        ]
        if changed:
            pings = ping_hub(site.websub_hub, changed, ctx.http.user_agent)
            report.pinged, report.ping_failures = pings.accepted, pings.failed
    return report
