"""The C floor: the benchmark's requests made by curl, with no Python in the loop.

libcurl's transfers run in C, 64 at a time (``bench.config.HTTP["workers"]``), each
conditional on the ETag the previous run saved (``--etag-compare``/``--etag-save``, one
file per document), each body thrown away. Its warm run is the least time any client
takes to hear "not modified" 400 times from the benchmark's server, whatever it is
written in; the report's warm bound compares the 3× target with it::

    python -m bench.curl_floor MANIFEST BASE_URL_TEMPLATE WORKDIR

This process writes curl's settings and then becomes curl (``exec``), so what the
benchmark measures is curl's run.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from bench.config import HTTP


def curl_settings(urls: list[str], tags: Path) -> str:
    """A curl config file: one section per URL, each with its own ETag file."""
    sections = []
    for n, url in enumerate(urls):
        tag = json.dumps(str(tags / str(n)))
        sections.append(
            f'url = {json.dumps(url)}\noutput = "/dev/null"\n'
            f"etag-compare = {tag}\netag-save = {tag}\n"
        )
    return "next\n".join(sections)


def main() -> None:
    """Write the settings for the manifest's documents and run curl on them."""
    manifest_path, base, workdir = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    curl = shutil.which("curl")
    if curl is None:
        sys.exit("curl is not installed (apt-get install curl)")
    manifest = json.loads(manifest_path.read_text())
    urls = [base.format(host=s["host"], path=s["path"]) for s in manifest["sources"]]
    tags = workdir / "curl-etags"
    tags.mkdir(parents=True, exist_ok=True)
    settings = workdir / "curl.cfg"
    settings.write_text(curl_settings(urls, tags), encoding="utf-8")
    parallel = ["--parallel", "--parallel-max", str(HTTP["workers"])]
    os.execv(curl, [curl, "--silent", *parallel, "--config", str(settings)])


if __name__ == "__main__":
    main()
