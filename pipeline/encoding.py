"""Turn fetched bytes into text: reconcile HTTP charset, BOM, XML declaration and HTML meta.

Japanese municipal systems still serve Shift_JIS (often undeclared) and EUC-JP. Labels are
mapped to the codecs that real pages need (Shift_JIS → cp932, a superset with the NEC and
IBM extensions; ISO-8859-1 → windows-1252, as browsers do). Undecodable bytes never raise:
the last resort replaces them.
"""

from __future__ import annotations

import codecs
import re

_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']", re.I)
_HTML_META = re.compile(
    rb"<meta[^>]+?(?:charset\s*=\s*[\"']?|content\s*=\s*[\"'][^\"'>]*?charset=)([A-Za-z0-9._:-]+)",
    re.I,
)
# Labels read as the WHATWG Encoding Standard reads them (as browsers do): several name a
# smaller character set than the one pages written under them use, and Python's codec of
# that name fails on the characters outside it, or knows no such label. A Thai page
# declared windows-874 or TIS-620 (with curly quotes), or a Chinese one gb2312 (with
# characters of GBK), came out as mojibake or with control characters.
_ALIASES = {
    **dict.fromkeys(
        ("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"), "utf-8"
    ),
    **dict.fromkeys(
        ("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "ms932", "windows-31j",
         "cp932", "csshiftjis"),
        "cp932",
    ),
    **dict.fromkeys(("euc-jp", "x-euc-jp", "cseucpkdfmtjapanese"), "euc_jp"),
    **dict.fromkeys(
        ("windows-874", "dos-874", "tis-620", "iso-8859-11", "iso8859-11", "iso885911"), "cp874"
    ),
    **dict.fromkeys(
        ("gb2312", "gb_2312", "gb_2312-80", "gbk", "x-gbk", "chinese", "csgb2312",
         "csiso58gb231280", "iso-ir-58"),
        "gb18030",
    ),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"), "big5hkscs"),
    **dict.fromkeys(
        ("euc-kr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "korean",
         "cseuckr", "csksc56011987", "iso-ir-149", "windows-949"),
        "cp949",
    ),
    **dict.fromkeys(
        ("iso-8859-9", "iso8859-9", "iso88599", "iso_8859-9", "latin5", "l5", "csisolatin5",
         "iso-ir-148", "x-cp1254"),
        "cp1254",
    ),
    **dict.fromkeys(
        ("iso-8859-1", "iso8859-1", "iso88591", "iso_8859-1", "latin-1", "latin1", "l1",
         "us-ascii", "ascii", "ansi_x3.4-1968", "cp819", "ibm819", "csisolatin1",
         "iso-ir-100", "x-cp1252", "iso_8859-1:1987"),
        "cp1252",
    ),
    "iso_8859-9:1989": "cp1254",
    # The Standard's other labels Python's codecs do not know by that name: the ISO 8859
    # parts written without a separator (iso88592), their -e and -i forms (visual and
    # logical order: the same characters), Microsoft's x-cp125N, Apple's and KOI8's.
    **{f"iso8859{part}": f"iso8859-{part}" for part in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15)},
    **dict.fromkeys(
        ("csiso88596e", "csiso88596i", "iso-8859-6-e", "iso-8859-6-i"), "iso8859-6"
    ),
    "sun_eu_greek": "iso8859-7",
    **dict.fromkeys(
        ("csiso88598e", "iso-8859-8-e", "visual", "csiso88598i", "iso-8859-8-i", "logical"),
        "iso8859-8",
    ),
    "csisolatin9": "iso8859-15",
    **{f"x-cp125{n}": f"cp125{n}" for n in (0, 1, 3, 5, 6, 7, 8)},
    **dict.fromkeys(("koi", "koi8"), "koi8-r"),
    **dict.fromkeys(("csmacintosh", "mac", "x-mac-roman"), "mac-roman"),
    **dict.fromkeys(("x-mac-cyrillic", "x-mac-ukrainian"), "mac-cyrillic"),
}  # fmt: skip
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Tried in turn when nothing (or something wrong) is declared. EUC-JP goes before cp932:
# EUC-JP bytes often decode as (wrong) cp932, while Shift_JIS kana are invalid EUC-JP.
_SNIFF_ORDER = ("euc_jp", "cp932")


