"""The occurrence engine on its own: the classic calendar scenarios in Europe/Paris, and refusals."""

from datetime import UTC, date, time

import pytest

from events.calendar.schedule import (
    ExceptionKind,
    Frequency,
    Schedule,
    ScheduleException,
    Status,
    plan,
    validate,
)

HORIZON = date(2028, 3, 1)


def utc_hours(planned) -> list[str]:
    return [o.start.astimezone(UTC).strftime("%m-%d %H:%M") for o in planned]


def tuesday_series(**fields) -> Schedule:
    return Schedule(date(2026, 3, 3), time(14), time(17), frequency=Frequency.WEEKLY, **fields)


def test_weekly_tuesday_keeps_local_time_across_both_dst_changes():
    planned = plan(tuesday_series(until=date(2026, 11, 3)), [], HORIZON)
    by_day = {o.start.date(): o for o in planned}
    assert {o.start.strftime("%H:%M") for o in planned} == {"14:00"}
    assert by_day[date(2026, 3, 24)].start.astimezone(UTC).hour == 13
    assert by_day[date(2026, 3, 31)].start.astimezone(UTC).hour == 12
    assert by_day[date(2026, 10, 20)].start.astimezone(UTC).hour == 12
    assert by_day[date(2026, 10, 27)].start.astimezone(UTC).hour == 13


def test_cancelled_date_is_kept_as_cancelled_with_its_reason():
    cancel = ScheduleException(ExceptionKind.CANCELLED, date(2026, 3, 31), reason="Formation")
    planned = plan(tuesday_series(count=6), [cancel], HORIZON)
    cancelled = [o for o in planned if o.status == Status.CANCELLED]
    assert [(o.start.date(), o.reason) for o in cancelled] == [(date(2026, 3, 31), "Formation")]
    assert len(planned) == 6


def test_several_exclusions_remove_exactly_those_dates():
    closed = frozenset({date(2026, 4, 14), date(2026, 4, 21)})
    planned = plan(tuesday_series(until=date(2026, 5, 5)), [], HORIZON, closed)
    days = [o.start.date() for o in planned]
    assert date(2026, 4, 14) not in days and date(2026, 4, 21) not in days
    assert date(2026, 4, 7) in days and date(2026, 4, 28) in days
    assert len(days) == 10 - 2


def test_moved_occurrence_replaces_the_original_date_once():
    move = ScheduleException(
        ExceptionKind.MOVED,
        date(2026, 4, 7),
        new_date=date(2026, 4, 8),
        new_start_time=time(10),
        new_end_time=time(12),
    )
    planned = plan(tuesday_series(count=8), [move], HORIZON)
    days = [o.start.date() for o in planned]
    assert date(2026, 4, 7) not in days
    assert days.count(date(2026, 4, 8)) == 1
    moved = next(o for o in planned if o.status == Status.MOVED)
    assert moved.original_start.date() == date(2026, 4, 7)
    assert (moved.start.hour, moved.end.hour) == (10, 12)


def test_until_includes_its_own_day():
    planned = plan(tuesday_series(until=date(2026, 6, 30)), [], HORIZON)
    assert planned[-1].start.date() == date(2026, 6, 30)


def test_count_from_thursday_15_october_crosses_the_autumn_change():
    schedule = Schedule(
        date(2026, 10, 15), time(9, 30), time(11), frequency=Frequency.WEEKLY, count=5
    )
    assert utc_hours(plan(schedule, [], HORIZON)) == [
        "10-15 07:30",
        "10-22 07:30",
        "10-29 08:30",
        "11-05 08:30",
        "11-12 08:30",
    ]


def test_monthly_second_tuesday_for_six_months():
    schedule = Schedule(
        date(2026, 1, 13), time(18), time(20), frequency=Frequency.MONTHLY_WEEKDAY, count=6
    )
    assert [o.start.date() for o in plan(schedule, [], HORIZON)] == [
        date(2026, 1, 13),
        date(2026, 2, 10),
        date(2026, 3, 10),
        date(2026, 4, 14),
        date(2026, 5, 12),
        date(2026, 6, 9),
    ]


def test_monthly_on_the_31st_skips_short_months():
    schedule = Schedule(
        date(2026, 1, 31), time(18), time(19), frequency=Frequency.MONTHLY_DATE, count=4
    )
    assert [o.start.date() for o in plan(schedule, [], HORIZON)] == [
        date(2026, 1, 31),
        date(2026, 3, 31),
        date(2026, 5, 31),
        date(2026, 7, 31),
    ]


def test_every_other_week():
    schedule = tuesday_series(interval=2, count=3)
    assert [o.start.date() for o in plan(schedule, [], HORIZON)] == [
        date(2026, 3, 3),
        date(2026, 3, 17),
        date(2026, 3, 31),
    ]


def test_all_day_event_ends_at_the_next_midnight():
    [occurrence] = plan(Schedule(date(2026, 5, 1)), [], HORIZON)
    assert occurrence.all_day
    assert (occurrence.start.date(), occurrence.end.date()) == (date(2026, 5, 1), date(2026, 5, 2))


