"""WebSub publishing: tell the hub which feeds changed (https://www.w3.org/TR/websub/#publishing).

This is the one network call of the publish step. It runs after the files are written,
never during rendering, and a hub that fails is reported, not fatal.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PingReport:
    """Which feed URLs the hub accepted and which failed (with the reason)."""

    accepted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def ping_hub(
    hub: str, feed_urls: Iterable[str], user_agent: str, timeout: float = 10.0
) -> PingReport:
    """POST ``hub.mode=publish`` for each feed URL; a 2xx answer counts as accepted."""
    import requests  # loaded only by a publish that pings

    report = PingReport()
    with requests.Session() as session:
        for url in feed_urls:
            try:
                resp = session.post(
                    hub,
                    data={"hub.mode": "publish", "hub.url": url},
                    headers={"User-Agent": user_agent},
                    timeout=timeout,
                )
            except requests.RequestException as exc:
                report.failed[url] = str(exc)
                continue
            if 200 <= resp.status_code < 300:
                report.accepted.append(url)
            else:
                report.failed[url] = f"hub answered HTTP {resp.status_code}"
    for url, why in report.failed.items():
        log.warning("WebSub ping for %s failed: %s", url, why)
    return report
