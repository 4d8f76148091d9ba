"""The floor: what the benchmark's requests alone cost a threaded Python client.

urllib3 with syndicate's benchmark settings (``bench.config.HTTP``: 64 threads, 4
connections per host), a
conditional GET with the ETag and Last-Modified of the previous run (kept in a JSON
file), each body read and thrown away: nothing parsed, stored or published. No tool built
like syndicate (threads in one CPython process) fetches the corpus faster, so the gap
between this and syndicate is what syndicate's own work costs::

    python -m bench.floor MANIFEST BASE_URL_TEMPLATE WORKDIR
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import urllib3

from bench.config import HTTP

Validators = tuple[str | None, str | None]  # ETag, Last-Modified


def client() -> urllib3.PoolManager:
    """The connection pools of the benchmark's settings: 4 connections per host at most."""
    return urllib3.PoolManager(num_pools=64, maxsize=HTTP["per_host"], block=True)


def conditional_get(
    pool: urllib3.PoolManager, url: str, known: Validators | None
) -> tuple[urllib3.BaseHTTPResponse, Validators]:
    """GET ``url``, conditional on the validators of its last answer; the response and the
    validators to keep (the old ones when it answers 304)."""
    etag, modified = known or (None, None)
    headers = {"If-None-Match": etag} if etag else {}
    if modified:
        headers["If-Modified-Since"] = modified
    response = pool.request("GET", url, headers=headers, timeout=30)
    if response.status == 304:
        return response, (etag, modified)
    return response, (response.headers.get("ETag"), response.headers.get("Last-Modified"))


def main() -> None:
    """Fetch every document of the manifest once, conditionally when it was seen before."""
    manifest_path, base, workdir = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    manifest = json.loads(manifest_path.read_text())
    workdir.mkdir(parents=True, exist_ok=True)
    saved = workdir / "floor-validators.json"
    validators: dict[str, Validators] = (
        {url: (etag, modified) for url, (etag, modified) in json.loads(saved.read_text()).items()}
        if saved.exists()
        else {}
    )
    urls = [base.format(host=s["host"], path=s["path"]) for s in manifest["sources"]]
    pool = client()

    def get(url: str) -> tuple[str, Validators]:
        return url, conditional_get(pool, url, validators.get(url))[1]

    with ThreadPoolExecutor(HTTP["workers"]) as threads:
        validators = dict(threads.map(get, urls))
    saved.write_text(json.dumps(validators), encoding="utf-8")


if __name__ == "__main__":
    main()
