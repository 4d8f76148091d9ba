"""What a newsletter's copy on the web holds besides its text, taken out.

A newsletter's archive feed (Mailchimp's, ``https://us1.campaign-archive.com/feed?u=…&id=…``,
which programmes and partners send their news with) gives each issue as the whole mail,
its ``<head>`` and layout tables and all. Around what its editor wrote, the mail has:

- its footer, the block with the link to unsubscribe: "Copyright © 2026 City Partnership
  Program, All rights reserved. … Want to change how you receive these emails? You can
  update your preferences or unsubscribe from this list." (Mailchimp's; every mailing
  service writes one, in the mail's language: 「配信停止はこちら」);
- a link to read it in a browser at its top, "View this email in your browser", where its
  template shows it on the web too;
- Mailchimp's badge, "Email Marketing Powered by Intuit Mailchimp", a linked picture.

Each came into the content of every issue and the summary made of it. They are found in a
cleaned content (:func:`~tdlc_syndication.pipeline.sanitise.sanitise_html`: tags in lower
case, the link's address its first attribute), the footer by its link's address or words
in the content's last :data:`_WINDOW` characters, where the content is evidently a mail:
it links a mailing service (:data:`_SERVICE`), begins with the link to a browser's copy,
or its end speaks of the mail itself ("this email", "unsubscribe from this list", 「この
メール」). A city's notice that ends by telling how to stop its alert mails is no mail.
The footer goes as the innermost table cell, ``<footer>``, ``<div>`` or paragraph that
holds that link, where that block has the footer's size (:data:`_MOST_TEXT`), neither
holds nor follows a heading, is not all the content says and ends it (no more than
:data:`_BEYOND` characters of text after it); the link to a browser's copy goes as its
block, where that begins the content.
"""

from __future__ import annotations

import re

from tdlc_syndication.pipeline.elements import matching_end, text_length, without_empty

_WINDOW = 1200  # characters at each end of a content where the parts are looked for
_MOST_TEXT = 800  # the most text a mail's footer has (Mailchimp's is about 400 characters)
_MOST_VIEW_TEXT = 160  # the most text the block of the link to a browser's copy has
_BEYOND = 200  # the most text after a footer (a badge's words) or before that link

# A link to unsubscribe, by its address or its words (English, Japanese), or words that
# say to unsubscribe just before a link ("To unsubscribe, click here", 「配信停止は」).
_JAPANESE_WORDS = ("配信停止", "配信解除", "登録解除", "購読解除", "購読停止")
_STOP_WORDS = rf"(?:unsubscrib\w*|{'|'.join(_JAPANESE_WORDS)})"
_UNSUBSCRIBE = re.compile(
    r'<a href="[^"]*(?:unsubscribe|/unsub\b)[^"]*"[^>]*>'
    rf'|<a href="[^"]*"[^>]*>[^<]*{_STOP_WORDS}|{_STOP_WORDS}[^<]{{0,24}}<a href=',
    re.I,
)
# What tells a mail: a link to a mailing service (its archive, its forms, its clicks), or
# words that point at the mail itself.
_SERVICE = re.compile(
    r'<a href="https?://(?:[a-z0-9-]+\.)*(?:list-manage\.com|campaign-archive\.com|mailchi\.mp'
    r"|createsend\.com|cmail\d+\.com|constantcontact\.com|mailerlite\.com|mlsend\.com"
    r"|sendgrid\.net|sendinblue\.com|brevo\.com|benchmarkemail\.com|cuenote\.jp"
    r"|blastmail\.jp|aweber\.com|getresponse\.com|klaviyo\.com|beehiiv\.com"
    r"|buttondown\.(?:email|com)|convertkit\.com|ck\.page|mailpoet\.com)[/\"?]"
)
_THIS_MAIL = re.compile(
    r"\b(?:this|these) (?:e-?mails?|newsletters?|messages?|mailing list|list)\b"
    r"|(?:この|本)メール(?!マガジン)|(?:配信|送信)専用",  # ("本メールマガジン": its page too)
    re.I,
)
# A link to the mail's copy on the web, by its words.
_VIEW_IN_BROWSER = re.compile(
    r'<a href="[^"]*"[^>]*>\s*(?:(?:view|read|open|see)\b[^<]{0,24}\b(?:in\s+(?:your\s+|a\s+)?'
    r"browser|online|as\s+a\s+web\s?page)|(?:web|ウェブ|ブラウザ)[^<]{0,12}(?:表示|見る|閲覧)"
    r"[^<]{0,6})\s*</a>",
    re.I,
)
_BADGE = re.compile(
    r'<a href="https?://(?:www\.)?mailchimp\.com/monkey-rewards/[^"]*"[^>]*>\s*(?:<img\b[^>]*>'
    r"\s*)?</a>"
)
# a row of no cell or of empty ones, a table of no row: what a part's cell leaves
_EMPTY_TABLE = re.compile(r"<tr>\s*(?:<td>\s*</td>\s*)*</tr>|<(tbody|thead|tfoot|table)>\s*</\1>")
_EMPTY_NESTED = 8  # a mail's layout nests its tables this deep, at most
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)\b[^>]*>")
_BLOCKS = ("td", "footer", "div", "p")  # the blocks a footer is written in, innermost first
_HEADING = re.compile(r"<h[1-6]>")
_HEADED = re.compile(r"</h[1-6]>\s*(?:<[a-z]+>\s*)*\Z")  # a block right under a heading
_VOID = frozenset({"br", "img", "hr", "wbr"})


