"""400 concurrent sign-ups against 50 seats, with real threads on a real database.

Runs on the file SQLite database of `make test` and again on PostgreSQL in CI. The negative
control drives the product's own `register` with its guard taken out (the counter it decides on
is read without the lock) and must overbook: that proves these checks can fail.
"""

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from django.db import connections
from django.db.models import Sum

from events.models import Registration, SeatCounter
from events.registrations import services as booking

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.engine]

SIGNUPS = 400
THREADS = 8
CAPACITY = 50


def in_thread(function):
    """Run with the thread's own connection, closed afterwards (Django opens one per thread)."""

    def run(*args):
        try:
            return function(*args)
        finally:
            connections.close_all()

    return run


def confirmed_seats(occurrence) -> int:
    return (
        Registration.objects.filter(occurrence=occurrence, status="confirmed").aggregate(
            total=Sum("seats")
        )["total"]
        or 0
    )


def test_400_concurrent_signups_never_overbook(outing):
    random.seed(7)
    sizes = [random.randint(1, 4) for _ in range(SIGNUPS)]
    errors: list[str] = []

    @in_thread
    def sign_up(number: int):
        party = booking.Party(
            first_name=f"P{number}", adults=sizes[number], email=f"p{number}@example.fr"
        )
        try:
            return booking.register(outing, party)
        except Exception as error:  # noqa: BLE001 - every failure is a finding here
            errors.append(f"{type(error).__name__}: {error}")
            return None

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(sign_up, range(SIGNUPS)))

    assert errors == []
    counter = SeatCounter.objects.get(occurrence=outing)
    assert counter.seats_taken == confirmed_seats(outing)
    assert counter.seats_taken <= CAPACITY
    assert counter.seats_taken >= CAPACITY - 3  # full, up to a party that did not fit
    waiting = list(
        Registration.objects.filter(occurrence=outing, status="waiting").order_by(
            "created_at", "pk"
        )
    )
    assert len(waiting) + Registration.objects.filter(status="confirmed").count() == SIGNUPS
    # The waiting list is in arrival order (time of the request), positions 1, 2, 3…
    assert [r.waiting_position for r in waiting] == list(range(1, len(waiting) + 1))
    assert [r.created_at for r in waiting] == sorted(r.created_at for r in waiting)
    assert all(r is not None for r in results)


def test_mixed_signups_cancellations_and_capacity_changes_leave_no_free_seat_to_a_waiting_party(
    outing,
):
    random.seed(11)
    lock = threading.Lock()
    made: list[int] = []
    errors: list[str] = []

    @in_thread
    def act(step: int):
        try:
            roll = random.random()
            if roll < 0.65 or not made:
                party = booking.Party(
                    first_name=f"M{step}", adults=random.randint(1, 4), email=f"m{step}@example.fr"
                )
                registration = booking.register(outing, party)
                with lock:
                    made.append(registration.pk)
            elif roll < 0.9:
                with lock:
                    registration_id = random.choice(made)
                booking.cancel(Registration.objects.get(pk=registration_id))
            else:
                booking.set_capacity(outing, random.choice([40, 50, 60]))
        except booking.RegistrationError:
            pass
        except Exception as error:  # noqa: BLE001
            errors.append(f"{type(error).__name__}: {error}")

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(act, range(300)))

    assert errors == []
    counter = SeatCounter.objects.get(occurrence=outing)
    # A lowered capacity keeps confirmed people: the counter says how many are over it.
    assert counter.seats_taken == confirmed_seats(outing) <= counter.capacity + counter.overbooking
    assert counter.overbooking == counter.excess
    free = max(0, counter.capacity - counter.seats_taken)
    waiting_sizes = Registration.objects.filter(occurrence=outing, status="waiting").values_list(
        "seats", flat=True
    )
    assert all(size > free for size in waiting_sizes), (free, sorted(waiting_sizes))


def racing_sign_ups(outing, monkeypatch, *, guarded: bool) -> None:
    """48 of 50 seats taken; 8 single people read the counter at the same moment, then sign up.

    Unguarded, `register` decides on the counter each racer read before anyone wrote (what an
    unlocked read gives when they all read first): the product's code path, minus the lock.
    """
    for number in range(CAPACITY - 2):
        booking.register(
            outing, booking.Party(first_name=f"A{number}", email=f"a{number}@example.fr")
        )
    barrier = threading.Barrier(THREADS)
    seen = threading.local()
    real_lock_counter = booking.lock_counter

    def unlocked_counter(occurrence):
        return seen.counter

    monkeypatch.setattr(booking, "lock_counter", real_lock_counter if guarded else unlocked_counter)

    @in_thread
    def race(number: int):
        seen.counter = SeatCounter.objects.get(occurrence=outing)
        barrier.wait(timeout=30)  # every racer has read before anyone writes
        party = booking.Party(first_name=f"R{number}", email=f"r{number}@example.fr")
        return booking.register(outing, party)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(race, range(THREADS)))


def test_without_its_counter_lock_register_overbooks(outing, monkeypatch):
    racing_sign_ups(outing, monkeypatch, guarded=False)
    assert confirmed_seats(outing) == CAPACITY - 2 + THREADS  # all 8 saw two free seats
    # The counter lost the concurrent updates, so its CHECK constraint never saw the overbooking.
    assert SeatCounter.objects.get(occurrence=outing).seats_taken < confirmed_seats(outing)


def test_with_its_counter_lock_the_same_race_fills_the_date_exactly(outing, monkeypatch):
    racing_sign_ups(outing, monkeypatch, guarded=True)
    assert confirmed_seats(outing) == CAPACITY
    assert SeatCounter.objects.get(occurrence=outing).seats_taken == CAPACITY
    assert Registration.objects.filter(occurrence=outing, status="waiting").count() == THREADS - 2
