"""Plain-text cleaning used by normalisation and rendering (a link's canonical form is
:mod:`~tdlc_syndication.pipeline.canonical`'s).

All functions are pure and idempotent: applying one twice gives the result of once.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

from tdlc_syndication.config.files import BIDI_CONTROLS, CONTROL_CHARACTERS
from tdlc_syndication.pipeline.elements import has_tag, replaced, tags_replaced
from tdlc_syndication.pipeline.lazy import LazyModule

if TYPE_CHECKING:
    from tdlc_syndication.pipeline import eastasian
else:  # its tables compile with the first HTML read (a run of 304s, which reads none, and
    # this module, which the network's modules import, do not load it)
    eastasian = LazyModule("tdlc_syndication.pipeline.eastasian")

# A tag as HTML reads one: "<" then a letter, "/", "!" or "?" ("<2019>", "x < y > z" and
# "<3" are text to a browser, and were cut from summaries).
_TAG = re.compile(r"<[A-Za-z/!?][^>]*>")
# Elements that part their text from what follows (a definition list's terms and
# descriptions and a table's cells too: "申込締切2026年12月1日" ran together; a picture's
# caption and a section a click opens, their text and the next).
_BLOCK = re.compile(
    r"</?(?:p|d(?:iv|[dt]|etails)|br|li|ul|ol|h[1-6]|t(?:able|[dhr])|blockquote|section|summary"
    r"|fig(?:ure|caption)|article|header|footer|aside|address|hgroup)\b[^>]*>",
    re.I,
)
# What a script, a style sheet or a fallback for no script holds is no text.
_SCRIPT = re.compile(r"<(script|style|noscript)\b", re.I)
_SCRIPT_ENDS = {
    name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style", "noscript")
}
# A ruby (furigana over kanji, as the "easy Japanese" pages of cities write them:
# <ruby>防災<rt>ぼうさい</rt></ruby>): its reading (<rt>) and the parentheses around it
# (<rp>), up to the ruby's next tag (their end tags may be left out), and its own tags.
_RUBY = re.compile(r"</?r(?:uby|tc|[btp])\b", re.I)
_READING = re.compile(
    r"<(?:rt|rp)\b[^>]*>[^<]*(?:<(?!/?(?:rt|rp|rb|rtc|ruby)\b)[^<]*)*"
    r"(?=</?(?:rt|rp|rb|rtc|ruby)\b)"
    r"|</?(?:ruby|rb|rtc|rt|rp)\b[^>]*>",
    re.I,
)


# Characters XML 1.0 forbids, plus C1 controls (mojibake, never meant as text).
_CONTROLS = re.compile(f"[{CONTROL_CHARACTERS}\ud800-\udfff\ufffe\uffff]")
# The ASCII ones, as bytes: ``bytes.translate`` finds them in ASCII text about ten times
# as fast as the pattern does (the pattern scans 2 KB of an item's HTML in about 10 µs).
_ASCII_CONTROLS = bytes(c for c in range(0x80) if _CONTROLS.match(chr(c)))


def strip_controls(text: str) -> str:
    """Remove characters that XML 1.0 forbids (and C1 controls); a line or page break
    among them (U+000B, Word's Shift+Enter; U+000C) is a space, as it parted words:
    ``Kobe\vdrill`` was ``Kobedrill``."""
    if text.isascii():
        raw = text.encode("ascii")
        if len(raw.translate(None, _ASCII_CONTROLS)) == len(raw):
            return text
    return _CONTROLS.sub(_control_replaced, text)


def _control_replaced(found: re.Match[str]) -> str:
    return " " if found.group() in "\x0b\x0c" else ""


# Embedding, override and isolate controls: in plain text they can make a title read
# backwards on the page ("Trojan Source"); markup has dir= for legitimate uses.
_BIDI_CONTROLS = re.compile(f"[{BIDI_CONTROLS}]")


def strip_bidi(text: str) -> str:
    """Remove bidirectional embedding, override and isolate controls."""
    return _BIDI_CONTROLS.sub("", text) if not text.isascii() else text


# Half-width katakana and their marks (ｾﾐﾅｰ, ｶﾞ, ｡｢｣､･), as older municipal systems
# write them: a legacy of 8-bit Japanese encodings that Japanese style guides and the
# government's own rules for its pages ask not to publish. The program's outputs show
# them full-width (セミナー, ガ, 。「」、・), a voiced mark joined to its letter.
HALF_WIDTH_KANA = re.compile("[\uff61-\uff9f]+")


def full_width_kana(text: str) -> str:
    """``text`` with its half-width katakana full-width (``ｾﾐﾅｰ`` is ``セミナー``); the rest
    as it was (full-width Latin letters and digits keep their width)."""
    if text.isascii() or HALF_WIDTH_KANA.search(text) is None:
        return text
    return HALF_WIDTH_KANA.sub(lambda run: unicodedata.normalize("NFKC", run.group()), text)


def _one_line(text: str) -> str:
    """Decoded text as one line of a text field: controls, bidi controls and soft hyphens
    (U+00AD, ``manage&shy;ment``: a hint where a long word may break, which some
    publishing systems write into every long word) taken out, half-width kana full-width,
    spaces collapsed. A soft hyphen kept a title from its duplicate, a phrase from its
    topic, a search from the word; content keeps them, for the layout. A letter encoded
    twice is mended (:func:`mended_latin`) in the same pass, so that what is taken out
    cannot leave a pair to mend for a second pass ("Â\x1f¡" is "¡", not "Â¡")."""
    if "\u00c3" in text or "\u00c2" in text:
        text = _mended(text, _taken_out)
    else:
        if not text.isascii() and "\xad" in text:
            text = text.replace("\xad", "")
        text = strip_bidi(strip_controls(text))
    return composed(" ".join(full_width_kana(text).split()))


# The CJK compatibility ideographs, which NFC would replace by their unified forms: a
# name's variant glyph (神 U+FA19 for 神 U+795E) that its writer chose.
_COMPATIBILITY_IDEOGRAPHS = re.compile("([\uf900-\ufaff\U0002f800-\U0002fa1f])")


def composed(text: str) -> str:
    """``text`` in Unicode's composed form (NFC), as the W3C's character model asks of
    published text: a letter and its accents written apart (``Ê`` as E and U+0302, as
    macOS writes file names and some editors text; ガ as カ and U+3099) is one letter. The
    same title written both ways was two titles to the search, the duplicates and the
    topics, and the Nu checker warns of each. The CJK compatibility ideographs are kept
    as written (:data:`_COMPATIBILITY_IDEOGRAPHS`)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    parts = _COMPATIBILITY_IDEOGRAPHS.split(text)
    return "".join(part if index % 2 else unicodedata.normalize("NFC", part)
                   for index, part in enumerate(parts))  # fmt: skip


def _taken_out(character: str) -> bool:
    """Whether a character is what a text field leaves out: a control, a bidi control,
    a soft hyphen."""
    return (
        character == "\xad"
        or _CONTROLS.match(character) is not None
        or _BIDI_CONTROLS.match(character) is not None
    )


def mended_latin(text: str) -> str:
    """``text`` with each Latin letter that an origin encoded in UTF-8 twice made two
    (``InfogrÃ¡fico`` for ``Infográfico``, ``Â°`` for ``°``: its bytes read as Latin-1
    and encoded again) made one again, and again where the letter mended makes a pair
    with the one before it (a letter encoded three times): no pair is left. Readers
    showed the pair, and the W3C validator warns of each ("bad characters")."""
    if "\u00c3" not in text and "\u00c2" not in text:  # one look: most text has neither
        return text
    return _mended(text, _kept)


def _kept(character: str) -> bool:
    return False


def _mended(text: str, taken_out: Callable[[str], bool]) -> str:
    """``text`` mended (see :func:`mended_latin`) in one pass, each character that
    ``taken_out`` names left out as it comes, before it can part a pair."""
    kept: list[str] = []
    for character in text:
        while "\x80" <= character <= "\xbf" and kept and kept[-1] in "\u00c2\u00c3":
            character = (kept.pop() + character).encode("latin-1").decode("utf-8")
        if not taken_out(character):
            kept.append(character)
    return "".join(kept)


# What shows nothing on a page: spaces, zero-width and format characters, fillers,
# variation selectors, and the replacement character (bytes no decoder could read).
_INVISIBLE = re.compile(
    "[\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffd]*"
)


def visible(text: str) -> bool:
    """Whether ``text`` shows anything: a title of zero-width spaces or of U+FFFD alone
    is no title."""
    return _INVISIBLE.fullmatch(text) is None


def plain_text(value: str) -> str:
    """HTML or text → one line of plain text: tags removed, entities decoded, spaces collapsed.
    In HTML, a line break of the source between two Japanese or Chinese characters is
    taken out (:mod:`~tdlc_syndication.pipeline.eastasian`); in text, where a break parts
    lines (``出演：富山市長⏎制作：富山市``), it is a space."""
    if "<" in value and has_tag(_TAG, value):
        value = _raised(eastasian.joined_lines(without_readings(value)))
    text = _without_scripts(value)
    text = tags_replaced(_BLOCK, " ", text)  # each read in one pass (pipeline.elements)
    text = tags_replaced(_TAG, "", text)
    # Decode until stable, so double-escaped origins come out right and the result is a
    # fixed point (what a second pass would change, the first already changed).
    for _ in range(3):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = tags_replaced(_TAG, "", _raised(decoded))
    # str.split() splits on exactly the characters the regex \s matches (str.isspace).
    return _one_line(text)


# A number written raised (a unit's power, a footnote's mark), which read as nothing ran
# into its word: "1,200m<sup>2</sup>" was "1,200m2", "cities<sup>12</sup>" "cities12".
_SUPERSCRIPT = re.compile(r"<sup\b[^<>]*>\s*([-+=()0-9]{1,6})\s*</sup\s*>", re.I)
_RAISED = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")


def _raised(markup: str) -> str:
    """``markup`` with each number in ``<sup>`` written in superscript digits, in place of
    the element (:data:`_SUPERSCRIPT`)."""
    if "<sup" not in markup and "<SUP" not in markup:
        return markup
    return _SUPERSCRIPT.sub(lambda found: found.group(1).translate(_RAISED), markup)


def _without_scripts(markup: str) -> str:
    """``markup`` with each script, style sheet and ``<noscript>`` a space."""
    if "<" not in markup or _SCRIPT.search(markup) is None:  # one look: most have none
        return markup
    return replaced(markup, _SCRIPT, _SCRIPT_ENDS, _a_space)


def _a_space(start: re.Match[str], inside: str) -> str:
    return " "


# A picture's caption (the sanitised content has no classes: WordPress's older caption,
# <p class="wp-caption-text">, is a paragraph there).
_CAPTION = re.compile(r"<(figcaption)\b", re.I)
_CAPTION_ENDS = {"figcaption": re.compile(r"</figcaption\s*>", re.I)}


def without_captions(markup: str) -> str:
    """HTML without its pictures' captions (each a space), for a summary made of it: a
    post that opens with a captioned picture (Medium's, most of WordPress's) had the
    caption as its summary's first words, "Toyama's light rail Toyama rebuilt its…"."""
    if "<" not in markup or _CAPTION.search(markup) is None:  # one look: most have none
        return markup
    return replaced(markup, _CAPTION, _CAPTION_ENDS, _a_space)


# A footnote's mark in the text, its number (1, [1], (1)) linked to its note: in <sup>
# (WordPress's footnotes, Google Docs', Markdown's), around <sup> (Pandoc's), alone
# (Substack's, #footnote-1); or in brackets in <sup>. A number in <sup> alone is a power
# (km<sup>2</sup>) or an ordinal's ending's part, and stays.
_MARK = r"\s*[\[(]?\d{1,3}[\])]?\s*"
_NOTE_MARK = re.compile(
    rf"<sup\b[^<>]*>\s*<a\b[^<>]*>{_MARK}</a\s*>\s*</sup\s*>"
    rf"|<sup\b[^<>]*>\s*\[\d{{1,3}}\]\s*</sup\s*>"
    rf"|<a\b[^<>]*>\s*<sup\b[^<>]*>{_MARK}</sup\s*>\s*</a\s*>"
    rf"|<a\b[^<>]*#footnote[^<>]*>{_MARK}</a\s*>"
    # and a note's link back to its mark (↩︎, as each of them writes it)
    r"|<a\b[^<>]*>\s*(?:↩|&#8617;|&#x21a9;)(?:\ufe0e|&#65038;|&#xfe0e;)?\s*</a\s*>",
    re.I,
)


def without_note_marks(markup: str) -> str:
    """HTML without its footnotes' marks, for a summary made of it: each ran into the
    word before it, "the plan1 followed the tracks"; and without the notes' links back
    to them (a summary of a short post ended "From the city's plan. ↩")."""
    if "<sup" not in markup and "#footnote" not in markup and "↩" not in markup:
        return markup  # most have none
    return _NOTE_MARK.sub("", markup)


# A heading, and text outside tags (a word before the first heading: no leading one).
_HEADING_START = re.compile(r"<h([1-6])\b[^<>]*>", re.I)
_HEADING_ENDS = {level: re.compile(rf"</h{level}\s*>", re.I) for level in "123456"}
_TEXT_BEFORE = re.compile(r"(?:\A|>)[^<]*?[^\s<]")
_LEADING_HEADINGS = 3  # the most headings one after another taken from a text's start


def without_leading_headings(markup: str) -> str:
    """HTML without the headings it begins with (nothing but pictures and the blocks
    they stand in before them), for a summary made of it, where text follows them: the
    heading ran into the first sentence, "City Partnership News Kobe held its drill…",
    「イベント概要 日時：…」. A summary begins with the first paragraph, as Readability's
    excerpt does."""
    rest = markup
    for _ in range(_LEADING_HEADINGS):
        start = _HEADING_START.search(rest)
        if start is None or _TEXT_BEFORE.search(rest, 0, start.start()) is not None:
            break
        end = _HEADING_ENDS[start.group(1)].search(rest, start.end())
        if end is None:
            break
        rest = rest[: start.start()] + rest[end.end() :]
    if rest is markup or _TEXT_BEFORE.search(rest) is None:
        return markup  # no heading first, or nothing but headings
    return rest


def without_readings(markup: str) -> str:
    """HTML with each ruby as its text alone: ``<ruby>防災<rt>ぼうさい</rt></ruby>の`` is
    ``防災の`` in a title or a summary, not ``防災ぼうさい`` nor ``防災 の``."""
    if markup.isascii() or _RUBY.search(markup) is None:  # a ruby annotates kanji
        return markup
    return _READING.sub("", markup)


# In a text field (a title, a name) a word in angle brackets is markup only when it is an
# element of HTML, SVG or MathML, has attributes, or closes itself; "<live>" or "<Draft>"
# written by an editor stays in the text.
_ELEMENTS = frozenset(
    """a abbr address area article aside audio b base bdi bdo blockquote body br button canvas
    caption center cite code col colgroup data datalist dd del details dfn dialog div dl dt
    em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6
    head header hr html i iframe img input ins kbd label legend li link main map mark meta
    meter nav noscript object ol optgroup option output p param picture pre progress q rb rp rt
    rtc ruby s samp script section select small source span strike strong style sub summary sup
    table tbody td template textarea tfoot th thead time title tr track tt u ul var video
    wbr svg circle ellipse line path polygon polyline rect g defs use symbol text tspan
    image foreignobject math mi mn mo ms mtext mglyph mrow mfrac msqrt semantics
    annotation""".split()  # noqa: SIM905
)
# Older or rarer HTML names the W3C feed validator knows: their end tag ("</xmp>") in a
# title makes it warn however the title is escaped (ContainsHTML); an end tag of one is
# markup. Their start tags stay text ("Lunch <menu>").
_END_TAGS = frozenset(
    """acronym applet basefont big command comment datagrid dir eventsource hgroup isindex
    listing m menu noframes plaintext slot xmp""".split()  # noqa: SIM905
)
_TAG_LIKE = re.compile(r"<(/?)([A-Za-z][\w:.-]*)((?:\s[^<>]*|/)?)>")


def _is_markup(match: re.Match[str]) -> bool:
    name, rest = match.group(2).lower(), match.group(3)
    return (
        name in _ELEMENTS
        or (match.group(1) == "/" and name in _END_TAGS)
        or ":" in name
        or "=" in rest
        or rest.rstrip().endswith("/")
    )


def _markup(match: re.Match[str]) -> str:
    """A tag of a text field as :func:`plain_text` takes it out: a :data:`_BLOCK`
    element's as a space, any other element's as nothing (``Why <em>Toyama</em>'s``
    is ``Why Toyama's``); a word in angle brackets that is no element stays."""
    if not _is_markup(match):
        return match.group(0)
    return " " if _BLOCK.fullmatch(match.group(0)) else ""


def has_markup(value: str) -> bool:
    """Whether ``value`` is HTML: it holds an element by the rules of :func:`clean_text`
    (``<br>``, ``<a href=...>``), not merely a word in angle brackets (``<live>``)."""
    return "<" in value and any(_is_markup(m) for m in _TAG_LIKE.finditer(value))


def clean_text(value: str) -> str:
    """A text field (title, name, category) as one line: HTML elements removed, entities
    decoded, spaces collapsed. Unlike :func:`plain_text`, a word in angle brackets that is
    not an HTML element (``<live>``) is text and stays. A line break between two Japanese
    or Chinese characters is taken out: in a one-line field it is the source's layout."""
    text = _without_scripts(_raised(eastasian.joined_lines(without_readings(value))))
    text = _TAG_LIKE.sub(_markup, text) if "<" in text else text
    for _ in range(3):  # decode until stable, as plain_text does
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = _without_scripts(_raised(decoded))
        text = _TAG_LIKE.sub(_markup, text) if "<" in text else text
    return _one_line(text)


# Where a text without spaces may be cut: after a full stop or comma of Japanese and
# Chinese, a Khmer khan, a Burmese section mark, a Devanagari danda.
_MARKS = "。、，។။।"


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters at a word boundary, adding an ellipsis.

    Japanese, Chinese, Khmer or Burmese text has few spaces or none; there the cut falls
    after a sentence mark if one is near. A cut inside a word never parts a letter from
    the vowel signs and marks written on it, nor ends in a virama or a joiner (Thai, Khmer
    and Hindi words showed a dotted circle, or a letter without its vowel).
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    mark = max(cut.rfind(m) for m in _MARKS)
    if space >= limit * 0.5:
        cut = cut[:space]
    elif mark >= limit * 0.5:
        cut = cut[: mark + 1]
    else:
        while cut and (_joined(cut[-1]) or unicodedata.category(text[len(cut)])[0] == "M"):
            cut = cut[:-1]
    return cut.rstrip(" ,;:." + _MARKS) + "…"


def _joined(char: str) -> bool:
    """Whether ``char`` joins the letter after it: a virama (Khmer coeng, Devanagari
    halant), a zero-width joiner."""
    return unicodedata.combining(char) == 9 or char == "\u200d"


# RFC 6838's restricted names: what the feed validator takes as a type and a subtype.
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\Z")


def media_type(value: str | None) -> str | None:
    """An origin's media type as the feeds write it (``type/subtype`` in lower case, its
    parameters left out), or None when it is not one (``video``, ``not a mime``): the feed
    validator refuses an enclosure of such a type."""
    if not value:
        return None
    essence = value.split(";", 1)[0].strip().lower()
    return essence if _MEDIA_TYPE.match(essence) else None


def count_of(text: str, digits: int = 18) -> int | None:
    """A whole number written in at most ``digits`` ASCII digits, or None. ``str.isdigit``
    takes "²" and "٣", which ``int`` refuses, and ``int`` refuses thousands of digits
    (an origin's file length or page count, a header): each stopped its source as a fault
    of this program."""
    text = text.strip()
    if not text or len(text) > digits or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def links_from(html: str, base: str) -> str:
    """``html`` (a fragment) with its relative links and sources made absolute against
    ``base``, and nothing else changed: an editor's link keeps its fragment and query
    (:func:`canonical_url`, right for an origin's links, drops them)."""
    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(html, create_parent="div")
    root.make_links_absolute(base, resolve_base_href=False, handle_failures="discard")
    written: str = lxml_html.tostring(root, encoding="unicode")
    return written.removeprefix("<div>").removesuffix("</div>")
