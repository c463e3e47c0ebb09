"""Booking rules at the edges: a lowered capacity, cancelled and past dates, knowing overbooking.

The last test mixes every booking operation from several threads on the file database (and on
PostgreSQL in CI), then checks the counter, the waiting list and its order.
"""

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import time_machine

from django.db import IntegrityError, connections, transaction
from django.db.models import F, Sum

from events.models import EventException, Notice, Registration, SeatCounter
from events.registrations import services as booking
from events.registrations.services import (
    Party,
    RegistrationError,
    cancel,
    change_party,
    move_to_confirmed,
    register,
    set_capacity,
)

pytestmark = pytest.mark.engine

PROMOTED_SUBJECT = "place s'est libérée"


def party(name: str, adults: int = 1) -> Party:
    return Party(first_name=name, adults=adults, email=f"{name.lower()}@example.fr")


def counter_of(occurrence) -> SeatCounter:
    return SeatCounter.objects.get(occurrence=occurrence)


def confirmed_seats(occurrence) -> int:
    return (
        Registration.objects.filter(occurrence=occurrence, status="confirmed").aggregate(
            total=Sum("seats")
        )["total"]
        or 0
    )


def assert_counter_truthful(occurrence) -> SeatCounter:
    counter = counter_of(occurrence)
    assert counter.seats_taken == confirmed_seats(occurrence)
    assert counter.overbooking == counter.excess
    assert counter.seats_taken <= counter.capacity + counter.overbooking
    return counter


def status_of(registration) -> str:
    return Registration.objects.get(pk=registration.pk).status


@pytest.fixture
def mediator(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("mediatrice", "m@example.fr", "motdepasse-long")


# A lowered capacity -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_lowered_capacity_promotes_nobody_until_seats_fall_below_it(
    outing, mailoutbox, django_capture_on_commit_callbacks
):
    set_capacity(outing, 60)
    seated = [register(outing, party(f"C{n}")) for n in range(60)]
    assert {r.status for r in seated} == {"confirmed"}
    # Oldest first: a party of 3, then 1, 2, 1.
    w3, w1, w2, w1b = (
        register(outing, party(name, adults))
        for name, adults in (("Wtrois", 3), ("Wun", 1), ("Wdeux", 2), ("Wunbis", 1))
    )
    assert {status_of(r) for r in (w3, w1, w2, w1b)} == {"waiting"}

    change = set_capacity(outing, 40)
    assert (change.promoted, change.over) == ([], 20)
    counter = assert_counter_truthful(outing)
    assert (counter.capacity, counter.seats_taken, counter.overbooking) == (40, 60, 20)
    assert Registration.objects.filter(status="confirmed").count() == 60  # nobody is dropped

    def cancel_next():
        with django_capture_on_commit_callbacks(execute=True):
            promoted = cancel(seated.pop())
        return promoted, assert_counter_truthful(outing)

    for _ in range(8):
        promoted, counter = cancel_next()
        assert promoted == []
    assert (counter.seats_taken, counter.overbooking) == (52, 12)
    assert {status_of(r) for r in (w3, w1, w2, w1b)} == {"waiting"}
    assert not [m for m in mailoutbox if PROMOTED_SUBJECT in m.subject]

    for _ in range(12):  # down to exactly 40: still no free seat
        assert cancel_next()[0] == []
    assert (counter_of(outing).seats_taken, counter_of(outing).overbooking) == (40, 0)
    assert not [m for m in mailoutbox if PROMOTED_SUBJECT in m.subject]

    promoted_in_order = []
    for _ in range(7):
        promoted, counter = cancel_next()
        assert counter.seats_taken <= 40
        promoted_in_order.append([r.pk for r in promoted])
    # 39 → the oldest party that fits (1); 39 → the next one of 1 (the party of 2 does not fit);
    # 39 → nobody fits one seat; 38 → the party of 2; 39, 38, 37 → at last the party of 3.
    assert promoted_in_order == [[w1.pk], [w1b.pk], [], [w2.pk], [], [], [w3.pk]]
    assert counter_of(outing).seats_taken == 40
    mailed = [m.to[0] for m in mailoutbox if PROMOTED_SUBJECT in m.subject]
    assert mailed == [
        "wun@example.fr",
        "wunbis@example.fr",
        "wdeux@example.fr",
        "wtrois@example.fr",
    ]


# Cancelled and past dates -------------------------------------------------------------------


