"""Where an event happens, read from its date line where that line names the place too.

Event notices write both on one line or in one block (``日時：12月10日（木）13:30～16:00
会場：市役所本庁舎``, ``Date: 10 December 2026, 10:00 Venue: Kobe City Hall``, ``Waktu: …
Tempat: Balai Kota``): where no ``location_selector`` names the place, the words after the
place's label, up to the next label, are the event's place.
"""

from __future__ import annotations

import re

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
    r"\s*(?:日時|日程|時間|対象|定員|費用|参加費|申込|締切|主催|共催|問い?合わ?せ|内容|講師"
    r"|date|time|fee|cost|registration|register|contact|organi[sz]er|speakers?"
    r"|waktu|biaya|pendaftaran|thời\s+gian|วันที่|เวลา|fecha|hora|horário|heure|일시|时间)"
    r"\s*[:：]",
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
