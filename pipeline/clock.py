"""Times of day as text writes them, and the zones written after them: ``13時30分``,
``午後1時``, ``10:00 a.m.``, ``14 h 30``, ``pukul 09.00 WIB``, ``เวลา 13.30 น.``,
``10:00 (GMT+7)``, ``9:30 am (Manila)``, ``02:00 PM Jakarta``; the ends of their ranges
(``1:30 – 3:00 PM``) and a time written before its date (``8h00, ngày 26/11/2026``).
``dates.py`` reads the dates they belong to, ``periods.py`` the periods.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from tdlc_syndication.pipeline.locales import weekday_word

# Zone names feeds write that the email parser does not know (it reads them as no zone:
# the source's). Only names that mean one zone: IST (India, Ireland, Israel) and BST are
# left to the source's zone.
ZONE_NAMES = {
    "JST": "+0900", "KST": "+0900", "WIT": "+0900", "HKT": "+0800", "SGT": "+0800",
    "PHT": "+0800", "MYT": "+0800", "AWST": "+0800", "WITA": "+0800", "ICT": "+0700",
    "WIB": "+0700", "NPT": "+0545", "PKT": "+0500", "AEST": "+1000", "AEDT": "+1100",
    "ACST": "+0930", "NZST": "+1200", "NZDT": "+1300", "MSK": "+0300", "EAT": "+0300",
    "EET": "+0200", "EEST": "+0300", "CET": "+0100", "CEST": "+0200", "CAT": "+0200",
    "SAST": "+0200", "WAT": "+0100", "WET": "+0000", "WEST": "+0100", "BRT": "-0300",
    "ART": "-0300", "HST": "-1000", "AKST": "-0900", "AKDT": "-0800",
    # North America's, as World Bank and other Washington pages write a time (not CST: it
    # is China's too, nor IST, BST: India's and Ireland's, Bangladesh's and Britain's)
    "EST": "-0500", "EDT": "-0400", "MST": "-0700", "MDT": "-0600", "PST": "-0800",
    "PDT": "-0700",
}  # fmt: skip
# A time named by a city's clock, as pages of events across partner cities write it:
# "10:00 Tokyo time", "14:00 (Jakarta time)", "9:30 am (Manila)".
_CITY_ZONES = {
    "tokyo": "Asia/Tokyo", "jakarta": "Asia/Jakarta", "manila": "Asia/Manila",
    "bangkok": "Asia/Bangkok", "hanoi": "Asia/Ho_Chi_Minh", "ho chi minh": "Asia/Ho_Chi_Minh",
    "kuala lumpur": "Asia/Kuala_Lumpur", "singapore": "Asia/Singapore",
    "delhi": "Asia/Kolkata", "dhaka": "Asia/Dhaka", "colombo": "Asia/Colombo",
    "kathmandu": "Asia/Kathmandu", "yangon": "Asia/Yangon", "phnom penh": "Asia/Phnom_Penh",
    "vientiane": "Asia/Vientiane", "ulaanbaatar": "Asia/Ulaanbaatar", "seoul": "Asia/Seoul",
    "nairobi": "Africa/Nairobi", "addis ababa": "Africa/Addis_Ababa", "accra": "Africa/Accra",
    "lagos": "Africa/Lagos", "cairo": "Africa/Cairo", "istanbul": "Europe/Istanbul",
    "washington": "America/New_York", "new york": "America/New_York",
    "london": "Europe/London", "paris": "Europe/Paris", "geneva": "Europe/Zurich",
    "mexico city": "America/Mexico_City", "lima": "America/Lima", "bogota": "America/Bogota",
    "sao paulo": "America/Sao_Paulo", "buenos aires": "America/Argentina/Buenos_Aires",
}  # fmt: skip
# How a city's name may be written, where more than its name in the table: the rest are
# their words, any blanks between.
_CITY_SPELLED = {
    "ho chi minh": r"ho\s+chi\s+minh(?:\s+city)?", "delhi": r"(?:new\s+)?delhi",
    "washington": r"washington(?:,?\s*d\.?\s?c\.?)?", "bogota": "bogot[aá]",
    "sao paulo": r"s[aã]o\s+paulo",
}  # fmt: skip
_CITY = "(?P<city>{})".format(
    "|".join(
        _CITY_SPELLED.get(name, r"\s+".join(map(re.escape, name.split())))
        for name in sorted(_CITY_ZONES, key=len, reverse=True)
    )
)
_CITY_TIMES = (  # in brackets, "time" or not; or before "time"
    re.compile(rf"\s*\(\s*{_CITY}(?:\s+(?:standard\s+)?time)?(?:,[^()]{{1,12}})?\s*\)", re.I),
    re.compile(rf"\s*{_CITY}\s+(?:standard\s+)?time\b", re.I),
    # As Zoom's invitations name a meeting's zone ("02:00 PM Jakarta", "10:00 AM Osaka,
    # Sapporo, Tokyo", "09:00 AM Kuala Lumpur, Singapore"): the names end the line or are
    # followed by a mark ("10:00 Washington Hotel" names a place, not a clock).
    re.compile(rf"\s*(?:in\s+)?(?:[a-z]+,\s*){{0,3}}{_CITY}(?=\s*(?:$|[\n.;,)|]))", re.I),
)
# The North American zones by their names ("09:00 AM Eastern Time (US and Canada)", as Zoom
# writes them; "10:00 a.m. Eastern Time"), summer or not.
_NAMED_TIMES = {
    "eastern": "America/New_York", "central": "America/Chicago",
    "mountain": "America/Denver", "pacific": "America/Los_Angeles",
}  # fmt: skip
_NAMED_TIME = re.compile(
    r"\s*\(?(eastern|central|mountain|pacific)\s+(?:standard\s+|daylight\s+)?time\b"
    r"(?:\s*\(\s*us\s+(?:and|&)\s+canada\s*\))?\)?",
    re.I,
)


def _city_zone(name: str) -> ZoneInfo:
    """The zone of a city :data:`_CITY` matched."""
    key = " ".join(name.lower().replace("ã", "a").replace("á", "a").split())
    return ZoneInfo(next(zone for city, zone in _CITY_ZONES.items() if city in key))


# North America's times without their season ("10:00 AM ET", as the World Bank's events
# in Washington write them): their zones, summer or not.
SEASONLESS = {
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}  # fmt: skip


def own_abbreviation(name: str, tz: tzinfo) -> bool:
    """Whether ``name``, written after a time, is ``tz``'s own abbreviation (in winter or
    summer, in this decade and the last): then it means that zone, whatever
    :data:`ZONE_NAMES` says. Python's ``%Z`` and PHP's ``T`` write Manila's time as
    ``PST``, Shanghai's as ``CST``, Kolkata's as ``IST``; a source in Manila dated its
    items sixteen hours late, as Pacific time."""
    return name in _abbreviations(tz)


# The years whose abbreviations a zone is known by: fixed, so that reading a date does
# not depend on the day it is read (the context's clock is the only one a run reads).
_NAMED_YEARS = range(2017, 2036)  # since tzdata 2017 renamed the invented abbreviations


@cache
def _abbreviations(tz: tzinfo) -> frozenset[str]:
    """``tz``'s abbreviations in winter and summer of :data:`_NAMED_YEARS`."""
    return frozenset(
        name
        for year in _NAMED_YEARS
        for month in (1, 7)
        if (name := datetime(year, month, 15, 12, tzinfo=tz).tzname()) is not None
    )


