"""What an origin's HTML hides stays hidden: the cleaning drops every ``style`` and
``hidden`` attribute, so an element hidden by one was shown in the feeds and pages and
read into the summary."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests_support import NOW, draft

from tdlc_syndication.pipeline.hidden import MOST_HIDDEN, without_hidden
from tdlc_syndication.pipeline.normalise import Rules, normalise

# A newsletter's archive feed: the e-mail's preview line, hidden in the message.
PREVIEW = (
    '<span class="mcnPreviewText" style="display:none; font-size:0px; line-height:0px;'
    ' max-height:0px; max-width:0px; opacity:0; overflow:hidden; mso-hide:all;">'
    "Kobe's drill, Toyama's tram and the week's events</span>"
)
# A share plugin's picture for Pinterest, hidden in every post.
PINTEREST = (
    '<div class="swp-hidden-panel-wrap" style="display: none; visibility: collapse;'
    ' opacity: 0"><img decoding="async" src="https://blog.example.org/pin/tram-pin.jpg"'
    ' alt="" width="735" height="1102" class="swp-pinterest-image"></div>'
)


@pytest.mark.parametrize(
    ("markup", "shown"),
    [
        (f"{PREVIEW}<p>Dear readers,</p>", "<p>Dear readers,</p>"),
        (f"<p>Body.</p>{PINTEREST}", "<p>Body.</p>"),
        ('<div hidden>Also <div>nested</div> hidden</div><p>More</p>', "<p>More</p>"),
        ("<p hidden>a<p>b</p>", "<p>b</p>"),  # a paragraph ends where the next starts
        ('<p style="visibility:hidden">a</p><p>b</p>', "<p>b</p>"),
        ('<div><div style="display:none"><div>a</div><div>b</div></div>c</div>', "<div>c</div>"),
        ('<img src="/x.jpg" style="display:none"><p>Text</p>', "<p>Text</p>"),
        ("<table><tr><td>a</td><td style='display:none'>b</td></tr></table>",
         "<table><tr><td>a</td></tr></table>"),
        # not hidden: the words in text, a class, a title, ARIA (hidden from screen readers
        # alone), a hidden input's type (the cleaning drops inputs)
        ('the hidden gem <b class="a hidden">x</b>', 'the hidden gem <b class="a hidden">x</b>'),
        ('<input type="hidden" name="a">b', '<input type="hidden" name="a">b'),
        ('<span title="display:none">t</span>', '<span title="display:none">t</span>'),
        ('<span aria-hidden="true">★</span>', '<span aria-hidden="true">★</span>'),
        # never closed: left as it is, nothing lost
        ('<div style="display:none">never closed <p>rest</p>',
         '<div style="display:none">never closed <p>rest</p>'),
    ],
)  # fmt: skip
def test_what_an_origin_hides_is_taken_out(markup: str, shown: str) -> None:
    assert without_hidden(markup) == shown


def test_a_section_a_click_opens_is_kept() -> None:
    """A "Read more" section or an answer of a list of questions, hidden until a click,
    says much: the page shows it on a click, so the feeds and pages show it. Links alone
    (a compromised site's hidden list of them) say nothing, however many."""
    prose = "The tram carries twice the riders it did. " * 6
    assert len(prose) > MOST_HIDDEN
    section = f'<div class="more" style="display:none"><p>{prose}</p></div>'
    assert without_hidden(f"<p>Intro</p>{section}") == f"<p>Intro</p>{section}"
    links = '<a href="https://casino.example/">cheap casino bonus slots</a> ' * 30
    assert without_hidden(f'<div style="display:none">{links}</div><p>Post</p>') == "<p>Post</p>"


def test_a_newsletters_preview_line_stays_out_of_its_summary_and_content() -> None:
    body = f"{PREVIEW}<p>Dear readers, this week Kobe drilled.</p>{PINTEREST}"
    item = normalise(draft(summary=body, content_html=body), Rules(), NOW)
    assert item.summary == "Dear readers, this week Kobe drilled."
    assert item.content_html == "<p>Dear readers, this week Kobe drilled.</p>"
    assert item.thumbnail is None  # the hidden picture for Pinterest is none of the post


def test_many_hidden_elements_and_words_are_read_in_one_pass() -> None:
    """20,000 hidden elements and as many words "hidden" in text are read in one pass
    (a removal does not copy what follows it, nor a marker read back to the last tag)."""
    hidden = '<span style="display:none">x</span>y' * 20_000
    assert without_hidden(hidden) == "y" * 20_000
    words = "<p>" + "hidden " * 20_000 + "</p>"
    assert without_hidden(words) == words


@given(st.text(alphabet="<>/=\"' abcdhinpsv:;-y", max_size=80))
def test_nothing_but_hidden_elements_is_taken_out(markup: str) -> None:
    """Whatever the markup, what comes out is the markup with whole slices taken out, each
    starting with a tag that hides."""
    shown = without_hidden(markup)
    at = 0
    for char in shown:  # a subsequence of the markup
        at = markup.index(char, at) + 1
    if "hid" not in markup and "display" not in markup:
        assert shown == markup
