"""The fallback for pages where no selector names the post's block: readability's reading."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

import pytest

from tdlc_syndication.pipeline.logs import configure
from tdlc_syndication.sources.page import read_page

SENTENCE = "The city of Toyama runs its light rail line along the old freight tracks. "
# No <article>, <main> or post block: only readability's look at text density finds it.
PAGE = (
    "<html><head><title>Light rail</title>"
    '<style>.x{{mask:url("data:image/svg+xml,%3csvg%3e")}}{style}</style></head>'
    "<body><div class='nav'><a href='/'>Home</a></div>"
    "<div class='story'><p>{text}</p><p>{text}</p></div></body></html>"
)


def test_a_page_with_a_control_character_keeps_its_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A news site's page with eight control characters in its inline style sheet (which
    also holds a quoted ``url()``, as Tailwind writes them) gave no text at all: lxml
    refuses to set a text that holds one, and readability rewrites such a sheet's links.
    An error with a traceback was logged at every run."""
    page = PAGE.format(style="\x14\x02\x07", text=SENTENCE * 4)
    with caplog.at_level(logging.WARNING):
        info = read_page(page, "https://x.example.org/rail", ZoneInfo("UTC"))
    assert "old freight tracks" in info.content_html
    assert "\x14" not in info.content_html
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.parametrize("body", ["", "  \n", "<!-- moved -->"])
def test_an_empty_page_logs_no_error(body: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A page answered with an empty body (a server's fault, or a page moved) has no text,
    and is read so; readability logged an error with its traceback for it, which ``-q``
    (errors only) printed at every run, and cron mailed."""
    handler = configure(-1)
    try:
        info = read_page(body, "https://x.example.org/rail", ZoneInfo("UTC"))
    finally:
        logging.getLogger().removeHandler(handler)
    assert info.content_html == ""
    assert capsys.readouterr().err == ""
