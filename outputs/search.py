"""The site's search: ``search/index.html`` searches the published items in the reader's
browser, with ``search/search.js``, over an index written as scripts,
``search/items-<n>.js`` (scripts, not JSON, so that the search works in a site opened from
the disk too, where browsers fetch no files).

The index follows ``feeds/all``'s archive numbers (the order items joined it, oldest
first): block ``n`` holds numbers ``(n-1)*BLOCK+1 .. n*BLOCK``. A new item changes the
newest block only; a full block is rendered again only when one of its own items changes
or leaves (or the settings that shape pages change), found from the publish's changes
without reading the others. The newest ``MAX_BLOCKS`` blocks are published (the newest
25,000 items or so; on a larger archive the older ones are in the feeds' archives), so the
reader's browser loads a few megabytes at most. Each item's record
(:func:`~tdlc_syndication.outputs.listing.search_record`: its link, title, date, language,
the start of its summary, its authors, and its kind, topics and places by slug, whose
labels and other words the page holds once) is worked out when the published index is
brought up to date and kept in it, so a block is a join of stored strings.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any

from tdlc_syndication.config.languages import RTL_LANGUAGES, RTL_LETTERS, RTL_SCRIPTS
from tdlc_syndication.outputs.base import Output, Plan, fixed_output
from tdlc_syndication.outputs.facets import HEADINGS
from tdlc_syndication.outputs.index import Changes
from tdlc_syndication.outputs.pages import render_page
from tdlc_syndication.outputs.view import PAGE_FACETS, StoreView
from tdlc_syndication.outputs.xml import DECLARATION, element, empty
from tdlc_syndication.pipeline.quick import RENDER_VERSION

BLOCK = 500  # archive numbers in one file of the index (about 140 KB)
MAX_BLOCKS = 50  # the newest blocks published
PAGE = "search/index.html"
#: What the search's script needs to set each result's direction as the pages do.
RIGHT_TO_LEFT = {
    "languages": sorted(RTL_LANGUAGES),
    "scripts": sorted(RTL_SCRIPTS),
    "letters": RTL_LETTERS,
}
SCRIPT = "search/search.js"
DESCRIPTION = "search/opensearch.osdx"  # lets browsers search the site from their address bar
OPENSEARCH = "application/opensearchdescription+xml"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
OWNER = "search"


def block_path(number: int) -> str:
    """The file of block ``number`` (1 = the oldest items)."""
    return f"search/items-{number}.js"


class SearchPublisher:
    """Plans the search page, its script and its index (none of them when
    ``site.search`` is false: the published ones are then deleted)."""

    name = "search"

    def plan(self, view: StoreView, changes: Changes, settings_fp: str) -> Plan:
        """The script, the blocks of the index that hold a changed item (the others
        kept), and the page, which names each block's version."""
        if not view.settings.site.search:
            return Plan(owners={OWNER})
        templates = resources.files("tdlc_syndication.outputs").joinpath("templates")
        code = templates.joinpath("search.js").read_bytes()
        outputs = [fixed_output(SCRIPT, OWNER, code)]
        outputs.append(_description(view, settings_fp))
        last = -(-view.store.max_seq("all") // BLOCK)
        numbers = range(max(1, last - MAX_BLOCKS + 1), last + 1)
        if not changes.full and "all" not in changes.feeds:  # keep the published files
            outputs.extend(Output(path=block_path(n), owner=OWNER) for n in numbers)
            outputs.append(Output(path=PAGE, owner=OWNER))
            return Plan(owners={OWNER}, outputs=outputs)
        recorded = {} if changes.full else view.store.outputs([OWNER])
        touched = _touched(changes, view.settings.site.feed_size)
        kept = {
            n: row.fingerprint.partition("-")[0]
            for n in numbers
            if n not in touched and (row := recorded.get(block_path(n))) is not None
        }
        fresh = _versions(view, [n for n in numbers if n not in kept])
        versions = []
        for number in numbers:
            if number in kept:
                outputs.append(Output(path=block_path(number), owner=OWNER))
                versions.append(kept[number])
                continue
            version = fresh[number]
            versions.append(version)
            outputs.append(
                Output(
                    path=block_path(number),
                    owner=OWNER,
                    fingerprint=f"{version}-{_hash([settings_fp, version])[:20]}",
                    render=lambda n=number: render_block(view, n),  # type: ignore[misc]
                )
            )
        outputs.append(_page(view, settings_fp, numbers, versions))
        return Plan(owners={OWNER}, outputs=outputs)


def _hash(value: Any) -> str:
    return hashlib.sha256(json.dumps(value).encode()).hexdigest()


def _versions(view: StoreView, numbers: list[int]) -> dict[int, str]:
    """The version of each of these blocks (in the page's links, so that browsers load a
    changed block again): a hash of what its bytes are made of, its entries' fingerprints
    (the fingerprint of its file adds the other settings). One read along the archive
    numbers, however many blocks."""
    if not numbers:
        return {}
    hashes = {
        n: hashlib.sha256(json.dumps([RENDER_VERSION, view.settings.site.timezone, n]).encode())
        for n in numbers
    }
    for low, high in _runs(sorted(numbers)):
        for seq, fingerprint in view.store.sequence_fingerprints("all", *_span_of(low, high)):
            hashes[(seq - 1) // BLOCK + 1].update(f"{seq} {fingerprint}\n".encode())
    return {n: h.hexdigest()[:12] for n, h in hashes.items()}


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted ``numbers`` as runs of consecutive ones: ``(first, last)``."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _span_of(low: int, high: int) -> tuple[int, int]:
    """The archive numbers of blocks ``low`` to ``high``."""
    return _span(low)[0], _span(high)[1]


def _span(number: int) -> tuple[int, int]:
    """The archive numbers of block ``number``."""
    return (number - 1) * BLOCK + 1, number * BLOCK


def _touched(changes: Changes, size: int) -> set[int]:
    """The blocks that hold an archive number of a changed page of ``feeds/all`` (pages of
    ``size`` entries, as the feeds' archive pages)."""
    blocks: set[int] = set()
    for page in changes.pages.get("all", ()):
        first, last = (page - 1) * size + 1, page * size
        blocks.update(range((first - 1) // BLOCK + 1, (last - 1) // BLOCK + 2))
    return blocks


def _page(view: StoreView, settings_fp: str, numbers: range, versions: list[str]) -> Output:
    """``search/index.html``, fingerprinted by what it names."""
    total = view.feed_stats()["all"][0]
    held = view.store.count_from_seq("all", _span(numbers.start)[0]) if numbers else 0
    blocks = [
        {"path": block_path(n).removeprefix("search/"), "version": v}
        for n, v in zip(numbers, versions, strict=True)
    ]
    labels = _labels(view)
    choices = _choices(view, labels)

    def render() -> bytes:
        data = {
            "blocks": blocks,
            "labels": labels,
            "language": view.settings.site.language,
            "rtl": RIGHT_TO_LEFT,  # for each result's dir, as the pages set it
        }
        return render_page(
            view, "search.html.j2", "../", total=total, held=held, data=data, choices=choices
        )

    return Output(
        path=PAGE,
        owner=OWNER,
        fingerprint=_hash([settings_fp, total, held, blocks, labels, choices]),
        render=render,
    )


CHOICES = ("kind", "topic", "place")  # what the search can be narrowed to, in this order


def _choices(view: StoreView, labels: dict[str, dict[str, list[str]]]) -> list[dict[str, Any]]:
    """The kinds, topics and cities the search can be narrowed to: those with materials,
    by label, each with its count (a facet with none is left out)."""
    stats = view.feed_stats()
    found = []
    for facet in CHOICES:
        terms = [
            {"slug": slug, "label": words[0], "count": stats[f"{facet}:{slug}"][0]}
            for slug, words in labels[facet].items()
            if stats[f"{facet}:{slug}"][0]
        ]
        if terms:
            terms.sort(key=lambda term: (str(term["label"]).casefold(), term["slug"]))
            found.append({"facet": facet, "name": view.say(HEADINGS[facet]), "terms": terms})
    return found


def short_name(title: str) -> str:
    """The site's title in the 16 characters OpenSearch allows a name: its first words that
    fit, else its first 16 characters."""
    name = ""
    for word in title.split():
        if len(name) + len(word) + bool(name) > 16:
            break
        name = f"{name} {word}" if name else word
    return name or title[:16]


def _description(view: StoreView, settings_fp: str) -> Output:
    """The OpenSearch 1.1 description of the search, which every page links: browsers
    offer to search the site from their address bar."""
    site = view.settings.site
    icon, itself = view.url("favicon.svg"), view.url(DESCRIPTION)
    query = f"{view.url(PAGE)}?q={{searchTerms}}"
    data = "".join(
        [
            DECLARATION,
            f'<OpenSearchDescription xmlns="{OPENSEARCH_NS}">\n',
            element("  ", "ShortName", short_name(site.title)),
            element(
                "  ", "Description", view.say("Search the materials of {site}", site=site.title)
            ),
            element("  ", "Language", site.language),
            element("  ", "InputEncoding", "UTF-8"),
            element("  ", "OutputEncoding", "UTF-8"),
            element("  ", "Image", icon, ' height="16" width="16" type="image/svg+xml"'),
            empty("  ", "Url", ("type", "text/html"), ("method", "get"), ("template", query)),
            empty("  ", "Url", ("type", OPENSEARCH), ("rel", "self"), ("template", itself)),
            "</OpenSearchDescription>\n",
        ]
    ).encode()
    return Output(
        path=DESCRIPTION,
        owner=OWNER,
        fingerprint=_hash([settings_fp, DESCRIPTION]),
        render=lambda: data,
    )


def _labels(view: StoreView) -> dict[str, dict[str, list[str]]]:
    """Every topic, place and kind in use, by facet and slug: its label in the site's
    language, then the other words that find it (its other label and its aliases: ``神戸``
    finds Kobe's materials)."""
    taxonomy = view.settings.taxonomy
    terms = {"topic": taxonomy.topics, "place": taxonomy.places, "kind": taxonomy.kinds}
    labels: dict[str, dict[str, list[str]]] = {facet: {} for facet in PAGE_FACETS}
    for key in view.feed_stats():
        facet, _, slug = key.partition(":")
        if facet in labels:
            term = terms[facet].get(slug)
            others = [term.label, term.label_ja or "", *term.aliases] if term else []
            found = [view.label(facet, slug), *filter(None, others)]
            labels[facet][slug] = list(dict.fromkeys(found))  # the site's label first
    return labels


def render_block(view: StoreView, number: int) -> bytes:
    """Block ``number`` of the index: a script that hands its items, oldest first, to
    the search (their records, kept in the published index)."""
    records = view.store.search_records("all", *_span(number))
    return f"searchIndex.add({number}, [{','.join(records)}]);\n".encode()
