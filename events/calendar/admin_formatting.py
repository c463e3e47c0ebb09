"""Dates in the admin user's language: French keeps `formatting.when` and the schedule's own
description, other languages use Django's localized formats (« Tuesday, December 1, 2026,
2 p.m.–5 p.m. ») and an English description of the rule (« Every Tuesday, 2 p.m.–5 p.m. »)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.formats import date_format, time_format
from django.utils.translation import get_language, gettext

from events.calendar import formatting
from events.calendar.schedule import Frequency, Schedule

if TYPE_CHECKING:
    from events.calendar.models import Occurrence
    from events.calendar.schedule_fields import SchedulePageMixin


def admin_when(occurrence: Occurrence, with_date: bool = True) -> str:
    if _french():
        return formatting.when(occurrence, with_date=with_date)
    start, end = occurrence.local_start, occurrence.local_end
    first = date_format(start.date(), "l, F j, Y")
    if occurrence.all_day:
        if not occurrence.spans_days:
            return first if with_date else gettext("Toute la journée")
        last = date_format(occurrence.last_day, "l, F j, Y")
        return gettext("Du %(first)s au %(last)s") % {"first": first, "last": last}
    start_time, end_time = time_format(start.time(), "P"), time_format(end.time(), "P")
    if occurrence.spans_days:
        last = date_format(end.date(), "l, F j, Y")
        return gettext("Du %(first)s au %(last)s") % {
            "first": f"{first}, {start_time}",
            "last": f"{last}, {end_time}",
        }
    hours = f"{start_time}–{end_time}"
    return f"{first}, {hours}" if with_date else hours


def _french() -> bool:
    return (get_language() or "fr").startswith("fr")


ENGLISH_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


def _nth(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def english_schedule(schedule: Schedule) -> str:
    """The rule in plain English: « Every Tuesday, 2 p.m.–5 p.m. », « On the first Monday of
    the month, until January 16, 2027 »."""
    first = schedule.first_date
    if schedule.frequency == Frequency.NONE:
        text = date_format(first, "l, F j, Y")
    elif schedule.frequency == Frequency.WEEKLY:
        days = sorted(schedule.weekdays or (first.weekday(),))
        names = [date_format(_weekday(first, d), "l") for d in days]
        if schedule.interval == 1:
            text = f"Every {' and '.join(names)}"
        elif schedule.interval == 2 and len(days) == 1:
            text = f"Every other {names[0]}"
        else:
            text = f"{' and '.join(n + 's' for n in names)}, every {schedule.interval} weeks"
    else:
        if schedule.frequency == Frequency.MONTHLY_DATE:
            text = f"On the {_nth(first.day)}"
        else:
            weekday = date_format(first, "l")
            text = f"On the {ENGLISH_ORDINALS[schedule.month_position]} {weekday}"
        text += " of the month" if schedule.interval == 1 else f", every {schedule.interval} months"
    if schedule.frequency != Frequency.NONE:
        if schedule.until:
            text += f", until {date_format(schedule.until, 'F j, Y')}"
        elif schedule.count:
            text += f" ({schedule.count} dates)"
    if schedule.all_day or schedule.start_time is None or schedule.end_time is None:
        return text
    return f"{text}, {time_format(schedule.start_time, 'P')}–{time_format(schedule.end_time, 'P')}"


def _weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=weekday - day.weekday())


def admin_schedule(page: SchedulePageMixin) -> str:
    """The page's rule in the admin user's language."""
    if not page.first_date:
        return ""
    if _french():
        return page.schedule_summary
    return english_schedule(page.get_schedule())
