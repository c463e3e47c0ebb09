"""Dates and rules in the admin user's language: French keeps the public wording, English gets
its own sentences (not French words in an English page)."""

import datetime as dt

import pytest

from django.utils import translation

from events.calendar.admin_formatting import english_schedule
from events.calendar.schedule import Frequency, Schedule

TUESDAY = dt.date(2026, 12, 1)


def rule(**kwargs) -> Schedule:
    times = {"start_time": dt.time(14), "end_time": dt.time(17)}
    return Schedule(first_date=TUESDAY, **{**times, **kwargs})


@pytest.mark.parametrize(
    ("schedule", "english", "french"),
    [
        (
            rule(),
            "Tuesday, December 1, 2026, 2 p.m.–5 p.m.",
            "mardi 1er décembre 2026, de 14h à 17h",
        ),
        (
            rule(frequency=Frequency.WEEKLY),
            "Every Tuesday, 2 p.m.–5 p.m.",
            "Tous les mardis, de 14h à 17h",
        ),
        (
            rule(frequency=Frequency.WEEKLY, interval=2),
            "Every other Tuesday, 2 p.m.–5 p.m.",
            "Un mardi sur deux, de 14h à 17h",
        ),
        (
            rule(
                frequency=Frequency.WEEKLY, weekdays=(1, 3), interval=3, until=dt.date(2027, 1, 16)
            ),
            "Tuesdays and Thursdays, every 3 weeks, until January 16, 2027, 2 p.m.–5 p.m.",
            "Les mardis et jeudis, une semaine sur trois, jusqu'au 16 janvier 2027, de 14h à 17h",
        ),
        (
            rule(frequency=Frequency.MONTHLY_DATE, count=6),
            "On the 1st of the month (6 dates), 2 p.m.–5 p.m.",
            "Le 1er du mois (6 dates), de 14h à 17h",
        ),
        (
            rule(frequency=Frequency.MONTHLY_WEEKDAY, interval=2, start_time=dt.time(9, 30)),
            "On the first Tuesday, every 2 months, 9:30 a.m.–5 p.m.",
            "Le 1er mardi, tous les 2 mois, de 9h30 à 17h",
        ),
    ],
)
def test_a_rule_reads_in_each_admin_language(schedule, english, french):
    with translation.override("en"):
        assert english_schedule(schedule) == english
    # French is the schedule's own description, whatever language is active.
    with translation.override("en"):
        assert schedule.describe() == french


def test_the_editors_schedule_errors_speak_their_language():
    from events.calendar.schedule import ExceptionKind, ScheduleException, validate

    sunday_in_march = dt.date(2027, 3, 28)  # clocks go forward at 2 a.m. in Paris
    bad = [
        Schedule(first_date=TUESDAY, frequency=Frequency.WEEKLY, interval=99),
        Schedule(first_date=sunday_in_march, start_time=dt.time(2, 30), end_time=dt.time(4)),
    ]
    moved = [ScheduleException(kind=ExceptionKind.CANCELLED, date=dt.date(2026, 12, 2))]
    weekly = rule(frequency=Frequency.WEEKLY)
    with translation.override("en"):
        assert validate(bad[0], [], TUESDAY).fields == {
            "interval": ["Choose an interval between 1 and 12."]
        }
        assert validate(bad[1], [], TUESDAY).fields == {
            "start_time": [
                "2:30 a.m. on Sunday, March 28, 2027 does not exist (clocks go forward). "
                "Choose another time."
            ]
        }
        assert validate(weekly, moved, TUESDAY).rows == {
            (0, "date"): ["Wednesday, December 2, 2026 is not a date of the series."]
        }
    with translation.override("fr"):
        assert validate(weekly, moved, TUESDAY).rows == {
            (0, "date"): ["Le mercredi 2 décembre 2026 n'est pas une date de la série."]
        }