def codec_for(label: str | None) -> str | None:
    """Map a charset label to the Python codec to use, or None if it is unknown, or
    names a codec of Python's that is no character set a page is written in (UTF-7,
    ``unicode_escape``: a page declared so was read through it, ``\\u003c`` as "<")."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec in _NO_CHARSET or codec.startswith("utf-32") else codec


# Python's text codecs that browsers know by no label: none is a page's character set.
_NO_CHARSET = frozenset(
    {"utf-7", "unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"}
)


def declared_charset(body: bytes) -> str | None:
    """The charset the document declares itself (XML declaration or HTML meta), if any:
    the first label a codec is known by, as browsers take it (a ``<meta>`` inside a
    comment, or with a label no codec has, is passed over; the page's old charset left
    commented out above its new one was read)."""
    head = body[:2048]
    declaration = _XML_DECL.match(head)
    if declaration is not None:
        return declaration.group(1).decode("ascii")
    if b"<!--" in head:
        head = _COMMENT.sub(b"", head)
    for match in _HTML_META.finditer(head):
        label = match.group(1).decode("ascii")
        if codec_for(label) is not None:
            return label
    return None


_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.S)


def decode(body: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """Decode ``body`` and return ``(text, codec used)``.

    Order: byte-order mark; strict UTF-8 (valid multi-byte UTF-8 is never accidental, so it
    wins over a wrong single-byte label); UTF-8 with the odd invalid byte replaced when the
    rest is UTF-8 (one bad byte must not turn a Japanese page into mojibake); the HTTP
    charset; the document's own declaration; then sniffing (EUC-JP, cp932). A declared
    charset that fails on the bytes is ignored rather than trusted. Falls back to
    windows-1252 with replacement characters.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body.decode(name, errors="replace"), name
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # A document cannot declare itself UTF-16 in ASCII (browsers read such a declaration
    # as UTF-8): a Shift_JIS page so declared was read as UTF-16, all of it nonsense.
    declared = declared_charset(body)
    if (codec_for(declared) or "").startswith("utf-16"):
        declared = "utf-8"
    labels = (http_charset, declared)
    declared_utf8 = any(codec_for(label) == "utf-8" for label in labels)
    lenient = body.decode("utf-8", errors="replace")
    if _mostly_utf8(lenient, declared_utf8):
        # A stray bad byte in a UTF-8 document: replace it, keep every other character.
        return lenient, "utf-8"
    candidates: list[str] = []
    for label in labels:
        codec = codec_for(label)
        if codec and codec not in candidates and codec != "utf-8":
            candidates.append(codec)
    legacy = _legacy_codec(body)
    if legacy and legacy not in candidates:
        candidates.append(legacy)
    candidates.extend(c for c in _SNIFF_ORDER if c not in candidates)
    for codec in candidates:
        try:
            return body.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            if codec == "euc_jp":
                windows = _euc_jp_ms(body)  # ①, ㈱, Ⅱ: what Windows writes in EUC-JP
                if windows is not None:
                    return windows, codec
    return body.decode("cp1252", errors="replace"), "cp1252"


