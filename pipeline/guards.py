"""What a publish refuses to do, whatever the settings say: empty the published feeds
from an empty store, or give every published feed and entry a new id.

Both are checked before anything is rendered (by ``publish``, and first of all by the
``publish`` command, which then exits having done nothing), and each refusal says how to
do it on purpose.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tdlc_syndication.config.models import Settings
from tdlc_syndication.outputs.view import id_authority
from tdlc_syndication.pipeline.errors import PublishError
from tdlc_syndication.pipeline.store import Store


def refuse_empty_store(store: Store, output_dir: Path) -> None:
    """Raise when a store with no item would replace published feeds with empty ones (a
    wrong ``site.database``, a store lost or replaced): that is never what anyone means.

    Raises:
        PublishError: the store is empty and ``output_dir`` holds published feeds.
    """
    if store.has_items():
        return
    feeds = output_dir / "feeds"
    if any(_holds_entries(path) for path in feeds.glob("all.*") if path.is_file()):
        raise PublishError(
            f"the store {store.path} holds no item, but {output_dir} holds published "
            "feeds: publishing would empty them. Check site.database; to empty the feeds "
            "on purpose, run `syndicate publish --allow-empty`"
        )


_ENTRY = re.compile(rb"<(?:entry|item)[\s>]")


def _holds_entries(path: Path) -> bool:
    """Whether a published ``all`` feed holds an entry (a site whose sources gave nothing
    yet publishes it empty, and publishes it again while they give nothing)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if path.suffix == ".json":
        try:
            return bool(json.loads(data).get("items"))
        except (ValueError, AttributeError):
            return False
    return _ENTRY.search(data) is not None


IDS_KEY = "ids"  # the tag: authority of the published ids


def keep_ids(store: Store, settings: Settings, *, new_ids: bool = False) -> None:
    """Raise when the settings would give the published feeds and entries other ids (a new
    ``base_url`` host, another ``id_date``): every reader would show every item again as
    new. The first publish, and one with ``new_ids``, records the ids' authority.

    Raises:
        PublishError: the ids would change and ``new_ids`` is not set.
    """
    current = id_authority(settings)
    published = store.publish_value(IDS_KEY) or _published_authority(settings.site.output_dir)
    if published is not None and published != current and not new_ids:
        host, _, date = published.partition(",")
        raise PublishError(
            f"the published feed and entry ids begin tag:{published}, and the settings would "
            f"make them tag:{current}: every reader would show every item again as new. To "
            f'keep them, set site.id_host = "{host}" (and site.id_date = "{date}"); to give '
            "every item a new id on purpose, run `syndicate publish --new-ids`"
        )
    if published != current:
        with store.transaction():
            store.set_publish_value(IDS_KEY, current)


def _published_authority(output_dir: Path) -> str | None:
    """The ids' authority of a site published before the store recorded it: read from
    the main Atom feed's own id."""
    try:
        with (output_dir / "feeds" / "all.atom").open("rb") as feed:
            head = feed.read(4096)
    except OSError:
        return None
    found = re.search(rb"<id>tag:([^,<:\s]+,[0-9-]+):", head)
    return found.group(1).decode("ascii", "replace") if found else None
