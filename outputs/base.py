"""What every publisher shares: the Publisher protocol and the constants of the site."""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from tdlc_syndication.outputs.index import Changes
    from tdlc_syndication.outputs.view import StoreView

GENERATOR = "tdlc-syndication"
PROJECT_URL = "https://github.com/tdlc/tdlc-syndication"
STYLESHEET = "feeds/feed.css"
STYLESHEET_JA = "feeds/feed-ja.css"  # the same, explaining itself in Japanese
ENCLOSURE_ROLES = ("enclosure", "document", "video")  # media that feeds list as enclosures


@dataclass(frozen=True, slots=True, kw_only=True)
class Output:
    """One file a publish may write.

    ``fingerprint`` is a hash of everything the file is rendered from: a file whose
    recorded fingerprint is the same is not rendered again. ``render`` gives its bytes
    (pure: no clock, no network). Without either, the output says "keep the published
    file as it is". ``subscription`` marks the documents a WebSub hub is told about.
    ``render_without`` renders a feed document leaving out the entries at some 1-based
    positions (publishing leaves out an entry that fails lint, not the whole file).
    """

    path: str
    owner: str
    fingerprint: str | None = None
    render: Callable[[], bytes] | None = None
    subscription: bool = False
    render_without: Callable[[frozenset[int]], bytes] | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """What one publisher looks at in one publish: the owners it speaks for (a published
    file of one of them that the plan does not list is deleted) and its outputs.

    ``partly`` holds the owners whose files the plan lists only in part (a feed whose
    older archive pages did not change), each with those of its files that may have to
    go (archive pages that stopped being full): of these, a file the plan does not list
    is deleted; the owner's other files stay as they are, and are not even read, so that
    a publish costs what changed, however long the archive. (A whole publish lists every
    file: there, what no plan lists goes.)

    ``expires`` is the moment after which the outputs would show something else though
    the store did not change (an event that starts or ends leaves the upcoming events):
    a publish after it plans again even when no item changed."""

    owners: set[str] = field(default_factory=set)
    outputs: Iterable[Output] = ()
    expires: datetime | None = None
    partly: dict[str, tuple[str, ...]] = field(default_factory=dict)


def fixed_output(path: str, owner: str, data: bytes) -> Output:
    """An output whose bytes are known when it is planned (a static file, a list worked
    out whole), fingerprinted by them."""
    return Output(
        path=path,
        owner=owner,
        fingerprint=hashlib.sha256(data).hexdigest(),
        render=lambda: data,
    )


def showing_output(
    path: str,
    owner: str,
    shows: list[Any],
    render: Callable[[], bytes],
    subscription: bool = False,
) -> Output:
    """An output fingerprinted by what it ``shows`` (JSON-ready parts): rendered again
    only when that changes."""
    return Output(
        path=path,
        owner=owner,
        fingerprint=hashlib.sha256(json.dumps(shows).encode()).hexdigest(),
        render=render,
        subscription=subscription,
    )


class Publisher(Protocol):
    """Plans the files of one part of the site from the store."""

    name: str

    def plan(self, view: StoreView, changes: Changes, settings_fp: str) -> Plan:
        """The outputs to look at, given what changed since the last publish."""
        ...


def relative_to(from_path: str, to_path: str) -> str:
    """A relative URL from one output file to another (both relative to the output root)."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