@pytest.fixture
def booked(outing):
    """Two seats: a confirmed party of 2, then two waiting parties of 1."""
    set_capacity(outing, 2)
    first = register(outing, party("Awa", 2))
    waiting = [register(outing, party("Luc")), register(outing, party("Ines"))]
    assert [r.status for r in waiting] == ["waiting", "waiting"]
    return first, waiting


def assert_closed_date_refuses_and_promotes_nobody(
    outing, booked, mediator, mailoutbox, on_commit, refused_signup, refused_change
):
    first, waiting = booked
    with pytest.raises(RegistrationError, match=refused_signup):
        register(outing, party("Nadia"))
    with pytest.raises(RegistrationError, match=refused_change):
        register(outing, party("Nadia"), by_user=mediator, enforce_window=False)
    with pytest.raises(RegistrationError, match=refused_change):
        register(
            outing, party("Nadia"), by_user=mediator, enforce_window=False, beyond_capacity=True
        )
    assert not Registration.objects.filter(first_name="Nadia").exists()
    with pytest.raises(RegistrationError, match="Le nombre de personnes ne peut plus changer"):
        change_party(first, 1, 0)
    with pytest.raises(RegistrationError, match=refused_change):
        change_party(waiting[0], 1, 0)
    assert Registration.objects.get(pk=first.pk).seats == 2
    for forced in (False, True):
        with pytest.raises(RegistrationError, match=refused_change):
            move_to_confirmed(waiting[0], by_user=mediator, beyond_capacity=forced)
    assert status_of(waiting[0]) == "waiting"
    mailoutbox.clear()
    with on_commit(execute=True):
        promoted = cancel(first)
    assert promoted == []
    assert [status_of(r) for r in waiting] == ["waiting", "waiting"]
    assert not [m for m in mailoutbox if PROMOTED_SUBJECT in m.subject]
    assert not Notice.objects.filter(kind=Notice.Kind.PROMOTED).exists()
    counter = assert_counter_truthful(outing)
    assert counter.seats_taken == 0


@pytest.mark.django_db
def test_a_cancelled_date_refuses_every_change_and_promotes_nobody(
    outing, booked, mediator, mailoutbox, django_capture_on_commit_callbacks
):
    page = outing.page.specific
    page.exceptions.add(
        EventException(kind="cancelled", date=date(2030, 6, 1), reason="Tempête annoncée")
    )
    page.save_revision().publish()
    outing.refresh_from_db()
    assert outing.status == "cancelled"
    assert_closed_date_refuses_and_promotes_nobody(
        outing,
        booked,
        mediator,
        mailoutbox,
        django_capture_on_commit_callbacks,
        refused_signup=r"^Cette date est annulée\.$",
        refused_change=r"^Cette date est annulée \(Tempête annoncée\)\.",
    )