def _euc_jp_ms(body: bytes) -> str | None:
    """EUC-JP as browsers read it (the WHATWG Encoding Standard) and Windows and most
    Japanese systems write it (eucJP-ms): JIS X 0208 with NEC's special characters (row
    13: ①, ㈱, Ⅱ, ㎡) and IBM's extensions. Python's ``euc_jp`` has neither, so one circled
    number failed the page's whole decoding, and it was read as mojibake. The two-byte
    characters are re-coded to Shift_JIS and read as Windows reads it (cp932); JIS X 0212's
    three-byte ones as Python reads them. None when the bytes are not EUC-JP (Shift_JIS's
    kana and most of its kanji start with bytes no EUC-JP character starts with)."""
    parts: list[str] = []
    shift_jis = bytearray()
    at, size = 0, len(body)
    while at < size:
        lead = body[at]
        if lead < 0x80:
            shift_jis.append(lead)
            at += 1
        elif lead == 0x8E and at + 1 < size and 0xA1 <= body[at + 1] <= 0xDF:
            shift_jis.append(body[at + 1])  # half-width katakana: one byte in Shift_JIS
            at += 2
        elif (
            lead == 0x8F and at + 2 < size and all(0xA1 <= b <= 0xFE for b in body[at + 1 : at + 3])
        ):
            parts.append(bytes(shift_jis).decode("cp932", "replace"))
            shift_jis.clear()
            parts.append(body[at : at + 3].decode("euc_jp", "replace"))
            at += 3
        elif 0xA1 <= lead <= 0xFE and at + 1 < size and 0xA1 <= body[at + 1] <= 0xFE:
            row, cell = lead - 0x80, body[at + 1] - 0x80
            first = (row + 1) // 2 + (0x70 if row <= 0x5E else 0xB0)
            second = cell + (0x1F + (cell >= 0x60) if row % 2 else 0x7E)
            shift_jis += bytes((first, second))
            at += 2
        else:
            return None
    parts.append(bytes(shift_jis).decode("cp932", "replace"))
    return "".join(parts)


# The language a document says it is in (``<html lang>``, ``xml:lang``, an RSS channel's
# ``<language>``), and the legacy character set a page in it without a declaration is
# written in (a browser takes it from the reader's locale). An undeclared Thai page was
# read as windows-1252 and a Chinese one as EUC-JP: mojibake either way.
_LANGUAGE = re.compile(
    rb"(?:<html\b[^>]*?\slang|xml:lang)\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_]([A-Za-z0-9]+))?"
    rb"|<language>\s*([A-Za-z]{2,3})(?:[-_]([A-Za-z0-9]+))?",
    re.I,
)
_LEGACY = {
    "th": "cp874", "zh": "gb18030", "ko": "cp949", "vi": "cp1258", "ru": "cp1251",
    "uk": "cp1251", "ar": "cp1256", "ur": "cp1256", "fa": "cp1256", "tr": "cp1254",
}  # fmt: skip
_TRADITIONAL = {"tw", "hk", "mo", "hant"}


def _legacy_codec(body: bytes) -> str | None:
    """The legacy codec of the language ``body`` says it is in (Big5 for Chinese in
    Taiwan, Hong Kong or traditional script), or None."""
    found = _LANGUAGE.search(body[:4096])
    if found is None:
        return None
    primary = (found.group(1) or found.group(3)).decode("ascii").lower()
    region = (found.group(2) or found.group(4) or b"").decode("ascii").lower()
    if primary == "zh" and region in _TRADITIONAL:
        return "big5hkscs"
    return _LEGACY.get(primary)


def _mostly_utf8(text: str, declared: bool) -> bool:
    """Whether a lenient UTF-8 decoding is right: the non-ASCII characters are mostly real
    ones, not replacements (a majority when the document says UTF-8, three to one when it
    says nothing or something else: text in another encoding read as UTF-8 is nearly all
    replacements)."""
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char > "\x7f") - bad
    return good > bad if declared else good >= 3 * bad and good > 0


def decode_html(body: bytes, http_charset: str | None = None) -> str:
    """An HTML page as text (:func:`decode`), with its references to surrogate pairs read
    as the characters (:func:`join_surrogates`): an HTML parser makes each half a U+FFFD,
    and the feed validator warns of that in a title (BadCharacters)."""
    return join_surrogates(decode(body, http_charset)[0])


def document_start(body: bytes, size: int = 64) -> bytes:
    """The first ``size`` bytes a document begins with, past a byte-order mark and blanks
    (:data:`_LEADING` of them at most): what tells JSON from XML, a calendar or a list of
    addresses."""
    return body[: _LEADING + size].removeprefix(codecs.BOM_UTF8).lstrip()[:size]


_LEADING = 4096  # bytes of blanks before a document's first looked past


