"""The overview as metrics: the Prometheus text file the daemon and ``run --once``
rewrite after each cycle (node_exporter's textfile collector), and what ``serve``'s
``/metrics`` answers; and the end of every cycle (pruning the run history, the file)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from tdlc_syndication.pipeline.overview import Bookkeeping, Overview, overview, snapshot_of

if TYPE_CHECKING:
    from tdlc_syndication.config.models import Settings
    from tdlc_syndication.pipeline.store import Store


def metrics_text(view: Overview, store: Bookkeeping | Store) -> str:
    """The overview in the Prometheus text format (node_exporter's textfile collector)."""
    lines: list[str] = []

    def metric(name: str, kind: str, text: str, samples: list[tuple[str, float]]) -> None:
        lines.append(f"# HELP syndicate_{name} {text}")
        lines.append(f"# TYPE syndicate_{name} {kind}")
        lines.extend(f"syndicate_{name}{labels} {_number(value)}" for labels, value in samples)

    def label(source: str, **extra: str) -> str:
        pairs = {"source": source, **extra}
        return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in pairs.items()) + "}"

    sources = [s for s in view.sources if s.enabled]
    metric(
        "source_up",
        "gauge",
        "1 when the source's last run worked, else 0.",
        [(label(s.id), 1.0 if s.status == "ok" else 0.0) for s in sources],
    )
    metric(
        "source_stale",
        "gauge",
        "1 when the source failed stale_after runs in a row.",
        [(label(s.id), 1.0 if s.stale else 0.0) for s in sources],
    )
    metric(
        "source_consecutive_failures",
        "gauge",
        "Failed runs in a row.",
        [(label(s.id), float(s.consecutive_failures)) for s in sources],
    )
    metric(
        "source_items",
        "gauge",
        "Items stored from the source.",
        [(label(s.id), float(s.items)) for s in view.sources],
    )
    metric(
        "source_last_success_timestamp_seconds",
        "gauge",
        "When the source last ran without error (Unix time).",
        [
            (label(s.id), datetime.fromisoformat(s.last_success).timestamp())
            for s in sources
            if s.last_success
        ],
    )
    totals, durations = store.run_totals()
    metric(
        "runs_total",
        "counter",
        "Runs by source and outcome.",
        [(label(source, status=status), float(n)) for (source, status), n in totals.items()],
    )
    metric(
        "source_last_run_duration_seconds",
        "gauge",
        "How long the source's latest run took.",
        [(label(source), seconds) for source, seconds in durations.items()],
    )
    published = view.last_publish or {}
    metric(
        "last_publish_ok",
        "gauge",
        "1 when the latest publish worked.",
        [("", 1.0 if published.get("ok") else 0.0)] if published else [],
    )
    if published.get("at"):
        metric(
            "last_publish_timestamp_seconds",
            "gauge",
            "When the latest publish ended (Unix time).",
            [("", datetime.fromisoformat(published["at"]).timestamp())],
        )
    if "seconds" in published:
        metric(
            "last_publish_duration_seconds",
            "gauge",
            "How long the latest publish took.",
            [("", float(published["seconds"]))],
        )
    if "written" in published:
        metric(
            "last_publish_files_written",
            "gauge",
            "Files the latest publish wrote (0: nothing had changed).",
            [("", float(published["written"]))],
        )
    metric(
        "source_pushed",
        "gauge",
        "1 while the WebSub hub its feed names pushes to the service, else 0.",
        [(label(s.id), 1.0 if s.pushed_until else 0.0) for s in sources if s.push],
    )
    metric(
        "source_last_push_timestamp_seconds",
        "gauge",
        "When its WebSub hub last delivered entries (Unix time).",
        [(label(s.id), datetime.fromisoformat(s.last_push).timestamp()) for s in sources
         if s.last_push],
    )  # fmt: skip
    metric(
        "websub_owed_feeds",
        "gauge",
        "Changed feeds the WebSub hub has not heard of yet (it was down or busy).",
        [("", float(view.websub_owed))],
    )
    metric("healthy", "gauge", "1 when health passes.", [("", 1.0 if view.healthy else 0.0)])
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    """A sample's value, exact: a count as a whole number, any other value with every
    digit it has (``:g`` kept six: a Unix time was off by up to 83 minutes, 1,234,567
    items were 1234570)."""
    return str(int(value)) if value.is_integer() else repr(value)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def close_cycle(settings: Settings, store: Store, now: datetime, *, prune: bool = True) -> int:
    """What every cycle ends with (the daemon's and ``run --once``): prune the run history
    past ``[run] keep_runs_days`` and rewrite the metrics file; the runs pruned.

    Raises:
        StoreError: the store cannot be written.
        OSError: the metrics file cannot be written.
    """
    pruned = 0
    if prune:
        with store.transaction():
            pruned = store.prune_runs(now - timedelta(days=settings.run.keep_runs_days))
    if settings.run.metrics_file is not None:
        view = overview(snapshot_of(settings), store, now)
        write_metrics(settings.run.metrics_file, metrics_text(view, store))
    return pruned


def write_metrics(path: Path, text: str) -> None:
    """Write the metrics file atomically (the collector never reads half a file)."""
    from tdlc_syndication.outputs.write import atomic_write  # status and health never write

    atomic_write(path, text.encode("utf-8"))
