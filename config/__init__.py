"""Settings of tdlc-syndication: pydantic models (``models``, ``sources``), the TOML loader
(``loader``), where the settings file is found (``paths``) and the shipped configs.

This package depends on nothing but pydantic and the standard library. The package
itself imports nothing, so that commands which need no settings start fast.
"""
