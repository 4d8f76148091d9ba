"""The core of tdlc-syndication: item model, store, normalisation, runs and the CLI."""
