"""Which language a text's letters name, where its origin names none: kana or kanji
Japanese (Chinese or Korean by the characters only they write), the scripts that write one
language each (Thai, Khmer, Burmese, Korean...), and Vietnamese or Mongolian by the letters
only they write."""

from __future__ import annotations

import re

_HAS_JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff\uff66-\uff9f]")  # kana, kanji
# Scripts that write one language each, among those the program's cities write: a text
# in one of them says its language when its origin does not. Kana or kanji anywhere make
# it Japanese (the program's other language), as before; else the first such letter.
_SCRIPTS = (
    ("th", "\u0e00-\u0e7f"), ("lo", "\u0e80-\u0eff"), ("km", "\u1780-\u17ff"),
    ("my", "\u1000-\u109f"), ("ko", "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"),
    ("si", "\u0d80-\u0dff"), ("ta", "\u0b80-\u0bff"), ("bn", "\u0980-\u09ff"),
    ("ka", "\u10a0-\u10ff"), ("hy", "\u0530-\u058f"),
)  # fmt: skip
_SCRIPT_LANGUAGE = re.compile("|".join(f"(?P<{name}>[{letters}])" for name, letters in _SCRIPTS))
# Any letter of those scripts, as one class: searched first, as the alternation above
# costs 45 µs over a Latin text of 300 characters (each position tries each group), and
# most items are in Latin letters.
_SCRIPT_LETTER = re.compile("[" + "".join(letters for _, letters in _SCRIPTS) + "]")


def has_japanese(text: str) -> bool:
    """True when the text contains kana or kanji."""
    return _HAS_JAPANESE.search(text) is not None


_KANA = re.compile("[\u3040-\u30ff\uff66-\uff9f]")
# Characters Chinese writes and Japanese does not: simplified forms (这, 们, 发: Japanese
# writes 発) and traditional ones Japanese simplified otherwise (國, 學, 會: 国, 学, 会).
_CHINESE_ONLY = re.compile(
    "[这们说发对过还进关问间实现设长门业经动东车产务书员级该从么吗呢见观话语读认识让给电"
    "网讯视频乐习优应县乡镇办厅环节规计财资营为时开讨举伙论组织项议"
    "這們說發對關實經從麼嗎來會國區學與臺灣舉辦參號廳單團體獎檢擴總變邊醫亞歐鐵廣濟圖氣處當點萬證]"
)
_CHINESE_SIGNS = 3  # distinct ones, in a text without kana (國學院 is a Japanese name)


def has_kana(text: str) -> bool:
    """True when the text contains hiragana or katakana (Japanese, not Chinese)."""
    return _KANA.search(text) is not None


_HANGUL = re.compile(f"[{dict(_SCRIPTS)['ko']}]")


def han_language(text: str) -> str:
    """The language of a text written with kanji: Japanese, unless it has no kana and
    hangul (Korean, as headlines write a word in hanja: ``韓日 도시 협력``) or three or
    more characters only Chinese writes (Chinese: ``城市合作研讨会在东京举行``)."""
    if has_kana(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    return "zh" if len(set(_CHINESE_ONLY.findall(text))) >= _CHINESE_SIGNS else "ja"


def script_language(text: str) -> str | None:
    """The language that ``text``'s script names, or None: ``ja`` for kana or kanji (``zh``
    for kanji that only Chinese writes, without kana: :func:`han_language`), then
    Thai, Lao, Khmer, Burmese, Korean, Sinhala, Tamil, Bengali, Georgian or Armenian for
    the first letter of theirs; Vietnamese and Mongolian for a text most of whose words
    have the letters only they write (:func:`_letters_language`). Another Latin, Cyrillic,
    Arabic or Devanagari text (many languages each) names none, nor does Greek (English
    writes μg and α in its text)."""
    if text.isascii():  # no letter of any of them
        return None
    if has_japanese(text):
        return han_language(text)
    letter = _SCRIPT_LETTER.search(text)
    found = _SCRIPT_LANGUAGE.match(text, letter.start()) if letter else None
    return _letters_language(text) if found is None else found.lastgroup


# The letters only Vietnamese writes among the Latin scripts (ơ, ư and the tone marks
# over the vowels: ạ, ả, ấ, ề, ổ, ự, ỹ ...), and the ones only Mongolian writes among the
# Cyrillic ones of the region (ө, ү; Kazakh and Kyrgyz write them with ә, ғ, қ, ң, ұ, і).
_LETTERS = (
    ("vi", re.compile("[\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]"), None),
    ("mn", re.compile("[\u04e8\u04e9\u04ae\u04af]"), re.compile("[әғқңұһіӘҒҚҢҰҺІ]")),
)
_WORD = re.compile(r"[^\W\d_]+")


def _letters_language(text: str) -> str | None:
    """Vietnamese or Mongolian, when at least a quarter of the text's words (two at least)
    have letters only it writes: a Vietnamese partner's news without a language was
    published as English. One name in an English text (Nguyễn) names no language."""
    for language, letters, others in _LETTERS:
        if letters.search(text) is None or (others is not None and others.search(text)):
            continue
        words = _WORD.findall(text)
        marked = sum(1 for word in words if letters.search(word))
        if marked >= 2 and marked * 4 >= len(words):
            return language
    return None
