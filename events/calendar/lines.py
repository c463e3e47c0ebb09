"""Occurrences as lean rows: what a long listing or a feed reads of a date, without models.

A listing of a month site-wide holds thousands of dates. Built as `Occurrence` model instances
with their page, event page, category and residence (five objects a date) it cost about 200 µs
a date; `OccurrenceQuerySet.lines()` reads the same columns with the event's title as plain
tuples and wraps each in an `OccurrenceLine` (about a tenth of that). Both share the time
helpers of `OccurrenceTimes`, so `formatting.when` and the templates' filters read either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models.query import ValuesListIterable
from django.utils import timezone

from events.calendar.schedule import PARIS, Status

# The columns of a line, in the order of `OccurrenceLine`'s fields.
LINE_FIELDS = (
    "pk",
    "page_id",
    "kind",
    "original_start",
    "start",
    "end",
    "all_day",
    "status",
    "is_extra",
    "reason",
    "venue_note",
    "previous_start",
    "page__title",
)


class OccurrenceTimes:
    """Local times and states of a date, for `Occurrence` rows and `OccurrenceLine`s alike."""

    __slots__ = ()
    start: datetime
    end: datetime
    original_start: datetime
    previous_start: datetime | None
    all_day: bool
    status: str

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED

    @property
    def is_moved(self) -> bool:
        return self.status == Status.MOVED or self.previous_start is not None

    @property
    def moved_from(self) -> datetime | None:
        """The start people knew before the date moved (by a particular date or a new rule)."""
        if self.previous_start is not None:
            return self.previous_start
        if self.status == Status.MOVED and self.original_start != self.start:
            return self.original_start
        return None

    @property
    def local_start(self) -> datetime:
        return timezone.localtime(self.start, PARIS)

    @property
    def local_end(self) -> datetime:
        return timezone.localtime(self.end, PARIS)

    @property
    def last_day(self) -> date:
        """The last calendar day it covers (an all-day end is exclusive midnight)."""
        end = self.local_end
        return (end - timedelta(days=1)).date() if self.all_day else end.date()

    @property
    def spans_days(self) -> bool:
        return self.last_day != self.local_start.date()


@dataclass(frozen=True, slots=True)
class OccurrenceLine(OccurrenceTimes):
    """A date with its event's title, read as one tuple: no model instance behind it."""

    pk: int
    page_id: int
    kind: str
    original_start: datetime
    start: datetime
    end: datetime
    all_day: bool
    status: str
    is_extra: bool
    reason: str
    venue_note: str
    previous_start: datetime | None
    title: str


class OccurrenceLineIterable(ValuesListIterable):
    """`values_list(*LINE_FIELDS)` rows as `OccurrenceLine`s (lazy, sliceable, one query)."""

    def __iter__(self):
        for row in super().__iter__():
            yield OccurrenceLine(*row)
