"""How the program's languages write dates: the names of the months, in English as
worldbank.org writes them and in the languages of partner cities' own sites (in Latin
letters: Indonesian, Spanish, Portuguese, French, Filipino, Turkish, Swahili, and
Vietnamese months; Thai with its Buddhist-era years, Khmer, Lao, Russian and
Ukrainian, Arabic in its Egyptian, Levantine and Maghrebi names, Urdu, Hindi, Bengali;
Mongolian's numbered months); the weekdays a date heading may name; and which comes first
in a date written in numbers.

Each month pattern comes with the reader of its match, which gives the year, the month
and the day (None when the text names a month) or None when the match names no date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, Literal

from tdlc_syndication.config.languages import language_tag

Named = tuple[int, int, int | None]  # year, month, day (None: the month as a whole)
Reader = Callable[[re.Match[str]], Named | None]

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
# The months as partner cities' own sites name them, in Indonesian, Malay, Spanish,
# Portuguese, French, Filipino, Turkish and Swahili, with the abbreviations their lists use
# (Indonesian news; WordPress in Spanish, Portuguese and French: "4 dic. 2026", "Dic 4,
# 2026", "4 dez 2026", "le 4 déc. 2026"; "26 Kas 2026", "Nob. 26, 2026"): "26 Desember
# 2026", "26 Disember 2026", "26 de noviembre de 2026", "1er décembre 2026", "26 Kasım
# 2026". Only whole words between a day and a year (or before a year) count, so no
# common word is read as a month.
_PARTNER_MONTHS = (
    ("januari", "enero", "ene", "janeiro", "janvier", "janv", "ocak", "oca"),
    ("februari", "febrero", "fevereiro", "fev", "février", "févr", "fevrier", "fevr",
     "pebrero", "peb", "şubat", "subat", "şub", "sub"),
    ("maret", "marzo", "março", "marco", "mars", "marso", "mart", "machi", "mac"),
    ("abril", "abr", "avril", "avr", "nisan", "nis", "aprili"),
    ("mei", "mayo", "maio", "mai", "mayıs"),
    ("juni", "junio", "junho", "juin", "hunyo", "hun", "haziran", "haz"),
    ("juli", "julio", "julho", "juillet", "juil", "hulyo", "hul", "temmuz", "tem", "julai"),
    ("agustus", "agu", "agt", "agosto", "ago", "août", "aout", "ağustos", "agustos",
     "ağu", "ogos", "agosti"),
    ("septiembre", "setiembre", "setembro", "set", "septembre", "setyembre", "eylül",
     "eylul", "eyl", "septemba"),
    ("oktober", "okt", "octubre", "outubro", "out", "octobre", "oktubre", "ekim", "eki",
     "oktoba"),
    ("nopember", "nop", "noviembre", "novembro", "novembre", "nobyembre", "nob", "kasım",
     "kas", "novemba"),
    ("desember", "des", "diciembre", "dic", "dezembro", "dez", "décembre", "déc",
     "decembre", "disyembre", "disember", "dis", "aralık", "ara", "desemba"),
)  # fmt: skip


def fold(name: str) -> str:
    """A month's name as :data:`MONTHS` keys it: lower case, the Turkish dotless and dotted
    i as i (``KASIM``, ``Kasım`` and ``kasim`` are one; the patterns match them all)."""
    return name.lower().replace("ı", "i").replace("\u0307", "")


MONTHS.update({fold(name): n for n, names in enumerate(_PARTNER_MONTHS, start=1) for name in names})


def month_number(name: str) -> int:
    """The number of a month a pattern of this module matched by its name."""
    return MONTHS[fold(name)]


def trie(words: Iterable[str]) -> str:
    """A regular expression of ``words`` as a tree of their letters (``nov(?:ember|iembre
    )?``...): the engine tries the one branch a letter leads to, not every word in turn
    (which made a list of 70 month names cost half as much again as a list of 25)."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")" if len(branches) > 1 else branches[0]
        # Where a shorter word ends, the longer ones are tried first.
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


