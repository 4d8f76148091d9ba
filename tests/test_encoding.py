"""Charset reconciliation: HTTP label, XML declaration, HTML meta, sniffing, fallbacks."""

from __future__ import annotations

import itertools

import pytest

from tdlc_syndication.pipeline.encoding import (
    codec_for,
    declared_charset,
    decode,
    join_surrogates,
    to_utf8_xml,
    xml_start,
)
from tdlc_syndication.pipeline.jsonyaml import load_json, load_yaml

JA = "富山市の防災訓練①㈱について"


@pytest.mark.parametrize(
    ("body", "http", "text", "codec"),
    [
        (JA.encode("cp932"), None, JA, "cp932"),  # undeclared Shift_JIS with NEC extensions
        (JA.encode("cp932"), "Shift_JIS", JA, "cp932"),  # the label maps to the superset
        ("防災訓練のお知らせ".encode("euc_jp"), None, "防災訓練のお知らせ", "euc_jp"),
        (JA.encode("utf-8"), "iso-8859-1", JA, "utf-8"),  # a wrong label is not trusted
        ("“Café” – naïve".encode("cp1252"), "iso-8859-1", "“Café” – naïve", "cp1252"),
        (
            b'<?xml version="1.0" encoding="Shift_JIS"?><a>' + JA.encode("cp932") + b"</a>",
            None,
            f'<?xml version="1.0" encoding="Shift_JIS"?><a>{JA}</a>',
            "cp932",
        ),
        (
            b'<html><head><meta charset="euc-jp"></head>' + "防災".encode("euc_jp"),
            None,
            '<html><head><meta charset="euc-jp"></head>防災',
            "euc_jp",
        ),
    ],
)
def test_decode(body: bytes, http: str | None, text: str, codec: str) -> None:
    assert decode(body, http) == (text, codec)


def test_undecodable_bytes_never_raise() -> None:
    text, codec = decode(b"\x81\xff\xfe\x00garbage\x8d\x8f", "utf-8")
    assert codec == "cp1252"
    assert "garbage" in text


def test_to_utf8_xml_rewrites_the_declaration() -> None:
    body = b'<?xml version="1.0" encoding="EUC-JP"?><t>' + "防災".encode("euc_jp") + b"</t>"
    assert to_utf8_xml(body) == '<?xml version="1.0" encoding="utf-8"?><t>防災</t>'.encode()


def test_labels() -> None:
    assert codec_for("Windows-31J") == "cp932"
    assert codec_for("x-unknown") is None
    assert (
        declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">')
        == "Shift_JIS"
    )


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        ("a &#xD83D;&#xDE00; b", "a &#x1F600; b"),  # an emoji as JavaScript escapes it
        ("&#55357;&#56832;", "&#x1F600;"),
        ("&#xd83d;&#xde00;", "&#x1F600;"),
        ("alone &#xD800; here", "alone  here"),
        ("&#xDC00;", ""),
        ("&#xD83D; &#xDE00;", " "),  # apart: two halves of nothing
        ("&#xD83D;&#xD83D;&#xDE00;", "&#x1F600;"),
        ("&#x1F600; &#233; &#xD7FF; &#57344;", "&#x1F600; &#233; &#xD7FF; &#57344;"),
    ],
)
def test_references_to_surrogates_are_joined_or_dropped(text: str, repaired: str) -> None:
    assert join_surrogates(text) == repaired


def test_lone_surrogates_leave_parsed_json_and_whole_pairs_stay() -> None:
    data = b'{"a\\ud800": ["x\\udc00y", "\\ud83d\\ude00", 1, {"k": "\\uD800"}], "b": "\\\\ud800"}'
    assert load_json(data) == {"a": ["xy", "\U0001f600", 1, {"k": ""}], "b": "\\ud800"}
    assert load_json('{"plain": "\\u5bcc\\u5c71"}') == {"plain": "富山"}


def test_yaml_aliases_that_multiply_or_hold_themselves_are_read_once() -> None:
    """Dropping surrogates walked every alias anew: nine levels of ``[*b, *b, ...]`` took
    minutes and gigabytes, and ``&a [*a]`` ended in a RecursionError ("unexpected error")."""
    levels = "abcdefghij"
    bomb = 'a: &a [x, "\\ud800y"]\n' + "".join(
        f"{name}: &{name} [{', '.join([f'*{below}'] * 9)}]\n"
        for below, name in itertools.pairwise(levels)
    )
    loaded = load_yaml(bomb)
    assert loaded["j"][0][0][0][0][0][0][0][0][0] == ["x", "y"]
    assert loaded["j"][0] is loaded["j"][8]  # made once
    cycle = load_yaml('a: &a [*a, "\\ud800z"]')
    assert cycle["a"][0] is cycle["a"]
    assert cycle["a"][1] == "z"