def without_mailing_parts(cleaned: str) -> str:
    """A cleaned content without a newsletter's footer, its link to a browser's copy and
    Mailchimp's badge (see the module); as it is when it has none (most have none)."""
    tail = cleaned[-_WINDOW:]  # quick looks first: most contents have no footer
    if (
        "nsub" not in tail
        and "NSUB" not in tail
        and (
            tail.isascii() or ("停止" not in tail and "解除" not in tail)  # (in each stop word)
        )
    ):
        return cleaned
    if "monkey-rewards" in cleaned:  # (it follows the footer)
        cleaned = _BADGE.sub("", cleaned)
    start = max(0, len(cleaned) - _WINDOW)
    footer = _UNSUBSCRIBE.search(cleaned, start)
    view = _VIEW_IN_BROWSER.search(cleaned, 0, _WINDOW)
    if footer is None or not (
        view is not None
        or _SERVICE.search(cleaned, start) is not None
        or _SERVICE.search(cleaned, 0, _WINDOW) is not None
        or _THIS_MAIL.search(cleaned, start) is not None
    ):
        return cleaned  # a text that speaks of unsubscribing (a city's alert mails)
    cleaned = _without_block(cleaned, footer.start(), _MOST_TEXT, last=True)
    view = _VIEW_IN_BROWSER.search(cleaned, 0, _WINDOW)
    if view is not None:
        cleaned = _without_block(cleaned, view.start(), _MOST_VIEW_TEXT, last=False)
    # the rows and tables the parts were laid out in
    return without_empty(cleaned, _EMPTY_TABLE, _EMPTY_NESTED)


def _without_block(cleaned: str, at: int, most: int, *, last: bool) -> str:
    """``cleaned`` without the innermost block (:data:`_BLOCKS`, a table cell before a
    ``<div>`` that holds it) around the tag at ``at``, where its text is at most ``most``
    characters and not the whole content's, it neither holds nor follows a heading, and it
    is the ``last`` part of the content (else the first); as it is where none is. (An
    outer block of a name is larger than the innermost: only that one is tried.)"""
    innermost = _innermost_blocks(cleaned, at)
    whole = text_length(cleaned)
    for name in _BLOCKS:
        begin = innermost.get(name)
        end = None if begin is None else matching_end(cleaned, name, at)
        if begin is None or end is None:
            continue
        block = cleaned[begin:end]
        length = text_length(block)
        beyond = cleaned[end:] if last else cleaned[:begin]
        if (
            length <= most
            and length < whole
            and _HEADING.search(block) is None
            and _HEADED.search(cleaned, max(0, begin - _BEYOND), begin) is None
            and text_length(beyond) <= _BEYOND
        ):
            return cleaned[:begin] + cleaned[end:]
    return cleaned


def _innermost_blocks(cleaned: str, at: int) -> dict[str, int]:
    """Where the innermost block of each name open at ``at`` starts. The cleaned HTML
    closes each element it opens."""
    stack: list[tuple[str, int]] = []
    for tag in _TAG.finditer(cleaned, 0, at):
        closing, name = tag.group(1), tag.group(2)
        if name in _VOID:
            continue
        if not closing:
            stack.append((name, tag.start()))
        elif stack and stack[-1][0] == name:
            stack.pop()
    innermost: dict[str, int] = {}
    for name, begin in reversed(stack):
        if name in _BLOCKS:
            innermost.setdefault(name, begin)
    return innermost
