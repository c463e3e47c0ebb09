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


def test_a_cancellation_during_a_sign_up_that_goes_waiting_promotes_it(outing, monkeypatch):
    """The sign-up decided « waiting »; a seat frees before it is written: it must get the seat."""
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
    settle(pid_box, cancelling)
    pause.go_on.set()
    signing.join(20)
    cancelling.join(20)
    assert errors == []
    bob = Registration.objects.get(first_name="Bob")
    assert bob.status == Registration.Status.CONFIRMED
    counter = SeatCounter.objects.get(occurrence=outing)
    assert counter.seats_taken == 1
