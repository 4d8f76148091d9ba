"""The second baseline: lemon24's ``reader`` library (PyPI) updating the same feeds (it
reads feeds, not HTML listings) with 16 workers, then the newest 100 entries::

    python -m bench.reader_baseline MANIFEST BASE_URL_TEMPLATE WORKDIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reader import make_reader


def main() -> None:
    manifest_path, base, workdir = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    manifest = json.loads(manifest_path.read_text())
    workdir.mkdir(parents=True, exist_ok=True)
    reader = make_reader(str(workdir / "reader.sqlite"))
    for source in manifest["sources"]:
        if source["format"] != "html":
            reader.add_feed(base.format(host=source["host"], path=source["path"]), exist_ok=True)
    # Every feed, as the other tools poll them: by default reader (3.21 and later) updates
    # only the feeds whose update interval (an hour) has passed, so a warm run would
    # make no request at all and a changed run would not see the new items.
    reader.update_feeds(workers=16, scheduled=False)
    newest = list(reader.get_entries(limit=100))
    print(len(newest))
    reader.close()


if __name__ == "__main__":
    main()
