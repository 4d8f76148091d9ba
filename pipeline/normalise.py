"""Normalisation: the same rules for every source, so items come out consistent.

``normalise(item, ...)`` returns a cleaned item or raises :class:`InvalidItem` with a short
reason that the run counts (``no-title``, ``no-link``).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import quote

from tdlc_syndication.config.files import BIDI_CONTROLS, CONTROL_CHARACTERS
from tdlc_syndication.config.languages import language_tag, named_language
from tdlc_syndication.pipeline.canonical import canonical_url, escaped_fragment
from tdlc_syndication.pipeline.errors import InvalidItem
from tdlc_syndication.pipeline.hidden import without_hidden
from tdlc_syndication.pipeline.model import (
    EARLIEST_YEAR,
    PUBLISHED_AHEAD,
    Event,
    Item,
    Media,
    Precision,
)
from tdlc_syndication.pipeline.pictures import characters_for_pictures, first_picture_in
from tdlc_syndication.pipeline.players import (
    embedded_posts_as_links,
    players_as_links,
    without_file_buttons,
)
from tdlc_syndication.pipeline.readon import says_nothing, without_read_on
from tdlc_syndication.pipeline.sanitise import sanitise_html, video_page
from tdlc_syndication.pipeline.scripts import script_language
from tdlc_syndication.pipeline.shortcodes import without_shortcodes
from tdlc_syndication.pipeline.text import (
    clean_text,
    media_type,
    plain_text,
    shorten,
    strip_controls,
    visible,
    without_captions,
    without_leading_headings,
    without_note_marks,
)
from tdlc_syndication.pipeline.uris import web_url

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EVENT_YEARS_AHEAD = 20  # an event further ahead is a placeholder (9999-12-31) or a typo

# Caps on what one item may bring (documented in the README, "Limits"): longer text is
# trimmed and longer lists cut, with a counted note; a URL over its cap is dropped.
MAX_TITLE = 500  # characters
MAX_CONTENT = 100_000  # characters of HTML
MAX_NAME = 200  # an author, category, identifier, media title, event place
MAX_LIST = 50  # authors, categories, identifiers, media
MAX_URL = 2048
MAX_EXTRA = 2000
MAX_LENGTH = 2**53 - 1  # bytes of a file: the largest integer a JSON reader holds exactly
MAX_ID = 500  # characters of an item id; a longer native id is replaced by its hash


@dataclass(frozen=True, slots=True, kw_only=True)
class Rules:
    """The settings normalisation needs, gathered from the config."""

    summary_length: int = 400
    https_hosts: frozenset[str] = frozenset()
    strip_params: frozenset[str] = frozenset()
    embed_hosts: frozenset[str] = frozenset()
    default_language: str = "en"


@dataclass(slots=True)
class Notes:
    """Counted reasons for what normalisation dropped or repaired."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, reason: str) -> None:
        """Count one occurrence of ``reason``."""
        self.counts[reason] += 1


# What may stand around a title said again: blanks, a full stop, brackets, quotes.
_AROUND = " \t\r\n.。,、!！?？…:：;；-–—【】[]()（）「」『』\"'\u3000"


def _says_only(text: str, title: str) -> bool:
    """Whether ``text`` says the title and nothing more (``Flood drill.``, 「【防災訓練のお
    知らせ】」), as the description of many municipal feeds' entries does: the pages and
    the digest showed each such title twice."""
    said = text.strip(_AROUND)
    return bool(said) and said.casefold() == title.strip(_AROUND).casefold()


_UNSAFE_IN_ID = re.compile(f"[{CONTROL_CHARACTERS}\t\n\r{BIDI_CONTROLS}]")