# A month name or its abbreviation, as a group (periods.py builds ranges with it), whole:
# "Nov" is never the start of "November" (a weekday pattern that may not be followed by a
# year took "26 Nov" of "26 November 2026" and lost the time after it).
MONTH_NAME = r"(" + trie(MONTHS) + r")(?![^\W\d_])\.?"
# A month named with its year alone ("November 2026") leaves out the partner names that
# are also words or names in running text ("Mars 2026 mission", "Mei", "Des Moines").
_ALSO_WORDS = {
    "mars", "mai", "mei", "des", "nop", "okt", "agu", "agt", "avril", "ocak", "ekim", "mart",
    "ago", "set", "out", "abr", "avr", "ene", "dic", "dez", "mac", "dis", "hun", "hul",
    "tem", "kas", "eki", "ara", "nis", "haz", "oca", "sub", "peb", "nob", "eyl",
}  # fmt: skip
_MONTH_ALONE = r"(" + trie(m for m in MONTHS if m not in _ALSO_WORDS) + r")(?![^\W\d_])\.?"
_OF = r"(?:del?\s+)?"  # Spanish and Portuguese: "26 de noviembre de 2026"
# A look at the first character before the lookbehinds: the engine then skips fast to where
# a date may start (a digit, a month's first letter); without it, each position tries them.
_DIGIT_FIRST = r"(?=\d)"
_NAME_FIRST = "(?=[" + re.escape("".join(sorted({name[0] for name in MONTHS}))) + "])"
# Vietnamese numbers its months: "tháng 11" (tháng: month), abbreviated "thg 11" (CLDR's,
# so browsers' and many sites'), "Thg 11", "Th11", "Th.11" (date pickers'); WordPress and
# date pickers also name them in words, "Tháng Mười Một" (Tháng Giêng: January). May's
# word, năm, is also "year": it counts capitalised only ("ngày  tháng  năm 2026" is a
# form's blanks).
_VI_WORDS = (
    ("giêng", "một"), ("hai",), ("ba",), ("tư",), ("năm",), ("sáu",), ("bảy",), ("tám",),
    ("chín",), ("mười",), ("mười một",), ("mười hai",),
)  # fmt: skip
_VI_NUMBERS = {
    name.replace(" ", ""): n for n, names in enumerate(_VI_WORDS, start=1) for name in names
}


def _vi_word(name: str) -> str:
    """A Vietnamese month's word as the pattern looks for it (May's capitalised only)."""
    return "(?-i:N)ăm" if name == "năm" else name.replace(" ", r"\s+")


_VI_MONTH = (  # the longer words first: mười hai before mười
    r"((?:tháng|thg\.?)\s*\d{1,2}|th(?:\.\s?)?\d{1,2}|tháng\s+(?:"
    + "|".join(_vi_word(name) for names in reversed(_VI_WORDS) for name in names)
    + r"))(?![^\W_])"
)
_VI_FIRST = r"(?=[tT])(?<![^\W\d_])"
_VI_TO_YEAR = r"(?:\s*[,/]\s*|\s+năm\s+|\s+)"  # năm: year


def _vietnamese_month(text: str) -> int:
    """The number of a month :data:`_VI_MONTH` matched: ``tháng 11``, ``Th.11``, ``Tháng
    Mười Một``."""
    digits = re.search(r"\d+", text)
    if digits:
        return int(digits.group())
    return _VI_NUMBERS[re.sub(r"\s+", "", text.lower()).removeprefix("tháng")]


