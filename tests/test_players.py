"""A video or an audio an origin's HTML plays (``<video>``, ``<audio>``) is a link to its
file in the published content: the cleaning keeps no player, so the file was lost and the
player's words for old browsers were published."""

from __future__ import annotations

import pytest
from tests_support import NOW, draft

from tdlc_syndication.pipeline.normalise import Rules, normalise
from tdlc_syndication.pipeline.players import players_as_links
from tdlc_syndication.pipeline.sanitise import sanitise_html

BASE = "https://x.example.org/2026/11/drill/"


@pytest.mark.parametrize(
    ("markup", "published"),
    [
        # WordPress's video block, as its feeds write it
        ('<figure class="wp-block-video"><video controls src="/wp-content/uploads/2026/11/'
         'flood%20drill.mp4"></video><figcaption>The drill</figcaption></figure>',
         '<figure><a href="https://x.example.org/wp-content/uploads/2026/11/flood%20drill.mp4"'
         ' rel="noopener noreferrer">flood drill.mp4</a><figcaption>The drill</figcaption>'
         "</figure>"),
        # and its audio block
        ('<figure class="wp-block-audio"><audio controls src="https://x.example.org/talk.mp3">'
         "</audio></figure>",
         '<figure><a href="https://x.example.org/talk.mp3" rel="noopener noreferrer">talk.mp3'
         "</a></figure>"),
        # its sources, its poster and its title; the words for old browsers go
        ('<video controls poster="/poster.jpg" title="Flood drill"><source src="/v.webm" '
         'type="video/webm"><source src="/v.mp4">Your browser does not support video.</video>',
         '<a href="https://x.example.org/v.webm" rel="noopener noreferrer"><img src="https://'
         'x.example.org/poster.jpg" alt="Flood drill"></a>'),
        # no file a reader can follow: nothing
        ('<video src="javascript:alert(1)"></video><audio src="blob:https://x/1"></audio>'
         "<video>Your browser does not support video.</video><p>Body.</p>", "<p>Body.</p>"),
    ],
)  # fmt: skip
def test_a_player_is_a_link_to_its_file(markup: str, published: str) -> None:
    assert sanitise_html(markup, BASE) == published


def test_a_post_with_a_video_block_keeps_its_video() -> None:
    content = (
        '<p>Kobe drilled.</p><figure class="wp-block-video"><video controls src="https://'
        'x.example.org/drill.mp4"></video></figure>'
    )
    item = normalise(draft(url=BASE, content_html=content), Rules(), NOW)
    assert 'href="https://x.example.org/drill.mp4"' in item.content_html
    assert item.summary == "Kobe drilled. drill.mp4"


def test_markup_without_a_player_is_as_it_was() -> None:
    markup = "<p>A <b>video</b> of the drill.</p>"
    assert players_as_links(markup) is markup
