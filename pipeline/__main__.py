"""``python -m tdlc_syndication.pipeline`` runs the syndicate command line."""

from tdlc_syndication.pipeline.cli import main

main()
