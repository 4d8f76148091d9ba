"""What publishing systems append to every entry of their feeds, dropped from its text.

- Yoast SEO's RSS footer, on by default on the WordPress sites that run it: a last
  paragraph ``The post <a href=ENTRY>Title</a> appeared first on <a href=SITE>Site</a>.``,
  in the site's language (``投稿 … は … に最初に表示されました。``). It is told by its
  shape, not its words: a short last paragraph of text and two links, the first to the
  entry itself, the second to an address the entry's begins with (its site).
- Medium's, of the same shape, after a rule: ``<a href=ENTRY>Title</a> was originally
  published in <a href=PUBLICATION>City Notes</a> on Medium, where people are continuing
  the conversation by highlighting and responding to this story.``
- Substack's subscription box (``Thanks for reading City Notes! Subscribe for free to
  receive new posts…`` and its form), wherever the author put one, and its buttons to
  share the post, subscribe or leave a comment (an author's own button stays).
- WordPress.com's buttons after every post: a link to its comments
  (``https://feeds.wordpress.com/1.0/gocomments/blog.wordpress.com/1412/``) holding a
  picture of the count served from there, and on older posts one per social site
  (``gofacebook``, ``gotwitter``): each reader's copy loaded them from WordPress.com.
- Vimeo's last paragraphs after every video's description, who is in it and its tags
  (``<p><strong>Cast:</strong> <a href="https://vimeo.com/citylab">City Lab</a></p>``,
  ``<p><strong>Tags:</strong> <a href="https://vimeo.com/tag:toyama">toyama</a> and …``):
  the tags are the entry's categories (:func:`without_credits`); and Flickr's first
  paragraph before every photo's, who posted it (``<p><a
  href="https://www.flickr.com/people/citylab/">City Lab</a> posted a photo:</p>``).
- A podcast host's lines after every episode's notes (Spotify for Podcasters', formerly
  Anchor's: ``--- Send in a voice message: https://podcasters.spotify.com/pod/show/…/message``,
  ``Support this podcast: …/support``), with the rule before them.
- FeedBurner's (the feeds it still serves, on its own host or a site's): the FeedFlare
  row (``<div class="feedflare">``, links and pictures served from ``/~ff/``), its
  counting pixel (``/~r/…/~4/…``) and its ads (``/~a/``), whose pictures every reader
  loaded from FeedBurner; ahead of the footers, which they stood after.
- A theme's link to the entry itself at the end of its excerpt (WordPress's
  ``<a class="more-link" href=ENTRY#more-12>Continue reading "Title"</a>``, ``Read more``,
  ``続きを読む``, ``Baca selengkapnya``): the item is that link already.

Each came into every summary a page, a feed or the digest shows. A followed page's
main text loses them too (``sources.page``): Substack's box and buttons are on its post's
page as in its feed.

A post WordPress protects with a password comes in its feed as the form that asks for
it (``<form action=".../wp-login.php?action=postpass" class="post-password-form">``,
"There is no excerpt because this is a protected post."), and in its REST API marked
``"protected": true`` with no text. Its readers cannot read it: it is withdrawn
(:data:`PROTECTED`), not published as the form's words.
"""

from __future__ import annotations

import html
import re

from tdlc_syndication.pipeline.canonical import canonical_url
from tdlc_syndication.pipeline.elements import unescape_attribute
from tdlc_syndication.sources.widgets import SUBSTACK_ACTIONS, without_widgets

