"""Publishing drives occurrences; drafts never reach tenants; identities survive edits."""

from datetime import date, time
from io import StringIO

import pytest
import time_machine

from django.core.management import call_command

from events.calendar.occurrences import extend_all
from events.models import Occurrence, SeriesVersion

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

NOW = "2026-03-01 09:00 +01:00"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_publishing_creates_occurrences_in_the_tree_scope(publish_event, residence, sector):
    event = publish_event(residence, frequency="weekly", count=4)
    rows = list(Occurrence.objects.filter(page=event).order_by("start"))
    assert len(rows) == 4
    assert {(o.residence_id, o.sector_id, o.kind) for o in rows} == {
        (residence.pk, sector.pk, "event")
    }


def test_a_draft_changes_nothing_until_published(publish_event, residence):
    event = publish_event(residence, frequency="weekly", count=4)
    before = list(Occurrence.objects.filter(page=event).values_list("pk", "start"))
    event.start_time, event.end_time = time(9), time(10)
    event.save_revision()  # draft only
    assert list(Occurrence.objects.filter(page=event).values_list("pk", "start")) == before


def test_edit_keeps_identity_of_unchanged_dates(publish_event, residence):
    event = publish_event(residence, frequency="weekly", count=4)
    ids = dict(Occurrence.objects.filter(page=event).values_list("original_start", "pk"))
    event.count = 6
    event.save_revision().publish()
    after = dict(Occurrence.objects.filter(page=event).values_list("original_start", "pk"))
    assert len(after) == 6
    assert all(after[start] == pk for start, pk in ids.items())


def test_cancelling_a_date_keeps_its_row_and_bumps_the_sequence(publish_event, residence):
    from events.models import EventException

    event = publish_event(residence, frequency="weekly", count=4)
    target = Occurrence.objects.filter(page=event).order_by("start")[1]
    assert SeriesVersion.objects.get(page=event).sequence == 0
    event.exceptions.add(EventException(kind="cancelled", date=date(2026, 3, 10), reason="Grève"))
    event.save_revision().publish()
    target.refresh_from_db()
    assert (target.status, target.reason) == ("cancelled", "Grève")
    assert SeriesVersion.objects.get(page=event).sequence == 1


def test_republishing_unchanged_does_not_bump_the_sequence(publish_event, residence):
    event = publish_event(residence, frequency="weekly", count=4)
    event.save_revision().publish()
    assert SeriesVersion.objects.get(page=event).sequence == 0


def test_unpublish_and_delete_remove_occurrences(publish_event, residence):
    event = publish_event(residence, count=None)
    assert Occurrence.objects.filter(page=event).count() == 1
    event.unpublish()
    assert not Occurrence.objects.filter(page=event).exists()
    event.save_revision().publish()
    assert Occurrence.objects.filter(page=event).count() == 1
    event.delete()
    assert not Occurrence.objects.filter(page_id=event.pk).exists()


def test_open_series_stops_at_the_horizon_and_extends_daily(publish_event, residence, settings):
    settings.OCCURRENCE_HORIZON_DAYS = 30
    event = publish_event(residence, frequency="weekly")
    assert Occurrence.objects.filter(page=event).count() == 5  # 3, 10, 17, 24, 31 March
    with time_machine.travel("2026-03-15 09:00 +01:00", tick=False):
        assert extend_all() == 1
        call_command("extend_occurrences", stdout=StringIO())
    assert Occurrence.objects.filter(page=event).count() == 7
    # New dates moved the rule's end in the feeds (UNTIL): subscribers must re-read the series.
    version = SeriesVersion.objects.get(page=event)
    assert (version.sequence, version.horizon) == (1, date(2026, 4, 14))
    with time_machine.travel("2026-03-16 09:00 +01:00", tick=False):
        extend_all()  # a day that brings no new Tuesday: nothing for subscribers to re-read
    version.refresh_from_db()
    assert (version.sequence, version.horizon) == (1, date(2026, 4, 15))


def test_moving_the_page_moves_its_scope(publish_event, residence, sector, home):
    event = publish_event(residence)
    event.move(sector, pos="last-child")
    occurrence = Occurrence.objects.get(page=event)
    assert (occurrence.residence_id, occurrence.sector_id) == (None, sector.pk)


def test_for_residence_includes_sector_and_landlord_wide(publish_event, residence, sector, home):
    from tests.factories import ResidencePageFactory, SectorPageFactory

    other_sector = SectorPageFactory(parent=home)
    other = ResidencePageFactory(parent=other_sector)
    mine = publish_event(residence, title="Chez moi")
    sector_wide = publish_event(sector, title="Secteur")
    landlord = publish_event(home, title="Partout")
    elsewhere = publish_event(other, title="Ailleurs")
    seen = set(Occurrence.objects.for_residence(residence).values_list("page_id", flat=True))
    assert seen == {mine.pk, sector_wide.pk, landlord.pk}
    assert elsewhere.pk not in seen