def item_identity(item_id: str, notes: Notes | None = None) -> str:
    """An item id as it is stored: ``source:native`` with the native id's controls and bidi
    controls percent-escaped (``%1B``; a ``%`` is left alone: ids made of links hold
    escapes, and they must not change), and a native id longer than ``MAX_ID`` replaced
    by ``h`` and its hash. An origin's id went into the store as it came: ``items``
    printed an escape sequence in it to the operator's terminal, and ids of 200,000
    characters pushed other sources' entries out of every feed that holds the item (the
    feeds' size limit). Retractions name items the same way."""
    if _UNSAFE_IN_ID.search(item_id):
        item_id = _UNSAFE_IN_ID.sub(lambda m: quote(m.group(), safe=""), item_id)
    if len(item_id) <= MAX_ID:
        return item_id
    if notes is not None:
        notes.add("long-id")
    source, _, native = item_id.partition(":")
    return f"{source}:h{hashlib.sha256(native.encode('utf-8')).hexdigest()[:20]}"


def normalise(item: Item, rules: Rules, now: datetime, notes: Notes | None = None) -> Item:
    """Clean one draft item.

    Raises:
        InvalidItem: the item has no usable title or no absolute http(s) link.
    """
    notes = notes if notes is not None else Notes()
    title = _capped(clean_text(item.title[: MAX_TITLE * 8]), MAX_TITLE, "title-trimmed", notes)
    raw_content = _as_shown(item.content_html)
    if len(raw_content) > MAX_CONTENT:
        notes.add("content-trimmed")  # cut, then sanitised: the HTML stays well-formed
        raw_content = raw_content[:MAX_CONTENT]
    content = sanitise_html(
        raw_content,
        item.url or None,
        embed_hosts=rules.embed_hosts,
        https_hosts=rules.https_hosts,
    )
    if not visible(title):  # zero-width spaces, or bytes no decoder could read
        raise InvalidItem("no-title", item.id)
    if len(item.url) > MAX_URL:
        raise InvalidItem("long-link", item.id)
    url = video_page(
        canonical_url(item.url, https_hosts=rules.https_hosts, strip_params=rules.strip_params)
    ) + _identity_fragment(item)
    if not _publishable(url):
        raise InvalidItem("no-link", item.id)
    # (a feed's description often is its content: the summary is read from the cleaned
    # content then, which holds no share button, form or player's words)
    summary = _summary_text(
        content if item.summary == item.content_html else _as_shown(item.summary)
    )
    if summary and content and _says_only(summary, title):
        summary = ""  # a description that is the title again: the content says more
    summary = summary or _summary_text(content)
    summary = without_read_on(summary)  # 「続きを読む」, "Read more »": the item is that link
    summary = shorten(summary, rules.summary_length)
    # a feed whose description is its title (a longer one says more: not compared)
    if summary and len(summary) <= len(title) + 8 and _says_only(summary, title):
        summary = ""
        if len(content) <= 2 * len(title) + 64 and _says_only(plain_text(content), title):
            content = ""
    published, precision = item.published, item.published_precision
    if published is not None and not _plausible(published, now, precision):
        notes.add("absurd-date")
        published, precision = None, None
    updated = item.updated if item.updated and _plausible(item.updated, now) else None
    if updated is not None and published is not None and updated < published:
        updated = None
    given = item.language
    language = None if given is None else language_tag(given) or named_language(given)
    if given is not None and language is None:
        notes.add("bad-language")  # no validator takes it (nor may it name a feed file)
    language = language or script_language(title + summary) or rules.default_language
    media = [m for m in (_media(m, url, rules, notes) for m in item.media[:MAX_LIST] if m.url) if m]
    return replace(
        item,
        id=item_identity(item.id, notes),
        title=title,
        url=url,
        summary=summary,
        content_html=content,
        authors=_names(item.authors, _author_name, notes),
        published=published,
        published_precision=precision if published else None,
        updated=updated,
        language=language,
        categories=_names(item.categories, _category, notes),
        identifiers=_names(item.identifiers, _identifier, notes),
        media=tuple(media),
        thumbnail=_thumbnail(item.thumbnail, content, url, rules, notes),
        topics=_unique(item.topics),
        places=_unique(item.places),
        event=_event(item.event, notes, now),
        extra=tuple(
            sorted(
                (k, _capped(strip_controls(v), MAX_EXTRA, "field-trimmed", notes))
                for k, v in item.extra
            )
        ),
    )


