"""The string renderers of Atom and RSS against the feedgen reference: identical bytes for
random documents (any text, dates, media, archive positions, a WebSub hub or none)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_feedgen import render_page

from tdlc_syndication.config.loader import DEMO_CONFIG, load_settings
from tdlc_syndication.outputs.document import entries
from tdlc_syndication.outputs.formats import ATOM, RSS
from tdlc_syndication.outputs.jsonfeed import pretty
from tdlc_syndication.outputs.paging import Page, page_path
from tdlc_syndication.outputs.view import FeedSpec, StoreView
from tdlc_syndication.outputs.xml import html_text, plain_element
from tdlc_syndication.pipeline.model import Item, Media, StoredItem

DEMO = load_settings(DEMO_CONFIG)
WITH_HUB = DEMO.model_copy(
    update={
        "site": DEMO.site.model_copy(
            update={"websub_hub": "https://hub.example.org/", "author_email": "a@example.org"}
        )
    }
)
# Any character XML can carry, and the ones escaping must get right.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from(list("&<>\"'\u3042\u9632 ")),
    min_size=1,
    max_size=40,
).filter(str.strip)
HTML = st.one_of(st.just(""), TEXT.map(lambda t: f"<p>{t}</p>\r\n<p>x &amp; y</p>"))
WHEN = st.datetimes(
    min_value=datetime(1995, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
URL = st.from_regex(
    r"https://[a-z]{1,8}\.example\.org/[a-z0-9/]{0,12}(\?a=1&b=[<>\"]{0,2})?", fullmatch=True
)
MEDIA = st.builds(
    Media,
    url=URL,
    mime=st.one_of(st.none(), st.sampled_from(["application/pdf", "video/mp4", "text/csv"])),
    length=st.one_of(st.none(), st.integers(min_value=1, max_value=10**9)),
    role=st.sampled_from(["enclosure", "document", "video", "thumbnail"]),
    title=st.one_of(st.none(), TEXT),
)


@st.composite
def stored_items(draw: st.DrawFn) -> StoredItem:
    published = draw(st.one_of(st.none(), WHEN))
    item = Item(
        id=f"src:{draw(st.text(alphabet='abc%/:?&é 1', min_size=1, max_size=12))}",
        source="src",
        kind=draw(st.sampled_from([*DEMO.taxonomy.kinds, "unknown"])),
        title=draw(TEXT),
        url=draw(URL),
        summary=draw(st.one_of(st.just(""), TEXT)),
        content_html=draw(HTML),
        authors=tuple(draw(st.lists(TEXT, max_size=3))),
        published=published,
        published_precision="datetime" if published else None,
        updated=draw(st.one_of(st.none(), WHEN)),
        language="en",
        topics=tuple(draw(st.lists(st.sampled_from(list(DEMO.taxonomy.topics)), max_size=2))),
        places=tuple(draw(st.lists(st.sampled_from(list(DEMO.taxonomy.places)), max_size=2))),
        media=tuple(draw(st.lists(MEDIA, max_size=3))),
        thumbnail=draw(st.one_of(st.none(), URL)),
    )
    seen = draw(WHEN)
    return StoredItem(
        item=item, first_seen=seen, last_seen=seen, last_changed=seen, content_hash="h"
    )


PAGES = st.sampled_from([(0, None, None), (0, 3, None), (1, None, 2), (2, 1, 3), (3, 2, None)])
SPECS = st.sampled_from(
    [
        FeedSpec(
            key="all", id="all", title="Everything & more", description="All <of> it", stem="all"
        ),
        FeedSpec(
            key="topic:water",
            id="topic-water",
            title="Water · site",
            description='Water "quoted"',
            stem="topic/water",
            group="topic",
            topics=("water",),
        ),
    ]
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=st.lists(stored_items(), max_size=6),
    position=PAGES,
    spec=SPECS,
    hub=st.booleans(),
)
def test_string_renderers_write_what_feedgen_writes(
    items: list[StoredItem], position: tuple[int, Any, Any], spec: FeedSpec, hub: bool
) -> None:
    number, prev_archive, next_archive = position
    view = StoreView(store=cast(Any, None), settings=WITH_HUB if hub else DEMO)
    page = Page(
        number=number,
        members=tuple((s.item.id, "fp") for s in items),
        prev_archive=prev_archive,
        next_archive=next_archive,
        complete=number == 0 and prev_archive is None,
    )
    shown = entries(view, items)
    for fmt in (ATOM, RSS):
        path = page_path(spec, page, fmt.suffix)
        expected = render_page(view, spec, page, items, fmt.suffix)
        ours = fmt.render(view, spec, page, path, shown)
        # Plain text that could be read as markup has its & and < as hexadecimal references
        # (outputs.xml.plain_element), where lxml writes &amp; and &lt;.
        assert ours.replace(b"&#x26;", b"&amp;").replace(b"&#x3C;", b"&lt;") == expected


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=12,
)


@given(JSON_VALUES)
def test_the_json_layout_is_json_dumps_with_an_indent(value: Any) -> None:
    assert pretty(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_plain_text_that_looks_like_markup_is_written_as_text() -> None:
    """The W3C validator warns of plain text that could be read as markup (CharacterData,
    ContainsUndeclaredHTML) unless its & and < are hexadecimal references, as the RSS
    profile asks; an RSS description is read as HTML, so there such text is escaped once
    more ("x<y" was shown as "x" and a broken tag)."""
    assert plain_element("", "title", "Compact <Toyama> & R&D2026") == (
        "<title>Compact &#x3C;Toyama&gt; &#x26; R&#x26;D2026</title>\n"
    )
    assert plain_element("", "title", "Review & lessons <2019>") == (
        "<title>Review &amp; lessons &lt;2019&gt;</title>\n"  # plain to every reader
    )
    assert html_text("x<y and &copy") == "x&lt;y and &amp;copy"
    assert html_text("A & B") == "A & B"
    assert html_text("A && B") == "A && B"
    # A "<" that starts no tag, as YouTube descriptions and report titles write it: the
    # validator's NotHtml warned of it.
    assert html_text("Light rail & buses <3") == "Light rail &amp; buses &lt;3"
    assert html_text("Review: lessons <2019>") == "Review: lessons &lt;2019&gt;"
    assert html_text("x > y") == "x > y"
    # An "&" before punctuation is a broken reference to an HTML reader (the validator's
    # NotHtml): an event's place "&" followed by the sentence's full stop.
    assert html_text("When: 2026-12-03, Kobe &. Seminar") == "When: 2026-12-03, Kobe &amp;. Seminar"
    assert html_text("Tom &/or Jerry; x &# y; a&") == "Tom &amp;/or Jerry; x &amp;# y; a&amp;"
    assert html_text("東京 &\u3000横浜") == "東京 &amp;\u3000横浜"  # a full-width space