def utc_offset(sign: str, hours: str, minutes: str | None = None) -> timedelta | None:
    """The offset from UTC a sign (``+``, ``-``, or the minus sign U+2212), hours and
    minutes write; None for one no zone has (past 14 hours, or 60 minutes or more)."""
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if delta > timedelta(hours=14) or int(minutes or 0) >= 60:
        return None
    return -delta if sign in ("-", "\u2212") else delta


# Between the start of a range and its end: ～ (NFKC makes it ~), 〜, dashes, から and 至,
# and the words for "to" of the program's languages (to, until, à, às, au, al, a las, até,
# hasta, đến, sampai, hingga, s.d. and s/d: Indonesian "sampai dengan"; Russian до, Arabic
# إلى and حتى; Hindi से and Bengali থেকে, "from", written between the two).
RANGE_TO = (
    r"\s*(?:[~〜\-‐‑–—―−]|から|至|(?:to|until|till|through|thru|à|às|au|al|a(?:\s+las?)?|até"
    r"|hasta|đến|sampai|hingga|s\.\s?d\.|s/d|до|से|থেকে|إلى|الى|حتى)(?!\w))\s*"
)
_RANGE_TO = re.compile(RANGE_TO, re.I)

# The label of a time written on its own after a date, as event pages list them ("Date: 26
# November 2026 Time: 10:00", 日時：12月3日（木） 時間：13時30分, 受付：9時30分 (reception),
# 開会：10時 (opening), "Waktu: 09.00 WIB", "Hora: 10:00", "Horário: 9h", "Heure : 10h",
# "Thời gian: 8h00"), with its colon.
_TIME_LABEL = (
    r"(?:time|hours|(?:開催)?時間|時刻|開会|開始|開演|開場|受付(?:開始)?"
    r"|waktu|hora|horario|horário|heure|horaire|thời\s+gian|เวลา|시간|时间)"
)
# Between a date and its time: blanks, a comma, and the marks sites put there (Drupal's
# "Thursday, November 26, 2026 - 10:00", The Events Calendar's "November 26, 2026 @ 2:00
# pm", "Nov 26, 2026 | 14:00", Eventbrite's "Thursday, December 10 · 7:30 - 9pm JST"), a
# weekday in brackets, and the word for "at" or "from" of
# the program's languages: Vietnamese "lúc 10:00", Indonesian "pukul 14.00" (the clock word
# that lets a dot part hour and minute), Portuguese "às 10h", French "à 10h30", Spanish "a
# las 10:00", Turkish "saat 10:00", Russian "в 14:00", "с 10:00" (from), Arabic "الساعة
# 2:00", Hindi "को" (on).
_BEFORE_TIME = (
    # after a date its "year" or era, as Russian and Arabic write them: г., года; م (AD)
    r"^[\s,、.،]*(?:(?:г\.?|года|م)(?![^\W\d_])[\s,.،]*)?"
    r"(?:[-–—@|/·•]\s*)?(?:[(（][^)）]*[)）]\s*(?:[,、|/]\s*)?)?"
    rf"(?:{_TIME_LABEL}\s*:\s*)?"
    r"(?:(?:at|from|(?:vào\s+)?lúc|từ|(?:a\s+partir\s+)?d?[aà]s|à|de(?:sde)?(?:\s+las?)?"
    r"|a\s+las?|saat|(?:វេលា)?ម៉ោង|ເວລາ|в|с|со|(?:(?:في|من)\s+)?الساعة|من|को"
    r"|(?P<clock>pukul|pkl\.?|jam)\s*:?)(?![^\W\d_])\s*)?"
    r"(?:[(（][^)）]*[)）])?\s*"
)