_LATIN_SOURCES = (  # each compiled with re.I
    # November 26, 2026 / Nov. 26, 2026 / Nov 26th 2026 / Nov.26, 2026 (as Japanese sites
    # write it in English)
    (
        rf"{_NAME_FIRST}(?<![A-Za-z]){MONTH_NAME}(?:\s+|(?<=\.))(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})",
        "mdy",
    ),
    # 26 November 2026 / 26 Nov. 2026 / 26 de noviembre de 2026 / 1er décembre 2026 /
    # the 26th of November 2026 ("of" after an English ordinal only: "3 of Mars 2026" is none)
    (
        rf"{_DIGIT_FIRST}(?<!\d)(\d{{1,2}})(?:(?:st|nd|rd|th)\s+of|(?:st|nd|rd|th|er|º)?)\s+"
        rf"{_OF}{MONTH_NAME},?\s+"
        rf"{_OF}(\d{{4}})",
        "dmy",
    ),
    # 26-Nov-2026, as spreadsheets and many databases write a day
    (rf"{_DIGIT_FIRST}(?<![\d-])(\d{{1,2}})-{MONTH_NAME}-(\d{{4}})(?![\d-])", "dmy"),
    # November 2026 / noviembre de 2026
    (
        rf"{_NAME_FIRST}(?<![^\W\d_]){_MONTH_ALONE},?\s+{_OF}(\d{{4}})(?!\d)",
        "my",
    ),
    # Vietnamese (below): "ngày 26 tháng 11 năm 2026", "26 thg 11, 2026", "26 Th11 2026",
    # "26 Tháng Mười Một, 2026"; "Tháng Mười Một 26, 2026"; "tháng 11 năm 2026", "Tháng
    # 11/2026"
    (rf"{_DIGIT_FIRST}(?<!\d)(\d{{1,2}})\s+{_VI_MONTH}{_VI_TO_YEAR}(\d{{4}})(?!\d)", "dvy"),
    (rf"{_VI_FIRST}{_VI_MONTH}\s+(\d{{1,2}})(?!\d),\s*(\d{{4}})(?!\d)", "vdy"),
    (rf"{_VI_FIRST}{_VI_MONTH}{_VI_TO_YEAR}(\d{{4}})(?!\d)", "vy"),
)


def _in_order(order: str) -> Reader:
    """The reader of a pattern whose groups are, in ``order``: ``d`` the day, ``m`` a
    month's name, ``n`` a month's number, ``v`` a Vietnamese month, ``y`` the year."""

    def read(match: re.Match[str]) -> Named:
        parts = dict(zip(order, match.groups(), strict=True))
        day = parts.get("d")
        return int(parts["y"]), _month_of(parts), None if day is None else int(day)

    return read


def _month_of(parts: dict[str, str]) -> int:
    """The month of a match's groups: its number, its Vietnamese words or its name."""
    if "n" in parts:
        return int(parts["n"])
    if "v" in parts:
        return _vietnamese_month(parts["v"])
    return month_number(parts["m"])