def _summary_text(markup: str) -> str:
    """The words of a summary made of ``markup``: its text without its footnotes' marks,
    its pictures' captions and the headings it begins with, unless they are all it says
    (a photo's post); none where it says nothing (「詳細はこちら」 alone, ``undefined``,
    "No description")."""
    words = without_note_marks(without_captions(markup))
    text = plain_text(without_leading_headings(words)) or plain_text(markup)
    return "" if says_nothing(text) else text


def _as_shown(markup: str) -> str:
    """An origin's HTML as its page shows it: WordPress's shortcodes that came through
    unrendered taken out, what it hides too, its pictures of characters (emoji) as those
    characters, and its players and files as links (``pipeline.players``: the cleaning
    keeps no player, and a summary made of it had the player's words for old browsers, or
    the file block's button run into the file's name), an Instagram or a TikTok post
    or a note.com link card it embeds a link to what it shows."""
    shown = characters_for_pictures(without_hidden(without_shortcodes(markup)))
    return embedded_posts_as_links(players_as_links(without_file_buttons(shown)))


def _capped(text: str, limit: int, reason: str, notes: Notes) -> str:
    if len(text) <= limit:
        return text
    notes.add(reason)
    return shorten(text, limit)


# WordPress's default category, in the languages of the program's sites: the one every
# post gets that its author files nowhere, which says nothing of the post.
_NO_CATEGORY = frozenset({
    "uncategorized", "uncategorised", "未分類", "未分类", "미분류", "non classé",
    "sin categoría", "senza categoria", "sem categoria", "без рубрики", "tak berkategori",
    "chưa được phân loại",
})  # fmt: skip


def _category(value: str) -> str:
    """A category as published: clean text, and nothing for WordPress's default category
    (:data:`_NO_CATEGORY`: "Uncategorized", 未分類), which said nothing of the post in
    every feed and page."""
    name = clean_text(value)
    return "" if name.casefold() in _NO_CATEGORY else name


def _names(values: Iterable[str], clean: Callable[[str], str], notes: Notes) -> tuple[str, ...]:
    """Cleaned, capped, unique names (authors, categories, identifiers), MAX_LIST at most."""
    out = _unique(
        _capped(clean(v[: MAX_NAME * 8]), MAX_NAME, "field-trimmed", notes) for v in values
    )
    if len(out) > MAX_LIST:
        notes.add("list-trimmed")
        out = out[:MAX_LIST]
    return out


# An e-mail address, alone or beside a name ("Aiko Tanaka <aiko@city.example.jp>", the
# form RSS's <author> takes: "aiko@city.example.jp (Aiko Tanaka)").
_ADDRESS = r"[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+"  # (a local part is 64 at most: RFC 5321)
_EMAIL_BESIDE = re.compile(rf"(?:mailto:)?{_ADDRESS}")
_SEPARATORS = " |｜,;/:-–—"
# A copyright line in an author's field ("Copyright Haufe-Lexware GmbH & Co. KG - all
# rights reserved", a site's Dublin Core creator): a notice, no one's name.
_COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)\s|copyright\b)|all rights reserved", re.I)
# A site's address beside a name ("Frank Bueltge - http://bueltge.de", "Kobe (www.x.jp)")
_URL = re.compile(r"[(<\[]?(?:https?://|www\.)[^\s)>\]]*[)>\]]?", re.I)
_EMAIL_AROUND_NAME = re.compile(
    rf"^\s*(?:<\s*)?(?:mailto:)?{_ADDRESS}(?:\s*>)?\s*(?:\((.*)\))?\s*$"
    rf"|^(.*?)\s*[<(\[]\s*(?:mailto:)?{_ADDRESS}\s*[>)\]]\s*$"
)