@pytest.mark.django_db
def test_a_past_date_refuses_every_change_and_promotes_nobody(
    outing, booked, mediator, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel("2030-06-01 12:00 +02:00", tick=False):  # the outing has started
        assert_closed_date_refuses_and_promotes_nobody(
            outing,
            booked,
            mediator,
            mailoutbox,
            django_capture_on_commit_callbacks,
            refused_signup=r"^Cette date est passée : les inscriptions sont closes\.$",
            refused_change=r"^Cette date est passée\.",
        )


# Knowingly beyond the capacity --------------------------------------------------------------


@pytest.mark.django_db
def test_a_mediator_confirms_beyond_capacity_only_knowingly(outing, booked, mediator):
    first, (luc, ines) = booked
    with pytest.raises(RegistrationError, match="pas assez de places libres pour ce groupe"):
        move_to_confirmed(luc, by_user=mediator)
    assert status_of(luc) == "waiting"
    counter = assert_counter_truthful(outing)
    assert (counter.seats_taken, counter.overbooking) == (2, 0)

    move_to_confirmed(luc, by_user=mediator, beyond_capacity=True)
    luc.refresh_from_db()
    assert (luc.status, luc.beyond_capacity, luc.beyond_capacity_by) == (
        "confirmed",
        True,
        mediator,
    )
    counter = assert_counter_truthful(outing)
    assert (counter.capacity, counter.seats_taken, counter.overbooking) == (2, 3, 1)
    assert status_of(ines) == "waiting"  # one forced party does not open the door to others

    # On behalf of someone, by phone: refused when full unless ticked, and a party larger than
    # the whole capacity is allowed only knowingly too.
    phoned = Party(first_name="Mme Diallo", adults=3, phone="06 11 22 33 44")
    with pytest.raises(RegistrationError, match="plus grand que le nombre total"):
        register(outing, phoned, by_user=mediator, enforce_window=False)
    diallo = register(outing, phoned, by_user=mediator, enforce_window=False, beyond_capacity=True)
    assert (diallo.status, diallo.beyond_capacity, diallo.beyond_capacity_by) == (
        "confirmed",
        True,
        mediator,
    )
    diallo.refresh_from_db()
    assert (diallo.beyond_capacity, diallo.beyond_capacity_by_id) == (True, mediator.pk)
    counter = assert_counter_truthful(outing)
    assert (counter.seats_taken, counter.overbooking) == (6, 4)

    # The forced parties leave: overbooking shrinks with them, nobody waiting is promoted into
    # seats that are still beyond the capacity.
    assert cancel(diallo) == []
    counter = assert_counter_truthful(outing)
    assert (counter.seats_taken, counter.overbooking) == (3, 1)
    assert cancel(luc) == []
    counter = assert_counter_truthful(outing)
    assert (counter.seats_taken, counter.overbooking) == (2, 0)
    assert status_of(ines) == "waiting"

    # The guard is tight again: no path can write one seat over the capacity.
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatCounter.objects.filter(occurrence=outing).update(seats_taken=F("capacity") + 1)
    assert counter_of(outing).seats_taken == 2


@pytest.mark.django_db
def test_beyond_capacity_is_not_recorded_when_the_party_fits(outing, mediator):
    registration = register(
        outing, party("Awa", 2), by_user=mediator, enforce_window=False, beyond_capacity=True
    )
    registration.refresh_from_db()
    assert (registration.status, registration.beyond_capacity) == ("confirmed", False)
    assert registration.beyond_capacity_by is None
    assert counter_of(outing).overbooking == 0


# Every operation at once ---------------------------------------------------------------------


def in_thread(function):
    """Run with the thread's own connection, closed afterwards (Django opens one per thread)."""

    def run(*args):
        try:
            return function(*args)
        finally:
            connections.close_all()

    return run


@pytest.mark.django_db(transaction=True)
def test_mixed_operations_from_8_threads_keep_the_counter_and_the_waiting_order(outing):
    rng = random.Random(23)
    plan = [(rng.random(), rng.randint(1, 4), rng.random()) for _ in range(240)]
    lock = threading.Lock()
    made: list[int] = []
    waited: set[int] = set()  # registrations that were put on the waiting list at sign-up
    resized: set[int] = set()  # their size changed: the order check does not apply to them
    errors: list[str] = []
    set_capacity(outing, 30)

    @in_thread
    def act(step: int):
        roll, size, pick = plan[step]
        try:
            if roll < 0.55 or not made:
                registration = register(outing, party(f"T{step}", size))
                with lock:
                    made.append(registration.pk)
                    if registration.status == "waiting":
                        waited.add(registration.pk)
                return
            with lock:
                registration_id = made[int(pick * len(made))]
            if roll < 0.8:
                cancel(Registration.objects.get(pk=registration_id))
            elif roll < 0.92:
                with lock:
                    resized.add(registration_id)
                change_party(Registration.objects.get(pk=registration_id), size, 0)
            else:
                set_capacity(outing, [18, 24, 30, 36][int(pick * 4)])
        except RegistrationError:
            pass
        except Exception as error:  # noqa: BLE001 - every failure is a finding here
            errors.append(f"{type(error).__name__}: {error}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(act, range(len(plan))))

    assert errors == []
    counter = assert_counter_truthful(outing)
    registrations = list(Registration.objects.filter(occurrence=outing))
    assert len(registrations) == len(made)
    free = counter.remaining
    waiting = [r for r in registrations if r.status == "waiting"]
    assert all(r.seats > free for r in waiting), (free, sorted(r.seats for r in waiting))
    # FIFO: a party promoted from the waiting list never went before an older party of the
    # same size or smaller that is still waiting.
    promoted = [r for r in registrations if r.status == "confirmed" and r.pk in waited]
    assert promoted and waiting  # the run did exercise the waiting list
    promoted = [r for r in promoted if r.pk not in resized]
    still_waiting = [r for r in waiting if r.pk not in resized]
    for confirmed in promoted:
        jumped = [
            r.pk
            for r in still_waiting
            if (r.created_at, r.pk) < (confirmed.created_at, confirmed.pk)
            and r.seats <= confirmed.seats
        ]
        assert not jumped, (confirmed.pk, confirmed.seats, jumped)
    assert booking.closed_for_changes(outing) == ""