def test_a_yaml_timestamp_that_is_no_day_is_text() -> None:
    assert load_yaml("a: 2026-13-45\nb: 2026-02-30 10:00:00") == {
        "a": "2026-13-45",
        "b": "2026-02-30 10:00:00",
    }
    assert load_yaml("a: 2026-11-23")["a"].isoformat() == "2026-11-23"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"\n\n<?xml version='1.0'?><a/>", b"<?xml version='1.0'?><a/>"),
        (b"\xef\xbb\xbf \r\n<?xml version='1.0'?><a/>", b"<?xml version='1.0'?><a/>"),
        (b"<?xml version='1.0'?><a/>", b"<?xml version='1.0'?><a/>"),
        (b"  <a/>", b"  <a/>"),  # no declaration: blanks before the root are allowed
        (b"text", b"text"),
        # PHP's messages, as a WordPress site that shows them writes them first
        (b"<br />\n<b>Warning</b>:  Undefined array key \"x\" in <b>/var/www/p.php</b> on "
         b"line <b>12</b><br />\n<?xml version='1.0'?><a/>", b"<?xml version='1.0'?><a/>"),
        (b"PHP Deprecated:  strlen(): Passing null in /p.php on line 3\n<?xml version='1.0'?>"
         b"<a/>", b"<?xml version='1.0'?><a/>"),
        # but not any page that holds a declaration
        (b"<html><body><pre>&lt;?xml</pre><?xml version='1.0'?>", b"<html><body><pre>&lt;?xml"
         b"</pre><?xml version='1.0'?>"),
    ],
)  # fmt: skip
def test_what_comes_before_the_xml_declaration_is_dropped(body: bytes, expected: bytes) -> None:
    """Blanks (a PHP file that ends with a blank line) and PHP's messages before the
    declaration failed every sitemap and OAI-PMH answer of the site: "XML declaration
    allowed only at the start of the document"."""
    assert xml_start(body) == expected


@pytest.mark.parametrize(
    ("label", "text", "codec"),
    [
        # Thai pages: windows-874 was no label Python knows, and TIS-620 has no curly
        # quotes, ellipsis or euro sign (they came out as control characters).
        ("windows-874", "ข่าวประชาสัมพันธ์ “การประชุม” เทศบาลนคร… €5", "cp874"),
        ("TIS-620", "ข่าวประชาสัมพันธ์ “การประชุม” เทศบาลนคร…", "cp874"),
        # Chinese pages declared gb2312 are written in GBK (镕, 堃 are outside GB 2312).
        ("gb2312", "城市伙伴关系 — 镕 堃 喆", "gb18030"),
        # Korean pages declared euc-kr are written in windows-949 (똠 is outside it).
        ("euc-kr", "도시 파트너십 똠방각하", "cp949"),
        ("csShiftJIS", "富山市の防災訓練①㈱", "cp932"),
        # Labels of the Encoding Standard Python knows by no such name, or as another
        # character set: each page was read by a guess (as EUC-JP or Shift_JIS), or
        # without its curly quotes.
        ("ISO_8859-1:1987", "Partner cities “Kobe” – Cebu", "cp1252"),
        ("iso88597", "Συνεργασία πόλεων", "iso8859-7"),
        ("x-cp1251", "Партнёрство городов", "cp1251"),
        ("koi8", "Партнёрство городов", "koi8-r"),
        ("x-mac-cyrillic", "Партнёрство городов", "mac-cyrillic"),
        ("iso-8859-8-i", "שותפות ערים", "iso8859-8"),
    ],
)
def test_a_label_is_read_as_browsers_read_it(label: str, text: str, codec: str) -> None:
    body = f'<html><head><meta charset="{label}"><title>{text}</title></head></html>'
    assert decode(body.encode(codec)) == (body, codec)


