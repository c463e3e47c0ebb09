"""Booking decisions under deterministic interleavings: two connections, one injected pause.

PostgreSQL only: SQLite's IMMEDIATE transactions take the database's write lock at their first
statement, so two bookings of any date never interleave there (the threaded runs in
test_booking_concurrency.py cover SQLite).
"""

import threading
import time

import pytest

from django.db import connection, connections

from events.models import Registration, SeatCounter
from events.registrations import services as booking

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.engine,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises write transactions: no interleaving is possible",
    ),
]


class Pause:
    """Stops one thread at a chosen call until the test lets it go on."""

    def __init__(self):
        self.reached = threading.Event()
        self.go_on = threading.Event()
        self.thread_name = None

    def wrap(self, function):
        def paused(*args, **kwargs):
            if threading.current_thread().name == self.thread_name:
                self.reached.set()
                assert self.go_on.wait(20), "the test never released the paused thread"
            return function(*args, **kwargs)

        return paused


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def settle(pid_box: dict, thread: threading.Thread) -> str:
    """Wait until the other thread has finished, or is blocked on a lock: never by luck."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not thread.is_alive():
            return "finished"
        pid = pid_box.get("pid")
        if pid is not None:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
                row = cursor.fetchone()
            if row and row[0] == "Lock":
                return "blocked"
        time.sleep(0.01)
    raise AssertionError("the second connection neither finished nor waited on a lock")


def run(name: str, function, pid_box: dict | None = None, errors: list | None = None):
    def target():
        try:
            if pid_box is not None:
                pid_box["pid"] = backend_pid()
            function()
        except Exception as error:  # noqa: BLE001 - reported by the test
            if errors is not None:
                errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target, name=name)
    thread.start()
    return thread


def without_the_counter_lock(monkeypatch):
    """The guard taken out: the date's counter is read without `SELECT … FOR UPDATE`."""
    monkeypatch.setattr(SeatCounter.objects, "select_for_update", lambda **_: SeatCounter.objects)


def cancel_during_a_sign_up_that_goes_waiting(outing, monkeypatch) -> str:
    """Ada holds both seats; Bob's sign-up decides « waiting » and stops before writing; Ada
    cancels meanwhile; then Bob's sign-up goes on. Returns how the cancellation fared."""
    booking.set_capacity(outing, 2)
    first = booking.register(outing, booking.Party(first_name="Ada", adults=2, email="a@x.fr"))
    pause = Pause()
    pause.thread_name = "sign-up"
    monkeypatch.setattr(Registration.objects, "create", pause.wrap(Registration.objects.create))
    errors: list = []
    signing = run(
        "sign-up",
        lambda: booking.register(outing, booking.Party(first_name="Bob", email="b@x.fr")),
        errors=errors,
    )
    assert pause.reached.wait(20)
    pid_box: dict = {}
    cancelling = run("cancel", lambda: booking.cancel(first), pid_box=pid_box, errors=errors)
    fared = settle(pid_box, cancelling)
    pause.go_on.set()
    signing.join(20)
    cancelling.join(20)
    assert errors == []
    return fared


def test_a_cancellation_during_a_sign_up_that_goes_waiting_promotes_it(outing, monkeypatch):
    """The sign-up decided « waiting »; a seat frees before it is written: it must get the seat."""
    assert cancel_during_a_sign_up_that_goes_waiting(outing, monkeypatch) == "blocked"
    bob = Registration.objects.get(first_name="Bob")
    assert bob.status == Registration.Status.CONFIRMED
    counter = SeatCounter.objects.get(occurrence=outing)
    assert counter.seats_taken == 1


def test_without_the_counter_lock_the_same_race_leaves_bob_waiting_beside_free_seats(
    outing, monkeypatch
):
    """The negative control: the product's own path, minus the lock, shows the race."""
    without_the_counter_lock(monkeypatch)
    assert cancel_during_a_sign_up_that_goes_waiting(outing, monkeypatch) == "finished"
    bob = Registration.objects.get(first_name="Bob")
    assert bob.status == Registration.Status.WAITING
    assert SeatCounter.objects.get(occurrence=outing).seats_taken == 0  # two seats free


def two_sign_ups_for_the_last_seat(outing, monkeypatch) -> str:
    """Ada's sign-up decides « confirmed » for the last seat and stops before writing; Bob signs
    up meanwhile; then Ada's goes on. Returns how Bob's sign-up fared."""
    booking.set_capacity(outing, 1)  # the counter exists: nobody waits on creating it
    pause = Pause()
    pause.thread_name = "ada"
    monkeypatch.setattr(Registration.objects, "create", pause.wrap(Registration.objects.create))
    errors: list = []
    ada = run(
        "ada",
        lambda: booking.register(outing, booking.Party(first_name="Ada", email="a@x.fr")),
        errors=errors,
    )
    assert pause.reached.wait(20)
    pid_box: dict = {}
    bob = run(
        "bob",
        lambda: booking.register(outing, booking.Party(first_name="Bob", email="b@x.fr")),
        pid_box=pid_box,
        errors=errors,
    )
    fared = settle(pid_box, bob)
    pause.go_on.set()
    ada.join(20)
    bob.join(20)
    assert errors == []
    return fared


def confirmed(outing) -> list[str]:
    return sorted(
        Registration.objects.filter(occurrence=outing, status="confirmed").values_list(
            "first_name", flat=True
        )
    )


def test_two_sign_ups_for_the_last_seat_confirm_one(outing, monkeypatch):
    assert two_sign_ups_for_the_last_seat(outing, monkeypatch) == "blocked"
    assert confirmed(outing) == ["Ada"]
    assert Registration.objects.get(first_name="Bob").status == Registration.Status.WAITING


def test_without_the_counter_lock_both_take_the_last_seat(outing, monkeypatch):
    """The negative control: overbooked, and the counter lost an update, so its CHECK
    constraint never saw it."""
    without_the_counter_lock(monkeypatch)
    assert two_sign_ups_for_the_last_seat(outing, monkeypatch) == "finished"
    assert confirmed(outing) == ["Ada", "Bob"]
    assert SeatCounter.objects.get(occurrence=outing).seats_taken == 1
