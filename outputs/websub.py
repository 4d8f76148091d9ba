"""WebSub publishing: tell the hub which feeds changed (https://www.w3.org/TR/websub/#publishing).

This is the one network call of the publish step. It runs after the files are written,
never during rendering, and a hub that fails is reported, not fatal.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)
NOT_PINGED = "not pinged: the hub did not answer this publish"


@dataclass(slots=True)
class PingReport:
    """Which feed URLs the hub accepted and which failed (with the reason), and of those
    the ones to ask again at the next publish (the hub was down or busy: no answer, a
    5xx or a 429; a hub that refused a URL would refuse it again)."""

    accepted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    again: list[str] = field(default_factory=list)

    def fail(self, url: str, why: str, *, again: bool = True) -> None:
        """Note (and log) that the hub did not take the ping for ``url``."""
        self.failed[url] = why
        if again:
            self.again.append(url)
        log.warning("WebSub ping for %s failed: %s", url, why)


def ping_hub(
    hub: str, feed_urls: Iterable[str], user_agent: str, timeout: float = 10.0
) -> PingReport:
    """POST ``hub.mode=publish`` for each feed URL; a 2xx answer counts as accepted.

    A hub that does not answer (no connection, or no answer within ``timeout``) is not
    asked again for the other feeds of this publish: each would wait as long, and a
    publish changes dozens of feeds (every facet that holds a new item), so a hub that was
    down held the publish, and the service, for minutes. The body of an answer is not
    read, and a redirect is not followed (``requests`` would turn the POST into a GET).
    """
    import requests  # loaded only by a publish that pings

    report = PingReport()
    urls = list(feed_urls)
    with requests.Session() as session:
        for number, url in enumerate(urls):
            try:
                with session.post(
                    hub,
                    data={"hub.mode": "publish", "hub.url": url},
                    headers={"User-Agent": user_agent},
                    timeout=timeout,
                    allow_redirects=False,
                    stream=True,
                ) as resp:
                    status = resp.status_code
            except (requests.ConnectionError, requests.Timeout) as exc:
                report.fail(url, str(exc))
                rest = urls[number + 1 :]
                if rest:
                    report.failed.update(dict.fromkeys(rest, NOT_PINGED))
                    report.again.extend(rest)
                    log.warning("WebSub: %d more feeds not pinged: no answer", len(rest))
                break
            except requests.RequestException as exc:
                report.fail(url, str(exc))
                continue
            if 200 <= status < 300:
                report.accepted.append(url)
            else:
                busy = status >= 500 or status == 429
                report.fail(url, f"hub answered HTTP {status}", again=busy)
    return report