# The parts of the day Hindi, Bengali and Burmese write before the hour, or after it ("दोपहर
# 2 बजे", "বিকাল ৩টা", "ညနေ ၂ နာရီ"; "10 बजे सुबह"): the morning, midday, the afternoon
# and the evening, the night (in the form the text is searched in: NFKC).
_SOUTH_ASIAN = {
    unicodedata.normalize("NFKC", word): half
    for word, half in (
        ("सुबह", "a"), ("दोपहर", "n"), ("शाम", "p"), ("रात", "e"),
        ("সকাল", "a"), ("দুপুর", "n"), ("বিকাল", "p"), ("বিকেল", "p"), ("সন্ধ্যা", "p"),
        ("রাত", "e"), ("နံနက်", "a"), ("မနက်", "a"), ("နေ့လယ်", "n"), ("ညနေ", "p"),
    )
}  # fmt: skip
# "O'clock" after the hour in Hindi, Bengali ("at o'clock") and Burmese: 2 बजे, ৩টা, ၂ နာရီ.
_HOUR_WORDS = "|".join(unicodedata.normalize("NFKC", word) for word in ("बजे", "টায়", "টা", "နာရီ"))
# Morning and afternoon before the hour: Japanese 午前/午後, Chinese 上午/下午, Korean 오전/오후.
# (also the morning, the evening and the night as event notices write them: 夜7時, 朝9時,
# 夕方6時, 晚上7点, 저녁 7시; the parts of the day as after the hour, below)
_HALF_DAY = {
    "午前": "a", "上午": "a", "오전": "a", "午後": "p", "下午": "p", "오후": "p",
    "朝": "a", "夕方": "p", "夜": "e", "早上": "a", "中午": "n", "晚上": "e",
    "아침": "a", "저녁": "e", "밤": "e",
    **_SOUTH_ASIAN,
}  # fmt: skip
# What tells a time written with a dot (10.30am, 09.00 - 12.00 WIB, 10.00 hrs, and
# 14.00-16.00 or 14.00 after a date, as British and European pages write it) from a
# number: a.m. or p.m., an Indonesian zone, or an hour's word (h, hrs, horas), after it or
# after the end of its range; else an hour of two digits or a range to another dotted
# time, then the text's end, a sign or a zone (CET, GMT+1): 12.10.2026, 10.1234/5678,
# 3.50 and a price (13.30 บาท, 12.50 USD) are no times.
_DOT_TIME_END = r"(?![\d.]|,\d)(?=\s*(?:$|[^\w\s]|(?-i:[A-Z]{2,4}T|GMT|UTC)(?![^\W\d_])))"
_DOT_TIME_AFTER = (
    r"(?:(?:(?:\s*[-–~]\s*|\s+(?:a|à|às|s\.d\.|sampai)\s+)\d{1,2}[.:]\d\d)?"
    r"\s*(?:[ap]\.?m|WIB|WITA|WIT|h|hrs?|horas?|uhr)(?![^\W\d_])"
    rf"|(?:(?<=\d\d\.\d\d)(?!\s*[-–~]\s*\d)|(?:\s*[-–~]\s*|\s+to\s+)\d{{1,2}}\.\d\d)"
    rf"{_DOT_TIME_END})"
)
# Morning or afternoon after a time: a.m., p. m. (Spanish), SA and CH (sáng, chiều), as
# Vietnamese Windows and ASP.NET sites write them ("26/11/2026 2:00:00 CH"), and Khmer's
# morning, afternoon, evening and night ("ម៉ោង ២:០០ រសៀល"). The parts of the day as
# Vietnamese, Indonesian and Filipino write them after the hour ("2 giờ chiều", "pukul 7
# malam", "2:00 ng hapon"): the morning (a), the afternoon (p), midday (n: 1 siang is
# 13:00, 11 trưa 11:00) and the evening and night (e: 7 malam is 19:00, 12 malam
# midnight).
_HALF_DAY_AFTER = {
    "SA": "a", "CH": "p", "ព្រឹក": "a", "រសៀល": "p", "ល្ងាច": "p", "យប់": "p",
    "sáng": "a", "trưa": "n", "chiều": "p", "tối": "e",
    "pagi": "a", "siang": "n", "sore": "p", "malam": "e",
    "ng umaga": "a", "ng tanghali": "n", "ng hapon": "p", "ng gabi": "e",
    # Arabic: in the morning, at midday, in the evening (after noon), and their letters
    "صباحاً": "a", "صباحا": "a", "ص": "a", "ظهراً": "n", "ظهرا": "n", "مساءً": "p",
    "مساءا": "p", "مساء": "p", "م": "p",
    **_SOUTH_ASIAN,
}  # fmt: skip
_HALF_DAY_WORD = "|".join(word.replace(" ", r"\s+") for word in _HALF_DAY_AFTER)