# -- Other scripts ------------------------------------------------------------------------
# Thai sites write "26 พฤศจิกายน 2569", "วันพฤหัสบดีที่ 26 พ.ย. 69" or "๒๖ พ.ย. ๒๕๖๙": the
# year is of the Buddhist era (พ.ศ., 543 years ahead), in full or its last two digits, unless
# marked ค.ศ. (the Common Era). Khmer sites write "ថ្ងៃទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦" in the Common
# Era; a Khmer Buddhist-era year turns in April or May, so it is read as no date. The others
# write the day, the month's name and the year of the Common Era, in full: "26 ноября 2026
# г.", "26 листопада 2026", "26 نوفمبر 2026", "26 تشرين الثاني 2026", "26 نومبر 2026", "26
# नवंबर 2026", "২৬ নভেম্বর ২০২৬". Digits of any script are digits to the patterns and int().
_THAI_MONTHS = (
    ("มกราคม", "ม.ค"), ("กุมภาพันธ์", "ก.พ"), ("มีนาคม", "มี.ค"), ("เมษายน", "เม.ย"),
    ("พฤษภาคม", "พ.ค"), ("มิถุนายน", "มิ.ย"), ("กรกฎาคม", "ก.ค"), ("สิงหาคม", "ส.ค"),
    ("กันยายน", "ก.ย"), ("ตุลาคม", "ต.ค"), ("พฤศจิกายน", "พ.ย"), ("ธันวาคม", "ธ.ค"),
)  # fmt: skip
_KHMER_MONTHS = (
    ("មករា",), ("កុម្ភៈ",), ("មីនា",), ("មេសា",), ("ឧសភា",), ("មិថុនា",),
    ("កក្កដា",), ("សីហា",), ("កញ្ញា",), ("តុលា",), ("វិច្ឆិកា",), ("ធ្នូ",),
)  # fmt: skip
_LAO_MONTHS = (
    ("ມັງກອນ",), ("ກຸມພາ",), ("ມີນາ",), ("ເມສາ",), ("ພຶດສະພາ",), ("ມິຖຸນາ",),
    ("ກໍລະກົດ",), ("ສິງຫາ",), ("ກັນຍາ",), ("ຕຸລາ",), ("ພະຈິກ",), ("ທັນວາ",),
)  # fmt: skip
# Burmese, as Yangon's and Mandalay's notices name the months of the Common Era:
# "၂၆ နိုဝင်ဘာ ၂၀၂၆", "၂၀၂၆ ခုနှစ်၊ နိုဝင်ဘာလ ၂၆ ရက်" (the year; the month; the day).
_MYANMAR_MONTHS = (
    ("ဇန်နဝါရီ",), ("ဖေဖော်ဝါရီ",), ("မတ်",), ("ဧပြီ",), ("မေ",), ("ဇွန်",),
    ("ဇူလိုင်",), ("ဩဂုတ်", "သြဂုတ်"), ("စက်တင်ဘာ",), ("အောက်တိုဘာ",), ("နိုဝင်ဘာ",),
    ("ဒီဇင်ဘာ",),
)  # fmt: skip
# Tamil and Sinhala, as Colombo's and Chennai's sites name the months (CLDR's names;
# Sinhala's April with or without the joiner between its consonants): "26 நவம்பர் 2026",
# "2026 නොවැම්බර් 26", "2026 නොවැම්බර් මස 26 වැනිදා" (the month; the day).
_TAMIL_MONTHS = (
    ("ஜனவரி",), ("பிப்ரவரி",), ("மார்ச்",), ("ஏப்ரல்",), ("மே",), ("ஜூன்",), ("ஜூலை",),
    ("ஆகஸ்ட்",), ("செப்டம்பர்",), ("அக்டோபர்",), ("நவம்பர்",), ("டிசம்பர்",),
)  # fmt: skip
_SINHALA_MONTHS = (
    ("ජනවාරි",), ("පෙබරවාරි",), ("මාර්තු",), ("අප්\u200dරේල්", "අප්රේල්"), ("මැයි",),
    ("ජූනි",), ("ජූලි",), ("අගෝස්තු",), ("සැප්තැම්බර්",), ("ඔක්තෝබර්",), ("නොවැම්බර්",),
    ("දෙසැම්බර්",),
)  # fmt: skip
# Russian and Ukrainian (the day's month, then the month itself), Arabic (Egypt and the
# Gulf, the Levant, the Maghreb), Urdu, Hindi and Bengali, with their usual spellings.
_COMMON_ERA_MONTHS = (
    ("января", "январь", "січня", "січень", "يناير", "كانون الثاني", "جانفي", "جنوری",
     "जनवरी", "জানুয়ারি", "জানুয়ারী"),
    ("февраля", "февраль", "лютого", "лютий", "فبراير", "شباط", "فيفري", "فروری", "फ़रवरी",
     "फरवरी", "ফেব্রুয়ারি", "ফেব্রুয়ারী"),
    ("марта", "март", "березня", "березень", "مارس", "آذار", "مارچ", "मार्च", "মার্চ"),
    ("апреля", "апрель", "квітня", "квітень", "أبريل", "ابريل", "إبريل", "نيسان", "أفريل",
     "اپریل", "अप्रैल", "এপ্রিল"),
    ("мая", "май", "травня", "травень", "مايو", "أيار", "ماي", "مئی", "मई", "মে"),
    ("июня", "июнь", "червня", "червень", "يونيو", "حزيران", "جوان", "جون", "जून", "জুন"),
    ("июля", "июль", "липня", "липень", "يوليو", "تموز", "يوليوز", "جويلية", "جولائی", "जुलाई",
     "জুলাই"),
    ("августа", "август", "серпня", "серпень", "أغسطس", "اغسطس", "آب", "غشت", "أوت", "اگست",
     "अगस्त", "আগস্ট"),
    ("сентября", "сентябрь", "вересня", "вересень", "سبتمبر", "أيلول", "شتنبر", "ستمبر",
     "सितंबर", "सितम्बर", "সেপ্টেম্বর"),
    ("октября", "октябрь", "жовтня", "жовтень", "أكتوبر", "اكتوبر", "تشرين الأول", "اکتوبر",
     "अक्टूबर", "अक्तूबर", "অক্টোবর"),
    ("ноября", "ноябрь", "листопада", "листопад", "نوفمبر", "تشرين الثاني", "نونبر", "نومبر",
     "नवंबर", "नवम्बर", "নভেম্বর"),
    ("декабря", "декабрь", "грудня", "грудень", "ديسمبر", "كانون الأول", "دجنبر", "دسمبر",
     "दिसंबर", "दिसम्बर", "ডিসেম্বর"),
)  # fmt: skip
# Russian's and Ukrainian's short months, as news lists write them ("22 сент. 2021",
# "12 нояб. 2026", "5 лист. 2026", "3 дек 2026"): with a day and a year only, never
# with a year alone (лист is also "a letter", мар a word of its own).
_CYRILLIC_SHORT_MONTHS = (
    ("янв",), ("фев", "февр"), ("мар",), ("апр",), (), ("июн",), ("июл",), ("авг",),
    ("сен", "сент"), ("окт",), ("ноя", "нояб"), ("дек",),
)  # fmt: skip
_UKRAINIAN_SHORT_MONTHS = (
    ("січ",), ("лют",), ("бер", "берез"), ("квіт",), ("трав",), ("черв",), ("лип",),
    ("серп",), ("вер", "верес"), ("жовт",), ("лист", "листоп"), ("груд",),
)  # fmt: skip
THAI_ERA = 543  # พ.ศ. 2569 is 2026
Calendar = Literal["thai", "khmer", "common"]  # how a script's years are read


