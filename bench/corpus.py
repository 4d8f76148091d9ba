"""A seeded corpus of sources for the benchmark: RSS 2.0, Atom, RSS 1.0 and HTML listing
pages, in English and Japanese, with about 2 KB of HTML per item and about 5 % of items
that another source also carries (the same link, or the same title on the same day).

``build(folder, sources=400, items=50, seed=1)`` writes ``<folder>/<host>/<n>.<ext>`` files
and ``<folder>/manifest.json`` (which source is where and in which format). The same seed
always gives the same bytes.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

FORMATS = ("rss", "rss", "atom", "rdf", "html")  # RSS 2.0 is the most common
START = datetime(2026, 11, 1, tzinfo=UTC)
EN_WORDS = [
    "city",
    "partnership",
    "compact",
    "urban",
    "transport",
    "resilience",
    "flood",
    "waste",
    "recycling",
    "water",
    "utility",
    "smart",
    "data",
    "platform",
    "heritage",
    "tourism",
    "housing",
    "station",
    "light",
    "rail",
    "bus",
    "climate",
    "adaptation",
    "workshop",
    "delegation",
    "knowledge",
    "note",
    "toolkit",
    "guide",
    "report",
    "municipal",
    "budget",
    "planning",
    "land",
    "readjustment",
    "reconstruction",
    "earthquake",
    "evacuation",
    "early",
    "warning",
]
JA_PHRASES = [
    "都市間連携",
    "コンパクトシティ",
    "公共交通",
    "防災訓練",
    "資源循環",
    "上下水道",
    "まちづくり",
    "路面電車",
    "気候変動",
    "避難計画",
    "エコタウン",
    "中心市街地",
    "観光振興",
    "地域交流",
    "市民協働",
    "データ連携",
]
TOPICS = ("Compact cities", "Urban transport", "Disaster risk management", "Solid waste",
          "Water", "Smart cities", "Urban regeneration")  # fmt: skip
PLACES = ("Yokohama", "Toyama", "Kobe", "Kitakyushu", "Fukuoka", "Kyoto", "Hiroshima")


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One source of the corpus: where it is served and in which format."""

    id: str
    host: int  # serves on 127.0.0.<host>
    path: str  # URL path, also the file under <folder>/<host>/
    format: str
    language: str


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """One generated item."""

    guid: str
    title: str
    link: str
    published: datetime
    summary: str
    content: str
    category: str


