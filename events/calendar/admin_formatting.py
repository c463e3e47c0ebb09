"""Dates in the admin user's language: French keeps `formatting.when`, other languages use
Django's localized formats (« Tuesday, December 1, 2026, 2 p.m.–5 p.m. »)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.formats import date_format, time_format
from django.utils.translation import get_language, gettext

from events.calendar import formatting

if TYPE_CHECKING:
    from events.calendar.models import Occurrence


def admin_when(occurrence: Occurrence, with_date: bool = True) -> str:
    if (get_language() or "fr").startswith("fr"):
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
