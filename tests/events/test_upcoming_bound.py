"""`upcoming()` seeks from the earliest start still running: dates in progress are never lost."""

from datetime import date, datetime, time

import pytest
import time_machine

from events.calendar.schedule import PARIS
from events.models import Occurrence

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def test_dates_in_progress_stay_upcoming(publish_event, residence):
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        stay = publish_event(
            residence,
            title="Séjour",
            first_date=date(2026, 3, 2),
            end_date=date(2026, 3, 9),
            start_time=time(9),
            end_time=time(18),
        )
        today = publish_event(
            residence,
            title="Café du matin",
            first_date=date(2026, 3, 5),
            start_time=time(9),
            end_time=time(12),
        )
        past = publish_event(residence, title="Passé", first_date=date(2026, 3, 3))
    now = datetime(2026, 3, 5, 10, 0, tzinfo=PARIS)  # day 4 of the stay, during the café
    titles = [o.page.title for o in Occurrence.objects.events().upcoming(now)]
    assert titles == ["Séjour", "Café du matin"]
    lines = list(Occurrence.objects.events().upcoming(now).lines())
    assert [line.title for line in lines] == ["Séjour", "Café du matin"]
    assert lines[0].spans_days and lines[0].page_id == stay.pk
    assert past.pk not in {line.page_id for line in lines} and today.pk == lines[1].page_id