# What a publishing system writes where no one is named: WordPress's first account is
# "admin", Joomla's "Super User", and many CMSs write their operator's account or a
# placeholder (管理者: the administrator; Blogger's "Unknown" for a hidden profile, Google
# Reader's "(author unknown)"). "By admin" on every item of a partner's blog named no one.
_NO_AUTHOR = frozenset({
    "admin", "administrator", "site admin", "siteadmin", "wpadmin", "webmaster", "root",
    "super user",
    "user", "unknown", "anonymous", "none", "null", "n/a", "no author", "author unknown",
    "unknown author", "管理者", "サイト管理者",
    "管理人",
    "システム管理者", "web管理者",
})  # fmt: skip


# A byline's "By" written into the author's name, as The New York Times's feeds write
# every dc:creator ("By VERLYN KLINKENBORG"), and "Written by", "Posted by".
_BYLINE_BY = re.compile(r"^(?:(?:written|posted)\s+)?by\s+(?=\w)", re.I)


# The author's part a byline writes before the name ("Text: Anna Berg", "Interview: …",
# "Words & photos: …", 「取材・文：山田太郎」, 「文／中村花子」): writing's, or pictures'
# alone (a photographer, not the author: "(Image: Getty Images)", a tabloid's author).
_WRITING = (
    r"texte?|words|story|interview|autor(?:in)?|author|auteur|autore|penulis|reporting"
    r"|written\s+by|文|取材|執筆|著|構成|インタビュー|聞き手"
)
_PICTURES = (
    r"fotos?|photos?|photography|pictures|images?|bilder?|illustrations?|credits?|写真|撮影"
    r"|イラスト"
)
_ROLE = re.compile(
    rf"^[(\[]?((?:{_WRITING}|{_PICTURES})(?:\s*(?:und|and|&|/|,|et|y|e|[・／、と])\s*"
    rf"(?:{_WRITING}|{_PICTURES}))*)\s*(?:[:：＝]|(?<=[^\x00-\x7f])\s*[/／])\s*(?=\S)",
    re.I,
)
_WRITER = re.compile(_WRITING, re.I)


def _without_role(name: str) -> str:
    """An author's name without the part a byline writes before it (:data:`_ROLE`); ''
    where that names pictures alone; without a label's mark left before it (": Joe S.",
    where a reader took "Autor" out)."""
    role = _ROLE.match(name)
    if role is None:
        return name.lstrip(":： ")
    if not _WRITER.search(role.group(1)):
        return ""
    rest = name[role.end() :]  # "(Text: Anna Berg)": without its closing bracket
    return rest.rstrip(")]").rstrip() if name[0] in "([" else rest


def _author_name(value: str) -> str:
    """An author's name as published: without an e-mail address written with it, nor
    the author's part written before it (:func:`_without_role`), and nothing when the
    author is only an address (``info@city.example.jp``: a person's address republished
    in public feeds and pages is a leak, and no name) or a system's account (``admin``,
    管理者: :data:`_NO_AUTHOR`)."""
    name = _BYLINE_BY.sub("", _without_role(clean_text(value)))
    if name.strip("()[] ").casefold() in _NO_AUTHOR or _COPYRIGHT.search(name):
        return ""
    if ("://" in name or "www." in name) and _URL.search(name):  # a site's address in it
        return _author_name(_URL.sub(" ", name).strip(_SEPARATORS))
    if "@" not in name:
        return name
    around = _EMAIL_AROUND_NAME.match(name)
    if around:  # "info@city.example.org (Super User)": the name, as it would be alone
        return _author_name(around.group(1) or around.group(2) or "")
    # beside the name after a bar, a comma or a dash ("Lucy Berry | lberry@al.com")
    rest = _EMAIL_BESIDE.sub(" ", name).strip(_SEPARATORS)
    return _author_name(rest) if rest != name else name


def _publishable(url: str) -> bool:
    """Whether a canonical URL can be published as a link (:func:`web_url`) and is at
    most ``MAX_URL`` characters."""
    return len(url) <= MAX_URL and web_url(url)


