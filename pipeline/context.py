"""The dependencies of a run: settings, the HTTP client, the clock and the store's place."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tdlc_syndication.config.models import Settings
from tdlc_syndication.pipeline.http import Http
from tdlc_syndication.pipeline.store import Store

if TYPE_CHECKING:
    from tdlc_syndication.pipeline.normalise import Rules

Clock = Callable[[], datetime]
MAX_AUTO_PROCESSES = 4


def pool_size(configured: int, worth_it: bool) -> int:
    """How many worker processes a stage uses: ``[run] processes`` when set, else one per
    core (at most 4) when the work is large enough to repay starting them, else 1 (none)."""
    if configured:
        return configured
    return max(1, min(os.cpu_count() or 1, MAX_AUTO_PROCESSES)) if worth_it else 1


def system_clock() -> datetime:
    """The real time, aware UTC."""
    return datetime.now(UTC)


@dataclass(slots=True)
class Context:
    """Every dependency of a run: settings, HTTP client, clock and the store's location."""

    settings: Settings
    http: Http
    clock: Clock = system_clock
    database: Path | None = None

    @classmethod
    def create(cls, settings: Settings, clock: Clock = system_clock) -> Context:
        """Build a context with a fresh HTTP client."""
        return cls(settings=settings, http=Http(settings.http, clock), clock=clock)

    def open_store(self) -> Store:
        """Open a connection to the store (one per thread)."""
        return Store(self.database or self.settings.site.database)

    def rules(self) -> Rules:
        """Normalisation rules from the settings."""
        from tdlc_syndication.pipeline.normalise import Rules  # loads nh3: not for a 304

        cfg = self.settings.normalise
        return Rules(
            summary_length=cfg.summary_length,
            https_hosts=frozenset(cfg.https_hosts),
            strip_params=frozenset(cfg.strip_params),
            embed_hosts=frozenset(cfg.embed_hosts),
            default_language=self.settings.site.language,
        )