JAPANESE_PAGE = (
    "<title>富山市の防災訓練</title><p>防災訓練のお知らせです。市民の皆さまのご参加をお待ちして"
    "おります。</p>"
)


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        # The page's old charset left commented out above its own (browsers pass over it):
        # EUC-JP read as Shift_JIS is half-width katakana, every character wrong.
        ('<!-- <meta charset="Shift_JIS"> --><meta charset="EUC-JP">', "euc_jp"),
        # A label no codec has, then the page's own: the second is taken, as browsers do.
        ('<meta charset="x-bogus"><meta charset="EUC-JP">', "euc_jp"),
        # A page cannot declare itself UTF-16 in ASCII: browsers read it as UTF-8, and
        # then Shift_JIS here. It was read as UTF-16, all of it nonsense.
        ('<meta charset="UTF-16">', "cp932"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=utf-16le">', "cp932"),
        # Python's codecs that are no character set are no declaration either.
        ('<meta charset="unicode_escape">', "cp932"),
    ],
)
def test_a_declaration_is_taken_as_browsers_take_it(head: str, codec: str) -> None:
    """As the HTML Standard's prescan does it (html5lib's tests of encodings: 46 of 82
    read as browsers read them before, 49 now; the rest name a charset where browsers
    find none, or one further than the 2,048 bytes looked at)."""
    for end in ("", " "):  # of an even length and of an odd one (UTF-16 takes even ones)
        body = f"<html><head>{head}</head><body>{JAPANESE_PAGE}</body></html>{end}"
        assert decode(body.encode(codec)) == (body, codec)


@pytest.mark.parametrize(
    ("head", "text", "codec"),
    [
        ('<html lang="th">', "ข่าวประชาสัมพันธ์ เทศบาลนครเชียงใหม่", "cp874"),
        ('<html lang="zh-CN">', "城市伙伴关系研讨会在武汉举行", "gb18030"),
        ('<html lang="zh-TW">', "城市夥伴關係研討會", "big5hkscs"),
        ('<html lang="ko">', "도시 파트너십 세미나", "cp949"),
        ("<rss><channel><language>th</language>", "ข่าวประชาสัมพันธ์", "cp874"),
        ('<html lang="ja">', "富山市の防災訓練①㈱について", "cp932"),  # sniffed, as before
    ],
)
def test_an_undeclared_page_is_read_in_the_charset_of_its_language(
    head: str, text: str, codec: str
) -> None:
    """A page that declares no charset but its language: an undeclared Thai page was
    read as windows-1252, a Chinese one as EUC-JP (kanji, all wrong)."""
    body = f"{head}<title>{text}</title>"
    assert decode(body.encode(codec)) == (body, codec)


def _euc_jp_ms(text: str) -> bytes:
    """``text`` in EUC-JP as Windows writes it (eucJP-ms): Shift_JIS's two-byte characters
    re-coded by JIS row and cell, its half-width katakana after 0x8E."""
    out = bytearray()
    for char in text:
        code = char.encode("cp932")
        if len(code) == 1:
            out += code if code[0] < 0x80 else bytes((0x8E, code[0]))
            continue
        lead, trail = code
        lead -= 0x40 if lead >= 0xE0 else 0
        row = (lead - 0x70) * 2 - (trail < 0x9F)
        cell = trail - (0x1F + (trail >= 0x80) if trail < 0x9F else 0x7E)
        out += bytes((row + 0x80, cell + 0x80))
    return bytes(out)


def test_euc_jp_as_windows_writes_it_is_read_as_browsers_read_it() -> None:
    """A page declared EUC-JP with one of NEC's special characters (①, ㈱, Ⅱ, ㎡: common
    in municipal notices) failed Python's EUC-JP, and was read as Shift_JIS: mojibake
    throughout. Its characters are read as a browser reads them now; a page in plain
    EUC-JP is read as before; an undeclared one is recognised, and Shift_JIS is not taken
    for it."""
    text = "説明会①のお知らせ（㈱ﾃｽﾄ、第Ⅱ期、10㎡）。漢字と熙"
    head = '<html><head><meta charset="EUC-JP"></head><body>'
    page = head.encode() + _euc_jp_ms(text) + b"</body>"
    assert decode(page) == (f"{head}{text}</body>", "euc_jp")
    plain = "お知らせ".encode("euc_jp")
    assert decode(plain, "EUC-JP") == ("お知らせ", "euc_jp")
    assert decode(_euc_jp_ms(text)) == (text, "euc_jp")  # undeclared
    shift_jis = "説明会①のお知らせ（㈱ﾃｽﾄ）"
    assert decode(shift_jis.encode("cp932")) == (shift_jis, "cp932")  # not taken for EUC-JP