def _link(value: str, base: str, rules: Rules, notes: Notes) -> str | None:
    """A URL field (thumbnail, media): absolute http(s) under MAX_URL, or dropped (a
    ``javascript:``, ``data:`` or ``vbscript:`` URL never reaches a feed or a page)."""
    url = canonical_url(value[: MAX_URL * 2], base, https_hosts=rules.https_hosts)
    if not _publishable(url):
        notes.add("url-dropped")
        return None
    return url


def _thumbnail(
    given: str | None, content: str, base: str, rules: Rules, notes: Notes
) -> str | None:
    """The thumbnail its source names, else (or where that is no address a page can
    show) the first picture of its cleaned content that can stand for the item
    (:func:`~tdlc_syndication.pipeline.pictures.first_picture_in`)."""
    named = _link(given, base, rules, notes) if given else None
    if named:
        return named
    # An address the cleaning took: absolute, on a host browsers take; http(s) only (it
    # keeps mailto: for links), and no longer than a feed takes.
    pictured = first_picture_in(content) or ""
    if pictured.startswith(("https://", "http://")) and len(pictured) <= MAX_URL:
        return pictured
    return None


def _event(event: Event | None, notes: Notes, now: datetime) -> Event | None:
    """The event as published: one that starts at no plausible time is no event (an
    origin's placeholder such as 9999-12-31 stopped every publish: the day after it is no
    date), an implausible end is no end, the place is one trimmed line."""
    if event is None:
        return event
    if not plausible_event_time(event.start, now):
        notes.add("absurd-date")
        return None
    if event.end is not None and not plausible_event_time(event.end, now):
        notes.add("absurd-date")
        event = replace(event, end=None)
    if event.location is None:
        return event
    location = _capped(clean_text(event.location[: MAX_NAME * 8]), MAX_NAME, "field-trimmed", notes)
    return replace(event, location=location or None)


def _identity_fragment(item: Item) -> str:
    """The fragment of an item's link when the origin names the item by it (its id is
    the link, anchor and all: a page whose items are its own sections, ``#n1`` and
    ``#n2``), else "". Links lose their fragments otherwise, and such items, sharing one
    link, were taken for one story: all but one were hidden."""
    _, mark, fragment = item.url.partition("#")
    if not fragment or not item.id.endswith(mark + fragment):
        return ""
    return "#" + escaped_fragment(fragment)


def plausible_event_time(when: datetime, now: datetime) -> bool:
    """Whether an event may start or end at ``when``: not before ``EARLIEST_YEAR`` nor
    more than ``EVENT_YEARS_AHEAD`` years after ``now``."""
    return when.year >= EARLIEST_YEAR and when.year <= now.year + EVENT_YEARS_AHEAD


def _plausible(when: datetime, now: datetime, precision: Precision | None = "datetime") -> bool:
    """Not before ``EARLIEST_YEAR``, not ahead of ``now`` by more than ``PUBLISHED_AHEAD``,
    and not the Unix epoch as a timestamp (``Thu, 01 Jan 1970 00:00:00 +0000``: what a
    system that stores no date writes for its zero; the day itself, without a time, is a
    date)."""
    epoch = when == EPOCH and precision == "datetime"
    return when.year >= EARLIEST_YEAR and when <= now + PUBLISHED_AHEAD and not epoch


def _identifier(value: str) -> str:
    """``scheme:value`` with the scheme lower-cased and spaces trimmed (DOIs are
    case-insensitive, so they are lower-cased whole)."""
    scheme, _, rest = plain_text(value).partition(":")
    scheme = scheme.lower()
    rest = rest.strip()
    return f"{scheme}:{rest.lower() if scheme == 'doi' else rest}" if rest else ""


def _media(media: Media, base: str, rules: Rules, notes: Notes) -> Media | None:
    url = _link(media.url, base, rules, notes)
    if url is None:
        return None
    title = clean_text(media.title[: MAX_NAME * 8]) if media.title else None
    return Media(
        url=url,
        mime=media_type(media.mime),
        length=media.length if media.length and 0 < media.length <= MAX_LENGTH else None,
        role=media.role,
        title=_capped(title, MAX_NAME, "field-trimmed", notes) if title else None,
    )


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return tuple(seen)
