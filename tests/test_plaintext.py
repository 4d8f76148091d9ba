"""HTML as the digest email's text part (``outputs.plaintext``)."""

from __future__ import annotations

from markdown_it import MarkdownIt

from tdlc_syndication.outputs.plaintext import readable_text


def test_blocks_lists_quotes_code_and_images_read_as_written() -> None:
    markdown = (
        "# Toyama\n\n"
        "A map: ![the light rail line](https://example.org/map.png)  \nsecond line\n\n"
        "3. third\n4. fourth\n   - under it [a note](https://example.org/n)\n\n"
        "> quoted\n>\n> - in the quote\n\n"
        "    code  kept\n      as is\n\n"
        "***\n\n"
        "<mailto:desk@example.org> and <https://example.org/x>\n"
    )
    assert readable_text(MarkdownIt("commonmark").render(markdown)) == (
        "Toyama\n\n"
        "A map: the light rail line\nsecond line\n\n"
        "3. third\n4. fourth\n   * under it a note <https://example.org/n>\n\n"
        "> quoted\n>\n> * in the quote\n\n"
        "code  kept\n  as is\n\n"
        "----\n\n"
        "mailto:desk@example.org and https://example.org/x"
    )


def test_no_control_or_direction_characters_and_nothing_from_nothing() -> None:
    assert readable_text("") == ""
    assert readable_text("<p>  </p>") == ""
    assert readable_text("<p>a\u202eb\x0bc</p><!-- note --><p>d</p>") == "ab c\n\nd"
    assert readable_text('<a href="https://example.org/">https://example.org/</a>') == (
        "https://example.org/"
    )
