"""The syndicate settings for a benchmark corpus: one source per corpus document, the
benchmark's ``[http]`` settings, and a taxonomy that matches the corpus' words."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from bench.corpus import PLACES, TOPICS, SourceSpec

HTTP = {"workers": 64, "per_host": 4, "host_delay": 0}


def write_settings(
    path: Path, specs: Sequence[SourceSpec], base: str, work: Path, *, polite: bool = False
) -> None:
    """Write the settings file for ``specs`` served at ``base``: the benchmark's ``[http]``
    settings, or with ``polite`` the defaults (per-host limits and spacing)."""
    lines = [
        "[site]",
        'title = "Benchmark"',
        'base_url = "https://feeds.example.org/bench/"',
        f"output_dir = {json.dumps(str(work / 'public'))}",
        f"database = {json.dumps(str(work / 'syndicate.db'))}",
        "",
        "[http]",
        *(f"{key} = {value}" for key, value in ({} if polite else HTTP).items()),
        "",
    ]
    for spec in specs:
        url = base.format(host=spec.host, path=spec.path)
        lines += ["[[sources]]", f'id = "{spec.id}"', f'url = "{url}"', "allow_private = true"]
        lines.append(f'language = "{spec.language}"')
        if spec.format == "html":
            lines += ['kind = "html"', 'item_selector = "ul.news li"', 'date_selector = ".date"',
                      'summary_selector = "p.lead"']  # fmt: skip
        else:
            lines.append('kind = "feed"')
        lines.append("")
    for topic in TOPICS:
        slug = topic.lower().replace(" ", "-")
        lines += [f"[taxonomy.topics.{slug}]", f'label = "{topic}"', ""]
    for place in PLACES:
        lines += [f"[taxonomy.places.{place.lower()}]", f'label = "{place}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