def _sentence(rng: random.Random, japanese: bool) -> str:
    if japanese:
        return "、".join(rng.choice(JA_PHRASES) for _ in range(rng.randint(3, 6))) + "。"
    words = [rng.choice(EN_WORDS) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def _content(rng: random.Random, japanese: bool, link: str) -> str:
    paragraphs: list[str] = []
    while sum(len(p) for p in paragraphs) < 1900:
        text = " ".join(_sentence(rng, japanese) for _ in range(3))
        paragraphs.append(f'<p>{escape(text)} <a href="{link}#more">more</a></p>')
    paragraphs.insert(1, f'<p><img src="{link}/photo.jpg" alt="photo"></p>')
    return "\n".join(paragraphs)


def _items(
    rng: random.Random, source: SourceSpec, count: int, shared: list[ItemSpec]
) -> list[ItemSpec]:
    japanese = source.language == "ja"
    items = []
    for n in range(count):
        if shared and rng.random() < 0.05:
            items.append(rng.choice(shared))  # a story another source also carries
            continue
        link = f"https://site{source.host}.example.org/{source.id}/{n}"
        title = _sentence(rng, japanese)[:80].rstrip(".。") + f" ({source.id}-{n})"
        item = ItemSpec(
            guid=f"{source.id}-{n}",
            title=title,
            link=link,
            published=START - timedelta(hours=n * 7 + source.host, minutes=rng.randint(0, 59)),
            summary=_sentence(rng, japanese),
            content=_content(rng, japanese, link),
            category=f"{rng.choice(TOPICS)}, {rng.choice(PLACES)}",
        )
        items.append(item)
        if rng.random() < 0.05:
            shared.append(item)
    return items


def render(source: SourceSpec, items: list[ItemSpec]) -> bytes:
    """The document of one source in its format."""
    if source.format == "rss":
        entries = "".join(
            f"<item><title>{escape(i.title)}</title><link>{escape(i.link)}</link>"
            f'<guid isPermaLink="false">{escape(i.guid)}</guid>'
            f"<pubDate>{format_datetime(i.published)}</pubDate>"
            f"<category>{escape(i.category)}</category>"
            f"<description>{escape(i.summary)}</description>"
            f"<content:encoded><![CDATA[{i.content}]]></content:encoded></item>\n"
            for i in items
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Source {source.id}</title><link>https://site{source.host}.example.org/</link>"
            f"<description>Bench source</description><language>{source.language}</language>\n"
            f"{entries}</channel></rss>\n"
        ).encode()
    if source.format == "atom":
        entries = "".join(
            f"<entry><id>urn:bench:{escape(i.guid)}</id><title>{escape(i.title)}</title>"
            f"<link href={quoteattr(i.link)}/><updated>{i.published.isoformat()}</updated>"
            f"<published>{i.published.isoformat()}</published>"
            f"<category term={quoteattr(i.category)}/>"
            f"<summary>{escape(i.summary)}</summary>"
            f'<content type="html">{escape(i.content)}</content></entry>\n'
            for i in items
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
            f'xml:lang="{source.language}"><id>urn:bench:{source.id}</id>'
            f"<title>Source {source.id}</title><updated>{START.isoformat()}</updated>"
            f"<author><name>Bench</name></author>\n{entries}</feed>\n"
        ).encode()
    if source.format == "rdf":
        entries = "".join(
            f"<item rdf:about={quoteattr(i.link)}><title>{escape(i.title)}</title>"
            f"<link>{escape(i.link)}</link><dc:date>{i.published.isoformat()}</dc:date>"
            f"<dc:subject>{escape(i.category)}</dc:subject>"
            f"<description>{escape(i.summary)}</description>"
            f"<content:encoded>{escape(i.content)}</content:encoded></item>\n"
            for i in items
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF '
            'xmlns="http://purl.org/rss/1.0/" '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            f'xml:lang="{source.language}"><channel rdf:about="urn:bench:{source.id}">'
            f"<title>Source {source.id}</title><link>https://site{source.host}.example.org/</link>"
            "<description>Bench source</description></channel>\n"
            f"{entries}</rdf:RDF>\n"
        ).encode()
    rows = "".join(
        f'<li class="entry"><span class="date">{i.published:%Y-%m-%d}</span>'
        f'<a href="{escape(i.link)}">{escape(i.title)}</a>'
        f'<p class="lead">{escape(i.summary)}</p></li>\n'
        for i in items
    )
    return (
        f'<!DOCTYPE html><html lang="{source.language}"><head><meta charset="utf-8">'
        f"<title>Source {source.id}</title></head><body><main><h1>News</h1>"
        f'<ul class="news">\n{rows}</ul></main></body></html>\n'
    ).encode()


def plan(sources: int, hosts: int = 25, seed: int = 1) -> list[SourceSpec]:
    """Which source is where: spread over ``hosts`` loopback addresses (127.0.0.2 on)."""
    rng = random.Random(seed)
    out = []
    for n in range(sources):
        fmt = FORMATS[n % len(FORMATS)]
        suffix = {"rss": "xml", "atom": "atom", "rdf": "rdf", "html": "html"}[fmt]
        host = 2 + n % hosts
        out.append(
            SourceSpec(
                id=f"s{n:05d}",
                host=host,
                path=f"/feeds/s{n:05d}.{suffix}",
                format=fmt,
                language="ja" if rng.random() < 0.3 else "en",
            )
        )
    return out


def build(
    folder: Path, sources: int = 400, items: int = 50, hosts: int = 25, seed: int = 1
) -> list[SourceSpec]:
    """Write the corpus and its manifest; return the sources."""
    rng = random.Random(seed)
    shared: list[ItemSpec] = []
    specs = plan(sources, hosts, seed)
    for spec in specs:
        target = folder / str(spec.host) / spec.path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render(spec, _items(rng, spec, items, shared)))
    manifest = {"sources": [asdict(s) for s in specs], "items": items, "seed": seed}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return specs


def add_item(folder: Path, spec: SourceSpec, n: int, seed: int = 7) -> None:
    """Put one new item at the top of a source's document (the "1 % changed" scenario)."""
    rng = random.Random(seed * 100_003 + n)
    target = folder / str(spec.host) / spec.path.lstrip("/")
    link = f"https://site{spec.host}.example.org/{spec.id}/new-{n}"
    item = ItemSpec(
        guid=f"{spec.id}-new-{n}",
        title=f"New material {n} ({spec.id})",
        link=link,
        published=START + timedelta(days=1, minutes=n),
        summary=_sentence(rng, spec.language == "ja"),
        content=_content(rng, spec.language == "ja", link),
        category=f"{TOPICS[0]}, {PLACES[0]}",
    )
    body = target.read_bytes()
    first = render(spec, [item])
    marker = {"rss": b"<item>", "atom": b"<entry>", "rdf": b"<item ", "html": b'<li class="entry">'}
    head = first[first.index(marker[spec.format]) :]
    end = {"rss": b"</item>\n", "atom": b"</entry>\n", "rdf": b"</item>\n", "html": b"</li>\n"}
    piece = head[: head.index(end[spec.format]) + len(end[spec.format])]
    at = body.index(marker[spec.format])
    target.write_bytes(body[:at] + piece + body[at:])
