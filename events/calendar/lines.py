"""Occurrences as lean rows: what a long listing or a feed reads of a date, without models.

A listing of a month site-wide holds thousands of dates. Built as `Occurrence` model instances
with their page, event page, category and residence (five objects a date) it cost about 200 µs
a date; `OccurrenceQuerySet.lines()` reads the same columns with the event's title as plain
tuples, each an `OccurrenceLine` (about a tenth of that). Both share the time
helpers of `OccurrenceTimes`, so `formatting.when` and the templates' filters read either.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connections
from django.db.models.query import ValuesListIterable
from django.db.models.sql.constants import MULTI
from django.utils import timezone

from events.calendar.schedule import PARIS, Status

# The columns of a line, in the order of `OccurrenceLine`'s fields (checked below).
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


class _LineRow(NamedTuple):
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


class OccurrenceLine(_LineRow, OccurrenceTimes):
    """A date with its event's title: the row's tuple itself, no model instance behind it."""

    __slots__ = ()


# Where the timestamps are in a line's row.
_TIMESTAMPS = tuple(
    i for i, name in enumerate(LINE_FIELDS) if name.endswith("start") or name == "end"
)
_new_line = tuple.__new__
assert len(LINE_FIELDS) == len(_LineRow._fields)


class OccurrenceLineIterable(ValuesListIterable):
    """`values_list(*LINE_FIELDS)` rows as `OccurrenceLine`s (lazy, sliceable, one query).

    On SQLite the driver already turns the declared `datetime` and `bool` columns into Python
    values; Django's generic converters then test and convert every value again, which took a
    third of a month's listing (4,400 dates). Here the four timestamps are only given the
    database's time zone, as those converters would; other databases take the generic path.
    """

    def __iter__(self):
        queryset = self.queryset
        connection = connections[queryset.db]
        if connection.vendor != "sqlite" or not settings.USE_TZ:
            for row in super().__iter__():
                yield _new_line(OccurrenceLine, row)
            return
        compiler = queryset.query.get_compiler(queryset.db)
        zone = connection.timezone
        width = len(LINE_FIELDS)
        chunks = compiler.execute_sql(
            MULTI, chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size
        )
        # Dates of weekly series share a few dozen instants a month: each made aware once.
        aware: dict[datetime, datetime] = {}
        for chunk in chunks:
            for raw in chunk:
                row = list(raw[:width])
                for i in _TIMESTAMPS:
                    naive = row[i]
                    if naive is not None:
                        row[i] = aware.get(naive) or aware.setdefault(
                            naive, naive.replace(tzinfo=zone)
                        )
                yield _new_line(OccurrenceLine, row)
