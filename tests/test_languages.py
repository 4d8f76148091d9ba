"""Language tags: what settings and outputs write is a tag every validator takes."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tdlc_syndication.config.languages import language_problem, language_tag

BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|[0-9]{3}))?$")
SUBTAGS = st.sampled_from(
    ["ja", "JA", "jpn", "en", "eng", "fil", "jp", "yue", "x", "Hant", "latn", "JP", "jp", "gb",
     "UK", "419", "999", "1996", "u", "ca", "", "é"]
)  # fmt: skip


@given(st.lists(SUBTAGS, min_size=1, max_size=5), st.sampled_from(["-", "_"]))
def test_a_tag_is_written_in_one_form_that_needs_no_fix(parts: list[str], sep: str) -> None:
    """Whatever an origin declares, the tag kept is well formed (language, then script,
    then region, each in its usual case), stays the same when read again, and is a tag
    the settings take without a problem."""
    tag = language_tag(sep.join(parts))
    if tag is not None:
        assert BCP47.match(tag), tag
        assert language_tag(tag) == tag
        assert language_problem(tag) is None


@given(st.text(max_size=80))
def test_any_text_gives_a_tag_or_none_and_a_problem_or_none(text: str) -> None:
    tag = language_tag(text)
    assert tag is None or BCP47.match(tag)
    problem = language_problem(text)
    assert (problem is None) == (
        tag is not None and tag.count("-") == text.replace("_", "-").count("-")
    )


def test_withdrawn_and_three_letter_codes_become_the_two_letter_code() -> None:
    assert [language_tag(v) for v in ["in", "iw", "jpn", "fre", "fra", "zho-TW"]] == [
        "id", "he", "ja", "fr", "fr", "zh-TW"
    ]  # fmt: skip
    assert language_tag("fil") == "fil"  # no two-letter code: kept as it is


def test_a_language_named_in_english_japanese_or_its_own_words_is_its_code() -> None:
    """``German``, ``英語`` (a Japanese repository's name for English), ``Tiếng Việt``,
    ``Bahasa Indonesia``: ten English names were read, and each of these was no language,
    so the item took its source's."""
    from tdlc_syndication.config.languages import named_language

    names = ["German", "英語", "日本語", "Tiếng Việt", "Bahasa  Indonesia", "ภาษาไทย", "한국어",
             "Español", "Tie\u0302\u0301ng Vie\u0323\u0302t", "Khmer", "モンゴル語"]  # fmt: skip
    assert [named_language(name) for name in names] == [
        "de", "en", "ja", "vi", "id", "th", "ko", "es", "vi", "km", "mn"
    ]  # fmt: skip
    assert named_language("Klingon") is None
    assert language_problem("Deutsch") == "'Deutsch' is the name of a language; its code is 'de'"
