"""What the site's HTML pages share: the template environment, how an item is listed (its
labels linking to their term pages), dates as people read them, and where term pages live."""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from jinja2.runtime import Context
from markupsafe import Markup, escape

from tdlc_syndication.config.languages import RTL_LETTERS, base_language, right_to_left
from tdlc_syndication.config.paths import cache_folder
from tdlc_syndication.outputs.document import EVENT_WORDS
from tdlc_syndication.outputs.listing import display_date, event_text
from tdlc_syndication.outputs.view import StoreView, term_page
from tdlc_syndication.outputs.words import UI_LANGUAGES, japanese
from tdlc_syndication.pipeline.model import Event, StoredItem


class TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept between processes, so that a publish that renders pages
    does not compile them again (50-80 ms a process; Jinja2 checks each against its
    template's source and the Python version). Best effort: a file that cannot be read or
    written is passed over, and the template is compiled."""

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` from its file, if a usable one is there."""
        try:
            super().load_bytecode(bucket)
        except Exception:  # unreadable, or not what Jinja2 wrote: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep ``bucket`` in its file, if the folder takes it."""
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def template_cache() -> TemplateCache | None:
    """The compiled templates' folder in the program's cache, readable by its owner only
    (None when it cannot be made)."""
    try:
        folder = cache_folder("templates")
    except OSError:
        return None
    return TemplateCache(str(folder), pattern=f"tdlc-{ENVIRONMENT_VERSION}-%s.cache")


# Bump when an option of :func:`environment` changes what compiled code does: Jinja2 checks
# a compiled template against its source only, and the code bakes the autoescaping in.
ENVIRONMENT_VERSION = 2


def page_language(site_language: str) -> str:
    """The language of the pages' own words (headings, labels, links): the site's
    language when the pages speak it (English, Japanese), else ``en``. A page that said
    ``<html lang="th">`` over English words had screen readers read them as Thai."""
    return site_language if base_language(site_language) in UI_LANGUAGES else "en"


@pass_context
def either_language(context: Context, english: str, in_japanese: str) -> Markup:
    """The page's own words, written in the template in both languages: the Japanese of
    a page whose context says ``ja``, else the English (both as the template wrote them:
    markup, not text to escape)."""
    return Markup(in_japanese if context.get("ja") else english)


def site_lang(site_language: str) -> Markup:
    """`` lang="…"`` for the site's own text (its title and description, written in its
    language) inside a page in :func:`page_language`, with `` dir="rtl"`` for a language
    written right to left; nothing when the two agree."""
    if page_language(site_language) == site_language:
        return Markup("")
    return Markup(' lang="{}"{}').format(site_language, text_dir(site_language))


_RTL_LETTER = re.compile(f"[{RTL_LETTERS}]")


def text_dir(language: str | None, text: str | None = None) -> Markup:
    """The direction of an item's text in a page, as an attribute: `` dir="rtl"`` for a
    language written right to left, `` dir="auto"`` for a text in another language that
    has right-to-left letters (an Urdu title from a source that declares English: the
    browser sets it as its first letter says), nothing for the rest. Without it, such a
    text in an English page was set left to right, its closing punctuation on the wrong
    side (``!بندی``)."""
    if right_to_left(language):
        return Markup(' dir="rtl"')
    if text and not text.isascii() and _RTL_LETTER.search(text):
        return Markup(' dir="auto"')
    return Markup("")


def in_site_language(text: str, site_language: str) -> Markup:
    """``text`` (the site's title, in a sentence of the page's own words), marked as in the
    site's language when the page is not."""
    attribute = site_lang(site_language)
    return Markup("<span{}>{}</span>").format(attribute, text) if attribute else escape(text)


def environment(cache: TemplateCache | None = None) -> Environment:
    """A Jinja2 environment of every HTML and text template, keeping compiled templates in
    ``cache``. HTML templates (``*.html.j2``) escape what they insert; text templates
    (``*.txt.j2``, the digest's plain-text email) insert it as it is: escaped, a title
    such as "Kobe's port & harbour" read "Kobe&#39;s port &amp; harbour" in the email."""
    made = Environment(
        loader=PackageLoader("tdlc_syndication.outputs", "templates"),
        autoescape=select_autoescape(["html", "html.j2"], default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=cache,
    )
    made.globals.update(
        page_language=page_language,
        site_lang=site_lang,
        text_dir=text_dir,
        in_site_language=in_site_language,
        t=either_language,
    )
    return made


def render_page(view: StoreView, template: str, root: str, **context: Any) -> bytes:
    """A page of the site (a template built on ``page.html.j2``) as UTF-8 bytes. Every
    page is given the site's settings, the way up to the output folder (``root``) and
    whether to link the digest (``digest_link``: when the digest is on, unless given)."""
    context.setdefault("digest_link", view.settings.digest.enabled)
    context.setdefault("ja", japanese(view.settings.site.language))
    page = make_environment().get_template(template)
    return page.render(site=view.settings.site, root=root, **context).encode("utf-8")


@lru_cache(maxsize=1)
def make_environment() -> Environment:
    """The environment of this process, so each template is compiled at most once in it
    (and not at all when the cache holds it)."""
    return environment(template_cache())


def item_row(view: StoreView, stored: StoredItem, zone: ZoneInfo, root: str = "") -> dict[str, Any]:
    """What an item list shows of one item; its labels link to their term pages."""
    item = stored.item
    machine, human = display_date(stored, zone)
    if not item.published:
        human = view.say(human)  # "undated"

    def term(facet: str, slug: str) -> dict[str, str]:
        return {"label": view.label(facet, slug), "href": root + term_page(facet, slug)}

    return {
        "item": item,
        "date": machine,
        "date_text": human,
        "kind": term("kind", item.kind),
        "topics": [term("topic", t) for t in item.topics],
        "places": [term("place", p) for p in item.places],
        "origins": len(stored.also_seen_at) + 1,
        "event": event_when(view, item.event, zone) if item.event else None,
    }


def event_when(view: StoreView, event: Event, zone: ZoneInfo) -> dict[str, str]:
    """When and where an event happens, its status in the pages' language."""
    when = event_text(event, zone)
    if when["status"] and japanese(view.settings.site.language):
        when["status"] = EVENT_WORDS["ja"].statuses.get(when["status"], when["status"])
    return when
