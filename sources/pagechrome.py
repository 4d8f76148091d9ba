"""What a site writes around the text of every page, dropped from a page's main block.

Japanese municipal CMSs put it inside the block the text is in (``#tmp_contents``,
``main``), and so do WordPress's share plug-ins. Each came into the item's content, and,
where the page gives no description, into its summary, which began with it:

- the page's number and date above or below the text (「ページ番号：1007415　更新日：
  2026年11月26日」; the date is read before it goes), the page's title repeated as its
  first heading with a label of a few words above it (a kicker, "Blog post"), and the
  byline's lines before the text (``sources.byline``: "Jane Smith · April 7, 2026");
- the notice that PDF files need Adobe's reader, with its banner (「PDF形式のファイルをご覧
  いただく場合には、Adobe社が提供するAdobe Readerが必要です。」), on nearly every such page;
- a link back to the page's top (「このページの先頭へ」, "Back to top"), or to an index
  page (「…のトップページに戻る」), a button that prints the page or goes back a page
  (「大きな文字で印刷」, 「前のページに戻る」: a link to a script), and the mark a skip link
  leads to (「ここから本文です。」, hidden but to screen readers; on 80 of 178 stored
  pages of Japanese prefectures and cities);
- blocks named for what they are: a feedback survey (「このページの情報は役に立ちました
  か？」), breadcrumbs (also as SEO plug-ins and ARIA name them: Rank Math's
  ``rank-math-breadcrumb``, ``<nav aria-label="Breadcrumb">``), share and social
  buttons, a print button, a WordPress theme's post meta ("Posted on …") and entry
  footer ("Posted in … Tagged …"), Drupal's node meta ("By Aiko Tanaka, 23 November
  2026") and tags, and a post's comments (their form's heading, "Add new comment", was
  left in every Drupal page's content; WordPress's form, ``#respond``, "Leave a Reply …
  Cancel reply", where a theme writes it after the comments' block, not in it);
  Jetpack's related posts, which its script fills in, inside a WordPress post's text
  block (``jp-relatedposts``: "Related" alone ended the content), and its likes (a
  ``sharedaddy`` box, as its share buttons are: "Like Loading...");
- a control's label (a ``<button>``'s: 「スクラップ」, "Close") and what is shown on a
  click: a dialog, a popup, where it says little and shows no picture;
- a ``<nav>``: links elsewhere (breadcrumbs inside the article, a table of contents,
  which plug-ins also write in a block of their own, ``toc_container``, ``ez-toc``, and
  others as a plain list of links to the page's parts, with its label:
  ``sources.contents``);
- a share button's link to a service's share form (``pipeline.sharebuttons``), with the
  service's name it shows ("Facebook Twitter WhatsApp Email" opened news items).

The block's own text stays, and so does a block that holds anything else.

Such a CMS also writes one description on every page (「富山市の公式ホームページです。」):
every item's summary was that. A followed page's description that its list page gives
too (``sources.pagemeta.site_descriptions``) is not the item's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from tdlc_syndication.pipeline.sharebuttons import SHARE_WORDS, is_share_form
from tdlc_syndication.sources.blocks import LINE_BLOCKS, holds_block, outermost_alone
from tdlc_syndication.sources.byline import Byline
from tdlc_syndication.sources.contents import contents_labels, is_contents
from tdlc_syndication.sources.inlinetext import (
    is_element,
    is_gone,
    is_shown_text,
    is_tag,
    own_text_length,
    text_of,
    walked,
)
from tdlc_syndication.sources.opening import drop_lines
from tdlc_syndication.sources.postmeta import is_named_lead
from tdlc_syndication.sources.relatedlinks import drop_related_sections

if TYPE_CHECKING:
    from bs4 import Tag
    from bs4.element import PageElement

# An id's or a class's token that names page chrome (``tmp_feedback``, ``sns-share``,
# ``pagetop``, ``plugin_img``): the name, perhaps after the CMS's "tmp_", and perhaps
# followed by more after "-" or "_".
_CHROME_NAME = re.compile(
    r"^(?:tmp_)?(?:(?:page-?top|page_top|go-?top|to-?top|back-?to-?top|return-?top|feedback"
    r"|enquete|questionnaire|pankuzu|topic-?path|(?P<bar>sns|share|sharing|sharedaddy|sharrre"
    r"|social-?(?:buttons?|links?|share)|print|tags|(?:post|entry|article|m)-tags|tag-?list"
    r"|tag-?cloud))(?:[-_].*)?|plugin(?:_img)?|get-?adobe"
    r"|adobe-?reader|entry-meta|entry-footer|post-meta|article-meta|node__meta"
    r"|node__submitted|submitted"
    r"|field-{1,2}name-field-tags|comment-wrapper|field--name-comment|comment-respond"
    r"|respond|jp-relatedposts"
    # what a style sheet hides, or shows to screen readers alone ("Posted on", "(opens in
    # a new window)"), where it says little (a gallery's next slides say much); not
    # "hidden-xs", hidden on small screens only; a skip link and its mark, as municipal
    # CMSs write them (「ここから本文です。」, 「本文へスキップします。」), not ReadSpeaker's
    # "rs_skip" (what it does not read aloud)
    r"|(?P<unseen>hidden|d-none|is-hidden|sr-only|visually-?hidden|screen-reader-text"
    r"|element-invisible|skip(?:[-_]?(?:links?|nav\w*|to[-_]?(?:contents?|main\w*)|main"
    r"|contents?|menu))?|(?:block|contents?|tw)[-_]?skip"
    # what only a phone's screen shows, a copy of what a wider one shows elsewhere (a
    # city's phone number as a link to call, 「電話：045-471-2111」 twice)
    r"|pc[-_]?(?:none|hide|hidden)|hidden[-_]?(?:pc|desktop|lg|md)|visible[-_]?xs"
    r"|(?:sp|smp|mobile)[-_]?only|only[-_]?(?:sp|mobile)|show[-_]?(?:sp|mobile)"
    # an advertisement's slot, whose label stays when the cleaning takes its script out
    # ("Advertisement", 「[PR]」, "Anzeige"); not a block placed after one, "ads-top-after"
    r"|ads?|advert\w*|admod|ad[-_]?(?:slot|unit|container|wrap\w*|box|banner|label|dfp\w*)"
    r"|dfp[-_]\w+)"
    # a table of contents as plug-ins write it (not "toc_1", a heading's anchor for one)
    r"|(?P<toc>toc|toc[-_](?:container|wrap(?:per)?|list|box|title|block|widget|area|nav)"
    r"|ez-toc(?:-container)?|lwptoc|(?:wp-block-)?table-of-contents))$",
    re.IGNORECASE,
)
# A part of a token, or an ARIA label, that names chrome however a plug-in or a theme
# names the rest: breadcrumbs and comments (``breadcrumbs``, Rank Math's
# ``rank-math-breadcrumb``, Squarespace's ``blog-item-comments``, ``<nav
# aria-label="Breadcrumb">``), an author's box at its end (Twenty Fifteen's
# ``author-info``, Squarespace's ``blog-item-author-profile``), related and recommended
# pages (``related-posts``; a municipal CMS's 「よく見られているページ」, ``tmp_recommend``;
# not a report's "recommendation", nor an article that ``has-recommendations``, nor what
# a documentation tool marks as under a heading, Writerside's ``h2-related``).
_CHROME_PART = re.compile(
    r"(?:^|[-_])(?:(?:breadcrumbs?|comments)(?:$|[-_])|author-(?:info|box|bio|profile)$"
    r"|(?<![hH][1-6][-_])related(?:$|[-_]{0,2}(?:posts?|articles?|stories|links|content"
    r"|entries|items|news|col|box|tags|list|wrap(?:per)?|section|block|area)(?:$|[-_]))"
    r"|(?<!has-)(?<!with-)recommend(?:ed|ations)?(?:$|[-_]))"
    r"|^(?:yarpp|crp_related|relatedposts|パンくず)",
    re.I,
)
_ADOBE_LINK = re.compile(r"https?://(?:get|acrobat)\.adobe\.com/|adobe\.com/[\w/-]*reader", re.I)
_ADOBE_NOTICE = re.compile(
    r"(?:adobe|アドビ).{0,40}?(?:reader|acrobat|リーダー).{0,120}?"
    r"(?:必要|required|need|ダウンロード|download|diperlukan|cần)",
    re.IGNORECASE | re.DOTALL,
)
_TOP_LINK = re.compile(
    r"^\s*[▲↑^]?\s*(?:このページの(?:先頭|トップ)へ(?:戻る)?|ページの(?:先頭|トップ)へ(?:戻る)?"
    r"|ページトップへ(?:戻る)?|(?:ページ)?トップへ戻る|先頭へ戻る|back\s+to\s+(?:the\s+)?top"
    r"|(?:go\s+to\s+)?(?:top\s+of\s+(?:the\s+)?page|page\s+top)|kembali\s+ke\s+atas"
    r"|về\s+đầu\s+trang)\s*[▲↑^]?\s*$",
    re.IGNORECASE,
)
_NO_BYLINE = Byline()  # a page that names no author and no day


def drop_chrome(root: Tag, title: str, byline: Byline = _NO_BYLINE) -> None:
    """Drop from ``root`` (a page's main block) the chrome listed in the module: in
    place, ``root`` itself kept. ``title``: the page's, whose repetition as the block's
    first heading goes, with a kicker above it; ``byline``: what the page says of its
    authors and days, whose lines at the block's opening go (``sources.byline``)."""
    for tag in root.find_all(True):
        if is_gone(tag):
            continue
        if _named_as_chrome(tag):
            tag.decompose()
    for link in root.find_all("a", href=True):
        if is_gone(link):
            continue
        href = str(link.get("href") or "")
        if is_share_form(href):  # a share button's link, with its service's name and icon;
            if len(link.get_text(strip=True)) > SHARE_WORDS:  # a quote to tweet: the post's
                link.unwrap()
            else:
                link.decompose()
        elif _is_control(link, href):
            outermost_alone(link, root).decompose()
        elif _ADOBE_LINK.search(href):  # a banner: alone in its block ("You need <a>…" stays)
            alone = outermost_alone(link, root)
            if alone is not link or link.parent is root:
                alone.decompose()
    for block in root.find_all(["p", "li", "div"]):
        if is_gone(block) or block is root:
            continue
        words = _short_text(block, _LONGEST_NOTICE)
        if words is not None and _ADOBE_NOTICE.search(words):
            outermost_alone(block, root).decompose()
    for listing in root.find_all(["ul", "ol"]):
        if not is_gone(listing) and is_contents(listing):
            outermost_alone(listing, root).decompose()
    for block, label in contents_labels(root):  # "Table of Contents", 「目次」: its block's
        while block.name not in LINE_BLOCKS and is_tag(block.parent) and block.parent is not root:
            block = block.parent
        if not is_gone(block) and text_of(block) == label:  # alone there: not in a sentence
            outermost_alone(block, root).decompose()
    drop_related_sections(root)
    _drop_header(root)
    drop_lines(root, title, byline)


def _drop_header(root: Tag) -> None:
    """The article's ``<header>`` that opens its block: its heading again with a kicker,
    its byline, date and buttons ("Gastkommentar Der Name Golf von Mexiko … Von …", as
    news sites write it inside the ``<article>``). A lead written in it (a block named for
    one, ``content__intro``, ``summary``; or a paragraph, a subtitle, a block of no other
    block, of :data:`_LEAD_TEXT` characters or more) and its picture stay, in its place.
    A header after text (a list's card, an animal's name and number in a city's list of
    them) and one that says much (a theme that wraps the post in one) stay whole."""
    header = _opening_header(root)
    if header is None or _says_much(header):
        return
    kept = [
        block
        for block in header.find_all(("p", "div", "li", "h2", "h3", "figure", "picture", "img"))
        if block.name in ("figure", "picture", "img")
        or is_named_lead(block)
        or (len(block.get_text(" ", strip=True)) >= _LEAD_TEXT and not holds_block(block))
    ]
    chosen = {id(block) for block in kept}  # (by identity: equal tags compare equal)
    for block in kept:
        if not any(id(parent) in chosen for parent in block.parents):
            header.insert_before(block.extract())
    header.decompose()


def _opening_header(root: Tag) -> Tag | None:
    """The ``<header>`` in ``root`` before any of its text, read in its first
    :data:`_BEFORE_HEADER` nodes; None where there is none."""
    for node in walked(root, _BEFORE_HEADER):
        if is_tag(node) and node.name == "header":
            return node
        if is_shown_text(node) and str(node).strip():
            return None
    return None


def _says_much(header: Tag) -> bool:
    """Whether a header shows more than :data:`_MOST_HEADER_TEXT` characters (read to
    there, in its first :data:`_SCANNED` nodes)."""
    size = 0
    for piece in _pieces(header, _SCANNED):
        size += len(str(piece).strip())
        if size > _MOST_HEADER_TEXT:
            return True
    return False


_BEFORE_HEADER = 400  # nodes of a post's block read for the header that opens it
_MOST_HEADER_TEXT = 600  # characters of an article's header: its heading, byline and lead
_LEAD_TEXT = 80  # characters of a lead paragraph in it


_LONGEST_NOTICE = 300  # characters of a notice that the page's PDFs need Adobe's reader
_NOTICE_NODES = 60  # elements and pieces of text of such a notice, at most


def _pieces(tag: Tag, most: int) -> Iterator[PageElement]:
    """The pieces of shown text among the first ``most`` nodes inside ``tag``."""
    return (node for node in walked(tag, most) if is_shown_text(node))


def _short_text(tag: Tag, limit: int) -> str | None:
    """``tag``'s text, where it is shorter than ``limit`` characters in at most
    :data:`_NOTICE_NODES` nodes; None for a longer one, read no further (blocks nested
    in blocks were each read whole: a page of 2,000 of them took 20 seconds)."""
    pieces: list[str] = []
    size = 0
    read = 0
    for node in walked(tag, _NOTICE_NODES + 1):
        read += 1
        if is_shown_text(node) and (word := str(node).strip()):
            pieces.append(word)
            size += len(word) + 1
            if size > limit:
                return None
    return " ".join(pieces) if read <= _NOTICE_NODES else None


def _is_control(link: Tag, href: str) -> bool:
    """Whether a link is one of the page's controls, not its text: back to the page's
    top (``#tmp_header``, or with the page's path before it: ``/aigo/neko.html#tmp_header``,
    「ページの先頭へ戻る」); a button that runs a script to print the page or to go back
    (「大きな文字で印刷」: ``javascript:print_largeFont();``, ``onclick="printData();"``;
    「一つ前に見ていたページに戻る」: ``javascript:history.back();``); a link back to an
    index page, as municipal CMSs end a page (「犬・猫の譲渡のページへもどる」,
    「千葉市動物保護指導センターのトップページに戻る」)."""
    if "#" in href and _TOP_LINK.match(link.text) is not None:
        return True
    if _BACK_LINK.match(" ".join(link.text.split())) is not None:
        return True
    if not href.lower().startswith(("javascript:", "#")) and link.get("onclick") is None:
        return False
    return _SCRIPTED.search(f"{href} {link.get('onclick') or ''}") is not None


# A call to a function that prints (``print()``, ``window.print()``, ``printData()``),
# not a word in a script's address ("…&rpt=n&print=…" opened a journal's permissions), or
# that goes back a page (``history.back()``, ``history.go(-1)``)
_SCRIPTED = re.compile(r"(?<![\w&=?/])print\w*\s*\(|history\.(?:back|go)\s*\(", re.I)
# A link's words that lead back to an index page (「…のページへもどる」, 「トップに戻る」)
_BACK_LINK = re.compile(
    r"^.{0,60}(?:ページ|一覧|トップ|ホーム|top)\s*[へに]\s*(?:戻る|もどる)$", re.IGNORECASE
)


def _named_as_chrome(tag: Tag) -> bool:
    """Whether ``tag``'s id, class or label names chrome; for a name of share or print
    buttons, or of what a style sheet hides, unless it holds text of its own beside its
    links (a theme that names the post's text ``entry share``, Hueman's; a block shown
    only in print, ``print-only``; a gallery's next slides, ``hidden`` until a click)."""
    if tag.name == "button" or tag.get("role") == "button":  # a control's label, not text
        return not _has_picture(tag)  # ("スクラップ", "Facebookでシェアする", "印刷する")
    if tag.name == "nav":  # links elsewhere: breadcrumbs in the article (a regional daily's
        return True  # "Home Politik …"), a table of contents (readers need none)
    names = [str(tag.get("id") or ""), *(tag.get("class") or []), str(tag.get("aria-label") or "")]
    bar = _on_demand(tag, names) and not _has_picture(tag)
    for name in names:
        if name and (found := _CHROME_NAME.match(name)):
            if found["bar"] is None and found["unseen"] is None and found["toc"] is None:
                return True
            bar = True
        elif name and _CHROME_PART.search(name):
            return True
    return bar and _own_text(tag) <= _MOST_BAR_TEXT


def _on_demand(tag: Tag, names: list[str]) -> bool:
    """Whether ``tag`` is shown only on a click: a dialog or a popup (a news site's
    "scrap this article" box, "members only … log in", in every article's header). (What
    an element's own style hides is taken out with the item's cleaning:
    ``pipeline.hidden``.)"""
    if tag.name == "dialog" or tag.get("role") in ("dialog", "alertdialog"):
        return True
    return any(_ON_DEMAND_NAME.search(name) for name in names[:-1])


# An id's or a class's part that names a box shown on a click
_ON_DEMAND_NAME = re.compile(r"(?:^|[-_])(?:modal|popup|dialog)(?:$|[-_])", re.I)
_PICTURE_ELEMENTS = frozenset({"img", "picture", "video"})  # not an icon's <svg>


def _has_picture(tag: Tag) -> bool:
    """Whether ``tag`` holds a picture in its first :data:`_SCANNED` nodes (a gallery's
    popup; a button that is an image to enlarge), not an icon (a business daily's print
    button: ``<img alt="記事を印刷する" src="…/print.svg">``)."""
    return any(
        is_element(node)
        and node.name in _PICTURE_ELEMENTS
        and not _ICON.search(_names_and_source(node))
        for node in walked(tag, _SCANNED)
    )


def _names_and_source(tag: Tag) -> str:
    return f"{' '.join(tag.get('class') or [])} {tag.get('src') or ''}"


_ICON = re.compile(r"icon|\.svg(?:$|[?#\s])", re.I)


_MOST_BAR_TEXT = 200  # characters of a share or print bar's own text ("Share this: Like…")
_SCANNED = 200  # nodes read for it (bars nested in bars: each read so far only)


def _own_text(tag: Tag) -> int:
    """How many characters of text ``tag`` shows outside its links, read in its first
    :data:`_SCANNED` nodes, to just past :data:`_MOST_BAR_TEXT`."""
    return own_text_length(tag, _SCANNED, _MOST_BAR_TEXT)