def _on_the_clock(hour: int, half: str) -> int:
    """The hour of a 12-hour clock (1 to 12) in the part of the day ``half`` names."""
    if half == "a":
        return hour % 12
    if half == "p":
        return hour % 12 + 12
    if half == "n":  # midday: 11 in the morning, 12 noon, 1 and on in the afternoon
        return hour + 12 if hour < 10 else hour
    return hour + 12 if 5 <= hour < 12 else hour % 12  # the evening; after midnight, the night


_MERIDIEM = rf"(?:([ap])\.?\s?m\.?(?![a-z])|(?-i:({_HALF_DAY_WORD}))(?![^\W\d_]))"
_AHEAD_MERIDIEM = rf"(?:[ap]\.?\s?m\.?(?![a-z])|(?-i:{_HALF_DAY_WORD})(?![^\W\d_]))"
# A time: 13時30分, 13時半, 午後1時, 下午2点, 오후 2시 30분, 11:00, 10 a.m., 10.30am, and
# the hour with "h" (10h30, 10h, and French typography's 14 h 30) or giờ (8 giờ 30 phút),
# as French, Portuguese and Vietnamese sites write it. A dot parts hour and minute before
# a.m. or p.m., or after a clock word (pukul 14.00).
_TIME = re.compile(
    _BEFORE_TIME + "(" + "|".join(_HALF_DAY) + r")?\s*(\d{1,2})"
    rf"(?:(?:\s*(?:時|시|点|點|giờ|{_HOUR_WORDS}|:"
    r"|\.(?=\d\d" + _DOT_TIME_AFTER + r")|(?(clock)\.(?=\d\d)|(?!)))"
    r"|h(?=\d\d(?!\d)|(?![^\W\d_]))"
    # French typography's space before the h: with minutes, a range or "à" only ("de 3 h"
    # is a duration: "un atelier de 3 h")
    r"|\sh(?=\s?\d\d(?!\d)|\s*(?:à|-|–|au)\s*\d{1,2}\s?h(?![^\W\d_]))"
    r"|(?:(?<=à\s\d)|(?<=à\s\d\d))\sh(?![^\W\d_]))"
    r"\s*(?:(\d{1,2})\s*(?:分|분|phút|នាទី)?|(半))?"
    # seconds before a.m. or p.m. ("2:00:00 PM", as Windows writes a time): taken with it
    rf"(?::[0-5]\d(?=\s*{_AHEAD_MERIDIEM}))?"
    rf"|(?=\s*{_AHEAD_MERIDIEM})"
    # an hour alone before a range's end with the mark ("2-4 p.m.", "from 2 to 4 p.m.")
    rf"|(?=\s*(?:[-–]|to)\s*\d{{1,2}}(?:[:.]\d\d)?\s*{_AHEAD_MERIDIEM}))"
    rf"(?:\s*{_MERIDIEM})?",
    re.I,
)
_LATEST_HOUR = 29  # 29:59, the night's last minute on a 30-hour clock (TV listings)
# Noon, also as Philippine pages write it: "12:00 NN" (and midnight "12:00 MN").
_NOON = re.compile(
    _BEFORE_TIME + r"(?:正午|(?:12(?::00)?\s*)?noon(?![a-z])|12(?::00)?\s*(?-i:NN)(?![^\W\d_]))",
    re.I,
)
# Midnight as a range's end ("10:00 pm – midnight", "9 p.m. to 12 midnight"): 24:00.
_MIDNIGHT = re.compile(
    _BEFORE_TIME + r"(?:(?:12(?::00)?\s*)?midnight(?![a-z])|12(?::00)?\s*(?-i:MN)(?![^\W\d_]))",
    re.I,
)
_NOON_OR_MIDNIGHT = re.compile("正午|noon|midnight|(?-i:[NM]N)", re.I)  # looked for first, in
_WORDS_REACH = 40  # the first characters of a time's text
# Thai: "เวลา 13.30 น." or "13.30 - 16.30 น." (เวลา: time; น.: o'clock, after the time or
# its range). A dot between hour and minute is a time only with the น. after it.
_THAI_TIME = re.compile(r"^[\s,]*(?:เวลา\s*)?(\d{1,2})[.:](\d{2})(?=[\d.:\s\-–~]*น\.)")


