"""``python -m pipeline`` runs the syndicate command line."""

from tdlc_syndication.pipeline.cli import main

main()
