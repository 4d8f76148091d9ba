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

from tdlc_syndication.pipeline.columns import display_width
from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.pipeline.sharebuttons import SHARE_WORDS, is_share_form
from tdlc_syndication.sources.byline import KICKER_WIDTH, Byline
from tdlc_syndication.sources.contents import contents_labels, is_contents
from tdlc_syndication.sources.inlinetext import (
    is_element,
    is_gone,
    is_shown_text,
    is_tag,
    own_text_length,
    walked,
)
from tdlc_syndication.sources.pagedates import DATE_LABELS
from tdlc_syndication.sources.postmeta import is_named_lead
from tdlc_syndication.sources.relatedlinks import drop_related_sections

if TYPE_CHECKING:
    from bs4 import Tag
    from bs4.element import PageElement

    from tdlc_syndication.pipeline import dates
else:
    dates = LazyModule("tdlc_syndication.pipeline.dates")

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
# The page's number, perhaps with a letter or two before it (「ページ番号：C036689」)
_PAGE_NUMBER = r"(?:ページ番号|ページID|記事ID|ID|Page\s+ID)\s*[:：]?\s*[A-Z]{0,3}\d+"
# The page's number and dates, alone on a line above or below its text
# (「ページ番号1002060　更新日 令和3年9月27日」, 「最終更新日 2023年12月5日」,
# 「更新日付：2025年10月30日 / ページ番号：C036689」, "Last updated date:2019/12/10"):
# what is left of the line around its day.
_PAGE_LABELS = re.compile(
    rf"\s*(?:{_PAGE_NUMBER}\s*)?"
    # each label taken whole, once (a line of 30 "published on" took minutes: every way
    # to part its spaces was tried)
    rf"(?>{DATE_LABELS}[\s:：]*)++"
    rf"[\s()（）月火水木金土日曜・,.]*(?:更新|掲載)?(?:\s*[/／|｜]?\s*{_PAGE_NUMBER})?",
    re.IGNORECASE,
)
_BLOCKS = ("p", "div", "li", "section", "aside", "nav", "dl", "ul", "table", "form")
# what holds a line of a page's text: a block, a heading, a part of a list or a figure
_LINE_BLOCKS = frozenset(
    (*_BLOCKS, "h1", "h2", "h3", "h4", "h5", "h6", "summary", "dt", "dd", "header", "figure")
)
_TITLES = ("h1", "h2")  # the headings that may say the page's title again
_LEADING = 3  # elements at the block's start looked at for its page line and heading
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
            _outermost_alone(link, root).decompose()
        elif _ADOBE_LINK.search(href):  # a banner: alone in its block ("You need <a>…" stays)
            alone = _outermost_alone(link, root)
            if alone is not link or link.parent is root:
                alone.decompose()
    for block in root.find_all(["p", "li", "div"]):
        if is_gone(block) or block is root:
            continue
        words = _short_text(block, _LONGEST_NOTICE)
        if words is not None and _ADOBE_NOTICE.search(words):
            _outermost_alone(block, root).decompose()
    for listing in root.find_all(["ul", "ol"]):
        if not is_gone(listing) and is_contents(listing):
            _outermost_alone(listing, root).decompose()
    for block, label in contents_labels(root):  # "Table of Contents", 「目次」: its block's
        while block.name not in _LINE_BLOCKS and is_tag(block.parent) and block.parent is not root:
            block = block.parent
        if not is_gone(block) and _words(block) == label:  # alone there: not in a sentence
            _outermost_alone(block, root).decompose()
    drop_related_sections(root)
    _drop_header(root)
    _drop_leading(root, title, byline)


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
        or (len(block.get_text(" ", strip=True)) >= _LEAD_TEXT and not _holds_block(block))
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


def _words(tag: Tag) -> str:
    """The text ``tag`` shows, its blanks collapsed."""
    return " ".join(tag.get_text(" ", strip=True).split())


def _outermost_alone(tag: Tag, root: Tag) -> Tag:
    """``tag``, or its outermost block ancestor below ``root`` that holds no other text:
    each level's other children are read, not its whole text again (a line in 2,000
    nested blocks read each block's text whole, 2 s a page)."""
    chosen = tag
    parent = tag.parent
    while parent is not None and parent is not root and parent.name in _BLOCKS:
        if any(child is not chosen and _shows_text(child) for child in parent.children):
            break
        chosen, parent = parent, parent.parent
    return chosen


def _shows_text(node: PageElement) -> bool:
    """Whether a node shows any text: a piece of text, or an element with one."""
    if is_tag(node):
        return bool(node.get_text(strip=True))
    return is_shown_text(node) and bool(str(node).strip())


