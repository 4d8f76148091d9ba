"""``[websub]``: the service subscribes to the hubs its feeds name (WebSub push in).

A feed that names a hub (``<link rel="hub">``, a ``Link`` header, a JSON Feed's ``hubs``)
can have its new entries pushed to us the moment they are published, instead of waiting
for the next poll. The service (``syndicate run``) subscribes when ``callback`` is set:
the hub then sends its requests to that public address, which a reverse proxy forwards to
``listen``.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from tdlc_syndication.config.base import YEAR, Slug, Strict, check_http_url

DAY = 86_400


def _host_port(value: str) -> str:
    """Validator: ``host:port`` (an IPv6 address in brackets), port 0-65535."""
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise ValueError("must be an address and a port, such as '127.0.0.1:8710'")
    if host.startswith("[") != host.endswith("]"):
        raise ValueError("write an IPv6 address in brackets, such as '[::1]:8710'")
    return value


class WebSubConfig(Strict):
    """``[websub]``: subscribing to the hubs the feed sources name (push in)."""

    callback: str | None = Field(
        default=None,
        description="The public address the hubs send their requests to, such as "
        "'https://feeds.example.org/websub/' (each subscription gets its own address "
        "below it). A reverse proxy forwards it to `listen`. Unset: nothing is subscribed, "
        "every source is polled.",
    )
    listen: str = Field(
        default="127.0.0.1:8710",
        description="Address and port where the service (`syndicate run`) answers the hubs.",
    )
    lease_seconds: int = Field(
        default=10 * DAY,
        ge=3600,
        le=YEAR,
        description="How long a subscription is asked to last (the hub decides); it is "
        "renewed before it ends.",
    )
    poll_every: int = Field(
        default=DAY,
        ge=600,
        le=YEAR,
        description="A source whose hub pushes to us is still polled this often at most "
        "(hubs miss an update now and then), and at its next turn after a delivery (the "
        "feed has the pushed entries in full); its `schedule` applies again when the "
        "subscription ends.",
    )
    skip: list[Slug] = Field(
        default_factory=list,
        description="Ids of sources never subscribed to, though their feeds name a hub.",
    )

    _callback = field_validator("callback")(check_http_url)

    @field_validator("callback")
    @classmethod
    def _ends_with_slash(cls, value: str | None) -> str | None:
        """The subscriptions' addresses are below the callback: it ends with '/'."""
        if value is None or value.endswith("/"):
            return value
        return value + "/"

    _listen = field_validator("listen")(_host_port)

    @property
    def enabled(self) -> bool:
        """Whether the service subscribes (a callback is set)."""
        return self.callback is not None

    @property
    def address(self) -> tuple[str, int]:
        """``listen`` as a host (without brackets) and a port."""
        host, _, port = self.listen.rpartition(":")
        return host.strip("[]"), int(port)
