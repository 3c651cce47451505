"""Opening hours and weekly course times, in OpenStreetMap's `opening_hours` syntax.

The grammar and its evaluation are opening-hours-py's (the Rust `opening-hours` crate,
a wheel on PyPI): it follows the OSM specification in full, so editors may write any
expression they know from OpenStreetMap. From it this module derives plain data: the
week as a table (what the offer page shows), the intervals the "open now" script reads,
and the weekly slots of a course (its iCalendar recurrence and its time of day).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from opening_hours import OpeningHours, ParserError, State

# A reference period to read a week from: five weeks (Monday 8 January to Sunday 11 February
# 2024) without a Swiss public holiday, so that `PH off` does not blank a day, and long
# enough to tell a weekly rule from `Mo[1]` (the first Monday of a month).
REFERENCE_MONDAY = dt.datetime(2024, 1, 8)
REFERENCE_WEEKS = 5
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
BY_APPOINTMENT = "by appointment"
_POSITION = re.compile(r"-->\s*(\d+):(\d+)")


@dataclass(frozen=True)
class Interval:
    start: int  # minutes after midnight
    end: int  # minutes after midnight; 1440 = the end of the day
    comment: str = ""

    @property
    def note_only(self) -> bool:
        """All day with a comment ("by appointment"): a note, not hours the place is open."""
        return self.start == 0 and self.end >= 1440 and bool(self.comment)


@dataclass(frozen=True)
class Day:
    weekday: int  # 0 = Monday
    intervals: tuple[Interval, ...]
    every_week: bool  # False for rules such as Mo[1] (only some weeks of the month)


@dataclass(frozen=True)
class Slot:
    """One weekly time of a course: the same times on some days of the week."""

    weekdays: tuple[int, ...]
    start: dt.time
    end: dt.time

    @property
    def byday(self) -> list[str]:
        return [DAY_CODES[d] for d in self.weekdays]


def _parse(text: str) -> OpeningHours:
    # No country or timezone guessed from coordinates: the result must not depend on the machine.
    return OpeningHours(text, country="CH", auto_country=False, auto_timezone=False)


def problem(text: str) -> str | None:
    """What is wrong with an opening_hours expression, in words; None if it is valid."""
    try:
        _parse(text)
    except (ParserError, SyntaxError, ValueError) as exc:
        message = str(exc)
        where = _POSITION.search(message)
        # The parser's own wording ("expected EOI, any_rule_separator...") names its grammar
        # rules, not what an editor wrote: only the position is kept.
        return f"not understood from character {where.group(2)} on" if where else "not understood"
    return None


def _weeks(text: str) -> list[list[tuple[Interval, ...]]]:
    """For each reference week, each day's open intervals."""
    weeks: list[list[list[Interval]]] = [[[] for _ in range(7)] for _ in range(REFERENCE_WEEKS)]
    end = REFERENCE_MONDAY + dt.timedelta(weeks=REFERENCE_WEEKS)
    for start, stop, state, comment in _parse(text).intervals(REFERENCE_MONDAY, end):
        if state == State.CLOSED:
            continue
        # An interval may run over midnight (or be the whole period): cut it into days.
        day = start.replace(hour=0, minute=0, second=0, microsecond=0)
        while day < stop:
            next_day = day + dt.timedelta(days=1)
            a, b = max(start, day), min(stop, next_day)
            if a < b:
                offset = (day - REFERENCE_MONDAY).days
                minutes = (
                    (a - day).seconds // 60,
                    1440 if b == next_day else (b - day).seconds // 60,
                )
                weeks[offset // 7][offset % 7].append(Interval(*minutes, comment=comment.strip()))
            day = next_day
    return [[tuple(d) for d in week] for week in weeks]


@functools.lru_cache(maxsize=4096)
def week(text: str) -> tuple[Day, ...]:
    """The seven days of the week with their intervals (closed days have none).

    Cached: each offer's expression is read for its table, its JSON-LD, its calendar file
    and the course finder's filters, in every language."""
    weeks = _weeks(text)
    days = []
    for weekday in range(7):
        seen = [w[weekday] for w in weeks]
        regular = all(s == seen[0] for s in seen)
        # A day open only some weeks shows the times of the weeks it is open.
        intervals = seen[0] if regular else next(s for s in seen if s)
        days.append(Day(weekday, intervals, regular))
    return tuple(days)


def weekly_problem(text: str) -> str | None:
    """What makes `weekly` unusable for a calendar: it must be the same every week, with times."""
    wrong = problem(text)
    if wrong:
        return wrong
    days = week(text)
    if not all(d.every_week for d in days):
        return "it changes from week to week"
    if not any(d.intervals for d in days):
        return "it gives no day and time"
    if any(i.start == 0 or i.end == 1440 for d in days for i in d.intervals):
        return "each time needs a start and an end on the same day"
    return None


def clock(minutes: int) -> dt.time:
    """Minutes after midnight as a time.

    The end of the day (1440) is 23:59, which every format can write.
    """
    return dt.time(23, 59) if minutes >= 1440 else dt.time(minutes // 60, minutes % 60)


@functools.lru_cache(maxsize=4096)
def slots(text: str) -> tuple[Slot, ...]:
    """Weekly slots of a valid `weekly` expression, days sharing the same times grouped."""
    groups: dict[tuple[int, int], list[int]] = {}
    for day in week(text):
        for interval in day.intervals:
            groups.setdefault((interval.start, interval.end), []).append(day.weekday)
    return tuple(
        Slot(tuple(days), clock(start), clock(end))
        for (start, end), days in sorted(groups.items(), key=lambda g: (g[1][0], g[0]))
    )


def time_of_day(slot: Slot) -> str:
    """morning, afternoon or evening: when a course starts (before 12:00, before 17:00, later)."""
    if slot.start < dt.time(12):
        return "morning"
    if slot.start < dt.time(17):
        return "afternoon"
    return "evening"


def public_holidays(text: str, start: dt.date, days: int = 400) -> list[str]:
    """The Swiss public holidays of the coming months (ISO dates), for expressions closed then."""
    if not re.search(r"\bPH\b", text):
        return []
    begin = dt.datetime.combine(start, dt.time())
    return [
        a.date().isoformat()
        for a, _, state, _ in _parse("PH").intervals(begin, begin + dt.timedelta(days=days))
        if state == State.OPEN
    ]
