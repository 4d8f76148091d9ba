"""The outputs' own words (headings, labels, the generated titles and descriptions of
feeds) in the languages they are written in: English, and Japanese for a site whose
language is Japanese. The templates write theirs in both languages (``t("Search",
"検索")``, ``pages.either_language``); the words that code writes are here."""

from __future__ import annotations

from tdlc_syndication.config.languages import base_language

UI_LANGUAGES = ("en", "ja")  # the languages the outputs' own words are written in

# The words code writes, in Japanese; a word missing here is written in English.
JAPANESE = {
    "undated": "日付なし",
    ": ": "：",
    "Topic": "トピック",
    "City": "都市",
    "Kind": "種類",
    "Events calendar": "イベントカレンダー",
    "Main feeds": "主なフィード",
    "Topics": "トピック別",
    "Places": "都市別",
    "Kinds": "種類別",
    "Languages": "言語別",
    "Highlights": "注目の資料",
    "From the archive": "過去の資料から",
    "Upcoming events": "今後のイベント",
    ": weekly digest": "：週刊ダイジェスト",
    ": events · ": "：イベント · ",
    ": every item once, by kind": "：すべての資料を一度ずつ（種類別）",
    "Every week's new materials in one issue.": "毎週の新着資料を1号にまとめてお届けします。",
    "Events that have not ended yet, soonest first.": "終わっていないイベント（開催日の近い順）。",
    # Feed descriptions: {label} is the term's label, {site} the site's title.
    "Everything published by {site}": "{site}が公開するすべての資料",
    "Search the materials of {site}": "{site}の資料を検索",
    "Materials and news about {label}.": "{label}に関する資料とニュース。",
    "Every {label} published.": "公開されたすべての{label}。",
    "Everything in {label}.": "{label}で書かれたすべての資料。",
}


def japanese(language: str) -> bool:
    """Whether the outputs' own words are Japanese: a site whose language is ``ja``."""
    return base_language(language) == "ja"


def say(language: str, english: str, **values: str) -> str:
    """One of the outputs' own words, in the site's ``language``, its ``{names}`` filled
    with ``values``."""
    text = JAPANESE.get(english, english) if japanese(language) else english
    return text.format(**values) if values else text
