"""The one form in which text is compared: what classification, filters, searches and
``kind_map`` keys match, whatever width, case or accents the origin wrote; and the
spellings in which a phrase is looked for (hiragana also as katakana). Standard library
only, so that the settings (``kind_map``) and the pipeline share it."""

from __future__ import annotations

import re
import unicodedata

_ACCENTED = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")  # Latin letters that may carry one
_ACCENTS = re.compile("[\u0300-\u036f]+")  # the combining marks of Latin letters
_UNACCENTED = str.maketrans("đĐøØłŁħĦ", "dDoOlLhH")  # letters no decomposition undoes


def one_form(text: str) -> str:
    """Text in the one form that matching compares: full- and half-width forms as one
    (NFKC: ``ＴＯＤ`` is ``TOD``, ``ｺﾝﾊﾟｸﾄ`` is ``コンパクト``, an ideographic space a
    space, as Japanese sites write them interchangeably), and Latin letters without
    their accents (``Bogotá`` is ``Bogota``, ``Đà Nẵng`` is ``Da Nang``). Kana keep their
    voicing marks, which are not Latin accents: ``が`` is not ``か``."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    if not _ACCENTED.search(text):  # most Japanese text: nothing more to do
        return text
    loose = _ACCENTS.sub("", unicodedata.normalize("NFD", text)).translate(_UNACCENTED)
    return unicodedata.normalize("NFC", loose)


def searchable(text: str) -> str:
    """Text as a search compares it: :func:`one_form` and case-folded, so ``ＴＯＤ``
    finds ``tod`` and ``ｺﾝﾊﾟｸﾄ`` finds ``コンパクト``."""
    return one_form(text).casefold()


_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}  # ぁ to ゖ: ァ to ヶ


def spellings(text: str) -> tuple[str, ...]:
    """``text``, and when it has hiragana the same in katakana: Japanese writes some words
    either way (``ごみ`` and ``ゴミ``, ``こども``, ``いじめ``), so a phrase written in
    hiragana finds both. Not the other way round: hiragana also writes the grammar, and
    ``バス`` (a bus) in hiragana is found in ``伸ばす``."""
    katakana = text if text.isascii() else text.translate(_KATAKANA)
    return (text,) if katakana == text else (text, katakana)


def mentions(text: str, forms: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of a phrase's ``forms`` (its :func:`spellings`)."""
    return any(form in text for form in forms)