def _named(
    table: tuple[tuple[str, ...], ...], calendar: Calendar
) -> dict[str, tuple[int, Calendar]]:
    # In the form the text is searched in (NFKC: Hindi's फ़ and Bengali's য় as two letters).
    return {
        fold(unicodedata.normalize("NFKC", name)): (n, calendar)
        for n, names in enumerate(table, start=1)
        for name in names
    }


_IN_SCRIPT = {
    **_named(_THAI_MONTHS, "thai"),
    **_named(_KHMER_MONTHS, "khmer"),
    **_named(_COMMON_ERA_MONTHS, "common"),
    **_named(_CYRILLIC_SHORT_MONTHS, "common"),
    **_named(_UKRAINIAN_SHORT_MONTHS, "common"),
    **_named(_LAO_MONTHS, "common"),
    **_named(_MYANMAR_MONTHS, "common"),
    **_named(_TAMIL_MONTHS, "common"),
    **_named(_SINHALA_MONTHS, "common"),
}
# The names of the scripts whose dates also go year first (their own patterns, below).
_MYANMAR_NAMES = list(_named(_MYANMAR_MONTHS, "common"))
_SINHALA_NAMES = list(_named(_SINHALA_MONTHS, "common"))
# Names that count with a year alone: not the Thai abbreviations (ก.พ. is also an office).
_SHORT_NAMES = {
    *_named(_CYRILLIC_SHORT_MONTHS, "common"),
    *_named(_UKRAINIAN_SHORT_MONTHS, "common"),
}
_IN_SCRIPT_ALONE = [name for name in _IN_SCRIPT if "." not in name and name not in _SHORT_NAMES]
# "On Thursday the": วันพฤหัสบดีที่ 26, ថ្ងៃព្រហស្បតិ៍ ទី២៦ (the weekday may be left out); Lao
# "the date": ວັນທີ 26.
_ON_DAY = (
    r"(?:(?:วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)?\s*ที่"
    r"|ថ្ងៃ(?:ច័ន្ទ|អង្គារ|ពុធ|ព្រហស្បតិ៍|សុក្រ|សៅរ៍|អាទិត្យ)?\s*ទី|ວັນທີ)\s*)?"
)
_ERA_MARK = r"(?:(?P<e>พ\.\s?ศ\.|ค\.\s?ศ\.|ឆ្នាំ)\s*)?"  # ឆ្នាំ: year
_KHMER_MONTH = r"(?:ខែ\s*)?"  # ខែ: month
_SCRIPT_SOURCES = (  # each compiled with re.I
    # 26 พฤศจิกายน 2569 / 26 พ.ย. 69 / ថ្ងៃទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦ / 26 ноября 2026 / 26 نوفمبر، 2026
    rf"{_ON_DAY}(?<!\d)(?P<d>\d{{1,2}})\s*{_KHMER_MONTH}(?P<m>{trie(_IN_SCRIPT)})\.?[,،]?\s*"
    rf"{_ERA_MARK}(?P<y>\d{{4}}|\d{{2}})(?!\d)",
    # दिसंबर 10, 2026 / ডিসেম্বর ১০, ২০২৬ / ديسمبر 10، 2026: the month first, as WordPress
    # writes a date in these languages by its default format ("F j, Y"); without the comma
    # too ("সেপ্টেম্বর 03 2014"), as an English date may be
    rf"(?:(?<=[\u0E00-\u0EFF])|(?<![^\W\d_])){_KHMER_MONTH}(?P<m>{trie(_IN_SCRIPT_ALONE)})\s*"
    rf"(?P<d>\d{{1,2}})(?!\d)(?:\s*[,،]\s*|\s+){_ERA_MARK}(?P<y>\d{{4}})(?!\d)",
    # พฤศจิกายน 2569 / ខែវិច្ឆិកា ឆ្នាំ២០២៦ / ноябрь 2026 (a whole word, but in Thai and Lao,
    # written without spaces)
    rf"(?:(?<=[\u0E00-\u0EFF])|(?<![^\W\d_])){_KHMER_MONTH}(?P<m>{trie(_IN_SCRIPT_ALONE)}),?\s*{_ERA_MARK}(?P<y>\d{{4}})(?!\d)",
    # ၂၀၂၆ ခုနှစ်၊ နိုဝင်ဘာလ ၂၆ ရက် (Burmese: the year ခုနှစ်, the month လ, the day ရက်)
    rf"(?<!\d)(?P<y>\d{{4}})\s*ခုနှစ်\s*[၊,]?\s*(?P<m>{trie(_MYANMAR_NAMES)})\s*လ?\s*"
    rf"(?:(?P<d>\d{{1,2}})\s*ရက်)?",
    # 2026 නොවැම්බර් 26, 2026 නොවැම්බර් මස 26 වැනිදා (Sinhala: the year, the month, the day)
    rf"(?<!\d)(?P<y>\d{{4}})\s*(?P<m>{trie(_SINHALA_NAMES)})\s*(?:මස\s*)?"
    rf"(?:(?P<d>\d{{1,2}})(?!\d)(?:\s*වැනිදා)?)?",
)


