"""A date written in numbers (``11/05/2026``, ``26.11.2026``), read as a day: in the order
its language writes the day and the month, or, where the weekday written next to it fits
one reading only (Drupal's ``Thu, 11/05/2026``, month first on a site of any language),
in that one."""

from __future__ import annotations

import re
from datetime import date

from tdlc_syndication.pipeline.locales import NumericOrder, read_numeric
from tdlc_syndication.pipeline.weekdays import weekday_after, weekday_number


def numeric_day(
    match: re.Match[str], value: str, order: NumericOrder | None
) -> tuple[int, int, int] | None:
    """The year, month and day a match of ``locales.NUMERIC`` in ``value`` names: in
    ``order`` (:func:`_in_order`), or with none, as its weekday settles it
    (:func:`_by_weekday`); None where it names no day."""
    return _in_order(match, value, order) if order else _by_weekday(match, value)


# A weekday written before a date in numbers: "Mon, 11/23/2026" (Drupal's default),
# "Monday 23/11/2026" (one after it, "11/23/2026, Monday": weekdays.weekday_after).
_WEEKDAY_BEFORE = re.compile(r"(?<![A-Za-z])([A-Za-z]{3,9})\.?,?\s*\Z")
_WEEKDAY_REACH = 12  # characters before a date its weekday may take
_WAYS: tuple[NumericOrder, NumericOrder] = ("dmy", "mdy")


def _in_order(match: re.Match[str], value: str, order: NumericOrder) -> tuple[int, int, int] | None:
    """The day a date in numbers (``11/05/2026``) names, read in ``order``, unless only
    the other reading is a day that falls on the weekday written next to it (Drupal
    writes ``Thu, 11/05/2026`` month first whatever the page's language), or a day at all
    (``11/23/2026`` on a page in a language that writes the day first)."""
    if order == "dmy-thai":
        return read_numeric(match, order)
    fits = fitting(match, value)
    if len(fits) == 1 and order not in fits:
        return read_numeric(match, fits.pop())
    own = read_numeric(match, order)
    return own if own is not None and _is_day(own) else None


def _by_weekday(match: re.Match[str], value: str) -> tuple[int, int, int] | None:
    """The day a date in numbers names where the text's language does not say which
    comes first (English writes both), as the weekday written next to it settles it
    (The Jakarta Post's feed: ``Mon, 10/03/2011 10:37 PM``, 3 October, a Monday; 10
    March was a Thursday); None without a weekday, or where both readings fit it."""
    if _weekday_beside(value, match) < 0:
        return None
    days = {read_numeric(match, way) for way in fitting(match, value)}
    return days.pop() if len(days) == 1 else None


def fitting(match: re.Match[str], value: str) -> set[NumericOrder]:
    """The orders in which a date in numbers reads as a day that falls on the weekday
    written next to it, if any (both, for a day written the same both ways)."""
    weekday = -2  # not looked for yet
    fits: set[NumericOrder] = set()
    for way in _WAYS:
        day = read_numeric(match, way)
        if day is None or not _is_day(day):
            continue
        if weekday == -2:
            weekday = _weekday_beside(value, match)
        if weekday < 0 or date(*day).weekday() == weekday:
            fits.add(way)
    return fits


def _is_day(day: tuple[int, int, int]) -> bool:
    try:
        date(*day)
    except ValueError:
        return False
    return True


def _weekday_beside(value: str, match: re.Match[str]) -> int:
    """The weekday (Monday 0) written just before or after a date in numbers, else -1."""
    before = _WEEKDAY_BEFORE.search(value, max(0, match.start() - _WEEKDAY_REACH), match.start())
    if before is not None and (number := weekday_number(before[1])) >= 0:
        return number
    after = weekday_after().match(value, match.end())
    return weekday_number(after[0].strip(" \t,、.")) if after is not None else -1
