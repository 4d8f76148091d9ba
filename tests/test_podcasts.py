"""A podcast's episodes: their show notes as the content (not the short copy in
``<itunes:summary>``), without the lines the podcast host adds to every episode."""

from __future__ import annotations

import pytest
from test_fastfeed import atom_entry_feed, one_item_on_both

_NOTES = (
    "<p>Aiko Tanaka tells how Toyama rebuilt its centre around the tram.</p>"
    "<p>Chapters:<br>00:00 Intro<br>03:12 The tram</p>"
    '<p>The <a href="https://example.org/toyama-plan">city plan</a>.</p>'
)
_HOST_LINES = (
    "<p>--- </p><p>Send in a voice message: "
    '<a href="https://podcasters.spotify.com/pod/show/citytalks/message">'
    "https://podcasters.spotify.com/pod/show/citytalks/message</a></p>"
    "<p>Support this podcast: "
    '<a href="https://podcasters.spotify.com/pod/show/citytalks/support">'
    "https://podcasters.spotify.com/pod/show/citytalks/support</a></p>"
)


def _podcast(*parts: str) -> bytes:
    """A podcast's feed of one episode, its item's elements ``parts`` in that order."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
        "<title>City Talks</title><link>https://citytalks.example.org/</link>"
        "<description>Conversations on compact cities</description><language>en</language>"
        "<item><title>Ep. 12: Toyama's tram</title>"
        "<link>https://citytalks.example.org/episodes/12</link>"
        "<pubDate>Thu, 26 Nov 2026 05:00:00 GMT</pubDate>"
        '<enclosure url="https://cdn.example.org/ep12.mp3" length="38512345" '
        'type="audio/mpeg"/>' + "".join(parts) + "</item></channel></rss>"
    ).encode()


def _description(markup: str) -> str:
    return f"<description><![CDATA[{markup}]]></description>"


@pytest.mark.parametrize(
    "itunes_summary",
    [
        # a copy of the notes in plain text, as hosts write it
        "Aiko Tanaka tells how Toyama rebuilt its centre around the tram. Chapters: "
        "00:00 Intro 03:12 The tram",
        # cut short
        "Aiko Tanaka tells how Toyama rebuilt its centre around the…",
    ],
    ids=["copy", "cut"],
)
@pytest.mark.parametrize("first", ["description", "itunes"])
def test_an_episodes_show_notes_are_its_content(itunes_summary: str, first: str) -> None:
    """feedparser takes the second of an item's ``<description>`` and
    ``<itunes:summary>`` as its content: the short plain copy in ``<itunes:summary>``
    took the place of the show notes, and their links and chapters reached no reader.
    The fuller is the content, in either order, on both paths."""
    summary = f"<itunes:summary>{itunes_summary}</itunes:summary>"
    parts = [_description(_NOTES), summary]
    body = _podcast(*(parts if first == "description" else reversed(parts)))
    for item in one_item_on_both(body):
        assert 'href="https://example.org/toyama-plan"' in item.content_html
        assert "03:12 The tram" in item.content_html
        assert item.summary.startswith("Aiko Tanaka tells how Toyama rebuilt")


def test_an_episodes_own_summary_is_its_summary_and_the_notes_its_content() -> None:
    """An ``<itunes:summary>`` of its own words (no copy of the notes) is the summary,
    the notes the content, whichever comes first."""
    line = "<itunes:summary>A conversation on trams and compact cities.</itunes:summary>"
    for parts in ((_description(_NOTES), line), (line, _description(_NOTES))):
        for item in one_item_on_both(_podcast(*parts)):
            assert item.summary == "A conversation on trams and compact cities."
            assert item.content_html.startswith("<p>Aiko Tanaka tells")


def test_an_atom_entrys_content_in_html_stays_beside_a_longer_summary() -> None:
    """An HTML content is kept beside a longer summary of other words (an Atom entry
    that says more in its summary than in its content)."""
    body = atom_entry_feed(
        b'<summary type="html">&lt;p&gt;Three hundred residents of Nagata ward took part in '
        b'the district drill.&lt;/p&gt;</summary><content type="html">&lt;p&gt;See the '
        b"photos.&lt;/p&gt;</content>"
    )
    for item in one_item_on_both(body):
        assert item.content_html == "<p>See the photos.</p>"


@pytest.mark.parametrize(
    "lines",
    [
        _HOST_LINES,
        # as text, on Anchor's older address
        "<p>---<br>Send in a voice message: https://anchor.fm/citytalks/message</p>",
    ],
    ids=["spotify", "anchor-text"],
)
def test_the_podcast_hosts_lines_leave_every_episode(lines: str) -> None:
    """Spotify for Podcasters (Anchor before) ends every episode's notes with a rule,
    "Send in a voice message: …" and "Support this podcast: …": in the content and the
    summary of each. Gone, and the notes' own links stay."""
    for item in one_item_on_both(_podcast(_description(_NOTES + lines))):
        assert "voice message" not in item.content_html + item.summary
        assert "Support this podcast" not in item.content_html
        assert "---" not in item.content_html
        assert item.content_html.endswith("city plan</a>.</p>")
