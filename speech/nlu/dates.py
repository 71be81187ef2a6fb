"""Spoken dates and times as Alexa's AMAZON.DATE and AMAZON.TIME slot values.

    date_value("tomorrow", ref)          # '2026-11-28' when ref is 2026-11-27
    date_value("this weekend", ref)      # '2026-W48-WE'
    date_value("next friday", ref)       # '2026-12-04'
    time_value("7 pm")                   # '19:00'
    time_value("morning")                # 'MO'

Alexa's conventions: a date without a year is the next one to come; "this weekend" and "next week" are
ISO week forms ('2026-W48-WE', '2026-W49'); a bare weekday is the next such day (today included);
"next <weekday>" is that weekday in the following calendar week. Times of day are MO/AF/EV/NI.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from speech.nlu.normalize import tokens
from speech.nlu.numbers import number_at, ordinal_at

__all__ = ["WEEKDAYS", "MONTHS", "date_at", "time_at", "date_value", "time_value", "day_of_month"]

WEEKDAYS = {name: n for n, name in enumerate(calendar.day_name[d].lower() for d in range(7))}
MONTHS = {calendar.month_name[m].lower(): m for m in range(1, 13)}
MONTHS.update({calendar.month_abbr[m].lower(): m for m in range(1, 13) if m != 5})
MONTHS["sept"] = 9
_PERIODS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}


def _iso_week(d: date, weekend: bool = False) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}" + ("-WE" if weekend else "")


def _upcoming(month: int, day: int, today: date, year: int | None = None) -> date | None:
    """The next `month`/`day` to come (this year, else next year); None for impossible dates."""
    for y in [year] if year else [today.year, today.year + 1]:
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if year or d >= today:
            return d
    return None


def day_of_month(day: int, today: date) -> str | None:
    """ "The 5th": the next 5th of a month to come (this month if not past)."""
    if not 1 <= day <= 31:
        return None
    y, m = today.year, today.month
    for _ in range(3):
        try:
            d = date(y, m, day)
            if d >= today:
                return d.isoformat()
        except ValueError:
            pass
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return None


def _day_number(words: list[str], i: int) -> tuple[int, int] | None:
    """A day of the month: "3rd", "third", "3", "the third", "twenty first"."""
    j = i + 1 if i < len(words) and words[i] == "the" else i
    got = ordinal_at(words, j) or number_at(words, j)
    if got is None or not 1 <= got[0] <= 31:
        return None
    return got


def _year_at(words: list[str], i: int) -> tuple[int, int] | None:
    if i < len(words) and words[i].isdigit() and len(words[i]) == 4:
        return int(words[i]), i + 1
    return None


def date_at(words: list[str], i: int, today: date) -> tuple[str, int] | None:
    """Read a date at `words[i]`; returns (Alexa DATE value, end index) or None."""
    n = len(words)
    w = words[i] if i < n else ""
    nxt = words[i + 1] if i + 1 < n else ""
    if w in ("today", "tonight"):
        return today.isoformat(), i + 1
    if w == "tomorrow":
        return (today + timedelta(days=1)).isoformat(), i + 1
    if w == "yesterday":
        return (today - timedelta(days=1)).isoformat(), i + 1
    if words[i : i + 4] == ["the", "day", "after", "tomorrow"]:
        return (today + timedelta(days=2)).isoformat(), i + 4
    if words[i : i + 3] == ["day", "after", "tomorrow"]:
        return (today + timedelta(days=2)).isoformat(), i + 3
    if w in WEEKDAYS or (w in ("this", "next", "coming") and nxt in WEEKDAYS):
        name = w if w in WEEKDAYS else nxt
        ahead = (WEEKDAYS[name] - today.weekday()) % 7
        if w == "next":
            # the weekday of the following calendar week
            ahead = 7 - today.weekday() + WEEKDAYS[name]
        return (today + timedelta(days=ahead)).isoformat(), i + (1 if w in WEEKDAYS else 2)
    if w in ("this", "next", "the") and nxt in ("weekend", "week"):
        d = today + timedelta(days=7) if w == "next" else today
        return _iso_week(d, nxt == "weekend"), i + 2
    if w == "weekend":
        return _iso_week(today, True), i + 1
    if w == "in" and i + 2 < n + 1:
        amount = number_at(words, i + 1) if nxt not in ("a", "an") else (1, i + 2)
        if amount and amount[1] < n and words[amount[1]].rstrip("s") in ("day", "week"):
            days = amount[0] * (7 if words[amount[1]].startswith("week") else 1)
            return (today + timedelta(days=days)).isoformat(), amount[1] + 1
    if w in MONTHS:
        day = _day_number(words, i + 1)
        if day:
            year = _year_at(words, day[1])
            when = _upcoming(MONTHS[w], day[0], today, year[0] if year else None)
            if when:
                return when.isoformat(), (year or day)[1]
    day = _day_number(words, i)
    if day and day[1] + 1 < n and words[day[1]] == "of" and words[day[1] + 1] in MONTHS:
        end = day[1] + 2
        year = _year_at(words, end)
        when = _upcoming(MONTHS[words[day[1] + 1]], day[0], today, year[0] if year else None)
        if when:
            return when.isoformat(), (year[1] if year else end)
    return None


def time_at(words: list[str], i: int) -> tuple[str, int] | None:
    """Read a time at `words[i]`: "7 pm", "seven thirty pm", "7:30", "noon", "half past six", "morning"."""
    n = len(words)
    w = words[i] if i < n else ""
    if w in _PERIODS:
        return _PERIODS[w], i + 1
    if w in ("noon", "midday"):
        return "12:00", i + 1
    if w == "midnight":
        return "00:00", i + 1
    if w in ("half", "quarter") and i + 2 < n and words[i + 1] in ("past", "to"):
        said = number_at(words, i + 2)
        if said and 1 <= said[0] <= 12:
            minutes = 30 if w == "half" else 15
            h = said[0] if words[i + 1] == "past" else said[0] - 1
            m = minutes if words[i + 1] == "past" else 60 - minutes
            return f"{h % 24:02d}:{m:02d}", said[1]
    if ":" in w:
        hh, mm = w.split(":")
        hour, minute, end = int(hh), int(mm), i + 1
    else:
        got = number_at(words, i)
        if got is None or not 0 <= got[0] <= 24:
            return None
        hour, end = got
        minute = 0
        nxt = number_at(words, end)
        if nxt and 0 <= nxt[0] < 60 and end < n and words[end] not in ("and",):
            minute, end = nxt
    suffix = words[end] if end < n else ""
    if suffix in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
        end += 1
    elif suffix == "oclock" or words[end : end + 2] == ["o", "clock"]:
        end += 1 if suffix == "oclock" else 2
    elif words[end : end + 3] in (["in", "the", "evening"], ["in", "the", "afternoon"]) and hour < 12:
        hour += 12
        end += 3
    elif words[end : end + 3] == ["in", "the", "morning"]:
        end += 3
    elif ":" not in w:
        return None  # a bare number is a number, not a time
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    return f"{hour % 24:02d}:{minute:02d}", end


def _reference_day(reference_time: datetime | date | None) -> date:
    if reference_time is None:
        return datetime.now().date()
    return reference_time.date() if isinstance(reference_time, datetime) else reference_time


def date_value(text: str, reference_time: datetime | date | None = None) -> str | None:
    """The whole of `text` as an AMAZON.DATE value relative to `reference_time` (default now)."""
    words = tokens(text)
    if words[:1] == ["on"]:
        words = words[1:]
    if not words:
        return None
    today = _reference_day(reference_time)
    got = date_at(words, 0, today)
    if got and got[1] == len(words):
        return got[0]
    day = _day_number(words, 0)
    if day and day[1] == len(words):
        return day_of_month(day[0], today)
    return None


def time_value(text: str) -> str | None:
    """The whole of `text` as an AMAZON.TIME value ("7 pm" -> "19:00", "morning" -> "MO")."""
    words = tokens(text)
    if words[:1] == ["at"] or words[:2] == ["in", "the"]:
        words = words[1:] if words[0] == "at" else words[2:]
    if not words:
        return None
    got = time_at(words, 0)
    return got[0] if got and got[1] == len(words) else None