def _drop_leading(root: Tag, title: str, byline: Byline) -> None:
    """The page line, the title's heading with a kicker above it and the byline's lines
    among the block's first elements, and the page line among its last ones."""
    wanted = " ".join(title.split())
    tags = root.find_all(True, recursive=True)
    for ordered, heading in ((tags, True), (list(reversed(tags)), False)):
        looked: list[Tag] = []  # the blocks kept, in order
        for tag in ordered:
            if len(looked) >= _LEADING:
                break
            if is_gone(tag) or tag.name not in (*_BLOCKS, *_TITLES):
                continue
            if _holds_block(tag) or (tag.name not in _TITLES and tag.find(_TITLES)):
                continue  # a container (of the title's heading too): its lines count
            words = _words(tag)
            if not words:
                continue
            title_again = heading and tag.name in _TITLES and words == wanted
            if title_again:
                for kicker in looked:
                    if _is_kicker(kicker, byline):
                        kicker.decompose()
            if (
                title_again
                or _is_dateline(tag, words)
                or (tag.name in ("p", "div", "dl") and _is_page_line(words))
            ):
                tag.decompose()
            elif heading and not any(map(_says_more, looked)) and _byline_alone(tag, root, byline):
                _outermost_alone(tag, root).decompose()  # before the text: its byline
            else:
                looked.append(tag)


def _byline_alone(tag: Tag, root: Tag, byline: Byline) -> bool:
    """Whether a block is a line of the page's byline, with the words of the line it is
    in: a name in a block of its own inside "Tipps von <name> 6.11.22" is no line."""
    holder = tag.parent
    while holder is not None and holder is not root and holder.name not in _BLOCKS:
        holder = holder.parent
    if holder is None or holder is root:
        return byline.says_all(_words(tag))
    own = {id(piece) for piece in tag.find_all(string=True, limit=_MOST_LINE_STRINGS)}
    line = []  # the block's own strings, and the holder's outside its other blocks
    for piece in holder.find_all(string=True, limit=_MOST_LINE_STRINGS):
        if is_shown_text(piece) and (id(piece) in own or _line_of(piece, holder) is holder):
            line.append(str(piece))
    return byline.says_all(" ".join(" ".join(line).split()))


def _line_of(piece: PageElement, holder: Tag) -> Tag | None:
    """The block a piece of text is a line of: the nearest ``holder`` or block above it,
    :data:`_LINE_DEPTH` levels up at most (None further)."""
    for level, up in enumerate(piece.parents):
        if up is holder or up.name in _LINE_BLOCKS:
            return up
        if level >= _LINE_DEPTH:
            break
    return None


_MOST_LINE_STRINGS = 400  # strings of a byline's holder read for the line it is in
_LINE_DEPTH = 30  # elements above a piece of text looked through for its block


def _is_kicker(tag: Tag, byline: Byline) -> bool:
    """Whether a block above the title's heading is a label of a few words (the post's
    kind or section, "Blog post", 「お知らせ」, "24. April 2020 | Pressemitteilungen"),
    with no picture; with a day, where the page is dated otherwise (on a page that
    gives no date, a day above its title is the only one it says)."""
    if _says_more(tag) or tag.find(("img", "picture", "svg")) is not None:
        return False
    said = dates.normalise_japanese(tag.get_text(" ", strip=True))
    return bool(byline.days) or dates.first_date(said) is None


def _says_more(tag: Tag) -> bool:
    """Whether a block says more than a label does: the text has begun."""
    return display_width(_words(tag)) > KICKER_WIDTH


def _is_dateline(tag: Tag, words: str) -> bool:
    """Whether a block is only the article's ``<time>`` (a daily's 「2024/12/04 00:05」
    above its text, the date the page gives in its head too)."""
    shown = tag if tag.name == "time" else tag.find("time")
    return is_tag(shown) and _words(shown) == words


def _holds_block(tag: Tag) -> bool:
    """Whether a block holds another (looked for in document order, to the first)."""
    return any(is_element(node) and node.name in _BLOCKS for node in walked(tag, 1 << 62))


def _is_page_line(words: str) -> bool:
    """Whether a paragraph is only the page's number and its dates, each a day, with
    their labels (「公開日：2025/01/31 11:30　更新日：2025/01/31 11:30」): "Updated guidance
    for 2026" and "Published on 26 Nov 2026 in the city's newsletter" are lines of text."""
    rest = dates.normalise_japanese(words)
    for looked in range(_MOST_PAGE_DATES + 1):
        found = dates.first_date(rest)
        if found is None:
            return looked > 0 and _PAGE_LABELS.fullmatch(rest) is not None
        if found.precision not in ("day", "datetime") or looked == _MOST_PAGE_DATES:
            return False
        rest = rest[: found.begin] + " " + rest[found.end :]
    return False


_MOST_PAGE_DATES = 3  # dates a page's line gives (published, updated), at most