def read_time(rest: str, late: bool = False) -> tuple[int, int, int] | None:
    """A time of day at the start of ``rest`` (after blanks, a weekday in brackets, a label
    such as ``Time:`` or ``開催時間：``, the word for "at": at, lúc, pukul, às, à, a las,
    saat): ``13時30分``, ``13時半``, ``午後1時``,
    ``午後0時30分`` (12:30), ``下午2点``, ``오후 2시 30분``, ``11:00``, ``10 a.m.``,
    ``2:00:00 PM`` and ``2:00:00 CH`` (the seconds dropped), ``10h30``,
    ``8 giờ 30 phút``, ``pukul 14.00``, ``正午`` and ``noon`` (12:00), Thai ``เวลา 13.30
    น.``. Gives the hour, the minute and how many characters it took; None when there is
    none or it is not a time. ``late`` (a range's end): an hour past midnight written on
    from the day before, as Japanese writes a night's end (``24:30``, ``25時``), counts
    too, as 24 to 29, and ``midnight`` is 24:00."""
    if _NOON_OR_MIDNIGHT.search(rest, 0, _WORDS_REACH):  # "12:00 noon" is noon, whole
        noon = _NOON.match(rest)
        if noon:
            return 12, 0, noon.end()
        midnight = _MIDNIGHT.match(rest) if late else None
        if midnight:
            return 24, 0, midnight.end()
    timed = _TIME.match(rest)
    if timed:
        half, hour = timed.group(2), int(timed.group(3))
        minute = 30 if timed.group(5) else int(timed.group(4) or 0)
        word = " ".join((timed.group(7) or "").split())  # "ng  hapon" is "ng hapon"
        said = (timed.group(6) or "").lower() or _HALF_DAY_AFTER.get(word, "")
        meridiem = said or _HALF_DAY.get(half or "", "")
        if meridiem and hour <= 12:  # 午後0時30分 is 12:30, as 12:30 p.m.
            hour = _on_the_clock(hour, meridiem)
        last = _LATEST_HOUR if late and not meridiem else 23
        return (hour, minute, timed.end()) if hour <= last and minute < 60 else None
    thai = _THAI_TIME.match(rest)
    if thai:
        hour, minute = int(thai.group(1)), int(thai.group(2))
        return (hour, minute, thai.end()) if hour < 24 and minute < 60 else None
    return None


