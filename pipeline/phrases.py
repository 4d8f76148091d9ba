"""Latin-script phrases found as whole words, as the taxonomy's terms and the sources'
filters find them: ``LRT`` in ``LRTの延伸`` (Japanese runs into it) but not in ``LRTX``,
``TOD`` in ``TOD corridors`` but not in ``today``; a phrase's words parted by spaces,
hyphens or underscores alike (``compact city`` finds ``compact-city``).
"""

from __future__ import annotations

import re

# A Latin phrase's word ends where no letter or digit of a script written with spaces
# follows (or goes before): kana, kanji, hangul, Thai, Lao, Khmer and Burmese run into
# Latin words without a space. (Checked in Python: these ranges in a regular expression's
# lookarounds took 5 to 20 ms to compile per phrase, a second for a taxonomy.)
_SPACELESS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # hangul jamo
    (0x1780, 0x17FF),  # Khmer
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3400, 0x4DBF),  # kanji
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xAC00, 0xD7AF),  # hangul syllables
)


def _continues_word(text: str, at: int) -> bool:
    """Whether the character at ``at`` (if any) would continue a Latin word there: a
    word character (as ``\\w`` reads it) of a script written with spaces."""
    if not 0 <= at < len(text):
        return False
    ch = text[at]
    if not (ch.isalnum() or ch == "_"):
        return False
    if ch.isascii():
        return True
    code = ord(ch)
    return not any(low <= code <= high for low, high in _SPACELESS)


def words_pattern(form: str) -> re.Pattern[str]:
    """The pattern of a Latin phrase (in its one form), case-insensitive, its words
    parted by any run of spaces, hyphens or underscores; :func:`found_whole` reads it as
    whole words."""
    return re.compile(r"[\s\-_]+".join(re.escape(word) for word in form.split()), re.I)


def found_whole(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` (:func:`words_pattern`) is in ``text`` as whole words: no
    letter or digit of a script written with spaces right before or after it, where the
    phrase begins or ends with one (``/kokusai/`` is in an address, ``C++`` before a
    letter)."""
    for match in pattern.finditer(text):
        start, end = match.span()
        if _continues_word(text, start) and _continues_word(text, start - 1):
            continue
        if not (_continues_word(text, end - 1) and _continues_word(text, end)):
            return True
    return False
