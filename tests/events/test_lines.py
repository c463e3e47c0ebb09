"""`lines()` reads a date as the model row says it, on every engine, with aware timestamps.

On SQLite the lines skip Django's generic converters (events/calendar/lines.py): what they read
must still be what `Occurrence` instances read, field by field, across a clock change.
"""

from datetime import UTC, date, time, timedelta

import pytest
import time_machine

from events.calendar.lines import LINE_FIELDS, OccurrenceLine
from events.calendar.schedule import PARIS, Frequency, Status
from events.models import Occurrence

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def test_lines_read_what_the_rows_hold(publish_event, residence):
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        page = publish_event(
            residence,
            title="Café « du jeudi »",
            first_date=date(2026, 3, 5),
            frequency=Frequency.WEEKLY,
            until=date(2026, 4, 30),
            start_time=time(14, 30),
            end_time=time(17),
            exceptions=[
                {"kind": "cancelled", "date": date(2026, 3, 12), "reason": "Grève"},
                {
                    "kind": "moved",
                    "date": date(2026, 3, 26),
                    "new_date": date(2026, 3, 27),
                    "new_start_time": time(10),
                    "new_end_time": time(12),
                    "venue_note": "Salle du bas",
                },
                {"kind": "extra", "date": date(2026, 4, 4)},
            ],
        )
        rows = list(Occurrence.objects.filter(page=page).order_by("start", "pk"))
        lines = list(Occurrence.objects.filter(page=page).order_by("start", "pk").lines())

    assert len(lines) == len(rows) > 8
    for line, row in zip(lines, rows, strict=True):
        assert isinstance(line, OccurrenceLine)
        for field in LINE_FIELDS:
            expected = page.title if field == "page__title" else getattr(row, field)
            got = line.title if field == "page__title" else getattr(line, field)
            assert got == expected and type(got) is type(expected), field
        assert line.start.utcoffset() == timedelta(0) and line.start.tzinfo == UTC
    # Across the clock change of 29 March the local time stays 14:30.
    assert {line.local_start.time() for line in lines if line.status == Status.SCHEDULED} == {
        time(14, 30)
    }
    assert any(line.is_cancelled and line.reason == "Grève" for line in lines)
    moved = next(line for line in lines if line.is_moved)
    assert moved.local_start == moved.start.astimezone(PARIS)
    assert moved.moved_from and moved.moved_from.astimezone(PARIS).date() == date(2026, 3, 26)
    assert moved.venue_note == "Salle du bas"
    assert any(line.is_extra for line in lines)