def test_event_over_several_days():
    schedule = Schedule(date(2026, 7, 6), time(9), time(17), end_date=date(2026, 7, 8))
    [occurrence] = plan(schedule, [], HORIZON)
    assert (occurrence.start.date(), occurrence.end.date()) == (date(2026, 7, 6), date(2026, 7, 8))


def test_extra_date_is_its_own_occurrence():
    extra = ScheduleException(
        ExceptionKind.EXTRA, date(2026, 3, 5), new_start_time=time(10), new_end_time=time(12)
    )
    planned = plan(tuesday_series(count=2), [extra], HORIZON)
    assert [(o.start.date(), o.is_extra) for o in planned] == [
        (date(2026, 3, 3), False),
        (date(2026, 3, 5), True),
        (date(2026, 3, 10), False),
    ]


@pytest.mark.parametrize(
    ("schedule", "field", "fragment"),
    [
        (Schedule(date(2026, 3, 3), time(17), time(14)), "end_time", "après l'heure de début"),
        (Schedule(date(2026, 3, 3), time(14), None), "end_time", "Indiquez l'heure de fin"),
        (
            Schedule(date(2026, 3, 29), time(2, 30), time(4)),
            "start_time",
            "n'existe pas (passage à l'heure d'été)",
        ),
        (Schedule(date(2026, 10, 25), time(1), time(2, 30)), "end_time", "existe deux fois"),
        (
            Schedule(date(2026, 3, 1), time(2, 15), time(3, 30), frequency=Frequency.WEEKLY),
            "start_time",
            "dimanche 29 mars 2026",
        ),
        (tuesday_series(until=date(2026, 2, 1)), "until", "après la première date"),
        (tuesday_series(until=date(2026, 5, 1), count=3), "count", "pas les deux"),
        (tuesday_series(count=0), "count", "entre 1 et"),
        (tuesday_series(interval=0), "interval", "entre 1 et"),
        (tuesday_series(weekdays=(3,)), "weekdays", "La première date est un mardi"),
        (
            Schedule(date(2026, 3, 3), end_date=date(2026, 3, 1)),
            "end_date",
            "après la date de début",
        ),
        (Schedule(date(2026, 3, 3), until=date(2026, 4, 1)), "until", "ne sert que"),
    ],
)
def test_impossible_schedules_are_refused_in_french(schedule, field, fragment):
    errors = validate(schedule, [], HORIZON)
    assert any(fragment in message for message in errors.fields.get(field, [])), errors.fields


@pytest.mark.parametrize(
    ("exception", "field", "fragment"),
    [
        (
            ScheduleException(ExceptionKind.CANCELLED, date(2026, 3, 4)),
            "date",
            "n'est pas une date de la série",
        ),
        (
            ScheduleException(ExceptionKind.EXTRA, date(2026, 3, 10)),
            "date",
            "fait déjà partie de la série",
        ),
        (
            ScheduleException(ExceptionKind.MOVED, date(2026, 3, 10)),
            "new_date",
            "Indiquez la nouvelle date",
        ),
        (
            ScheduleException(ExceptionKind.MOVED, date(2026, 3, 10), new_date=date(2026, 3, 18)),
            "new_date",
            "entre les dates voisines",
        ),
        (
            ScheduleException(ExceptionKind.MOVED, date(2026, 3, 10), new_start_time=time(18)),
            "new_end_time",
            "après l'heure de début",
        ),
        (
            ScheduleException(ExceptionKind.EXTRA, date(2026, 3, 29), new_start_time=time(2, 30)),
            "new_start_time",
            "n'existe pas",
        ),
    ],
)
def test_impossible_particular_dates_are_refused(exception, field, fragment):
    errors = validate(tuesday_series(count=5), [exception], HORIZON)
    assert any(fragment in m for m in errors.rows.get((0, field), [])), errors.rows


def test_same_date_twice_is_refused():
    rows = [ScheduleException(ExceptionKind.CANCELLED, date(2026, 3, 10))] * 2
    errors = validate(tuesday_series(count=5), rows, HORIZON)
    assert "figure déjà" in errors.rows[(1, "date")][0]


def test_valid_series_has_no_error():
    assert not validate(tuesday_series(count=5), [], HORIZON)


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        (tuesday_series(), "Tous les mardis, de 14h à 17h"),
        (tuesday_series(interval=2), "Un mardi sur deux, de 14h à 17h"),
        (tuesday_series(weekdays=(1, 3)), "Tous les mardis et jeudis, de 14h à 17h"),
        (
            Schedule(date(2026, 1, 13), time(18), time(20), frequency=Frequency.MONTHLY_WEEKDAY),
            "Le 2e mardi du mois, de 18h à 20h",
        ),
        (
            tuesday_series(until=date(2026, 6, 30)),
            "Tous les mardis, jusqu'au 30 juin 2026, de 14h à 17h",
        ),
    ],
)
def test_rule_in_plain_french(schedule, text):
    assert schedule.describe() == text
