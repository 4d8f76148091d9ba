"""WordPress shortcodes that reach a feed unrendered (a page builder's layout, a caption,
an embed, a form) are taken out of summaries and content; text in brackets stays."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests_support import NOW, draft

from tdlc_syndication.pipeline.normalise import Rules, normalise
from tdlc_syndication.pipeline.shortcodes import without_shortcodes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # WPBakery's layout, whole and as an excerpt cuts it.
        (
            "[vc_row][vc_column][vc_column_text]Planners met in Toyama.[/vc_column_text]"
            "[/vc_column][/vc_row]",
            "Planners met in Toyama.",
        ),
        ("[vc_row][vc_column][vc_column_text]Planners met in", "Planners met in"),
        ('[et_pb_section fb_built="1"][et_pb_text]Divi text', "Divi text"),
        # A caption keeps its image and words; an embed becomes a link to what it embeds.
        (
            '[caption id="attachment_12" width="300"]<img src="a.jpg"> The mayor[/caption]',
            '<img src="a.jpg"> The mayor',
        ),
        (
            "Watch: [embed]https://youtu.be/abcDEF12345[/embed]",
            'Watch: <a href="https://youtu.be/abcDEF12345">https://youtu.be/abcDEF12345</a>',
        ),
        # A form or a gallery, quotes as WordPress writes them in a feed too.
        ('Ask us. [contact-form-7 id="12" title="Contact"]', "Ask us. "),
        ("[gallery ids=&#8221;1,2,3&#8243;]Photos", "Photos"),
        ("[b]bold[/b], a closing [/quote] alone", "bold, a closing  alone"),
        # Text in brackets that is no shortcode.
        ("Footnote [1], [NEW], [brackets], a[i], [&#8230;]", None),
        ("［お知らせ］ and [link text](https://x.example.org/)", None),
    ],
)
def test_shortcodes_are_taken_out_and_brackets_stay(text: str, expected: str | None) -> None:
    assert without_shortcodes(text) == (text if expected is None else expected)


def test_a_feeds_summary_and_content_lose_their_shortcodes() -> None:
    """Found in WordPress feeds whose page builder or caption plugin was off: every
    summary began "[vc_row][vc_column][vc_column_text]", in the feeds, pages and digest."""
    item = normalise(
        draft(
            summary="[vc_row][vc_column][vc_column_text]Delegates from Kobe visited.",
            content_html='<p>[caption id="attachment_3" width="300"]<img src="https://x.example'
            '.org/i.jpg"> At the site[/caption]</p><p>[contact-form-7 id="12"]</p>',
        ),
        Rules(),
        NOW,
    )
    assert item.summary == "Delegates from Kobe visited."
    assert "[" not in item.content_html
    assert "<p></p>" not in item.content_html  # the form's paragraph, left empty: gone
    assert "At the site" in item.content_html
    assert '<img src="https://x.example.org/i.jpg">' in item.content_html


def test_open_tags_without_their_closing_ones_stay() -> None:
    assert without_shortcodes("[a]" * 1000 + "[/b]") == "[a]" * 1000


@given(st.text(alphabet=st.sampled_from("[]/ab =\"'<>x1…"), max_size=80))
def test_any_text_gives_text_and_loses_only_tags(text: str) -> None:
    """What is taken out is whole tags: the text left is the input with some of its
    bracketed runs removed, in order (an embed's link aside, which needs an address)."""
    out = without_shortcodes(text)
    rest = iter(text)
    assert all(char in rest for char in out)  # a subsequence of the input
