"""An item as the outputs show it: the editors' overrides applied
(:func:`apply_override`), and the forms the outputs write for what earlier versions
stored (:func:`as_published`). Each gives back the same object when nothing changes, so
a view can tell a shown item from a stored one without comparing their fields."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from tdlc_syndication.config.editorial import Override
from tdlc_syndication.config.languages import language_tag
from tdlc_syndication.pipeline.model import Event, Item, StoredItem
from tdlc_syndication.pipeline.text import clean_text, media_type, plain_text, visible
from tdlc_syndication.pipeline.uris import ascii_url, web_url


def apply_override(stored: StoredItem, override: Override) -> StoredItem:
    """The item with the editors' replacement fields swapped in, cleaned as a source's
    are: a text pasted from a word processor may hold a control character (Word's line
    break is U+000B), which XML forbids, or a bidi override; no feed may carry them."""
    item = stored.item
    title = clean_text(override.title) if override.title is not None else ""
    edited = replace(
        item,
        title=title or item.title,
        summary=item.summary if override.summary is None else plain_text(override.summary),
        kind=item.kind if override.kind is None else override.kind,
        topics=item.topics if override.topics is None else tuple(override.topics),
        places=item.places if override.places is None else tuple(override.places),
    )
    return stored if edited == item else replace(stored, item=edited)


def as_published(stored: StoredItem) -> StoredItem:
    """The item in the forms the outputs write, for items stored by earlier versions: its
    link, thumbnail and media URLs in ASCII (they may hold IRIs), no thumbnail or media
    on a host browsers refuse (:func:`web_url`), its language as
    :func:`~tdlc_syndication.config.languages.language_tag` gives it (None for one no
    validator takes, such as ``jp``), its media types as :func:`media_type` gives them,
    its video embeds as links (:func:`~tdlc_syndication.pipeline.sanitise.embeds_as_links`),
    no event at a time no calendar can follow (:func:`_datable`), no U+FFFD (bytes a
    decoder could not read) in its title, summary or content; the same object when
    nothing changes."""
    item = stored.item
    language = None if item.language is None else language_tag(item.language)
    urls = [item.url, item.thumbnail or "", *(m.url for m in item.media)]
    ascii_only = all(u.isascii() for u in urls)
    linked = all(web_url(u) for u in urls[1:] if u)
    typed = all(m.mime == media_type(m.mime) for m in item.media)
    framed = "<iframe" in item.content_html
    event = item.event if item.event is None or _datable(item.event) else None
    unread = any("\ufffd" in text for text in _texts(item))
    same = ascii_only and linked and typed and not framed and not unread
    if same and language == item.language and event is item.event:
        return stored
    fixed = replace(
        item,
        language=language,
        media=tuple(replace(m, mime=media_type(m.mime)) for m in item.media),
        event=event,
    )
    if unread:  # what a decoder could not read (U+FFFD): the validator's BadCharacters.
        # The store keeps it: a later reading with fewer of them replaces this one.
        fixed = _readable(fixed)
    if framed:
        from tdlc_syndication.pipeline.sanitise import embeds_as_links

        fixed = replace(fixed, content_html=embeds_as_links(item.content_html))
    if not ascii_only:
        fixed = replace(
            fixed,
            url=ascii_url(item.url),
            thumbnail=ascii_url(item.thumbnail) if item.thumbnail else item.thumbnail,
            media=tuple(replace(m, url=ascii_url(m.url)) for m in fixed.media),
        )
    if not linked:
        thumbnail = fixed.thumbnail if fixed.thumbnail and web_url(fixed.thumbnail) else None
        media = tuple(m for m in fixed.media if web_url(m.url))
        fixed = replace(fixed, thumbnail=thumbnail, media=media)
    return replace(stored, item=fixed)


def _texts(item: Item) -> Iterator[str]:
    """The texts of an item the outputs publish."""
    yield from (item.title, item.summary, item.content_html, *item.authors, *item.categories)
    yield from (m.title for m in item.media if m.title)
    if item.event is not None and item.event.location:
        yield item.event.location


def _readable(item: Item) -> Item:
    """The item without U+FFFD in its texts (a name or label left empty is left out; a
    title left empty, stored by an earlier version, is the link's address)."""

    def read(text: str) -> str:
        return text.replace("\ufffd", "")

    def names(texts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(name for name in map(read, texts) if visible(name))

    title = read(item.title).strip()
    event = item.event
    if event is not None and event.location:
        event = replace(event, location=read(event.location).strip() or None)
    return replace(
        item,
        title=title if visible(title) else item.url,  # readers show an untitled item's link
        summary=read(item.summary),
        content_html=read(item.content_html),
        authors=names(item.authors),
        categories=names(item.categories),
        media=tuple(
            replace(m, title=m.title and (read(m.title).strip() or None)) for m in item.media
        ),
        event=event,
    )


LAST_EVENT_YEAR = 9000  # an event later than this has no next day or week to compute


def _datable(event: Event) -> bool:
    """Whether the outputs can compute with an event's times (an earlier version stored
    placeholders such as 9999-12-31: the day after it is no date, and every publish
    stopped on it; normalising now leaves such an event out)."""
    return event.start.year <= LAST_EVENT_YEAR and (
        event.end is None or event.end.year <= LAST_EVENT_YEAR
    )
