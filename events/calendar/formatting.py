"""How dates are written for people: « mardi 14 avril 2026, 14h–17h »."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from events.calendar.schedule import PARIS, format_time
from portal.french import first_of_month

if TYPE_CHECKING:
    from events.calendar.models import Occurrence


def when(occurrence: Occurrence, with_date: bool = True) -> str:
    """« mardi 1er décembre 2026, 14h–17h »."""
    return first_of_month(_when(occurrence, with_date))


def _when(occurrence: Occurrence, with_date: bool = True) -> str:
    start, end = occurrence.local_start, occurrence.local_end
    with override("fr"):
        first = date_format(start.date(), "l j F Y")
        if occurrence.all_day:
            if not occurrence.spans_days:
                return first if with_date else "Toute la journée"
            last = date_format(occurrence.last_day, "l j F Y")
            return f"Du {first} au {last}"
        hours = f"{format_time(start.time())}–{format_time(end.time())}"
        if occurrence.spans_days:
            last = date_format(end.date(), "l j F Y")
            return f"Du {first}, {format_time(start.time())}, au {last}, {format_time(end.time())}"
        return f"{first}, {hours}" if with_date else hours


def former_time(occurrence: Occurrence) -> str:
    """Where a moved date came from: « initialement le mardi 7 avril 2026 à 14h »."""
    moved_from = occurrence.moved_from
    if moved_from is None:
        return ""
    local = timezone.localtime(moved_from, PARIS)
    with override("fr"):
        day = date_format(local.date(), "l j F Y")
    if occurrence.all_day:
        return first_of_month(f"initialement le {day}")
    return first_of_month(f"initialement le {day} à {format_time(local.time())}")