def xml_start(body: bytes) -> bytes:
    """``body`` from its XML declaration, when blanks (and a byte-order mark) come before
    it: a PHP file that ends with a blank line puts one before every document a WordPress
    site serves, and XML allows nothing there ("XML declaration allowed only at the start
    of the document": the sitemap failed); so do PHP's messages, which a site that shows
    them writes first (``<b>Warning</b>:  Undefined array key … on line <b>12</b>``).
    ``body`` itself otherwise."""
    if body.startswith(b"<?xml"):
        return body
    stripped = body.removeprefix(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith(b"<?xml"):
        return stripped
    at = stripped.find(b"<?xml", 0, _MESSAGES_BEFORE)
    return stripped[at:] if at > 0 and _PHP_MESSAGE.search(stripped, 0, at) else body


_MESSAGES_BEFORE = 8192  # bytes of PHP's messages looked through for the declaration
_PHP_MESSAGE = re.compile(
    rb"\b(?:Warning|Notice|Deprecated|Fatal error|Parse error|Strict Standards)(?:</b>)?:"
)


def to_utf8_xml(body: bytes, http_charset: str | None = None) -> bytes:
    """Re-encode an XML document as UTF-8 and make its declaration say so.

    Feed parsers then see one unambiguous encoding, whatever the origin declared.
    """
    text, _ = decode(body, http_charset)
    text = text.lstrip("\ufeff")
    text = re.sub(
        r"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2",
        r"\1\2utf-8\2",
        text,
        count=1,
        flags=re.I,
    )
    return text.encode("utf-8")


# The control characters XML 1.0 allows nowhere (all of C0 but tab, line feed and
# carriage return), as bytes and as character references: Word's line break (U+000B, its
# Shift+Enter) pasted into an abstract, a form feed between a report's pages.
_XML_CONTROL = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f]"
    rb"|&#(?:0*(?:[0-8]|1[124-9]|2[0-9]|3[01])|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]));"
)


def without_xml_controls(body: bytes) -> bytes:
    """An XML document in UTF-8 (or another ASCII-based encoding) with the control
    characters XML forbids, written or referred to, as spaces: a harvest stopped at the
    record whose abstract had one, and every later run at the same page."""
    return _XML_CONTROL.sub(b" ", body)


# A character reference to a UTF-16 surrogate (D800-DFFF; 55296-57343 in decimal).
_SURROGATE = re.compile(
    r"&#(?:[xX]0*([dD][89a-fA-F][0-9a-fA-F]{2})"
    r"|0*(5529[6-9]|55[3-9][0-9]{2}|56[0-9]{3}|57[0-2][0-9]{2}|573[0-3][0-9]|5734[0-3]));"
)
_SURROGATE_BYTES = re.compile(_SURROGATE.pattern.encode())


def join_surrogates_xml(body: bytes) -> bytes:
    """An XML document in UTF-8 with :func:`join_surrogates` applied (the same bytes when
    it refers to no surrogate, as nearly every document does)."""
    if b"&#" not in body or not _SURROGATE_BYTES.search(body):
        return body
    # Bytes that are no UTF-8 go through as they are (the parser then says what is wrong).
    return join_surrogates(body.decode("utf-8", "surrogateescape")).encode(
        "utf-8", "surrogateescape"
    )


def join_surrogates(text: str) -> str:
    """Character references to UTF-16 surrogates made right: a high and a low one in a row
    (``&#xD83D;&#xDE00;``, an emoji as JavaScript and Java escape it) become one reference to
    the character they encode, and a surrogate alone is dropped. XML allows neither, and
    feedparser failed on the whole document ("surrogates not allowed") for one of them."""
    if "&#" not in text:
        return text
    found = list(_SURROGATE.finditer(text))
    if not found:
        return text
    out: list[str] = []
    kept = 0
    high: int | None = None  # a high surrogate just before ``kept``, waiting for its pair
    for match in found:
        unit = int(match[1], 16) if match[1] else int(match[2])
        if match.start() != kept:  # text between: a high surrogate before it was alone
            out.append(text[kept : match.start()])
            high = None
        if high is not None and unit >= 0xDC00:
            out.append(f"&#x{0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00):X};")
            high = None
        else:
            high = unit if unit < 0xDC00 else None
        kept = match.end()
    out.append(text[kept:])
    return "".join(out)
