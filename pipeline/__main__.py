"""``python -m pipeline`` runs the syndicate command line."""

from pipeline.cli import main

main()
