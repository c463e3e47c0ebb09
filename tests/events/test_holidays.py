"""French public holidays by region: the days, their French names, and the pages that show them."""

from datetime import date

import pytest
import time_machine

from django.core import checks

from events.calendar.holidays import ALSACE_MOSELLE, REGIONS, holidays_between, holidays_of
from events.models import Occurrence


def test_the_eleven_metropolitan_holidays_of_2026():
    assert sorted(holidays_of(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 8),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 7, 14),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
    ]


def test_alsace_moselle_adds_good_friday_and_saint_stephen():
    extra = set(holidays_of(2026, ALSACE_MOSELLE)) - set(holidays_of(2026))
    assert extra == {date(2026, 4, 3), date(2026, 12, 26)}


@pytest.mark.parametrize(
    ("region", "day"),
    [
        # Each department commemorates the abolition of slavery on its own date.
        ("mayotte", date(2027, 4, 27)),
        ("martinique", date(2027, 5, 22)),
        ("guadeloupe", date(2027, 5, 27)),
        ("guyane", date(2027, 6, 10)),
        ("la-reunion", date(2027, 12, 20)),
    ],
)
def test_each_overseas_department_has_its_own_abolition_day(region, day):
    days = holidays_of(2027, region)
    assert "Abolition de l'esclavage" in days[day]
    assert day not in holidays_of(2027)
    assert set(holidays_of(2027)) <= set(days)  # and the national days too


def test_names_are_french():
    assert holidays_of(2027)[date(2027, 5, 17)] == "Lundi de Pentecôte"
    assert holidays_of(2027)[date(2027, 1, 1)] == "Jour de l'an"


def test_between_spans_years():
    found = holidays_between(date(2026, 12, 20), date(2027, 1, 5))
    assert found == {date(2026, 12, 25): "Noël", date(2027, 1, 1): "Jour de l'an"}


def test_an_unknown_region_is_refused_by_the_system_checks(settings):
    settings.PUBLIC_HOLIDAYS_REGION = "guadeloupe"
    assert not [e for e in checks.run_checks() if e.id == "events.E001"]
    settings.PUBLIC_HOLIDAYS_REGION = "reunion"  # a typo would silently open every holiday
    [error] = [e for e in checks.run_checks() if e.id == "events.E001"]
    assert "la-reunion" in error.hint
    with pytest.raises(ValueError):
        holidays_of(2027, "reunion")


def test_every_region_answers():
    for region in REGIONS:
        assert len(holidays_of(2027, region)) >= 11, region


@pytest.mark.django_db
def test_an_overseas_permanence_skips_and_names_its_holiday(
    client, residence, settings, publish_permanence
):
    """A Thursday permanence in Guadeloupe: no date on 27 May 2027, and the page says why."""
    settings.PUBLIC_HOLIDAYS_REGION = "guadeloupe"
    with time_machine.travel("2027-05-01 09:00 +02:00", tick=False):
        page = publish_permanence(
            residence, title="Permanence du jeudi", first_date=date(2027, 5, 6), count=6
        )
        days = {o.local_start.date() for o in Occurrence.objects.filter(page=page)}
        # 6 May is Ascension; 27 May is the abolition of slavery in Guadeloupe.
        assert days == {date(2027, 5, 13), date(2027, 5, 20), date(2027, 6, 3), date(2027, 6, 10)}
        html = client.get(page.url).content.decode()
    assert "Jours fériés sans permanence" in html
    assert "Jeudi 27 mai 2027</time>\u00a0: Abolition de l&#x27;esclavage" in html
