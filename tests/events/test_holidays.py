"""French public holidays, computed (Easter included) rather than listed by hand."""

from datetime import date

import pytest

from events.calendar.holidays import ALSACE_MOSELLE, easter_sunday, holidays_between, holidays_of


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter(year, easter):
    assert easter_sunday(year) == easter


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


def test_between_spans_years():
    found = holidays_between(date(2026, 12, 20), date(2027, 1, 5))
    assert found == {date(2026, 12, 25): "Noël", date(2027, 1, 1): "Jour de l'an"}