# A time written before its date, as Vietnamese notices write it ("8h00, ngày 26/11/2026",
# "8 giờ 30 phút, thứ Năm, ngày 26/11/2026", "8h00 - 11h30 ngày 26/11/2026") and some
# English pages ("10:00 AM, Thursday, November 26, 2026"): a clock (with minutes, h or giờ,
# or a.m./p.m.), a range's end perhaps, then only a comma, a weekday, ngày ("the day")
# or "on" before the date.
TIME_BEFORE_REACH = 64
_CLOCK_BEFORE = (
    r"(\d{1,2})\s*(?::(\d{2})|h(\d{2})?|\s*giờ(?:\s*(\d{1,2})\s*(?:phút)?)?|(?=\s*[ap]\.?m))"
    r"(?:\s*([ap])\.?m\.?(?![a-z]))?"
)


@cache
def time_before() -> re.Pattern[str]:
    """The pattern of a time (or a range of times) that ends right before a date; compiled
    at its first use, as it names every weekday of the partner languages."""
    clock = _CLOCK_BEFORE
    return re.compile(
        rf"(?<![\d:.]){clock}(?:{RANGE_TO}{clock})?[\s,]*"
        rf"(?:(?:{weekday_word().pattern})[\s,]*)?(?:(?:ngày|on)\s*)?$",
        re.I,
    )


def clock_of(parts: tuple[str | None, ...]) -> tuple[int, int] | None:
    """The hour and minute of one clock's groups (hour, :mm, hmm, giờ mm, a or p)."""
    hour_text, *minutes, meridiem = parts
    if hour_text is None:
        return None
    hour = int(hour_text)
    minute = int(next((m for m in minutes if m), "0"))
    if meridiem and hour <= 12:
        hour = hour % 12 + (12 if meridiem.lower() == "p" else 0)
    return (hour, minute) if hour < 24 and minute < 60 else None


