"""What an event notice labels in its date line: the event's day and its place.

Event notices write their details on one line or in one block, each after its label
(``申込締切：12月1日（火） 日時：12月10日（木）13:30～16:00 会場：市役所本庁舎``, ``Registration
deadline: … Date: 10 December 2026, 10:00 Venue: Kobe City Hall``, ``Waktu: … Tempat: Balai
Kota``). The event happens on the day after its own label, not on an application's
deadline written before it; and where no ``location_selector`` names the place, the words
after the place's label, up to the next label, are the event's place.
"""

from __future__ import annotations

import re
from datetime import date, tzinfo
from typing import TYPE_CHECKING

from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.pipeline.model import Event
from tdlc_syndication.sources.common import event_mode

if TYPE_CHECKING:  # bs4 and the date readers load with the first page read
    from bs4 import Tag

    from tdlc_syndication.pipeline import periods
    from tdlc_syndication.pipeline.locales import NumericOrder
else:
    periods = LazyModule("tdlc_syndication.pipeline.periods")

# The labels of the event's own day, in the program's languages.
_DAY_WORDS = (
    r"開催日時|開催日|開催期間|日時|日程|会期|(?:event\s+)?(?:dates?|when)|hari\s*/\s*tanggal"
    r"|tanggal|waktu|ngày\s+tổ\s+chức|thời\s+gian|วันที่จัด|fecha|일시|日期|时间"
)
# The labels of a place in the program's languages: Japanese, English, Indonesian and Malay,
# Vietnamese, Thai, Spanish and Portuguese, French, Korean, Chinese, Arabic, Russian,
# Hindi, Bengali.
_PLACE_LABEL = re.compile(
    r"(?:開催場所|開催会場|会場|場所|venue|location|place|tempat|lokasi|địa\s+điểm|สถานที่"
    r"|lugar|local|lieu|장소|地点|地點|المكان|место(?:\s+проведения)?|स्थान|স্থান)\s*[:：]\s*",
    re.I,
)
# The labels that end it: what the notice says next (the time, who may come, the fee, how
# to apply, who holds it, whom to ask).
_NEXT_LABEL = re.compile(
    rf"\s*(?:{_DAY_WORDS}|時間|対象|定員|費用|参加費|申込|締切|主催|共催|問い?合わ?せ|内容|講師"
    r"|time|fee|cost|registration|register|contact|organi[sz]er|speakers?"
    r"|biaya|pendaftaran|วันที่|เวลา|hora|horário|heure)\s*[:：]",
    re.I,
)
_LONGEST = 200  # characters of a place: more is the notice's text, not a place


def labelled_place(text: str) -> str:
    """The place a date line writes after its label (``会場：市役所本庁舎``, ``Venue:
    Kobe City Hall``), up to the next label; '' when it names none."""
    label = _PLACE_LABEL.search(text)
    if label is None:
        return ""
    rest = text[label.end() :]
    ends = _NEXT_LABEL.search(rest)
    place = " ".join((rest[: ends.start()] if ends else rest).split())
    return place if len(place) <= _LONGEST else ""


# An event's day label, not an application's (申込日時, "Registration date").
_DAY_LABEL = re.compile(
    rf"(?<!申込)(?<!受付)(?<!締切)(?<![A-Za-z]\s)(?:{_DAY_WORDS})\s*[:：]", re.I
)


def from_day_label(text: str) -> str:
    """``text`` from the label of the event's own day on (``申込締切：12月1日 日時：12月10日``
    gives ``日時：12月10日``), where such a label comes after other words; else ``text``."""
    label = _DAY_LABEL.search(text)
    return text[label.start() :] if label is not None and label.start() > 0 else text


def labelled_text(node: Tag) -> str:
    """``node``'s text with a colon after each ``<dt>`` or ``<th>`` label in it, as the eye
    reads a table or a definition list of details: ``<dt>開催日</dt><dd>12月10日</dd>
    <dt>時間</dt><dd>13:30～</dd>`` is ``開催日： 12月10日 時間： 13:30～`` (its words ran
    together, and the time after 時間 was no time)."""
    labels = node.find_all(["dt", "th"])
    if not labels:
        return node.get_text(" ", strip=True)
    # .strings, as get_text reads them: a comment in a cell is no word of it
    ends = {
        id(strings[-1])
        for label in labels
        if (strings := [text for text in label.strings if text.strip()])
    }
    parts = []
    for piece in node.strings:
        text = piece.strip()
        if text:
            labelled = id(piece) in ends and not text.endswith((":", "："))
            parts.append(text + "：" if labelled else text)
    return " ".join(parts)


def event_of(
    when: str,
    place: str,
    title: str,
    tz: tzinfo,
    today: date | None = None,
    order: NumericOrder | None = None,
) -> Event | None:
    """The event a date line and a place line describe; None when the date line names no
    day (one without a year counts when it names its weekday: see ``find_date``, for
    ``today``). A title or a date line marked 【中止】, (延期), [Cancelled] or "Postponed:"
    gives the status; a place that is a link makes the event online; without a place line,
    the place the date line names after its label (``会場：…``). ``order``: how the
    text's language writes a date in numbers (``locales.numeric_order``)."""
    labelled = from_day_label(when)  # 申込締切：12月1日 日時：12月10日: the 10th
    period = periods.find_period(labelled, tz, today, order)
    if period is None and labelled != when:
        period = periods.find_period(when, tz, today, order)
    if period is None:
        return None
    location = " ".join(place.split()) or labelled_place(when)  # 日時：… 会場：市役所
    return Event(
        start=period.start,
        end=period.end,
        all_day=period.all_day,
        location=location or None,
        status=periods.status_marked(title, when),
        mode=event_mode(location),
    )