def _in_script(match: re.Match[str]) -> Named | None:
    """A date of one of the other scripts: its year in the Common Era, or None when it
    cannot be told."""
    era, digits = match.groupdict().get("e") or "", match.group("y")
    month, calendar = _IN_SCRIPT[fold(match.group("m"))]
    day = match.groupdict().get("d")
    year = int(digits)
    if calendar != "thai":
        if len(digits) < 4 or year >= 2400:
            return None
    elif len(digits) == 2:
        year += 2000 if era.startswith("ค") else 2500 - THAI_ERA
    elif year >= 2400:
        if era.startswith("ค"):
            return None
        year -= THAI_ERA
    return year, month, None if day is None else int(day)


# Cyrillic, Arabic (and Urdu), Devanagari, Bengali, Tamil, Sinhala, Thai, Lao, Myanmar,
# Khmer.
_OTHER_SCRIPT = re.compile(
    r"[\u0400-\u04FF\u0600-\u06FF\u0900-\u097F\u0980-\u09FF\u0B80-\u0BFF\u0D80-\u0DFF"
    r"\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF]"
)


def month_patterns(value: str) -> tuple[tuple[re.Pattern[str], Reader], ...]:
    """The patterns of dates with a month's name that may match ``value``, each with its
    reader: those of the other scripts only for a text with letters of theirs (a look for
    one costs a tenth of a search for their dates)."""
    return _all_read() if _OTHER_SCRIPT.search(value) else _latin_read()