# Only the end of an entry's text is looked at: a footer is short.
_TAIL = 600
_LAST_LINK = 48  # a footer's last link ends at most this far from the text's end
_MEDIUM_END = "responding to this story.</p>"  # but Medium's, which says a sentence after it
_LINK = re.compile(r"<a\b[^>]*?\bhref=(?:\"([^\"]*)\"|'([^']*)')[^>]*>(.*?)</a\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
# Tags in either case: a feed the fast reading takes keeps its tags as written (<P>, </A>)
_A_START = re.compile(r"<a\s", re.I)
_P_START = re.compile(r"<p", re.I)
_FOOTER_TEXT = 160  # the most text a footer paragraph has besides its links' own
_MORE = re.compile(r"#more-\d+\Z")
_WRAPPER_END = re.compile(r"</(?:div|section|article)\s*>", re.I)


PROTECTED = "protected by a password at its site (its feed gives the form that asks for it)"


_SHORT = 200  # a summary longer than this is no excerpt of a protected post
# The excerpt WordPress gives a protected post, in English and Japanese.
_NO_EXCERPT = (
    "There is no excerpt because this is a protected post.",
    "この投稿はパスワードで保護されているため抜粋文はありません。",
)


def password_form(markup: str, summary: str = "") -> bool:
    """Whether ``markup`` is WordPress's form for a protected post's password (its
    class, or the address it posts the password to, which themes keep), or ``summary``
    the excerpt WordPress gives such a post (a feed of excerpts has no form)."""
    return (
        "post-password-form" in markup
        or "action=postpass" in markup
        or (
            0 < len(summary) < _SHORT
            and html.unescape(_TAG.sub("", summary)).strip() in _NO_EXCERPT
        )
    )


# WordPress.com's buttons: a link to feeds.wordpress.com/1.0/go…/ with its picture, and
# any picture left from there.
# (No look here reads past a "<" where it seeks a tag's end: see pipeline.elements.)
_WPCOM_BUTTON = re.compile(
    r"<a\b[^<>]*?\bhref=[\"']?https?://feeds\.wordpress\.com/1\.0/go[^<>]*>\s*"
    r"(?:<img\b[^<>]*>)?\s*</a\s*>"
    r"|<img\b[^<>]*?\bsrc=[\"']?https?://feeds\.wordpress\.com/1\.0/[^<>]*>",
    re.I,
)
# Substack's subscription box (its form ends it), and a button paragraph that shares the
# post, subscribes or comments. A post has a few: one with more is no Substack post's,
# and each box's look for its form's end would read to the end of the text.
_SUBSTACK_BOX = re.compile(
    r"<div\b[^<>]*\bclass=\"subscription-widget-wrap[^\"<>]*\"[^<>]*>.*?</form>\s*"
    r"(?:</div>\s*){2}",
    re.I | re.S,
)
_SUBSTACK_BUTTON = re.compile(
    r"<p\b[^<>]*\bclass=\"button-wrapper\"[^<>]*>\s*<a\b[^<>]*\bhref=\"[^\"<>]*"
    rf"{SUBSTACK_ACTIONS}[^\"<>]*\"[^<>]*>"
    r"[^<]*(?:<(?!/?a\b)[^<]*)*</a>\s*</p>",
    re.I,
)
_MOST_BOXES = 8
# FeedBurner's parts: its addresses' marks, the pixel, an ad's paragraph (its own, or
# the later one of DoubleClick's ads, a picture or two linked from feedads.g.doubleclick).
_FEEDBURNER = re.compile(r"/~(?:r|a|at)/")
_FEEDBURNER_PARTS = re.compile(
    r"<img\b[^<>]*?\bsrc=[\"']?https?://[^/\"'<>\s]+/~r/[^/\"'<>\s]+/~4/[^<>]*>(?:\s*</img>)?"
    r"|<p>\s*<a\b[^<>]*?\bhref=[\"']?https?://[^/\"'<>\s]+/~a/[^/\"'<>\s?]+\?a=[^<>]*>\s*"
    r"(?:<img\b[^<>]*>\s*"
    r"(?:</img>\s*)?)?</a>\s*</p>"
    r"|<p>\s*(?:<a\b[^<>]*?\bhref=[\"']?https?://feedads\.g\.doubleclick\.net/~at/[^<>]*>\s*"
    r"(?:<img\b[^<>]*>\s*(?:</img>\s*)?)?</a>\s*(?:<br\b[^<>]*>\s*)?)+</p>",
    re.I,
)
# Spotify for Podcasters' lines (Anchor's before), at the end of an episode's notes: each
# a label and the show's address there, as a link or as text, a rule of dashes before.
_PODCAST_ADDRESS = (
    r"(?:<a\b[^<>]*>\s*)?https?://(?:podcasters\.spotify\.com/pod/show|anchor\.fm)/[^\s<>\"']*"
    r"(?:\s*</a>)?|<a\b[^<>]*\bhref=[\"']https?://(?:podcasters\.spotify\.com/pod/show"
    r"|anchor\.fm)/[^<>]*>[^<]*</a>"
)
_PODCAST_LINES = re.compile(  # each part atomic: the spaces between are read one way
    r"(?>\s*(?:<p>|<br\s*/?>)?\s*-{3}\s*(?:</p>|<br\s*/?>)?)?"
    r"(?>\s*(?:<p>|<br\s*/?>)?\s*(?:Send in a voice message|Support this podcast):\s*"
    rf"(?:{_PODCAST_ADDRESS})\s*(?:</p>)?)+\s*\Z",
    re.I,
)
_TRAILING_RULE = re.compile(r"<hr\b[^<>]*>\s*\Z", re.I)
_LAST_PICTURE = re.compile(r"<img\b[^<>]*>\s*\Z", re.I)
_BREAK = re.compile(r"<br\b[^<>]*>", re.I)


def without_footer(markup: str, link: str) -> str:
    """``markup`` (an entry's summary or content, as HTML, its tags in either case)
    without the footer its publishing system appended (see the
    module): unchanged when it has none, or when ``link``, the entry's own address, is not
    known (WordPress.com's buttons and Substack's box go whatever the link)."""
    # The boxes are named by their class: one look for a class first (many feeds'
    # entries have none; five looks for the boxes' names cost 4.5 µs on 2 KB).
    classed = "lass=" in markup or "LASS=" in markup  # (class=, Class=, CLASS=)
    if classed:  # a plug-in's boxes (Substack's, YARPP's, beehiiv's...)
        markup = without_widgets(markup)
    # FeedBurner's parts go before the footers they stand after
    if "~" in markup and _FEEDBURNER.search(markup) is not None:  # (one quick look first)
        markup = _without_feedburner(markup)
    if "feeds.wordpress.com/1.0/" in markup:
        markup = _without_last_breaks(_WPCOM_BUTTON.sub("", markup))
    boxes = markup.count("subscription-widget") if classed else 0
    if 0 < boxes <= _MOST_BOXES:
        markup = _SUBSTACK_BOX.sub("", markup)
    if classed and "button-wrapper" in markup:
        markup = _SUBSTACK_BUTTON.sub("", markup)
    tail = max(0, len(markup) - _TAIL)
    if (markup.find("anchor.fm/", tail) >= 0 or markup.find("spotify.com/", tail) >= 0) and (
        lines := _PODCAST_LINES.search(markup, tail)
    ):
        markup = markup[: lines.start()]
    kept = markup.rstrip()
    # the blocks the entry's text is wrapped in (Medium's preview, a theme's <div>s)
    split = _run_start(kept, len(kept), _WRAPPER_END)
    kept, closing = kept[:split], kept[split:]
    end = kept[-_LAST_LINK:].lower()  # (for a look: its length may change)
    if not link or ("</a" not in end and not kept.endswith(_MEDIUM_END)):
        return markup
    if end.endswith("</p>"):
        kept = _without_site_paragraph(kept, link)
    return _without_more_link(kept, link) + closing


# Vimeo's credits: paragraphs at the end that say "Cast:" or "Tags:" in bold, nothing but
# text and links in them.
_VIMEO_CREDITS = re.compile(
    r"(?:\s*<p>\s*<strong>\s*(?:Cast|Tags):\s*</strong>(?:(?!</?p\b).)*</p>)+\s*\Z",
    re.I | re.S,
)
_CREDITS_TAIL = 4000  # they end the text: only its end is looked at
_VIMEO = ("https://vimeo.com/", "http://vimeo.com/")
# Flickr's first paragraph: a link to who posted the photo (or the video), then its words.
_FLICKR = ("https://www.flickr.com/", "http://www.flickr.com/", "https://flickr.com/")
_FLICKR_POSTED = re.compile(
    r"\s*<p>\s*<a\b[^>]*\bhref=\"https?://(?:www\.)?flickr\.com/people/[^\"]*\"[^>]*>[^<]*</a>"
    r"\s*posted an? (?:photo|video):\s*</p>\s*",
    re.I,
)
_VIMEO_TAG = re.compile(
    r"<a\b[^>]*\bhref=\"https?://vimeo\.com/tag:[^\"]*\"[^>]*>([^<]*)</a>", re.I
)


def without_credits(markup: str, link: str) -> tuple[str, tuple[str, ...]]:
    """``markup`` without the credits a video or photo host writes around what its
    author wrote, when ``link`` is one of its pages: Vimeo's after a video's description
    (who is in it, its tags: returned), Flickr's before a photo's (who posted it); else
    ``markup`` as it is and no tags."""
    if link.startswith(_FLICKR) and (posted := _FLICKR_POSTED.match(markup)):
        return markup[posted.end() :], ()
    if not link.startswith(_VIMEO) or "</strong>" not in markup:
        return markup, ()
    found = _VIMEO_CREDITS.search(markup, max(0, len(markup) - _CREDITS_TAIL))
    if found is None:
        return markup, ()
    tags = (html.unescape(tag).strip() for tag in _VIMEO_TAG.findall(found[0]))
    return markup[: found.start()], tuple(tag for tag in tags if tag)


def _without_feedburner(markup: str) -> str:
    """``markup`` without FeedBurner's counting pixel and ads (its FeedFlare row is a
    box :func:`~tdlc_syndication.sources.widgets.without_widgets` takes out)."""
    return _FEEDBURNER_PARTS.sub("", markup).rstrip()


def _run_start(markup: str, end: int, tag: re.Pattern[str]) -> int:
    """Where the run of spaces and of tags ``tag`` matches whole that ``markup[:end]``
    ends with begins: read back from ``end`` a tag at a time, so a text of 20,000 such
    tags is read once (a pattern tried at each of the end's characters cost 15 µs an
    entry)."""
    while True:
        while end > 0 and markup[end - 1].isspace():
            end -= 1
        last = markup.rfind("<", 0, end)
        if last < 0 or tag.fullmatch(markup, last, end) is None:
            return end
        end = last


def _without_last_breaks(markup: str) -> str:
    """``markup`` without the line breaks it ends with (before a last picture, if any:
    WordPress.com's stats pixel), which its buttons stood after."""
    picture = _LAST_PICTURE.search(markup)
    end = picture.start() if picture else len(markup)
    stop = _run_start(markup, end, _BREAK)
    kept = len(markup[:end].rstrip())
    return markup if stop == kept else markup[:stop] + markup[end:]


def _href(match: re.Match[str]) -> str:
    return unescape_attribute(match.group(1) if match.group(1) is not None else match.group(2))


def _without_site_paragraph(kept: str, link: str) -> str:
    """``kept`` without its last paragraph when that is a site's footer."""
    begin = _last(_P_START, kept, max(0, len(kept) - _TAIL), len(kept))
    if begin < 0 or not _tag_name_ends(kept, begin + 2) or len(_A_START.findall(kept, begin)) != 2:
        return kept
    inside = kept[begin:]
    links = list(_LINK.finditer(inside))
    if len(links) != 2:
        return kept
    entry, site = (_href(found) for found in links)
    said = _TAG.sub("", _LINK.sub("", inside))
    if _same(entry, link) and _site_of(site, link) and len(said.strip()) <= _FOOTER_TEXT:
        return _TRAILING_RULE.sub("", kept[:begin].rstrip())  # Medium's line above it
    return kept


def _tag_name_ends(markup: str, at: int) -> bool:
    """Whether a tag's name ends at ``at``: the tag closes or a space (a line break, as
    a feed may write ``<a\nhref=…>``) comes next."""
    return markup[at : at + 1] == ">" or markup[at : at + 1].isspace()


def _without_more_link(kept: str, link: str) -> str:
    """``kept`` without a link to the entry itself at its very end (in its last
    paragraph: nothing but the paragraph's end after it) that says a few words ("Continue
    reading", the title): one that holds a picture or more words is the excerpt itself,
    linked whole, as shops' and some CMSs' feeds write it; it was taken for the link
    after an excerpt, and the entry published with no text."""
    closing = kept[-4:] if kept[-4:].lower() == "</p>" else ""
    end = len(kept[: len(kept) - len(closing)].rstrip()) if closing else len(kept)
    if kept[end - 4 : end].lower() != "</a>":
        return kept
    begin = _last(_A_START, kept, max(0, end - _TAIL), end)  # (<a\nhref= too)
    if begin < 0 or not _may_link_to(kept, begin, end, link):
        return kept
    found = _LINK.match(kept, begin)
    if found is None or found.end() != end or not _same(_MORE.sub("", _href(found)), link):
        return kept
    if "<img" in found[3].lower() or len(_TAG.sub("", found[3])) > _FOOTER_TEXT:
        return kept  # the excerpt itself, linked whole to its entry (picture and words)
    return kept[: _run_start(kept, begin, _BREAK)] + closing  # (note.com's <br/> before it)


def _last(tag: re.Pattern[str], markup: str, start: int, end: int) -> int:
    """Where the last match of ``tag`` in ``markup[start:end]`` begins; -1 for none."""
    found = -1
    for match in tag.finditer(markup, start, end):
        found = match.start()
    return found


def _may_link_to(kept: str, begin: int, end: int, link: str) -> bool:
    """Whether the link written from ``begin`` to ``end`` may lead to ``link``: its
    address there, then a quote, a last slash or a ``#more-`` anchor. A quick look before
    the link is read (most entries that end with a link end with one elsewhere)."""
    stem = link.rstrip("/")
    if "&" in stem:  # written &amp; in the attribute: read it to tell
        return True
    at = kept.find(stem, begin, end)
    if at < 0:
        return False
    after = kept[at + len(stem) : at + len(stem) + 8]
    return after[:1] in ('"', "'") or after.startswith(('/"', "/'", "#more-", "/#more-"))


def _same(href: str, link: str) -> bool:
    """Whether ``href`` is the entry's address (with or without its last slash, and
    without the marks that count a reader: Medium's feeds give each entry's link with the
    feed it came from, ``?source=rss----4505f82a2dbd---4``, and its footer's without)."""
    if href.rstrip("/") == link.rstrip("/"):
        return True
    if "?" not in href + link or "#" in href + link:
        return False
    return canonical_url(href).rstrip("/") == canonical_url(link).rstrip("/")


def _site_of(href: str, link: str) -> bool:
    """Whether ``href`` is the address of the entry's site: one the entry's begins with,
    at a slash (``https://blog.example.org`` or ``https://example.org/blog/``), its query
    aside (Medium's publication, ``https://medium.com/city-notes?source=rss…``)."""
    site = href.partition("#")[0].partition("?")[0].rstrip("/")
    return "://" in site and link.startswith(site + "/") and site != link.rstrip("/")
