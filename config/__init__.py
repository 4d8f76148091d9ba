"""Settings of tdlc-syndication: pydantic models, the TOML loader and the shipped configs.

This package depends on nothing but pydantic and the standard library.
"""

from tdlc_syndication.config.loader import DEMO_CONFIG, find_config, load_overrides, load_settings
from tdlc_syndication.config.models import Settings

__all__ = ["DEMO_CONFIG", "Settings", "find_config", "load_overrides", "load_settings"]