# What may follow a time in text: its seconds, and its zone. An RFC 822 offset of four
# digits (a feed's date written with a month name in another language, ``jeu., 26 nov.
# 2026 10:00:00 +0100``), GMT or UTC with an offset or alone, a zone's name (JST). A time
# range (``10:00 -12:00``) is no zone: an offset without GMT or UTC before it has four
# digits.
_SECONDS = re.compile(r":([0-5]\d)(?:[.,]\d+)?")
_ZONE_AFTER = re.compile(
    r"\s*\(?(?:(?:GMT|UTC|UT)\s*(?P<sign>[+\-\u2212])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?"
    r"|(?P<rfc_sign>[+-])(?P<rfc_hours>\d{2})(?P<rfc_minutes>\d{2})"
    r"|(?P<zero>GMT|UTC|UT)|(?P<name>[A-Z]{3,4})|(?P<season>ET|CT|MT|PT))\)?(?![\w:+-])"
)


def after_time(value: str, at: int, tz: tzinfo) -> tuple[int, tzinfo, int]:
    """The seconds and the zone written after a time that ends at ``at`` in ``value``,
    and where they end: ``(0, tz, at)`` when neither is written (or the zone is none a
    day has: past 14 hours)."""
    second = 0
    seconds = _SECONDS.match(value, at)
    if seconds:
        second, at = int(seconds.group(1)), seconds.end()
    found = _ZONE_AFTER.match(value, at)
    if found is None:
        city = next((m for pattern in _CITY_TIMES if (m := pattern.match(value, at))), None)
        if city is None:
            named = _NAMED_TIME.match(value, at)
            if named is None:
                return second, tz, at
            return second, ZoneInfo(_NAMED_TIMES[named[1].lower()]), named.end()
        return second, _city_zone(city["city"]), city.end()
    if found["zero"]:
        return second, UTC, found.end()
    if found["season"]:
        return second, ZoneInfo(SEASONLESS[found["season"]]), found.end()
    if found["name"] and own_abbreviation(found["name"], tz):
        return second, tz, found.end()
    if found["name"]:
        written = ZONE_NAMES.get(found["name"], "")
        offset = utc_offset(written[0], written[1:3], written[3:]) if written else None
    elif found["sign"]:
        offset = utc_offset(found["sign"], found["hours"], found["minutes"])
    else:
        offset = utc_offset(found["rfc_sign"], found["rfc_hours"], found["rfc_minutes"])
    if offset is None:
        return second, tz, at
    return second, timezone(offset), found.end()


_SPACED_HOUR = re.compile(r"\s*(\d{1,2})\sh(?:\s?(\d\d)(?!\d))?(?![^\W\d_])")


def read_end(rest: str) -> tuple[int, int, int] | None:
    """The time that ends a range, at the start of ``rest``: as :func:`read_time` reads
    one (past midnight too: ``～24:30`` is half past midnight, hour 24), or an hour with
    French typography's spaced h alone (``à 16 h``), which after a range's word is no
    duration."""
    timed = read_time(rest, late=True)
    hour = _SPACED_HOUR.match(rest) if timed is None else None
    if hour is not None and int(hour[1]) < 24 and int(hour[2] or 0) < 60:
        return int(hour[1]), int(hour[2] or 0), hour.end()
    return timed


def range_end(value: str, at: int) -> tuple[str, tuple[int, int], int] | None:
    """The end of a range whose first time ends at ``at`` (``10:00 – 12:00 (GMT+7)``,
    ``pukul 09.00 - 12.00 WIB``, ``1:30 – 3:00 PM``): its text, its hour and minute, and
    where it ends (its zone may follow); None when no range is written."""
    to = _RANGE_TO.match(value, at)
    closes = read_end(value[to.end() :]) if to else None
    if to is None or closes is None:
        return None
    stop = to.end() + closes[2]
    return value[to.end() : stop], (closes[0], closes[1]), stop


