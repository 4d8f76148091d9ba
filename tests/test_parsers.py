"""Every source kind's parser against golden pairs, with no server, store or settings file.

A case is ``tests/data/<kind>/<case>.<ext>`` (a catalog case may be a folder) beside
``<case>.expected.json``, the items (and retractions) it must give. The source is built in
code from ``tests/data/<kind>/source.toml``; ``<case>.related.toml`` lists the further
documents a fetch would have brought along (followed pages, sitemap pages). The catalog,
a local source, is read by its own fetch. ``pytest --update-golden`` rewrites the expected
files: review the diff.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests_support import NOW

from tdlc_syndication.config.filters import ItemFilter
from tdlc_syndication.config.models import HttpConfig
from tdlc_syndication.config.sources import SOURCE_MODELS
from tdlc_syndication.config.taxonomy import Taxonomy
from tdlc_syndication.pipeline.classify import Classifier
from tdlc_syndication.pipeline.http import Http
from tdlc_syndication.pipeline.model import (
    Cursor,
    Item,
    Listed,
    Retraction,
    Unread,
    item_to_dict,
)
from tdlc_syndication.pipeline.normalise import Rules
from tdlc_syndication.pipeline.prepare import Collected, prepare
from tdlc_syndication.sources.base import Document, Fetched, FetchState, Skipped, Source
from tdlc_syndication.sources.registry import build_source

DATA = Path(__file__).parent / "data"
BASE = "https://fixtures.example.org"
MEDIA_TYPES = {".json": "application/json", ".ics": "text/calendar", ".html": "text/html"}
EXPECTED = ".expected.json"

MakeSource = Callable[..., Source]


@pytest.fixture
def make_source() -> MakeSource:
    """Build a source of ``kind`` from settings fields given in code (id ``src``)."""
    http = Http(HttpConfig())

    def make(kind: str, **fields: Any) -> Source:
        config = SOURCE_MODELS[kind].model_validate(
            {"id": "src", "kind": kind, **fields}, context={"base_dir": DATA / kind}
        )
        return build_source(config, http, lambda: NOW)  # type: ignore[arg-type]

    return make


def _cases() -> list[Path]:
    return sorted(DATA.glob(f"*/*{EXPECTED}"), key=lambda p: (p.parent.name, p.name))


def _input(expected: Path) -> Path:
    stem = expected.name[: -len(EXPECTED)]
    folder = expected.parent / stem
    if folder.is_dir():
        return folder
    found = [
        p
        for p in expected.parent.glob(f"{stem}.*")
        if p != expected and not p.name.endswith((".toml", EXPECTED))
    ]
    assert len(found) == 1, f"one input file for {expected}, found {found}"
    return found[0]


def _related(source_file: Path) -> tuple[Document, ...]:
    listing = source_file.with_name(source_file.stem + ".related.toml")
    if not listing.is_file():
        return ()
    entries = tomllib.loads(listing.read_text("utf-8"))["documents"]
    return tuple(
        Document(
            url=entry["url"].replace("{base}", BASE),
            body=(listing.parent / entry["file"]).read_bytes(),
            modified=entry.get("modified"),
        )
        for entry in entries
    )


def _fetched(source: Source, path: Path) -> Fetched:
    if path.is_dir() or source.kind == "catalog":
        return next(iter(source.fetch(FetchState())))
    url = getattr(source.config, "url", None) or f"{BASE}/{path.name}"
    return Fetched(
        location=url,
        body=path.read_bytes().replace(b"{base}", BASE.encode()),
        media_type=MEDIA_TYPES.get(path.suffix, "application/xml"),
        base_url=url,
        fetched_at=NOW,
        related=_related(path),
    )


def _as_json(out: Item | Retraction | Skipped | Unread | Listed | Cursor) -> dict[str, Any]:
    if isinstance(out, Cursor):
        return {"cursor": out.value}
    if isinstance(out, Listed):
        until = out.until.isoformat() if out.until else None
        return {"listed_from": out.start.isoformat(), "until": until}
    if isinstance(out, Retraction):
        return {"retraction": out.id, "reason": out.reason}
    if isinstance(out, Skipped):
        return {"skipped": out.url, "reason": out.reason}
    if isinstance(out, Unread):
        return {"unread": out.id}
    return item_to_dict(out)


@pytest.mark.parametrize(
    "expected", _cases(), ids=lambda p: f"{p.parent.name}/{p.name[: -len(EXPECTED)]}"
)
def test_parse(expected: Path, make_source: MakeSource, request: pytest.FixtureRequest) -> None:
    kind = expected.parent.name
    settings_file = expected.parent / "source.toml"
    fields = tomllib.loads(settings_file.read_text("utf-8")) if settings_file.is_file() else {}
    case = _input(expected)
    if kind == "catalog":
        fields["path"] = str(case)
    source = make_source(kind, **fields)
    got = [_as_json(out) for out in source.parse(_fetched(source, case))]
    text = json.dumps(got, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if request.config.getoption("--update-golden"):
        expected.write_text(text, encoding="utf-8")
    assert json.loads(expected.read_text("utf-8")) == got


def test_every_kind_has_golden_cases() -> None:
    kinds = {p.parent.name for p in _cases()}
    assert kinds == set(SOURCE_MODELS)


def _first_case_of_each_kind() -> list[Path]:
    seen: dict[str, Path] = {}
    for case in _cases():
        seen.setdefault(case.parent.name, case)
    return list(seen.values())


@pytest.mark.parametrize("expected", _first_case_of_each_kind(), ids=lambda p: p.parent.name)
def test_filters_apply_to_every_kind(expected: Path, make_source: MakeSource) -> None:
    kind = expected.parent.name
    settings_file = expected.parent / "source.toml"
    fields = tomllib.loads(settings_file.read_text("utf-8")) if settings_file.is_file() else {}
    case = _input(expected)
    if kind == "catalog":
        fields["path"] = str(case)
    source = make_source(kind, **fields)
    documents = [_fetched(source, case)]
    classifier = Classifier(Taxonomy())

    def kept(item_filter: ItemFilter | None) -> dict[str, Item]:
        config = source.config.model_copy(update={"filter": item_filter})
        out = prepare(config, documents, Rules(), classifier, NOW)  # type: ignore[arg-type]
        assert isinstance(out, Collected)
        return out.items

    every = kept(None)
    assert every, kind
    first = next(iter(every.values()))
    others = {i for i, item in every.items() if item.title != first.title}
    assert set(kept(ItemFilter(exclude=[first.title]))) == others
    only = kept(ItemFilter(include=[f"re:^{re.escape(first.title)}$"], fields=["title"]))
    assert set(only) == set(every) - others
    assert set(kept(ItemFilter(include=[first.url], fields=["url"]))) >= {first.id}