# These patterns name every month of every partner language: compiling them takes longer
# than anything else this module does, so it waits for the first date that is read (a run
# whose sources all answer "not modified" reads none).
@cache
def _latin_read() -> tuple[tuple[re.Pattern[str], Reader], ...]:
    return tuple((re.compile(p, re.I), _in_order(order)) for p, order in _LATIN_SOURCES)


# Mongolian numbers its months: "2026 оны 11 сарын 26", "2026 оны 11-р сарын 26-ны өдөр",
# "2026 оны 11 дүгээр сарын 26-нд" (оны: of the year; сарын: of the month; -р, дүгээр: -th;
# -ны өдөр: the day of, -ны өдрийн: of the day of; -нд: on).
_MONGOLIAN = (
    r"(?<!\d)(\d{4})\s*оны\s*(\d{1,2})\s*(?:-?\s*(?:р|дугаар|дүгээр)\s*)?сарын"
    r"(?:\s*(\d{1,2})(?!\d)(?:\s*-?\s*(?:ны|нд)(?:\s*(?:өдөр|өдрийн))?(?!\w))?)?"
)


@cache
def _all_read() -> tuple[tuple[re.Pattern[str], Reader], ...]:
    return (
        *_latin_read(),
        *((re.compile(p, re.I), _in_script) for p in _SCRIPT_SOURCES),
        (re.compile(_MONGOLIAN, re.I), _in_order("ynd")),
    )


