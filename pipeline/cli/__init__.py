"""The ``syndicate`` command line: the group and its errors in ``app``, the commands in
one module per subject (sources, outputs, items, operations, the daemon)."""

from tdlc_syndication.pipeline.cli import daemon, digest, items, operate, outputs, sources
from tdlc_syndication.pipeline.cli.app import cli, main

__all__ = ["cli", "daemon", "digest", "items", "main", "operate", "outputs", "sources"]
