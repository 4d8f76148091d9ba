"""Elements and tags found in one pass give what the patterns that read to the end of the
text from every start gave (``pipeline.elements``)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tdlc_syndication.pipeline.elements import (
    attributes,
    closed,
    has_tag,
    replaced,
    tags_replaced,
    unescape_attribute,
)

# The patterns text.py and players.py used before, read from every start.
_SCRIPT_AS_WAS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_STARTS = re.compile(r"<(script|style)\b", re.I)
_ENDS = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style")}
_TAG = re.compile(r"<[A-Za-z/!?][^>]*>")

_MARKUP = st.lists(
    st.sampled_from(["<script>", "</script>", "<style a>", "</STYLE >", "<b>", "<", ">", "x", " "]),
    max_size=40,
).map("".join)


@given(_MARKUP)
def test_elements_closed_in_one_pass_are_those_the_pattern_found(markup: str) -> None:
    assert replaced(markup, _STARTS, _ENDS, lambda start, inside: "·") == _SCRIPT_AS_WAS.sub(
        "·", markup
    )


@given(_MARKUP)
def test_tags_read_up_to_the_last_close_are_those_the_pattern_found(markup: str) -> None:
    assert tags_replaced(_TAG, "", markup) == _TAG.sub("", markup)
    assert has_tag(_TAG, markup) == (_TAG.search(markup) is not None)


def test_an_element_inside_one_found_is_not_looked_for() -> None:
    markup = "<script>a<style>b</style>c</script>d<style>e"
    found = [(start[1], markup[start.end() : end.start()]) for start, end in closed(
        markup, _STARTS, _ENDS
    )]  # fmt: skip
    assert found == [("script", ">a<style>b</style>c")]  # from the start pattern's end


@pytest.mark.parametrize(
    ("written", "read"),
    [
        # html5lib's tokenizer tests of references in attributes
        ("&not=", "&not="),
        ("&noti;", "&noti;"),
        ("&lang=", "&lang="),
        ("&amp;", "&"),
        ("&amp", "&"),
        ("&ampa", "&ampa"),
        ("&copy-2026", "\u00a9-2026"),
        ("&notin;", "\u2209"),
        ("&#x26;&#38;", "&&"),
        # addresses as pages write them, "&" bare (as text, each was a sign: ¶m, ×tamp)
        ("/s?q=1&param=2&timestamp=3&region=jp&section=4&currency=jpy",
         "/s?q=1&param=2&timestamp=3&region=jp&section=4&currency=jpy"),
        ("/i.jpg?w=800&quality=80&amp;cent=1", "/i.jpg?w=800&quality=80&cent=1"),
    ],
)  # fmt: skip
def test_an_attributes_references_are_read_as_browsers_read_them(written: str, read: str) -> None:
    assert unescape_attribute(written) == read
    assert attributes(f" href=\"{written}\" a='{written}'")["href"] == read