def _half_day_mark(halves: str) -> re.Pattern[str]:
    """A mark of the parts of the day ``halves`` names ("apne", or "pne" for after noon)
    anywhere in a time's text: a.m. or p.m., and the words of :data:`_HALF_DAY` (before
    the hour) and :data:`_HALF_DAY_AFTER` (after it, in its case)."""
    after = "|".join(
        word.replace(" ", r"\s+") for word, half in _HALF_DAY_AFTER.items() if half in halves
    )
    before = "|".join(word for word, half in _HALF_DAY.items() if half in halves)
    latin = "".join(half for half in halves if half in "ap")  # a.m., p.m.
    return re.compile(rf"(?<![a-z])[{latin}]\.?\s?m\.?(?![a-z])|(?-i:{after})|{before}", re.I)


# A mark of any part of the day, anywhere in a time's text; one of after noon.
_HALF_DAY_MARK = _half_day_mark("apne")
_AFTERNOON_MARK = _half_day_mark("pne")


def in_afternoon(
    opening: str, closing: str, opens: tuple[int, int], closes: tuple[int, int]
) -> tuple[int, int]:
    """The start of a range whose afternoon mark is written at its end only (``1:30 – 3:00
    PM``, as English and Filipino pages write a range): in the afternoon too, when its own
    text (``opening``) has no mark and it is still before the end (``9:00 – 3:00 PM``
    starts in the morning). ``opens`` and ``closes`` are hours and minutes."""
    shifted = (opens[0] + 12, opens[1])
    if (
        opens[0] < 12
        and _HALF_DAY_MARK.search(opening) is None
        and _AFTERNOON_MARK.search(closing) is not None
        and shifted < closes
    ):
        return shifted
    return opens


# A programme's times by their labels after its day, as Japanese pages write a symposium's
# or a seminar's: 受付13:00 開会13:30 閉会16:00, 開場 13:00 / 開演 13:30 / 終演 16:30 (受付,
# 開場: reception, the doors; 開会, 開演, 開始: the start; 閉会, 終演, 終了: the end). A label
# needs no colon here; the doors' time is the start only where none is written.
_DOORS, _OPENS, _CLOSES = r"受付(?:開始)?|開場", r"開会|開演|開始|開講", r"閉会|閉演|終演|終了|閉講"
_PROGRAMME_LABEL = re.compile(
    rf"[\s,、/|]*(?:(?P<doors>{_DOORS})|(?P<opens>{_OPENS})|(?P<closes>{_CLOSES}))"
    r"(?:時間|時刻|予定)?\s*:?"
)
_PROGRAMME_LEAD = re.compile(r"[\s,、]*(?:\([^)\d]{1,8}\))?")  # a weekday: (木)
_PROGRAMME_REACH = 60


def programme_times(
    value: str, at: int, day: date, tz: tzinfo
) -> tuple[datetime, datetime | None, int] | None:
    """The start and end (UTC) of a programme on ``day`` whose times its labels give right
    after ``at`` (``受付13:00 開会13:30 閉会16:00``), and where they end; None where no
    labelled time follows (most dates: a look for a label's first letter first)."""
    head = value[at : at + _PROGRAMME_REACH]
    if "開" not in head and "受" not in head:
        return None
    times: dict[str, tuple[int, int]] = {}
    position = _PROGRAMME_LEAD.match(head)
    taken = position.end() if position else 0
    while (label := _PROGRAMME_LABEL.match(head, taken)) is not None:
        clock = read_time(head[label.end() :])
        if clock is None:
            break
        times.setdefault(label.lastgroup or "", clock[:2])
        taken = label.end() + clock[2]
    opens = times.get("opens") or times.get("doors")
    if opens is None:
        return None
    start = datetime.combine(day, time(*opens), tz).astimezone(UTC)
    closes = times.get("closes")
    end = datetime.combine(day, time(*closes), tz).astimezone(UTC) if closes else None
    return start, end if end is not None and end > start else None, at + taken