# -- dates written in numbers, day or month first -----------------------------------------
# 26/11/2026, 26.11.2026, 26-11-2026: which comes first is the writer's language's custom,
# so such a date is read only where the language is known (a page's lang, a source's
# language): the day first in most of the program's partner languages and in English
# outside the US and the Philippines, the month first there. Thai years are Buddhist-era.
# The Unicode CLDR writes each language's short date day first (Danish's `dd.MM.y`,
# Hebrew's `d.M.y`, Tamil's `d/M/yy`) but Sinhala's and Nepali's, year first: a date of
# theirs in numbers with the year last is read day first.
NumericOrder = Literal["dmy", "mdy", "dmy-thai"]
_DAY_FIRST_LANGUAGES = frozenset({
    "id", "ms", "vi", "km", "lo", "my", "es", "pt", "fr", "it", "de", "nl", "ru", "uk", "tr",
    "ar", "ur", "hi", "bn", "ne", "si", "sw", "el", "pl", "cs", "ro", "sr", "hr", "bg", "ka",
    "hy", "az", "kk", "uz",
    # the Nordic and Baltic languages, the rest of Europe's, South Asia's and Africa's
    "da", "nb", "nn", "no", "fi", "is", "fo", "et", "lv", "sk", "sl", "mk", "be", "sq", "bs",
    "ca", "gl", "ga", "cy", "lb", "mt", "he", "ky", "tg", "tk", "ta", "te", "ml", "mr", "gu",
    "kn", "pa", "am", "so", "ha", "yo", "ig",
})  # fmt: skip
_DAY_FIRST_ENGLISH = frozenset({
    "GB", "IE", "AU", "NZ", "IN", "PK", "BD", "LK", "NP", "MY", "SG", "ZA", "KE", "NG", "GH",
    "TZ", "UG", "ZM", "ZW", "RW", "ET", "JM",
})  # fmt: skip
_MONTH_FIRST = frozenset({"en-US", "en-PH", "fil", "tl"})
NUMERIC = re.compile(
    r"(?=\d)(?<!\d)(?<!\d[/.\-])(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d|[/.\-]\d)"
)


def numeric_order(language: str | None) -> NumericOrder | None:
    """How ``language`` (a tag: ``id``, ``en-GB``, ``th``) writes a date in numbers: day or
    month first (``dmy-thai``: day first, the year Buddhist-era), or None where it cannot
    be told (``en`` alone; Japanese, Chinese and Korean put the year first, read anyway)."""
    tag = language_tag(language) if language else None
    if tag is None:
        return None
    parts = tag.split("-")
    primary, region = parts[0], parts[-1] if len(parts) > 1 else ""
    if primary in _MONTH_FIRST or f"{primary}-{region}" in _MONTH_FIRST:
        return "mdy"
    if primary == "th":
        return "dmy-thai"
    if primary in _DAY_FIRST_LANGUAGES or (primary == "en" and region in _DAY_FIRST_ENGLISH):
        return "dmy"
    return None


def read_numeric(match: re.Match[str], order: NumericOrder) -> tuple[int, int, int] | None:
    """The year, month and day of a match of :data:`NUMERIC` written in ``order``; None
    for a Buddhist-era year where the language is not Thai."""
    first, _, second, digits = match.groups()
    day, month = (second, first) if order == "mdy" else (first, second)
    year = int(digits)
    if year >= 2400:  # a Buddhist-era year: Thai pages only
        if order != "dmy-thai":
            return None
        year -= THAI_ERA
    return year, int(month), int(day)


# Weekdays as partner cities' headings write them (Indonesian, Spanish, Portuguese,
# French, Vietnamese, Turkish, Russian, Arabic, Hindi): "Kamis, 26 November 2026".
_PARTNER_WEEKDAYS = (
    "senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu",
    "lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado",
    "domingo", "segunda-feira", "terça-feira", "terca-feira", "quarta-feira",
    "quinta-feira", "sexta-feira", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
    "samedi", "dimanche", "thứ hai", "thứ ba", "thứ tư", "thứ năm", "thứ sáu", "thứ bảy",
    "chủ nhật", "pazartesi", "salı", "çarşamba", "perşembe", "cumartesi", "cuma", "pazar",
    "понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье",
    "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد",
    "सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार", "रविवार",
)  # fmt: skip
_WEEKDAY_NAMES = trie(_PARTNER_WEEKDAYS).replace(r"\ ", r"\s+")  # thứ năm: any blanks


@cache
def weekday_word() -> re.Pattern[str]:
    """A weekday's name, English (any word that starts as one) or a partner language's,
    whole (compiled at its first use, as the month patterns are)."""
    return re.compile(
        r"(?<![a-z])(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?"
        rf"|(?<![^\W\d_]){_WEEKDAY_NAMES}(?![^\W\d_])",
        re.I,
    )
